//===--- BodyWalk.h - walking one body, not the bodies inside it ----------===//
//
// The one walk over a function or loop body: every statement under a root,
// in source order (preorder), without entering the lambdas written in it
// (they are other bodies, run elsewhere) unless asked, and without entering
// local classes. It needs no parent map and no recursion (deep expressions
// cannot overflow the stack). A walk that keeps state along the way (a held
// lock, an enclosing try, a chain of handlers) is a different traversal and
// is written where it is used.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_BODYWALK_H
#define TETHER_CHECKS_ANALYSIS_BODYWALK_H

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>

namespace tether::analysis {

/// What a walk does at a lambda (or block) expression. The visitor is called
/// on the lambda itself in every mode (its captures are there to read).
enum class Lambdas {
  Skip,     ///< neither its captures' initialisers nor its body
  Captures, ///< its init-captures (`[t = std::move(t)]`: the enclosing
            ///< function evaluates them), not its body
  Enter,    ///< everything: captures and body (a writer in a callback)
};

/// Calls \p F for every statement under \p S (inclusive), in source order.
/// \p F returns false to skip the children of a statement.
void walkBody(const clang::Stmt *S,
              llvm::function_ref<bool(const clang::Stmt *)> F,
              Lambdas L = Lambdas::Skip);

/// The first statement under \p S (inclusive, source order) \p Pred
/// accepts, or null. The walk stops there.
const clang::Stmt *findInBody(const clang::Stmt *S,
                              llvm::function_ref<bool(const clang::Stmt *)> Pred,
                              Lambdas L = Lambdas::Skip);

/// Some statement under \p S (inclusive) is one \p Pred accepts.
inline bool anyInBody(const clang::Stmt *S,
                      llvm::function_ref<bool(const clang::Stmt *)> Pred,
                      Lambdas L = Lambdas::Skip) {
  return findInBody(S, Pred, L) != nullptr;
}

/// The expression contains a call to std::thread::hardware_concurrency (or
/// any function of that name).
bool mentionsHardwareConcurrency(const clang::Expr *E);

/// The name a diagnostic uses for the callee of \p E, or "".
std::string calleeName(const clang::Expr *E);

} // namespace tether::analysis

#endif
