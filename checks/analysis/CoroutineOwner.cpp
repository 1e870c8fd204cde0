//===--- CoroutineOwner.cpp -----------------------------------------------===//

#include "CoroutineOwner.h"
#include "BodyWalk.h"
#include "Confinement.h"
#include "LoopExits.h"
#include "ThreadEntries.h"
#include "ThrowAnalysis.h"
#include "../model/ExceptionModel.h"
#include "../model/StopModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace tether::analysis {

/// Handler \p C catches an exception that is no failure (IgnoredExceptions:
/// a stackful coroutine's forced_unwind, Boost.Thread's thread_interrupted).
static bool catchesIgnored(const CXXCatchStmt *C) {
  if (!C->getExceptionDecl())
    return false;
  const CXXRecordDecl *RD =
      C->getCaughtType().getNonReferenceType()->getAsCXXRecordDecl();
  return RD && llvm::is_contained(model::ignoredExceptions().all(),
                                  model::canonicalName(RD));
}

/// A try one of whose handlers catches what a failed operation throws:
/// what its block throws is caught where the code decided what to do with
/// it (a rethrow from a handler is ThrowAnalysis's to find). An empty
/// handler is such a decision too (a session whose `catch (...) {}` is its
/// end when the peer leaves): nothing reaches `detached`, and whether the
/// silent drop is a smell is a question about the catch, not the owner.
static bool handlesFailure(const CXXTryStmt *Try) {
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
    if (model::catchesOperationFailure(Try->getHandler(I)))
      return true;
  return false;
}

/// An operation that completes with no error to report: a hand-off to an
/// executor (post, dispatch, defer complete with `void()`), or a wait on a
/// timer, signal set or channel that is the coroutine's own local, which
/// nobody else can reach to cancel (its wait ends when it expires, the
/// signal arrives, or never).
static bool cannotFail(const CallExpr *Call, const ASTContext &Ctx) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  if (model::isExecutorHandOff(FD))
    return true;
  llvm::StringRef N = FD->getName();
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  if (!MC || (N != "async_wait" && N != "async_receive"))
    return false;
  const Expr *Obj = MC->getImplicitObjectArgument();
  if (!model::isCancellableWaitObject(Obj->getType()))
    return false;
  ObjectRoot R = rootOf(Obj);
  return R.Where == ObjectRoot::Local && !isa<ParmVarDecl>(R.Var) &&
         !LocalEscapes::of(Ctx).escapes(R.Var);
}

/// Does an await report its operation's failure as a value rather than by
/// throwing? Its result is a tuple holding an error code or exception_ptr
/// (as_tuple, as_single, a default token of as_tuple_t on the I/O object),
/// or its operation's token redirects the error (redirect_error). An await
/// of something that is not an operation (this_coro::executor) cannot fail.
static bool awaitReportsFailure(const CoawaitExpr *Await, const ASTContext &Ctx) {
  const Expr *Operand = Await->getOperand()->IgnoreImplicit();
  const auto *Call = dyn_cast<CallExpr>(Operand);
  if (!Call)
    return true;
  if (cannotFail(Call, Ctx))
    return true;
  for (const Expr *Arg : Call->arguments())
    if (model::isErrorRedirectingToken(Arg->getType()))
      return true;
  // as_tuple's result leads with the error; a parallel group's leads with
  // the completion order and carries each operation's error after it. (A
  // project coroutine's own result is not enough: its body may still throw,
  // and operationCanFail reads it.)
  const CXXRecordDecl *Tuple =
      Await->getType().getNonReferenceType()->getAsCXXRecordDecl();
  return Tuple && model::canonicalName(Tuple) == "std::tuple" &&
         model::carriesError(Await->getType());
}

/// The yield_context a call passes: a stackful coroutine waits there for the
/// operation, which throws its failure unless written `yield[ec]`.
static const Expr *yieldTokenOf(const CallExpr *Call) {
  for (const Expr *Arg : Call->arguments())
    if (model::isYieldContext(Arg->getType()))
      return Arg;
  return nullptr;
}

static bool cannotThrow(const FunctionDecl *Coroutine, const Stmt *Body,
                        unsigned Depth, const Stmt **Where = nullptr);

/// An acceptor or a socket built with an endpoint it opens and binds (or
/// connects), a descriptor or pipe built around a native handle it
/// registers with the reactor, a serial port built with a device it opens:
/// each throws when that fails. A stream built around another stream
/// (ssl_stream(stream, ctx), websocket::stream(socket)) opens nothing.
static bool opensAtConstruction(QualType T) {
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier() || !model::isPeerIoObject(T))
    return false;
  llvm::StringRef N = RD->getName();
  return N.contains("acceptor") || N.contains("socket") ||
         N.contains("descriptor") || N.contains("pipe") ||
         N.contains("serial_port");
}

