//===--- ChannelUses.cpp --------------------------------------------------===//

#include "ChannelUses.h"
#include "ChannelDrain.h"
#include "BodyWalk.h"
#include "LoopExits.h"
#include "Matchers.h"
#include "../model/StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether::analysis {

std::string channelName(const ChannelKey &K) {
  std::string Out;
  if (K.first)
    Out = K.first->getNameAsString();
  if (K.second) {
    if (!Out.empty())
      Out += ".";
    Out += K.second->getNameAsString();
  }
  return Out;
}

namespace {

/// One step from an expression to the object it is made from: &x, *p, *sp,
/// sp->, std::ref(x), std::move(x), a copy or move, a temporary, T(x). Null
/// when \p E is none of them. \p HandsOver is set when the step hands over
/// the object itself (& or a transparent call) rather than a copy of it.
const Expr *lookThrough(const Expr *E, bool &HandsOver) {
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() == UO_AddrOf)
      HandsOver = true;
    else if (U->getOpcode() != UO_Deref)
      return nullptr;
    return U->getSubExpr();
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    return Op->getNumArgs() == 1 && (Op->getOperator() == OO_Star ||
                                     Op->getOperator() == OO_Arrow)
               ? Op->getArg(0)
               : nullptr;
  if (const auto *C = dyn_cast<CallExpr>(E)) {
    if (C->getNumArgs() != 1 || !model::isTransparentCall(C->getDirectCallee()))
      return nullptr;
    HandsOver = true;
    return C->getArg(0);
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 1 &&
                   CE->getConstructor()->isCopyOrMoveConstructor()
               ? CE->getArg(0)
               : nullptr;
  if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
    return M->getSubExpr();
  if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
    return B->getSubExpr();
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
    return FC->getSubExpr();
  return nullptr;
}

const FunctionDecl *callableOf(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_AddrOf) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
      continue;
    }
    if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1) {
      E = CE->getArg(0);
      continue;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return L->getCallOperator();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<FunctionDecl>(DRE->getDecl());
    return nullptr;
  }
  return nullptr;
}

/// A thread, fiber or task started with a callable and its arguments:
/// std::thread(f, std::ref(ch)), fiber(&W::run, this, std::ref(ch)),
/// std::async(policy, f, std::ref(ch)). The callee and its parameter.
std::optional<std::pair<const FunctionDecl *, unsigned>>
spawnTarget(llvm::ArrayRef<const Expr *> Args, unsigned Idx) {
  for (unsigned C = Idx; C-- > 0;) {
    const FunctionDecl *FD = callableOf(Args[C]);
    if (!FD)
      continue;
    unsigned Skip = 1;
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
        M && M->isInstance() && !M->getParent()->isLambda())
      Skip = 2; // the object argument
    if (Idx < C + Skip)
      return std::nullopt;
    return std::make_pair(FD, Idx - C - Skip);
  }
  return std::nullopt;
}

class Walker {
public:
  Walker(const model::ChannelModel &Model, FunctionChannelUses &Out)
      : Model(Model), Out(Out) {}

  void walk(const Stmt *S) {
    if (!S)
      return;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      Out.Lambdas.push_back(L->getCallOperator());
      Parents.push_back(L);
      // A plain capture ([&ch], [ch]) is how the body reaches the channel:
      // the body's uses are the lambda's own. Init-captures are expressions.
      auto Init = L->capture_init_begin();
      for (auto C = L->capture_begin(); C != L->capture_end(); ++C, ++Init)
        if (L->isInitCapture(&*C) && *Init)
          walk(*Init);
      Parents.pop_back();
      return; // the body is a function of its own
    }
    if (const auto *For = dyn_cast<CXXForRangeStmt>(S)) {
      // for (auto v : ch): the loop receives until the channel is closed.
      LoopParts Parts = partsOf(For);
      Parents.push_back(For);
      walk(Parts.Init);
      if (std::optional<ChannelKey> K = keyOf(Parts.RangeInit)) {
        ChannelUse U{ChannelUseKind::Receive, For->getForLoc()};
        U.Site = U.Loop = For;
        add(*K, U);
      } else {
        walk(Parts.RangeInit);
      }
      walk(Parts.Body);
      Parents.pop_back();
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      Parents.push_back(DS);
      for (const Decl *D : DS->decls()) {
        const auto *V = dyn_cast<VarDecl>(D);
        if (!V || !V->getInit())
          continue;
        // auto &q = this->queue_; Chan *c = &ch; auto sp = shared_; : alias.
        if (!Model.isChannel(V->getType()) ||
            V->getType()->isReferenceType())
          if (Model.reachesChannel(V->getType()))
            if (std::optional<ChannelKey> K = keyOf(V->getInit())) {
              Alias[V] = *K;
              continue;
            }
        walk(V->getInit());
      }
      Parents.pop_back();
      return;
    }
    if (const auto *E = dyn_cast<Expr>(S))
      if (std::optional<ChannelKey> K = keyAt(E)) {
        classify(*K, E);
        return;
      }
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        Out.Callees.push_back(FD);
    Parents.push_back(S);
    for (const Stmt *Child : S->children())
      walk(Child);
    Parents.pop_back();
  }

