//===--- ExceptionEscapesThreadCheck.cpp ----------------------------------===//

#include "ExceptionEscapesThreadCheck.h"
#include "analysis/Describe.h"
#include "analysis/ThreadEntries.h"
#include "model/ExceptionModel.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

ExceptionEscapesThreadCheck::ExceptionEscapesThreadCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Library(Options),
      ThrowingFunctions(Options.get("ThrowingFunctions", "")),
      IgnoredExceptions(Options.get("IgnoredExceptions", "")) {}

void ExceptionEscapesThreadCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThrowingFunctions", ThrowingFunctions);
  Library.store(Options, Opts);
  Options.store(Opts, "IgnoredExceptions", IgnoredExceptions);
  Model.store(Options, Opts);
}

void ExceptionEscapesThreadCheck::registerMatchers(MatchFinder *Finder) {
  analysis::addSpawnMatchers(Finder, this, Model);
}

void ExceptionEscapesThreadCheck::check(
    const MatchFinder::MatchResult &Result) {
  if (!Throws) {
    model::NameList Known = model::throwingFunctions();
    Known.UserValue = ThrowingFunctions;
    model::NameList Ignored = model::ignoredExceptions();
    Ignored.UserValue = IgnoredExceptions;
    Throws = std::make_unique<analysis::ThrowAnalysis>(
        Known.all(), Ignored.all(), &Library);
  }
  std::optional<analysis::Spawn> Sp =
      analysis::spawnAt(Result.Nodes.getNodeAs<Expr>("spawn"), Model);
  // A task's exception is stored in its future, not escaping its thread.
  // What an exception escaping a project's own task handle does (a fiber
  // class of its own) is not known.
  if (Sp && Sp->Kind != analysis::SpawnKind::Task &&
      !(Model.rolesOf(Sp->S.Site->getType()) & model::OwnTaskHandle))
    checkSpawn(Sp->S.Site, Sp->S.Callable, Sp->What, *Result.SourceManager);
}

/// Who throws, as the note names it: the body, 'parse_port',
/// 'std::map::at', the constructor of 'Config', 'callback' (a callable
/// object called).
static std::string
describeThrower(const analysis::ThrowAnalysis::Escape &Escape) {
  const FunctionDecl *Callee = Escape.Callee;
  if (!Callee)
    return "the body";
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee))
    return "the constructor of '" + model::canonicalName(Ctor->getParent()) +
           "'";
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Escape.At);
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() > 0) {
    if (const NamedDecl *ND = analysis::namedHandle(Op->getArg(0)))
      return "'" + ND->getNameAsString() + "'";
    return "the callable";
  }
  if (Callee->getDeclName().isIdentifier())
    return "'" + model::canonicalName(Callee) + "'";
  return "'" + Callee->getNameAsString() + "'";
}

void ExceptionEscapesThreadCheck::checkSpawn(const Expr *Site,
                                             const Expr *Callable,
                                             StringRef What,
                                             const SourceManager &SM) {
  const FunctionDecl *Entry = analysis::entryOf(Callable);
  // Templates are checked in their instantiations; code in system headers
  // (std::packaged_task's call operator, library wrappers) is not ours.
  if (!Entry || Entry->isDependentContext() || !Entry->getBody() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Entry->getLocation())))
    return;
  std::optional<analysis::ThrowAnalysis::Escape> Escape =
      Throws->escapingThrow(Entry);
  if (!Escape)
    return;
  SourceLocation Loc = SM.getFileLoc(Callable->getBeginLoc());
  if (Loc.isInvalid())
    Loc = SM.getFileLoc(Site->getBeginLoc());
  if (!Reported.insert(Loc).second)
    return;
  bool Fiber = Model.taskKindAt(Site) == "fiber";
  diag(Loc, "an exception escaping this %0 body calls std::terminate for the "
            "whole process")
      << What;
  if (Escape->At != Entry->getBody()) {
    // A member call is located at the member's name (sock.connect).
    SourceLocation At = SM.getFileLoc(Escape->At->getBeginLoc());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Escape->At))
      At = SM.getFileLoc(MC->getExprLoc());
    std::string Who = describeThrower(*Escape);
    std::string Why = Escape->Thrown.empty() ? "" : " " + Escape->Thrown;
    if (!Escape->When.empty())
      Why += " when " + Escape->When;
    diag(At, "%0 %select{throws|rethrows the exception it caught}1%2, and "
             "nothing in the %select{thread|fiber}3 catches it",
         DiagnosticIDs::Note)
        << Who << Escape->Rethrows << Why << Fiber;
  }
  diag(Loc,
       "catch everything at the top of the body (try { ... } catch (...)) "
       "and hand the error to the owner, or run the work with "
       "%select{std::async|boost::fibers::async}0 so the future carries the "
       "exception",
       DiagnosticIDs::Note)
      << Fiber;
}

} // namespace tether
