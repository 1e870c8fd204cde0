//===--- UnjoinedTaskCheck.cpp --------------------------------------------===//

#include "UnjoinedTaskCheck.h"
#include "analysis/DetachAfterAssign.h"
#include "clang/Lex/Preprocessor.h"
#include "analysis/BodyWalk.h"
#include "analysis/CoroutineOwner.h"
#include "analysis/HandleUses.h"
#include "analysis/LivePaths.h"
#include "analysis/MemberRelease.h"
#include "analysis/MemberWork.h"
#include "analysis/ThreadEntries.h"
#include "model/StdLibrary.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "analysis/Matchers.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

using model::ConcurrencyModel;

/// Strips what clang wraps around an expression statement whose value is
/// thrown away, including an explicit (void) cast: the future still dies at
/// the end of the full expression.
AST_MATCHER_P(Expr, discardedValueOf,
              clang::ast_matchers::internal::Matcher<clang::Stmt>, Inner) {
  const Expr *E = &Node;
  for (;;) {
    E = E->IgnoreParens();
    if (const auto *C = dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *Cast = dyn_cast<CastExpr>(E);
             Cast && (isa<ImplicitCastExpr>(Cast) ||
                      Cast->getType()->isVoidType()))
      E = Cast->getSubExpr();
    else
      break;
  }
  return Inner.matches(*E, Finder, Builder);
}

/// How a field holds threads.
enum class Holding { None, Direct, Many };

/// \p Handle, when given, receives the type of the handles held.
Holding threadHolding(QualType T, const model::ConcurrencyModel &Model,
                      QualType *Handle = nullptr) {
  T = T.getCanonicalType();
  if (const auto *Arr = dyn_cast<ConstantArrayType>(T.getTypePtr()))
    return threadHolding(Arr->getElementType(), Model, Handle) !=
                   Holding::None
               ? Holding::Many
               : Holding::None;
  if (Handle)
    *Handle = T;
  if (Model.isThread(T))
    return Model.isJoiningThread(T) ? Holding::None : Holding::Direct;
  // Containers and owning wrappers: vector<thread>, optional<thread>,
  // unique_ptr<thread>, array<thread, N>.
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl())) {
    if (!ConcurrencyModel::inStdOrBoost(Spec))
      return Holding::None;
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() >= 1 && Args[0].getKind() == TemplateArgument::Type) {
      QualType Elem = Args[0].getAsType();
      if (Handle)
        *Handle = Elem;
      if (Model.isThread(Elem) && !Model.isJoiningThread(Elem))
        return ConcurrencyModel::ownsOne(Spec) ? Holding::Direct
                                               : Holding::Many;
    }
  }
  return Holding::None;
}

/// For a handle whose work is added after its declaration (a container of
/// threads, a QThread): anything that sees it before the first work is
/// added, or a lambda that captures it, may keep it and end the work
/// later. Not followed.
bool handedOnBeforeWork(const analysis::HandleUses &U,
                        const SourceManager &SM) {
  SourceLocation First;
  for (const Stmt *A : U.Acquire)
    if (First.isInvalid() ||
        SM.isBeforeInTranslationUnit(A->getBeginLoc(), First))
      First = A->getBeginLoc();
  return llvm::any_of(U.Release, [&](const Stmt *S) {
    return isa<LambdaExpr>(S) ||
           SM.isBeforeInTranslationUnit(S->getBeginLoc(), First);
  });
}

std::string spawnerName(const FunctionDecl *FD) {
  return model::canonicalName(FD);
}

} // namespace

UnjoinedTaskCheck::UnjoinedTaskCheck(StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Library(Options),
      ExceptionPaths(Options.get("ExceptionPaths", false)) {}

void UnjoinedTaskCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ExceptionPaths", ExceptionPaths);
  Model.store(Options, Opts);
  Library.store(Options, Opts);
}

