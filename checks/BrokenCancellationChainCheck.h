//===--- BrokenCancellationChainCheck.h - tether-broken-cancellation-chain ===//
//
// Children inherit their parent's cancellation. A function that is asked to
// stop through a std::stop_token and starts a thread or task without handing
// it that token (or a stop source linked to it, or the parent's own stop
// flag) leaves a child that outlives the cancellation: Go's
// context.Background() inside a request.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_BROKENCANCELLATIONCHAINCHECK_H
#define TETHER_CHECKS_BROKENCANCELLATIONCHAINCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ThreadEntries.h"
#include "model/ConcurrencyModel.h"
#include "model/StopModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class BrokenCancellationChainCheck : public clang::tidy::ClangTidyCheck {
public:
  BrokenCancellationChainCheck(llvm::StringRef Name,
                               clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override {
    Seen.clear();
    Reported.clear();
    StopFieldCache.clear();
  }

private:
  void checkFunction(const clang::FunctionDecl *FD);
  /// The note at the parameter that receives the parent's token.
  void noteTokenReceived(const clang::ParmVarDecl *Token);
  /// The child is handed the token of a local stop source nobody stops.
  void reportDeadSource(const analysis::Spawn &Sp, const clang::VarDecl *Source,
                        const clang::ParmVarDecl *Token);
  /// Does the class hold a stop signal (an atomic<bool> flag, a stop
  /// source) its threads can watch?
  bool hasStopField(const clang::CXXRecordDecl *RD);

  model::ConcurrencyModel Model;
  model::StopModel Stop;
  const bool AllowWaitedChildren;
  clang::ASTContext *Context = nullptr;
  llvm::DenseSet<const clang::FunctionDecl *> Seen;
  llvm::DenseSet<clang::SourceLocation> Reported;
  llvm::DenseMap<const clang::CXXRecordDecl *, bool> StopFieldCache;
};

} // namespace tether

#endif
