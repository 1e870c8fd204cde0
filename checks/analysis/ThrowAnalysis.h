//===--- ThrowAnalysis.h - can a thread body let an exception escape? -----===//
//
// What a function can throw, following calls into the project's functions
// whose bodies are visible and honouring try/catch by type. A library's
// bodies (system headers, and the files a Provenance calls a library's:
// vendored code, a copied-in test framework) are not followed, nor are
// throws its macros write (clang-tidy's ExceptionAnalyzer does, and on a
// header-only networking library it runs for minutes): what a library call
// raises is the model's (model::libraryThrowOf: std::stoi, at(), operations
// without their error_code overload). Only what the body can really raise
// counts:
//  - the body's own throw, whatever guards it (that is the body's decision);
//  - a throw in a callee only when no guard on the way to it is a contract
//    check: one that depends on nothing but the callee's own state or
//    constants (`if (!state_) throw` fires only when a caller breaks the
//    object's contract), or one that tests whether an argument was given
//    (`if (!ptr) throw std::invalid_argument`);
//  - a call of a coroutine never throws its body: the exception goes to the
//    coroutine's promise.
// A call to an unknown function is not reported (precision over recall).
// Results are cached per function.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_THROWANALYSIS_H
#define TETHER_CHECKS_ANALYSIS_THROWANALYSIS_H

#include "../model/ExceptionModel.h"
#include "Provenance.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/PointerIntPair.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>
#include <vector>

namespace tether::analysis {

class ThrowAnalysis {
public:
  /// \p KnownThrowing: qualified names of functions taken to throw (members
  /// as "std::vector::at"); \p Ignored: exception types that never count
  /// (boost::thread_interrupted ends a boost::thread cleanly); \p Library:
  /// which files are a library's (vendored code, a copied-in test
  /// framework), whose bodies are not followed either.
  ThrowAnalysis(llvm::ArrayRef<std::string> KnownThrowing,
                llvm::ArrayRef<std::string> Ignored,
                const Provenance *Library = nullptr);

  /// Where an exception leaves a thread's body, and why it can.
  struct Escape {
    /// The throw expression or call in the entry's body it escapes from.
    const clang::Stmt *At = nullptr;
    /// The function called at At; null for the body's own throw.
    const clang::FunctionDecl *Callee = nullptr;
    /// What is thrown ("std::out_of_range"), empty when unknown.
    std::string Thrown;
    /// When: the source of the guard of the throw ("'!f'"), or a library
    /// call's runtime condition; empty when it throws unconditionally.
    std::string When;
    /// A `throw;` that passes on what a handler caught.
    bool Rethrows = false;
  };

  /// Can an exception leave \p Entry? None when not. \p AsCallee judges
  /// \p Entry's own throws as a callee's: a throw only a broken contract
  /// reaches does not count (a coroutine the task awaits, whose
  /// `if (is_closed()) throw` fires only once its owner closed it).
  std::optional<Escape> escapingThrow(const clang::FunctionDecl *Entry,
                                      bool AsCallee = false);

  /// Why the library call (or model-listed function) at \p S throws, when
  /// the model says it does (ThrowingFunctions and the built-in list).
  std::optional<model::ThrowReason> libraryThrow(const clang::Stmt *S) const;

private:
  bool ignored(const clang::CXXThrowExpr *Throw) const;
  /// Does \p TryBlock raise anything, whatever catches it?
  bool raises(const clang::Stmt *TryBlock, unsigned Level, unsigned Depth);
  const clang::Stmt *locate(const clang::Stmt *S, unsigned Level,
                            unsigned Depth);
  const clang::Stmt *originOf(const clang::FunctionDecl *FD) const;
  const clang::Stmt *escapesFrom(const clang::FunctionDecl *FD,
                                 unsigned Depth);

  llvm::StringSet<> IgnoredTypes;
  const Provenance *Library;
  bool writtenByLibrary(const clang::Decl *D) const;
  /// Keyed by the try block and whether its entry is judged as a callee.
  llvm::DenseMap<llvm::PointerIntPair<const clang::Stmt *, 1, bool>, bool>
      Raises;
  llvm::DenseMap<llvm::PointerIntPair<const clang::FunctionDecl *, 1, bool>,
                 const clang::Stmt *>
      Cache;
  /// The entry being located is judged as a callee (escapingThrow's
  /// AsCallee): contract guards count at its own level too.
  bool EntryIsCallee = false;
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Stmt *> Inner;
  /// The throw expression (or known call) a function's escape starts at.
  llvm::DenseMap<const clang::FunctionDecl *, const clang::Stmt *> Origin;
  /// Types caught by the handlers around the statement being located.
  llvm::SmallVector<clang::QualType, 4> Caught;
  /// How many enclosing trys catch std::exception (what libraries throw).
  unsigned LibraryGuarded = 0;
  /// What \p Origin throws gets past the enclosing handlers.
  bool uncaught(const clang::Stmt *Origin) const;
  /// The condition of an if or ?: around a statement, and which branch the
  /// statement is on (Else: it runs when the condition is false).
  struct Guard {
    const clang::Expr *Cond = nullptr;
    bool Else = false;
  };
  /// The guards around the statement being located, in the function being
  /// located (Current).
  llvm::SmallVector<Guard, 4> Guards;
  /// Conditions a wait earlier in an enclosing block established
  /// (BlockingModel::conditionWaitedFor): they say what holds, like a
  /// guard, but are no contract check.
  llvm::SmallVector<const clang::Expr *, 2> WaitedFor;
  const clang::FunctionDecl *Current = nullptr;
  /// The guard of each origin throw, when it has one.
  llvm::DenseMap<const clang::Stmt *, Guard> GuardOf;
  bool guardedByContract() const;
  /// The statement runs only when a timer's wait was cancelled
  /// (testsCancelledWaitError): what it throws is the stop, no failure.
  bool guardedByCancellation() const;
  /// testsCancelledWaitError's answer per guard condition: it reads the
  /// whole function, and every statement under the guard asks.
  mutable llvm::DenseMap<const clang::Expr *, bool> CancelledWaitGuards;
  /// A condition the call runs under tests the object it is made on (`if
  /// (j.is_number()) j.get<double>()`, `if (m.count(k)) m.at(k)`), or a
  /// wait before it returned only once its predicate tested it
  /// (`cv.wait(lk, [&] { return slot.has_value(); }); slot.value()`): the
  /// code checked what the library would throw on.
  bool guardsItsObject(const clang::CallExpr *Call) const;
  /// A checked access with a key the function was handed (`pool_.at(id)`
  /// in `reset_client(int id)`, `stats.at(worker_id)` in a task its
  /// spawner numbered): out of range only when the caller or spawner broke
  /// the function's contract, like a guard on its own state.
  bool accessesByCallersKey(const clang::CallExpr *Call) const;
  std::vector<std::string> KnownNames;
};

} // namespace tether::analysis

#endif
