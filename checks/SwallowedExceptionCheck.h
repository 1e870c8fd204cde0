//===--- SwallowedExceptionCheck.h - tether-swallowed-exception -----------===//
//
// Go's smell: recover() that drops the panic. In C++: a catch-all (catch
// (...), or catch of std::exception and configured bases) inside a thread or
// task body whose handler neither rethrows, logs, stores nor reports the
// exception. The work failed and the owner never learns it.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_SWALLOWEDEXCEPTIONCHECK_H
#define TETHER_CHECKS_SWALLOWEDEXCEPTIONCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ThreadEntries.h"
#include "analysis/Provenance.h"
#include "model/ChannelModel.h"
#include "model/NoReturnModel.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace tether {

class SwallowedExceptionCheck : public clang::tidy::ClangTidyCheck {
public:
  SwallowedExceptionCheck(llvm::StringRef Name,
                          clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11 && LO.CXXExceptions;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    Seen.clear();
    Walked.clear();
    ReportedAt.clear();
  }
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void checkSpawn(const analysis::Spawn &Sp, const clang::SourceManager &SM);
  void checkFunction(const clang::FunctionDecl *FD, const analysis::Spawn &Sp,
                     const clang::SourceManager &SM);
  bool isCatchAll(const clang::CXXCatchStmt *C) const;
  bool isHandled(const clang::CXXCatchStmt *C,
                 const clang::FunctionDecl *Enclosing) const;

  model::ConcurrencyModel Model;
  model::ChannelModel Channels;
  model::NoReturnModel NoReturn;
  analysis::Provenance Library;
  model::NameList CaughtTypes, LoggingFunctions, ReportingFunctions;
  llvm::StringSet<> Caught;
  std::vector<std::string> Logging, Reporting;
  llvm::DenseSet<const clang::CXXCatchStmt *> Seen;
  llvm::DenseSet<const clang::FunctionDecl *> Walked;
  llvm::DenseSet<clang::SourceLocation> ReportedAt;
};

} // namespace tether

#endif
