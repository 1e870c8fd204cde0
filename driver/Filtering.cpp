//===--- Filtering.cpp ----------------------------------------------------===//

#include "Filtering.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"

namespace tether::driver {

llvm::Expected<LineFilter> parseLineFilter(llvm::StringRef Text) {
  auto Problem = [](const llvm::Twine &Message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Message.str());
  };
  auto Parsed = llvm::json::parse(Text);
  if (!Parsed)
    return Problem(" is not JSON: " + llvm::toString(Parsed.takeError()));
  const llvm::json::Array *Files = Parsed->getAsArray();
  if (!Files)
    return Problem(
        ": expected a list like [{\"name\":\"a.cpp\",\"lines\":[[1,9]]}]");
  LineFilter Out;
  for (const llvm::json::Value &F : *Files) {
    const llvm::json::Object *O = F.getAsObject();
    std::optional<llvm::StringRef> Name =
        O ? O->getString("name") : std::nullopt;
    if (!Name)
      return Problem(": every entry needs a \"name\"");
    std::vector<std::pair<unsigned, unsigned>> Ranges;
    if (const llvm::json::Array *L = O->getArray("lines"))
      for (const llvm::json::Value &R : *L) {
        const llvm::json::Array *Pair = R.getAsArray();
        if (!Pair || Pair->size() != 2 || !(*Pair)[0].getAsInteger() ||
            !(*Pair)[1].getAsInteger())
          return Problem(": \"lines\" holds [first, last] pairs");
        Ranges.push_back({unsigned(*(*Pair)[0].getAsInteger()),
                          unsigned(*(*Pair)[1].getAsInteger())});
      }
    Out.push_back({Name->str(), std::move(Ranges)});
  }
  return Out;
}

static bool accepts(const LineFilter &Filter, const Location &L) {
  for (const auto &[Name, Ranges] : Filter) {
    if (!llvm::StringRef(L.File).ends_with(Name))
      continue;
    if (Ranges.empty())
      return true;
    for (const auto &[First, Last] : Ranges)
      if (L.Line >= First && L.Line <= Last)
        return true;
  }
  return false;
}

std::vector<Finding>
findingsToReport(const std::vector<TUResult> &Results,
                 const std::optional<llvm::StringMap<ChangedFile>> &Changed,
                 const std::optional<LineFilter> &Lines, bool KeepBroken) {
  std::vector<Finding> Kept;
  for (const TUResult &R : Results)
    if (KeepBroken || R.compiles())
      Kept.insert(Kept.end(), R.Findings.begin(), R.Findings.end());
  llvm::sort(Kept);
  Kept.erase(std::unique(Kept.begin(), Kept.end()), Kept.end());
  llvm::erase_if(Kept, [&](const Finding &F) {
    if (Changed) {
      auto It = Changed->find(F.Loc.File);
      if (It == Changed->end() || !It->second.contains(F.Loc.Line))
        return true;
    }
    return Lines && !accepts(*Lines, F.Loc);
  });
  return Kept;
}

void dropBaselined(std::vector<Finding> &Findings,
                   std::vector<std::string> &Prints,
                   const std::set<std::string> &Baselined) {
  if (Baselined.empty())
    return;
  std::vector<Finding> KeptFindings;
  std::vector<std::string> KeptPrints;
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!Baselined.count(Prints[I])) {
      KeptFindings.push_back(std::move(Findings[I]));
      KeptPrints.push_back(std::move(Prints[I]));
    }
  Findings = std::move(KeptFindings);
  Prints = std::move(KeptPrints);
}

} // namespace tether::driver
