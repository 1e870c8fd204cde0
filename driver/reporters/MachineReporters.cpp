//===--- MachineReporters.cpp ---------------------------------------------===//

#include "MachineReporters.h"
#include "TextReporter.h"
#include "../CheckCatalog.h"
#include "../Fingerprint.h"
#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif
#ifndef TETHER_HOMEPAGE
#define TETHER_HOMEPAGE "https://github.com/tether-lint/tether"
#endif

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace tether::driver {

std::string RunReport::relative(llvm::StringRef File) const {
  return relativeTo(SourceRoot, File);
}

std::string failureMessage(const TUResult &R,
                           llvm::function_ref<std::string(llvm::StringRef)> Path) {
  if (!R.ToolError.empty())
    return "cannot analyse this file: " + R.ToolError;
  std::string Out = "does not compile: ";
  const Location &L = R.FirstError.Loc;
  if (!L.File.empty()) {
    Out += Path(L.File);
    if (L.Line)
      Out += ":" + std::to_string(L.Line) + ":" + std::to_string(L.Column);
    Out += ": ";
  }
  Out += R.FirstError.Message;
  if (R.CompilerErrors > 1)
    Out += " (and " + std::to_string(R.CompilerErrors - 1) + " more error" +
           (R.CompilerErrors > 2 ? "s" : "") + ")";
  return Out;
}

namespace {

const char *FingerprintKey = "tether/v1";

llvm::StringRef sarifLevel(Level L) {
  return L == Level::Error ? "error" : L == Level::Note ? "note" : "warning";
}

/// URIs: repo-relative with a base id when below the source root.
Object artifactLocation(const RunReport &R, llvm::StringRef File) {
  std::string Rel = R.relative(File);
  if (Rel != File)
    return Object{{"uri", Rel}, {"uriBaseId", "%SRCROOT%"}};
  return Object{{"uri", "file://" + File.str()}};
}

Object physicalLocation(const RunReport &R, const Location &L) {
  Object Region{{"startLine", std::max(1u, L.Line)}};
  if (L.Column)
    Region["startColumn"] = L.Column;
  return Object{{"artifactLocation", artifactLocation(R, L.File)},
                {"region", std::move(Region)}};
}

std::string ruleName(llvm::StringRef Id) {
  // tether-unjoined-task -> UnjoinedTask
  std::string Out;
  bool Upper = true;
  for (char C : Id.drop_front(std::min<size_t>(Id.size(), 7))) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Out += Upper ? char(toupper(C)) : C;
    Upper = false;
  }
  return Out;
}

/// The first paragraph of a page's body (after the title).
std::string firstParagraph(llvm::StringRef Markdown) {
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  Markdown.split(Lines, '\n');
  std::string Out;
  for (llvm::StringRef Line : Lines) {
    if (Line.starts_with("#"))
      continue;
    if (Line.trim().empty()) {
      if (!Out.empty())
        break;
      continue;
    }
    if (!Out.empty())
      Out += ' ';
    Out += Line.trim().str();
  }
  return Out;
}

Value sarifRule(const CheckInfo &C) {
  Array Tags;
  for (const std::string &T : C.Tags)
    Tags.push_back(T);
  std::string Summary = C.Summary.empty() ? C.Name : C.Summary;
  std::string Help = C.Markdown.empty() ? Summary : C.Markdown;
  Object Properties{{"tags", std::move(Tags)},
                    {"problem.severity", C.Severity}};
  if (!C.Precision.empty())
    Properties["precision"] = C.Precision;
  return Object{
      {"id", C.Name},
      {"name", ruleName(C.Name)},
      {"shortDescription", Object{{"text", Summary}}},
      {"fullDescription",
       Object{{"text", C.Markdown.empty() ? Summary : firstParagraph(C.Markdown)}}},
      {"help", Object{{"text", Help}, {"markdown", Help}}},
      {"helpUri", std::string(TETHER_HOMEPAGE) + "/blob/main/docs/checks/" +
                      C.Name + ".md"},
      {"defaultConfiguration",
       Object{{"level", C.Severity == "error" ? "error" : "warning"},
              {"enabled", C.DefaultOn}}},
      {"properties", std::move(Properties)}};
}

void writeJSON(llvm::raw_ostream &OS, Value V) {
  OS << llvm::formatv("{0:2}", V) << '\n';
}

} // namespace