namespace {
/// What each function of the project can do, found once per question
/// (ownershipOf, the only way in, sets it): a coroutine's callees share
/// helpers, and following every call of every helper again would be
/// exponential in the call depth.
struct FailureMemo {
  llvm::DenseMap<const FunctionDecl *, bool> CannotThrow, HelperCanFail;
  /// One analysis for every function asked about: its caches keep what
  /// each project function it went through lets escape.
  std::optional<ThrowAnalysis> *Throws = nullptr;
  const Provenance *Library = nullptr;
  /// What is asked: does anything end the coroutine by an exception
  /// (true: a loop's exits, where an owner's cancel or close counts), or
  /// can it fail, leaving an exception someone should have seen (false:
  /// only what the code shows failing counts)?
  bool CountsStops = false;
};
FailureMemo *Memo = nullptr;

/// Looks \p Key up in \p Map, or computes it; while it is being computed
/// (a recursive call) it reads as \p Assumed.
template <typename Fn>
bool memoized(llvm::DenseMap<const FunctionDecl *, bool> &Map,
              const FunctionDecl *Key, bool Assumed, Fn Compute) {
  auto [It, Inserted] = Map.try_emplace(Key, Assumed);
  if (!Inserted)
    return It->second;
  bool Result = Compute();
  Map[Key] = Result;
  return Result;
}
} // namespace

/// The analysis of what the project's functions throw, made on first use
/// and kept for the whole question (ownershipOf).
static ThrowAnalysis &throwsOf() {
  if (!*Memo->Throws)
    Memo->Throws->emplace(model::throwingFunctions().all(),
                          model::ignoredExceptions().all(), Memo->Library);
  return **Memo->Throws;
}

/// \p Callee is the project's own function (or coroutine) and its body,
/// followed three levels deep, cannot throw. Deeper than that the code is
/// not read, and what is not read is no evidence either way: the failure
/// question takes it as no failure, the question of what ends the
/// coroutine as a way out (a pool's get_connection four awaits down to the
/// socket it hands its errors back from is not a lost failure).
static bool ownFunctionCannotThrow(const FunctionDecl *Callee,
                                   unsigned Depth) {
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  if (!Def)
    return false;
  if (Depth >= 3)
    return !Memo->CountsStops;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return false;
  return memoized(Memo->CannotThrow, Def, /*Assumed=*/true,
                  [&] { return cannotThrow(Def, Def->getBody(), Depth + 1); });
}

static bool operationCanFail(const CallExpr *Op, const ASTContext &Ctx,
                             unsigned Depth);

/// The object a member operation works on: `s.async_read_some` -> s's
/// type, `p->async_read_some` -> what p points to (a raw or a smart
/// pointer's operator->).
static QualType operatedObject(const CXXMemberCallExpr *MC) {
  QualType T = MC->getImplicitObjectArgument()->getType();
  return T->isPointerType() ? T->getPointeeType() : T;
}

/// \p E is, or holds, an I/O object a peer or the network ends: a socket
/// or stream itself (also through a pointer or shared_ptr), an object of a
/// class with one as a member, or a local built around one (`Serializer
/// serializer(socket)`).
static bool holdsIoObject(const Expr *E, bool PeerEndedOnly = false) {
  // The object itself: through a reference, a pointer or a smart pointer.
  auto Pointee = [](QualType T) {
    T = T.getNonReferenceType();
    if (T->isPointerType())
      return T->getPointeeType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
        RD && model::isSharedOwner(RD))
      return model::firstTypeArgument(RD);
    return T;
  };
  // With PeerEndedOnly, what a peer ends: a socket or a stream, not an
  // acceptor (only its owner closes that).
  auto IsIo = [&](QualType T) {
    if (T.isNull() || !model::isPeerIoObject(Pointee(T)))
      return false;
    const CXXRecordDecl *RD = Pointee(T)->getAsCXXRecordDecl();
    return !PeerEndedOnly || !RD || !RD->getDeclName().isIdentifier() ||
           !RD->getName().contains("acceptor");
  };
  E = E->IgnoreParenImpCasts();
  if (IsIo(E->getType()))
    return true;
  if (const CXXRecordDecl *RD = Pointee(E->getType())->getAsCXXRecordDecl();
      RD && RD->hasDefinition() &&
      llvm::any_of(RD->fields(),
                   [&](const FieldDecl *F) { return IsIo(F->getType()); }))
    return true;
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  const auto *Ctor = V && V->getInit() ? dyn_cast<CXXConstructExpr>(
                                             V->getInit()->IgnoreImplicit())
                                       : nullptr;
  return Ctor && llvm::any_of(Ctor->arguments(), [&](const Expr *A) {
           return IsIo(A->getType());
         });
}

/// \p Op works on or with an I/O object: it is called on one (or on an
/// object holding one), or is handed one.
static bool onIoObject(const CallExpr *Op) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Op);
      MC && holdsIoObject(MC->getImplicitObjectArgument()))
    return true;
  return llvm::any_of(Op->arguments(),
                      [](const Expr *A) { return holdsIoObject(A); });
}

/// A library operation: Asio's and Beast's are all named async_*.
static bool isLibraryOperation(const FunctionDecl *FD) {
  return FD->getDeclName().isIdentifier() && FD->getName().starts_with("async_");
}

