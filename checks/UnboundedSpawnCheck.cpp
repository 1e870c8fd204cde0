//===--- UnboundedSpawnCheck.cpp ------------------------------------------===//

#include "UnboundedSpawnCheck.h"
#include "analysis/CallSites.h"
#include "model/StdLibrary.h"
#include "analysis/Describe.h"
#include "analysis/BodyWalk.h"
#include "analysis/LoopExits.h"
#include "analysis/Matchers.h"
#include "analysis/ThreadEntries.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringExtras.h"
#include <optional>

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

static constexpr llvm::StringLiteral DefaultWorkerCountNames =
    "thread;worker;pool;concurren;parallel;core;cpu;processor";

UnboundedSpawnCheck::UnboundedSpawnCheck(StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options),
      WorkerCountNames(
          Options.get("WorkerCountNames", DefaultWorkerCountNames).str()) {
  llvm::SmallVector<StringRef, 8> Parts;
  StringRef(WorkerCountNames).split(Parts, ';', -1, false);
  for (StringRef P : Parts)
    if (!P.trim().empty())
      WorkerWords.push_back(P.trim().lower());
}

void UnboundedSpawnCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Options.store(Opts, "WorkerCountNames", WorkerCountNames);
}

void UnboundedSpawnCheck::registerMatchers(MatchFinder *Finder) {
  // Loops in user code; check() decides the trip count first and walks the
  // body only when it comes from runtime data.
  analysis::addLoopMatchers(Finder, this, /*RangeFor=*/true);
}

static bool nameHasWord(StringRef Name,
                        const llvm::SmallVectorImpl<std::string> &Words) {
  std::string Lower = Name.lower();
  for (const std::string &W : Words)
    if (StringRef(Lower).contains(W))
      return true;
  return false;
}

namespace {
/// Where a loop's trip count comes from. Empty Source: the count is fixed
/// (a constant, hardware_concurrency, a worker count).
struct Trip {
  std::string Source;
  bool Count = false; ///< a number (parameter, local), not elements or input
  bool runtime() const { return !Source.empty(); }
};
} // namespace

using model::peelWrappers;

/// The container a size() call, std::size(x) or x.end() is about.
static const NamedDecl *sizedContainer(const Expr *E) {
  const Expr *C = model::sizedContainer(E);
  return C ? analysis::namedHandle(C) : nullptr;
}

static Trip classifyCount(const Expr *E, ASTContext &Ctx,
                          const llvm::SmallVectorImpl<std::string> &Words,
                          unsigned Depth = 0);

/// A count parameter that every call of its function in this translation
/// unit fixes (test(4), test(kWorkers), for (w = 1; w <= 8; ...) test(w);
/// a recursive call passing the parameter on unchanged):
/// a helper run with a set number of workers, not one start per input. A
/// function reached other ways (its address taken, virtual) or not called
/// here is not known.
static bool fixedByCallers(const ParmVarDecl *P, ASTContext &Ctx,
                           const llvm::SmallVectorImpl<std::string> &Words,
                           unsigned Depth) {
  const auto *FD = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!FD || Depth > 2)
    return false;
  analysis::CallSites &Sites = analysis::CallSites::of(Ctx);
  llvm::ArrayRef<analysis::CallSites::Site> Calls = Sites.callsTo(FD);
  if (Calls.empty() || Sites.escapes(FD))
    return false;
  unsigned Index = P->getFunctionScopeIndex();
  for (const analysis::CallSites::Site &Call : Calls) {
    const Expr *Arg = Index < Call.Args.size() ? Call.Args[Index]
                                                : P->getDefaultArg();
    if (!Arg)
      return false;
    if (const auto *Default = dyn_cast<CXXDefaultArgExpr>(Arg))
      Arg = Default->getExpr();
    // A constant, or a variable fixed the same way; not a call's result
    // (which classifyCount leaves alone for std::min(n, kMax)).
    Arg = peelWrappers(Arg);
    // A recursive call handing the count on unchanged (skynet(..., div)
    // inside skynet): fixed by whoever made the first call.
    if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Arg);
        Ref && Ref->getDecl() == P)
      continue;
    bool Fixed = Arg && (Arg->isIntegerConstantExpr(Ctx) ||
                         analysis::mentionsHardwareConcurrency(Arg) ||
                         (isa<DeclRefExpr>(Arg) &&
                          !classifyCount(Arg, Ctx, Words, Depth + 1).runtime()));
    if (!Fixed)
      return false;
  }
  return true;
}

