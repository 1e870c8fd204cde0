//===--- Describe.h - name the thing a diagnostic is about ----------------===//

#ifndef TETHER_CHECKS_ANALYSIS_DESCRIBE_H
#define TETHER_CHECKS_ANALYSIS_DESCRIBE_H

#include "clang/AST/Expr.h"
#include <string>

namespace tether::analysis {

/// The variable, member or container an expression names, if any.
const clang::NamedDecl *namedHandle(const clang::Expr *E);

/// "thread 'worker'", "thread in 'pool_'", "temporary thread",
/// "the calling thread": how a diagnostic names the thread \p E denotes.
std::string describeThread(const clang::Expr *E);

} // namespace tether::analysis

#endif
