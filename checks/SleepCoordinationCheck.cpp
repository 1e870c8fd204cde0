//===--- SleepCoordinationCheck.cpp ---------------------------------------===//

#include "SleepCoordinationCheck.h"
#include "analysis/BodyWalk.h"
#include "analysis/Describe.h"
#include "analysis/Matchers.h"
#include "analysis/SignalHandlers.h"
#include "analysis/ThreadEntries.h"
#include "model/StdLibrary.h"
#include "model/StopModel.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include <algorithm>

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

const char DefaultTestFilePattern[] =
    "(^|[/\\\\])(tests?|testing|unittests?)[/\\\\]|_(unit)?tests?\\.[^/\\\\]*$|"
    "Tests?\\.[^/\\\\]*$|(^|[/\\\\])tests?_[^/\\\\]*$";

using model::peelWrappers;

/// What a statement that starts concurrent work hands to it.
struct SpawnFacts {
  const Stmt *Site = nullptr;
  const NamedDecl *Handle = nullptr; ///< the thread, future or pthread_t
  bool IsTask = false;
  bool SharesThis = false;
  llvm::DenseSet<const ValueDecl *> Shared; ///< reachable by the new thread
};

void collectShared(const Expr *E, SpawnFacts &F) {
  E = peelWrappers(E);
  if (!E)
    return;
  if (const auto *LE = dyn_cast<LambdaExpr>(E)) {
    for (const LambdaCapture &C : LE->captures()) {
      if (C.capturesThis()) {
        F.SharesThis = true;
        continue;
      }
      if (!C.capturesVariable())
        continue;
      const ValueDecl *V = C.getCapturedVar();
      QualType T = V->getType();
      if (C.getCaptureKind() == LCK_ByRef || T->isPointerType() ||
          T->isReferenceType())
        F.Shared.insert(V);
      else if (model::isSharedOwner(T->getAsCXXRecordDecl()))
        F.Shared.insert(V);
    }
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (model::passesReference(Call))
      if (const ValueDecl *VD = analysis::namedValue(Call->getArg(0)))
        F.Shared.insert(VD);
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() == UO_AddrOf)
      if (const ValueDecl *VD = analysis::namedValue(U->getSubExpr()))
        F.Shared.insert(VD);
    return;
  }
  if (isa<CXXThisExpr>(E)) {
    F.SharesThis = true;
    return;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (DRE->getType()->isPointerType())
      F.Shared.insert(DRE->getDecl());
}

/// The spawn statement \p S makes, and what it shares with the new work.
std::optional<SpawnFacts> spawnIn(const Stmt *S,
                                  const model::ConcurrencyModel &M) {
  std::optional<analysis::Spawn> Sp = analysis::spawnIn(S, M);
  if (!Sp) {
    // asio::post(pool, f), dispatch, defer: f runs as a task on the
    // executor's threads.
    const auto *E = dyn_cast<Expr>(S);
    const auto *Call = E ? dyn_cast<CallExpr>(peelWrappers(E)) : nullptr;
    if (!Call || Call->getNumArgs() < 2 ||
        !model::ConcurrencyModel::submitsToExecutor(Call->getDirectCallee()))
      return std::nullopt;
    SpawnFacts F;
    F.Site = S;
    F.IsTask = true;
    // The work is the last argument written.
    collectShared(Call->getArg(std::max(model::writtenArgCount(Call), 2u) - 1),
                  F);
    return F;
  }
  SpawnFacts F;
  F.Site = S;
  F.Handle = Sp->Handle;
  F.IsTask = Sp->Kind == analysis::SpawnKind::Task;
  collectShared(Sp->S.Callable, F);
  for (const Expr *A : Sp->S.Args)
    collectShared(A, F);
  return F;
}

/// The statement after the sleep tells the thread to stop: the sleep
/// measured how long it runs (a timed run), not when it is done.
bool isStopRequest(const Stmt *S) {
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return false;
  E = peelWrappers(E);
  if (const auto *BO = dyn_cast<BinaryOperator>(E))
    return BO->isAssignmentOp();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    if (Op->isAssignmentOp())
      return true;
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return model::StopModel::namesStopOrSignal(Call->getDirectCallee());
  return false;
}

