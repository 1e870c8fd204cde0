//===--- Confinement.cpp --------------------------------------------------===//

#include "Confinement.h"
#include "BodyWalk.h"
#include "../model/StateOwnership.h"
#include "../model/StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace tether::analysis {

/// Walks member accesses, subscripts and accessors down to the variable the
/// object lives in (s.q, qs[i], v.data() are parts of s, qs, v).
ObjectRoot rootOf(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 16; ++Steps) {
    E = model::peelWrappers(E);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V)
        return {};
      // A lambda's capture, a global, a reference or pointer: shared.
      if (DRE->refersToEnclosingVariableOrCapture() || !V->hasLocalStorage() ||
          V->getType()->isReferenceType() || V->getType()->isPointerType())
        return {V, ObjectRoot::Shared};
      return {V, ObjectRoot::Local};
    }
    if (isa<CXXThisExpr>(E))
      return {nullptr, ObjectRoot::Shared};
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow() && !isa<CXXThisExpr>(model::peelWrappers(ME->getBase())))
        return {nullptr, ObjectRoot::Pointee};
      E = ME->getBase();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      if (!AS->getBase()->IgnoreImpCasts()->getType()->isArrayType())
        return {nullptr, ObjectRoot::Pointee};
      E = AS->getBase();
      continue;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      if (U->getOpcode() == UO_Deref)
        return {nullptr, ObjectRoot::Pointee};
      if (U->getOpcode() != UO_AddrOf)
        return {};
      E = U->getSubExpr();
      continue;
    }
    // v[i] and *it on a local container, v.front(), v.data(): part of v.
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      // conn->f(), *conn through a shared_ptr: the object belongs to every
      // holder of a copy (the spawner that handed it, a sibling task), as
      // a raw pointer's does; a unique_ptr's stays its variable's part.
      if ((Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star) &&
          Op->getNumArgs() == 1)
        if (const CXXRecordDecl *RD =
                model::peelWrappers(Op->getArg(0))  // past libstdc++'s
                    ->getType()                          // access base
                    ->getAsCXXRecordDecl();
            model::isSharedOwner(RD))
          return {nullptr, ObjectRoot::Pointee};
      if (Op->getNumArgs() >= 1 &&
          isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()) &&
          (Op->isGLValue() || Op->getType()->isPointerType())) {
        E = Op->getArg(0);
        continue;
      }
      return {};
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      if (MC->isGLValue() || MC->getType()->isPointerType()) {
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return {};
    }
    return {};
  }
  return {};
}

namespace {

/// The parameter types a call binds its arguments to; the first argument
/// of a member operator is the object, not a parameter.
void collectCallEscapes(const CallExpr *Call,
                        llvm::function_ref<void(const Expr *)> Escape) {
  const FunctionDecl *FD = Call->getDirectCallee();
  unsigned First = 0;
  if (isa<CXXOperatorCallExpr>(Call) && isa_and_nonnull<CXXMethodDecl>(FD))
    First = 1;
  for (unsigned I = First; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    unsigned P = I - First;
    if (!FD || P >= FD->getNumParams()) {
      // An unresolved callee, or a C variadic argument: only what is
      // written as an address can be kept.
      if (!FD || Arg->getType()->isPointerType())
        Escape(Arg);
      continue;
    }
    QualType PT = FD->getParamDecl(P)->getType();
    if (PT->isReferenceType() || PT->isPointerType() ||
        PT->isDependentType())
      Escape(Arg);
  }
}

/// Every local of \p Body that may be reached from outside the function,
/// with where it escapes: the expression handed on, or the lambda that
/// captures it.
void collectEscapes(
    const Stmt *Body,
    llvm::DenseMap<const VarDecl *, llvm::SmallVector<const Stmt *, 2>> &Out) {
  auto Escape = [&](const Expr *E) {
    if (ObjectRoot R = rootOf(E); R.Where == ObjectRoot::Local)
      Out[R.Var].push_back(E);
  };
  walkBody(
      Body,
      [&](const Stmt *N) {
        if (const auto *L = dyn_cast<LambdaExpr>(N)) {
          // By reference: the lambda reaches the variable itself. By copy:
          // the copy may share state (a handle); a scalar copy does not.
          for (const LambdaCapture &C : L->captures())
            if (C.capturesVariable())
              if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar())) {
                if (V->isInitCapture()) {
                  if (V->getType()->isReferenceType() && V->getInit())
                    Escape(V->getInit());
                } else if (C.getCaptureKind() == LCK_ByRef ||
                           !V->getType()->isScalarType()) {
                  Out[V].push_back(L);
                }
              }
          return true; // its init-captures are this function's code
        }
        if (const auto *U = dyn_cast<UnaryOperator>(N);
            U && U->getOpcode() == UO_AddrOf)
          Escape(U->getSubExpr());
        else if (const auto *Call = dyn_cast<CallExpr>(N))
          collectCallEscapes(Call, Escape);
        else if (const auto *CE = dyn_cast<CXXConstructExpr>(N)) {
          const CXXConstructorDecl *Ctor = CE->getConstructor();
          for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
            QualType PT = I < Ctor->getNumParams()
                              ? Ctor->getParamDecl(I)->getType()
                              : CE->getArg(I)->getType();
            if (PT->isReferenceType() || PT->isPointerType())
              Escape(CE->getArg(I));
          }
        } else if (const auto *DS = dyn_cast<DeclStmt>(N)) {
          // auto &r = q; (not a range-for's own __range variable)
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D))
              if (!V->isImplicit() && V->getType()->isReferenceType() &&
                  V->getInit())
                Escape(V->getInit());
        }
        return true;
      },
      Lambdas::Captures);
}

} // namespace

