//===--- ThreadEntries.cpp ------------------------------------------------===//

#include "ThreadEntries.h"
#include "AnalysisCache.h"
#include "BodyWalk.h"
#include "ChannelDrain.h"
#include "ChannelUses.h"
#include "Describe.h"
#include "LoopExits.h"
#include "../model/CoroutineSpawn.h"
#include "../model/StopModel.h"
#include "Matchers.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <functional>

using namespace clang;
using namespace clang::ast_matchers;

namespace tether::analysis {

/// The element type of a container (vector<std::thread>), also through a
/// pointer to one; null when \p T is not a class template specialization.
static QualType containerElement(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getCanonicalType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() < 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  return Spec->getTemplateArgs()[0].getAsType();
}

/// A container of threads (what its emplace_back constructs is a thread),
/// or with \p Pointers of pointers to threads made with `new`
/// (`std::vector<boost::fibers::fiber *>`).
static bool holdsThreads(QualType T, const model::ConcurrencyModel &Model,
                         bool Pointers = false) {
  QualType Elem = containerElement(T);
  if (Pointers && !Elem.isNull() && Elem->isPointerType())
    Elem = Elem->getPointeeType();
  return !Elem.isNull() && Model.isThread(Elem);
}

void addSpawnMatchers(MatchFinder *Finder, MatchFinder::MatchCallback *CB,
                      const model::ConcurrencyModel &Model) {
  Finder->addMatcher(
      cxxConstructExpr(
          constructorIs(cxxConstructorDecl(ofClass(Model.threadRecord()))),
          isExpansionInUserCode())
          .bind("spawn"),
      CB);
  Finder->addMatcher(
      callExpr(calleeIs(functionDecl(
                   anyOf(Model.taskSpawner(), Model.threadCreateFunction(),
                         hasAnyName("emplace_back", "emplace",
                                    "emplace_front")))),
               isExpansionInUserCode())
          .bind("spawn"),
      CB);
}

std::optional<Spawn> spawnAt(const Expr *E,
                             const model::ConcurrencyModel &Model) {
  if (!E || E->getType().isNull() || E->isTypeDependent())
    return std::nullopt;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (!Model.isThread(CE->getType()))
      return std::nullopt;
    model::ThreadSpawn S = model::spawnOfConstruct(CE);
    if (!S)
      return std::nullopt;
    Spawn Out;
    Out.S = S;
    Out.Kind = SpawnKind::Thread;
    Out.Joining = Model.isJoiningThread(CE->getType());
    if (const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl())
      Out.What = model::canonicalName(RD);
    return Out;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return std::nullopt;
  if (Model.isThreadCreateFunction(FD)) {
    model::ThreadSpawn S = model::spawnOfCreateCall(Call);
    if (!S)
      return std::nullopt;
    Spawn Out;
    Out.S = S;
    Out.Kind = SpawnKind::CThread;
    Out.Handle = namedHandle(S.Handle);
    Out.What = model::canonicalName(FD);
    return Out;
  }
  if (Model.isTaskSpawner(FD)) {
    Spawn Out;
    Out.Kind = SpawnKind::Task;
    Out.Deferred = model::ConcurrencyModel::launchesDeferred(Call);
    Out.What = model::canonicalName(FD);
    Out.S.Site = Call;
    Out.S.StartsThread = true;
    unsigned First = 0;
    // std::async(std::launch::async, f, args...): skip the policy.
    if (Call->getNumArgs() > 1 && !Call->getArg(0)->getType().isNull() &&
        Call->getArg(0)->getType()->isEnumeralType())
      First = 1;
    // The object of a member call (pool.submit(f)) is not an argument.
    if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD))
      First += 1;
    if (Call->getNumArgs() <= First)
      return std::nullopt;
    Out.S.Callable = Call->getArg(First)->IgnoreImplicit();
    for (unsigned I = First + 1; I < Call->getNumArgs(); ++I)
      Out.S.Args.push_back(Call->getArg(I)->IgnoreImplicit());
    return Out;
  }
  // threads.emplace_back(f, args...): the thread is built inside the
  // container, in a system header; the call is the spawn.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    if (!FD->getDeclName().isIdentifier() || MC->getNumArgs() == 0 ||
        (FD->getName() != "emplace_back" && FD->getName() != "emplace" &&
         FD->getName() != "emplace_front"))
      return std::nullopt;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj || Obj->getType().isNull() || !holdsThreads(Obj->getType(), Model))
      return std::nullopt;
    // emplace_back(std::move(t)) moves an existing thread: no spawn.
    if (MC->getNumArgs() == 1 && !MC->getArg(0)->getType().isNull() &&
        Model.isThread(MC->getArg(0)->getType()))
      return std::nullopt;
    QualType Elem = containerElement(Obj->getType());
    Spawn Out;
    Out.Kind = SpawnKind::Thread;
    Out.Joining = Model.isJoiningThread(Elem);
    Out.Handle = namedHandle(Obj);
    if (const CXXRecordDecl *RD = Elem->getAsCXXRecordDecl())
      Out.What = model::canonicalName(RD);
    Out.S.Site = MC;
    Out.S.StartsThread = true;
    Out.S.Callable = MC->getArg(0)->IgnoreImplicit();
    for (unsigned I = 1; I < MC->getNumArgs(); ++I)
      Out.S.Args.push_back(MC->getArg(I)->IgnoreImplicit());
    return Out;
  }
  return std::nullopt;
}

std::optional<Spawn> spawnIn(const Stmt *S,
                             const model::ConcurrencyModel &Model) {
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    const auto *V = DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl())
                                       : nullptr;
    if (!V || !V->getInit())
      return std::nullopt;
    std::optional<Spawn> Out;
    if (Model.isThread(V->getType())) {
      // std::thread t(lambda); also in a template pattern, unresolved.
      model::ThreadSpawn TS =
          model::spawnOf(model::underlyingConstruct(V->getInit()));
      if (!TS)
        return std::nullopt;
      Out.emplace();
      Out->S = TS;
      Out->Joining = Model.isJoiningThread(V->getType());
      if (const CXXRecordDecl *RD = V->getType()->getAsCXXRecordDecl())
        Out->What = model::canonicalName(RD);
    } else if (const CallExpr *Call = taskSpawnerCall(V->getInit(), Model)) {
      Out = spawnAt(Call, Model);
    }
    if (Out)
      Out->Handle = V;
    return Out;
  }
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return std::nullopt;
  E = model::peelWrappers(E);
  // t = std::thread(...);
  if (auto A = assignmentOf(E)) {
    if (!isa<CXXOperatorCallExpr>(E) || !Model.isThread(A->first->getType()))
      return std::nullopt;
    model::ThreadSpawn TS =
        model::spawnOf(model::underlyingConstruct(A->second));
    if (!TS)
      return std::nullopt;
    Spawn Out;
    Out.S = TS;
    Out.Joining = Model.isJoiningThread(A->first->getType());
    Out.Handle = namedHandle(A->first);
    return Out;
  }
  if (isa<CXXOperatorCallExpr>(E))
    return std::nullopt;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (Obj && model::ConcurrencyModel::isDetach(M) &&
      Model.isThread(Obj->getType())) {
    // std::thread(f).detach();
    model::ThreadSpawn TS = model::spawnOf(model::underlyingConstruct(Obj));
    if (!TS)
      return std::nullopt;
    Spawn Out;
    Out.S = TS;
    return Out;
  }
  if (Obj && MC->getNumArgs() >= 1 &&
      model::ConcurrencyModel::addsToContainer(M) &&
      holdsThreads(Obj->getType(), Model, /*Pointers=*/true)) {
    // workers.push_back(std::thread(f)): the thread is built at the call;
    // fibers.push_back(new fiber(f, i)) builds it on the heap.
    const Expr *Added = model::peelWrappers(MC->getArg(0));
    if (const auto *New = dyn_cast<CXXNewExpr>(Added);
        New && New->getConstructExpr())
      Added = New->getConstructExpr();
    if (model::ThreadSpawn TS =
            model::spawnOf(model::underlyingConstruct(Added))) {
      Spawn Out;
      Out.S = TS;
      Out.Handle = namedHandle(Obj);
      return Out;
    }
  }
  return spawnAt(E, Model);
}

