//===--- UnboundedSpawnCheck.h - tether-unbounded-spawn -------------------===//
//
// Bounded fan-out: never one thread per input item without a limit. A loop
// whose trip count comes from runtime data (a container, a parameter, an
// accept loop) and that starts a thread or task on every iteration, with no
// semaphore, pool, batch join or running count between them, lets the input
// decide how many threads the process runs.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_UNBOUNDEDSPAWNCHECK_H
#define TETHER_CHECKS_UNBOUNDEDSPAWNCHECK_H

#include "ClangTidyCheck.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class UnboundedSpawnCheck : public clang::tidy::ClangTidyCheck {
public:
  UnboundedSpawnCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override {
    Reported.clear();
  }

private:
  struct LoopFacts;
  LoopFacts factsOf(const clang::Stmt *Loop);
  /// The thread or task a statement of a loop body starts, if any.
  const clang::Expr *spawnIn(const clang::Stmt *S, bool &IsTask) const;

  model::ConcurrencyModel Model;
  /// Names of counts that size a worker set ("threads", "workers", ...):
  /// a loop bounded by one of them starts a fixed pool, not one per item.
  std::string WorkerCountNames;
  llvm::SmallVector<std::string, 8> WorkerWords;
  llvm::DenseSet<clang::SourceLocation> Reported;
  struct LoopFacts {
    bool HasBound = false; ///< semaphore, join, wait, running-count check
    llvm::DenseSet<const clang::Expr *> SelfJoining; ///< spawn -> scoped
    llvm::DenseSet<const clang::Expr *> Stored;      ///< spawn -> kept
    llvm::DenseSet<const clang::Expr *> InMember;    ///< kept in a member
  };
};

} // namespace tether

#endif
