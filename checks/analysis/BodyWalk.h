//===--- BodyWalk.h - walking one body, not the bodies inside it ----------===//
//
// tether-unbounded-spawn and tether-restart-without-backoff match loops and
// walk their bodies themselves: a walk that stops at lambdas (another body)
// and, when asked, at nested loops (they are matched on their own) visits
// every statement of a function about once, and needs no parent map. The
// loop vocabulary (isLoop, loopBodyOf) is in LoopExits.h.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_BODYWALK_H
#define TETHER_CHECKS_ANALYSIS_BODYWALK_H

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>

namespace tether::analysis {

/// Calls \p F for every statement under \p S (inclusive), without entering
/// lambda bodies, blocks or local classes. \p F returns false to skip the
/// children of a statement.
void walkBody(const clang::Stmt *S,
              llvm::function_ref<bool(const clang::Stmt *)> F);

/// The expression contains a call to std::thread::hardware_concurrency (or
/// any function of that name).
bool mentionsHardwareConcurrency(const clang::Expr *E);

/// The name a diagnostic uses for the callee of \p E, or "".
std::string calleeName(const clang::Expr *E);

} // namespace tether::analysis

#endif
