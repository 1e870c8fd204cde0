//===--- Options.cpp - tether's options and their validation -------------===//

#include "Options.h"
#include "CheckCatalog.h"
#include "Merge.h"
#include "reporters/MachineReporters.h"
#include "ClangTidyOptions.h"
#include "GlobList.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif
#ifndef TETHER_RESOURCE_DIR
#define TETHER_RESOURCE_DIR ""
#endif

using namespace llvm;

namespace tether::driver {

namespace {

cl::OptionCategory Category("tether options");

cl::list<std::string> Inputs(cl::Positional, cl::desc("[FILE|DIR ...]"),
                             cl::cat(Category));
cl::opt<std::string> BuildPath(
    "p", cl::value_desc("BUILD_DIR"), cl::Prefix,
    cl::desc("Directory holding compile_commands.json (default: searched for\n"
             "upwards from the first file, as clang-tidy does)"),
    cl::cat(Category));
cl::opt<std::string> Checks(
    "checks", cl::value_desc("GLOBS"),
    cl::desc("Comma-separated globs of checks to run, applied after the\n"
             ".clang-tidy files (e.g. '-*,tether-detached-thread')"),
    cl::cat(Category));
cl::opt<std::string> ConfigFile(
    "config-file", cl::value_desc("FILE"),
    cl::desc("Read the configuration from FILE instead of .clang-tidy files"),
    cl::cat(Category));
cl::opt<std::string> ResourceDir(
    "resource-dir", cl::value_desc("DIR"),
    cl::desc("Clang's resource directory (builtin headers);\n"
             "default: " TETHER_RESOURCE_DIR),
    cl::init(TETHER_RESOURCE_DIR), cl::cat(Category));
cl::list<std::string> ExtraArgs(
    "extra-arg", cl::value_desc("ARG"),
    cl::desc("Append ARG to every compile command"), cl::cat(Category));
cl::list<std::string> RemovedArgs(
    "removed-arg", cl::value_desc("ARG"),
    cl::desc("Remove ARG (exactly this argument) from every compile command,\n"
             "as clang-tidy's --removed-arg; applied before --extra-arg.\n"
             "Flags clang does not know (GCC's) are removed without it"),
    cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::value_desc("N"), cl::Prefix,
                       cl::desc("Analyse N files in parallel (default: cores)"),
                       cl::init(0), cl::cat(Category));
cl::opt<unsigned> Timeout(
    "timeout", cl::value_desc("SECONDS"),
    cl::desc("Give up on a file after SECONDS (default: none)"), cl::init(0),
    cl::cat(Category));
cl::opt<bool> All("all", cl::desc("Analyse every file in the compile database"),
                  cl::cat(Category));
cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the checks with their summaries"),
                         cl::cat(Category));
cl::opt<std::string> Explain("explain", cl::value_desc("CHECK"),
                             cl::desc("Print the documentation of CHECK"),
                             cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Do not print the summary line or notes about the run"),
                    cl::cat(Category));
cl::list<std::string> Formats(
    "format", cl::value_desc("FORMAT[:FILE]"),
    cl::desc("Output format: text, sarif, json, github, codeclimate, fixes.\n"
             "Repeat for several; FORMAT:FILE writes that one to FILE\n"
             "(default: text to standard output)"),
    cl::cat(Category));
cl::opt<std::string> OutputFile(
    "o", cl::value_desc("FILE"),
    cl::desc("Write the (single) --format to FILE instead of standard output"),
    cl::cat(Category));
cl::opt<std::string> FailOn(
    "fail-on", cl::value_desc("note|warning|error"),
    cl::desc("Exit 1 when a finding is at or above this level (default: "
             "warning)"),
    cl::init("warning"), cl::cat(Category));
cl::opt<std::string> Baseline(
    "baseline", cl::value_desc("FILE.sarif"),
    cl::desc("Report only findings whose fingerprint is not in this SARIF"),
    cl::cat(Category));
cl::opt<std::string> WriteBaseline(
    "write-baseline", cl::value_desc("FILE.sarif"),
    cl::desc("Write every finding to FILE.sarif, for a later --baseline"),
    cl::cat(Category));
cl::opt<std::string> DiffRef(
    "diff", cl::value_desc("REF"),
    cl::desc("Analyse only files changed since the git REF (and the files\n"
             "that include changed headers); report only findings on\n"
             "changed lines"),
    cl::cat(Category));
cl::opt<std::string> LineFilterText(
    "line-filter", cl::value_desc("JSON"),
    cl::desc("Report only findings on these lines, as clang-tidy's\n"
             "--line-filter: [{\"name\":\"a.cpp\",\"lines\":[[1,9]]}]"),
    cl::cat(Category));
cl::list<std::string> Excludes(
    "exclude", cl::value_desc("GLOB"),
    cl::desc("Skip files whose path matches GLOB (repeatable)"),
    cl::cat(Category));
cl::opt<std::string> SourceRoot(
    "source-root", cl::value_desc("DIR"),
    cl::desc("Paths in reports are relative to DIR (default: the git\n"
             "repository, else the current directory)"),
    cl::cat(Category));
cl::opt<std::string> SarifCategory(
    "sarif-category", cl::value_desc("NAME"),
    cl::desc("SARIF runAutomationDetails id, to upload several runs per\n"
             "repository (default: tether/)"),
    cl::init("tether/"), cl::cat(Category));
cl::opt<bool> Progress(
    "progress",
    cl::desc("Show progress on standard error (default: on a terminal,\n"
             "unless CI is set)"),
    cl::cat(Category));
cl::opt<bool> Verbose(
    "verbose",
    cl::desc("Print each file on standard error as it finishes, with the\n"
             "time its analysis took (to find the slow ones)"),
    cl::cat(Category));
cl::opt<std::string> CacheDir(
    "cache-dir", cl::value_desc("DIR"),
    cl::desc("Reuse findings of translation units whose preprocessed\n"
             "content, flags, tether version and configuration are unchanged;\n"
             "start the files that took longest last time first"),
    cl::cat(Category));
cl::opt<std::string> Shard(
    "shard", cl::value_desc("I/N"),
    cl::desc("Analyse only the I-th of N deterministic slices of the files\n"
             "(CI matrices); combine the reports with tether merge"),
    cl::cat(Category));
cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the effective configuration for the first file"),
    cl::cat(Category));
