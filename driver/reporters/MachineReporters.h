//===--- MachineReporters.h - formats other programs read -----------------===//
//
// SARIF 2.1.0 (code scanning), tether's JSON, GitHub workflow annotations,
// GitLab's Code Climate report, and clang-tidy's --export-fixes YAML.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_REPORTERS_MACHINEREPORTERS_H
#define TETHER_DRIVER_REPORTERS_MACHINEREPORTERS_H

#include "Reporter.h"
#include <memory>

namespace tether::driver {

class SarifReporter : public Reporter {
public:
  void write(const RunReport &Report, llvm::raw_ostream &OS) override;
};
class JsonReporter : public Reporter {
public:
  void write(const RunReport &Report, llvm::raw_ostream &OS) override;
};
class GithubReporter : public Reporter {
public:
  void write(const RunReport &Report, llvm::raw_ostream &OS) override;
};
class CodeClimateReporter : public Reporter {
public:
  void write(const RunReport &Report, llvm::raw_ostream &OS) override;
};
class FixesReporter : public Reporter {
public:
  void write(const RunReport &Report, llvm::raw_ostream &OS) override;
};

/// The reporter for a --format name, or null for an unknown one.
std::unique_ptr<Reporter> makeReporter(llvm::StringRef Format, bool Color);
llvm::StringRef formatNames(); ///< "text|sarif|json|github|codeclimate|fixes"

/// Fingerprints recorded in a SARIF file written by tether (a baseline).
llvm::Expected<std::vector<std::string>> readBaseline(llvm::StringRef Path);

} // namespace tether::driver

#endif
