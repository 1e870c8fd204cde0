//===--- CoroutineSpawn.cpp -----------------------------------------------===//

#include "CoroutineSpawn.h"
#include "ConcurrencyModel.h"
#include "StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace tether::model {

/// The name of \p T's class when it is one of Asio's (standalone or Boost)
/// or Beast's ("basic_stream_socket"), or "".
static llvm::StringRef asioClassName(QualType T) {
  const CXXRecordDecl *RD =
      T.isNull() ? nullptr
                 : T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  if (!RD || !RD->getDeclName().isIdentifier())
    return "";
  std::string Qualified = canonicalName(RD);
  llvm::StringRef Q(Qualified);
  bool Asio = Q.starts_with("asio::") || Q.starts_with("boost::asio::") ||
              Q.starts_with("boost::beast::");
  return Asio ? RD->getName() : "";
}

bool isPeerIoObject(QualType T) {
  llvm::StringRef N = asioClassName(T);
  return N.contains("socket") || N.contains("acceptor") ||
         (N.contains("stream") && !N.contains("streambuf")) ||
         N.contains("pipe") || N.contains("serial_port") ||
         N.contains("descriptor");
}

bool isCancellableWaitObject(QualType T) {
  llvm::StringRef N = asioClassName(T);
  return N.contains("timer") || N.contains("channel") ||
         N == "basic_signal_set";
}

static CompletionToken tokenOf(const Expr *E) {
  const CXXRecordDecl *RD =
      E ? E->getType().getNonReferenceType()->getAsCXXRecordDecl() : nullptr;
  if (!RD || !RD->getDeclName().isIdentifier())
    return CompletionToken::Other;
  llvm::StringRef N = RD->getName();
  if (N == "detached_t")
    return CompletionToken::Detached;
  if (N == "use_future_t")
    return CompletionToken::Future;
  // bind_cancellation_slot(signal.slot(), detached): an owner can emit.
  if (N == "cancellation_slot_binder")
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (Spec->getTemplateArgs().size() >= 1 &&
          Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        if (const CXXRecordDecl *Inner =
                Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl())
          if (Inner->getDeclName().isIdentifier() &&
              Inner->getName() == "detached_t")
            return CompletionToken::CancellableDetached;
  return CompletionToken::Other;
}

/// The user's body of \p FD: inside the CoroutineBodyStmt of a coroutine.
static const Stmt *writtenBody(const FunctionDecl *FD) {
  const Stmt *Body = FD ? FD->getBody() : nullptr;
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return CB->getBody();
  return Body;
}

/// `return coro(...);` as the whole body of a non-coroutine: the call.
static const CallExpr *onlyReturnedCall(const FunctionDecl *FD) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD ? FD->getBody() : nullptr);
  if (!Body || Body->size() != 1)
    return nullptr;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
  return Ret ? dyn_cast_or_null<CallExpr>(
                   peelTemporaries(Ret->getRetValue()))
             : nullptr;
}

CoroutineSpawn coroutineSpawnOf(const CallExpr *Call) {
  CoroutineSpawn S;
  if (!Call || Call->getNumArgs() < 3)
    return S;
  S.Site = Call;
  // The token is the last argument written: Asio adds a defaulted
  // constraint argument after it.
  unsigned Last = Call->getNumArgs() - 1;
  while (Last > 2 && isa<CXXDefaultArgExpr>(Call->getArg(Last)))
    --Last;
  S.Token = tokenOf(Call->getArg(Last));
  const Expr *Arg = peelTemporaries(Call->getArg(1));
  const FunctionDecl *Fn = nullptr;
  if (const auto *Lambda = dyn_cast_or_null<LambdaExpr>(Arg)) {
    S.Lambda = Lambda;
    Fn = Lambda->getCallOperator();
  } else if (const auto *C = dyn_cast_or_null<CallExpr>(Arg)) {
    Fn = C->getDirectCallee();
  }
  if (Fn && !isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody()))
    if (const CallExpr *Inner = onlyReturnedCall(Fn)) {
      Fn = Inner->getDirectCallee();
      S.Lambda = nullptr;
    }
  if (Fn && isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody())) {
    S.Coroutine = Fn;
    S.Body = writtenBody(Fn);
  }
  return S;
}

} // namespace tether::model
