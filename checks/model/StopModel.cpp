//===--- StopModel.cpp ----------------------------------------------------===//

#include "StopModel.h"
#include "StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether::model {

StopModel::StopModel(clang::tidy::ClangTidyCheck::OptionsView &Options)
    : StopTokenTypes{"StopTokenTypes", {"std::stop_token"}, {}},
      StopCheckFunctions{"StopCheckFunctions",
                         {"QThread::isInterruptionRequested"},
                         {}} {
  StopTokenTypes.UserValue = Options.getLocalOrGlobal("StopTokenTypes", "");
  StopCheckFunctions.UserValue =
      Options.getLocalOrGlobal("StopCheckFunctions", "");
  for (const std::string &N : StopTokenTypes.all())
    TokenSet.insert(N);
  for (const std::string &N : StopCheckFunctions.all())
    CheckSet.insert(N);
}

void StopModel::store(clang::tidy::ClangTidyCheck::OptionsView &Options,
                      clang::tidy::ClangTidyOptions::OptionMap &Opts) const {
  Options.store(Opts, StopTokenTypes.OptionName, StopTokenTypes.UserValue);
  Options.store(Opts, StopCheckFunctions.OptionName,
                StopCheckFunctions.UserValue);
}

bool StopModel::isStopToken(QualType T) const {
  if (T.isNull())
    return false;
  const CXXRecordDecl *RD =
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  RD = RD->getCanonicalDecl();
  auto It = TokenCache.find(RD);
  if (It != TokenCache.end())
    return It->second;
  bool Is = TokenSet.contains(canonicalName(RD));
  TokenCache[RD] = Is;
  return Is;
}

internal::Matcher<NamedDecl> StopModel::stopTokenClass() const {
  std::vector<std::string> Names = StopTokenTypes.all();
  for (std::string &N : Names)
    N = "::" + N;
  std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
  return hasAnyName(Refs);
}

internal::Matcher<ParmVarDecl> StopModel::stopTokenParam() const {
  auto TokenRecord = hasUnqualifiedDesugaredType(
      recordType(hasDeclaration(cxxRecordDecl(stopTokenClass()))));
  return parmVarDecl(hasType(
      qualType(anyOf(TokenRecord, references(qualType(TokenRecord))))));
}

bool StopModel::namesStopOrSignal(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  for (llvm::StringRef Word :
       {"stop", "shutdown", "cancel", "quit", "exit", "terminate", "interrupt",
        "close", "kill", "abort", "store", "notify", "set_value", "count_down",
        "release", "signal"})
    if (N.contains_insensitive(Word))
      return true;
  return false;
}

bool StopModel::stopsEventLoop(const CXXMethodDecl *M) {
  if (!M || !M->getDeclName().isIdentifier() || M->getName() != "stop")
    return false;
  std::string Q = canonicalName(M->getParent());
  return llvm::is_contained({llvm::StringRef("asio::io_context"),
                             llvm::StringRef("boost::asio::io_context"),
                             llvm::StringRef("asio::thread_pool"),
                             llvm::StringRef("boost::asio::thread_pool")},
                            Q);
}

bool StopModel::runsEventLoop(const CXXMethodDecl *M) {
  if (!M || !M->getDeclName().isIdentifier() ||
      !llvm::is_contained({"run", "run_one", "run_for", "run_until", "poll",
                           "poll_one"},
                          M->getName()))
    return false;
  std::string Q = canonicalName(M->getParent());
  return Q == "asio::io_context" || Q == "boost::asio::io_context";
}

bool StopModel::requestsStop(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *MD = Call->getMethodDecl();
  return MD && MD->getDeclName().isIdentifier() &&
         MD->getName() == "request_stop";
}

bool StopModel::isStopCallback(QualType T) const {
  if (T.isNull())
    return false;
  const CXXRecordDecl *RD =
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD || RD->getName() != "stop_callback")
    return false;
  return canonicalName(RD) == "std::stop_callback";
}

static std::string calleeName(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier())
    return {};
  return canonicalName(FD);
}

static bool isBoostInterruptionPoint(llvm::StringRef Name) {
  return Name.starts_with("boost::this_thread::") &&
         (Name.ends_with("interruption_point") || Name.ends_with("sleep") ||
          Name.ends_with("sleep_for") || Name.ends_with("sleep_until"));
}

