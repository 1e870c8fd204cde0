//===--- BusyWaitCheck.cpp ------------------------------------------------===//

#include "BusyWaitCheck.h"
#include "analysis/BodyWalk.h"
#include "analysis/LoopExits.h"
#include "analysis/Matchers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;
namespace tether {

using model::CallKind;

BusyWaitCheck::BusyWaitCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Library(Options) {}

void BusyWaitCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Library.store(Options, Opts);
}

void BusyWaitCheck::registerMatchers(MatchFinder *Finder) {
  // Blocks holding a loop, matched before the loops in them: which loops
  // run only after a wait or acquire.
  Finder->addMatcher(compoundStmt(unless(isExpansionInSystemHeader()),
                                  analysis::holdsWaitingLoop())
                         .bind("block"),
                     this);
  // if (sema.tryWait()) { while (!q.try_pop(v)) continue; ... }
  Finder->addMatcher(
      ifStmt(unless(isExpansionInSystemHeader()),
             analysis::thenHoldsWaitingLoop())
          .bind("guard"),
      this);
  // Rooted at loops; the body is walked by hand, once per loop.
  analysis::addLoopMatchers(Finder, this);
}

namespace {

/// A call that waits or acquires something a poll after it may take:
/// sema.wait(), sem.acquire(), tryWait(); not a barrier's, a latch's or a
/// join's wait for a phase (a start barrier before a consumer's poll loop).
bool callsWaitOrAcquire(const Stmt *S, const model::BlockingModel &Model) {
  return analysis::anyInBody(S, [&](const Stmt *N) {
    const auto *Call = dyn_cast<CallExpr>(N);
    return Call && !model::BlockingModel::waitsForPhase(Call) &&
           (Model.classifyCall(Call) == CallKind::Blocking ||
            model::BlockingModel::namesWaitOrAcquire(Call));
  });
}

/// The condition a statement tests (an if's, a loop's), or the statement.
const Stmt *conditionOf(const Stmt *S) {
  if (const auto *If = dyn_cast<IfStmt>(S))
    return If->getCond();
  if (isa<WhileStmt, DoStmt, ForStmt>(S))
    return analysis::partsOf(S).Cond;
  return S;
}

enum class PollShape { Queue, Lock, Atomic, Future, Empty, Query };

PollShape shapeOf(const analysis::PollSite &P) {
  if (P.Query)
    return PollShape::Query;
  if (P.Kind == CallKind::AtomicRead)
    return PollShape::Atomic;
  if (P.Kind == CallKind::Emptiness)
    return PollShape::Empty;
  if (model::BlockingModel::isLockAttempt(P.Call))
    return PollShape::Lock;
  if (model::BlockingModel::isWaitAttempt(P.Call))
    return PollShape::Future;
  return PollShape::Queue;
}
} // namespace

void BusyWaitCheck::markLoopsAfterAcquire(const CompoundStmt *CS) {
  bool Acquired = false;
  for (const Stmt *S : CS->body()) {
    bool IsLoop = analysis::isWaitingLoopCandidate(S);
    if (IsLoop && Acquired)
      AfterAcquire.insert(S);
    if (callsWaitOrAcquire(conditionOf(S), Model))
      Acquired = true;
  }
}

void BusyWaitCheck::markLoopsInGuard(const IfStmt *If) {
  if (!callsWaitOrAcquire(If->getCond(), Model))
    return;
  const Stmt *Then = If->getThen();
  if (analysis::isWaitingLoopCandidate(Then))
    AfterAcquire.insert(Then);
  else if (const auto *Block = dyn_cast_or_null<CompoundStmt>(Then))
    for (const Stmt *T : Block->body())
      if (analysis::isWaitingLoopCandidate(T))
        AfterAcquire.insert(T);
}

void BusyWaitCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *CS = Result.Nodes.getNodeAs<CompoundStmt>("block"))
    return markLoopsAfterAcquire(CS);
  if (const auto *If = Result.Nodes.getNodeAs<IfStmt>("guard"))
    return markLoopsInGuard(If);
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>("loop");
  // A test framework's assertion macro (Boost.Test's
  // do { ... } while (dummy_cond())) loops the library's way, not the user's.
  if (!Loop || AfterAcquire.contains(Loop) ||
      analysis::neverRepeats(Loop, *Result.Context) ||
      Library.writtenByLibrary(Loop, *Result.SourceManager))
    return;
  analysis::LoopAnalyzer &Loops =
      analysis::LoopAnalyzer::of(*Result.Context, Model);
  const analysis::LoopAnatomy &A = Loops.get(Loop);
  if (!analysis::spins(A))
    return;
  // Report the innermost spinning loop only.
  for (const Stmt *Nested : A.NestedLoops)
    if (analysis::isWaitingLoopCandidate(Nested) &&
        analysis::spins(Loops.get(Nested)))
      return;
  const SourceManager &SM = *Result.SourceManager;
  SourceLocation Loc = SM.getFileLoc(Loop->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;

  // Name the poll itself: an atomic the loop reads rather than the accessor
  // a query goes through (while (!stop && manager()->ponder) {}).
  const analysis::PollSite *Named = nullptr;
  for (const analysis::PollSite &S : A.Polls)
    if (!S.Query && !Named)
      Named = &S;
  if (!Named && !A.WeakPolls.empty())
    Named = &A.WeakPolls.front();
  const analysis::PollSite &P = Named ? *Named : A.Polls.front();
  // A poll one call away: the poll inside the function the loop calls.
  const CallExpr *Inner =
      P.Call && P.Kind == CallKind::Poll
          ? Model.pollOneCallAway(P.Call->getDirectCallee())
          : nullptr;
  PollShape Shape = shapeOf(P);
  std::string What = analysis::describePoll(P);
  bool Spin = Shape == PollShape::Atomic || Shape == PollShape::Empty ||
              Shape == PollShape::Query;
  if (Inner)
    Shape = shapeOf({Inner, Model.classifyCall(Inner)});
  if (A.Yield)
    diag(Loc, "loop %select{polls|spins on}0 %1 and only yields between "
              "attempts: it burns a core whenever another runnable thread "
              "does not take it")
        << Spin << What;
  else
    diag(Loc, "loop %select{polls|spins on}0 %1 without blocking, sleeping "
              "or backing off: it burns a core while it waits")
        << Spin << What;

  SourceLocation PollLoc = SM.getFileLoc(P.expr()->getExprLoc());
  // The notes that follow are about the poll itself, inside the callee.
  if (Inner) {
    diag(PollLoc, "%0 returns at once with what %1 found; it does not wait",
         DiagnosticIDs::Note)
        << What << analysis::describeCall(Inner);
    What = analysis::describeCall(Inner);
    PollLoc = SM.getFileLoc(Inner->getExprLoc());
  }
  // The work sits behind a test: say which one leaves the loop idle.
  if (A.IdleSpin && A.IdleGuard && A.Polls.empty())
    diag(SM.getFileLoc(A.IdleGuard->getBeginLoc()),
         "when this test skips the work, the loop does nothing but re-read its "
         "flags",
         DiagnosticIDs::Note);
  switch (Shape) {
  case PollShape::Lock:
    diag(PollLoc, "%0 fails at once while another thread holds the lock, and "
                  "the loop retries immediately",
         DiagnosticIDs::Note)
        << What;
    diag(Loc, "take the lock with a blocking lock(), or spin a bounded number "
              "of times and then block",
         DiagnosticIDs::Note);
    break;
  case PollShape::Atomic:
    diag(PollLoc, "%0 is re-read at full speed until another thread changes "
                  "it",
         DiagnosticIDs::Note)
        << What;
    if (P.UnderLock)
      diag(Loc, "the lock makes each read safe but wakes nobody: wait on a "
                "std::condition_variable with that lock, and notify it where "
                "%0 is set",
           DiagnosticIDs::Note)
          << What;
    else if (P.Flag)
      diag(Loc, "volatile does not synchronise threads: make %0 a std::atomic "
                "and let the waiting thread sleep until it changes "
                "(atomic::wait, a condition variable, a std::latch)",
           DiagnosticIDs::Note)
          << What;
    else
      diag(Loc, "let the waiting thread sleep until the value changes: "
                "atomic::wait (C++20), a condition variable, a std::latch or "
                "a future",
           DiagnosticIDs::Note);
    break;
  case PollShape::Empty:
    diag(PollLoc, "%0 is re-checked at full speed until another thread adds "
                  "work",
         DiagnosticIDs::Note)
        << What;
    diag(Loc, "wait on a condition variable the producer notifies, or use a "
              "queue whose pop blocks",
         DiagnosticIDs::Note);
    break;
  case PollShape::Query:
    diag(PollLoc, "%0 is asked again at full speed, and only another thread "
                  "can change its answer",
         DiagnosticIDs::Note)
        << What;
    diag(Loc, "wait on a condition variable the other thread notifies, "
              "atomic::wait (C++20), or a queue whose pop blocks",
         DiagnosticIDs::Note);
    break;
  case PollShape::Future:
    diag(PollLoc, "%0 with a zero (or sub-millisecond) timeout returns at once, and the loop "
                  "retries immediately",
         DiagnosticIDs::Note)
        << What;
    diag(Loc, "block in the wait (get(), wait(), or a real timeout) instead "
              "of polling it",
         DiagnosticIDs::Note);
    break;
  case PollShape::Queue:
    diag(PollLoc, "%0 returns at once when there is nothing to take, and the "
                  "loop retries immediately",
         DiagnosticIDs::Note)
        << What;
    diag(Loc, "block when the poll comes back empty (a blocking pop or "
              "receive, a condition variable wait, a receive with a timeout), "
              "or spin a bounded number of times first",
         DiagnosticIDs::Note);
    break;
  }
}

} // namespace tether
