//===--- Fixes.h - --fix: apply the reported findings' fix-its ------------===//
//
// As clang-tidy's --fix: the fix-its of the findings the run reports (after
// --baseline, --line-filter, --diff and NOLINT) are applied to the sources
// with clang's tooling::Replacements, then the code around them is cleaned
// up and formatted in the FormatStyle clang-tidy would use ('none' unless
// --format-style or a .clang-tidy says otherwise). A header's fix reported
// from several translation units is applied once. A unit that does not
// compile reports nothing (so nothing is fixed) unless --fix-errors.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_FIXES_H
#define TETHER_DRIVER_FIXES_H

#include "TidyRunner.h"
#include "Finding.h"
#include <string>
#include <vector>

namespace tether::driver {

struct FixOutcome {
  unsigned Applied = 0;  ///< findings whose fix was applied
  unsigned Offered = 0;  ///< reported findings with a fix
  std::vector<std::string> ChangedFiles;
  std::vector<std::string> Problems; ///< one line each: conflicts, I/O
};

/// Applies the fixes of \p Reported. \p Config gives each file's
/// FormatStyle.
FixOutcome applyFixes(const std::vector<Finding> &Reported,
                      const RunConfig &Config);

} // namespace tether::driver

#endif
