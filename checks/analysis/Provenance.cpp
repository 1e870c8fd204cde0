//===--- Provenance.cpp ---------------------------------------------------===//

#include "Provenance.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/FileManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace tether::analysis {

Provenance::Provenance(clang::tidy::ClangTidyCheck::OptionsView &Options)
    : LibraryPaths{
          "LibraryPaths",
          // Directories that hold other people's code, and the single-header
          // test frameworks projects copy into their test folders.
          {"third_party/", "thirdparty/", "third-party/", "3rdparty/",
           "3rd_party/", "3rd-party/", "external/", "externals/", "extern/",
           "vendor/", "vendored/", "deps/", "_deps/", "subprojects/",
           "catch2/", "Catch2/", "gtest/", "gmock/", "googletest/",
           "doctest/", "boost/", "catch.hpp", "catch_amalgamated.hpp",
           "doctest.h", "gtest.h", "utest.h", "acutest.h", "greatest.h",
           "unity.h", "lest.hpp", "ut.hpp"},
          {}} {
  LibraryPaths.UserValue =
      Options.getLocalOrGlobal(LibraryPaths.OptionName, "");
  for (const std::string &P : LibraryPaths.all()) {
    llvm::StringRef Entry(P);
    if (Entry.consume_back("/"))
      Directories.insert(Entry);
    else
      Files.insert(Entry);
  }
}

void Provenance::store(clang::tidy::ClangTidyCheck::OptionsView &Options,
                       clang::tidy::ClangTidyOptions::OptionMap &Opts) const {
  Options.store(Opts, LibraryPaths.OptionName, LibraryPaths.UserValue);
}

/// The file's path, absolute and without . or .. components.
static llvm::SmallString<256> absolutePath(FileID File,
                                           const SourceManager &SM) {
  llvm::SmallString<256> Path;
  if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File)) {
    Path = Entry->getName();
    SM.getFileManager().makeAbsolutePath(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  }
  return Path;
}

bool Provenance::isLibraryFile(FileID File, const SourceManager &SM) const {
  if (File.isInvalid())
    return false;
  if (CachedFor != &SM) {
    Cache.clear();
    CachedFor = &SM;
  }
  auto It = Cache.find(File);
  if (It != Cache.end())
    return It->second;
  bool Library = SM.isInSystemHeader(SM.getLocForStartOfFile(File));
  if (!Library && File != SM.getMainFileID()) {
    // Only the part of the path below the directory it shares with the main
    // file counts: a checkout under /src/vendor/app/ is not vendored code.
    llvm::SmallString<256> Path = absolutePath(File, SM);
    llvm::SmallString<256> Main = absolutePath(SM.getMainFileID(), SM);
    llvm::StringRef Below = Path;
    for (llvm::StringRef Shared = llvm::sys::path::parent_path(Main);
         Shared.size() > 1; Shared = llvm::sys::path::parent_path(Shared))
      if (Below.starts_with(Shared) && Below.drop_front(Shared.size())
                                           .starts_with("/")) {
        Below = Below.drop_front(Shared.size() + 1);
        break;
      }
    Library = Files.contains(llvm::sys::path::filename(Below));
    llvm::StringRef Dirs = llvm::sys::path::parent_path(Below);
    for (auto Dir = llvm::sys::path::begin(Dirs),
              End = llvm::sys::path::end(Dirs);
         !Library && Dir != End; ++Dir)
      Library = Directories.contains(*Dir);
  }
  Cache[File] = Library;
  return Library;
}

bool Provenance::writtenByLibrary(SourceLocation Loc,
                                  const SourceManager &SM) const {
  if (Loc.isInvalid())
    return false;
  // Tokens made by ## or # live in scratch space: they belong to the macro
  // that made them.
  while (Loc.isMacroID() && SM.isWrittenInScratchSpace(SM.getSpellingLoc(Loc)))
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  return isLibraryFile(SM.getFileID(SM.getSpellingLoc(Loc)), SM);
}

bool Provenance::writtenByLibrary(const Stmt *S,
                                  const SourceManager &SM) const {
  if (!S)
    return false;
  SourceLocation Keyword = S->getBeginLoc();
  if (const auto *Try = dyn_cast<CXXTryStmt>(S))
    Keyword = Try->getTryLoc();
  else if (const auto *Catch = dyn_cast<CXXCatchStmt>(S))
    Keyword = Catch->getCatchLoc();
  else if (const auto *Throw = dyn_cast<CXXThrowExpr>(S))
    Keyword = Throw->getThrowLoc();
  return writtenByLibrary(Keyword, SM);
}

} // namespace tether::analysis
