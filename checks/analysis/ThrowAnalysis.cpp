//===--- ThrowAnalysis.cpp ------------------------------------------------===//

#include "ThrowAnalysis.h"
#include "../model/BlockingModel.h"
#include "LoopExits.h"
#include "llvm/ADT/ScopeExit.h"
#include "../model/ConcurrencyModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "BodyWalk.h"
#include "Dependence.h"
#include "Describe.h"
#include "../model/StdLibrary.h"
#include <utility>

using namespace clang;

namespace tether::analysis {

ThrowAnalysis::ThrowAnalysis(llvm::ArrayRef<std::string> KnownThrowing,
                             llvm::ArrayRef<std::string> Ignored,
                             const Provenance *Library)
    : Library(Library), KnownNames(KnownThrowing.begin(), KnownThrowing.end()) {
  for (const std::string &N : Ignored)
    IgnoredTypes.insert(llvm::StringRef(N).ltrim(':'));
}

/// Exceptions that never count: the configured ones and running out of
/// memory (std::bad_alloc and what derives from it), which every allocation
/// can raise and no thread is expected to handle.
bool ThrowAnalysis::ignored(const CXXThrowExpr *Throw) const {
  const Expr *Sub = Throw->getSubExpr();
  const CXXRecordDecl *RD =
      Sub ? Sub->getType()->getAsCXXRecordDecl() : nullptr;
  if (!RD || !RD->hasDefinition())
    return false;
  std::string Name = model::canonicalName(RD);
  if (IgnoredTypes.contains(Name))
    return true;
  bool OutOfMemory = Name == "std::bad_alloc";
  RD->forallBases([&](const CXXRecordDecl *Base) {
    OutOfMemory |= model::canonicalName(Base) == "std::bad_alloc";
    return !OutOfMemory;
  });
  return OutOfMemory;
}

std::optional<model::ThrowReason>
ThrowAnalysis::libraryThrow(const Stmt *S) const {
  return model::libraryThrowOf(dyn_cast_or_null<CallExpr>(S), KnownNames);
}

/// A handler that stops everything a library call throws: catch (...) or a
/// catch of std::exception (the library throws only its subclasses).
static bool catchesLibraryErrors(const CXXTryStmt *Try) {
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
    const CXXCatchStmt *H = Try->getHandler(I);
    if (!H->getExceptionDecl())
      return true;
    QualType T = H->getCaughtType().getNonReferenceType();
    if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
      if (model::canonicalName(RD) == "std::exception")
        return true;
  }
  return false;
}

/// The outermost namespace \p D is declared in ("nlohmann" for
/// nlohmann::json_abi_v3_11_2::detail::exception), or "".
static llvm::StringRef outermostNamespace(const Decl *D) {
  const NamespaceDecl *Outer = nullptr;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      Outer = NS;
  return Outer && Outer->getIdentifier() ? Outer->getName() : "";
}

/// A handler of \p Caught catches an exception class of the library that
/// declares \p Callee (`catch (const nlohmann::json::exception &)` around
/// `nlohmann::json::parse`): the library's own base of what it throws.
static bool catchesOwnLibraryErrors(const FunctionDecl *Callee,
                                    llvm::ArrayRef<QualType> Caught) {
  llvm::StringRef Library = Callee ? outermostNamespace(Callee) : "";
  if (Library.empty() || Library == "std")
    return false;
  return llvm::any_of(Caught, [&](QualType T) {
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    return RD && outermostNamespace(RD) == Library;
  });
}

bool ThrowAnalysis::writtenByLibrary(const Decl *D) const {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
  return SM.isInSystemHeader(Loc) ||
         (Library && Library->isLibraryFile(SM.getFileID(Loc), SM));
}

static bool isNothrow(const FunctionDecl *FD) {
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  return Proto && Proto->isNothrow();
}

const Stmt *ThrowAnalysis::originOf(const FunctionDecl *FD) const {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def) || !Def)
    return nullptr;
  return Origin.lookup(Def);
}

