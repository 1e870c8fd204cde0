//===--- BlockingModel.cpp ------------------------------------------------===//

#include "BlockingModel.h"
#include "CoroutineSpawn.h"
#include "StdLibrary.h"
#include "clang/Basic/CharInfo.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace tether::model {

namespace {

// Functions that wait for another thread or for I/O. Timed waits are listed
// separately: with a zero timeout they are polls.
const char *const BuiltInBlocking[] = {
    // condition variables, latches, barriers, semaphores, atomic::wait,
    // thread joins, channels and blocking queues by method name
    "wait", "join", "acquire", "arrive_and_wait", "receive", "recv",
    "value_pop", "wait_dequeue", "wait_dequeue_bulk", "wait_pop",
    "wait_and_pop", "blocking_pop", "wait_all", "wait_any", "wait_for_all",
    "wait_for_any",
    // Boost.Fiber channels block in push and pop
    "boost::fibers::buffered_channel::push",
    "boost::fibers::buffered_channel::pop",
    "boost::fibers::unbuffered_channel::push",
    "boost::fibers::unbuffered_channel::pop",
    // a fiber parks itself until someone schedules it again: the
    // scheduler's primitive under every Boost.Fiber wait, and the one a
    // project's own event or I/O completion uses
    "boost::fibers::context::suspend",
    "boost::fibers::wait_queue::suspend_and_wait",
    "tbb::concurrent_bounded_queue::pop", "tbb::concurrent_bounded_queue::push",
    // Asio event loops block until there is work
    "asio::io_context::run", "asio::io_context::run_one",
    "boost::asio::io_context::run", "boost::asio::io_context::run_one",
    "asio::io_service::run", "boost::asio::io_service::run",
    // POSIX and Windows
    "::read", "::pread", "::readv", "::recvfrom", "::recvmsg", "::accept",
    "::accept4", "::connect", "::select", "::pselect", "::ppoll",
    "::pthread_join", "::pthread_cond_wait", "::pthread_cond_timedwait",
    "::pthread_barrier_wait", "::sem_wait", "::sem_timedwait", "::sigwait",
    "::sigwaitinfo", "::sigtimedwait", "::pause", "::msgrcv", "::mq_receive",
    "::waitpid", "::fgets", "::fread", "::getline", "::getchar",
    "::io_uring_wait_cqe", "::io_uring_submit_and_wait",
    "::WaitForSingleObject", "::WaitForMultipleObjects",
    "::GetQueuedCompletionStatus", "::SleepConditionVariableCS",
    "::SleepConditionVariableSRW", "::std::atomic_wait",
    "::std::atomic_wait_explicit", "::std::atomic_flag_wait",
    // C event loops: one round waits in the poller for the next event
    // (unless told not to: eventLoopPollsOnly)
    "::uv_run", "::event_base_loop", "::event_base_dispatch",
    "::g_main_context_iteration", "::g_main_loop_run"};

// Waits that take a timeout: blocking unless the timeout is zero.
const char *const BuiltInTimed[] = {
    "wait_for", "wait_until", "try_lock_for", "try_lock_until",
    "try_lock_shared_for", "try_lock_shared_until", "try_acquire_for",
    "try_acquire_until", "try_wait_for", "try_wait_until", "pop_wait_for",
    "pop_wait_until", "push_wait_for", "push_wait_until",
    "wait_dequeue_timed", "try_pop_for", "try_pop_until", "try_receive_for",
    "timed_wait", "timed_join", "try_join_for", "try_join_until",
    "asio::io_context::run_for", "asio::io_context::run_until",
    "boost::asio::io_context::run_for", "boost::asio::io_context::run_until",
    "boost::fibers::wait_queue::suspend_and_wait_until",
    "::poll", "::epoll_wait", "::epoll_pwait"};

// Attempts that return at once whatever the state.
const char *const BuiltInPolling[] = {
    "try_pop", "try_pop_front", "try_pop_back", "try_receive", "try_recv",
    "try_dequeue", "try_dequeue_from_producer", "try_lock",
    "try_lock_shared", "try_acquire", "try_wait", "try_push", "try_send",
    "try_enqueue", "try_take", "try_consume", "try_read",
    // Bulk attempts return how many items they moved: 0 when empty.
    "try_dequeue_bulk", "try_dequeue_bulk_from_producer", "try_enqueue_bulk",
    "try_pop_bulk", "try_push_bulk",
    "boost::lockfree::queue::pop", "boost::lockfree::queue::push",
    "boost::lockfree::queue::bounded_push",
    "boost::lockfree::queue::consume_one",
    "boost::lockfree::spsc_queue::pop", "boost::lockfree::spsc_queue::push",
    "boost::lockfree::spsc_queue::consume_one",
    "boost::lockfree::stack::pop", "boost::lockfree::stack::push",
    "asio::io_context::poll", "asio::io_context::poll_one",
    "boost::asio::io_context::poll", "boost::asio::io_context::poll_one",
    "::sem_trywait", "::pthread_mutex_trylock", "::pthread_spin_trylock",
    "::pthread_rwlock_tryrdlock", "::pthread_rwlock_trywrlock"};

const char *const BuiltInSleeps[] = {
    "std::this_thread::sleep_for", "std::this_thread::sleep_until",
    "boost::this_thread::sleep_for", "boost::this_thread::sleep_until",
    "boost::this_thread::sleep", "boost::this_fiber::sleep_for",
    "boost::this_fiber::sleep_until", "::usleep", "::sleep", "::nanosleep",
    "::clock_nanosleep", "::Sleep", "::SleepEx", "QThread::sleep",
    "QThread::msleep", "QThread::usleep", "absl::SleepFor"};

const char *const BuiltInYields[] = {
    "std::this_thread::yield", "boost::this_thread::yield",
    "boost::this_fiber::yield", "::sched_yield", "::pthread_yield",
    "::SwitchToThread", "QThread::yieldCurrentThread"};

const char *const BuiltInPauses[] = {"::_mm_pause", "::__builtin_ia32_pause",
                                     "::__yield", "::YieldProcessor",
                                     "::__builtin_arm_yield"};

// Queries of a container or queue: they report its state and change
// nothing, so a loop that does nothing but ask them waits for another thread.
// (Any method named try_... is one too: see isQuery.)
const char *const BuiltInQueries[] = {"front", "back",  "peek", "empty",
                                      "size",  "top",   "ready", "is_ready",
                                      "available"};

// Helpers that escalate from pausing to yielding to sleeping.
const char *const BuiltInBackoffs[] = {"boost::detail::yield"};

template <size_t N>
std::vector<std::string> names(const char *const (&A)[N]) {
  return std::vector<std::string>(A, A + N);
}

bool isAtomicClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  std::string Name = canonicalName(RD);
  llvm::StringRef N(Name);
  return N == "std::atomic" || N == "std::atomic_ref" ||
         N == "std::atomic_flag" || N.starts_with("std::__atomic") ||
         N.starts_with("std::__cxx_atomic") || N.starts_with("boost::atomic") ||
         N == "boost::atomic_flag";
}

