//===--- ConcurrencyModel.h - what is a thread, a future, a stop signal ---===//
//
// Checks ask the model what a type or a call *is*; they never spell library
// type names themselves. Every list is built in and extendable through
// CheckOptions (';'-separated qualified names), read locally first and then
// globally, so a codebase can teach tether its own thread or pool type once.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_CONCURRENCYMODEL_H
#define TETHER_CHECKS_MODEL_CONCURRENCYMODEL_H

#include "ClangTidyCheck.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <initializer_list>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class CXXMemberCallExpr;
class CXXMethodDecl;
class ClassTemplateSpecializationDecl;
} // namespace clang

namespace tether::model {

/// What a class can be to tether. A class can play several roles.
enum Role : unsigned {
  NoRole = 0,
  Thread = 1u << 0,           ///< owns an OS thread that must be joined
  JoiningThread = 1u << 1,    ///< a thread that joins itself on destruction
  Future = 1u << 2,           ///< handle to a task's result and exception
  StopSignal = 1u << 3,       ///< lets an owner ask a task to stop
  CompletionSignal = 1u << 4, ///< lets a task tell its owner it finished
  Fiber = 1u << 5, ///< a user-space thread (boost::fibers::fiber): plays the
                   ///< Thread role on its scheduler's thread
  TaskGroup = 1u << 6, ///< runs tasks that must be waited for before it
                       ///< is destroyed (tbb::task_group)
  ExecutorPool = 1u << 8, ///< owns threads that run submitted work and are
                          ///< joined by its destructor (asio::thread_pool)
  StartedThread = 1u << 7, ///< a thread object that runs from start() until
                           ///< its run() returns and must not be destroyed
                           ///< while running (QThread): not a Thread, whose
                           ///< construction starts it
  OwnTaskHandle = 1u << 9, ///< a project's own task handle known only by its
                           ///< interface (join, detach, a constructor taking
                           ///< what it runs): what an exception escaping its
                           ///< task does is not known
  LeftRunningOnDestruction = 1u << 10, ///< destroying it while joinable
                                       ///< leaves the task running (no
                                       ///< destructor joins or ends it)
};

/// One configurable list: the built-in names plus what the user added.
struct NameList {
  llvm::StringRef OptionName;
  std::vector<std::string> BuiltIn;
  std::string UserValue; ///< as written in CheckOptions, round-tripped
  std::vector<std::string> all() const;
};

/// The configuration \p Lists were read with, as one string: analyses made
/// from a model are shared by the checks whose models agree on it.
std::string configKeyOf(std::initializer_list<const NameList *> Lists);

class ConcurrencyModel {
public:
  /// Reads every list's user extension from \p Options.
  explicit ConcurrencyModel(clang::tidy::ClangTidyCheck::OptionsView &Options);

  /// Writes the user extensions back (storeOptions must round-trip them).
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;
  /// The options this model was read with (see configKeyOf).
  std::string configKey() const;

  // --- What is this type? -------------------------------------------------
  /// Roles of the class named by \p T (references and cv stripped; pointers,
  /// smart pointers and reference_wrapper are *not* looked through).
  unsigned rolesOf(clang::QualType T) const;
  unsigned rolesOf(const clang::CXXRecordDecl *RD) const;
  /// The roles a project's class plays by what it does, not by its name: a
  /// class whose public join() or detach() forwards to its own thread
  /// member (or is defined in another file) is a thread handle for its
  /// users (Thread), and one whose
  /// destructor also joins that member is a joining thread. Its own member
  /// is then its implementation; its owners answer for it.
  /// A class holding no thread is a task handle of its own (a project's
  /// fiber class) when it has a public join() and detach() and a public
  /// constructor that takes what it runs; see ownTaskHandleRoles.
  unsigned inferredRolesOf(const clang::CXXRecordDecl *RD) const;
  /// The roles of a project's own task handle holding no thread: Thread and
  /// OwnTaskHandle; Fiber unless it may hold an operating-system thread;
  /// LeftRunningOnDestruction without a user-written destructor,
  /// JoiningThread with one that cannot end the process. NoRole when its
  /// destructor may end the process: what "joinable" means there is the
  /// runtime's (FiberTypes teaches such a class).
  unsigned ownTaskHandleRoles(const clang::CXXRecordDecl *Def) const;
  bool isThread(clang::QualType T) const { return rolesOf(T) & Thread; }
  bool isJoiningThread(clang::QualType T) const {
    return rolesOf(T) & JoiningThread;
  }
  bool isFuture(clang::QualType T) const { return rolesOf(T) & Future; }
  bool isTaskGroup(clang::QualType T) const { return rolesOf(T) & TaskGroup; }
  bool isStartedThread(clang::QualType T) const {
    return rolesOf(T) & StartedThread;
  }
  /// What a diagnostic calls the task a thread-role handle of type \p T
  /// runs: "fiber" for a fiber, "thread" for anything else.
  llvm::StringRef taskKindOf(clang::QualType T) const {
    return rolesOf(T) & Fiber ? "fiber" : "thread";
  }