/// The call operator of a lambda coroutine \p Arg hands on: the lambda
/// itself, or a local variable it initialises (`auto task = [&]() ->
/// awaitable<T> { ... }; co_await run_on(io, task);`).
static const FunctionDecl *handedLambdaCoroutine(const Expr *Arg) {
  // Through the std::function (or any wrapper) built from it on the way.
  auto Peel = [](const Expr *E) {
    E = model::peelTemporaries(E);
    if (const auto *Wrap = dyn_cast<CXXConstructExpr>(E);
        Wrap && Wrap->getNumArgs() == 1)
      E = model::peelTemporaries(Wrap->getArg(0));
    return E;
  };
  const Expr *E = Peel(Arg);
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
        V && V->hasLocalStorage() && V->getInit())
      E = Peel(V->getInit());
  const auto *L = dyn_cast<LambdaExpr>(E);
  const FunctionDecl *Op = L ? L->getCallOperator() : nullptr;
  return Op && isa_and_nonnull<CoroutineBodyStmt>(Op->getBody()) ? Op
                                                                   : nullptr;
}

/// What a wait on it ends when its owner closes or cancels it (or its
/// peer leaves): a socket or stream, a timer, a channel, a signal set.
static bool endsItsWaits(QualType T) {
  return model::isPeerIoObject(T) || model::isCancellableWaitObject(T);
}

/// A method of \p RD (or of a base) closes or cancels what waits on it
/// end on: `chan.second->cancel()` over its map of request channels,
/// `acceptor_.close()`, `conn_->stop()` on a connection built around a
/// socket. An owner holding the object has a way to end them.
static bool closesWhatItHolds(const CXXRecordDecl *RD, unsigned Depth = 0) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD || Depth > 4)
    return false;
  auto Closes = [](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    return M &&
           model::isNamedAnyOf(M, {"close", "cancel", "cancel_one",
                                   "shutdown", "stop"}) &&
           model::isBuiltAround(operatedObject(MC), endsItsWaits,
                                /*InContainers=*/false);
  };
  for (const CXXMethodDecl *M : RD->methods())
    if (const FunctionDecl *Def = M->getDefinition();
        Def && anyInBody(Def->getBody(), Closes, Lambdas::Enter))
      return true;
  return llvm::any_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
    return closesWhatItHolds(B.getType()->getAsCXXRecordDecl(), Depth + 1);
  });
}

/// \p Call is the project's operation (not a library's async_*, which the
/// rules on I/O and wait objects read) on an object the coroutine reaches
/// through a reference, a pointer or a capture by reference, or handed one
/// by reference or pointer, and that object is built around a channel,
/// timer, signal set or socket (a client's map of request channels) that
/// a method of its class closes or cancels: its owner can end what the
/// operation waits on (`co_await server.wait_request(id)` in a handler
/// loop, the server's stop() cancelling its channels). A server that holds
/// an acceptor nothing closes gives its owner no such way. The
/// coroutine's own `this` is not such an object: a class's periodic member
/// job waits on its own behalf.
static bool onOwnersWaitObject(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || isa<CXXOperatorCallExpr>(Call) || isLibraryOperation(FD))
    return false;
  auto HeldByOwner = [](const Expr *E) {
    ObjectRoot R = rootOf(E);
    QualType T = E->getType().getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    return ((R.Where == ObjectRoot::Shared && R.Var) ||
            R.Where == ObjectRoot::Pointee) &&
           model::isBuiltAround(T, endsItsWaits, /*InContainers=*/true) &&
           closesWhatItHolds(T->getAsCXXRecordDecl());
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    return HeldByOwner(MC->getImplicitObjectArgument());
  for (unsigned I = 0; I < Call->getNumArgs() && I < FD->getNumParams(); ++I) {
    QualType P = FD->getParamDecl(I)->getType();
    if ((P->isReferenceType() || P->isPointerType()) &&
        HeldByOwner(Call->getArg(I)))
      return true;
  }
  return false;
}

/// A function of the project (not a coroutine) that an await or a stackful
/// wait goes through, a composed operation or a helper returning one: it
/// fails when its body starts an operation that can, or throws. Its own
/// throws are judged as a callee's (one only a broken contract reaches
/// does not count); a throw in a lambda it hands on (a composed
/// operation's step) counts whatever guards it.
static bool helperCanFail(const FunctionDecl *Def, const ASTContext &Ctx,
                          unsigned Depth) {
  return memoized(Memo->HelperCanFail, Def, /*Assumed=*/false, [&] {
    auto IsThrow = [](const Stmt *S) { return isa<CXXThrowExpr>(S); };
    const Stmt *Body = Def->getBody();
    if (anyInBody(Body, IsThrow)) {
      std::optional<ThrowAnalysis::Escape> E =
          throwsOf().escapingThrow(Def, /*AsCallee=*/true);
      if (E && isa<CXXThrowExpr>(E->At))
        return true;
    }
    return anyInBody(
        Body,
        [&](const Stmt *S) {
          if (const auto *L = dyn_cast<LambdaExpr>(S))
            return anyInBody(L->getBody(), IsThrow, Lambdas::Enter);
          const auto *Call = dyn_cast<CallExpr>(S);
          return Call && operationCanFail(Call, Ctx, Depth + 1);
        },
        Lambdas::Enter);
  });
}