void UnjoinedTaskCheck::registerMatchers(MatchFinder *Finder) {
  auto ThreadType = hasUnqualifiedDesugaredType(recordType(hasDeclaration(
      cxxRecordDecl(Model.threadRecord()))));
  // co_spawn(ex, task(), use_future) returns a std::future like a spawner,
  // and so does any function that hands back a future by value (a pool's
  // push(f), dispatch(f)): called as a statement, it started work whose
  // future nobody keeps.
  auto FutureType = hasUnqualifiedDesugaredType(
      recordType(hasDeclaration(cxxRecordDecl(Model.futureClass()))));
  auto Spawn = callExpr(analysis::calleeIs(functionDecl(
      anyOf(Model.taskSpawner(), Model.coroutineSpawner(),
            allOf(returns(FutureType),
                  unless(hasName("get_future")))))));

  // Thread locals and by-value parameters: analysed per function at the end.
  Finder->addMatcher(varDecl(hasLocalStorage(), hasType(ThreadType),
                             unless(isExpansionInSystemHeader()))
                         .bind("thread-var"),
                     this);
  // Local containers of threads (std::vector<std::thread> workers;).
  Finder->addMatcher(
      varDecl(hasLocalStorage(), unless(parmVarDecl()),
              unless(isExpansionInSystemHeader()),
              hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
                  classTemplateSpecializationDecl(hasTemplateArgument(
                      0, refersToType(ThreadType))))))))
          .bind("thread-container"),
      this);
  // Task groups (tbb::task_group tasks;).
  Finder->addMatcher(
      varDecl(hasLocalStorage(), unless(parmVarDecl()),
              unless(isExpansionInSystemHeader()),
              hasType(hasUnqualifiedDesugaredType(recordType(
                  hasDeclaration(cxxRecordDecl(Model.taskGroupClass()))))))
          .bind("task-group"),
      this);
  // Started-thread objects (QThread t; t.start();), unless their own
  // destructor waits for them.
  Finder->addMatcher(
      varDecl(hasLocalStorage(), unless(parmVarDecl()),
              unless(isExpansionInSystemHeader()),
              hasType(hasUnqualifiedDesugaredType(recordType(
                  hasDeclaration(cxxRecordDecl(Model.startedThreadRecord()))))))
          .bind("started-thread"),
      this);
  // Classes that own threads.
  Finder->addMatcher(fieldDecl(unless(isExpansionInSystemHeader()),
                               hasType(qualType(unless(builtinType()))))
                         .bind("field"),
                     this);
  // std::async(...); as a statement: the future dies at once.
  Finder->addMatcher(
      compoundStmt(unless(isExpansionInSystemHeader()),
                   analysis::forEachStatement(expr(discardedValueOf(Spawn.bind("discarded")))
                               .bind("discarded-statement")))
          .bind("discarded-block"),
      this);
  // auto f = std::async(...); and f never mentioned again.
  Finder->addMatcher(
      varDecl(hasLocalStorage(), unless(isExpansionInSystemHeader()),
              hasType(hasUnqualifiedDesugaredType(recordType(
                  hasDeclaration(cxxRecordDecl(Model.futureClass()))))),
              hasInitializer(expr()))
          .bind("future-var"),
      this);
}

void UnjoinedTaskCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  // A local handle is filed under the function that holds it: one CFG per
  // function, at the end of the TU.
  auto Remember = [&](const VarDecl *V, auto LocalHandles::*List) {
    const auto *Fn = dyn_cast_or_null<Decl>(V->getParentFunctionOrMethod());
    if (!Fn || !Fn->getBody())
      return;
    auto &Vars = LocalThreads[Fn].*List;
    if (!llvm::is_contained(Vars, V))
      Vars.push_back(V);
  };
  if (const auto *V = Result.Nodes.getNodeAs<VarDecl>("thread-var")) {
    if (!Model.isJoiningThread(V->getType()))
      Remember(V, &LocalHandles::Threads);
    return;
  }
  if (const auto *V = Result.Nodes.getNodeAs<VarDecl>("thread-container")) {
    if (threadHolding(V->getType(), Model) == Holding::Many)
      Remember(V, &LocalHandles::Containers);
    return;
  }
  if (const auto *V = Result.Nodes.getNodeAs<VarDecl>("task-group"))
    return Remember(V, &LocalHandles::TaskGroups);
  if (const auto *V = Result.Nodes.getNodeAs<VarDecl>("started-thread")) {
    if (!Model.isJoiningThread(V->getType()))
      Remember(V, &LocalHandles::StartedThreads);
    return;
  }
  if (const auto *F = Result.Nodes.getNodeAs<FieldDecl>("field"))
    return checkThreadMember(F);
  if (const auto *C = Result.Nodes.getNodeAs<CallExpr>("discarded"))
    return checkDiscardedSpawn(
        C, Result.Nodes.getNodeAs<Stmt>("discarded-statement"),
        Result.Nodes.getNodeAs<CompoundStmt>("discarded-block"));
  if (const auto *V = Result.Nodes.getNodeAs<VarDecl>("future-var"))
    return checkUnreadFuture(V);
}

void UnjoinedTaskCheck::onEndOfTranslationUnit() {
  for (auto &[Fn, Locals] : LocalThreads)
    checkLocalThreads(Fn, Locals);
  LocalThreads.clear();
  SeenFields.clear();
}

// --- A thread local joinable at some scope exit ----------------------------

