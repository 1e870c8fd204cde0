//===--- CallSites.cpp ----------------------------------------------------===//

#include "CallSites.h"
#include "../model/StdLibrary.h"
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
  using SiteMap =
      llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<CallSites::Site, 4>>;
  Indexer(const SourceManager &SM, SiteMap &Calls,
          llvm::DenseMap<const FunctionDecl *, bool> &AddressTaken)
      : SM(SM), Calls(Calls), AddressTaken(AddressTaken) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool VisitCallExpr(CallExpr *Call) {
    if (SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
      return true;
    llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
    if (const FunctionDecl *FD = keyOf(Call->getDirectCallee())) {
      Callees.insert(Call->getCallee()->IgnoreParenImpCasts());
      // a @ b on a member operator: a is the object, not an argument.
      bool MemberOperator = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD);
      llvm::ArrayRef<const Expr *> Received = Args.drop_front(MemberOperator ? 1 : 0);
      Calls[FD].push_back({Call, {Received.begin(), Received.end()}});
    }
    indexInvocations(Call, Args);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    if (!SM.isInSystemHeader(SM.getExpansionLoc(CE->getBeginLoc())))
      indexInvocations(CE, {CE->getArgs(), CE->getNumArgs()});
    return true;
  }
  // A function named anywhere but as the callee of a call or the callable
  // of an invocation: its address goes somewhere (a callback, a table).
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
    for (auto &[FD, Refs] : Named)
      for (const DeclRefExpr *Ref : Refs)
        if (!Callees.contains(Ref))
          AddressTaken[FD] = true;
  }

private:
  /// `f, args...` among \p Args, with exactly as many arguments after the
  /// function as it takes (its object first, for a member function): what
  /// the receiver will call it with.
  void indexInvocations(const Expr *At, llvm::ArrayRef<const Expr *> Args) {
    for (size_t I = 0; I < Args.size(); ++I) {
      const DeclRefExpr *Ref = model::functionReference(Args[I]);
      if (!Ref)
        continue;
      const auto *FD = cast<FunctionDecl>(Ref->getDecl());
      llvm::ArrayRef<const Expr *> Rest = Args.drop_front(I + 1);
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->isInstance()) {
        if (Rest.empty())
          continue;
        Rest = Rest.drop_front(); // the object
      }
      if (Rest.size() < FD->getMinRequiredArguments() ||
          Rest.size() > FD->getNumParams())
        continue;
      Calls[keyOf(FD)].push_back({At, {Rest.begin(), Rest.end()}});
      Callees.insert(Ref);
      return;
    }
  }

  const SourceManager &SM;
  SiteMap &Calls;
  llvm::DenseMap<const FunctionDecl *, bool> &AddressTaken;
  llvm::DenseMap<const FunctionDecl *,
                 llvm::SmallVector<const DeclRefExpr *, 4>>
      Named;
  /// The references that name a function as what is called.
  llvm::SmallPtrSet<const Expr *, 32> Callees;
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

llvm::ArrayRef<CallSites::Site>
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
