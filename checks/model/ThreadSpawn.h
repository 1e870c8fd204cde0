//===--- ThreadSpawn.h - where a thread starts and what it is handed ------===//
//
// A spawn is the expression that starts concurrent work: a thread
// constructor, pthread_create, a task spawner. Checks use it to point a note
// at where the work began and to ask what the creator handed the body
// (a stop signal? a completion signal?).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_THREADSPAWN_H
#define TETHER_CHECKS_MODEL_THREADSPAWN_H

#include "ConcurrencyModel.h"
#include "StdLibrary.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

namespace tether::model {

struct ThreadSpawn {
  const clang::Expr *Site = nullptr;     ///< the constructor or call
  const clang::Expr *Callable = nullptr; ///< the body, when visible
  llvm::SmallVector<const clang::Expr *, 4> Args; ///< passed to the body
  bool StartsThread = false; ///< false for a move, copy or default ctor
  /// What the creator writes the thread's id to: `tid` in
  /// pthread_create(&tid, ...). Null for constructions.
  const clang::Expr *Handle = nullptr;
  explicit operator bool() const { return Site && StartsThread; }
};

/// The thread a constructor expression starts, if it starts one
/// (std::thread t(f, args...), std::jthread{lambda}, boost::thread(f)).
ThreadSpawn spawnOfConstruct(const clang::CXXConstructExpr *CE);

/// pthread_create(&tid, attr, fn, arg).
ThreadSpawn spawnOfCreateCall(const clang::CallExpr *CE);

/// Roles (StopSignal, CompletionSignal) of what the creator hands the body:
/// the extra arguments and the lambda's captures. A jthread body that takes
/// a std::stop_token is handed a stop signal.
unsigned handedRoles(const ThreadSpawn &S, const ConcurrencyModel &Model);

/// The body reaches the spawner's own locals: the lambda captures a local
/// variable or parameter by reference (`[&]`, `[&buf]`, an init-capture of
/// a reference), or a local is passed with std::ref. Such a body must not
/// outlive the spawning call, whatever else it does.
bool borrowsSpawnerLocals(const ThreadSpawn &S);

/// The packaged task variable the spawn runs as its whole body
/// (`std::thread(std::move(task))`, `fibers::fiber{std::move(pt)}`), or null.
/// Whoever took its future holds the task's result, its exception and the
/// wait for its end, as with std::async.
const clang::VarDecl *packagedTaskRun(const ThreadSpawn &S);

/// In a template, std::thread(lambda) is not resolved yet: the same shape
/// with the arguments as written.
ThreadSpawn spawnOfUnresolved(const clang::CXXUnresolvedConstructExpr *CE);

/// Looks through the wrappers clang puts around an object expression
/// (temporaries, functional casts, implicit casts) to the thread
/// construction, if the expression is one: a CXXConstructExpr, or in a
/// template pattern a CXXUnresolvedConstructExpr.
const clang::Expr *underlyingConstruct(const clang::Expr *E);

/// The thread construction the object \p Object denotes, when that is
/// visible: a temporary (`std::thread(f).detach()`), or a local initialised
/// in place (`std::thread t(f); t.detach();`).
const clang::Expr *constructionBehind(const clang::Expr *Object);

/// The construction the pointer \p P points to: `new fiber(f)`, a smart
/// pointer made from one (`std::unique_ptr<std::thread>(new std::thread(f))`),
/// through locals initialised so. Null when not visible.
const clang::Expr *constructionPointedBy(const clang::Expr *P,
                                         unsigned Depth = 0);

/// The spawn of what underlyingConstruct returned.
ThreadSpawn spawnOf(const clang::Expr *Construct);

} // namespace tether::model

#endif
