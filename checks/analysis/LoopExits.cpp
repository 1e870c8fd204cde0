//===--- LoopExits.cpp ----------------------------------------------------===//

#include "LoopExits.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tether::analysis {

bool isLoop(const Stmt *S) {
  return isa_and_nonnull<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(S);
}

static void walkLoops(const Stmt *S, bool InTry, bool InLoop,
                      llvm::SmallVectorImpl<LoopSite> &Out, unsigned Depth) {
  if (!S || Depth > 256 || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return;
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    walkLoops(Try->getTryBlock(), true, InLoop, Out, Depth + 1);
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      walkLoops(Try->getHandler(I), InTry, InLoop, Out, Depth + 1);
    return;
  }
  bool Here = isLoop(S);
  if (Here)
    Out.push_back({S, InTry, InLoop});
  for (const Stmt *Child : S->children())
    walkLoops(Child, InTry, InLoop || Here, Out, Depth + 1);
}

void collectLoops(const Stmt *Body, llvm::SmallVectorImpl<LoopSite> &Out) {
  walkLoops(Body, false, false, Out, 0);
}

const Expr *loopConditionOf(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getCond();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getCond();
  return nullptr;
}

const Stmt *loopBodyOf(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getBody();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getBody();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getBody();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    return R->getBody();
  return nullptr;
}

bool isUnconditional(const Stmt *Loop, const ASTContext &Ctx) {
  if (isa<CXXForRangeStmt>(Loop))
    return false;
  // while (auto x = next()) has a condition variable: it can end.
  if (const auto *W = dyn_cast<WhileStmt>(Loop); W && W->getConditionVariable())
    return false;
  const Expr *Cond = loopConditionOf(Loop);
  if (!Cond)
    return isa<ForStmt>(Loop);
  if (Cond->isValueDependent() || Cond->isTypeDependent())
    return false;
  bool Value = false;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

bool neverRepeats(const Stmt *Loop, const ASTContext &Ctx) {
  const Expr *Cond = isLoop(Loop) ? loopConditionOf(Loop) : nullptr;
  if (!Cond || Cond->isValueDependent() || Cond->isTypeDependent())
    return false;
  bool Value = true;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && !Value;
}

bool isBounded(const Stmt *Loop) {
  if (isa<CXXForRangeStmt>(Loop))
    return true;
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getCond() && F->getInc();
  return false;
}

namespace {
struct ExitFinder {
  const model::StopModel &Stop;
  const Stmt *Found = nullptr;

  /// \p BreakScope: a nested loop or switch owns the breaks below it.
  void walk(const Stmt *S, bool BreakScope, unsigned Depth) {
    if (!S || Found || Depth > 256 || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return;
    if (isa<ReturnStmt, CXXThrowExpr, GotoStmt, IndirectGotoStmt,
            CoreturnStmt>(S)) {
      Found = S;
      return;
    }
    if (isa<BreakStmt>(S) && !BreakScope) {
      Found = S;
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (Stop.endsThread(Call)) {
        Found = S;
        return;
      }
    bool Scope = BreakScope || isLoop(S) || isa<SwitchStmt>(S);
    for (const Stmt *Child : S->children())
      walk(Child, Scope, Depth + 1);
  }
};
} // namespace

namespace {
struct ExitCollector {
  const model::StopModel &Stop;
  llvm::SmallVectorImpl<LoopExitSite> &Out;

  void walk(const Stmt *S, bool BreakScope, const Expr *Guard,
            unsigned Depth) {
    if (!S || Depth > 256 || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      return;
    if (isa<ReturnStmt, CXXThrowExpr, GotoStmt, IndirectGotoStmt,
            CoreturnStmt>(S) ||
        (isa<BreakStmt>(S) && !BreakScope)) {
      Out.push_back({S, Guard});
      // A return's value may hold more exits only in odd code: stop here.
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (Stop.endsThread(Call)) {
        Out.push_back({S, Guard});
        return;
      }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      walk(If->getInit(), BreakScope, Guard, Depth + 1);
      walk(If->getCond(), BreakScope, Guard, Depth + 1);
      walk(If->getThen(), BreakScope, If->getCond(), Depth + 1);
      walk(If->getElse(), BreakScope, If->getCond(), Depth + 1);
      return;
    }
    bool Scope = BreakScope || isLoop(S) || isa<SwitchStmt>(S);
    for (const Stmt *Child : S->children())
      walk(Child, Scope, Guard, Depth + 1);
  }
};
} // namespace

void collectExits(const Stmt *Loop, const model::StopModel &Stop,
                  llvm::SmallVectorImpl<LoopExitSite> &Out) {
  ExitCollector C{Stop, Out};
  if (const Expr *Cond = loopConditionOf(Loop))
    C.walk(Cond, true, nullptr, 0);
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    C.walk(F->getInc(), true, nullptr, 0);
  C.walk(loopBodyOf(Loop), false, nullptr, 0);
}

const Stmt *findExit(const Stmt *Loop, const model::StopModel &Stop) {
  ExitFinder F{Stop};
  // The loop's own condition and increment can hold calls that never
  // return; its body holds the breaks that count.
  if (const Expr *Cond = loopConditionOf(Loop))
    F.walk(Cond, true, 0);
  F.walk(loopBodyOf(Loop), false, 0);
  return F.Found;
}

} // namespace tether::analysis
