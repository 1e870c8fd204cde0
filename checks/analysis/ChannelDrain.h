//===--- ChannelDrain.h - does a receive loop run until the channel closes? ===//
//
// A drain: a loop that receives from a channel until the channel is closed
// and for no other reason (`for (auto v : ch)`, `while (ch.pop(v) ==
// success)`, `for (;;) { auto [ec, v] = co_await ch.async_receive(...);
// if (ec) break; }`, a completion handler that re-arms its receive until the
// receive fails). Who drains waits for a close; a close after the drain
// finds the channel closed already.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_CHANNELDRAIN_H
#define TETHER_CHECKS_ANALYSIS_CHANNELDRAIN_H

#include "ChannelUses.h"
#include "../model/ChannelModel.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/ArrayRef.h"

namespace tether::analysis {

/// The receive \p Use of \p Fn is a drain: its loop (or chain of re-armed
/// handlers) ends only when the channel is closed.
bool drainsUntilClosed(const ChannelUse &Use, const clang::FunctionDecl *Fn,
                       const clang::ASTContext &Ctx);

/// The close \p Close of \p Fn comes after a drain of the same channel that
/// \p Fn always runs (\p Uses: \p Fn's uses of that channel): when control
/// reaches it the channel is closed already, so it cuts off no sender (a
/// consumer's redundant `close()` after `for (auto v : ch)`).
bool closedWhenReached(const ChannelUse &Close, llvm::ArrayRef<ChannelUse> Uses,
                       const clang::FunctionDecl *Fn,
                       const clang::ASTContext &Ctx);

/// \p Loop leaves on a test of a message it received: the message comes
/// from a channel's receive (`auto m = ch.value_pop();`, `ch.pop(m);`) or
/// from a function of the project that receives from the channel it is
/// handed and returns (`auto x = recv(*src);`), and an exit of the loop is
/// guarded by a test of it (`if (x.type == FINISH) break;`). The sender ends
/// the loop in-band, with a poison pill, as a closer ends a drain. A channel
/// that is a local of the loop's function, by value, has no other sender and
/// does not count.
bool endsOnMessage(const clang::Stmt *Loop,
                   const model::ChannelModel &Channels);

} // namespace tether::analysis

#endif
