//===--- MultipleClosersCheck.cpp -----------------------------------------===//

#include "MultipleClosersCheck.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

MultipleClosersCheck::MultipleClosersCheck(StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options) {}

void MultipleClosersCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
}

void MultipleClosersCheck::registerMatchers(MatchFinder *Finder) {
  analysis::ChannelFunctions::registerMatchers(Finder, this, Model);
}

void MultipleClosersCheck::check(const MatchFinder::MatchResult &Result) {
  SM = Result.SourceManager;
  Context = Result.Context;
  analysis::ChannelFunctions::of(*Context, Model).handle(Result);
}

namespace {
/// One party that closes a channel: a body that closes it on its own thread
/// (directly or through a function it calls), or a thread, fiber or task
/// started on a function that closes the parameter it is handed.
struct Closer {
  const FunctionDecl *Body;  ///< where the close runs
  SourceLocation Close;      ///< the close (or the call that closes)
  SourceLocation SpawnSite;  ///< for a started thread: where it started
};

std::string describe(const FunctionDecl *FD) {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  if (M && M->getParent()->isLambda())
    return "a lambda";
  if (isa<CXXDestructorDecl>(FD))
    return "the destructor of '" +
           cast<CXXMethodDecl>(FD)->getParent()->getNameAsString() + "'";
  return "'" + FD->getQualifiedNameAsString() + "'";
}
} // namespace

void MultipleClosersCheck::onEndOfTranslationUnit() {
  if (!SM || !Context) {
    return;
  }
  const analysis::ChannelFunctions &Functions =
      analysis::ChannelFunctions::of(*Context, Model);
  analysis::ChannelUseIndex &Index =
      analysis::ChannelUseIndex::of(*Context, Model);
  llvm::MapVector<analysis::ChannelKey, llvm::SmallVector<Closer, 4>> Closers;
  llvm::DenseSet<const FunctionDecl *> Seen;
  auto AddCloser = [&](const analysis::ChannelKey &K, Closer C) {
    auto &List = Closers[K];
    for (const Closer &Old : List)
      if (Old.Body == C.Body && Old.SpawnSite == C.SpawnSite)
        return;
    List.push_back(C);
  };
  for (const FunctionDecl *Fn : Functions.candidates()) {
    const FunctionDecl *Def = Fn->getDefinition() ? Fn->getDefinition() : Fn;
    if (!Seen.insert(Def).second)
      continue;
    const analysis::FunctionChannelUses *U = Index.uses(Def);
    if (!U)
      continue;
    for (const auto &[Key, Uses] : U->Uses) {
      SourceLocation Sync = Index.closesSync(Def, Key);
      if (Sync.isValid())
        AddCloser(Key, {Def, Sync, {}});
      for (const analysis::ChannelUse &Use : Uses) {
        if (Use.Kind != analysis::ChannelUseKind::Spawn)
          continue;
        auto P = analysis::ChannelUseIndex::paramKey(Use.Callee, Use.Param);
        if (!P)
          continue;
        SourceLocation Inner = Index.closesSync(Use.Callee, *P);
        if (Inner.isValid())
          AddCloser(Key, {Use.Callee, Inner, Use.Loc});
      }
    }
  }

  llvm::DenseSet<SourceLocation> Reported;
  for (auto &[Key, List] : Closers) {
    if (List.size() < 2)
      continue;
    // Bodies that call one another are one closer: ~Pool() calling stop().
    llvm::SmallVector<Closer, 4> Groups;
    for (const Closer &C : List) {
      // A close in a constructor runs before the object is shared: no
      // sender can be cut off by it (a facade that starts closed).
      if (!C.SpawnSite.isValid() && isa<CXXConstructorDecl>(C.Body))
        continue;
      bool Merged = false;
      for (Closer &G : Groups)
        if (!C.SpawnSite.isValid() && !G.SpawnSite.isValid() &&
            (Index.calls(C.Body, G.Body) || Index.calls(G.Body, C.Body))) {
          // Keep the caller's own close out of the way: report the callee.
          if (Index.calls(G.Body, C.Body))
            G = C;
          Merged = true;
          break;
        }
      if (!Merged)
        Groups.push_back(C);
    }
    if (Groups.size() < 2)
      continue;
    llvm::sort(Groups, [&](const Closer &A, const Closer &B) {
      return Index.before(A.Close, B.Close);
    });
    SourceLocation Loc = SM->getFileLoc(Groups.front().Close);
    if (!Reported.insert(Loc).second)
      continue;
    std::string Name = analysis::channelName(Key);
    diag(Loc, "'%0' is closed by %1 different functions or threads: nobody "
              "owns its end, and one close can cut off senders the other "
              "still runs")
        << Name << static_cast<unsigned>(Groups.size());
    for (size_t I = 0; I < Groups.size(); ++I) {
      const Closer &C = Groups[I];
      if (I > 0)
        diag(SM->getFileLoc(C.Close), "'%0' is also closed here, in %1",
             DiagnosticIDs::Note)
            << Name << describe(C.Body);
      if (C.SpawnSite.isValid())
        diag(SM->getFileLoc(C.SpawnSite),
             "%0 runs on its own thread, started here", DiagnosticIDs::Note)
            << describe(C.Body);
    }
    diag(Loc,
         "give the channel one owner that closes it once every sender has "
         "finished (only the sender closes)",
         DiagnosticIDs::Note);
  }
  SM = nullptr;
  Context = nullptr;
}

} // namespace tether
