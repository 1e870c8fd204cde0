//===--- SignalHandlers.cpp -----------------------------------------------===//

#include "SignalHandlers.h"
#include "../model/StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace tether::analysis {

const char SignalHandlers::ID = 0;

SignalHandlers &SignalHandlers::of(const ASTContext &Ctx) {
  return AnalysisCache::of(Ctx).get<SignalHandlers>("", Ctx);
}

namespace {

/// The global variable \p E names (through parens and casts), if any.
const VarDecl *globalNamed(const Expr *E) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(
      E ? E->IgnoreParenImpCasts() : nullptr);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return V && V->hasGlobalStorage() ? V->getCanonicalDecl() : nullptr;
}

/// signal(SIGINT, f), std::signal, sigset, bsd_signal, sysv_signal: the C
/// library's installers, whose second argument is the handler.
bool installsHandler(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (!DC->isTranslationUnit() && !DC->isStdNamespace())
    return false;
  return model::isNamedAnyOf(FD,
                             {"signal", "sigset", "bsd_signal", "sysv_signal"});
}

/// The function a handler argument names (`on_signal`, `&on_signal`), or
/// the call operator of a lambda converted to a function pointer
/// (`std::signal(SIGINT, [](int) { g_stop = 1; })`).
const FunctionDecl *handlerIn(const Expr *E) {
  if (const DeclRefExpr *Ref = model::functionReference(E))
    return cast<FunctionDecl>(Ref->getDecl())->getCanonicalDecl();
  for (const Stmt *S = E; S;) {
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      return L->getCallOperator()->getCanonicalDecl();
    auto Children = S->children();
    S = Children.empty() ? nullptr : *Children.begin();
  }
  return nullptr;
}

class Indexer : public RecursiveASTVisitor<Indexer> {
  using Base = RecursiveASTVisitor<Indexer>;

public:
  Indexer(const SourceManager &SM,
          llvm::SmallPtrSetImpl<const FunctionDecl *> &Handlers,
          llvm::DenseMap<const VarDecl *, SignalHandlers::Writers> &WritersOf)
      : SM(SM), Handlers(Handlers), WritersOf(WritersOf) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!isa<TranslationUnitDecl>(D) &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true; // the library's own globals and installers
    const FunctionDecl *Saved = Current;
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      Current = FD;
    bool Result = Base::TraverseDecl(D);
    Current = Saved;
    return Result;
  }
  // A lambda's body runs when it is called, not where it is written.
  bool TraverseLambdaExpr(LambdaExpr *L) {
    const FunctionDecl *Saved = Current;
    Current = L->getCallOperator();
    bool Result = Base::TraverseLambdaExpr(L);
    Current = Saved;
    return Result;
  }

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (installsHandler(Callee) && Call->getNumArgs() == 2)
      if (const FunctionDecl *H = handlerIn(Call->getArg(1)))
        Handlers.insert(H);
    // Bound to a non-const reference or handed as a pointer: written by
    // whoever receives it.
    if (Callee)
      for (unsigned I = 0; I < Call->getNumArgs() && I < Callee->getNumParams();
           ++I) {
        QualType P = Callee->getParamDecl(I)->getType();
        if (P->isReferenceType() && !P.getNonReferenceType().isConstQualified())
          if (const VarDecl *V = globalNamed(Call->getArg(I)))
            WritersOf[V].Anywhere = true;
      }
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *Op) {
    if (!Op->isAssignmentOp())
      return true;
    // sa.sa_handler = on_signal; then sigaction(SIGTERM, &sa, nullptr).
    if (const auto *ME =
            dyn_cast<MemberExpr>(Op->getLHS()->IgnoreParenImpCasts()))
      if (model::isNamedAnyOf(ME->getMemberDecl(),
                              {"sa_handler", "sa_sigaction"}))
        if (const FunctionDecl *H = handlerIn(Op->getRHS()))
          Handlers.insert(H);
    written(Op->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *Op) {
    if (Op->isIncrementDecrementOp())
      written(Op->getSubExpr());
    else if (Op->getOpcode() == UO_AddrOf)
      if (const VarDecl *V = globalNamed(Op->getSubExpr()))
        WritersOf[V].Anywhere = true;
    return true;
  }
  // flag = true on an atomic, ++counter on a class type: operator calls.
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *Op) {
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
    if (M && !M->isConst() && Op->getNumArgs() > 0)
      written(Op->getArg(0));
    return true;
  }
  // flag.store(true), flag.exchange(true), flag.test_and_set().
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const CXXMethodDecl *M = Call->getMethodDecl();
    if (M && !M->isConst())
      written(Call->getImplicitObjectArgument());
    return true;
  }

private:
  void written(const Expr *E) {
    const VarDecl *V = globalNamed(E);
    if (!V)
      return;
    if (Current)
      WritersOf[V].Functions.insert(Current->getCanonicalDecl());
    else
      WritersOf[V].Anywhere = true;
  }

  const SourceManager &SM;
  llvm::SmallPtrSetImpl<const FunctionDecl *> &Handlers;
  llvm::DenseMap<const VarDecl *, SignalHandlers::Writers> &WritersOf;
  const FunctionDecl *Current = nullptr;
};

} // namespace

void SignalHandlers::build() {
  if (Built)
    return;
  Built = true;
  Indexer I(Ctx.getSourceManager(), Handlers, WritersOf);
  I.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool SignalHandlers::isHandler(const FunctionDecl *FD) {
  build();
  return FD && Handlers.contains(FD->getCanonicalDecl());
}

bool SignalHandlers::writtenOnlyByHandlers(const VarDecl *V) {
  build();
  if (!V)
    return false;
  auto It = WritersOf.find(V->getCanonicalDecl());
  if (It == WritersOf.end() || It->second.Anywhere ||
      It->second.Functions.empty())
    return false;
  return llvm::all_of(It->second.Functions, [&](const FunctionDecl *FD) {
    return Handlers.contains(FD);
  });
}

} // namespace tether::analysis