/// The first expression in \p S that touches what the spawn shares.
const Expr *touchesShared(const Stmt *S, const SpawnFacts &F) {
  return cast_or_null<Expr>(analysis::findInBody(S, [&](const Stmt *N) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(N))
      return F.Shared.contains(DRE->getDecl()) || DRE->getDecl() == F.Handle;
    if (const auto *ME = dyn_cast<MemberExpr>(N))
      return ME->getMemberDecl() == F.Handle ||
             (F.SharesThis && isa<CXXThisExpr>(ME->getBase()->IgnoreImpCasts()));
    return false;
  }));
}

/// Whether \p Use is the handle being joined or waited for.
bool isJoinOf(const Stmt *Next, const SpawnFacts &F) {
  const auto *E = dyn_cast<Expr>(Next);
  if (!E)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(peelWrappers(E)))
    if (model::ConcurrencyModel::isJoin(MC->getMethodDecl()))
      return analysis::namedHandle(MC->getImplicitObjectArgument()) ==
             F.Handle;
  return false;
}

} // namespace

SleepCoordinationCheck::SleepCoordinationCheck(StringRef Name,
                                               tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Blocking(Options), Model(Options),
      TestFilePattern(
          Options.get("TestFilePattern", DefaultTestFilePattern).str()),
      TestFiles(TestFilePattern) {}

void SleepCoordinationCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "TestFilePattern", TestFilePattern);
  Blocking.store(Options, Opts);
  Model.store(Options, Opts);
}

void SleepCoordinationCheck::registerMatchers(MatchFinder *Finder) {
  auto Sleep = callExpr(analysis::calleeIs(functionDecl(Blocking.sleepFunction())));
  // Loops whose only wait is a sleep: loops are collected, sleeps noted,
  // and only loops holding a sleep are analysed at the end.
  analysis::addLoopMatchers(Finder, this);
  Finder->addMatcher(
      callExpr(analysis::calleeIs(functionDecl(Blocking.sleepFunction())),
               analysis::isExpansionInUserCode())
          .bind("sleep"),
      this);
  // Start a thread, sleep, read what it produces.
  Finder->addMatcher(compoundStmt(analysis::hasStatement(expr(ignoringImplicit(Sleep))),
                                  analysis::isExpansionInUserCode())
                         .bind("block"),
                     this);
}

bool SleepCoordinationCheck::exempt(SourceLocation Loc,
                                    const SourceManager &SM) {
  if (TestFilePattern.empty() || !TestFiles.isValid())
    return false;
  FileID FID = SM.getFileID(SM.getFileLoc(Loc));
  auto It = ExemptFiles.find(FID);
  if (It != ExemptFiles.end())
    return It->second;
  bool Exempt = false;
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID))
    Exempt = TestFiles.match(FE->getName());
  ExemptFiles[FID] = Exempt;
  return Exempt;
}

void SleepCoordinationCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  const SourceManager &SM = *Result.SourceManager;
  this->SM = &SM;
  if (const auto *Loop = Result.Nodes.getNodeAs<Stmt>("loop")) {
    CandidateLoops.push_back(Loop);
    return;
  }
  if (const auto *Sleep = Result.Nodes.getNodeAs<CallExpr>("sleep")) {
    Sleeps.push_back(SM.getDecomposedExpansionLoc(Sleep->getBeginLoc()));
    return;
  }
  if (const auto *CS = Result.Nodes.getNodeAs<CompoundStmt>("block"))
    return checkSequence(CS, SM);
}

void SleepCoordinationCheck::onEndOfTranslationUnit() {
  if (!Sleeps.empty() && SM && Context) {
    // Sleeps by (file, offset), so each loop asks by binary search: a
    // comparison per pair of loop and sleep was quadratic on dense code.
    llvm::sort(Sleeps);
    for (const Stmt *Loop : CandidateLoops) {
      auto B = SM->getDecomposedExpansionLoc(Loop->getBeginLoc());
      auto E = SM->getDecomposedExpansionLoc(Loop->getEndLoc());
      if (B.first != E.first)
        continue; // a loop that begins and ends in different files
      auto First = llvm::lower_bound(Sleeps, B);
      if (First != Sleeps.end() && First->first == B.first &&
          First->second <= E.second)
        checkLoop(Loop, *SM);
    }
  }
  reset();
}

