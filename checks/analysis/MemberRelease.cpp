//===--- MemberRelease.cpp ------------------------------------------------===//

#include "MemberRelease.h"
#include "BodyWalk.h"
#include "../model/ConcurrencyModel.h"
#include "../model/StdLibrary.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <functional>

using namespace clang;

namespace tether::analysis {

const CXXDestructorDecl *destructorOf(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  if (const CXXDestructorDecl *D = RD->getDestructor())
    return D;
  for (const CXXMethodDecl *M : RD->methods())
    if (const auto *D = dyn_cast<CXXDestructorDecl>(M))
      return D;
  return nullptr;
}

bool befriendsOwner(const CXXRecordDecl *RD) {
  for (const FriendDecl *F : RD->friends())
    if (const TypeSourceInfo *T = F->getFriendType())
      if (const CXXRecordDecl *Friend = T->getType()->getAsCXXRecordDecl())
        // A base befriended to build the object (`friend class
        // Singleton<Pool>` for its private constructor) owns no slot.
        if (!RD->Encloses(Friend) &&
            !(RD->hasDefinition() && RD->isDerivedFrom(Friend)))
          return true;
  return false;
}

/// \p Fn calls a method of \p Inner that \p Joins accepts, or a member
/// function of \p Outer on this object that does (to \p Depth 2).
static bool callsJoin(const FunctionDecl *Fn, const CXXRecordDecl *Inner,
                      const CXXRecordDecl *Outer,
                      llvm::function_ref<bool(const CXXMethodDecl *)> Joins,
                      unsigned Depth) {
  return anyInBody(Fn->getBody(), [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
    if (!MD)
      return false;
    if (MD->getParent()->getCanonicalDecl() == Inner->getCanonicalDecl())
      return Joins(MD);
    const FunctionDecl *Def = nullptr;
    return Depth < 2 &&
           MD->getParent()->getCanonicalDecl() == Outer->getCanonicalDecl() &&
           isa<CXXThisExpr>(
               MC->getImplicitObjectArgument()->IgnoreParenImpCasts()) &&
           MD->hasBody(Def) && callsJoin(Def, Inner, Outer, Joins, Depth + 1);
  });
}

bool joinedByEnclosingClass(
    const CXXRecordDecl *RD,
    llvm::function_ref<bool(const CXXMethodDecl *)> Joins) {
  const auto *Outer = dyn_cast<CXXRecordDecl>(RD->getDeclContext());
  if (!Outer || RD->getCanonicalDecl()->getAccess() == AS_public)
    return false;
  const CXXDestructorDecl *Dtor = destructorOf(Outer);
  const FunctionDecl *Def = nullptr;
  return Dtor && Dtor->hasBody(Def) && Def->getBody() &&
         callsJoin(Def, RD, Outer, Joins, 0);
}

const FieldDecl *rootField(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
        if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
          return F;
      E = ME->getBase();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getNumArgs() == 0)
        return nullptr;
      E = Op->getArg(0); // operator[], operator*, operator->
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
    } else if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      E = U->getSubExpr();
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      E = MC->getImplicitObjectArgument(); // optional::value(), vector::at
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

/// Loop variables bound to the field's elements: for (auto &t : workers_).
static bool isElementOf(const Expr *E, const FieldDecl *Field,
                        llvm::ArrayRef<const CXXForRangeStmt *> Loops) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE)
    return false;
  for (const CXXForRangeStmt *L : Loops)
    if (L->getLoopVariable() == DRE->getDecl() &&
        rootField(L->getRangeInit()) == Field)
      return true;
  return false;
}

namespace {
struct Finder {
  const FieldDecl *Field;
  llvm::ArrayRef<llvm::StringRef> ReleaseMethods;
  llvm::SmallVector<const CXXForRangeStmt *, 2> Loops;
  llvm::SmallVector<const CXXMethodDecl *, 4> Callees;
  bool Released = false;

