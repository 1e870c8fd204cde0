//===--- ReceiverClosesChannelCheck.cpp -----------------------------------===//

#include "ReceiverClosesChannelCheck.h"
#include "analysis/ChannelDrain.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

ReceiverClosesChannelCheck::ReceiverClosesChannelCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options) {}

void ReceiverClosesChannelCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
}

void ReceiverClosesChannelCheck::registerMatchers(MatchFinder *Finder) {
  analysis::ChannelFunctions::registerMatchers(Finder, this, Model);
}

void ReceiverClosesChannelCheck::check(const MatchFinder::MatchResult &Result) {
  SM = Result.SourceManager;
  Context = Result.Context;
  analysis::ChannelFunctions::of(*Context, Model).handle(Result);
}

/// A channel the function made itself: a local by value, or a smart pointer
/// it did not copy from another channel (make_shared).
static bool ownedLocal(const FunctionDecl *Fn, const analysis::ChannelKey &K) {
  const auto *V = dyn_cast_or_null<VarDecl>(K.first);
  if (!V || K.second || isa<ParmVarDecl>(V) || !V->hasLocalStorage() ||
      V->getDeclContext() != Fn || V->getType()->isReferenceType() ||
      V->getType()->isPointerType())
    return false;
  return true;
}

void ReceiverClosesChannelCheck::onEndOfTranslationUnit() {
  if (!SM || !Context) {
    return;
  }
  const analysis::ChannelFunctions &Functions =
      analysis::ChannelFunctions::of(*Context, Model);
  analysis::ChannelUseIndex &Index =
      analysis::ChannelUseIndex::of(*Context, Model);
  llvm::DenseSet<SourceLocation> Reported;
  for (const FunctionDecl *Fn : Functions.candidates()) {
    const analysis::FunctionChannelUses *U = Index.uses(Fn);
    if (!U)
      continue;
    for (const auto &[Key, Uses] : U->Uses) {
      SourceLocation FirstReceive, Close;
      for (const analysis::ChannelUse &Use : Uses)
        if (Use.Kind == analysis::ChannelUseKind::Receive &&
            FirstReceive.isInvalid())
          FirstReceive = Use.Loc;
      if (FirstReceive.isInvalid())
        continue;
      // The close that follows a receive: close-then-drain is a shutdown.
      // A close after a drain that ends only on close finds the channel
      // closed already: it cuts off no sender.
      for (const analysis::ChannelUse &Use : Uses)
        if (Use.Kind == analysis::ChannelUseKind::Close &&
            Index.before(FirstReceive, Use.Loc) &&
            !analysis::closedWhenReached(Use, Uses, Fn, *Context)) {
          Close = Use.Loc;
          break;
        }
      if (Close.isInvalid() || Index.mayFeed(Fn, Key))
        continue;
      // A channel this function made and is the only receiver of is its own
      // to close; it is reported only once another receiver shares it.
      if (ownedLocal(Fn, Key)) {
        bool Shared = false;
        for (const FunctionDecl *L : U->Lambdas)
          Shared |= Index.receivesInTree(L, Key);
        for (const analysis::ChannelUse &Use : Uses)
          if (Use.Kind == analysis::ChannelUseKind::Call ||
              Use.Kind == analysis::ChannelUseKind::Spawn)
            if (auto P = analysis::ChannelUseIndex::paramKey(Use.Callee,
                                                             Use.Param))
              Shared |= Index.receivesInTree(Use.Callee, *P);
        if (!Shared)
          continue;
      }
      SourceLocation Loc = SM->getFileLoc(Close);
      if (!Reported.insert(Loc).second)
        continue;
      const auto *M = dyn_cast<CXXMethodDecl>(Fn);
      bool IsLambda = M && M->getParent()->isLambda();
      std::string Name = analysis::channelName(Key);
      diag(Loc, "'%0' is closed by a %select{function|lambda}1 that only "
                "receives from it: the senders may still push and fail (or "
                "throw) on a closed channel")
          << Name << IsLambda;
      diag(SM->getFileLoc(FirstReceive), "'%0' is received from here",
           DiagnosticIDs::Note)
          << Name;
      diag(Loc,
           "only the sender closes a channel: let the sender (or the owner, "
           "once every sender has finished) close it, and stop this consumer "
           "by returning or by asking the senders to stop",
           DiagnosticIDs::Note);
    }
  }
  SM = nullptr;
  Context = nullptr;
}

} // namespace tether
