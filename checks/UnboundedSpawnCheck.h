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
    LeftRunning.clear();
  }

private:
  struct LoopFacts;
  /// What the statements of \p Body (a loop's body, or a function's)
  /// do with the work they start.
  LoopFacts factsOf(const clang::Stmt *Body);
  /// The thread a function of the project called from a loop starts and
  /// leaves running when it returns (detached, or kept in a member): the
  /// per-connection handler an accept loop calls. Null if none.
  struct RunningThread {
    const clang::Expr *Thread = nullptr;
    bool InMember = false; ///< kept in a member rather than detached
  };
  RunningThread threadLeftRunningBy(const clang::FunctionDecl *Callee);
  RunningThread findThreadLeftRunning(const clang::FunctionDecl *Def);
  void checkCalledSpawns(const clang::Stmt *Loop, const clang::Stmt *Body,
                         llvm::StringRef TripSource, bool CountedTrip,
                         const clang::SourceManager &SM);
  /// The thread or task a statement of a loop body starts, if any.
  const clang::Expr *spawnIn(const clang::Stmt *S, bool &IsTask) const;

  model::ConcurrencyModel Model;
  /// Names of counts that size a worker set ("threads", "workers", ...):
  /// a loop bounded by one of them starts a fixed pool, not one per item.
  std::string WorkerCountNames;
  llvm::SmallVector<std::string, 8> WorkerWords;
  llvm::DenseSet<clang::SourceLocation> Reported;
  /// threadLeftRunningBy's answers, once per function of the unit.
  llvm::DenseMap<const clang::FunctionDecl *, RunningThread> LeftRunning;
  struct LoopFacts {
    bool HasBound = false; ///< semaphore, join, wait, running-count check
    llvm::DenseSet<const clang::Expr *> SelfJoining; ///< spawn -> scoped
    llvm::DenseSet<const clang::Expr *> Stored;      ///< spawn -> kept
    llvm::DenseSet<const clang::Expr *> InMember;    ///< kept in a member
  };
};

} // namespace tether

#endif
