//===--- ConcurrencyModel.cpp ---------------------------------------------===//

#include "ConcurrencyModel.h"
#include "StdLibrary.h"
#include "StopModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether::model {

static std::string stripLeadingColons(llvm::StringRef S) {
  S = S.trim();
  S.consume_front("::");
  return S.str();
}

std::vector<std::string> NameList::all() const {
  std::vector<std::string> Out(BuiltIn.begin(), BuiltIn.end());
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::StringRef(UserValue).split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts)
    if (!P.trim().empty())
      Out.push_back(stripLeadingColons(P));
  return Out;
}

std::string configKeyOf(std::initializer_list<const NameList *> Lists) {
  std::string Key;
  for (const NameList *L : Lists) {
    Key += L->OptionName;
    Key += '=';
    Key += L->UserValue;
    Key += '\n';
  }
  return Key;
}

static void addNames(llvm::StringSet<> &Set, const NameList &L) {
  for (const std::string &N : L.all())
    Set.insert(N);
}

ConcurrencyModel::ConcurrencyModel(
    clang::tidy::ClangTidyCheck::OptionsView &Options)
    : ThreadTypes{"ThreadTypes",
                  {"std::thread", "std::jthread", "boost::thread",
                   "boost::scoped_thread", "boost::strict_scoped_thread"},
                  {}},
      // A fiber is a thread handle of its own scheduler: detach, join,
      // joinable, and a destructor that terminates when still joinable.
      FiberTypes{"FiberTypes", {"boost::fibers::fiber"}, {}},
      JoiningThreadTypes{"JoiningThreadTypes",
                         {"std::jthread", "boost::scoped_thread",
                          "boost::strict_scoped_thread"},
                         {}},
      FutureTypes{"FutureTypes",
                  {"std::future", "std::shared_future", "boost::future",
                   "boost::shared_future", "boost::unique_future",
                   "boost::fibers::future", "boost::fibers::shared_future"},
                  {}},
      StopFlagTypes{"StopFlagTypes",
                    {"std::stop_token", "std::stop_source",
                     "std::atomic_flag"},
                    {}},
      CompletionSignalTypes{
          "CompletionSignalTypes",
          {"std::promise", "std::packaged_task", "std::latch", "std::barrier",
           "std::counting_semaphore", "boost::promise",
           "boost::packaged_task", "boost::latch", "boost::barrier",
           "boost::fibers::promise", "boost::fibers::packaged_task",
           "boost::fibers::barrier"},
          {}},
      // oneTBB declares task_group in tbb::detail::d1 and exports it to tbb.
      TaskGroupTypes{"TaskGroupTypes",
                     {"tbb::task_group", "tbb::detail::d1::task_group"},
                     {}},
      // Qt's thread object: runs from start(), aborts the program when
      // destroyed while running ("QThread: Destroyed while thread is still
      // running").
      StartedThreadTypes{"StartedThreadTypes", {"QThread"}, {}},
      // Thread pools whose destructor stops and joins their threads: work
      // still running then may use what its owner already destroyed.
      ExecutorPoolTypes{"ExecutorPoolTypes",
                        {"asio::thread_pool", "boost::asio::thread_pool"},
                        {}},
      TaskSpawners{"TaskSpawners",
                   {"std::async", "boost::async", "boost::fibers::async",
                    "BS::thread_pool::submit",
                    "BS::thread_pool::submit_task", "ctpl::thread_pool::push",
                    "ThreadPool::enqueue"},
                   {}},
      CoroutineSpawners{"CoroutineSpawners",
                        {"asio::co_spawn", "boost::asio::co_spawn", "asio::spawn",
                         "boost::asio::spawn"},
                        {}},
      // Submissions that return nothing to wait on (BS::thread_pool's
      // detach_task, a project's own post): none built in, since a pool
      // that waits for every task in its destructor owns them; a codebase
      // that wants each one owned names them.
      FireAndForgetSubmitters{"FireAndForgetSubmitters", {}, {}},
      ThreadCreateFunctions{"ThreadCreateFunctions", {"pthread_create"}, {}},
      DetachFunctions{"DetachFunctions", {"pthread_detach"}, {}} {
  for (NameList *L : lists()) {
    L->UserValue = Options.getLocalOrGlobal(L->OptionName, "");
  }
  addNames(ThreadSet, ThreadTypes);
  addNames(FiberSet, FiberTypes);
  addNames(JoiningSet, JoiningThreadTypes);
  addNames(FutureSet, FutureTypes);
  addNames(StopSet, StopFlagTypes);
  addNames(CompletionSet, CompletionSignalTypes);
  addNames(TaskGroupSet, TaskGroupTypes);
  addNames(StartedThreadSet, StartedThreadTypes);
  addNames(ExecutorPoolSet, ExecutorPoolTypes);
  addNames(SpawnerSet, TaskSpawners);
  addNames(CoroutineSpawnerSet, CoroutineSpawners);
  addNames(FireAndForgetSet, FireAndForgetSubmitters);
  addNames(CreateSet, ThreadCreateFunctions);
  addNames(DetachSet, DetachFunctions);
}

