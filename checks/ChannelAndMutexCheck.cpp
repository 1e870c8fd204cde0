//===--- ChannelAndMutexCheck.cpp -----------------------------------------===//

#include "ChannelAndMutexCheck.h"
#include "analysis/Matchers.h"
#include "model/StdLibrary.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace tether {

ChannelAndMutexCheck::ChannelAndMutexCheck(StringRef Name,
                                           tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Model(Options), Stop(Options),
      LockTypes{"LockTypes", {}, {}} {
  LockTypes.UserValue = Options.getLocalOrGlobal(LockTypes.OptionName, "");
  for (const std::string &N : LockTypes.all())
    LockSet.insert(N);
}

void ChannelAndMutexCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Model.store(Options, Opts);
  Stop.store(Options, Opts);
  Options.store(Opts, LockTypes.OptionName, LockTypes.UserValue);
}

void ChannelAndMutexCheck::registerMatchers(MatchFinder *Finder) {
  analysis::ChannelFunctions::registerMatchers(Finder, this, Model);
}

void ChannelAndMutexCheck::check(const MatchFinder::MatchResult &Result) {
  SM = Result.SourceManager;
  Context = Result.Context;
  analysis::ChannelFunctions::of(*Context, Model).handle(Result);
}

bool ChannelAndMutexCheck::isLock(QualType T) const {
  if (Stop.isLockType(T))
    return true;
  if (LockSet.empty())
    return false;
  const CXXRecordDecl *RD =
      T.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() &&
         LockSet.contains(model::canonicalName(RD));
}

llvm::ArrayRef<analysis::LockedMention>
ChannelAndMutexCheck::lockedIn(const FunctionDecl *FD) {
  auto &Slot = Locked[FD];
  if (!Slot) {
    Slot = std::make_unique<llvm::SmallVector<analysis::LockedMention, 4>>();
    if (const FunctionDecl *Def = FD->getDefinition(); Def && Def->hasBody())
      analysis::collectLockedMentions(
          Def->getBody(), [this](QualType T) { return isLock(T); }, *Slot);
  }
  return *Slot;
}

namespace {

/// Written inside a template, or inside a channel class (its own mutex is
/// the channel's business, not the user's).
bool skipContext(const DeclContext *DC, const model::ChannelModel &Model) {
  if (analysis::inTemplate(DC))
    return true;
  for (; DC; DC = DC->getParent())
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC);
        RD && Model.isChannelClass(RD))
      return true;
  return false;
}

/// A copy of it still shares the pointee: a pointer, a shared_ptr.
bool sharesOnCopy(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    return true;
  return model::isSharedOwner(T.getCanonicalType()->getAsCXXRecordDecl());
}

/// The body and every lambda written in it, a few levels deep.
void withLambdas(const FunctionDecl *FD, analysis::ChannelUseIndex &Index,
                 llvm::SmallVectorImpl<const FunctionDecl *> &Out,
                 unsigned Depth = 0) {
  if (!FD || Depth > 3)
    return;
  Out.push_back(FD);
  if (const analysis::FunctionChannelUses *U = Index.uses(FD))
    for (const FunctionDecl *L : U->Lambdas)
      withLambdas(L, Index, Out, Depth + 1);
}

/// The class a body belongs to (through the lambdas it sits in).
const CXXRecordDecl *classOf(const FunctionDecl *FD) {
  const DeclContext *DC = FD;
  for (unsigned Steps = 0; DC && Steps < 16; ++Steps, DC = DC->getParent())
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC); RD && !RD->isLambda())
      return RD;
  return nullptr;
}

} // namespace

