//===--- CallSites.h - who calls a function in this translation unit ------===//
//
// An index of the calls of a translation unit by the function they call (a
// template's instantiations filed under the template), built on the first
// question and shared by every check. It answers "with which arguments is
// this function called here?": a loop bounded by a parameter that every
// caller passes a constant is a fixed loop.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_CALLSITES_H
#define TETHER_CHECKS_ANALYSIS_CALLSITES_H

#include "AnalysisCache.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace tether::analysis {

class CallSites : public SharedAnalysis {
public:
  static const char ID;
  static CallSites &of(const clang::ASTContext &Ctx);
  explicit CallSites(const clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// The calls of \p FD (or of its instantiations, when \p FD is a
  /// template's pattern) in the translation unit, outside system headers.
  llvm::ArrayRef<const clang::CallExpr *> callsTo(const clang::FunctionDecl *FD);

  /// The function is also reached other ways than a direct call: its
  /// address is taken, or it is virtual (a caller through a base).
  bool escapes(const clang::FunctionDecl *FD);

private:
  void build();
  const clang::ASTContext &Ctx;
  bool Built = false;
  llvm::DenseMap<const clang::FunctionDecl *,
                 llvm::SmallVector<const clang::CallExpr *, 4>>
      Calls;
  llvm::DenseMap<const clang::FunctionDecl *, bool> AddressTaken;
};

} // namespace tether::analysis

#endif
