//===--- LostThreadResultCheck.cpp ----------------------------------------===//

#include "LostThreadResultCheck.h"
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
      cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(
                           Model.threadRecord()))),
                       unless(isExpansionInSystemHeader()))
          .bind("spawn"),
      this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(Model.threadCreateFunction())),
               argumentCountIs(4), unless(isExpansionInSystemHeader()))
          .bind("create"),
      this);
}

namespace {

/// The function a thread runs, when it is known without instantiating
/// anything: a lambda's call operator, a named function, a member function
/// pointer, or a function object with one call operator.
const FunctionDecl *entryOf(const Expr *Callable) {
  Callable = Callable->IgnoreParenImpCasts();
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Callable))
    Callable = M->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Callable))
    Callable = B->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *L = dyn_cast<LambdaExpr>(Callable))
    return L->getCallOperator();
  if (const auto *U = dyn_cast<UnaryOperator>(Callable))
    if (U->getOpcode() == UO_AddrOf)
      Callable = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Callable))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD;
  if (const CXXRecordDecl *RD = Callable->getType()->getAsCXXRecordDecl()) {
    if (!RD->hasDefinition())
      return nullptr;
    const CXXMethodDecl *Only = nullptr;
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getOverloadedOperator() == OO_Call) {
        if (Only)
          return nullptr; // overloaded: which one runs depends on arguments
        Only = M;
      }
    // std::packaged_task::operator() returns void: the future carries it.
    return Only;
  }
  return nullptr;
}

/// A `return value;` whose value is not a null pointer constant.
const ReturnStmt *nonNullReturn(const Stmt *S, ASTContext &Ctx) {
  if (!S)
    return nullptr;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    if (const Expr *V = R->getRetValue())
      if (!V->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        return R;
  if (isa<LambdaExpr>(S))
    return nullptr;
  for (const Stmt *Child : S->children())
    if (const ReturnStmt *R = nonNullReturn(Child, Ctx))
      return R;
  return nullptr;
}

/// pthread_join(tid, &result) with a non-null second argument in \p Body.
bool readsResult(const Stmt *S, const ValueDecl *Handle, ASTContext &Ctx) {
  if (!S)
    return false;
  if (const auto *C = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = C->getDirectCallee())
      if (FD->getDeclName().isIdentifier() && FD->getName() == "pthread_join" &&
          C->getNumArgs() == 2) {
        const auto *Ref =
            dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts());
        if (Ref && Ref->getDecl() == Handle &&
            !C->getArg(1)->IgnoreParenImpCasts()->isNullPointerConstant(
                Ctx, Expr::NPC_ValueDependentIsNotNull))
          return true;
      }
  for (const Stmt *Child : S->children())
    if (readsResult(Child, Handle, Ctx))
      return true;
  return false;
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
  const auto *CE = Result.Nodes.getNodeAs<CXXConstructExpr>("spawn");
  model::ThreadSpawn Spawn = model::spawnOfConstruct(CE);
  if (!Spawn || !Spawn.Callable)
    return;
  const FunctionDecl *Entry = entryOf(Spawn.Callable);
  if (!Entry || Entry->isDependentContext())
    return;
  QualType Ret = Entry->getReturnType();
  if (Ret.isNull() || Ret->isVoidType() || Ret->isDependentType() ||
      Ret->isUndeducedType())
    return;
  const SourceManager &SM = *Result.SourceManager;
  SourceLocation Loc = SM.getFileLoc(CE->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  std::string What = isa<CXXMethodDecl>(Entry) &&
                             cast<CXXMethodDecl>(Entry)->getParent()->isLambda()
                         ? std::string("the lambda")
                         : "'" + Entry->getQualifiedNameAsString() + "'";
  diag(Loc, "thread discards the %0 that %1 returns: nothing can read the "
            "result or learn that it failed")
      << Ret.getUnqualifiedType() << What;
  diag(Entry->getLocation(), "%0 returns %1 here", DiagnosticIDs::Note)
      << What << Ret.getUnqualifiedType();
  diag(Loc,
       "run it with std::async or a std::packaged_task so the owner gets the "
       "value (and any exception) through a future",
       DiagnosticIDs::Note);
}

} // namespace tether
