//===--- StdLibrary.h - the general-purpose library API checks ask about --===//
//
// The one peel: the AST nodes clang puts around the expression that makes a
// value (parens, implicit casts, temporaries, cleanups), and the library calls
// that hand the same object on (std::move, std::ref). Every check and
// analysis looks through them here, the same way. And the rest of the
// standard library (and Boost) a concurrency check meets that is not about
// threads: containers' size and add methods, fixed-size ranges, atomics,
// shared owners. Checks ask these questions; they do not spell the names.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_STDLIBRARY_H
#define TETHER_CHECKS_MODEL_STDLIBRARY_H

#include "llvm/ADT/StringRef.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include <optional>

namespace tether::model {

/// Looks through parens, implicit casts, temporaries, functional casts,
/// cleanups and `(void)` casts to the expression that makes the value.
const clang::Expr *peelWrappers(const clang::Expr *E);

/// peelWrappers, and also through copy and move constructions.
const clang::Expr *peelTemporaries(const clang::Expr *E);

/// std::move(x) or std::forward<T>(x) (any function of those names with one
/// argument): the same object, handed on as an rvalue.
bool passesObjectThrough(const clang::CallExpr *Call);

/// A standard library call whose result is its argument itself, not a new
/// value: std::ref, std::cref, std::move, std::forward, std::addressof,
/// std::as_const.
bool isTransparentCall(const clang::FunctionDecl *FD);

/// std::make_shared, std::make_unique, std::allocate_shared (and any
/// function of those names): a new object the caller owns.
bool makesOwnedObject(const clang::FunctionDecl *FD);

/// std::ref(x), std::cref(x) (any function of those names, one argument):
/// x itself is shared with whoever gets the wrapper.
bool passesReference(const clang::CallExpr *Call);

/// std::move, std::forward, std::exchange, std::swap: ownership of the
/// argument goes wherever the result (or the other side) goes.
bool transfersOwnership(const clang::FunctionDecl *FD);

/// For emplace (1: the position), emplace_back and emplace_front (0): how
/// many arguments come before those the element is constructed from. None
/// for a method that does not construct in place.
std::optional<unsigned> emplacePositionArgs(const clang::FunctionDecl *FD);

/// The object a member call is made on (`q.pop()`, `*it` for an operator,
/// `q.pop()` in a template pattern), or null when it is no member call.
const clang::Expr *objectOf(const clang::CallExpr *Call);

/// The name a call spells for its callee: the function's, or in a template
/// pattern the member it names. Empty when neither has an identifier.
llvm::StringRef spelledCallee(const clang::CallExpr *Call);

/// The method of the object's own class that \p Call calls on `this`
/// (`stop()`, `this->stop()`), also in a template pattern, where such a
/// call is a plain call of a member expression until instantiation; or
/// null.
const clang::CXXMethodDecl *ownMethodCalled(const clang::CallExpr *Call);

/// The function \p E names where a callable is handed over (`f`, `&f`,
/// `&C::f`): the reference, or null.
const clang::DeclRefExpr *functionReference(const clang::Expr *E);

/// The callable a std::bind or boost::bind call binds, the function that
/// runs when the result is called (`std::bind(&session::run, self)`,
/// `std::bind([](chan_ptr &c) { ... }, chan)`), also in a template pattern
/// before the call resolves. Null for anything else.
const clang::Expr *boundCallable(const clang::Expr *E);

/// The arguments written at \p Call: clang adds the defaulted ones (Asio's
/// initiating functions end in defaulted constraint parameters), which the
/// source does not spell.
unsigned writtenArgCount(const clang::CallExpr *Call);

/// The container a size query is about: c.size(), c.length(), c.end(),
/// c.cend(), std::size(c), std::end(c). Null for anything else.
const clang::Expr *sizedContainer(const clang::Expr *E);

/// std::array, std::initializer_list, std::span: a range whose length is
/// fixed where it is written.
bool isFixedSizeRange(const clang::CXXRecordDecl *RD);

/// The element count a container local is given where it is made or
/// resized: `std::vector<T> v(n)`, `v.resize(n)`, `v.assign(n, x)`; null
/// when its size is not set that way in the function that declares it.
const clang::Expr *sizeGivenTo(const clang::VarDecl *Container);

/// \p D has a plain identifier name, and it is one of \p Names.
bool isNamedAnyOf(const clang::NamedDecl *D,
                  std::initializer_list<llvm::StringRef> Names);

/// The class (with its definition) declares a method named \p Name.
bool hasMethodNamed(const clang::CXXRecordDecl *RD, llvm::StringRef Name);

/// The first template argument of a class template specialization, when
/// it is a type (the T of vector<T>, the policy of scoped_thread<P>).
clang::QualType firstTypeArgument(const clang::CXXRecordDecl *RD);

/// A string, a view, a map or set, an optional or a span (also through a
/// reference or pointer): data, not a queue another thread feeds.
bool isDataNotQueue(clang::QualType T);

/// std::atomic<T> itself (not atomic_ref, atomic_flag or Boost's).
bool isStdAtomic(const clang::CXXRecordDecl *RD);

/// x.load(): the value an atomic (or anything with a load()) holds now.
bool isLoad(const clang::CXXMethodDecl *M);

/// clock::now(), steady_clock::now(), a project's clock_.now(): a read of
/// the time (a call of a function named now).
bool isClockRead(const clang::CallExpr *Call);

/// std::shared_ptr, boost::shared_ptr: a copy shares the object.
bool isSharedOwner(const clang::CXXRecordDecl *RD);

/// A handle to one object of its first template argument, which it points
/// to or refers to: std::shared_ptr, boost::shared_ptr, std::unique_ptr,
/// std::weak_ptr, std::reference_wrapper.
bool isSingleObjectHandle(const clang::CXXRecordDecl *RD);

/// A name canonicalName spells in the std namespace.
inline bool isStdName(llvm::StringRef Qualified) {
  return Qualified.starts_with("std::");
}

/// sp.get() on a smart pointer: the object it points to.
bool isPointerGet(const clang::CXXMethodDecl *M);

/// std::async itself (the spawner whose future waits in its destructor).
bool isStdAsync(const clang::FunctionDecl *FD);

/// The words of an identifier, lower-cased: split at underscores and where
/// a lower-case letter or digit meets an upper-case one (tryWait, try_wait
/// -> try, wait).
llvm::SmallVector<std::string, 4> identifierWords(llvm::StringRef N);

/// A class type (after references) that declares an operator(): a lambda,
/// a function object, std::function.
bool hasCallOperator(clang::QualType T);

/// \p E can be called: a function, a function or member function pointer,
/// or an object of a class with an operator().
bool isCallableExpr(const clang::Expr *E);

/// A callable whose work is decided elsewhere: std::function,
/// std::move_only_function, std::copyable_function, boost::function, a
/// packaged task, or a class whose operator() is virtual (a task
/// interface: the object's dynamic type decides).
bool isTypeErasedCallable(clang::QualType T);

/// std::packaged_task, boost::packaged_task, boost::fibers::packaged_task:
/// work whose result and exception go to the future taken from it.
bool isPackagedTask(clang::QualType T);

/// The argument is std::launch::async: the task runs on a new thread now.
bool isAsyncLaunchPolicy(const clang::Expr *E);

/// How a fix spells the joining thread type.
inline constexpr llvm::StringLiteral JoiningThreadSpelling = "std::jthread";

} // namespace tether::model

#endif
