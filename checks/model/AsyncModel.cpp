//===--- AsyncModel.cpp ---------------------------------------------------===//

#include "AsyncModel.h"
#include "ThreadSpawn.h"
#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace tether::model {

AsyncModel::AsyncModel(clang::tidy::ClangTidyCheck::OptionsView &Options)
    : AsyncFunctions{"AsyncFunctions", {}, {}},
      ContinuationMethods{"ContinuationMethods", {"then"}, {}} {
  for (NameList *L : {&AsyncFunctions, &ContinuationMethods}) {
    L->UserValue = Options.getLocalOrGlobal(L->OptionName, "");
  }
  for (const std::string &N : AsyncFunctions.all())
    AsyncSet.insert(N);
  for (const std::string &N : ContinuationMethods.all())
    ContinuationSet.insert(N);
}

void AsyncModel::store(clang::tidy::ClangTidyCheck::OptionsView &Options,
                       clang::tidy::ClangTidyOptions::OptionMap &Opts) const {
  for (const NameList *L : {&AsyncFunctions, &ContinuationMethods})
    Options.store(Opts, L->OptionName, L->UserValue);
}

static bool inAsio(llvm::StringRef Qualified) {
  return Qualified.starts_with("asio::") ||
         Qualified.starts_with("boost::asio::");
}

bool AsyncModel::isAsyncOperation(const CallExpr *Call,
                                  const FunctionDecl *FD) const {
  if (!FD->getDeclName().isIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  if (Name.starts_with("async_"))
    return true;
  if (isa<CXXMemberCallExpr>(Call) && ContinuationSet.contains(Name))
    return true;
  if (AsyncSet.empty() && Name != "post" && Name != "dispatch" &&
      Name != "defer" && Name != "co_spawn")
    return false;
  std::string Qualified = canonicalName(FD);
  if (AsyncSet.contains(Qualified) || AsyncSet.contains(Name))
    return true;
  return (Name == "post" || Name == "dispatch" || Name == "defer" ||
          Name == "co_spawn") &&
         inAsio(Qualified);
}

/// The last argument written at the call: Asio's initiating functions end
/// in defaulted constraint parameters.
static const Expr *lastWrittenArg(const CallExpr *Call) {
  unsigned N = Call->getNumArgs();
  while (N > 0 && isa<CXXDefaultArgExpr>(Call->getArg(N - 1)))
    --N;
  return N == 0 ? nullptr : Call->getArg(N - 1);
}

/// Looks through parens, temporaries and copies, and through the wrappers
/// Asio puts around a handler: bind_executor(strand, h), consign(h, ...).
static const Expr *peelHandler(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = peelWrappers(E);
    if (!E)
      return E;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1)
      E = CE->getArg(0); // a copy, or std::function<...>(lambda)
    else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (!FD || !FD->getDeclName().isIdentifier() || Call->getNumArgs() == 0 ||
          !inAsio(canonicalName(FD)))
        return E;
      llvm::StringRef Name = FD->getName();
      if (Name.starts_with("bind_"))
        E = lastWrittenArg(Call);
      else if (Name == "consign")
        E = Call->getArg(0);
      else
        return E;
    } else
      return E;
  }
  return E;
}

const LambdaExpr *AsyncModel::completionHandler(const CallExpr *Call) const {
  const Expr *Last = Call ? lastWrittenArg(Call) : nullptr;
  if (!Last)
    return nullptr;
  // Cheap test first: is the last argument a lambda at all?
  const auto *L = dyn_cast_or_null<LambdaExpr>(peelHandler(Last));
  if (!L)
    return nullptr;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !isAsyncOperation(Call, FD))
    return nullptr;
  return L;
}

} // namespace tether::model
