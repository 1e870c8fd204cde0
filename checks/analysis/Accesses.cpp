//===--- Accesses.cpp -----------------------------------------------------===//

#include "Accesses.h"
#include "BodyWalk.h"
#include "Describe.h"
#include "Matchers.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace tether::analysis {

void collectWrites(const Stmt *S, ValueSet &Out) {
  walkBody(S, [&](const Stmt *N) {
    const Expr *Target = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(N); B && B->isAssignmentOp())
      Target = B->getLHS();
    else if (const auto *U = dyn_cast<UnaryOperator>(N);
             U && U->isIncrementDecrementOp())
      Target = U->getSubExpr();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(N);
             Op && Op->getNumArgs() >= 1 &&
             (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
              Op->getOperator() == OO_MinusMinus))
      Target = Op->getArg(0);
    if (Target)
      if (const ValueDecl *V = namedValue(Target))
        Out.insert(V);
    return true;
  });
}

static bool isCallResult(const Expr *E) {
  E = E ? E->IgnoreImplicit()->IgnoreParenCasts() : nullptr;
  if (const auto *Cleanups = dyn_cast_or_null<ExprWithCleanups>(E))
    E = Cleanups->getSubExpr()->IgnoreImplicit();
  if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(E);
      Construct && Construct->getNumArgs() == 1)
    E = Construct->getArg(0)->IgnoreImplicit()->IgnoreParenCasts();
  return isa_and_nonnull<CallExpr>(E) && !isa<CXXOperatorCallExpr>(E);
}

void collectFilledByCalls(const Stmt *S, ValueSet &Out) {
  walkBody(S, [&](const Stmt *N) {
    if (const auto *DS = dyn_cast<DeclStmt>(N))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && isCallResult(VD->getInit()))
          Out.insert(VD);
    if (auto A = assignmentOf(N); A && isCallResult(A->second))
      if (const ValueDecl *V = namedValue(A->first))
        Out.insert(V);
    return true;
  });
}

void collectOutArguments(const Stmt *S, ValueSet &Out) {
  walkBody(S, [&](const Stmt *N) {
    const auto *Call = dyn_cast<CallExpr>(N);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD)
      return true;
    unsigned Shift = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD);
    for (unsigned I = Shift; I < Call->getNumArgs(); ++I) {
      if (I - Shift >= FD->getNumParams())
        break;
      QualType P = FD->getParamDecl(I - Shift)->getType();
      bool Fillable = (P->isReferenceType() || P->isPointerType()) &&
                  !P->getPointeeType().isConstQualified();
      if (!Fillable)
        continue;
      const Expr *Arg = Call->getArg(I)->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(Arg);
          U && U->getOpcode() == UO_AddrOf)
        Arg = U->getSubExpr();
      if (const ValueDecl *V = namedValue(Arg))
        Out.insert(V);
    }
    return true;
  });
}

void collectDerived(const Stmt *S, ValueSet &Vars) {
  walkBody(S, [&](const Stmt *N) {
    if (const auto *DS = dyn_cast<DeclStmt>(N))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->getInit() && readsAny(VD->getInit(), Vars))
          Vars.insert(VD);
    if (auto A = assignmentOf(N); A && readsAny(A->second, Vars))
      if (const ValueDecl *V = namedValue(A->first))
        Vars.insert(V);
    return true;
  });
}

bool readsAny(const Stmt *S, const ValueSet &Vars) {
  if (Vars.empty())
    return false;
  llvm::SmallPtrSet<const Expr *, 8> Assigned;
  return anyInBody(S, [&](const Stmt *N) {
    if (auto A = assignmentOf(N))
      Assigned.insert(A->first->IgnoreParenImpCasts());
    const auto *E = dyn_cast<Expr>(N);
    if (!E || Assigned.contains(E))
      return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return Vars.contains(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return Vars.contains(ME->getMemberDecl());
    return false;
  });
}

} // namespace tether::analysis
