//===--- BusyWaitCheck.h - tether-busy-wait -------------------------------===//
//
// Nobody spins. A loop that polls (try_pop, try_lock, an atomic load,
// wait_for(0s)) and never blocks, sleeps or backs off when the poll comes
// back empty runs a core at full speed while it waits: Go's
// `for { select { ... default: } }`.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_BUSYWAITCHECK_H
#define TETHER_CHECKS_BUSYWAITCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/LoopAnatomy.h"
#include "analysis/Provenance.h"
#include "model/BlockingModel.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace tether {

class BusyWaitCheck : public clang::tidy::ClangTidyCheck {
public:
  BusyWaitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override {
    Reported.clear();
    AfterAcquire.clear();
  }

private:
  model::BlockingModel Model;
  analysis::Provenance Library;
  /// A loop in a template is seen once per instantiation; report it once.
  llvm::DenseSet<clang::SourceLocation> Reported;
  /// Loops that run after a wait or acquire in the same block (a semaphore
  /// reserved the item the loop polls for): found when the block is matched,
  /// which happens before its loops are.
  llvm::DenseSet<const clang::Stmt *> AfterAcquire;
  void markLoopsAfterAcquire(const clang::CompoundStmt *CS);
  void markLoopsInGuard(const clang::IfStmt *If);
};

} // namespace tether

#endif