std::vector<NameList *> ConcurrencyModel::lists() {
  return {&ThreadTypes,   &FiberTypes, &JoiningThreadTypes,    &FutureTypes,
          &StopFlagTypes, &CompletionSignalTypes, &TaskGroupTypes,
          &StartedThreadTypes, &ExecutorPoolTypes, &TaskSpawners, &CoroutineSpawners, &FireAndForgetSubmitters, &ThreadCreateFunctions, &DetachFunctions};
}

std::vector<const NameList *> ConcurrencyModel::lists() const {
  auto L = const_cast<ConcurrencyModel *>(this)->lists();
  return std::vector<const NameList *>(L.begin(), L.end());
}

void ConcurrencyModel::store(
    clang::tidy::ClangTidyCheck::OptionsView &Options,
    clang::tidy::ClangTidyOptions::OptionMap &Opts) const {
  for (const NameList *L : lists())
    Options.store(Opts, L->OptionName, L->UserValue);
}

std::string ConcurrencyModel::configKey() const {
  return configKeyOf({&ThreadTypes, &FiberTypes, &JoiningThreadTypes, &FutureTypes,
                      &StopFlagTypes, &CompletionSignalTypes,
                      &TaskGroupTypes, &StartedThreadTypes, &ExecutorPoolTypes, &TaskSpawners, &CoroutineSpawners, &FireAndForgetSubmitters,
                      &ThreadCreateFunctions, &DetachFunctions});
}

std::string canonicalName(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  std::string Storage;
  Parts.push_back(D->getName());
  for (const DeclContext *DC = D->getDeclContext(); DC;
       DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      Parts.push_back(RD->getName());
    } else if (isa<FunctionDecl>(DC)) {
      break; // local classes are nobody's library type
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

bool matchesAnyName(llvm::ArrayRef<std::string> Patterns,
                    llvm::StringRef QualifiedName) {
  for (const std::string &P : Patterns) {
    llvm::StringRef Pat(P);
    if (Pat.consume_back("*")) {
      if (QualifiedName.starts_with(Pat))
        return true;
    } else if (QualifiedName == Pat) {
      return true;
    }
  }
  return false;
}

/// std::atomic<bool> is a stop flag; std::atomic<int> is not.
static bool isAtomicBool(const CXXRecordDecl *RD) {
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getName() != "atomic")
    return false;
  if (canonicalName(Spec) != "std::atomic" &&
      canonicalName(Spec) != "boost::atomic")
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() == 1 && Args[0].getKind() == TemplateArgument::Type &&
         Args[0].getAsType()->isBooleanType();
}

unsigned ConcurrencyModel::rolesOf(const CXXRecordDecl *RD) const {
  if (!RD)
    return NoRole;
  RD = RD->getCanonicalDecl();
  auto Cached = RoleCache.find(RD);
  if (Cached != RoleCache.end())
    return Cached->second;

  unsigned Roles = NoRole;
  // Walk the class and its bases: a class derived from std::thread is one.
  llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
  unsigned Steps = 0;
  while (!Work.empty() && Steps++ < 16) {
    const CXXRecordDecl *C = Work.pop_back_val();
    std::string Name = canonicalName(C);
    if (ThreadSet.contains(Name))
      Roles |= Thread;
    if (FiberSet.contains(Name))
      Roles |= Fiber | Thread;
    if (JoiningSet.contains(Name))
      Roles |= JoiningThread | Thread;
    if (FutureSet.contains(Name))
      Roles |= Future;
    if (StopSet.contains(Name) || isAtomicBool(C))
      Roles |= StopSignal;
    if (CompletionSet.contains(Name))
      Roles |= CompletionSignal;
    if (TaskGroupSet.contains(Name))
      Roles |= TaskGroup;
    if (StartedThreadSet.contains(Name))
      Roles |= StartedThread;
    if (ExecutorPoolSet.contains(Name))
      Roles |= ExecutorPool;
    if (const CXXRecordDecl *Def = C->getDefinition())
      for (const CXXBaseSpecifier &B : Def->bases())
        if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
          Work.push_back(Base);
  }
  if ((Roles & StartedThread) && waitsForItselfOnDestruction(RD))
    Roles |= JoiningThread;
  if (Roles == NoRole) {
    RoleCache[RD] = NoRole; // a class that holds itself is not a thread
    Roles = inferredRolesOf(RD);
  }
  RoleCache[RD] = Roles;
  return Roles;
}

/// The member \p Call is made on, when it is a member of \p RD reached
/// through `this` (impl_.join(), this->impl_.join()).
static const FieldDecl *ownFieldOf(const CXXMemberCallExpr *Call,
                                   const CXXRecordDecl *RD) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(
      Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
  return F && F->getParent()->getCanonicalDecl() == RD->getCanonicalDecl()
             ? F
             : nullptr;
}

/// \p Body calls join (or detach, when \p OrDetach) on one of \p Threads.
static bool forwardsTo(const Stmt *Body, const CXXRecordDecl *RD,
                       llvm::ArrayRef<const FieldDecl *> Threads,
                       bool OrDetach) {
  if (!Body)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Body)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && (ConcurrencyModel::isJoin(M) ||
              (OrDetach && ConcurrencyModel::isDetach(M))))
      if (const FieldDecl *F = ownFieldOf(MC, RD))
        if (llvm::is_contained(Threads, F))
          return true;
  }
  if (isa<LambdaExpr>(Body))
    return false;
  for (const Stmt *Child : Body->children())
    if (forwardsTo(Child, RD, Threads, OrDetach))
      return true;
  return false;
}