bool ThrowAnalysis::guardsItsObject(const CallExpr *Call) const {
  const ValueDecl *Object = readValue(model::objectOf(Call));
  auto Tests = [&](const Expr *Cond) {
    return anyInBody(Cond, [&](const Stmt *S) {
      const auto *E = dyn_cast<Expr>(S);
      return E && namedValue(E) == Object;
    });
  };
  return Object &&
         (llvm::any_of(Guards, [&](const Guard &G) { return Tests(G.Cond); }) ||
          llvm::any_of(WaitedFor, Tests));
}

bool ThrowAnalysis::accessesByCallersKey(const CallExpr *Call) const {
  const auto *Access = dyn_cast<CXXMemberCallExpr>(Call);
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!Access || !FD || !Current || Access->getNumArgs() != 1 ||
      !model::isNamedAnyOf(FD, {"at"}))
    return false;
  const auto *Key = dyn_cast<DeclRefExpr>(model::peelWrappers(Access->getArg(0)));
  const auto *Param = Key ? dyn_cast<ParmVarDecl>(Key->getDecl()) : nullptr;
  return Param && Param->getDeclContext() == Current;
}

bool ThrowAnalysis::guardedByCancellation() const {
  return llvm::any_of(Guards, [&](const Guard &G) {
    if (G.Else)
      return false;
    auto [It, New] = CancelledWaitGuards.try_emplace(G.Cond, false);
    if (New)
      It->second = testsCancelledWaitError(G.Cond, Current);
    return It->second;
  });
}

bool ThrowAnalysis::guardedByContract() const {
  return llvm::any_of(Guards, [&](const Guard &G) {
    return dependenceOf(G.Cond, Current) <= Dependence::OwnState ||
           testsArgumentPresence(G.Cond);
  });
}

/// What a user function lets escape: a throw expression written by the user
/// or a known-throwing call, found through user functions only. Throws
/// inside library templates (libc++ defines its __throw_length_error inline)
/// are not counted: every push_back would "throw".
const Stmt *ThrowAnalysis::escapesFrom(const FunctionDecl *FD,
                                       unsigned Depth) {
  if (!FD || Depth > 6 || isNothrow(FD))
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || writtenByLibrary(Def))
    return nullptr;
  // Calling a coroutine makes the coroutine: what its body throws goes to
  // its promise (the task, the future), not to the caller.
  if (isa<CoroutineBodyStmt>(Def->getBody()))
    return nullptr;
  auto It = Inner.find(Def);
  if (It != Inner.end())
    return It->second;
  Inner[Def] = nullptr; // recursion guard
  // The callee's own handlers and guards only.
  llvm::SmallVector<QualType, 4> SavedCaught;
  llvm::SmallVector<Guard, 4> SavedGuards;
  std::swap(SavedCaught, Caught);
  std::swap(SavedGuards, Guards);
  const FunctionDecl *SavedCurrent = std::exchange(Current, Def);
  const Stmt *R = locate(Def->getBody(), 0, Depth);
  std::swap(SavedCaught, Caught);
  std::swap(SavedGuards, Guards);
  Current = SavedCurrent;
  Inner[Def] = R;
  // The throw expression the exception starts from, through the calls.
  const Stmt *O = R;
  if (const auto *Call = dyn_cast_or_null<CallExpr>(R))
    if (const Stmt *Deeper = originOf(Call->getDirectCallee()))
      O = Deeper;
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(R))
    if (const Stmt *Deeper = originOf(CE->getConstructor()))
      O = Deeper;
  Origin[Def] = O;
  return R;
}

/// Is what \p Thrower throws taken by one of the enclosing typed handlers?
static bool caughtBy(const Stmt *Thrower, llvm::ArrayRef<QualType> Caught) {
  const auto *Throw = dyn_cast_or_null<CXXThrowExpr>(Thrower);
  if (!Throw || !Throw->getSubExpr() || Caught.empty())
    return false;
  QualType T = Throw->getSubExpr()->getType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  for (QualType C : Caught) {
    C = C.getNonReferenceType();
    if (C.getCanonicalType().getUnqualifiedType() ==
        T.getCanonicalType().getUnqualifiedType())
      return true;
    if (const CXXRecordDecl *Base = C->getAsCXXRecordDecl())
      if (RD && RD->hasDefinition() && RD->isDerivedFrom(Base))
        return true;
  }
  return false;
}

