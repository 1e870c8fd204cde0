//===--- LockRegions.cpp --------------------------------------------------===//

#include "LockRegions.h"
#include "Describe.h"
#include "../model/StopModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace tether::analysis {

namespace {

bool isDeferred(const VarDecl *V) {
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
      V->getInit() ? V->getInit()->IgnoreImplicit() : nullptr);
  return CE && llvm::any_of(CE->arguments(), [](const Expr *A) {
           return model::StopModel::isDeferLock(A->getType());
         });
}

/// `x.lock()` / `x.unlock()` as a statement: the object and the direction.
/// +1 locks, -1 unlocks, 0 neither.
int lockCall(const Stmt *S, const Expr *&Object) {
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return 0;
  const auto *Call = dyn_cast<CXXMemberCallExpr>(E->IgnoreImplicit());
  if (!Call)
    return 0;
  int Dir = model::StopModel::lockDirection(Call->getMethodDecl());
  if (Dir != 0)
    Object = Call->getImplicitObjectArgument();
  return Dir;
}

const Decl *objectDecl(const Expr *E) { return namedHandle(E); }

struct Walker {
  llvm::function_ref<bool(QualType)> IsLock;
  llvm::SmallVectorImpl<LockedMention> &Out;

  void walk(const Stmt *S, bool Held, unsigned Depth) {
    if (!S || Depth > 256 || isa<LambdaExpr>(S))
      return;
    if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
      // Locks taken in this block: lock objects and locked mutexes.
      llvm::SmallPtrSet<const Decl *, 4> Active;
      for (const Stmt *Child : CS->body()) {
        if (const auto *DS = dyn_cast<DeclStmt>(Child))
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D);
                V && IsLock(V->getType()) && !V->getType()->isReferenceType() &&
                !isDeferred(V))
              Active.insert(V);
        const Expr *Object = nullptr;
        int Dir = lockCall(Child, Object);
        const Decl *OD = objectDecl(Object);
        if (Dir > 0 && OD)
          Active.insert(OD);
        walk(Child, Held || !Active.empty(), Depth + 1);
        if (Dir < 0 && OD)
          Active.erase(OD);
      }
      return;
    }
    if (Held) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
          Out.push_back({{V, nullptr}, DRE});
        return;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(S))
        if (const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl()))
          if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())) {
            Out.push_back({{nullptr, F}, ME});
            return;
          }
    }
    for (const Stmt *Child : S->children())
      walk(Child, Held, Depth + 1);
  }
};

} // namespace

void collectLockedMentions(const Stmt *Body,
                           llvm::function_ref<bool(QualType)> IsLock,
                           llvm::SmallVectorImpl<LockedMention> &Out) {
  Walker W{IsLock, Out};
  W.walk(Body, false, 0);
}

} // namespace tether::analysis