/// Is the count \p E fixed by the program (a constant, hardware_concurrency,
/// a worker count), or does it come from runtime data? Follows local
/// variables to their initialisers a few steps.
static Trip classifyCount(const Expr *E, ASTContext &Ctx,
                          const llvm::SmallVectorImpl<std::string> &Words,
                          unsigned Depth) {
  E = peelWrappers(E);
  if (!E || E->isValueDependent() || Depth > 3)
    return {};
  if (E->isIntegerConstantExpr(Ctx))
    return {};
  if (analysis::mentionsHardwareConcurrency(E))
    return {};
  if (const NamedDecl *C = sizedContainer(E)) {
    if (isa<FieldDecl>(C))
      return {}; // a member's size: a configured set (io_contexts_, shards_)
    // A local the program sized (threads(n), slots.resize(n)): its count.
    if (const Expr *Count = model::sizeGivenTo(dyn_cast<VarDecl>(C)))
      return classifyCount(Count, Ctx, Words, Depth + 1);
    return {"element of '" + C->getNameAsString() + "'"};
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return {};
    std::string Name = VD->getNameAsString();
    if (nameHasWord(Name, Words))
      return {};
    if (VD->getType().isConstQualified() && VD->getInit() &&
        VD->getInit()->isIntegerConstantExpr(Ctx))
      return {};
    if (const auto *P = dyn_cast<ParmVarDecl>(VD)) {
      if (fixedByCallers(P, Ctx, Words, Depth))
        return {};
      return {"iteration of a loop bounded by parameter '" + Name + "'", true};
    }
    if (VD->hasLocalStorage() && VD->getInit()) {
      Trip T = classifyCount(VD->getInit(), Ctx, Words, Depth + 1);
      if (T.runtime())
        return {"iteration of a loop bounded by '" + Name + "'", T.Count};
    }
    return {};
  }
  // Arithmetic on counts: runtime if any part is.
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    Trip L = classifyCount(BO->getLHS(), Ctx, Words, Depth + 1);
    if (L.runtime())
      return L;
    return classifyCount(BO->getRHS(), Ctx, Words, Depth + 1);
  }
  // Members (configured sizes), calls (std::min(n, kMax)): not reported.
  return {};
}

/// The variables a for loop counts with: declared in its init or stepped in
/// its increment.
static bool isInduction(const Expr *E, const ForStmt *F) {
  const auto *DRE = dyn_cast<DeclRefExpr>(peelWrappers(E));
  if (!DRE)
    return false;
  const Decl *D = DRE->getDecl();
  analysis::LoopParts Parts = analysis::partsOf(F);
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(Parts.Init))
    for (const Decl *I : DS->decls())
      if (I == D)
        return true;
  bool Stepped = false;
  analysis::walkBody(Parts.Inc, [&](const Stmt *S) {
    if (const auto *R = dyn_cast<DeclRefExpr>(S))
      Stepped |= R->getDecl() == D;
    return !Stepped;
  });
  return Stepped;
}