cl::opt<bool> Fix(
    "fix",
    cl::desc("Apply the fix-its of the reported findings to the sources\n"
             "(after --baseline, --line-filter, --diff and NOLINT), once\n"
             "per location. Fixes of a file that does not compile are not\n"
             "applied without --fix-errors"),
    cl::cat(Category));
cl::opt<bool> FixErrors(
    "fix-errors",
    cl::desc("Like --fix, and apply the fixes of files that do not compile\n"
             "too"),
    cl::cat(Category));
cl::opt<std::string> FormatStyle(
    "format-style", cl::value_desc("STYLE"),
    cl::desc("Style for formatting the code around applied fixes, as\n"
             "clang-tidy's --format-style: 'none' (no formatting), 'file'\n"
             "(the .clang-format nearest the changed file; none if there is\n"
             "none), '{key: value, ...}', or 'llvm', 'google', ...\n"
             "Default: the FormatStyle of the .clang-tidy files, which is\n"
             "'none' unless they say otherwise"),
    cl::cat(Category));

const char *Overview = R"(tether: finds concurrency lifetime smells in C++

  Detached threads nobody owns, threads and tasks nobody joins, channels closed
  by their receivers, loops that ignore cancellation, busy-wait polling.

  Examples:
    tether -p build src/server.cpp          use build/compile_commands.json
    tether -p build --all                   every file in the database
    tether f.cpp -- -std=c++20 -Iinclude    compile flags after --
    tether -p build --all --fix             apply the fix-its tether offers
    tether --list-checks                    what tether can report
    tether --explain tether-detached-thread the rule, with examples
    tether merge -o all.sarif shard*.sarif  combine the reports of --shard runs

  Configuration comes from the .clang-tidy files the project already has
  (Checks, CheckOptions, HeaderFilterRegex, FormatStyle); tether's checks are
  on unless a .clang-tidy mentions them. NOLINT(tether-...) comments silence
  a finding.

  A compile database written by a GCC build works as it is: flags clang does
  not know are left out (tether says which), and clang uses that GCC's
  headers.

  Exit status: 0 no findings, 1 findings, 2 usage, configuration or tool error.
  (A file that does not compile is a tool error: its first error is reported.)
)";

void printVersion(raw_ostream &OS) {
  OS << "tether " TETHER_VERSION " (built with LLVM " LLVM_VERSION_STRING
        ")\n";
}

