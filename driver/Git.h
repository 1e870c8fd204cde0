//===--- Git.h - what changed since a ref ---------------------------------===//
//
// For --diff: the files changed since a git ref (plus untracked ones), the
// lines added or changed in each, and which translation units include a
// changed header (transitively, by scanning #include lines).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_GIT_H
#define TETHER_DRIVER_GIT_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tether::driver {

/// A file's changed lines, as inclusive [first, last] ranges. Empty with
/// AllLines for a new file.
struct ChangedFile {
  std::vector<std::pair<unsigned, unsigned>> Lines;
  bool AllLines = false;
  bool contains(unsigned Line) const;
};

/// The repository containing \p Dir, or an error if it is not in one.
llvm::Expected<std::string> gitTopLevel(llvm::StringRef Dir);

/// Absolute path -> changed lines, for every file changed since \p Ref.
llvm::Expected<llvm::StringMap<ChangedFile>>
changedSince(llvm::StringRef TopLevel, llvm::StringRef Ref);

/// The translation units among \p Units that include one of \p Headers,
/// directly or through other headers under \p TopLevel.
std::set<std::string>
unitsIncluding(const std::vector<std::string> &Units,
               const std::vector<std::string> &Headers,
               llvm::StringRef TopLevel);

bool isHeader(llvm::StringRef Path);

} // namespace tether::driver

#endif
