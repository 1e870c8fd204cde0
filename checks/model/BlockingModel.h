//===--- BlockingModel.h - what blocks, sleeps, polls or backs off --------===//
//
// tether-busy-wait and tether-sleep-coordination ask the model what a call
// does to the calling thread: does it wait for another thread (a condition
// variable, a join, a blocking pop, blocking I/O), give up the CPU for a fixed
// time (a sleep), or return at once whatever the state (a poll: try_pop,
// try_lock, an atomic load, wait_for(0s))?
//
// Every list is built in and extendable through CheckOptions
// (BlockingFunctions, PollingFunctions, SleepFunctions, BackoffFunctions,
// QueryFunctions),
// ';'-separated, read locally first and then globally. An entry
//   - with an inner '::' ("acme::Queue::take") names one function exactly;
//   - starting with '::' ("::usleep") names a function at global scope;
//   - without '::' ("take") names every function or method of that name.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_BLOCKINGMODEL_H
#define TETHER_CHECKS_MODEL_BLOCKINGMODEL_H

#include "ConcurrencyModel.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

namespace tether::model {

/// What one call does to the thread that makes it.
enum class CallKind : unsigned char {
  User,            ///< code in this project: ask effectOf()
  Trivial,         ///< library code known not to wait
  Poll,            ///< a non-blocking attempt: try_pop, try_lock, wait_for(0s)
  AtomicRead,      ///< an atomic load/test/exchange: a poll only in a spin
  Emptiness,       ///< empty(): a poll when the container is shared
  CompareExchange, ///< a lock-free retry, not a wait
  Blocking,        ///< waits for another thread or for I/O
  Sleep,           ///< gives up the CPU for a fixed time
  Yield,           ///< std::this_thread::yield and friends
  Pause,           ///< a CPU pause hint (_mm_pause)
  Backoff,         ///< a backoff helper
  Opaque,          ///< runs code nobody can see: std::function, pointers
};

/// What calling a function of this project can do (its visible body,
/// followed a few calls deep).
enum Effect : unsigned {
  NoWait = 0,          ///< does not wait
  MayBlock = 1u << 0,  ///< reaches a blocking call, sleep or backoff
  Unknown = 1u << 1,   ///< reaches code that cannot be seen
  OnlyPauses = 1u << 2 ///< a cpu_relax() helper: pauses, or nothing at all
};

class BlockingModel {
public:
  explicit BlockingModel(clang::tidy::ClangTidyCheck::OptionsView &Options);
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;
  /// The options this model was read with (see configKeyOf).
  std::string configKey() const;

  /// The kind of a function, by name (cached per declaration). Timed waits
  /// come back as Blocking; classifyCall() looks at their timeout.
  CallKind classify(const clang::FunctionDecl *FD) const;

  /// The kind of one call expression: a timed wait with a zero timeout is a
  /// Poll, calls through pointers and std::function are Opaque, and calls in
  /// a template pattern are classified by the name they spell.
  CallKind classifyCall(const clang::CallExpr *Call) const;

  /// Effect of calling a function of this project (cached).
  unsigned effectOf(const clang::FunctionDecl *FD) const;

