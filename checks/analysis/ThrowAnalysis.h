//===--- ThrowAnalysis.h - can a thread body let an exception escape? -----===//
//
// Wraps clang-tidy's utils::ExceptionAnalyzer (what a function can throw,
// following calls whose bodies are visible and honouring try/catch) and adds
// what it cannot see: standard library calls declared in headers whose
// throwing helpers have no body (std::stoi, vector::at, future::get). Results
// are cached per entry function. Only a definite "throws" counts: a call to
// an unknown function is not reported (precision over recall).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_THROWANALYSIS_H
#define TETHER_CHECKS_ANALYSIS_THROWANALYSIS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <memory>

namespace clang::tidy::utils {
class ExceptionAnalyzer;
} // namespace clang::tidy::utils

namespace tether::analysis {

class ThrowAnalysis {
public:
  /// \p KnownThrowing: qualified names of functions taken to throw (members
  /// as "std::vector::at"); \p Ignored: exception types that never count
  /// (boost::thread_interrupted ends a boost::thread cleanly).
  ThrowAnalysis(llvm::ArrayRef<std::string> KnownThrowing,
                llvm::ArrayRef<std::string> Ignored);
  ~ThrowAnalysis();

  /// Can an exception leave \p Entry? Null when not, else the throw
  /// expression or call inside \p Entry's body it escapes from.
  const clang::Stmt *escapingThrow(const clang::FunctionDecl *Entry);

private:
  bool throws(const clang::Stmt *S);
  bool isKnownThrowing(const clang::FunctionDecl *FD) const;
  bool knownThrowIn(const clang::Stmt *S, bool Guarded) const;
  const clang::Stmt *locate(const clang::Stmt *S, unsigned Level,
                            unsigned Depth);
  const clang::Stmt *originOf(const clang::FunctionDecl *FD) const;
  const clang::Stmt *escapesFrom(const clang::FunctionDecl *FD,
                                 unsigned Depth);

  std::unique_ptr<clang::tidy::utils::ExceptionAnalyzer> Analyzer;
  llvm::StringSet<> Known, IgnoredTypes;
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Stmt *> Cache;
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Stmt *> Inner;
  /// The throw expression (or known call) a function's escape starts at.
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Stmt *> Origin;
  /// Types caught by the handlers around the statement being located.
  llvm::SmallVector<clang::QualType, 4> Caught;
};

} // namespace tether::analysis

#endif