void UnjoinedTaskCheck::checkLocalThreads(const Decl *Fn,
                                          const LocalHandles &Locals) {
  // A template is checked in its pattern; instantiations would repeat it.
  if (const auto *FD = dyn_cast<FunctionDecl>(Fn))
    if (FD->isTemplateInstantiation())
      return;
  Stmt *Body = Fn->getBody();
  auto Uses = analysis::classifyHandleUses(
      Body, Locals.Threads,
      analysis::HandleMethods{ConcurrencyModel::threadReleaseMethods(),
                              ConcurrencyModel::threadLivenessMethods()});
  auto ContainerUses = analysis::classifyHandleUses(
      Body, Locals.Containers,
      analysis::HandleMethods{{},
                              {},
                              ConcurrencyModel::containerAddMethods(),
                              {},
                              ConcurrencyModel::containerNeutralMethods()});
  auto GroupUses = analysis::classifyHandleUses(
      Body, Locals.TaskGroups,
      analysis::HandleMethods{ConcurrencyModel::taskGroupWaitMethods(), {},
                              ConcurrencyModel::taskGroupRunMethods()});
  auto StartedUses = analysis::classifyHandleUses(
      Body, Locals.StartedThreads, analysis::startedThreadHandleMethods());
  // Most containers are only filled and then joined in a loop: no work added
  // on a path that could leak needs no CFG.
  if (Locals.Threads.empty() &&
      llvm::all_of(Locals.StartedThreads, [&](const VarDecl *V) {
        return StartedUses[V].Acquire.empty();
      }) &&
      llvm::all_of(Locals.Containers, [&](const VarDecl *V) {
        return ContainerUses[V].Acquire.empty();
      }) &&
      llvm::all_of(Locals.TaskGroups, [&](const VarDecl *V) {
        return GroupUses[V].Acquire.empty();
      }))
    return;
  std::unique_ptr<CFG> Cfg = analysis::buildHandleCFG(Fn, Body, *Context);
  if (!Cfg)
    return;
  const SourceManager &SM = Context->getSourceManager();
  for (const VarDecl *V : Locals.Containers) {
    const analysis::HandleUses &U = ContainerUses[V];
    // A joiner object built from it (join_threads joiner(ts);), a scope
    // guard that captures it.
    if (Fn->isTemplated() || handedOnBeforeWork(U, SM))
      continue;
    std::optional<analysis::LeakPath> Leak =
        analysis::findLeakPath(*Cfg, V, U, analysis::LivePathOptions{});
    if (!Leak)
      continue;
    QualType Handle;
    threadHolding(V->getType(), Model, &Handle);
    llvm::StringRef Kind = Model.taskKindOf(Handle);
    diag(V->getLocation(),
         "%1s in '%0' are still joinable when it goes out of scope on "
         "some path: destroying a joinable %1 %2")
        << V->getName() << Kind << joinableDestruction(Handle);
    if (Leak->Acquire)
      diag(SM.getFileLoc(Leak->Acquire->getBeginLoc()),
           "a running %1 is added to '%0' here", DiagnosticIDs::Note)
          << V->getName() << Kind;
    diag(SM.getFileLoc(Leak->exitLoc()),
         "'%0' goes out of scope here before its %1s are joined or handed "
         "on",
         DiagnosticIDs::Note)
        << V->getName() << Kind;
  }
  for (const VarDecl *V : Locals.TaskGroups) {
    if (Fn->isTemplated())
      continue;
    std::optional<analysis::LeakPath> Leak = analysis::findLeakPath(
        *Cfg, V, GroupUses[V], analysis::LivePathOptions{});
    if (!Leak)
      continue;
    diag(V->getLocation(),
         "task group '%0' still has tasks when it goes out of scope on some "
         "path: its destructor cancels them and throws tbb::missing_wait")
        << V->getName();
    if (Leak->Acquire)
      diag(SM.getFileLoc(Leak->Acquire->getBeginLoc()),
           "a task is started in '%0' here", DiagnosticIDs::Note)
          << V->getName();
    diag(SM.getFileLoc(Leak->exitLoc()),
         "'%0' goes out of scope here without wait()", DiagnosticIDs::Note)
        << V->getName();
  }
  for (const VarDecl *V : Locals.StartedThreads) {
    // A stop path in a lambda called later, a callee given its address.
    const analysis::HandleUses &U = StartedUses[V];
    if (Fn->isTemplated() || handedOnBeforeWork(U, SM))
      continue;
    std::optional<analysis::LeakPath> Leak =
        analysis::findLeakPath(*Cfg, V, U, analysis::LivePathOptions{});
    if (!Leak)
      continue;
    diag(V->getLocation(),
         "%1 '%0' may still be running when it goes out of scope on some "
         "path: destroying a running %1 aborts the program (\"Destroyed "
         "while thread is still running\")")
        << V->getName() << Model.startedThreadKindOf(V->getType());
    if (Leak->Acquire)
      diag(SM.getFileLoc(Leak->Acquire->getBeginLoc()),
           "'%0' is started here", DiagnosticIDs::Note)
          << V->getName();
    diag(SM.getFileLoc(Leak->exitLoc()),
         "'%0' goes out of scope here without wait() (quit() only asks its "
         "event loop to end)",
         DiagnosticIDs::Note)
        << V->getName();
  }
  for (const VarDecl *V : Locals.Threads) {
    analysis::LivePathOptions Opts;
    Opts.LiveAtEntry = isa<ParmVarDecl>(V);
    Opts.ExceptionPaths = ExceptionPaths;
    std::optional<analysis::LeakPath> Leak =
        analysis::findLeakPath(*Cfg, V, Uses[V], Opts);
    if (!Leak)
      continue;
    llvm::StringRef Kind = Model.taskKindOf(V->getType());
    if (Leak->ThrowingCall) {
      diag(V->getLocation(),
           "%1 '%0' is destroyed while joinable if an exception "
           "propagates: its destructor %2")
          << V->getName() << Kind << joinableDestruction(V->getType());
      diag(SM.getFileLoc(Leak->ThrowingCall->getBeginLoc()),
           "if this call throws, '%0' is destroyed without join()",
           DiagnosticIDs::Note)
          << V->getName();
      continue;
    }
    diag(V->getLocation(),
         "%1 '%0' is still joinable when it goes out of scope on some "
         "path: its destructor %2")
        << V->getName() << Kind << joinableDestruction(V->getType());
    if (Leak->Acquire && !isa<DeclStmt>(Leak->Acquire))
      diag(SM.getFileLoc(Leak->Acquire->getBeginLoc()),
           "'%0' starts a %1 here", DiagnosticIDs::Note)
          << V->getName() << Kind;
    diag(SM.getFileLoc(Leak->exitLoc()),
         "'%0' goes out of scope here without join() or being handed on",
         DiagnosticIDs::Note)
        << V->getName();
  }
}