static Trip tripOf(const Stmt *Loop, ASTContext &Ctx,
                   const llvm::SmallVectorImpl<std::string> &Words) {
  analysis::LoopParts Parts = analysis::partsOf(Loop);
  if (isa<CXXForRangeStmt>(Loop)) {
    const Expr *R = peelWrappers(Parts.RangeInit);
    if (!R)
      return {};
    QualType T = R->getType().getNonReferenceType();
    if (T->isConstantArrayType())
      return {};
    if (model::isFixedSizeRange(T->getAsCXXRecordDecl()))
      return {};
    if (const NamedDecl *ND = analysis::namedHandle(R)) {
      if (isa<FieldDecl>(ND))
        return {}; // a member container: a configured set
      // for (auto &t : threads) after threads.resize(n): n slots.
      if (const Expr *Count = model::sizeGivenTo(dyn_cast<VarDecl>(ND)))
        return classifyCount(Count, Ctx, Words);
      return {"element of '" + ND->getNameAsString() + "'"};
    }
    if (isa<InitListExpr>(R) || isa<CXXStdInitializerListExpr>(R))
      return {};
    // A generated range (views::iota(0, n), a helper): judge its arguments.
    if (const auto *C = dyn_cast<CallExpr>(R)) {
      for (const Expr *A : C->arguments()) {
        Trip TA = classifyCount(A, Ctx, Words);
        if (TA.runtime())
          return TA;
      }
      if (C->getNumArgs() == 0 || (C->getNumArgs() == 1 &&
                                   analysis::namedHandle(C->getArg(0)) &&
                                   !C->getArg(0)->getType()->isIntegerType()))
        return {"element of the range '" +
                std::string(analysis::calleeName(C)) + "()'"};
    }
    return {};
  }
  const ForStmt *For = dyn_cast<ForStmt>(Loop);
  const Expr *Cond = peelWrappers(Parts.Cond);
  if (!Cond)
    return {"iteration of an endless loop"};
  if (Cond->isValueDependent())
    return {};
  bool Value = false;
  if (!Cond->isValueDependent() &&
      Cond->EvaluateAsBooleanCondition(Value, Ctx))
    return Value ? Trip{"iteration of an endless loop"} : Trip{};
  // i < n, i != v.size(), it != v.end(), n > i
  const Expr *L = nullptr, *R = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->isRelationalOp() || BO->isEqualityOp()) {
      L = BO->getLHS();
      R = BO->getRHS();
    }
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond)) {
    if (Op->isComparisonOp() && Op->getNumArgs() == 2) {
      L = Op->getArg(0);
      R = Op->getArg(1);
    }
  } else if (const auto *RW = dyn_cast<CXXRewrittenBinaryOperator>(Cond)) {
    // it != v.end() in C++20: rewritten from operator==.
    L = RW->getLHS();
    R = RW->getRHS();
  }
  if (L && R) {
    if (For && isInduction(R, For))
      std::swap(L, R);
    if (For && !isInduction(L, For) && !sizedContainer(R))
      return {};
    return classifyCount(R, Ctx, Words);
  }
  if (For)
    return {};
  // while (n) { ...; --n; }, while (n--): a count.
  if (const auto *Step = dyn_cast<UnaryOperator>(Cond);
      Step && Step->isDecrementOp())
    Cond = peelWrappers(Step->getSubExpr());
  if (Cond->getType()->isIntegerType() && isa<DeclRefExpr>(Cond))
    return classifyCount(Cond, Ctx, Words);
  // while (running_), while (auto c = accept()), while (std::getline(...)):
  // the loop runs as long as input or the service lasts.
  return {"iteration of a loop driven by runtime input"};
}

/// workers_, workers_[i], slots_[i].thread, this->pool_: a place owned by
/// an object, not by the loop's function.
static bool isMemberPlace(const Expr *E) {
  E = peelWrappers(E);
  if (!E)
    return false;
  if (isa<MemberExpr>(E))
    return true;
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return isMemberPlace(AS->getBase());
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    if (Op->getOperator() == OO_Subscript && Op->getNumArgs() > 0)
      return isMemberPlace(Op->getArg(0));
  return false;
}

