//===--- ThreadEntries.h - the code that runs as a thread or task body -----===//
//
// A thread entry is the callable a spawn runs: a lambda, a function, a
// member function (&C::run, this) or a function object handed to
// std::thread, std::jthread, boost::thread, std::async, pthread_create or a
// configured task spawner. Checks that reason about what a body does
// (does its loop watch for a stop? does it hand its token on?) start here.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_THREADENTRIES_H
#define TETHER_CHECKS_ANALYSIS_THREADENTRIES_H

#include "../model/ThreadSpawn.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/SmallVector.h"

namespace tether::analysis {

enum class SpawnKind {
  Thread,  ///< a thread class constructed (std::thread, std::jthread, ...)
  Task,    ///< a task spawner call (std::async, pool submit)
  CThread, ///< pthread_create and configured C creators
};

struct Spawn {
  model::ThreadSpawn S;
  SpawnKind Kind = SpawnKind::Thread;
  bool Joining = false; ///< the thread joins itself (std::jthread)
  /// The class or function that starts it, for messages: "std::jthread".
  std::string What;
};

/// The spawn \p E is, if it starts concurrent work: a thread construction,
/// a task spawner call, pthread_create, or emplace_back/emplace on a
/// container of threads (the thread is constructed inside the container).
std::optional<Spawn> spawnAt(const clang::Expr *E,
                             const model::ConcurrencyModel &Model);

/// Registers, bound to "spawn", every expression spawnAt may accept: thread
/// constructions (classes derived from one too), thread-create and
/// task-spawner calls, and emplace calls (spawnAt keeps those on containers
/// of threads). Nothing in system headers.
void addSpawnMatchers(clang::ast_matchers::MatchFinder *Finder,
                      clang::ast_matchers::MatchFinder::MatchCallback *CB,
                      const model::ConcurrencyModel &Model);

/// Every spawn in \p Body, in source order. Lambda bodies are not entered
/// (a lambda passed as the callable is still seen as part of the spawn).
void findSpawns(const clang::Stmt *Body, const model::ConcurrencyModel &Model,
                llvm::SmallVectorImpl<Spawn> &Out);

/// The function that runs as the body of a spawn's callable, if visible:
/// the lambda's call operator, the named function or member function, or a
/// function object's operator(). Null for std::bind results, function
/// pointers held in variables, generic lambdas.
const clang::FunctionDecl *entryOf(const clang::Expr *Callable);

/// The functions \p Body calls directly, with a body visible and outside
/// system headers: `[this] { run(); }` runs run() as the thread body.
void directCallees(const clang::Stmt *Body,
                   llvm::SmallVectorImpl<const clang::FunctionDecl *> &Out);

using model::peelTemporaries;

} // namespace tether::analysis

#endif