private:
  /// The channel \p E names itself (a mention, not an expression over one).
  std::optional<ChannelKey> keyAt(const Expr *E) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V)
        return std::nullopt;
      auto A = Alias.find(V);
      if (A != Alias.end())
        return A->second;
      if (Model.reachesChannel(V->getType()))
        return ChannelKey{V, nullptr};
      return std::nullopt;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F || !Model.reachesChannel(F->getType()))
        return std::nullopt;
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base))
        return ChannelKey{nullptr, F};
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
          return ChannelKey{V, F};
      return std::nullopt;
    }
    return std::nullopt;
  }

  /// The channel \p E denotes after &, *, ->, std::ref and copies of smart
  /// pointers are looked through.
  std::optional<ChannelKey> keyOf(const Expr *E) {
    for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
      E = E->IgnoreParenImpCasts();
      if (std::optional<ChannelKey> K = keyAt(E))
        return K;
      bool HandsOver = false;
      E = lookThrough(E, HandsOver);
    }
    return std::nullopt;
  }

  void add(const ChannelKey &K, ChannelUse U) {
    if (!U.Loop)
      U.Loop = innermostLoop();
    Out.Uses[K].push_back(U);
  }

  const Stmt *innermostLoop() const {
    for (size_t I = Parents.size(); I-- > 0;)
      if (isLoop(Parents[I]))
        return Parents[I];
    return nullptr;
  }

  /// The call a member expression at Parents[I] is the callee of.
  const Stmt *callAbove(size_t I) const {
    if (I > 0 && isa<CallExpr>(Parents[I - 1]))
      return Parents[I - 1];
    return nullptr;
  }

  /// A use that a member call makes: its kind, where, and the call.
  ChannelUse opUse(model::ChannelOp Op, SourceLocation Loc, size_t I) {
    ChannelUse U{kindOf(Op), Loc};
    U.Site = callAbove(I);
    return U;
  }

  static int argIndex(llvm::ArrayRef<const Expr *> Args, const Stmt *Arg) {
    for (unsigned I = 0; I < Args.size(); ++I)
      if (Args[I] == Arg)
        return static_cast<int>(I);
    return -1;
  }

  ChannelUseKind kindOf(model::ChannelOp Op) {
    switch (Op) {
    case model::ChannelOp::Send:
      return ChannelUseKind::Send;
    case model::ChannelOp::Receive:
      return ChannelUseKind::Receive;
    case model::ChannelOp::Close:
      return ChannelUseKind::Close;
    case model::ChannelOp::Other:
      break;
    }
    return ChannelUseKind::Observe;
  }

  /// Parents[I] is a coroutine call that a co_spawn starts as its own task
  /// (`co_spawn(ex, closer(ch), detached)`): the coroutine's uses of its
  /// parameters run apart from the caller, like a thread's.
  bool coSpawned(size_t I) const {
    const Stmt *Inner = Parents[I];
    for (size_t J = I; J-- > 0;) {
      const Stmt *Q = Parents[J];
      if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr, ExprWithCleanups>(Q)) {
        Inner = Q;
        continue;
      }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(Q);
          CE && CE->getNumArgs() == 1) { // the awaitable moved into place
        Inner = Q;
        continue;
      }
      const auto *Spawn = dyn_cast<CallExpr>(Q);
      const FunctionDecl *FD = Spawn ? Spawn->getDirectCallee() : nullptr;
      return FD && FD->getDeclName().isIdentifier() &&
             FD->getName() == "co_spawn" && Spawn->getNumArgs() >= 2 &&
             Spawn->getArg(1) == Inner;
    }
    return false;
  }

  /// What the expression around the mention \p E does with channel \p K.
  void classify(const ChannelKey &K, const Expr *E) {
    const Stmt *Cur = E;
    for (size_t I = Parents.size(); I-- > 0;) {
      const Stmt *P = Parents[I];
      if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr, ExprWithCleanups>(P)) {
        Cur = P;
        continue;
      }
      if (const auto *Cast = dyn_cast<ExplicitCastExpr>(P)) {
        if (Cast->getType()->isVoidType())
          return add(K, {ChannelUseKind::Observe, P->getBeginLoc()});
        Cur = P;
        continue;
      }
      if (const auto *U = dyn_cast<UnaryOperator>(P)) {
        if (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref) {
          Cur = P;
          continue;
        }
        return add(K, {ChannelUseKind::Observe, P->getBeginLoc()}); // !ch
      }
      if (const auto *ME = dyn_cast<MemberExpr>(P)) {
        const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
        // A method of the channel, or of a base it inherits the method
        // from (Asio's try_send lives in channel_send_functions).
        if (M && (Model.isChannelClass(M->getParent()) ||
                  Model.reachesChannel(
                      ME->getBase()->IgnoreParenImpCasts()->getType())))
          return add(K, opUse(Model.classify(M), ME->getMemberLoc(), I));
        // sp.get()->close(): the smart pointer's get() is the channel too.
        if (model::isPointerGet(M) &&
            I > 0 && isa<CXXMemberCallExpr>(Parents[I - 1])) {
          Cur = Parents[--I];
          continue;
        }
        return add(K, {ChannelUseKind::Observe, ME->getMemberLoc()});
      }
      // In a template: ch.close() on a dependent channel type.
      if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
        DeclarationName N = DM->getMember();
        if (N.isIdentifier())
          return add(K, opUse(Model.classify(N.getAsIdentifierInfo()->getName()),
                              DM->getMemberLoc(), I));
        return add(K, {ChannelUseKind::Escape, DM->getMemberLoc()});
      }
      if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(P)) {
        DeclarationName N = UM->getMemberName();
        if (N.isIdentifier())
          return add(K, opUse(Model.classify(N.getAsIdentifierInfo()->getName()),
                              UM->getMemberLoc(), I));
        return add(K, {ChannelUseKind::Escape, UM->getMemberLoc()});
      }
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
        if ((Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) &&
            Op->getNumArgs() == 1) {
          Cur = P;
          continue;
        }
        if ((Op->getOperator() == OO_EqualEqual ||
             Op->getOperator() == OO_ExclaimEqual))
          return add(K, {ChannelUseKind::Observe, P->getBeginLoc()});
      }
      if (const auto *Call = dyn_cast<CallExpr>(P)) {
        llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
        int Idx = argIndex(Args, Cur);
        const FunctionDecl *FD = Call->getDirectCallee();
        if (Idx < 0)
          return add(K, {ChannelUseKind::Escape, P->getBeginLoc()});
        if (model::isTransparentCall(FD)) {
          Cur = P;
          continue;
        }
        if (auto T = spawnTarget(Args, Idx))
          return add(K, {ChannelUseKind::Spawn, P->getBeginLoc(), T->first,
                         T->second});
        if (!FD)
          return add(K, {ChannelUseKind::Escape, P->getBeginLoc()});
        unsigned Param = Idx;
        if (const auto *OpCall = dyn_cast<CXXOperatorCallExpr>(Call))
          if (isa<CXXMethodDecl>(FD) && OpCall->getNumArgs() > 0) {
            if (Param == 0)
              return add(K, {ChannelUseKind::Escape, P->getBeginLoc()});
            --Param;
          }
        // co_spawn(ex, closer(ch), detached): closer runs as its own task.
        if (coSpawned(I))
          return add(K, {ChannelUseKind::Spawn, P->getBeginLoc(), FD, Param});
        return add(K, {ChannelUseKind::Call, P->getBeginLoc(), FD, Param});
      }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
        llvm::ArrayRef<const Expr *> Args(CE->getArgs(), CE->getNumArgs());
        int Idx = argIndex(Args, Cur);
        if (Idx < 0)
          return add(K, {ChannelUseKind::Escape, P->getBeginLoc()});
        if (auto T = spawnTarget(Args, Idx))
          return add(K, {ChannelUseKind::Spawn, P->getBeginLoc(), T->first,
                         T->second});
        return add(K, {ChannelUseKind::Call, P->getBeginLoc(),
                       CE->getConstructor(), static_cast<unsigned>(Idx)});
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(P))
        if (BO->isComparisonOp() || BO->isLogicalOp())
          return add(K, {ChannelUseKind::Observe, P->getBeginLoc()});
      if (isa<IfStmt, WhileStmt, DoStmt, ForStmt, ConditionalOperator,
              UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, CXXTypeidExpr>(P))
        return add(K, {ChannelUseKind::Observe, P->getBeginLoc()});
      return add(K, {ChannelUseKind::Escape, P->getBeginLoc()});
    }
    add(K, {ChannelUseKind::Escape, E->getBeginLoc()});
  }

  const model::ChannelModel &Model;
  FunctionChannelUses &Out;
  llvm::DenseMap<const VarDecl *, ChannelKey> Alias;
  llvm::SmallVector<const Stmt *, 32> Parents;
};

} // namespace

