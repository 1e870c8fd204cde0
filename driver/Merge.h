//===--- Merge.h - tether merge: combine the reports of shards ------------===//
//
// A large repository runs `tether --shard I/N` as N CI jobs; `tether merge`
// combines their SARIF (or JSON) reports into the report one unsharded run
// would have written: results deduplicated (a header seen from two shards)
// and in the same order.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_MERGE_H
#define TETHER_DRIVER_MERGE_H

namespace tether::driver {

/// True when the command line was `tether merge ...` (after
/// llvm::cl::ParseCommandLineOptions, which knows `merge` as a subcommand
/// with its own options).
bool mergeRequested();

/// Keeps LLVM's own options out of `tether merge --help`.
void hideUnrelatedMergeOptions();

/// Runs `tether merge [-o OUT] REPORT...` with the parsed options; returns
/// the exit code.
int mergeReports();

} // namespace tether::driver

#endif
