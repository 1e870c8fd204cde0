//===--- Fingerprint.cpp --------------------------------------------------===//

#include "Fingerprint.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

namespace tether::driver {

std::string relativeTo(llvm::StringRef Root, llvm::StringRef File) {
  if (Root.empty())
    return File.str();
  llvm::SmallString<256> Prefix(Root);
  if (!Prefix.ends_with("/"))
    Prefix += "/";
  if (File.starts_with(Prefix))
    return File.drop_front(Prefix.size()).str();
  return File.str();
}

std::vector<std::string> fingerprints(const std::vector<Finding> &Findings,
                                      llvm::StringRef Root,
                                      SourceCache &Sources) {
  std::vector<std::string> Out;
  llvm::StringMap<unsigned> Seen;
  for (const Finding &F : Findings) {
    std::string Key = F.Check + "\n" + relativeTo(Root, F.Loc.File) + "\n" +
                      F.Message + "\n";
    if (auto Line = Sources.lineText(F.Loc.File, F.Loc.Line)) {
      // Whitespace changes (reindenting) keep the identity.
      for (char C : *Line)
        if (C != ' ' && C != '\t')
          Key += C;
    }
    unsigned Occurrence = Seen[Key]++;
    Key += "\n" + std::to_string(Occurrence);
    std::string Hex = llvm::utohexstr(llvm::xxh3_64bits(Key), /*LowerCase=*/true);
    Out.push_back(std::string(16 - std::min<size_t>(16, Hex.size()), '0') + Hex);
  }
  return Out;
}

} // namespace tether::driver
