//===--- TidyRunner.h - run the checks over translation units -------------===//
//
// Each translation unit runs in a forked child: a TU that crashes or hangs
// the front end is reported as a tool error for that file, and the run goes
// on. Results come back as JSON over a pipe and are returned in input order,
// so output does not depend on -j.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_TIDYRUNNER_H
#define TETHER_DRIVER_TIDYRUNNER_H

#include "Finding.h"
#include "ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <functional>
#include <memory>
#include <optional>

namespace tether::driver {

struct RunConfig {
  std::optional<std::string> Checks;      ///< --checks, on top of config files
  std::optional<std::string> ConfigText;  ///< --config-file contents
  std::string DefaultChecks;              ///< tether-* minus off-by-default
  unsigned Jobs = 1;
  unsigned TimeoutSeconds = 0;            ///< per TU; 0 = none
  std::string CacheDir;                   ///< --cache-dir; empty = no cache
  /// --format-style; unset: the FormatStyle of the .clang-tidy files.
  std::optional<std::string> FormatStyle;
};

/// A translation unit's results. A unit that does not compile is a tool
/// error, never findings: CompilerErrors counts clang's errors and
/// FirstError says where the first one is (a file of "" is an error about
/// the command line, e.g. an option clang does not know).
struct TUResult {
  std::string File;
  std::vector<Finding> Findings; ///< each has a file and a line
  std::string ToolError; ///< non-empty when the analysis process failed
  unsigned CompilerErrors = 0;
  Note FirstError;
  bool FromCache = false;
  double Seconds = 0; ///< wall time of its analysis (or cache lookup)

  bool compiles() const { return CompilerErrors == 0; }
  /// Not analysed, or not completely: the run exits with status 2.
  bool failed() const { return !ToolError.empty() || !compiles(); }
};

/// Builds the options provider the driver uses for every file: built-in
/// defaults, the user's .clang-tidy files, then the command line. tether's
/// checks stay on unless a config file says something about them.
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(const RunConfig &Config);

/// Runs the enabled checks over \p Files, longest first by the durations
/// kept in the cache directory (see Schedule.h). \p OnDone is called in the
/// parent after each TU finishes (for progress); the results are returned in
/// input order. Every file gets a result: when the worker loop itself fails,
/// the files it did not finish are tool errors.
std::vector<TUResult>
runChecks(const clang::tooling::CompilationDatabase &DB,
          const std::vector<std::string> &Files, const RunConfig &Config,
          const std::function<void(const TUResult &)> &OnDone);

} // namespace tether::driver

#endif
