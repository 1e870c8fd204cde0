//===--- LoopAnatomy.cpp --------------------------------------------------===//

#include "LoopAnatomy.h"
#include "BodyWalk.h"
#include "Confinement.h"
#include "Describe.h"
#include "LockRegions.h"
#include "LoopExits.h"
#include "Matchers.h"
#include "../model/StdLibrary.h"
#include "../model/StopModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"
#include <optional>

using namespace clang;
using tether::model::CallKind;

namespace tether::analysis {

namespace {

using model::peelWrappers;

/// The variable or member an expression names (looking through ++/--).
const ValueDecl *referenced(const Expr *E) {
  E = peelWrappers(E);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E))
    if (U->isIncrementDecrementOp())
      E = U->getSubExpr();
  return namedValue(E);
}

/// Whether \p S mentions a declaration of \p Set, or calls now().
bool mentions(const Stmt *S, const llvm::DenseSet<const ValueDecl *> &Set,
              bool OrNow) {
  return anyInBody(S, [&](const Stmt *N) {
    if (const auto *E = dyn_cast<Expr>(N))
      if (const ValueDecl *D = referenced(E); D && Set.contains(D))
        return true;
    return OrNow && model::isClockRead(dyn_cast<CallExpr>(N));
  });
}

using model::objectOf;

/// empty() on a container other threads can reach: a member, a global, or
/// one reached through a reference, a pointer or a lambda's capture. A local
/// container is the loop's own business.
/// With \p Ctx, also a local that escapes to other code (captured by
/// reference by a thread's lambda, passed by reference) or whose type
/// shares its state (an executor running its own workers): whoever else
/// reaches it can change it while the loop waits.
bool sharedContainer(const CallExpr *Call, const ASTContext *Ctx = nullptr) {
  const Expr *Obj = objectOf(Call);
  if (!Obj)
    return false;
  // A string or a map is data, not a queue another thread feeds.
  if (model::isDataNotQueue(Obj->getType()))
    return false;
  ObjectRoot R = rootOf(Obj);
  if (Ctx && R.Where == ObjectRoot::Local)
    return !isConfinedLocal(Obj, *Ctx);
  return R.Where == ObjectRoot::Shared || R.Where == ObjectRoot::Pointee;
}

/// A container: a class with an empty() method.
bool isContainer(const Expr *E) {
  return model::hasMethodNamed(
      E->getType().getNonReferenceType()->getAsCXXRecordDecl(), "empty");
}

/// \p E is `c.size()` on a container other threads can reach
/// (sharedContainer): the call, or null.
const CallExpr *sharedSizeCall(const Expr *E) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(peelWrappers(E));
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  // The method's class, not the object's type: `items->size()` is
  // called through a pointer.
  return MD && MD->getDeclName().isIdentifier() && MD->getName() == "size" &&
                 MC->getNumArgs() == 0 &&
                 model::hasMethodNamed(MD->getParent(), "empty") &&
                 sharedContainer(MC)
             ? MC
             : nullptr;
}

/// What a take-all empties, and the local it fills.
struct TakeAll {
  const Expr *From = nullptr;
  const VarDecl *Into = nullptr;
};

/// `shared_.swap(local)`, `std::swap(local, shared_)`,
/// `local = std::move(shared_)`, `local = std::exchange(shared_, {})`: the
/// loop takes everything another thread put in a shared container into a
/// by-value local. It returns at once, empty or not: a poll whose result is
/// the local.
std::optional<TakeAll> takeAll(const CallExpr *Call) {
  const Expr *From = nullptr, *Into = nullptr;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || (!FD->getDeclName().isIdentifier() && !isa<CXXOperatorCallExpr>(Call)))
    return std::nullopt;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    if (FD->getName() != "swap" || MC->getNumArgs() != 1)
      return std::nullopt;
    From = MC->getImplicitObjectArgument();
    Into = MC->getArg(0);
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (Op->getOperator() != OO_Equal || Op->getNumArgs() != 2)
      return std::nullopt;
    Into = Op->getArg(0);
    const auto *Moved = dyn_cast<CallExpr>(Op->getArg(1)->IgnoreImplicit());
    const FunctionDecl *M = Moved ? Moved->getDirectCallee() : nullptr;
    if (!M || !M->isInStdNamespace() || !M->getDeclName().isIdentifier() ||
        !(M->getName() == "move" || M->getName() == "exchange") ||
        Moved->getNumArgs() < 1)
      return std::nullopt;
    From = Moved->getArg(0);
  } else if (FD->isInStdNamespace() && FD->getName() == "swap" &&
             Call->getNumArgs() == 2) {
    From = Call->getArg(0);
    Into = Call->getArg(1);
  } else {
    return std::nullopt;
  }
  auto SharedRoot = [](const Expr *E) {
    ObjectRoot R = rootOf(E);
    return R.Where == ObjectRoot::Shared || R.Where == ObjectRoot::Pointee;
  };
  auto LocalVar = [](const Expr *E) -> const VarDecl * {
    const auto *V = dyn_cast_or_null<VarDecl>(namedValue(peelWrappers(E)));
    return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
                   !V->getType()->isReferenceType()
               ? V
               : nullptr;
  };
  if (!isContainer(From) || !isContainer(Into))
    return std::nullopt;
  if (const VarDecl *V = LocalVar(Into); V && SharedRoot(From))
    return TakeAll{From, V};
  if (isa<CXXMemberCallExpr>(Call) || isa<CXXOperatorCallExpr>(Call))
    return std::nullopt;
  if (const VarDecl *V = LocalVar(From); V && SharedRoot(Into))
    return TakeAll{Into, V}; // std::swap(local, shared_)
  return std::nullopt;
}

/// A read of a volatile flag another thread may write: a bool, integer or
/// enum member of `this`, a global, a reference, a lambda's capture, or a
/// local that escapes. Not a read through a pointer (`reg->status`), which
/// is how memory-mapped device registers are polled.
bool readsSharedVolatileFlag(const Stmt *S, const ASTContext &Ctx) {
  const auto *Cast = dyn_cast<ImplicitCastExpr>(S);
  if (!Cast || Cast->getCastKind() != CK_LValueToRValue)
    return false;
  const Expr *Sub = Cast->getSubExpr()->IgnoreParens();
  QualType T = Sub->getType();
  if (!T.isVolatileQualified() ||
      !(T->isIntegralOrEnumerationType() || T->isBooleanType()))
    return false;
  ObjectRoot R = rootOf(Sub);
  if (R.Where == ObjectRoot::Shared)
    return true;
  return R.Where == ObjectRoot::Local && !isConfinedLocal(Sub, Ctx);
}

/// \p S takes a lock: a lock object's declaration or `m.lock()`. In a
/// loop's body, what the loop reads under that lock other threads write
/// under the same lock between its rounds (readsLockedFlag).
bool takesLock(const Stmt *S) {
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    return llvm::any_of(DS->decls(), [](const Decl *D) {
      const auto *V = dyn_cast<VarDecl>(D);
      return V && model::StopModel::isLockType(V->getType());
    });
  const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
  return Call && model::StopModel::lockDirection(Call->getMethodDecl()) > 0;
}

/// \p S takes or releases a lock (`std::lock_guard g(m);`, `m.lock()`,
/// `lk.unlock()`): bookkeeping around a read, no work of its own.
bool locksOrUnlocks(const Stmt *S) {
  if (takesLock(S))
    return true;
  const auto *E = dyn_cast<Expr>(S);
  const auto *Call =
      E ? dyn_cast<CXXMemberCallExpr>(E->IgnoreParenImpCasts()) : nullptr;
  return Call && model::StopModel::lockDirection(Call->getMethodDecl()) < 0;
}

/// What a test of a poll's result says when it is true: the poll took
/// something, came back empty (would block, timed out), or reported an end
/// (closed, cancelled, an error). An end is not "empty": a loop that leaves
/// on it still spins while the queue is open and empty.
enum class Pol { None, SuccessIfTrue, FailureIfTrue, EndIfTrue };

