//===--- BodyWalk.cpp -----------------------------------------------------===//

#include "BodyWalk.h"
#include "../model/ConcurrencyModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>

using namespace clang;

namespace tether::analysis {

namespace {
enum class Next { Children, Siblings, Stop };

/// Preorder over \p Root with an explicit stack: what \p F returns says
/// where to go next.
template <typename Fn> void walk(const Stmt *Root, Lambdas L, Fn &&F) {
  llvm::SmallVector<const Stmt *, 32> Stack{Root};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    Next N = F(S);
    if (N == Next::Stop)
      return;
    if (N == Next::Siblings)
      continue;
    size_t First = Stack.size();
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      if (L == Lambdas::Skip)
        continue;
      if (L == Lambdas::Captures) {
        for (const Expr *Init : Lambda->capture_inits())
          Stack.push_back(Init);
        std::reverse(Stack.begin() + First, Stack.end());
        continue;
      }
    } else if (isa<BlockExpr>(S) && L != Lambdas::Enter) {
      continue;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      // Variables' initialisers are children; local classes are not walked.
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Stack.push_back(VD->getInit());
    } else {
      for (const Stmt *Child : S->children())
        Stack.push_back(Child);
    }
    std::reverse(Stack.begin() + First, Stack.end());
  }
}
} // namespace

void walkBody(const Stmt *S, llvm::function_ref<bool(const Stmt *)> F,
              Lambdas L) {
  walk(S, L, [&](const Stmt *N) { return F(N) ? Next::Children : Next::Siblings; });
}

const Stmt *findInBody(const Stmt *S,
                       llvm::function_ref<bool(const Stmt *)> Pred, Lambdas L) {
  const Stmt *Found = nullptr;
  walk(S, L, [&](const Stmt *N) {
    if (!Pred(N))
      return Next::Children;
    Found = N;
    return Next::Stop;
  });
  return Found;
}

bool mentionsHardwareConcurrency(const Expr *E) {
  return anyInBody(E, [](const Stmt *S) {
    const auto *C = dyn_cast<CallExpr>(S);
    return C && model::ConcurrencyModel::isHardwareConcurrency(
                    C->getDirectCallee());
  });
}

std::string calleeName(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = C->getDirectCallee())
      return FD->getQualifiedNameAsString();
  return "";
}

} // namespace tether::analysis
