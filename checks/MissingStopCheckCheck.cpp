//===--- MissingStopCheckCheck.cpp ----------------------------------------===//

#include "MissingStopCheckCheck.h"
#include "analysis/BodyWalk.h"
#include "analysis/Describe.h"
#include "analysis/LoopExits.h"
#include "analysis/ThreadEntries.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "analysis/Matchers.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <functional>

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

using analysis::namedValue;

/// Is \p D assigned, incremented, has its address taken, or passed to a
/// call (which may write through a reference) anywhere under \p S?
bool mayWrite(const Stmt *S, const ValueDecl *D) {
  return analysis::anyInBody(S, [&](const Stmt *X) {
    if (const auto *BO = dyn_cast<BinaryOperator>(X))
      return BO->isAssignmentOp() && namedValue(BO->getLHS()) == D;
    if (const auto *UO = dyn_cast<UnaryOperator>(X))
      return (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
             namedValue(UO->getSubExpr()) == D;
    if (const auto *Call = dyn_cast<CallExpr>(X)) {
      for (const Expr *A : Call->arguments())
        if (namedValue(A) == D &&
            (A->getType().isNull() || !A->getType()->isBooleanType()))
          return true;
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(X))
        return Op->isAssignmentOp() && Op->getNumArgs() > 0 &&
               namedValue(Op->getArg(0)) == D;
    }
    return false;
  });
}

/// The first assignment to \p D under \p S. Writers often live in lambdas
/// (a signal handler, a callback): they are searched too.
const Stmt *findWrite(const Stmt *S, const ValueDecl *D) {
  return analysis::findInBody(
      S,
      [&](const Stmt *X) {
        const auto *BO = dyn_cast<BinaryOperator>(X);
        return BO && BO->isAssignmentOp() && namedValue(BO->getLHS()) == D;
      },
      analysis::Lambdas::Enter);
}

bool isThisBase(const Expr *Base) {
  return isa<CXXThisExpr>(Base->IgnoreParenImpCasts());
}

} // namespace

MissingStopCheckCheck::MissingStopCheckCheck(StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Stop(Options) {}

void MissingStopCheckCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Stop.store(Options, Opts);
}

void MissingStopCheckCheck::registerMatchers(MatchFinder *Finder) {
  auto TokenParm = Stop.stopTokenParam();
  // Stop-aware functions and lambdas: they take a stop token.
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()),
                                  hasAnyParameter(TokenParm))
                         .bind("stop-fn"),
                     this);
  Finder->addMatcher(
      lambdaExpr(unless(isExpansionInSystemHeader()), analysis::lambdaHasParam(TokenParm))
          .bind("stop-lambda"),
      this);
  // Spawns: their bodies are thread entries.
  analysis::addSpawnMatchers(Finder, this, Model);
  // A QThread subclass's run(): the body start() runs on the new thread.
  Finder->addMatcher(
      cxxMethodDecl(isDefinition(), hasName("run"), isOverride(),
                    unless(isExpansionInSystemHeader()),
                    ofClass(cxxRecordDecl(Model.startedThreadRecord())))
          .bind("started-run"),
      this);
}

void MissingStopCheckCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  if (const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("stop-fn"))
    return checkStopAware(FD, nullptr);
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("stop-lambda"))
    return checkStopAware(L->getCallOperator(), nullptr);
  if (const auto *Run = Result.Nodes.getNodeAs<CXXMethodDecl>("started-run")) {
    if (Run->isTemplateInstantiation())
      return;
    StartedThreadRun = true;
    checkEntryLoops(Run, nullptr, nullptr);
    StartedThreadRun = false;
    return;
  }
  if (const auto *E = Result.Nodes.getNodeAs<Expr>("spawn")) {
    std::optional<analysis::Spawn> Sp = analysis::spawnAt(E, Model);
    if (!Sp || !Sp->S.Callable)
      return;
    const FunctionDecl *Entry = analysis::entryOf(Sp->S.Callable);
    if (!Entry || !Entry->getBody())
      return;
    // A jthread body taking a token is stop-aware: its token first.
    checkStopAware(Entry, E);
    checkEntryLoops(Entry, E, nullptr);
    // [this] { run(); }: run() is the thread body too. One level only.
    llvm::SmallVector<const FunctionDecl *, 4> Callees;
    analysis::directCallees(Entry->getBody(), Callees);
    for (const FunctionDecl *C : Callees)
      if (C != Entry)
        checkEntryLoops(C, E, Entry);
  }
}

