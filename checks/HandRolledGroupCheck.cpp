//===--- HandRolledGroupCheck.cpp -----------------------------------------===//

#include "HandRolledGroupCheck.h"
#include "analysis/Describe.h"
#include "analysis/Occupancy.h"
#include "model/BlockingModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {
AST_MATCHER(CXXMemberCallExpr, waitsOnConditionVariable) {
  return model::BlockingModel::isConditionWait(&Node);
}
AST_MATCHER(CXXMemberCallExpr, decrementsAtomic) {
  return model::BlockingModel::isAtomicDecrement(Node.getMethodDecl());
}

/// The condition-variable wait a loop body is or begins with a statement
/// of: `while (pending_ != 0) cv_.wait(lock);`.
const CXXMemberCallExpr *waitIn(const Stmt *Body) {
  auto Wait = [](const Stmt *S) -> const CXXMemberCallExpr * {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(S);
    return MC && model::BlockingModel::isConditionWait(MC) ? MC : nullptr;
  };
  if (const CXXMemberCallExpr *W = Wait(Body))
    return W;
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Body))
    for (const Stmt *S : CS->body())
      if (const auto *E = dyn_cast<Expr>(S))
        if (const CXXMemberCallExpr *W = Wait(E->IgnoreImplicit()))
          return W;
  return nullptr;
}
} // namespace

// Narrow roots: a member call is tested by name first, a loop and a
// decrement by their node kind; nothing walks the TU.
void HandRolledGroupCheck::registerMatchers(MatchFinder *Finder) {
  auto User = unless(isExpansionInSystemHeader());
  Finder->addMatcher(cxxMemberCallExpr(waitsOnConditionVariable()).bind("wait"),
                     this);
  // while (pending_ != 0) cv_.wait(lock);
  Finder->addMatcher(whileStmt(User).bind("while"), this);
  Finder->addMatcher(unaryOperator(hasOperatorName("--"), User).bind("dec"),
                     this);
  Finder->addMatcher(binaryOperator(hasOperatorName("-="), User).bind("dec"),
                     this);
  Finder->addMatcher(
      cxxOperatorCallExpr(hasAnyOverloadedOperatorName("--", "-="), User)
          .bind("dec"),
      this);
  Finder->addMatcher(cxxMemberCallExpr(decrementsAtomic(), User).bind("dec"),
                     this);
}

/// The counter \p E reads (counter, counter.load(), an atomic's
/// conversion), when it is an integer (or an atomic integer).
static const ValueDecl *counter(const Expr *E) {
  const ValueDecl *VD = analysis::readValue(E);
  if (!VD || isa<FunctionDecl>(VD))
    return nullptr;
  QualType T = VD->getType().getNonReferenceType();
  if (T->isIntegerType() && !T->isBooleanType())
    return VD;
  QualType A = model::BlockingModel::atomicValueType(T);
  if (!A.isNull() && A->isIntegerType() && !A->isBooleanType())
    return VD;
  return nullptr;
}

static bool isZero(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *I = dyn_cast<IntegerLiteral>(E))
    return I->getValue() == 0;
  return false;
}

/// The counter a condition says has reached zero (Done) or has not yet
/// reached zero (!Done): count == 0, !count, count <= 0 / count != 0,
/// count > 0, count.
static const ValueDecl *zeroTest(const Expr *E, bool Done) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_LNot)
      return zeroTest(U->getSubExpr(), !Done);
  const Expr *L = nullptr, *R = nullptr;
  BinaryOperatorKind Op = BO_Comma;
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    L = B->getLHS();
    R = B->getRHS();
    Op = B->getOpcode();
  } else if (const auto *C = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (C->getNumArgs() == 2) {
      L = C->getArg(0);
      R = C->getArg(1);
      Op = BinaryOperator::getOverloadedOpcode(C->getOperator());
    }
  }
  if (L && R) {
    if (isZero(L)) {
      std::swap(L, R);
      Op = BinaryOperator::reverseComparisonOp(Op);
    }
    if (!isZero(R))
      return nullptr;
    bool Ok = Done ? (Op == BO_EQ || Op == BO_LE) : (Op == BO_NE || Op == BO_GT);
    return Ok ? counter(L) : nullptr;
  }
  // while (pending_) wait: not yet zero.
  return Done ? nullptr : counter(E);
}

