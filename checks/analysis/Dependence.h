//===--- Dependence.h - what a condition's value depends on ---------------===//
//
// A `throw` guarded by `if (!state_)` in a method fires only when a caller
// breaks the object's contract (uses it after a move, sets a promise twice);
// a `throw` guarded by `if (len < 0)` on a parameter, or by the result of
// read(), fires on the data or the environment the program meets. Checks
// that ask "can this really happen" tell the two apart here.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_DEPENDENCE_H
#define TETHER_CHECKS_ANALYSIS_DEPENDENCE_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

namespace tether::analysis {

/// What a value depends on, from weakest to strongest.
enum class Dependence {
  Constant,    ///< literals, enumerators, constexpr values
  OwnState,    ///< the object's own members (`state_`, `this->valid()`)
  Input,       ///< the function's parameters, or locals it cannot trace
  Environment, ///< globals, calls to other functions (I/O, errno, clocks)
};

/// The strongest dependence among the parts of \p E, evaluated inside the
/// function \p FD (locals are traced to their initialisers in \p FD).
Dependence dependenceOf(const clang::Expr *E, const clang::FunctionDecl *FD);

/// \p Cond only tests whether an argument was given: a parameter compared
/// with null or tested for emptiness (`!p`, `p == nullptr`,
/// `!static_cast<bool>(ep)`, `!fn`). A throw under it reports a caller that
/// broke the contract (passed nothing), not a failure the program meets.
bool testsArgumentPresence(const clang::Expr *Cond);

/// \p Cond, in \p FD, tests error codes and each is one a wait on a timer
/// handed back (`auto [ec] = co_await timer.async_wait(as_tuple(...))`, or a
/// local only `redirect_error(token, ec)` or `yield[ec]` of such waits
/// write): a timer's wait fails only when cancelled, so a throw under it
/// reports a stop someone asked for, not a failure the program meets.
bool testsCancelledWaitError(const clang::Expr *Cond,
                             const clang::FunctionDecl *FD);

} // namespace tether::analysis

#endif
