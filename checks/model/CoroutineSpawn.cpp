//===--- CoroutineSpawn.cpp -----------------------------------------------===//

#include "CoroutineSpawn.h"
#include "ConcurrencyModel.h"
#include "StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <algorithm>
#include <functional>

using namespace clang;

namespace tether::model {

/// The name of \p RD when it is one of Asio's (standalone or Boost) or
/// Beast's classes ("basic_stream_socket"), or of the first such class it
/// derives from: a project's `struct proxied_socket : tcp::socket` is a
/// socket, and its async_wait is the socket's. Else "".
static llvm::StringRef asioClassName(const CXXRecordDecl *RD,
                                     unsigned Depth = 0) {
  if (!RD || !RD->getDeclName().isIdentifier() || Depth > 4)
    return "";
  std::string Qualified = canonicalName(RD);
  llvm::StringRef Q(Qualified);
  if (Q.starts_with("asio::") || Q.starts_with("boost::asio::") ||
      Q.starts_with("boost::beast::"))
    return RD->getName();
  // The standard library derives from none of Asio's classes.
  if (isStdName(Q) || !(RD = RD->getDefinition()))
    return "";
  for (const CXXBaseSpecifier &B : RD->bases())
    if (llvm::StringRef Base =
            asioClassName(B.getType()->getAsCXXRecordDecl(), Depth + 1);
        !Base.empty())
      return Base;
  return "";
}

static llvm::StringRef asioClassName(QualType T) {
  return T.isNull() ? ""
                    : asioClassName(T.getNonReferenceType()
                                        .getCanonicalType()
                                        ->getAsCXXRecordDecl());
}

bool isPeerIoObject(QualType T) {
  llvm::StringRef N = asioClassName(T);
  return N.contains("socket") || N.contains("acceptor") ||
         (N.contains("stream") && !N.contains("streambuf")) ||
         N.contains("pipe") || N.contains("serial_port") ||
         N.contains("descriptor");
}

bool isResolver(QualType T) { return asioClassName(T).contains("resolver"); }

/// An error code or exception_ptr itself (not a value holding one).
static bool isErrorValue(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string Name = canonicalName(RD);
  return Name == "std::error_code" || Name == "boost::system::error_code" ||
         Name == "std::exception_ptr";
}

bool transferThrowsWhenPeerLeaves(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  if (N.starts_with("async_") ||
      !(N.starts_with("read") || N.starts_with("write") ||
        N.starts_with("receive") || N.starts_with("send")))
    return false;
  const Expr *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Object = MC->getImplicitObjectArgument();
  else if (Call->getNumArgs() > 0)
    Object = Call->getArg(0);
  QualType T = Object ? Object->getType().getNonReferenceType() : QualType();
  if (!T.isNull() && T->isPointerType())
    T = T->getPointeeType();
  if (T.isNull() || !isPeerIoObject(T) ||
      asioClassName(T).contains("acceptor"))
    return false;
  // The error_code overload hands the failure back instead.
  return llvm::none_of(FD->parameters(), [](const ParmVarDecl *P) {
    return isErrorValue(P->getType());
  });
}

bool isCancellableWaitObject(QualType T) {
  llvm::StringRef N = asioClassName(T);
  return N.contains("timer") || N.contains("channel") ||
         N == "basic_signal_set";
}

bool failsOnlyWhenCancelled(const CallExpr *Call) {
  const auto *Wait = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *MD = Wait ? Wait->getMethodDecl() : nullptr;
  return MD && MD->getDeclName().isIdentifier() &&
         MD->getName() == "async_wait" &&
         asioClassName(MD->getParent()).contains("timer");
}

static bool inStd(const CXXRecordDecl *RD) {
  return isStdName(canonicalName(RD));
}

/// What a value of type \p T holds as its own state: the object itself
/// through references, pointers and the standard wrappers that only point
/// to or hold one, and with \p InContainers a container's elements. Calls
/// \p Visit on each until it returns true.
static bool anyHeldType(QualType T, bool InContainers,
                        llvm::function_ref<bool(QualType)> Visit,
                        unsigned Depth = 0) {
  if (T.isNull() || Depth > 4)
    return false;
  T = T.getNonReferenceType().getCanonicalType();
  if (T->isPointerType())
    return anyHeldType(T->getPointeeType(), InContainers, Visit, Depth + 1);
  if (Visit(T))
    return true;
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
  if (!Spec || !Spec->getDeclName().isIdentifier())
    return false;
  std::string Name = canonicalName(Spec);
  bool Wrapper = isSingleObjectHandle(Spec) || Name == "std::optional" ||
                 Name == "boost::optional";
  if (!Wrapper && !(InContainers && inStd(Spec)))
    return false;
  for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
    if (A.getKind() == TemplateArgument::Type &&
        anyHeldType(A.getAsType(), InContainers, Visit, Depth + 1))
      return true;
  return false;
}

/// A field of \p RD or of one of its bases holds what \p Is accepts, or
/// (with \p Levels left) is an object of a class that does.
static bool classHolds(const CXXRecordDecl *RD, bool (*Is)(QualType),
                       bool InContainers, unsigned Levels) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD || RD->isLambda())
    return false;
  for (const FieldDecl *F : RD->fields())
    if (anyHeldType(F->getType(), InContainers, [&](QualType T) {
          if (Is(T))
            return true;
          const CXXRecordDecl *Member = T->getAsCXXRecordDecl();
          return Levels > 0 && Member && Member != RD &&
                 !inStd(Member) &&
                 classHolds(Member, Is, InContainers, Levels - 1);
        }))
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (classHolds(B.getType()->getAsCXXRecordDecl(), Is, InContainers,
                   Levels))
      return true;
  return false;
}

