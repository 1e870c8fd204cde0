//===--- RestartWithoutBackoffCheck.cpp -----------------------------------===//

#include "RestartWithoutBackoffCheck.h"
#include "analysis/ThreadEntries.h"
#include "model/ThreadSpawn.h"
#include "analysis/Describe.h"
#include "analysis/BodyWalk.h"
#include "analysis/LoopExits.h"
#include "analysis/Accesses.h"
#include "analysis/Matchers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

RestartWithoutBackoffCheck::RestartWithoutBackoffCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Blocking(Options),
      Channels(Options), NoReturn(Options), Library(Options) {}

void RestartWithoutBackoffCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Blocking.store(Options, Opts);
  Channels.store(Options, Opts);
  NoReturn.store(Options, Opts);
  Library.store(Options, Opts);
}

void RestartWithoutBackoffCheck::registerMatchers(MatchFinder *Finder) {
  // Supervisor-shaped loops: while, do, and for without a counter. check()
  // looks at the condition first and walks the body only for flag loops.
  // One matcher per kind of loop: a stmt(anyOf(...)) matcher is tried on
  // every statement of the unit.
  auto User = unless(isExpansionInSystemHeader());
  Finder->addMatcher(whileStmt(User).bind("loop"), this);
  Finder->addMatcher(doStmt(User).bind("loop"), this);
  Finder->addMatcher(forStmt(User, unless(hasLoopInit(anything())),
                             unless(hasIncrement(anything())))
                         .bind("loop"),
                     this);
}

using model::peelWrappers;

/// A condition that only watches a flag (true, running_, !stop_,
/// running_.load(), !token.stop_requested()): the loop is a supervisor that
/// runs until told to stop, not a loop over input.
static bool isFlagCondition(const Expr *E) {
  E = peelWrappers(E);
  if (!E)
    return true;
  if (isa<CXXBoolLiteralExpr>(E) || isa<IntegerLiteral>(E) ||
      isa<DeclRefExpr>(E) || isa<MemberExpr>(E))
    return true;
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return U->getOpcode() == UO_LNot && isFlagCondition(U->getSubExpr());
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return B->isLogicalOp() && isFlagCondition(B->getLHS()) &&
           isFlagCondition(B->getRHS());
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return llvm::all_of(MC->arguments(),
                        [](const Expr *A) {
                          return isa<CXXDefaultArgExpr>(A) ||
                                 isa<DeclRefExpr>(A->IgnoreParenImpCasts());
                        }) &&
           isFlagCondition(MC->getImplicitObjectArgument());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) // !atomic_flag
    return Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1 &&
           isFlagCondition(Op->getArg(0));
  return false;
}

static bool hasRelational(const Stmt *S) {
  return analysis::anyInBody(S, [](const Stmt *N) {
    if (const auto *B = dyn_cast<BinaryOperator>(N))
      return B->isRelationalOp();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(N))
      return Op->getOperator() == OO_Less || Op->getOperator() == OO_Greater ||
             Op->getOperator() == OO_LessEqual ||
             Op->getOperator() == OO_GreaterEqual;
    return false;
  });
}

/// The variable or member \p E reads as a flag: x, this->x, x.load().
static const ValueDecl *flagOf(const Expr *E) { return analysis::readValue(E); }

/// The flags of \p Cond whose value alone can make it false, with that
/// value: while (running_) -> {running_: false}, while (!ok) -> {ok: true},
/// while (a && !b) -> both. A flag under || cannot stop the loop alone.
static void stoppingValues(const Expr *Cond,
                           llvm::DenseMap<const ValueDecl *, bool> &Out,
                           bool Negated = false) {
  Cond = peelWrappers(Cond);
  if (!Cond)
    return;
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot)
    return stoppingValues(U->getSubExpr(), Out, !Negated);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1)
    return stoppingValues(Op->getArg(0), Out, !Negated);
  if (const auto *B = dyn_cast<BinaryOperator>(Cond)) {
    // a && b is false when either is (not negated); !(a || b) likewise.
    if (B->getOpcode() == (Negated ? BO_LOr : BO_LAnd)) {
      stoppingValues(B->getLHS(), Out, Negated);
      stoppingValues(B->getRHS(), Out, Negated);
    }
    return;
  }
  if (const ValueDecl *V = flagOf(Cond))
    Out[V] = Negated;
}

