//===--- HandleUses.h - how a function uses a handle variable -------------===//
//
// A handle is a local that owns concurrent work: a thread, a future, a
// channel end. This classifies every mention of it in a function body:
// does it start the work, hand it on (join, wait, move, return, pass by
// reference, capture, take the address: any escape counts, as in Go's
// lostcancel), or test whether it is still live (t.joinable())?
// Independent of which kind of handle it is: the caller names the methods.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_HANDLEUSES_H
#define TETHER_CHECKS_ANALYSIS_HANDLEUSES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class CallExpr;
} // namespace clang

namespace tether::analysis {

struct HandleMethods {
  /// Methods that end the obligation: join, detach, get, wait, ...
  llvm::ArrayRef<llvm::StringRef> Release;
  /// Methods whose true result means "still live": joinable, valid.
  llvm::ArrayRef<llvm::StringRef> LivenessTest;
  /// For a container of handles (std::vector<std::thread>): the methods that
  /// add running work to it (emplace_back, push_back). Its declaration then
  /// starts no work, and any other use (a loop over it, an index, size(),
  /// passing it on) counts as handing the work on.
  llvm::ArrayRef<llvm::StringRef> Add = {};
  /// For a handle that runs only once told to (QThread): the methods that
  /// start its work. Its declaration then starts nothing, whatever its
  /// constructor's arguments.
  llvm::ArrayRef<llvm::StringRef> Start = {};
  /// Methods that neither end the obligation nor hand the handle on
  /// (QThread::quit only asks it to end). Other non-const methods count as
  /// handing it on: what they do is not seen.
  llvm::ArrayRef<llvm::StringRef> Neutral = {};
  /// Calls that take the handle's address without keeping or ending it
  /// (worker.moveToThread(&t), QObject::connect(&t, ...)).
  llvm::ArrayRef<llvm::StringRef> Borrowers = {};
  /// A borrowing call after which the owner waits for the work's end
  /// (the thread's finished signal connected to the loop the owner runs).
  bool (*AwaitsEnd)(const clang::CallExpr *) = nullptr;
};

struct HandleUses {
  /// Statements after which the handle owns running work (the declaration
  /// when it starts the work, an assignment of new work).
  llvm::DenseSet<const clang::Stmt *> Acquire;
  /// Statements after which the obligation is discharged or handed on.
  llvm::DenseSet<const clang::Stmt *> Release;
  /// Liveness tests: the test expression -> true if its *true* branch means
  /// live (t.joinable()), false if negated (!t.joinable()).
  llvm::DenseMap<const clang::Stmt *, bool> LivenessTests;
  /// Where the first release was written (for messages); invalid if none.
  clang::SourceLocation FirstRelease;
};

/// The methods of a started-thread object (QThread): start() starts it,
/// wait() ends it, isRunning() tests it, quit() and the setters are
/// neutral, connect()/moveToThread() borrow it, and a connection of its
/// finished signal to the owner's loop exit waits for it.
HandleMethods startedThreadHandleMethods();

/// Classifies the uses of each of \p Vars in \p Body in one walk. Lambda
/// bodies are not entered: capturing the handle is handing it on.
llvm::DenseMap<const clang::VarDecl *, HandleUses>
classifyHandleUses(const clang::Stmt *Body,
                   llvm::ArrayRef<const clang::VarDecl *> Vars,
                   const HandleMethods &Methods);

} // namespace tether::analysis

#endif
