//===--- ThreadEntries.h - the code that runs as a thread or task body -----===//
//
// A thread entry is the callable a spawn runs: a lambda, a function, a
// member function (&C::run, this) or a function object handed to
// std::thread, std::jthread, boost::thread, std::async, pthread_create or a
// configured task spawner. Checks that reason about what a body does
// (does its loop watch for a stop? does it hand its token on?) start here.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_THREADENTRIES_H
#define TETHER_CHECKS_ANALYSIS_THREADENTRIES_H

#include "../model/BlockingModel.h"
#include "../model/ChannelModel.h"
#include "../model/ThreadSpawn.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/SmallVector.h"

namespace tether::analysis {

enum class SpawnKind {
  Thread,  ///< a thread class constructed (std::thread, std::jthread, ...)
  Task,    ///< a task spawner call (std::async, pool submit)
  CThread, ///< pthread_create and configured C creators
};

struct Spawn {
  model::ThreadSpawn S;
  SpawnKind Kind = SpawnKind::Thread;
  bool Joining = false; ///< the thread joins itself (std::jthread)
  /// std::async(std::launch::deferred, f): nothing runs until someone waits.
  bool Deferred = false;
  /// What holds the new work, when it is visible: the variable or member a
  /// statement initialises or assigns (spawnIn), the container emplace adds
  /// to, the pthread_t pthread_create writes.
  const clang::NamedDecl *Handle = nullptr;
  /// The class or function that starts it, for messages: "std::jthread".
  std::string What;
};

/// The one spawn detection. The spawn \p E is, if it starts concurrent
/// work: a thread construction, a task spawner call, pthread_create, or
/// emplace_back/emplace on a container of threads (the thread is
/// constructed inside the container).
std::optional<Spawn> spawnAt(const clang::Expr *E,
                             const model::ConcurrencyModel &Model);

/// The spawn a statement of a body makes, with the handle it writes:
/// `std::thread t(f);`, `auto fut = std::async(f);`, `t = std::thread(f);`,
/// `pthread_create(&tid, ...)`, `std::thread(f).detach();`,
/// `workers.emplace_back(f);`, `workers.push_back(std::thread(f));`. In a
/// template pattern, a thread constructed with dependent arguments counts.
std::optional<Spawn> spawnIn(const clang::Stmt *S,
                             const model::ConcurrencyModel &Model);

/// The task spawner call an initialiser is made from, looking through
/// wrappers and conversions (std::shared_future f = std::async(...)).
const clang::CallExpr *taskSpawnerCall(const clang::Expr *Init,
                                       const model::ConcurrencyModel &Model);

/// Registers, bound to "spawn", every expression spawnAt may accept: thread
/// constructions (classes derived from one too), thread-create and
/// task-spawner calls, and emplace calls (spawnAt keeps those on containers
/// of threads). Nothing in system headers.
void addSpawnMatchers(clang::ast_matchers::MatchFinder *Finder,
                      clang::ast_matchers::MatchFinder::MatchCallback *CB,
                      const model::ConcurrencyModel &Model);

/// Every spawn in \p Body, in source order. Lambda bodies are not entered
/// (a lambda passed as the callable is still seen as part of the spawn;
/// the initialisers of its captures are the enclosing function's).
void findSpawns(const clang::Stmt *Body, const model::ConcurrencyModel &Model,
                llvm::SmallVectorImpl<Spawn> &Out);

/// The spawn every element of a container is, when \p Element names the
/// loop variable of a range-for over that container (a local or a member),
/// or an element of a local container by index or position (`fibers[i]`,
/// `workers.back()`), and the function holding it adds to the container at
/// exactly one place, a spawn: `stages.emplace_back(worker, src, sink);` in
/// a loop, then `for (auto &stage : stages) stage.detach();`;
/// `fibers.push_back(new fiber(work, i)); fibers[i]->detach();`. Two places
/// that add (a producer and a consumer) leave the element unknown.
std::optional<Spawn> soleSpawnOfElement(const clang::Expr *Element,
                                        const model::ConcurrencyModel &Model);

/// Some code of \p F's class starts a thread into the member \p F: a
/// constructor's initialiser or the member's default initialiser
/// constructing one, or a method's spawn whose handle is \p F (`t_ =
/// std::thread(...)`, `t_.emplace_back(...)`). When none does, the thread
/// in \p F was handed in by whoever made the object.
bool startsThreadInto(const clang::FieldDecl *F,
                      const model::ConcurrencyModel &Model);

/// The function that runs as the body of a spawn's callable: the lambda's
/// call operator (also converted to a function pointer for
/// pthread_create, `+[] { ... }`), the named function or member function,
/// or a function object's only operator(). Its definition when there is
/// one (callers that read the body test for it); through std::bind, the
/// function bound. Null for function pointers held in variables, generic
/// lambdas.
const clang::FunctionDecl *entryOf(const clang::Expr *Callable);

/// The code that runs as the task's body: entryOf(), or for a
/// std::packaged_task (std::thread t(std::move(task)), pool.submit(task))
/// the callable the task wraps. Not the thread's entry: the packaged_task
/// catches what the body throws and stores what it returns in its future.
const clang::FunctionDecl *taskBodyOf(const clang::Expr *Callable);

/// The functions \p Body calls directly, with a body visible and outside
/// system headers: `[this] { run(); }` runs run() as the thread body. A
/// coroutine it calls counts only where it awaits it (a call handed to
/// co_spawn runs elsewhere).
void directCallees(const clang::Stmt *Body,
                   llvm::SmallVectorImpl<const clang::FunctionDecl *> &Out);

/// \p Entry is a carrier: a lambda whose body runs, once and without a
/// loop, a task it was handed as a capture of a type-erased callable type
/// (`fiber([t = std::move(task)] { t(); })`, a pool running what it popped
/// from its queue). Who owns the task was decided where it was submitted
/// (the future the submitter got), not by the carrier.
bool runsHandedTask(const clang::FunctionDecl *Entry);

/// \p Callable, the body a thread or fiber is started with, is a task the
/// function was handed, of a type-erased callable type: a parameter (`void
/// spawn(std::function<void()> fn) { fiber(fn).detach(); }`) or an object
/// behind a pointer (`fiber(std::ref(*call)).detach()` for a call popped
/// from a queue, its class's operator() virtual), or a local the function
/// received from a queue or channel (`std::function<void()> job;
/// jobs.try_pop(job); fiber(std::move(job)).detach();`, `auto job =
/// jobs.value_pop();`): a carrier like runsHandedTask's, whose submitter
/// decided who owns the task.
bool isHandedTask(const clang::Expr *Callable);

/// The task's code has a loop that leaves on a message it received from a
/// channel it does not own (endsOnMessage: `auto x = recv(*src); ...; if
/// (x.type == FINISH) break;`), in \p Body or in a function of the project it
/// calls: whoever sends on that channel can end it with a poison pill.
bool leavesOnMessage(const clang::Stmt *Body,
                     const model::ChannelModel &Channels);

/// The task's code asks a stop question (model::StopModel::asksStop:
/// `while (!ctx.stopped())`, `if (should_stop()) return;`), in \p Body or in
/// a function of the project it calls: whoever holds what it asks can stop
/// it.
bool asksStop(const clang::Stmt *Body);

/// The task's code stops the event loop it runs on (model::StopModel::
/// stopsEventLoop: `io.stop()` after a signal, `pool.stop()`), in \p Body or
/// in a function of the project it calls (a callback it was handed): it is
/// the program's way to end, and its end comes with everyone's.
bool stopsEventLoop(const clang::Stmt *Body);

/// The task's code loops on state its owner can change: a loop condition,
/// or a test that leads out of the loop (`if (m_stop_flag) return;`), (in
/// \p Body or a function of the project it calls) reads a field of an
/// object the task shares (`while (status != Closed)` on `this`,
/// `net.go_on` through a reference member), itself or through an accessor
/// of the object that returns it (`while (peekStatus() == Connected)`),
/// that the project assigns somewhere outside that loop (`close()` sets
/// it; a session's `loggedIn = true` after its own logon is no one else's
/// to change). Between fibers of one scheduler thread a
/// plain field is a stop signal, and so it is between coroutines of one
/// executor; between threads it is a data race (missing-stop-check's
/// business), so only fibers and coroutines ask.
bool loopsOnSharedState(const clang::Stmt *Body);

/// The task's loop receives from a channel the task does not own (a
/// global, a member, a channel its capture or parameter reaches; not a
/// channel object declared in \p Entry itself) until the channel closes:
/// a drain (ChannelDrain: `for (auto v : ch)`, `while (ch.pop(v) ==
/// success)`) or an endless loop on a receive that throws once the channel
/// is closed (`for (;;) use(ch->value_pop());`), and the translation unit
/// closes that channel somewhere (`numbers->close()` once the producers are
/// done): its closer stops the task. A drain of a channel nothing here
/// closes waits forever.
bool drainsSharedChannel(const clang::FunctionDecl *Entry,
                         const model::ChannelModel &Channels);

/// The task's code has no loop that only a return or a break can end
/// (for (;;), while (true)), neither in \p Body nor in the project's
/// functions it calls directly: it ends by itself, nothing needs to stop it.
/// A loop that only retries one library transfer until it goes through (a
/// hand-rolled blocking push) is a wait, not such a loop.
bool endsByItself(const clang::Stmt *Body, const clang::ASTContext &Ctx);

/// The task ends by itself in bounded time: every loop in \p Body or in
/// the project's functions it calls directly ends by construction
/// (LoopExits' isBounded: a range for, a counted for), no call there waits
/// without a deadline (BlockingModel::waitsWithoutDeadline: an untimed pop, get or
/// join, an operation handed a fiber's yield), and \p Body itself runs no
/// code nobody can see (BlockingModel::runsUnseenCode). A handshake that
/// waits for its replies with wait_until(deadline) is one; a session
/// reading its socket until the peer leaves is not.
bool endsInBoundedTime(const clang::Stmt *Body, const clang::ASTContext &Ctx,
                       const model::BlockingModel &Blocking);

/// \p FD is the project's function that hands back a future of a promise
/// it keeps to itself: every return is `p.get_future()` of a local promise
/// that nothing but its own calls mentions (no callback captures it, no task
/// or function is handed it). Whatever it set (or failed to) is settled when
/// it returns: no work is left running behind the future, so it starts no
/// task (a kitchen's TakeOrder that places the order and sets the promise).
bool handsBackSettledFuture(const clang::FunctionDecl *FD);

/// The task's last step tells a waiter it is done: the last statement of
/// \p Body (not a loop: a signal inside one marks each round, not the end)
/// notifies a condition variable or raises a completion signal
/// (ConcurrencyModel::announcesCompletion) or sends on or closes a channel
/// (a result pushed to the spawner that pops it), itself or in a function
/// of the project it calls (`--pending; done.notify_all();`,
/// `pool.notify_stop()`).
bool announcesEnd(const clang::Stmt *Body,
                  const model::ConcurrencyModel &Model,
                  const model::ChannelModel &Channels);

/// The task's last step counts it done on a counter its spawner waits on:
/// a local of the spawning function the lambda captures by reference
/// (`finished.fetch_add(1)`, `++done`, `--pending`), which the spawner
/// reads in a loop that does not start the tasks (`while (finished.load()
/// != n) this_fiber::yield();`) or in a wait's predicate (`cv.wait(lk, [&]
/// { return done == n; })`). The spawner cannot go on before the task has
/// ended: a hand-rolled wait group owns it.
bool countedDoneForSpawner(const model::ThreadSpawn &S);

/// The class counts the task in and waits for its count to drain: the
/// spawning method counts a field of its class up before the spawn
/// (`active_.fetch_add(1)`), the class counts it down somewhere (the
/// completion callback it hands the task: `[this] { active_.fetch_sub(1);
/// cv_.notify_all(); }`), and it waits for the field to reach zero (`cv_.wait(
/// lock, [this] { return active_ == 0; })`, `while (active_) ...`). A
/// hand-rolled wait group the class keeps owns every task it counted.
bool countedInByClass(const model::ThreadSpawn &S);

/// The task's last step signals an object its spawner keeps and waits on:
/// a local the closure captures by reference, waited on after the spawn
/// (`BlockingCounter done(n); ... [&done] { fetch(url); done.Dec(); } ...
/// done.Wait();`), or a field of the spawning object some method of its
/// class waits on (`ref_bc_.Dec()` last, `ref_bc_.Wait()` in Wait()), or a
/// local handed to the body by address or std::ref whose parameter the last
/// step changes (`std::thread(run_client, &done)`, `done->Dec()`). The
/// object is the project's own latch, wait group or event: whatever it does
/// inside, the spawner cannot pass its wait before the task signalled.
bool signalsAwaitedObject(const model::ThreadSpawn &S);

/// The task's last step stops an event loop its spawner runs after starting
/// it: `std::thread([] { sleep(200ms); sched.Stop(); }).detach();
/// sched.Start();`, the object a global, a captured local or a singleton
/// (`Scheduler::getInstance()`), the stop a method named stop, quit,
/// shutdown or exit, the run one named run, start, exec or loop. The
/// spawner's run returns only after the task's last step, as with
/// io_context's stop() and run().
bool stopsLoopItsSpawnerRuns(const model::ThreadSpawn &S);

using model::peelTemporaries;

} // namespace tether::analysis

#endif
