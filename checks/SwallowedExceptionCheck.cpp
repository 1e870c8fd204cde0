//===--- SwallowedExceptionCheck.cpp --------------------------------------===//

#include "SwallowedExceptionCheck.h"
#include "analysis/BodyWalk.h"
#include "model/ExceptionModel.h"
#include "model/StdLibrary.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

/// Function names that read as reporting a failure (log_error, on_failure,
/// report, notify_...). Being generous here keeps the check quiet on
/// codebases with their own logging helpers.
bool looksLikeReporting(StringRef Name) {
  std::string Lower = Name.lower();
  // assert/expect/require/ensure/verify: a test's or a project's assertion
  // helper (assert_true(false) in a handler fails the test).
  for (StringRef Word : {"log", "report", "error", "warn", "fail",
                         "notify", "print", "trace", "fatal", "crit", "alert",
                         "panic", "abort", "die", "dump", "emit", "raise",
                         "assert", "expect", "require", "ensure", "verify"})
    if (StringRef(Lower).contains(Word))
      return true;
  return false;
}

using model::peelWrappers;

/// The variable or `this` an object expression is rooted at
/// (`a.b[3].c` -> a, `this->m.x` -> this).
const Expr *rootOf(const Expr *E) {
  for (unsigned Steps = 0; E && Steps < 16; ++Steps) {
    E = peelWrappers(E);
    if (const auto *M = dyn_cast<MemberExpr>(E))
      E = M->getBase();
    else if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
      E = A->getBase();
    else if (const auto *U = dyn_cast<UnaryOperator>(E);
             U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
      E = U->getSubExpr();
    else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getNumArgs() >= 1 &&
             (Op->getOperator() == OO_Subscript ||
              Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star))
      E = Op->getArg(0);
    else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      E = MC->getImplicitObjectArgument(); // a.get().x -> a
    else
      return E;
  }
  return E;
}

using model::isStdName;

/// Walks one handler and decides whether it does anything with the
/// exception an owner could learn of.
class HandlerWalk {
public:
  HandlerWalk(const CXXCatchStmt *C, const FunctionDecl *Enclosing,
              const model::ConcurrencyModel &Model,
              const model::ChannelModel &Channels,
              const model::NoReturnModel &NoReturn,
              ArrayRef<std::string> Logging, ArrayRef<std::string> Reporting)
      : Exc(C->getExceptionDecl()), Enclosing(Enclosing), Model(Model),
        Channels(Channels), NoReturn(NoReturn), Logging(Logging),
        Reporting(Reporting) {
    if (Exc)
      Locals.insert(Exc);
  }

