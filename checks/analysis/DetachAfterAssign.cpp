//===--- DetachAfterAssign.cpp --------------------------------------------===//

#include "DetachAfterAssign.h"
#include "BodyWalk.h"
#include "Describe.h"
#include "Matchers.h"
#include "../model/ConcurrencyModel.h"
#include "../model/ThreadSpawn.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace tether::analysis {

namespace {

const Expr *asExpr(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  return E ? E->IgnoreImplicit() : nullptr;
}

bool names(const Stmt *S, const ValueDecl *D) {
  return anyInBody(S, [&](const Stmt *N) {
    const auto *E = dyn_cast<Expr>(N);
    return E && namedHandle(E) == D;
  });
}

} // namespace

const ValueDecl *assignedHandle(const Stmt *S, const Expr **Value) {
  std::optional<std::pair<const Expr *, const Expr *>> A =
      assignmentOf(asExpr(S));
  if (!A)
    return nullptr;
  if (Value)
    *Value = A->second;
  return namedValue(A->first);
}

const CXXMemberCallExpr *detachStatement(const Stmt *S) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(asExpr(S));
  return Call && model::ConcurrencyModel::isDetach(Call->getMethodDecl())
             ? Call
             : nullptr;
}

const Expr *constructionDetachedAt(const CompoundStmt *Block, unsigned Index) {
  const CXXMemberCallExpr *Detach = detachStatement(Block->body_begin()[Index]);
  const ValueDecl *Handle =
      Detach ? namedValue(Detach->getImplicitObjectArgument()) : nullptr;
  if (!Handle)
    return nullptr;
  for (unsigned I = Index; I-- > 0;) {
    const Stmt *S = Block->body_begin()[I];
    const Expr *Value = nullptr;
    if (assignedHandle(S, &Value) == Handle)
      return model::underlyingConstruct(Value);
    if (names(S, Handle))
      return nullptr;
  }
  return nullptr;
}

bool detachedAfterEveryAssignment(const FieldDecl *Field) {
  const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!RD || !RD->hasDefinition())
    return false;
  unsigned Assignments = 0;
  bool Kept = false; // an assignment not followed by the detach
  auto Visit = [&](const Stmt *N) {
    const auto *Block = dyn_cast<CompoundStmt>(N);
    if (!Block)
      return false;
    for (unsigned I = 0; I < Block->size(); ++I) {
      if (assignedHandle(Block->body_begin()[I]) != Field)
        continue;
      ++Assignments;
      const CXXMemberCallExpr *Next =
          I + 1 < Block->size() ? detachStatement(Block->body_begin()[I + 1])
                                : nullptr;
      if (!Next || namedValue(Next->getImplicitObjectArgument()) != Field)
        Kept = true;
    }
    return Kept;
  };
  for (const CXXMethodDecl *M : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (!M->hasBody(Def) || !Def->getBody())
      continue;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() == Field && Init->isWritten() &&
            model::spawnOf(model::underlyingConstruct(Init->getInit())))
          return false;
    anyInBody(Def->getBody(), Visit, Lambdas::Enter);
    if (Kept)
      return false;
  }
  return Assignments > 0;
}

bool neverGivenWork(const FieldDecl *Field) {
  const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!RD || !RD->hasDefinition() || Field->hasInClassInitializer() ||
      !Field->getDeclName().isIdentifier())
    return false;
  // By name: a class template's specialization has its own FieldDecl, and a
  // member template's body names the member as the pattern wrote it.
  llvm::StringRef Name = Field->getName();
  llvm::SmallPtrSet<const Expr *, 8> Named, Queried;
  auto Visit = [&](const Stmt *N) {
    if (const auto *ME = dyn_cast<MemberExpr>(N);
        ME && ME->getMemberDecl()->getDeclName().isIdentifier() &&
        ME->getMemberDecl()->getName() == Name)
      Named.insert(ME);
    if (const auto *DME = dyn_cast<CXXDependentScopeMemberExpr>(N);
        DME && DME->getMember().isIdentifier() &&
        DME->getMember().getAsIdentifierInfo()->getName() == Name)
      Named.insert(DME);
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(N))
      if (const CXXMethodDecl *M = Call->getMethodDecl();
          M && M->getDeclName().isIdentifier() &&
          llvm::is_contained({"joinable", "join", "detach", "get_id"},
                             M->getName()))
        Queried.insert(Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
    return false;
  };
  // Member functions and member function templates, as written.
  for (const Decl *D : RD->decls()) {
    const auto *M = dyn_cast<CXXMethodDecl>(D);
    if (const auto *T = dyn_cast<FunctionTemplateDecl>(D))
      M = dyn_cast<CXXMethodDecl>(T->getTemplatedDecl());
    const FunctionDecl *Def = nullptr;
    if (!M || !M->hasBody(Def) || !Def->getBody())
      continue;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() && Init->getMember()->getDeclName().isIdentifier() &&
            Init->getMember()->getName() == Name && Init->isWritten())
          return false;
    anyInBody(Def->getBody(), Visit, Lambdas::Enter);
  }
  return llvm::all_of(Named, [&](const Expr *E) { return Queried.contains(E); });
}

} // namespace tether::analysis