/// The operand of a group of Asio's awaitable operators that ends it with
/// an exception, or null: `a && b` fails when either does (and cancels the
/// other); `a || b` waits for one to succeed and fails only when every
/// branch has failed (then the first one names the failure).
static const CallExpr *failingOperand(const CXXOperatorCallExpr *Group,
                                      const ASTContext &Ctx, unsigned Depth) {
  const CallExpr *First = nullptr;
  for (const Expr *A : Group->arguments()) {
    const auto *Inner = dyn_cast<CallExpr>(model::peelTemporaries(A));
    const CallExpr *Fails = nullptr;
    if (const auto *Nested = dyn_cast_or_null<CXXOperatorCallExpr>(Inner);
        Nested && (Nested->getOperator() == OO_PipePipe ||
                   Nested->getOperator() == OO_AmpAmp))
      Fails = Depth > 3 ? nullptr : failingOperand(Nested, Ctx, Depth + 1);
    else if (Inner && operationCanFail(Inner, Ctx, Depth + 1))
      Fails = Inner;
    if (Group->getOperator() == OO_AmpAmp && Fails)
      return Fails;
    if (Group->getOperator() == OO_PipePipe && !Fails)
      return nullptr;
    if (!First)
      First = Fails;
  }
  return First;
}

/// The operation \p Op (what an await or a stackful wait completes) can
/// fail in the program, by what the code shows: an async_* operation on or
/// with an I/O object a peer or the network ends (a socket, a stream, an
/// acceptor, a resolver), the project's own coroutine or helper that can
/// (one defined in another file when it is called on or with an I/O object
/// and returns no error code), or one of two operations awaited together
/// (`a || b`). When the question counts stops (Memo->CountsStops), so does
/// a wait on a timer, channel or signal set an owner can cancel (not the
/// coroutine's own local one). Anything else shows no failure: a hand-off
/// to an executor, any other function of the project whose body is not
/// visible.
static bool operationCanFail(const CallExpr *Op, const ASTContext &Ctx,
                             unsigned Depth) {
  if (Depth > 3 || cannotFail(Op, Ctx))
    return false;
  if (const auto *Both = dyn_cast<CXXOperatorCallExpr>(Op);
      Both && (Both->getOperator() == OO_PipePipe ||
               Both->getOperator() == OO_AmpAmp))
    return failingOperand(Both, Ctx, Depth) != nullptr;
  const FunctionDecl *FD = Op->getDirectCallee();
  if (!FD)
    return false;
  // A coroutine lambda handed to the operation runs inside it
  // (`co_await run_on(io, task)`, co_spawn(..., use_awaitable)): what the
  // lambda throws leaves through the await.
  if (llvm::any_of(Op->arguments(), [&](const Expr *A) {
        const FunctionDecl *Task = handedLambdaCoroutine(A);
        return Task && !ownFunctionCannotThrow(Task, Depth);
      }))
    return true;
  const SourceManager &SM = Ctx.getSourceManager();
  if (const FunctionDecl *Def = FD->getDefinition();
      Def && !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation()))) {
    if (isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()))
      return !ownFunctionCannotThrow(Def, Depth);
    // The project's own initiating function says in its completion
    // signature whether it hands an error to the token: without one
    // (`void(int, std::string)`) what its operation does inside comes back
    // as values and there is nothing to throw; with one, it fails when it
    // works on an I/O object (its initiation's steps are often written
    // against the handler's type, so not visible until it runs).
    if (std::optional<bool> Error = model::completionLeadsWithError(Def)) {
      if (!*Error)
        return false;
      if (onIoObject(Op))
        return true;
    }
    return helperCanFail(Def, Ctx, Depth);
  }
  // The project's operation whose body is in another file, on or with an
  // I/O object (`co_await response.Serialize(serializer)`, the serializer
  // built around the session's socket): it does that object's I/O, which
  // fails when the peer does (whether it catches that there, this file
  // does not show; measured, it mostly does not). One that returns an
  // error code hands its failure back as a value (`auto ec = co_await
  // s.open(...)`).
  if (!SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()))) {
    if (model::resultCarriesError(FD->getReturnType()))
      return false;
    return onIoObject(Op);
  }
  if (!isLibraryOperation(FD))
    return false;
  // A wait on a timer, signal set or channel ends early only when an
  // owner cancels or closes it: a way to stop the coroutine, not a failure
  // (the operation_aborted or channel_closed `detached` drops is the stop).
  auto Fallible = [](QualType T) {
    return model::isPeerIoObject(T) || model::isResolver(T) ||
           (Memo->CountsStops && model::isCancellableWaitObject(T));
  };
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Op))
    return Fallible(operatedObject(MC));
  return llvm::any_of(Op->arguments(),
                      [&](const Expr *A) { return Fallible(A->getType()); });
}

