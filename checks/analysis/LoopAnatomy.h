//===--- LoopAnatomy.h - what a loop polls, and what it does meanwhile ----===//
//
// One walk over a loop (condition, body, increment; not into lambdas) that
// records what a waiting loop is made of: the polls (try_pop, try_lock, an
// atomic load, wait_for(0s)), what it does when a poll comes back empty
// (block, sleep, back off, yield, call code that may block, leave the loop),
// and whether a counter or deadline bounds it. tether-busy-wait and
// tether-sleep-coordination read the same anatomy.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_LOOPANATOMY_H
#define TETHER_CHECKS_ANALYSIS_LOOPANATOMY_H

#include "../model/BlockingModel.h"
#include "AnalysisCache.h"
#include "LoopExits.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>

namespace tether::analysis {

struct PollSite {
  const clang::CallExpr *Call = nullptr; ///< null for a volatile flag read
  model::CallKind Kind = model::CallKind::Poll;
  /// A query of a shared object's state (peek(), size(), a const method)
  /// that an idle loop asks again and again.
  bool Query = false;
  /// A read of a shared volatile flag (`while (!done_) {}`): an atomic read
  /// written the pre-C++11 way, without a call.
  const clang::Expr *Flag = nullptr;
  /// The flag is a plain one read under a lock the loop takes and releases
  /// each round (`{ std::lock_guard g(m); if (ready_) break; }`).
  bool UnderLock = false;
  /// Where the poll is written.
  const clang::Expr *expr() const {
    return Call ? static_cast<const clang::Expr *>(Call) : Flag;
  }
};

struct LoopAnatomy {
  const clang::Stmt *Loop = nullptr;
  /// Non-blocking attempts: try_pop, try_lock, wait_for(0s), empty() on a
  /// shared container.
  llvm::SmallVector<PollSite, 2> Polls;
  /// Atomic reads: polls only when the loop does nothing else.
  llvm::SmallVector<PollSite, 2> WeakPolls;
  const clang::Stmt *Blocking = nullptr; ///< first wait that is not a sleep
  const clang::CallExpr *Sleep = nullptr;
  const clang::CallExpr *Yield = nullptr;
  bool Backoff = false;   ///< a backoff helper, or a delay that grows
  bool Bounded = false;   ///< a counter or deadline ends the loop
  bool SleepVaries = false; ///< the sleep's duration changes in the loop
  /// The loop ends when a poll comes back empty: a drain, not a wait.
  bool ExitsOnFailure = false;
  /// When a poll comes back empty the loop calls code that may block or
  /// that cannot be seen.
  bool FailureUnknown = false;
  /// When a poll comes back empty the loop calls code of this project that
  /// does not wait (it does work between polls).
  bool FailureDoesWork = false;
  /// When a poll comes back empty the loop changes the polled object
  /// itself (ring.drop_oldest() after a failed ring.push(v)): it makes its
  /// own progress and waits for nobody.
  bool FailureServesItself = false;
  bool CompareExchange = false; ///< a lock-free retry loop
  /// Some way around the loop does nothing but re-read flags (atomic or
  /// volatile) and keep time: the work sits behind an `if`
  /// (`if (!paused_) step();`, `if (paused_) continue;`), and while the
  /// flags say "not yet" the thread spins, whatever the work does. No
  /// deadline or counter on that way bounds it.
  bool IdleSpin = false;
  /// The test that skips the work on that way (`!paused_`), if any.
  const clang::Expr *IdleGuard = nullptr;
  llvm::SmallVector<const clang::Stmt *, 2> NestedLoops;
};


/// The anatomy of loops, one walk per loop, shared by every check of the
/// translation unit whose BlockingModel has the same configuration.
class LoopAnalyzer : public SharedAnalysis {
public:
  static const char ID;
  /// The analyzer of \p Ctx's translation unit for \p Model's options.
  static LoopAnalyzer &of(const clang::ASTContext &Ctx,
                          const model::BlockingModel &Model);
  LoopAnalyzer(const model::BlockingModel &Model, const clang::ASTContext &Ctx)
      : Model(Model), Ctx(Ctx) {}
  const LoopAnatomy &get(const clang::Stmt *Loop);

private:
  const model::BlockingModel Model; ///< a copy: it outlives no check
  const clang::ASTContext &Ctx;
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<LoopAnatomy>> Cache;
};

/// The loop spins: it polls and nothing in it blocks, sleeps, backs off or
/// leaves when the poll fails.
bool spins(const LoopAnatomy &A);

/// The loop's only wait is a fixed sleep between polls.
bool sleepPolls(const LoopAnatomy &A);

/// "'queue.try_pop'": the object and the function a poll calls.
std::string describeCall(const clang::CallExpr *Call);

/// How a diagnostic names a poll: describeCall, or "'done_'" for a flag.
std::string describePoll(const PollSite &P);

} // namespace tether::analysis

#endif