bool SleepCoordinationCheck::pollsOnlySignalFlags(
    const analysis::LoopAnatomy &A) {
  if (!A.Polls.empty() || A.WeakPolls.empty())
    return false;
  analysis::SignalHandlers &Signals = analysis::SignalHandlers::of(*Context);
  return llvm::all_of(A.WeakPolls, [&](const analysis::PollSite &P) {
    const Expr *Flag = P.Call ? model::objectOf(P.Call) : P.Flag;
    const auto *V = dyn_cast_or_null<VarDecl>(analysis::namedValue(Flag));
    return V && Signals.writtenOnlyByHandlers(V);
  });
}

void SleepCoordinationCheck::checkLoop(const Stmt *Loop,
                                       const SourceManager &SM) {
  analysis::LoopAnalyzer &Loops = analysis::LoopAnalyzer::of(*Context, Blocking);
  const analysis::LoopAnatomy &A = Loops.get(Loop);
  if (!analysis::sleepPolls(A) || pollsOnlySignalFlags(A))
    return;
  for (const Stmt *Nested : A.NestedLoops)
    if (analysis::isWaitingLoopCandidate(Nested) &&
        analysis::sleepPolls(Loops.get(Nested)))
      return;
  SourceLocation Loc = SM.getFileLoc(Loop->getBeginLoc());
  if (exempt(Loc, SM) || !Reported.insert(Loc).second)
    return;
  const analysis::PollSite &P =
      A.Polls.empty() ? A.WeakPolls.front() : A.Polls.front();
  std::string What = analysis::describePoll(P);
  diag(Loc, "loop waits for another thread by sleeping between checks of "
            "%0: the sleep is a guess that adds latency or wakes for nothing")
      << What;
  diag(SM.getFileLoc(P.expr()->getExprLoc()), "%0 is checked here, once per sleep",
       DiagnosticIDs::Note)
      << What;
  diag(SM.getFileLoc(A.Sleep->getBeginLoc()),
       "block until it is ready instead of sleeping: a condition variable, "
       "atomic::wait (C++20), a std::latch, a future or a blocking pop",
       DiagnosticIDs::Note);
}

void SleepCoordinationCheck::checkSequence(const CompoundStmt *CS,
                                           const SourceManager &SM) {
  llvm::ArrayRef<Stmt *> Body(CS->body_begin(), CS->body_end());
  std::optional<SpawnFacts> Last;
  for (size_t I = 0; I < Body.size(); ++I) {
    const Stmt *S = Body[I];
    if (std::optional<SpawnFacts> F = spawnIn(S, Model)) {
      Last = std::move(F);
      continue;
    }
    const auto *E = dyn_cast<Expr>(S);
    const auto *Call = E ? dyn_cast<CallExpr>(peelWrappers(E)) : nullptr;
    if (!Last || !Call ||
        Blocking.classifyCall(Call) != model::CallKind::Sleep ||
        I + 1 >= Body.size())
      continue;
    const Stmt *Next = Body[I + 1];
    // A timed run (stop it after a while), or spacing out submissions.
    if (isStopRequest(Next) || spawnIn(Next, Model))
      continue;
    const Expr *Use = touchesShared(Next, *Last);
    if (!Use)
      continue;
    SourceLocation Loc = SM.getFileLoc(Call->getBeginLoc());
    if (exempt(Loc, SM) || !Reported.insert(Loc).second)
      continue;
    std::string Who;
    if (Last->Handle)
      Who = (Last->IsTask ? "task '" : "thread '") +
            Last->Handle->getNameAsString() + "'";
    else
      Who = Last->IsTask ? "the task" : "the thread";
    bool Join = isJoinOf(Next, *Last);
    diag(Loc, "sleep used to wait for %0: nothing guarantees it got there "
              "when the sleep ends%select{, so what is read next races with "
              "it|; join() alone waits exactly as long as needed}1")
        << Who << Join;
    diag(SM.getFileLoc(Last->Site->getBeginLoc()), "%0 starts here",
         DiagnosticIDs::Note)
        << Who;
    std::string Name;
    if (const NamedDecl *ND = analysis::namedHandle(Use))
      Name = ND->getNameAsString();
    if (!Join)
      diag(SM.getFileLoc(Use->getBeginLoc()),
           "'%0' is used here, after the sleep", DiagnosticIDs::Note)
          << Name;
    diag(Loc, "wait for the result with a future, a std::latch or a condition "
              "variable, or join the thread, instead of sleeping",
         DiagnosticIDs::Note);
  }
}

} // namespace tether