/// A write of a constant to a variable or member (x = false,
/// this->x = true, flag.store(false)): the target and the value.
static std::optional<std::pair<const ValueDecl *, bool>>
constantWrite(const Stmt *S, const ASTContext &Ctx) {
  const Expr *Target = nullptr, *Value = nullptr;
  if (auto A = analysis::assignmentOf(S)) {
    std::tie(Target, Value) = *A;
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (model::BlockingModel::isAtomicStore(MC)) {
      Target = MC->getImplicitObjectArgument();
      Value = MC->getArg(0);
    }
  }
  const ValueDecl *V = Target ? flagOf(Target) : nullptr;
  bool Result = false;
  if (!V || Value->isValueDependent() ||
      !Value->EvaluateAsBooleanCondition(Result, Ctx))
    return std::nullopt;
  return std::make_pair(V, Result);
}

/// \p S leaves the loop it is in (return, throw, break not nested in an
/// inner loop or switch, goto, co_return, a call that never returns, such as
/// a project's fatal() helper).
bool RestartWithoutBackoffCheck::leavesLoop(const Stmt *S) const {
  bool Found = false;
  analysis::forEachExit(S, /*Breaks=*/true, [&](const analysis::LoopExitSite &) {
    Found = true;
    return false;
  });
  return Found || analysis::anyInBody(S, [&](const Stmt *N) {
           return NoReturn.neverReturns(dyn_cast<CallExpr>(N));
         });
}

/// The statement of \p Body (a loop's body) that holds \p Inner.
static const Stmt *topLevelOf(const Stmt *Body, const Stmt *Inner) {
  const auto *Block = dyn_cast_or_null<CompoundStmt>(Body);
  if (!Block)
    return Body;
  for (const Stmt *S : Block->body())
    if (analysis::anyInBody(S, [&](const Stmt *N) { return N == Inner; }))
      return S;
  return nullptr;
}

/// The loop takes the next item each round and the try works on it: the
/// condition fills an out-argument (`while (q.next(job))`), or the body
/// takes a value from a call before the try (`Job job = q.take();`). A
/// failure moves on to the next item; nothing is restarted.
static bool worksOnNextItem(const analysis::LoopParts &Parts,
                            const CXXTryStmt *Try,
                            const analysis::ValueSet &Started) {
  analysis::ValueSet Fresh;
  if (Parts.Cond)
    analysis::collectOutArguments(Parts.Cond, Fresh);
  if (const auto *Block = dyn_cast_or_null<CompoundStmt>(Parts.Body)) {
    const Stmt *Holder = topLevelOf(Block, Try);
    for (const Stmt *S : Block->body()) {
      if (S == Holder)
        break;
      analysis::collectFilledByCalls(S, Fresh);
      analysis::collectOutArguments(S, Fresh);
      analysis::collectDerived(S, Fresh);
    }
  }
  // A handle to work the round started is not an item taken from input.
  for (const ValueDecl *V : Started)
    Fresh.erase(V);
  return analysis::readsAny(Try->getTryBlock(), Fresh);
}

/// The handles (a future, a thread) of work started by statements of the
/// loop body before the try: `auto job = std::async(...); try { job.get();
/// }` restarts that work on every failure.
static analysis::ValueSet startedBeforeTry(const Stmt *Body,
                                           const CXXTryStmt *Try,
                                           const model::ConcurrencyModel &M) {
  analysis::ValueSet Started;
  const auto *Block = dyn_cast_or_null<CompoundStmt>(Body);
  if (!Block)
    return Started;
  const Stmt *Holder = topLevelOf(Block, Try);
  for (const Stmt *S : Block->body()) {
    if (S == Holder)
      break;
    if (std::optional<analysis::Spawn> Sp = analysis::spawnIn(S, M))
      if (const auto *V = dyn_cast_or_null<ValueDecl>(Sp->Handle))
        Started.insert(V);
  }
  return Started;
}

/// A handler that writes the state the try block reads (`phase =
/// Phase::Backoff;`): the next round does something else, a state machine.
static bool handlerChangesState(const CXXTryStmt *Try) {
  analysis::ValueSet Written;
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
    analysis::collectWrites(Try->getHandler(I)->getHandlerBlock(), Written);
  return analysis::readsAny(Try->getTryBlock(), Written);
}

void RestartWithoutBackoffCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>("loop");
  if (!Loop || analysis::neverRepeats(Loop, *Result.Context) ||
      Library.writtenByLibrary(Loop, *Result.SourceManager))
    return;
  analysis::LoopParts Parts = analysis::partsOf(Loop);
  if (isa<WhileStmt>(Loop) && Parts.CondVar)
    return; // while (auto job = next()): a loop over input
  const Expr *Cond = Parts.Cond;
  if (!isFlagCondition(Cond) || (Cond && hasRelational(Cond)))
    return; // a loop over input, or one that counts its attempts
  // The try statements of this loop (not of nested loops or lambdas; a
  // do { } while (0) inside is not a loop).
  llvm::SmallVector<const CXXTryStmt *, 2> Tries;
  const Stmt *Body = Parts.Body;
  analysis::walkBody(Body, [&](const Stmt *S) {
    if (S != Body && analysis::isLoop(S) &&
        !analysis::neverRepeats(S, *Result.Context))
      return false;
    if (const auto *T = dyn_cast<CXXTryStmt>(S))
      Tries.push_back(T);
    return true;
  });
  for (const CXXTryStmt *Try : Tries)
    checkTry(Loop, Cond, Try, *Result.SourceManager, *Result.Context);
}

void RestartWithoutBackoffCheck::checkTry(const Stmt *Loop, const Expr *Cond,
                                          const CXXTryStmt *Try,
                                          const SourceManager &SM,
                                          const ASTContext &Ctx) {
  SourceLocation Loc = SM.getFileLoc(Try->getBeginLoc());
  if (Reported.contains(Loc))
    return;
  // A test framework's REQUIRE_NOTHROW records a failure; it retries nothing.
  if (Library.writtenByLibrary(Try, SM))
    return;
  analysis::LoopParts Parts = analysis::partsOf(Loop);
  analysis::ValueSet Started = startedBeforeTry(Parts.Body, Try, Model);
  if (worksOnNextItem(Parts, Try, Started) || handlerChangesState(Try))
    return;

  // A handler that falls through to the next iteration restarts the work.
  const CXXCatchStmt *Restarting = nullptr;
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
    if (!leavesLoop(Try->getHandler(I)->getHandlerBlock())) {
      Restarting = Try->getHandler(I);
      break;
    }
  if (!Restarting)
    return;

  // What the try block does, and whether it waits for input first.
  const Stmt *Block = Try->getTryBlock();
  std::string Work;
  bool Respawns = false, Paced = false, Polls = false;
  analysis::walkBody(Block, [&](const Stmt *S) {
    // co_await run_session(...): awaiting the project's own coroutine is
    // the work itself, started again by the next round.
    if (const auto *Await = dyn_cast<CoawaitExpr>(S))
      if (const auto *Call =
              dyn_cast<CallExpr>(Await->getOperand()->IgnoreImplicit()))
        if (const FunctionDecl *FD = Call->getDirectCallee();
            FD && FD->getDefinition() &&
            isa_and_nonnull<CoroutineBodyStmt>(FD->getDefinition()->getBody()) &&
            !SM.isInSystemHeader(
                SM.getExpansionLoc(FD->getDefinition()->getLocation()))) {
          Respawns = true;
          return false;
        }
    if (isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S))
      Paced = true;
    // for (auto &msg : channel): each round waits for the next message.
    if (const auto *Range = dyn_cast<CXXForRangeStmt>(S);
        Range && Channels.reachesChannel(Range->getRangeInit()->getType()))
      Paced = true;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      if ((Model.rolesOf(CE->getConstructor()->getParent()) & model::Thread) &&
          model::spawnOfConstruct(CE))
        Respawns = true;
    if (const auto *C = dyn_cast<CallExpr>(S)) {
      model::CallKind K = Blocking.classifyCall(C);
      // job.get() on work this round started before the try: the wait is
      // for that work, which the next round starts again.
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
          MC && K == model::CallKind::Blocking &&
          Started.contains(analysis::readValue(
              MC->getImplicitObjectArgument()))) {
        Respawns = true;
        return true;
      }
      if (K == model::CallKind::Blocking)
        Paced = true;
      if (K == model::CallKind::Poll)
        Polls = true; // a drain or poll loop: tether-busy-wait's business
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C))
        if (Work.empty() && Op->getOperator() == OO_Call)
          if (const NamedDecl *ND = analysis::namedHandle(Op->getArg(0)))
            Work = ND->getName().str();
      if (const FunctionDecl *FD = C->getDirectCallee()) {
        if (Model.isThreadCreateFunction(FD) || Model.isTaskSpawner(FD))
          Respawns = true;
        if (Work.empty() && FD->getDeclName().isIdentifier() &&
            !isa<CXXOperatorCallExpr>(C))
          Work = FD->getName().str();
      }
    }
    return true;
  });
  // A thread or task started and waited for in the try block: the wait is
  // for the work itself, not for new input.
  if ((Paced && !Respawns) || (Work.empty() && !Respawns) || Polls)
    return;

  // The loop decides to stop after a failure: a handler clears the flag
  // the loop runs on (catch (...) { running_ = false; }), or the body
  // outside the try block clears a local flag of the condition
  // (if (!should_reenter()) run_test = false;): not a blind restart. A
  // write that keeps the loop going (catch (...) { loaded = false; }) is
  // not a way out.
  bool Delays = false, GivesUp = false;
  llvm::DenseMap<const ValueDecl *, bool> Stops;
  stoppingValues(Cond, Stops);
  auto Stopping = [&](const Stmt *S) {
    auto W = constantWrite(S, Ctx);
    if (!W)
      return (const ValueDecl *)nullptr;
    auto It = Stops.find(W->first);
    return It != Stops.end() && It->second == W->second ? W->first : nullptr;
  };
  for (unsigned I = 0; I < Try->getNumHandlers() && !GivesUp; ++I)
    analysis::walkBody(Try->getHandler(I)->getHandlerBlock(),
                       [&](const Stmt *S) {
                         GivesUp |= Stopping(S) != nullptr;
                         return !GivesUp;
                       });

  // A delay on the failure path: anywhere in the loop but the try block.
  auto LookForDelay = [&](const Stmt *S) {
    if (S == Block)
      return false;
    if (const auto *V = dyn_cast_or_null<VarDecl>(Stopping(S));
        V && V->hasLocalStorage())
      GivesUp = true;
    if (isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S))
      Delays = true;
    if (const auto *If = dyn_cast<IfStmt>(S))
      if (hasRelational(If->getCond()) && leavesLoop(If->getThen()))
        GivesUp = true; // if (++attempts > kMax) break;
    if (const auto *C = dyn_cast<CallExpr>(S)) {
      model::CallKind K = Blocking.classifyCall(C);
      if (K == model::CallKind::Blocking || K == model::CallKind::Sleep ||
          K == model::CallKind::Backoff)
        Delays = true;
      else if (K == model::CallKind::User)
        if (const FunctionDecl *FD = C->getDirectCallee())
          if (Blocking.effectOf(FD) & model::MayBlock)
            Delays = true;
      if (model::BlockingModel::armsTimer(C))
        Delays = true;
    }
    return !Delays && !GivesUp;
  };
  analysis::walkBody(analysis::partsOf(Loop).Body, LookForDelay);
  if (Cond)
    analysis::walkBody(Cond, LookForDelay);
  if (Delays || GivesUp)
    return;

  Reported.insert(Loc);
  SourceLocation At = SM.getFileLoc(Restarting->getCatchLoc());
  if (Respawns)
    diag(At, "the loop restarts the failed thread or task at once, with no "
             "delay: a failure that persists turns it into a hot restart loop");
  else
    diag(At, "the loop retries '%0' as soon as it fails, with no delay: a "
             "failure that persists turns it into a hot spin")
        << Work;
  diag(SM.getFileLoc(Loop->getBeginLoc()),
       "the next attempt starts here with no sleep, wait or backoff in between",
       DiagnosticIDs::Note);
  diag(At,
       "wait before the next attempt and grow the delay (exponential backoff "
       "with a cap and jitter), or give up after a bounded number of attempts",
       DiagnosticIDs::Note);
}

} // namespace tether
