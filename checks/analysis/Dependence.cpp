//===--- Dependence.cpp ---------------------------------------------------===//

#include "Dependence.h"
#include "BodyWalk.h"
#include "../model/CoroutineSpawn.h"
#include "../model/StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>

using namespace clang;

namespace tether::analysis {

namespace {

/// std::move(x), std::forward<T>(x), __builtin_expect(x, 0) (what
/// BOOST_UNLIKELY and friends expand to): the value is the argument's.
bool passesArgumentThrough(const FunctionDecl *FD) {
  if (!FD)
    return false;
  switch (FD->getBuiltinID()) {
  case Builtin::BI__builtin_expect:
  case Builtin::BI__builtin_expect_with_probability:
  case Builtin::BI__builtin_unpredictable:
    return true;
  default:
    break;
  }
  if (!FD->getDeclName().isIdentifier() || !FD->isInStdNamespace())
    return false;
  return llvm::is_contained({"move", "forward", "as_const", "addressof",
                             "to_underlying"},
                            FD->getName());
}

class DependenceWalk {
public:
  explicit DependenceWalk(const FunctionDecl *FD) : FD(FD) {}

  Dependence of(const Expr *E, unsigned Depth = 0) {
    if (!E || Depth > 64)
      return Dependence::Input;
    E = E->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(E))
      return Dependence::OwnState;
    if (isa<IntegerLiteral, FloatingLiteral, CharacterLiteral, StringLiteral,
            CXXBoolLiteralExpr, CXXNullPtrLiteralExpr, UnaryExprOrTypeTraitExpr,
            SizeOfPackExpr, GNUNullExpr>(E))
      return Dependence::Constant;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return ofDecl(DRE, Depth);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // A query of an object (valid(), empty(), operator bool) reads its
      // state; a call that changes it may talk to the world (connect()).
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || (!M->isConst() && !passesArgumentThrough(M)))
        return Dependence::Environment;
      return std::max(of(MC->getImplicitObjectArgument(), Depth + 1),
                      ofArguments(MC, Depth));
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      // Comparisons, !, ->, * on values: the operands decide.
      const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
      if (M && !M->isConst() && !Op->isComparisonOp() &&
          Op->getOperator() != OO_Exclaim && Op->getOperator() != OO_Arrow &&
          Op->getOperator() != OO_Star && Op->getOperator() != OO_Subscript)
        return Dependence::Environment;
      return ofArguments(Op, Depth);
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (passesArgumentThrough(Call->getDirectCallee()))
        return ofArguments(Call, Depth);
      return Dependence::Environment; // read(), getenv(), errno, clocks
    }
    if (isa<LambdaExpr>(E))
      return Dependence::Input;
    Dependence D = Dependence::Constant;
    for (const Stmt *Child : E->children())
      if (const auto *CE = dyn_cast_or_null<Expr>(Child))
        D = std::max(D, of(CE, Depth + 1));
    return D;
  }

private:
  Dependence ofArguments(const CallExpr *Call, unsigned Depth) {
    Dependence D = Dependence::Constant;
    for (const Expr *A : Call->arguments())
      D = std::max(D, of(A, Depth + 1));
    return D;
  }

  Dependence ofDecl(const DeclRefExpr *DRE, unsigned Depth) {
    const ValueDecl *D = DRE->getDecl();
    if (isa<EnumConstantDecl>(D) || isa<FunctionDecl>(D))
      return Dependence::Constant;
    if (isa<ParmVarDecl>(D) || DRE->refersToEnclosingVariableOrCapture())
      return Dependence::Input;
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD)
      return Dependence::Input;
    if (VD->isConstexpr() ||
        (VD->getType().isConstQualified() && VD->getInit() &&
         VD->getInit()->isConstantInitializer(VD->getASTContext(), false)))
      return Dependence::Constant;
    if (VD->hasGlobalStorage())
      return Dependence::Environment;
    // A local: what it was made from, if it was made in this function and
    // nothing changes it afterwards (a counter, a parsed value is input).
    if (!VD->getInit() || VD->getDeclContext() != FD || !FD->getBody() ||
        !Tracing.insert(VD).second)
      return Dependence::Input;
    if (clang::ExprMutationAnalyzer(*FD->getBody(), VD->getASTContext())
            .isMutated(VD)) {
      Tracing.erase(VD);
      return Dependence::Input;
    }
    Dependence R = of(VD->getInit(), Depth + 1);
    Tracing.erase(VD);
    return R;
  }

  const FunctionDecl *FD;
  llvm::SmallPtrSet<const VarDecl *, 4> Tracing;
};

} // namespace

/// A parameter of pointer type, or of a class that converts to bool (a
/// smart pointer, std::function, std::exception_ptr), read as it is.
static bool isPresenceTestedParameter(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E))
    E = Cast->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Conv = dyn_cast<CXXMemberCallExpr>(E))
    if (isa_and_nonnull<CXXConversionDecl>(Conv->getMethodDecl()))
      E = Conv->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE && isa<ParmVarDecl>(DRE->getDecl());
}