  bool handled(const Stmt *S) {
    visit(S);
    return Handled;
  }

private:
  /// A variable the owner cannot see: declared inside the handler. Locals
  /// of the enclosing function declared before the try are flags the
  /// function reads later, so writes to them count.
  bool isHandlerLocal(const Expr *Root) const {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Root);
    if (!DRE)
      return false;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && Locals.contains(VD);
  }

  /// A constant the caller cannot tell from success: the value a return
  /// outside every handler gives too (return 0; ... catch (...) { return
  /// 0; }), or a null void * (a thread routine's result nobody types).
  bool returnReports(const ReturnStmt *R) const {
    ASTContext &Ctx = Enclosing->getASTContext();
    const Expr *V = R->getRetValue()->IgnoreParenImpCasts();
    bool Pointer = Enclosing->getReturnType()->isPointerType();
    auto IsNull = [&](const Expr *E) {
      return Pointer && E->isNullPointerConstant(
                            Ctx, Expr::NPC_ValueDependentIsNotNull) !=
                            Expr::NPCK_NotNull;
    };
    if (IsNull(V) && Enclosing->getReturnType()->isVoidPointerType())
      return false;
    auto Same = [&](const Expr *A, const Expr *B) {
      if (IsNull(A) && IsNull(B))
        return true;
      Expr::EvalResult EA, EB;
      return !A->isValueDependent() && !B->isValueDependent() &&
             A->EvaluateAsInt(EA, Ctx) && B->EvaluateAsInt(EB, Ctx) &&
             llvm::APSInt::isSameValue(EA.Val.getInt(), EB.Val.getInt());
    };
    bool SuccessGivesIt = false;
    analysis::walkBody(Enclosing->getBody(), [&](const Stmt *N) {
      if (isa<CXXCatchStmt>(N))
        return false; // a handler's return is not the success path
      if (const auto *Other = dyn_cast<ReturnStmt>(N);
          Other && Other->getRetValue() &&
          Same(V, Other->getRetValue()->IgnoreParenImpCasts()))
        SuccessGivesIt = true;
      return !SuccessGivesIt;
    });
    return !SuccessGivesIt;
  }

  /// An object whose state outlives the body or is visible to the owner: a
  /// member, a global, a capture, a parameter, anything behind a pointer or
  /// reference.
  bool isSharedObject(const Expr *Root) const {
    Root = peelWrappers(Root);
    if (!Root)
      return false;
    if (isa<CXXThisExpr>(Root))
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(Root);
    if (!DRE)
      return true; // a call's result, a temporary: not a plain local
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return false;
    if (VD->hasGlobalStorage() || DRE->refersToEnclosingVariableOrCapture() ||
        isa<ParmVarDecl>(VD))
      return true;
    QualType T = VD->getType();
    if (T->isReferenceType() || T->isPointerType())
      return !Locals.contains(VD);
    // A local of the body: only types made to carry a result to someone.
    unsigned Roles = Model.rolesOf(T);
    if (Roles & (model::CompletionSignal | model::StopSignal))
      return true;
    if (Channels.isChannel(T))
      return true;
    return model::isStdAtomic(T->getAsCXXRecordDecl());
  }

  bool readsException(const Stmt *S, bool &ReadsWhat) const {
    bool Found = false;
    analysis::walkBody(
        S,
        [&](const Stmt *N) {
          if (const auto *DRE = dyn_cast<DeclRefExpr>(N))
            Found |= Exc && DRE->getDecl() == Exc;
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(N))
            ReadsWhat |= model::readsExceptionMessage(MC);
          return true;
        },
        analysis::Lambdas::Enter);
    return Found;
  }

  bool isWrite(const Expr *LHS) const {
    const Expr *Root = rootOf(LHS);
    return !isHandlerLocal(Root);
  }

  void visitCall(const CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    // abort(), a [[noreturn]] fatal(), an assert helper that ends in one:
    // the process is gone, and that is the report.
    if (NoReturn.neverReturns(Call)) {
      Handled = true;
      return;
    }
    // Through a function pointer, a std::function, a callback parameter.
    if (!FD) {
      Handled = true;
      return;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
      OverloadedOperatorKind K = Op->getOperator();
      if (K == OO_Call) {
        Handled = true;
        return;
      }
      if (Op->isAssignmentOp() || K == OO_PlusPlus || K == OO_MinusMinus) {
        if (Op->getNumArgs() >= 1 && isWrite(Op->getArg(0)))
          Handled = true;
        return visitArgs(Call, FD);
      }
      // std::cerr << ..., LOG(ERROR) << ...: a stream that is not a local
      // of the handler.
      if (K == OO_LessLess && Op->getNumArgs() == 2) {
        const Expr *Left = Op->getArg(0);
        while (const auto *Inner =
                   dyn_cast<CXXOperatorCallExpr>(peelWrappers(Left)))
          if (Inner->getOperator() == OO_LessLess && Inner->getNumArgs() == 2)
            Left = Inner->getArg(0);
          else
            break;
        const Expr *Root = rootOf(Left);
        if (!isHandlerLocal(Root) && isSharedObject(Root)) {
          Handled = true;
          return;
        }
      }
    }
    std::string Name = model::canonicalName(FD);
    if (model::matchesAnyName(Logging, Name) ||
        model::matchesAnyName(Reporting, Name)) {
      Handled = true;
      return;
    }
    // log_error(...), Logger::write(...), metrics::count_failure(...).
    if (!isStdName(Name) && looksLikeReporting(Name)) {
      Handled = true;
      return;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      // Sends through a channel.
      if (M && Obj && Channels.reachesChannel(Obj->getType()) &&
          Channels.classify(M) == model::ChannelOp::Send) {
        Handled = true;
        return;
      }
      // A non-const call on a member, a capture, a global: a write the
      // owner can see (failed_.store(true), errors_.push_back(...)).
      if (M && !M->isConst() && !M->isStatic() && Obj &&
          isSharedObject(rootOf(Obj)) && !isHandlerLocal(rootOf(Obj))) {
        Handled = true;
        return;
      }
    }
    visitArgs(Call, FD);
  }

  void visitArgs(const CallExpr *Call, const FunctionDecl *FD) {
    std::string Name = model::canonicalName(FD);
    bool OutsideStd = !isStdName(Name);
    for (const Expr *Arg : Call->arguments()) {
      bool ReadsWhat = false;
      bool ReadsExc = readsException(Arg, ReadsWhat);
      if (ReadsWhat || (ReadsExc && OutsideStd)) {
        Handled = true;
        return;
      }
      // A free function handed a member, capture or global: it can
      // report through it (mark_done(job_), set_status(state, ...)).
      if (OutsideStd && !isa<CXXOperatorCallExpr>(Call) &&
          !isa<CXXMemberCallExpr>(Call)) {
        const Expr *Root = peelWrappers(rootOf(Arg));
        if (Root && (isa<DeclRefExpr>(Root) || isa<CXXThisExpr>(Root)) &&
            isSharedObject(Root) && !isHandlerLocal(Root)) {
          Handled = true;
          return;
        }
      }
    }
  }

  void visit(const Stmt *Root) {
    analysis::walkBody(Root, [&](const Stmt *S) {
      visitNode(S);
      return !Handled;
    });
  }

  /// One statement of the handler; its children come next unless it
  /// settles the question.
  void visitNode(const Stmt *S) {
    if (isa<CXXThrowExpr>(S) || isa<LambdaExpr>(S) || isa<CoroutineBodyStmt>(S) ||
        isa<CoawaitExpr>(S) || isa<CoyieldExpr>(S) || isa<GotoStmt>(S)) {
      Handled = true; // rethrows, or hands work on we cannot follow
      return;
    }
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      if (R->getRetValue() && Enclosing &&
          !Enclosing->getReturnType()->isVoidType() && returnReports(R)) {
        Handled = true; // the return value is the report
        return;
      }
    }
    if (const auto *R = dyn_cast<CoreturnStmt>(S); R && R->getOperand()) {
      Handled = true;
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          Locals.insert(VD);
          if (model::isExceptionPtr(VD->getType()))
            Handled = true;
        }
    }
    if (const auto *B = dyn_cast<BinaryOperator>(S)) {
      if (B->isAssignmentOp() && isWrite(B->getLHS())) {
        Handled = true;
        return;
      }
    }
    if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if (U->isIncrementDecrementOp() && isWrite(U->getSubExpr())) {
        Handled = true;
        return;
      }
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
      // Logging objects (google::LogMessage), or anything built from the
      // exception's message.
      if (const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl())
        if (model::matchesAnyName(Logging, model::canonicalName(RD))) {
          Handled = true;
          return;
        }
      for (const Expr *Arg : CE->arguments()) {
        bool ReadsWhat = false;
        readsException(Arg, ReadsWhat);
        if (ReadsWhat) {
          Handled = true;
          return;
        }
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(S))
      visitCall(Call);
  }

  const VarDecl *Exc;
  const FunctionDecl *Enclosing;
  const model::ConcurrencyModel &Model;
  const model::ChannelModel &Channels;
  const model::NoReturnModel &NoReturn;
  ArrayRef<std::string> Logging, Reporting;
  llvm::DenseSet<const VarDecl *> Locals;
  bool Handled = false;
};