const CallExpr *taskSpawnerCall(const Expr *Init,
                                const model::ConcurrencyModel &Model) {
  for (unsigned Steps = 0; Init && Steps < 8; ++Steps) {
    Init = model::peelWrappers(Init);
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Init)) {
      Init = CE->getNumArgs() == 1 ? CE->getArg(0) : nullptr;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(Init))
      return Model.isTaskSpawner(Call->getDirectCallee()) ? Call : nullptr;
    return nullptr;
  }
  return nullptr;
}

void findSpawns(const Stmt *Body, const model::ConcurrencyModel &Model,
                llvm::SmallVectorImpl<Spawn> &Out) {
  walkBody(
      Body,
      [&](const Stmt *S) {
        if (const auto *E = dyn_cast<Expr>(S))
          if (std::optional<Spawn> Sp = spawnAt(E, Model))
            Out.push_back(std::move(*Sp));
        return true;
      },
      Lambdas::Captures);
}

/// The first spawn in \p Body whose new work \p Handle holds (a statement's
/// variable or member, the container emplace adds to): spawnIn's reading of
/// every statement, lambdas not entered.
static std::optional<Spawn> firstSpawnInto(const Stmt *Body,
                                           const NamedDecl *Handle,
                                           const model::ConcurrencyModel &Model) {
  std::optional<Spawn> Found;
  findInBody(
      Body,
      [&](const Stmt *S) {
        if (std::optional<Spawn> Sp = spawnIn(S, Model); Sp && Sp->Handle == Handle)
          Found = std::move(Sp);
        return Found.has_value();
      },
      Lambdas::Captures);
  return Found;
}

/// The local container \p Element is an element of, and the function that
/// holds it: the loop variable of a range-for over it, or an element named
/// by index or position (`fibers[i]`, `workers.back()`).
static std::pair<const NamedDecl *, const FunctionDecl *>
containerOf(const Expr *Element) {
  Element = Element ? Element->IgnoreParenImpCasts() : nullptr;
  const Expr *Base = nullptr;
  if (const auto *Index = dyn_cast_or_null<CXXOperatorCallExpr>(Element);
      Index && Index->getOperator() == OO_Subscript)
    Base = Index->getArg(0);
  else if (const auto *At = dyn_cast_or_null<CXXMemberCallExpr>(Element);
           At && At->getMethodDecl() &&
           model::isNamedAnyOf(At->getMethodDecl(), {"back", "front", "at"}))
    Base = At->getImplicitObjectArgument();
  if (Base) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Base->IgnoreParenImpCasts());
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType())
      return {};
    return {V, dyn_cast<FunctionDecl>(V->getDeclContext())};
  }
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Element);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  const auto *Fn = V ? dyn_cast<FunctionDecl>(V->getDeclContext()) : nullptr;
  if (!Fn || !Fn->getBody())
    return {};
  const auto *Loop = dyn_cast_or_null<CXXForRangeStmt>(
      findInBody(Fn->getBody(), [&](const Stmt *S) {
        const auto *For = dyn_cast<CXXForRangeStmt>(S);
        return For && For->getLoopVariable() == V;
      }));
  return {Loop ? namedHandle(Loop->getRangeInit()) : nullptr, Fn};
}

std::optional<Spawn> soleSpawnOfElement(const Expr *Element,
                                        const model::ConcurrencyModel &Model) {
  auto [Container, Fn] = containerOf(Element);
  if (!Container || !Fn || !Fn->getBody())
    return std::nullopt;
  unsigned Adds = 0;
  walkBody(Fn->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
    if (Call && model::ConcurrencyModel::addsToContainer(Call->getMethodDecl()) &&
        namedHandle(Call->getImplicitObjectArgument()) == Container)
      ++Adds;
    return true;
  });
  if (Adds != 1)
    return std::nullopt;
  return firstSpawnInto(Fn->getBody(), Container, Model);
}

bool startsThreadInto(const FieldDecl *F, const model::ConcurrencyModel &Model) {
  const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
  if (!RD || !RD->hasDefinition())
    return true; // nothing to read: assume it may
  auto Constructs = [](const Expr *Init) {
    return Init && model::spawnOf(model::underlyingConstruct(Init));
  };
  if (Constructs(F->getInClassInitializer()))
    return true;
  for (const CXXMethodDecl *M : RD->methods()) {
    const FunctionDecl *Def = M->getDefinition();
    if (!Def)
      continue;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getMember() == F && Init->isWritten() &&
            Constructs(Init->getInit()))
          return true;
    if (Def->getBody() && firstSpawnInto(Def->getBody(), F, Model))
      return true;
  }
  return false;
}

/// The definition of \p FD when there is one, else \p FD.
static const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (FD && FD->hasBody(Def) && Def)
    return Def;
  return FD;
}

/// A lambda converted to a function pointer (pthread_create's routine):
/// `+[](void *) -> void * { ... }`, or the implicit conversion.
static const LambdaExpr *convertedLambda(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Plus)
    E = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Conv = dyn_cast<CXXMemberCallExpr>(E))
    if (isa_and_nonnull<CXXConversionDecl>(Conv->getMethodDecl()))
      return dyn_cast_or_null<LambdaExpr>(
          Conv->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return nullptr;
}

/// A packaged task (a variable or a temporary): the callable it was
/// built from, which is what runs when the task is invoked; else null.
static const Expr *packagedCallable(const Expr *E) {
  if (const auto *Move = dyn_cast_or_null<CallExpr>(E);
      Move && model::passesObjectThrough(Move))
    E = peelTemporaries(Move->getArg(0)); // std::move(task)
  if (!E || E->getType().isNull())
    return nullptr;
  if (!model::isPackagedTask(E->getType()))
    return nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      E = VD->getInit() ? peelTemporaries(VD->getInit()) : nullptr;
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
  if (!CE || CE->getNumArgs() == 0 ||
      CE->getConstructor()->isCopyOrMoveConstructor())
    return nullptr;
  return CE->getArg(0);
}

const FunctionDecl *entryOf(const Expr *Callable) {
  const Expr *E = peelTemporaries(Callable);
  if (!E)
    return nullptr;
  // std::bind(f, args...) runs f with the bound arguments.
  if (const Expr *Bound = model::boundCallable(E))
    E = Bound;
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->getCallOperator();
  if (const LambdaExpr *L = convertedLambda(E))
    return L->getCallOperator();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = peelTemporaries(U->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return definitionOf(FD);
  // A function object: its operator(), when there is exactly one.
  if (E->getType().isNull())
    return nullptr;
  if (const CXXRecordDecl *RD = E->getType()->getAsCXXRecordDecl()) {
    if (!RD->hasDefinition())
      return nullptr;
    const CXXMethodDecl *Call = nullptr;
    for (const CXXMethodDecl *M : RD->methods())
      if (M->getOverloadedOperator() == OO_Call) {
        if (Call)
          return nullptr; // overloaded: which one runs depends on arguments
        Call = M;
      }
    return definitionOf(Call);
  }
  return nullptr;
}

const FunctionDecl *taskBodyOf(const Expr *Callable) {
  if (const Expr *Wrapped = packagedCallable(peelTemporaries(Callable)))
    return entryOf(Wrapped);
  return entryOf(Callable);
}

void directCallees(const Stmt *Body,
                   llvm::SmallVectorImpl<const FunctionDecl *> &Out) {
  // A call of a coroutine only makes its frame: its body runs where it is
  // awaited, or as another task when the call is handed to co_spawn
  // (`co_spawn(ex, reader(id), detached)` runs none of reader here). The
  // walk meets a co_await before the call it awaits.
  llvm::SmallPtrSet<const Expr *, 8> Awaited;
  walkBody(Body, [&](const Stmt *S) {
    if (const auto *Await = dyn_cast<CoawaitExpr>(S))
      Awaited.insert(model::awaitedOperand(Await));
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && FD->hasBody()) {
        FD = definitionOf(FD);
        const SourceManager &SM = FD->getASTContext().getSourceManager();
        if (isa_and_nonnull<CoroutineBodyStmt>(FD->getBody()) &&
            !Awaited.contains(Call))
          return true;
        if (!SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
            !llvm::is_contained(Out, FD))
          Out.push_back(FD);
      }
    return true;
  });
}

/// A return that hands back what was computed before it (`return;`,
/// `return ok;`, `return n > 0;`): it calls nothing, so it does no step.
static bool returnsComputed(const ReturnStmt *Ret) {
  return !Ret->getRetValue() || !anyInBody(Ret->getRetValue(), [](const Stmt *S) {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      return !CE->getConstructor()->isCopyOrMoveConstructor();
    return isa<CallExpr, CXXNewExpr>(S);
  });
}

