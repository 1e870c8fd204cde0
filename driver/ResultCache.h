//===--- ResultCache.h - findings keyed by what determines them -----------===//
//
// --cache-dir: a TU's findings are a function of its preprocessed content,
// its compile flags, the tether version and the check configuration. The key
// hashes all four (the content as every file the preprocessor enters, with
// its bytes), so a warm run over an unchanged tree preprocesses but does not
// parse or analyse. An entry carries a checksum of its payload: a corrupted
// or truncated entry is ignored, never trusted.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_RESULTCACHE_H
#define TETHER_DRIVER_RESULTCACHE_H

#include "clang/Tooling/CompilationDatabase.h"
#include <optional>
#include <string>

namespace tether::driver {

/// The cache key of \p File, or nullopt when it cannot be computed (the
/// preprocessor failed: the file is analysed without the cache).
std::optional<std::string>
cacheKey(const clang::tooling::CompilationDatabase &DB, const std::string &File,
         const std::string &ConfigText);

/// The payload stored under \p Key, if present and intact.
std::optional<std::string> cacheLoad(const std::string &Dir,
                                     const std::string &Key);

/// Writes \p Text to \p Path through a uniquely named temporary file and a
/// rename, so a reader (another shard on a shared cache) never sees half a
/// file. Failure is silent: an unwritable cache only costs speed.
void writeAtomically(const std::string &Path, llvm::StringRef Text);

/// Stores \p Payload under \p Key (atomically: write, then rename).
void cacheStore(const std::string &Dir, const std::string &Key,
                const std::string &Payload);

} // namespace tether::driver

#endif
