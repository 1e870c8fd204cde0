//===--- UnusedChannelParameterCheck.h - tether-unused-channel-parameter --===//
//
// A function that takes a channel uses it. A channel parameter that is never
// sent to, received from, closed or handed on is a broken contract: the
// caller's senders wait (or fill the buffer) for a consumer that never
// reads, or its receivers wait for values that never come.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_UNUSEDCHANNELPARAMETERCHECK_H
#define TETHER_CHECKS_UNUSEDCHANNELPARAMETERCHECK_H

#include "ClangTidyCheck.h"
#include "model/ChannelModel.h"

namespace tether {

class UnusedChannelParameterCheck : public clang::tidy::ClangTidyCheck {
public:
  UnusedChannelParameterCheck(llvm::StringRef Name,
                              clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  model::ChannelModel Model;
};

} // namespace tether

#endif
