//===--- DetachedThreadCheck.cpp ------------------------------------------===//

#include "DetachedThreadCheck.h"
#include "analysis/DetachAfterAssign.h"
#include "analysis/CoroutineOwner.h"
#include "analysis/LoopAnatomy.h"
#include "analysis/Describe.h"
#include "analysis/HandleUses.h"
#include "analysis/Matchers.h"
#include "analysis/ThreadEntries.h"
#include "model/CoroutineSpawn.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "analysis/BodyWalk.h"
#include "analysis/Matchers.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

DetachedThreadCheck::DetachedThreadCheck(StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Channels(Options),
      Blocking(Options), Library(Options) {}

void DetachedThreadCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Channels.store(Options, Opts);
  Blocking.store(Options, Opts);
  Library.store(Options, Opts);
}

namespace {
AST_MATCHER(CXXMemberCallExpr, callsDetach) {
  return model::ConcurrencyModel::isDetach(Node.getMethodDecl());
}
/// A block with a statement `h.detach()`: what the statements before it
/// assigned to h is what the detach lets go of.
AST_MATCHER(CompoundStmt, holdsDetachStatement) {
  return llvm::any_of(Node.body(), [](const Stmt *S) {
    return analysis::detachStatement(S) != nullptr;
  });
}
AST_MATCHER(FunctionDecl, returnsOwnerlessCoroutine) {
  return model::ownsNothingOfItsTask(Node.getReturnType());
}
AST_MATCHER(VarDecl, isDetachingGuard) {
  return model::ConcurrencyModel::isDetachingGuard(Node.getType());
}
} // namespace

void DetachedThreadCheck::registerMatchers(MatchFinder *Finder) {
  // Narrow roots: a call to a method named detach of a thread class, or a
  // call to a configured C detach function. Nothing in system headers.
  Finder->addMatcher(
      cxxMemberCallExpr(callsDetach(),
                        analysis::calleeIs(cxxMethodDecl(ofClass(Model.threadRecord()))),
                        unless(isExpansionInSystemHeader()))
          .bind("member"),
      this);
  Finder->addMatcher(compoundStmt(holdsDetachStatement(),
                                  unless(isExpansionInSystemHeader()))
                         .bind("detach-block"),
                     this);
  // pthread_create calls, remembered so a later pthread_detach(tid) can
  // point at them. The matcher visits in source order, so creates come first.
  Finder->addMatcher(
      callExpr(argumentCountIs(4),
               analysis::calleeIs(functionDecl(Model.threadCreateFunction())), unless(isExpansionInSystemHeader()))
          .bind("create"),
      this);
  Finder->addMatcher(
      callExpr(argumentCountIs(1),
               analysis::calleeIs(functionDecl(Model.detachFunction())), unless(isExpansionInSystemHeader()))
          .bind("c-call"),
      this);
  // QThread *t = new QThread; ... t->start(); with no parent: a thread
  // object nobody may keep.
  Finder->addMatcher(
      varDecl(hasLocalStorage(), unless(isExpansionInSystemHeader()),
              hasType(pointerType(pointee(hasUnqualifiedDesugaredType(
                  recordType(hasDeclaration(
                      cxxRecordDecl(Model.startedThreadRecord()))))))),
              hasInitializer(ignoringParenImpCasts(cxxNewExpr())))
          .bind("started-thread-ptr"),
      this);
  // boost::scoped_thread<boost::detach> t(f): the library's detach() runs
  // in its destructor, in a system header; the variable is the user's.
  Finder->addMatcher(varDecl(hasLocalStorage(), isDetachingGuard(),
                             unless(isExpansionInSystemHeader()))
                         .bind("detaching-guard"),
                     this);
  // pool.detach_task(f) when the user names detach_task a fire-and-forget
  // submission (FireAndForgetSubmitters; none built in).
  Finder->addMatcher(
      callExpr(callee(functionDecl(Model.fireAndForgetSubmitter())),
               unless(isExpansionInSystemHeader()))
          .bind("fire-and-forget"),
      this);
  // fire_and_forget f() { ... co_await ...; } called: a coroutine whose
  // return type owns nothing of its task, decided once per callee.
  Finder->addMatcher(
      callExpr(analysis::calleeIs(functionDecl(returnsOwnerlessCoroutine())),
               unless(isExpansionInSystemHeader()))
          .bind("ownerless-coroutine"),
      this);
  // co_spawn(executor, coroutine, token): a name test on the callee first;
  // the coroutine is only looked at for these calls.
  Finder->addMatcher(
      callExpr(callee(functionDecl(Model.coroutineSpawner())),
               unless(isExpansionInSystemHeader()))
          .bind("co-spawn"),
      this);
}

