//===--- HandleUses.cpp ---------------------------------------------------===//

#include "HandleUses.h"
#include "../model/ConcurrencyModel.h"
#include "BodyWalk.h"
#include "Describe.h"
#include "../model/StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace tether::analysis {

namespace {

bool named(const NamedDecl *D, llvm::ArrayRef<llvm::StringRef> Names) {
  return D && D->getDeclName().isIdentifier() &&
         llvm::is_contained(Names, D->getName());
}

/// Does \p E make a handle with work (anything but a default construction)?
/// A call or another handle counts: it may hold work.
bool startsWork(const Expr *E) {
  E = E->IgnoreImplicit();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() > 0 &&
           !(CE->getNumArgs() == 1 && isa<CXXDefaultArgExpr>(CE->getArg(0)));
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() > 0;
  return true;
}

/// Does a container's emplace_back / push_back add running work, rather than
/// a default-constructed (empty) handle?
bool addsWork(const CXXMemberCallExpr *Call) {
  unsigned N = Call->getNumArgs();
  if (std::optional<unsigned> Position =
          model::emplacePositionArgs(Call->getMethodDecl()))
    return N > *Position; // constructed in place from what follows
  if (N == 0)
    return false;
  return startsWork(Call->getArg(N - 1));
}

class Walker {
public:
  Walker(llvm::ArrayRef<const VarDecl *> Vars, const HandleMethods &Methods,
         llvm::DenseMap<const VarDecl *, HandleUses> &Out)
      : Methods(Methods), Out(Out) {
    for (const VarDecl *V : Vars)
      Tracked.insert(V);
  }

  void walk(const Stmt *S) {
    if (!S)
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D)) {
          if (Tracked.count(V) && Methods.Add.empty() &&
              Methods.Start.empty() && V->getInit() &&
              startsWork(V->getInit()))
            Out[V].Acquire.insert(DS);
          // T &alias = handle; is an escape.
          if (V->getType()->isReferenceType() && V->getInit())
            if (const VarDecl *H = handleIn(V->getInit()))
              release(H, DS);
        }
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable())
          if (const auto *V = dyn_cast_or_null<VarDecl>(C.getCapturedVar()))
            if (Tracked.count(V))
              release(V, L);
      // In a template, clang records implicit captures ([&]) only when it
      // instantiates the lambda: a mention in the body is the capture.
      if (L->getCaptureDefault() != LCD_None)
        markMentionedIn(L->getBody(), L);
      // Init-captures ([t = std::move(t)]) are ordinary expressions.
      for (const Expr *Init : L->capture_inits())
        walk(Init);
      return; // the body runs elsewhere
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        if (Tracked.count(V))
          classify(V, DRE);
    Parents.push_back(S);
    for (const Stmt *Child : S->children())
      walk(Child);
    Parents.pop_back();
  }

