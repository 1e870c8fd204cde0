//===--- FileSelection.h - which files a run analyses ---------------------===//
//
// The compile database (-p, found upwards from the first file, or the flags
// after --), then the files: named ones and directories, --all, --diff (the
// changed units and those including a changed header), minus --exclude,
// then this --shard's slice.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_FILESELECTION_H
#define TETHER_DRIVER_FILESELECTION_H

#include "Git.h"
#include "Options.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringMap.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tether::driver {

struct Selection {
  /// Null only when there are no files to analyse and no database was asked
  /// for.
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  std::vector<std::string> Files; ///< absolute paths, in input order
  /// --diff: the changed files and their changed lines.
  std::optional<llvm::StringMap<ChangedFile>> Changed;
  std::string SourceRoot; ///< absolute; reports' paths are relative to it
};

/// Loads the database and selects the files; fails (exit 2) with one line on
/// a missing file, database or git repository, or a selected file's broken
/// .clang-tidy.
Selection selectFiles(const Options &Opts);

} // namespace tether::driver

#endif
