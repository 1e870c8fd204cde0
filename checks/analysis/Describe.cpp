//===--- Describe.cpp -----------------------------------------------------===//

#include "Describe.h"
#include "clang/AST/ExprCXX.h"
#include "../model/ThreadSpawn.h"

using namespace clang;

namespace tether::analysis {

static const Expr *strip(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  // std::move(t).detach(), std::ref(t)
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (C->getNumArgs() == 1 && C->getDirectCallee() &&
        C->getDirectCallee()->getDeclName().isIdentifier() &&
        (C->getDirectCallee()->getName() == "move" ||
         C->getDirectCallee()->getName() == "forward"))
      return C->getArg(0)->IgnoreParenImpCasts();
  return E;
}

const NamedDecl *namedHandle(const Expr *E) {
  if (!E)
    return nullptr;
  E = strip(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// The container an element expression comes from: threads[i], *it,
/// threads.back(), threads.at(i).
static const NamedDecl *containerOf(const Expr *E) {
  E = strip(E);
  const Expr *Base = nullptr;
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    Base = AS->getBase();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() > 0)
      Base = Op->getArg(0);
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    Base = MC->getImplicitObjectArgument();
  }
  return Base ? namedHandle(Base) : nullptr;
}

std::string describeThread(const Expr *E) {
  const Expr *S = strip(E);
  if (const NamedDecl *ND = namedHandle(S))
    return "thread '" + ND->getNameAsString() + "'";
  if (const NamedDecl *C = containerOf(S))
    return "thread in '" + C->getNameAsString() + "'";
  if (model::underlyingConstruct(S))
    return "temporary thread";
  if (const auto *C = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = C->getDirectCallee())
      if (FD->getDeclName().isIdentifier() && FD->getName() == "pthread_self")
        return "the calling thread";
  return "thread";
}

} // namespace tether::analysis
