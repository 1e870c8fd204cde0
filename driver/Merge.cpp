//===--- Merge.cpp --------------------------------------------------------===//

#include "Merge.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace llvm;
using json::Array;
using json::Object;
using json::Value;

namespace tether::driver {

namespace {

cl::SubCommand MergeCommand(
    "merge", "Combine the SARIF (or JSON) reports of --shard runs into the "
             "report one unsharded run writes");
cl::OptionCategory MergeCategory("tether merge options");
cl::list<std::string> Reports(cl::Positional, cl::desc("REPORT..."),
                              cl::sub(MergeCommand), cl::cat(MergeCategory));
cl::opt<std::string> MergedOutput(
    "o", cl::value_desc("FILE"), cl::Prefix,
    cl::desc("Write the merged report to FILE (default: standard output)"),
    cl::sub(MergeCommand), cl::cat(MergeCategory));

int usage(const Twine &Message) {
  WithColor::error(errs(), "tether merge") << Message << '\n';
  errs() << "usage: tether merge [-o OUT] REPORT.sarif|REPORT.json ...\n";
  return 2;
}

std::string text(const Value &V) {
  std::string S;
  raw_string_ostream OS(S);
  OS << V;
  return S;
}

/// The order an unsharded run writes results in: file, line, column, rule,
/// message.
using ResultKey = std::tuple<std::string, int64_t, int64_t, std::string,
                             std::string, std::string>;

ResultKey sarifKey(const Value &R) {
  const Object *O = R.getAsObject();
  std::string Uri, Rule, Message;
  int64_t Line = 0, Col = 0;
  if (O) {
    Rule = O->getString("ruleId").value_or("").str();
    if (const Object *M = O->getObject("message"))
      Message = M->getString("text").value_or("").str();
    if (const Array *Locs = O->getArray("locations"))
      if (!Locs->empty())
        if (const Object *L = (*Locs)[0].getAsObject())
          if (const Object *P = L->getObject("physicalLocation")) {
            if (const Object *A = P->getObject("artifactLocation"))
              Uri = A->getString("uri").value_or("").str();
            if (const Object *Reg = P->getObject("region")) {
              Line = Reg->getInteger("startLine").value_or(0);
              Col = Reg->getInteger("startColumn").value_or(0);
            }
          }
  }
  return {Uri, Line, Col, Rule, Message, text(R)};
}

ResultKey jsonKey(const Value &F) {
  const Object *O = F.getAsObject();
  if (!O)
    return {};
  return {O->getString("file").value_or("").str(),
          O->getInteger("line").value_or(0),
          O->getInteger("column").value_or(0),
          O->getString("check").value_or("").str(),
          O->getString("message").value_or("").str(),
          text(F)};
}

/// Sorted, deduplicated union of \p Items by \p Key.
template <typename KeyFn>
Array unionOf(std::vector<Value> Items, KeyFn Key) {
  std::vector<std::pair<ResultKey, Value>> Keyed;
  for (Value &V : Items)
    Keyed.push_back({Key(V), std::move(V)});
  std::sort(Keyed.begin(), Keyed.end(),
            [](const auto &A, const auto &B) { return A.first < B.first; });
  Array Out;
  std::set<std::string> Seen;
  for (auto &[K, V] : Keyed)
    if (Seen.insert(std::get<5>(K)).second)
      Out.push_back(std::move(V));
  return Out;
}

ResultKey byText(const Value &V) { return {"", 0, 0, "", "", text(V)}; }

} // namespace

bool mergeRequested() { return bool(MergeCommand); }

void hideUnrelatedMergeOptions() {
  cl::HideUnrelatedOptions(MergeCategory, MergeCommand);
}

int mergeReports() {
  std::string Output = MergedOutput;
  std::vector<std::string> Inputs(Reports.begin(), Reports.end());
  if (Inputs.empty())
    return usage("no reports to merge");

  std::vector<Value> Reports;
  for (const std::string &In : Inputs) {
    auto Buf = MemoryBuffer::getFile(In);
    if (!Buf)
      return usage("cannot read '" + In + "': " + Buf.getError().message());
    auto Parsed = json::parse((*Buf)->getBuffer());
    if (!Parsed)
      return usage("'" + In + "' is not JSON: " + toString(Parsed.takeError()));
    Reports.push_back(std::move(*Parsed));
  }
  const Object *First = Reports.front().getAsObject();
  bool Sarif = First && First->getArray("runs");
  bool Json = First && First->getArray("findings");
  if (!Sarif && !Json)
    return usage("'" + Inputs.front() +
                 "' is neither a tether SARIF nor a tether JSON report");

  Value Merged = Reports.front();
  Object &Root = *Merged.getAsObject();
  if (Sarif) {
    std::vector<Value> Results, Notifications;
    bool Success = true;
    for (size_t I = 0; I < Reports.size(); ++I) {
      const Object *O = Reports[I].getAsObject();
      const Array *Runs = O ? O->getArray("runs") : nullptr;
      if (!Runs || Runs->size() != 1)
        return usage("'" + Inputs[I] + "' is not a single-run tether SARIF log");
      const Object *Run = (*Runs)[0].getAsObject();
      if (const Array *R = Run->getArray("results"))
        Results.insert(Results.end(), R->begin(), R->end());
      if (const Array *Invs = Run->getArray("invocations"))
        for (const Value &Inv : *Invs)
          if (const Object *IO = Inv.getAsObject()) {
            Success &= IO->getBoolean("executionSuccessful").value_or(true);
            if (const Array *N = IO->getArray("toolExecutionNotifications"))
              Notifications.insert(Notifications.end(), N->begin(), N->end());
          }
    }
    Object &Run = *(*Root.getArray("runs"))[0].getAsObject();
    Run["results"] = unionOf(std::move(Results), sarifKey);
    Run["invocations"] =
        Array{Object{{"executionSuccessful", Success},
                     {"toolExecutionNotifications",
                      unionOf(std::move(Notifications), byText)}}};
  } else {
    std::vector<Value> Findings, Errors;
    int64_t Files = 0;
    for (size_t I = 0; I < Reports.size(); ++I) {
      const Object *O = Reports[I].getAsObject();
      if (!O || !O->getArray("findings"))
        return usage("'" + Inputs[I] + "' is not a tether JSON report");
      Findings.insert(Findings.end(), O->getArray("findings")->begin(),
                      O->getArray("findings")->end());
      if (const Array *E = O->getArray("errors"))
        Errors.insert(Errors.end(), E->begin(), E->end());
      Files += O->getInteger("files").value_or(0);
    }
    Root["findings"] = unionOf(std::move(Findings), jsonKey);
    Root["errors"] = unionOf(std::move(Errors), byText);
    Root["files"] = Files;
  }

  std::error_code EC;
  std::unique_ptr<raw_fd_ostream> File;
  if (!Output.empty()) {
    File = std::make_unique<raw_fd_ostream>(Output, EC);
    if (EC)
      return usage("cannot write '" + Output + "': " + EC.message());
  }
  raw_ostream &OS = File ? *File : outs();
  OS << formatv("{0:2}", Merged) << '\n';
  return 0;
}

} // namespace tether::driver