bool isFutureClass(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  std::string Name = canonicalName(RD);
  return llvm::StringRef(Name).contains_insensitive("future");
}

bool inSystemHeader(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

} // namespace

void BlockingModel::fill(Names &N, const NameList &L) {
  llvm::SmallVector<llvm::StringRef, 16> Entries(L.BuiltIn.begin(),
                                                  L.BuiltIn.end());
  llvm::StringRef(L.UserValue).split(Entries, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef S : Entries) {
    S = S.trim();
    if (S.consume_front("::"))
      N.Exact.insert(S); // "::read": exactly read at global scope
    else if (S.contains("::"))
      N.Exact.insert(S);
    else if (!S.empty())
      N.Anywhere.insert(S);
  }
}

bool BlockingModel::Names::contains(const FunctionDecl *FD,
                                    llvm::StringRef Qualified) const {
  return Exact.contains(Qualified) ||
         (FD->getDeclName().isIdentifier() && Anywhere.contains(FD->getName()));
}

BlockingModel::BlockingModel(tidy::ClangTidyCheck::OptionsView &Options)
    : Blocking{"BlockingFunctions", names(BuiltInBlocking), {}},
      Polling{"PollingFunctions", names(BuiltInPolling), {}},
      Sleeps{"SleepFunctions", names(BuiltInSleeps), {}},
      Backoffs{"BackoffFunctions", names(BuiltInBackoffs), {}},
      Queries{"QueryFunctions", names(BuiltInQueries), {}} {
  for (NameList *L : {&Blocking, &Polling, &Sleeps, &Backoffs, &Queries})
    L->UserValue = Options.getLocalOrGlobal(L->OptionName, "");
  fill(BlockingN, Blocking);
  fill(PollingN, Polling);
  fill(SleepN, Sleeps);
  fill(BackoffN, Backoffs);
  fill(QueryN, Queries);
  fill(TimedN, NameList{"", names(BuiltInTimed), {}});
  fill(YieldN, NameList{"", names(BuiltInYields), {}});
  fill(PauseN, NameList{"", names(BuiltInPauses), {}});
}

void BlockingModel::store(tidy::ClangTidyCheck::OptionsView &Options,
                          tidy::ClangTidyOptions::OptionMap &Opts) const {
  for (const NameList *L : {&Blocking, &Polling, &Sleeps, &Backoffs, &Queries})
    Options.store(Opts, L->OptionName, L->UserValue);
}