bool MissingStopCheckCheck::observesStop(const Stmt *S) const {
  return analysis::anyInBody(S, [&](const Stmt *X) {
    const auto *E = dyn_cast<Expr>(X);
    if (!E)
      return false;
    if (const ValueDecl *D = namedValue(E))
      if (!isa<FunctionDecl>(D) &&
          (Model.rolesReachableThrough(D->getType()) & model::StopSignal))
        return true;
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (Stop.isStopCheckCall(Call))
        return true;
    // A lambda that captures a stop signal (a predicate) observes it.
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() &&
            (Model.rolesReachableThrough(C.getCapturedVar()->getType()) &
             model::StopSignal))
          return true;
    return false;
  });
}

bool MissingStopCheckCheck::alreadyReported(const Stmt *Loop) const {
  const SourceManager &SM = Context->getSourceManager();
  SourceLocation Begin = SM.getFileLoc(Loop->getBeginLoc());
  for (SourceRange R : ReportedLoops)
    if (R.getBegin() == Begin ||
        (SM.isBeforeInTranslationUnit(R.getBegin(), Begin) &&
         SM.isBeforeInTranslationUnit(Begin, R.getEnd())))
      return true;
  return false;
}

void MissingStopCheckCheck::spawnNote(const Expr *Spawn,
                                      const FunctionDecl *Via) {
  if (!Spawn)
    return;
  const SourceManager &SM = Context->getSourceManager();
  if (Via)
    diag(SM.getFileLoc(Spawn->getBeginLoc()),
         "the thread started here runs this loop through a call from its body",
         DiagnosticIDs::Note);
  else
    diag(SM.getFileLoc(Spawn->getBeginLoc()), "thread started here",
         DiagnosticIDs::Note);
}

static std::string bodyName(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda())
      return "this thread body";
  return "'" + FD->getNameAsString() + "'";
}

void MissingStopCheckCheck::checkStopAware(const FunctionDecl *FD,
                                           const Expr *Spawn) {
  if (!FD || !FD->getBody() || FD->isTemplateInstantiation() ||
      !llvm::any_of(FD->parameters(),
                    [&](const ParmVarDecl *P) {
                      return Stop.isStopToken(P->getType());
                    }) ||
      !StopAware.insert(FD->getCanonicalDecl()).second)
    return;
  const SourceManager &SM = Context->getSourceManager();
  const Stmt *Body = FD->getBody();

  // 1. A stop token nobody looks at, in a function with a loop.
  for (const ParmVarDecl *P : FD->parameters()) {
    if (!Stop.isStopToken(P->getType()) || P->isReferenced())
      continue;
    llvm::SmallVector<analysis::LoopSite, 8> Loops;
    analysis::collectLoops(Body, Loops);
    // A token the author named and then never read was meant to stop the
    // loop: other exits (a quit message it receives) do not make up for it.
    bool Named = P->getIdentifier() != nullptr;
    for (const analysis::LoopSite &L : Loops) {
      if (L.Nested || L.InTry || analysis::isBounded(L.Loop) ||
          (!Named && analysis::findExit(L.Loop)) || observesStop(L.Loop))
        continue;
      SourceLocation LoopLoc = SM.getFileLoc(L.Loop->getBeginLoc());
      bool Forever = analysis::isUnconditional(L.Loop, *Context) &&
                     !analysis::findExit(L.Loop);
      SourceLocation ParmLoc =
          SM.getFileLoc(P->getIdentifier() ? P->getLocation()
                                           : P->getBeginLoc());
      if (!Reported.insert(ParmLoc).second)
        break;
      ReportedLoops.push_back(
          {LoopLoc, SM.getFileLoc(L.Loop->getEndLoc())});
      std::string Name = P->getIdentifier()
                             ? "stop token '" + P->getName().str() + "'"
                             : std::string("unnamed stop token");
      diag(ParmLoc, "%0 is never checked: the loop in %1 cannot be "
                    "cancelled and %select{join() waits until the loop ends "
                    "by itself|join() will wait forever}2")
          << Name << bodyName(FD) << Forever;
      diag(LoopLoc, "this loop never observes a stop request",
           DiagnosticIDs::Note);
      spawnNote(Spawn, nullptr);
      diag(ParmLoc,
           "%select{name the token and |}0test stop_requested() in the "
           "loop, wait with condition_variable_any::wait(lock, token, pred), "
           "or drop the parameter if another signal ends the loop",
           DiagnosticIDs::Note)
          << (P->getIdentifier() != nullptr);
      break;
    }
  }

  // 2. A wait a stop request cannot wake. A std::stop_callback in the body
  //    (which may notify the condition) keeps it quiet.
  bool HasCallback = false;
  llvm::SmallVector<const CXXMemberCallExpr *, 2> DeafWaits;
  analysis::walkBody(Body, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          HasCallback |= Stop.isStopCallback(V->getType());
    if (const auto *E = dyn_cast<Expr>(S))
      HasCallback |= Stop.isStopCallback(E->getType());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (Stop.isStopDeafWait(MC))
        DeafWaits.push_back(MC);
    return true;
  });
  if (!HasCallback)
    for (const CXXMemberCallExpr *W : DeafWaits) {
      SourceLocation Loc = SM.getFileLoc(W->getExprLoc());
      if (!Reported.insert(Loc).second)
        continue;
      std::string Class =
          model::canonicalName(W->getMethodDecl()->getParent());
      diag(Loc, "%0::wait cannot be woken by a stop request: %1 sleeps "
                "through request_stop() and join() waits until someone "
                "notifies the condition")
          << Class << bodyName(FD);
      diag(Loc,
           "use std::condition_variable_any and wait(lock, token, pred), "
           "which returns when stop is requested",
           DiagnosticIDs::Note);
    }

  // 3. Its loops, like any thread body's.
  checkEntryLoops(FD, Spawn, nullptr);
}

