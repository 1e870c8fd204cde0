//===--- Describe.cpp -----------------------------------------------------===//

#include "Describe.h"
#include "clang/AST/ExprCXX.h"
#include "../model/ThreadSpawn.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace tether::analysis {

/// Through wrappers, std::move(t) and std::forward<T>(t).
static const Expr *strip(const Expr *E) {
  E = model::peelWrappers(E);
  if (const auto *C = dyn_cast_or_null<CallExpr>(E))
    if (C->getNumArgs() == 1 && model::passesObjectThrough(C))
      return model::peelWrappers(C->getArg(0));
  return E;
}

const NamedDecl *namedHandle(const Expr *E) {
  E = strip(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

const ValueDecl *namedValue(const Expr *E) {
  return dyn_cast_or_null<ValueDecl>(namedHandle(E));
}

const ValueDecl *readValue(const Expr *E) {
  E = model::peelWrappers(E);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E))
    if (llvm::all_of(MC->arguments(),
                     [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
      E = MC->getImplicitObjectArgument();
  return namedValue(E);
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

std::string describeThread(const Expr *E, llvm::StringRef Kind) {
  const Expr *S = strip(E);
  if (const NamedDecl *ND = namedHandle(S))
    return (Kind + " '" + ND->getNameAsString() + "'").str();
  if (const NamedDecl *C = containerOf(S))
    return (Kind + " in '" + C->getNameAsString() + "'").str();
  if (model::underlyingConstruct(S))
    return ("temporary " + Kind).str();
  if (const auto *C = dyn_cast<CallExpr>(S);
      C && model::ConcurrencyModel::isCallingThread(C->getDirectCallee()))
    return "the calling thread";
  return Kind.str();
}

} // namespace tether::analysis