CallKind BlockingModel::classify(const FunctionDecl *FD) const {
  if (!FD)
    return CallKind::Opaque;
  FD = FD->getCanonicalDecl();
  auto It = KindCache.find(FD);
  if (It != KindCache.end())
    return It->second;
  CallKind K = classifyUncached(FD);
  KindCache[FD] = K;
  // A method of the project that attempts a transfer and says whether it
  // worked (ring.push(v) -> bool, queue.steal() -> T*, q.pop() -> optional)
  // and whose body never waits: an attempt that returns at once, a poll.
  // So is any function of the project that makes a poll and returns
  // whether it got something (a poll one call away), whatever its name.
  if (K == CallKind::User && (isTransferAttempt(FD) || pollReturned(FD)) &&
      effectOf(FD) == NoWait) {
    K = CallKind::Poll;
    KindCache[FD] = K;
  }
  return K;
}

llvm::ArrayRef<llvm::StringRef> BlockingModel::transferVerbs() {
  static const llvm::StringRef Verbs[] = {
      "pop",  "push",    "steal",   "dequeue", "enqueue", "take",   "put",
      "offer", "receive", "recv",   "send",    "consume", "produce"};
  return Verbs;
}

/// The verb of a transfer's name: its first word after try_ and bulk_
/// (try_push, try_bulk_push, bulk_dequeue), and after value_ when
/// \p ValueFirst (Boost.Fiber's value_pop), or "".
static std::string transferVerbOf(llvm::StringRef Name, bool ValueFirst) {
  llvm::SmallVector<std::string, 4> Words = identifierWords(Name);
  size_t Verb = 0;
  while (Verb < Words.size() &&
         (Words[Verb] == "try" || Words[Verb] == "bulk" ||
          (ValueFirst && Words[Verb] == "value")))
    ++Verb;
  return Verb < Words.size() ? Words[Verb] : std::string();
}

bool BlockingModel::namesTransfer(llvm::StringRef Name) {
  return llvm::is_contained(transferVerbs(),
                            llvm::StringRef(transferVerbOf(Name, false)));
}

bool BlockingModel::waitsForPhase(const CallExpr *Call) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M)
    return false;
  if (ConcurrencyModel::isJoin(M))
    return true;
  const CXXRecordDecl *RD = M->getParent();
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  for (const std::string &Word : identifierWords(RD->getName()))
    if (Word == "barrier" || Word == "latch")
      return true;
  return false;
}

bool BlockingModel::namesTake(llvm::StringRef Name) {
  static const llvm::StringRef Takes[] = {"pop",     "steal", "dequeue", "take",
                                          "receive", "recv",  "consume"};
  return llvm::is_contained(Takes, llvm::StringRef(transferVerbOf(Name, true)));
}

bool BlockingModel::isTransferAttempt(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || MD->isStatic() || !MD->getDeclName().isIdentifier() ||
      !namesTransfer(MD->getName()))
    return false;
  llvm::SmallVector<std::string, 4> Words = identifierWords(MD->getName());
  // The result says whether it worked: a bool, a pointer (null when there
  // was nothing), an optional value, or for a bulk method the count it
  // moved. Another integer may be the item itself (a queue of numbers whose
  // pop never fails).
  QualType R = MD->getReturnType().getCanonicalType();
  if (R->isBooleanType() || R->isPointerType())
    return true;
  if (R->isIntegerType())
    return llvm::is_contained(Words, "bulk");
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      R->getAsCXXRecordDecl());
  return Spec && Spec->getDeclName().isIdentifier() &&
         Spec->getName() == "optional";
}

/// A result that says whether something was got: a bool, a pointer, a
/// smart pointer or an optional (false, null or empty when it was not).
static bool saysWhetherGot(QualType R) {
  if (R.isNull() || R->isDependentType())
    return false;
  R = R.getCanonicalType();
  if (R->isBooleanType() || R->isPointerType())
    return true;
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      R->getAsCXXRecordDecl());
  if (!Spec || !Spec->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = Spec->getName();
  return N == "optional" || N == "shared_ptr" || N == "unique_ptr";
}

/// A name that states a condition rather than an attempt: its result may
/// be true when nothing was got (is_empty(), idle(), timed_out(), closed()).
static bool namesAState(llvm::StringRef Name) {
  static const llvm::StringRef States[] = {
      "empty",   "idle",    "full",     "busy",     "pending",  "timeout",
      "timedout", "blocked", "stalled", "starved",  "waiting",  "closed",
      "stopped", "cancelled", "canceled", "shutdown", "expired", "failed"};
  for (const std::string &W : identifierWords(Name))
    if (llvm::is_contained(States, llvm::StringRef(W)))
      return true;
  return false;
}

/// The variable a member call's object is rooted in, through members,
/// getters and dereferences (q_.try_pop(): null, a member; local.empty():
/// the local).
static const VarDecl *rootVariable(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase();
    else if (const auto *U = dyn_cast<UnaryOperator>(E))
      E = U->getSubExpr();
    else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      E = MC->getImplicitObjectArgument();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
      E = Op->getNumArgs() ? Op->getArg(0) : nullptr;
    else
      return nullptr;
  }
  return nullptr;
}

