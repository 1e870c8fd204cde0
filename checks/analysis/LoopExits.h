//===--- LoopExits.h - the loops of a body, their parts, how they end -----===//
//
// Small AST walks (no CFG) over a candidate body: its loops, the parts of a
// loop (the one place that takes a for, range-for, while or do apart),
// whether a loop is unconditional (while (true), for (;;)) or bounded (a
// range for, a counted for), and the statements that leave it for good
// (return, break out of this loop, throw, goto, a call that never returns).
// Lambda bodies inside the walked body are not entered: they run elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_LOOPEXITS_H
#define TETHER_CHECKS_ANALYSIS_LOOPEXITS_H

#include "../model/StopModel.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"
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

/// A loop a library's macro writes around the user's expression, not one
/// the user wrote: its keyword and the start of its body both come from a
/// macro defined in a system header (Boost.Log's `BOOST_LOG_TRIVIAL(info)
/// << ...` is a one-shot `for` over the log record). A macro that loops
/// over the user's body (`BOOST_FOREACH(x, v) { ... }`) is not one.
bool isLibraryMacroLoop(const clang::Stmt *Loop, const clang::SourceManager &SM);

/// The statement is a loop (for, range-for, while, do).
bool isLoop(const clang::Stmt *S);

/// A while, do or for loop (not a range-for, which its range bounds): a loop
/// that can wait for another thread.
bool isWaitingLoopCandidate(const clang::Stmt *S);

/// What a loop is made of. Parts a kind of loop does not have are null.
struct LoopParts {
  const clang::Stmt *Init = nullptr;     ///< for (init; ...), for (init; x : r)
  const clang::Expr *Cond = nullptr;     ///< while, do, for
  /// while (auto x = next()), for (; auto x = next();): the variable; Cond
  /// is then the test clang makes of it.
  const clang::VarDecl *CondVar = nullptr;
  const clang::Expr *Inc = nullptr;      ///< for (...; ...; inc)
  const clang::Expr *RangeInit = nullptr; ///< for (x : range)
  const clang::Stmt *Body = nullptr;
};

/// The parts of \p Loop (all null when it is not a loop).
LoopParts partsOf(const clang::Stmt *Loop);

/// No condition, or one that is a constant true: while (true), for (;;),
/// do { } while (1).
bool isUnconditional(const clang::Stmt *Loop, const clang::ASTContext &Ctx);

/// Runs its body at most once: a condition that is constant false, as in
/// the macro idiom `do { ... } while (0)`. Not a loop at all.
bool neverRepeats(const clang::Stmt *Loop, const clang::ASTContext &Ctx);

/// Ends once the clock passes a deadline: its condition compares the time
/// (`for (auto d = now() + t; go_on && now() < d;)`), alone or as one
/// operand of an &&, or an exit in its body is guarded so (`if
/// (clock::now() >= deadline) break;`).
bool endsAtDeadline(const clang::Stmt *Loop);

/// Ends by construction: a range for, a for with a condition and an
/// increment (for (int i = 0; i < n; ++i)), or a loop that ends at a
/// deadline (endsAtDeadline).
bool isBounded(const clang::Stmt *Loop);

/// Control never reaches what follows \p S: a return, throw, goto,
/// co_return, or a call that never returns. A break or continue leaves only
/// the innermost loop or switch: the caller weighs those.
bool neverFallsThrough(const clang::Stmt *S);

/// How a branch of a loop's body ends, by its last statement.
enum class BranchEnd {
  FallsThrough,  ///< what follows the branch runs next
  NextIteration, ///< continue
  LeavesLoop,    ///< break, or neverFallsThrough
};

/// How \p Branch (the arm of an `if`, a block) ends. \p OwnsBreaks: a break
/// or continue there is the loop's own, not a nested loop's or switch's.
BranchEnd branchEnd(const clang::Stmt *Branch, bool OwnsBreaks);

/// \p S is an early way out of its block: an `if` with no else whose branch
/// does not fall through (`if (!id) continue;`, `if (f.wait_for(d) !=
/// ready) return;`, a break or a throw). The statements after it in the same
/// block run only when its condition was false.
bool isEarlyExit(const clang::Stmt *S);

/// A statement that leaves a loop, and the condition of the innermost `if`
/// (inside the loop) it sits under: `if (ec) break;` -> {break, ec}.
struct LoopExitSite {
  const clang::Stmt *Exit = nullptr;
  const clang::Expr *Guard = nullptr; ///< null: unguarded in the loop body
};

/// The one exit walker. Calls \p F, in source order, for every statement in
/// \p S that leaves the loop \p S is (or is in): a return, a throw, a goto,
/// co_return, a call that ends the thread (StopModel::endsThread), and, when
/// \p Breaks, a break that is not a nested loop's or switch's. \p F returns
/// false to stop. Lambdas are not entered.
void forEachExit(const clang::Stmt *S, bool Breaks,
                 llvm::function_ref<bool(const LoopExitSite &)> F);

/// Every statement that leaves \p Loop, in source order, each with its
/// guard. The condition and increment are searched for calls that never
/// return, the body also for breaks.
void collectExits(const clang::Stmt *Loop,
                  llvm::SmallVectorImpl<LoopExitSite> &Out);

/// The first statement collectExits would find, or null.
const clang::Stmt *findExit(const clang::Stmt *Loop);

/// \p Loop transfers data over a socket or stream with an operation that
/// throws its failure (model::transferThrowsWhenPeerLeaves), outside any
/// `try` of the loop's own: a session loop (`for (;;) { n =
/// socket.read_some(buf); write(socket, buffer(buf, n)); }`) that ends by
/// that exception when its peer leaves.
bool endsWhenPeerLeaves(const clang::Stmt *Loop);

/// The loop's condition reads only local scalars of \p FD (its own, not an
/// enclosing function's) that nothing writes once the loop starts and that never
/// escape (no address taken, no reference bound, no lambda capture), and
/// calls nothing: if the loop is entered, only an exit in its body ends it
/// (clang-tidy's bugprone-infinite-loop rule).
bool conditionNeverChanges(const clang::Stmt *Loop,
                           const clang::FunctionDecl *FD);

} // namespace tether::analysis

#endif
