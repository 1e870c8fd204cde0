//===--- LockRegions.h - what a body touches while it holds a lock --------===//
//
// One walk over a body (lambdas not entered: they run elsewhere) that
// records the variables and members of `this` it names while a lock is held:
// from a lock object's declaration (std::lock_guard, unique_lock,
// scoped_lock, shared_lock, the Boost ones, configured types) to the end of
// its block or its unlock(), and between `m.lock()` and `m.unlock()` in one
// block. A unique_lock made with std::defer_lock holds nothing until its
// lock().
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_LOCKREGIONS_H
#define TETHER_CHECKS_ANALYSIS_LOCKREGIONS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <utility>

namespace tether::analysis {

/// (variable, member): {v, null} a variable, {null, f} this->f, {v, f} v.f
/// (the same shape as a ChannelKey).
using ObjectKey =
    std::pair<const clang::ValueDecl *, const clang::FieldDecl *>;

struct LockedMention {
  ObjectKey Key;
  const clang::Expr *Mention; ///< the DeclRefExpr or MemberExpr
};

/// Every mention of a variable or member in \p Body made while a lock is
/// held. \p IsLock says whether a type is a lock object.
void collectLockedMentions(const clang::Stmt *Body,
                           llvm::function_ref<bool(clang::QualType)> IsLock,
                           llvm::SmallVectorImpl<LockedMention> &Out);

} // namespace tether::analysis

#endif
