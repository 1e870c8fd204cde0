//===--- ReceiverClosesChannelCheck.h - tether-receiver-closes-channel ----===//
//
// Only the sender closes a channel. A function or lambda that receives from
// a channel, never sends to it, and closes it cuts off senders that may
// still be running: their next push fails (Boost.Fiber returns
// channel_op_status::closed, Asio completes with channel_closed, a hand-rolled
// channel throws), and the work they carry is lost.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_RECEIVERCLOSESCHANNELCHECK_H
#define TETHER_CHECKS_RECEIVERCLOSESCHANNELCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ChannelUses.h"
#include "model/ChannelModel.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class ReceiverClosesChannelCheck : public clang::tidy::ClangTidyCheck {
public:
  ReceiverClosesChannelCheck(llvm::StringRef Name,
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
