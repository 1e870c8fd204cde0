//===--- CheckCatalog.h - the checks and their documentation --------------===//
//
// Rule metadata (summary, default, severity, precision, tags, help) comes
// from each check's page in docs/checks/, embedded at build time, so the
// docs, --list-checks, --explain and SARIF rules[] cannot disagree.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_CHECKCATALOG_H
#define TETHER_DRIVER_CHECKCATALOG_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace tether::driver {

struct CheckInfo {
  std::string Name;
  std::string Summary;      ///< one line
  bool DefaultOn = true;
  std::string Severity = "warning";
  /// The SARIF precision tier (very-high, high, medium, low) of the
  /// measured value; empty when the check was not measured (SARIF then
  /// states no precision rather than one nobody measured).
  std::string Precision;
  /// The page's `precision:` when it is a measurement ("100%, 12 of 12
  /// held-out findings true"); empty when the check was not measured.
  std::string MeasuredPrecision;
  std::vector<std::string> Tags;
  std::string Markdown;     ///< the page without its front matter
  bool Documented = false;
};

/// The SARIF precision tier of a measured precision \p Percent:
/// very-high from 95%, high from 85%, medium from 60%, else low.
llvm::StringRef precisionTier(double Percent);

/// Every check registered in the tether module, with its page.
const std::vector<CheckInfo> &checkCatalog();
const CheckInfo *findCheck(llvm::StringRef Name);

/// "tether-*" minus the checks that are off by default.
std::string defaultChecksGlob();

/// Parses a page: front matter between '---' lines, then markdown.
CheckInfo parseCheckPage(llvm::StringRef Name, llvm::StringRef Page);

} // namespace tether::driver

#endif