/// The standard library's or Boost's code, or the C library's (printf is
/// extern "C").
static bool isLibraryCode(const FunctionDecl *FD) {
  return FD && (model::ConcurrencyModel::inStdOrBoost(FD) || FD->isExternC());
}

/// \p S only writes a line of text through the standard library:
/// `std::cerr << "done" << std::endl;`, `printf("done\n");`. A trailing
/// log line after a task's end signal does not delay its end.
static bool isLogLine(const Stmt *S) {
  const auto *E = dyn_cast<Expr>(S);
  const auto *Top = E ? dyn_cast<CallExpr>(model::peelWrappers(E)) : nullptr;
  const FunctionDecl *FD = Top ? Top->getDirectCallee() : nullptr;
  if (!isLibraryCode(FD))
    return false;
  bool Writes = false;
  if (FD->getOverloadedOperator() == OO_LessLess) {
    const CXXRecordDecl *RD =
        FD->getReturnType().getNonReferenceType()->getAsCXXRecordDecl();
    Writes = RD && RD->getDeclName().isIdentifier() &&
             RD->getName() == "basic_ostream";
  } else if (FD->getDeclName().isIdentifier()) {
    llvm::StringRef N = FD->getName();
    Writes = N == "printf" || N == "fprintf" || N == "puts" || N == "fputs" ||
             N == "perror";
  }
  // What it writes is computed by the library alone (to_string(n)).
  return Writes && !anyInBody(E, [&](const Stmt *N) {
    const auto *Call = dyn_cast<CallExpr>(N);
    return Call && !isLibraryCode(Call->getDirectCallee());
  });
}

/// The statement control leaves \p Body from when it runs to its end:
/// the last one that is not a return of what was computed before, nor a
/// log line.
static const Stmt *lastStep(const Stmt *Body) {
  const auto *Block = dyn_cast_or_null<CompoundStmt>(Body);
  if (!Block)
    return Body;
  for (auto It = Block->body_rbegin(); It != Block->body_rend(); ++It) {
    const Stmt *S = *It;
    if (const auto *Ret = dyn_cast<ReturnStmt>(S); Ret && returnsComputed(Ret))
      continue;
    if (const auto *Ret = dyn_cast<CoreturnStmt>(S); Ret && !Ret->getOperand())
      continue;
    if (isa<NullStmt>(S) || isLogLine(S))
      continue;
    return S;
  }
  return nullptr;
}

/// \p Loop only retries one library transfer until it goes through: it
/// has a way out, calls one push, pop, send or receive of a library, and
/// otherwise only library code (a yield, a log line, std::terminate) and no
/// nested loop: `while (true) { switch (q.push(m)) { case success: return;
/// case full: yield(); continue; default: std::terminate(); } }`. A
/// hand-rolled blocking transfer waits for one item; it is no work that
/// goes on forever.
static bool retriesOneTransfer(const Stmt *Loop) {
  if (!findExit(Loop))
    return false;
  unsigned Transfers = 0;
  bool Other = false;
  walkBody(partsOf(Loop).Body, [&](const Stmt *S) {
    if (Other || isLoop(S)) {
      Other = true;
      return false;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return true;
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!isLibraryCode(FD)) {
      Other = true;
      return false;
    }
    if (isa<CXXMethodDecl>(FD) && FD->getDeclName().isIdentifier() &&
        model::BlockingModel::namesTransfer(FD->getName()))
      ++Transfers;
    return true;
  });
  return !Other && Transfers == 1;
}

/// \p E names a callable the task was handed: a parameter, or a capture
/// (an init-capture `h = std::move(handler)`, or a parameter captured by
/// copy), of a class type with a call operator, a dependent type (a
/// template's handler) or a type-erased callable.
static bool namesHandedCallable(const Expr *E) {
  E = model::peelWrappers(E);
  while (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (!model::passesObjectThrough(Call))
      break;
    E = model::peelWrappers(Call->getArg(0));
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || !(isa<ParmVarDecl>(V) || V->isInitCapture()))
    return false;
  QualType T = V->getType().getNonReferenceType();
  return T->isDependentType() || model::isTypeErasedCallable(T) ||
         model::hasCallOperator(T);
}

/// \p Call calls a callable the task was handed (`std::move(h)(ec, n)`,
/// also unresolved in a template).
static bool callsHandedCallable(const CallExpr *Call) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() > 0)
    return namesHandedCallable(Op->getArg(0));
  const Expr *Callee = Call->getCallee();
  return Callee->isTypeDependent() && !Call->getDirectCallee() &&
         namesHandedCallable(Callee);
}

/// \p Call completes the operation the task was handed: it hands the
/// completion handler it was given to an executor, to be called there
/// (`asio::post(ex, [h = std::move(h), n] { h(ec, n); })`,
/// `post(ex, append(std::move(h), ec, n))`): whoever started the operation
/// learns it is done. A custom Asio operation that runs its work on a
/// detached thread ends so. (A handed callable called in place is not
/// enough: it may be the work itself, `std::thread([f] { f(); })`.)
static bool completesHandedOperation(const CallExpr *Call) {
  if (!model::isExecutorHandOff(Call->getDirectCallee()))
    return false;
  return llvm::any_of(Call->arguments(), [](const Expr *A) {
    if (const auto *L = dyn_cast<LambdaExpr>(model::peelWrappers(A)))
      return anyInBody(L->getBody(), [](const Stmt *S) {
        const auto *C = dyn_cast<CallExpr>(S);
        return C && callsHandedCallable(C);
      });
    return anyInBody(A, [](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      return E && namesHandedCallable(E);
    });
  });
}

static bool announcesEnd(const Stmt *Body, const model::ConcurrencyModel &Model,
                         const model::ChannelModel &Channels, unsigned Depth) {
  // A signal inside a loop marks a round, not the end; a loop that only
  // retries one transfer until it goes through is that one transfer.
  const Stmt *Last = lastStep(Body);
  if (!Last || (isLoop(Last) && !retriesOneTransfer(Last)))
    return false;
  if (const auto *Block = dyn_cast<CompoundStmt>(Last))
    return announcesEnd(Block, Model, Channels, Depth);
  return anyInBody(Last, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return false;
    if (completesHandedOperation(Call))
      return true;
    // chan->push(v) in a template, before the channel's type is known.
    if (!Call->getDirectCallee()) {
      const Expr *Obj = model::objectOf(Call);
      model::ChannelOp Op = Channels.classify(model::spelledCallee(Call));
      return Obj &&
             (Op == model::ChannelOp::Send || Op == model::ChannelOp::Close) &&
             Channels.reachesChannel(Obj->getType());
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (Model.announcesCompletion(MD))
        return true;
      // chan.push(v), chan->push(v) through a pointer or a shared_ptr.
      if (MD && Channels.reachesChannel(MC->getImplicitObjectArgument()->getType())) {
        model::ChannelOp Op = Channels.classify(MD);
        if (Op == model::ChannelOp::Send || Op == model::ChannelOp::Close)
          return true;
      }
    }
    const FunctionDecl *FD = Call->getDirectCallee();
    if (Depth >= 2 || !FD || !FD->hasBody())
      return false;
    FD = definitionOf(FD);
    const SourceManager &SM = FD->getASTContext().getSourceManager();
    return !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
           announcesEnd(FD->getBody(), Model, Channels, Depth + 1);
  });
}

bool announcesEnd(const Stmt *Body, const model::ConcurrencyModel &Model,
                  const model::ChannelModel &Channels) {
  return announcesEnd(Body, Model, Channels, 0);
}