// --- A class whose destructor never joins its thread member ----------------

/// std::thread -> std::jthread for a member that a stop path already joins
/// and that is only ever joined (jthread has no assignment from std::thread).
std::optional<FixItHint>
UnjoinedTaskCheck::jthreadFix(const FieldDecl *Field, const CXXRecordDecl *RD,
                              bool Direct, analysis::MemberRelease &Release) {
  const CXXRecordDecl *FieldClass = Field->getType()->getAsCXXRecordDecl();
  TypeSourceInfo *TSI = Field->getTypeSourceInfo();
  if (!Direct || !getLangOpts().CPlusPlus20 || !FieldClass ||
      !ConcurrencyModel::isStdThread(FieldClass) || !TSI ||
      TSI->getTypeLoc().getBeginLoc().isMacroID())
    return std::nullopt;
  bool HasStopPath = false;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (isa<CXXConstructorDecl>(M) || isa<CXXDestructorDecl>(M))
      continue;
    if (!Release.onlyJoinLikeUses(M))
      return std::nullopt;
    HasStopPath |= M->hasBody() && Release.releases(M);
  }
  for (const CXXConstructorDecl *Ctor : RD->ctors())
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->getMember() == Field)
        if (const auto *CE =
                dyn_cast<CXXConstructExpr>(Init->getInit()->IgnoreImplicit()))
          if (CE->getConstructor()->isCopyOrMoveConstructor())
            return std::nullopt;
  if (!HasStopPath)
    return std::nullopt;
  return FixItHint::CreateReplacement(TSI->getTypeLoc().getSourceRange(),
                                      model::JoiningThreadSpelling);
}

void UnjoinedTaskCheck::checkThreadMember(const FieldDecl *Field) {
  const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!RD || RD->isLambda() || RD->isUnion() ||
      isa<ClassTemplateSpecializationDecl>(RD) ||
      !SeenFields.insert(Field).second)
    return;
  if (Model.isStartedThread(Field->getType()))
    return checkStartedThreadMember(Field, RD);
  if (Model.isTaskGroup(Field->getType()))
    return checkTaskGroupMember(Field, RD);
  if (Model.joinsOnDestruction(Field->getType()))
    return checkDestructionOrder(Field, RD);
  QualType Handle;
  Holding H = threadHolding(Field->getType(), Model, &Handle);
  if (H == Holding::None)
    return;
  // The thread inside a thread handle of the project (a base::Thread whose
  // join() forwards to it): the handle's owners answer for it.
  if (Model.rolesOf(RD) & model::Thread)
    return;
  const CXXDestructorDecl *Dtor = analysis::destructorOf(RD);
  bool UserDtor = Dtor && Dtor->isUserProvided();
  // A plain struct with a public thread is owned by whoever holds the
  // struct; only a class that encapsulates the thread owns it.
  if (!UserDtor && Field->getAccess() == AS_public)
    return;
  // A class that befriends another class is a slot its friend owns: the
  // friend (a pool, an executor) joins the thread through it.
  // (A nested helper the class befriends is part of the class itself.)
  if (analysis::befriendsOwner(RD))
    return;
  // The class's own code is in another file (a header seen from a TU that
  // only uses the class): that file's TU sees what it does with the member.
  if (analysis::hasMethodsDefinedElsewhere(RD))
    return;
  // `fiber_ = fiber(f); fiber_.detach();` wherever it is given work: it is
  // never joinable when the object dies (tether-detached-thread judges the
  // detach).
  if (analysis::detachedAfterEveryAssignment(Field))
    return;
  // A private member the class never gives a thread is never joinable.
  if (Field->getAccess() == AS_private && analysis::neverGivenWork(Field))
    return;
  analysis::MemberRelease Release(Field,
                                  ConcurrencyModel::threadReleaseMethods());
  if (UserDtor && Release.releases(Dtor))
    return;
  // A virtual hook that a base class or framework drives before destruction
  // (gtest's TearDown, an execution context's shutdown) joins it.
  for (const CXXMethodDecl *M : RD->methods())
    if (M->size_overridden_methods() > 0 && !isa<CXXDestructorDecl>(M) &&
        M->hasBody() && Release.releases(M))
      return;

  // A private nested worker whose enclosing pool joins it on destruction
  // (`~Pool() { Stop(); }`, Stop() calling `worker->Join()`).
  if (analysis::joinedByEnclosingClass(RD, [&](const CXXMethodDecl *M) {
        return M->hasBody() && Release.releases(M);
      }))
    return;

  // Fix-it: the class already has a stop path (a method that joins) and the
  // member is only joined, so std::jthread keeps the meaning and adds the
  // join the destructor misses.
  std::optional<FixItHint> Fix = jthreadFix(Field, RD, H == Holding::Direct,
                                            Release);
  {
    auto D = diag(Field->getLocation(),
                  "%3%select{|s in}0 member '%1' %select{is|are}0 "
                  "never joined by the destructor of '%2': destroying a "
                  "running '%2' %4")
             << (H == Holding::Many) << Field->getName() << RD->getName()
             << Model.taskKindOf(Handle) << joinableDestruction(Handle);
    if (Fix)
      D << *Fix;
  }
  // The stop path that joins the member, which the destructor never takes:
  // a caller who forgets to call it gets std::terminate.
  // A method that gives the member new work (start(): `t_ = std::thread(f)`)
  // is where it begins, not the stop path, even when it also lets go of
  // what the member held.
  auto GivesWork = [&](const CXXMethodDecl *M) {
    const FunctionDecl *Def = nullptr;
    return M->hasBody(Def) && Def->getBody() &&
           analysis::anyInBody(Def->getBody(), [&](const Stmt *S) {
             return analysis::assignedHandle(S) == Field;
           });
  };
  const CXXMethodDecl *Joiner = nullptr;
  for (const CXXMethodDecl *M : RD->methods())
    if (!isa<CXXConstructorDecl>(M) && !isa<CXXDestructorDecl>(M) &&
        M->hasBody() && M->getDeclName().isIdentifier() &&
        Release.releases(M) && !GivesWork(M)) {
      Joiner = M;
      break;
    }
  if (UserDtor)
    diag(Dtor->getLocation(),
         "destructor of '%0' defined here%select{|; it does not call '%2'}1",
         DiagnosticIDs::Note)
        << RD->getName() << (Joiner != nullptr)
        << (Joiner ? Joiner->getName() : StringRef());
  else
    diag(RD->getLocation(),
         "'%0' has an implicit destructor; join the %1 in a destructor"
         "%select{ (or make it a std::jthread)|}2",
         DiagnosticIDs::Note)
        << RD->getName() << Model.taskKindOf(Handle)
        << bool(Model.rolesOf(Handle) & model::Fiber);
  if (Joiner)
    diag(Joiner->getLocation(),
         "'%0' joins '%1', but only when a caller remembers to call it",
         DiagnosticIDs::Note)
        << Joiner->getName() << Field->getName();
}

