//===--- ChannelNeverClosedCheck.h - tether-channel-never-closed ----------===//
//
// A consumer that drains a channel until it is closed (a range-for over a
// Boost.Fiber channel, `while (ch.pop(v) == success)`, an Asio receive loop
// that ends on the closed error, `while (ch.receive(v))` on a configured
// channel) ends only when somebody closes the channel. When the whole life of
// the channel is visible (a local of one function and the lambdas, threads
// and callees it is handed to; a private member of a class whose methods are
// all defined in this translation unit) and none of it closes the channel,
// the consumer waits forever once the senders are done.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_CHANNELNEVERCLOSEDCHECK_H
#define TETHER_CHECKS_CHANNELNEVERCLOSEDCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ChannelUses.h"
#include "model/ChannelModel.h"
#include "model/StopModel.h"

namespace tether {

class ChannelNeverClosedCheck : public clang::tidy::ClangTidyCheck {
public:
  ChannelNeverClosedCheck(llvm::StringRef Name,
                          clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// A receive loop that drains \p Key until it is closed, in \p Fn or in a
  /// callee or thread \p Fn hands it to (`std::thread t(drain,
  /// std::ref(ch))`). \p HandOff is set to the call that hands it on.
  struct Drain {
    const analysis::ChannelUse *Loop = nullptr;
    const analysis::ChannelUse *HandOff = nullptr;
  };
  Drain findDrain(analysis::ChannelUseIndex &Index,
                  const clang::FunctionDecl *Fn, const analysis::ChannelKey &Key,
                  unsigned Depth = 0) const;

  model::ChannelModel Model;
  model::StopModel Stop;
  const clang::SourceManager *SM = nullptr;
  clang::ASTContext *Context = nullptr;
};

} // namespace tether

#endif
