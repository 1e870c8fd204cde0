//===--- UnjoinedTaskCheck.h - tether-unjoined-task -----------------------===//
//
// Structured concurrency: a function that starts concurrent work returns only
// after the work finished, or hands the handle to an owner that will wait.
// In C++ a joinable std::thread destroyed calls std::terminate, a future
// nobody reads loses the task's exception, and a discarded std::async future
// blocks in its destructor so the "background" work runs in the foreground.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_UNJOINEDTASKCHECK_H
#define TETHER_CHECKS_UNJOINEDTASKCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/MemberRelease.h"
#include "analysis/Provenance.h"
#include "model/ConcurrencyModel.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"

namespace tether {

class UnjoinedTaskCheck : public clang::tidy::ClangTidyCheck {
public:
  UnjoinedTaskCheck(llvm::StringRef Name,
                    clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  struct LocalHandles {
    llvm::SmallVector<const clang::VarDecl *, 2> Threads;
    /// std::vector<std::thread> and the like.
    llvm::SmallVector<const clang::VarDecl *, 1> Containers;
    /// tbb::task_group: run() starts work, wait() ends the obligation.
    llvm::SmallVector<const clang::VarDecl *, 1> TaskGroups;
    /// QThread: start() starts it, wait() ends the obligation.
    llvm::SmallVector<const clang::VarDecl *, 1> StartedThreads;
  };
  void checkLocalThreads(const clang::Decl *Fn, const LocalHandles &Locals);
  void checkThreadMember(const clang::FieldDecl *Field);
  void checkStartedThreadMember(const clang::FieldDecl *Field,
                                const clang::CXXRecordDecl *RD);
  void checkTaskGroupMember(const clang::FieldDecl *Field,
                            const clang::CXXRecordDecl *RD);
  void checkDestructionOrder(const clang::FieldDecl *Field,
                             const clang::CXXRecordDecl *RD);
  std::optional<clang::FixItHint>
  jthreadFix(const clang::FieldDecl *Field, const clang::CXXRecordDecl *RD,
             bool Direct, analysis::MemberRelease &Release);
  void checkDiscardedSpawn(const clang::CallExpr *Call,
                           const clang::Stmt *Statement,
                           const clang::CompoundStmt *Block);
  void checkUnreadFuture(const clang::VarDecl *Future);

  model::ConcurrencyModel Model;
  /// Which files are a library's: their throws are no task's failure.
  analysis::Provenance Library;
  const bool ExceptionPaths;
  /// The future \p Future of the task \p Spawn starts carries nothing a
  /// reader could lose: it holds no value (future<void>) and the task's
  /// body cannot end with an exception (analysis::taskFailure).
  bool carriesNothing(const clang::CallExpr *Spawn,
                      clang::QualType Future) const;
  clang::ASTContext *Context = nullptr;
  clang::Preprocessor *PP = nullptr;
  /// What destroying a joinable handle of type \p Handle does, for
  /// messages: "calls std::terminate", or for a boost::thread built without
  /// BOOST_THREAD_PROVIDES_THREAD_DESTRUCTOR_CALLS_TERMINATE_IF_JOINABLE
  /// (Boost.Thread's version 2, the default) "detaches it".
  llvm::StringRef joinableDestruction(clang::QualType Handle) const;
  /// Thread locals (and local containers of threads) found while matching,
  /// grouped by the function that holds them: one CFG per function, built
  /// at the end of the TU.
  llvm::MapVector<const clang::Decl *, LocalHandles> LocalThreads;
  llvm::DenseSet<const clang::Decl *> SeenFields;
};

} // namespace tether

#endif