// --- A class that starts its QThread member and never waits for it --------

/// The member's wait is on the way to destruction: a user destructor that
/// waits (or whose body is elsewhere), or an override a base class or
/// framework drives before it (gtest's TearDown, a shutdown hook).
static bool releasedBeforeDestruction(const CXXRecordDecl *RD,
                                      const CXXDestructorDecl *Dtor,
                                      analysis::MemberRelease &Release) {
  if (Dtor && Dtor->isUserProvided() &&
      (!Dtor->hasBody() || Release.releases(Dtor)))
    return true;
  for (const CXXMethodDecl *M : RD->methods())
    if (M->size_overridden_methods() > 0 && !isa<CXXDestructorDecl>(M) &&
        M->hasBody() && Release.releases(M))
      return true;
  return false;
}

/// Does a member function of \p RD (other than those \p Skip names) call
/// Field.start() (or another of \p StartMethods: a task group's run())?
static const CXXMemberCallExpr *
startOf(const FieldDecl *Field, const CXXRecordDecl *RD,
        llvm::ArrayRef<llvm::StringRef> StartMethods,
        llvm::function_ref<bool(const CXXMethodDecl *)> Skip = nullptr) {
  const CXXMemberCallExpr *Found = nullptr;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->hasBody() || (Skip && Skip(M)))
      continue;
    analysis::walkBody(M->getBody(), [&](const Stmt *S) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
        if (const CXXMethodDecl *Callee = MC->getMethodDecl())
          if (Callee->getDeclName().isIdentifier() &&
              llvm::is_contained(StartMethods, Callee->getName()) &&
              analysis::rootField(MC->getImplicitObjectArgument()) == Field)
            Found = MC;
      return !Found;
    });
    if (Found)
      break;
  }
  return Found;
}

void UnjoinedTaskCheck::checkStartedThreadMember(const FieldDecl *Field,
                                                 const CXXRecordDecl *RD) {
  if (Model.isJoiningThread(Field->getType()) ||
      (Model.rolesOf(RD) & (model::Thread | model::StartedThread)))
    return;
  const CXXMemberCallExpr *Start =
      startOf(Field, RD, ConcurrencyModel::startedThreadStartMethods());
  if (!Start)
    return; // started by whoever reaches it, or never
  const CXXDestructorDecl *Dtor = analysis::destructorOf(RD);
  bool UserDtor = Dtor && Dtor->isUserProvided();
  analysis::MemberRelease Release(Field,
                                  ConcurrencyModel::startedThreadWaitMethods());
  if (releasedBeforeDestruction(RD, Dtor, Release))
    return;
  std::string Kind = Model.startedThreadKindOf(Field->getType());
  diag(Field->getLocation(),
       "%2 member '%0' is started but never waited for by the destructor of "
       "'%1': destroying a running %2 aborts the program (\"Destroyed while "
       "thread is still running\")")
      << Field->getName() << RD->getName() << Kind;
  diag(Context->getSourceManager().getFileLoc(Start->getBeginLoc()), "'%0' is started here",
       DiagnosticIDs::Note)
      << Field->getName();
  if (UserDtor)
    diag(Dtor->getLocation(),
         "destructor of '%0' defined here; call quit() (or "
         "requestInterruption()) and wait() on '%1' in it",
         DiagnosticIDs::Note)
        << RD->getName() << Field->getName();
  else
    diag(RD->getLocation(),
         "'%0' has an implicit destructor; stop '%1' with quit() and wait() "
         "in a destructor",
         DiagnosticIDs::Note)
        << RD->getName() << Field->getName();
}