Pol flip(Pol P) {
  return P == Pol::SuccessIfTrue   ? Pol::FailureIfTrue
         : P == Pol::FailureIfTrue ? Pol::SuccessIfTrue
                                   : Pol::None; // not-ended: open or empty
}

/// The meaning of a status enumerator a poll's result is compared with.
Pol statusMeaning(llvm::StringRef N) {
  llvm::StringRef Empty[] = {"timeout",  "empty",     "deferred", "full",
                             "failure",  "would_block", "try_again", "again",
                             "busy",     "not_ready", "pending",  "retry",
                             "no_data",  "nothing"};
  llvm::StringRef End[] = {"closed",    "eof",        "end_of_file",
                           "shutdown",  "cancelled",  "canceled",
                           "stopped",   "disconnected", "terminated",
                           "aborted",   "error",      "broken"};
  std::string L = N.lower();
  for (llvm::StringRef E : Empty)
    if (L == E || (L.size() > E.size() && llvm::StringRef(L).ends_with(E) &&
                   L[L.size() - E.size() - 1] == '_'))
      return Pol::FailureIfTrue;
  for (llvm::StringRef E : End)
    if (L == E || (L.size() > E.size() && llvm::StringRef(L).ends_with(E) &&
                   L[L.size() - E.size() - 1] == '_'))
      return Pol::EndIfTrue;
  return Pol::SuccessIfTrue;
}

/// The variable or member \p S writes (x = ..., ++x, x += ...), if any.
const ValueDecl *writtenBy(const Stmt *S) {
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    return U->isIncrementDecrementOp() ? referenced(U->getSubExpr()) : nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    return BO->isAssignmentOp() ? referenced(BO->getLHS()) : nullptr;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
    if (Op->getNumArgs() >= 1 &&
        (Op->isAssignmentOp() || Op->getOperator() == OO_PlusPlus ||
         Op->getOperator() == OO_MinusMinus))
      return referenced(Op->getArg(0));
  return nullptr;
}

/// \p E is spelled EAGAIN or EWOULDBLOCK: "the call would have blocked".
bool spellsWouldBlock(const Expr *E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = E->IgnoreParenImpCasts()->getBeginLoc();
  for (unsigned I = 0; Loc.isMacroID() && I < 4; ++I) {
    llvm::StringRef Name =
        Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts());
    if (Name == "EAGAIN" || Name == "EWOULDBLOCK")
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

/// errno == EAGAIN (or EWOULDBLOCK, either side): the test a loop makes
/// when the call before it returned at once instead of blocking.
bool isWouldBlockTest(const Stmt *S, const ASTContext &Ctx) {
  const auto *BO = dyn_cast<BinaryOperator>(S);
  if (!BO || !BO->isEqualityOp())
    return false;
  auto ReadsErrno = [](const Expr *E) {
    return anyInBody(E, [](const Stmt *N) {
      const auto *Call = dyn_cast<CallExpr>(N);
      return Call && model::BlockingModel::readsErrno(Call);
    });
  };
  return (ReadsErrno(BO->getLHS()) && spellsWouldBlock(BO->getRHS(), Ctx)) ||
         (ReadsErrno(BO->getRHS()) && spellsWouldBlock(BO->getLHS(), Ctx));
}

/// The loop body does nothing: empty, or only pauses and yields.
bool idleBody(const Stmt *Body, const model::BlockingModel &Model) {
  if (!Body || isa<NullStmt>(Body))
    return true;
  auto Idle = [&](const Stmt *S) {
    if (isa<NullStmt>(S) || locksOrUnlocks(S))
      return true;
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      if (const auto *E = dyn_cast<Expr>(S))
        Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
    if (!Call)
      return false;
    CallKind K = Model.classifyCall(Call);
    return K == CallKind::Yield || K == CallKind::Pause ||
           (K == CallKind::User &&
            (Model.effectOf(Call->getDirectCallee()) & model::OnlyPauses));
  };
  if (const auto *CS = dyn_cast<CompoundStmt>(Body))
    return llvm::all_of(CS->body(), Idle);
  return Idle(Body);
}

/// The tests of a body that does nothing but pause or yield, besides
/// leaving when a test says so (`for (;;) { yield(); if (rt.is_cancelled())
/// { cancelled = true; break; } }`): the loop's question asked in its body
/// rather than its condition. Empty when the body does anything else.
llvm::SmallVector<const Expr *, 2> idleExitTests(const Stmt *Body,
                                                 const model::BlockingModel &Model) {
  llvm::SmallVector<const Expr *, 2> Tests;
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS)
    return Tests;
  for (const Stmt *S : CS->body()) {
    if (idleBody(S, Model))
      continue;
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || If->getElse() || If->getInit() || If->getConditionVariable() ||
        branchEnd(If->getThen(), /*OwnsBreaks=*/true) != BranchEnd::LeavesLoop)
      return {};
    Tests.push_back(If->getCond());
  }
  return Tests;
}

/// How a statement can end without doing anything but test flags, pause or
/// yield: by falling through to the next statement, or by `continue`.
struct IdleRoutes {
  bool FallsThrough = false;
  bool Continues = false;
  bool any() const { return FallsThrough || Continues; }
};

/// An expression that only reads: variables, members, atomic loads (and,
/// when \p Library, library calls known not to wait, such as a clock's
/// now()); no write, no call into the project.
bool onlyReads(const Expr *E, const model::BlockingModel &Model,
               bool Library = false) {
  return E && !anyInBody(E, [&](const Stmt *N) {
    if (writtenBy(N))
      return true;
    const auto *Call = dyn_cast<CallExpr>(N);
    if (!Call)
      return false;
    CallKind K = Model.classifyCall(Call);
    return K != CallKind::AtomicRead && !(Library && K == CallKind::Trivial);
  });
}

/// `t0 = clock::now();`: a local's value kept for later, from reads only.
/// It does no work another thread waits for. Returns the local, or null.
const VarDecl *bookkeeping(const Stmt *S, const model::BlockingModel &Model) {
  if (const auto *E = dyn_cast<Expr>(S))
    S = E->IgnoreImplicit(); // the cleanups of a temporary
  const auto *V = dyn_cast_or_null<VarDecl>(writtenBy(S));
  if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType())
    return nullptr;
  const Expr *Value = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    Value = BO->getRHS();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
           Op && Op->getNumArgs() == 2)
    Value = Op->getArg(1);
  return Value && onlyReads(Value, Model, /*Library=*/true) ? V : nullptr;
}

/// What the idle ways through a statement write and test.
struct IdleWay {
  llvm::DenseSet<const ValueDecl *> Kept; ///< locals bookkeeping writes
  const Expr *Guard = nullptr; ///< the first test that skips the work
};

/// The enumerator \p Cond tests a variable or member for (`phase ==
/// PROCESS`, either side), with the variable; {null, null} otherwise.
std::pair<const ValueDecl *, const EnumConstantDecl *>
enumeratorTest(const Expr *Cond) {
  const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
  if (!BO || BO->getOpcode() != BO_EQ)
    return {};
  for (auto [Subject, Value] : {std::pair(BO->getLHS(), BO->getRHS()),
                                std::pair(BO->getRHS(), BO->getLHS())}) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Value->IgnoreParenImpCasts());
    const auto *E = Ref ? dyn_cast<EnumConstantDecl>(Ref->getDecl()) : nullptr;
    if (const ValueDecl *V = namedValue(Subject->IgnoreParenImpCasts());
        E && V && !isa<EnumConstantDecl>(V))
      return {V, E};
  }
  return {};
}

