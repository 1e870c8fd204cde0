//===--- ChannelDrain.cpp -------------------------------------------------===//

#include "ChannelDrain.h"
#include "BodyWalk.h"
#include "LoopExits.h"
#include "Matchers.h"
#include "../model/ChannelModel.h"
#include "../model/ConcurrencyModel.h"
#include "../model/StdLibrary.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace tether::analysis {

namespace {

using model::peelWrappers;

/// Is \p Target inside \p Tree (lambdas not entered)?
bool contains(const Stmt *Tree, const Stmt *Target) {
  return anyInBody(Tree, [&](const Stmt *S) { return S == Target; });
}

/// A side of a comparison that is a constant: an enumerator
/// (channel_op_status::success), a literal.
bool isConstant(const Expr *E) {
  E = peelWrappers(E);
  if (!E)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return isa<EnumConstantDecl>(DRE->getDecl());
  return isa<IntegerLiteral, CXXBoolLiteralExpr, CXXNullPtrLiteralExpr>(E);
}

/// The loop's condition is the receive and nothing else:
/// `ch.pop(v) == channel_op_status::success`, `ch.receive(v)`,
/// `auto v = ch.receive()`.
bool conditionIsReceive(const Stmt *Loop, const Stmt *Call) {
  LoopParts Parts = partsOf(Loop);
  if (Parts.CondVar)
    return peelWrappers(Parts.CondVar->getInit()) == Call;
  const Expr *Cond = peelWrappers(Parts.Cond);
  if (!Cond)
    return false;
  if (Cond == Call)
    return true;
  const Expr *L = nullptr, *R = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && BO->isEqualityOp()) {
    L = BO->getLHS();
    R = BO->getRHS();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
             Op && Op->getNumArgs() == 2 &&
             (Op->getOperator() == OO_EqualEqual ||
              Op->getOperator() == OO_ExclaimEqual)) {
    L = Op->getArg(0);
    R = Op->getArg(1);
  } else if (const auto *RB = dyn_cast<CXXRewrittenBinaryOperator>(Cond);
             RB && RB->isComparisonOp()) {
    L = RB->getLHS();
    R = RB->getRHS();
  }
  if (!L || !R)
    return false;
  return (peelWrappers(L) == Call && isConstant(R)) ||
         (peelWrappers(R) == Call && isConstant(L));
}

/// The statement of the loop body, at its top level, that does the receive:
/// it runs on every iteration.
const Stmt *topLevelHolding(const Stmt *Body, const Stmt *Call) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Body)) {
    for (const Stmt *S : CS->body())
      if (contains(S, Call))
        return S;
    return nullptr;
  }
  return contains(Body, Call) ? Body : nullptr;
}

/// The variables a statement declares (structured bindings included), and
/// those of an if's init-statement or condition variable:
/// `if (auto v = q.receive(); v) ... else break;`.
void declaredBy(const Stmt *S, llvm::SmallPtrSetImpl<const ValueDecl *> &Out) {
  if (const auto *If = dyn_cast_or_null<IfStmt>(S)) {
    if (const VarDecl *CV = If->getConditionVariable())
      Out.insert(CV);
    S = If->getInit();
  }
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS)
    return;
  for (const Decl *D : DS->decls()) {
    if (const auto *DD = dyn_cast<DecompositionDecl>(D))
      for (const BindingDecl *B : DD->bindings())
        Out.insert(B);
    if (const auto *V = dyn_cast<VarDecl>(D))
      Out.insert(V);
  }
}

/// `co_await ch.async_receive(asio::use_awaitable)`: a closed channel makes
/// the await throw, which ends the loop.
bool isAwaited(const Stmt *S) {
  const Expr *E = dyn_cast<Expr>(S);
  if (const auto *DS = dyn_cast<DeclStmt>(S); DS && DS->isSingleDecl())
    if (const auto *V = dyn_cast<VarDecl>(DS->getSingleDecl()))
      E = V->getInit();
  return isa_and_nonnull<CoawaitExpr>(peelWrappers(E));
}

/// Does \p Guard test the receive's result and nothing else: the call
/// itself, or one variable the receiving statement declared (`if (ec)`,
/// `if (st != channel_op_status::success)`, `if (!v)`)? A data member of the
/// value, a literal or another variable is a second reason to leave.
struct GuardTest {
  const Stmt *Call;
  const llvm::SmallPtrSetImpl<const ValueDecl *> &Vars;
  llvm::SmallPtrSet<const ValueDecl *, 2> Seen;
  bool Foreign = false;
  bool SawCall = false;