/// The object of a member call is the function's own: a local or a
/// by-value parameter, which nobody else fills while the caller polls; or
/// data rather than a queue (a string, a view, a map or set, an optional).
static bool onOwnData(const CallExpr *Call) {
  const Expr *Obj = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Obj = MC->getImplicitObjectArgument();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    Obj = Op->getNumArgs() ? Op->getArg(0) : nullptr;
  if (!Obj)
    return false;
  if (isDataNotQueue(Obj->getType()))
    return true;
  const VarDecl *V = rootVariable(Obj);
  return V && V->hasLocalStorage() && !V->getType()->isReferenceType() &&
         !V->getType()->isPointerType();
}

/// A loop that only a return or a break can end (for (;;), while (true)).
static bool loopsForever(const Stmt *S) {
  const Expr *Cond = nullptr;
  if (const auto *For = dyn_cast<ForStmt>(S)) {
    if (!For->getCond())
      return true;
    Cond = For->getCond();
  } else if (const auto *While = dyn_cast<WhileStmt>(S)) {
    Cond = While->getCond();
  } else if (const auto *Do = dyn_cast<DoStmt>(S)) {
    Cond = Do->getCond();
  } else {
    return false;
  }
  const Expr *C = Cond->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(C))
    return B->getValue();
  if (const auto *I = dyn_cast<IntegerLiteral>(C))
    return !I->getValue().isZero();
  return false;
}

const CallExpr *BlockingModel::pollReturned(const FunctionDecl *FD) const {
  if (!FD || !FD->getDeclName().isIdentifier() || namesAState(FD->getName()) ||
      namesWaitOrAcquire(FD->getName()) ||
      !saysWhetherGot(FD->getReturnType()))
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def)
    if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
      Def = P->getDefinition();
  if (!Def || !Def->getBody() || inSystemHeader(Def))
    return nullptr;
  const CallExpr *Poll = nullptr;
  llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    // It waits by spinning itself, or it does not return at once.
    if (loopsForever(S))
      return nullptr;
    if (const auto *Call = dyn_cast<CallExpr>(S); Call && !Poll) {
      CallKind K = classifyCall(Call);
      if ((K == CallKind::Poll || K == CallKind::Emptiness) &&
          !onOwnData(Call))
        Poll = Call;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Poll;
}

const CallExpr *BlockingModel::pollOneCallAway(const FunctionDecl *FD) const {
  if (!FD || classify(FD) != CallKind::Poll ||
      classifyUncached(FD->getCanonicalDecl()) != CallKind::User ||
      isTransferAttempt(FD))
    return nullptr;
  return pollReturned(FD);
}

bool BlockingModel::isQuery(const CallExpr *Call) const {
  llvm::StringRef Name;
  std::string Q;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (FD) {
    if (!FD->getDeclName().isIdentifier())
      return false;
    Name = FD->getName();
    Q = canonicalName(FD);
  } else if (const auto *DS = dyn_cast<CXXDependentScopeMemberExpr>(
                 Call->getCallee()->IgnoreParenImpCasts())) {
    if (!DS->getMember().isIdentifier())
      return false;
    Name = DS->getMember().getAsIdentifierInfo()->getName();
  } else {
    return false;
  }
  // A method that cannot change its object, or one whose name says it asks.
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (MD && MD->isConst() && !MD->isStatic())
    return true;
  if (Name.starts_with("try_") && !TimedN.containsName(Name) &&
      !BlockingN.containsName(Name))
    return true;
  // A predicate (is_cancelled(), isReady(), has_work()) asks.
  llvm::SmallVector<std::string, 4> Words = identifierWords(Name);
  if (Words.size() > 1 && (Words[0] == "is" || Words[0] == "has"))
    return true;
  return FD ? QueryN.contains(FD, Q) : QueryN.containsName(Name);
}

bool BlockingModel::isTimedWait(const FunctionDecl *FD) const {
  return FD && TimedN.contains(FD, canonicalName(FD));
}

