//===--- CoroutineOwner.h - does anyone own a spawned coroutine? ----------===//
//
// A coroutine started with co_spawn is owned when something can end it and
// someone learns that it failed (docs/rules.md, "Coroutines nobody
// awaits"). Both are read from what the code guarantees:
//
// - it can be ended: its token binds a cancellation slot; it reads a stop
//   signal or its cancellation state, or leaves its loop on a field its
//   class sets (`if (stop_flag_) return;`); it waits on an I/O object a peer ends
//   (a socket, an acceptor, a stream: its loop ends on the error or EOF the
//   peer causes, and at shutdown the io_context's stop or destruction ends
//   it; a member coroutine of a class that holds one, also through a base
//   or a connection object of its own); it waits on a timer, channel or
//   signal set that is not its own local (an owner holding it can cancel or
//   close it), or on the project's operation of an object an owner holds
//   that is built around one its class closes or cancels somewhere
//   (`co_await bus.wait_request(id)`, the bus's stop() closing it);
// - its failure is seen: the token is not `detached`, or every statement
//   that can fail is inside a try one of whose handlers catches what an
//   operation throws (an empty one too: the code decided to drop it). A
//   statement fails only on evidence: a throw,
//   an I/O object opened at construction, a call known to throw, or an
//   await of an operation that throws and can fail in the program (on a
//   socket, stream, acceptor or resolver; on a timer or channel an owner
//   can cancel; the project's coroutine or composed operation that does,
//   or a coroutine lambda handed to the awaited operation that does,
//   or its initiating function whose completion signature leads with an
//   error code).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_COROUTINEOWNER_H
#define TETHER_CHECKS_ANALYSIS_COROUTINEOWNER_H

#include "Provenance.h"
#include "../model/ConcurrencyModel.h"
#include "../model/CoroutineSpawn.h"

namespace tether::analysis {

struct CoroutineOwnership {
  /// Something can end it, or it ends by itself: it has no loop without a
  /// condition (for (;;), while (true)), so it reads a file to its end or
  /// serves one request and returns.
  bool Stoppable = false;
  bool FailureSeen = false;
  /// Where an exception can leave a detached coroutine: the await, the
  /// construction, the call or the throw (null when none was found).
  const clang::Stmt *Failure = nullptr;
};

/// Who owns the coroutine \p S starts (its body must be visible).
/// \p Library says which files are a library's (their throws are not the
/// coroutine's failures).
CoroutineOwnership ownershipOf(const model::CoroutineSpawn &S,
                               const model::ConcurrencyModel &Model,
                               const Provenance &Library);

/// Where the work \p Task runs may end with an exception: a step whose
/// failures cannot be read (a call through a pointer, std::function or
/// virtual dispatch, a function defined in another file, a throw, also a
/// test assertion's), unless a try that catches everything contains it;
/// else what ownershipOf reads as a detached coroutine's failure (awaits
/// of operations that fail, calls the model knows throw), or another
/// function's escaping throws (ThrowAnalysis). Null only when all of it
/// was read and nothing can fail: then a future that carries only the
/// task's end and its exception (a `future<void>` dropped at the spawn)
/// loses nothing. \p Task must have a body.
const clang::Stmt *taskFailure(const clang::FunctionDecl *Task,
                               const Provenance &Library);

} // namespace tether::analysis

#endif
