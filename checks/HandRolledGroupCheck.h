//===--- HandRolledGroupCheck.h - tether-hand-rolled-group ----------------===//
//
// A counter, a mutex and a condition variable that waits for the counter to
// reach zero is a wait group written by hand (Go's WaitGroup + chan + Once
// before errgroup). std::latch, std::barrier or a task group say the same
// thing in one object, and cannot miss a notify or a decrement.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_HANDROLLEDGROUPCHECK_H
#define TETHER_CHECKS_HANDROLLEDGROUPCHECK_H

#include "ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"

namespace tether {

class HandRolledGroupCheck : public clang::tidy::ClangTidyCheck {
public:
  HandRolledGroupCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context) {}
  bool isLanguageVersionSupported(const clang::LangOptions &LO) const override {
    return LO.CPlusPlus11;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  void noteWait(const clang::ValueDecl *Counter,
                const clang::CXXMemberCallExpr *Wait,
                const clang::SourceManager &SM);
  struct Wait {
    clang::SourceLocation Loc;
    /// A Boost.Fiber condition variable: the waiter is a fiber, whose
    /// replacement is not std::latch (that would block the whole thread).
    bool Fiber;
  };
  /// counter -> the wait for it to reach zero (first seen).
  llvm::MapVector<const clang::ValueDecl *, Wait> Waits;
  /// counter -> its decrements, in the order seen.
  llvm::DenseMap<const clang::ValueDecl *,
                 llvm::SmallVector<const clang::Expr *, 2>>
      Decrements;
  clang::ASTContext *Context = nullptr;
};

} // namespace tether

#endif
