//===--- ChannelNeverClosedCheck.cpp --------------------------------------===//

#include "ChannelNeverClosedCheck.h"
#include "analysis/BodyWalk.h"
#include "analysis/Matchers.h"
#include "model/StdLibrary.h"
#include "analysis/LoopExits.h"
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

/// Is \p Target inside \p Tree (lambdas not entered)?
bool contains(const Stmt *Tree, const Stmt *Target) {
  return analysis::anyInBody(Tree, [&](const Stmt *S) { return S == Target; });
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
  analysis::LoopParts Parts = analysis::partsOf(Loop);
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
    analysis::walkBody(Guard, [&](const Stmt *S) {
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
    return analysis::anyInBody(S, [&](const Stmt *N) {
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
        !analysis::anyInBody(If->getThen(),
                             [](const Stmt *N) { return isa<ReturnStmt>(N); }))
      continue;
    // Reads of anything but the error (a counter, a member) make another
    // way out; enumerators and functions (channel_closed, operator==) do
    // not.
    bool OnlyError = !analysis::anyInBody(If->getCond(), [&](const Stmt *N) {
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

bool ChannelNeverClosedCheck::drainsUntilClosed(
    const analysis::ChannelUse &Use, const FunctionDecl *Fn) const {
  const Stmt *Loop = Use.Loop;
  if (!Loop && Use.Site)
    return rearmsUntilClosed(Use.Site, Fn);
  if (!Loop || !Use.Site)
    return false;
  llvm::SmallVector<analysis::LoopExitSite, 4> Exits;
  analysis::collectExits(Loop, Exits);
  // for (auto v : ch): ends when the channel closes.
  if (isa<CXXForRangeStmt>(Loop))
    return Loop == Use.Site && Exits.empty();
  const auto *Call = dyn_cast<CXXMemberCallExpr>(Use.Site);
  if (!Call || model::ChannelModel::returnsOnItsOwn(Call->getMethodDecl()))
    return false;
  if (conditionIsReceive(Loop, Call))
    return Exits.empty();
  // for (;;) { auto [ec, v] = co_await ch.async_receive(...); if (ec) break; }
  if (!analysis::isUnconditional(Loop, *Context))
    return false;
  const Stmt *Top = topLevelHolding(analysis::partsOf(Loop).Body, Call);
  if (!Top)
    return false;
  if (Exits.empty())
    return isAwaited(Top);
  llvm::SmallPtrSet<const ValueDecl *, 4> Vars;
  declaredBy(Top, Vars);
  for (const analysis::LoopExitSite &E : Exits) {
    if (!E.Guard)
      return false;
    GuardTest T{Call, Vars, {}};
    T.walk(E.Guard);
    if (!T.onlyTheReceive())
      return false;
  }
  return true;
}

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
        drainsUntilClosed(Use, Fn))
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
