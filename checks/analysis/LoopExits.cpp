//===--- LoopExits.cpp ----------------------------------------------------===//

#include "LoopExits.h"
#include "Accesses.h"
#include "BodyWalk.h"
#include "../model/CoroutineSpawn.h"
#include "../model/StdLibrary.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tether::analysis {

bool isLoop(const Stmt *S) {
  return isa_and_nonnull<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(S);
}

bool isLibraryMacroLoop(const Stmt *Loop, const SourceManager &SM) {
  const Stmt *Body = isLoop(Loop) ? partsOf(Loop).Body : nullptr;
  return Body && SM.isInSystemMacro(Loop->getBeginLoc()) &&
         SM.isInSystemMacro(Body->getBeginLoc());
}

bool isWaitingLoopCandidate(const Stmt *S) {
  return isa_and_nonnull<WhileStmt, DoStmt, ForStmt>(S);
}

// A walk that carries whether it is inside a try block and inside a loop:
// not the plain body walk.
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

LoopParts partsOf(const Stmt *Loop) {
  LoopParts P;
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop)) {
    P.Cond = W->getCond();
    P.CondVar = W->getConditionVariable();
    P.Body = W->getBody();
  } else if (const auto *D = dyn_cast_or_null<DoStmt>(Loop)) {
    P.Cond = D->getCond();
    P.Body = D->getBody();
  } else if (const auto *F = dyn_cast_or_null<ForStmt>(Loop)) {
    P.Init = F->getInit();
    P.Cond = F->getCond();
    P.CondVar = F->getConditionVariable();
    P.Inc = F->getInc();
    P.Body = F->getBody();
  } else if (const auto *R = dyn_cast_or_null<CXXForRangeStmt>(Loop)) {
    P.Init = R->getInit();
    P.RangeInit = R->getRangeInit();
    P.Body = R->getBody();
  }
  return P;
}

bool isUnconditional(const Stmt *Loop, const ASTContext &Ctx) {
  if (isa<CXXForRangeStmt>(Loop))
    return false;
  LoopParts P = partsOf(Loop);
  // while (auto x = next()) has a condition variable: it can end.
  if (P.CondVar)
    return false;
  if (!P.Cond)
    return isa<ForStmt>(Loop);
  if (P.Cond->isValueDependent() || P.Cond->isTypeDependent())
    return false;
  bool Value = false;
  return P.Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}

bool neverRepeats(const Stmt *Loop, const ASTContext &Ctx) {
  const Expr *Cond = partsOf(Loop).Cond;
  if (!Cond || Cond->isValueDependent() || Cond->isTypeDependent())
    return false;
  bool Value = true;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && !Value;
}

/// \p E compares the time with something (`now() < deadline`,
/// `clock::now() - start >= timeout`), alone or as one operand of an &&.
static bool comparesClock(const Expr *E) {
  E = E ? model::peelWrappers(E) : nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_LAnd)
      return comparesClock(BO->getLHS()) || comparesClock(BO->getRHS());
    if (!BO->isComparisonOp())
      return false;
  } else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(E)) {
    if (Op->getNumArgs() != 2 || !Op->isComparisonOp())
      return false;
  } else if (!isa_and_nonnull<CXXRewrittenBinaryOperator>(E)) {
    return false;
  }
  return anyInBody(E, [](const Stmt *N) {
    return model::isClockRead(dyn_cast<CallExpr>(N));
  });
}

bool endsAtDeadline(const Stmt *Loop) {
  LoopParts P = partsOf(Loop);
  // A deadline the loop moves (`last = now();` on each message, an idle
  // timeout) bounds nothing while the loop keeps busy.
  ValueSet Moved;
  collectWrites(P.Body, Moved);
  collectWrites(P.Inc, Moved);
  auto IsDeadline = [&](const Expr *Test) {
    return comparesClock(Test) && !readsAny(Test, Moved);
  };
  if (IsDeadline(P.Cond))
    return true;
  bool Found = false;
  forEachExit(P.Body, /*Breaks=*/true, [&](const LoopExitSite &X) {
    Found = IsDeadline(X.Guard);
    return !Found;
  });
  return Found;
}

