//===--- BodyWalk.cpp -----------------------------------------------------===//

#include "BodyWalk.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tether::analysis {

void walkBody(const Stmt *S, llvm::function_ref<bool(const Stmt *)> F) {
  if (!S)
    return;
  if (!F(S))
    return;
  if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    // Variables' initialisers are children; local classes are not walked.
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (const Expr *Init = VD->getInit())
          walkBody(Init, F);
    return;
  }
  for (const Stmt *Child : S->children())
    walkBody(Child, F);
}

bool mentionsHardwareConcurrency(const Expr *E) {
  bool Found = false;
  walkBody(E, [&](const Stmt *S) {
    if (const auto *C = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = C->getDirectCallee())
        if (FD->getDeclName().isIdentifier() &&
            FD->getName() == "hardware_concurrency")
          Found = true;
    return !Found;
  });
  return Found;
}

std::string calleeName(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = C->getDirectCallee())
      return FD->getQualifiedNameAsString();
  return "";
}

} // namespace tether::analysis
