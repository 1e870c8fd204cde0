//===--- ThreadInConstructorCheck.h - tether-thread-in-constructor --------===//
//
// Go's smell: a constructor that calls `go` and returns no Stop. In C++: a
// constructor starts a long-running thread or task kept in a member, and the
// class offers no stop path: no destructor, no stop()/shutdown()/close(), no
// method that signals the loop or joins the thread, no std::stop_token the
// body watches. The work outlives every owner's wish to end it.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_THREADINCONSTRUCTORCHECK_H
#define TETHER_CHECKS_THREADINCONSTRUCTORCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/Provenance.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class ThreadInConstructorCheck : public clang::tidy::ClangTidyCheck {
public:
  ThreadInConstructorCheck(llvm::StringRef Name,
                           clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override { Reported.clear(); }
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  bool hasStopPath(const clang::CXXRecordDecl *RD,
                   const clang::FieldDecl *Field) const;
  bool isStopName(llvm::StringRef Name) const;

  model::ConcurrencyModel Model;
  analysis::Provenance Library;
  const std::string StopMethods;
  std::vector<std::string> StopNames;
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace tether

#endif
