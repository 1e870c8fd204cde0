//===--- SignalHandlers.h - what only a signal handler writes -------------===//
//
// The functions a translation unit installs as POSIX signal handlers
// (`std::signal(SIGINT, on_signal)`, `signal`, `sigset`, `bsd_signal`, a
// `struct sigaction`'s `sa_handler` or `sa_sigaction`) and, for each global
// variable, who writes it. A flag that only a signal handler writes can only
// be polled: a handler may not lock a mutex or notify a condition variable
// (neither is async-signal-safe), so the program's side of a shutdown
// request is a loop that checks the flag between naps. Built on the first
// question (a candidate loop), once per translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_SIGNALHANDLERS_H
#define TETHER_CHECKS_ANALYSIS_SIGNALHANDLERS_H

#include "AnalysisCache.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace tether::analysis {

class SignalHandlers : public SharedAnalysis {
public:
  static const char ID;
  static SignalHandlers &of(const clang::ASTContext &Ctx);
  explicit SignalHandlers(const clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// \p FD is installed as a signal handler in this translation unit.
  bool isHandler(const clang::FunctionDecl *FD);

  /// Every write of the global \p V this translation unit shows (an
  /// assignment, ++/--, a non-const member call such as an atomic's
  /// store()) is in the body of a signal handler, and there is one. Its
  /// address taken or bound to a non-const reference counts as a write by
  /// anyone.
  bool writtenOnlyByHandlers(const clang::VarDecl *V);

  struct Writers {
    llvm::SmallPtrSet<const clang::FunctionDecl *, 2> Functions;
    bool Anywhere = false; ///< the address escapes, or written at file scope
  };

private:
  void build();
  const clang::ASTContext &Ctx;
  bool Built = false;
  llvm::SmallPtrSet<const clang::FunctionDecl *, 4> Handlers;
  llvm::DenseMap<const clang::VarDecl *, Writers> WritersOf;
};

} // namespace tether::analysis

#endif
