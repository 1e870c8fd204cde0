//===--- Reporting.h - what a run writes, and how it exits ----------------===//
//
// The reports (--format, each to standard output or its file), progress and
// --verbose lines while the run goes, the summary line on standard error,
// and the exit status: 0 no findings at or above --fail-on, 1 findings, 2 a
// file that does not compile or could not be analysed.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_REPORTING_H
#define TETHER_DRIVER_REPORTING_H

#include "CompileCommands.h"
#include "Fixes.h"
#include "Options.h"
#include "reporters/Reporter.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <memory>
#include <vector>

namespace tether::driver {

struct Output {
  std::unique_ptr<Reporter> Writer;
  std::unique_ptr<llvm::raw_fd_ostream> Stream; ///< null: standard output
};

/// Opens every --format's file before the run, so an unwritable path fails
/// fast (exit 2).
std::vector<Output> openOutputs(const Options &Opts);

/// Writes \p Report in every format.
void writeReports(const RunReport &Report, std::vector<Output> &Outputs);

/// Writes every finding to --write-baseline's SARIF.
void writeBaseline(const RunReport &Report, const std::string &Path);

/// Called as each file finishes: "[12/40] 3 findings, 18s left" on one
/// rewritten line of standard error, or a line per file with --verbose.
class ProgressLine {
public:
  ProgressLine(const Options &Opts, size_t Total, std::string SourceRoot);
  void done(const TUResult &R);
  void finish();

private:
  size_t Total, Done = 0, Findings = 0;
  bool Bar, Verbose;
  std::string SourceRoot;
  std::chrono::steady_clock::time_point Start;
};

/// "tether: dropped flags clang does not know: ..." once per run.
void printCommandAdjustments(const CommandAdjustments &Seen,
                             const Options &Opts);

/// What --fix did (or why it did not), on standard error.
void printFixOutcome(const FixOutcome &Fixed, const Options &Opts);

/// "tether: 3 findings in 12 files, 1 file does not compile" on standard
/// error, unless --quiet.
void printSummary(const RunReport &Report, const Options &Opts);

/// 2 when a file does not compile or could not be analysed, else 1 when a
/// finding is at or above --fail-on, else 0.
int exitCode(const RunReport &Report, Level FailOn);

} // namespace tether::driver

#endif
