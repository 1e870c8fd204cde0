//===--- CallSites.h - who calls a function in this translation unit ------===//
//
// An index of the calls of a translation unit by the function they call (a
// template's instantiations filed under the template), built on the first
// question and shared by every check. It answers "with which arguments is
// this function run here?" (called, or handed with its arguments to a
// thread, a task or a binder): a loop bounded by a parameter that every
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

  /// One place the function is run with known arguments: a call, or an
  /// invocation that hands the function and then exactly its arguments to
  /// something that calls it (`std::thread t(f, a, b)`, `std::async(policy,
  /// f, a)`, `fiber(f, std::ref(c), n)`, `std::bind(&C::f, this, a)`: the
  /// INVOKE convention; a member function's object is not an argument).
  struct Site {
    const clang::Expr *At = nullptr;
    /// What the function receives, in parameter order (a direct call's
    /// defaulted arguments included; an invocation may stop short of
    /// parameters with defaults).
    llvm::SmallVector<const clang::Expr *, 4> Args;
  };

  /// Where \p FD (or its instantiations, when \p FD is a template's
  /// pattern) is run in the translation unit, outside system headers.
  llvm::ArrayRef<Site> callsTo(const clang::FunctionDecl *FD);

  /// The function is also reached other ways than those: its address is
  /// taken, or it is virtual (a caller through a base).
  bool escapes(const clang::FunctionDecl *FD);

private:
  void build();
  const clang::ASTContext &Ctx;
  bool Built = false;
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<Site, 4>>
      Calls;
  llvm::DenseMap<const clang::FunctionDecl *, bool> AddressTaken;
};

} // namespace tether::analysis

#endif
