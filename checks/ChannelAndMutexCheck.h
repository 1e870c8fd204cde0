//===--- ChannelAndMutexCheck.h - tether-channel-and-mutex ----------------===//
//
// Pick one owner for a piece of data. The same member or variable both
// handed through a channel (sent, moved, or sent by pointer or reference)
// and read or written while a mutex is held has two owners: the receiver
// that now holds it, and the lock that claims to guard it. The lock no
// longer protects what the receiver does with it, and whoever reads it
// under the lock races with the receiver.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_CHANNELANDMUTEXCHECK_H
#define TETHER_CHECKS_CHANNELANDMUTEXCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/ChannelUses.h"
#include "analysis/LockRegions.h"
#include "model/ChannelModel.h"
#include "model/ConcurrencyModel.h"
#include "model/StopModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <memory>

namespace tether {

class ChannelAndMutexCheck : public clang::tidy::ClangTidyCheck {
public:
  ChannelAndMutexCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context);
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  bool isLock(clang::QualType T) const;
  /// The mentions \p FD makes while holding a lock (memoised).
  llvm::ArrayRef<analysis::LockedMention> lockedIn(const clang::FunctionDecl *FD);

  model::ChannelModel Model;
  model::StopModel Stop;
  /// Lock classes beyond the built-in ones (std/boost lock_guard,
  /// unique_lock, scoped_lock, shared_lock, ...).
  model::NameList LockTypes;
  llvm::StringSet<> LockSet;
  const clang::SourceManager *SM = nullptr;
  clang::ASTContext *Context = nullptr;
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::unique_ptr<llvm::SmallVector<analysis::LockedMention, 4>>>
      Locked;
};

} // namespace tether

#endif
