//===--- AsyncModel.h - which calls start an asynchronous operation -------===//
//
// An asynchronous operation takes a completion handler and returns at once;
// the handler runs later, on an executor. Built in: Asio (boost::asio and
// standalone asio) initiating functions and members whose name starts with
// async_, asio::post/dispatch/defer and co_spawn's completion token, and
// future continuations (.then(...)). Extendable through CheckOptions
// (AsyncFunctions, ContinuationMethods), read locally first and then
// globally, like the other models.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_ASYNCMODEL_H
#define TETHER_CHECKS_MODEL_ASYNCMODEL_H

#include "ConcurrencyModel.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringSet.h"

namespace tether::model {

class AsyncModel {
public:
  explicit AsyncModel(clang::tidy::ClangTidyCheck::OptionsView &Options);

  /// Writes the user extensions back (storeOptions must round-trip them).
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;

  /// The lambda \p Call hands an asynchronous operation as its completion
  /// handler (its last argument, looking through asio::bind_executor and
  /// similar wrappers), or null when \p Call is not such an operation or its
  /// handler is not a lambda written at the call.
  const clang::LambdaExpr *completionHandler(const clang::CallExpr *Call) const;

private:
  bool isAsyncOperation(const clang::CallExpr *Call,
                        const clang::FunctionDecl *FD) const;

  NameList AsyncFunctions, ContinuationMethods;
  llvm::StringSet<> AsyncSet, ContinuationSet;
};

} // namespace tether::model

#endif