bool isBounded(const Stmt *Loop) {
  if (isa<CXXForRangeStmt>(Loop))
    return true;
  LoopParts P = partsOf(Loop);
  return (isa<ForStmt>(Loop) && P.Cond && P.Inc) || endsAtDeadline(Loop);
}

bool neverFallsThrough(const Stmt *S) {
  if (isa_and_nonnull<ReturnStmt, CXXThrowExpr, GotoStmt, IndirectGotoStmt,
                      CoreturnStmt>(S))
    return true;
  const auto *Call = dyn_cast_or_null<CallExpr>(S);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->isNoReturn();
}

BranchEnd branchEnd(const Stmt *Branch, bool OwnsBreaks) {
  while (const auto *CS = dyn_cast_or_null<CompoundStmt>(Branch))
    Branch = CS->body_empty() ? nullptr : CS->body_back();
  if (!Branch)
    return BranchEnd::FallsThrough;
  if (isa<BreakStmt>(Branch))
    return OwnsBreaks ? BranchEnd::LeavesLoop : BranchEnd::FallsThrough;
  if (isa<ContinueStmt>(Branch))
    return OwnsBreaks ? BranchEnd::NextIteration : BranchEnd::FallsThrough;
  // `throw e;` and `fail();` stand as statements in cleanups and casts.
  if (const auto *E = dyn_cast<Expr>(Branch))
    Branch = model::peelWrappers(E);
  return neverFallsThrough(Branch) ? BranchEnd::LeavesLoop
                                   : BranchEnd::FallsThrough;
}

bool isEarlyExit(const Stmt *S) {
  const auto *If = dyn_cast_or_null<IfStmt>(S);
  // A break or continue in the branch leaves the block whichever loop or
  // switch it belongs to.
  return If && !If->getElse() &&
         branchEnd(If->getThen(), /*OwnsBreaks=*/true) != BranchEnd::FallsThrough;
}

namespace {
// Carries the innermost guard and whether a break still leaves the loop:
// a stateful traversal, not the plain body walk.
struct ExitWalker {
  llvm::function_ref<bool(const LoopExitSite &)> F;
  bool Stopped = false;