/// The if/else-if chain headed by \p Head has no final else, and its tests
/// name every enumerator of one variable's enum (`if (phase == PROCESS)
/// ... else if (phase == PREPROCESS) ...` for `enum Phase { PREPROCESS,
/// PROCESS }`): the way past its last test is never taken.
bool exhaustsEnum(const IfStmt *Head) {
  const ValueDecl *Subject = nullptr;
  const EnumDecl *Enum = nullptr;
  llvm::SmallPtrSet<const EnumConstantDecl *, 8> Named;
  for (const IfStmt *If = Head; If;) {
    if (If->getInit() || If->getConditionVariable())
      return false;
    auto [V, E] = enumeratorTest(If->getCond());
    if (!V || (Subject && V != Subject))
      return false;
    Subject = V;
    Enum = dyn_cast<EnumDecl>(E->getDeclContext());
    Named.insert(E);
    if (!If->getElse())
      break;
    if (!(If = dyn_cast<IfStmt>(If->getElse())))
      return false; // a final else
  }
  return Enum && llvm::all_of(Enum->enumerators(),
                              [&](const EnumConstantDecl *E) {
                                return Named.contains(E);
                              });
}

/// The idle ways through \p S.
IdleRoutes idleRoutes(const Stmt *S, const model::BlockingModel &Model,
                      IdleWay &Way) {
  if (!S || isa<NullStmt>(S) || idleBody(S, Model))
    return {true, false};
  if (const VarDecl *V = bookkeeping(S, Model)) {
    Way.Kept.insert(V);
    return {true, false};
  }
  if (isa<ContinueStmt>(S))
    return {false, true};
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *C : CS->body()) {
      IdleRoutes R = idleRoutes(C, Model, Way);
      if (R.Continues)
        return {false, true};
      if (!R.FallsThrough)
        return {};
    }
    return {true, false};
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    // A chain over every value of an enum has no way past its tests: only
    // its branches' ways count.
    if (exhaustsEnum(If)) {
      IdleRoutes All;
      for (const IfStmt *Link = If; Link;
           Link = dyn_cast_or_null<IfStmt>(Link->getElse())) {
        IdleRoutes R = idleRoutes(Link->getThen(), Model, Way);
        All.FallsThrough |= R.FallsThrough;
        All.Continues |= R.Continues;
      }
      return All;
    }
    // A test of the clock (now() > deadline) reads too: on its false way
    // the loop still only re-reads.
    if (If->getInit() || If->getConditionVariable() ||
        !onlyReads(If->getCond(), Model, /*Library=*/true))
      return {};
    IdleRoutes Then = idleRoutes(If->getThen(), Model, Way);
    IdleRoutes Else = If->getElse() ? idleRoutes(If->getElse(), Model, Way)
                                    : IdleRoutes{true, false};
    if (!Way.Guard &&
        (Then.any() != Else.any() || Then.Continues != Else.Continues))
      Way.Guard = If->getCond();
    return {Then.FallsThrough || Else.FallsThrough,
            Then.Continues || Else.Continues};
  }
  return {};
}

class Walker {
public:
  Walker(const model::BlockingModel &Model, const ASTContext &Ctx,
         LoopAnatomy &A)
      : Model(Model), Ctx(Ctx), A(A) {}

  void analyse(const Stmt *Analysed) {
    Loop = Analysed;
    LoopParts Parts = partsOf(Loop);
    const Stmt *Body = Parts.Body;
    const Expr *Cond = Parts.Cond, *Inc = Parts.Inc;
    const VarDecl *CondVar = Parts.CondVar;
    TestsWouldBlock = anyInBody(
        Loop, [&](const Stmt *N) { return isWouldBlockTest(N, Ctx); });
    if (anyInBody(Body, takesLock)) {
      llvm::SmallVector<LockedMention, 8> Locked;
      collectLockedMentions(Body, &model::StopModel::isLockType, Locked);
      for (const LockedMention &M : Locked)
        LockedReads.insert(M.Mention);
    }
    collectCounters(Loop);
    if (Cond && mentionsErrno(Cond) &&
        !anyInBody(Cond,
                   [&](const Stmt *N) { return isWouldBlockTest(N, Ctx); }))
      A.Bounded = true; // retries a call a signal interrupted (EINTR)
    // while (!worklist.empty()) on a local container: a worklist.
    if (Cond && testsLocalEmptiness(Cond))
      A.Bounded = true;
    if (!Inc && idleBody(Body, Model))
      collectQueries(CondVar ? CondVar->getInit() : Cond);
    if (!Inc)
      for (const Expr *Test : idleExitTests(Body, Model))
        collectQueries(Test);
    if (Cond)
      walkBody(Cond, [&](const Stmt *N) {
        // The project's own class: a library's object (an atomic counter,
        // a container) is the shared state other threads change too.
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(N))
          if (const CXXMethodDecl *M = MC->getMethodDecl();
              M && M->isConst() &&
              !Ctx.getSourceManager().isInSystemHeader(
                  Ctx.getSourceManager().getExpansionLoc(M->getLocation())))
            if (const ValueDecl *D = referenced(MC->getImplicitObjectArgument()))
              Measured.insert(D);
        return true;
      });
    const CallExpr *Poll = nullptr;
    Pol P = Pol::None;
    if (CondVar && CondVar->getInit()) {
      walk(CondVar->getInit(), true, 0);
      P = callPolarity(CondVar->getInit(), Poll);
    } else if (Cond) {
      walk(Cond, true, 0);
      P = polarity(Cond, Poll);
    }
    // while (q.try_pop(x)) ...: the loop ends when the queue is empty.
    if (P == Pol::SuccessIfTrue)
      A.ExitsOnFailure = true;
    walk(Body, true, 0);
    walk(Inc, true, 0);
    // A way around the loop that only re-reads flags spins while the flags
    // say "not yet", whatever the other ways do; only a deadline or a
    // counter kept on that way bounds it.
    IdleWay Way;
    if (!Inc && !A.WeakPolls.empty() && idleRoutes(Body, Model, Way).any()) {
      A.IdleSpin = !(Cond && mentions(Cond, Way.Kept, /*OrNow=*/true)) &&
                   llvm::none_of(ExitTests, [&](const Expr *E) {
                     return mentions(E, Way.Kept, /*OrNow=*/true);
                   });
      A.IdleGuard = Way.Guard;
    }
    // What only a successful poll changes counts progress, not time.
    forgetProgress(Counters);
    forgetProgress(Advanced);
    // `if (rt.is_cancelled()) { cancelled = true; break; }`: a write on the
    // way out of the loop advances nothing the loop goes round on.
    for (const ValueDecl *D : writtenOnlyOnLeaving(Body))
      Advanced.erase(D);
    if (Cond && isBounding(Cond))
      A.Bounded = true;
    // A loop that advances what its condition tests (p = p->next, pos =
    // find(...), i = (i + 1) & mask) walks data, it does not wait.
    if (Cond && mentions(Cond, Advanced, false))
      A.Bounded = true;
    for (const Expr *E : ExitTests)
      if (isBounding(E))
        A.Bounded = true;
  }

