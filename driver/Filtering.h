//===--- Filtering.h - which findings of a run are reported ---------------===//
//
// A run's findings, as every translation unit saw them, become the report:
// one finding per location (a header's finding is seen from every unit that
// includes it), only on the lines --diff and --line-filter ask for, and not
// the ones a --baseline already knows.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_FILTERING_H
#define TETHER_DRIVER_FILTERING_H

#include "Finding.h"
#include "Git.h"
#include "TidyRunner.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tether::driver {

/// clang-tidy's --line-filter: file name suffix -> line ranges (none: every
/// line of that file).
using LineFilter = std::vector<
    std::pair<std::string, std::vector<std::pair<unsigned, unsigned>>>>;

/// Parses --line-filter's JSON: [{"name":"a.cpp","lines":[[1,9]]}]. An
/// error's message continues "--line-filter" (" is not JSON: ...").
llvm::Expected<LineFilter> parseLineFilter(llvm::StringRef Text);

/// Findings of every unit, deduplicated and sorted, kept when they are on a
/// changed line (\p Changed, from --diff) and accepted by \p Lines. A unit
/// that does not compile is a tool error: the checks saw a partial AST, so
/// its findings are left out unless \p KeepBroken (--fix-errors).
std::vector<Finding>
findingsToReport(const std::vector<TUResult> &Results,
                 const std::optional<llvm::StringMap<ChangedFile>> &Changed,
                 const std::optional<LineFilter> &Lines, bool KeepBroken);

/// Drops the findings whose fingerprint (Prints[i] for Findings[i]) a
/// --baseline already holds.
void dropBaselined(std::vector<Finding> &Findings,
                   std::vector<std::string> &Prints,
                   const std::set<std::string> &Baselined);

} // namespace tether::driver

#endif