/// Does \p S call, on its own object, wait() or a member function of the
/// project's class that may (anything but the neutral library methods)?
static bool callsOwnWait(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (M && Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()) &&
        M->getDeclName().isIdentifier()) {
      if (llvm::is_contained(ConcurrencyModel::startedThreadWaitMethods(),
                             M->getName()))
        return true;
      const SourceManager &SM = M->getASTContext().getSourceManager();
      bool Library =
          SM.isInSystemHeader(SM.getExpansionLoc(M->getLocation()));
      if (!Library && !llvm::is_contained(
                          ConcurrencyModel::startedThreadNeutralMethods(),
                          M->getName()))
        return true; // stop(), shutdown(): may wait, not followed
    }
  }
  for (const Stmt *Child : S->children())
    if (callsOwnWait(Child))
      return true;
  return false;
}

bool ConcurrencyModel::waitsForItselfOnDestruction(
    const CXXRecordDecl *RD) const {
  llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
  for (unsigned Steps = 0; !Work.empty() && Steps < 16; ++Steps) {
    const CXXRecordDecl *C = Work.pop_back_val()->getDefinition();
    if (!C)
      continue;
    const SourceManager &SM = C->getASTContext().getSourceManager();
    // The library's own destructor is what aborts; its bases are below it.
    if (StartedThreadSet.contains(canonicalName(C)) ||
        SM.isInSystemHeader(SM.getExpansionLoc(C->getLocation())))
      continue;
    if (const CXXDestructorDecl *Dtor = C->getDestructor())
      if (Dtor->isUserProvided() &&
          (!Dtor->hasBody() || callsOwnWait(Dtor->getBody())))
        return true;
    for (const CXXBaseSpecifier &B : C->bases())
      if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
        Work.push_back(Base);
  }
  return false;
}

std::string ConcurrencyModel::startedThreadKindOf(QualType T) const {
  llvm::SmallVector<const CXXRecordDecl *, 4> Work{T->getAsCXXRecordDecl()};
  for (unsigned Steps = 0; !Work.empty() && Steps < 16; ++Steps) {
    const CXXRecordDecl *C = Work.pop_back_val();
    if (!C || !(C = C->getDefinition()))
      continue;
    std::string Name = canonicalName(C);
    if (StartedThreadSet.contains(Name))
      return Name;
    for (const CXXBaseSpecifier &B : C->bases())
      Work.push_back(B.getType()->getAsCXXRecordDecl());
  }
  return "thread object";
}

/// A public method of \p RD named \p Name.
static bool hasPublicMethod(const CXXRecordDecl *RD, llvm::StringRef Name) {
  return llvm::any_of(RD->methods(), [&](const CXXMethodDecl *M) {
    return M->getAccess() == AS_public && M->getDeclName().isIdentifier() &&
           M->getName() == Name;
  });
}

/// A parameter that takes what a task runs: a template parameter the
/// caller's callable is deduced into (`Fn&&`, `const Callable&`), a
/// function pointer, or a callable object (std::function<void()>).
static bool takesWork(const ParmVarDecl *P) {
  QualType T = P->getType().getNonReferenceType();
  if (T->getAs<TemplateTypeParmType>() || T->isFunctionPointerType() ||
      T->isMemberFunctionPointerType())
    return true;
  return hasCallOperator(T);
}

/// A public constructor of \p RD, other than copy and move, one of whose
/// parameters takes the work the object runs (templates included).
static bool constructedFromWork(const CXXRecordDecl *RD) {
  for (const Decl *D : RD->decls()) {
    const auto *Ctor = dyn_cast<CXXConstructorDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      Ctor = dyn_cast<CXXConstructorDecl>(FT->getTemplatedDecl());
    if (!Ctor || Ctor->getAccess() != AS_public ||
        Ctor->isCopyOrMoveConstructor())
      continue;
    if (llvm::any_of(Ctor->parameters(), [](const ParmVarDecl *P) {
          return !P->isParameterPack() && takesWork(P);
        }))
      return true;
  }
  return false;
}