bool classBuiltAround(const CXXRecordDecl *RD, bool (*Is)(QualType),
                      bool InContainers) {
  return RD && !inStd(RD) && classHolds(RD, Is, InContainers, 1);
}

bool isBuiltAround(QualType T, bool (*Is)(QualType), bool InContainers) {
  return anyHeldType(T, /*InContainers=*/false, [&](QualType Held) {
    return Is(Held) ||
           classBuiltAround(Held->getAsCXXRecordDecl(), Is, InContainers);
  });
}

bool dropsException(CompletionToken Token) {
  return Token == CompletionToken::Detached ||
         Token == CompletionToken::CancellableDetached ||
         Token == CompletionToken::EmptyHandler ||
         Token == CompletionToken::IgnoresException;
}

/// A completion handler written as a lambda whose first parameter, the
/// std::exception_ptr (or a generic `auto`, or a pack of them), its body
/// never names: what the handler does with the end, it does without the
/// failure.
static std::optional<CompletionToken> handlerLambdaToken(const CXXRecordDecl *RD) {
  const CXXMethodDecl *Op = RD->isLambda() ? RD->getLambdaCallOperator() : nullptr;
  const auto *Body = Op ? dyn_cast_or_null<CompoundStmt>(Op->getBody()) : nullptr;
  if (!Body || Op->getNumParams() == 0)
    return std::nullopt;
  const ParmVarDecl *First = Op->getParamDecl(0);
  QualType T = First->getType().getNonReferenceType();
  const CXXRecordDecl *Param = T->getAsCXXRecordDecl();
  bool ExceptionSlot =
      T->isDependentType() || T->getContainedAutoType() ||
      (Param && Param->getDeclName().isIdentifier() &&
       Param->getName() == "exception_ptr");
  if (!ExceptionSlot || First->isReferenced())
    return std::nullopt;
  return Body->body_empty() ? CompletionToken::EmptyHandler
                            : CompletionToken::IgnoresException;
}

