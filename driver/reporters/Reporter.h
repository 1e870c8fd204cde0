//===--- Reporter.h - how findings are written down -----------------------===//
//
// A reporter knows a format, never what a check means. It gets the whole run
// (results in input order, tool errors included) once, at the end.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_REPORTERS_REPORTER_H
#define TETHER_DRIVER_REPORTERS_REPORTER_H

#include "../TidyRunner.h"
#include "llvm/ADT/STLFunctionalExtras.h"
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

/// One line saying why a unit was not (completely) analysed, with paths
/// written by \p Path: "does not compile: src/a.cpp:3:17: unknown type name
/// 'x'", or "cannot analyse this file: the front end crashed (...)".
/// Only for a result that failed().
std::string failureMessage(const TUResult &R,
                           llvm::function_ref<std::string(llvm::StringRef)> Path);

class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void write(const RunReport &Report, llvm::raw_ostream &OS) = 0;
};

} // namespace tether::driver

#endif