CallKind BlockingModel::classifyUncached(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  const CXXRecordDecl *Parent = MD ? MD->getParent() : nullptr;
  bool System = inSystemHeader(FD);
  if (!FD->getDeclName().isIdentifier()) {
    if (isa<CXXConversionDecl>(FD))
      return isAtomicClass(Parent) ? CallKind::AtomicRead
             : System              ? CallKind::Trivial
                                   : CallKind::User;
    if (FD->getOverloadedOperator() == OO_Call)
      return Parent && Parent->isLambda() ? CallKind::User
             : System                     ? CallKind::Opaque
                                          : CallKind::User;
    return System ? CallKind::Trivial : CallKind::User;
  }
  std::string Q = canonicalName(FD);
  llvm::StringRef Name = FD->getName();
  if (SleepN.contains(FD, Q))
    return CallKind::Sleep;
  if (YieldN.contains(FD, Q))
    return CallKind::Yield;
  if (PauseN.contains(FD, Q))
    return CallKind::Pause;
  if (BackoffN.contains(FD, Q) || Name.contains_insensitive("backoff"))
    return CallKind::Backoff;
  if (isAtomicClass(Parent)) {
    if (Name == "load" || Name == "test" || Name == "exchange" ||
        Name == "test_and_set")
      return CallKind::AtomicRead;
    if (Name.starts_with("compare_exchange"))
      return CallKind::CompareExchange;
    if (Name == "wait")
      return CallKind::Blocking;
    return CallKind::Trivial;
  }
  if (!MD && FD->isInStdNamespace() && Name.starts_with("atomic_")) {
    if (Name.starts_with("atomic_load") || Name.starts_with("atomic_flag_test") ||
        Name.starts_with("atomic_exchange"))
      return CallKind::AtomicRead;
    if (Name.starts_with("atomic_compare_exchange"))
      return CallKind::CompareExchange;
  }
  if (PollingN.contains(FD, Q))
    return CallKind::Poll;
  // `join` waits only as a handle's method (t.join(), pool.join()); a
  // library's free join concatenates (boost::join of two ranges,
  // boost::algorithm::join of strings, std::views::join).
  bool LibraryConcatenation = !MD && System && Name == "join" &&
                              !BlockingN.Exact.contains(Q);
  if ((TimedN.contains(FD, Q) || BlockingN.contains(FD, Q)) &&
      !LibraryConcatenation)
    return CallKind::Blocking;
  if (Name == "get" && isFutureClass(Parent))
    return CallKind::Blocking;
  if (MD && Name == "empty")
    return CallKind::Emptiness;
  if (System)
    return CallKind::Trivial;
  if (MD && MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
      !(Parent && Parent->hasAttr<FinalAttr>()))
    return CallKind::Opaque;
  return CallKind::User;
}

CallKind BlockingModel::classifyByName(llvm::StringRef Name) const {
  if (SleepN.containsName(Name))
    return CallKind::Sleep;
  if (YieldN.containsName(Name))
    return CallKind::Yield;
  if (Name.contains_insensitive("backoff") || BackoffN.containsName(Name))
    return CallKind::Backoff;
  if (PollingN.containsName(Name))
    return CallKind::Poll;
  if (TimedN.containsName(Name) || BlockingN.containsName(Name))
    return CallKind::Blocking;
  if (Name == "empty")
    return CallKind::Emptiness;
  return CallKind::Opaque;
}

/// The argument of a timed wait that holds its timeout, if one can be found.
static const Expr *timeoutArg(const CallExpr *Call, const FunctionDecl *FD) {
  if (FD && !isa<CXXMethodDecl>(FD) && FD->getDeclName().isIdentifier()) {
    llvm::StringRef N = FD->getName();
    unsigned Index = N == "poll" ? 2 : (N == "epoll_wait" || N == "epoll_pwait") ? 3 : ~0u;
    if (Index < Call->getNumArgs())
      return Call->getArg(Index);
  }
  for (const Expr *Arg : Call->arguments()) {
    QualType T = Arg->getType().getNonReferenceType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      if (RD->getName() == "duration" || RD->getName() == "time_point")
        return Arg;
  }
  // In a template pattern the argument types may be dependent: take the
  // first argument that looks like a duration literal.
  for (const Expr *Arg : Call->arguments())
    if (isa<UserDefinedLiteral>(Arg->IgnoreImplicit()))
      return Arg;
  return nullptr;
}

/// A C event loop told to run without waiting: uv_run(loop, UV_RUN_NOWAIT),
/// event_base_loop(base, EVLOOP_NONBLOCK), g_main_context_iteration(ctx,
/// FALSE). It only handles what is ready: a poll.
static bool eventLoopPollsOnly(const CallExpr *Call, const FunctionDecl *FD) {
  if (isa<CXXMethodDecl>(FD) || !FD->getDeclName().isIdentifier() ||
      Call->getNumArgs() < 2)
    return false;
  llvm::StringRef N = FD->getName();
  const Expr *Mode = Call->getArg(1)->IgnoreParenImpCasts();
  if (N == "uv_run") {
    const auto *Ref = dyn_cast<DeclRefExpr>(Mode);
    return Ref && Ref->getDecl()->getName() == "UV_RUN_NOWAIT";
  }
  if (N != "event_base_loop" && N != "g_main_context_iteration")
    return false;
  Expr::EvalResult R;
  if (Mode->isValueDependent() ||
      !Mode->EvaluateAsInt(R, FD->getASTContext()))
    return false;
  llvm::APSInt V = R.Val.getInt();
  return N == "event_base_loop" ? (V.getExtValue() & 0x02) != 0 // EVLOOP_NONBLOCK
                                : V.isZero();                     // may_block
}