static CompletionToken tokenOf(const Expr *E) {
  const CXXRecordDecl *RD =
      E ? E->getType().getNonReferenceType()->getAsCXXRecordDecl() : nullptr;
  if (RD)
    if (std::optional<CompletionToken> Handler = handlerLambdaToken(RD))
      return *Handler;
  if (!RD || !RD->getDeclName().isIdentifier())
    return CompletionToken::Other;
  llvm::StringRef N = RD->getName();
  if (N == "detached_t")
    return CompletionToken::Detached;
  if (N == "use_future_t")
    return CompletionToken::Future;
  // bind_cancellation_slot(signal.slot(), detached): an owner can emit.
  if (N == "cancellation_slot_binder")
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (Spec->getTemplateArgs().size() >= 1 &&
          Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        if (const CXXRecordDecl *Inner =
                Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl())
          if (Inner->getDeclName().isIdentifier() &&
              Inner->getName() == "detached_t")
            return CompletionToken::CancellableDetached;
  return CompletionToken::Other;
}

/// The user's body of \p FD: inside the CoroutineBodyStmt of a coroutine.
static const Stmt *writtenBody(const FunctionDecl *FD) {
  const Stmt *Body = FD ? FD->getBody() : nullptr;
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return CB->getBody();
  return Body;
}

bool isYieldContext(QualType T) {
  return asioClassName(T) == "basic_yield_context";
}

QualType unwrappedToken(QualType T) {
  for (unsigned Depth = 0; Depth < 4 && !T.isNull(); ++Depth) {
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || !RD->getDeclName().isIdentifier())
      return T;
    llvm::StringRef N = RD->getName();
    if (N != "executor_binder" && N != "allocator_binder" &&
        N != "cancellation_slot_binder" && N != "immediate_executor_binder")
      return T;
    T = firstTypeArgument(RD); // the token the adapter wraps
  }
  return T;
}

/// A token that suspends its caller until the operation completes: a
/// stackful coroutine's yield_context, or Boost.Fiber's asio `yield` (a
/// class yield_t in a namespace of Boost.Fiber, also when a project copies
/// in the library's example).
static bool isSuspendingToken(QualType T) {
  T = unwrappedToken(T);
  if (isYieldContext(T))
    return true;
  const CXXRecordDecl *RD =
      T.isNull() ? nullptr
                 : T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier() || RD->getName() != "yield_t")
    return false;
  for (const DeclContext *DC = RD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC);
        NS && NS->getDeclName().isIdentifier() && NS->getName() == "fibers")
      return true;
  return false;
}

/// A handle to an operation's result awaited or waited for later.
static bool isResultHandle(QualType T) {
  const CXXRecordDecl *RD =
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  return N.contains("awaitable") || N.contains("future") ||
         N.contains("deferred") || N.contains("promise") ||
         N.contains("operation");
}

const Expr *awaitedOperand(const CoawaitExpr *Await) {
  return Await->getOperand()->IgnoreImplicit()->IgnoreParens()->IgnoreImplicit();
}

/// Some argument of \p Call is a token that suspends its caller.
static bool handedSuspendingToken(const CallExpr *Call) {
  return llvm::any_of(Call->arguments(), [](const Expr *Arg) {
    return isSuspendingToken(Arg->getType());
  });
}

static bool isTimerWait(const CallExpr *Call) {
  if (spelledCallee(Call) != "async_wait")
    return false;
  const Expr *Obj = objectOf(Call);
  return Obj && asioClassName(Obj->getType()).contains("timer");
}

bool sleepsOnTimer(const CallExpr *Call) {
  return isTimerWait(Call) && handedSuspendingToken(Call);
}

bool waitsForCompletion(const CallExpr *Call) {
  llvm::StringRef Name = spelledCallee(Call);
  if (!Name.starts_with("async_"))
    return false;
  if (const Expr *Obj = objectOf(Call);
      Obj && asioClassName(Obj->getType()).contains("timer"))
    return false;
  if (handedSuspendingToken(Call))
    return true;
  QualType T = Call->getType();
  return !T.isNull() && !T->isDependentType() && !T->isVoidType() &&
         !isResultHandle(T);
}