  /// \p BreakScope: a nested loop or switch owns the breaks below it.
  void walk(const Stmt *S, bool BreakScope, const Expr *Guard,
            unsigned Depth) {
    if (!S || Stopped || Depth > 256 || isa<LambdaExpr>(S) ||
        isa<BlockExpr>(S))
      return;
    const auto *Call = dyn_cast<CallExpr>(S);
    if (neverFallsThrough(S) || (isa<BreakStmt>(S) && !BreakScope) ||
        (Call && model::StopModel::endsThread(Call))) {
      // A return's value may hold more exits only in odd code: stop here.
      Stopped = !F({S, Guard});
      return;
    }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      walk(If->getInit(), BreakScope, Guard, Depth + 1);
      walk(If->getConditionVariableDeclStmt(), BreakScope, Guard, Depth + 1);
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

void forEachExit(const Stmt *S, bool Breaks,
                 llvm::function_ref<bool(const LoopExitSite &)> F) {
  ExitWalker W{F};
  W.walk(S, !Breaks, nullptr, 0);
}

/// The loop's own condition and increment can hold calls that never
/// return; its body holds the breaks that count.
static void forEachLoopExit(const Stmt *Loop,
                            llvm::function_ref<bool(const LoopExitSite &)> F) {
  LoopParts P = partsOf(Loop);
  ExitWalker W{F};
  W.walk(P.Cond, true, nullptr, 0);
  W.walk(P.Inc, true, nullptr, 0);
  W.walk(P.Body, false, nullptr, 0);
}

void collectExits(const Stmt *Loop, llvm::SmallVectorImpl<LoopExitSite> &Out) {
  forEachLoopExit(Loop, [&](const LoopExitSite &E) {
    Out.push_back(E);
    return true;
  });
}

bool conditionNeverChanges(const Stmt *Loop, const FunctionDecl *FD) {
  const Stmt *FunctionBody = FD ? FD->getBody() : nullptr;
  LoopParts P = partsOf(Loop);
  if (!P.Cond || P.CondVar || P.Inc || isa<CXXForRangeStmt>(Loop) ||
      !FunctionBody || P.Cond->isValueDependent())
    return false;
  // The condition reads local scalars and constants, and calls nothing.
  llvm::SmallPtrSet<const VarDecl *, 4> Vars;
  bool Plain = !anyInBody(P.Cond, [&](const Stmt *N) {
    if (isa<CallExpr, MemberExpr, CXXThisExpr, UnaryOperator>(N) &&
        !(isa<UnaryOperator>(N) &&
          cast<UnaryOperator>(N)->getOpcode() == UO_LNot))
      return true;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(N)) {
      if (isa<EnumConstantDecl>(DRE->getDecl()))
        return false;
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      // A local of an enclosing function (a lambda's capture) is shared.
      if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
          V->getDeclContext() != FD ||
          V->getType().isVolatileQualified() ||
          !V->getType()->isScalarType())
        return true;
      Vars.insert(V);
    }
    return false;
  });
  if (!Plain || Vars.empty())
    return false;
  // Every mention of those variables in the function is a read, or a plain
  // assignment before the loop; none is in a lambda (a capture), none takes
  // an address or binds a reference (an escape).
  llvm::SmallPtrSet<const DeclRefExpr *, 8> Reads, EarlyWrites;
  SourceLocation LoopBegin = Loop->getBeginLoc();
  const SourceManager *SM = nullptr;
  bool Escapes = false;
  walkBody(
      FunctionBody,
      [&](const Stmt *N) {
        if (isa<LambdaExpr>(N)) {
          Escapes |= anyInBody(
              N,
              [&](const Stmt *M) {
                const auto *DRE = dyn_cast<DeclRefExpr>(M);
                const auto *V =
                    DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
                return V && Vars.contains(V);
              },
              Lambdas::Enter);
          return false;
        }
        if (const auto *Cast = dyn_cast<ImplicitCastExpr>(N))
          if (Cast->getCastKind() == CK_LValueToRValue)
            if (const auto *DRE = dyn_cast<DeclRefExpr>(
                    Cast->getSubExpr()->IgnoreParens()))
              Reads.insert(DRE);
        if (const auto *BO = dyn_cast<BinaryOperator>(N);
            BO && BO->getOpcode() == BO_Assign)
          if (const auto *DRE =
                  dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens())) {
            if (!SM)
              SM = &cast<VarDecl>(DRE->getDecl())
                        ->getASTContext()
                        .getSourceManager();
            if (SM->isBeforeInTranslationUnit(BO->getEndLoc(), LoopBegin))
              EarlyWrites.insert(DRE);
          }
        if (const auto *DRE = dyn_cast<DeclRefExpr>(N)) {
          const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          if (V && Vars.contains(V) && !Reads.contains(DRE) &&
              !EarlyWrites.contains(DRE))
            Escapes = true;
        }
        return !Escapes;
      },
      Lambdas::Skip);
  return !Escapes;
}

const Stmt *findExit(const Stmt *Loop) {
  const Stmt *Found = nullptr;
  forEachLoopExit(Loop, [&](const LoopExitSite &E) {
    Found = E.Exit;
    return false;
  });
  return Found;
}

bool endsWhenPeerLeaves(const Stmt *Loop) {
  bool Ends = false;
  walkBody(partsOf(Loop).Body, [&](const Stmt *S) {
    // A transfer inside the loop's own try is caught there.
    if (Ends || isa<CXXTryStmt>(S))
      return false;
    const auto *Call = dyn_cast<CallExpr>(S);
    Ends = Call && model::transferThrowsWhenPeerLeaves(Call);
    return !Ends;
  });
  return Ends;
}

} // namespace tether::analysis
