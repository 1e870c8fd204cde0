//===--- Describe.h - what an expression names, and how to say it ---------===//
//
// The one answer to "which variable or member does this expression name"
// (namedHandle, namedValue, readValue), and how a diagnostic names the
// thread an expression denotes.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_DESCRIBE_H
#define TETHER_CHECKS_ANALYSIS_DESCRIBE_H

#include "clang/AST/Expr.h"
#include <string>

namespace tether::analysis {

/// The variable or member an expression names (x, this->x, obj.x), looking
/// through the wrappers model::peelWrappers peels and through std::move and
/// std::forward. Null for anything computed.
const clang::NamedDecl *namedHandle(const clang::Expr *E);

/// namedHandle, when it names a value (a variable, member or parameter).
const clang::ValueDecl *namedValue(const clang::Expr *E);

/// The variable or member \p E reads: what namedValue names, or the object
/// of a query on it that takes no arguments (x.load(), an atomic's
/// conversion to its value, token.stop_requested()).
const clang::ValueDecl *readValue(const clang::Expr *E);

/// "thread 'worker'", "thread in 'pool_'", "temporary thread",
/// "the calling thread": how a diagnostic names the thread \p E denotes.
/// \p Kind is what the task is called ("fiber": "fiber 'reader'").
std::string describeThread(const clang::Expr *E,
                           llvm::StringRef Kind = "thread");

} // namespace tether::analysis

#endif
