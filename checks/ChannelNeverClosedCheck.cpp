//===--- ChannelNeverClosedCheck.cpp --------------------------------------===//

#include "ChannelNeverClosedCheck.h"
#include "analysis/ChannelDrain.h"
#include "analysis/Matchers.h"
#include "model/StdLibrary.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

ChannelNeverClosedCheck::ChannelNeverClosedCheck(StringRef Name,
                                                 tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Stop(Options) {}

void ChannelNeverClosedCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Stop.store(Options, Opts);
}

void ChannelNeverClosedCheck::registerMatchers(MatchFinder *Finder) {
  analysis::ChannelFunctions::registerMatchers(Finder, this, Model);
}

void ChannelNeverClosedCheck::check(const MatchFinder::MatchResult &Result) {
  SM = Result.SourceManager;
  Context = Result.Context;
  analysis::ChannelFunctions::of(*Context, Model).handle(Result);
}

namespace {

using model::peelWrappers;

/// A channel the function made itself: a local by value, or a smart pointer
/// it made with make_shared / make_unique.
bool madeHere(const VarDecl *V) {
  const Expr *Init = peelWrappers(V->getInit());
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init);
      CE && CE->getNumArgs() >= 1)
    Init = peelWrappers(CE->getArg(0));
  if (const auto *Call = dyn_cast_or_null<CallExpr>(Init))
    return model::makesOwnedObject(Call->getDirectCallee());
  return isa_and_nonnull<CXXNewExpr>(Init);
}

} // namespace

ChannelNeverClosedCheck::Drain
ChannelNeverClosedCheck::findDrain(analysis::ChannelUseIndex &Index,
                                   const FunctionDecl *Fn,
                                   const analysis::ChannelKey &Key,
                                   unsigned Depth) const {
  const analysis::FunctionChannelUses *U = Index.uses(Fn);
  if (!U || Depth > 3)
    return {};
  auto It = U->Uses.find(Key);
  if (It == U->Uses.end())
    return {};
  for (const analysis::ChannelUse &Use : It->second)
    if (Use.Kind == analysis::ChannelUseKind::Receive &&
        analysis::drainsUntilClosed(Use, Fn, *Context))
      return {&Use, nullptr};
  for (const analysis::ChannelUse &Use : It->second) {
    if (Use.Kind != analysis::ChannelUseKind::Call &&
        Use.Kind != analysis::ChannelUseKind::Spawn)
      continue;
    std::optional<analysis::ChannelKey> P = Index.handedOn(Use);
    if (!P)
      continue;
    const FunctionDecl *Callee =
        Use.Callee->getDefinition() ? Use.Callee->getDefinition() : Use.Callee;
    if (Drain D = findDrain(Index, Callee, *P, Depth + 1); D.Loop)
      return {D.Loop, &Use};
  }
  return {};
}

