//===--- StopModel.h - what observes, forwards or ignores a stop request --===//
//
// The cancellation half of the model: which parameter is a stop token, which
// calls look at the stop state or end a loop for good, which waits a stop
// request cannot wake, and which objects guard shared state (locks). The
// concurrency model says what a type *is* (a thread, a stop signal); this
// says what a call *does* to cancellation. Lists are extendable through
// CheckOptions like the rest of the model.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_STOPMODEL_H
#define TETHER_CHECKS_MODEL_STOPMODEL_H

#include "ConcurrencyModel.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

namespace tether::model {

class StopModel {
public:
  explicit StopModel(clang::tidy::ClangTidyCheck::OptionsView &Options);
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;
  /// The options this model was read with (see configKeyOf).
  std::string configKey() const;

  /// std::stop_token and configured StopTokenTypes, by value or reference.
  bool isStopToken(clang::QualType T) const;
  /// Matcher for registerMatchers: a class that is a stop token.
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  stopTokenClass() const;
  /// Matcher for registerMatchers: a parameter that takes a stop token, by
  /// value or by reference (what makes a function or lambda stop-aware).
  clang::ast_matchers::internal::Matcher<clang::ParmVarDecl>
  stopTokenParam() const;

  /// A call whose name says it stops, signals or completes something (stop,
  /// shutdown, cancel, close, store, notify, set_value, count_down,
  /// release, ...): what a timed run does after its sleep.
  static bool namesStopOrSignal(const clang::FunctionDecl *FD);

  /// A question whose name asks whether a stop was requested, of any
  /// library or of the project: stop_requested(), stopped(), is_stopped(),
  /// isStopping(), should_stop(), cancelled(), is_canceled(),
  /// isInterruptionRequested(). No arguments, a bool result.
  static bool asksStop(const clang::FunctionDecl *FD);

  /// ctx.stop() on an Asio io_context or thread_pool: every run() of it
  /// returns, and whatever still waits on it is abandoned with it (its
  /// owner then destroys the context, and every coroutine frame with it).
  static bool stopsEventLoop(const clang::CXXMethodDecl *M);

  /// ctx.run() and its family (run_one, run_for, run_until, poll,
  /// poll_one) on an Asio io_context: the event loop the thread serves
  /// until stop() or until it runs out of work. What it returns only counts
  /// the handlers it ran; a failure leaves it as a handler's exception.
  static bool runsEventLoop(const clang::CXXMethodDecl *M);

  /// x.request_stop(): asks another stop source or thread to stop.
  static bool requestsStop(const clang::CXXMemberCallExpr *Call);

  /// std::stop_callback<F>: registering a callback forwards the stop.
  bool isStopCallback(clang::QualType T) const;

  /// A call that looks at the stop state by itself: a configured
  /// StopCheckFunctions entry, or a boost::this_thread interruption point.
  bool isStopCheckCall(const clang::CallExpr *Call) const;

  /// A call that never returns or ends the thread: exit, abort,
  /// std::terminate, pthread_exit, [[noreturn]] functions, and Boost.Thread
  /// interruption points (they throw thread_interrupted when the owner calls
  /// interrupt(), which is how a boost::thread is stopped).
  static bool endsThread(const clang::CallExpr *Call);

  /// An untimed wait a stop request cannot wake: std::condition_variable::
  /// wait, and condition_variable_any::wait without a stop token argument.
  bool isStopDeafWait(const clang::CXXMemberCallExpr *Call) const;

  /// A lock object or a call that takes a lock or waits on a condition:
  /// shared state read near it is taken to be guarded.
  static bool isLockType(clang::QualType T);
  bool isLockingCall(const clang::CallExpr *Call) const;
  /// std::defer_lock_t: a lock object made with it holds nothing yet.
  static bool isDeferLock(clang::QualType T);
  /// m.lock() / m.lock_shared(): +1; m.unlock() / m.unlock_shared(): -1;
  /// anything else 0.
  static int lockDirection(const clang::CXXMethodDecl *M);

private:
  NameList StopTokenTypes, StopCheckFunctions;
  llvm::StringSet<> TokenSet, CheckSet;
  mutable llvm::DenseMap<const clang::Decl *, bool> TokenCache;
};

} // namespace tether::model

#endif