const char ChannelUseIndex::ID = 0;

ChannelUseIndex &ChannelUseIndex::of(const ASTContext &Ctx,
                                     const model::ChannelModel &Model) {
  return AnalysisCache::of(Ctx).get<ChannelUseIndex>(
      Model.configKey(), Model, Ctx.getSourceManager());
}

const FunctionChannelUses *ChannelUseIndex::uses(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody())
    return nullptr;
  auto It = Memo.find(Def);
  if (It != Memo.end())
    return It->second.get();
  auto Out = std::make_unique<FunctionChannelUses>();
  Walker W(Model, *Out);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten())
        W.walk(Init->getInit());
  W.walk(Def->getBody());
  const FunctionChannelUses *Result = Out.get();
  Memo[Def] = std::move(Out);
  return Result;
}

std::optional<ChannelKey> ChannelUseIndex::paramKey(const FunctionDecl *FD,
                                                    unsigned I) {
  if (!FD)
    return std::nullopt;
  if (const FunctionDecl *Def = FD->getDefinition())
    FD = Def;
  if (I >= FD->getNumParams())
    return std::nullopt;
  return ChannelKey{FD->getParamDecl(I), nullptr};
}

std::optional<ChannelKey>
ChannelUseIndex::handedOn(const ChannelUse &Use) const {
  if (!Use.Callee || Use.Callee->isVariadic() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Use.Callee->getLocation())))
    return std::nullopt; // std::swap, a smart pointer's assignment
  return paramKey(Use.Callee, Use.Param);
}

