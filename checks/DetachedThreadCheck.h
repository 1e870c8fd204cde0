//===--- DetachedThreadCheck.h - tether-detached-thread -------------------===//
//
// Every thread has an owner who can stop it and see it finish. detach()
// gives that up: nothing can ask the thread to stop, wait for it at
// shutdown, or learn that it failed.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_DETACHEDTHREADCHECK_H
#define TETHER_CHECKS_DETACHEDTHREADCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/Provenance.h"
#include "model/BlockingModel.h"
#include "model/ChannelModel.h"
#include "model/ConcurrencyModel.h"
#include "model/CoroutineSpawn.h"
#include "model/ThreadSpawn.h"
#include "llvm/ADT/DenseSet.h"

namespace tether {

class DetachedThreadCheck : public clang::tidy::ClangTidyCheck {
public:
  DetachedThreadCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void onEndOfTranslationUnit() override {
    Reported.clear();
    CreatedBy.clear();
    AssignedBefore.clear();
  }

private:
  bool isForwardedByHandle(const clang::CXXMemberCallExpr *Call) const;
  bool isDetachedByHolder(const clang::CXXMemberCallExpr *Call) const;
  /// The body's end is seen (a completion signal handed to it, or a last
  /// step that tells a waiter), and it can be stopped or ends by itself;
  /// for a fiber, whose thread's scheduler waits for it, being stoppable
  /// or ending in bounded time is enough.
  bool ownedByHandle(const model::ThreadSpawn &Spawn, bool Fiber) const;
  void checkDroppedStartedThread(const clang::VarDecl *Var,
                                 const clang::SourceManager &SM);
  void checkDetachingGuard(const clang::VarDecl *Var,
                           const clang::SourceManager &SM);
  void checkFireAndForget(const clang::CallExpr *Call,
                          const clang::SourceManager &SM,
                          clang::ASTContext &Ctx);
  /// A co_spawn with a token that loses the end, or a call of a coroutine
  /// whose return type owns nothing of its task.
  void checkCoroutineSpawn(const model::CoroutineSpawn &Spawn,
                           const clang::SourceManager &SM);
  model::ConcurrencyModel Model;
  model::ChannelModel Channels;
  /// What waits without a deadline, for a fiber's bounded end.
  model::BlockingModel Blocking;
  /// Vendored code and copied-in test frameworks: a coroutine's failure is
  /// not read from their throws.
  analysis::Provenance Library;
  /// A call in a template is seen once per instantiation; report it once.
  llvm::DenseSet<clang::SourceLocation> Reported;
  /// pthread_t handle -> the pthread_create that filled it.
  llvm::DenseMap<const clang::ValueDecl *, const clang::CallExpr *> CreatedBy;
  /// `h.detach()` -> the construction the statements before it in its block
  /// assigned to h (`fiber_ = fiber(f); fiber_.detach();`). Blocks are
  /// matched before the calls in them.
  llvm::DenseMap<const clang::CallExpr *, const clang::Expr *> AssignedBefore;
};

} // namespace tether

#endif