/// \p S, a statement of \p Coroutine's body, can end it by an exception:
/// a throw, an I/O object that opens at construction, or an await or a
/// stackful wait whose operation throws its failure and can fail
/// (operationCanFail).
static bool mayFail(const Stmt *S, const FunctionDecl *Coroutine,
                    unsigned Depth) {
  const ASTContext &Ctx = Coroutine->getASTContext();
  const SourceManager &SM = Ctx.getSourceManager();
  // The spawned coroutine's own throw, whatever guards it, is its
  // decision; an awaited coroutine's is judged as a callee's (cannotThrow).
  if (isa<CXXThrowExpr>(S))
    return Depth == 0;
  // An acceptor or socket opened and bound at construction
  // (acceptor(ex, endpoint)) throws when the address is taken; only the
  // executor-only (or context-only) constructor cannot fail. Defaulted
  // arguments (Asio's constraint parameter) are not written ones.
  if (const auto *Ctor = dyn_cast<CXXConstructExpr>(S))
    if (llvm::count_if(Ctor->arguments(),
                       [](const Expr *A) { return !isa<CXXDefaultArgExpr>(A); }) >= 2 &&
        opensAtConstruction(Ctor->getType()) &&
        llvm::none_of(Ctor->arguments(), [](const Expr *A) {
          const CXXRecordDecl *RD =
              A->getType().getNonReferenceType()->getAsCXXRecordDecl();
          return RD && RD->getName() == "error_code";
        }))
      return true;
  // A stackful coroutine's wait: `async_read(s, buf, yield)` throws the
  // operation's failure, `yield[ec]` stores it; a function of the project
  // that takes the yield_context fails only when its body can.
  if (const auto *Call = dyn_cast<CallExpr>(S);
      Call && !isa<CXXOperatorCallExpr>(Call))
    if (const Expr *Yield = yieldTokenOf(Call)) {
      const FunctionDecl *Def =
          Call->getDirectCallee() ? Call->getDirectCallee()->getDefinition()
                                  : nullptr;
      if (Def && !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
        return model::completionLeadsWithError(Def).value_or(true) &&
               !ownFunctionCannotThrow(Def, Depth);
      return !model::redirectsError(Yield) &&
             operationCanFail(Call, Ctx, Depth);
    }
  const auto *Await = dyn_cast<CoawaitExpr>(S);
  if (!Await || Await->isImplicit() || awaitReportsFailure(Await, Ctx))
    return false;
  const auto *Op = dyn_cast<CallExpr>(model::awaitedOperand(Await));
  return Op && operationCanFail(Op, Ctx, Depth);
}

/// Something in \p Block, a try's block in \p Coroutine, may throw: a
/// throw, a statement that may fail (mayFail), a call of the project's own
/// code (a coroutine of it throws where it is awaited, which mayFail
/// judges), a call through a pointer, or a library call known to throw. A
/// try's handlers run only then.
static bool blockMayThrow(const Stmt *Block, const FunctionDecl *Coroutine,
                          unsigned Depth) {
  const SourceManager &SM = Coroutine->getASTContext().getSourceManager();
  bool Throws = false;
  walkBody(Block, [&](const Stmt *N) {
    if (Throws)
      return false;
    if (isa<CXXThrowExpr>(N) || mayFail(N, Coroutine, Depth)) {
      Throws = true;
      return false;
    }
    const auto *Call = dyn_cast<CallExpr>(N);
    if (!Call)
      return true;
    const FunctionDecl *FD = Call->getDirectCallee();
    // An await is judged whole (mayFail), not by the awaiter's await_*
    // calls the compiler writes around its operand, nor by the coroutine
    // frame's builtins.
    if (FD && (FD->getBuiltinID() ||
               (FD->getDeclName().isIdentifier() &&
                FD->getName().starts_with("await_"))))
      return true;
    if (!FD)
      Throws = true;
    else if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
      Throws = throwsOf().libraryThrow(Call).has_value();
    else if (const FunctionDecl *Def = FD->getDefinition();
             !Def || !isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()))
      Throws = true;
    return !Throws;
  });
  return Throws;
}

/// What \p Fn's calls and throws let escape (ThrowAnalysis), as evidence of
/// a failure: a throw inside a library's own code (a service lookup under
/// a socket's constructor) is none, nor is a best-effort teardown's (a
/// socket's close() at the end); a call the model knows throws is.
static const Stmt *escapingThrow(const FunctionDecl *Fn, unsigned Depth) {
  ThrowAnalysis &Throws = throwsOf();
  std::optional<ThrowAnalysis::Escape> E =
      Throws.escapingThrow(Fn, /*AsCallee=*/Depth > 0);
  const SourceManager &SM = Fn->getASTContext().getSourceManager();
  if (E && (!E->Callee ||
            !SM.isInSystemHeader(SM.getExpansionLoc(E->Callee->getLocation())) ||
            (Throws.libraryThrow(E->At) && !model::isTeardownCall(E->Callee))))
    return E->At;
  return nullptr;
}

