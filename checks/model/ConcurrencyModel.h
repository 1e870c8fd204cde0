//===--- ConcurrencyModel.h - what is a thread, a future, a stop signal ---===//
//
// Checks ask the model what a type or a call *is*; they never spell library
// type names themselves. Every list is built in and extendable through
// CheckOptions (';'-separated qualified names), read locally first and then
// globally, so a codebase can teach tether its own thread or pool type once.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_CONCURRENCYMODEL_H
#define TETHER_CHECKS_MODEL_CONCURRENCYMODEL_H

#include "ClangTidyCheck.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace tether::model {

/// What a class can be to tether. A class can play several roles.
enum Role : unsigned {
  NoRole = 0,
  Thread = 1u << 0,           ///< owns an OS thread that must be joined
  JoiningThread = 1u << 1,    ///< a thread that joins itself on destruction
  Future = 1u << 2,           ///< handle to a task's result and exception
  StopSignal = 1u << 3,       ///< lets an owner ask a task to stop
  CompletionSignal = 1u << 4, ///< lets a task tell its owner it finished
};

/// One configurable list: the built-in names plus what the user added.
struct NameList {
  llvm::StringRef OptionName;
  std::vector<std::string> BuiltIn;
  std::string UserValue; ///< as written in CheckOptions, round-tripped
  std::vector<std::string> all() const;
};

class ConcurrencyModel {
public:
  /// Reads every list's user extension from \p Options.
  explicit ConcurrencyModel(clang::tidy::ClangTidyCheck::OptionsView &Options);

  /// Writes the user extensions back (storeOptions must round-trip them).
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;

  // --- What is this type? -------------------------------------------------
  /// Roles of the class named by \p T (references and cv stripped; pointers,
  /// smart pointers and reference_wrapper are *not* looked through).
  unsigned rolesOf(clang::QualType T) const;
  unsigned rolesOf(const clang::CXXRecordDecl *RD) const;
  bool isThread(clang::QualType T) const { return rolesOf(T) & Thread; }
  bool isJoiningThread(clang::QualType T) const {
    return rolesOf(T) & JoiningThread;
  }
  bool isFuture(clang::QualType T) const { return rolesOf(T) & Future; }

  /// Roles of what \p T gives access to: looks through references,
  /// pointers, std::reference_wrapper and std smart pointers.
  unsigned rolesReachableThrough(clang::QualType T) const;

  // --- What is this call? -------------------------------------------------
  /// pthread_create and configured C-style thread creators.
  bool isThreadCreateFunction(const clang::FunctionDecl *FD) const;
  /// pthread_detach and friends.
  bool isDetachFunction(const clang::FunctionDecl *FD) const;
  /// std::async and configured pool submit functions returning a handle.
  bool isTaskSpawner(const clang::FunctionDecl *FD) const;

  // --- Matchers for registerMatchers: narrow, by name ---------------------
  clang::ast_matchers::internal::Matcher<clang::NamedDecl> threadClass() const;
  /// A thread class or a class derived from one.
  clang::ast_matchers::internal::Matcher<clang::CXXRecordDecl>
  threadRecord() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  detachFunction() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  threadCreateFunction() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  taskSpawner() const;
  clang::ast_matchers::internal::Matcher<clang::NamedDecl>
  futureClass() const;

private:
  NameList ThreadTypes, JoiningThreadTypes, FutureTypes, StopFlagTypes,
      CompletionSignalTypes, TaskSpawners, ThreadCreateFunctions,
      DetachFunctions;
  llvm::StringSet<> ThreadSet, JoiningSet, FutureSet, StopSet, CompletionSet,
      SpawnerSet, CreateSet, DetachSet;
  mutable llvm::DenseMap<const clang::Decl *, unsigned> RoleCache;

  std::vector<NameList *> lists();
  std::vector<const NameList *> lists() const;
};

/// Qualified name with inline namespaces (std::__1, std::__cxx11) and the
/// leading '::' dropped: "std::thread" for libstdc++ and libc++ alike.
std::string canonicalName(const clang::NamedDecl *D);

/// Does \p QualifiedName (as canonicalName spells it) match one of
/// \p Patterns? A pattern is a qualified name, or a namespace or class
/// followed by "::*" for everything in it ("spdlog::*").
bool matchesAnyName(llvm::ArrayRef<std::string> Patterns,
                    llvm::StringRef QualifiedName);

} // namespace tether::model

#endif
