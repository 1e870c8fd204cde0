//===--- MemberRelease.h - does a method discharge a member handle? -------===//
//
// For a class that owns a handle member (a thread, a container of threads),
// answers: does this member function join it, hand it on, or call a member
// function of the class that does (stop(), shutdown(), ...)? Calls the
// analysis cannot see into (no body in this TU, virtual) count as joining:
// precision over recall.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_MEMBERRELEASE_H
#define TETHER_CHECKS_ANALYSIS_MEMBERRELEASE_H

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace tether::analysis {

class MemberRelease {
public:
  MemberRelease(const clang::FieldDecl *Field,
                llvm::ArrayRef<llvm::StringRef> ReleaseMethods)
      : Field(Field), ReleaseMethods(ReleaseMethods) {}

  /// Does \p Method release the field on some path, directly or through
  /// member functions of the same object it calls?
  bool releases(const clang::CXXMethodDecl *Method, unsigned Depth = 0);

  /// Is every use of the field in \p Method one that a std::jthread also
  /// supports with the same meaning (join, joinable, get_id, ...)?
  bool onlyJoinLikeUses(const clang::CXXMethodDecl *Method) const;

private:
  bool releasesIn(const clang::Stmt *S, unsigned Depth);
  const clang::FieldDecl *Field;
  llvm::ArrayRef<llvm::StringRef> ReleaseMethods;
  llvm::DenseMap<const clang::CXXMethodDecl *, bool> Memo;
};

/// The class's declared destructor, also in a class template's pattern
/// (where CXXRecordDecl::getDestructor's lookup finds nothing in clang 22).
const clang::CXXDestructorDecl *destructorOf(const clang::CXXRecordDecl *RD);

/// Some member function the class declares (not pure, defaulted or
/// deleted) has no body in this translation unit: its code is in another
/// file, which is where what the class does with its members can be read.
bool hasMethodsDefinedElsewhere(const clang::CXXRecordDecl *RD);

/// The class befriends another class (not one nested in it, nor a base it
/// derives from): its handles are slots the friend (a pool, an executor)
/// starts and joins through it.
bool befriendsOwner(const clang::CXXRecordDecl *RD);

/// \p RD is a nested class only its enclosing class can name (private or
/// protected), and the enclosing class's destructor calls a method of it
/// that \p Joins accepts, directly or through the enclosing class's own
/// member functions (two levels): `~Scheduler() { Stop(); }` with Stop()
/// calling `worker->Join()` on each. The enclosing class is the only owner
/// its objects have, and it does remember to join them.
bool joinedByEnclosingClass(
    const clang::CXXRecordDecl *RD,
    llvm::function_ref<bool(const clang::CXXMethodDecl *)> Joins);

/// The field an expression reaches: this->f, f[i], *f, f->..., f.value().
const clang::FieldDecl *rootField(const clang::Expr *E);

} // namespace tether::analysis

#endif