bool redirectsError(const Expr *YieldToken) {
  const auto *Op =
      dyn_cast_or_null<CXXOperatorCallExpr>(peelTemporaries(YieldToken));
  return Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2 &&
         isYieldContext(Op->getArg(0)->getType());
}

bool isExecutorHandOff(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier() || isa<CXXMethodDecl>(FD))
    return false;
  llvm::StringRef N = FD->getName();
  if (N != "post" && N != "dispatch" && N != "defer")
    return false;
  std::string Q = canonicalName(FD);
  return llvm::StringRef(Q).starts_with("asio::") ||
         llvm::StringRef(Q).starts_with("boost::asio::");
}

/// \p Def's body (not the lambdas in it) calls Asio's async_initiate or
/// async_compose: the function template arguments of that call are the
/// operation's completion signatures.
static const FunctionDecl *initiationIn(const FunctionDecl *Def) {
  llvm::SmallVector<const Stmt *, 16> Work = {Def->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && FD->getDeclName().isIdentifier() &&
          (FD->getName() == "async_initiate" ||
           FD->getName() == "async_compose") &&
          FD->getTemplateSpecializationArgs()) {
        std::string Q = canonicalName(FD);
        if (llvm::StringRef(Q).starts_with("asio::") ||
            llvm::StringRef(Q).starts_with("boost::asio::"))
          return FD;
      }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  return nullptr;
}

std::optional<bool> completionLeadsWithError(const FunctionDecl *Def) {
  if (!Def || !Def->getBody())
    return std::nullopt;
  const FunctionDecl *Initiate = initiationIn(Def);
  if (!Initiate)
    return std::nullopt;
  bool SawSignature = false, LeadsWithError = false;
  auto Read = [&](const TemplateArgument &A) {
    if (A.getKind() != TemplateArgument::Type)
      return;
    const auto *Sig = A.getAsType()->getAs<FunctionProtoType>();
    if (!Sig)
      return;
    SawSignature = true;
    LeadsWithError |= Sig->getNumParams() > 0 && isErrorValue(Sig->getParamType(0));
  };
  for (const TemplateArgument &A :
       Initiate->getTemplateSpecializationArgs()->asArray()) {
    if (A.getKind() == TemplateArgument::Pack)
      for (const TemplateArgument &E : A.pack_elements())
        Read(E);
    else
      Read(A);
  }
  if (!SawSignature)
    return std::nullopt;
  return LeadsWithError;
}

bool carriesError(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (isErrorValue(T))
    return true;
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!Spec || !RD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  if (N != "tuple" && N != "pair" && N != "expected" && N != "result" &&
      N != "outcome")
    return false;
  auto Carries = [](const TemplateArgument &A) {
    return A.getKind() == TemplateArgument::Type && carriesError(A.getAsType());
  };
  for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
    if (A.getKind() == TemplateArgument::Pack
            ? llvm::any_of(A.pack_elements(), Carries)
            : Carries(A))
      return true;
  return false;
}

bool resultCarriesError(QualType Result) {
  if (carriesError(Result))
    return true;
  const CXXRecordDecl *RD = Result->getAsCXXRecordDecl();
  return RD && isa<ClassTemplateSpecializationDecl>(RD) &&
         carriesError(firstTypeArgument(RD));
}

bool isErrorRedirectingToken(QualType T) {
  const CXXRecordDecl *RD =
      unwrappedToken(T).getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getDeclName().isIdentifier() &&
         RD->getName() == "redirect_error_t";
}

static bool takesYield(const FunctionDecl *FD) {
  return FD && llvm::any_of(FD->parameters(), [](const ParmVarDecl *P) {
           return isYieldContext(P->getType());
         });
}

