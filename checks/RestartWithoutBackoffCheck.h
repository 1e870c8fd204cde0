//===--- RestartWithoutBackoffCheck.h - tether-restart-without-backoff ----===//
//
// Supervisors restart with backoff. A loop that catches a failure and goes
// straight back to the work turns a persistent failure (a refused
// connection, a missing file, a bad config) into a hot spin that burns a core
// and floods the log.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_RESTARTWITHOUTBACKOFFCHECK_H
#define TETHER_CHECKS_RESTARTWITHOUTBACKOFFCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/Provenance.h"
#include "model/BlockingModel.h"
#include "model/ChannelModel.h"
#include "model/NoReturnModel.h"
#include "model/ConcurrencyModel.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class RestartWithoutBackoffCheck : public clang::tidy::ClangTidyCheck {
public:
  RestartWithoutBackoffCheck(llvm::StringRef Name,
                             clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus && LO.CXXExceptions;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override {
    Reported.clear();
  }

private:
  model::ConcurrencyModel Model;
  model::BlockingModel Blocking;
  model::ChannelModel Channels;
  model::NoReturnModel NoReturn;
  analysis::Provenance Library;
  bool leavesLoop(const clang::Stmt *S) const;
  void checkTry(const clang::Stmt *Loop, const clang::Expr *Cond,
                const clang::CXXTryStmt *Try, const clang::SourceManager &SM,
                const clang::ASTContext &Ctx);
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace tether

#endif