/// Nothing in the coroutine can fail by an exception that leaves it: every
/// statement that may fail (mayFail) sits in a try that handles the failure,
/// a handler throws nothing, and no call can (ThrowAnalysis: Asio calls
/// without their error_code overload do, such as building an acceptor; it
/// knows what each catch catches). Then `detached` drops nothing.
static bool cannotThrow(const FunctionDecl *Coroutine, const Stmt *Body,
                        unsigned Depth, const Stmt **Where) {
  const Stmt *Throwing = nullptr;
  walkBody(Body, [&](const Stmt *S) {
    if (Throwing)
      return false;
    if (const auto *Try = dyn_cast<CXXTryStmt>(S); Try && handlesFailure(Try)) {
      // A handler's throw passes a failure on, unless what it rethrows is
      // an exception that is no failure (a coroutine's forced_unwind), or
      // nothing in the block can throw (a wait on a timer whose handler
      // rethrows all but operation_aborted).
      if (!blockMayThrow(Try->getTryBlock(), Coroutine, Depth))
        return false;
      for (unsigned I = 0; I < Try->getNumHandlers() && !Throwing; ++I)
        if (!catchesIgnored(Try->getHandler(I)))
          walkBody(Try->getHandler(I), [&](const Stmt *N) {
            if (isa<CXXThrowExpr>(N))
              Throwing = N;
            return !Throwing;
          });
      return false;
    }
    if (mayFail(S, Coroutine, Depth))
      Throwing = S;
    return !Throwing;
  });
  if (!Throwing)
    Throwing = escapingThrow(Coroutine, Depth);
  if (Where)
    *Where = Throwing;
  return !Throwing;
}

/// The declaration \p E names and the type it has there.
static const ValueDecl *mentioned(const Stmt *S) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    return ME->getMemberDecl();
  return nullptr;
}

/// \p D lives in the coroutine's own frame: a local or a by-value
/// parameter of \p Fn (nobody else can reach it to cancel it).
static bool ownLocal(const ValueDecl *D, const FunctionDecl *Fn) {
  const auto *V = dyn_cast<VarDecl>(D);
  return V && V->hasLocalStorage() && !V->getType()->isReferenceType() &&
         V->getDeclContext() == Fn;
}

/// A handler of \p Try throws (a rethrow, a new exception).
static bool handlerThrows(const CXXTryStmt *Try) {
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
    if (anyInBody(Try->getHandler(I),
                  [](const Stmt *S) { return isa<CXXThrowExpr>(S); }))
      return true;
  return false;
}

/// The coroutine goes round a loop nothing leaves: unconditional, with no
/// exit (no break, return, co_return, throw or goto) and no statement that
/// can fail (mayFail: every wait hands its error back as a value,
/// `yield[ec]`, as_tuple). Whatever it waits on, a peer's error, a closed
/// acceptor or a cancelled wait only brings the next round.
static bool loopsWithoutExit(const model::CoroutineSpawn &S) {
  // A bound cancellation slot makes even a wait on the coroutine's own
  // timer throw operation_aborted: the owner's emit ends the loop.
  if (S.Token == model::CompletionToken::CancellableDetached)
    return false;
  llvm::SmallVector<LoopSite, 4> Loops;
  collectLoops(S.Body, Loops);
  const ASTContext &Ctx = S.Coroutine->getASTContext();
  return llvm::any_of(Loops, [&](const LoopSite &L) {
    if (L.Nested || !isUnconditional(L.Loop, Ctx) || findExit(L.Loop))
      return false;
    // A failure caught inside the loop by a handler that throws nothing
    // only brings the next round (`try { co_await acceptor.async_accept(
    // use_awaitable); } catch (const std::exception &e) { log(e); }`).
    bool Fails = false;
    walkBody(L.Loop, [&](const Stmt *N) {
      if (Fails)
        return false;
      if (const auto *Try = dyn_cast<CXXTryStmt>(N);
          Try && handlesFailure(Try) && !handlerThrows(Try))
        return false;
      Fails = mayFail(N, S.Coroutine, 0);
      return !Fails;
    });
    return !Fails;
  });
}

/// \p Call is an asynchronous operation (async_...) of a socket, stream
/// or acceptor: a method of one, or a free operation whose first argument
/// is one (by the type of the object, not of the variable that reaches it).
static bool readsPeerIo(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier() ||
      !FD->getName().starts_with("async_"))
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    return model::isPeerIoObject(operatedObject(MC));
  return Call->getNumArgs() > 0 &&
         model::isPeerIoObject(Call->getArg(0)->getType());
}