/// Rejects a --checks value under which no tether check can run: an enabling
/// glob that matches no tether check (a typo, or a clang-tidy check name),
/// or globs that end up disabling every tether check ('-*' alone). --checks
/// is applied after the .clang-tidy files, so nothing can turn a check it
/// disables back on.
void validateChecks(StringRef Globs) {
  SmallVector<StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, false);
  for (StringRef P : Parts) {
    P = P.trim();
    if (P.empty() || P.starts_with("-"))
      continue;
    clang::tidy::GlobList One(P);
    if (llvm::none_of(checkCatalog(), [&](const CheckInfo &C) {
          return One.contains(C.Name);
        }))
      fail("--checks: '" + P +
           "' matches no tether check; see tether --list-checks");
  }
  // GlobList: the last glob that matches a name decides. With '*' in front,
  // a check is off only when one of the user's globs turns it off.
  clang::tidy::GlobList Effective(("*," + Globs).str());
  if (llvm::none_of(checkCatalog(), [&](const CheckInfo &C) {
        return Effective.contains(C.Name);
      }))
    fail("--checks='" + Globs +
         "' turns every tether check off; name the checks to run after it, "
         "e.g. --checks='-*,tether-detached-thread'");
}

std::optional<Level> parseLevel(StringRef Name) {
  if (Name == "note")
    return Level::Note;
  if (Name == "warning")
    return Level::Warning;
  if (Name == "error")
    return Level::Error;
  return std::nullopt;
}

/// --format FMT[:FILE] (repeatable) and -o FILE.
std::vector<OutputSpec> outputSpecs() {
  std::vector<std::string> Specs(Formats.begin(), Formats.end());
  if (Specs.empty())
    Specs.push_back("text");
  if (!OutputFile.empty() && Specs.size() > 1)
    fail("-o goes with a single --format; with several, write "
         "--format=FORMAT:FILE for each");
  std::vector<OutputSpec> Out;
  unsigned ToStdout = 0;
  for (const std::string &Spec : Specs) {
    auto [Name, Path] = StringRef(Spec).split(':');
    OutputSpec O{Name.str(), Path.empty() ? OutputFile.getValue() : Path.str()};
    if (!makeReporter(O.Format, false))
      fail("--format=" + Name + ": expected one of " + formatNames());
    if (O.File.empty() && ++ToStdout > 1)
      fail("only one --format can go to standard output; give the others a "
           "file (--format=sarif:tether.sarif)");
    Out.push_back(std::move(O));
  }
  return Out;
}

std::optional<ShardSpec> shardSpec() {
  if (Shard.empty())
    return std::nullopt;
  ShardSpec S;
  auto [IText, NText] = StringRef(Shard).split('/');
  if (IText.getAsInteger(10, S.Index) || NText.getAsInteger(10, S.Count) ||
      S.Count == 0 || S.Index == 0 || S.Index > S.Count)
    fail("--shard=" + Shard + ": expected I/N with 1 <= I <= N, e.g. 2/4");
  return S;
}

/// The run's configuration: which checks, from which configuration, with
/// how many processes.
RunConfig runConfig() {
  RunConfig Config;
  Config.DefaultChecks = defaultChecksGlob();
  if (!Checks.empty()) {
    validateChecks(Checks);
    Config.Checks = Checks;
  }
  if (!ConfigFile.empty()) {
    auto Buf = MemoryBuffer::getFile(ConfigFile);
    if (!Buf)
      fail("cannot read --config-file '" + ConfigFile +
           "': " + Buf.getError().message());
    auto Parsed = clang::tidy::parseConfiguration((*Buf)->getMemBufferRef());
    if (!Parsed)
      fail("--config-file '" + ConfigFile +
           "' is not a valid clang-tidy configuration: " +
           Parsed.getError().message());
    Config.ConfigText = (*Buf)->getBuffer().str();
  }
  if (FormatStyle.getNumOccurrences())
    Config.FormatStyle = FormatStyle;
  Config.Jobs = Jobs ? unsigned(Jobs)
                     : std::max(1u, hardware_concurrency().compute_thread_count());
  Config.TimeoutSeconds = Timeout;
  if (!CacheDir.empty()) {
    SmallString<256> Dir(CacheDir);
    sys::fs::make_absolute(Dir);
    if (std::error_code EC = sys::fs::create_directories(Dir))
      fail("--cache-dir '" + CacheDir + "': " + EC.message());
    Config.CacheDir = std::string(Dir);
  }
  return Config;
}

