//===--- ThreadInConstructorCheck.cpp -------------------------------------===//

#include "ThreadInConstructorCheck.h"
#include "analysis/LoopExits.h"
#include "analysis/BodyWalk.h"
#include "analysis/Matchers.h"
#include "analysis/MemberRelease.h"
#include "analysis/ThreadEntries.h"
#include "model/ThreadSpawn.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/CharInfo.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

namespace {

/// Member functions whose name says "this ends the object's work": a class
/// that has one (even defined in another file) is taken to have a stop path.
const char DefaultStopMethods[] =
    "stop;shutdown;close;cancel;quit;terminate;halt;join;finish;exit;"
    "interrupt;abort;dispose;teardown;destroy;kill;request_stop";

using model::ConcurrencyModel;

struct Started {
  const FieldDecl *Field;
  analysis::Spawn Spawn;
};

/// workers_.push_back(std::thread(...)), push(), insert(): a thread built
/// as the argument and moved into a member container, kept there as
/// emplace_back keeps it. Records it, and says whether it did.
bool pushedSpawn(const CallExpr *Call, const model::ConcurrencyModel &Model,
                 llvm::SmallVectorImpl<Started> &Out) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  static const llvm::StringRef Adders[] = {"push_back", "push_front", "push",
                                           "insert"};
  if (!M || !M->getDeclName().isIdentifier() ||
      !llvm::is_contained(Adders, M->getName()))
    return false;
  const FieldDecl *F = analysis::rootField(MC->getImplicitObjectArgument());
  if (!F)
    return false;
  for (const Expr *Arg : MC->arguments())
    if (std::optional<analysis::Spawn> Sp =
            analysis::spawnAt(analysis::peelTemporaries(Arg), Model)) {
      Out.push_back({F, std::move(*Sp)});
      return true;
    }
  return false;
}

/// Spawns in a constructor body whose handle lands in a member.
void findMemberSpawns(const Stmt *Body, const model::ConcurrencyModel &Model,
                      llvm::SmallVectorImpl<Started> &Out) {
  analysis::walkBody(Body, [&](const Stmt *S) {
    if (auto A = analysis::assignmentOf(S))
      if (const FieldDecl *F = analysis::rootField(A->first))
        if (std::optional<analysis::Spawn> Sp = analysis::spawnAt(
                analysis::peelTemporaries(A->second), Model))
          Out.push_back({F, std::move(*Sp)});
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && !pushedSpawn(Call, Model, Out))
      if (std::optional<analysis::Spawn> Sp = analysis::spawnAt(Call, Model)) {
        const Expr *Handle = nullptr;
        if (Sp->Kind == analysis::SpawnKind::CThread && Call->getNumArgs() > 0)
          Handle = Call->getArg(0); // pthread_create(&tid_, ...)
        else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
          Handle = MC->getImplicitObjectArgument(); // workers_.emplace_back
        if (Handle)
          if (const FieldDecl *F = analysis::rootField(Handle))
            Out.push_back({F, std::move(*Sp)});
      }
    return true;
  });
}

/// A loop that runs until something tells it to stop: while, do, for(;;).
/// Not a do { } while (0), and not a loop a library's macro wrote
/// (CPU_ZERO, an assertion macro).
const Stmt *openLoopIn(const Stmt *S, ASTContext &Ctx,
                       const analysis::Provenance &Library) {
  if (!S)
    return nullptr;
  return analysis::findInBody(S, [&](const Stmt *N) {
    const auto *For = dyn_cast<ForStmt>(N);
    if (!isa<WhileStmt, DoStmt>(N) && !(For && !For->getCond()))
      return false;
    return !analysis::neverRepeats(N, Ctx) &&
           !Library.writtenByLibrary(N, Ctx.getSourceManager());
  });
}

/// The long-running loop the spawned body runs, in the entry or in a
/// function it calls directly ([this] { run(); }).
const Stmt *runLoop(const FunctionDecl *Entry, ASTContext &Ctx,
                    const analysis::Provenance &Library) {
  if (!Entry || !Entry->getBody())
    return nullptr;
  if (const Stmt *L = openLoopIn(Entry->getBody(), Ctx, Library))
    return L;
  llvm::SmallVector<const FunctionDecl *, 4> Callees;
  analysis::directCallees(Entry->getBody(), Callees);
  for (const FunctionDecl *FD : Callees)
    if (const Stmt *L = openLoopIn(FD->getBody(), Ctx, Library))
      return L;
  return nullptr;
}

/// Does \p S raise a stop signal held in a member (request_stop(),
/// running_ = false, flag_.store(...), cv_.notify_all())? Callbacks it
/// writes count too.
bool raisesSignal(const Stmt *S, const model::ConcurrencyModel &Model) {
  return analysis::anyInBody(
      S,
      [&](const Stmt *N) {
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(N)) {
          const CXXMethodDecl *M = MC->getMethodDecl();
          if (M && M->getDeclName().isIdentifier() &&
              llvm::is_contained(ConcurrencyModel::signalRaiseMethods(),
                                 M->getName()) &&
              analysis::rootField(MC->getImplicitObjectArgument()))
            return true;
        }
        const Expr *LHS = nullptr;
        if (const auto *BO = dyn_cast<BinaryOperator>(N);
            BO && BO->isAssignmentOp())
          LHS = BO->getLHS();
        else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(N);
                 Op && Op->isAssignmentOp() && Op->getNumArgs() == 2)
          LHS = Op->getArg(0);
        const FieldDecl *F = LHS ? analysis::rootField(LHS) : nullptr;
        return F && (F->getType()->isBooleanType() ||
                     (Model.rolesReachableThrough(F->getType()) &
                      model::StopSignal));
      },
      analysis::Lambdas::Enter);
}

} // namespace

