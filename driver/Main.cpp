//===--- Main.cpp - the tether command ------------------------------------===//
//
// tether [options] [FILE|DIR ...] [-- COMPILER ARGS]
// tether merge [-o OUT] REPORT...
//
// Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage,
// configuration, compile database or tool error, or a file that does not
// compile.
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "CompileCommands.h"
#include "FileSelection.h"
#include "Filtering.h"
#include "Fingerprint.h"
#include "Fixes.h"
#include "Merge.h"
#include "Options.h"
#include "Reporting.h"
#include "TidyRunner.h"
#include "GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

// Keeps the statically linked tether module (and its registration).
extern volatile int TetherModuleAnchorSource;
static int TetherModuleAnchorDestination [[maybe_unused]] =
    TetherModuleAnchorSource;

using namespace tether::driver;

namespace {

int listChecks() {
  for (const CheckInfo &C : checkCatalog()) {
    llvm::outs() << C.Name << (C.DefaultOn ? "" : " (off by default)") << '\n';
    llvm::outs() << "    " << (C.Documented ? C.Summary : "(undocumented)")
                 << '\n';
    llvm::outs() << "    tier: " << (C.DefaultOn ? "on by default" : "opt-in")
                 << "; held-out precision: "
                 << (C.MeasuredPrecision.empty() ? "not measured"
                                                 : C.MeasuredPrecision)
                 << '\n';
  }
  llvm::outs()
      << "\nEach check's page: tether --explain NAME. Which smell each check "
         "reports,\nand what no static analyser can decide: docs/smells.md. "
         "A check is on by default\nonly when it measured at least 95% "
         "precision on projects nobody tuned it on\n(docs/precision.md).\n";
  return 0;
}

int explain(llvm::StringRef Name) {
  const CheckInfo *C = findCheck(Name);
  if (!C)
    fail("unknown check '" + Name + "'; see tether --list-checks");
  llvm::outs() << C->Markdown;
  return 0;
}

/// The configuration the first selected file gets (the .clang-tidy files
/// above it, then --checks): what --dump-config shows.
clang::tidy::ClangTidyOptions firstFileOptions(const Options &Opts,
                                               const Selection &Selected) {
  std::string For = Selected.Files.empty() ? Selected.SourceRoot + "/dummy.cpp"
                                           : Selected.Files.front();
  return makeOptionsProvider(Opts.Run)->getOptions(For);
}

int dumpConfig(const Options &Opts, const Selection &Selected) {
  llvm::outs() << clang::tidy::configurationAsText(
      firstFileOptions(Opts, Selected));
  return 0;
}

/// Every check is opt-in until a held-out round measures it at 95%
/// (docs/precision.md), so a run with no --checks and no .clang-tidy that
/// names tether's checks enables none: say so, rather than report a clean
/// result nobody looked for. Asked of the first selected file's
/// configuration, as --dump-config shows it.
void noteWhenNothingEnabled(const Options &Opts, const Selection &Selected) {
  if (Opts.Quiet || Selected.Files.empty())
    return;
  clang::tidy::GlobList Enabled(
      firstFileOptions(Opts, Selected).Checks.value_or(""));
  if (llvm::any_of(checkCatalog(), [&](const CheckInfo &C) {
        return Enabled.contains(C.Name);
      }))
    return;
  llvm::errs() << "tether: no check is enabled: every check is opt-in until "
                  "it measures 95% precision on code nobody tuned it on "
                  "(docs/precision.md); turn them on with --checks='tether-*' "
                  "or Checks: 'tether-*' in .clang-tidy (tether --list-checks "
                  "shows each one's measured precision)\n";
}

/// Nothing to analyse is an error, unless --diff or --shard left nothing.
void checkAnythingSelected(const Options &Opts, const Selection &Selected) {
  if (!Selected.Files.empty())
    return;
  if (!Selected.Changed && !Opts.Shard)
    fail("no file left to analyse (all excluded, or the compile database is "
         "empty)");
  if (!Opts.Quiet)
    llvm::errs() << "tether: no "
                 << (Selected.Changed ? "changed file to analyse since " +
                                            Opts.DiffRef
                                      : "file to analyse in this shard")
                 << '\n';
}

/// The run: every selected file analysed in its own process, with the
/// compile commands adjusted for clang.
RunReport analyse(const Options &Opts, Selection &Selected) {
  RunReport Report;
  Report.SourceRoot = Selected.SourceRoot;
  Report.AutomationId = Opts.SarifCategory;
  if (Selected.Files.empty())
    return Report;
  auto Adjustments = std::make_shared<CommandAdjustments>();
  auto DB = adjustCommands(std::move(Selected.Database),
                           {Opts.ResourceDir, Opts.RemovedArgs, Opts.ExtraArgs},
                           Adjustments);
  for (const std::string &F : Selected.Files)
    if (DB->getCompileCommands(F).empty())
      fail("no compile command for '" + F +
           "' in the compile database: pass -p BUILD_DIR, or flags after --");
  printCommandAdjustments(*Adjustments, Opts);
  ProgressLine Progress(Opts, Selected.Files.size(), Selected.SourceRoot);
  Report.Results = runChecks(*DB, Selected.Files, Opts.Run,
                             [&](const TUResult &R) { Progress.done(R); });
  Progress.finish();
  return Report;
}

/// The findings the run reports: one per location, on the lines asked for,
/// fingerprinted, and not in the baseline (--write-baseline gets them all).
void keepReported(RunReport &Report, const Options &Opts,
                  const Selection &Selected) {
  Report.Findings =
      findingsToReport(Report.Results, Selected.Changed, Opts.Lines,
                       /*KeepBroken=*/Opts.Fix == FixMode::FixErrors);
  SourceCache Sources;
  Report.Fingerprints =
      fingerprints(Report.Findings, Selected.SourceRoot, Sources);
  if (!Opts.WriteBaseline.empty())
    writeBaseline(Report, Opts.WriteBaseline);
  dropBaselined(Report.Findings, Report.Fingerprints, Opts.Baselined);
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv); // stack traces with "while parsing X"
  Options Opts = parseOptions(argc, argv);
  switch (Opts.What) {
  case Action::Merge:
    return mergeReports();
  case Action::ListChecks:
    return listChecks();
  case Action::Explain:
    return explain(Opts.ExplainCheck);
  case Action::Analyse:
    break;
  }

  std::vector<Output> Outputs = openOutputs(Opts);
  Selection Selected = selectFiles(Opts);
  if (Opts.DumpConfig)
    return dumpConfig(Opts, Selected);
  checkAnythingSelected(Opts, Selected);
  noteWhenNothingEnabled(Opts, Selected);

  RunReport Report = analyse(Opts, Selected);
  keepReported(Report, Opts, Selected);
  writeReports(Report, Outputs);
  if (Opts.Fix != FixMode::None)
    printFixOutcome(applyFixes(Report.Findings, Opts.Run), Opts);
  printSummary(Report, Opts);
  return exitCode(Report, Opts.FailOn);
}
