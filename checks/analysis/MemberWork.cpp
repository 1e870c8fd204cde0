//===--- MemberWork.cpp ---------------------------------------------------===//

#include "MemberWork.h"
#include "BodyWalk.h"
#include "MemberRelease.h"
#include "ThreadEntries.h"
#include "../model/StdLibrary.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace tether::analysis {

namespace {

bool sameClass(const CXXRecordDecl *A, const CXXRecordDecl *B) {
  return A && B && A->getCanonicalDecl() == B->getCanonicalDecl();
}

/// The body a piece of submitted work runs: a lambda's call operator, a
/// call to a member function of \p RD (co_spawn(pool, session(), ...)),
/// or what entryOf finds.
const FunctionDecl *bodyOfWork(const Expr *Work, const CXXRecordDecl *RD) {
  Work = peelTemporaries(Work);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Work))
    if (const CXXMethodDecl *M = MC->getMethodDecl())
      if (sameClass(M->getParent(), RD))
        return M->getDefinition();
  return entryOf(Work);
}

/// The field an executor argument names: pool_, pool_.get_executor(),
/// pool_.executor().
const FieldDecl *executorField(const Expr *E) {
  E = peelTemporaries(E);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *M = MC->getMethodDecl())
      if (M->getDeclName().isIdentifier() &&
          (M->getName() == "get_executor" || M->getName() == "executor"))
        E = MC->getImplicitObjectArgument();
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

void addWork(const Stmt *Start, const FunctionDecl *Body,
             llvm::SmallVectorImpl<MemberWork> &Out) {
  if (Body && Body->hasBody())
    Out.push_back({Start, Body->getDefinition()});
}

} // namespace

llvm::SmallVector<MemberWork, 2>
workStartedOn(const FieldDecl *Field, const CXXRecordDecl *RD,
              const model::ConcurrencyModel &Model) {
  llvm::SmallVector<MemberWork, 2> Out;
  bool Pool = Model.rolesOf(Field->getType()) & model::ExecutorPool;
  for (const CXXMethodDecl *M : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (!M->hasBody(Def))
      continue;
    // A thread constructed in the member's initialiser.
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() == Field && Init->getInit())
          if (std::optional<Spawn> Sp =
                  spawnAt(Init->getInit()->IgnoreImplicit(), Model))
            if (Sp->S.Callable)
              addWork(Init->getInit(), entryOf(Sp->S.Callable), Out);
    walkBody(Def->getBody(), [&](const Stmt *S) {
      // worker_ = std::jthread([this] { ... });
      if (!Pool)
        if (std::optional<Spawn> Sp = spawnIn(S, Model))
          if (Sp->Handle == Field && Sp->S.Callable)
            addWork(S, entryOf(Sp->S.Callable), Out);
      // asio::post(pool_, [this] { ... });
      // co_spawn(pool_, session(), detached): the coroutine is the second.
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        const FunctionDecl *Callee = Call->getDirectCallee();
        bool Post = model::ConcurrencyModel::submitsToExecutor(Callee);
        unsigned Written = model::writtenArgCount(Call);
        if (Pool && Written >= 2 &&
            (Post || Model.isCoroutineSpawner(Callee)) &&
            executorField(Call->getArg(0)) == Field)
          addWork(Call,
                  bodyOfWork(Call->getArg(Post ? Written - 1 : 1), RD), Out);
      }
      return true;
    });
  }
  return Out;
}

static void collectFields(
    const Stmt *Body, const CXXRecordDecl *RD, unsigned Depth,
    llvm::SmallPtrSetImpl<const FunctionDecl *> &Seen,
    llvm::DenseMap<const FieldDecl *, const Expr *> &Out) {
  walkBody(
      Body,
      [&](const Stmt *S) {
        if (const auto *ME = dyn_cast<MemberExpr>(S)) {
          if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
            if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
              if (sameClass(dyn_cast<CXXRecordDecl>(F->getParent()), RD))
                Out.try_emplace(F, ME);
        }
        if (Depth > 0)
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
            if (const CXXMethodDecl *M = MC->getMethodDecl())
              if (sameClass(M->getParent(), RD) &&
                  isa<CXXThisExpr>(
                      MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
                if (const FunctionDecl *Def = M->getDefinition())
                  if (Seen.insert(Def).second)
                    collectFields(Def->getBody(), RD, Depth - 1, Seen, Out);
        return true;
      },
      Lambdas::Enter);
}

void fieldsUsedBy(const FunctionDecl *Body, const CXXRecordDecl *RD,
                  llvm::DenseMap<const FieldDecl *, const Expr *> &Out) {
  if (!Body || !Body->hasBody())
    return;
  llvm::SmallPtrSet<const FunctionDecl *, 8> Seen{Body};
  collectFields(Body->getBody(), RD, /*Depth=*/2, Seen, Out);
}

} // namespace tether::analysis
