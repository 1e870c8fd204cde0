//===--- MemberWork.h - the work a class runs on its own member -----------===//
//
// A class that owns a thread or a pool as a member starts work on it from
// its own member functions: a thread constructed in the member's
// initialiser or assigned to it, a handler posted to the pool. This finds
// that work and the members of the class it touches through `this`, for
// questions such as "is a member the work uses destroyed before the member
// that runs the work joins it?".
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_MEMBERWORK_H
#define TETHER_CHECKS_ANALYSIS_MEMBERWORK_H

#include "../model/ConcurrencyModel.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace tether::analysis {

struct MemberWork {
  /// Where the work is handed to the member: the initialiser, the
  /// assignment, the asio::post call.
  const clang::Stmt *Start = nullptr;
  /// The function that runs as the work: a lambda's call operator or a
  /// member function of the class.
  const clang::FunctionDecl *Body = nullptr;
};

/// The work \p RD's constructors and member functions start on \p Field.
/// Work whose body is not visible (std::bind, a function pointer held in a
/// variable) is left out.
llvm::SmallVector<MemberWork, 2>
workStartedOn(const clang::FieldDecl *Field, const clang::CXXRecordDecl *RD,
              const model::ConcurrencyModel &Model);

/// The fields of \p RD that \p Body names through `this`, each with its
/// first use; member functions of \p RD it calls are followed two levels.
void fieldsUsedBy(const clang::FunctionDecl *Body,
                  const clang::CXXRecordDecl *RD,
                  llvm::DenseMap<const clang::FieldDecl *, const clang::Expr *>
                      &Out);

} // namespace tether::analysis

#endif
