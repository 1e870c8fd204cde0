//===--- StdLibrary.cpp ---------------------------------------------------===//

#include "StdLibrary.h"
#include "ConcurrencyModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/CharInfo.h"

using namespace clang;

namespace tether::model {

const Expr *peelWrappers(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *C = dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *C = dyn_cast<CStyleCastExpr>(E);
             C && C->getType()->isVoidType())
      E = C->getSubExpr();
    else
      return E;
  }
  return E;
}

const Expr *peelTemporaries(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = peelWrappers(E);
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
    if (!CE || CE->getNumArgs() != 1 ||
        !CE->getConstructor()->isCopyOrMoveConstructor())
      return E;
    E = CE->getArg(0);
  }
  return E;
}

const Expr *objectOf(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    return MC->getImplicitObjectArgument();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    return Op->getNumArgs() ? Op->getArg(0) : nullptr;
  const Expr *Callee = Call->getCallee()->IgnoreParenImpCasts();
  if (const auto *DS = dyn_cast<CXXDependentScopeMemberExpr>(Callee))
    return DS->isImplicitAccess() ? nullptr : DS->getBase();
  if (const auto *ME = dyn_cast<MemberExpr>(Callee))
    return ME->getBase();
  return nullptr;
}

llvm::StringRef spelledCallee(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (FD && FD->getDeclName().isIdentifier())
    return FD->getName();
  if (const auto *DS = dyn_cast<CXXDependentScopeMemberExpr>(
          Call->getCallee()->IgnoreParenImpCasts()))
    if (DS->getMember().isIdentifier())
      return DS->getMember().getAsIdentifierInfo()->getName();
  return {};
}

const CXXMethodDecl *ownMethodCalled(const CallExpr *Call) {
  const auto *ME = dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParenImpCasts());
  return ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
             ? dyn_cast<CXXMethodDecl>(ME->getMemberDecl())
             : nullptr;
}

const DeclRefExpr *functionReference(const Expr *E) {
  E = peelTemporaries(E);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = peelTemporaries(U->getSubExpr());
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(E);
  return Ref && isa<FunctionDecl>(Ref->getDecl()) ? Ref : nullptr;
}

const Expr *boundCallable(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(peelTemporaries(E));
  if (!Call || Call->getNumArgs() == 0)
    return nullptr;
  bool Bind = false;
  if (const FunctionDecl *FD = Call->getDirectCallee())
    Bind = FD->getDeclName().isIdentifier() && FD->getName() == "bind" &&
           ConcurrencyModel::inStdOrBoost(FD);
  else if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(
               Call->getCallee()->IgnoreParenImpCasts()))
    Bind = ULE->getName().isIdentifier() &&
           ULE->getName().getAsIdentifierInfo()->getName() == "bind" &&
           llvm::any_of(ULE->decls(), [](const NamedDecl *D) {
             return ConcurrencyModel::inStdOrBoost(D);
           });
  return Bind ? peelTemporaries(Call->getArg(0)) : nullptr;
}

unsigned writtenArgCount(const CallExpr *Call) {
  unsigned N = Call->getNumArgs();
  while (N > 0 && isa<CXXDefaultArgExpr>(Call->getArg(N - 1)))
    --N;
  return N;
}

bool passesObjectThrough(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && Call->getNumArgs() == 1 && FD->getDeclName().isIdentifier() &&
         (FD->getName() == "move" || FD->getName() == "forward");
}

bool isTransparentCall(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier() || !FD->isInStdNamespace())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "ref" || N == "cref" || N == "move" || N == "forward" ||
         N == "addressof" || N == "as_const";
}

bool isStdAsync(const FunctionDecl *FD) {
  return FD && FD->getDeclName().isIdentifier() && FD->getName() == "async" &&
         FD->isInStdNamespace();
}

llvm::SmallVector<std::string, 4> identifierWords(llvm::StringRef N) {
  llvm::SmallVector<std::string, 4> Words;
  std::string Word;
  for (size_t I = 0; I < N.size(); ++I) {
    char C = N[I];
    bool Boundary = C == '_' || (I > 0 && isUppercase(C) &&
                                 (isLowercase(N[I - 1]) || isDigit(N[I - 1])));
    if (Boundary && !Word.empty())
      Words.push_back(Word), Word.clear();
    if (C != '_')
      Word.push_back(toLowercase(C));
  }
  if (!Word.empty())
    Words.push_back(Word);
  return Words;
}

bool hasCallOperator(QualType T) {
  const CXXRecordDecl *RD =
      T.isNull() ? nullptr : T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->hasDefinition() &&
         !RD->lookup(RD->getASTContext().DeclarationNames.getCXXOperatorName(
                         OO_Call))
              .empty();
}

bool isCallableExpr(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType().getNonReferenceType();
  if (T->isFunctionType() || T->isFunctionPointerType() ||
      T->isMemberFunctionPointerType())
    return true;
  return hasCallOperator(T);
}

bool isTypeErasedCallable(QualType T) {
  if (T.isNull())
    return false;
  if (isPackagedTask(T))
    return true;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  std::string Q = canonicalName(RD);
  if (Q == "std::function" || Q == "std::move_only_function" ||
      Q == "std::copyable_function" || Q == "boost::function")
    return true;
  // A task interface: a class whose call operator is virtual, so the
  // object's dynamic type decides what runs (type erasure by inheritance).
  if (!RD->hasDefinition())
    return false;
  return llvm::any_of(RD->methods(), [](const CXXMethodDecl *M) {
    return M->getOverloadedOperator() == OO_Call && M->isVirtual();
  });
}