bool ThrowAnalysis::uncaught(const Stmt *Origin) const {
  // Under a catch of std::exception only a user's throw of another type
  // gets out; a library call's exception does not.
  if (LibraryGuarded && !isa_and_nonnull<CXXThrowExpr>(Origin))
    return false;
  return !caughtBy(Origin, Caught);
}

const Stmt *ThrowAnalysis::locate(const Stmt *S, unsigned Level,
                                  unsigned Depth) {
  if (!S || Level > 128 || isa<LambdaExpr>(S))
    return nullptr;
  // In a callee, a throw or call that only a broken contract reaches (a
  // guard on the callee's own state or on constants, or a test that an
  // argument was given at all), or only a cancelled timer wait, does not
  // count.
  bool Contract = (Depth > 0 || EntryIsCallee) &&
                  (guardedByContract() || guardedByCancellation());
  if (const auto *Throw = dyn_cast<CXXThrowExpr>(S)) {
    // throw boost::thread_interrupted(): the thread's entry catches it. A
    // throw a library's macro wrote (a test framework's REQUIRE) is how the
    // library ends its own work, not the body's failure.
    if (ignored(Throw) ||
        (Library && Current &&
         Library->writtenByLibrary(Throw, Current->getASTContext().getSourceManager())))
      return nullptr;
    if (Contract || caughtBy(S, Caught))
      return nullptr;
    GuardOf[S] = Guards.empty() ? Guard{} : Guards.back();
    return S;
  }
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    // A handler runs only when its try block raises something; then what
    // it throws, or rethrows, gets out.
    if (!raises(Try->getTryBlock(), Level, Depth))
      return nullptr;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (const Stmt *In = locate(Try->getHandler(I)->getHandlerBlock(),
                                  Level + 1, Depth))
        return In;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (!Try->getHandler(I)->getExceptionDecl())
        return nullptr; // catch (...)
    // catch (const std::exception &) stops what the library throws, not a
    // user's throw of another type (throw 42; throw MyError{} not derived
    // from it): look for those.
    bool LibraryStopped = catchesLibraryErrors(Try);
    LibraryGuarded += LibraryStopped;
    size_t Before = Caught.size();
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      Caught.push_back(Try->getHandler(I)->getCaughtType());
    const Stmt *In = locate(Try->getTryBlock(), Level + 1, Depth);
    Caught.resize(Before);
    LibraryGuarded -= LibraryStopped;
    return In;
  }
  // The branches of an if or ?: run under its condition.
  const Expr *Cond = nullptr;
  const Stmt *Branches[2] = {nullptr, nullptr};
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    Cond = If->getCond();
    Branches[0] = If->getThen();
    Branches[1] = If->getElse();
  } else if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
    Cond = CO->getCond();
    Branches[0] = CO->getTrueExpr();
    Branches[1] = CO->getFalseExpr();
  }
  // After `if (!opt.has_value()) continue;` the rest of the block runs only
  // when the test was false: it is guarded like an else branch.
  size_t GuardsBefore = Guards.size(), WaitsBefore = WaitedFor.size();
  auto RestoreGuards = llvm::make_scope_exit([&] {
    Guards.resize(GuardsBefore);
    WaitedFor.resize(WaitsBefore);
  });
  for (const Stmt *Child : S->children()) {
    bool Branch = Cond && Child && llvm::is_contained(Branches, Child);
    if (Branch)
      Guards.push_back({Cond, Child == Branches[1]});
    const Stmt *In = locate(Child, Level + 1, Depth);
    if (Branch)
      Guards.pop_back();
    if (In)
      return In;
    if (isa<CompoundStmt>(S) && isEarlyExit(Child))
      Guards.push_back({cast<IfStmt>(Child)->getCond(), /*Else=*/true});
    if (isa<CompoundStmt>(S))
      if (const Expr *Waited = model::BlockingModel::conditionWaitedFor(Child))
        WaitedFor.push_back(Waited);
  }
  if (Contract)
    return nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    // Library calls count in the thread's own body only: deeper down they
    // are usually guarded (if (m.count(k)) return m.at(k);).
    if (Depth == 0 && !LibraryGuarded && libraryThrow(Call) &&
        !catchesOwnLibraryErrors(Callee, Caught) && !guardsItsObject(Call) &&
        !accessesByCallersKey(Call))
      return Call;
    if (escapesFrom(Callee, Depth + 1) && uncaught(originOf(Callee)))
      return Call;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (escapesFrom(CE->getConstructor(), Depth + 1) &&
        uncaught(originOf(CE->getConstructor())))
      return S;
  return nullptr;
}