  /// taskKindOf the thread a spawn site starts: a construction's type, or
  /// the element type of the container emplace_back constructs it in.
  /// A call of Boost.Fiber's (boost::fibers::async) starts a fiber.
  llvm::StringRef taskKindAt(const clang::Expr *Site) const;

  /// The translation unit's fibers may move between threads: it installs a
  /// Boost.Fiber scheduling algorithm other than round_robin
  /// (use_scheduling_algorithm<work_stealing>, <shared_work>), or the
  /// project defines a scheduling algorithm of its own (which may hand
  /// fibers to other threads, and may be installed in another file). With
  /// the default round_robin a fiber stays on the thread that made it, and
  /// a plain field its fibers share is no data race.
  static bool fibersMayMigrate(const clang::ASTContext &Ctx);

  /// What a diagnostic calls a started-thread object of type \p T: the
  /// configured class it derives from ("QThread"), as the runtime's own
  /// abort message does.
  std::string startedThreadKindOf(clang::QualType T) const;

  /// Roles of what \p T gives access to: looks through references,
  /// pointers, std::reference_wrapper and std smart pointers.
  unsigned rolesReachableThrough(clang::QualType T) const;

  // --- What is this call? -------------------------------------------------
  /// pthread_create and configured C-style thread creators.
  bool isThreadCreateFunction(const clang::FunctionDecl *FD) const;
  /// pthread_detach and friends.
  bool isDetachFunction(const clang::FunctionDecl *FD) const;
  /// std::async and configured pool submit functions returning a handle.
  bool isTaskSpawner(const clang::FunctionDecl *FD) const;
  /// asio::co_spawn and configured CoroutineSpawners: start a coroutine on
  /// an executor, its end reported to a completion token (detached,
  /// use_future, a handler).
  bool isCoroutineSpawner(const clang::FunctionDecl *FD) const;
  /// Configured FireAndForgetSubmitters (none built in): hand a task to a
  /// pool and return nothing to wait on (BS::thread_pool::detach_task).
  bool isFireAndForgetSubmitter(const clang::FunctionDecl *FD) const;