/// A catch clause, the try it belongs to, and the statement that runs after
/// the try (null when the try ends its block).
struct CatchSite {
  const CXXCatchStmt *Catch;
  const CXXTryStmt *Try;
  const Stmt *After;
};

/// Every catch clause in \p S, lambdas not entered (they are other bodies).
void findCatches(const Stmt *S, SmallVectorImpl<CatchSite> &Out) {
  llvm::DenseMap<const CXXTryStmt *, const Stmt *> After;
  analysis::walkBody(S, [&](const Stmt *N) {
    if (const auto *Block = dyn_cast<CompoundStmt>(N))
      for (auto It = Block->body_begin(); It != Block->body_end(); ++It)
        if (const auto *T = dyn_cast<CXXTryStmt>(*It))
          After[T] = std::next(It) == Block->body_end() ? nullptr
                                                        : *std::next(It);
    if (const auto *T = dyn_cast<CXXTryStmt>(N))
      for (unsigned I = 0; I < T->getNumHandlers(); ++I)
        Out.push_back({T->getHandler(I), T, After.lookup(T)});
    return true;
  });
}

/// The handler ends by falling through to the statement after its try.
bool fallsThrough(const CXXCatchStmt *C) {
  return !analysis::anyInBody(C->getHandlerBlock(), [](const Stmt *S) {
    return isa<ReturnStmt, BreakStmt, ContinueStmt, GotoStmt, CXXThrowExpr,
               CoreturnStmt>(S);
  });
}