  /// The poll is try_lock-like (a lock attempt), for the fix note.
  static bool isLockAttempt(const clang::CallExpr *Call);
  /// The poll is a wait with a zero timeout (wait_for(0s), poll(2),
  /// epoll_wait), for the fix note.
  static bool isWaitAttempt(const clang::CallExpr *Call);
  /// A method whose name's verb moves an item (pop, push, steal, dequeue,
  /// enqueue, take, put, offer, receive, recv, send, consume, produce;
  /// also after try_ and bulk_) and whose result says whether it worked (a
  /// bool, a pointer, an optional; a bulk method's count). classify()
  /// makes it a Poll when the method is the project's own and its body
  /// never waits.
  static bool isTransferAttempt(const clang::FunctionDecl *FD);
  static llvm::ArrayRef<llvm::StringRef> transferVerbs();
  /// The name's verb, after try_ and bulk_, moves an item (push, try_pop,
  /// bulk_dequeue): the name half of isTransferAttempt.
  static bool namesTransfer(llvm::StringRef Name);
  /// The name's verb takes an item off (pop, try_pop, value_pop, dequeue,
  /// steal, take, receive, consume): the receiving half of namesTransfer.
  static bool namesTake(llvm::StringRef Name);
  /// The callee's name has waiting or acquiring as its verb (sema.wait(),
  /// sem.acquire(), tryWait(), try_acquire_for(), wait_dequeue()), also in
  /// a template pattern; prepare_wait() or num_waiters() do not.
  static bool namesWaitOrAcquire(const clang::CallExpr *Call);
  static bool namesWaitOrAcquire(llvm::StringRef Name);
  /// The name's first word is "try" (try_run_one_task(), tryPop(),
  /// TryTake()), not a word that only starts with it (trycount()).
  static bool namesAttempt(llvm::StringRef Name);
  /// A function of the project that makes a poll of something it does not
  /// own (a member's try_pop, a parameter's wait_for(0s), a shared queue's
  /// empty()) and whose result says whether it got something (a bool, a
  /// pointer, an optional), named as an attempt rather than a state: a
  /// poll one call away: returns that poll (the first), or null.
  /// classify() makes the function a Poll when its body never waits.
  const clang::CallExpr *pollReturned(const clang::FunctionDecl *FD) const;
  /// The poll inside \p FD when FD is a Poll only because of it (not by its
  /// name: try_pop, a transfer attempt), or null.
  const clang::CallExpr *pollOneCallAway(const clang::FunctionDecl *FD) const;
  /// Waits on or arms a timer (Asio's async_wait, expires_after,
  /// expires_at, expires_from_now): a delay on an asynchronous path.
  static bool armsTimer(const clang::CallExpr *Call);
  /// The T of std::atomic<T> (any class template named atomic), or null.
  static clang::QualType atomicValueType(clang::QualType T);
  /// cv.wait(...), wait_for, wait_until on a standard, Boost or Boost.Fiber
  /// condition variable.
  static bool isConditionWait(const clang::CXXMemberCallExpr *Call);
  /// A condition wait that suspends only the calling fiber (Boost.Fiber's
  /// condition variables): the thread's other fibers go on running, which a
  /// std::latch or std::condition_variable in its place would stop.
  static bool isFiberConditionWait(const clang::CXXMemberCallExpr *Call);
  /// After `cv.wait(lock, [&] { return ready(); })` returns, the predicate
  /// holds: the condition the predicate returns (`ready()`), when \p S is
  /// such a wait on a condition variable (the standard's, Boost's, Boost
  /// Fiber's) with a lambda whose body is one return. wait_for and
  /// wait_until give up at their deadline, so they establish nothing.
  static const clang::Expr *conditionWaitedFor(const clang::Stmt *S);
  /// A wait for a phase, not for an item: a barrier's or latch's wait
  /// (`start.wait()`, `sync.arrive_and_wait()`, the class named so, the
  /// standard's, Boost's or the project's) or a thread's join. It reserves
  /// nothing a poll after it could take, as a semaphore's acquire does.
  static bool waitsForPhase(const clang::CallExpr *Call);
  /// counter.fetch_sub(n): an atomic decrement.
  static bool isAtomicDecrement(const clang::CXXMethodDecl *M);
  /// An atomic's store(value): a write of the value.
  static bool isAtomicStore(const clang::CXXMemberCallExpr *Call);
  /// A POSIX transfer (read, recv, send, accept, ...) that fails with EAGAIN
  /// instead of blocking when its descriptor is non-blocking.
  static bool mayReportWouldBlock(const clang::CallExpr *Call);
  /// The call reads errno (__errno_location and its spellings): a loop
  /// whose condition tests it retries an interrupted call.
  static bool readsErrno(const clang::CallExpr *Call);
  /// A query of its object's state that changes nothing: a const method, a
  /// method named try_..., or one of QueryFunctions (front, peek, size,
  /// empty, ...). A loop that only asks it waits for another thread.
  bool isQuery(const clang::CallExpr *Call) const;
  /// The call is a timed wait (wait_for, try_lock_for, poll(2)...).
  bool isTimedWait(const clang::FunctionDecl *FD) const;
  /// The call waits with no deadline: a blocking call (classifyCall) that
  /// takes no timeout (a channel's pop, a future's get, a join), or an
  /// asynchronous operation whose token made it wait (waitsForCompletion: a
  /// fiber's or a stackful coroutine's yield), which waits for its I/O
  /// however long it takes.
  bool waitsWithoutDeadline(const clang::CallExpr *Call) const;
  /// The call runs code nobody can see: through a pointer or a virtual, or
  /// a function of the project defined in another file.
  bool runsUnseenCode(const clang::CallExpr *Call) const;

  /// Matches the sleep functions, for matchers.
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  sleepFunction() const;

private:
  struct Names {
    llvm::StringSet<> Exact;   ///< qualified names
    llvm::StringSet<> Anywhere; ///< unqualified names
    bool contains(const clang::FunctionDecl *FD,
                  llvm::StringRef Qualified) const;
    bool containsName(llvm::StringRef Name) const {
      return Anywhere.contains(Name);
    }
  };
  static void fill(Names &N, const NameList &L);
  CallKind classifyUncached(const clang::FunctionDecl *FD) const;
  CallKind classifyByName(llvm::StringRef Name) const;
  unsigned effectOfBody(const clang::Stmt *S, unsigned Depth) const;
  unsigned effectOf(const clang::FunctionDecl *FD, unsigned Depth) const;

  NameList Blocking, Polling, Sleeps, Backoffs, Queries;
  Names BlockingN, PollingN, SleepN, BackoffN, TimedN, YieldN, PauseN, QueryN;
  mutable llvm::DenseMap<const clang::FunctionDecl *, CallKind> KindCache;
  mutable llvm::DenseMap<const clang::FunctionDecl *, unsigned> EffectCache;
};

/// The duration or timeout \p E makes a timed wait return at once: zero
/// (0s, 0ms, duration::zero(), milliseconds{}, an integer 0), "now"
/// (wait_until(clock::now())), or a constant duration under a millisecond
/// (wait_for(1us): below the scheduler's timer slack, a wait that long is a
/// poll).
bool isPollingTimeout(const clang::Expr *E, const clang::ASTContext *Ctx);

} // namespace tether::model

#endif
