//===--- SourceCache.h - file contents and line tables --------------------===//

#ifndef TETHER_DRIVER_SOURCECACHE_H
#define TETHER_DRIVER_SOURCECACHE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace tether::driver {

/// Reads each file once and answers offset -> (line, column) and line -> text.
class SourceCache {
public:
  std::optional<std::pair<unsigned, unsigned>> lineColumn(llvm::StringRef File,
                                                          unsigned Offset);
  /// The text of 1-based line \p Line, without its newline.
  std::optional<llvm::StringRef> lineText(llvm::StringRef File, unsigned Line);

private:
  struct Entry {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::vector<unsigned> LineStarts;
  };
  Entry *get(llvm::StringRef File);
  llvm::StringMap<Entry> Files;
};

} // namespace tether::driver

#endif