/// The function \p E names, as written (`ticker`, `&ticker`), or null.
static const FunctionDecl *namedFunction(const Expr *E) {
  const DeclRefExpr *Ref = functionReference(E);
  return Ref ? cast<FunctionDecl>(Ref->getDecl()) : nullptr;
}

/// The function a stackful spawn runs: a lambda taking a yield_context,
/// such a function named or bound with std::bind / boost::bind
/// (`std::bind(&do_session, std::move(socket), _1)`). Null otherwise.
static const FunctionDecl *stackfulFunction(const Expr *Arg,
                                            const LambdaExpr *&Lambda) {
  const Expr *E = peelTemporaries(Arg);
  if (const auto *L = dyn_cast_or_null<LambdaExpr>(E)) {
    Lambda = L;
    return takesYield(L->getCallOperator()) ? L->getCallOperator() : nullptr;
  }
  if (const Expr *Bound = boundCallable(E))
    E = Bound;
  const FunctionDecl *FD = namedFunction(E);
  if (!takesYield(FD))
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  return Def ? Def : FD;
}

/// A function whose body is one call, as statement or returned value: the
/// call (`[self](yield_context y) { self->run(y); }`, `return session();`).
static const CallExpr *onlyCall(const FunctionDecl *FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD ? FD->getBody() : nullptr);
  if (!Body || Body->size() != 1)
    return nullptr;
  const Stmt *Only = Body->body_front();
  if (const auto *Ret = dyn_cast<ReturnStmt>(Only))
    return dyn_cast_or_null<CallExpr>(peelTemporaries(Ret->getRetValue()));
  if (const auto *E = dyn_cast<Expr>(Only))
    return dyn_cast_or_null<CallExpr>(peelTemporaries(E));
  return nullptr;
}

/// The coroutine call \p FD, a callable that is no coroutine, returns as its
/// last statement: `return serve(std::move(s));`, or a local it made that
/// way (`auto task = listen(endpoint); return task;`). Null otherwise.
static const CallExpr *returnedCoroutineCall(const FunctionDecl *FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD ? FD->getBody() : nullptr);
  const auto *Ret =
      Body && !Body->body_empty() ? dyn_cast<ReturnStmt>(Body->body_back()) : nullptr;
  const Expr *Value = Ret ? peelTemporaries(Ret->getRetValue()) : nullptr;
  if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Value))
    if (const auto *Local = dyn_cast<VarDecl>(Ref->getDecl());
        Local && Local->hasLocalStorage() && Local->getDeclContext() == FD)
      Value = peelTemporaries(Local->getInit());
  const auto *Call = dyn_cast_or_null<CallExpr>(Value);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = Callee ? Callee->getDefinition() : nullptr;
  return Def && isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()) ? Call
                                                                     : nullptr;
}

/// The function whose body holds \p Site, among the methods of \p RD.
static const FunctionDecl *methodHolding(const CXXRecordDecl *RD,
                                         const Stmt *Site) {
  if (!RD || !(RD = RD->getDefinition()))
    return nullptr;
  const SourceManager &SM = RD->getASTContext().getSourceManager();
  for (const CXXMethodDecl *M : RD->methods()) {
    const FunctionDecl *Def = M->getDefinition();
    const Stmt *Body = Def ? Def->getBody() : nullptr;
    if (Body && SM.isPointWithin(Site->getBeginLoc(), Body->getBeginLoc(),
                                 Body->getEndLoc()))
      return Def;
  }
  return nullptr;
}

/// Calls \p Visit(target, value) for each assignment under \p S, not
/// inside the lambdas it writes (`x = value`, also a class's operator=).
static void walkAssignments(
    const Stmt *S, llvm::function_ref<void(const Expr *, const Expr *)> Visit) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
    Visit(Op->getArg(0), Op->getArg(1));
  else if (const auto *Assign = dyn_cast<BinaryOperator>(S);
           Assign && Assign->getOpcode() == BO_Assign)
    Visit(Assign->getLHS(), Assign->getRHS());
  for (const Stmt *Child : S->children())
    walkAssignments(Child, Visit);
}

