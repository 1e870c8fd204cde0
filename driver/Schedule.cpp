//===--- Schedule.cpp -----------------------------------------------------===//

#include "Schedule.h"
#include "ResultCache.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cmath>
#include <numeric>

namespace tether::driver {

namespace {

std::string logPath(llvm::StringRef CacheDir) {
  llvm::SmallString<256> P(CacheDir);
  llvm::sys::path::append(P, "durations.json");
  return std::string(P);
}

/// {"version": 1, "milliseconds": {"/src/a.cpp": 1250, ...}}
llvm::StringMap<double> read(llvm::StringRef Path) {
  llvm::StringMap<double> Out;
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return Out;
  llvm::Expected<llvm::json::Value> V = llvm::json::parse((*Buf)->getBuffer());
  if (!V) {
    llvm::consumeError(V.takeError());
    return Out;
  }
  const llvm::json::Object *O = V->getAsObject();
  if (!O || O->getInteger("version") != 1)
    return Out;
  if (const llvm::json::Object *MS = O->getObject("milliseconds"))
    for (const auto &[File, Millis] : *MS)
      if (std::optional<int64_t> D = Millis.getAsInteger(); D && *D >= 0)
        Out[llvm::StringRef(File)] = double(*D) / 1000;
  return Out;
}

} // namespace

DurationLog DurationLog::load(llvm::StringRef CacheDir) {
  DurationLog Log;
  Log.Seconds = read(logPath(CacheDir));
  return Log;
}

std::optional<double> DurationLog::lookup(llvm::StringRef File) const {
  auto It = Seconds.find(File);
  if (It == Seconds.end())
    return std::nullopt;
  return It->second;
}

void DurationLog::record(llvm::StringRef File, double S) {
  Seconds[File] = S;
  Recorded[File] = S;
}

void DurationLog::save(llvm::StringRef CacheDir) const {
  if (Recorded.empty())
    return;
  std::string Path = logPath(CacheDir);
  llvm::StringMap<double> Merged = read(Path);
  for (const auto &E : Recorded)
    Merged[E.getKey()] = E.getValue();
  llvm::json::Object MS; // printed with sorted keys
  for (const auto &E : Merged)
    if (llvm::sys::fs::exists(E.getKey())) // deleted files leave the log
      MS[E.getKey()] = int64_t(std::llround(E.getValue() * 1000));
  writeAtomically(
      Path, llvm::formatv("{0:2}\n", llvm::json::Value(llvm::json::Object{
                                         {"version", 1},
                                         {"milliseconds", std::move(MS)}}))
                .str());
}

std::vector<size_t> longestFirst(const std::vector<std::string> &Files,
                                 const DurationLog &Log) {
  std::vector<std::optional<double>> Known;
  std::vector<double> Sorted;
  for (const std::string &F : Files) {
    Known.push_back(Log.lookup(F));
    if (Known.back())
      Sorted.push_back(*Known.back());
  }
  double Median = 0;
  if (!Sorted.empty()) {
    std::nth_element(Sorted.begin(), Sorted.begin() + Sorted.size() / 2,
                     Sorted.end());
    Median = Sorted[Sorted.size() / 2];
  }
  std::vector<size_t> Order(Files.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return Known[A].value_or(Median) > Known[B].value_or(Median);
  });
  return Order;
}

} // namespace tether::driver