/// \p RD may hold an operating-system thread: a field of a thread role or
/// of type pthread_t, or a class it holds (directly, by pointer, unique_ptr
/// or optional) that may, or one whose definition is not visible.
static bool mayHoldOsThread(const ConcurrencyModel &Model,
                            const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (Depth > 2)
    return true;
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType();
    // pthread_t, also behind the project's own alias of it.
    for (const TypedefType *TT = T->getAs<TypedefType>(); TT;
         TT = TT->desugar()->getAs<TypedefType>())
      if (TT->getDecl()->getName() == "pthread_t")
        return true;
    if (Model.rolesReachableThrough(T) & Thread)
      return true;
    QualType Held = T.getNonReferenceType();
    if (Held->isPointerType())
      Held = Held->getPointeeType();
    else if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                 Held->getAsCXXRecordDecl());
             Spec && ConcurrencyModel::ownsOne(Spec))
      Held = firstTypeArgument(Spec);
    const CXXRecordDecl *Inner = Held.isNull() ? nullptr : Held->getAsCXXRecordDecl();
    if (!Inner || ConcurrencyModel::inStdOrBoost(Inner) || Inner == RD)
      continue;
    const CXXRecordDecl *InnerDef = Inner->getDefinition();
    if (!InnerDef || mayHoldOsThread(Model, InnerDef, Depth + 1))
      return true;
  }
  return false;
}

/// \p S may end the process: it calls std::terminate or abort, itself or
/// through the project's own functions (three levels).
static bool mayTerminate(const Stmt *S, unsigned Depth = 0) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = Call->getDirectCallee()) {
      if (FD->getDeclName().isIdentifier() &&
          llvm::is_contained({"terminate", "abort"}, FD->getName()) &&
          (FD->isInStdNamespace() || FD->isExternC() ||
           FD->getDeclContext()->isTranslationUnit()))
        return true;
      const FunctionDecl *Def = nullptr;
      const SourceManager &SM = FD->getASTContext().getSourceManager();
      if (Depth < 3 && FD->hasBody(Def) &&
          !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())) &&
          mayTerminate(Def->getBody(), Depth + 1))
        return true;
    }
  for (const Stmt *Child : S->children())
    if (mayTerminate(Child, Depth))
      return true;
  return false;
}

/// \p RD alone owns (by value or unique_ptr) an object of the project
/// whose destructor is user-written: the task's context, which its
/// destruction may end or free under the running task.
static bool ownsDestructibleState(const CXXRecordDecl *RD) {
  for (const FieldDecl *F : RD->fields()) {
    QualType T = F->getType().getNonReferenceType();
    if (const CXXRecordDecl *Wrapper = T->getAsCXXRecordDecl();
        isNamedAnyOf(Wrapper, {"unique_ptr"}))
      T = firstTypeArgument(Wrapper);
    const CXXRecordDecl *Held = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
    if (!Held || !(Held = Held->getDefinition()) ||
        ConcurrencyModel::inStdOrBoost(Held))
      continue;
    if (const CXXDestructorDecl *D = Held->getDestructor();
        D && D->isUserProvided())
      return true;
  }
  return false;
}

unsigned ConcurrencyModel::ownTaskHandleRoles(const CXXRecordDecl *Def) const {
  // Its users decide its end: join() or detach(), as a thread's.
  if (!hasPublicMethod(Def, "join") || !hasPublicMethod(Def, "detach") ||
      !constructedFromWork(Def))
    return NoRole;
  unsigned Roles = Thread | OwnTaskHandle;
  // A handle with no operating-system thread inside runs its task on its
  // creator's thread: a fiber of the project's own.
  if (!mayHoldOsThread(*this, Def))
    Roles |= Fiber;
  const CXXDestructorDecl *Dtor = Def->getDestructor();
  if ((!Dtor || !Dtor->isUserProvided()) && !ownsDestructibleState(Def))
    return Roles | LeftRunningOnDestruction;
  // A destructor that may end the process keeps std::thread's contract only
  // as the runtime defines "joinable" (fix8::fiber's means "not finished":
  // a fiber its scheduler ran to the end may be dropped), which the
  // interface does not tell; such a class is taught through FiberTypes.
  if (Dtor && Dtor->isUserProvided() && mayTerminate(Dtor->getBody()))
    return NoRole;
  // One that joins, or does what tether cannot tell (cancels, waits under
  // another name, is defined elsewhere), answers for its task.
  return Roles | JoiningThread;
}

