//===--- CallSites.cpp ----------------------------------------------------===//

#include "CallSites.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace tether::analysis {

const char CallSites::ID = 0;

CallSites &CallSites::of(const ASTContext &Ctx) {
  return AnalysisCache::of(Ctx).get<CallSites>("", Ctx);
}

namespace {

/// The key a function is filed under: the canonical declaration of the
/// template pattern it was instantiated from, or its own.
const FunctionDecl *keyOf(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  return FD->getCanonicalDecl();
}

class Indexer : public RecursiveASTVisitor<Indexer> {
public:
  Indexer(const SourceManager &SM,
          llvm::DenseMap<const FunctionDecl *,
                         llvm::SmallVector<const CallExpr *, 4>> &Calls,
          llvm::DenseMap<const FunctionDecl *, bool> &AddressTaken)
      : SM(SM), Calls(Calls), AddressTaken(AddressTaken) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool VisitCallExpr(CallExpr *Call) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      return true;
    if (const FunctionDecl *FD = keyOf(Call->getDirectCallee()))
      Calls[FD].push_back(Call);
    return true;
  }
  // A function named anywhere but as the callee of a call: its address
  // goes somewhere (a thread's entry, a callback, a table).
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl()))
      Named[keyOf(FD)].push_back(Ref);
    return true;
  }
  bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *E) {
    for (const NamedDecl *D : E->decls())
      if (const auto *FD = dyn_cast<FunctionDecl>(D->getUnderlyingDecl()))
        AddressTaken[keyOf(FD)] = true; // a call not resolved: not followed
      else if (const auto *FT =
                   dyn_cast<FunctionTemplateDecl>(D->getUnderlyingDecl()))
        AddressTaken[keyOf(FT->getTemplatedDecl())] = true;
    return true;
  }

  void finish() {
    for (auto &[FD, Refs] : Named) {
      llvm::SmallPtrSet<const Expr *, 8> Callees;
      for (const CallExpr *Call : Calls.lookup(FD))
        Callees.insert(Call->getCallee()->IgnoreParenImpCasts());
      for (const DeclRefExpr *Ref : Refs)
        if (!Callees.contains(Ref))
          AddressTaken[FD] = true;
    }
  }

private:
  const SourceManager &SM;
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const CallExpr *, 4>>
      &Calls;
  llvm::DenseMap<const FunctionDecl *, bool> &AddressTaken;
  llvm::DenseMap<const FunctionDecl *,
                 llvm::SmallVector<const DeclRefExpr *, 4>>
      Named;
};

} // namespace

void CallSites::build() {
  if (Built)
    return;
  Built = true;
  Indexer I(Ctx.getSourceManager(), Calls, AddressTaken);
  I.TraverseDecl(Ctx.getTranslationUnitDecl());
  I.finish();
}

llvm::ArrayRef<const CallExpr *>
CallSites::callsTo(const FunctionDecl *FD) {
  build();
  auto It = Calls.find(keyOf(FD));
  if (It == Calls.end())
    return {};
  return It->second;
}

bool CallSites::escapes(const FunctionDecl *FD) {
  build();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->isVirtual())
    return true;
  return AddressTaken.lookup(keyOf(FD));
}

} // namespace tether::analysis