/// The lambda a named callable holds when \p Site spawns it: a local
/// initialised with one (`auto session = [..] {..}; co_spawn(ex,
/// std::move(session), detached)`, also through a std::function), or the
/// one last assigned to a variable or member before \p Site in the function
/// that spawns (`server_ = [this] {..}; co_spawn(ctx_, server_, detached)`).
static const LambdaExpr *lambdaHeldBy(const Expr *Named, const CallExpr *Site) {
  auto Lambda = [](const Expr *E) -> const LambdaExpr * {
    E = peelTemporaries(E);
    // std::function<awaitable<void>()> f = [..] {..}: its converting
    // constructor takes the lambda.
    if (const auto *Ctor = dyn_cast_or_null<CXXConstructExpr>(E);
        Ctor && Ctor->getNumArgs() == 1)
      E = peelTemporaries(Ctor->getArg(0));
    return dyn_cast_or_null<LambdaExpr>(E);
  };
  Named = peelWrappers(Named);
  if (const auto *Call = dyn_cast<CallExpr>(Named); Call && passesObjectThrough(Call))
    Named = peelWrappers(Call->getArg(0));
  const ValueDecl *Holder = nullptr;
  const FunctionDecl *Spawner = nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Named)) {
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V))
      return nullptr;
    if (const LambdaExpr *Init = Lambda(V->getInit()))
      return Init;
    Holder = V;
    Spawner = dyn_cast<FunctionDecl>(V->getDeclContext());
  } else if (const auto *Member = dyn_cast<MemberExpr>(Named);
             Member && isa<CXXThisExpr>(Member->getBase()->IgnoreImpCasts())) {
    Holder = Member->getMemberDecl();
    Spawner = methodHolding(
        dyn_cast<CXXRecordDecl>(Holder->getDeclContext()), Site);
  }
  if (!Holder || !Spawner || !Spawner->getBody())
    return nullptr;
  const SourceManager &SM = Spawner->getASTContext().getSourceManager();
  const LambdaExpr *Last = nullptr;
  walkAssignments(Spawner->getBody(), [&](const Expr *Target, const Expr *Value) {
    const auto *Ref = dyn_cast<DeclRefExpr>(peelWrappers(Target));
    const auto *Member = dyn_cast<MemberExpr>(peelWrappers(Target));
    const ValueDecl *D = Ref ? Ref->getDecl()
                             : Member ? Member->getMemberDecl() : nullptr;
    if (D == Holder &&
        SM.isBeforeInTranslationUnit(Target->getBeginLoc(), Site->getBeginLoc()))
      Last = Lambda(Value);
  });
  return Last;
}

/// Where a stackful spawn's end goes: the written token after the function,
/// or none at all (Boost.Asio's older overloads, whose next parameter is
/// Boost.Coroutine's attributes, or nothing).
static CompletionToken stackfulTokenOf(const CallExpr *Call, unsigned Fn) {
  for (unsigned I = Fn + 1; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    const CXXRecordDecl *RD =
        Arg->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD) // Asio's trailing constraint argument (an int)
      continue;
    if (RD->getDeclName().isIdentifier() && RD->getName() == "attributes")
      return CompletionToken::Propagates;
    return tokenOf(Arg);
  }
  return CompletionToken::Propagates;
}

/// The type a promise's method named \p Name returns is suspend_never.
static bool returnsSuspendNever(const CXXRecordDecl *Promise,
                                llvm::StringRef Name) {
  for (const NamedDecl *D : Promise->lookup(
           &Promise->getASTContext().Idents.get(Name))) {
    const auto *M = dyn_cast<CXXMethodDecl>(D->getUnderlyingDecl());
    const CXXRecordDecl *R =
        M ? M->getReturnType()->getAsCXXRecordDecl() : nullptr;
    if (R && R->getDeclName().isIdentifier() &&
        R->getName() == "suspend_never")
      return true;
  }
  return false;
}