unsigned ConcurrencyModel::inferredRolesOf(const CXXRecordDecl *RD) const {
  const CXXRecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  if (!Def || Def->isLambda() || inStdOrBoost(Def))
    return NoRole;
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return NoRole;
  llvm::SmallVector<const FieldDecl *, 2> Threads;
  for (const FieldDecl *F : Def->fields())
    if (rolesOf(F->getType()) & Thread)
      Threads.push_back(F);
  if (Threads.empty())
    return ownTaskHandleRoles(Def);
  // Its users join it: a public join() or detach() that forwards, or one
  // defined in another file (a class that holds a thread and offers join()
  // joins that thread).
  bool Handle = llvm::any_of(Def->methods(), [&](const CXXMethodDecl *M) {
    return M->getAccess() == AS_public && M->getDeclName().isIdentifier() &&
           (M->getName() == "join" || M->getName() == "detach") &&
           (!M->hasBody() ||
            forwardsTo(M->getBody(), Def, Threads, /*OrDetach=*/true));
  });
  if (!Handle)
    return NoRole;
  unsigned Roles = Thread;
  if (const CXXDestructorDecl *Dtor = Def->getDestructor())
    if (forwardsTo(Dtor->getBody(), Def, Threads, /*OrDetach=*/false))
      Roles |= JoiningThread;
  return Roles;
}

unsigned ConcurrencyModel::rolesOf(QualType T) const {
  if (T.isNull())
    return NoRole;
  T = T.getNonReferenceType().getCanonicalType();
  return rolesOf(T->getAsCXXRecordDecl());
}

unsigned ConcurrencyModel::rolesReachableThrough(QualType T) const {
  for (unsigned Depth = 0; Depth < 4 && !T.isNull(); ++Depth) {
    T = T.getNonReferenceType().getCanonicalType();
    if (T->isPointerType()) {
      T = T->getPointeeType();
      continue;
    }
    const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
        T->getAsCXXRecordDecl());
    if (Spec && Spec->getTemplateArgs().size() >= 1 &&
        Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
        isSingleObjectHandle(Spec)) {
      T = Spec->getTemplateArgs()[0].getAsType();
      continue;
    }
    return rolesOf(T);
  }
  return NoRole;
}

static bool inSet(const llvm::StringSet<> &Set, const FunctionDecl *FD) {
  return FD && FD->getDeclName().isIdentifier() &&
         Set.contains(canonicalName(FD));
}

bool ConcurrencyModel::isThreadCreateFunction(const FunctionDecl *FD) const {
  return inSet(CreateSet, FD);
}
bool ConcurrencyModel::isDetachFunction(const FunctionDecl *FD) const {
  return inSet(DetachSet, FD);
}
bool ConcurrencyModel::isTaskSpawner(const FunctionDecl *FD) const {
  return inSet(SpawnerSet, FD);
}
bool ConcurrencyModel::isCoroutineSpawner(const FunctionDecl *FD) const {
  return inSet(CoroutineSpawnerSet, FD);
}
bool ConcurrencyModel::isFireAndForgetSubmitter(const FunctionDecl *FD) const {
  return inSet(FireAndForgetSet, FD);
}


bool ConcurrencyModel::launchesDeferred(const CallExpr *Spawn) {
  if (!Spawn || Spawn->getNumArgs() < 2)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(Spawn->getArg(0)->IgnoreParenImpCasts());
  return DRE && isNamedAnyOf(DRE->getDecl(), {"deferred"});
}

bool ConcurrencyModel::futureJoinsOnDestruction(const FunctionDecl *Spawner) {
  if (!Spawner)
    return false;
  // boost::async's future does not wait when dropped: the task's thread
  // holds the shared state and waits for itself (BOOST_THREAD_ASYNC_FUTURE_
  // WAITS), so the caller goes on and the result is lost.
  return canonicalName(Spawner) == "std::async";
}

bool ConcurrencyModel::isDetach(const CXXMethodDecl *M) {
  return isNamedAnyOf(M, {"detach"});
}

bool ConcurrencyModel::isDetachingGuard(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  QualType PolicyType = firstTypeArgument(RD);
  if (PolicyType.isNull())
    return false;
  std::string Guard = canonicalName(RD);
  if (Guard != "boost::scoped_thread" && Guard != "boost::strict_scoped_thread" &&
      Guard != "boost::thread_guard")
    return false;
  const CXXRecordDecl *Policy = PolicyType->getAsCXXRecordDecl();
  return Policy && canonicalName(Policy) == "boost::detach";
}

bool ConcurrencyModel::isTimedJoin(const CXXMethodDecl *M) {
  return isNamedAnyOf(M, {"try_join_for", "try_join_until", "timed_join"});
}

bool ConcurrencyModel::isJoin(const CXXMethodDecl *M) {
  return isNamedAnyOf(M, {"join"});
}

bool ConcurrencyModel::isJoinOrWait(const CXXMethodDecl *M) {
  return isNamedAnyOf(M, {"join", "get", "wait", "wait_for", "wait_until",
                   "try_join_for"});
}

bool ConcurrencyModel::namesJoinOrWait(const FunctionDecl *FD) {
  return FD && FD->getDeclName().isIdentifier() &&
         (FD->getName().contains_insensitive("join") ||
          FD->getName().starts_with("wait"));
}

