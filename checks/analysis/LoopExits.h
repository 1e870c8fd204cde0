//===--- LoopExits.h - the loops of a body and how they can end ------------===//
//
// Small AST walks (no CFG) over a candidate body: its loops, whether a loop
// is unconditional (while (true), for (;;)) or bounded (a range for, a
// counted for), and the first statement that leaves it for good (return,
// break out of this loop, throw, goto, a call that never returns).
// Lambda bodies inside the walked body are not entered: they run elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_LOOPEXITS_H
#define TETHER_CHECKS_ANALYSIS_LOOPEXITS_H

#include "../model/StopModel.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/SmallVector.h"

namespace tether::analysis {

struct LoopSite {
  const clang::Stmt *Loop = nullptr;
  /// Inside the try block of a try statement of the same body: an exception
  /// thrown by a callee (a closed queue, an interrupt) can end the loop.
  bool InTry = false;
  /// Nested inside another loop of the body.
  bool Nested = false;
};

/// Every while, do, for and range-for loop in \p Body, outermost first.
void collectLoops(const clang::Stmt *Body,
                  llvm::SmallVectorImpl<LoopSite> &Out);

/// The statement is a loop (for, range-for, while, do).
bool isLoop(const clang::Stmt *S);
const clang::Expr *loopConditionOf(const clang::Stmt *Loop);
const clang::Stmt *loopBodyOf(const clang::Stmt *Loop);

/// No condition, or one that is a constant true: while (true), for (;;),
/// do { } while (1).
bool isUnconditional(const clang::Stmt *Loop, const clang::ASTContext &Ctx);

/// Runs its body at most once: a condition that is constant false, as in
/// the macro idiom `do { ... } while (0)`. Not a loop at all.
bool neverRepeats(const clang::Stmt *Loop, const clang::ASTContext &Ctx);

/// Ends by construction: a range for, or a for with a condition and an
/// increment (for (int i = 0; i < n; ++i)).
bool isBounded(const clang::Stmt *Loop);

/// The first statement in \p Loop that leaves it: a return, a break of this
/// loop (not of a nested loop or switch), a throw, a goto, co_return, or a
/// call \p Stop says ends the thread. Null if none.
const clang::Stmt *findExit(const clang::Stmt *Loop,
                            const model::StopModel &Stop);

/// A statement that leaves a loop, and the condition of the innermost `if`
/// (inside the loop) it sits under: `if (ec) break;` -> {break, ec}.
struct LoopExitSite {
  const clang::Stmt *Exit = nullptr;
  const clang::Expr *Guard = nullptr; ///< null: unguarded in the loop body
};

/// Every statement that leaves \p Loop (as findExit counts them), in
/// source order, each with its guard. The condition and increment are not
/// searched for breaks, only for calls that never return (unguarded).
void collectExits(const clang::Stmt *Loop, const model::StopModel &Stop,
                  llvm::SmallVectorImpl<LoopExitSite> &Out);

} // namespace tether::analysis

#endif
