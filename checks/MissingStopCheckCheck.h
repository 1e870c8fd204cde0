//===--- MissingStopCheckCheck.h - tether-missing-stop-check --------------===//
//
// Every long-running loop watches its cancellation. A thread body whose
// loop cannot observe a stop request keeps its owner waiting in join()
// forever: a std::stop_token that is never looked at, a loop with no way
// out, a plain bool used as a stop flag (a data race the optimiser may turn
// into an endless loop), a std::condition_variable wait a stop cannot wake.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MISSINGSTOPCHECKCHECK_H
#define TETHER_CHECKS_MISSINGSTOPCHECKCHECK_H

#include "ClangTidyCheck.h"
#include "model/ConcurrencyModel.h"
#include "model/StopModel.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace tether {

class MissingStopCheckCheck : public clang::tidy::ClangTidyCheck {
public:
  MissingStopCheckCheck(llvm::StringRef Name,
                        clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override {
    StopAware.clear();
    Entries.clear();
    Reported.clear();
  }

private:
  /// A function with a stop token parameter: is the token consulted, does
  /// it wait where a stop cannot wake it?
  void checkStopAware(const clang::FunctionDecl *FD, const clang::Expr *Spawn);
  /// The loops of a thread body: no exit, or a plain bool stop flag.
  /// \p Spawn is where the thread starts (for a note), or null.
  void checkEntryLoops(const clang::FunctionDecl *FD, const clang::Expr *Spawn,
                       const clang::FunctionDecl *Via);
  void checkPlainFlag(const clang::FunctionDecl *FD, const clang::Stmt *Loop,
                      const clang::Expr *Spawn,
                      const clang::FunctionDecl *Via);
  bool observesStop(const clang::Stmt *S) const;
  bool alreadyReported(const clang::Stmt *Loop) const;
  void spawnNote(const clang::Expr *Spawn, const clang::FunctionDecl *Via);

  model::ConcurrencyModel Model;
  model::StopModel Stop;
  clang::ASTContext *Context = nullptr;
  llvm::DenseSet<const clang::FunctionDecl *> StopAware, Entries;
  /// Loops (by file location) already reported: a body reached from a
  /// template's instantiations, or from both a spawn and its token, once.
  llvm::DenseSet<clang::SourceLocation> Reported;
  llvm::SmallVector<clang::SourceRange, 8> ReportedLoops;
  /// The loops being checked are a QThread subclass's run(): stopped by
  /// requestInterruption(), waited for by wait().
  bool StartedThreadRun = false;
};

} // namespace tether

#endif