void ChannelNeverClosedCheck::onEndOfTranslationUnit() {
  if (!SM || !Context) {
    return;
  }
  const analysis::ChannelFunctions &Functions =
      analysis::ChannelFunctions::of(*Context, Model);
  analysis::ChannelUseIndex &Index =
      analysis::ChannelUseIndex::of(*Context, Model);
  llvm::DenseSet<analysis::ChannelKey> Done;
  llvm::DenseSet<SourceLocation> Reported;
  for (const FunctionDecl *Fn : Functions.candidates()) {
    if (analysis::inTemplate(Fn))
      continue;
    const analysis::FunctionChannelUses *U = Index.uses(Fn);
    if (!U)
      continue;
    for (const auto &[Key, Uses] : U->Uses) {
      if (Done.contains(Key))
        continue;
      const Drain D = findDrain(Index, Fn, Key);
      if (!D.Loop)
        continue;
      Done.insert(Key);

      // The whole life of the channel must be in view.
      analysis::ChannelReach R;
      SourceLocation DeclLoc;
      if (const auto *V = dyn_cast_or_null<VarDecl>(Key.first);
          V && !Key.second) {
        // A local of one function (not a parameter: its caller owns it).
        if (isa<ParmVarDecl>(V) || !V->hasLocalStorage() ||
            V->getType()->isReferenceType() || V->getType()->isPointerType())
          continue;
        if (!Model.isChannel(V->getType()) && !madeHere(V))
          continue;
        const auto *Owner = dyn_cast<FunctionDecl>(V->getDeclContext());
        if (!Owner)
          continue;
        Index.reach(Owner, Key, R);
        DeclLoc = V->getLocation();
      } else if (const FieldDecl *F = Key.second; F && !Key.first) {
        // A private member of a class whose every method is defined here.
        const auto *C = dyn_cast<CXXRecordDecl>(F->getParent());
        if (!C || F->getAccess() != AS_private || C->isDependentContext() ||
            isa<ClassTemplateSpecializationDecl>(C) ||
            C->getDescribedClassTemplate() ||
            C->friend_begin() != C->friend_end() ||
            !Model.isChannel(F->getType()) ||
            F->getType()->isReferenceType() || F->getType()->isPointerType())
          continue;
        bool Complete = true;
        for (const Decl *D : C->decls())
          if (isa<FunctionTemplateDecl>(D) ||
              (isa<CXXRecordDecl>(D) && !D->isImplicit() &&
               !cast<CXXRecordDecl>(D)->isLambda()))
            Complete = false;
        llvm::SmallVector<const FunctionDecl *, 8> Roots;
        for (const CXXMethodDecl *M : C->methods()) {
          if (!Complete)
            break;
          if (M->isImplicit() || M->isDeleted() || M->isDefaulted() ||
              M->isPureVirtual())
            continue;
          const FunctionDecl *Def = M->getDefinition();
          if (!Def || !Def->hasBody()) {
            Complete = false;
            break;
          }
          Roots.push_back(Def);
        }
        if (!Complete)
          continue;
        for (const FunctionDecl *Root : Roots) {
          Index.reach(Root, Key, R);
          // other.ch_: the member of another object of the class.
          if (const analysis::FunctionChannelUses *RU = Index.uses(Root))
            for (const auto &Entry : RU->Uses)
              if (Entry.first.second == F && Entry.first.first)
                R.Opaque = true;
        }
        DeclLoc = F->getLocation();
      } else {
        continue;
      }
      if (R.Opaque || R.FirstClose.isValid() || R.FirstCancel.isValid() ||
          R.FirstSend.isInvalid())
        continue;

      // A receive loop, or a handler that re-arms the receive.
      bool Chain = !D.Loop->Loop;
      SourceLocation Loc = SM->getFileLoc(
          Chain ? D.Loop->Site->getBeginLoc() : D.Loop->Loop->getBeginLoc());
      if (!Reported.insert(Loc).second)
        continue;
      std::string Name = analysis::channelName(Key);
      diag(Loc, "'%0' is received from until it is closed, but nothing "
                "closes it: once the senders are done, %select{this loop|the "
                "handler that re-arms this receive}1 waits forever")
          << Name << Chain;
      diag(SM->getFileLoc(DeclLoc), "'%0' is declared here",
           DiagnosticIDs::Note)
          << Name;
      if (D.HandOff) {
        const auto *M = dyn_cast<CXXMethodDecl>(D.HandOff->Callee);
        diag(SM->getFileLoc(D.HandOff->Loc),
             "'%0' is handed to %1 here, which receives from it until it is "
             "closed",
             DiagnosticIDs::Note)
            << Name
            << (M && M->getParent()->isLambda()
                    ? std::string("a lambda")
                    : "'" + D.HandOff->Callee->getQualifiedNameAsString() + "'");
      }
      diag(SM->getFileLoc(R.FirstSend),
           "values are sent here, but nothing closes '%0'",
           DiagnosticIDs::Note)
          << Name;
      diag(Loc,
           "close it when the last sender is done: e.g. after joining the "
           "producers, or at the end of the single producer",
           DiagnosticIDs::Note);
    }
  }
  SM = nullptr;
  Context = nullptr;
}

} // namespace tether