/// What \p S counts up or down, and which way: `v.fetch_add(1)`,
/// `v.fetch_sub(1)`, `++v`, `v--`, `v += 1` (an atomic's operators or a
/// plain integer's).
static const Expr *countedExpr(const Stmt *S, bool *Up = nullptr) {
  const Expr *Counter = nullptr;
  bool CountsUp = false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    llvm::StringRef Name = model::spelledCallee(MC);
    if (Name == "fetch_add" || Name == "fetch_sub") {
      Counter = MC->getImplicitObjectArgument();
      CountsUp = Name == "fetch_add";
    }
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S)) {
    OverloadedOperatorKind K = Op->getOperator();
    if (llvm::is_contained({OO_PlusPlus, OO_MinusMinus, OO_PlusEqual,
                            OO_MinusEqual},
                           K) &&
        Op->getNumArgs() > 0) {
      Counter = Op->getArg(0);
      CountsUp = K == OO_PlusPlus || K == OO_PlusEqual;
    }
  } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
    if (U->isIncrementDecrementOp()) {
      Counter = U->getSubExpr();
      CountsUp = U->isIncrementOp();
    }
  } else if (const auto *C = dyn_cast<CompoundAssignOperator>(S)) {
    if (C->getOpcode() == BO_AddAssign || C->getOpcode() == BO_SubAssign) {
      Counter = C->getLHS();
      CountsUp = C->getOpcode() == BO_AddAssign;
    }
  }
  if (Up)
    *Up = CountsUp;
  return Counter ? Counter->IgnoreParenImpCasts() : nullptr;
}

/// The variable \p S counts up or down.
static const VarDecl *countedVariable(const Stmt *S) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(countedExpr(S));
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// The field of the object's own class \p S counts (`++active_`,
/// `this->pending_.fetch_sub(1)`), and which way.
static const FieldDecl *countedOwnField(const Stmt *S, bool &Up) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(countedExpr(S, &Up));
  return ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
             ? dyn_cast<FieldDecl>(ME->getMemberDecl())
             : nullptr;
}

/// \p E reads field \p F: `active_`, `active_.load()`, the atomic's
/// conversion to its value.
static bool readsField(const Expr *E, const FieldDecl *F) {
  E = E->IgnoreParenImpCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    E = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast<MemberExpr>(E);
  return ME && ME->getMemberDecl() == F;
}

/// \p Cond waits for counter \p F to drain: it compares the counter with
/// zero (`active_ == 0`, `pending_.load() > 0`) or tests it as a truth
/// value (`while (active_)`, `!pending_`). A wait for room below a limit
/// (`active_ < max_`) is a bound on spawning, not a wait for the end.
static bool testsDrained(const Stmt *Cond, const FieldDecl *F) {
  return anyInBody(Cond, [&](const Stmt *S) {
    if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isComparisonOp()) {
      auto IsZero = [](const Expr *E) {
        const auto *Lit = dyn_cast<IntegerLiteral>(E->IgnoreParenImpCasts());
        return Lit && Lit->getValue() == 0;
      };
      return (readsField(B->getLHS(), F) && IsZero(B->getRHS())) ||
             (readsField(B->getRHS(), F) && IsZero(B->getLHS()));
    }
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S))
      return Cast->getType()->isBooleanType() &&
             readsField(Cast->getSubExpr(), F);
    return false;
  });
}

/// \p N is a wait whose predicate lambda \p Test accepts (`cv.wait(lock,
/// [&] { return done == n; })`, any call named wait...).
static bool waitsWithPredicate(const Stmt *N,
                               llvm::function_ref<bool(const Stmt *)> Test) {
  const auto *Call = dyn_cast<CallExpr>(N);
  return Call && model::spelledCallee(Call).starts_with("wait") &&
         llvm::any_of(Call->arguments(), [&](const Expr *A) {
           const auto *Pred = dyn_cast<LambdaExpr>(peelTemporaries(A));
           return Pred && Test(Pred->getBody());
         });
}

bool countedInByClass(const model::ThreadSpawn &S) {
  const auto *L = S.Callable ? dyn_cast<LambdaExpr>(peelTemporaries(S.Callable))
                             : nullptr;
  const auto *Spawner =
      L ? dyn_cast<CXXMethodDecl>(L->getLambdaClass()->getDeclContext())
        : nullptr;
  if (!Spawner || !Spawner->getBody())
    return false;
  const SourceManager &SM = Spawner->getASTContext().getSourceManager();
  // The count up, before the spawn in the spawning method.
  const FieldDecl *Counter = nullptr;
  walkBody(Spawner->getBody(), [&](const Stmt *N) {
    bool Up = false;
    if (const FieldDecl *F = countedOwnField(N, Up);
        F && Up && !Counter &&
        SM.isBeforeInTranslationUnit(N->getBeginLoc(), S.Site->getBeginLoc()))
      Counter = F;
    return !Counter;
  });
  const CXXRecordDecl *Class = Counter ? Spawner->getParent() : nullptr;
  if (!Class)
    return false;
  bool CountsDown = false, Drains = false;
  for (const CXXMethodDecl *M : Class->methods()) {
    const FunctionDecl *Def = M->getDefinition();
    if (!Def || !Def->getBody())
      continue;
    walkBody(
        Def->getBody(),
        [&](const Stmt *N) {
          bool Up = true;
          if (countedOwnField(N, Up) == Counter && !Up)
            CountsDown = true;
          // cv.wait(lock, [this] { return active_ == 0; })
          Drains |= waitsWithPredicate(N, [&](const Stmt *Pred) {
            return testsDrained(Pred, Counter);
          });
          // while (active_ > 0) cv.wait(lock);
          if (const Stmt *Cond = isLoop(N) ? partsOf(N).Cond : nullptr)
            Drains |= testsDrained(Cond, Counter);
          return !(CountsDown && Drains);
        },
        Lambdas::Enter);
    if (CountsDown && Drains)
      return true;
  }
  return false;
}

bool countedDoneForSpawner(const model::ThreadSpawn &S) {
  const auto *L = S.Callable ? dyn_cast<LambdaExpr>(peelTemporaries(S.Callable))
                             : nullptr;
  if (!L || !L->getBody())
    return false;
  const Stmt *Last = lastStep(L->getBody());
  if (!Last || isLoop(Last))
    return false;
  const VarDecl *Counter = nullptr;
  walkBody(Last, [&](const Stmt *N) {
    if (const VarDecl *V = countedVariable(N); V && !Counter)
      Counter = V;
    return !Counter;
  });
  // A local of the spawner, captured by reference.
  const auto *Spawner = Counter ? dyn_cast<FunctionDecl>(
                                      Counter->getDeclContext())
                                : nullptr;
  if (!Spawner || !Counter->hasLocalStorage() || !Spawner->getBody() ||
      llvm::none_of(L->captures(), [&](const LambdaCapture &C) {
        return C.capturesVariable() && C.getCapturedVar() == Counter &&
               C.getCaptureKind() == LCK_ByRef;
      }))
    return false;
  auto Reads = [&](const Stmt *Where) {
    return anyInBody(
        Where,
        [&](const Stmt *N) {
          const auto *Ref = dyn_cast<DeclRefExpr>(N);
          return Ref && Ref->getDecl() == Counter;
        },
        Lambdas::Enter);
  };
  bool Waits = false;
  walkBody(Spawner->getBody(), [&](const Stmt *N) {
    if (Waits)
      return false;
    // A loop that polls the counter, not the one that starts the tasks.
    if (isLoop(N) && !anyInBody(N, [&](const Stmt *M) { return M == S.Site; },
                                Lambdas::Enter))
      Waits = Reads(N);
    // cv.wait(lock, [&] { return done == n; })
    if (waitsWithPredicate(N, Reads))
      Waits = true;
    return !Waits;
  });
  return Waits;
}

/// The closure a spawn runs: the lambda written at the spawn, or one a
/// launcher forwards (`fiber(std::forward<F>(f)).detach()` instantiated
/// with the caller's lambda), read through the closure's class.
static const CXXRecordDecl *closureRun(const model::ThreadSpawn &S) {
  const CXXRecordDecl *RD =
      S.Callable ? S.Callable->getType()->getAsCXXRecordDecl() : nullptr;
  return RD && RD->isLambda() && RD->getLambdaCallOperator() ? RD : nullptr;
}

/// The object \p N changes through a method of it (`done.Dec()`,
/// `done->Dec()`, `ref_bc_.Dec()`), or null. A const method only reads it,
/// and tells nobody anything.
static const Expr *changedObject(const Stmt *N) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(N);
  const CXXMethodDecl *MD = MC ? MC->getMethodDecl() : nullptr;
  return MD && !MD->isConst()
             ? MC->getImplicitObjectArgument()->IgnoreParenImpCasts()
             : nullptr;
}