/// A try whose every statement is a best-effort teardown call
/// (try { sock.close(); } catch (...) {}): there is no work whose failure
/// the owner would need to learn of.
bool isTeardownOnly(const CXXTryStmt *T) {
  const auto *Block = dyn_cast_or_null<CompoundStmt>(T->getTryBlock());
  if (!Block || Block->body_empty())
    return false;
  for (const Stmt *S : Block->body()) {
    const auto *E = dyn_cast<Expr>(S);
    const auto *Call =
        E ? dyn_cast<CallExpr>(E->IgnoreImplicit()->IgnoreParenCasts()) : nullptr;
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getDeclName().isIdentifier())
      return false;
    if (!model::isTeardownCall(FD))
      return false;
  }
  return true;
}

} // namespace

SwallowedExceptionCheck::SwallowedExceptionCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Channels(Options),
      NoReturn(Options), Library(Options),
      CaughtTypes(model::caughtTypes()),
      LoggingFunctions(model::loggingFunctions()),
      ReportingFunctions(model::reportingFunctions()) {
  for (model::NameList *L :
       {&CaughtTypes, &LoggingFunctions, &ReportingFunctions})
    L->UserValue = Options.get(L->OptionName, "");
  for (const std::string &N : CaughtTypes.all())
    Caught.insert(N);
  Logging = LoggingFunctions.all();
  Reporting = ReportingFunctions.all();
}

void SwallowedExceptionCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  for (const model::NameList *L :
       {&CaughtTypes, &LoggingFunctions, &ReportingFunctions})
    Options.store(Opts, L->OptionName, L->UserValue);
  Model.store(Options, Opts);
  Channels.store(Options, Opts);
  NoReturn.store(Options, Opts);
  Library.store(Options, Opts);
}

void SwallowedExceptionCheck::registerMatchers(MatchFinder *Finder) {
  analysis::addSpawnMatchers(Finder, this, Model);
}

void SwallowedExceptionCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *E = Result.Nodes.getNodeAs<Expr>("spawn");
  if (!E)
    return;
  if (std::optional<analysis::Spawn> Sp = analysis::spawnAt(E, Model))
    checkSpawn(*Sp, *Result.SourceManager);
}

