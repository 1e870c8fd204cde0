//===--- ThreadEntries.cpp ------------------------------------------------===//

#include "ThreadEntries.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/ASTContext.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether::analysis {

/// Element type of a standard container of threads, if \p T is one.
static bool holdsThreads(QualType T, const model::ConcurrencyModel &Model) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() < 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  return Model.isThread(Spec->getTemplateArgs()[0].getAsType());
}

static QualType containerElement(QualType T) {
  const auto *Spec = cast<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl());
  return Spec->getTemplateArgs()[0].getAsType();
}

void addSpawnMatchers(MatchFinder *Finder, MatchFinder::MatchCallback *CB,
                      const model::ConcurrencyModel &Model) {
  Finder->addMatcher(
      cxxConstructExpr(
          hasDeclaration(cxxConstructorDecl(ofClass(Model.threadRecord()))),
          unless(isExpansionInSystemHeader()))
          .bind("spawn"),
      CB);
  Finder->addMatcher(
      callExpr(callee(functionDecl(
                   anyOf(Model.taskSpawner(), Model.threadCreateFunction(),
                         hasAnyName("emplace_back", "emplace",
                                    "emplace_front")))),
               unless(isExpansionInSystemHeader()))
          .bind("spawn"),
      CB);
}

std::optional<Spawn> spawnAt(const Expr *E,
                             const model::ConcurrencyModel &Model) {
  if (!E || E->getType().isNull() || E->isTypeDependent())
    return std::nullopt;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (!Model.isThread(CE->getType()))
      return std::nullopt;
    model::ThreadSpawn S = model::spawnOfConstruct(CE);
    if (!S)
      return std::nullopt;
    Spawn Out;
    Out.S = S;
    Out.Kind = SpawnKind::Thread;
    Out.Joining = Model.isJoiningThread(CE->getType());
    if (const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl())
      Out.What = model::canonicalName(RD);
    return Out;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return std::nullopt;
  if (Model.isThreadCreateFunction(FD)) {
    model::ThreadSpawn S = model::spawnOfCreateCall(Call);
    if (!S)
      return std::nullopt;
    return Spawn{S, SpawnKind::CThread, false, model::canonicalName(FD)};
  }
  if (Model.isTaskSpawner(FD)) {
    Spawn Out;
    Out.Kind = SpawnKind::Task;
    Out.What = model::canonicalName(FD);
    Out.S.Site = Call;
    Out.S.StartsThread = true;
    unsigned First = 0;
    // std::async(std::launch::async, f, args...): skip the policy.
    if (Call->getNumArgs() > 1 && !Call->getArg(0)->getType().isNull() &&
        Call->getArg(0)->getType()->isEnumeralType())
      First = 1;
    // The object of a member call (pool.submit(f)) is not an argument.
    if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD))
      First += 1;
    if (Call->getNumArgs() <= First)
      return std::nullopt;
    Out.S.Callable = Call->getArg(First)->IgnoreImplicit();
    for (unsigned I = First + 1; I < Call->getNumArgs(); ++I)
      Out.S.Args.push_back(Call->getArg(I)->IgnoreImplicit());
    return Out;
  }
  // threads.emplace_back(f, args...): the thread is built inside the
  // container, in a system header; the call is the spawn.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    if (!FD->getDeclName().isIdentifier() || MC->getNumArgs() == 0 ||
        (FD->getName() != "emplace_back" && FD->getName() != "emplace" &&
         FD->getName() != "emplace_front"))
      return std::nullopt;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj || Obj->getType().isNull() || !holdsThreads(Obj->getType(), Model))
      return std::nullopt;
    // emplace_back(std::move(t)) moves an existing thread: no spawn.
    if (MC->getNumArgs() == 1 && !MC->getArg(0)->getType().isNull() &&
        Model.isThread(MC->getArg(0)->getType()))
      return std::nullopt;
    QualType Elem = containerElement(Obj->getType());
    Spawn Out;
    Out.Kind = SpawnKind::Thread;
    Out.Joining = Model.isJoiningThread(Elem);
    if (const CXXRecordDecl *RD = Elem->getAsCXXRecordDecl())
      Out.What = model::canonicalName(RD);
    Out.S.Site = MC;
    Out.S.StartsThread = true;
    Out.S.Callable = MC->getArg(0)->IgnoreImplicit();
    for (unsigned I = 1; I < MC->getNumArgs(); ++I)
      Out.S.Args.push_back(MC->getArg(I)->IgnoreImplicit());
    return Out;
  }
  return std::nullopt;
}

static void walkSpawns(const Stmt *S, const model::ConcurrencyModel &Model,
                       llvm::SmallVectorImpl<Spawn> &Out, unsigned Depth) {
  if (!S || Depth > 256)
    return;
  if (const auto *E = dyn_cast<Expr>(S))
    if (std::optional<Spawn> Sp = spawnAt(E, Model))
      Out.push_back(std::move(*Sp));
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // Captures' initialisers belong to the enclosing function; the body
    // does not.
    for (const Expr *Init : L->capture_inits())
      walkSpawns(Init, Model, Out, Depth + 1);
    return;
  }
  for (const Stmt *Child : S->children())
    walkSpawns(Child, Model, Out, Depth + 1);
}

void findSpawns(const Stmt *Body, const model::ConcurrencyModel &Model,
                llvm::SmallVectorImpl<Spawn> &Out) {
  walkSpawns(Body, Model, Out, 0);
}

static const FunctionDecl *withBody(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def)
    return Def;
  return nullptr;
}

const FunctionDecl *entryOf(const Expr *Callable) {
  const Expr *E = peelTemporaries(Callable);
  if (!E)
    return nullptr;
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->getCallOperator();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = peelTemporaries(U->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return withBody(FD);
  // A function object: its operator(), when there is exactly one.
  if (E->getType().isNull())
    return nullptr;
  if (const CXXRecordDecl *RD = E->getType()->getAsCXXRecordDecl()) {
    if (!RD->hasDefinition() || RD->isLambda())
      return nullptr;
    const CXXMethodDecl *Call = nullptr;
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getOverloadedOperator() == OO_Call) {
        if (Call)
          return nullptr;
        Call = M;
      }
    return withBody(Call);
  }
  return nullptr;
}

static void walkCallees(const Stmt *S,
                        llvm::SmallVectorImpl<const FunctionDecl *> &Out,
                        unsigned Depth) {
  if (!S || Depth > 256 || isa<LambdaExpr>(S))
    return;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = withBody(Call->getDirectCallee())) {
      const SourceManager &SM = FD->getASTContext().getSourceManager();
      if (!SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
          !llvm::is_contained(Out, FD))
        Out.push_back(FD);
    }
  for (const Stmt *Child : S->children())
    walkCallees(Child, Out, Depth + 1);
}

void directCallees(const Stmt *Body,
                   llvm::SmallVectorImpl<const FunctionDecl *> &Out) {
  walkCallees(Body, Out, 0);
}

} // namespace tether::analysis
