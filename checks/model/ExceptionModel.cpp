//===--- ExceptionModel.cpp -----------------------------------------------===//

#include "ExceptionModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
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
           "boost::lexical_cast"},
          ""};
}

NameList ignoredExceptions() {
  return {"IgnoredExceptions", {"boost::thread_interrupted"}, ""};
}

NameList caughtTypes() {
  return {"CaughtTypes", {"std::exception"}, ""};
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