void HandRolledGroupCheck::noteWait(const ValueDecl *Counter,
                                    const CXXMemberCallExpr *Wait,
                                    const SourceManager &SM) {
  if (Counter)
    Waits.insert({Counter,
                  {SM.getFileLoc(Wait->getExprLoc()),
                   model::BlockingModel::isFiberConditionWait(Wait)}});
}

void HandRolledGroupCheck::check(const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  if (const auto *Dec = Result.Nodes.getNodeAs<Expr>("dec")) {
    const Expr *Target = nullptr;
    if (const auto *U = dyn_cast<UnaryOperator>(Dec))
      Target = U->getSubExpr();
    else if (const auto *B = dyn_cast<BinaryOperator>(Dec))
      Target = B->getLHS();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Dec))
      Target = Op->getNumArgs() ? Op->getArg(0) : nullptr;
    else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Dec))
      Target = MC->getImplicitObjectArgument();
    if (const ValueDecl *C = counter(Target)) {
      Decrements[C].push_back(Dec);
      Context = Result.Context;
    }
    return;
  }
  if (const auto *W = Result.Nodes.getNodeAs<WhileStmt>("while")) {
    if (const CXXMemberCallExpr *Wait = waitIn(W->getBody()))
      noteWait(zeroTest(W->getCond(), /*Done=*/false), Wait, SM);
    return;
  }
  const auto *Wait = Result.Nodes.getNodeAs<CXXMemberCallExpr>("wait");
  if (!Wait || Wait->getNumArgs() < 2 ||
      SM.isInSystemHeader(SM.getExpansionLoc(Wait->getExprLoc())))
    return;
  const auto *Lambda = dyn_cast<LambdaExpr>(
      Wait->getArg(Wait->getNumArgs() - 1)->IgnoreImplicit());
  if (!Lambda)
    return;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Lambda->getBody());
  if (!Body || Body->size() != 1)
    return;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  if (!Ret || !Ret->getRetValue())
    return;
  noteWait(zeroTest(Ret->getRetValue(), /*Done=*/true), Wait, SM);
}

void HandRolledGroupCheck::onEndOfTranslationUnit() {
  for (const auto &[Counter, W] : Waits) {
    auto Dec = Decrements.find(Counter);
    if (Dec == Decrements.end())
      continue;
    // `++inside; ...; --inside;` in one function counts who is inside (a
    // lightswitch): the wait for zero is an admission gate, not a group.
    if (analysis::countsOccupants(Counter, Dec->second, *Context))
      continue;
    diag(Counter->getLocation(),
         "'%0' with a mutex and a condition variable is a hand-rolled wait "
         "group: a missed decrement or notify leaves the waiter blocked "
         "forever")
        << Counter->getName();
    const SourceManager &SM = Context->getSourceManager();
    diag(SM.getFileLoc(Dec->second.front()->getExprLoc()), "counted down here",
         DiagnosticIDs::Note);
    diag(W.Loc, "waited for here until it reaches zero", DiagnosticIDs::Note);
    diag(Counter->getLocation(),
         W.Fiber ? "join the fibers it counts (boost::fibers::fiber::join), or "
                   "use boost::fibers::barrier for repeated phases; a "
                   "std::latch would block every fiber of the waiting thread"
                 : "use std::latch when the count is known up front, "
                   "std::barrier for repeated phases, or a task group that "
                   "joins what it starts",
         DiagnosticIDs::Note);
  }
  Waits.clear();
  Decrements.clear();
}

} // namespace tether
