//===--- ThreadSpawn.cpp --------------------------------------------------===//

#include "ThreadSpawn.h"
#include "clang/AST/DeclCXX.h"
#include <algorithm>
#include <functional>

using namespace clang;

namespace tether::model {

const Expr *underlyingConstruct(const Expr *E) {
  E = peelWrappers(E);
  if (isa_and_nonnull<CXXConstructExpr, CXXUnresolvedConstructExpr,
                      ParenListExpr>(E))
    return E;
  return nullptr;
}

/// Where the body is among a thread's constructor arguments: after what a
/// thread or fiber takes before it, boost::thread(attrs, f),
/// boost::fibers::fiber(launch::post, std::allocator_arg, salloc, f) and
/// fiber(properties, f), also written in a template before overload
/// resolution.
static unsigned firstBodyArgument(llvm::ArrayRef<const Expr *> Args) {
  unsigned First = 0;
  while (First + 1 < Args.size()) {
    QualType T = Args[First]->getType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (RD && RD->getDeclName().isIdentifier() && RD->getName() == "allocator_arg_t")
      First += 2; // and the stack allocator after it
    else if (T->isEnumeralType() ||
             (RD && RD->getDeclName().isIdentifier() && RD->getName() == "attributes") ||
             (T->isPointerType() && T->getPointeeCXXRecordDecl() &&
              T->getPointeeCXXRecordDecl()->getDeclName().isIdentifier() &&
              T->getPointeeCXXRecordDecl()->getName() == "fiber_properties"))
      ++First;
    else
      break;
  }
  // What a handle takes before its body (a project's fiber(params, &foo::doit,
  // &bar)): the body is the first argument that can (or, unresolved in a
  // template, may) be called, after resolved arguments that cannot.
  for (unsigned I = First; I + 1 < Args.size(); ++I) {
    QualType T = Args[I]->getType();
    if (T.isNull() || T->isDependentType() || isCallableExpr(Args[I]))
      break;
    if (std::any_of(Args.begin() + I + 1, Args.end(), [](const Expr *A) {
          return A->getType().isNull() || A->getType()->isDependentType() ||
                 isCallableExpr(A);
        }))
      First = I + 1;
    else
      break;
  }
  return First;
}

ThreadSpawn spawnOfUnresolved(const CXXUnresolvedConstructExpr *CE) {
  ThreadSpawn S;
  if (!CE || CE->getNumArgs() == 0)
    return S;
  // std::thread{f, args...}: the arguments are an initialiser list.
  llvm::ArrayRef<const Expr *> Written(CE->arg_begin(), CE->arg_end());
  if (const auto *List = dyn_cast<InitListExpr>(CE->getArg(0));
      List && CE->isListInitialization() && CE->getNumArgs() == 1)
    Written = llvm::ArrayRef<const Expr *>(List->getInits(), List->getNumInits());
  unsigned First = firstBodyArgument(Written);
  if (First >= Written.size())
    return S;
  S.Site = CE;
  S.StartsThread = true;
  S.Callable = Written[First]->IgnoreImplicit();
  for (const Expr *A : Written.drop_front(First + 1))
    S.Args.push_back(A->IgnoreImplicit());
  return S;
}

/// The construction the object a pointer expression points to comes from:
/// `new fiber(f)`, a smart pointer made from one (`std::shared_ptr<fiber>
/// p(new fiber(f))`, `std::shared_ptr<fiber> p(raw)`), through locals
/// initialised so.
const Expr *constructionPointedBy(const Expr *P, unsigned Depth) {
  P = P ? peelWrappers(P) : nullptr;
  if (!P || Depth > 3)
    return nullptr;
  if (const auto *New = dyn_cast<CXXNewExpr>(P))
    return New->getConstructExpr();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
    const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
    if (CE->getNumArgs() == 0 || CE->getConstructor()->isCopyOrMoveConstructor() ||
        !isNamedAnyOf(RD, {"shared_ptr", "unique_ptr"}))
      return nullptr;
    return constructionPointedBy(CE->getArg(0), Depth + 1);
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(P))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && VD->getInit())
      return constructionPointedBy(VD->getInit(), Depth + 1);
  return nullptr;
}

