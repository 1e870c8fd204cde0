//===--- Schedule.h - which translation unit to start first ---------------===//
//
// With -j N, a run ends when its slowest worker does. Started in input order,
// a long TU that comes last runs alone while the other workers idle; started
// longest first, the long ones overlap and the short ones fill the gaps
// (Graham's LPT rule; ninja orders by its .ninja_log the same way). How long
// a TU takes is known only from earlier runs, so the durations are kept in
// the --cache-dir beside the results: the history survives a change that
// invalidates every result (a new tether, a new configuration).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_SCHEDULE_H
#define TETHER_DRIVER_SCHEDULE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace tether::driver {

/// Seconds each file took to analyse when last analysed (not served from the
/// cache). A missing or corrupted log is empty: it only costs speed.
class DurationLog {
public:
  static DurationLog load(llvm::StringRef CacheDir);
  std::optional<double> lookup(llvm::StringRef File) const;
  void record(llvm::StringRef File, double Seconds);
  /// Writes the recorded durations over what is on disk now (another shard
  /// may have written since load), atomically. Files that no longer exist
  /// are dropped.
  void save(llvm::StringRef CacheDir) const;

private:
  llvm::StringMap<double> Seconds;
  llvm::StringMap<double> Recorded;
};

/// The order to start \p Files in: longest known duration first. A file
/// with no history is estimated at the median of those with one; ties keep
/// input order, so with no history at all the order is the input order.
std::vector<size_t> longestFirst(const std::vector<std::string> &Files,
                                 const DurationLog &Log);

} // namespace tether::driver

#endif
