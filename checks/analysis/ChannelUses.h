//===--- ChannelUses.h - what a function does with each channel -----------===//
//
// For one function (or lambda) body: which channels does it send to,
// receive from, close, hand to a callee or a new thread, or let escape? A
// channel is named by a ChannelKey: a variable (local, parameter, or one a
// lambda captures: the lambda's mentions name the captured variable itself),
// a member reached through `this`, or a member of a named object. Local
// references and pointers initialised from a channel are aliases of it.
//
// ChannelFunctions finds the bodies worth classifying without walking the
// TU: the checks match only mentions of channel-typed variables and members,
// and the functions are recorded as the matcher passes them (source order),
// so the enclosing body of a mention is the innermost recorded one.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_CHANNELUSES_H
#define TETHER_CHECKS_ANALYSIS_CHANNELUSES_H

#include "../model/ChannelModel.h"
#include "AnalysisCache.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <optional>
#include <string>

namespace tether::analysis {

/// (variable, member): {v, null} a variable, {null, f} this->f, {v, f} v.f.
using ChannelKey = std::pair<const clang::ValueDecl *, const clang::FieldDecl *>;

std::string channelName(const ChannelKey &K);

enum class ChannelUseKind {
  Send,
  Receive,
  Close,
  Call,    ///< passed to a callee that runs on this thread
  Spawn,   ///< passed to a new thread, fiber or task running Callee
  Escape,  ///< stored, returned, passed somewhere unknown
  Observe, ///< a query (is_closed, capacity), a null test, (void)ch
};

struct ChannelUse {
  ChannelUseKind Kind;
  clang::SourceLocation Loc;
  const clang::FunctionDecl *Callee = nullptr; ///< for Call and Spawn
  unsigned Param = 0;                          ///< the callee's parameter
  /// For Send, Receive and Close: the member call that does it (or the
  /// range-for that receives).
  const clang::Stmt *Site = nullptr;
  /// The innermost loop of this body around the use (null if none).
  const clang::Stmt *Loop = nullptr;
};

/// What a channel meets across a body, the lambdas it writes and the
/// callees and threads it is handed to (each with a visible body).
struct ChannelReach {
  clang::SourceLocation FirstSend;  ///< a send seen anywhere (invalid: none)
  clang::SourceLocation FirstClose; ///< a close seen anywhere (invalid: none)
  /// A call that fails the pending operations without closing (Asio's
  /// cancel()): a receive loop that stops on any error ends there too.
  clang::SourceLocation FirstCancel;
  /// It escapes, or is handed to a callee whose body is not visible (or
  /// that is variadic, or too deep to follow): the picture is incomplete.
  bool Opaque = false;
};

struct FunctionChannelUses {
  llvm::MapVector<ChannelKey, llvm::SmallVector<ChannelUse, 4>> Uses;
  /// Call operators of the lambdas written in this body (not entered).
  llvm::SmallVector<const clang::FunctionDecl *, 2> Lambdas;
  /// Functions this body calls directly (for "the destructor calls stop()").
  llvm::SmallVector<const clang::FunctionDecl *, 4> Callees;
};

/// Classifies and memoises the channel uses of function bodies, and answers
/// the questions the channel checks ask across calls and lambdas. Shared by
/// every check of the translation unit whose ChannelModel has the same
/// configuration.
class ChannelUseIndex : public SharedAnalysis {
public:
  static const char ID;
  /// The index of \p Ctx's translation unit for \p Model's options.
  static ChannelUseIndex &of(const clang::ASTContext &Ctx,
                             const model::ChannelModel &Model);
  ChannelUseIndex(const model::ChannelModel &Model,
                  const clang::SourceManager &SM)
      : Model(Model), SM(SM) {}

  /// Null when \p FD has no body in this TU.
  const FunctionChannelUses *uses(const clang::FunctionDecl *FD);

