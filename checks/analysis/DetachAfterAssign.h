//===--- DetachAfterAssign.h - work assigned to a handle, then detached ---===//
//
// `fiber_ = boost::fibers::fiber(f); fiber_.detach();`: a handle (a member
// or a local) given new work and detached by the next statements of the
// same block. The detach lets go of exactly that work, so the work is what
// the detach is judged by; and a member that is detached after every
// assignment never holds joinable work when its object is destroyed.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_DETACHAFTERASSIGN_H
#define TETHER_CHECKS_ANALYSIS_DETACHAFTERASSIGN_H

#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"

namespace tether::analysis {

/// The handle (variable or member) the statement \p S assigns (`h = ...`,
/// also through an overloaded operator=), with the assigned value in
/// \p Value when asked; null when \p S is no plain assignment.
const clang::ValueDecl *assignedHandle(const clang::Stmt *S,
                                       const clang::Expr **Value = nullptr);

/// \p S is a statement `h.detach()` on a thread or fiber handle: the call,
/// or null.
const clang::CXXMemberCallExpr *detachStatement(const clang::Stmt *S);

/// The construction last assigned to the handle the statement at \p Index
/// of \p Block detaches, by an earlier statement of the block with nothing
/// naming the handle in between; null when there is none.
const clang::Expr *constructionDetachedAt(const clang::CompoundStmt *Block,
                                          unsigned Index);

/// Every assignment of \p Field in its class's member functions is followed
/// at once by its detach(), and there is one: the member never holds
/// joinable work. False when a constructor initialises it with work.
bool detachedAfterEveryAssignment(const clang::FieldDecl *Field);

/// The class's member functions (and member templates) never give \p Field
/// work: neither its declaration nor a constructor initialises it, and
/// they name it only to ask or end what it holds (`joinable()`, `join()`,
/// `detach()`, `get_id()`). A default-constructed handle nothing assigns is
/// never joinable (an event loop whose thread member was declared and never
/// started). The caller makes sure nothing outside the class can reach the
/// member.
bool neverGivenWork(const clang::FieldDecl *Field);

} // namespace tether::analysis

#endif
