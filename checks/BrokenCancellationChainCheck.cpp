//===--- BrokenCancellationChainCheck.cpp ---------------------------------===//

#include "BrokenCancellationChainCheck.h"
#include "analysis/BodyWalk.h"
#include "analysis/Describe.h"
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
using model::ConcurrencyModel;

/// Everything one walk over the stop-aware function learns.
struct Facts {
  llvm::SmallVector<analysis::Spawn, 4> Spawns;
  /// Spawn site -> the local it initialises.
  llvm::DenseMap<const Expr *, const VarDecl *> InitOf;
  /// Spawn sites whose result is thrown away at once (std::async(...);)
  /// or detached at once (std::thread(f).detach()).
  llvm::DenseSet<const Expr *> Discarded, DetachedAtOnce;
  /// Handles joined / waited, and handles detached.
  llvm::DenseSet<const ValueDecl *> Waited, Detached, MovedAway;
  bool WaitsOnSomething = false; ///< join()/get()/wait() on any handle
  bool ForwardsStop = false;     ///< stop_callback or request_stop()
};

} // namespace

BrokenCancellationChainCheck::BrokenCancellationChainCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Stop(Options),
      AllowWaitedChildren(Options.get("AllowWaitedChildren", true)) {}

void BrokenCancellationChainCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "AllowWaitedChildren", AllowWaitedChildren);
  Model.store(Options, Opts);
  Stop.store(Options, Opts);
}

void BrokenCancellationChainCheck::registerMatchers(MatchFinder *Finder) {
  auto TokenParm = Stop.stopTokenParam();
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()),
                                  hasAnyParameter(TokenParm))
                         .bind("fn"),
                     this);
  Finder->addMatcher(
      lambdaExpr(unless(isExpansionInSystemHeader()), analysis::lambdaHasParam(TokenParm))
          .bind("lambda"),
      this);
}

void BrokenCancellationChainCheck::check(
    const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  if (const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("fn"))
    checkFunction(FD);
  else if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    checkFunction(L->getCallOperator());
}

bool BrokenCancellationChainCheck::hasStopField(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getCanonicalDecl();
  auto It = StopFieldCache.find(RD);
  if (It != StopFieldCache.end())
    return It->second;
  bool Has = false;
  for (const FieldDecl *F : RD->getDefinition()->fields())
    Has |= (Model.rolesReachableThrough(F->getType()) & model::StopSignal) != 0;
  StopFieldCache[RD] = Has;
  return Has;
}

/// Records what one statement of the stop-aware function says about its
/// children: spawns, waits, detaches, moves, forwarded stops.
static void learn(const Stmt *S, const model::ConcurrencyModel &Model,
                  const model::StopModel &Stop, Facts &F) {
  if (const auto *C = dyn_cast<CompoundStmt>(S))
    for (const Stmt *Child : C->body())
      if (const auto *E = dyn_cast<Expr>(Child))
        F.Discarded.insert(model::peelWrappers(E));
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D)) {
        if (Stop.isStopCallback(V->getType()))
          F.ForwardsStop = true;
        if (const Expr *Init = V->getInit())
          F.InitOf[model::peelWrappers(Init)] = V;
      }
  if (const auto *E = dyn_cast<Expr>(S)) {
    if (Stop.isStopCallback(E->getType()))
      F.ForwardsStop = true;
    if (std::optional<analysis::Spawn> Sp = analysis::spawnAt(E, Model))
      F.Spawns.push_back(std::move(*Sp));
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (MD && Obj) {
      unsigned Roles = Model.rolesReachableThrough(Obj->getType());
      if (model::StopModel::requestsStop(MC))
        F.ForwardsStop = true;
      if ((Roles & (model::Thread | model::Future)) &&
          ConcurrencyModel::isJoinOrWait(MD)) {
        F.WaitsOnSomething = true;
        if (const ValueDecl *D = namedValue(Obj))
          F.Waited.insert(D);
      }
      if ((Roles & model::Thread) && ConcurrencyModel::isDetach(MD)) {
        if (const ValueDecl *D = namedValue(Obj))
          F.Detached.insert(D);
        else
          F.DetachedAtOnce.insert(model::peelWrappers(Obj));
      }
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (model::passesObjectThrough(Call))
      if (const ValueDecl *D = namedValue(Call->getArg(0)))
        F.MovedAway.insert(D);
    // join_all(threads), wait_all(futures), when_all: a helper that waits.
    if (ConcurrencyModel::namesJoinOrWait(Call->getDirectCallee()))
      F.WaitsOnSomething = true;
  }
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    if (const ValueDecl *D = namedValue(R->getRetValue()))
      F.MovedAway.insert(D);
  // A callback body that calls request_stop() forwards the stop too.
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    if (analysis::anyInBody(
            L->getBody(),
            [](const Stmt *X) {
              const auto *MC = dyn_cast<CXXMemberCallExpr>(X);
              return MC && model::StopModel::requestsStop(MC);
            },
            analysis::Lambdas::Enter))
      F.ForwardsStop = true;
}