/// How a note names what can end a coroutine with an exception: "awaiting
/// 'gate.wait_open'", "constructing 'asio::ip::tcp::acceptor'",
/// "'std::stoi'", "this throw".
static std::string describeFailure(const Stmt *S) {
  if (isa<CXXThrowExpr>(S))
    return "this throw";
  if (const auto *Await = dyn_cast<CoawaitExpr>(S)) {
    if (const auto *Op = dyn_cast<CallExpr>(model::awaitedOperand(Await)))
      return "awaiting " + analysis::describeCall(Op);
    return "this await";
  }
  if (const auto *Ctor = dyn_cast<CXXConstructExpr>(S))
    if (const CXXRecordDecl *RD = Ctor->getType()->getAsCXXRecordDecl())
      return "constructing '" + model::canonicalName(RD) + "'";
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && !model::objectOf(Call) && FD->getDeclName().isIdentifier())
      return "'" + model::canonicalName(FD) + "'"; // 'std::stoi'
    return analysis::describeCall(Call);
  }
  return "this statement";
}

/// How a message names a group of Asio's awaitable operators: by the calls
/// it combines (`read_line || read_line`), "..." for any other operand.
static std::string groupName(const CXXOperatorCallExpr *Group) {
  auto Operand = [](const Expr *E) -> std::string {
    const auto *Call = dyn_cast<CallExpr>(model::peelTemporaries(E));
    if (const auto *Inner = dyn_cast_or_null<CXXOperatorCallExpr>(Call))
      return groupName(Inner);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    return FD ? FD->getNameAsString() : "...";
  };
  const char *Op = Group->getOperator() == OO_PipePipe ? " || " : " && ";
  return Operand(Group->getArg(0)) + Op + Operand(Group->getArg(1));
}

