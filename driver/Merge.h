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

/// Entry point for `tether merge [-o OUT] REPORT...`; returns the exit code.
int mergeMain(int Argc, const char **Argv);

} // namespace tether::driver

#endif
