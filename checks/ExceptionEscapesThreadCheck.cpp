//===--- ExceptionEscapesThreadCheck.cpp ----------------------------------===//

#include "ExceptionEscapesThreadCheck.h"
#include "analysis/ThreadEntries.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

/// Library calls that throw through helpers clang cannot see into.
model::NameList throwingFunctions() {
  return {"ThrowingFunctions",
          {"std::stoi", "std::stol", "std::stoll", "std::stoul", "std::stoull",
           "std::stof", "std::stod", "std::stold", "std::vector::at",
           "std::deque::at", "std::basic_string::at", "std::map::at",
           "std::unordered_map::at", "std::optional::value",
           "std::future::get", "std::shared_future::get",
           "boost::lexical_cast"},
          ""};
}

/// Exceptions that end a thread without std::terminate: Boost.Thread's
/// entry catches thread_interrupted (that is how interrupt() stops it).
model::NameList ignoredExceptions() {
  return {"IgnoredExceptions", {"boost::thread_interrupted"}, ""};
}

/// The function that runs as the body of \p Callable. Adds what entryOf does
/// not see: a lambda converted to a function pointer for pthread_create.
const FunctionDecl *bodyOf(const Expr *Callable) {
  if (!Callable)
    return nullptr;
  const Expr *E = Callable->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Plus)
    E = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Conv = dyn_cast<CXXMemberCallExpr>(E))
    if (isa_and_nonnull<CXXConversionDecl>(Conv->getMethodDecl()))
      if (const auto *L = dyn_cast_or_null<LambdaExpr>(
              Conv->getImplicitObjectArgument()->IgnoreParenImpCasts()))
        return L->getCallOperator();
  return analysis::entryOf(Callable);
}

} // namespace

ExceptionEscapesThreadCheck::ExceptionEscapesThreadCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options),
      ThrowingFunctions(Options.get("ThrowingFunctions", "")),
      IgnoredExceptions(Options.get("IgnoredExceptions", "")) {}

void ExceptionEscapesThreadCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThrowingFunctions", ThrowingFunctions);
  Options.store(Opts, "IgnoredExceptions", IgnoredExceptions);
  Model.store(Options, Opts);
}

void ExceptionEscapesThreadCheck::registerMatchers(MatchFinder *Finder) {
  analysis::addSpawnMatchers(Finder, this, Model);
}

void ExceptionEscapesThreadCheck::check(
    const MatchFinder::MatchResult &Result) {
  if (!Throws) {
    model::NameList Known = throwingFunctions();
    Known.UserValue = ThrowingFunctions;
    model::NameList Ignored = ignoredExceptions();
    Ignored.UserValue = IgnoredExceptions;
    Throws = std::make_unique<analysis::ThrowAnalysis>(Known.all(),
                                                       Ignored.all());
  }
  std::optional<analysis::Spawn> Sp =
      analysis::spawnAt(Result.Nodes.getNodeAs<Expr>("spawn"), Model);
  // A task's exception is stored in its future, not escaping its thread.
  if (Sp && Sp->Kind != analysis::SpawnKind::Task)
    checkSpawn(Sp->S.Site, Sp->S.Callable, Sp->What, *Result.SourceManager);
}

void ExceptionEscapesThreadCheck::checkSpawn(const Expr *Site,
                                             const Expr *Callable,
                                             StringRef What,
                                             const SourceManager &SM) {
  const FunctionDecl *Entry = bodyOf(Callable);
  // Templates are checked in their instantiations; code in system headers
  // (std::packaged_task's call operator, library wrappers) is not ours.
  if (!Entry || Entry->isDependentContext() || !Entry->getBody() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Entry->getLocation())))
    return;
  const Stmt *Thrower = Throws->escapingThrow(Entry);
  if (!Thrower)
    return;
  SourceLocation Loc = SM.getFileLoc(Callable->getBeginLoc());
  if (Loc.isInvalid())
    Loc = SM.getFileLoc(Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  diag(Loc, "an exception escaping this %0 body calls std::terminate for the "
            "whole process")
      << What;
  if (Thrower != Entry->getBody()) {
    SourceLocation At = SM.getFileLoc(Thrower->getBeginLoc());
    if (isa<CXXThrowExpr>(Thrower)) {
      diag(At, "exception thrown here is not caught before it leaves the "
               "thread",
           DiagnosticIDs::Note);
    } else {
      const auto *Call = dyn_cast<CallExpr>(Thrower);
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (Callee && Callee->getDeclName().isIdentifier())
        diag(At, "'%0' can throw here and nothing in the thread catches it",
             DiagnosticIDs::Note)
            << Callee->getName();
      else
        diag(At, "this can throw and nothing in the thread catches it",
             DiagnosticIDs::Note);
    }
  }
  diag(Loc,
       "catch everything at the top of the body (try { ... } catch (...)) "
       "and hand the error to the owner, or run the work with std::async so "
       "the future carries the exception",
       DiagnosticIDs::Note);
}

} // namespace tether