static bool endable(const model::CoroutineSpawn &S,
                    const model::ConcurrencyModel &Model) {
  if (S.Token == model::CompletionToken::CancellableDetached)
    return true;
  // A member coroutine of a class holding a socket: the session object,
  // also when a base holds it or a connection object of its own does
  // (`TcpConnection client_` around the socket).
  if (const auto *M = dyn_cast<CXXMethodDecl>(S.Coroutine);
      M && model::classBuiltAround(M->getParent(), model::isPeerIoObject,
                                   /*InContainers=*/false))
    return true;
  return anyInBody(S.Body, [&](const Stmt *Node) {
    if (const auto *Await = dyn_cast<CoawaitExpr>(Node)) {
      const Expr *Operand = model::awaitedOperand(Await);
      // co_await (a || b): the group ends when either branch does, and the
      // other is cancelled.
      if (const auto *Both = dyn_cast<CXXOperatorCallExpr>(Operand);
          Both && Both->getOperator() == OO_PipePipe)
        return true;
      // co_await peers[key]->async_read_some(...), async_read(*sock, ...):
      // an operation of a socket or stream however it is reached (a
      // shared_ptr, a map of them), which its peer ends.
      if (const auto *Call = dyn_cast<CallExpr>(Operand);
          Call && readsPeerIo(Call))
        return true;
      // co_await session->start(): an operation of an object built around a
      // socket or stream, which its peer ends; so is co_await
      // serve(std::move(session)), handed one.
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Operand);
          MC && holdsIoObject(MC->getImplicitObjectArgument(),
                              /*PeerEndedOnly=*/true))
        return true;
      if (const auto *Call = dyn_cast<CallExpr>(Operand);
          Call && !isa<CXXMemberCallExpr>(Call) &&
          llvm::any_of(Call->arguments(), [](const Expr *A) {
            return holdsIoObject(A, /*PeerEndedOnly=*/true);
          }))
        return true;
    }
    // self->async_wait(wait_read, yield): a stackful coroutine's wait on a
    // socket or stream, however reached, which its peer ends.
    if (const auto *Call = dyn_cast<CallExpr>(Node);
        Call && yieldTokenOf(Call) && readsPeerIo(Call))
      return true;
    // co_await bus.wait_request(id), co_await wait_push(client, ...): the
    // project's operation on an object an owner holds, built around what
    // it can close or cancel.
    if (const auto *Await = dyn_cast<CoawaitExpr>(Node))
      if (const auto *Call = dyn_cast<CallExpr>(model::awaitedOperand(Await));
          Call && onOwnersWaitObject(Call))
        return true;
    // co_await chan.async_receive(...) on an object the coroutine does not
    // own (a channel, a queue or a timer its owner holds, of any library):
    // whoever holds it can close or cancel it, and the wait ends.
    if (const auto *Await = dyn_cast<CoawaitExpr>(Node))
      if (const auto *Op = dyn_cast<CXXMemberCallExpr>(
              Await->getOperand()->IgnoreImplicit()))
        if (const CXXMethodDecl *MD = Op->getMethodDecl();
            MD && MD->getDeclName().isIdentifier() &&
            MD->getName().starts_with("async_")) {
          ObjectRoot R = rootOf(Op->getImplicitObjectArgument());
          if (R.Where == ObjectRoot::Shared || R.Where == ObjectRoot::Pointee)
            return true;
        }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Node))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (model::StopModel::asksStop(MD) ||
            (MD->getDeclName().isIdentifier() &&
             MD->getName() == "get_cancellation_state")) // yield's
          return true;
    const ValueDecl *D = mentioned(Node);
    if (!D)
      return false;
    QualType T = D->getType();
    if (D->getDeclName().isIdentifier() &&
        D->getName() == "cancellation_state") // this_coro::cancellation_state
      return true;
    if (Model.rolesReachableThrough(T) & model::StopSignal)
      return true;
    if (model::isPeerIoObject(T))
      return true;
    return model::isCancellableWaitObject(T) && !ownLocal(D, S.Coroutine);
  });
}

CoroutineOwnership ownershipOf(const model::CoroutineSpawn &S,
                               const model::ConcurrencyModel &Model,
                               const Provenance &Library) {
  CoroutineOwnership O;
  if (!S.Body || !S.Coroutine)
    return O;
  // The memo every function below reads; ownershipOf is their only caller.
  // Two questions, each with its own memo (a helper's answer differs
  // between them) and one analysis of throws.
  std::optional<ThrowAnalysis> Throws;
  FailureMemo Failures, Exits;
  Failures.Throws = Exits.Throws = &Throws;
  Failures.Library = Exits.Library = &Library;
  Exits.CountsStops = true;
  FailureMemo *Saved = std::exchange(Memo, &Failures);
  if (!model::dropsException(S.Token)) {
    O.FailureSeen = true;
  } else if (S.Group) {
    // A spawned group fails as its operands do, not as the library's
    // operator's body reads.
    O.Failure = failingOperand(S.Group, S.Coroutine->getASTContext(), 0);
    O.FailureSeen = !O.Failure;
  } else {
    // A callable that starts the coroutine runs inside the task: what its
    // own statements throw is lost as the coroutine's failures are
    // (calling the coroutine itself throws nothing).
    O.Failure = S.Starter ? escapingThrow(S.Starter, 0) : nullptr;
    O.FailureSeen =
        !O.Failure && cannotThrow(S.Coroutine, S.Body, 0, &O.Failure);
  }
  Memo = &Exits;
  // A coroutine that stops the io_context it runs on (a signal watcher's
  // `io.stop()`) is the program's way to end, even from a loop nothing
  // leaves: the context's owner then destroys its frame with everyone's.
  // A loop that leaves on state its owner changes (`if (m_stop_flag)
  // return;`, set by the class's stop()) is stopped by that owner.
  O.Stoppable = stopsEventLoop(S.Body) ||
                (!loopsWithoutExit(S) &&
                (endsByItself(S.Body, S.Coroutine->getASTContext()) ||
                 endable(S, Model) || loopsOnSharedState(S.Body)));
  Memo = Saved;
  return O;
}