// --- A class that runs tasks in its task group member and never waits -----

/// The class's methods run() tasks in its task group member and no
/// destructor (or framework hook) waits for them: destroying the group with
/// tasks it never waited for cancels them and throws tbb::missing_wait from
/// the destructor (docs/rules.md, "Task groups").
void UnjoinedTaskCheck::checkTaskGroupMember(const FieldDecl *Field,
                                             const CXXRecordDecl *RD) {
  const CXXDestructorDecl *Dtor = analysis::destructorOf(RD);
  bool UserDtor = Dtor && Dtor->isUserProvided();
  analysis::MemberRelease Release(Field,
                                  ConcurrencyModel::taskGroupWaitMethods());
  if (releasedBeforeDestruction(RD, Dtor, Release))
    return;
  // A method that runs and waits before it returns (run(); ...; wait();)
  // leaves nothing behind; a run in a method that does not wait leaves its
  // tasks to the destructor.
  const CXXMemberCallExpr *Run = startOf(
      Field, RD, ConcurrencyModel::taskGroupRunMethods(),
      [&](const CXXMethodDecl *M) {
        return isa<CXXDestructorDecl>(M) || Release.releases(M);
      });
  if (!Run)
    return; // run by whoever reaches it, never, or waited for where it runs
  const SourceManager &SM = Context->getSourceManager();
  diag(Field->getLocation(),
       "task group member '%0' runs tasks that the destructor of '%1' never "
       "waits for: destroying the group with tasks still pending cancels "
       "them and throws from its destructor")
      << Field->getName() << RD->getName();
  diag(SM.getFileLoc(Run->getBeginLoc()), "'%0' runs a task here",
       DiagnosticIDs::Note)
      << Field->getName();
  if (UserDtor)
    diag(Dtor->getLocation(),
         "destructor of '%0' defined here; call '%1.wait()' in it",
         DiagnosticIDs::Note)
        << RD->getName() << Field->getName();
  else
    diag(RD->getLocation(),
         "'%0' has an implicit destructor; call '%1.wait()' in a destructor",
         DiagnosticIDs::Note)
        << RD->getName() << Field->getName();
}

// --- A joining member destroyed after members its work uses ---------------

/// Members are destroyed in reverse order of declaration, after the
/// destructor's body: a std::jthread or an asio::thread_pool declared before
/// the members its work uses joins that work only after they are gone.
void UnjoinedTaskCheck::checkDestructionOrder(const FieldDecl *Field,
                                              const CXXRecordDecl *RD) {
  if (Model.rolesOf(RD) & model::Thread)
    return; // the project's own thread handle: its internals
  const CXXDestructorDecl *Dtor = analysis::destructorOf(RD);
  static const llvm::StringRef Stops[] = {"join", "stop", "request_stop",
                                          "wait", "reset", "release"};
  analysis::MemberRelease Release(Field, Stops);
  if (Dtor && Dtor->isUserProvided() &&
      (!Dtor->hasBody() || Release.releases(Dtor)))
    return;
  for (const analysis::MemberWork &Work :
       analysis::workStartedOn(Field, RD, Model)) {
    llvm::DenseMap<const FieldDecl *, const Expr *> Used;
    analysis::fieldsUsedBy(Work.Body, RD, Used);
    // The first member declared after Field whose destruction does
    // something (a trivially destructible int or atomic keeps its storage
    // until the whole object goes).
    const FieldDecl *Victim = nullptr;
    for (auto &[F, Use] : Used)
      if (F->getFieldIndex() > Field->getFieldIndex() &&
          F->getType().isDestructedType() &&
          (!Victim || F->getFieldIndex() < Victim->getFieldIndex()))
        Victim = F;
    if (!Victim)
      continue;
    const SourceManager &SM = Context->getSourceManager();
    bool Pool = Model.rolesOf(Field->getType()) & model::ExecutorPool;
    diag(Field->getLocation(),
         "'%0' joins its %select{thread|threads}1 only when it is destroyed, "
         "after '%2', declared after it, is already destroyed: work still "
         "running uses '%2'")
        << Field->getName() << Pool << Victim->getName();
    diag(SM.getFileLoc(Work.Start->getBeginLoc()),
         "work is started on '%0' here", DiagnosticIDs::Note)
        << Field->getName();
    diag(SM.getFileLoc(Used[Victim]->getBeginLoc()),
         "'%0' is used by that work here", DiagnosticIDs::Note)
        << Victim->getName();
    diag(Field->getLocation(),
         "declare '%0' after the members its work uses, or %select{join it|"
         "stop() and join() it}1 in the destructor of '%2'",
         DiagnosticIDs::Note)
        << Field->getName() << Pool << RD->getName();
    return;
  }
}

// --- std::async(...); ------------------------------------------------------