  bool isRelease(const CXXMethodDecl *M) const {
    return M && M->getDeclName().isIdentifier() &&
           llvm::is_contained(ReleaseMethods, M->getName());
  }

  /// Walks \p Body, lambdas included (for_each(workers_.begin(), ...,
  /// [](std::thread &t) { t.join(); })), until a release.
  void walk(const Stmt *Body) {
    findInBody(
        Body,
        [&](const Stmt *S) {
          visit(S);
          return Released;
        },
        Lambdas::Enter);
  }

  void visit(const Stmt *S) {
    if (const auto *L = dyn_cast<CXXForRangeStmt>(S))
      Loops.push_back(L);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (isRelease(M) && Obj &&
          (rootField(Obj) == Field || isElementOf(Obj, Field, Loops))) {
        Released = true;
        return;
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      // this->stop(), also a class template's own `Close()`: look inside.
      if (const CXXMethodDecl *Own = model::ownMethodCalled(Call))
        Callees.push_back(Own);
      if (!isa<CXXMemberCallExpr>(Call))
        for (const Expr *Arg : Call->arguments())
          if (rootField(Arg) == Field) {
            Released = true; // join_all(workers_), std::move(worker_), swap
            return;
          }
    }
  }
};
} // namespace

bool MemberRelease::releasesIn(const Stmt *S, unsigned Depth) {
  Finder F{Field, ReleaseMethods, {}, {}, false};
  F.walk(S);
  if (F.Released)
    return true;
  for (const CXXMethodDecl *M : F.Callees)
    if (releases(M, Depth + 1))
      return true;
  return false;
}

bool MemberRelease::releases(const CXXMethodDecl *Method, unsigned Depth) {
  if (!Method)
    return false;
  auto It = Memo.find(Method);
  if (It != Memo.end())
    return It->second;
  Memo[Method] = false; // recursion guard
  bool Result;
  const FunctionDecl *Def = nullptr;
  if (!Method->hasBody(Def) || !Def->getBody())
    Result = true; // cannot see it: assume it joins
  else if (Depth > 4)
    Result = true;
  else
    Result = releasesIn(Def->getBody(), Depth);
  Memo[Method] = Result;
  return Result;
}

bool MemberRelease::onlyJoinLikeUses(const CXXMethodDecl *Method) const {
  const FunctionDecl *Def = nullptr;
  if (!Method->hasBody(Def) || !Def->getBody())
    return true;
  llvm::ArrayRef<llvm::StringRef> JoinLike =
      model::ConcurrencyModel::jthreadCompatibleMethods();
  bool Ok = true;
  std::function<void(const Stmt *, const Stmt *)> Walk =
      [&](const Stmt *S, const Stmt *Parent) {
        if (!S || !Ok)
          return;
        if (const auto *ME = dyn_cast<MemberExpr>(S))
          if (ME->getMemberDecl() == Field) {
            const auto *Outer = dyn_cast_or_null<MemberExpr>(Parent);
            const auto *M = Outer ? dyn_cast<CXXMethodDecl>(Outer->getMemberDecl())
                                  : nullptr;
            if (!M || !M->getDeclName().isIdentifier() ||
                !llvm::is_contained(JoinLike, M->getName()))
              Ok = false;
          }
        // Look through implicit casts: worker_.joinable() on a const method.
        const Stmt *ChildParent =
            isa<ImplicitCastExpr, ParenExpr>(S) ? Parent : S;
        for (const Stmt *Child : S->children())
          Walk(Child, ChildParent);
      };
  Walk(Def->getBody(), nullptr);
  return Ok;
}

bool hasMethodsDefinedElsewhere(const CXXRecordDecl *RD) {
  return llvm::any_of(RD->methods(), [](const CXXMethodDecl *M) {
    return !M->isImplicit() && !M->isPureVirtual() && !M->isDefaulted() &&
           !M->isDeleted() && !M->hasBody();
  });
}

} // namespace tether::analysis