  // --- The thread and task API, by name (the same in every library) -------
  /// std::async(std::launch::deferred, f): a spawner call that runs nothing
  /// until someone waits for its future.
  static bool launchesDeferred(const clang::CallExpr *Spawn);
  /// A spawner whose future waits for the task in its destructor
  /// (std::async; not boost::async, whose dropped future does not wait): a discarded future runs the task in the
  /// foreground.
  static bool futureJoinsOnDestruction(const clang::FunctionDecl *Spawner);
  /// t.detach().
  static bool isDetach(const clang::CXXMethodDecl *M);
  /// Boost.Thread's RAII wrappers whose policy is boost::detach
  /// (scoped_thread<detach>, strict_scoped_thread<detach>,
  /// thread_guard<detach>): they detach their thread when they go out of
  /// scope.
  static bool isDetachingGuard(clang::QualType T);
  /// t.try_join_for(d), try_join_until(t), timed_join(d): a join that may
  /// give up and leave the thread running.
  static bool isTimedJoin(const clang::CXXMethodDecl *M);
  /// t.join().
  static bool isJoin(const clang::CXXMethodDecl *M);
  /// A member that waits for a thread or task to end: join, get, wait,
  /// wait_for, wait_until, try_join_for.
  static bool isJoinOrWait(const clang::CXXMethodDecl *M);
  /// A helper whose name says it waits: join_all(ts), wait_all(fs), when_all.
  static bool namesJoinOrWait(const clang::FunctionDecl *FD);
  /// A call that waits for started work or for a free slot before starting
  /// more: sem.acquire(), t.join(), f.wait(), barrier.arrive_and_wait(),
  /// pthread_join, sem_wait, when_all.
  static bool waitsForWork(const clang::CallExpr *Call);
  /// push_back, emplace_back, push, emplace, insert, push_front,
  /// emplace_front: a call that adds its argument to a container.
  static bool addsToContainer(const clang::FunctionDecl *FD);
  /// pthread_join(tid, &result): the call that reads a C thread's result.
  static bool readsThreadResult(const clang::CallExpr *Call);
  /// std::thread::hardware_concurrency (or any function of that name).
  static bool isHardwareConcurrency(const clang::FunctionDecl *FD);
  /// pthread_self(): the calling thread.
  static bool isCallingThread(const clang::FunctionDecl *FD);

  /// Container methods that neither hand on nor end the work it holds:
  /// reserve, capacity. (size() is not one: a loop that joins by index
  /// tests it.)
  static llvm::ArrayRef<llvm::StringRef> containerNeutralMethods();
  /// The names addsToContainer accepts.
  static llvm::ArrayRef<llvm::StringRef> containerAddMethods();
  /// Methods std::jthread has with the same meaning as std::thread's: join,
  /// joinable, get_id, native_handle.
  static llvm::ArrayRef<llvm::StringRef> jthreadCompatibleMethods();
  /// Declared in namespace std or boost or one nested in them
  /// (std::this_thread, boost::fibers), also as a member of their classes:
  /// library code, not the user's.
  static bool inStdOrBoost(const clang::NamedDecl *D);
  /// std::thread itself (what a std::jthread can replace one for one).
  static bool isStdThread(const clang::CXXRecordDecl *RD);
  /// A standard or Boost wrapper that owns one object (unique_ptr,
  /// optional) rather than many.
  static bool ownsOne(const clang::ClassTemplateSpecializationDecl *Spec);
  /// Methods that end a thread handle's obligation: join, detach, release.
  static llvm::ArrayRef<llvm::StringRef> threadReleaseMethods();
  /// Methods whose true result means the thread still runs: joinable.
  static llvm::ArrayRef<llvm::StringRef> threadLivenessMethods();
  /// Methods that start a task in a task group: run.
  static llvm::ArrayRef<llvm::StringRef> taskGroupRunMethods();
  /// Methods that wait for a task group's tasks: wait, run_and_wait.
  static llvm::ArrayRef<llvm::StringRef> taskGroupWaitMethods();
  /// Methods that start a started-thread object (QThread): start.
  static llvm::ArrayRef<llvm::StringRef> startedThreadStartMethods();
  /// Methods after which a started thread has ended: wait. (quit() only
  /// asks its event loop to end; the object may still run when destroyed.)
  static llvm::ArrayRef<llvm::StringRef> startedThreadWaitMethods();
  /// Methods whose true result means the started thread still runs:
  /// isRunning.
  static llvm::ArrayRef<llvm::StringRef> startedThreadLivenessMethods();
  /// Methods of a started thread that neither wait for it nor hand it on:
  /// quit, exit, terminate, requestInterruption, the setters.
  static llvm::ArrayRef<llvm::StringRef> startedThreadNeutralMethods();
  /// Calls that take a thread object's address without keeping or stopping
  /// it: moveToThread(&t), connect(&t, ...), disconnect(&t, ...).
  static llvm::ArrayRef<llvm::StringRef> startedThreadBorrowers();
  /// A started-thread class of the project whose destructor (or a base's)
  /// waits for it, or calls a member function of its own that may: it
  /// cannot be destroyed running, so it plays the JoiningThread role too.
  bool waitsForItselfOnDestruction(const clang::CXXRecordDecl *RD) const;
  /// QObject::connect(&t, &QThread::finished, &app, &QCoreApplication::quit)
  /// (or the SIGNAL(finished()) / SLOT(quit()) spelling): the end of the
  /// thread ends the event loop its owner waits in, so the owner goes on
  /// only once the thread has finished.
  static bool connectsEndToLoopExit(const clang::CallExpr *Call);
  /// An object whose destructor waits for the work it runs: a joining
  /// thread (std::jthread, boost::scoped_thread, a project's thread whose
  /// destructor joins) or an executor pool (asio::thread_pool, whose
  /// destructor stops and joins its threads).
  bool joinsOnDestruction(clang::QualType T) const {
    return rolesOf(T) & (JoiningThread | ExecutorPool);
  }
  /// asio::post / dispatch / defer (standalone and Boost): hands its last
  /// argument to the executor or context its first argument names.
  static bool submitsToExecutor(const clang::FunctionDecl *FD);
  /// Methods that stop or wait for a handle (a thread, a task, a pointer to
  /// one): join, detach, release, interrupt, request_stop, get, wait,
  /// wait_for, wait_until, reset.
  static llvm::ArrayRef<llvm::StringRef> handleStopMethods();
  /// \p M tells a waiter that work is done: notify_one/notify_all on a
  /// condition variable, a completion signal's set_value, set_exception,
  /// count_down, arrive (and wait), arrive_and_drop or release (a promise, a
  /// latch, a barrier, a semaphore), a barrier's wait(), or an io_context's
  /// stop() (the owner's run() returns).
  bool announcesCompletion(const clang::CXXMethodDecl *M) const;
  /// Methods that raise a stop or completion signal: request_stop, store,
  /// exchange, test_and_set, notify_one, notify_all, set_value.
  static llvm::ArrayRef<llvm::StringRef> signalRaiseMethods();