CallKind BlockingModel::classifyCall(const CallExpr *Call) const {
  // An Asio operation handed a stackful coroutine's or a fiber's yield
  // suspends its caller: on a timer until it expires, on anything else
  // until the operation completes.
  if (sleepsOnTimer(Call))
    return CallKind::Sleep;
  if (waitsForCompletion(Call))
    return CallKind::Blocking;
  if (const FunctionDecl *FD = Call->getDirectCallee()) {
    CallKind K = classify(FD);
    if (K == CallKind::Blocking && eventLoopPollsOnly(Call, FD))
      return CallKind::Poll;
    if (K == CallKind::Blocking && isTimedWait(FD))
      if (const Expr *T = timeoutArg(Call, FD);
          T && isPollingTimeout(T, &FD->getASTContext()))
        return CallKind::Poll;
    if (K == CallKind::User)
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
        if (const CXXMethodDecl *MD = MC->getMethodDecl();
            MD && MD->isVirtual() && !MD->hasAttr<FinalAttr>())
          return CallKind::Opaque;
    return K;
  }
  const Expr *Callee = Call->getCallee()->IgnoreParenImpCasts();
  llvm::StringRef Name;
  if (const auto *DS = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
    if (DS->getMember().isIdentifier())
      Name = DS->getMember().getAsIdentifierInfo()->getName();
  } else if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(Callee)) {
    if (UM->getMemberName().isIdentifier())
      Name = UM->getMemberName().getAsIdentifierInfo()->getName();
  } else if (const auto *UL = dyn_cast<UnresolvedLookupExpr>(Callee)) {
    for (const NamedDecl *D : UL->decls()) {
      const NamedDecl *U = D->getUnderlyingDecl();
      const FunctionDecl *FD = dyn_cast<FunctionDecl>(U);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(U))
        FD = FT->getTemplatedDecl();
      if (FD) {
        CallKind K = classify(FD);
        return K == CallKind::User ? CallKind::Opaque : K;
      }
    }
    return CallKind::Opaque;
  }
  if (Name.empty())
    return CallKind::Opaque;
  CallKind K = classifyByName(Name);
  if (K == CallKind::Blocking && TimedN.containsName(Name))
    for (const Expr *Arg : Call->arguments())
      if (isPollingTimeout(Arg, nullptr))
        return CallKind::Poll;
  return K;
}

unsigned BlockingModel::effectOf(const FunctionDecl *FD) const {
  return effectOf(FD, 0);
}

bool BlockingModel::waitsWithoutDeadline(const CallExpr *Call) const {
  if (waitsForCompletion(Call))
    return true;
  if (classifyCall(Call) != CallKind::Blocking)
    return false;
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD ? !isTimedWait(FD) : !TimedN.containsName(spelledCallee(Call));
}

bool BlockingModel::runsUnseenCode(const CallExpr *Call) const {
  switch (classifyCall(Call)) {
  case CallKind::Opaque:
    return true;
  case CallKind::User: {
    const FunctionDecl *FD = Call->getDirectCallee();
    return !FD || !FD->hasBody();
  }
  default:
    return false;
  }
}

unsigned BlockingModel::effectOf(const FunctionDecl *FD, unsigned Depth) const {
  if (!FD)
    return Unknown;
  switch (classify(FD)) {
  case CallKind::Blocking:
  case CallKind::Sleep:
  case CallKind::Backoff:
    return MayBlock;
  case CallKind::Opaque:
    return Unknown;
  case CallKind::Pause:
    return OnlyPauses;
  case CallKind::User:
    break;
  default:
    return NoWait;
  }
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def) {
    // An instantiation whose body was not instantiated: use the pattern.
    if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
      Def = P->getDefinition();
  }
  if (!Def || !Def->getBody())
    return Unknown;
  const FunctionDecl *Key = FD->getCanonicalDecl();
  auto It = EffectCache.find(Key);
  if (It != EffectCache.end())
    return It->second;
  if (Depth > 3)
    return Unknown;
  EffectCache[Key] = NoWait; // breaks recursion
  unsigned E = effectOfBody(Def->getBody(), Depth + 1);
  EffectCache[Key] = E;
  return E;
}

unsigned BlockingModel::effectOfBody(const Stmt *Body, unsigned Depth) const {
  unsigned Effect = NoWait;
  bool SawOther = false;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    if (isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S))
      Effect |= MayBlock;
    // Writes and constructions (a lock_guard) are work, not a pause.
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
      SawOther = true;
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && U->isIncrementDecrementOp())
      SawOther = true;
    if (isa<CXXConstructExpr>(S) &&
        !cast<CXXConstructExpr>(S)->getConstructor()->isTrivial())
      SawOther = true;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      switch (classifyCall(Call)) {
      case CallKind::Blocking:
      case CallKind::Sleep:
      case CallKind::Backoff:
        Effect |= MayBlock;
        break;
      case CallKind::Opaque:
        Effect |= Unknown;
        break;
      case CallKind::Pause:
        break;
      case CallKind::User: {
        unsigned E = effectOf(Call->getDirectCallee(), Depth);
        Effect |= E & (MayBlock | Unknown);
        if (!(E & OnlyPauses))
          SawOther = true;
        break;
      }
      default:
        SawOther = true;
        break;
      }
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  // Nothing but pauses, or nothing at all (an empty hook, a getter).
  // Anything else, even without a call, is work.
  if (!SawOther && Effect == NoWait)
    return OnlyPauses;
  return Effect;
}