bool StopModel::asksStop(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier() || FD->getNumParams() != 0 ||
      !FD->getReturnType()->isBooleanType())
    return false;
  llvm::SmallVector<std::string, 4> Words = identifierWords(FD->getName());
  if (Words.size() == 2 && Words[0] == "should")
    return Words[1] == "stop" || Words[1] == "exit" || Words[1] == "quit";
  if (!Words.empty() && (Words[0] == "is" || Words[0] == "was"))
    Words.erase(Words.begin());
  if (Words.size() == 1)
    return llvm::is_contained({llvm::StringRef("stopped"),
                               llvm::StringRef("stopping"),
                               llvm::StringRef("cancelled"),
                               llvm::StringRef("canceled")},
                              Words[0]);
  return Words.size() == 2 && Words[1] == "requested" &&
         llvm::is_contained({llvm::StringRef("stop"),
                             llvm::StringRef("cancellation"),
                             llvm::StringRef("interruption"),
                             llvm::StringRef("shutdown")},
                            Words[0]);
}

bool StopModel::isStopCheckCall(const CallExpr *Call) const {
  if (asksStop(Call->getDirectCallee()))
    return true;
  std::string Name = calleeName(Call);
  if (Name.empty())
    return false;
  return CheckSet.contains(Name) || isBoostInterruptionPoint(Name);
}

bool StopModel::endsThread(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return false;
  if (FD->isNoReturn())
    return true;
  std::string Name = calleeName(Call);
  static const char *const Enders[] = {
      "exit",          "_exit",        "_Exit",          "quick_exit",
      "abort",         "std::exit",    "std::_Exit",     "std::quick_exit",
      "std::abort",    "std::terminate", "pthread_exit", "longjmp",
      "siglongjmp",    "std::rethrow_exception"};
  for (const char *E : Enders)
    if (Name == E)
      return true;
  return isBoostInterruptionPoint(Name);
}

bool StopModel::isStopDeafWait(const CXXMemberCallExpr *Call) const {
  const CXXMethodDecl *MD = Call->getMethodDecl();
  if (!MD || !MD->getDeclName().isIdentifier() || MD->getName() != "wait")
    return false;
  const CXXRecordDecl *RD = MD->getParent();
  std::string Class = canonicalName(RD);
  if (Class == "std::condition_variable")
    return true;
  if (Class != "std::condition_variable_any")
    return false;
  for (const Expr *A : Call->arguments())
    if (isStopToken(A->getType()))
      return false;
  return true;
}

bool StopModel::isLockType(QualType T) {
  if (T.isNull())
    return false;
  const CXXRecordDecl *RD =
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  // std::lock_guard, unique_lock, scoped_lock, shared_lock and the Boost,
  // Qt and Abseil spellings (QMutexLocker, absl::MutexLock).
  return N.ends_with("lock_guard") || N.ends_with("unique_lock") ||
         N.ends_with("scoped_lock") || N.ends_with("shared_lock") ||
         N.ends_with("Locker") || N.ends_with("MutexLock") ||
         N.ends_with("LockGuard") || N == "upgrade_lock";
}

bool StopModel::isDeferLock(QualType T) {
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && RD->getName() == "defer_lock_t";
}

int StopModel::lockDirection(const CXXMethodDecl *M) {
  if (!M || !M->getDeclName().isIdentifier())
    return 0;
  llvm::StringRef N = M->getName();
  if (N == "lock" || N == "lock_shared")
    return 1;
  if (N == "unlock" || N == "unlock_shared")
    return -1;
  return 0;
}

bool StopModel::isLockingCall(const CallExpr *Call) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "lock" || N == "try_lock" || N == "lock_shared" ||
         N == "Lock" || N == "wait" || N == "wait_for" ||
         N == "wait_until" || N == "Wait" || N == "pthread_mutex_lock" ||
         N == "pthread_cond_wait" || N == "pthread_cond_timedwait";
}

std::string StopModel::configKey() const {
  return configKeyOf({&StopTokenTypes, &StopCheckFunctions});
}

} // namespace tether::model
