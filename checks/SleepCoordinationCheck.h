//===--- SleepCoordinationCheck.h - tether-sleep-coordination -------------===//
//
// A sleep is not a synchronisation. Sleeping "long enough" for another
// thread to get somewhere (after starting it and before reading what it
// produces, or between polls of a flag it will set) is a guess: too short
// and the read races, too long and every caller waits for nothing. Go's
// time.Sleep as coordination. Off by default.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_SLEEPCOORDINATIONCHECK_H
#define TETHER_CHECKS_SLEEPCOORDINATIONCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/LoopAnatomy.h"
#include "model/BlockingModel.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Regex.h"
#include <memory>

namespace tether {

class SleepCoordinationCheck : public clang::tidy::ClangTidyCheck {
public:
  SleepCoordinationCheck(llvm::StringRef Name,
                         clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override;
  void reset() {
    CandidateLoops.clear();
    Sleeps.clear();
    Reported.clear();
    ExemptFiles.clear();
  }

private:
  bool exempt(clang::SourceLocation Loc, const clang::SourceManager &SM);
  void checkLoop(const clang::Stmt *Loop, const clang::SourceManager &SM);
  /// Every poll of the loop reads a flag only signal handlers write: a
  /// handler can do nothing but set it, so polling is the only way to wait.
  bool pollsOnlySignalFlags(const analysis::LoopAnatomy &A);
  void checkSequence(const clang::CompoundStmt *CS,
                     const clang::SourceManager &SM);

  model::BlockingModel Blocking;
  model::ConcurrencyModel Model;
  const std::string TestFilePattern;
  llvm::Regex TestFiles;
  clang::ASTContext *Context = nullptr;
  llvm::DenseSet<clang::SourceLocation> Reported;
  llvm::DenseMap<clang::FileID, bool> ExemptFiles;
  /// Loops are analysed at the end of the TU, and only those that contain
  /// a sleep: most translation units have none.
  std::vector<const clang::Stmt *> CandidateLoops;
  std::vector<std::pair<clang::FileID, unsigned>> Sleeps; ///< (file, offset)
  const clang::SourceManager *SM = nullptr;
};

} // namespace tether

#endif