const char LocalEscapes::ID = 0;

LocalEscapes &LocalEscapes::of(const ASTContext &Ctx) {
  return AnalysisCache::of(Ctx).get<LocalEscapes>("");
}

bool LocalEscapes::escapes(const VarDecl *V) {
  const auto *FD = dyn_cast<FunctionDecl>(V->getDeclContext());
  const Stmt *Body = FD ? FD->getBody() : nullptr;
  if (!Body)
    return true;
  return sitesOf(FD, Body).count(V);
}

const llvm::DenseMap<const VarDecl *, llvm::SmallVector<const Stmt *, 2>> &
LocalEscapes::sitesOf(const FunctionDecl *FD, const Stmt *Body) {
  auto [It, New] = Escaped.try_emplace(FD);
  if (New)
    collectEscapes(Body, It->second);
  return It->second;
}

/// `t.join();` as a statement of a block of \p Body that declares a local
/// thread object t whose construction runs \p Lambda (`SimpleThread
/// t([&] { ... });`, `std::thread t(f, ...)` with the lambda among the
/// arguments), after that declaration: every way through the block that
/// reaches its end joined t. Null when there is none.
static const Stmt *joinOfThreadRunning(const Stmt *Body,
                                       const LambdaExpr *Lambda) {
  const Stmt *Join = nullptr;
  walkBody(
      Body,
      [&](const Stmt *N) {
        const auto *Block = dyn_cast<CompoundStmt>(N);
        if (!Block || Join)
          return !Join;
        const VarDecl *Thread = nullptr;
        for (const Stmt *S : Block->body()) {
          if (const auto *DS = dyn_cast<DeclStmt>(S)) {
            if (DS->isSingleDecl())
              if (const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl());
                  V && V->hasLocalStorage() && V->getInit() &&
                  !V->getType()->isReferenceType() &&
                  anyInBody(V->getInit(), [&](const Stmt *E) {
                    return E == Lambda;
                  }, Lambdas::Captures))
                Thread = V;
            continue;
          }
          const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
          const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
          if (!Thread || !M || !M->getDeclName().isIdentifier() ||
              M->getName() != "join")
            continue;
          const auto *Ref = dyn_cast<DeclRefExpr>(
              Call->getImplicitObjectArgument()->IgnoreParenImpCasts());
          if (Ref && Ref->getDecl() == Thread) {
            Join = S;
            break;
          }
        }
        return !Join;
      },
      Lambdas::Captures);
  return Join;
}

bool writersJoinedBefore(const Expr *Obj, const Stmt *At,
                         const ASTContext &Ctx) {
  ObjectRoot R = rootOf(Obj);
  if (R.Where != ObjectRoot::Local || !model::isSelfContained(R.Var->getType()))
    return false;
  const auto *FD = dyn_cast<FunctionDecl>(R.Var->getDeclContext());
  if (!FD || !FD->getBody())
    return false;
  const auto &Sites = LocalEscapes::of(Ctx).sitesOf(FD, FD->getBody());
  auto It = Sites.find(R.Var);
  if (It == Sites.end())
    return false; // never escapes: isConfinedLocal's business
  const SourceManager &SM = Ctx.getSourceManager();
  for (const Stmt *Site : It->second) {
    const auto *Lambda = dyn_cast<LambdaExpr>(Site);
    const Stmt *Join =
        Lambda ? joinOfThreadRunning(FD->getBody(), Lambda) : nullptr;
    if (!Join || !SM.isBeforeInTranslationUnit(Join->getEndLoc(),
                                               At->getBeginLoc()))
      return false;
  }
  return true;
}

bool isConfinedLocal(const Expr *Obj, const ASTContext &Ctx) {
  ObjectRoot R = rootOf(Obj);
  return R.Where == ObjectRoot::Local &&
         model::isSelfContained(R.Var->getType()) &&
         !LocalEscapes::of(Ctx).escapes(R.Var);
}

} // namespace tether::analysis