/// The spawner's own object \p Obj names: a local by name (`done`), or a
/// field through `this` (`ref_bc_`, `this->ref_bc_`); null otherwise.
static const ValueDecl *ownObject(const Expr *Obj) {
  if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Obj))
    return Ref->getDecl();
  const auto *ME = dyn_cast_or_null<MemberExpr>(Obj);
  return ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
             ? ME->getMemberDecl()
             : nullptr;
}

/// The object a last-step call changes, when its spawner keeps it: a local
/// the closure captures by reference (`done.Dec()`), or a field of the
/// spawning object reached through the captured `this` (`ref_bc_.Dec()`).
static const ValueDecl *signalledKeptObject(const Stmt *N,
                                            const CXXRecordDecl *Closure) {
  const ValueDecl *D = ownObject(changedObject(N));
  bool Kept = llvm::any_of(Closure->captures(), [&](const LambdaCapture &C) {
    if (const auto *V = dyn_cast_or_null<VarDecl>(D))
      return V->hasLocalStorage() && C.capturesVariable() &&
             C.getCapturedVar() == V && C.getCaptureKind() == LCK_ByRef;
    return isa_and_nonnull<FieldDecl>(D) && C.capturesThis();
  });
  return Kept ? D : nullptr;
}

/// \p N waits on \p Object: a call whose name's verb is a wait (`done.Wait()`,
/// `sem.acquire()`, `this->ref_bc_.wait()`) made on it. Not a condition
/// variable's: what that waits for is its predicate (a drained count, or
/// room below a limit), which countedInByClass and countedDoneForSpawner
/// read.
static bool waitsOn(const Stmt *N, const ValueDecl *Object) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(N);
  if (!MC || !model::BlockingModel::namesWaitOrAcquire(MC) ||
      model::BlockingModel::isConditionWait(MC))
    return false;
  return ownObject(MC->getImplicitObjectArgument()->IgnoreParenImpCasts()) ==
         Object;
}

/// Local \p V's function waits on it after \p After (the closure or the
/// spawn that hands it to the task).
static bool waitedOnAfter(const VarDecl *V, SourceLocation After) {
  const auto *Spawner = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (!Spawner || !Spawner->getBody())
    return false;
  const SourceManager &SM = Spawner->getASTContext().getSourceManager();
  return anyInBody(Spawner->getBody(), [&](const Stmt *N) {
    return waitsOn(N, V) &&
           SM.isBeforeInTranslationUnit(After, N->getBeginLoc());
  });
}

/// A spawn of a function or lambda handed a local by address or std::ref
/// (`std::thread(run_client, &done)`), whose last step changes the object
/// through that parameter (`done->Dec()`), and whose spawner waits on it.
static bool signalsHandedObject(const model::ThreadSpawn &S) {
  const FunctionDecl *Entry = entryOf(S.Callable);
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Entry);
  if (!Entry || !Entry->getBody())
    return false;
  const Stmt *Last = lastStep(Entry->getBody());
  if (!Last || isLoop(Last))
    return false;
  // A member function's first argument is its object (not a lambda's).
  unsigned Shift =
      Method && Method->isInstance() && !Method->getParent()->isLambda() ? 1
                                                                          : 0;
  for (unsigned I = Shift; I < S.Args.size(); ++I) {
    const Expr *A = peelTemporaries(S.Args[I]);
    if (const auto *Ref = dyn_cast<CallExpr>(A);
        Ref && model::passesReference(Ref))
      A = Ref->getArg(0)->IgnoreParenImpCasts();
    else if (const auto *Addr = dyn_cast<UnaryOperator>(A);
             Addr && Addr->getOpcode() == UO_AddrOf)
      A = Addr->getSubExpr()->IgnoreParenImpCasts();
    else
      continue;
    const auto *Local = dyn_cast<DeclRefExpr>(A);
    const auto *V = Local ? dyn_cast<VarDecl>(Local->getDecl()) : nullptr;
    if (!V || !V->hasLocalStorage() || I - Shift >= Entry->getNumParams())
      continue;
    const ParmVarDecl *P = Entry->getParamDecl(I - Shift);
    bool Signals = anyInBody(
        Last, [&](const Stmt *N) { return ownObject(changedObject(N)) == P; });
    if (Signals && waitedOnAfter(V, S.Site->getBeginLoc()))
      return true;
  }
  return false;
}

bool signalsAwaitedObject(const model::ThreadSpawn &S) {
  if (signalsHandedObject(S))
    return true;
  const CXXRecordDecl *Closure = closureRun(S);
  if (!Closure)
    return false;
  const Stmt *Last = lastStep(Closure->getLambdaCallOperator()->getBody());
  if (!Last || isLoop(Last))
    return false;
  const ValueDecl *Object = nullptr;
  walkBody(Last, [&](const Stmt *N) {
    Object = signalledKeptObject(N, Closure);
    return !Object;
  });
  if (!Object)
    return false;
  // A local: its function waits on it after writing the closure.
  if (const auto *V = dyn_cast<VarDecl>(Object))
    return waitedOnAfter(V, Closure->getLocation());
  // A field: a method of its class waits on it; in the spawning method,
  // only after the spawn (an acquire before it throttles the next task).
  const auto *Class = dyn_cast<CXXRecordDecl>(Object->getDeclContext());
  if (!Class)
    return false;
  const auto *Spawning = dyn_cast<FunctionDecl>(Closure->getDeclContext());
  const SourceManager &SM = Closure->getASTContext().getSourceManager();
  for (const CXXMethodDecl *M : Class->methods()) {
    const FunctionDecl *Def = M->getDefinition();
    if (Def && Def->getBody() &&
        anyInBody(Def->getBody(), [&](const Stmt *N) {
          return waitsOn(N, Object) &&
                 (Def != Spawning ||
                  SM.isBeforeInTranslationUnit(Closure->getLocation(),
                                               N->getBeginLoc()));
        }))
      return true;
  }
  return false;
}

/// What names one object wherever it is written: a variable (a global, a
/// local the closure captures by reference), or a singleton accessor called
/// with no argument (`Scheduler::getInstance()`), seen through a member
/// call's object.
static const Decl *objectKey(const Expr *Obj) {
  Obj = Obj ? Obj->IgnoreParenImpCasts() : nullptr;
  if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Obj))
    return dyn_cast<VarDecl>(Ref->getDecl());
  if (const auto *Call = dyn_cast_or_null<CallExpr>(Obj);
      Call && !isa<CXXMemberCallExpr>(Call) && Call->getNumArgs() == 0)
    return Call->getDirectCallee();
  return nullptr;
}

/// \p Call is `o.m()` where m's name has one of \p Words; sets \p Key to o.
static bool callsNamed(const Stmt *S, llvm::ArrayRef<llvm::StringRef> Words,
                       const Decl *&Key) {
  const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M || !M->getDeclName().isIdentifier())
    return false;
  llvm::SmallVector<std::string, 4> Name = model::identifierWords(M->getName());
  if (!llvm::any_of(Name, [&](const std::string &W) {
        return llvm::is_contained(Words, W);
      }))
    return false;
  Key = objectKey(Call->getImplicitObjectArgument());
  return Key != nullptr;
}

bool stopsLoopItsSpawnerRuns(const model::ThreadSpawn &S) {
  const CXXRecordDecl *Closure = closureRun(S);
  if (!Closure)
    return false;
  const Stmt *Last = lastStep(Closure->getLambdaCallOperator()->getBody());
  const Decl *Stopped = nullptr;
  if (!Last || isLoop(Last) ||
      !anyInBody(Last, [&](const Stmt *N) {
        return callsNamed(N, {"stop", "quit", "shutdown", "exit"}, Stopped);
      }))
    return false;
  // The spawner runs that loop after writing the closure: its run returns
  // only once the task stopped it.
  const auto *Spawning = dyn_cast<FunctionDecl>(Closure->getDeclContext());
  const SourceManager &SM = Closure->getASTContext().getSourceManager();
  return Spawning && Spawning->getBody() &&
         anyInBody(Spawning->getBody(), [&](const Stmt *N) {
           const Decl *Run = nullptr;
           return callsNamed(N, {"run", "start", "exec", "loop"}, Run) &&
                  Run == Stopped &&
                  SM.isBeforeInTranslationUnit(Closure->getLocation(),
                                               N->getBeginLoc());
         });
}

