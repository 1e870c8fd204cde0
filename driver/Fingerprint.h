//===--- Fingerprint.h - stable identities for findings -------------------===//
//
// A finding's fingerprint survives unrelated edits above it: it hashes the
// check, the repo-relative file, the message and the text of the reported
// line (not its number), plus an occurrence count for identical lines. SARIF
// partialFingerprints, baselines and Code Climate use it.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_FINGERPRINT_H
#define TETHER_DRIVER_FINGERPRINT_H

#include "Finding.h"
#include "SourceCache.h"
#include <string>
#include <vector>

namespace tether::driver {

/// "src/a.cpp" for a file below \p Root, else the absolute path.
std::string relativeTo(llvm::StringRef Root, llvm::StringRef File);

/// One fingerprint per finding, in order.
std::vector<std::string> fingerprints(const std::vector<Finding> &Findings,
                                      llvm::StringRef Root,
                                      SourceCache &Sources);

} // namespace tether::driver

#endif