/// `std::async(std::launch::async, f);` ->
/// `auto pending = std::async(std::launch::async, f); pending.wait();`
///
/// The same behaviour, written out: wait() blocks until the task's thread
/// completed, as the discarded future's destructor did, and like it does not
/// rethrow the task's exception; the future now has a name, so its wait can
/// be moved to where the result is needed. Offered only where the rewrite
/// cannot change meaning:
///  - an explicit std::launch::async: under the default policy the library
///    may defer the task, and a discarded deferred task never runs while
///    wait() would run it;
///  - no temporary inside the arguments other than an argument itself (which
///    the task copies): the future now outlives the statement, so such a
///    temporary (a c_str() of a temporary string) would die before the wait;
///  - no label or case after the statement in its block: a jump past the
///    new variable's initialisation would not compile;
///  - no macro, and a name nothing in the translation unit spells.
/// \p Statement is the statement of \p Block whose discarded value \p Call
/// is (bound by the matcher: no parent map).
static std::optional<FixItHint> keepFutureFix(const CallExpr *Call,
                                              const Stmt *Statement,
                                              const CompoundStmt *Block,
                                              ASTContext &Ctx) {
  if (!Statement || !Block)
    return std::nullopt;
  if (!model::isStdAsync(Call->getDirectCallee()) || Call->getNumArgs() < 2 ||
      !model::isAsyncLaunchPolicy(Call->getArg(0)))
    return std::nullopt;

  bool InnerTemporary = false;
  auto FindTemporaries = [&](const Stmt *S) {
    analysis::walkBody(S, [&](const Stmt *Node) {
      if (isa<MaterializeTemporaryExpr>(Node) ||
          isa<CXXBindTemporaryExpr>(Node))
        InnerTemporary = true;
      return !InnerTemporary;
    });
  };
  for (const Expr *Own : llvm::drop_begin(Call->arguments())) {
    // The argument's own object (the task copies it): look through what
    // only materializes, binds or converts it.
    for (;;) {
      Own = Own->IgnoreParens();
      if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Own))
        Own = M->getSubExpr();
      else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Own))
        Own = B->getSubExpr();
      else if (isa<ImplicitCastExpr>(Own) || isa<CXXFunctionalCastExpr>(Own))
        Own = cast<CastExpr>(Own)->getSubExpr();
      else
        break;
    }
    if (const auto *Lambda = dyn_cast<LambdaExpr>(Own)) {
      for (const Expr *Init : Lambda->capture_inits())
        if (Init)
          FindTemporaries(Init);
    } else {
      for (const Stmt *Child : Own->children())
        FindTemporaries(Child);
    }
  }
  if (InnerTemporary)
    return std::nullopt;

  // A later case label of a switch whose body this is, or a goto label,
  // would jump past the new variable.
  bool After = false, Label = false;
  unsigned Earlier = 0; // discarded calls before it get pending, pending2, ...
  for (const Stmt *Child : Block->body()) {
    if (Child == Statement) {
      After = true;
      continue;
    }
    if (!After && isa<Expr>(Child))
      analysis::walkBody(Child, [&](const Stmt *Node) {
        if (const auto *C = dyn_cast<CallExpr>(Node))
          if (const FunctionDecl *FD = C->getDirectCallee())
            Earlier += model::isStdAsync(FD);
        return true;
      });
    if (After)
      analysis::walkBody(Child, [&](const Stmt *Node) {
        Label |= isa<LabelStmt>(Node) || isa<SwitchCase>(Node);
        return !Label;
      });
  }
  if (Label)
    return std::nullopt;

  const SourceManager &SM = Ctx.getSourceManager();
  SourceRange Range = Statement->getSourceRange();
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID() ||
      Call->getBeginLoc().isMacroID() || Call->getEndLoc().isMacroID())
    return std::nullopt;
  StringRef CallText = Lexer::getSourceText(
      CharSourceRange::getTokenRange(Call->getSourceRange()), SM,
      Ctx.getLangOpts());
  if (CallText.empty())
    return std::nullopt;
  // The (Earlier+1)-th of pending, pending2, ... that the unit never spells.
  std::string Name;
  for (unsigned N = 1, Free = 0; N <= Earlier + 64 && Name.empty(); ++N) {
    std::string Candidate = N == 1 ? "pending" : "pending" + std::to_string(N);
    if (Ctx.Idents.find(Candidate) == Ctx.Idents.end() && Free++ == Earlier)
      Name = Candidate;
  }
  if (Name.empty())
    return std::nullopt;
  return FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Range),
      ("auto " + Name + " = " + CallText + "; " + Name + ".wait()").str());
}

/// \p Call is handed something to run.
static bool handsCallable(const CallExpr *Call) {
  return llvm::any_of(Call->arguments(), model::isCallableExpr);
}

/// The function whose body runs as the task \p Call starts: the coroutine
/// it calls (a coroutine returning a future is its own task) or spawns
/// (co_spawn(ex, session(s), use_future)), or the one callable it is
/// handed (pool.submit([p] { p->set_value(); })). Null when that is not
/// visible or not one function.
static const FunctionDecl *taskRunBy(const CallExpr *Call,
                                     const ConcurrencyModel &Model) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
      Def && isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()))
    return Def;
  if (FD && Model.isCoroutineSpawner(FD)) {
    model::CoroutineSpawn S = model::coroutineSpawnOf(Call);
    return S.Starter || S.Group ? nullptr : S.Coroutine;
  }
  if (std::optional<analysis::Spawn> S = analysis::spawnAt(Call, Model))
    return S->S.Callable ? analysis::taskBodyOf(S->S.Callable) : nullptr;
  const Expr *Callable = nullptr;
  for (const Expr *A : Call->arguments()) {
    if (!model::isCallableExpr(A))
      continue;
    if (Callable)
      return nullptr;
    Callable = A;
  }
  return Callable ? analysis::taskBodyOf(Callable) : nullptr;
}

