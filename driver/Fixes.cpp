//===--- Fixes.cpp --------------------------------------------------------===//

#include "Fixes.h"
#include "clang/Format/Format.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <set>
#include <tuple>

namespace tether::driver {

namespace {

using ReplacementKey = std::tuple<std::string, unsigned, unsigned, std::string>;

std::string where(const Finding &F) {
  return F.Loc.File + ":" + std::to_string(F.Loc.Line) + ":" +
         std::to_string(F.Loc.Column) + " [" + F.Check + "]";
}

/// Rewrites \p File with \p Fixes, then cleans up and formats around them in
/// \p StyleName, as clang-tidy does. Returns a problem, or "".
std::string rewrite(const std::string &File,
                    const clang::tooling::Replacements &Fixes,
                    const std::string &StyleName) {
  auto Buffer = llvm::MemoryBuffer::getFile(File);
  if (!Buffer)
    return "cannot read '" + File + "': " + Buffer.getError().message();
  llvm::StringRef Code = (*Buffer)->getBuffer();
  llvm::Expected<clang::format::FormatStyle> Style =
      clang::format::getStyle(StyleName, File, "none", Code);
  if (!Style)
    return "'" + File + "': format style '" + StyleName +
           "': " + llvm::toString(Style.takeError());
  llvm::Expected<clang::tooling::Replacements> Cleaned =
      clang::format::cleanupAroundReplacements(Code, Fixes, *Style);
  if (!Cleaned)
    return "'" + File + "': " + llvm::toString(Cleaned.takeError());
  clang::tooling::Replacements Final = *Cleaned;
  if (auto Formatted =
          clang::format::formatReplacements(Code, *Cleaned, *Style))
    Final = *Formatted;
  else
    llvm::consumeError(Formatted.takeError()); // unformatted, as clang-tidy
  llvm::Expected<std::string> NewCode =
      clang::tooling::applyAllReplacements(Code, Final);
  if (!NewCode)
    return "'" + File + "': " + llvm::toString(NewCode.takeError());
  // Written in place, so a symlinked source or its permissions stay as
  // they are.
  std::error_code EC;
  llvm::raw_fd_ostream OS(File, EC);
  if (EC)
    return "cannot write '" + File + "': " + EC.message();
  OS << *NewCode;
  OS.close();
  if (OS.has_error()) {
    OS.clear_error();
    return "cannot write '" + File + "'";
  }
  return "";
}

} // namespace

FixOutcome applyFixes(const std::vector<Finding> &Reported,
                      const RunConfig &Config) {
  FixOutcome Out;
  std::map<std::string, clang::tooling::Replacements> PerFile;
  std::set<ReplacementKey> Seen;
  for (const Finding &F : Reported) {
    if (F.Fixes.empty())
      continue;
    ++Out.Offered;
    // A finding's replacements go in together or not at all. One already
    // taken (the same fix offered twice) is not taken again.
    std::map<std::string, clang::tooling::Replacements> Trial;
    std::set<ReplacementKey> New;
    std::string Conflict;
    for (const Replacement &R : F.Fixes) {
      ReplacementKey Key{R.File, R.Offset, R.Length, R.Text};
      if (Seen.count(Key) || !New.insert(Key).second)
        continue;
      auto [It, Inserted] = Trial.try_emplace(R.File);
      if (Inserted)
        It->second = PerFile[R.File];
      if (llvm::Error E = It->second.add(clang::tooling::Replacement(
              R.File, R.Offset, R.Length, R.Text))) {
        Conflict = llvm::toString(std::move(E));
        break;
      }
    }
    if (!Conflict.empty()) {
      Out.Problems.push_back("the fix of " + where(F) +
                             " overlaps another fix; not applied");
      continue;
    }
    for (auto &[File, Fixes] : Trial)
      PerFile[File] = std::move(Fixes);
    Seen.insert(New.begin(), New.end());
    ++Out.Applied;
  }

  auto Provider = makeOptionsProvider(Config);
  for (const auto &[File, Fixes] : PerFile) {
    if (Fixes.empty())
      continue;
    std::string Style =
        Provider->getOptions(File).FormatStyle.value_or("none");
    std::string Problem = rewrite(File, Fixes, Style);
    if (Problem.empty())
      Out.ChangedFiles.push_back(File);
    else
      Out.Problems.push_back(Problem);
  }
  return Out;
}

} // namespace tether::driver
