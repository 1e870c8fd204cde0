//===--- Occupancy.h - counters of who is inside, not of tasks ------------===//
//
// `++inside; ... --inside;` in one function counts who is in a region (a
// lightswitch, a reader count, the holders of a hand-made semaphore): the
// same code enters and leaves. A wait for such a count to reach zero is an
// admission gate, not a wait for a set of tasks to finish, which is what a
// counter the spawner counts up and each task counts down is.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_OCCUPANCY_H
#define TETHER_CHECKS_ANALYSIS_OCCUPANCY_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/ArrayRef.h"

namespace tether::analysis {

/// Every decrement of \p Counter in \p Decrements follows an increment of it
/// in the same function (or lambda): the counter counts occupants.
bool countsOccupants(const clang::ValueDecl *Counter,
                     llvm::ArrayRef<const clang::Expr *> Decrements,
                     clang::ASTContext &Ctx);

} // namespace tether::analysis

#endif