private:
  const model::BlockingModel &Model;
  const ASTContext &Ctx;
  const Stmt *Loop = nullptr; ///< the loop analysed
  LoopAnatomy &A;
  /// Variables holding a poll's result, or a test of it, and what their
  /// being true says.
  llvm::DenseMap<const VarDecl *, std::pair<const CallExpr *, Pol>> PollVars;
  /// Queries an idle loop's condition asks of a shared object (peek(),
  /// size(), a const method): the loop's polls.
  llvm::DenseSet<const CallExpr *> Queries;
  /// Variables written where the poll may have come back empty: a counter
  /// or flag written only when a poll succeeded counts progress, it does
  /// not bound the wait.
  llvm::DenseSet<const ValueDecl *> FreeWrites;
  /// if (counter > n) break; conditions, judged once the walk knows which
  /// counters are free.
  llvm::SmallVector<const Expr *, 2> ExitTests;
  /// The loop tests errno for EAGAIN: its I/O calls do not block, they
  /// return at once (a non-blocking descriptor, MSG_DONTWAIT).
  bool TestsWouldBlock = false;
  /// Variables and members the body names while holding a lock it takes
  /// itself each round (LockRegions).
  llvm::DenseSet<const Expr *> LockedReads;

  /// A read of a flag (a bool, integer or enum that is not atomic) under a
  /// lock the loop takes each round, where another thread can reach it (a
  /// member, a global, a capture, through a pointer; not a confined local):
  /// `{ std::lock_guard g(m); if (ready_) break; }` polls `ready_` as an
  /// atomic load would, the lock only makes each read safe.
  bool readsLockedFlag(const Stmt *S) const {
    if (LockedReads.empty())
      return false;
    const auto *Cast = dyn_cast<ImplicitCastExpr>(S);
    if (!Cast || Cast->getCastKind() != CK_LValueToRValue)
      return false;
    const Expr *Sub = Cast->getSubExpr()->IgnoreParens();
    if (!Sub->getType()->isIntegralOrEnumerationType())
      return false;
    // LockRegions names the variable or `this` member an access starts
    // from: job.phase, buf->ready and *my_turn are read through job, buf
    // and my_turn.
    const Expr *Named = Sub;
    while (!LockedReads.contains(Named)) {
      if (const auto *ME = dyn_cast<MemberExpr>(Named))
        Named = ME->getBase()->IgnoreParenImpCasts();
      else if (const auto *U = dyn_cast<UnaryOperator>(Named);
               U && U->getOpcode() == UO_Deref)
        Named = U->getSubExpr()->IgnoreParenImpCasts();
      else
        return false;
    }
    ObjectRoot R = rootOf(Sub);
    return R.Where == ObjectRoot::Shared || R.Where == ObjectRoot::Pointee ||
           (R.Where == ObjectRoot::Local && !isConfinedLocal(Sub, Ctx));
  }
  const CallExpr *LastIO = nullptr; ///< the last such call walked
  /// Polls whose empty result a branch already sent back to the top of the
  /// loop: a later test of the same poll that leaves handles an error.
  llvm::DenseSet<const CallExpr *> EmptyHandled;
  /// size() calls a fullness or emptiness test made polls (sizeTest).
  llvm::DenseSet<const CallExpr *> SizeTests;
  /// The objects whose own (the project's) const methods the loop's
  /// condition asks (`job->size() > job->batch()`): the loop waits on
  /// their state.
  llvm::DenseSet<const ValueDecl *> Measured;
  /// Getters in a template pattern (skipDependentAccessor).
  llvm::DenseSet<const CallExpr *> Accessors;
  /// Locals a take-all swap filled (takeAll), and the swap: what is
  /// in them is what the poll got.
  llvm::DenseMap<const VarDecl *, const CallExpr *> Taken;

  /// The take-all swap behind a test of a local it filled
  /// (`local.empty()`), or null.
  const CallExpr *takenBy(const CallExpr *Call) const {
    const Expr *Obj = objectOf(Call);
    const auto *V =
        Obj ? dyn_cast_or_null<VarDecl>(namedValue(peelWrappers(Obj))) : nullptr;
    auto It = V ? Taken.find(V) : Taken.end();
    return It == Taken.end() ? nullptr : It->second;
  }

  /// A poll of a local no other thread can reach (a concurrent queue this
  /// function alone fills) answers what this thread did: it waits for
  /// nobody.
  bool confined(const CallExpr *Call) const {
    const Expr *Obj = objectOf(Call);
    return Obj && (isConfinedLocal(Obj, Ctx) ||
                   (Loop && writersJoinedBefore(Obj, Loop, Ctx)));
  }

  /// read/recv/accept of a loop that tests for EAGAIN: a poll.
  bool nonBlockingIO(const CallExpr *Call) const {
    return TestsWouldBlock && model::BlockingModel::mayReportWouldBlock(Call);
  }
  llvm::DenseSet<const ValueDecl *> Counters; ///< ++, --, +=, -=
  llvm::DenseSet<const ValueDecl *> Assigned; ///< any write
  llvm::DenseSet<const ValueDecl *> Advanced; ///< = from something not polled

  /// `next = next->_next.load()`: the value is read from the object the
  /// variable points to, so each round reads another node: a walk along a
  /// chain, however the link is read (an atomic load is no poll here).
  static bool stepsAlong(const Expr *Value, const ValueDecl *D) {
    const Expr *E = model::peelWrappers(Value);
    if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
      E = objectOf(Call);
    const auto *ME =
        E ? dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()) : nullptr;
    const auto *Ref =
        ME && ME->isArrow()
            ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())
            : nullptr;
    return Ref && Ref->getDecl() == D;
  }

  /// \p E contains a poll: the value it assigns was polled.
  bool containsPoll(const Stmt *E) const {
    return anyInBody(E, [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        CallKind K = Model.classifyCall(Call);
        return K == CallKind::Poll || K == CallKind::AtomicRead ||
               K == CallKind::Emptiness || K == CallKind::Opaque ||
               nonBlockingIO(Call);
      }
      return false;
    });
  }

  /// What the loop writes only in branches that leave it (the top-level
  /// `if (...) { x = ...; break; }` of its body).
  llvm::SmallVector<const ValueDecl *, 2>
  writtenOnlyOnLeaving(const Stmt *Body) const {
    llvm::DenseSet<const ValueDecl *> OnLeaving, Elsewhere;
    auto Collect = [](const Stmt *S, llvm::DenseSet<const ValueDecl *> &Into) {
      walkBody(S, [&](const Stmt *N) {
        if (const ValueDecl *D = writtenBy(N))
          Into.insert(D);
        return true;
      });
    };
    const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
    if (!CS)
      return {};
    for (const Stmt *S : CS->body()) {
      const auto *If = dyn_cast<IfStmt>(S);
      if (If && !If->getElse() &&
          branchEnd(If->getThen(), /*OwnsBreaks=*/true) ==
              BranchEnd::LeavesLoop) {
        Collect(If->getCond(), Elsewhere);
        Collect(If->getThen(), OnLeaving);
      } else {
        Collect(S, Elsewhere);
      }
    }
    llvm::SmallVector<const ValueDecl *, 2> Only;
    for (const ValueDecl *D : OnLeaving)
      if (!Elsewhere.contains(D))
        Only.push_back(D);
    return Only;
  }

  void forgetProgress(llvm::DenseSet<const ValueDecl *> &Set) const {
    llvm::SmallVector<const ValueDecl *, 4> Progress;
    for (const ValueDecl *D : Set)
      if (!FreeWrites.contains(D))
        Progress.push_back(D);
    for (const ValueDecl *D : Progress)
      Set.erase(D);
  }

  /// An idle loop's condition that asks a shared object's state and writes
  /// nothing (while (!ring->peek(v)) {}, while (q.size() == 0) {},
  /// while (executor.num_waiters() != n) yield();) waits for another
  /// thread to change that state: its queries are polls. The body does
  /// nothing, so even a local the loop asks about can change only through
  /// whoever else reaches it.
  void collectQueries(const Expr *Cond) {
    if (!Cond || anyInBody(Cond, [](const Stmt *N) { return writtenBy(N); }))
      return;
    walkBody(Cond, [&](const Stmt *N) {
      if (const auto *Call = dyn_cast<CallExpr>(N)) {
        CallKind K = Model.classifyCall(Call);
        if ((K == CallKind::User || K == CallKind::Trivial ||
             K == CallKind::Opaque) &&
            Model.isQuery(Call) &&
            !model::BlockingModel::namesWaitOrAcquire(Call) &&
            sharedContainer(Call, &Ctx))
          Queries.insert(Call);
      }
      return true;
    });
  }

  bool testsLocalEmptiness(const Stmt *S) const {
    return anyInBody(S, [&](const Stmt *N) {
      const auto *Call = dyn_cast<CallExpr>(N);
      return Call && Model.classifyCall(Call) == CallKind::Emptiness &&
             !sharedContainer(Call);
    });
  }

  static bool mentionsErrno(const Stmt *S) {
    return anyInBody(S, [](const Stmt *N) {
      const auto *Call = dyn_cast<CallExpr>(N);
      return Call && model::BlockingModel::readsErrno(Call);
    });
  }

  void collectCounters(const Stmt *Loop) {
    walkBody(Loop, [&](const Stmt *S) {
      countWrite(S);
      return true;
    });
  }

  void countWrite(const Stmt *S) {
    if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if (U->isIncrementDecrementOp())
        if (const ValueDecl *D = referenced(U->getSubExpr())) {
          Counters.insert(D);
          Assigned.insert(D);
        }
    } else if (const auto *CA = dyn_cast<CompoundAssignOperator>(S)) {
      if (const ValueDecl *D = referenced(CA->getLHS())) {
        Assigned.insert(D);
        BinaryOperatorKind Op = CA->getOpcode();
        if (Op == BO_AddAssign || Op == BO_SubAssign)
          Counters.insert(D);
        if (Op == BO_MulAssign || Op == BO_ShlAssign)
          A.Backoff = true; // delay *= 2
      }
    } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign)
        if (const ValueDecl *D = referenced(BO->getLHS())) {
          Assigned.insert(D);
          rememberPollResult(D, BO->getRHS());
          if (!containsPoll(BO->getRHS()) || stepsAlong(BO->getRHS(), D))
            Advanced.insert(D);
          if (growsFrom(BO->getRHS(), D))
            A.Backoff = true; // delay = std::min(delay * 2, max)
        }
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (Op->isAssignmentOp() && Op->getNumArgs() == 2)
        if (const ValueDecl *D = referenced(Op->getArg(0))) {
          Assigned.insert(D);
          if (Op->getOperator() == OO_StarEqual)
            A.Backoff = true;
          if (Op->getOperator() == OO_PlusEqual ||
              Op->getOperator() == OO_MinusEqual)
            Counters.insert(D);
          if (Op->getOperator() == OO_Equal && growsFrom(Op->getArg(1), D))
            A.Backoff = true;
          if (Op->getOperator() == OO_Equal &&
              (!containsPoll(Op->getArg(1)) || stepsAlong(Op->getArg(1), D)))
            Advanced.insert(D);
          if (Op->getOperator() == OO_Equal)
            rememberPollResult(D, Op->getArg(1));
        }
      if ((Op->getOperator() == OO_PlusPlus ||
           Op->getOperator() == OO_MinusMinus) &&
          Op->getNumArgs() >= 1)
        if (const ValueDecl *D = referenced(Op->getArg(0))) {
          Counters.insert(D);
          Assigned.insert(D);
        }
    }
  }

  /// status = q.try_pop(v); got = q.try_pop(v) == Status::ok: the variable
  /// holds the poll's result, tested later (also in the loop's condition).
  void rememberPollResult(const ValueDecl *D, const Expr *Value) {
    const auto *VD = dyn_cast<VarDecl>(D);
    const CallExpr *Poll = nullptr;
    if (!VD)
      return;
    if (Pol P = polarity(Value, Poll); P != Pol::None)
      PollVars[VD] = {Poll, P};
  }

  /// \p E multiplies or shifts \p D: a delay that grows.
  static bool growsFrom(const Stmt *E, const ValueDecl *D) {
    llvm::DenseSet<const ValueDecl *> One;
    One.insert(D);
    return anyInBody(E, [&](const Stmt *S) {
      if (const auto *BO = dyn_cast<BinaryOperator>(S))
        if (BO->getOpcode() == BO_Mul || BO->getOpcode() == BO_Shl)
          return mentions(BO, One, false);
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S))
        if (Op->getOperator() == OO_Star)
          return mentions(Op, One, false);
      return false;
    });
  }

  /// A comparison with a counter changed in the loop, or with now().
  bool isBounding(const Expr *E) const {
    E = peelWrappers(E);
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      if (U->getOpcode() == UO_LNot)
        return isBounding(U->getSubExpr());
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->isLogicalOp())
        return isBounding(BO->getLHS()) || isBounding(BO->getRHS());
      if (BO->isComparisonOp())
        return mentions(BO, Counters, /*OrNow=*/true);
    }
    // a < b on class types in C++20: rewritten through operator<=>.
    if (isa<CXXRewrittenBinaryOperator>(E))
      return mentions(E, Counters, /*OrNow=*/true);
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
      if (Op->getNumArgs() == 2) {
        OverloadedOperatorKind K = Op->getOperator();
        if (K == OO_Less || K == OO_LessEqual || K == OO_Greater ||
            K == OO_GreaterEqual || K == OO_EqualEqual || K == OO_ExclaimEqual)
          return mentions(Op, Counters, /*OrNow=*/true);
      }
    return false;
  }

  /// The poll a condition tests, and whether true means it succeeded.
  /// `got += q.try_dequeue_bulk(items, n);`, `i += q.try_pop(x) ? 1 : 0;`
  /// (also through a local the result was put in):
  /// a counter that grows by what the poll got changes only when a poll
  /// succeeds, wherever it is written. It counts progress, not time.
  bool addsPollResult(const Stmt *S) {
    const auto *CA = dyn_cast<CompoundAssignOperator>(S);
    if (!CA || (CA->getOpcode() != BO_AddAssign &&
                CA->getOpcode() != BO_SubAssign))
      return false;
    const Expr *Added = peelWrappers(CA->getRHS());
    // auto got = q.try_dequeue_bulk(items, n); total += got;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Added))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->hasLocalStorage() && VD->getInit() &&
          !VD->getType()->isReferenceType())
        Added = peelWrappers(VD->getInit());
    if (const auto *C = dyn_cast<ConditionalOperator>(Added)) {
      // poll ? 1 : 0 (or !poll ? 0 : 1): nothing is added on failure.
      const CallExpr *Poll = nullptr;
      Pol P = polarity(C->getCond(), Poll);
      const Expr *OnFailure =
          P == Pol::SuccessIfTrue   ? C->getFalseExpr()
          : P == Pol::FailureIfTrue ? C->getTrueExpr()
                                    : nullptr;
      Expr::EvalResult Zero;
      return OnFailure &&
             peelWrappers(OnFailure)->EvaluateAsInt(Zero, Ctx) &&
             Zero.Val.getInt() == 0;
    }
    // The count a bulk poll returns: zero when it got nothing.
    const auto *Call = dyn_cast<CallExpr>(Added);
    if (!Call || Call->getType().isNull() ||
        !Call->getType()->isIntegerType() || Call->getType()->isBooleanType())
      return false;
    const auto *Callee = dyn_cast_or_null<NamedDecl>(Call->getCalleeDecl());
    return Model.classifyCall(Call) == CallKind::Poll ||
           (Callee && Callee->getDeclName().isIdentifier() &&
            Callee->getName().starts_with("try_") && Model.isQuery(Call));
  }

  Pol polarity(const Expr *E, const CallExpr *&Poll) {
    E = peelWrappers(E);
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      if (U->getOpcode() == UO_LNot)
        return flip(polarity(U->getSubExpr(), Poll));
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->isLogicalOp()) {
        const CallExpr *LPoll = nullptr, *RPoll = nullptr;
        Pol L = polarity(BO->getLHS(), LPoll);
        Pol R = polarity(BO->getRHS(), RPoll);
        // st == closed || st == empty: true on an empty queue too.
        if (L == Pol::EndIfTrue && R != Pol::None && R != Pol::EndIfTrue)
          L = Pol::None;
        if (R == Pol::EndIfTrue && L != Pol::None && L != Pol::EndIfTrue)
          R = Pol::None;
        // st == closed || stopping_: may be true while the queue is empty.
        bool Or = BO->getOpcode() == BO_LOr;
        if (Or && ((L == Pol::EndIfTrue && R == Pol::None) ||
                   (R == Pol::EndIfTrue && L == Pol::None)))
          return Pol::None;
        Poll = L != Pol::None ? LPoll : RPoll;
        return L != Pol::None ? L : R;
      }
      if (isWouldBlockTest(BO, Ctx)) {
        Poll = LastIO; // errno == EAGAIN: the last call came back empty
        return LastIO && BO->getOpcode() == BO_EQ ? Pol::FailureIfTrue
                                                  : Pol::None;
      }
      if (BO->isComparisonOp())
        return comparison(BO->getOpcode(), BO->getLHS(), BO->getRHS(), Poll);
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getNumArgs() == 2 && (Op->getOperator() == OO_EqualEqual ||
                                    Op->getOperator() == OO_ExclaimEqual))
        return comparison(Op->getOperator() == OO_EqualEqual ? BO_EQ : BO_NE,
                          Op->getArg(0), Op->getArg(1), Poll);
      if (Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1)
        return flip(polarity(Op->getArg(0), Poll));
    }
    return callPolarity(E, Poll);
  }

  /// `c.size() < cap`, `c.size() >= cap`, `c.size() > 0` on a container
  /// another thread fills or drains: a test of its fullness or emptiness,
  /// read as a poll like empty() (a producer spinning while the shared
  /// buffer is full). Against 0, size() tells emptiness; against anything
  /// else, room.
  Pol sizeTest(BinaryOperatorKind Op, const Expr *L, const Expr *R,
               const CallExpr *&Poll) {
    const CallExpr *Size = sharedSizeCall(L);
    const Expr *Bound = R;
    if (!Size) {
      Size = sharedSizeCall(R);
      Bound = L;
      switch (Op) { // cap > size() is size() < cap
      case BO_LT: Op = BO_GT; break;
      case BO_GT: Op = BO_LT; break;
      case BO_LE: Op = BO_GE; break;
      case BO_GE: Op = BO_LE; break;
      default: break;
      }
    }
    if (!Size || sharedSizeCall(Bound))
      return Pol::None;
    Expr::EvalResult Zero;
    bool AgainstZero = !Bound->isValueDependent() &&
                       Bound->EvaluateAsInt(Zero, Ctx) &&
                       Zero.Val.getInt().isZero();
    Pol P = Pol::None;
    if (AgainstZero)
      P = Op == BO_GT || Op == BO_NE   ? Pol::SuccessIfTrue
          : Op == BO_EQ || Op == BO_LE ? Pol::FailureIfTrue
                                       : Pol::None;
    else
      P = Op == BO_LT || Op == BO_LE                  ? Pol::SuccessIfTrue
          : Op == BO_GE || Op == BO_GT || Op == BO_EQ ? Pol::FailureIfTrue
                                                      : Pol::None;
    if (P == Pol::None)
      return P;
    Poll = Size;
    // size() is no poll by its name (a query like any other): this test
    // makes it one.
    if (SizeTests.insert(Size).second)
      A.Polls.push_back({Size, CallKind::Emptiness});
    return P;
  }

  Pol comparison(BinaryOperatorKind Op, const Expr *L, const Expr *R,
                 const CallExpr *&Poll) {
    if (Pol P = sizeTest(Op, L, R, Poll); P != Pol::None)
      return P;
    Pol P = callPolarity(L, Poll);
    const Expr *Other = R;
    if (P == Pol::None) {
      P = callPolarity(R, Poll);
      Other = L;
      // Mirror the comparison: 0 < poll(...) is poll(...) > 0.
      switch (Op) {
      case BO_LT: Op = BO_GT; break;
      case BO_GT: Op = BO_LT; break;
      case BO_LE: Op = BO_GE; break;
      case BO_GE: Op = BO_LE; break;
      default: break;
      }
    }
    if (P == Pol::None)
      return Pol::None;
    Other = peelWrappers(Other);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Other))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl())) {
        if (P != Pol::SuccessIfTrue)
          return Pol::None; // a test of a test
        Pol Meaning = statusMeaning(EC->getName());
        if (Op == BO_EQ)
          return Meaning;
        if (Op == BO_NE)
          return flip(Meaning);
        return Pol::None;
      }
    // item == nullptr: the poll came back empty; != nullptr: it got one.
    if (!Other->isValueDependent() && Other->getType()->isNullPtrType())
      return Op == BO_EQ ? flip(P) : Op == BO_NE ? P : Pol::None;
    Expr::EvalResult V;
    if (Other->isValueDependent() || !Other->getType()->isIntegerType() ||
        !Other->EvaluateAsInt(V, Ctx))
      return Op == BO_EQ ? P : Op == BO_NE ? flip(P) : Pol::None;
    int64_t N = V.Val.getInt().getExtValue();
    // recv(...) < 0, == -1: it failed (errno says whether it was empty).
    if (Poll && nonBlockingIO(Poll)) {
      if ((Op == BO_LT && N == 0) || (Op == BO_EQ && N == -1) ||
          (Op == BO_LE && N == -1))
        return flip(P);
      if ((Op == BO_GE && N == 0) || (Op == BO_NE && N == -1) ||
          (Op == BO_GT && N == -1))
        return P;
    }
    // poll(fds, n, 0) > 0: something is ready.
    if ((Op == BO_NE && N == 0) || (Op == BO_GT && N == 0) ||
        (Op == BO_GE && N == 1))
      return P;
    if ((Op == BO_EQ && N == 0) || (Op == BO_LE && N == 0) ||
        (Op == BO_LT && N == 1))
      return flip(P);
    return Pol::None;
  }

  /// A call (or a variable holding its result) that is a strong poll.
  Pol callPolarity(const Expr *E, const CallExpr *&Poll) {
    E = peelWrappers(E);
    // while ((job = take_one())): the assignment's value is what the poll
    // returned, so the loop drains until it comes back empty.
    if (auto Assigned = assignmentOf(E))
      return callPolarity(Assigned->second, Poll);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (auto It = PollVars.find(VD); It != PollVars.end()) {
          Poll = It->second.first;
          return It->second.second;
        }
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call)
      return Pol::None;
    // if (auto item = q.try_pop(); item.has_value()), bool(optional)
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (isa<CXXConversionDecl>(MD) ||
            (MD->getDeclName().isIdentifier() && MD->getName() == "has_value"))
          if (Model.classifyCall(Call) != CallKind::AtomicRead)
            return callPolarity(MC->getImplicitObjectArgument(), Poll);
    CallKind K = Model.classifyCall(Call);
    if ((K == CallKind::Poll && !confined(Call)) || nonBlockingIO(Call)) {
      Poll = Call;
      return Pol::SuccessIfTrue;
    }
    // while (try_run_one_task()) {}: a query named as an attempt says
    // whether it did something; the loop drains until it did not.
    if (Queries.contains(Call) && Call->getType()->isBooleanType())
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && FD->getDeclName().isIdentifier() &&
          model::BlockingModel::namesAttempt(FD->getName())) {
        Poll = Call;
        return Pol::SuccessIfTrue;
      }
    // while (ch.ready()) ch.try_receive(handle): a channel's ready() is
    // true while there is something to take; the loop leaves once there
    // is not.
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && isa<CXXMemberCallExpr>(Call) && FD->getDeclName().isIdentifier() &&
        FD->getName() == "ready" && Call->getType()->isBooleanType() &&
        sharedContainer(Call)) {
      Poll = Call;
      return Pol::SuccessIfTrue;
    }
    if (K == CallKind::Emptiness && sharedContainer(Call)) {
      Poll = Call;
      return Pol::FailureIfTrue;
    }
    // local.empty() after shared_.swap(local): the swap got nothing.
    if (K == CallKind::Emptiness)
      if (const CallExpr *Swap = takenBy(Call)) {
        Poll = Swap;
        return Pol::FailureIfTrue;
      }
    return Pol::None;
  }

  void walkCompound(const CompoundStmt *CS, bool Fail, unsigned Depth) {
    llvm::ArrayRef<Stmt *> Body(CS->body_begin(), CS->body_end());
    for (size_t I = 0; I < Body.size(); ++I) {
      if (const auto *If = dyn_cast<IfStmt>(Body[I])) {
        if (walkIf(If, Fail, Depth, Body.drop_front(I + 1)))
          Fail = false; // what follows runs only when the poll succeeded
        continue;
      }
      walk(Body[I], Fail, Depth);
    }
  }

  /// Returns true if the statements after \p If run only on success.
  /// \p Rest are the statements after it in its block.
  bool walkIf(const IfStmt *If, bool Fail, unsigned Depth,
              llvm::ArrayRef<Stmt *> Rest = {}) {
    walk(If->getInit(), Fail, Depth);
    const CallExpr *Poll = nullptr;
    Pol P = Pol::None;
    if (const VarDecl *CV = If->getConditionVariable()) {
      walk(CV->getInit(), Fail, Depth);
      P = callPolarity(CV->getInit(), Poll);
      if (P != Pol::None)
        PollVars[CV] = {Poll, P};
      if (P == Pol::None || !CV->getInit())
        P = polarity(If->getCond(), Poll);
    } else {
      walk(If->getCond(), Fail, Depth);
      P = polarity(If->getCond(), Poll);
    }
    if (Depth == 0 &&
        branchEnd(If->getThen(), /*OwnsBreaks=*/true) == BranchEnd::LeavesLoop)
      ExitTests.push_back(If->getCond());
    if (P == Pol::EndIfTrue) {
      // if (st == closed) return;: the end, not the empty path.
      walk(If->getThen(), false, Depth);
      walk(If->getElse(), Fail, Depth);
      return false;
    }
    if (P == Pol::None) {
      walk(If->getThen(), Fail, Depth);
      walk(If->getElse(), Fail, Depth);
      return false;
    }
    const Stmt *Success = P == Pol::SuccessIfTrue ? If->getThen() : If->getElse();
    const Stmt *Failure = P == Pol::SuccessIfTrue ? If->getElse() : If->getThen();
    walk(Success, false, Depth);
    walk(Failure, Fail, Depth);
    BranchEnd End = branchEnd(Failure, /*OwnsBreaks=*/Depth == 0);
    // `if (auto v = q.pop()) { use(*v); continue; } break;`: the success way
    // goes round again, so what follows the if is the failure way, and a
    // tail that leaves the loop ends it on the first empty poll.
    BranchEnd FailureEnd = End;
    if (End == BranchEnd::FallsThrough && Depth == 0 &&
        branchEnd(Success, /*OwnsBreaks=*/true) == BranchEnd::NextIteration)
      for (const Stmt *Next : Rest)
        if (BranchEnd E = branchEnd(Next, /*OwnsBreaks=*/true);
            E != BranchEnd::FallsThrough) {
          FailureEnd = E;
          break;
        }
    if (FailureEnd == BranchEnd::LeavesLoop &&
        !(Poll && EmptyHandled.contains(Poll)))
      A.ExitsOnFailure = true;
    if (End == BranchEnd::NextIteration && Poll)
      EmptyHandled.insert(Poll);
    return End != BranchEnd::FallsThrough;
  }

  void walkNestedLoop(const Stmt *Loop, bool Fail, unsigned Depth) {
    A.NestedLoops.push_back(Loop);
    LoopParts P = partsOf(Loop);
    // while (auto v = q.try_pop()): the poll is the variable's initialiser.
    const Expr *Cond = P.CondVar ? P.CondVar->getInit() : P.Cond;
    walk(P.Init, Fail, Depth);
    walk(P.Inc, Fail, Depth + 1);
    walk(P.RangeInit, Fail, Depth);
    bool BodyFail = Fail;
    // for (auto &task : local) after shared_.swap(local): what was got.
    if (P.RangeInit)
      if (const auto *V = dyn_cast_or_null<VarDecl>(
              namedValue(peelWrappers(P.RangeInit)));
          V && Taken.count(V))
        BodyFail = false;
    if (Cond) {
      walk(Cond, Fail, Depth);
      const CallExpr *Poll = nullptr;
      if (polarity(Cond, Poll) == Pol::SuccessIfTrue)
        BodyFail = false; // while (q.try_pop(x)) handle(x);
    }
    walk(P.Body, BodyFail, Depth + 1);
  }

  /// In a template pattern, `parent->future().wait_for(0s)`: a call that
  /// takes no argument and whose result is only the object of the next
  /// call reaches that object (a getter); it is not code that may block.
  void skipDependentAccessor(const CallExpr *Call) {
    const auto *Obj =
        dyn_cast_or_null<CallExpr>(peelWrappers(objectOf(Call)));
    if (Obj && Obj->getNumArgs() == 0 && !Obj->getDirectCallee() &&
        isa<CXXDependentScopeMemberExpr>(
            Obj->getCallee()->IgnoreParenImpCasts()))
      Accessors.insert(Obj);
  }

  void call(const CallExpr *Call, bool Fail) {
    skipDependentAccessor(Call);
    if (Accessors.contains(Call))
      return;
    if (nonBlockingIO(Call)) {
      A.Polls.push_back({Call, CallKind::Poll});
      LastIO = Call;
      return;
    }
    if (std::optional<TakeAll> T = takeAll(Call)) {
      Taken[T->Into] = Call;
      A.Polls.push_back({Call, CallKind::Poll});
      return;
    }
    CallKind K = Model.classifyCall(Call);
    // ring.drop_oldest() when ring.push(v) failed: the loop makes the room
    // (or the item) itself; it waits for nobody. Also when the method polls
    // something else on the way (`job->split(n)` renting the new half from a
    // pool's queue while `job->size()` shrinks).
    if (Fail && changesPolledObject(Call, K))
      A.FailureServesItself = true;
    if (Queries.contains(Call)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (K == CallKind::User && (Model.effectOf(FD) & model::MayBlock)) {
        if (!A.Blocking)
          A.Blocking = Call;
      } else {
        A.Polls.push_back({Call, CallKind::Emptiness, /*Query=*/true});
      }
      return;
    }
    switch (K) {
    case CallKind::Poll:
      if (!confined(Call))
        A.Polls.push_back({Call, K});
      break;
    case CallKind::Emptiness:
      if (sharedContainer(Call))
        A.Polls.push_back({Call, K});
      break;
    case CallKind::AtomicRead:
      if (!confined(Call))
        A.WeakPolls.push_back({Call, K});
      break;
    case CallKind::CompareExchange:
      A.CompareExchange = true;
      break;
    case CallKind::Blocking:
      // Only a wait on the way back to the next poll paces the loop; one
      // after a successful poll (`if (f.wait_for(0s) == ready) return
      // f.get();`) does not help the empty path.
      if (Fail && !A.Blocking)
        A.Blocking = Call;
      break;
    case CallKind::Sleep:
      if (!A.Sleep) {
        A.Sleep = Call;
        for (const Expr *Arg : Call->arguments())
          if (mentions(Arg, Assigned, false))
            A.SleepVaries = true;
      }
      break;
    case CallKind::Yield:
      if (!A.Yield)
        A.Yield = Call;
      break;
    case CallKind::Backoff:
      A.Backoff = true;
      break;
    case CallKind::Opaque:
      if (Fail)
        A.FailureUnknown = true;
      break;
    case CallKind::User: {
      unsigned E = Model.effectOf(Call->getDirectCallee());
      if (E & model::MayBlock) {
        if (!A.Blocking)
          A.Blocking = Call;
      } else if ((E & model::Unknown) && Fail) {
        A.FailureUnknown = true;
      } else if (!(E & model::OnlyPauses) && Fail) {
        A.FailureDoesWork = true;
      }
      break;
    }
    case CallKind::Trivial:
    case CallKind::Pause:
      break;
    }
  }

  /// \p Call is a non-const method of an object a strong poll of the loop
  /// polls, or whose state the loop's condition measures (the same
  /// variable or member).
  bool changesPolledObject(const CallExpr *Call, CallKind K) const {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || M->isConst())
      return false;
    const ValueDecl *Obj = referenced(MC->getImplicitObjectArgument());
    // What the condition measures, changed by a method that may itself
    // poll something else on the way (split() renting from a pool); not by
    // the loop's attempt on it (`while (!ch.drained()) ch.try_receive(v)`).
    bool Attempt = M->getDeclName().isIdentifier() &&
                   (model::BlockingModel::namesAttempt(M->getName()) ||
                    model::BlockingModel::namesTransfer(M->getName()));
    if (Obj && Measured.contains(Obj) && !Attempt &&
        (K == CallKind::User || K == CallKind::Trivial || K == CallKind::Poll))
      return true;
    if (K != CallKind::User && K != CallKind::Trivial)
      return false;
    return Obj && llvm::any_of(A.Polls, [&](const PollSite &P) {
             const Expr *Polled = objectOf(P.Call);
             return P.Call != Call && Polled && referenced(Polled) == Obj;
           });
  }

  void walk(const Stmt *S, bool Fail, unsigned Depth) {
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return;
    // Code clang could not make sense of (a missing header): anything may
    // hide behind it.
    if (const auto *E = dyn_cast<Expr>(S); E && E->containsErrors()) {
      A.FailureUnknown = true;
      return;
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      return walkCompound(CS, Fail, Depth);
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      walkIf(If, Fail, Depth);
      return;
    }
    if (isLoop(S))
      return walkNestedLoop(S, Fail, Depth);
    if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
      walk(Sw->getInit(), Fail, Depth);
      walk(Sw->getCond(), Fail, Depth);
      walk(Sw->getBody(), Fail, Depth + 1);
      return;
    }
    if (isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S)) {
      if (!A.Blocking)
        A.Blocking = S;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (const Expr *Init = VD->getInit()) {
            walk(Init, Fail, Depth);
            const CallExpr *Poll = nullptr;
            if (Pol P = polarity(Init, Poll); P != Pol::None)
              PollVars[VD] = {Poll, P};
          }
      return;
    }
    if (Fail && !addsPollResult(S))
      if (const ValueDecl *D = writtenBy(S))
        FreeWrites.insert(D);
    if (const auto *Call = dyn_cast<CallExpr>(S))
      call(Call, Fail);
    else if (readsSharedVolatileFlag(S, Ctx))
      A.WeakPolls.push_back(
          {nullptr, CallKind::AtomicRead, false, cast<ImplicitCastExpr>(S)});
    else if (readsLockedFlag(S))
      A.WeakPolls.push_back({nullptr, CallKind::AtomicRead, false,
                             cast<ImplicitCastExpr>(S), /*UnderLock=*/true});
    for (const Stmt *C : S->children())
      walk(C, Fail, Depth);
  }
};

} // namespace



