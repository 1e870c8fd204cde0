//===--- CoroutineSpawn.h - what co_spawn starts and who hears its end ----===//
//
// asio::co_spawn(executor, coroutine, token) starts a coroutine on an
// executor and reports its end (its value or its exception) to the
// completion token: `detached` throws both away, `use_future` puts them in a
// std::future, a handler receives them. asio::spawn(executor, function,
// token) does the same for a stackful coroutine: a function taking a
// yield_context, whose calls that pass `yield` suspend it. The model says
// what was spawned and what the token is; analysis/CoroutineOwner says
// whether anyone owns it.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_COROUTINESPAWN_H
#define TETHER_CHECKS_MODEL_COROUTINESPAWN_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <optional>
#include "clang/AST/ExprCXX.h"

namespace tether::model {

/// Where a coroutine's end goes.
enum class CompletionToken {
  Detached,            ///< asio::detached: nowhere
  CancellableDetached, ///< bind_cancellation_slot(slot, detached)
  Future,              ///< use_future: a std::future the caller holds
  /// No token: Boost.Asio's older spawn(executor, function) overloads
  /// rethrow the coroutine's exception out of the executor's run(), and
  /// nobody hears that it ended.
  Propagates,
  /// A handler lambda that does nothing and never reads the
  /// std::exception_ptr it is handed (`[self](std::exception_ptr) {}`):
  /// `detached` written longhand, the end goes nowhere.
  EmptyHandler,
  /// A handler lambda that acts on the end (`done.set()`) but never reads
  /// the std::exception_ptr: the owner hears that it ended, never that it
  /// failed.
  IgnoresException,
  Other, ///< a handler that reads the exception, use_awaitable, deferred, ...
};

/// The token drops the coroutine's exception: detached (also bound to a
/// cancellation slot) or a handler that never reads it.
bool dropsException(CompletionToken Token);

struct CoroutineSpawn {
  const clang::CallExpr *Site = nullptr;
  /// The function whose body runs as the coroutine, when its definition is
  /// visible: the coroutine function called in the argument
  /// (`session(std::move(socket))`) or the lambda's call operator. A lambda
  /// that only returns a coroutine call (`[self] { return self->run(); }`)
  /// is looked through.
  const clang::FunctionDecl *Coroutine = nullptr;
  /// The coroutine's body as written (inside the CoroutineBodyStmt).
  const clang::Stmt *Body = nullptr;
  /// The lambda, when the coroutine is one: its captures are its state.
  const clang::LambdaExpr *Lambda = nullptr;
  CompletionToken Token = CompletionToken::Other;
  /// A stackful coroutine (asio::spawn): an ordinary function taking a
  /// yield_context, not a C++20 coroutine.
  bool Stackful = false;
  /// The group the spawn starts, when it starts one written with Asio's
  /// awaitable operators (`co_spawn(ex, write(s) || timeout(1s), detached)`):
  /// its operands are the work, and Coroutine is the library's operator.
  const clang::CXXOperatorCallExpr *Group = nullptr;
  /// A callable that is no coroutine itself but runs some statements and
  /// returns a coroutine's awaitable (`[this, s = std::move(s)] { log(s);
  /// return serve(std::move(s)); }`): Asio calls it inside the spawned
  /// task, so what its statements throw reaches the token as the
  /// coroutine's failures do. Coroutine is the one it returns.
  const clang::FunctionDecl *Starter = nullptr;
  /// Started by calling a coroutine whose return type owns nothing of its
  /// task (ownsNothingOfItsTask), not by a spawner with a token.
  bool OwnerlessReturn = false;
};

/// What \p Call, a call to a coroutine spawner, starts.
CoroutineSpawn coroutineSpawnOf(const clang::CallExpr *Call);

/// A coroutine return type that owns nothing of its task: the class holds
/// no data (no handle to the frame, no shared state), and its promise
/// starts the body at once and frees the frame at its end (initial_suspend
/// and final_suspend return suspend_never). Calling a coroutine that
/// returns one starts a task nobody can await, stop or destroy: a
/// `fire_and_forget`, a `detached_task`, a `spawn_t`.
bool ownsNothingOfItsTask(clang::QualType T);

/// What \p Call, a call of a coroutine whose return type owns nothing of
/// its task, starts. A wrapper whose body only awaits what it is handed
/// (`spawn_t spawn(task<> t) { co_await t; }`) runs that coroutine:
/// Coroutine is the one the argument calls, when visible. Token is
/// Detached when the promise's unhandled_exception() lets the exception go
/// (an empty body, or one that only logs), Propagates when it rethrows,
/// stores or ends the process. Site is null when \p Call is not one.
CoroutineSpawn ownerlessCoroutineCallOf(const clang::CallExpr *Call);

/// asio::basic_yield_context (yield_context): a stackful coroutine's handle
/// to itself, passed as the token of an operation it waits for.
bool isYieldContext(clang::QualType T);
/// An asynchronous operation (a call to a function named async_...) that
/// suspended its caller until it completed: it was handed a suspending
/// token, or it returns the operation's result itself (a byte count, an
/// error code, a result object) rather than void or a handle to wait on
/// later (an awaitable, a future, a deferred operation), which only a
/// token that waits can do (`http::async_read(s, buf, req, my_yield())`;
/// a timer's async_wait(yield) returns nothing, so the yield_context and
/// Boost.Fiber's asio `yield` are known by their type).
/// A timer's wait is not one: it ends at the timer's expiry.
bool waitsForCompletion(const clang::CallExpr *Call);
/// A timer's async_wait handed a token that suspends its caller (a stackful
/// coroutine's `yield`, `yield[ec]`, Boost.Fiber's asio `yield`, also
/// inside a binder such as bind_cancellation_slot): the caller sleeps until
/// the timer expires or is cancelled.
bool sleepsOnTimer(const clang::CallExpr *Call);
/// The token an adapter that only binds something to it wraps
/// (bind_executor, bind_allocator, bind_cancellation_slot,
/// bind_immediate_executor), or \p T itself.
clang::QualType unwrappedToken(clang::QualType T);
/// What `co_await X` awaits, as written: X without the implicit conversions
/// and parentheses around it (`co_await (a || b)`, `co_await s.async_read(...)`).
const clang::Expr *awaitedOperand(const clang::CoawaitExpr *Await);
/// `yield[ec]`: an operation given this token reports its failure in `ec`
/// instead of throwing it.
bool redirectsError(const clang::Expr *YieldToken);
/// A completion token of type \p T hands the operation's error back as a
/// value: `redirect_error(use_awaitable, ec)`, also inside the adapters
/// that only bind something to a token (`bind_executor(strand, token)`,
/// bind_allocator, bind_cancellation_slot, bind_immediate_executor).
bool isErrorRedirectingToken(clang::QualType T);
/// Asio's free post, dispatch or defer (standalone or Boost): hands a
/// function to an executor to run there, and completes with `void()`.
bool isExecutorHandOff(const clang::FunctionDecl *FD);
/// Does the operation the project's initiating function \p Def starts
/// complete with an error to throw? Its body hands Asio's async_initiate
/// or async_compose its completion signatures: true when one leads with an
/// error code or exception_ptr (`void(error_code, reply)`), false when none
/// does (`async_initiate<Token, void(int, std::string)>`), none when no
/// signature is visible. Awaited with use_awaitable or waited with a
/// yield_context, an operation throws only that leading error; every other
/// argument comes back as the result.
std::optional<bool> completionLeadsWithError(const clang::FunctionDecl *Def);
/// A value of type \p T hands a failure back: an error code
/// (std::error_code, boost::system::error_code) or an exception_ptr, or a
/// tuple, pair, expected or result holding one (as_tuple's result,
/// `std::expected<Frame, std::error_code>`).
bool carriesError(clang::QualType T);
/// What a coroutine or function returning \p Result hands back carries its
/// failure (carriesError), looking through the task type it is wrapped in
/// (`awaitable<std::error_code>`, `task<std::expected<T, E>>`).
bool resultCarriesError(clang::QualType Result);

/// An Asio or Beast I/O object a peer can end: a socket, an acceptor, a
/// stream, a pipe, a serial port, a descriptor. Its operations fail when
/// the peer goes away or the object is closed.
bool isPeerIoObject(clang::QualType T);
/// \p Call transfers data synchronously over a peer I/O object and throws
/// its failure: `socket.read_some(buf)`, `asio::write(socket, buf)`,
/// `stream.receive(buf)`, the overloads without an error_code argument. It
/// throws when the peer leaves (EOF, a reset), so a loop around it ends
/// then.
bool transferThrowsWhenPeerLeaves(const clang::CallExpr *Call);
/// An Asio resolver: its lookups fail when the network or the name does.
bool isResolver(clang::QualType T);
/// An Asio object a coroutine waits on that its owner ends by cancelling
/// or closing it: a timer, a channel, a signal set.
bool isCancellableWaitObject(clang::QualType T);
/// \p Call waits on a timer (`timer.async_wait(token)`): it completes with
/// an error only when someone cancels it (operation_aborted), so the error
/// it hands back is a stop its canceller asked for, never a failure.
bool failsOnlyWhenCancelled(const clang::CallExpr *Call);
/// An object of type \p T (also through a reference, a pointer or a smart
/// pointer) is built around an Asio object \p Is accepts: it is one, or a
/// field of its class or of a base is one (also in a smart pointer, a
/// reference_wrapper or an optional), or is a member object of another
/// class built around one, one level down (a session's `TcpConnection
/// client_` holding its socket). With \p InContainers, an element of a
/// standard container counts too (a client's map of request channels); a
/// session holds its one socket, so a class holding a list of other
/// connections' sockets is not one.
bool isBuiltAround(clang::QualType T, bool (*Is)(clang::QualType),
                   bool InContainers);
/// The same question asked of a class: \p RD, or a base, holds one.
bool classBuiltAround(const clang::CXXRecordDecl *RD,
                      bool (*Is)(clang::QualType), bool InContainers);

} // namespace tether::model

#endif