bool runsHandedTask(const FunctionDecl *Entry) {
  const auto *Op = dyn_cast_or_null<CXXMethodDecl>(Entry);
  // A generic lambda (`[](auto task) { task(); }`) is read where the spawn
  // instantiated it, when it did so once.
  if (const FunctionTemplateDecl *Generic =
          Op ? Op->getDescribedFunctionTemplate() : nullptr;
      Generic && llvm::hasSingleElement(Generic->specializations()))
    Op = dyn_cast<CXXMethodDecl>(*Generic->specializations().begin());
  if (!Op || !Op->getParent()->isLambda() || !Op->getBody())
    return false;
  // Runs the task once: no loop but a logging macro's one-shot record loop.
  llvm::SmallVector<LoopSite, 2> Loops;
  collectLoops(Op->getBody(), Loops);
  const SourceManager &SM = Op->getASTContext().getSourceManager();
  if (llvm::any_of(Loops, [&](const LoopSite &L) {
        return !isLibraryMacroLoop(L.Loop, SM);
      }))
    return false;
  const CXXRecordDecl *Closure = Op->getParent();
  return anyInBody(Op->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CXXOperatorCallExpr>(S);
    if (!Call || Call->getOperator() != OO_Call || Call->getNumArgs() == 0)
      return false;
    const auto *Ref = dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts());
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!V || !model::isTypeErasedCallable(V->getType()))
      return false;
    // Handed as the body's argument (`fiber([](auto task) { task(); },
    // queue.front())`), or captured by the closure (an init-capture or a
    // copy).
    if (isa<ParmVarDecl>(V) && V->getDeclContext() == Op)
      return true;
    return llvm::any_of(Closure->captures(), [&](const LambdaCapture &C) {
      return C.capturesVariable() && C.getCapturedVar() == V;
    });
  });
}

/// The call takes an item off a queue or channel: a member whose name's verb
/// moves an item (pop, try_pop, value_pop, dequeue, take, receive).
static bool takesItem(const CallExpr *Call) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  return M && M->getDeclName().isIdentifier() &&
         model::BlockingModel::namesTake(M->getName());
}

/// The local \p Task holds what its function took off a queue or channel:
/// it is initialised or assigned from such a call (`auto job =
/// jobs.value_pop();`), or handed to one as its out-parameter (`jobs.try_pop(job)`).
static bool receivedTask(const VarDecl *Task) {
  const auto *Fn = dyn_cast<FunctionDecl>(Task->getDeclContext());
  if (!Fn || !Fn->getBody())
    return false;
  auto Names = [&](const Expr *E) {
    const auto *Ref = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
    return Ref && Ref->getDecl() == Task;
  };
  if (takesItem(dyn_cast_or_null<CallExpr>(
          Task->getInit() ? model::peelWrappers(Task->getInit()) : nullptr)))
    return true;
  return anyInBody(Fn->getBody(), [&](const Stmt *S) {
    if (auto A = assignmentOf(S); A && Names(A->first))
      return takesItem(dyn_cast<CallExpr>(model::peelWrappers(A->second)));
    const auto *Call = dyn_cast<CallExpr>(S);
    return takesItem(Call) && llvm::any_of(Call->arguments(), Names);
  });
}

bool isHandedTask(const Expr *Callable) {
  const Expr *E = Callable ? model::peelTemporaries(Callable) : nullptr;
  // fiber(std::move(fn)), fiber(std::ref(*task)): the object itself.
  for (unsigned Steps = 0; Steps < 4; ++Steps) {
    const auto *Call = dyn_cast_or_null<CallExpr>(E);
    if (!Call || Call->getNumArgs() != 1 ||
        !(model::passesObjectThrough(Call) || model::passesReference(Call)))
      break;
    E = model::peelTemporaries(Call->getArg(0));
  }
  if (!E || !model::isTypeErasedCallable(E->getType()))
    return false;
  // *task: whatever object the pointer was handed (popped from a queue).
  if (const auto *U = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
      U && U->getOpcode() == UO_Deref)
    return true;
  const ValueDecl *Task = namedValue(E);
  if (isa_and_nonnull<ParmVarDecl>(Task))
    return true;
  const auto *Local = dyn_cast_or_null<VarDecl>(Task);
  return Local && Local->hasLocalStorage() && receivedTask(Local);
}

/// \p Has holds for \p Body or for the body of a function of the project it
/// calls directly: the task's code, one level deep. The standard library's
/// and Boost's functions are the model's to know even where the project is
/// that library (Boost.Fiber's own examples: a channel's push spins inside).
static bool inTaskCode(const Stmt *Body,
                       llvm::function_ref<bool(const Stmt *)> Has) {
  if (Has(Body))
    return true;
  llvm::SmallVector<const FunctionDecl *, 8> Callees;
  directCallees(Body, Callees);
  return llvm::any_of(Callees, [&](const FunctionDecl *FD) {
    return !model::ConcurrencyModel::inStdOrBoost(FD) && Has(FD->getBody());
  });
}

/// \p Has may hold somewhere in the code the task runs: its body and the
/// project's functions it calls, followed call by call, nearest first. At
/// most 64 functions are read; if there is more, what was not read counts
/// as holding: for a question that needs all of the task's code ("does
/// anything wait forever?"), code not read is not evidence of "no" (a fiber
/// whose session reads its socket two helpers down). A budget rather than
/// a depth: a handshake that checksums its message reaches six calls down
/// through arithmetic, a dispatcher fans out wide and shallow.
static bool mayHoldInTaskCode(const Stmt *Body,
                              llvm::function_ref<bool(const Stmt *)> Has) {
  constexpr unsigned Budget = 64;
  llvm::SmallPtrSet<const FunctionDecl *, 16> Seen;
  llvm::SmallVector<const Stmt *, 16> Work = {Body};
  for (unsigned Next = 0; Next < Work.size(); ++Next) {
    if (Has(Work[Next]))
      return true;
    llvm::SmallVector<const FunctionDecl *, 8> Callees;
    directCallees(Work[Next], Callees);
    for (const FunctionDecl *FD : Callees) {
      if (model::ConcurrencyModel::inStdOrBoost(FD) || !Seen.insert(FD).second)
        continue;
      if (Seen.size() > Budget)
        return true;
      Work.push_back(FD->getBody());
    }
  }
  return false;
}

namespace {
/// The channels some code of the translation unit (outside system headers)
/// closes: variables, and members of any object. One match per unit, made
/// when the first task that drains a channel it does not own asks.
struct UnitClosers : SharedAnalysis {
  static const char ID;
  UnitClosers(ASTContext &Ctx, const model::ChannelModel &Channels) {
    auto Calls = match(
        traverse(TK_IgnoreUnlessSpelledInSource,
                 cxxMemberCallExpr(unless(isExpansionInSystemHeader()))
                     .bind("call")),
        Ctx);
    for (const BoundNodes &N : Calls) {
      const auto *Call = N.getNodeAs<CXXMemberCallExpr>("call");
      const CXXMethodDecl *M = Call->getMethodDecl();
      if (!M || Channels.classify(M) != model::ChannelOp::Close)
        continue;
      // ch->close() through a smart pointer closes the channel it shares.
      const Expr *Obj = Call->getImplicitObjectArgument()->IgnoreParenImpCasts();
      if (const auto *Arrow = dyn_cast<CXXOperatorCallExpr>(Obj);
          Arrow && Arrow->getOperator() == OO_Arrow && Arrow->getNumArgs() == 1)
        Obj = Arrow->getArg(0);
      std::optional<ChannelKey> Closed = namedObject(Obj);
      if (Closed && Closed->second)
        Members.insert(Closed->second);
      else if (Closed)
        Variables.insert(Closed->first);
    }
  }
  /// The channel \p Key names is closed: the same variable, or the same
  /// member of any object.
  bool closes(const ChannelKey &Key) const {
    return Key.second ? Members.contains(Key.second)
                      : Variables.contains(Key.first);
  }
  llvm::DenseSet<const ValueDecl *> Variables;
  llvm::DenseSet<const FieldDecl *> Members;
};
const char UnitClosers::ID = 0;
} // namespace

