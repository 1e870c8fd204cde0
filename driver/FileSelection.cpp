//===--- FileSelection.cpp ------------------------------------------------===//

#include "FileSelection.h"
#include "Fingerprint.h"
#include "ClangTidyOptions.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <set>

using namespace llvm;
using clang::tooling::CompilationDatabase;

namespace tether::driver {

namespace {

std::unique_ptr<CompilationDatabase> loadDatabase(const Options &Opts) {
  using namespace clang::tooling;
  std::string Err;
  if (Opts.FixedCommand)
    return std::make_unique<FixedCompilationDatabase>(".", *Opts.FixedCommand);
  if (!Opts.BuildPath.empty()) {
    SmallString<256> Dir(Opts.BuildPath);
    if (sys::path::filename(Dir) == "compile_commands.json")
      sys::path::remove_filename(Dir);
    if (!sys::fs::is_directory(Dir))
      fail("-p " + Opts.BuildPath + ": no such directory");
    SmallString<256> JsonPath(Dir);
    sys::path::append(JsonPath, "compile_commands.json");
    if (!sys::fs::exists(JsonPath))
      fail("no compile_commands.json in '" + Opts.BuildPath +
           "': configure with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or "
           "run bear -- make");
    auto DB = JSONCompilationDatabase::loadFromFile(
        JsonPath, Err, JSONCommandLineSyntax::AutoDetect);
    if (!DB)
      fail("cannot read '" + JsonPath + "': " + Err);
    return inferMissingCompileCommands(std::move(DB));
  }
  if (Opts.Inputs.empty())
    return nullptr;
  SmallString<256> First(Opts.Inputs.front());
  sys::fs::make_absolute(First);
  if (auto DB = CompilationDatabase::autoDetectFromSource(First, Err))
    return inferMissingCompileCommands(std::move(DB));
  if (auto DB = CompilationDatabase::autoDetectFromDirectory(First, Err))
    return inferMissingCompileCommands(std::move(DB));
  fail("no compile command for '" + Opts.Inputs.front() +
       "': pass -p BUILD_DIR (with compile_commands.json), or compiler flags "
       "after --, e.g. tether f.cpp -- -std=c++20");
}

std::string sourceRoot(const Options &Opts) {
  SmallString<256> Root;
  if (!Opts.SourceRoot.empty()) {
    Root = Opts.SourceRoot;
    if (!sys::fs::is_directory(Root))
      fail("--source-root '" + Opts.SourceRoot + "' is not a directory");
  } else {
    sys::fs::current_path(Root);
    if (auto Top = gitTopLevel(Root))
      Root = *Top;
    else
      consumeError(Top.takeError());
  }
  sys::fs::make_absolute(Root);
  sys::path::remove_dots(Root, true);
  return std::string(Root);
}

/// Files given on the command line (and --all): each must exist; a
/// directory stands for the database's files below it.
std::vector<std::string> namedFiles(const Options &Opts,
                                    const CompilationDatabase *DB) {
  std::vector<std::string> Files;
  std::set<std::string> Seen;
  auto Add = [&](std::string F) {
    if (Seen.insert(F).second)
      Files.push_back(std::move(F));
  };
  std::vector<std::string> DBFiles;
  if (DB) {
    DBFiles = DB->getAllFiles();
    llvm::sort(DBFiles);
  }
  if (Opts.All) {
    if (!DB)
      fail("--all needs a compile database: pass -p BUILD_DIR");
    for (const std::string &F : DBFiles)
      Add(F);
  }
  for (const std::string &In : Opts.Inputs) {
    SmallString<256> Abs(In);
    if (std::error_code EC = sys::fs::make_absolute(Abs))
      fail("cannot resolve '" + In + "': " + EC.message());
    sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    if (sys::fs::is_directory(Abs)) {
      if (!DB)
        fail("'" + In + "' is a directory: pass -p BUILD_DIR so tether knows "
             "which of its files to analyse");
      size_t Before = Files.size();
      for (const std::string &F : DBFiles)
        if (StringRef(F).starts_with((Abs + "/").str()))
          Add(F);
      if (Files.size() == Before)
        fail("no file under '" + In + "' is in the compile database");
      continue;
    }
    if (!sys::fs::exists(Abs))
      fail("no such file: '" + In + "'");
    if (!sys::fs::is_regular_file(Abs))
      fail("'" + In + "' is not a regular file");
    std::error_code EC = sys::fs::access(Abs, sys::fs::AccessMode::Exist);
    auto Readable = MemoryBuffer::getFile(Abs);
    if (EC || !Readable)
      fail("cannot read '" + In + "': " +
           (Readable ? EC : Readable.getError()).message());
    Add(std::string(Abs));
  }
  return Files;
}

/// --diff: the changed translation units, and those that include a changed
/// header, among \p Files (or the whole database when no file was named).
std::vector<std::string> changedUnits(const Options &Opts,
                                      const CompilationDatabase *DB,
                                      const std::vector<std::string> &Files,
                                      const std::string &Root,
                                      StringMap<ChangedFile> &Changed) {
  if (!DB)
    fail("--diff needs a compile database: pass -p BUILD_DIR");
  std::vector<std::string> Units = Files;
  if (Opts.Inputs.empty() && !Opts.All) {
    Units = DB->getAllFiles();
    llvm::sort(Units);
  }
  // The repository the sources live in, which need not be the one tether
  // was started in (tether -p ../other/build --diff main).
  std::string RepoDir = Root;
  if (Opts.SourceRoot.empty() && !Units.empty())
    RepoDir = sys::path::parent_path(Units.front()).str();
  auto Top = gitTopLevel(RepoDir);
  if (!Top)
    fail("--diff: " + toString(Top.takeError()));
  auto C = changedSince(*Top, Opts.DiffRef);
  if (!C)
    fail(toString(C.takeError()));
  Changed = std::move(*C);
  std::vector<std::string> Headers;
  std::set<std::string> Selected;
  std::set<std::string> InDatabase(Units.begin(), Units.end());
  for (const auto &Entry : Changed) {
    std::string Path = Entry.getKey().str();
    if (InDatabase.count(Path))
      Selected.insert(Path);
    else if (isHeader(Path))
      Headers.push_back(Path);
  }
  for (const std::string &U : unitsIncluding(Units, Headers, *Top))
    Selected.insert(U);
  std::vector<std::string> Out;
  for (const std::string &U : Units)
    if (Selected.count(U))
      Out.push_back(U);
  return Out;
}

/// --exclude: a pattern may be written against the absolute path, the path
/// in the repository, or the path from here.
void dropExcluded(std::vector<std::string> &Files, const Options &Opts,
                  const std::string &Root) {
  if (Opts.Excludes.empty())
    return;
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  llvm::erase_if(Files, [&](const std::string &F) {
    std::string InRepo = relativeTo(Root, F), FromHere = relativeTo(Cwd, F);
    return llvm::any_of(Opts.Excludes, [&](const GlobPattern &P) {
      return P.match(F) || P.match(InRepo) || P.match(FromHere);
    });
  });
}

/// --shard=I/N: slices of the sorted file list, so every file lands in
/// exactly one shard whatever order the inputs were given in.
void keepShard(std::vector<std::string> &Files, const ShardSpec &Shard) {
  std::vector<std::string> Sorted = Files;
  llvm::sort(Sorted);
  std::set<std::string> Mine;
  for (size_t K = 0; K < Sorted.size(); ++K)
    if (K % Shard.Count == Shard.Index - 1)
      Mine.insert(Sorted[K]);
  llvm::erase_if(Files, [&](const std::string &F) { return !Mine.count(F); });
}

/// clang-tidy ignores a broken .clang-tidy with a message; in CI that would
/// silently change which checks run. tether stops instead.
void checkConfigFiles(const std::vector<std::string> &Files) {
  std::set<std::string> Seen;
  for (const std::string &F : Files) {
    for (StringRef Dir = sys::path::parent_path(F); !Dir.empty();
         Dir = sys::path::parent_path(Dir)) {
      if (!Seen.insert(Dir.str()).second)
        break;
      SmallString<256> Path(Dir);
      sys::path::append(Path, ".clang-tidy");
      if (!sys::fs::is_regular_file(Path))
        continue;
      auto Buf = MemoryBuffer::getFile(Path);
      if (!Buf)
        fail("cannot read '" + Path + "': " + Buf.getError().message());
      auto Parsed = clang::tidy::parseConfiguration((*Buf)->getMemBufferRef());
      if (!Parsed)
        fail("'" + Path + "' is not a valid clang-tidy configuration: " +
             Parsed.getError().message() + " (fix it, or pass --config-file)");
    }
  }
}

} // namespace

Selection selectFiles(const Options &Opts) {
  Selection S;
  S.Database = loadDatabase(Opts);
  S.SourceRoot = sourceRoot(Opts);
  S.Files = namedFiles(Opts, S.Database.get());
  if (!Opts.DiffRef.empty()) {
    S.Changed.emplace();
    S.Files = changedUnits(Opts, S.Database.get(), S.Files, S.SourceRoot,
                           *S.Changed);
  }
  dropExcluded(S.Files, Opts, S.SourceRoot);
  if (Opts.Shard)
    keepShard(S.Files, *Opts.Shard);
  if (!Opts.Run.ConfigText)
    checkConfigFiles(S.Files);
  return S;
}

} // namespace tether::driver