/// A cheap first look: does anything in the loop poll? Most loops do not,
/// and need neither the full walk nor summaries of the functions they call.
/// A shared container's size() counts outside a counted for: a fullness
/// or emptiness test (sizeTest) may make it a poll; so does a lock taken in
/// the loop (a flag read under it may be polled: readsLockedFlag).
static bool mayPoll(const Stmt *S, const model::BlockingModel &Model,
                    const ASTContext &Ctx) {
  return anyInBody(S, [&](const Stmt *N) {
    if (takesLock(N))
      return true;
    const auto *Call = dyn_cast<CallExpr>(N);
    if (!Call)
      return isWouldBlockTest(N, Ctx) || readsSharedVolatileFlag(N, Ctx);
    if (!partsOf(S).Inc && sharedSizeCall(Call))
      return true;
    CallKind K = Model.classifyCall(Call);
    return K == CallKind::Poll || K == CallKind::AtomicRead ||
           K == CallKind::Emptiness;
  });
}

/// An idle loop (no increment, a body that does nothing) whose condition
/// asks something: it may spin on a query (collectQueries decides).
static bool mayQuery(const Stmt *Loop, const model::BlockingModel &Model) {
  LoopParts P = partsOf(Loop);
  const Expr *Cond = P.CondVar ? P.CondVar->getInit() : P.Cond;
  if (P.Inc || P.RangeInit)
    return false;
  auto AsksQuery = [&](const Expr *E) {
    return anyInBody(E, [&](const Stmt *N) {
      const auto *Call = dyn_cast<CallExpr>(N);
      return Call && Model.isQuery(Call);
    });
  };
  if (Cond && idleBody(P.Body, Model) && AsksQuery(Cond))
    return true;
  return llvm::any_of(idleExitTests(P.Body, Model), AsksQuery);
}

