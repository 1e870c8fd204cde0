//===--- ExceptionModel.cpp -----------------------------------------------===//

#include "ExceptionModel.h"
#include "CoroutineSpawn.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace tether::model {

NameList throwingFunctions() {
  return {"ThrowingFunctions",
          {"std::stoi", "std::stol", "std::stoll", "std::stoul", "std::stoull",
           "std::stof", "std::stod", "std::stold", "std::vector::at",
           "std::deque::at", "std::basic_string::at", "std::map::at",
           "std::unordered_map::at", "std::optional::value",
           "std::future::get", "std::shared_future::get",
           "boost::lexical_cast", "nlohmann::basic_json::parse",
           "nlohmann::basic_json::at", "nlohmann::basic_json::get"},
          ""};
}

/// The reasons of the built-in throwing functions.
static std::optional<ThrowReason> builtInReason(llvm::StringRef Name) {
  if (Name.starts_with("std::sto"))
    return ThrowReason{"std::invalid_argument or std::out_of_range",
                       "its text is not a number in range"};
  // nlohmann::json on text or values from outside the program.
  if (Name == "nlohmann::basic_json::parse")
    return ThrowReason{"nlohmann::json::parse_error", "its text is not JSON"};
  if (Name == "nlohmann::basic_json::get")
    return ThrowReason{"nlohmann::json::type_error",
                       "the value has another type"};
  if (Name == "nlohmann::basic_json::at")
    return ThrowReason{"nlohmann::json::out_of_range",
                       "the key or index is not there"};
  if (Name.ends_with("::at"))
    return ThrowReason{"std::out_of_range", "the key or index is not there"};
  if (Name == "std::optional::value")
    return ThrowReason{"std::bad_optional_access", "it is empty"};
  if (Name.ends_with("future::get"))
    return ThrowReason{"the task's exception", "the task failed"};
  if (Name == "boost::lexical_cast")
    return ThrowReason{"boost::bad_lexical_cast", "its text does not convert"};
  return std::nullopt;
}

static bool isErrorCode(QualType T) {
  const CXXRecordDecl *RD =
      T.isNull() ? nullptr : T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getDeclName().isIdentifier() &&
         RD->getName() == "error_code";
}

static bool takesErrorCode(const FunctionDecl *FD) {
  return llvm::any_of(FD->parameters(), [](const ParmVarDecl *P) {
    return isErrorCode(P->getType());
  });
}

/// \p FD has a sibling of the same name that takes an error_code: the
/// library's convention that the overload without one throws on failure.
static bool hasErrorCodeOverload(const FunctionDecl *FD) {
  const DeclContext *DC = FD->getDeclContext();
  if (!FD->getDeclName().isIdentifier() || takesErrorCode(FD))
    return false;
  // io_context::run and its family only pass on what handlers throw; a
  // timer's expiry setters only cancel its pending waits, which does not
  // fail in practice (their error_code overloads are deprecated).
  // An address's to_string only writes it out (its error_code overload is
  // deprecated too).
  if (llvm::is_contained({"run", "run_one", "run_for", "run_until", "poll",
                          "poll_one", "restart", "stop", "expires_at",
                          "expires_after", "expires_from_now", "to_string"},
                         FD->getName()))
    return false;
  // A signal set's add, remove and clear fail only for a signal number that
  // is not one (or SIGKILL): a programming error, not the environment.
  if (const auto *RD = dyn_cast<CXXRecordDecl>(DC);
      RD && RD->getDeclName().isIdentifier() &&
      RD->getName() == "basic_signal_set" &&
      llvm::is_contained({"add", "remove", "clear"}, FD->getName()))
    return false;
  for (const NamedDecl *ND : DC->lookup(FD->getDeclName())) {
    if (const auto *Using = dyn_cast<UsingShadowDecl>(ND))
      ND = Using->getTargetDecl();
    const FunctionDecl *Sibling = ND->getAsFunction();
    if (Sibling && Sibling != FD && takesErrorCode(Sibling))
      return true;
  }
  return false;
}

/// \p Call is a free or static function given only constants
/// (`address::from_string("239.255.255.250")`, `std::stoi("8080")`): what
/// it does with them is decided when the code is written, not by the
/// environment, so it fails on every run or on none.
static bool givenOnlyConstants(const CallExpr *Call, const FunctionDecl *FD) {
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->isInstance())
    return false;
  const ASTContext &Ctx = FD->getASTContext();
  unsigned Written = 0;
  for (const Expr *A : Call->arguments()) {
    if (isa<CXXDefaultArgExpr>(A))
      continue;
    ++Written;
    const Expr *E = A->IgnoreParenImpCasts();
    if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E))
      E = Bind->getSubExpr()->IgnoreParenImpCasts();
    if (const auto *Ctor = dyn_cast<CXXConstructExpr>(E);
        Ctor && Ctor->getNumArgs() >= 1)
      E = Ctor->getArg(0)->IgnoreParenImpCasts(); // std::string("...")
    if (!isa<StringLiteral>(E) && !E->isEvaluatable(Ctx))
      return false;
  }
  return Written > 0;
}