bool drainsSharedChannel(const FunctionDecl *Entry,
                         const model::ChannelModel &Channels) {
  if (!Entry || !Entry->hasBody())
    return false;
  ASTContext &Ctx = Entry->getASTContext();
  const FunctionChannelUses *U = ChannelUseIndex::of(Ctx, Channels).uses(Entry);
  if (!U)
    return false;
  for (const auto &[Key, Uses] : U->Uses) {
    const auto *V = dyn_cast_or_null<VarDecl>(Key.first);
    if (V && !Key.second && V->getDeclContext() == Entry &&
        Channels.isChannel(V->getType()) && !V->getType()->isReferenceType())
      continue; // its own channel: nobody else can close it
    bool Drains = llvm::any_of(Uses, [&](const ChannelUse &Use) {
      if (Use.Kind != ChannelUseKind::Receive)
        return false;
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(Use.Site);
      return drainsUntilClosed(Use, Entry, Ctx) ||
             (Use.Loop && Call &&
              model::ChannelModel::throwsWhenClosed(Call->getMethodDecl()) &&
              isUnconditional(Use.Loop, Ctx) && !findExit(Use.Loop));
    });
    if (Drains && AnalysisCache::of(Ctx)
                      .get<UnitClosers>(Channels.configKey(), Ctx, Channels)
                      .closes(Key))
      return true;
  }
  return false;
}

bool leavesOnMessage(const Stmt *Body, const model::ChannelModel &Channels) {
  return Body && inTaskCode(Body, [&](const Stmt *B) {
    llvm::SmallVector<LoopSite, 4> Loops;
    collectLoops(B, Loops);
    return llvm::any_of(Loops, [&](const LoopSite &L) {
      return endsOnMessage(L.Loop, Channels);
    });
  });
}

bool asksStop(const Stmt *Body) {
  return inTaskCode(Body, [](const Stmt *B) {
    return anyInBody(B, [](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      return Call && model::StopModel::asksStop(Call->getDirectCallee());
    });
  });
}

bool stopsEventLoop(const Stmt *Body) {
  return inTaskCode(Body, [](const Stmt *B) {
    return anyInBody(B, [](const Stmt *S) {
      const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
      return Call && model::StopModel::stopsEventLoop(Call->getMethodDecl());
    });
  });
}

/// A field read through `this`, a pointer, or a member or variable of
/// reference type: state shared with whoever else holds the object.
static bool sharedObject(const Expr *Base, bool IsArrow) {
  Base = Base->IgnoreParenImpCasts();
  if (IsArrow || isa<CXXThisExpr>(Base))
    return true;
  const ValueDecl *D = nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Base))
    D = Ref->getDecl();
  else if (const auto *Member = dyn_cast<MemberExpr>(Base))
    D = Member->getMemberDecl();
  return D && D->getType()->isReferenceType();
}

static const FieldDecl *sharedField(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!F || F->getType().isConstQualified())
    return nullptr;
  return sharedObject(ME->getBase(), ME->isArrow()) ? F : nullptr;
}

/// Some function of \p F's class (or a lambda in one) assigns \p F,
/// outside the loop \p Except: a state the loop advances itself
/// (a session's `loggedIn = true` after its logon) is no one else's to
/// change.
static bool assignedByItsClass(const FieldDecl *F, const Stmt *Except) {
  const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
  if (!RD || !RD->hasDefinition())
    return false;
  // A class template's specialization holds only the members the program
  // used; what the project wrote (a stop() nobody called in this file) is
  // in the template.
  if (const CXXRecordDecl *Pattern = RD->getTemplateInstantiationPattern();
      Pattern && Pattern != RD && F->getDeclName().isIdentifier())
    for (const FieldDecl *Written : Pattern->fields())
      if (Written->getDeclName() == F->getDeclName())
        return assignedByItsClass(Written, Except);
  auto Assigns = [&](const Stmt *S) {
    const Expr *Target = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp())
      Target = B->getLHS();
    else if (const auto *U = dyn_cast<UnaryOperator>(S); U && U->isIncrementDecrementOp())
      Target = U->getSubExpr();
    else if (auto A = assignmentOf(S))
      Target = A->first;
    const auto *ME = Target ? dyn_cast<MemberExpr>(Target->IgnoreParenImpCasts())
                            : nullptr;
    return ME && ME->getMemberDecl() == F;
  };
  // The loop is known by where it was written: a class template's
  // specialization and its pattern share it.
  auto IsExcept = [&](const Stmt *S) {
    return S->getStmtClass() == Except->getStmtClass() &&
           S->getBeginLoc() == Except->getBeginLoc();
  };
  return llvm::any_of(RD->methods(), [&](const CXXMethodDecl *M) {
    const FunctionDecl *Def = definitionOf(M);
    if (!Def || !Def->getBody())
      return false;
    bool Found = false;
    walkBody(
        Def->getBody(),
        [&](const Stmt *S) {
          if (Found || IsExcept(S))
            return false;
          Found = Assigns(S);
          return !Found;
        },
        Lambdas::Enter);
    return Found;
  });
}

/// \p S reads a field of a shared object that its class assigns somewhere
/// outside \p Loop.
static bool readsChangingSharedField(const Stmt *S, const Stmt *Loop) {
  const auto *E = dyn_cast<Expr>(S);
  const FieldDecl *F = E ? sharedField(E) : nullptr;
  return F && assignedByItsClass(F, Loop);
}

/// \p S calls an accessor of a shared object (`peekStatus()` on `this`,
/// `conn->isOpen()`): a project method whose returned value reads such a
/// field. The accessor's lock is the class's business; what the loop asks
/// is the same state.
static bool callsChangingStateAccessor(const Stmt *S, const Stmt *Loop) {
  const auto *Call = dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  const auto *Callee = dyn_cast_or_null<MemberExpr>(
      Call ? Call->getCallee()->IgnoreParenImpCasts() : nullptr);
  if (!M || !Callee || model::ConcurrencyModel::inStdOrBoost(M) ||
      !sharedObject(Callee->getBase(), Callee->isArrow()))
    return false;
  const FunctionDecl *Def = definitionOf(M);
  return Def && Def->getBody() && anyInBody(Def->getBody(), [&](const Stmt *N) {
    const auto *Ret = dyn_cast<ReturnStmt>(N);
    return Ret && Ret->getRetValue() &&
           anyInBody(Ret->getRetValue(), [&](const Stmt *R) {
             return readsChangingSharedField(R, Loop);
           });
  });
}

bool loopsOnSharedState(const Stmt *Body) {
  return Body && inTaskCode(Body, [](const Stmt *B) {
    llvm::SmallVector<LoopSite, 4> Loops;
    collectLoops(B, Loops);
    return llvm::any_of(Loops, [](const LoopSite &L) {
      // The loop's condition, and the tests that lead out of it
      // (`if (m_stop_flag) return;`): each asks whether to go on.
      llvm::SmallVector<const Expr *, 4> Tests;
      if (const Expr *Cond = partsOf(L.Loop).Cond)
        Tests.push_back(Cond);
      llvm::SmallVector<LoopExitSite, 4> Exits;
      collectExits(L.Loop, Exits);
      for (const LoopExitSite &E : Exits)
        if (E.Guard)
          Tests.push_back(E.Guard);
      return llvm::any_of(Tests, [&](const Expr *Test) {
        return anyInBody(Test, [&](const Stmt *S) {
          return readsChangingSharedField(S, L.Loop) ||
                 callsChangingStateAccessor(S, L.Loop);
        });
      });
    });
  });
}

bool endsByItself(const Stmt *Body, const ASTContext &Ctx) {
  return Body && !inTaskCode(Body, [&](const Stmt *B) {
    llvm::SmallVector<LoopSite, 4> Loops;
    collectLoops(B, Loops);
    return llvm::any_of(Loops, [&](const LoopSite &L) {
      return isUnconditional(L.Loop, Ctx) && !retriesOneTransfer(L.Loop);
    });
  });
}