  // --- Matchers for registerMatchers: narrow, by name ---------------------
  clang::ast_matchers::internal::Matcher<clang::NamedDecl> threadClass() const;
  /// A thread class or a class derived from one, or a class that plays the
  /// thread role by what it does (inferredRolesOf).
  clang::ast_matchers::internal::Matcher<clang::CXXRecordDecl>
  threadRecord() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  detachFunction() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  threadCreateFunction() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  taskSpawner() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  coroutineSpawner() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  fireAndForgetSubmitter() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  futureClass() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  taskGroupClass() const;
  /// A started-thread class (QThread) or a class derived from one.
  clang::ast_matchers::internal::Matcher<clang::CXXRecordDecl>
  startedThreadRecord() const;

private:
  NameList ThreadTypes, FiberTypes, JoiningThreadTypes, FutureTypes, StopFlagTypes,
      CompletionSignalTypes, TaskGroupTypes, StartedThreadTypes, ExecutorPoolTypes, TaskSpawners, CoroutineSpawners,
      FireAndForgetSubmitters, ThreadCreateFunctions, DetachFunctions;
  llvm::StringSet<> ThreadSet, FiberSet, JoiningSet, FutureSet, StopSet,
      CompletionSet, TaskGroupSet, StartedThreadSet, ExecutorPoolSet, SpawnerSet, CoroutineSpawnerSet, FireAndForgetSet, CreateSet, DetachSet;
  mutable llvm::DenseMap<const clang::Decl *, unsigned> RoleCache;

  std::vector<NameList *> lists();
  std::vector<const NameList *> lists() const;
};

/// Qualified name with inline namespaces (std::__1, std::__cxx11) and the
/// leading '::' dropped: "std::thread" for libstdc++ and libc++ alike.
std::string canonicalName(const clang::NamedDecl *D);

/// Does \p QualifiedName (as canonicalName spells it) match one of
/// \p Patterns? A pattern is a qualified name, or a namespace or class
/// followed by "::*" for everything in it ("spdlog::*").
bool matchesAnyName(llvm::ArrayRef<std::string> Patterns,
                    llvm::StringRef QualifiedName);

} // namespace tether::model

#endif
