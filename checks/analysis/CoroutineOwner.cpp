//===--- CoroutineOwner.cpp -----------------------------------------------===//

#include "CoroutineOwner.h"
#include "BodyWalk.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tether::analysis {

/// The whole body is one try (after declarations, before a bare co_return)
/// whose handlers all do something: whatever ends the coroutine is caught
/// where the code decided what to do with it.
static bool wholeBodyHandled(const Stmt *Body) {
  const CXXTryStmt *Try = dyn_cast_or_null<CXXTryStmt>(Body);
  if (const auto *Block = dyn_cast_or_null<CompoundStmt>(Body))
    for (const Stmt *S : Block->body()) {
      if (const auto *T = dyn_cast<CXXTryStmt>(S); T && !Try)
        Try = T;
      else if (const auto *Ret = dyn_cast<CoreturnStmt>(S);
               Ret && !Ret->getOperand() && Try)
        continue;
      else if (!isa<DeclStmt, NullStmt>(S) || Try)
        return false;
    }
  if (!Try)
    return false;
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
    const auto *Handler =
        dyn_cast_or_null<CompoundStmt>(Try->getHandler(I)->getHandlerBlock());
    if (!Handler || Handler->body_empty())
      return false;
  }
  return true;
}

/// The declaration \p E names and the type it has there.
static const ValueDecl *mentioned(const Stmt *S) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    return ME->getMemberDecl();
  return nullptr;
}

/// \p D lives in the coroutine's own frame: a local or a by-value
/// parameter of \p Fn (nobody else can reach it to cancel it).
static bool ownLocal(const ValueDecl *D, const FunctionDecl *Fn) {
  const auto *V = dyn_cast<VarDecl>(D);
  return V && V->hasLocalStorage() && !V->getType()->isReferenceType() &&
         V->getDeclContext() == Fn;
}

static bool endable(const model::CoroutineSpawn &S,
                    const model::ConcurrencyModel &Model) {
  if (S.Token == model::CompletionToken::CancellableDetached)
    return true;
  // A member coroutine of a class holding a socket: the session object.
  if (const auto *M = dyn_cast<CXXMethodDecl>(S.Coroutine);
      M && !M->getParent()->isLambda())
    for (const FieldDecl *F : M->getParent()->fields())
      if (model::isPeerIoObject(F->getType()))
        return true;
  return anyInBody(S.Body, [&](const Stmt *Node) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Node))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getDeclName().isIdentifier() &&
            MD->getName() == "stop_requested")
          return true;
    const ValueDecl *D = mentioned(Node);
    if (!D)
      return false;
    QualType T = D->getType();
    if (D->getDeclName().isIdentifier() &&
        D->getName() == "cancellation_state") // this_coro::cancellation_state
      return true;
    if (Model.rolesReachableThrough(T) & model::StopSignal)
      return true;
    if (model::isPeerIoObject(T))
      return true;
    return model::isCancellableWaitObject(T) && !ownLocal(D, S.Coroutine);
  });
}

CoroutineOwnership ownershipOf(const model::CoroutineSpawn &S,
                               const model::ConcurrencyModel &Model) {
  CoroutineOwnership O;
  if (!S.Body || !S.Coroutine)
    return O;
  O.FailureSeen = (S.Token != model::CompletionToken::Detached &&
                   S.Token != model::CompletionToken::CancellableDetached) ||
                  wholeBodyHandled(S.Body);
  O.Stoppable = endable(S, Model);
  return O;
}

} // namespace tether::analysis
