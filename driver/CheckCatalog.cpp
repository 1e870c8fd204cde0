//===--- CheckCatalog.cpp -------------------------------------------------===//

#include "CheckCatalog.h"
#include "ClangTidyModule.h"
#include "clang/Basic/Version.h"
#if CLANG_VERSION_MAJOR < 22 // merged into ClangTidyModule.h in 22
#include "ClangTidyModuleRegistry.h"
#endif
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <memory>

namespace tether::driver {

namespace {
struct EmbeddedPage {
  const char *Name;
  const char *Text;
};
// Generated from docs/checks/*.md by cmake/EmbedDocs.cmake.
const EmbeddedPage EmbeddedPages[] = {
#include "CheckDocs.inc"
    {nullptr, nullptr}};
} // namespace

llvm::StringRef precisionTier(double Percent) {
  if (Percent >= 95)
    return "very-high";
  if (Percent >= 85)
    return "high";
  if (Percent >= 60)
    return "medium";
  return "low";
}

CheckInfo parseCheckPage(llvm::StringRef Name, llvm::StringRef Page) {
  CheckInfo Info;
  Info.Name = Name.str();
  Info.Documented = true;
  llvm::StringRef Rest = Page;
  if (Rest.consume_front("---\n")) {
    auto [Front, Body] = Rest.split("\n---\n");
    Rest = Body;
    llvm::SmallVector<llvm::StringRef, 16> Lines;
    Front.split(Lines, '\n');
    for (llvm::StringRef Line : Lines) {
      auto [Key, Value] = Line.split(':');
      Key = Key.trim();
      Value = Value.trim();
      if (Key == "summary")
        Info.Summary = Value.str();
      else if (Key == "default")
        Info.DefaultOn = Value != "off";
      else if (Key == "severity")
        Info.Severity = Value.str();
      else if (Key == "precision") {
        // "95% (19 of 20 judged held-out findings true, ...)", or "not
        // measured (...)": no tier, since none was measured.
        double Percent = 0;
        if (!Value.empty() && llvm::isDigit(Value.front()) &&
            !Value.take_while([](char C) {
                    return llvm::isDigit(C) || C == '.';
                  }).getAsDouble(Percent)) {
          Info.MeasuredPrecision = Value.str();
          Info.Precision = precisionTier(Percent).str();
        }
      }
      else if (Key == "tags") {
        Value = Value.trim("[] ");
        llvm::SmallVector<llvm::StringRef, 4> Tags;
        Value.split(Tags, ',', -1, false);
        for (llvm::StringRef T : Tags)
          Info.Tags.push_back(T.trim().str());
      }
    }
  }
  Info.Markdown = Rest.ltrim('\n').str();
  return Info;
}

const std::vector<CheckInfo> &checkCatalog() {
  static const std::vector<CheckInfo> Catalog = [] {
    llvm::StringMap<llvm::StringRef> Pages;
    for (const EmbeddedPage *P = EmbeddedPages; P->Name; ++P)
      Pages[P->Name] = P->Text;
    clang::tidy::ClangTidyCheckFactories Factories;
    for (const auto &Entry : clang::tidy::ClangTidyModuleRegistry::entries())
      Entry.instantiate()->addCheckFactories(Factories);
    std::vector<CheckInfo> Out;
    for (const auto &F : Factories) {
      llvm::StringRef Name = F.getKey();
      if (!Name.starts_with("tether-"))
        continue;
      auto Page = Pages.find(Name);
      if (Page != Pages.end()) {
        Out.push_back(parseCheckPage(Name, Page->second));
      } else {
        CheckInfo Info;
        Info.Name = Name.str();
        Out.push_back(Info);
      }
    }
    std::sort(Out.begin(), Out.end(),
              [](const CheckInfo &A, const CheckInfo &B) { return A.Name < B.Name; });
    return Out;
  }();
  return Catalog;
}

const CheckInfo *findCheck(llvm::StringRef Name) {
  for (const CheckInfo &C : checkCatalog())
    if (C.Name == Name)
      return &C;
  return nullptr;
}

std::string defaultChecksGlob() {
  std::string Glob = "tether-*";
  for (const CheckInfo &C : checkCatalog())
    if (!C.DefaultOn)
      Glob += ",-" + C.Name;
  return Glob;
}

} // namespace tether::driver