bool BlockingModel::isLockAttempt(const CallExpr *Call) {
  return spelledCallee(Call).contains("lock");
}

bool BlockingModel::isWaitAttempt(const CallExpr *Call) {
  llvm::StringRef N = spelledCallee(Call);
  return N.starts_with("wait") || N == "poll" || N.starts_with("epoll");
}

bool BlockingModel::namesAttempt(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words = identifierWords(Name);
  return Words.size() > 1 && Words.front() == "try";
}

bool BlockingModel::namesWaitOrAcquire(const CallExpr *Call) {
  return namesWaitOrAcquire(spelledCallee(Call));
}

bool BlockingModel::namesWaitOrAcquire(llvm::StringRef Name) {
  // The name's verb is the wait: wait(), acquire(), wait_dequeue(),
  // tryWait(), try_acquire_for(), timed_wait(). Not a name that only
  // mentions waiting (prepare_wait(), cancel_wait(), num_waiters(),
  // notify_waiters()): those do not wait.
  llvm::SmallVector<std::string, 4> Words = identifierWords(Name);
  size_t Verb = 0;
  if (Words.size() > 1 && (Words[0] == "try" || Words[0] == "timed"))
    Verb = 1;
  return Verb < Words.size() &&
         (Words[Verb] == "wait" || Words[Verb] == "acquire");
}

bool BlockingModel::armsTimer(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "async_wait" || N == "expires_after" || N == "expires_at" ||
         N == "expires_from_now";
}

bool BlockingModel::isConditionWait(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call->getMethodDecl();
  if (!M || !M->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = M->getName();
  if (N != "wait" && N != "wait_for" && N != "wait_until")
    return false;
  std::string Class = canonicalName(M->getParent());
  return Class == "std::condition_variable" ||
         Class == "std::condition_variable_any" ||
         Class == "boost::condition_variable" ||
         Class == "boost::condition_variable_any" ||
         Class == "boost::fibers::condition_variable" ||
         Class == "boost::fibers::condition_variable_any";
}

bool BlockingModel::isFiberConditionWait(const CXXMemberCallExpr *Call) {
  return isConditionWait(Call) &&
         llvm::StringRef(canonicalName(Call->getMethodDecl()->getParent()))
             .starts_with("boost::fibers::");
}

const Expr *BlockingModel::conditionWaitedFor(const Stmt *S) {
  const auto *E = dyn_cast_or_null<Expr>(S);
  const auto *Call =
      E ? dyn_cast<CXXMemberCallExpr>(peelWrappers(E)) : nullptr;
  if (!Call || !isConditionWait(Call) ||
      Call->getMethodDecl()->getName() != "wait" || Call->getNumArgs() != 2)
    return nullptr;
  const auto *Lambda =
      dyn_cast<LambdaExpr>(peelTemporaries(Call->getArg(1)));
  const auto *Body =
      Lambda ? dyn_cast_or_null<CompoundStmt>(Lambda->getBody()) : nullptr;
  const auto *Return = Body && Body->size() == 1
                           ? dyn_cast<ReturnStmt>(Body->body_front())
                           : nullptr;
  return Return ? Return->getRetValue() : nullptr;
}

bool BlockingModel::isAtomicDecrement(const CXXMethodDecl *M) {
  return M && M->getDeclName().isIdentifier() && M->getName() == "fetch_sub";
}

QualType BlockingModel::atomicValueType(QualType T) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getName() != "atomic" ||
      Spec->getTemplateArgs().size() != 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  return Spec->getTemplateArgs()[0].getAsType();
}

bool BlockingModel::isAtomicStore(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call->getMethodDecl();
  return M && M->getDeclName().isIdentifier() && M->getName() == "store" &&
         Call->getNumArgs() >= 1;
}

bool BlockingModel::mayReportWouldBlock(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || isa<CXXMethodDecl>(FD) || !FD->getDeclName().isIdentifier() ||
      !FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return false;
  static const llvm::StringRef Transfers[] = {
      "read",    "readv",      "pread",   "recv",   "recvfrom", "recvmsg",
      "write",   "writev",     "pwrite",  "send",   "sendto",   "sendmsg",
      "accept",  "accept4",    "connect", "msgrcv", "msgsnd",   "mq_receive",
      "mq_send", "sem_trywait"};
  return llvm::is_contained(Transfers, FD->getName());
}

bool BlockingModel::readsErrno(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "__errno_location" || N == "__error" || N == "_errno";
}

