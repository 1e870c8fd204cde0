//===--- LivePaths.cpp ----------------------------------------------------===//

#include "LivePaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/BitVector.h"
#include <deque>

using namespace clang;

namespace tether::analysis {

SourceLocation LeakPath::exitLoc() const {
  if (!Exit)
    return {};
  if (const auto *CS = dyn_cast<CompoundStmt>(Exit))
    return CS->getRBracLoc();
  return Exit->getBeginLoc();
}

std::unique_ptr<CFG> buildHandleCFG(const Decl *Fn, Stmt *Body,
                                    ASTContext &Ctx) {
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.setAllAlwaysAdd();
  return CFG::buildCFG(Fn, Body, &Ctx, Options);
}

namespace {

/// Is a call able to throw? Conservative towards "no" for what clang knows
/// cannot: noexcept functions, destructors, builtins.
bool mayThrow(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return false;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || FD->getBuiltinID())
    return false;
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  return !(Proto && Proto->isNothrow());
}

} // namespace

std::optional<LeakPath> findLeakPath(const CFG &Cfg, const VarDecl *Handle,
                                     const HandleUses &Uses,
                                     const LivePathOptions &Options) {
  unsigned N = Cfg.getNumBlockIDs();
  llvm::BitVector LiveIn(N), Visited(N);
  // Where the live state came from, per block: for the acquire note.
  std::vector<const Stmt *> AcquiredBy(N, nullptr);
  std::deque<const CFGBlock *> Work;

  const CFGBlock &Entry = Cfg.getEntry();
  Work.push_back(&Entry);
  if (Options.LiveAtEntry)
    LiveIn.set(Entry.getBlockID());
  Visited.set(Entry.getBlockID());

  bool InTry = false; // a function with a try block handles its own throws
  for (const CFGBlock *B : Cfg)
    if (const Stmt *T = B->getTerminatorStmt())
      InTry |= isa<CXXTryStmt>(T);

  while (!Work.empty()) {
    const CFGBlock *B = Work.front();
    Work.pop_front();
    bool Live = LiveIn.test(B->getBlockID());
    const Stmt *Acquired = AcquiredBy[B->getBlockID()];

    for (const CFGElement &E : *B) {
      if (auto S = E.getAs<CFGStmt>()) {
        const Stmt *St = S->getStmt();
        if (Uses.Release.count(St)) {
          Live = false;
        } else if (Uses.Acquire.count(St)) {
          Live = true;
          Acquired = St;
        } else if (Live && Options.ExceptionPaths && !InTry &&
                   isa<Expr>(St) && mayThrow(cast<Expr>(St))) {
          LeakPath P;
          P.Acquire = Acquired;
          P.ThrowingCall = cast<Expr>(St);
          return P;
        }
      } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        if (D->getVarDecl() == Handle && Live) {
          LeakPath P;
          P.Acquire = Acquired;
          P.Exit = D->getTriggerStmt();
          return P;
        }
      }
    }

    // A liveness test on the terminator decides the edge: the branch on
    // which the handle is not live starts dead.
    std::optional<bool> LiveWhenTrue;
    if (const Stmt *Cond = B->getTerminatorCondition(/*StripParens=*/true)) {
      const Stmt *Key = cast<Expr>(Cond)->IgnoreParenImpCasts();
      auto It = Uses.LivenessTests.find(Key);
      if (It != Uses.LivenessTests.end())
        LiveWhenTrue = It->second;
    }

    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      unsigned ThisEdge = Index++;
      const CFGBlock *S = Succ.getReachableBlock();
      if (!S)
        continue;
      bool EdgeLive = Live;
      if (LiveWhenTrue && B->succ_size() == 2)
        EdgeLive = Live && ((ThisEdge == 0) == *LiveWhenTrue);
      unsigned Id = S->getBlockID();
      bool Changed = !Visited.test(Id);
      Visited.set(Id);
      if (EdgeLive && !LiveIn.test(Id)) {
        LiveIn.set(Id);
        AcquiredBy[Id] = Acquired;
        Changed = true;
      }
      if (Changed)
        Work.push_back(S);
    }
  }
  return std::nullopt;
}

} // namespace tether::analysis
