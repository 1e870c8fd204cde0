//===--- ThrowAnalysis.cpp ------------------------------------------------===//

#include "ThrowAnalysis.h"
#include "../model/ConcurrencyModel.h"
#include "utils/ExceptionAnalyzer.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;
using clang::tidy::utils::ExceptionAnalyzer;

namespace tether::analysis {

ThrowAnalysis::ThrowAnalysis(llvm::ArrayRef<std::string> KnownThrowing,
                             llvm::ArrayRef<std::string> Ignored)
    : Analyzer(std::make_unique<ExceptionAnalyzer>()) {
  for (const std::string &N : KnownThrowing)
    Known.insert(llvm::StringRef(N).ltrim(':'));
  llvm::StringSet<> Names;
  for (const std::string &N : Ignored) {
    Names.insert(llvm::StringRef(N).ltrim(':'));
    IgnoredTypes.insert(llvm::StringRef(N).ltrim(':'));
  }
  Analyzer->ignoreBadAlloc(true);
  Analyzer->ignoreExceptions(std::move(Names));
}

ThrowAnalysis::~ThrowAnalysis() = default;

bool ThrowAnalysis::throws(const Stmt *S) {
  return S && Analyzer->analyze(S).getBehaviour() ==
                  ExceptionAnalyzer::State::Throwing;
}

bool ThrowAnalysis::isKnownThrowing(const FunctionDecl *FD) const {
  if (!FD || !FD->getDeclName().isIdentifier() || Known.empty())
    return false;
  if (const auto *Proto = FD->getType()->getAs<FunctionProtoType>())
    if (Proto->isNothrow())
      return false;
  return Known.contains(model::canonicalName(FD));
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

static const CallExpr *asCall(const Stmt *S) {
  return dyn_cast<CallExpr>(S);
}

bool ThrowAnalysis::knownThrowIn(const Stmt *S, bool Guarded) const {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    if (knownThrowIn(Try->getTryBlock(), Guarded || catchesLibraryErrors(Try)))
      return true;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (knownThrowIn(Try->getHandler(I)->getHandlerBlock(), Guarded))
        return true;
    return false;
  }
  if (!Guarded)
    if (const CallExpr *Call = asCall(S))
      if (isKnownThrowing(Call->getDirectCallee()))
        return true;
  for (const Stmt *Child : S->children())
    if (knownThrowIn(Child, Guarded))
      return true;
  return false;
}

static bool inSystemHeader(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
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

/// What a user function lets escape: a throw expression written by the user
/// or a known-throwing call, found through user functions only. Throws
/// inside library templates (libc++ defines its __throw_length_error inline)
/// are not counted: every push_back would "throw".
const Stmt *ThrowAnalysis::escapesFrom(const FunctionDecl *FD,
                                       unsigned Depth) {
  if (!FD || Depth > 6 || isNothrow(FD))
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def || inSystemHeader(Def))
    return nullptr;
  auto It = Inner.find(Def);
  if (It != Inner.end())
    return It->second;
  Inner[Def] = nullptr; // recursion guard
  llvm::SmallVector<QualType, 4> Saved;
  std::swap(Saved, Caught); // the callee's own handlers only
  const Stmt *R = locate(Def->getBody(), 0, Depth);
  std::swap(Saved, Caught);
  Inner[Def] = R;
  // The throw expression the exception starts from, through the calls.
  const Stmt *O = R;
  if (const auto *Call = dyn_cast_or_null<CallExpr>(R))
    if (const Stmt *Deeper = originOf(Call->getDirectCallee()))
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

const Stmt *ThrowAnalysis::locate(const Stmt *S, unsigned Level,
                                  unsigned Depth) {
  if (!S || Level > 128 || isa<LambdaExpr>(S))
    return nullptr;
  if (const auto *Throw = dyn_cast<CXXThrowExpr>(S)) {
    // throw boost::thread_interrupted(): the thread's entry catches it.
    if (const Expr *Sub = Throw->getSubExpr())
      if (const CXXRecordDecl *RD = Sub->getType()->getAsCXXRecordDecl())
        if (IgnoredTypes.contains(model::canonicalName(RD)))
          return nullptr;
    return caughtBy(S, Caught) ? nullptr : S;
  }
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    // Only a try that lets something out: a rethrow in a handler, or what
    // its handlers do not take.
    if (!throws(Try) && !knownThrowIn(Try, false))
      return nullptr;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (const Stmt *In = locate(Try->getHandler(I)->getHandlerBlock(),
                                  Level + 1, Depth))
        return In;
    if (catchesLibraryErrors(Try))
      return nullptr;
    size_t Before = Caught.size();
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      Caught.push_back(Try->getHandler(I)->getCaughtType());
    const Stmt *In = locate(Try->getTryBlock(), Level + 1, Depth);
    Caught.resize(Before);
    return In;
  }
  for (const Stmt *Child : S->children())
    if (const Stmt *In = locate(Child, Level + 1, Depth))
      return In;
  if (const CallExpr *Call = asCall(S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    // Library calls count in the thread's own body only: deeper down they
    // are usually guarded (if (m.count(k)) return m.at(k);).
    if (Depth == 0 && isKnownThrowing(Callee))
      return Call;
    if (escapesFrom(Callee, Depth + 1) && !caughtBy(originOf(Callee), Caught))
      return Call;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    if (escapesFrom(CE->getConstructor(), Depth + 1) &&
        !caughtBy(originOf(CE->getConstructor()), Caught))
      return S;
  return nullptr;
}

const Stmt *ThrowAnalysis::escapingThrow(const FunctionDecl *Entry) {
  if (!Entry)
    return nullptr;
  auto It = Cache.find(Entry);
  if (It != Cache.end())
    return It->second;
  const Stmt *Result = nullptr;
  const Stmt *Body = Entry->getBody();
  if (Body && !isNothrow(Entry)) {
    // The analyzer decides (it knows catch by type); the locator keeps only
    // what user code throws and names it.
    bool Throwing = Analyzer->analyze(Entry).getBehaviour() ==
                    ExceptionAnalyzer::State::Throwing;
    if (Throwing || knownThrowIn(Body, false))
      Result = locate(Body, 0, 0);
  }
  Cache[Entry] = Result;
  return Result;
}

} // namespace tether::analysis