/// Everything one walk over \p Body learns (the initialisers of lambdas'
/// captures are the function's own code; their bodies are callbacks).
static void walk(const Stmt *Body, const model::ConcurrencyModel &Model,
                 const model::StopModel &Stop, Facts &F) {
  analysis::walkBody(
      Body,
      [&](const Stmt *S) {
        learn(S, Model, Stop, F);
        return true;
      },
      analysis::Lambdas::Captures);
}

static bool mentionsAny(const Stmt *S,
                        llvm::ArrayRef<const ParmVarDecl *> Tokens) {
  return analysis::anyInBody(S, [&](const Stmt *N) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(N))
      return llvm::is_contained(Tokens, DRE->getDecl());
    if (const auto *L = dyn_cast<LambdaExpr>(N))
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() &&
            llvm::is_contained(Tokens, C.getCapturedVar()))
          return true;
    return false;
  });
}

/// A local of \p Body whose class hands out tokens and can be stopped
/// (std::stop_source, or any class with get_token() and request_stop()).
static bool isLocalStopSource(const VarDecl *V) {
  if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
      V->getType()->isReferenceType())
    return false;
  const CXXRecordDecl *RD = V->getType()->getAsCXXRecordDecl();
  return model::hasMethodNamed(RD, "get_token") &&
         model::hasMethodNamed(RD, "request_stop");
}

/// `src.get_token()`, `src.stop_requested()`: a use of a stop source that
/// only reads it.
static const VarDecl *sourceRead(const Stmt *S) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  if (!MD || !MD->getDeclName().isIdentifier() ||
      !llvm::is_contained({llvm::StringRef("get_token"),
                           llvm::StringRef("stop_requested"),
                           llvm::StringRef("stop_possible")},
                          MD->getName()))
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(
      MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// The child started at \p Site is handed `src.get_token()` of a local
/// stop source of \p Body that nothing can ever stop: every use of it
/// only reads it (no request_stop(), no reference to it handed to anyone,
/// no capture by reference). That link to the child is dead. Returns src.
static const VarDecl *deadSourceHandedAt(const Expr *Site, const Stmt *Body) {
  const VarDecl *Source = nullptr;
  analysis::anyInBody(
      Site,
      [&](const Stmt *N) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(N);
        const VarDecl *V = sourceRead(N);
        if (MC && V && isLocalStopSource(V) &&
            MC->getMethodDecl()->getName() == "get_token")
          Source = V;
        return Source != nullptr;
      },
      analysis::Lambdas::Captures);
  if (!Source)
    return nullptr;
  unsigned Uses = 0, Reads = 0;
  bool Captured = false;
  analysis::walkBody(
      Body,
      [&](const Stmt *N) {
        if (const auto *DRE = dyn_cast<DeclRefExpr>(N);
            DRE && DRE->getDecl() == Source)
          ++Uses;
        if (sourceRead(N) == Source)
          ++Reads;
        if (const auto *L = dyn_cast<LambdaExpr>(N))
          for (const LambdaCapture &C : L->captures())
            if (C.capturesVariable() && C.getCapturedVar() == Source &&
                C.getCaptureKind() == LCK_ByRef)
              Captured = true;
        return true;
      },
      analysis::Lambdas::Enter);
  return !Captured && Uses == Reads ? Source : nullptr;
}

/// How messages name the parent's token: 'st', or (unnamed).
static std::string tokenName(const ParmVarDecl *Token) {
  return Token->getIdentifier() ? "'" + Token->getName().str() + "'"
                                : std::string("(unnamed)");
}

void BrokenCancellationChainCheck::noteTokenReceived(const ParmVarDecl *Token) {
  const SourceManager &SM = Context->getSourceManager();
  diag(SM.getFileLoc(Token->getIdentifier() ? Token->getLocation()
                                            : Token->getBeginLoc()),
       "the parent's stop token is received here", DiagnosticIDs::Note);
}