/// \p M returns the object it was called on (`return *this;` in every
/// return): a setter written to be chained, fiber(f).set_params(...).
static bool returnsItsObject(const CXXMethodDecl *M) {
  const FunctionDecl *Def = nullptr;
  if (!M || !M->getReturnType()->isLValueReferenceType() ||
      !M->hasBody(Def) || !Def->getBody())
    return false;
  bool Any = false, Other = false;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      const auto *U = dyn_cast_or_null<UnaryOperator>(
          R->getRetValue() ? R->getRetValue()->IgnoreParenImpCasts() : nullptr);
      (U && U->getOpcode() == UO_Deref &&
               isa<CXXThisExpr>(U->getSubExpr()->IgnoreParenImpCasts())
           ? Any
           : Other) = true;
      return;
    }
    for (const Stmt *C : S->children())
      Walk(C);
  };
  Walk(Def->getBody());
  return Any && !Other;
}

const Expr *constructionBehind(const Expr *Object) {
  if (!Object)
    return nullptr;
  if (const Expr *CE = underlyingConstruct(Object))
    return CE;
  // fiber(f).set_params("f1").detach(): the chained setter's object.
  if (const auto *Chain = dyn_cast<CXXMemberCallExpr>(Object->IgnoreParenImpCasts());
      Chain && returnsItsObject(Chain->getMethodDecl()))
    return constructionBehind(Chain->getImplicitObjectArgument());
  // p->detach(), (*p).detach(): what p points to.
  const Expr *Peeled = Object->IgnoreParenImpCasts();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Peeled);
      Op && Op->getNumArgs() == 1 &&
      (Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star))
    return constructionPointedBy(Op->getArg(0));
  if (const auto *U = dyn_cast<UnaryOperator>(Peeled);
      U && U->getOpcode() == UO_Deref)
    return constructionPointedBy(U->getSubExpr());
  if (Peeled->getType()->isPointerType())
    return constructionPointedBy(Peeled);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts()))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage() && VD->getInit())
        return underlyingConstruct(VD->getInit());
  return nullptr;
}

ThreadSpawn spawnOf(const Expr *Construct) {
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Construct))
    return spawnOfConstruct(CE);
  // std::thread t(lambda); in a template: the initialiser as written.
  if (const auto *PL = dyn_cast_or_null<ParenListExpr>(Construct)) {
    ThreadSpawn S;
    if (PL->getNumExprs() == 0)
      return S;
    S.Site = PL;
    S.StartsThread = true;
    S.Callable = PL->getExpr(0)->IgnoreImplicit();
    for (unsigned I = 1; I < PL->getNumExprs(); ++I)
      S.Args.push_back(PL->getExpr(I)->IgnoreImplicit());
    return S;
  }
  return spawnOfUnresolved(
      dyn_cast_or_null<CXXUnresolvedConstructExpr>(Construct));
}

ThreadSpawn spawnOfConstruct(const CXXConstructExpr *CE) {
  ThreadSpawn S;
  if (!CE)
    return S;
  S.Site = CE;
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  // A thread class's constructor delegating to another of its own
  // (fiber(fn) : fiber{launch::post, ..., fn}) is that one construction.
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || CE->getNumArgs() == 0 ||
      CE->getConstructionKind() == CXXConstructionKind::Delegating)
    return S;
  S.StartsThread = true;
  unsigned First = firstBodyArgument(
      llvm::ArrayRef<const Expr *>(CE->getArgs(), CE->getNumArgs()));
  if (First >= CE->getNumArgs())
    return S;
  S.Callable = CE->getArg(First)->IgnoreImplicit();
  for (unsigned I = First + 1; I < CE->getNumArgs(); ++I)
    S.Args.push_back(CE->getArg(I)->IgnoreImplicit());
  return S;
}

ThreadSpawn spawnOfCreateCall(const CallExpr *CE) {
  ThreadSpawn S;
  if (!CE || CE->getNumArgs() < 3)
    return S;
  S.Site = CE;
  S.StartsThread = true;
  S.Callable = CE->getArg(2)->IgnoreParenImpCasts();
  if (const auto *Addr = dyn_cast<UnaryOperator>(CE->getArg(0)->IgnoreParenImpCasts());
      Addr && Addr->getOpcode() == UO_AddrOf)
    S.Handle = Addr->getSubExpr()->IgnoreParenImpCasts();
  for (unsigned I = 3; I < CE->getNumArgs(); ++I)
    S.Args.push_back(CE->getArg(I)->IgnoreParenImpCasts());
  return S;
}