bool isPackagedTask(QualType T) {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType();
  // In a template, packaged_task<R()> with a dependent R names the template.
  const NamedDecl *D = T->getAsCXXRecordDecl();
  if (const auto *TST = T->getAs<TemplateSpecializationType>(); !D && TST)
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
      D = TD->getTemplatedDecl();
  if (!D || !D->getDeclName().isIdentifier() || D->getName() != "packaged_task")
    return false;
  std::string Q = canonicalName(D);
  return Q == "std::packaged_task" || Q == "boost::packaged_task" ||
         Q == "boost::fibers::packaged_task";
}

bool isAsyncLaunchPolicy(const Expr *E) {
  const auto *Ref = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const auto *Value =
      Ref ? dyn_cast<EnumConstantDecl>(Ref->getDecl()) : nullptr;
  return Value && Value->getName() == "async" &&
         canonicalName(cast<NamedDecl>(Value->getDeclContext())) ==
             "std::launch";
}

bool makesOwnedObject(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N == "make_shared" || N == "make_unique" || N == "allocate_shared";
}

bool hasMethodNamed(const CXXRecordDecl *RD, llvm::StringRef Name) {
  if (!RD || !RD->hasDefinition())
    return false;
  return llvm::any_of(RD->getDefinition()->methods(),
                      [&](const CXXMethodDecl *M) {
                        return M->getDeclName().isIdentifier() &&
                               M->getName() == Name;
                      });
}

QualType firstTypeArgument(const CXXRecordDecl *RD) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  return Spec->getTemplateArgs()[0].getAsType();
}

bool isDataNotQueue(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return N == "basic_string" || N == "basic_string_view" || N.ends_with("map") ||
         N.ends_with("set") || N == "optional" || N == "span";
}

bool isNamedAnyOf(const NamedDecl *D,
                  std::initializer_list<llvm::StringRef> Names) {
  if (!D || !D->getDeclName().isIdentifier())
    return false;
  return llvm::is_contained(Names, D->getName());
}

bool passesReference(const CallExpr *Call) {
  return Call && Call->getNumArgs() == 1 &&
         isNamedAnyOf(Call->getDirectCallee(), {"ref", "cref"});
}

bool transfersOwnership(const FunctionDecl *FD) {
  return isNamedAnyOf(FD, {"move", "forward", "exchange", "swap"});
}

std::optional<unsigned> emplacePositionArgs(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier() ||
      !FD->getName().starts_with("emplace"))
    return std::nullopt;
  return FD->getName() == "emplace" ? 1u : 0u;
}

const Expr *sizedContainer(const Expr *E) {
  E = peelWrappers(E);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E))
    if (isNamedAnyOf(MC->getMethodDecl(), {"size", "end", "cend", "length"}))
      return MC->getImplicitObjectArgument();
  if (const auto *C = dyn_cast_or_null<CallExpr>(E))
    if (C->getNumArgs() == 1 && isNamedAnyOf(C->getDirectCallee(), {"size", "end"}))
      return C->getArg(0);
  return nullptr;
}

bool isFixedSizeRange(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  std::string N = canonicalName(RD);
  return N == "std::array" || N == "std::initializer_list" || N == "std::span";
}

bool isStdAtomic(const CXXRecordDecl *RD) {
  return RD && canonicalName(RD) == "std::atomic";
}

bool isClockRead(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getDeclName().isIdentifier() && FD->getName() == "now";
}

bool isLoad(const CXXMethodDecl *M) { return isNamedAnyOf(M, {"load"}); }

bool isSharedOwner(const CXXRecordDecl *RD) {
  if (!RD || !RD->getIdentifier())
    return false;
  std::string N = canonicalName(RD);
  return N == "std::shared_ptr" || N == "boost::shared_ptr";
}

bool isSingleObjectHandle(const CXXRecordDecl *RD) {
  if (!RD || !RD->getIdentifier())
    return false;
  std::string N = canonicalName(RD);
  return isSharedOwner(RD) || N == "std::unique_ptr" || N == "std::weak_ptr" ||
         N == "std::reference_wrapper";
}

bool isPointerGet(const CXXMethodDecl *M) { return isNamedAnyOf(M, {"get"}); }

/// The count argument of a sizing constructor or call, when it is one.
static const Expr *countArgument(const Expr *const *Args, unsigned N) {
  if (N == 0 || N > 2)
    return nullptr;
  const Expr *Count = Args[0]->IgnoreParenImpCasts();
  return Count->getType()->isIntegerType() ? Count : nullptr;
}

const Expr *sizeGivenTo(const VarDecl *Container) {
  if (!Container || !Container->hasLocalStorage())
    return nullptr;
  if (const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(
          Container->getInit() ? Container->getInit()->IgnoreImplicit()
                               : nullptr))
    if (const Expr *Count =
            countArgument(Construct->getArgs(), Construct->getNumArgs()))
      return Count;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(
      Container->getParentFunctionOrMethod());
  const Stmt *Body = Fn ? Fn->getBody() : nullptr;
  llvm::SmallVector<const Stmt *, 32> Work;
  if (Body)
    Work.push_back(Body);
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      const auto *Obj = dyn_cast<DeclRefExpr>(
          MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
      if (M && Obj && Obj->getDecl() == Container &&
          M->getDeclName().isIdentifier() &&
          (M->getName() == "resize" || M->getName() == "assign"))
        if (const Expr *Count = countArgument(MC->getArgs(), MC->getNumArgs()))
          return Count;
    }
    for (const Stmt *Child : S->children())
      if (Child && !isa<LambdaExpr>(Child))
        Work.push_back(Child);
  }
  return nullptr;
}

} // namespace tether::model