const char LoopAnalyzer::ID = 0;

LoopAnalyzer &LoopAnalyzer::of(const ASTContext &Ctx,
                               const model::BlockingModel &Model) {
  return AnalysisCache::of(Ctx).get<LoopAnalyzer>(Model.configKey(), Model,
                                                  Ctx);
}

const LoopAnatomy &LoopAnalyzer::get(const Stmt *Loop) {
  std::unique_ptr<LoopAnatomy> &Slot = Cache[Loop];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<LoopAnatomy>();
  Slot->Loop = Loop;
  if (mayPoll(Loop, Model, Ctx) || mayQuery(Loop, Model))
    Walker(Model, Ctx, *Slot).analyse(Loop);
  return *Slot;
}

bool spins(const LoopAnatomy &A) {
  if (A.Backoff || A.CompareExchange)
    return false;
  if (A.IdleSpin)
    return true;
  if (A.Blocking || A.Sleep || A.Bounded || A.ExitsOnFailure ||
      A.FailureUnknown || A.FailureServesItself)
    return false;
  if (!A.Polls.empty())
    return true;
  return !A.WeakPolls.empty() && !A.FailureDoesWork;
}

bool sleepPolls(const LoopAnatomy &A) {
  if (!A.Sleep || A.Blocking || A.Backoff || A.Bounded || A.SleepVaries ||
      A.ExitsOnFailure || A.FailureUnknown || A.FailureDoesWork ||
      A.CompareExchange)
    return false;
  return !A.Polls.empty() || !A.WeakPolls.empty();
}