UnboundedSpawnCheck::LoopFacts
UnboundedSpawnCheck::factsOf(const Stmt *Body) {
  LoopFacts F;
  llvm::SmallVector<const VarDecl *, 4> ScopedVars;
  llvm::DenseSet<const Decl *> Moved;
  auto Walk = [&](const Stmt *S) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (model::ConcurrencyModel::waitsForWork(MC))
        F.HasBound = true;
      if (model::ConcurrencyModel::isJoinOrWait(M) &&
          Model.isFuture(MC->getImplicitObjectArgument()->getType()))
        F.HasBound = true;
      if (model::ConcurrencyModel::addsToContainer(M)) {
        bool Member = isMemberPlace(MC->getImplicitObjectArgument());
        for (const Expr *A : MC->arguments()) {
          const Expr *U = model::underlyingConstruct(A);
          // push_back(std::unique_ptr<std::thread>(new std::thread(f))):
          // the thread the pointer owns is what is kept.
          if (const Expr *Owned = model::constructionPointedBy(A))
            U = Owned;
          if (Member) {
            F.InMember.insert(MC);
            if (U)
              F.InMember.insert(U);
            F.InMember.insert(peelWrappers(A));
          }
          if (U)
            F.Stored.insert(U);
          F.Stored.insert(peelWrappers(A));
        }
      }
    } else if (const auto *C = dyn_cast<CallExpr>(S)) {
      if (model::ConcurrencyModel::waitsForWork(C))
        F.HasBound = true;
      if (model::passesObjectThrough(C))
        if (const NamedDecl *ND = analysis::namedHandle(C->getArg(0)))
          Moved.insert(ND);
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C))
        if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
          F.Stored.insert(peelWrappers(Op->getArg(1)));
          if (isMemberPlace(Op->getArg(0))) {
            F.InMember.insert(peelWrappers(Op->getArg(1)));
            if (const Expr *U = model::underlyingConstruct(Op->getArg(1)))
              F.InMember.insert(U);
          }
        }
    }
    // A running count: in_flight >= kMax, workers.size() == kBatch.
    auto CountCheck = [&](const Expr *A) {
      A = peelWrappers(A);
      if (!A)
        return false;
      if (model::isStdAtomic(A->getType()->getAsCXXRecordDecl()))
        return true;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(A)) {
        if (model::isLoad(MC->getMethodDecl()))
          return true;
        if (sizedContainer(MC))
          return true;
      }
      if (const NamedDecl *ND = analysis::namedHandle(A))
        return nameHasWord(ND->getName(),
                           llvm::SmallVector<std::string, 6>{
                               "running", "active", "inflight", "in_flight",
                               "outstanding", "pending"});
      return false;
    };
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if ((BO->isRelationalOp() || BO->isEqualityOp()) &&
          (CountCheck(BO->getLHS()) || CountCheck(BO->getRHS())))
        F.HasBound = true;
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (Op->isComparisonOp() && Op->getNumArgs() == 2 &&
          (CountCheck(Op->getArg(0)) || CountCheck(Op->getArg(1))))
        F.HasBound = true;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->hasLocalStorage() && VD->getInit() &&
              !VD->getType()->isReferenceType())
            ScopedVars.push_back(VD);
    return true;
  };
  analysis::walkBody(Body, Walk);
  // A std::jthread or a future kept in a variable of the loop body is joined
  // (waited for) at the end of each iteration: the loop runs one at a time.
  for (const VarDecl *VD : ScopedVars) {
    if (Moved.contains(VD))
      continue;
    QualType T = VD->getType();
    if (Model.isJoiningThread(T) || Model.isFuture(T)) {
      const Expr *Init = peelWrappers(VD->getInit());
      if (const Expr *U = model::underlyingConstruct(Init))
        F.SelfJoining.insert(U);
      if (const auto *CE = dyn_cast<CXXConstructExpr>(Init))
        if (CE->getNumArgs() == 1)
          Init = peelWrappers(CE->getArg(0));
      F.SelfJoining.insert(Init);
      if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(Init))
        F.SelfJoining.insert(peelWrappers(BT->getSubExpr()));
    }
  }
  return F;
}

/// The thread or task a statement of a loop body starts, if any: every
/// spawn but a pool's (a pool bounds what it runs) and a deferred task
/// (nothing runs concurrently). Null if none.
const Expr *UnboundedSpawnCheck::spawnIn(const Stmt *S, bool &IsTask) const {
  const auto *E = dyn_cast<Expr>(S);
  std::optional<analysis::Spawn> Sp = E ? analysis::spawnAt(E, Model) : std::nullopt;
  if (!Sp)
    return nullptr;
  IsTask = Sp->Kind == analysis::SpawnKind::Task;
  if (IsTask) {
    const auto *Call = cast<CallExpr>(Sp->S.Site);
    if (isa<CXXOperatorCallExpr>(Call) ||
        isa<CXXMethodDecl>(Call->getDirectCallee()) || Sp->Deferred)
      return nullptr;
  }
  return Sp->S.Site;
}

UnboundedSpawnCheck::RunningThread
UnboundedSpawnCheck::threadLeftRunningBy(const FunctionDecl *Callee) {
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  if (!Def || !Def->getBody())
    return {};
  auto [It, New] = LeftRunning.try_emplace(Def);
  if (New)
    It->second = findThreadLeftRunning(Def);
  return It->second;
}

UnboundedSpawnCheck::RunningThread
UnboundedSpawnCheck::findThreadLeftRunning(const FunctionDecl *Def) {
  const SourceManager &SM = Def->getASTContext().getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return {};
  const Stmt *Body = Def->getBody();
  llvm::SmallVector<const Expr *, 2> Threads;
  analysis::walkBody(Body, [&](const Stmt *S) {
    bool IsTask = false;
    if (const Expr *E = spawnIn(S, IsTask); E && !IsTask)
      Threads.push_back(E);
    return true;
  });
  if (Threads.empty())
    return {};
  // What the function detaches: a temporary thread, or a local one.
  llvm::DenseSet<const Expr *> Detached;
  analysis::walkBody(Body, [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    if (!MC || !model::ConcurrencyModel::isDetach(MC->getMethodDecl()))
      return true;
    if (const Expr *U =
            model::constructionBehind(MC->getImplicitObjectArgument()))
      Detached.insert(U);
    return true;
  });
  LoopFacts F = factsOf(Body);
  for (const Expr *Thread : Threads)
    if (Detached.contains(Thread))
      return {Thread, false};
  for (const Expr *Thread : Threads)
    if (F.InMember.contains(Thread))
      return {Thread, true};
  return {};
}

