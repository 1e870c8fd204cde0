//===--- HandRolledGroupCheck.cpp -----------------------------------------===//

#include "HandRolledGroupCheck.h"
#include "analysis/Describe.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

static auto conditionVariableWait() {
  return cxxMemberCallExpr(callee(cxxMethodDecl(
      hasAnyName("wait", "wait_for", "wait_until"),
      ofClass(cxxRecordDecl(hasAnyName(
          "::std::condition_variable", "::std::condition_variable_any",
          "::boost::condition_variable", "::boost::condition_variable_any"))))));
}

void HandRolledGroupCheck::registerMatchers(MatchFinder *Finder) {
  auto User = unless(isExpansionInSystemHeader());
  Finder->addMatcher(conditionVariableWait().bind("wait"), this);
  // while (pending_ != 0) cv_.wait(lock);
  Finder->addMatcher(
      whileStmt(User, hasBody(anyOf(conditionVariableWait().bind("w"),
                                    compoundStmt(has(expr(ignoringImplicit(
                                        conditionVariableWait().bind("w"))))))))
          .bind("while"),
      this);
  Finder->addMatcher(
      expr(anyOf(unaryOperator(hasOperatorName("--")),
                 binaryOperator(hasOperatorName("-=")),
                 cxxOperatorCallExpr(hasAnyOverloadedOperatorName("--", "-=")),
                 cxxMemberCallExpr(callee(cxxMethodDecl(hasName("fetch_sub"))))),
           User)
          .bind("dec"),
      this);
}

static const Expr *strip(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  // counter.load()
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E))
    if (const auto *M = MC->getMethodDecl())
      if (M->getDeclName().isIdentifier() && M->getName() == "load")
        return MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  // atomic's operator T()
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E))
    if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
      return MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  return E;
}

/// The counter \p E names, when it is an integer (or an atomic integer).
static const ValueDecl *counter(const Expr *E) {
  E = strip(E);
  if (!E)
    return nullptr;
  const auto *VD = dyn_cast_or_null<ValueDecl>(analysis::namedHandle(E));
  if (!VD || isa<FunctionDecl>(VD))
    return nullptr;
  QualType T = VD->getType().getNonReferenceType();
  if (T->isIntegerType() && !T->isBooleanType())
    return VD;
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl()))
    if (Spec->getName() == "atomic" && Spec->getTemplateArgs().size() == 1 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type) {
      QualType A = Spec->getTemplateArgs()[0].getAsType();
      if (A->isIntegerType() && !A->isBooleanType())
        return VD;
    }
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

void HandRolledGroupCheck::noteWait(const ValueDecl *Counter, const Expr *Wait,
                                    const SourceManager &SM) {
  if (Counter && !Waits.count(Counter))
    Waits[Counter] = SM.getFileLoc(Wait->getExprLoc());
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
    if (const ValueDecl *C = counter(Target))
      Decrements.try_emplace(C, SM.getFileLoc(Dec->getExprLoc()));
    return;
  }
  if (const auto *W = Result.Nodes.getNodeAs<WhileStmt>("while")) {
    const auto *Wait = Result.Nodes.getNodeAs<Expr>("w");
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
  for (const auto &[Counter, WaitLoc] : Waits) {
    auto Dec = Decrements.find(Counter);
    if (Dec == Decrements.end())
      continue;
    diag(Counter->getLocation(),
         "'%0' with a mutex and a condition variable is a hand-rolled wait "
         "group: a missed decrement or notify leaves the waiter blocked "
         "forever")
        << Counter->getName();
    diag(Dec->second, "counted down here", DiagnosticIDs::Note);
    diag(WaitLoc, "waited for here until it reaches zero", DiagnosticIDs::Note);
    diag(Counter->getLocation(),
         "use std::latch when the count is known up front, std::barrier for "
         "repeated phases, or a task group that joins what it starts",
         DiagnosticIDs::Note);
  }
  Waits.clear();
  Decrements.clear();
}

} // namespace tether
