//===--- ExceptionModel.h - what throws, catches, logs and reports --------===//
//
// The exception half of the model: library calls that throw through helpers
// clang cannot see into, exceptions that end a thread cleanly, what a
// catch-all catches, and the calls that write a failure down or hand it on.
// The lists are built in; the checks that read them extend them through
// their CheckOptions (ThrowingFunctions, IgnoredExceptions, CaughtTypes,
// LoggingFunctions, ReportingFunctions).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_EXCEPTIONMODEL_H
#define TETHER_CHECKS_MODEL_EXCEPTIONMODEL_H

#include "ConcurrencyModel.h"
#include "StdLibrary.h"
#include <optional>

namespace tether::model {

/// Library calls that throw through helpers clang cannot see into.
NameList throwingFunctions();

/// What a library call throws and on what: `std::stoi` throws
/// std::invalid_argument or std::out_of_range when its text is not a number.
struct ThrowReason {
  std::string Thrown; ///< the exception types, or empty when many
  std::string When;   ///< the runtime condition, as a clause
};

/// Why \p Call throws on the data or the environment it meets, when it is a
/// library call that does: one of \p Known (throwingFunctions() and the
/// user's additions; number parsing, checked access, future::get), or an
/// operation of a library that reports failure through a std::error_code
/// overload and was called without it (std::filesystem, Asio,
/// Boost.Filesystem). io_context's run/poll family is not one: it only
/// passes on what handlers throw.
std::optional<ThrowReason> libraryThrowOf(const clang::CallExpr *Call,
                                          llvm::ArrayRef<std::string> Known);

/// Exceptions that end a thread without std::terminate: Boost.Thread's
/// entry catches thread_interrupted (that is how interrupt() stops it), and
/// a stackful coroutine's forced_unwind (how its stack is unwound when it
/// is destroyed; a handler must rethrow it).
NameList ignoredExceptions();

/// What a handler must catch to count as a catch-all (with catch (...)).
NameList caughtTypes();

/// Does handler \p C catch what a failed I/O operation throws
/// (std::system_error, boost::system::system_error, or a base of theirs:
/// std::runtime_error, std::exception; or everything)?
bool catchesOperationFailure(const clang::CXXCatchStmt *C);

/// Does handler \p C catch whatever code throws: `catch (...)`, or a
/// built-in caughtTypes() catch-all (std::exception, what the library and
/// nearly all code throw)?
bool catchesAnyFailure(const clang::CXXCatchStmt *C);

/// Calls that write the failure somewhere a person or a log collector sees.
NameList loggingFunctions();

/// Calls that hand the failure on: rethrow, store, or end the process.
NameList reportingFunctions();

/// std::exception_ptr: a stored exception, handed on to whoever reads it.
bool isExceptionPtr(clang::QualType T);

/// e.what(): the message of the exception a handler caught.
bool readsExceptionMessage(const clang::CXXMemberCallExpr *Call);

/// A best-effort teardown call whose failure nobody needs to learn of:
/// close, shutdown, cancel, stop, disconnect, unlock, release, flush, join,
/// remove, unlink, reset.
bool isTeardownCall(const clang::FunctionDecl *FD);

} // namespace tether::model

#endif
