//===--- Matchers.h - small AST matchers shared by tether's checks --------===//

#ifndef TETHER_CHECKS_ANALYSIS_MATCHERS_H
#define TETHER_CHECKS_ANALYSIS_MATCHERS_H

#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchers.h"

namespace tether::analysis {

/// A lambda one of whose parameters matches \p Inner (a jthread body that
/// takes a std::stop_token).
AST_MATCHER_P(clang::LambdaExpr, lambdaHasParam,
              clang::ast_matchers::internal::Matcher<clang::ParmVarDecl>,
              Inner) {
  const clang::CXXMethodDecl *Call = Node.getCallOperator();
  if (!Call)
    return false;
  for (const clang::ParmVarDecl *P : Call->parameters())
    if (Inner.matches(*P, Finder, Builder))
      return true;
  return false;
}

} // namespace tether::analysis

#endif