namespace {
/// The first step of a task whose failures tether cannot read, following
/// the project's functions it calls: a call through a pointer or a
/// std::function, a virtual call an override may answer, a function whose
/// body is in another file (outside the standard library, whose throws the
/// model knows), or any throw (a test assertion's too: a failed REQUIRE is
/// the task's failure). A try that catches everything (or std::exception)
/// and does not rethrow contains what its block does.
class OpaqueSteps {
public:
  const Stmt *in(const FunctionDecl *Fn, unsigned Depth) {
    const FunctionDecl *Def = Fn->getDefinition();
    auto [It, Inserted] = Seen.try_emplace(Def, nullptr);
    if (!Inserted)
      return It->second;
    const Stmt *Body = Def->getBody();
    if (const auto *Coro = dyn_cast_or_null<CoroutineBodyStmt>(Body))
      Body = Coro->getBody();
    const Stmt *Found = Body ? first(Body, Depth) : nullptr;
    Seen[Def] = Found;
    return Found;
  }

private:
  static constexpr unsigned MaxDepth = 3;
  llvm::DenseMap<const FunctionDecl *, const Stmt *> Seen;

  static bool containsAll(const CXXTryStmt *Try) {
    bool CatchesAll = false;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      CatchesAll |= model::catchesAnyFailure(Try->getHandler(I));
    return CatchesAll && !handlerThrows(Try);
  }

  const Stmt *first(const Stmt *Body, unsigned Depth) {
    const Stmt *Found = nullptr;
    walkBody(Body, [&](const Stmt *S) {
      if (Found)
        return false;
      if (const auto *Try = dyn_cast<CXXTryStmt>(S))
        return !containsAll(Try);
      if (isa<CXXThrowExpr>(S) || opaqueCall(S, Depth))
        Found = S;
      return !Found;
    });
    return Found;
  }

  bool opaqueCall(const Stmt *S, unsigned Depth) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || isa<CUDAKernelCallExpr>(Call))
      return false;
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      // A pseudo-destructor or a builtin reads as no call; a pointer does.
      return !isa<CXXPseudoDestructorExpr>(Call->getCallee()->IgnoreParens());
    if (FD->getBuiltinID() || isNoThrow(FD))
      return false;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
        Op && Op->getOperator() == OO_Call &&
        model::isTypeErasedCallable(Op->getArg(0)->getType()))
      return true;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const CXXMethodDecl *MD = MC->getMethodDecl();
          MD && MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
          !MD->getParent()->hasAttr<FinalAttr>()) {
        const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
        if (!ME || !ME->hasQualifier())
          return true;
      }
    const SourceManager &SM = FD->getASTContext().getSourceManager();
    if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()))) {
      // The standard library's and C's functions: the model lists what
      // they throw. Another library's function compiled elsewhere (a test
      // framework's assertion handler) is unread.
      for (const DeclContext *DC = FD->getDeclContext(); DC;
           DC = DC->getParent())
        if (DC->isStdNamespace())
          return false;
      if (FD->isExternC() ||
          FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
        return false;
      return !FD->hasBody();
    }
    if (!FD->hasBody())
      return true;
    return Depth >= MaxDepth || in(FD, Depth + 1);
  }

  static bool isNoThrow(const FunctionDecl *FD) {
    const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
    return Proto && Proto->isNothrow();
  }
};
} // namespace

const Stmt *taskFailure(const FunctionDecl *Task, const Provenance &Library) {
  const FunctionDecl *Def = Task ? Task->getDefinition() : nullptr;
  if (!Def || !Def->getBody())
    return nullptr;
  if (const Stmt *Opaque = OpaqueSteps().in(Def, 0))
    return Opaque;
  std::optional<ThrowAnalysis> Throws;
  FailureMemo Failures;
  Failures.Throws = &Throws;
  Failures.Library = &Library;
  FailureMemo *Saved = std::exchange(Memo, &Failures);
  const Stmt *Failure = nullptr;
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(Def->getBody()))
    cannotThrow(Def, Coro->getBody(), 0, &Failure);
  else
    Failure = escapingThrow(Def, 0);
  Memo = Saved;
  return Failure;
}

} // namespace tether::analysis