ThreadInConstructorCheck::ThreadInConstructorCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Library(Options),
      StopMethods(Options.get("StopMethods", DefaultStopMethods)) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  llvm::StringRef(StopMethods).split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts)
    StopNames.push_back(P.trim().lower());
}

void ThreadInConstructorCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "StopMethods", StopMethods);
  Model.store(Options, Opts);
  Library.store(Options, Opts);
}

void ThreadInConstructorCheck::registerMatchers(MatchFinder *Finder) {
  // Constructors with a body written by the user; the spawn is looked for
  // in their member initialisers and statements, which is cheap.
  Finder->addMatcher(cxxConstructorDecl(isDefinition(), unless(isImplicit()),
                                        unless(isExpansionInSystemHeader()))
                         .bind("ctor"),
                     this);
}

/// stop, Stop, stopAll, shutdown_now, Close: the name starts with one of the
/// stop words, or has one after an underscore or a case change.
bool ThreadInConstructorCheck::isStopName(StringRef Name) const {
  std::string Lower = Name.lower();
  for (const std::string &W : StopNames) {
    size_t Pos = Lower.find(W);
    while (Pos != std::string::npos) {
      if (Pos == 0 || Name[Pos - 1] == '_' ||
          (isUppercase(Name[Pos]) && !isUppercase(Name[Pos - 1])))
        return true;
      Pos = Lower.find(W, Pos + 1);
    }
  }
  return false;
}

bool ThreadInConstructorCheck::hasStopPath(const CXXRecordDecl *RD,
                                           const FieldDecl *Field) const {
  // A destructor that does anything to the object: it is the author's stop
  // path (it may push a poison pill, close a socket the loop blocks on, or
  // join). One that touches no member and no 'this' (it only logs) is not.
  if (const CXXDestructorDecl *Dtor = analysis::destructorOf(RD))
    if (Dtor->isUserProvided()) {
      const FunctionDecl *Def = nullptr;
      if (!Dtor->hasBody(Def) || !Def->getBody())
        return true; // defined elsewhere: cannot tell
      if (analysis::anyInBody(
              Def->getBody(),
              [](const Stmt *N) { return isa<CXXThisExpr>(N); },
              analysis::Lambdas::Enter))
        return true;
    }
  analysis::MemberRelease Release(Field, ConcurrencyModel::handleStopMethods());
  bool Found = false;
  auto Scan = [&](const CXXRecordDecl *C) {
    for (const CXXMethodDecl *M : C->methods()) {
      if (isa<CXXConstructorDecl>(M) || M->isImplicit())
        continue;
      if (M->getDeclName().isIdentifier() && isStopName(M->getName())) {
        Found = true;
        return;
      }
      const FunctionDecl *Def = nullptr;
      if (C != RD || !M->hasBody(Def) || !Def->getBody())
        continue;
      if (Release.releases(M) || raisesSignal(Def->getBody(), Model)) {
        Found = true;
        return;
      }
    }
  };
  Scan(RD);
  if (Found)
    return true;
  // A base class (a service framework) may own the stop.
  RD->forallBases([&](const CXXRecordDecl *Base) {
    if (!Found)
      Scan(Base);
    return !Found;
  });
  return Found;
}

void ThreadInConstructorCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Ctor = Result.Nodes.getNodeAs<CXXConstructorDecl>("ctor");
  const CXXRecordDecl *RD = Ctor ? Ctor->getParent() : nullptr;
  if (!RD || RD->isLambda() || RD->isUnion() || RD->isDependentContext() ||
      !Ctor->getBody())
    return;
  const SourceManager &SM = *Result.SourceManager;

  llvm::SmallVector<Started, 2> Starts;
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    if (!Init->isMemberInitializer() || !Init->isWritten())
      continue;
    if (std::optional<analysis::Spawn> Sp =
            analysis::spawnAt(analysis::peelTemporaries(Init->getInit()), Model))
      Starts.push_back({Init->getMember(), std::move(*Sp)});
  }
  findMemberSpawns(Ctor->getBody(), Model, Starts);
  if (Starts.empty())
    return;

  // A class that befriends another class is a slot its friend owns.
  if (analysis::befriendsOwner(RD))
    return;

  for (const Started &St : Starts) {
    const analysis::Spawn &Sp = St.Spawn;
    // A body handed a stop signal (a jthread body taking its stop_token, a
    // token or flag passed in) can be stopped.
    if (model::handedRoles(Sp.S, Model) & model::StopSignal)
      continue;
    const FunctionDecl *Entry = analysis::entryOf(Sp.S.Callable);
    const Stmt *Loop = runLoop(Entry, *Result.Context, Library);
    if (!Loop) // one-shot work ends by itself (or is not visible)
      continue;
    if (hasStopPath(RD, St.Field))
      continue;
    SourceLocation Loc = SM.getFileLoc(Sp.S.Site->getBeginLoc());
    if (!Reported.insert(Loc).second)
      continue;
    bool Task = Sp.Kind == analysis::SpawnKind::Task;
    diag(Loc, "constructor of '%0' starts a %select{thread|task}1 kept in "
              "'%2' that nothing can ask to stop: '%0' has no destructor, "
              "stop() or shutdown() that signals it")
        << RD->getName() << Task << St.Field->getName();
    diag(SM.getFileLoc(Loop->getBeginLoc()),
         "the %select{thread|task}0 runs this loop for as long as the "
         "process lives",
         DiagnosticIDs::Note)
        << Task;
    diag(Loc,
         "give '%0' a stop path: a std::jthread whose body watches its "
         "std::stop_token, or a stop() that signals the loop and joins, "
         "called from the destructor",
         DiagnosticIDs::Note)
        << RD->getName();
  }
}

} // namespace tether
