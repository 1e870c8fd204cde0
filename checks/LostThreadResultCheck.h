//===--- LostThreadResultCheck.h - tether-lost-thread-result --------------===//
//
// Errors from concurrent work must reach an owner. A thread throws away what
// its entry function returns: a body that computes a value or a status and
// is started as a std::thread loses it by construction.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_LOSTTHREADRESULTCHECK_H
#define TETHER_CHECKS_LOSTTHREADRESULTCHECK_H

#include "ClangTidyCheck.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class LostThreadResultCheck : public clang::tidy::ClangTidyCheck {
public:
  LostThreadResultCheck(llvm::StringRef Name,
                        clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override { Reported.clear(); }

private:
  void checkCreate(const clang::CallExpr *Create, clang::ASTContext &Ctx);
  void checkEntry(const clang::Expr *Site, const clang::Expr *Callable,
                  llvm::StringRef Kind, const clang::SourceManager &SM);
  model::ConcurrencyModel Model;
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace tether

#endif