ast_matchers::internal::Matcher<NamedDecl>
BlockingModel::sleepFunction() const {
  std::vector<std::string> All;
  for (const auto &E : SleepN.Exact)
    All.push_back("::" + E.getKey().str());
  std::vector<llvm::StringRef> Refs(All.begin(), All.end());
  if (SleepN.Anywhere.empty())
    return ast_matchers::hasAnyName(Refs);
  std::vector<std::string> Bare;
  for (const auto &E : SleepN.Anywhere)
    Bare.push_back(E.getKey().str());
  std::vector<llvm::StringRef> BareRefs(Bare.begin(), Bare.end());
  return ast_matchers::anyOf(ast_matchers::hasAnyName(Refs),
                             ast_matchers::hasAnyName(BareRefs));
}

/// A constant duration (a struct holding one count) that is zero.
static bool allZero(const APValue &V) {
  if (V.isInt())
    return V.getInt().isZero();
  if (V.isFloat())
    return V.getFloat().isZero();
  if (V.isStruct()) {
    for (unsigned I = 0; I < V.getStructNumBases(); ++I)
      if (!allZero(V.getStructBase(I)))
        return false;
    for (unsigned I = 0; I < V.getStructNumFields(); ++I)
      if (!allZero(V.getStructField(I)))
        return false;
    return V.getStructNumFields() + V.getStructNumBases() > 0;
  }
  return false;
}

/// The seconds a constant std::chrono::duration holds: its count times its
/// period's ratio. None when it is not one.
static std::optional<double> durationSeconds(QualType T, const APValue &V) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || Spec->getName() != "duration" ||
      Spec->getTemplateArgs().size() != 2 || !V.isStruct() ||
      V.getStructNumFields() != 1)
    return std::nullopt;
  const auto *Ratio = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      Spec->getTemplateArgs()[1].getAsType()->getAsCXXRecordDecl());
  if (!Ratio || Ratio->getTemplateArgs().size() != 2 ||
      Ratio->getTemplateArgs()[0].getKind() != TemplateArgument::Integral ||
      Ratio->getTemplateArgs()[1].getKind() != TemplateArgument::Integral)
    return std::nullopt;
  double Num = Ratio->getTemplateArgs()[0].getAsIntegral().getSExtValue();
  double Den = Ratio->getTemplateArgs()[1].getAsIntegral().getSExtValue();
  const APValue &Count = V.getStructField(0);
  double C = Count.isInt()     ? Count.getInt().getSExtValue()
             : Count.isFloat() ? Count.getFloat().convertToDouble()
                               : -1;
  if (C < 0 || Den == 0)
    return std::nullopt;
  return C * Num / Den;
}

bool isPollingTimeout(const Expr *E, const ASTContext *Ctx) {
  for (unsigned Steps = 0; E && Steps < 12; ++Steps) {
    E = E->IgnoreImplicit()->IgnoreParens();
    // A call in a template pattern comes without a context; a duration's
    // class knows its own (wait_for(microseconds(1)) in a template).
    if (!Ctx && !E->isValueDependent())
      if (const CXXRecordDecl *RD = E->getType()->getAsCXXRecordDecl())
        Ctx = &RD->getASTContext();
    // 0s, 0ms: template literal operators have no cooked literal. 1us:
    // under a millisecond.
    if (Ctx && !E->isValueDependent() && E->getType()->isRecordType()) {
      Expr::EvalResult R;
      if (E->EvaluateAsRValue(R, *Ctx) && R.Val.isStruct()) {
        if (std::optional<double> S = durationSeconds(E->getType(), R.Val))
          return *S < 1e-3;
        return allZero(R.Val);
      }
    }
    if (const auto *IL = dyn_cast<IntegerLiteral>(E))
      return IL->getValue().isZero();
    if (const auto *FL = dyn_cast<FloatingLiteral>(E))
      return FL->getValue().isZero();
    if (const auto *UDL = dyn_cast<UserDefinedLiteral>(E)) {
      E = UDL->getCookedLiteral();
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() == 0)
        return true; // milliseconds{}, value-initialised
      E = CE->getArg(0);
      continue;
    }
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E)) {
      E = Cast->getSubExpr();
      continue;
    }
    if (const auto *IL = dyn_cast<InitListExpr>(E)) {
      if (IL->getNumInits() == 0)
        return true;
      E = IL->getInit(0);
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || !FD->getDeclName().isIdentifier())
        return false;
      llvm::StringRef N = FD->getName();
      if (N == "zero" || N == "now")
        return true;
      if ((N == "duration_cast" || N == "time_point_cast") &&
          Call->getNumArgs() == 1) {
        E = Call->getArg(0);
        continue;
      }
      return false;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD || !VD->getType().isConstQualified() || !VD->getInit())
        return false;
      E = VD->getInit();
      continue;
    }
    if (E->isValueDependent() || E->isTypeDependent())
      return false;
    Expr::EvalResult R;
    if (Ctx && E->getType()->isIntegerType() && E->EvaluateAsInt(R, *Ctx))
      return R.Val.getInt().isZero();
    return false;
  }
  return false;
}

std::string BlockingModel::configKey() const {
  return configKeyOf({&Blocking, &Polling, &Sleeps, &Backoffs, &Queries});
}

} // namespace tether::model