bool UnjoinedTaskCheck::carriesNothing(const CallExpr *Spawn,
                                       QualType Future) const {
  // What the future holds: the T of future<T>.
  QualType Value = model::firstTypeArgument(
      Future.getNonReferenceType()->getAsCXXRecordDecl());
  if (Value.isNull() || !Value->isVoidType())
    return false;
  const FunctionDecl *Task = taskRunBy(Spawn, Model);
  return Task && Task->hasBody() && !analysis::taskFailure(Task, Library);
}

void UnjoinedTaskCheck::checkDiscardedSpawn(const CallExpr *Call,
                                            const Stmt *Statement,
                                            const CompoundStmt *Block) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !Model.isFuture(Call->getType()))
    return;
  // Any other function handing back a future is a spawner only on
  // evidence: it is handed the work (a callable: a pool's push(f), a
  // service's execute(f)), or its body is not one that only returns a
  // future of a promise it already settled (a kitchen's TakeOrder(order)
  // places the order and sets the promise: nothing runs behind it).
  if (!Model.isTaskSpawner(FD) && !Model.isCoroutineSpawner(FD) &&
      !model::ConcurrencyModel::inStdOrBoost(FD) &&
      (FD->getDefinition() ? analysis::handsBackSettledFuture(FD)
                           : !handsCallable(Call)))
    return;
  const SourceManager &SM = Context->getSourceManager();
  SourceLocation Loc = SM.getFileLoc(Call->getBeginLoc());
  std::string Name = spawnerName(FD);
  if (!model::ConcurrencyModel::futureJoinsOnDestruction(FD)) {
    // A completion relay (`[p] { p->set_value(); }`) or a coroutine that
    // catches what it can fail with leaves nothing in its future to read.
    if (carriesNothing(Call, Call->getType()))
      return;
    diag(Loc, "future returned by '%0' is discarded: the task's result and "
              "exceptions are lost")
        << Name;
    return;
  }
  // std::async(std::launch::deferred, f): the task never runs at all.
  if (model::ConcurrencyModel::launchesDeferred(Call)) {
    diag(Loc, "future returned by '%0' is discarded: the deferred task "
              "never runs")
        << Name;
    return;
  }
  {
    auto D = diag(Loc, "future returned by '%0' is discarded: its destructor "
                       "waits for the task, so the work runs synchronously "
                       "here")
             << Name;
    if (std::optional<FixItHint> Fix =
            keepFutureFix(Call, Statement, Block, *Context))
      D << *Fix;
  }
  diag(Loc, "keep the future and wait for it where the result is needed",
       DiagnosticIDs::Note);
}

// --- auto f = std::async(...); and f never used -----------------------------

/// std::async(...).share(): a future obtained through a member call on the
/// task's own future. The call that started the task, or null.
static const CallExpr *spawnBehindFutureCall(const Expr *Init,
                                             const ConcurrencyModel &Model) {
  for (unsigned Steps = 0; Init && Steps < 8; ++Steps) {
    Init = model::peelWrappers(Init);
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
      Init = CE->getNumArgs() == 1 ? CE->getArg(0) : nullptr;
      continue;
    }
    const auto *MC = dyn_cast<CXXMemberCallExpr>(Init);
    const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
    if (!Obj || !Model.isFuture(Obj->getType()))
      return nullptr;
    if (const CallExpr *Spawn = analysis::taskSpawnerCall(Obj, Model))
      return Spawn;
    Init = Obj;
  }
  return nullptr;
}

void UnjoinedTaskCheck::checkUnreadFuture(const VarDecl *V) {
  if (V->isReferenced() || V->hasAttr<UnusedAttr>())
    return;
  const CallExpr *Spawn = analysis::taskSpawnerCall(V->getInit(), Model);
  if (!Spawn)
    Spawn = spawnBehindFutureCall(V->getInit(), Model);
  if (!Spawn || carriesNothing(Spawn, V->getType()))
    return;
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(V->getDeclContext()))
    if (FD->isTemplateInstantiation())
      return;
  diag(V->getLocation(), "future '%0' is never waited for, read or handed "
                         "on: exceptions thrown by the task are lost")
      << V->getName();
}

void UnjoinedTaskCheck::registerPPCallbacks(const SourceManager &,
                                            Preprocessor *P, Preprocessor *) {
  PP = P;
}

llvm::StringRef UnjoinedTaskCheck::joinableDestruction(QualType Handle) const {
  const CXXRecordDecl *RD =
      Handle.isNull() ? nullptr
                      : Handle.getNonReferenceType()->getAsCXXRecordDecl();
  // Boost.Thread's version 2 (its default) detaches a joinable thread in
  // the destructor; version 3 and later terminate, as std::thread does.
  if (RD && model::canonicalName(RD) == "boost::thread" && PP &&
      !PP->isMacroDefined(
          "BOOST_THREAD_PROVIDES_THREAD_DESTRUCTOR_CALLS_TERMINATE_IF_JOINABLE"))
    return "detaches it (Boost.Thread's default): nothing waits for it";
  if (Model.rolesOf(Handle) & model::LeftRunningOnDestruction)
    return "leaves it running (no destructor joins it): nothing waits for "
           "it";
  return "calls std::terminate";
}

} // namespace tether