bool ThrowAnalysis::raises(const Stmt *TryBlock, unsigned Level,
                           unsigned Depth) {
  auto [It, New] = Raises.try_emplace({TryBlock, EntryIsCallee}, false);
  if (!New)
    return It->second;
  // Whatever the enclosing handlers would take still enters this try's.
  llvm::SmallVector<QualType, 4> SavedCaught;
  std::swap(SavedCaught, Caught);
  unsigned SavedGuarded = std::exchange(LibraryGuarded, 0);
  bool R = locate(TryBlock, Level + 1, Depth) != nullptr;
  std::swap(SavedCaught, Caught);
  LibraryGuarded = SavedGuarded;
  Raises[{TryBlock, EntryIsCallee}] = R;
  return R;
}

/// The exception type a throw expression throws, as a reader names it.
static std::string thrownType(const CXXThrowExpr *Throw) {
  const Expr *Sub = Throw ? Throw->getSubExpr() : nullptr;
  if (!Sub)
    return "";
  QualType T = Sub->getType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return model::canonicalName(RD);
  return T.getAsString();
}

std::optional<ThrowAnalysis::Escape>
ThrowAnalysis::escapingThrow(const FunctionDecl *Entry, bool AsCallee) {
  if (!Entry)
    return std::nullopt;
  auto It = Cache.find({Entry, AsCallee});
  const Stmt *Result = nullptr;
  if (It != Cache.end()) {
    Result = It->second;
  } else {
    const Stmt *Body = Entry->getBody();
    if (Body && !isNothrow(Entry)) {
      const FunctionDecl *SavedCurrent = std::exchange(Current, Entry);
      bool SavedCallee = std::exchange(EntryIsCallee, AsCallee);
      Result = locate(Body, 0, 0);
      EntryIsCallee = SavedCallee;
      Current = SavedCurrent;
    }
    Cache[{Entry, AsCallee}] = Result;
  }
  if (!Result)
    return std::nullopt;

  Escape E;
  E.At = Result;
  const ASTContext &Ctx = Entry->getASTContext();
  auto Quote = [&](const Stmt *Origin) -> std::string {
    Guard G = GuardOf.lookup(Origin);
    if (!G.Cond)
      return "";
    const SourceManager &SM = Ctx.getSourceManager();
    SourceRange R = G.Cond->getSourceRange();
    if (R.getBegin().isMacroID() || R.getEnd().isMacroID())
      return "";
    StringRef Text = Lexer::getSourceText(CharSourceRange::getTokenRange(R),
                                          SM, Ctx.getLangOpts());
    if (Text.empty() || Text.size() > 80 || Text.contains('\n'))
      return "";
    // if (ec == aborted) {...} else throw: it throws when the test fails.
    return ("'" + Text + "'" + (G.Else ? " is false" : "")).str();
  };
  if (const auto *Throw = dyn_cast<CXXThrowExpr>(Result)) {
    E.Rethrows = !Throw->getSubExpr();
    E.Thrown = thrownType(Throw);
    E.When = Quote(Throw);
    return E;
  }
  if (const auto *Call = dyn_cast<CallExpr>(Result)) {
    E.Callee = Call->getDirectCallee();
    if (std::optional<model::ThrowReason> Why = libraryThrow(Call)) {
      E.Thrown = Why->Thrown;
      E.When = Why->When;
      return E;
    }
  } else if (const auto *CE = dyn_cast<CXXConstructExpr>(Result)) {
    E.Callee = CE->getConstructor();
  }
  const Stmt *Origin = originOf(E.Callee);
  if (const auto *Throw = dyn_cast_or_null<CXXThrowExpr>(Origin)) {
    E.Rethrows = !Throw->getSubExpr();
    E.Thrown = thrownType(Throw);
    E.When = Quote(Throw);
  }
  return E;
}

} // namespace tether::analysis