bool testsArgumentPresence(const Expr *Cond) {
  if (!Cond)
    return false;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot)
    return isPresenceTestedParameter(U->getSubExpr());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1)
    return isPresenceTestedParameter(Op->getArg(0));
  const Expr *L = nullptr, *R = nullptr;
  if (const auto *B = dyn_cast<BinaryOperator>(Cond); B && B->isEqualityOp()) {
    L = B->getLHS();
    R = B->getRHS();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
             Op && Op->getOperator() == OO_EqualEqual && Op->getNumArgs() == 2) {
    L = Op->getArg(0);
    R = Op->getArg(1);
  }
  if (!L || !R)
    return false;
  auto Null = [](const Expr *E) {
    E = E->IgnoreParenImpCasts();
    return isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E) ||
           (isa<IntegerLiteral>(E) &&
            cast<IntegerLiteral>(E)->getValue().isZero());
  };
  return (Null(L) && isPresenceTestedParameter(R)) ||
         (Null(R) && isPresenceTestedParameter(L));
}

Dependence dependenceOf(const Expr *E, const FunctionDecl *FD) {
  return DependenceWalk(FD).of(E);
}

/// \p Call writes what its argument \p I names: the argument binds a
/// non-const reference (`redirect_error(token, ec)`, `yield[ec]`), or is
/// the left side of an assignment operator.
static bool writesThroughArgument(const CallExpr *Call, unsigned I) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Call->getCalleeDecl());
  if (!FD)
    return true; // unknown: assume it writes
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
      Op && isa<CXXMethodDecl>(FD)) {
    if (I == 0)
      return Op->isAssignmentOp();
    --I; // the object is argument 0, not a parameter
  }
  if (I >= FD->getNumParams())
    return false;
  QualType P = FD->getParamDecl(I)->getType();
  return P->isLValueReferenceType() &&
         !P->getPointeeType().isConstQualified();
}

/// The error code \p D holds comes only from waits that fail only when
/// cancelled (model::failsOnlyWhenCancelled).
static bool heldFromCancelledWaits(const ValueDecl *D, const FunctionDecl *FD) {
  auto TimerWait = [](const Expr *Init) {
    const auto *Await = dyn_cast_or_null<CoawaitExpr>(
        Init ? model::peelTemporaries(Init) : nullptr);
    const auto *Op = Await ? dyn_cast<CallExpr>(model::awaitedOperand(Await))
                           : nullptr;
    return Op && model::failsOnlyWhenCancelled(Op);
  };
  // auto [ec] = co_await timer.async_wait(as_tuple(use_awaitable));
  if (const auto *B = dyn_cast<BindingDecl>(D)) {
    const auto *Whole = dyn_cast_or_null<VarDecl>(B->getDecomposedDecl());
    return Whole && TimerWait(Whole->getInit());
  }
  const auto *V = dyn_cast<VarDecl>(D);
  if (!V || !V->hasLocalStorage() || V->getDeclContext() != FD ||
      !FD->getBody())
    return false;
  if (V->getInit() && TimerWait(V->getInit()))
    return true;
  // error_code ec; ... timer.async_wait(redirect_error(use_awaitable, ec)):
  // every write of ec sits in a timer's wait.
  auto Names = [&](const Expr *E) {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return Ref && Ref->getDecl() == V;
  };
  llvm::SmallPtrSet<const Stmt *, 4> InWaits;
  bool Writes = false, Others = false;
  anyInBody(FD->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (Call && model::failsOnlyWhenCancelled(Call))
      anyInBody(Call, [&](const Stmt *In) {
        InWaits.insert(In);
        return false;
      });
    return false;
  });
  anyInBody(FD->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    for (unsigned I = 0; Call && I < Call->getNumArgs(); ++I)
      if (Names(Call->getArg(I)) && writesThroughArgument(Call, I))
        (InWaits.contains(Call) ? Writes : Others) = true;
    if (const auto *Assign = dyn_cast<BinaryOperator>(S);
        Assign && Assign->isAssignmentOp() && Names(Assign->getLHS()))
      Others = true;
    return Others;
  });
  return Writes && !Others;
}

bool testsCancelledWaitError(const Expr *Cond, const FunctionDecl *FD) {
  bool Tests = false, OnlyCancelled = true;
  anyInBody(Cond, [&](const Stmt *S) {
    const auto *Ref = dyn_cast<DeclRefExpr>(S);
    if (!Ref || !model::carriesError(Ref->getType()))
      return false;
    Tests = true;
    OnlyCancelled = heldFromCancelledWaits(Ref->getDecl(), FD);
    return !OnlyCancelled;
  });
  return Tests && OnlyCancelled;
}

} // namespace tether::analysis