  void walk(const Stmt *Guard) {
    walkBody(Guard, [&](const Stmt *S) {
      if (Foreign)
        return false;
      if (S == Call) {
        SawCall = true;
        return false;
      }
      if (isa<LambdaExpr, StringLiteral, FloatingLiteral, CharacterLiteral,
              IntegerLiteral>(S)) {
        Foreign = true;
        return false;
      }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
        const ValueDecl *D = DRE->getDecl();
        if (isa<VarDecl, BindingDecl>(D)) {
          if (!Vars.contains(D))
            Foreign = true;
          else
            Seen.insert(D);
        }
        return false;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(S);
          ME && isa<FieldDecl>(ME->getMemberDecl())) {
        Foreign = true;
        return false;
      }
      return true;
    });
  }
  bool onlyTheReceive() const {
    return !Foreign && (SawCall ? Seen.empty() : Seen.size() == 1);
  }
};

} // namespace

/// `ch_.async_receive([this](error_code ec, T v) { if (ec) return;
/// handle(v); receive_next(); })` in \p Fn: a completion handler that
/// re-arms the receive by calling \p Fn again, and stops only when a
/// receive fails (a test of the error alone, then return). The chain of
/// handlers is a loop that drains until the channel is closed.
static bool rearmsUntilClosed(const Stmt *Site, const FunctionDecl *Fn) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(Site);
  if (!Call || !Fn || Call->getNumArgs() == 0)
    return false;
  const auto *L = dyn_cast<LambdaExpr>(
      model::peelTemporaries(Call->getArg(Call->getNumArgs() - 1)));
  const CXXMethodDecl *Op = L ? L->getCallOperator() : nullptr;
  if (!Op || Op->getNumParams() == 0)
    return false;
  const ParmVarDecl *Error = Op->getParamDecl(0);
  const CXXRecordDecl *ET =
      Error->getType().getNonReferenceType()->getAsCXXRecordDecl();
  if (!ET || !ET->getDeclName().isIdentifier() || ET->getName() != "error_code")
    return false;
  const FunctionDecl *Self = Fn->getCanonicalDecl();
  auto Rearms = [&](const Stmt *S) {
    return anyInBody(S, [&](const Stmt *N) {
      const auto *C = dyn_cast<CallExpr>(N);
      return C && C->getDirectCallee() &&
             C->getDirectCallee()->getCanonicalDecl() == Self;
    });
  };
  const auto *Body = dyn_cast<CompoundStmt>(L->getBody());
  if (!Body || !Rearms(Body))
    return false;
  // The way out: `if (ec) return;`. Every top-level test that returns
  // without re-arming must read the error and nothing else.
  bool StopsOnError = false;
  for (const Stmt *S : Body->body()) {
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If || If->getElse() || Rearms(If->getThen()) ||
        !anyInBody(If->getThen(),
                   [](const Stmt *N) { return isa<ReturnStmt>(N); }))
      continue;
    // Reads of anything but the error (a counter, a member) make another
    // way out; enumerators and functions (channel_closed, operator==) do
    // not.
    bool OnlyError = !anyInBody(If->getCond(), [&](const Stmt *N) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(N))
        return isa<VarDecl>(DRE->getDecl()) && DRE->getDecl() != Error;
      if (const auto *ME = dyn_cast<MemberExpr>(N))
        return isa<FieldDecl>(ME->getMemberDecl());
      return isa<CXXThisExpr>(N);
    });
    if (!OnlyError)
      return false;
    StopsOnError = true;
  }
  return StopsOnError;
}

bool drainsUntilClosed(const ChannelUse &Use, const FunctionDecl *Fn,
                       const ASTContext &Ctx) {
  const Stmt *Loop = Use.Loop;
  if (!Loop && Use.Site)
    return rearmsUntilClosed(Use.Site, Fn);
  if (!Loop || !Use.Site)
    return false;
  llvm::SmallVector<LoopExitSite, 4> Exits;
  collectExits(Loop, Exits);
  // for (auto v : ch): ends when the channel closes.
  if (isa<CXXForRangeStmt>(Loop))
    return Loop == Use.Site && Exits.empty();
  const auto *Call = dyn_cast<CXXMemberCallExpr>(Use.Site);
  if (!Call || model::ChannelModel::returnsOnItsOwn(Call->getMethodDecl()))
    return false;
  if (conditionIsReceive(Loop, Call))
    return Exits.empty();
  // for (;;) { auto [ec, v] = co_await ch.async_receive(...); if (ec) break; }
  if (!isUnconditional(Loop, Ctx))
    return false;
  const Stmt *Top = topLevelHolding(partsOf(Loop).Body, Call);
  if (!Top)
    return false;
  if (Exits.empty())
    return isAwaited(Top);
  llvm::SmallPtrSet<const ValueDecl *, 4> Vars;
  declaredBy(Top, Vars);
  for (const LoopExitSite &E : Exits) {
    if (!E.Guard)
      return false;
    GuardTest T{Call, Vars, {}};
    T.walk(E.Guard);
    if (!T.onlyTheReceive())
      return false;
  }
  return true;
}