bool ChannelUseIndex::before(SourceLocation A, SourceLocation B) const {
  return SM.isBeforeInTranslationUnit(SM.getFileLoc(A), SM.getFileLoc(B));
}

static const llvm::SmallVector<ChannelUse, 4> *
usesOf(const FunctionChannelUses *U, const ChannelKey &K) {
  if (!U)
    return nullptr;
  auto It = U->Uses.find(K);
  return It == U->Uses.end() ? nullptr : &It->second;
}

bool ChannelUseIndex::mayFeed(const FunctionDecl *FD, const ChannelKey &K,
                              unsigned Depth) {
  const FunctionChannelUses *U = uses(FD);
  if (!U || Depth > 4)
    return true; // cannot see: assume it sends
  if (const auto *List = usesOf(U, K))
    for (const ChannelUse &Use : *List) {
      switch (Use.Kind) {
      case ChannelUseKind::Send:
      case ChannelUseKind::Escape:
        return true;
      case ChannelUseKind::Call:
      case ChannelUseKind::Spawn: {
        std::optional<ChannelKey> P = paramKey(Use.Callee, Use.Param);
        if (!P || Use.Callee->isVariadic() || !uses(Use.Callee) ||
            mayFeed(Use.Callee, *P, Depth + 1))
          return true;
        break;
      }
      default:
        break;
      }
    }
  for (const FunctionDecl *L : U->Lambdas)
    if (usesOf(uses(L), K) && mayFeed(L, K, Depth + 1))
      return true;
  return false;
}