  /// May a value be sent to \p K by \p FD, directly, through a callee or a
  /// lambda it writes, or through an escape the analysis cannot follow?
  bool mayFeed(const clang::FunctionDecl *FD, const ChannelKey &K,
               unsigned Depth = 0);
  /// Does \p FD (or a lambda it writes) receive from \p K directly?
  bool receivesInTree(const clang::FunctionDecl *FD, const ChannelKey &K,
                      unsigned Depth = 0);
  /// Where \p FD closes \p K on its own thread: directly, or through a callee
  /// it calls (then the call). Invalid if it does not. A close after a drain
  /// \p FD always runs does not count: the channel is closed by then.
  clang::SourceLocation closesSync(const clang::FunctionDecl *FD,
                                   const ChannelKey &K, unsigned Depth = 0);
  /// Every send, close and escape of \p K in \p FD, the lambdas it writes,
  /// and the callees and threads it hands \p K to. Results accumulate in
  /// \p Out, so several bodies (the methods of a class) can share one.
  void reach(const clang::FunctionDecl *FD, const ChannelKey &K,
             ChannelReach &Out, unsigned Depth = 0);
  /// Is \p K closed anywhere \p FD's tree can reach (see reach())?
  bool closesAnywhere(const clang::FunctionDecl *FD, const ChannelKey &K) {
    ChannelReach R;
    reach(FD, K, R);
    return R.FirstClose.isValid();
  }
  /// Does \p From call \p To, directly or through up to three calls?
  bool calls(const clang::FunctionDecl *From, const clang::FunctionDecl *To,
             unsigned Depth = 0);

  /// For a Call or Spawn use: the callee's parameter the channel becomes,
  /// when the callee is one the analysis follows (not variadic, not a
  /// library function, which may store or hand on the channel in ways not
  /// followed here).
  std::optional<ChannelKey> handedOn(const ChannelUse &Use) const;

  /// The key of parameter \p I of \p FD's definition (null if none).
  static std::optional<ChannelKey> paramKey(const clang::FunctionDecl *FD,
                                            unsigned I);

  bool before(clang::SourceLocation A, clang::SourceLocation B) const;

private:
  const model::ChannelModel Model; ///< a copy: it outlives no check
  const clang::SourceManager &SM;
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::unique_ptr<FunctionChannelUses>>
      Memo;
};

/// The variable or member \p E names once &, *, std::move, std::ref and
/// copies are looked through: the data a send hands over (`ch.push(data_)`,
/// `ch.push(std::move(v))`, `ch.push(&buf)`). None for anything computed.
/// \p Mention receives the DeclRefExpr or MemberExpr; \p Copied is set when
/// nothing on the way hands over the object itself (no &, std::move,
/// std::ref): the callee gets a copy.
std::optional<ChannelKey> namedObject(const clang::Expr *E,
                                      const clang::Expr **Mention = nullptr,
                                      bool *Copied = nullptr);

/// Records, as the matchers pass them, the bodies that mention a channel.
/// Every channel check registers the same matchers (function definitions and
/// lambdas, not every mention: those are the commonest nodes of a unit); the
/// checks whose ChannelModel has the same configuration share one record,
/// and a body handed in by several of them is walked once.
class ChannelFunctions : public SharedAnalysis {
public:
  static const char ID;
  /// The record of \p Ctx's translation unit for \p Model's options.
  static ChannelFunctions &of(const clang::ASTContext &Ctx,
                              const model::ChannelModel &Model);
  explicit ChannelFunctions(const model::ChannelModel &Model) : Model(Model) {}
  /// Adds the matchers: function definitions and lambdas written outside
  /// system headers.
  static void registerMatchers(clang::ast_matchers::MatchFinder *Finder,
                               clang::ast_matchers::MatchFinder::MatchCallback *CB,
                               const model::ChannelModel &Model);
  /// Returns true if the match was one of ours.
  bool handle(const clang::ast_matchers::MatchFinder::MatchResult &Result);
  /// Bodies that mention a channel, in source order.
  llvm::ArrayRef<const clang::FunctionDecl *> candidates() const {
    return Candidates.getArrayRef();
  }

private:
  /// Some variable or member \p S mentions (not in the lambdas written in
  /// it: they are bodies of their own) holds or reaches a channel.
  bool mentionsChannel(const clang::Stmt *S) const;

  const model::ChannelModel Model; ///< a copy: it outlives no check
  llvm::SetVector<const clang::FunctionDecl *> Candidates;
  /// The node handled last: the next check's match of it is a repeat.
  const void *Last = nullptr;
};

} // namespace tether::analysis

#endif