bool closedWhenReached(const ChannelUse &Close, llvm::ArrayRef<ChannelUse> Uses,
                       const FunctionDecl *Fn, const ASTContext &Ctx) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Fn ? Fn->getBody() : nullptr);
  if (!Body || Close.Kind != ChannelUseKind::Close || !Close.Site)
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  return llvm::any_of(Uses, [&](const ChannelUse &Drain) {
    // A drain the body always runs (a statement of its own block), that the
    // close comes after and is not part of.
    return Drain.Kind == ChannelUseKind::Receive && Drain.Loop &&
           llvm::is_contained(Body->body(), Drain.Loop) &&
           !contains(Drain.Loop, Close.Site) &&
           SM.isBeforeInTranslationUnit(Drain.Loop->getEndLoc(),
                                        Close.Site->getBeginLoc()) &&
           drainsUntilClosed(Drain, Fn, Ctx);
  });
}

/// A channel of the loop's own function, held by value: no one else can send
/// on it.
static bool isOwnLocalChannel(const Expr *Channel,
                              const model::ChannelModel &Channels) {
  std::optional<ChannelKey> K = namedObject(Channel);
  const auto *V = K && !K->second ? dyn_cast_or_null<VarDecl>(K->first)
                                  : nullptr;
  return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
         !V->getType()->isReferenceType() && Channels.isChannel(V->getType());
}

/// The channel \p Call receives from: the object of a channel's receive
/// (`ch.pop(m)`, `ch->value_pop()`), or the argument handed to a function of
/// the project that returns a value and receives from that parameter
/// (`msg_t recv(queue &q) { msg_t m; q.pop(m); return m; }`). Else null.
static const Expr *receivedFrom(const CallExpr *Call,
                                const model::ChannelModel &Channels) {
  auto ReceiveObject = [&](const Stmt *S) -> const Expr * {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    return M && Channels.classify(M) == model::ChannelOp::Receive
               ? MC->getImplicitObjectArgument()
               : nullptr;
  };
  if (const Expr *Obj = ReceiveObject(Call))
    return Obj;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || isa<CXXOperatorCallExpr>(Call) ||
      FD->getReturnType()->isVoidType() ||
      model::ConcurrencyModel::inStdOrBoost(FD) || FD->isExternC())
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody() ||
      Def->getASTContext().getSourceManager().isInSystemHeader(
          Def->getLocation()))
    return nullptr;
  const Expr *Handed = nullptr;
  anyInBody(Def->getBody(), [&](const Stmt *S) {
    const Expr *Obj = ReceiveObject(S);
    std::optional<ChannelKey> K = Obj ? namedObject(Obj) : std::nullopt;
    const auto *P = K && !K->second ? dyn_cast_or_null<ParmVarDecl>(K->first)
                                    : nullptr;
    if (P && P->getFunctionScopeIndex() < Call->getNumArgs())
      Handed = Call->getArg(P->getFunctionScopeIndex());
    return Handed != nullptr;
  });
  return Handed;
}

bool endsOnMessage(const Stmt *Loop, const model::ChannelModel &Channels) {
  const Stmt *Body = Loop ? partsOf(Loop).Body : nullptr;
  if (!Body)
    return false;
  // The variables that hold what was received, and the mentions that hand a
  // variable to a receive as its out-parameter (`ch.pop(m)` is no test of m).
  llvm::SmallPtrSet<const VarDecl *, 4> Messages;
  llvm::SmallPtrSet<const Stmt *, 4> OutArguments;
  auto Note = [&](const Expr *Target) {
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
            Target ? Target->IgnoreParenImpCasts() : nullptr))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl())) {
        Messages.insert(V);
        return DRE;
      }
    return static_cast<const DeclRefExpr *>(nullptr);
  };
  auto Receive = [&](const Expr *E) -> const CallExpr * {
    const auto *Call = dyn_cast_or_null<CallExpr>(peelWrappers(E));
    const Expr *Channel = Call ? receivedFrom(Call, Channels) : nullptr;
    return Channel && !isOwnLocalChannel(Channel, Channels) ? Call : nullptr;
  };
  anyInBody(Body, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && Receive(V->getInit()))
          Messages.insert(V);
    } else if (auto A = assignmentOf(S); A && Receive(A->second)) {
      Note(A->first);
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
               MC && Receive(MC)) {
      for (const Expr *Arg : MC->arguments())
        if (const DeclRefExpr *Out = Note(Arg))
          OutArguments.insert(Out);
    }
    return false;
  });
  if (Messages.empty())
    return false;
  llvm::SmallVector<LoopExitSite, 4> Exits;
  collectExits(Loop, Exits);
  return llvm::any_of(Exits, [&](const LoopExitSite &Exit) {
    return Exit.Guard && anyInBody(Exit.Guard, [&](const Stmt *S) {
      const auto *DRE = dyn_cast<DeclRefExpr>(S);
      const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
      return V && Messages.contains(V) && !OutArguments.contains(DRE);
    });
  });
}

} // namespace tether::analysis
