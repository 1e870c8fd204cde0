//===--- NoReturnModel.h - which calls never come back --------------------===//
//
// A call that never returns ends every path through it: a handler that calls
// abort() has reported its exception (the process is gone), a loop that
// calls exit() has left, a thread that calls pthread_exit() has ended. One
// answer for every check: [[noreturn]] functions, the process and thread
// enders, configured NoReturnFunctions (a project's fatal() defined in
// another file), and a project helper whose body always reaches one of those
// or a throw (an assert helper: `void fail(msg) { log(msg); std::abort(); }`),
// followed one level deep.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_NORETURNMODEL_H
#define TETHER_CHECKS_MODEL_NORETURNMODEL_H

#include "ConcurrencyModel.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"

namespace tether::model {

class NoReturnModel {
public:
  explicit NoReturnModel(clang::tidy::ClangTidyCheck::OptionsView &Options);
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;

  /// The function never returns to its caller: it ends the process or the
  /// thread, jumps away, or (a helper with a visible body) always throws.
  bool neverReturns(const clang::FunctionDecl *FD) const;
  /// The call is to such a function.
  bool neverReturns(const clang::CallExpr *Call) const;
  /// \p S never completes normally: a throw, or a call that never returns.
  bool endsPath(const clang::Stmt *S) const;

private:
  bool neverReturns(const clang::FunctionDecl *FD, unsigned Depth) const;
  bool endsPath(const clang::Stmt *S, unsigned Depth) const;
  NameList NoReturnFunctions;
  std::vector<std::string> Names;
  mutable llvm::DenseMap<const clang::FunctionDecl *, bool> Cache;
};

} // namespace tether::model

#endif
