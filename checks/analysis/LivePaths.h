//===--- LivePaths.h - is there a path on which the handle leaks? ---------===//
//
// The all-paths question of structured concurrency, over clang's CFG: from
// where a handle starts owning work, is there a path to the end of the
// handle's lifetime (its destructor in the CFG: return, break, continue,
// goto, end of scope) on which it is neither released nor handed on?
// A forward may-analysis with one bit per block: "live on some path here".
// Liveness tests (if (t.joinable())) clear the bit on their false edge.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_LIVEPATHS_H
#define TETHER_CHECKS_ANALYSIS_LIVEPATHS_H

#include "HandleUses.h"
#include "clang/Analysis/CFG.h"
#include <optional>

namespace tether::analysis {

struct LeakPath {
  /// Where the handle started owning the work that leaks.
  const clang::Stmt *Acquire = nullptr;
  /// What ends the handle's life on the leaking path (a return, break,
  /// goto, or the compound statement whose end is reached).
  const clang::Stmt *Exit = nullptr;
  /// With exception paths: the call that may throw while the handle is live.
  const clang::Expr *ThrowingCall = nullptr;
  clang::SourceLocation exitLoc() const;
};

struct LivePathOptions {
  bool LiveAtEntry = false;     ///< a by-value parameter
  bool ExceptionPaths = false;  ///< a throwing call while live is a leak
};

/// Builds the CFG LivePaths needs: implicit destructors, every statement an
/// element. Returns null when clang cannot build one.
std::unique_ptr<clang::CFG> buildHandleCFG(const clang::Decl *Fn,
                                           clang::Stmt *Body,
                                           clang::ASTContext &Ctx);

std::optional<LeakPath> findLeakPath(const clang::CFG &Cfg,
                                     const clang::VarDecl *Handle,
                                     const HandleUses &Uses,
                                     const LivePathOptions &Options);

} // namespace tether::analysis

#endif