void MissingStopCheckCheck::checkEntryLoops(const FunctionDecl *FD,
                                            const Expr *Spawn,
                                            const FunctionDecl *Via) {
  if (!FD || !FD->getBody())
    return;
  const SourceManager &SM = Context->getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())))
    return;
  // Instantiations repeat the pattern; a callee is analysed once.
  if (!Entries.insert(FD->getCanonicalDecl()).second)
    return;
  llvm::SmallVector<analysis::LoopSite, 8> Loops;
  analysis::collectLoops(FD->getBody(), Loops);
  for (const analysis::LoopSite &L : Loops) {
    if (alreadyReported(L.Loop))
      continue;
    if (!L.InTry &&
        (analysis::isUnconditional(L.Loop, *Context) ||
         analysis::conditionNeverChanges(L.Loop, FD)) &&
        !analysis::findExit(L.Loop) && !analysis::endsWhenPeerLeaves(L.Loop)) {
      SourceLocation Loc = SM.getFileLoc(L.Loop->getBeginLoc());
      if (!Reported.insert(Loc).second)
        continue;
      ReportedLoops.push_back({Loc, SM.getFileLoc(L.Loop->getEndLoc())});
      diag(Loc, "loop in thread body never ends: it has no exit and no "
                "stop check, so the thread cannot be stopped and %select{"
                "join()|wait()}0 waits forever")
          << StartedThreadRun;
      spawnNote(Spawn, Via);
      if (StartedThreadRun)
        diag(Loc,
             "'%0' runs on the thread start() starts: leave the loop when "
             "isInterruptionRequested() is true, and call "
             "requestInterruption() before wait()",
             DiagnosticIDs::Note)
            << FD->getQualifiedNameAsString();
      else
        diag(Loc,
             "loop on a stop signal (a std::stop_token from std::jthread, "
             "or a std::atomic<bool>) and return when it is set",
             DiagnosticIDs::Note);
      continue;
    }
    checkPlainFlag(FD, L.Loop, Spawn, Via);
  }
}

