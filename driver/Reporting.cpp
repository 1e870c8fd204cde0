//===--- Reporting.cpp ----------------------------------------------------===//

#include "Reporting.h"
#include "Fingerprint.h"
#include "reporters/MachineReporters.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace tether::driver {

std::vector<Output> openOutputs(const Options &Opts) {
  std::vector<Output> Out;
  for (const OutputSpec &Spec : Opts.Outputs) {
    Output O;
    O.Writer = makeReporter(Spec.Format, Opts.Color && Spec.File.empty());
    if (!Spec.File.empty()) {
      std::error_code EC;
      O.Stream = std::make_unique<raw_fd_ostream>(Spec.File, EC);
      if (EC)
        fail("cannot write '" + Spec.File + "': " + EC.message());
    }
    Out.push_back(std::move(O));
  }
  return Out;
}

void writeReports(const RunReport &Report, std::vector<Output> &Outputs) {
  for (Output &O : Outputs) {
    raw_ostream &OS = O.Stream ? *O.Stream : outs();
    O.Writer->write(Report, OS);
    OS.flush();
  }
}

void writeBaseline(const RunReport &Report, const std::string &Path) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  if (EC)
    fail("cannot write --write-baseline '" + Path + "': " + EC.message());
  SarifReporter().write(Report, OS);
}

ProgressLine::ProgressLine(const Options &Opts, size_t Total,
                           std::string SourceRoot)
    : Total(Total), Verbose(Opts.Verbose), SourceRoot(std::move(SourceRoot)),
      Start(std::chrono::steady_clock::now()) {
  // --verbose prints whole lines; the progress line would overwrite them.
  bool Wanted = Opts.Progress || (sys::Process::StandardErrIsDisplayed() &&
                                  !getenv("CI"));
  Bar = Wanted && !Verbose && Total > 1;
}

void ProgressLine::done(const TUResult &R) {
  ++Done;
  Findings += R.Findings.size();
  if (Verbose)
    errs() << "tether: " << relativeTo(SourceRoot, R.File) << ": "
           << (R.FromCache ? "from the cache"
                           : formatv("{0:f2}s", R.Seconds).str())
           << (!R.ToolError.empty() ? ", not analysed"
               : !R.compiles()      ? ", does not compile"
                                    : "")
           << '\n';
  if (!Bar)
    return;
  double Elapsed = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - Start)
                       .count();
  unsigned Left = unsigned(Elapsed / Done * (Total - Done) + 0.5);
  errs() << "\r[" << Done << '/' << Total << "] " << Findings << " finding"
         << (Findings == 1 ? "" : "s") << ", " << Left << "s left   ";
  errs().flush();
}

void ProgressLine::finish() {
  if (Bar && Done)
    errs() << "\r" << std::string(60, ' ') << "\r";
}

void printCommandAdjustments(const CommandAdjustments &Seen,
                             const Options &Opts) {
  if (Opts.Quiet)
    return;
  if (!Seen.Dropped.empty())
    errs() << "tether: left out of the compile commands, as clang does not "
              "know them or must not get them: "
           << join(Seen.Dropped, " ")
           << " (--removed-arg=ARG leaves out more)\n";
  if (!Seen.Added.empty())
    errs() << "tether: added to the compile commands, for the headers of "
              "their GCC: "
           << join(Seen.Added, " ") << '\n';
}

void printFixOutcome(const FixOutcome &Fixed, const Options &Opts) {
  for (const std::string &P : Fixed.Problems)
    WithColor::warning(errs(), "tether") << P << '\n';
  if (Opts.Quiet)
    return;
  errs() << "tether: applied " << Fixed.Applied << " of " << Fixed.Offered
         << " fix" << (Fixed.Offered == 1 ? "" : "es") << " in "
         << Fixed.ChangedFiles.size() << " file"
         << (Fixed.ChangedFiles.size() == 1 ? "" : "s") << '\n';
}

void printSummary(const RunReport &Report, const Options &Opts) {
  unsigned Cached = 0, Broken = 0, NotAnalysed = 0;
  for (const TUResult &R : Report.Results) {
    Cached += R.FromCache;
    NotAnalysed += !R.ToolError.empty();
    Broken += R.ToolError.empty() && !R.compiles();
  }
  if (Opts.Quiet)
    return;
  if (!Opts.Run.CacheDir.empty())
    errs() << "tether: " << Cached << " of " << Report.Results.size()
           << " file(s) from the cache\n";
  size_t Findings = Report.Findings.size(), Files = Report.Results.size();
  if (!Findings && !Broken && !NotAnalysed)
    return;
  errs() << "tether: " << Findings << " finding" << (Findings == 1 ? "" : "s")
         << " in " << Files << " file" << (Files == 1 ? "" : "s");
  if (Broken)
    errs() << ", " << Broken << " file(s) do not compile: findings may be "
           << "incomplete";
  if (NotAnalysed)
    errs() << ", " << NotAnalysed << " file(s) could not be analysed";
  errs() << '\n';
}

int exitCode(const RunReport &Report, Level FailOn) {
  if (llvm::any_of(Report.Results, [](const TUResult &R) { return R.failed(); }))
    return 2;
  return llvm::any_of(Report.Findings,
                      [&](const Finding &F) { return F.Severity >= FailOn; })
             ? 1
             : 0;
}

} // namespace tether::driver