static unsigned rolesOfLambda(const LambdaExpr *L,
                              const ConcurrencyModel &Model) {
  unsigned Roles = 0;
  for (const LambdaCapture &C : L->captures())
    if (C.capturesVariable())
      if (const ValueDecl *V = C.getCapturedVar())
        Roles |= Model.rolesReachableThrough(V->getType());
  // A jthread hands its stop_token to a body that asks for one.
  if (const CXXMethodDecl *Call = L->getCallOperator())
    for (const ParmVarDecl *P : Call->parameters())
      Roles |= Model.rolesReachableThrough(P->getType()) & StopSignal;
  return Roles;
}

unsigned handedRoles(const ThreadSpawn &S, const ConcurrencyModel &Model) {
  unsigned Roles = 0;
  for (const Expr *A : S.Args)
    Roles |= Model.rolesReachableThrough(A->getType());
  if (!S.Callable)
    return Roles;
  const Expr *Callable = S.Callable->IgnoreParenImpCasts();
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Callable))
    Callable = M->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *L = dyn_cast<LambdaExpr>(Callable))
    return Roles | rolesOfLambda(L, Model);
  // A function object: what its fields hold was handed over too.
  if (const CXXRecordDecl *RD = Callable->getType()->getAsCXXRecordDecl())
    if (RD->hasDefinition())
      for (const FieldDecl *F : RD->fields())
        Roles |= Model.rolesReachableThrough(F->getType());
  // A plain function: its stop_token parameter is filled by jthread.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Callable))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      for (const ParmVarDecl *P : FD->parameters())
        Roles |= Model.rolesReachableThrough(P->getType()) & StopSignal;
  return Roles;
}

/// An object in the spawner's frame (a reference local or parameter binds
/// to something the caller owns, not to the frame).
static bool isSpawnerLocal(const ValueDecl *D) {
  const auto *V = dyn_cast_or_null<VarDecl>(D);
  return V && V->hasLocalStorage() && !V->getType()->isReferenceType();
}

bool borrowsSpawnerLocals(const ThreadSpawn &S) {
  for (const Expr *A : S.Args)
    if (const auto *Call = dyn_cast<CallExpr>(peelTemporaries(A));
        passesReference(Call))
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts());
          Ref && isSpawnerLocal(Ref->getDecl()))
        return true;
  const auto *L = S.Callable ? dyn_cast<LambdaExpr>(peelTemporaries(S.Callable))
                             : nullptr;
  if (!L)
    return false;
  for (const LambdaCapture &C : L->captures()) {
    if (!C.capturesVariable())
      continue;
    const auto *V = dyn_cast<VarDecl>(C.getCapturedVar());
    if (!V)
      continue;
    if (V->isInitCapture()) {
      if (V->getType()->isReferenceType())
        if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(
                V->getInit() ? V->getInit()->IgnoreParenImpCasts() : nullptr);
            Ref && isSpawnerLocal(Ref->getDecl()))
          return true;
      continue;
    }
    if (C.getCaptureKind() == LCK_ByRef && isSpawnerLocal(V))
      return true;
  }
  return false;
}

/// std::move(x) in a template, before overload resolution.
static bool isUnresolvedMove(const CallExpr *Call) {
  const auto *Callee =
      dyn_cast<UnresolvedLookupExpr>(Call->getCallee()->IgnoreParenImpCasts());
  return Callee && Call->getNumArgs() == 1 &&
         Callee->getName().isIdentifier() &&
         (Callee->getName().getAsIdentifierInfo()->getName() == "move" ||
          Callee->getName().getAsIdentifierInfo()->getName() == "forward");
}

const VarDecl *packagedTaskRun(const ThreadSpawn &S) {
  const Expr *E = peelTemporaries(S.Callable);
  if (const auto *Move = dyn_cast_or_null<CallExpr>(E);
      Move && (passesObjectThrough(Move) || isUnresolvedMove(Move)))
    E = peelTemporaries(Move->getArg(0));
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return V && isPackagedTask(V->getType()) ? V : nullptr;
}

} // namespace tether::model
