//===--- Matchers.h - small AST matchers and predicates shared by checks -===//

#ifndef TETHER_CHECKS_ANALYSIS_MATCHERS_H
#define TETHER_CHECKS_ANALYSIS_MATCHERS_H

#include "clang/AST/DeclTemplate.h"
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

/// Is \p DC written inside a template: a dependent context, an
/// instantiated function or class, or a lambda in one? Checks whose verdict
/// depends on types leave such code alone.
inline bool inTemplate(const clang::DeclContext *DC) {
  for (unsigned Steps = 0; DC && Steps < 16; ++Steps, DC = DC->getParent()) {
    if (DC->isDependentContext() ||
        llvm::isa<clang::ClassTemplateSpecializationDecl>(DC))
      return true;
    if (const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(DC);
        FD && FD->getTemplateInstantiationPattern())
      return true;
  }
  return false;
}

} // namespace tether::analysis

#endif