std::string describeCall(const CallExpr *Call) {
  // got = std::move(box.messages): the take-all names what it empties.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    if (std::optional<TakeAll> T = takeAll(Call))
      if (const NamedDecl *ND = namedHandle(T->From))
        return "'std::" +
               cast<CallExpr>(Op->getArg(1)->IgnoreImplicit())
                   ->getDirectCallee()
                   ->getNameAsString() +
               "(" + ND->getNameAsString() + ")'";
  std::string Fn;
  if (const FunctionDecl *FD = Call->getDirectCallee()) {
    if (isa<CXXConversionDecl>(FD))
      Fn = "load";
    else if (FD->getDeclName().isIdentifier())
      Fn = FD->getName().str();
    else
      Fn = FD->getNameAsString();
  } else if (const auto *DS = dyn_cast<CXXDependentScopeMemberExpr>(
                 Call->getCallee()->IgnoreParenImpCasts())) {
    Fn = DS->getMember().getAsString();
  }
  if (const Expr *Obj = objectOf(Call))
    if (const NamedDecl *ND = namedHandle(Obj))
      return "'" + ND->getNameAsString() + "." + Fn + "'";
  return "'" + Fn + "'";
}

std::string describePoll(const PollSite &P) {
  if (P.Call)
    return describeCall(P.Call);
  const Expr *Flag = P.Flag->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(Flag);
      U && U->getOpcode() == UO_Deref)
    Flag = U->getSubExpr(); // *my_turn: named by the pointer
  const NamedDecl *ND = namedHandle(Flag);
  return ND ? "'" + ND->getNameAsString() + "'" : "the flag";
}

} // namespace tether::analysis
