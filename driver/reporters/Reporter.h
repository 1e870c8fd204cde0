//===--- Reporter.h - how findings are written down -----------------------===//
//
// A reporter knows a format, never what a check means. It gets the whole run
// (results in input order, tool errors included) once, at the end.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_REPORTERS_REPORTER_H
#define TETHER_DRIVER_REPORTERS_REPORTER_H

#include "../TidyRunner.h"
#include "llvm/Support/raw_ostream.h"

namespace tether::driver {

struct RunReport {
  std::vector<TUResult> Results;
  /// Findings to report, deduplicated across TUs (a header's finding is seen
  /// from every TU that includes it), in deterministic order.
  std::vector<Finding> Findings;
  /// Fingerprints[i] identifies Findings[i] across unrelated edits.
  std::vector<std::string> Fingerprints;
  std::string SourceRoot; ///< for repo-relative paths
  std::string AutomationId; ///< SARIF runAutomationDetails.id
  std::string relative(llvm::StringRef File) const;
};

class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void write(const RunReport &Report, llvm::raw_ostream &OS) = 0;
};

} // namespace tether::driver

#endif