/// No start in the loop itself: a function of the project it calls may
/// start one per call and leave it running (one level deep).
void UnboundedSpawnCheck::checkCalledSpawns(const Stmt *Loop, const Stmt *Body,
                                            llvm::StringRef TripSource,
                                            bool CountedTrip,
                                            const SourceManager &SM) {
  if (factsOf(Body).HasBound)
    return;
  const CallExpr *Site = nullptr;
  RunningThread Running;
  analysis::walkBody(Body, [&](const Stmt *S) {
    if (Site || (S != Body && analysis::isLoop(S)))
      return false;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      RunningThread R = threadLeftRunningBy(Call->getDirectCallee());
      // A counted loop filling a member through a helper (for (i = 0; i < n;
      // ++i) add_worker();) builds a pool of n, like the direct case.
      if (R.Thread && !(CountedTrip && R.InMember)) {
        Site = Call;
        Running = R;
        return false;
      }
    }
    return true;
  });
  if (!Site)
    return;
  SourceLocation Loc = SM.getFileLoc(Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  std::string Callee = Site->getDirectCallee()->getNameAsString();
  diag(Loc, "a thread per %0, started by '%1' and left running: nothing "
            "bounds how many run at once")
      << TripSource << Callee;
  diag(SM.getFileLoc(Running.Thread->getBeginLoc()),
       "'%0' starts the thread here and returns without waiting for it",
       DiagnosticIDs::Note)
      << Callee;
  diag(SM.getFileLoc(Loop->getBeginLoc()),
       "the loop's trip count comes from runtime data", DiagnosticIDs::Note);
}

void UnboundedSpawnCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Loop = Result.Nodes.getNodeAs<Stmt>("loop");
  if (!Loop)
    return;
  const SourceManager &SM = *Result.SourceManager;
  Trip T = tripOf(Loop, *Result.Context, WorkerWords);
  if (!T.runtime())
    return;
  // The starts this loop is the innermost loop of (nested loops are matched
  // on their own; lambdas are other bodies).
  llvm::SmallVector<std::pair<const Expr *, bool>, 2> Spawns;
  const Stmt *Body = analysis::partsOf(Loop).Body;
  analysis::walkBody(Body, [&](const Stmt *S) {
    if (S != Body && analysis::isLoop(S))
      return false;
    bool IsTask = false;
    if (const Expr *E = spawnIn(S, IsTask))
      Spawns.push_back({E, IsTask});
    return true;
  });
  if (Spawns.empty())
    return checkCalledSpawns(Loop, Body, T.Source, T.Count, SM);
  LoopFacts F = factsOf(Body);
  if (F.HasBound)
    return;
  for (auto [Spawn, IsTask] : Spawns) {
    if (F.SelfJoining.contains(Spawn))
      continue;
    // A counted set of threads kept in an object's member: a pool or a
    // worker group sized by its caller (ThreadPool(size_t n)).
    if (T.Count && F.InMember.contains(Spawn))
      continue;
    // A future that is neither kept nor handed on is waited for at once.
    if (IsTask && !F.Stored.contains(Spawn))
      continue;
    SourceLocation Loc = SM.getFileLoc(Spawn->getBeginLoc());
    if (!Reported.insert(Loc).second)
      continue;
    std::string What =
        IsTask ? "a task" : "a " + Model.taskKindAt(Spawn).str();
    diag(Loc, "%0 per %1: nothing bounds how many run at once")
        << What << T.Source;
    diag(SM.getFileLoc(Loop->getBeginLoc()),
         "the loop's trip count comes from runtime data", DiagnosticIDs::Note);
    diag(Loc,
         "bound the fan-out: acquire a std::counting_semaphore before each "
         "start, hand the work to a fixed-size pool, or start a fixed batch "
         "and join it before the next",
         DiagnosticIDs::Note);
  }
}

} // namespace tether