bool ChannelUseIndex::receivesInTree(const FunctionDecl *FD,
                                     const ChannelKey &K, unsigned Depth) {
  const FunctionChannelUses *U = uses(FD);
  if (!U || Depth > 4)
    return false;
  if (const auto *List = usesOf(U, K))
    for (const ChannelUse &Use : *List) {
      if (Use.Kind == ChannelUseKind::Receive)
        return true;
      if (Use.Kind == ChannelUseKind::Call || Use.Kind == ChannelUseKind::Spawn)
        if (std::optional<ChannelKey> P = paramKey(Use.Callee, Use.Param))
          if (receivesInTree(Use.Callee, *P, Depth + 1))
            return true;
    }
  for (const FunctionDecl *L : U->Lambdas)
    if (receivesInTree(L, K, Depth + 1))
      return true;
  return false;
}

SourceLocation ChannelUseIndex::closesSync(const FunctionDecl *FD,
                                           const ChannelKey &K,
                                           unsigned Depth) {
  const FunctionChannelUses *U = uses(FD);
  if (!U || Depth > 4)
    return {};
  const auto *List = usesOf(U, K);
  if (!List)
    return {};
  // A close after a drain of its own finds the channel closed already.
  for (const ChannelUse &Use : *List)
    if (Use.Kind == ChannelUseKind::Close &&
        !closedWhenReached(Use, *List, FD, FD->getASTContext()))
      return Use.Loc;
  for (const ChannelUse &Use : *List)
    if (Use.Kind == ChannelUseKind::Call)
      if (std::optional<ChannelKey> P = paramKey(Use.Callee, Use.Param))
        if (closesSync(Use.Callee, *P, Depth + 1).isValid())
          return Use.Loc;
  return {};
}

void ChannelUseIndex::reach(const FunctionDecl *FD, const ChannelKey &K,
                            ChannelReach &Out, unsigned Depth) {
  const FunctionChannelUses *U = uses(FD);
  if (!U || Depth > 4) {
    Out.Opaque = true;
    return;
  }
  if (const auto *List = usesOf(U, K))
    for (const ChannelUse &Use : *List) {
      switch (Use.Kind) {
      case ChannelUseKind::Send:
        if (Out.FirstSend.isInvalid())
          Out.FirstSend = Use.Loc;
        break;
      case ChannelUseKind::Close:
        if (Out.FirstClose.isInvalid())
          Out.FirstClose = Use.Loc;
        break;
      case ChannelUseKind::Escape:
        Out.Opaque = true;
        break;
      case ChannelUseKind::Observe:
        if (const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(Use.Site))
          if (model::ChannelModel::failsPendingOps(Call->getMethodDecl()) &&
              Out.FirstCancel.isInvalid())
            Out.FirstCancel = Use.Loc;
        break;
      case ChannelUseKind::Call:
      case ChannelUseKind::Spawn: {
        std::optional<ChannelKey> P = handedOn(Use);
        if (!P) {
          Out.Opaque = true;
          break;
        }
        reach(Use.Callee, *P, Out, Depth + 1);
        break;
      }
      default:
        break;
      }
    }
  // Every lambda: one that does not name K may write one that does.
  for (const FunctionDecl *L : U->Lambdas)
    reach(L, K, Out, Depth + 1);
}

