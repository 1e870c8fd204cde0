//===--- Accesses.h - which variables a statement reads and writes --------===//
//
// Loop checks ask what changes from one round to the next: a handler that
// writes the state the work reads (a state machine), a call that fills an
// out-argument the work uses (a drain taking the next item). The variable or
// member an expression names is analysis::namedValue's answer.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_ACCESSES_H
#define TETHER_CHECKS_ANALYSIS_ACCESSES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace tether::analysis {

using ValueSet = llvm::SmallPtrSet<const clang::ValueDecl *, 8>;

/// Variables and members \p S assigns, increments or decrements
/// (x = ..., x += ..., ++x, this->state_ = ..., obj = other).
void collectWrites(const clang::Stmt *S, ValueSet &Out);

/// Variables and members \p S declares with, or assigns, the result of a
/// call (`Job job = q.take();`, `job = q.take();`): a new value each time.
void collectFilledByCalls(const clang::Stmt *S, ValueSet &Out);

/// Variables and members \p S hands to a call by non-const reference or
/// pointer (`q.next(job)`, `read(fd, &buf)`): the call may fill them.
void collectOutArguments(const clang::Stmt *S, ValueSet &Out);

/// Adds to \p Vars the variables \p S declares or assigns from a value that
/// reads one of them (`auto r = response(std::move(result));` after
/// `result` is in): values derived from them.
void collectDerived(const clang::Stmt *S, ValueSet &Vars);

/// \p S reads one of \p Vars: names it other than as the target of a
/// plain assignment (`x = 1` does not read x; `x += 1` and `f(x)` do).
bool readsAny(const clang::Stmt *S, const ValueSet &Vars);

} // namespace tether::analysis

#endif
