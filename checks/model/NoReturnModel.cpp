//===--- NoReturnModel.cpp ------------------------------------------------===//

#include "NoReturnModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace tether::model {

NoReturnModel::NoReturnModel(
    clang::tidy::ClangTidyCheck::OptionsView &Options)
    : NoReturnFunctions{
          "NoReturnFunctions",
          // Most are [[noreturn]] in the C and C++ headers already; the
          // names cover headers and platforms that do not say so.
          {"exit", "_exit", "_Exit", "quick_exit", "abort", "std::exit",
           "std::_Exit", "std::quick_exit", "std::abort", "std::terminate",
           "pthread_exit", "longjmp", "siglongjmp", "std::longjmp",
           "std::rethrow_exception", "std::throw_with_nested",
           "boost::throw_exception", "boost::rethrow_exception"},
          {}} {
  NoReturnFunctions.UserValue =
      Options.getLocalOrGlobal(NoReturnFunctions.OptionName, "");
  Names = NoReturnFunctions.all();
}

void NoReturnModel::store(clang::tidy::ClangTidyCheck::OptionsView &Options,
                          clang::tidy::ClangTidyOptions::OptionMap &Opts) const {
  Options.store(Opts, NoReturnFunctions.OptionName,
                NoReturnFunctions.UserValue);
}

bool NoReturnModel::neverReturns(const FunctionDecl *FD) const {
  return neverReturns(FD, 0);
}

bool NoReturnModel::neverReturns(const CallExpr *Call) const {
  return Call && neverReturns(Call->getDirectCallee(), 0);
}

/// The statements a body runs unconditionally, in order: its own, and
/// those of plain nested blocks.
template <typename Fn> static bool anyStraightLine(const Stmt *S, Fn &&F) {
  const auto *Block = dyn_cast_or_null<CompoundStmt>(S);
  if (!Block)
    return S && F(S);
  for (const Stmt *Child : Block->body())
    if (isa<CompoundStmt>(Child) ? anyStraightLine(Child, F) : F(Child))
      return true;
  return false;
}

bool NoReturnModel::endsPath(const Stmt *S) const { return endsPath(S, 0); }

bool NoReturnModel::endsPath(const Stmt *S, unsigned Depth) const {
  const auto *E = dyn_cast_or_null<Expr>(S);
  if (!E)
    return false;
  E = E->IgnoreImplicit()->IgnoreParenCasts();
  if (isa<CXXThrowExpr>(E))
    return true;
  const auto *Call = dyn_cast<CallExpr>(E);
  return Call && neverReturns(Call->getDirectCallee(), Depth);
}

bool NoReturnModel::neverReturns(const FunctionDecl *FD,
                                 unsigned Depth) const {
  if (!FD)
    return false;
  FD = FD->getCanonicalDecl();
  if (FD->isNoReturn())
    return true;
  if (FD->getDeclName().isIdentifier() &&
      matchesAnyName(Names, canonicalName(FD)))
    return true;
  // A helper of the project: one level deep, so that a helper calling a
  // helper is not chased through the program.
  if (Depth > 0)
    return false;
  auto It = Cache.find(FD);
  if (It != Cache.end())
    return It->second;
  bool Result = false;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def) && Def) {
    const SourceManager &SM = Def->getASTContext().getSourceManager();
    if (!SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
      Result = anyStraightLine(Def->getBody(), [&](const Stmt *S) {
        return endsPath(S, Depth + 1);
      });
  }
  Cache[FD] = Result;
  return Result;
}

} // namespace tether::model
