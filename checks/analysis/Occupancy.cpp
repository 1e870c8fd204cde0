//===--- Occupancy.cpp ----------------------------------------------------===//

#include "Occupancy.h"
#include "BodyWalk.h"
#include "Describe.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace tether::analysis {

/// The body of the function or lambda \p S is written in.
static const Stmt *enclosingBody(const Stmt *S, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*S);
  for (unsigned Steps = 0; !Parents.empty() && Steps < 256; ++Steps) {
    const DynTypedNode &P = Parents[0];
    if (const auto *L = P.get<LambdaExpr>())
      return L->getBody();
    if (const auto *FD = P.get<FunctionDecl>())
      return FD->getBody();
    Parents = Ctx.getParents(P);
  }
  return nullptr;
}

/// \p S counts \p Counter up: `++c`, `c++`, `c += n`, `c.fetch_add(n)`.
static bool increments(const Stmt *S, const ValueDecl *Counter) {
  const Expr *Target = nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(S); U && U->isIncrementOp())
    Target = U->getSubExpr();
  else if (const auto *B = dyn_cast<BinaryOperator>(S);
           B && B->getOpcode() == BO_AddAssign)
    Target = B->getLHS();
  else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
           Op && Op->getNumArgs() > 0 &&
           (Op->getOperator() == OO_PlusPlus || Op->getOperator() == OO_PlusEqual))
    Target = Op->getArg(0);
  else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
           MC && MC->getMethodDecl() &&
           MC->getMethodDecl()->getDeclName().isIdentifier() &&
           MC->getMethodDecl()->getName() == "fetch_add")
    Target = MC->getImplicitObjectArgument();
  return Target && readValue(Target) == Counter;
}

bool countsOccupants(const ValueDecl *Counter,
                     llvm::ArrayRef<const Expr *> Decrements, ASTContext &Ctx) {
  if (Decrements.empty())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  return llvm::all_of(Decrements, [&](const Expr *Dec) {
    const Stmt *Body = enclosingBody(Dec, Ctx);
    return Body && anyInBody(Body, [&](const Stmt *S) {
             return increments(S, Counter) &&
                    SM.isBeforeInTranslationUnit(S->getBeginLoc(),
                                                 Dec->getBeginLoc());
           });
  });
}

} // namespace tether::analysis