void BrokenCancellationChainCheck::checkFunction(const FunctionDecl *FD) {
  // Templates are checked in their instantiations, where the child's
  // callable has a type; Reported keeps one finding per spawn site.
  if (!FD || !FD->getBody() || FD->isDependentContext() ||
      !Seen.insert(FD->getCanonicalDecl()).second)
    return;
  llvm::SmallVector<const ParmVarDecl *, 2> Tokens;
  for (const ParmVarDecl *P : FD->parameters())
    if (Stop.isStopToken(P->getType()))
      Tokens.push_back(P);
  if (Tokens.empty())
    return;
  Facts F;
  walk(FD->getBody(), Model, Stop, F);
  if (F.Spawns.empty() || F.ForwardsStop)
    return;

  const SourceManager &SM = Context->getSourceManager();
  const ParmVarDecl *Token = Tokens.front();
  for (const analysis::Spawn &Sp : F.Spawns) {
    const Expr *Site = Sp.S.Site;
    // 0. Handed the token of a local stop source nothing can stop: the
    //    link is dead, and waiting for the child only waits longer.
    if (!mentionsAny(Site, Tokens))
      if (const VarDecl *Dead = deadSourceHandedAt(Site, FD->getBody())) {
        reportDeadSource(Sp, Dead, Tokens.front());
        continue;
      }
    // 1. Handed the token, a stop signal, or an object holding one.
    bool Handed = mentionsAny(Site, Tokens);
    for (const Expr *A : Sp.S.Args) {
      if (A->getType().isNull())
        continue;
      Handed |= (Model.rolesReachableThrough(A->getType()) &
                 model::StopSignal) != 0;
      if (const CXXRecordDecl *RD = A->getType()->getPointeeCXXRecordDecl())
        Handed |= hasStopField(RD);
    }
    if (const Expr *Callable = Sp.S.Callable) {
      const Expr *C = model::peelWrappers(Callable);
      if (const auto *L = dyn_cast<LambdaExpr>(C)) {
        for (const LambdaCapture &Cap : L->captures()) {
          if (Cap.capturesThis()) {
            if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
              Handed |= hasStopField(MD->getParent());
          } else if (Cap.capturesVariable()) {
            QualType T = Cap.getCapturedVar()->getType();
            Handed |= (Model.rolesReachableThrough(T) & model::StopSignal) != 0;
            if (const CXXRecordDecl *RD = T->getPointeeCXXRecordDecl())
              Handed |= hasStopField(RD);
            if (const CXXRecordDecl *RD =
                    T.getNonReferenceType()->getAsCXXRecordDecl())
              Handed |= hasStopField(RD);
          }
        }
      } else if (const CXXRecordDecl *RD =
                     C->getType().isNull() ? nullptr
                                           : C->getType()->getAsCXXRecordDecl()) {
        Handed |= hasStopField(RD); // a function object holding a flag
      }
    }
    if (Handed)
      continue;

    // 2. The child cannot outlive the function: waited for before return,
    //    a local std::jthread (its destructor stops and joins it), or an
    //    async future discarded at once (it runs synchronously).
    const VarDecl *Local = F.InitOf.lookup(Site);
    bool Detached = F.DetachedAtOnce.contains(Site) ||
                    (Local && F.Detached.contains(Local));
    if (!Detached) {
      if (Sp.Kind == analysis::SpawnKind::Task && F.Discarded.contains(Site))
        continue;
      if (Local && Local->hasLocalStorage() && !F.MovedAway.contains(Local)) {
        if (Sp.Joining && Model.isJoiningThread(Local->getType()))
          continue;
        if (AllowWaitedChildren && F.Waited.contains(Local))
          continue;
      }
      if (AllowWaitedChildren && F.WaitsOnSomething && !Local)
        continue;
    }

    SourceLocation Loc = SM.getFileLoc(Site->getBeginLoc());
    if (!Reported.insert(Loc).second)
      continue;
    std::string TokenName = tokenName(Token);
    bool OwnToken = Sp.Joining && Sp.S.Callable &&
                    (model::handedRoles(Sp.S, Model) & model::StopSignal);
    if (OwnToken)
      diag(Loc, "%0 started in a stop-aware function watches only its own "
                "stop token, which stop token %1 never triggers: the child "
                "keeps running after the parent is asked to stop")
          << Sp.What << TokenName;
    else
      diag(Loc, "%select{thread|task}0 started in a stop-aware function is "
                "not handed stop token %1: the child keeps running after the "
                "parent is asked to stop")
          << (Sp.Kind == analysis::SpawnKind::Task) << TokenName;
    noteTokenReceived(Token);
    if (OwnToken)
      diag(Loc,
           "call request_stop() on the child from a std::stop_callback "
           "registered on the parent's token, or keep it a local that the "
           "parent's return stops and joins",
           DiagnosticIDs::Note);
    else
      diag(Loc,
           "pass the parent's token to the child (or a std::stop_source "
           "that a std::stop_callback on it stops), or join the child "
           "before returning",
           DiagnosticIDs::Note);
  }
}

void BrokenCancellationChainCheck::reportDeadSource(const analysis::Spawn &Sp,
                                                    const VarDecl *Source,
                                                    const ParmVarDecl *Token) {
  const SourceManager &SM = Context->getSourceManager();
  SourceLocation Loc = SM.getFileLoc(Sp.S.Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  std::string TokenName = tokenName(Token);
  diag(Loc, "%select{thread|task}0 started in a stop-aware function is handed "
            "the token of '%1', a stop source nothing ever stops: the child "
            "keeps running after the parent is asked to stop")
      << (Sp.Kind == analysis::SpawnKind::Task) << Source->getName();
  diag(SM.getFileLoc(Source->getLocation()),
       "'%0' is declared here; nothing calls request_stop() on it and no "
       "std::stop_callback links it to %1",
       DiagnosticIDs::Note)
      << Source->getName() << TokenName;
  noteTokenReceived(Token);
  diag(Loc,
       "register a std::stop_callback on %0 that calls '%1.request_stop()', "
       "or hand the child %0 itself",
       DiagnosticIDs::Note)
      << TokenName << Source->getName();
}

} // namespace tether