std::optional<ThrowReason> libraryThrowOf(const CallExpr *Call,
                                          llvm::ArrayRef<std::string> Known) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier())
    return std::nullopt;
  if (givenOnlyConstants(Call, FD))
    return std::nullopt;
  if (const auto *Proto = FD->getType()->getAs<FunctionProtoType>())
    if (Proto->isNothrow())
      return std::nullopt;
  // parse(text, nullptr, /*allow_exceptions=*/false): told not to throw.
  for (unsigned I = 0; I < FD->getNumParams() && I < Call->getNumArgs(); ++I)
    if (const IdentifierInfo *II = FD->getParamDecl(I)->getIdentifier();
        II && II->getName() == "allow_exceptions")
      if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(
              Call->getArg(I)->IgnoreParenImpCasts());
          B && !B->getValue())
        return std::nullopt;
  std::string Name = canonicalName(FD);
  if (matchesAnyName(Known, Name)) {
    if (std::optional<ThrowReason> R = builtInReason(Name))
      return R;
    return ThrowReason{"", "it fails"};
  }
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
    return std::nullopt;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  // Cancelling the waits on an Asio timer, channel or signal set (cancel(),
  // cancel_one()) completes them with operation_aborted; the services never
  // report an error for it, though an error_code overload exists.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
      MC && (FD->getName() == "cancel" || FD->getName() == "cancel_one") &&
      isCancellableWaitObject(MC->getObjectType()))
    return std::nullopt;
  if (hasErrorCodeOverload(FD))
    return ThrowReason{"", "the operation fails (the overload taking a "
                           "std::error_code reports it instead)"};
  return std::nullopt;
}

NameList ignoredExceptions() {
  // Boost.Coroutine's and Boost.Context's forced_unwind is how a stackful
  // coroutine's stack is unwound when it is destroyed: code catching it
  // must rethrow it, and that rethrow is no failure.
  return {"IgnoredExceptions",
          {"boost::thread_interrupted",
           "boost::coroutines::detail::forced_unwind",
           "boost::context::detail::forced_unwind"},
          ""};
}

NameList caughtTypes() {
  return {"CaughtTypes", {"std::exception"}, ""};
}

bool catchesOperationFailure(const CXXCatchStmt *C) {
  if (!C->getExceptionDecl())
    return true; // catch (...)
  QualType T = C->getCaughtType();
  if (T.isNull() || T->isDependentType())
    return false;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string Name = canonicalName(RD);
  return Name == "std::exception" || Name == "std::runtime_error" ||
         Name == "std::system_error" || Name == "boost::system::system_error";
}

bool catchesAnyFailure(const CXXCatchStmt *C) {
  if (!C->getExceptionDecl())
    return true;
  QualType T = C->getCaughtType();
  const CXXRecordDecl *RD =
      T.isNull() || T->isDependentType()
          ? nullptr
          : T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && llvm::is_contained(caughtTypes().all(), canonicalName(RD));
}

NameList loggingFunctions() {
  return {"LoggingFunctions",
          {"spdlog::*", "fmt::print", "fmt::println", "fmt::vprint",
           "printf", "std::printf", "fprintf", "std::fprintf", "vprintf",
           "vfprintf", "puts", "std::puts", "fputs", "std::fputs", "perror",
           "std::perror", "syslog", "vsyslog", "boost::log::*", "google::*",
           "absl::log_internal::*", "std::print", "std::println"},
          ""};
}

NameList reportingFunctions() {
  return {"ReportingFunctions",
          {"std::rethrow_exception", "std::throw_with_nested",
           "std::rethrow_if_nested", "std::current_exception",
           "std::make_exception_ptr", "std::promise::set_exception",
           "std::promise::set_exception_at_thread_exit",
           "std::packaged_task::make_ready_at_thread_exit",
           "boost::promise::set_exception", "boost::current_exception",
           "boost::rethrow_exception", "std::terminate", "std::abort",
           "abort", "std::exit", "exit", "_exit", "_Exit", "std::_Exit",
           "std::quick_exit", "quick_exit"},
          ""};
}

bool isExceptionPtr(QualType T) {
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  return RD && RD->getDeclName().isIdentifier() &&
         RD->getName() == "exception_ptr" && isStdName(canonicalName(RD));
}

bool readsExceptionMessage(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call->getMethodDecl();
  return M && M->getDeclName().isIdentifier() && M->getName() == "what";
}

bool isTeardownCall(const FunctionDecl *FD) {
  static const llvm::StringRef Names[] = {
      "close",   "shutdown", "cancel", "stop",   "disconnect", "unlock",
      "release", "flush",    "join",   "remove", "unlink",     "reset"};
  return FD && FD->getDeclName().isIdentifier() &&
         llvm::is_contained(Names, FD->getName());
}

} // namespace tether::model