/// Splits argv at "--": what follows is the compile command for every file.
std::optional<std::vector<std::string>> splitFixedCommand(int &Argc,
                                                          const char **Argv) {
  for (int I = 1; I < Argc; ++I)
    if (StringRef(Argv[I]) == "--") {
      std::vector<std::string> Command(Argv + I + 1, Argv + Argc);
      Argc = I;
      return Command;
    }
  return std::nullopt;
}

void parseCommandLine(int Argc, const char **Argv) {
  cl::HideUnrelatedOptions(Category);
  hideUnrelatedMergeOptions();
  // LLVM's own --color (auto on a terminal) is ours to show.
  if (cl::Option *Color = cl::getRegisteredOptions().lookup("color")) {
    Color->setHiddenFlag(cl::NotHidden);
    Color->addCategory(Category);
  }
  cl::SetVersionPrinter(printVersion);
  std::string Errors;
  raw_string_ostream ErrorStream(Errors);
  if (cl::ParseCommandLineOptions(Argc, Argv, Overview, &ErrorStream))
    return;
  // "tether: Unknown command line argument '--x'.  Try: 'tether --help'"
  StringRef First = StringRef(Errors).split('\n').first;
  First.consume_front("tether: ");
  First.consume_front(sys::path::filename(Argv[0]));
  First.consume_front(": ");
  First = First.split("  Try:").first.trim();
  if (mergeRequested()) {
    WithColor::error(errs(), "tether merge")
        << First << " (see tether merge --help)\n";
    std::exit(2);
  }
  fail(First + " (see tether --help)");
}

} // namespace

[[noreturn]] void fail(const Twine &Message) {
  WithColor::error(errs(), "tether") << Message << '\n';
  std::exit(2);
}

Options parseOptions(int Argc, const char **Argv) {
  Options O;
  O.FixedCommand = splitFixedCommand(Argc, Argv);
  parseCommandLine(Argc, Argv);

  if (mergeRequested()) {
    O.What = Action::Merge;
    return O;
  }
  if (ListChecks) {
    O.What = Action::ListChecks;
    return O;
  }
  if (!Explain.empty()) {
    O.What = Action::Explain;
    O.ExplainCheck = Explain;
    return O;
  }

  O.Inputs.assign(Inputs.begin(), Inputs.end());
  O.All = All;
  O.DiffRef = DiffRef;
  if (O.Inputs.empty() && !O.All && O.DiffRef.empty())
    fail("no input files: name files or directories, or --all with -p "
         "BUILD_DIR (see tether --help)");
  O.Run = runConfig();
  O.BuildPath = BuildPath;
  O.ResourceDir = ResourceDir;
  if (!O.ResourceDir.empty() && !sys::fs::is_directory(O.ResourceDir))
    fail("clang's resource directory '" + O.ResourceDir +
         "' does not exist: pass --resource-dir=/usr/lib/llvm-N/lib/clang/N");
  O.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  O.RemovedArgs.assign(RemovedArgs.begin(), RemovedArgs.end());

  std::optional<Level> Threshold = parseLevel(FailOn);
  if (!Threshold)
    fail("--fail-on=" + FailOn + ": expected note, warning or error");
  O.FailOn = *Threshold;
  O.Outputs = outputSpecs();
  O.Color = WithColor(outs()).colorsEnabled() && OutputFile.empty();
  O.SarifCategory = SarifCategory;
  O.Quiet = Quiet;
  O.Verbose = Verbose;
  O.Progress = Progress;
  O.DumpConfig = DumpConfig;

  if (!Baseline.empty()) {
    auto Known = readBaseline(Baseline);
    if (!Known)
      fail("--baseline: " + toString(Known.takeError()));
    O.Baselined.insert(Known->begin(), Known->end());
  }
  O.WriteBaseline = WriteBaseline;
  if (!LineFilterText.empty()) {
    auto Lines = parseLineFilter(LineFilterText);
    if (!Lines)
      fail("--line-filter" + toString(Lines.takeError()));
    O.Lines = std::move(*Lines);
  }
  for (const std::string &G : Excludes) {
    auto P = GlobPattern::create(G);
    if (!P)
      fail("--exclude '" + G + "': " + toString(P.takeError()));
    O.Excludes.push_back(std::move(*P));
  }
  O.Shard = shardSpec();
  O.SourceRoot = SourceRoot;
  O.Fix = FixErrors ? FixMode::FixErrors : Fix ? FixMode::Fix : FixMode::None;
  return O;
}

} // namespace tether::driver