void SwallowedExceptionCheck::checkSpawn(const analysis::Spawn &Sp,
                                         const SourceManager &SM) {
  const FunctionDecl *Entry = analysis::taskBodyOf(Sp.S.Callable);
  if (!Entry || Entry->isDependentContext() || !Entry->getBody() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Entry->getLocation())))
    return;
  checkFunction(Entry, Sp, SM);
  // [this] { run(); }: run() is the body too.
  llvm::SmallVector<const FunctionDecl *, 8> Callees;
  analysis::directCallees(Entry->getBody(), Callees);
  for (const FunctionDecl *FD : Callees)
    if (!FD->isDependentContext())
      checkFunction(FD, Sp, SM);
}

bool SwallowedExceptionCheck::isCatchAll(const CXXCatchStmt *C) const {
  if (!C->getExceptionDecl())
    return true; // catch (...)
  QualType T = C->getCaughtType();
  if (T.isNull() || T->isDependentType())
    return false;
  T = T.getNonReferenceType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  return RD && Caught.contains(model::canonicalName(RD));
}

void SwallowedExceptionCheck::checkFunction(const FunctionDecl *FD,
                                            const analysis::Spawn &Sp,
                                            const SourceManager &SM) {
  if (!Walked.insert(FD).second)
    return;
  llvm::SmallVector<CatchSite, 4> Catches;
  findCatches(FD->getBody(), Catches);
  for (auto [C, Try, After] : Catches) {
    SourceLocation Loc = C->getCatchLoc();
    if (Loc.isInvalid() || SM.isInSystemHeader(SM.getExpansionLoc(Loc)) ||
        !isCatchAll(C) || Seen.contains(C) || isTeardownOnly(Try))
      continue;
    // A handler written by a library's macro (a test framework's REQUIRE):
    // how it reports is that library's business.
    if (Library.writtenByLibrary(C, SM))
      continue;
    // catch (...) {} followed by std::terminate(), fail("...") or
    // assert_true(false): the failure path reports right after the try.
    if (After && isa<CallExpr>(After) && fallsThrough(C) &&
        (NoReturn.endsPath(After) ||
         HandlerWalk(C, FD, Model, Channels, NoReturn, Logging, Reporting)
             .handled(After)))
      continue;
    HandlerWalk W(C, FD, Model, Channels, NoReturn, Logging, Reporting);
    if (W.handled(C->getHandlerBlock()))
      continue;
    Seen.insert(C);
    // Each instantiation of a template has its own catch clause.
    if (!ReportedAt.insert(SM.getFileLoc(Loc)).second)
      continue;
    std::string Clause = "catch (...)";
    if (const VarDecl *VD = C->getExceptionDecl()) {
      QualType T = C->getCaughtType();
      QualType Pointee = T.getNonReferenceType();
      Clause = "catch (";
      if (Pointee.isConstQualified())
        Clause += "const ";
      Clause += model::canonicalName(Pointee->getAsCXXRecordDecl());
      if (T->isReferenceType())
        Clause += " &";
      Clause += ")";
      (void)VD;
    }
    bool Task = Sp.Kind == analysis::SpawnKind::Task;
    Loc = SM.getFileLoc(Loc);
    diag(Loc, "exception caught by '%0' in a %1 body is swallowed: nothing "
              "rethrows, logs, stores or reports it, so the owner never "
              "learns the work failed")
        << Clause << (Task ? "task" : "thread");
    diag(SM.getFileLoc(Sp.S.Site->getBeginLoc()), "the %0 is started here",
         DiagnosticIDs::Note)
        << (Task ? "task" : "thread");
    diag(Loc,
         Task ? "rethrow it (the future carries it to get()), store it with "
                "std::current_exception() or set_exception on a promise, or "
                "at least log it"
              : "store it with std::current_exception() and rethrow it "
                "where the thread is joined, pass it to set_exception on a "
                "promise, or at least log it",
         DiagnosticIDs::Note);
  }
}

} // namespace tether