/// The object whose readiness \p Cond tests and whether it holds when
/// \p Cond is true: `f.wait_for(d) == future_status::ready` -> {f, true},
/// `f.wait_until(t) != ready` -> {f, false}, `f.is_ready()` -> {f, true}.
static std::pair<const ValueDecl *, bool> readinessTest(const Expr *Cond) {
  Cond = Cond ? model::peelWrappers(Cond) : nullptr;
  auto ObjectAsked = [](const Expr *E, llvm::ArrayRef<llvm::StringRef> Names)
      -> const ValueDecl * {
    const auto *Call = dyn_cast_or_null<CallExpr>(model::peelWrappers(E));
    if (!Call || !llvm::is_contained(Names, model::spelledCallee(Call)))
      return nullptr;
    const Expr *Obj = model::objectOf(Call);
    return Obj ? namedValue(Obj) : nullptr;
  };
  if (const ValueDecl *V = ObjectAsked(Cond, {"is_ready"}))
    return {V, true};
  const Expr *L = nullptr, *R = nullptr;
  bool Equal = false;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Cond);
      BO && BO->isEqualityOp()) {
    L = BO->getLHS(), R = BO->getRHS(), Equal = BO->getOpcode() == BO_EQ;
  } else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Cond);
             Op && Op->getNumArgs() == 2 &&
             (Op->getOperator() == OO_EqualEqual ||
              Op->getOperator() == OO_ExclaimEqual)) {
    L = Op->getArg(0), R = Op->getArg(1);
    Equal = Op->getOperator() == OO_EqualEqual;
  }
  auto IsReady = [](const Expr *E) {
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(model::peelWrappers(E));
    const auto *C = Ref ? dyn_cast<EnumConstantDecl>(Ref->getDecl()) : nullptr;
    return C && C->getName() == "ready";
  };
  if (!L || !R)
    return {};
  if (IsReady(L))
    std::swap(L, R);
  if (!IsReady(R))
    return {};
  return {ObjectAsked(L, {"wait_for", "wait_until"}), Equal};
}

/// The waits of \p Body that cannot wait: a get() or wait() on a future
/// where a test just found it ready (`if (f.wait_for(d) == ready) return
/// f.get();`, or after `if (f.wait_until(t) != ready) return false;`).
static void collectReadyWaits(const Stmt *Body,
                              llvm::SmallPtrSetImpl<const CallExpr *> &Out) {
  auto Mark = [&](const Stmt *Region, const ValueDecl *Ready) {
    walkBody(Region, [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const Expr *Obj = model::objectOf(Call);
            Obj && namedValue(Obj) == Ready)
          Out.insert(Call);
      return true;
    });
  };
  walkBody(Body, [&](const Stmt *S) {
    const auto *Block = dyn_cast<CompoundStmt>(S);
    const auto *If = dyn_cast<IfStmt>(S);
    if (If) {
      auto [Ready, WhenTrue] = readinessTest(If->getCond());
      if (Ready)
        Mark(WhenTrue ? If->getThen() : If->getElse(), Ready);
    }
    // if (f.wait_for(d) != ready) return ...; then f is ready below.
    for (unsigned I = 0; Block && I < Block->size(); ++I) {
      if (!isEarlyExit(Block->body_begin()[I]))
        continue;
      auto [Ready, WhenTrue] =
          readinessTest(cast<IfStmt>(Block->body_begin()[I])->getCond());
      if (Ready && !WhenTrue)
        for (unsigned J = I + 1; J < Block->size(); ++J)
          Mark(Block->body_begin()[J], Ready);
    }
    return true;
  });
}

/// \p Loop calls a non-const method on the object \p Query asks.
static bool changesObjectOf(const CallExpr *Query, const Stmt *Loop) {
  const Expr *Obj = model::objectOf(Query);
  const ValueDecl *Asked = Obj ? namedValue(Obj) : nullptr;
  return Asked && anyInBody(Loop, [&](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    return M && !M->isConst() &&
           namedValue(MC->getImplicitObjectArgument()) == Asked;
  });
}

/// Every call \p Loop makes is library code known not to wait or the
/// project's code that does not wait (BlockingModel), and every emptiness
/// test is of a container the loop itself changes: the loop computes (a
/// hash over a buffer, a parser over a string, a drain of its own queue)
/// and ends when its data does, not when another task acts.
static bool onlyComputes(const Stmt *Loop,
                         const model::BlockingModel &Blocking) {
  return !anyInBody(Loop, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return false;
    switch (Blocking.classifyCall(Call)) {
    case model::CallKind::Trivial:
      return false;
    case model::CallKind::Emptiness: {
      // while (!q.empty()) q.pop_front(): the loop empties what it tests;
      // a string or a view is data, no other task fills it.
      const Expr *Obj = model::objectOf(Call);
      return !(Obj && model::isDataNotQueue(Obj->getType())) &&
             !changesObjectOf(Call, Loop);
    }
    case model::CallKind::User:
      // OnlyPauses: a body with no call at all (an accessor) is one too.
      return !Call->getDirectCallee() ||
             (Blocking.effectOf(Call->getDirectCallee()) &
              ~unsigned(model::OnlyPauses)) != model::NoWait;
    default:
      return true;
    }
  });
}

bool endsInBoundedTime(const Stmt *Body, const ASTContext &Ctx,
                       const model::BlockingModel &Blocking) {
  // What the body itself calls must be seen to be bounded; in the project's
  // functions it calls (all of them, call by call), only a wait seen there
  // counts (as with endless
  // loops: a logger's stream manipulator is no evidence).
  if (anyInBody(Body, [&](const Stmt *S) {
        const auto *Call = dyn_cast<CallExpr>(S);
        return Call && Blocking.runsUnseenCode(Call);
      }))
    return false;
  // Every loop ends by construction (a range for, a counted for), not only
  // by a break or by state someone else may never change, and no call
  // waits without a deadline.
  return !mayHoldInTaskCode(Body, [&](const Stmt *B) {
    llvm::SmallVector<LoopSite, 4> Loops;
    collectLoops(B, Loops);
    if (llvm::any_of(Loops, [&](const LoopSite &L) {
          // A loop that only computes ends, unless nothing can end it
          // (`for (;;) log("alive");`: no condition, no exit).
          bool Endless = isUnconditional(L.Loop, Ctx) && !findExit(L.Loop);
          return !isBounded(L.Loop) && !neverRepeats(L.Loop, Ctx) &&
                 (Endless || !onlyComputes(L.Loop, Blocking));
        }))
      return true;
    llvm::SmallPtrSet<const CallExpr *, 4> Ready;
    collectReadyWaits(B, Ready);
    return anyInBody(B, [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      return Call && !Ready.contains(Call) &&
             Blocking.waitsWithoutDeadline(Call);
    });
  });
}

bool handsBackSettledFuture(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->getBody() || model::ConcurrencyModel::inStdOrBoost(Def))
    return false;
  // Every return hands back a local promise's future.
  llvm::SmallPtrSet<const VarDecl *, 2> Promises;
  bool Returns = false, OnlyPromises = true;
  walkBody(Def->getBody(), [&](const Stmt *S) {
    const auto *Ret = dyn_cast<ReturnStmt>(S);
    if (!Ret)
      return true;
    Returns = true;
    const auto *Call = Ret->getRetValue()
                           ? dyn_cast<CXXMemberCallExpr>(
                                 model::peelWrappers(Ret->getRetValue()))
                           : nullptr;
    const auto *Ref =
        Call && model::spelledCallee(Call) == "get_future"
            ? dyn_cast<DeclRefExpr>(
                  Call->getImplicitObjectArgument()->IgnoreParenImpCasts())
            : nullptr;
    const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    const CXXRecordDecl *RD =
        Var ? Var->getType()->getAsCXXRecordDecl() : nullptr;
    if (Var && Var->hasLocalStorage() && !isa<ParmVarDecl>(Var) && RD &&
        RD->getDeclName().isIdentifier() && RD->getName() == "promise")
      Promises.insert(Var);
    else
      OnlyPromises = false;
    return true;
  });
  if (!Returns || !OnlyPromises)
    return false;
  // The promise stays in this call: every mention of it is a call of its
  // own (set_value, set_exception, get_future). Captured by a callback,
  // moved into a task or handed to a function, it is set later, by work
  // still running.
  llvm::SmallPtrSet<const DeclRefExpr *, 8> OwnCalls;
  bool Escapes = false;
  walkBody(
      Def->getBody(),
      [&](const Stmt *S) {
        if (const auto *L = dyn_cast<LambdaExpr>(S))
          Escapes |= llvm::any_of(L->captures(), [&](const LambdaCapture &C) {
            return C.capturesVariable() &&
                   Promises.contains(dyn_cast<VarDecl>(C.getCapturedVar()));
          });
        if (const auto *ME = dyn_cast<MemberExpr>(S))
          if (const auto *Ref =
                  dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
            OwnCalls.insert(Ref);
        if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
          if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
              Var && Promises.contains(Var) && !OwnCalls.contains(Ref))
            Escapes = true;
        return !Escapes;
      },
      Lambdas::Enter);
  return !Escapes;
}

} // namespace tether::analysis