private:
  /// Every tracked handle mentioned in \p S is released at \p At.
  void markMentionedIn(const Stmt *S, const Stmt *At) {
    walkBody(
        S,
        [&](const Stmt *N) {
          if (const auto *DRE = dyn_cast<DeclRefExpr>(N))
            if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
              if (Tracked.count(V))
                release(V, At);
          return true;
        },
        Lambdas::Enter);
  }

  const VarDecl *handleIn(const Expr *E) {
    const auto *V = dyn_cast_or_null<VarDecl>(namedHandle(E));
    return V && Tracked.count(V) ? V : nullptr;
  }

  void release(const VarDecl *V, const Stmt *At) {
    HandleUses &U = Out[V];
    U.Release.insert(At);
    if (U.FirstRelease.isInvalid())
      U.FirstRelease = At->getBeginLoc();
  }

  /// The nearest parent that is not a paren or implicit cast.
  const Stmt *parent(size_t &Depth) {
    while (Depth > 0) {
      const Stmt *P = Parents[--Depth];
      if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
              CXXBindTemporaryExpr>(P))
        continue;
      return P;
    }
    return nullptr;
  }

  /// The expression at \p Depth is a statement of its own: its value is
  /// thrown away.
  bool discarded(size_t Depth) {
    const Stmt *Up = parent(Depth);
    if (isa_and_nonnull<ExprWithCleanups>(Up))
      Up = parent(Depth);
    return isa_and_nonnull<CompoundStmt>(Up);
  }

  /// A container of handles: adds are acquisitions, and any other mention
  /// hands the work on (a loop over it, an index, even size(): the loop
  /// that joins by index tests it, and whether it runs at all is not
  /// decided here).
  void classifyContainer(const VarDecl *V, const DeclRefExpr *Ref) {
    size_t Depth = Parents.size();
    const Stmt *P = parent(Depth);
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(P)) {
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(parent(Depth));
      const auto *Method = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (Call && Method && named(Method, Methods.Add)) {
        if (addsWork(Call))
          Out[V].Acquire.insert(Call);
        return;
      }
      if (Call && Method && named(Method, Methods.Neutral))
        return; // v.reserve(n): neither joins nor keeps the threads
    }
    release(V, Ref);
  }

  void classify(const VarDecl *V, const DeclRefExpr *Ref) {
    if (!Methods.Add.empty())
      return classifyContainer(V, Ref);
    size_t Depth = Parents.size();
    const Stmt *P = parent(Depth);
    if (!P)
      return;
    // handle.method(...)
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      size_t D2 = Depth;
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(parent(D2));
      const auto *Method = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (!Call || !Method)
        return;
      // t.try_join_for(100ms); as a statement: when it times out the
      // thread runs on and nobody looks; it is no join.
      if (model::ConcurrencyModel::isTimedJoin(Method) && discarded(D2))
        return;
      if (named(Method, Methods.Release)) {
        release(V, Ref);
      } else if (named(Method, Methods.Start)) {
        Out[V].Acquire.insert(Call);
      } else if (named(Method, Methods.LivenessTest)) {
        recordTest(V, Call, D2);
      } else if (named(Method, Methods.Neutral)) {
        return;
      } else if (!Method->isConst() && !Method->isStatic()) {
        release(V, Ref); // swap, share, and what we cannot see through
      }
      return;
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(P)) {
      (void)RS;
      release(V, Ref);
      return;
    }
    if (const auto *Op = dyn_cast<UnaryOperator>(P)) {
      if (Op->getOpcode() != UO_AddrOf)
        return;
      const CallExpr *Borrower = borrower(Depth);
      if (!Borrower ||
          (Methods.AwaitsEnd && Methods.AwaitsEnd(Borrower)))
        release(V, Ref);
      return;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
          Op->getArg(0)->IgnoreParenImpCasts() == Ref) {
        Out[V].Acquire.insert(Op); // new work assigned to the handle
        return;
      }
      if (Op->getOperator() == OO_Equal) {
        release(V, Ref); // other = std::move(handle) comes through move()
        return;
      }
    }
    // A pointer handle (QThread *t = new QThread) copied into another
    // variable or a member keeps the work reachable: handed on.
    if (V->getType()->isPointerType()) {
      if (const auto *BO = dyn_cast<BinaryOperator>(P);
          BO && BO->isAssignmentOp() &&
          BO->getRHS()->IgnoreParenImpCasts() == Ref) {
        release(V, Ref);
        return;
      }
      if (isa<DeclStmt>(P)) {
        release(V, Ref);
        return;
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      // connect(t, ...), worker->moveToThread(t) with a pointer handle:
      // borrowed, like &t for an object.
      if (V->getType()->isPointerType() && named(FD, Methods.Borrowers)) {
        if (Methods.AwaitsEnd && Methods.AwaitsEnd(Call))
          release(V, Ref);
        return;
      }
      for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
        if (Call->getArg(I)->IgnoreParenImpCasts() != Ref)
          continue;
        // std::move(handle) / std::forward: ownership moves to wherever the
        // result goes.
        if (model::transfersOwnership(FD)) {
          release(V, Ref);
          return;
        }
        // Passed by non-const reference or pointer: the callee may join it,
        // keep it, or move it. Any escape counts.
        QualType ParamTy;
        unsigned ParamIndex = I;
        if (FD && isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD)) {
          if (ParamIndex == 0)
            return; // the object of a member operator
          --ParamIndex;
        }
        if (FD && ParamIndex < FD->getNumParams())
          ParamTy = FD->getParamDecl(ParamIndex)->getType();
        if (ParamTy.isNull() || !ParamTy->isReferenceType() ||
            !ParamTy.getNonReferenceType().isConstQualified())
          release(V, Ref);
        return;
      }
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
      // Constructing an owner from the handle (a guard taking it by
      // reference): handed on.
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (CE->getArg(I)->IgnoreParenImpCasts() == Ref) {
          const CXXConstructorDecl *Ctor = CE->getConstructor();
          QualType ParamTy;
          if (Ctor && I < Ctor->getNumParams())
            ParamTy = Ctor->getParamDecl(I)->getType();
          if (ParamTy.isNull() ||
              !ParamTy.getNonReferenceType().isConstQualified())
            release(V, Ref);
          return;
        }
    }
    if (isa<InitListExpr, ParenListExpr>(P))
      release(V, Ref); // aggregate owner { handle }
  }

  /// The call the &handle at Parents[Depth] is an argument of, when it only
  /// borrows it (Methods.Borrowers).
  const CallExpr *borrower(size_t Depth) {
    const auto *Call = dyn_cast_or_null<CallExpr>(parent(Depth));
    if (!Call)
      return nullptr;
    const auto *Callee =
        dyn_cast_or_null<NamedDecl>(Call->getCalleeDecl());
    return named(Callee, Methods.Borrowers) ? Call : nullptr;
  }

  /// Records handle.joinable() used as a branch condition, possibly negated.
  void recordTest(const VarDecl *V, const CXXMemberCallExpr *Call,
                  size_t Depth) {
    bool LiveWhenTrue = true;
    const Stmt *Test = Call;
    size_t D = Depth; // Parents[Depth] is the call itself
    for (;;) {
      size_t Probe = D;
      const Stmt *P = parent(Probe);
      const auto *Not = dyn_cast_or_null<UnaryOperator>(P);
      if (!Not || Not->getOpcode() != UO_LNot)
        break;
      LiveWhenTrue = !LiveWhenTrue;
      Test = Not;
      D = Probe;
    }
    Out[V].LivenessTests[Test] = LiveWhenTrue;
  }

  const HandleMethods &Methods;
  llvm::DenseMap<const VarDecl *, HandleUses> &Out;
  llvm::DenseSet<const VarDecl *> Tracked;
  llvm::SmallVector<const Stmt *, 32> Parents;
};

} // namespace

llvm::DenseMap<const VarDecl *, HandleUses>
classifyHandleUses(const Stmt *Body, llvm::ArrayRef<const VarDecl *> Vars,
                   const HandleMethods &Methods) {
  llvm::DenseMap<const VarDecl *, HandleUses> Out;
  for (const VarDecl *V : Vars)
    Out[V];
  Walker(Vars, Methods, Out).walk(Body);
  return Out;
}

HandleMethods startedThreadHandleMethods() {
  using model::ConcurrencyModel;
  return HandleMethods{ConcurrencyModel::startedThreadWaitMethods(),
                       ConcurrencyModel::startedThreadLivenessMethods(),
                       {},
                       ConcurrencyModel::startedThreadStartMethods(),
                       ConcurrencyModel::startedThreadNeutralMethods(),
                       ConcurrencyModel::startedThreadBorrowers(),
                       &ConcurrencyModel::connectsEndToLoopExit};
}

} // namespace tether::analysis