/// The promise_type nested in \p RD, when defined.
static const CXXRecordDecl *promiseOf(const CXXRecordDecl *RD) {
  for (const NamedDecl *D :
       RD->lookup(&RD->getASTContext().Idents.get("promise_type")))
    if (const auto *P = dyn_cast<CXXRecordDecl>(D->getUnderlyingDecl()))
      return P->getDefinition();
  return nullptr;
}

bool ownsNothingOfItsTask(QualType T) {
  const CXXRecordDecl *RD =
      T.isNull() ? nullptr : T.getNonReferenceType()->getAsCXXRecordDecl();
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD || !RD->field_empty() || RD->getNumBases() != 0)
    return false;
  const CXXRecordDecl *Promise = promiseOf(RD);
  return Promise && returnsSuspendNever(Promise, "initial_suspend") &&
         returnsSuspendNever(Promise, "final_suspend");
}

/// The promise's unhandled_exception() lets the exception go: it neither
/// rethrows, stores, nor ends the process (an empty body, a log line).
static bool promiseLosesException(const CXXRecordDecl *Promise) {
  for (const NamedDecl *D : Promise->lookup(
           &Promise->getASTContext().Idents.get("unhandled_exception"))) {
    const auto *M = dyn_cast<CXXMethodDecl>(D->getUnderlyingDecl());
    const FunctionDecl *Def = nullptr;
    if (!M || !M->hasBody(Def) || !Def->getBody())
      return false;
    bool Keeps = false;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S || Keeps)
        return;
      if (isa<CXXThrowExpr>(S))
        Keeps = true;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *FD = Call->getDirectCallee();
            FD && FD->getDeclName().isIdentifier() &&
            llvm::is_contained({"terminate", "abort", "rethrow_exception",
                                "current_exception", "exit", "_Exit"},
                               FD->getName()))
          Keeps = true;
      for (const Stmt *C : S->children())
        Walk(C);
    };
    Walk(Def->getBody());
    return !Keeps;
  }
  return false;
}

/// A coroutine body that awaits one of its own parameters: which one.
static const ParmVarDecl *awaitedParameter(const FunctionDecl *Coroutine,
                                           const Stmt *Body) {
  const ParmVarDecl *Found = nullptr;
  std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
    if (!S || Found || isa<LambdaExpr>(S))
      return;
    if (const auto *Await = dyn_cast<CoawaitExpr>(S)) {
      const Expr *Operand = peelTemporaries(awaitedOperand(Await));
      // co_await std::move(work): the parameter itself.
      if (const auto *Move = dyn_cast<CallExpr>(Operand);
          Move && passesObjectThrough(Move))
        Operand = peelTemporaries(Move->getArg(0));
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Operand))
        if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl());
            P && P->getDeclContext() == Coroutine)
          Found = P;
    }
    for (const Stmt *C : S->children())
      Walk(C);
  };
  Walk(Body);
  return Found;
}

/// The definition of the coroutine \p E calls, when it is one.
static const FunctionDecl *coroutineCalledBy(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(peelWrappers(E));
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  return Def && isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()) ? Def
                                                                    : nullptr;
}

CoroutineSpawn ownerlessCoroutineCallOf(const CallExpr *Call) {
  CoroutineSpawn S;
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !ownsNothingOfItsTask(FD->getReturnType()))
    return S;
  S.Site = Call;
  S.OwnerlessReturn = true;
  const CXXRecordDecl *Promise =
      promiseOf(FD->getReturnType()->getAsCXXRecordDecl()->getDefinition());
  S.Token = promiseLosesException(Promise) ? CompletionToken::Detached
                                           : CompletionToken::Propagates;
  const FunctionDecl *Def = FD->getDefinition();
  const auto *Body =
      Def ? dyn_cast_or_null<CoroutineBodyStmt>(Def->getBody()) : nullptr;
  if (!Body)
    return S;
  S.Coroutine = Def;
  S.Body = Body->getBody();
  // spawn(timer.tick()): the wrapper runs the coroutine it is handed.
  if (const ParmVarDecl *P = awaitedParameter(Def, S.Body);
      P && P->getFunctionScopeIndex() < Call->getNumArgs())
    if (const FunctionDecl *Work =
            coroutineCalledBy(Call->getArg(P->getFunctionScopeIndex()))) {
      S.Coroutine = Work;
      S.Body = cast<CoroutineBodyStmt>(Work->getBody())->getBody();
    }
  return S;
}