bool ConcurrencyModel::waitsForWork(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    return isNamedAnyOf(MC->getMethodDecl(),
                 {"acquire", "try_acquire", "try_acquire_for",
                  "try_acquire_until", "join", "wait", "wait_for",
                  "wait_until", "arrive_and_wait", "wait_all", "timed_join",
                  "try_join_for"});
  return isNamedAnyOf(Call->getDirectCallee(),
               {"pthread_join", "sem_wait", "wait_for_all", "when_all"});
}

static const llvm::StringRef ContainerAdd[] = {
    "push_back", "emplace_back", "push",         "emplace",
    "insert",    "push_front",   "emplace_front"};

bool ConcurrencyModel::addsToContainer(const FunctionDecl *FD) {
  return FD && FD->getDeclName().isIdentifier() &&
         llvm::is_contained(ContainerAdd, FD->getName());
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::containerAddMethods() {
  return ContainerAdd;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::jthreadCompatibleMethods() {
  static const llvm::StringRef Names[] = {"join", "joinable", "get_id",
                                          "native_handle"};
  return Names;
}

bool ConcurrencyModel::inStdOrBoost(const NamedDecl *D) {
  if (!D)
    return false;
  if (D->isInStdNamespace())
    return true;
  // std::this_thread::sleep_for, std::chrono::...: nested in std.
  std::string Name = canonicalName(D);
  return llvm::StringRef(Name).starts_with("std::") ||
         llvm::StringRef(Name).starts_with("boost::");
}

bool ConcurrencyModel::isStdThread(const CXXRecordDecl *RD) {
  return RD && canonicalName(RD) == "std::thread";
}

bool ConcurrencyModel::ownsOne(const ClassTemplateSpecializationDecl *Spec) {
  return isNamedAnyOf(Spec, {"unique_ptr", "optional"});
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::threadReleaseMethods() {
  static const llvm::StringRef Names[] = {"join", "detach", "release"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::threadLivenessMethods() {
  static const llvm::StringRef Names[] = {"joinable"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::taskGroupRunMethods() {
  static const llvm::StringRef Names[] = {"run"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::taskGroupWaitMethods() {
  static const llvm::StringRef Names[] = {"wait", "run_and_wait"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::containerNeutralMethods() {
  static const llvm::StringRef Names[] = {"reserve", "capacity"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::startedThreadStartMethods() {
  static const llvm::StringRef Names[] = {"start"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::startedThreadWaitMethods() {
  static const llvm::StringRef Names[] = {"wait"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef>
ConcurrencyModel::startedThreadLivenessMethods() {
  static const llvm::StringRef Names[] = {"isRunning"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef>
ConcurrencyModel::startedThreadNeutralMethods() {
  static const llvm::StringRef Names[] = {
      "quit",           "exit",          "terminate",
      "requestInterruption", "setPriority", "setStackSize",
      "setObjectName",  "setEventDispatcher", "setTerminationEnabled",
      "moveToThread",   "installEventFilter", "blockSignals",
      "setProperty"};
  return Names;
}

/// Does \p E name a signal or slot one of \p Names: &Class::name, or the
/// string SIGNAL(name(...)) / SLOT(name(...)) make ("2name()", "1name()",
/// possibly passed through qFlagLocation)?
static bool namesSignalOrSlot(const Expr *E,
                              std::initializer_list<llvm::StringRef> Names) {
  E = E->IgnoreParenImpCasts();
  // SIGNAL(x) is qFlagLocation("2x" QLOCATION) in debug-enabled builds.
  if (const auto *Wrap = dyn_cast<CallExpr>(E))
    if (Wrap->getNumArgs() == 1)
      E = Wrap->getArg(0)->IgnoreParenImpCasts();
  if (const auto *Op = dyn_cast<UnaryOperator>(E))
    if (Op->getOpcode() == UO_AddrOf)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Op->getSubExpr()->IgnoreParens()))
        if (const auto *M = dyn_cast<CXXMethodDecl>(Ref->getDecl()))
          return M->getDeclName().isIdentifier() &&
                 llvm::is_contained(Names, M->getName());
  if (const auto *Str = dyn_cast<StringLiteral>(E))
    if (Str->getCharByteWidth() == 1) {
      llvm::StringRef Text = Str->getString();
      if (!Text.empty() && (Text[0] == '1' || Text[0] == '2'))
        Text = Text.drop_front();
      llvm::StringRef Name = Text.take_until([](char C) { return C == '('; });
      return Name.size() < Text.size() && llvm::is_contained(Names, Name);
    }
  return false;
}

bool ConcurrencyModel::connectsEndToLoopExit(const CallExpr *Call) {
  const auto *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier() || FD->getName() != "connect")
    return false;
  // The receiver of quit()/exit() is the loop the owner waits in: the
  // application or an event loop. A finished signal connected to a
  // QThread's own quit() (a worker's end stops its thread) waits for
  // nobody.
  auto RunsOwnersLoop = [](const Expr *Receiver) {
    QualType T = Receiver->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition())
      return false;
    auto IsLoop = [](const CXXRecordDecl *C) {
      return C->getDeclName().isIdentifier() &&
             (C->getName() == "QCoreApplication" || C->getName() == "QEventLoop");
    };
    return IsLoop(RD) || !RD->forallBases([&](const CXXRecordDecl *Base) {
      return !IsLoop(Base);
    });
  };
  bool EndSignal = false;
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    EndSignal |= namesSignalOrSlot(Arg, {"finished"});
    if (EndSignal && I > 0 && namesSignalOrSlot(Arg, {"quit", "exit"}))
      return RunsOwnersLoop(Call->getArg(I - 1)->IgnoreParenImpCasts());
  }
  return false;
}

bool ConcurrencyModel::submitsToExecutor(const FunctionDecl *FD) {
  if (!FD)
    return false;
  std::string Name = canonicalName(FD);
  for (llvm::StringRef Prefix : {"asio::", "boost::asio::"})
    for (llvm::StringRef Fn : {"post", "dispatch", "defer"})
      if (Name == (Prefix + Fn).str())
        return true;
  return false;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::startedThreadBorrowers() {
  static const llvm::StringRef Names[] = {"moveToThread", "connect",
                                          "disconnect"};
  return Names;
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::handleStopMethods() {
  static const llvm::StringRef Names[] = {
      "join", "detach", "release",  "interrupt",  "request_stop",
      "get",  "wait",   "wait_for", "wait_until", "reset"};
  return Names;
}

bool ConcurrencyModel::announcesCompletion(const CXXMethodDecl *M) const {
  if (!M || !M->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = M->getName();
  const CXXRecordDecl *RD = M->getParent();
  if (N == "notify_one" || N == "notify_all")
    return RD->getDeclName().isIdentifier() &&
           RD->getName().contains("condition_variable");
  // io_context::stop(): the owner's run() returns.
  if (N == "stop")
    return StopModel::stopsEventLoop(M);
  if (!(rolesOf(RD) & CompletionSignal))
    return false;
  // A barrier's wait() arrives too (Boost's barriers, fibers' one): the
  // others at the barrier learn this party is done.
  if (N == "wait")
    return RD->getDeclName().isIdentifier() &&
           RD->getName().contains("barrier");
  return llvm::is_contained({llvm::StringRef("set_value"),
                             llvm::StringRef("set_exception"),
                             llvm::StringRef("count_down"),
                             llvm::StringRef("count_down_and_wait"),
                             llvm::StringRef("arrive"),
                             llvm::StringRef("arrive_and_wait"),
                             llvm::StringRef("arrive_and_drop"),
                             llvm::StringRef("release")},
                            N);
}

llvm::ArrayRef<llvm::StringRef> ConcurrencyModel::signalRaiseMethods() {
  static const llvm::StringRef Names[] = {"request_stop", "store", "exchange",
                                          "test_and_set", "notify_one",
                                          "notify_all",   "set_value"};
  return Names;
}

bool ConcurrencyModel::readsThreadResult(const CallExpr *Call) {
  return Call->getNumArgs() == 2 &&
         isNamedAnyOf(Call->getDirectCallee(), {"pthread_join"});
}

bool ConcurrencyModel::isHardwareConcurrency(const FunctionDecl *FD) {
  return isNamedAnyOf(FD, {"hardware_concurrency"});
}

bool ConcurrencyModel::isCallingThread(const FunctionDecl *FD) {
  return isNamedAnyOf(FD, {"pthread_self"});
}

static internal::Matcher<NamedDecl>
anyOf(std::initializer_list<const NameList *> Lists) {
  std::vector<std::string> Names;
  for (const NameList *L : Lists)
    for (const std::string &N : L->all())
      Names.push_back("::" + N);
  std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
  return hasAnyName(Refs); // copies the names
}

clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::threadClass() const {
  return anyOf({&ThreadTypes, &FiberTypes});
}
namespace {
AST_MATCHER_P(CXXRecordDecl, playsThreadRole, const ConcurrencyModel *,
              Model) {
  return Model->rolesOf(&Node) & Thread; // cached per class
}
} // namespace

clang::ast_matchers::internal::Matcher<CXXRecordDecl> ConcurrencyModel::threadRecord() const {
  return cxxRecordDecl(playsThreadRole(this));
}
namespace {
AST_MATCHER_P(CXXRecordDecl, playsStartedThreadRole, const ConcurrencyModel *,
              Model) {
  return Model->rolesOf(&Node) & StartedThread; // cached per class
}
} // namespace

clang::ast_matchers::internal::Matcher<CXXRecordDecl>
ConcurrencyModel::startedThreadRecord() const {
  return cxxRecordDecl(playsStartedThreadRole(this));
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::detachFunction() const {
  return anyOf({&DetachFunctions});
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::threadCreateFunction() const {
  return anyOf({&ThreadCreateFunctions});
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::taskSpawner() const {
  return anyOf({&TaskSpawners});
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::coroutineSpawner() const {
  return anyOf({&CoroutineSpawners});
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::fireAndForgetSubmitter() const {
  return anyOf({&FireAndForgetSubmitters});
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::futureClass() const {
  return anyOf({&FutureTypes});
}
clang::ast_matchers::internal::Matcher<NamedDecl> ConcurrencyModel::taskGroupClass() const {
  return anyOf({&TaskGroupTypes});
}

llvm::StringRef ConcurrencyModel::taskKindAt(const clang::Expr *Site) const {
  if (!Site)
    return "thread";
  if (const auto *CE = llvm::dyn_cast<clang::CXXConstructExpr>(Site))
    return taskKindOf(CE->getType());
  // workers.emplace_back(f): the element type of the container.
  const auto *Call = llvm::dyn_cast<clang::CallExpr>(Site);
  if (const clang::FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
      FD && !llvm::isa<clang::CXXMethodDecl>(FD) &&
      llvm::StringRef(canonicalName(FD)).starts_with("boost::fibers::"))
    return "fiber";
  const auto *MD = Call ? llvm::dyn_cast_or_null<clang::CXXMethodDecl>(
                              Call->getDirectCallee())
                        : nullptr;
  clang::QualType Element = MD ? firstTypeArgument(MD->getParent())
                               : clang::QualType();
  return taskKindOf(Element.isNull() ? Site->getType() : Element);
}

/// The namespace \p Path names from \p DC (the translation unit when
/// null), or null.
static const clang::DeclContext *
namespaceAt(const clang::ASTContext &Ctx,
            std::initializer_list<llvm::StringRef> Path,
            const clang::DeclContext *DC = nullptr) {
  if (!DC)
    DC = Ctx.getTranslationUnitDecl();
  for (llvm::StringRef Name : Path) {
    auto Found = DC->lookup(&Ctx.Idents.get(Name));
    const auto *NS = Found.empty()
                         ? nullptr
                         : llvm::dyn_cast<clang::NamespaceDecl>(Found.front());
    if (!NS)
      return nullptr;
    DC = NS;
  }
  return DC;
}

/// The project defines, in \p DC or a namespace or class in it, a class or
/// class template derived from \p Base (not in a system header).
static bool definesSubclass(const clang::DeclContext *DC,
                            const clang::CXXRecordDecl *Base,
                            const clang::SourceManager &SM) {
  for (const clang::Decl *D : DC->decls()) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      continue;
    if (const auto *NS = llvm::dyn_cast<clang::NamespaceDecl>(D)) {
      // Boost's own algorithms, when Boost is not a system include.
      bool BoostItself = NS->getDeclName().isIdentifier() &&
                         NS->getName() == "boost" &&
                         NS->getParent()->isTranslationUnit();
      if (!BoostItself && definesSubclass(NS, Base, SM))
        return true;
    } else {
      // A class, a class template's pattern, or a class nested in either.
      const auto *RD = llvm::dyn_cast<clang::CXXRecordDecl>(D);
      if (const auto *CT = llvm::dyn_cast<clang::ClassTemplateDecl>(D))
        RD = CT->getTemplatedDecl();
      if (RD && RD->isThisDeclarationADefinition() &&
          (RD->isDerivedFrom(Base) || definesSubclass(RD, Base, SM)))
        return true;
    }
  }
  return false;
}

bool ConcurrencyModel::fibersMayMigrate(const clang::ASTContext &Ctx) {
  const clang::DeclContext *DC = namespaceAt(Ctx, {"boost", "fibers"});
  if (!DC)
    return false;
  // A scheduling algorithm of the project's own (one class of it is
  // enough; another file may be the one that installs it).
  if (const clang::DeclContext *Algo =
          namespaceAt(Ctx, {"algo"}, DC))
    for (const clang::NamedDecl *D : Algo->lookup(&Ctx.Idents.get("algorithm")))
      if (const auto *Base = llvm::dyn_cast<clang::CXXRecordDecl>(D);
          Base && Base->hasDefinition() &&
          definesSubclass(Ctx.getTranslationUnitDecl(), Base->getDefinition(),
                          Ctx.getSourceManager()))
        return true;
  // boost::fibers::use_scheduling_algorithm<Algo>(): each Algo the unit
  // instantiates it with.
  for (const clang::NamedDecl *D :
       DC->lookup(&Ctx.Idents.get("use_scheduling_algorithm"))) {
    const auto *FT = llvm::dyn_cast<clang::FunctionTemplateDecl>(D);
    if (!FT)
      continue;
    for (const clang::FunctionDecl *Spec : FT->specializations()) {
      const clang::TemplateArgumentList *Args =
          Spec->getTemplateSpecializationArgs();
      if (!Args || Args->size() == 0 ||
          Args->get(0).getKind() != clang::TemplateArgument::Type)
        continue;
      const clang::CXXRecordDecl *Algo =
          Args->get(0).getAsType()->getAsCXXRecordDecl();
      if (!Algo || canonicalName(Algo) != "boost::fibers::algo::round_robin")
        return true;
    }
  }
  return false;
}

} // namespace tether::model