bool ChannelUseIndex::calls(const FunctionDecl *From, const FunctionDecl *To,
                            unsigned Depth) {
  if (!From || !To || Depth > 3)
    return false;
  const FunctionChannelUses *U = uses(From);
  if (!U)
    return false;
  const FunctionDecl *ToDef = To->getDefinition() ? To->getDefinition() : To;
  for (const FunctionDecl *C : U->Callees) {
    const FunctionDecl *CDef = C->getDefinition() ? C->getDefinition() : C;
    if (CDef == ToDef)
      return true;
  }
  for (const FunctionDecl *C : U->Callees)
    if (calls(C, To, Depth + 1))
      return true;
  return false;
}

std::optional<ChannelKey> namedObject(const Expr *E, const Expr **Mention,
                                      bool *Copied) {
  bool Copy = true;
  auto Found = [&](const Expr *M, ChannelKey K) -> std::optional<ChannelKey> {
    if (Mention)
      *Mention = M;
    if (Copied)
      *Copied = Copy;
    return K;
  };
  for (unsigned Steps = 0; E && Steps < 8; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        return Found(DRE, ChannelKey{V, nullptr});
      return std::nullopt;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F)
        return std::nullopt;
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base))
        return Found(ME, ChannelKey{nullptr, F});
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
        if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
          return Found(ME, ChannelKey{V, F});
      return std::nullopt;
    }
    // *sp, sp->: the pointee's copy is not the smart pointer (a snapshot of
    // a shared object is not shared ownership).
    if (isa<CXXOperatorCallExpr>(E))
      return std::nullopt;
    bool HandsOver = false;
    E = lookThrough(E, HandsOver);
    Copy &= !HandsOver;
  }
  return std::nullopt;
}

// --- Finding the bodies -----------------------------------------------------

namespace {
AST_MATCHER(FunctionDecl, isUserDefinition) {
  return Node.isThisDeclarationADefinition() && !Node.isImplicit() &&
         inUserCode(Finder->getASTContext(), Node.getBeginLoc());
}
} // namespace

const char ChannelFunctions::ID = 0;

ChannelFunctions &ChannelFunctions::of(const ASTContext &Ctx,
                                       const model::ChannelModel &Model) {
  return AnalysisCache::of(Ctx).get<ChannelFunctions>(Model.configKey(),
                                                      Model);
}

void ChannelFunctions::registerMatchers(MatchFinder *Finder,
                                        MatchFinder::MatchCallback *CB,
                                        const model::ChannelModel &Model) {
  Finder->addMatcher(functionDecl(isUserDefinition()).bind("chan-fn"), CB);
  Finder->addMatcher(lambdaExpr(isExpansionInUserCode()).bind("chan-lambda"),
                     CB);
}

bool ChannelFunctions::mentionsChannel(const Stmt *S) const {
  // A lambda's init-captures are evaluated here; its body is its own.
  return anyInBody(
      S,
      [&](const Stmt *N) {
        if (const auto *DRE = dyn_cast<DeclRefExpr>(N)) {
          const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          return V && Model.reachesChannel(V->getType());
        }
        if (const auto *ME = dyn_cast<MemberExpr>(N)) {
          const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
          return F && Model.reachesChannel(F->getType());
        }
        return false;
      },
      Lambdas::Captures);
}

bool ChannelFunctions::handle(const MatchFinder::MatchResult &Result) {
  const void *Node = nullptr;
  for (const char *Id : {"chan-fn", "chan-lambda"})
    if (const auto *N = Result.Nodes.getNodeAs<Stmt>(Id))
      Node = N;
    else if (const auto *D = Result.Nodes.getNodeAs<Decl>(Id))
      Node = D;
  if (!Node)
    return false;
  if (Node == Last)
    return true; // another check's match of the node just recorded
  Last = Node;
  if (const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>("chan-fn")) {
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
        M && M->getParent()->isLambda())
      return true; // the lambda expression is recorded instead
    bool Mentions = FD->getBody() && mentionsChannel(FD->getBody());
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        Mentions = Mentions || (Init->isWritten() && mentionsChannel(Init->getInit()));
    if (Mentions)
      Candidates.insert(FD);
    return true;
  }
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("chan-lambda")) {
    if (L->getBody() && mentionsChannel(L->getBody()))
      Candidates.insert(L->getCallOperator());
    return true;
  }
  return false;
}

} // namespace tether::analysis
