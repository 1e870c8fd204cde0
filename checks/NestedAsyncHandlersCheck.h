//===--- NestedAsyncHandlersCheck.h - tether-nested-async-handlers --------===//
//
// Go's smell: select blocks nested deep inside each other hide an actor or a
// state machine. In C++: completion handlers of asynchronous operations (Asio
// async_* calls, post/dispatch/defer, future .then continuations) written as
// lambdas inside lambdas, deeper than a limit. Off by default.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_NESTEDASYNCHANDLERSCHECK_H
#define TETHER_CHECKS_NESTEDASYNCHANDLERSCHECK_H

#include "ClangTidyCheck.h"
#include "model/AsyncModel.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace tether {

class NestedAsyncHandlersCheck : public clang::tidy::ClangTidyCheck {
public:
  NestedAsyncHandlersCheck(llvm::StringRef Name,
                           clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    Walked.clear();
    Reported.clear();
  }
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  /// One level of nesting: the async call and the lambda it was handed.
  struct Level {
    const clang::CallExpr *Call;
    const clang::LambdaExpr *Handler;
  };
  unsigned walk(const clang::Stmt *S, llvm::SmallVectorImpl<Level> &Chain,
                bool Reporting, const clang::SourceManager &SM,
                unsigned Depth);
  void report(llvm::ArrayRef<Level> Chain, unsigned Deepest,
              const clang::SourceManager &SM);

  model::AsyncModel Async;
  const unsigned MaxDepth;
  /// Handler lambdas already inside a walked tree: their own match is not
  /// an outermost handler.
  llvm::DenseSet<const clang::LambdaExpr *> Walked;
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace tether

#endif
