//===--- ExceptionEscapesThreadCheck.h - tether-exception-escapes-thread --===//
//
// Go's rule: a worker without recover() kills the whole service. In C++ an
// exception that leaves the entry of a std::thread, std::jthread,
// boost::thread or pthread_create calls std::terminate for the whole
// process. (std::async and std::packaged_task are fine: the future carries
// the exception to whoever waits.)
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_EXCEPTIONESCAPESTHREADCHECK_H
#define TETHER_CHECKS_EXCEPTIONESCAPESTHREADCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ThrowAnalysis.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class ExceptionEscapesThreadCheck : public clang::tidy::ClangTidyCheck {
public:
  ExceptionEscapesThreadCheck(llvm::StringRef Name,
                              clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11 && LO.CXXExceptions;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    Reported.clear();
    Throws.reset();
  }
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void checkSpawn(const clang::Expr *Site, const clang::Expr *Callable,
                  llvm::StringRef What, const clang::SourceManager &SM);

  model::ConcurrencyModel Model;
  /// Vendored code and copied-in test frameworks: their throws are theirs.
  analysis::Provenance Library;
  const std::string ThrowingFunctions;
  const std::string IgnoredExceptions;
  std::unique_ptr<analysis::ThrowAnalysis> Throws;
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace tether

#endif
