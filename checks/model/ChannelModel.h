//===--- ChannelModel.h - what is a channel, and what does a call do to it ===//
//
// Built-in knowledge of channel types (Boost.Fiber's buffered_channel and
// unbuffered_channel, Asio's experimental channel and concurrent_channel in
// both the boost::asio and the standalone asio namespace) and of which member
// functions send, receive and close. Every list is extendable through
// CheckOptions (ChannelTypes, SendMethods, ReceiveMethods, CloseMethods),
// read locally first and then globally, so a codebase teaches tether its own
// Channel<T> once, in .clang-tidy.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_CHANNELMODEL_H
#define TETHER_CHECKS_MODEL_CHANNELMODEL_H

#include "ConcurrencyModel.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

namespace tether::model {

/// What a member function call does to the channel it is called on.
enum class ChannelOp { Other, Send, Receive, Close };

class ChannelModel {
public:
  explicit ChannelModel(clang::tidy::ClangTidyCheck::OptionsView &Options);

  /// Writes the user extensions back (storeOptions must round-trip them).
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;
  /// The options this model was read with (see configKeyOf).
  std::string configKey() const;

  /// Is \p T (cv and references stripped) a channel? Looks at the class, its
  /// bases, and the alias or typedef names \p T was spelled with; a dependent
  /// specialization of a channel template (buffered_channel<T>) is one too.
  bool isChannel(clang::QualType T) const;

  /// Does \p T give access to a channel: the channel itself, a reference, a
  /// pointer, std::reference_wrapper, or a std/boost smart pointer to one?
  bool reachesChannel(clang::QualType T) const;

  /// Send, receive or close, by the method's name (or qualified name).
  ChannelOp classify(llvm::StringRef MethodName,
                     const clang::NamedDecl *Method = nullptr) const;
  ChannelOp classify(const clang::CXXMethodDecl *M) const;

  /// A channel operation that returns on its own, without a value and
  /// without the channel closing: a poll (try_pop, try_receive) or a timed
  /// wait (pop_wait_for, pop_wait_until). A loop on one is not a drain.
  static bool returnsOnItsOwn(const clang::CXXMethodDecl *M);

  /// A receive that throws once the channel is closed instead of returning
  /// a status: Boost.Fiber's value_pop(). A loop on one ends at the close
  /// by the exception.
  static bool throwsWhenClosed(const clang::CXXMethodDecl *M);

  /// Fails the pending operations and leaves the channel open: Asio's
  /// cancel(). Not a close, but it wakes every waiting receiver.
  static bool failsPendingOps(const clang::CXXMethodDecl *M);

  /// Is the class (or one of its bases) a channel?
  bool isChannelClass(const clang::CXXRecordDecl *RD) const;

private:
  bool isChannelName(const clang::NamedDecl *D) const;

  NameList ChannelTypes, SendMethods, ReceiveMethods, CloseMethods;
  llvm::StringSet<> TypeSet, SendSet, ReceiveSet, CloseSet;
  mutable llvm::DenseMap<const clang::Decl *, bool> ClassCache;
  mutable llvm::DenseMap<const clang::Type *, bool> TypeCache;
  mutable llvm::DenseMap<const clang::Type *, bool> ReachCache;
};

} // namespace tether::model

#endif
