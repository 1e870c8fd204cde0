//===--- Options.h - the tether command line, parsed and checked ----------===//
//
// Every option is read and validated here, once, into plain values: the rest
// of the driver never sees llvm::cl. A usage mistake ends the process here
// with one line and exit status 2.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_OPTIONS_H
#define TETHER_DRIVER_OPTIONS_H

#include "Filtering.h"
#include "Finding.h"
#include "TidyRunner.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/GlobPattern.h"
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tether::driver {

/// What the command line asks for.
enum class Action { Analyse, ListChecks, Explain, Merge };

/// --shard=I/N: the I-th (1-based) of N slices.
struct ShardSpec {
  unsigned Index = 1, Count = 1;
};

/// --format=FORMAT[:FILE] and -o FILE. An empty File is standard output.
struct OutputSpec {
  std::string Format;
  std::string File;
};

/// --fix / --fix-errors, as clang-tidy has them.
enum class FixMode { None, Fix, FixErrors };

struct Options {
  Action What = Action::Analyse;
  std::string ExplainCheck;

  // Which files, compiled how.
  std::vector<std::string> Inputs;  ///< as given
  bool All = false;
  std::string BuildPath;            ///< -p
  /// What follows "--": the compile command for every file (no database).
  std::optional<std::vector<std::string>> FixedCommand;
  std::string ResourceDir;
  std::vector<std::string> ExtraArgs;   ///< --extra-arg
  std::vector<std::string> RemovedArgs; ///< --removed-arg
  std::string DiffRef;                  ///< --diff; empty = off
  std::vector<llvm::GlobPattern> Excludes;
  std::optional<ShardSpec> Shard;
  std::string SourceRoot; ///< --source-root as given; empty = git repository

  // How the checks run (handed to the worker processes).
  RunConfig Run;

  // Which findings are reported.
  std::optional<LineFilter> Lines;
  std::set<std::string> Baselined; ///< fingerprints read from --baseline
  std::string WriteBaseline;

  // How they are written down.
  std::vector<OutputSpec> Outputs;
  bool Color = false; ///< text to standard output may be colored
  Level FailOn = Level::Warning;
  std::string SarifCategory;
  bool Quiet = false, Verbose = false, Progress = false, DumpConfig = false;

  // Rewriting the sources.
  FixMode Fix = FixMode::None;
};

/// Parses and validates the command line; on a usage error prints one line
/// and exits with status 2. `tether merge ...` returns Action::Merge with
/// its own options left to mergeReports().
Options parseOptions(int Argc, const char **Argv);

/// "tether: error: MESSAGE" on standard error, then exit status 2.
[[noreturn]] void fail(const llvm::Twine &Message);

} // namespace tether::driver

#endif