void MissingStopCheckCheck::checkPlainFlag(const FunctionDecl *FD,
                                           const Stmt *Loop,
                                           const Expr *Spawn,
                                           const FunctionDecl *Via) {
  // The flag is read by the loop condition, or by `if (flag) break;` at the
  // top of the body.
  llvm::SmallVector<const Expr *, 4> Reads;
  std::function<void(const Expr *)> Collect = [&](const Expr *E) {
    if (!E)
      return;
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_LNot)
      return Collect(U->getSubExpr());
    if (const auto *B = dyn_cast<BinaryOperator>(E);
        B && B->isLogicalOp()) {
      Collect(B->getLHS());
      Collect(B->getRHS());
      return;
    }
    if (isa<DeclRefExpr, MemberExpr>(E))
      Reads.push_back(E);
  };
  Collect(analysis::partsOf(Loop).Cond);
  if (const auto *Body =
          dyn_cast_or_null<CompoundStmt>(analysis::partsOf(Loop).Body))
    for (const Stmt *S : Body->body())
      if (const auto *If = dyn_cast<IfStmt>(S))
        if (analysis::branchEnd(If->getThen(), /*OwnsBreaks=*/true) ==
            analysis::BranchEnd::LeavesLoop)
          Collect(If->getCond());
  if (Reads.empty())
    return;
  // Fibers of one scheduler thread take turns: a plain flag between them is
  // a stop signal, not a race (detached-thread reads it so), unless the
  // unit's scheduler can move fibers to other threads.
  if (Model.taskKindAt(Spawn) == "fiber" &&
      !model::ConcurrencyModel::fibersMayMigrate(*Context))
    return;

  const SourceManager &SM = Context->getSourceManager();
  for (const Expr *Read : Reads) {
    const ValueDecl *D = namedValue(Read);
    if (!D)
      continue;
    QualType T = D->getType();
    if (T.isNull())
      continue;
    if (T->isReferenceType())
      T = T.getNonReferenceType();
    if (!T.getCanonicalType()->isBooleanType() ||
        T.isVolatileQualified() || T.isConstQualified())
      continue;
    // Shared? A field of the object the thread runs on, or reached through
    // a reference or pointer; a global; a local captured by reference.
    const Stmt *WriterScope = nullptr;
    if (const auto *F = dyn_cast<FieldDecl>(D)) {
      const auto *ME = cast<MemberExpr>(Read->IgnoreParenImpCasts());
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      bool Shared = isThisBase(Base) || ME->isArrow();
      if (const ValueDecl *BD = namedValue(Base))
        Shared |= !BD->getType().isNull() && BD->getType()->isReferenceType();
      if (!Shared)
        continue;
      (void)F;
    } else if (const auto *V = dyn_cast<VarDecl>(D)) {
      if (V->isStaticLocal() || V->getTLSKind() != VarDecl::TLS_None)
        continue;
      if (!V->hasGlobalStorage()) {
        // A local of an enclosing function, captured by reference.
        const auto *MD = dyn_cast<CXXMethodDecl>(FD);
        if (!MD || !MD->getParent()->isLambda())
          continue;
        bool ByRef = false;
        for (const LambdaCapture &C : MD->getParent()->captures())
          if (C.capturesVariable() && C.getCapturedVar() == V &&
              C.getCaptureKind() == LCK_ByRef)
            ByRef = true;
        if (!ByRef)
          continue;
        if (const auto *Outer =
                dyn_cast_or_null<FunctionDecl>(V->getDeclContext()))
          WriterScope = Outer->getBody();
      }
    } else {
      continue;
    }
    if (mayWrite(Loop, D) || mayWrite(analysis::partsOf(Loop).Cond, D))
      continue;
    // Guarded: the thread body takes a lock or waits on a condition.
    bool Guarded = analysis::anyInBody(FD->getBody(), [&](const Stmt *S) {
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *Dl : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(Dl);
              V && Stop.isLockType(V->getType()))
            return true;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (Stop.isLockingCall(Call))
          return true;
      if (const auto *E = dyn_cast<CXXTemporaryObjectExpr>(S))
        return Stop.isLockType(E->getType());
      return false;
    });
    if (Guarded)
      continue;
    // Find the writer: another member function of the class, or the
    // function that owns the captured local.
    const Stmt *Writer = nullptr;
    if (const auto *F = dyn_cast<FieldDecl>(D)) {
      // Prefer a writer other than the function that starts the thread
      // (which usually sets the flag before the start).
      const Stmt *Fallback = nullptr;
      if (const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent()))
        for (const CXXMethodDecl *M : RD->methods()) {
          const FunctionDecl *Def = nullptr;
          if (M == FD || !M->hasBody(Def) || Def == FD)
            continue;
          const Stmt *W = findWrite(Def->getBody(), D);
          if (!W)
            continue;
          SourceRange R = Def->getBody()->getSourceRange();
          if (Spawn && SM.getFileLoc(R.getBegin()) <=
                           SM.getFileLoc(Spawn->getBeginLoc()) &&
              SM.getFileLoc(Spawn->getBeginLoc()) <=
                  SM.getFileLoc(R.getEnd())) {
            if (!Fallback)
              Fallback = W;
            continue;
          }
          Writer = W;
          break;
        }
      if (!Writer)
        Writer = Fallback;
      // The class's own members never write it: someone outside does, or
      // nobody does; either way the read is not shown to race.
      if (!Writer)
        continue;
    } else if (WriterScope) {
      Writer = findWrite(WriterScope, D);
      if (!Writer)
        continue;
    }
    SourceLocation Loc = SM.getFileLoc(Read->getExprLoc());
    if (!Reported.insert(Loc).second)
      continue;
    diag(Loc, "stop flag '%0' is a plain bool shared between threads: this "
              "unsynchronised read is a data race, and the compiler may hoist "
              "it out of the loop so the loop never sees the stop")
        << D->getName();
    if (Writer)
      diag(SM.getFileLoc(Writer->getBeginLoc()),
           "'%0' is written here, on another thread", DiagnosticIDs::Note)
          << D->getName();
    spawnNote(Spawn, Via);
    diag(Loc,
         "make '%0' a std::atomic<bool>, or run the loop on a std::jthread "
         "and test its std::stop_token",
         DiagnosticIDs::Note)
        << D->getName();
    return;
  }
}

} // namespace tether