CoroutineSpawn coroutineSpawnOf(const CallExpr *Call) {
  CoroutineSpawn S;
  if (!Call || Call->getNumArgs() < 2)
    return S;
  S.Site = Call;
  // spawn(ex, std::allocator_arg, alloc, function, token): the function is
  // after the stack allocator.
  unsigned FnArg = 1;
  if (const CXXRecordDecl *RD =
          Call->getArg(1)->getType().getNonReferenceType()->getAsCXXRecordDecl();
      RD && RD->getDeclName().isIdentifier() &&
      RD->getName() == "allocator_arg_t" && Call->getNumArgs() >= 4)
    FnArg = 3;
  const LambdaExpr *StackfulLambda = nullptr;
  if (const FunctionDecl *Fn =
          stackfulFunction(Call->getArg(FnArg), StackfulLambda)) {
    S.Stackful = true;
    S.Token = stackfulTokenOf(Call, FnArg);
    S.Lambda = StackfulLambda;
    // [self](yield_context y) { self->run(y); }: run() is the coroutine.
    if (const CallExpr *Inner = S.Lambda ? onlyCall(Fn) : nullptr)
      if (const FunctionDecl *Callee = Inner->getDirectCallee();
          takesYield(Callee) && Callee->getDefinition()) {
        Fn = Callee->getDefinition();
        S.Lambda = nullptr;
      }
    if (Fn->hasBody()) {
      S.Coroutine = Fn;
      S.Body = Fn->getBody();
    }
    return S;
  }
  if (Call->getNumArgs() < 3)
    return S;
  // The token is the last argument written: Asio adds a defaulted
  // constraint argument after it.
  S.Token = tokenOf(Call->getArg(std::max(writtenArgCount(Call), 3u) - 1));
  const Expr *Arg = peelTemporaries(Call->getArg(1));
  const FunctionDecl *Fn = nullptr;
  if (const auto *Lambda = dyn_cast_or_null<LambdaExpr>(Arg)) {
    S.Lambda = Lambda;
    Fn = Lambda->getCallOperator();
  } else if (const auto *C = dyn_cast_or_null<CallExpr>(Arg);
             C && !passesObjectThrough(C)) {
    Fn = C->getDirectCallee();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C);
        Op && (Op->getOperator() == OO_PipePipe ||
               Op->getOperator() == OO_AmpAmp))
      S.Group = Op;
  } else if (const FunctionDecl *Named = namedFunction(Arg)) {
    // co_spawn(ex, ticker, detached): Asio calls the function for the
    // awaitable it runs.
    Fn = Named->getDefinition() ? Named->getDefinition() : Named;
  } else if (const LambdaExpr *Held = lambdaHeldBy(Call->getArg(1), Call)) {
    S.Lambda = Held;
    Fn = Held->getCallOperator();
  }
  if (Fn && !isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody())) {
    if (const CallExpr *Inner = onlyCall(Fn)) {
      Fn = Inner->getDirectCallee();
      S.Lambda = nullptr;
    } else if (const CallExpr *Returned = returnedCoroutineCall(Fn)) {
      S.Starter = Fn;
      Fn = Returned->getDirectCallee();
      S.Lambda = nullptr;
    }
  }
  if (Fn && isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody())) {
    S.Coroutine = Fn;
    S.Body = writtenBody(Fn);
  }
  return S;
}

} // namespace tether::model
