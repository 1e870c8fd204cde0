//===--- Confinement.h - can another thread reach this object? ------------===//
//
// A loop that polls an object waits for another thread to change it. That
// only happens if another thread can reach the object: through `this`, a
// pointer or a reference, a global, a lambda's capture, or a local that
// escapes the function that declares it (its address taken, a reference
// bound to it, a lambda capturing it, a call taking it by reference or
// pointer). A local that does none of that, of a type whose state only its
// holder changes (model::isSelfContained), is confined to its function: a
// poll of it answers what this thread did, and waits for nobody.
//
// The escapes of a function's locals are found in one walk of its body, on
// first request, and kept for every loop of the translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_CONFINEMENT_H
#define TETHER_CHECKS_ANALYSIS_CONFINEMENT_H

#include "AnalysisCache.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace tether::analysis {

class LocalEscapes : public SharedAnalysis {
public:
  static const char ID;
  static LocalEscapes &of(const clang::ASTContext &Ctx);

  /// \p V, a local (or by-value parameter) of the function that declares
  /// it, may be reached from outside that function. True when the function
  /// cannot be walked.
  bool escapes(const clang::VarDecl *V);
  /// The locals of \p FD that escape, each with where: the expression
  /// handed on or the lambda that captures it.
  const llvm::DenseMap<const clang::VarDecl *,
                       llvm::SmallVector<const clang::Stmt *, 2>> &
  sitesOf(const clang::FunctionDecl *FD, const clang::Stmt *Body);

private:
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::DenseMap<const clang::VarDecl *,
                                llvm::SmallVector<const clang::Stmt *, 2>>>
      Escaped;
};

/// Where the object an expression denotes lives.
struct ObjectRoot {
  const clang::VarDecl *Var = nullptr; ///< the variable it is part of
  enum {
    Unknown, ///< a call's result, something else
    Local,   ///< a by-value local or parameter of the code that names it
    Shared,  ///< `this`, a reference, a pointer variable, a global, a
             ///< capture
    Pointee, ///< whatever a pointer or shared_ptr points to (`p->q`, `*p`)
  } Where = Unknown;
};

/// The variable the object \p E denotes is part of (s.q, qs[i], v.front()
/// are parts of s, qs, v), and what kind of variable it is.
ObjectRoot rootOf(const clang::Expr *E);

/// The object \p Obj denotes lives in a local no other thread can reach:
/// it is a Local root that never escapes its function, and its type keeps
/// its state to itself (model::isSelfContained).
bool isConfinedLocal(const clang::Expr *Obj, const clang::ASTContext &Ctx);

/// The object \p Obj denotes lives in a local (of a self-contained type)
/// that only lambdas run by local thread objects reach, and each of those
/// threads is joined, as a statement of its own block, before \p At:
/// whatever they wrote is done and visible, and nobody else can change it
/// (`SimpleThread t([&] { done.fetch_add(1); }); t.join(); ... while (done
/// != 5) {}`). A poll of it at \p At waits for nobody.
bool writersJoinedBefore(const clang::Expr *Obj, const clang::Stmt *At,
                         const clang::ASTContext &Ctx);

} // namespace tether::analysis

#endif