void ChannelAndMutexCheck::onEndOfTranslationUnit() {
  if (!SM || !Context) {
    Locked.clear();
    return;
  }
  const analysis::ChannelFunctions &Functions =
      analysis::ChannelFunctions::of(*Context, Model);
  analysis::ChannelUseIndex &Index =
      analysis::ChannelUseIndex::of(*Context, Model);
  llvm::DenseSet<SourceLocation> Reported;
  llvm::DenseMap<const CXXRecordDecl *,
                 llvm::SmallVector<const FunctionDecl *, 8>>
      ClassBodies;
  auto BodiesOf = [&](const CXXRecordDecl *C)
      -> llvm::ArrayRef<const FunctionDecl *> {
    auto It = ClassBodies.find(C);
    if (It != ClassBodies.end())
      return It->second;
    auto &List = ClassBodies[C];
    for (const CXXMethodDecl *M : C->methods())
      if (const FunctionDecl *Def = M->getDefinition(); Def && Def->hasBody())
        withLambdas(Def, Index, List);
    return List;
  };

  for (const FunctionDecl *Fn : Functions.candidates()) {
    if (skipContext(Fn, Model))
      continue;
    const analysis::FunctionChannelUses *U = Index.uses(Fn);
    if (!U)
      continue;
    for (const auto &[Key, Uses] : U->Uses) {
      for (const analysis::ChannelUse &Use : Uses) {
        if (Use.Kind != analysis::ChannelUseKind::Send)
          continue;
        const auto *Call = dyn_cast_or_null<CallExpr>(Use.Site);
        if (!Call)
          continue;
        for (const Expr *Arg : Call->arguments()) {
          const Expr *Mention = nullptr;
          bool Copied = true;
          std::optional<analysis::ChannelKey> D =
              analysis::namedObject(Arg, &Mention, &Copied);
          if (!D || *D == Key || (D->first && D->second))
            continue;
          const ValueDecl *Data =
              D->second ? static_cast<const ValueDecl *>(D->second) : D->first;
          QualType T = Data->getType();
          if (Model.reachesChannel(T) || isLock(T))
            continue;
          bool HandsOver = !Copied || sharesOnCopy(T);

          // Where the data lives decides where to look for the lock.
          llvm::SmallVector<const FunctionDecl *, 8> Bodies;
          const FunctionDecl *Skip = nullptr;
          if (D->second) {
            const auto *C = dyn_cast<CXXRecordDecl>(D->second->getParent());
            if (!C || Model.isChannelClass(C))
              continue;
            llvm::append_range(Bodies, BodiesOf(C));
          } else if (const auto *V = dyn_cast<VarDecl>(D->first)) {
            if (isa<ParmVarDecl>(V))
              continue;
            if (V->hasLocalStorage()) {
              // A local is shared only with the lambdas its function
              // writes; in the sending body itself it is a snapshot.
              const auto *Owner = dyn_cast<FunctionDecl>(V->getDeclContext());
              if (!Owner)
                continue;
              withLambdas(Owner, Index, Bodies);
              Skip = Fn;
            } else if (const CXXRecordDecl *C = classOf(Fn)) {
              llvm::append_range(Bodies, BodiesOf(C));
            } else {
              withLambdas(Fn, Index, Bodies);
            }
          } else {
            continue;
          }

          // A copy taken while the lock is held is a snapshot.
          bool SendLocked = false;
          for (const analysis::LockedMention &LM : lockedIn(Fn))
            if (LM.Mention == Mention)
              SendLocked = true;
          if (SendLocked && !HandsOver)
            continue;

          const analysis::LockedMention *Access = nullptr;
          for (const FunctionDecl *B : Bodies) {
            if (B == Skip)
              continue;
            for (const analysis::LockedMention &LM : lockedIn(B))
              if (LM.Key == *D && LM.Mention != Mention) {
                Access = &LM;
                break;
              }
            if (Access)
              break;
          }
          if (!Access)
            continue;
          SourceLocation Loc = SM->getFileLoc(Use.Loc);
          if (!Reported.insert(Loc).second)
            continue;
          std::string Name = analysis::channelName(*D);
          diag(Loc, "'%0' is sent through '%1' and also accessed while a "
                    "lock is held: two owners for one piece of data, and the "
                    "lock does not guard what the receiver does with it")
              << Name << analysis::channelName(Key);
          diag(SM->getFileLoc(Access->Mention->getExprLoc()),
               "'%0' is accessed here while a lock is held",
               DiagnosticIDs::Note)
              << Name;
          diag(Loc,
               "pick one owner for this data: either the channel hands it "
               "over (and the sender stops touching it) or the mutex guards "
               "it (and it is not sent)",
               DiagnosticIDs::Note);
        }
      }
    }
  }
  SM = nullptr;
  Context = nullptr;
  Locked.clear();
}

} // namespace tether