/// co_spawn(ex, coroutine, detached) or spawn(ex, function, detached) whose
/// coroutine nothing can end, or whose exception nobody sees; a stackful
/// spawn without a token (its exception leaves the executor's run()) whose
/// coroutine nothing can end (docs/rules.md, "Coroutines nobody awaits").
void DetachedThreadCheck::checkCoroutineSpawn(
    const model::CoroutineSpawn &Spawn, const SourceManager &SM) {
  const CallExpr *Call = Spawn.Site;
  if (!Call)
    return;
  if (!model::dropsException(Spawn.Token) &&
      Spawn.Token != model::CompletionToken::Propagates)
    return;
  if (!Spawn.Coroutine) // not visible here: nothing to decide from
    return;
  analysis::CoroutineOwnership Owner = analysis::ownershipOf(Spawn, Model, Library);
  // A handler that acts on the end tells its owner the coroutine ended, as
  // a thread's completion signal does; only the failure is lost.
  bool HandlerHearsEnd =
      Spawn.Token == model::CompletionToken::IgnoresException;
  if ((Owner.Stoppable || HandlerHearsEnd) && Owner.FailureSeen)
    return;
  SourceLocation Loc = SM.getFileLoc(Call->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  std::string Kind = Spawn.Stackful ? "stackful coroutine" : "coroutine";
  std::string Name =
      Spawn.Group    ? "coroutine group '" + groupName(Spawn.Group) + "'"
      : Spawn.Lambda ? "lambda " + Kind
                     : Kind + " '" + Spawn.Coroutine->getNameAsString() + "'";
  if (HandlerHearsEnd)
    diag(Loc, "%0 ends in a completion handler that ignores its exception: "
              "its exceptions are lost")
        << Name;
  else
    diag(Loc, "detached %0: %select{nothing can stop it|its exceptions are "
              "lost|nothing can stop it and its exceptions are lost}1")
        << Name << (Owner.Stoppable ? 1 : Owner.FailureSeen ? 0 : 2);
  // A group's operator is the library's; its operands are at the spawn.
  if (!Spawn.Group)
    diag(SM.getFileLoc(Spawn.Coroutine->getLocation()), "%0 defined here",
         DiagnosticIDs::Note)
        << Name;
  if (!Owner.Stoppable && !HandlerHearsEnd)
    diag(Loc,
         "it waits on nothing an owner can end (a cancellation slot, a stop "
         "signal, a socket, a timer or channel the owner cancels or closes)",
         DiagnosticIDs::Note);
  if (Spawn.OwnerlessReturn)
    diag(Loc,
         "its return type '%0' holds nothing of the task: nobody can await "
         "it, stop it or learn that it ended",
         DiagnosticIDs::Note)
        << Call->getCallReturnType(Spawn.Coroutine->getASTContext())
               .getUnqualifiedType()
               .getAsString(PrintingPolicy(LangOptions()));
  else if (Spawn.Token == model::CompletionToken::Propagates)
    diag(Loc,
         "spawned without a completion token: nobody learns that it ended",
         DiagnosticIDs::Note);
  if (!Owner.FailureSeen && Owner.Failure)
    diag(SM.getFileLoc(Owner.Failure->getBeginLoc()),
         "%0 can end the coroutine%select{| group}1 with an exception",
         DiagnosticIDs::Note)
        << describeFailure(Owner.Failure) << (Spawn.Group != nullptr);
  if (Owner.FailureSeen)
    return;
  if (Spawn.OwnerlessReturn) {
    diag(Loc,
         "the promise's unhandled_exception() drops the coroutine's "
         "exception: catch around the whole body and report it",
         DiagnosticIDs::Note);
    return;
  }
  bool Handler = Spawn.Token == model::CompletionToken::EmptyHandler ||
                 Spawn.Token == model::CompletionToken::IgnoresException;
  diag(Loc,
       "%select{'detached'|the completion handler, never reading its "
       "std::exception_ptr,}0 drops the coroutine's exception: %select{pass "
       "a completion handler that reports the std::exception_ptr|report the "
       "std::exception_ptr in the handler}0, or catch around the whole body",
       DiagnosticIDs::Note)
      << Handler;
}

/// `new QThread` (or a subclass) with no parent, held in a local pointer
/// that the function only starts, configures, connects and hands to
/// moveToThread: when the function returns nobody holds the thread, so
/// nothing can stop it or wait for it (the Qt form of a detached thread;
/// its deleteLater on finished only frees it once it ended by itself).
void DetachedThreadCheck::checkDroppedStartedThread(const VarDecl *Var,
                                                    const SourceManager &SM) {
  const auto *New =
      dyn_cast<CXXNewExpr>(Var->getInit()->IgnoreParenImpCasts());
  const auto *Ctor = New ? New->getConstructExpr() : nullptr;
  if (!Ctor)
    return;
  // new QThread(parent): the parent deletes it, and so answers for it.
  for (const Expr *Arg : Ctor->arguments())
    if (!isa<CXXDefaultArgExpr>(Arg) &&
        !Arg->isNullPointerConstant(Var->getASTContext(),
                                    Expr::NPC_ValueDependentIsNotNull))
      return;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(Var->getDeclContext());
  if (!Fn || !Fn->getBody())
    return;
  auto Uses = analysis::classifyHandleUses(
      Fn->getBody(), {Var}, analysis::startedThreadHandleMethods());
  const analysis::HandleUses &U = Uses[Var];
  if (U.Acquire.empty() || !U.Release.empty())
    return;
  SourceLocation Loc = SM.getFileLoc(Var->getLocation());
  if (!Reported.insert(Loc).second)
    return;
  std::string Kind = Model.startedThreadKindOf(Var->getType()->getPointeeType());
  diag(Loc, "%0 '%1' has no parent and nothing keeps it once started: "
            "nothing can stop it or wait for it to finish")
      << Kind << Var->getName();
  const Stmt *Start = *U.Acquire.begin();
  for (const Stmt *S : U.Acquire)
    if (SM.isBeforeInTranslationUnit(S->getBeginLoc(), Start->getBeginLoc()))
      Start = S;
  diag(SM.getFileLoc(Start->getBeginLoc()), "'%0' is started here",
       DiagnosticIDs::Note)
      << Var->getName();
  diag(Loc, "keep it (a member, or a parent that quit()s and wait()s for it "
            "before it goes), or make the work a task its owner waits for",
       DiagnosticIDs::Note);
}

/// boost::scoped_thread<boost::detach> t(f), boost::thread_guard<
/// boost::detach> g(t): the wrapper detaches its thread in its destructor.
void DetachedThreadCheck::checkDetachingGuard(const VarDecl *Var,
                                              const SourceManager &SM) {
  SourceLocation At = SM.getFileLoc(Var->getLocation());
  if (!Reported.insert(At).second)
    return;
  diag(At, "'%0' detaches its thread when it goes out of scope "
           "(boost::detach policy): nothing can stop the thread or wait for "
           "it to finish")
      << Var->getName();
  diag(At, "use the joining policy (boost::join_if_joinable, the default, or "
           "boost::interrupt_and_join_if_joinable) so the scope's end waits "
           "for the thread",
       DiagnosticIDs::Note);
}

/// The variable or member a pool expression names (`pool`, `pool_`,
/// `this->pool_`), or null.
static const ValueDecl *poolNamed(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// A configured fire-and-forget submission (pool.detach_task(f), post(pool,
/// f)) with no wait for the same pool after it in the function: nothing
/// waits for the task here and an exception it throws is lost.
void DetachedThreadCheck::checkFireAndForget(const CallExpr *Call,
                                             const SourceManager &SM,
                                             ASTContext &Ctx) {
  const Expr *PoolExpr = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    PoolExpr = MC->getImplicitObjectArgument();
  else if (Call->getNumArgs() > 0)
    PoolExpr = Call->getArg(0);
  const ValueDecl *Pool = poolNamed(PoolExpr);
  // The function that makes the call, and a later wait on the same pool
  // in it (pool.wait(), pool.join()): the owner waits for every task.
  const FunctionDecl *Fn = nullptr;
  for (DynTypedNode N = DynTypedNode::create(*Call);;) {
    auto Parents = Ctx.getParents(N);
    if (Parents.empty())
      break;
    N = Parents[0];
    if ((Fn = N.get<FunctionDecl>()))
      break;
  }
  bool Waited =
      Pool && Fn && Fn->getBody() &&
      analysis::anyInBody(Fn->getBody(), [&](const Stmt *S) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
        const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
        return M && poolNamed(MC->getImplicitObjectArgument()) == Pool &&
               model::ConcurrencyModel::isJoinOrWait(M) &&
               SM.isBeforeInTranslationUnit(Call->getEndLoc(),
                                            MC->getBeginLoc());
      });
  if (Waited)
    return;
  SourceLocation Loc = SM.getFileLoc(Call->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  const auto *Callee = Call->getDirectCallee();
  diag(Loc, "task handed to '%0' has no owner: nothing waits for it here and "
            "an exception it throws is lost")
      << (Callee ? Callee->getNameAsString() : std::string("?"));
  diag(Loc,
       "'%0' is configured as a fire-and-forget submission "
       "(FireAndForgetSubmitters); submit it for a future, or wait for the "
       "pool before its work's results are needed",
       DiagnosticIDs::Note)
      << (Callee ? Callee->getQualifiedNameAsString() : std::string("?"));
}

/// The member of its own object \p Call detaches (`t_.detach()`,
/// `this->t_.detach()`), or null.
static const FieldDecl *ownMemberDetached(const CXXMemberCallExpr *Call) {
  const auto *ME = dyn_cast<MemberExpr>(
      Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// \p Call detaches a member of the class whose method it is in, and that
/// class is itself a thread handle (its public detach forwards here).
bool DetachedThreadCheck::isForwardedByHandle(
    const CXXMemberCallExpr *Call) const {
  const FieldDecl *F = ownMemberDetached(Call);
  return F && (Model.rolesOf(cast<CXXRecordDecl>(F->getParent())) &
               model::Thread);
}

/// \p Call, in the destructor of a class, detaches its member, and nothing
/// in that class starts a thread into the member: the object holds a thread
/// someone else started and handed in (a handle's shared state whose last
/// owner lets go), so whoever started it decided who owns it.
bool DetachedThreadCheck::isDetachedByHolder(
    const CXXMemberCallExpr *Call) const {
  const FieldDecl *F = ownMemberDetached(Call);
  const auto *RD = F ? dyn_cast<CXXRecordDecl>(F->getParent()) : nullptr;
  const CXXDestructorDecl *Dtor = RD ? RD->getDestructor() : nullptr;
  const FunctionDecl *Def = Dtor ? Dtor->getDefinition() : nullptr;
  return Def && Def->getBody() &&
         analysis::anyInBody(Def->getBody(),
                             [&](const Stmt *S) { return S == Call; }) &&
         !analysis::startsThreadInto(F, Model);
}

/// The future of packaged task \p Task was taken: a local whose function
/// calls get_future() on it, or a task handed in (its maker took it; it
/// cannot be taken once the task is moved into the thread).
static bool futureTaken(const VarDecl *Task) {
  if (!Task)
    return false;
  if (isa<ParmVarDecl>(Task) || !Task->hasLocalStorage())
    return true;
  const auto *Fn = dyn_cast<FunctionDecl>(Task->getDeclContext());
  // task.get_future(), resolved or (in a template) not yet.
  auto TakesFuture = [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const Expr *Obj = Call ? model::objectOf(Call) : nullptr;
    const auto *Ref = Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts())
                          : nullptr;
    return Ref && Ref->getDecl() == Task &&
           model::spelledCallee(Call) == "get_future";
  };
  return Fn && Fn->getBody() && analysis::anyInBody(Fn->getBody(), TakesFuture);
}

bool DetachedThreadCheck::ownedByHandle(const model::ThreadSpawn &Spawn,
                                        bool Fiber) const {
  // A packaged task is owned by its future or by nobody (futureTaken), not
  // by the promise inside it.
  if (model::packagedTaskRun(Spawn))
    return false;
  // A carrier running a task it was handed: the task's owner is whoever
  // submitted it (a pool's submit returns the future).
  const FunctionDecl *Entry = analysis::entryOf(Spawn.Callable);
  if (analysis::runsHandedTask(Entry) ||
      analysis::isHandedTask(Spawn.Callable))
    return true;
  unsigned Roles = model::handedRoles(Spawn, Model);
  const Stmt *Body = nullptr;
  if (Entry) {
    const SourceManager &SM = Entry->getASTContext().getSourceManager();
    if (!SM.isInSystemHeader(SM.getExpansionLoc(Entry->getLocation())))
      Body = Entry->getBody();
  }
  bool EndSeen = (Roles & model::CompletionSignal) ||
                 (Body && analysis::announcesEnd(Body, Model, Channels)) ||
                 analysis::countedDoneForSpawner(Spawn) ||
                 analysis::countedInByClass(Spawn) ||
                 analysis::signalsAwaitedObject(Spawn) ||
                 analysis::stopsLoopItsSpawnerRuns(Spawn);
  bool Stoppable = (Roles & model::StopSignal) ||
                   (Body && analysis::asksStop(Body)) ||
                   (Body && analysis::drainsSharedChannel(Entry, Channels)) ||
                   (Body && analysis::leavesOnMessage(Body, Channels));
  if (Fiber && (Stoppable || (Body && analysis::loopsOnSharedState(Body))))
    return true;
  // A fiber that ends by itself in bounded time, on state it holds (no
  // borrowed locals of its spawner), is waited for by its scheduler: a
  // handshake that gives up at a deadline needs no other owner.
  if (Fiber && Body && !model::borrowsSpawnerLocals(Spawn) &&
      analysis::endsInBoundedTime(Body, Entry->getASTContext(), Blocking))
    return true;
  return EndSeen && (Stoppable || (Body && analysis::endsByItself(
                                               Body, Entry->getASTContext())));
}

/// Where the thread detached through \p Object was started, when that is
/// visible from the detach: a temporary, or a local initialised in place.
static model::ThreadSpawn findSpawn(const Expr *Object) {
  return model::spawnOf(model::constructionBehind(Object));
}

void DetachedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  const SourceManager &SM = *Result.SourceManager;
  const Expr *Object = nullptr;
  SourceLocation Loc;
  model::ThreadSpawn Spawn;

  if (const auto *Spawn = Result.Nodes.getNodeAs<CallExpr>("co-spawn"))
    return checkCoroutineSpawn(model::coroutineSpawnOf(Spawn), SM);
  if (const auto *Call =
          Result.Nodes.getNodeAs<CallExpr>("ownerless-coroutine"))
    return checkCoroutineSpawn(model::ownerlessCoroutineCallOf(Call), SM);
  if (const auto *Submit = Result.Nodes.getNodeAs<CallExpr>("fire-and-forget"))
    return checkFireAndForget(Submit, SM, *Result.Context);
  if (const auto *Var = Result.Nodes.getNodeAs<VarDecl>("started-thread-ptr"))
    return checkDroppedStartedThread(Var, SM);
  if (const auto *Var = Result.Nodes.getNodeAs<VarDecl>("detaching-guard"))
    return checkDetachingGuard(Var, SM);
  if (const auto *Block = Result.Nodes.getNodeAs<CompoundStmt>("detach-block")) {
    for (unsigned I = 0; I < Block->size(); ++I)
      if (const auto *Detach = analysis::detachStatement(Block->body_begin()[I]))
        if (const Expr *Work = analysis::constructionDetachedAt(Block, I))
          AssignedBefore[Detach] = Work;
    return;
  }
  if (const auto *Create = Result.Nodes.getNodeAs<CallExpr>("create")) {
    if (const auto *Handle = dyn_cast_or_null<ValueDecl>(analysis::namedHandle(
            model::spawnOfCreateCall(Create).Handle)))
      CreatedBy[Handle] = Create;
    return;
  }
  if (const auto *Call = Result.Nodes.getNodeAs<CXXMemberCallExpr>("member")) {
    Object = Call->getImplicitObjectArgument();
    // A thread handle of the project forwarding its own detach() to its
    // thread: the handle's users are the ones who detach.
    if (isForwardedByHandle(Call) || isDetachedByHolder(Call))
      return;
    Loc = Call->getExprLoc();
    Spawn = findSpawn(Object);
    if (!Spawn)
      Spawn = model::spawnOf(AssignedBefore.lookup(Call));
    if (!Spawn)
      if (std::optional<analysis::Spawn> Element =
              analysis::soleSpawnOfElement(Object, Model))
        Spawn = Element->S;
  } else if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>("c-call")) {
    Object = Call->getArg(0);
    Loc = Call->getBeginLoc();
    if (const auto *Handle =
            dyn_cast_or_null<ValueDecl>(analysis::namedHandle(Object)))
      Spawn = model::spawnOfCreateCall(CreatedBy.lookup(Handle));
  }
  if (!Object || Loc.isInvalid())
    return;
  // In a template, a spawn whose body is not known yet (a dependent function
  // object, or a launch policy of a dependent type before it) is decided by
  // the template's instantiations, which see it; so is a lambda written in
  // a template that is instantiated (`chan->push(v)` resolves there).
  if (Spawn && Spawn.Callable && Spawn.Callable->isTypeDependent() &&
      !isa<LambdaExpr>(Spawn.Callable->IgnoreParenImpCasts()))
    return;
  if (const FunctionDecl *Entry =
          Spawn ? analysis::entryOf(Spawn.Callable) : nullptr;
      Entry && Entry->isDependentContext() && analysis::isInstantiated(Entry))
    return;
  Loc = SM.getFileLoc(Loc); // report where the user wrote it, not in a macro
  if (!Reported.insert(Loc).second)
    return;

  // Owner by handle: the creator kept a way to learn the body finished (a
  // completion signal handed to it, or a last step that tells a waiter),
  // and a way to stop it unless it ends by itself (a finite job counted
  // down by the spawner). The thread object is gone, but the lifetime is
  // owned.
  // p->detach() through a pointer: the kind of what it points to.
  QualType Handle = Object->getType();
  if (Handle->isPointerType())
    Handle = Handle->getPointeeType();
  llvm::StringRef Kind = Model.taskKindOf(Handle);
  if (Spawn && ownedByHandle(Spawn, Kind == "fiber"))
    return;

  // Owner by future: the whole body is a packaged task whose future was
  // taken; whoever holds it gets the result or the exception and can wait
  // for the end, as with std::async (a pool's task fiber).
  if (Spawn && futureTaken(model::packagedTaskRun(Spawn)))
    return;

  std::string What = analysis::describeThread(Object, Kind);
  diag(Loc, "%0 is detached: nothing can stop it or wait for it to finish")
      << What;
  if (Spawn)
    diag(SM.getFileLoc(Spawn.Site->getBeginLoc()), "%0 started here",
         DiagnosticIDs::Note)
        << Kind;
  if (Kind == "fiber") {
    // Boost.Fiber's scheduler runs every fiber to its end before its thread
    // may exit: an ownerless fiber blocked on a channel or a condition
    // nobody signals holds the thread's exit forever.
    diag(Loc,
         "a detached fiber still belongs to its thread's scheduler: the "
         "thread cannot finish until the fiber does, and nothing can ask it "
         "to; join it, or keep it in an owner that closes what it waits on "
         "and joins it",
         DiagnosticIDs::Note);
    return;
  }
  diag(Loc,
       "keep the thread in an owner that joins it (a std::jthread member, "
       "or a pool joined on shutdown), or hand the body both a stop signal "
       "and a completion signal",
       DiagnosticIDs::Note);
}

} // namespace tether
