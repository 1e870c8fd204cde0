//===--- LostThreadResultCheck.cpp ----------------------------------------===//

#include "LostThreadResultCheck.h"
#include "analysis/BodyWalk.h"
#include "analysis/Matchers.h"
#include "analysis/ThreadEntries.h"
#include "model/StopModel.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

LostThreadResultCheck::LostThreadResultCheck(StringRef Name,
                                             tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options) {}

void LostThreadResultCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
}

void LostThreadResultCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      cxxConstructExpr(
          analysis::constructorIs(cxxConstructorDecl(ofClass(Model.threadRecord()))),
          analysis::isExpansionInUserCode())
          .bind("spawn"),
      this);
  // threads.emplace_back(entry, args...): the thread is built inside the
  // container, in a system header; the call is the spawn.
  Finder->addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName(
                            "emplace_back", "emplace", "emplace_front"))),
                        analysis::isExpansionInUserCode())
          .bind("emplace"),
      this);
  Finder->addMatcher(
      callExpr(argumentCountIs(4),
               analysis::calleeIs(functionDecl(Model.threadCreateFunction())),
               analysis::isExpansionInUserCode())
          .bind("create"),
      this);
}

namespace {

/// A `return value;` whose value is not a null pointer constant.
const ReturnStmt *nonNullReturn(const Stmt *S, ASTContext &Ctx) {
  return cast_or_null<ReturnStmt>(analysis::findInBody(S, [&](const Stmt *N) {
    const auto *R = dyn_cast<ReturnStmt>(N);
    const Expr *V = R ? R->getRetValue() : nullptr;
    return V &&
           !V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
  }));
}

/// pthread_join(tid, &result) with a non-null second argument in \p Body
/// (also in a callback it writes).
bool readsResult(const Stmt *S, const ValueDecl *Handle, ASTContext &Ctx) {
  return analysis::anyInBody(
      S,
      [&](const Stmt *N) {
        const auto *C = dyn_cast<CallExpr>(N);
        if (!C || !model::ConcurrencyModel::readsThreadResult(C))
          return false;
        const auto *Ref =
            dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts());
        return Ref && Ref->getDecl() == Handle &&
               !C->getArg(1)->IgnoreParenImpCasts()->isNullPointerConstant(
                   Ctx, Expr::NPC_ValueDependentIsNotNull);
      },
      analysis::Lambdas::Enter);
}

/// Every value \p Entry returns is the same constant (`return 0;` at the
/// end of a worker), or it returns none (an endless loop left through
/// exit()): its result tells nobody anything, so nothing is lost.
bool returnsNoInformation(const FunctionDecl *Entry, ASTContext &Ctx) {
  std::optional<llvm::APSInt> Seen;
  bool Varies = false;
  analysis::walkBody(Entry->getBody(), [&](const Stmt *N) {
    const auto *R = dyn_cast<ReturnStmt>(N);
    const Expr *V = R ? R->getRetValue() : nullptr;
    if (!V)
      return !Varies;
    Expr::EvalResult Value;
    if (V->isValueDependent() || !V->EvaluateAsInt(Value, Ctx) ||
        (Seen && *Seen != Value.Val.getInt()))
      Varies = true;
    else
      Seen = Value.Val.getInt();
    return !Varies;
  });
  return !Varies;
}

} // namespace

/// pthread_create(&tid, attr, routine, arg): the routine returns a value
/// that no pthread_join(tid, &result) in the creating function reads.
void LostThreadResultCheck::checkCreate(const CallExpr *Create,
                                        ASTContext &Ctx) {
  model::ThreadSpawn S = model::spawnOfCreateCall(Create);
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(S.Handle);
  const auto *Handle = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  const auto *Routine = dyn_cast_or_null<DeclRefExpr>(S.Callable);
  const auto *FD =
      Routine ? dyn_cast<FunctionDecl>(Routine->getDecl()) : nullptr;
  // Only where the whole picture is visible: a local handle, a routine with
  // a body in this file.
  if (!Handle || !Handle->hasLocalStorage() || !FD || !FD->hasBody())
    return;
  const ReturnStmt *Ret = nonNullReturn(FD->getBody(), Ctx);
  if (!Ret)
    return;
  const auto *Creator =
      dyn_cast_or_null<FunctionDecl>(Handle->getParentFunctionOrMethod());
  if (!Creator || !Creator->hasBody() ||
      readsResult(Creator->getBody(), Handle, Ctx))
    return;
  SourceLocation Loc =
      Ctx.getSourceManager().getFileLoc(Create->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  diag(Loc, "thread '%0' returns a result from '%1' that no pthread_join "
            "reads: nothing can learn how it ended")
      << Handle->getName() << FD->getName();
  diag(Ret->getBeginLoc(), "'%0' returns a value here", DiagnosticIDs::Note)
      << FD->getName();
}

void LostThreadResultCheck::check(const MatchFinder::MatchResult &Result) {
  if (const auto *Create = Result.Nodes.getNodeAs<CallExpr>("create"))
    return checkCreate(Create, *Result.Context);
  if (const auto *Emplace = Result.Nodes.getNodeAs<CallExpr>("emplace")) {
    std::optional<analysis::Spawn> Sp = analysis::spawnAt(Emplace, Model);
    if (Sp && Sp->Kind == analysis::SpawnKind::Thread && Sp->S.Callable)
      checkEntry(Emplace, Sp->S.Callable, Model.taskKindAt(Emplace),
                 *Result.SourceManager);
    return;
  }
  const auto *CE = Result.Nodes.getNodeAs<CXXConstructExpr>("spawn");
  model::ThreadSpawn Spawn = model::spawnOfConstruct(CE);
  if (!Spawn || !Spawn.Callable)
    return;
  checkEntry(CE, Spawn.Callable, Model.taskKindAt(CE),
             *Result.SourceManager);
}

/// A thread started at \p Site runs \p Callable: does its entry return a
/// value nobody can read?
void LostThreadResultCheck::checkEntry(const Expr *Site, const Expr *Callable,
                                       llvm::StringRef Kind,
                                       const SourceManager &SM) {
  const FunctionDecl *Entry = analysis::entryOf(Callable);
  if (!Entry || Entry->isDependentContext())
    return;
  // A thread serving an event loop: run()'s count of handlers is no result.
  if (model::StopModel::runsEventLoop(dyn_cast<CXXMethodDecl>(Entry)))
    return;
  QualType Ret = Entry->getReturnType();
  if (Ret.isNull() || Ret->isVoidType() || Ret->isDependentType() ||
      Ret->isUndeducedType() ||
      (Entry->getBody() &&
       returnsNoInformation(Entry, Entry->getASTContext())))
    return;
  SourceLocation Loc = SM.getFileLoc(Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  std::string What = isa<CXXMethodDecl>(Entry) &&
                             cast<CXXMethodDecl>(Entry)->getParent()->isLambda()
                         ? std::string("the lambda")
                         : "'" + Entry->getQualifiedNameAsString() + "'";
  bool Fiber = Kind == "fiber";
  diag(Loc, "%0 discards the %1 that %2 returns: nothing can read the "
            "result or learn that it failed")
      << Kind << Ret.getUnqualifiedType() << What;
  diag(Entry->getLocation(), "%0 returns %1 here", DiagnosticIDs::Note)
      << What << Ret.getUnqualifiedType();
  diag(Loc,
       "run it with %select{std::async or a std::packaged_task|"
       "boost::fibers::async or a boost::fibers::packaged_task}0 so the owner "
       "gets the value (and any exception) through a future",
       DiagnosticIDs::Note)
      << Fiber;
}

} // namespace tether
