//===--- UnusedChannelParameterCheck.cpp ----------------------------------===//

#include "UnusedChannelParameterCheck.h"
#include "analysis/BodyWalk.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {
/// A coroutine's parameters are always referenced: clang copies them into
/// the coroutine frame. That copy is not a use; the body written says.
bool inCoroutine(const ParmVarDecl &P) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(P.getDeclContext());
  return FD && isa_and_nonnull<CoroutineBodyStmt>(FD->getBody());
}

AST_MATCHER_P(ParmVarDecl, hasChannelType, const model::ChannelModel *,
              Model) {
  return (!Node.isReferenced() || inCoroutine(Node)) &&
         !Node.getName().empty() && Model->reachesChannel(Node.getType());
}

/// The coroutine's written body (lambdas in it too) mentions \p P.
bool usedInCoroutineBody(const ParmVarDecl *P) {
  const auto *FD = cast<FunctionDecl>(P->getDeclContext());
  const auto *Body = cast<CoroutineBodyStmt>(FD->getBody());
  return analysis::anyInBody(
      Body->getBody(),
      [&](const Stmt *S) {
        const auto *DRE = dyn_cast<DeclRefExpr>(S);
        return DRE && DRE->getDecl() == P;
      },
      analysis::Lambdas::Enter);
}
} // namespace

UnusedChannelParameterCheck::UnusedChannelParameterCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options) {}

void UnusedChannelParameterCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
}

void UnusedChannelParameterCheck::registerMatchers(MatchFinder *Finder) {
  // Unnamed and referenced parameters are out at once; the type test is
  // cached per type.
  Finder->addMatcher(parmVarDecl(hasChannelType(&Model),
                                 unless(isExpansionInSystemHeader()))
                         .bind("param"),
                     this);
}

void UnusedChannelParameterCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *P = Result.Nodes.getNodeAs<ParmVarDecl>("param");
  if (!P || P->getName().empty() || P->hasAttr<UnusedAttr>())
    return;
  if (inCoroutine(*P) ? usedInCoroutineBody(P) : P->isReferenced())
    return;
  const auto *FD = dyn_cast_or_null<FunctionDecl>(P->getDeclContext());
  // Only the definition's parameters; a declaration without a body says
  // nothing about use.
  if (!FD || !FD->doesThisDeclarationHaveABody() || FD->isDeleted() ||
      FD->isDefaulted() || FD->isTemplateInstantiation() ||
      FD->isImplicit())
    return;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD)) {
    // Overrides and virtuals take what the interface hands them; a lambda's
    // signature is whatever its caller calls it with.
    if (M->isVirtual() || M->getParent()->isLambda())
      return;
  }
  // The parameter list is the one written here (not a macro-made stub).
  if (P->getLocation().isMacroID())
    return;
  diag(P->getLocation(),
       "channel parameter '%0' is never sent to, received from, closed or "
       "handed on: the caller's senders or receivers wait on a party that "
       "never comes")
      << P->getName();
  diag(P->getLocation(),
       "use the channel, drop the parameter, or leave it unnamed if "
       "the signature is imposed",
       DiagnosticIDs::Note);
}

} // namespace tether
