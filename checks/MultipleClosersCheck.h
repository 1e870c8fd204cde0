//===--- MultipleClosersCheck.h - tether-multiple-closers -----------------===//
//
// Exactly one party closes a channel. When two functions or thread bodies
// close the same channel (the same member, the same captured object, the
// same channel handed to two closers), nobody owns its end: one close can
// cut off the other's senders, and shutdown order becomes a race.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MULTIPLECLOSERSCHECK_H
#define TETHER_CHECKS_MULTIPLECLOSERSCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ChannelUses.h"
#include "model/ChannelModel.h"

namespace tether {

class MultipleClosersCheck : public clang::tidy::ClangTidyCheck {
public:
  MultipleClosersCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  model::ChannelModel Model;
  const clang::SourceManager *SM = nullptr;
  clang::ASTContext *Context = nullptr;
};

} // namespace tether

#endif
