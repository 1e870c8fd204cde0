//===--- Provenance.h - who wrote a construct: the user or a library ------===//
//
// A test framework's assertion macro (Catch2 REQUIRE, doctest CHECK,
// GoogleTest ASSERT_*, Boost.Test BOOST_CHECK) expands to a try/catch, a
// do { } while (0) loop and a throw inside the user's function. Those
// constructs are the library's: how it catches, loops or reports is its
// business, and no check may read them as the user's supervisor loop,
// swallowed exception or escaping throw. The user's own macros, and the
// arguments the user hands a library macro, stay the user's.
//
// A file is a library's when it is a system header, or when its path has a
// directory or file name of the LibraryPaths option (vendored code such as
// third_party/, a single-header framework such as catch.hpp or doctest.h
// copied into the test folder).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_PROVENANCE_H
#define TETHER_CHECKS_ANALYSIS_PROVENANCE_H

#include "../model/ConcurrencyModel.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

namespace tether::analysis {

class Provenance {
public:
  explicit Provenance(clang::tidy::ClangTidyCheck::OptionsView &Options);
  void store(clang::tidy::ClangTidyCheck::OptionsView &Options,
             clang::tidy::ClangTidyOptions::OptionMap &Opts) const;

  /// The token at \p Loc was written by a library: it is spelled in the body
  /// of a macro defined in a library's file (not in one of the macro's
  /// arguments, which the user wrote).
  bool writtenByLibrary(clang::SourceLocation Loc,
                        const clang::SourceManager &SM) const;
  /// The statement's keyword or first token was written by a library: the
  /// `try` of a try statement, the `catch` of a handler, the `while`/`do`/
  /// `for` of a loop, the `throw` of a throw expression.
  bool writtenByLibrary(const clang::Stmt *S,
                        const clang::SourceManager &SM) const;

  /// \p File (a FileID of \p SM) is a system header or a vendored library.
  bool isLibraryFile(clang::FileID File, const clang::SourceManager &SM) const;

private:
  model::NameList LibraryPaths;
  llvm::StringSet<> Directories; ///< "third_party": any directory so named
  llvm::StringSet<> Files;       ///< "catch.hpp": any file so named
  mutable const clang::SourceManager *CachedFor = nullptr;
  mutable llvm::DenseMap<clang::FileID, bool> Cache;
};

} // namespace tether::analysis

#endif