void SarifReporter::write(const RunReport &R, llvm::raw_ostream &OS) {
  const std::vector<CheckInfo> &Catalog = checkCatalog();
  llvm::StringMap<unsigned> RuleIndex;
  Array Rules;
  for (const CheckInfo &C : Catalog) {
    RuleIndex[C.Name] = Rules.size();
    Rules.push_back(sarifRule(C));
  }

  Array Results, Notifications;
  for (size_t I = 0; I < R.Findings.size(); ++I) {
    const Finding &F = R.Findings[I];
    Object Result{{"ruleId", F.Check},
                  {"level", sarifLevel(F.Severity)},
                  {"message", Object{{"text", F.Message}}},
                  {"locations", Array{Object{{"physicalLocation",
                                              physicalLocation(R, F.Loc)}}}},
                  {"partialFingerprints",
                   Object{{FingerprintKey, R.Fingerprints[I]}}}};
    auto Rule = RuleIndex.find(F.Check);
    if (Rule != RuleIndex.end())
      Result["ruleIndex"] = Rule->second;
    if (!F.Notes.empty()) {
      Array Related, FlowSteps;
      FlowSteps.push_back(Object{
          {"location", Object{{"physicalLocation", physicalLocation(R, F.Loc)},
                              {"message", Object{{"text", F.Message}}}}}});
      unsigned Id = 1;
      for (const Note &N : F.Notes) {
        if (N.Loc.File.empty())
          continue;
        Related.push_back(Object{{"id", Id++},
                                 {"physicalLocation", physicalLocation(R, N.Loc)},
                                 {"message", Object{{"text", N.Message}}}});
        FlowSteps.push_back(Object{
            {"location", Object{{"physicalLocation", physicalLocation(R, N.Loc)},
                                {"message", Object{{"text", N.Message}}}}}});
      }
      Result["relatedLocations"] = std::move(Related);
      Result["codeFlows"] = Array{Object{
          {"threadFlows", Array{Object{{"locations", std::move(FlowSteps)}}}}}};
    }
    if (!F.Fixes.empty()) {
      Array Changes;
      for (const Replacement &Fix : F.Fixes)
        Changes.push_back(Object{
            {"artifactLocation", artifactLocation(R, Fix.File)},
            {"replacements",
             Array{Object{{"deletedRegion", Object{{"byteOffset", Fix.Offset},
                                                   {"byteLength", Fix.Length}}},
                          {"insertedContent", Object{{"text", Fix.Text}}}}}}});
      Result["fixes"] = Array{Object{
          {"description", Object{{"text", "apply the suggested rewrite"}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    Results.push_back(std::move(Result));
  }
  bool Success = true;
  auto Relative = [&](llvm::StringRef F) { return R.relative(F); };
  for (const TUResult &T : R.Results) {
    if (!T.failed())
      continue;
    Success = false;
    // The unit, then (when it is elsewhere, e.g. in a header) the place of
    // the first compiler error.
    Array Locations{Object{
        {"physicalLocation",
         Object{{"artifactLocation", artifactLocation(R, T.File)}}}}};
    const Location &Error = T.FirstError.Loc;
    if (T.ToolError.empty() && !Error.File.empty() && Error.Line) {
      if (Error.File == T.File)
        Locations.clear();
      Locations.push_back(
          Object{{"physicalLocation", physicalLocation(R, Error)}});
    }
    Notifications.push_back(
        Object{{"level", "error"},
               {"message", Object{{"text", failureMessage(T, Relative)}}},
               {"locations", std::move(Locations)}});
  }

  // Canonical order, so `tether merge` of shards writes the same bytes.
  std::vector<std::pair<std::string, Value>> Sorted;
  for (Value &N : Notifications) {
    std::string Key;
    llvm::raw_string_ostream(Key) << N;
    Sorted.push_back({Key, std::move(N)});
  }
  std::sort(Sorted.begin(), Sorted.end(),
            [](const auto &A, const auto &B) { return A.first < B.first; });
  Notifications.clear();
  for (auto &KV : Sorted)
    Notifications.push_back(std::move(KV.second));

  Object Driver{{"name", "tether"},
                {"version", TETHER_VERSION},
                {"semanticVersion", TETHER_VERSION},
                {"informationUri", TETHER_HOMEPAGE},
                {"rules", std::move(Rules)}};
  Object Run{{"tool", Object{{"driver", std::move(Driver)}}},
             {"invocations",
              Array{Object{{"executionSuccessful", Success},
                           {"toolExecutionNotifications",
                            std::move(Notifications)}}}},
             {"results", std::move(Results)},
             {"columnKind", "unicodeCodePoints"}};
  if (!R.AutomationId.empty())
    Run["automationDetails"] = Object{{"id", R.AutomationId}};
  if (!R.SourceRoot.empty())
    Run["originalUriBaseIds"] =
        Object{{"%SRCROOT%",
                Object{{"uri", "file://" + R.SourceRoot +
                                   (llvm::StringRef(R.SourceRoot).ends_with("/")
                                        ? ""
                                        : "/")}}}};
  writeJSON(OS, Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                       {"version", "2.1.0"},
                       {"runs", Array{std::move(Run)}}});
}

void JsonReporter::write(const RunReport &R, llvm::raw_ostream &OS) {
  auto Loc = [&](const Location &L) {
    return Object{{"file", R.relative(L.File)},
                  {"line", L.Line},
                  {"column", L.Column}};
  };
  Array Findings, Errors;
  for (size_t I = 0; I < R.Findings.size(); ++I) {
    const Finding &F = R.Findings[I];
    Object O = Loc(F.Loc);
    O["check"] = F.Check;
    O["level"] = levelName(F.Severity);
    O["message"] = F.Message;
    O["fingerprint"] = R.Fingerprints[I];
    Array Notes, Fixes;
    for (const Note &N : F.Notes) {
      Object NO = Loc(N.Loc);
      NO["message"] = N.Message;
      Notes.push_back(std::move(NO));
    }
    for (const Replacement &Fix : F.Fixes)
      Fixes.push_back(Object{{"file", R.relative(Fix.File)},
                             {"offset", Fix.Offset},
                             {"length", Fix.Length},
                             {"text", Fix.Text}});
    O["notes"] = std::move(Notes);
    O["fixes"] = std::move(Fixes);
    Findings.push_back(std::move(O));
  }
  for (const TUResult &T : R.Results) {
    if (!T.failed())
      continue;
    Object Error{{"file", R.relative(T.File)},
                 {"kind", T.ToolError.empty() ? "compiler-error" : "tool-error"},
                 {"message", failureMessage(T, [&](llvm::StringRef F) {
                    return R.relative(F);
                  })}};
    if (T.ToolError.empty()) {
      Error["compiler_errors"] = T.CompilerErrors;
      Object First = Loc(T.FirstError.Loc);
      if (T.FirstError.Loc.File.empty())
        First["file"] = nullptr;
      First["message"] = T.FirstError.Message;
      Error["first_error"] = std::move(First);
    }
    Errors.push_back(std::move(Error));
  }
  writeJSON(OS, Object{{"tool", "tether"},
                       {"version", TETHER_VERSION},
                       {"files", int64_t(R.Results.size())},
                       {"findings", std::move(Findings)},
                       {"errors", std::move(Errors)}});
}

namespace {
std::string escapeData(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    if (C == '%')
      Out += "%25";
    else if (C == '\r')
      Out += "%0D";
    else if (C == '\n')
      Out += "%0A";
    else
      Out += C;
  }
  return Out;
}
std::string escapeProperty(llvm::StringRef S) {
  std::string Out;
  for (char C : escapeData(S)) {
    if (C == ':')
      Out += "%3A";
    else if (C == ',')
      Out += "%2C";
    else
      Out += C;
  }
  return Out;
}
} // namespace

void GithubReporter::write(const RunReport &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings) {
    std::string Message = F.Message;
    for (const Note &N : F.Notes)
      Message += "\n" + R.relative(N.Loc.File) + ":" + std::to_string(N.Loc.Line) +
                 ": note: " + N.Message;
    OS << "::" << (F.Severity == Level::Error ? "error" : "warning")
       << " file=" << escapeProperty(R.relative(F.Loc.File))
       << ",line=" << F.Loc.Line << ",col=" << F.Loc.Column
       << ",title=" << escapeProperty(F.Check) << "::" << escapeData(Message)
       << '\n';
  }
  for (const TUResult &T : R.Results) {
    if (!T.failed())
      continue;
    // A compiler error is annotated where it is; anything else on the file.
    const Location &Error = T.FirstError.Loc;
    bool AtError = T.ToolError.empty() && !Error.File.empty() && Error.Line;
    OS << "::error file="
       << escapeProperty(R.relative(AtError ? Error.File : T.File));
    if (AtError)
      OS << ",line=" << Error.Line << ",col=" << Error.Column;
    OS << ",title=tether::"
       << escapeData(failureMessage(
              T, [&](llvm::StringRef F) { return R.relative(F); }))
       << '\n';
  }
}

void CodeClimateReporter::write(const RunReport &R, llvm::raw_ostream &OS) {
  Array Issues;
  for (size_t I = 0; I < R.Findings.size(); ++I) {
    const Finding &F = R.Findings[I];
    Issues.push_back(Object{
        {"type", "issue"},
        {"check_name", F.Check},
        {"description", F.Message},
        {"categories", Array{"Bug Risk"}},
        {"severity", F.Severity == Level::Error ? "critical"
                     : F.Severity == Level::Note ? "minor"
                                                 : "major"},
        {"fingerprint", R.Fingerprints[I]},
        {"location",
         Object{{"path", R.relative(F.Loc.File)},
                {"positions",
                 Object{{"begin", Object{{"line", std::max(1u, F.Loc.Line)},
                                         {"column", std::max(1u, F.Loc.Column)}}},
                        {"end", Object{{"line", std::max(1u, F.Loc.Line)},
                                       {"column", std::max(1u, F.Loc.Column)}}}}}}}});
  }
  writeJSON(OS, std::move(Issues));
}

void FixesReporter::write(const RunReport &R, llvm::raw_ostream &OS) {
  // clang-tidy's --export-fixes format, for clang-apply-replacements.
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = "";
  for (const Finding &F : R.Findings) {
    clang::tooling::DiagnosticMessage Msg(F.Message);
    Msg.FilePath = F.Loc.File;
    Msg.FileOffset = F.Loc.Offset;
    for (const Replacement &Fix : F.Fixes) {
      llvm::Error E = Msg.Fix[Fix.File].add(clang::tooling::Replacement(
          Fix.File, Fix.Offset, Fix.Length, Fix.Text));
      llvm::consumeError(std::move(E));
    }
    llvm::SmallVector<clang::tooling::DiagnosticMessage, 1> Notes;
    for (const Note &N : F.Notes) {
      clang::tooling::DiagnosticMessage NM(N.Message);
      NM.FilePath = N.Loc.File;
      NM.FileOffset = N.Loc.Offset;
      Notes.push_back(NM);
    }
    TUD.Diagnostics.emplace_back(
        F.Check, Msg, Notes,
        F.Severity == Level::Error ? clang::tooling::Diagnostic::Error
                                   : clang::tooling::Diagnostic::Warning,
        "");
  }
  llvm::yaml::Output YAML(OS);
  YAML << TUD;
}

std::unique_ptr<Reporter> makeReporter(llvm::StringRef Format, bool Color) {
  if (Format == "text")
    return std::make_unique<TextReporter>(Color);
  if (Format == "sarif")
    return std::make_unique<SarifReporter>();
  if (Format == "json")
    return std::make_unique<JsonReporter>();
  if (Format == "github")
    return std::make_unique<GithubReporter>();
  if (Format == "codeclimate")
    return std::make_unique<CodeClimateReporter>();
  if (Format == "fixes")
    return std::make_unique<FixesReporter>();
  return nullptr;
}

llvm::StringRef formatNames() {
  return "text|sarif|json|github|codeclimate|fixes";
}

llvm::Expected<std::vector<std::string>> readBaseline(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "cannot read '%s': %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  auto Parsed = llvm::json::parse((*Buf)->getBuffer());
  if (!Parsed)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' is not JSON: %s", Path.str().c_str(),
                                   llvm::toString(Parsed.takeError()).c_str());
  std::vector<std::string> Out;
  const Object *Root = Parsed->getAsObject();
  const Array *Runs = Root ? Root->getArray("runs") : nullptr;
  if (!Runs)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' is not a SARIF log (no runs)",
                                   Path.str().c_str());
  for (const Value &Run : *Runs)
    if (const Object *RunObj = Run.getAsObject())
      if (const Array *Results = RunObj->getArray("results"))
        for (const Value &Res : *Results)
          if (const Object *ResObj = Res.getAsObject())
            if (const Object *FP = ResObj->getObject("partialFingerprints"))
              if (auto Id = FP->getString(FingerprintKey))
                Out.push_back(Id->str());
  return Out;
}

} // namespace tether::driver
