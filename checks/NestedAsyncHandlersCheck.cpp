//===--- NestedAsyncHandlersCheck.cpp -------------------------------------===//

#include "NestedAsyncHandlersCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

/// An asynchronous operation handed a lambda as its completion handler.
AST_MATCHER_P(CallExpr, startsAsyncWithLambda, const model::AsyncModel *,
              Async) {
  return Async->completionHandler(&Node) != nullptr;
}

std::string operationName(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (FD && FD->getDeclName().isIdentifier())
    return FD->getName().str();
  return "the asynchronous operation";
}

} // namespace

NestedAsyncHandlersCheck::NestedAsyncHandlersCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Async(Options),
      MaxDepth(std::max(1u, Options.get("MaxDepth", 3u))) {}

void NestedAsyncHandlersCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "MaxDepth", MaxDepth);
  Async.store(Options, Opts);
}

void NestedAsyncHandlersCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(callExpr(unless(isExpansionInSystemHeader()),
                              startsAsyncWithLambda(&Async))
                         .bind("call"),
                     this);
}

void NestedAsyncHandlersCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  if (!Call)
    return;
  const LambdaExpr *L = Async.completionHandler(Call);
  // The matcher visits an outer call before the calls inside its handler;
  // those were walked with it.
  if (!L || !Walked.insert(L).second)
    return;
  const CXXMethodDecl *Op = L->getCallOperator();
  if (!Op || !Op->getBody())
    return;
  llvm::SmallVector<Level, 8> Chain{{Call, L}};
  walk(Op->getBody(), Chain, /*Reporting=*/true, *Result.SourceManager, 0);
}

unsigned NestedAsyncHandlersCheck::walk(const Stmt *S,
                                        SmallVectorImpl<Level> &Chain,
                                        bool Reporting,
                                        const SourceManager &SM,
                                        unsigned Depth) {
  if (!S || Depth > 512)
    return Chain.size();
  unsigned Deepest = Chain.size();
  const LambdaExpr *Skip = nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (const LambdaExpr *L = Async.completionHandler(Call)) {
      Walked.insert(L);
      Skip = L;
      if (const CXXMethodDecl *Op = L->getCallOperator();
          Op && Op->getBody()) {
        Chain.push_back({Call, L});
        bool Crosses = Reporting && Chain.size() > MaxDepth;
        unsigned Below = walk(Op->getBody(), Chain, Reporting && !Crosses,
                              SM, Depth + 1);
        if (Crosses)
          report(Chain, Below, SM);
        Chain.pop_back();
        Deepest = std::max(Deepest, Below);
      }
    }
  }
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    // A handler met again under a wrapper (bind_executor) was walked above.
    if (Walked.contains(L))
      return Deepest;
    // A lambda that is not a handler (a comparator, a local helper) adds
    // no level; handlers it starts still nest in the enclosing handler.
    if (const CXXMethodDecl *Op = L->getCallOperator(); Op && Op->getBody())
      Deepest = std::max(Deepest, walk(Op->getBody(), Chain, Reporting, SM,
                                       Depth + 1));
    return Deepest;
  }
  for (const Stmt *Child : S->children()) {
    if (!Child)
      continue;
    if (Skip) {
      // The handler argument (possibly wrapped) was walked above.
      const Stmt *C = Child;
      if (const auto *E = dyn_cast<Expr>(C); E && E->IgnoreImplicit() == Skip)
        continue;
      if (C == Skip)
        continue;
    }
    Deepest = std::max(Deepest, walk(Child, Chain, Reporting, SM, Depth + 1));
  }
  return Deepest;
}

void NestedAsyncHandlersCheck::report(ArrayRef<Level> Chain, unsigned Deepest,
                                      const SourceManager &SM) {
  const Level &Inner = Chain.back();
  SourceLocation Loc = SM.getFileLoc(Inner.Handler->getBeginLoc());
  if (Loc.isInvalid() || !Reported.insert(Loc).second)
    return;
  diag(Loc, "completion handler of '%0' is nested %1 deep in other "
            "completion handlers (limit %2): each step is started inside the "
            "previous step's callback, which spreads one sequence's control "
            "flow, error handling and lifetimes over a pyramid of lambdas")
      << operationName(Inner.Call) << static_cast<unsigned>(Chain.size())
      << MaxDepth;
  for (size_t I = 0; I + 1 < Chain.size(); ++I)
    diag(SM.getFileLoc(Chain[I].Handler->getBeginLoc()),
         "level %0: completion handler of '%1'", DiagnosticIDs::Note)
        << static_cast<unsigned>(I + 1) << operationName(Chain[I].Call);
  if (Deepest > Chain.size())
    diag(Loc, "and the handlers inside it go %0 deep", DiagnosticIDs::Note)
        << Deepest;
  diag(Loc,
       "flatten the sequence: write it as a C++20 coroutine (co_await each "
       "step with asio::use_awaitable), or as a state machine or actor whose "
       "named member functions start each step",
       DiagnosticIDs::Note);
}

} // namespace tether
