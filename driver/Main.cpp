//===--- Main.cpp - the tether command ------------------------------------===//
//
// tether [options] [FILE|DIR ...] [-- COMPILER ARGS]
//
// Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage,
// configuration, compile database or tool error.
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "Fingerprint.h"
#include "Git.h"
#include "Merge.h"
#include "TidyRunner.h"
#include "reporters/MachineReporters.h"
#include "ClangTidyOptions.h"
#include "GlobList.h"
#include "llvm/Support/WithColor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <set>

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif
#ifndef TETHER_RESOURCE_DIR
#define TETHER_RESOURCE_DIR ""
#endif

// Keeps the statically linked tether module (and its registration).
extern volatile int TetherModuleAnchorSource;
static int TetherModuleAnchorDestination [[maybe_unused]] =
    TetherModuleAnchorSource;

using namespace llvm;
using namespace tether::driver;
using tether::driver::Reporter;

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
cl::opt<bool> Quiet("quiet", cl::desc("Do not print the summary line"),
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
cl::opt<std::string> LineFilter(
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


const char *Overview = R"(tether: finds concurrency lifetime smells in C++

  Detached threads nobody owns, threads and tasks nobody joins, channels closed
  by their receivers, loops that ignore cancellation, busy-wait polling.

  Examples:
    tether -p build src/server.cpp          use build/compile_commands.json
    tether -p build --all                   every file in the database
    tether f.cpp -- -std=c++20 -Iinclude    compile flags after --
    tether --list-checks                    what tether can report
    tether --explain tether-detached-thread the rule, with examples
    tether merge -o all.sarif shard*.sarif  combine the reports of --shard runs

  Configuration comes from the .clang-tidy files the project already has
  (Checks, CheckOptions, HeaderFilterRegex); tether's checks are on unless a
  .clang-tidy mentions them. NOLINT(tether-...) comments silence a finding.

  Exit status: 0 no findings, 1 findings, 2 usage, configuration or tool error.
)";

[[noreturn]] void fail(const Twine &Message) {
  WithColor::error(errs(), "tether") << Message << '\n';
  std::exit(2);
}

void printVersion(raw_ostream &OS) {
  OS << "tether " TETHER_VERSION " (built with LLVM " LLVM_VERSION_STRING
        ")\n";
}

int listChecks() {
  for (const CheckInfo &C : checkCatalog()) {
    outs() << C.Name << (C.DefaultOn ? "" : " (off by default)") << '\n';
    outs() << "    " << (C.Documented ? C.Summary : "(undocumented)") << '\n';
  }
  outs() << "\nEach check's page: tether --explain NAME. Which smell each check "
            "reports,\nand what no static analyser can decide: docs/smells.md.\n";
  return 0;
}

int explain(StringRef Name) {
  const CheckInfo *C = findCheck(Name);
  if (!C)
    fail("unknown check '" + Name + "'; see tether --list-checks");
  outs() << C->Markdown;
  return 0;
}

/// Files given on the command line: each must exist; a directory stands for
/// the database's files below it.
std::vector<std::string>
selectFiles(const clang::tooling::CompilationDatabase *DB) {
  std::vector<std::string> Files;
  std::set<std::string> Seen;
  auto Add = [&](std::string F) {
    if (Seen.insert(F).second)
      Files.push_back(std::move(F));
  };
  std::vector<std::string> DBFiles;
  if (DB) {
    DBFiles = DB->getAllFiles();
    llvm::sort(DBFiles);
  }
  if (All) {
    if (!DB)
      fail("--all needs a compile database: pass -p BUILD_DIR");
    for (const std::string &F : DBFiles)
      Add(F);
  }
  for (const std::string &In : Inputs) {
    SmallString<256> Abs(In);
    if (std::error_code EC = sys::fs::make_absolute(Abs))
      fail("cannot resolve '" + In + "': " + EC.message());
    sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    if (sys::fs::is_directory(Abs)) {
      if (!DB)
        fail("'" + In + "' is a directory: pass -p BUILD_DIR so tether knows "
             "which of its files to analyse");
      size_t Before = Files.size();
      for (const std::string &F : DBFiles)
        if (StringRef(F).starts_with((Abs + "/").str()))
          Add(F);
      if (Files.size() == Before)
        fail("no file under '" + In + "' is in the compile database");
      continue;
    }
    if (!sys::fs::exists(Abs))
      fail("no such file: '" + In + "'");
    if (!sys::fs::is_regular_file(Abs))
      fail("'" + In + "' is not a regular file");
    std::error_code EC = sys::fs::access(Abs, sys::fs::AccessMode::Exist);
    auto Readable = MemoryBuffer::getFile(Abs);
    if (EC || !Readable)
      fail("cannot read '" + In + "': " +
           (Readable ? EC : Readable.getError()).message());
    Add(std::string(Abs));
  }
  return Files;
}

std::unique_ptr<clang::tooling::CompilationDatabase>
loadDatabase(int FixedArgc, const char *const *FixedArgv) {
  using namespace clang::tooling;
  std::string Err;
  if (FixedArgv) {
    // Everything after "--" is the compile command for every file.
    std::vector<std::string> Args(FixedArgv, FixedArgv + FixedArgc);
    return std::make_unique<FixedCompilationDatabase>(".", Args);
  }
  if (!BuildPath.empty()) {
    SmallString<256> Dir(BuildPath);
    if (sys::path::filename(Dir) == "compile_commands.json")
      sys::path::remove_filename(Dir);
    if (!sys::fs::is_directory(Dir))
      fail("-p " + BuildPath + ": no such directory");
    SmallString<256> JsonPath(Dir);
    sys::path::append(JsonPath, "compile_commands.json");
    if (!sys::fs::exists(JsonPath))
      fail("no compile_commands.json in '" + BuildPath +
           "': configure with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or "
           "run bear -- make");
    auto DB = JSONCompilationDatabase::loadFromFile(
        JsonPath, Err, JSONCommandLineSyntax::AutoDetect);
    if (!DB)
      fail("cannot read '" + JsonPath + "': " + Err);
    return inferMissingCompileCommands(std::move(DB));
  }
  if (Inputs.empty())
    return nullptr;
  SmallString<256> First(Inputs.front());
  sys::fs::make_absolute(First);
  if (auto DB = CompilationDatabase::autoDetectFromSource(First, Err))
    return inferMissingCompileCommands(std::move(DB));
  if (auto DB = CompilationDatabase::autoDetectFromDirectory(First, Err))
    return inferMissingCompileCommands(std::move(DB));
  fail("no compile command for '" + Inputs.front() +
       "': pass -p BUILD_DIR (with compile_commands.json), or compiler flags "
       "after --, e.g. tether f.cpp -- -std=c++20");
}

/// Adds what every command needs to find clang's builtin headers, plus
/// --extra-arg.
std::unique_ptr<clang::tooling::CompilationDatabase>
adjustDatabase(std::unique_ptr<clang::tooling::CompilationDatabase> DB) {
  using namespace clang::tooling;
  auto Adjusted = std::make_unique<ArgumentsAdjustingCompilations>(std::move(DB));
  std::string Resource = ResourceDir;
  Adjusted->appendArgumentsAdjuster(
      [Resource](const CommandLineArguments &Args, StringRef) {
        CommandLineArguments Out = Args;
        bool Has = llvm::any_of(Args, [](const std::string &A) {
          return StringRef(A).starts_with("-resource-dir");
        });
        if (!Has && !Resource.empty() && Out.size() >= 1)
          Out.insert(Out.begin() + 1, "-resource-dir=" + Resource);
        return Out;
      });
  if (!ExtraArgs.empty())
    Adjusted->appendArgumentsAdjuster(getInsertArgumentAdjuster(
        CommandLineArguments(ExtraArgs.begin(), ExtraArgs.end()),
        ArgumentInsertPosition::END));
  return Adjusted;
}

/// Rejects a --checks value that enables nothing tether knows.
void validateChecks(StringRef Globs) {
  bool AnyPositive = false;
  SmallVector<StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, false);
  for (StringRef P : Parts) {
    P = P.trim();
    if (P.empty() || P.starts_with("-"))
      continue;
    AnyPositive = true;
    bool Matches = llvm::any_of(checkCatalog(), [&](const CheckInfo &C) {
      clang::tidy::GlobList One(P);
      return One.contains(C.Name);
    });
    if (!Matches)
      fail("--checks: '" + P + "' matches no tether check; see tether --list-checks");
  }
  (void)AnyPositive;
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

struct Output {
  std::unique_ptr<Reporter> Reporter;
  std::unique_ptr<raw_fd_ostream> Stream; ///< null: standard output
};

/// --format FMT[:FILE] (repeatable) and -o FILE. Files are opened before
/// the run, so an unwritable path fails fast.
std::vector<Output> openOutputs() {
  std::vector<std::string> Specs(Formats.begin(), Formats.end());
  if (Specs.empty())
    Specs.push_back("text");
  if (!OutputFile.empty() && Specs.size() > 1)
    fail("-o goes with a single --format; with several, write "
         "--format=FORMAT:FILE for each");
  bool Color = WithColor(outs()).colorsEnabled() && OutputFile.empty();
  std::vector<Output> Out;
  unsigned ToStdout = 0;
  for (const std::string &Spec : Specs) {
    auto [Name, Path] = StringRef(Spec).split(':');
    std::string File = Path.empty() ? OutputFile.getValue() : Path.str();
    Output O;
    O.Reporter = makeReporter(Name, Color && File.empty());
    if (!O.Reporter)
      fail("--format=" + Name + ": expected one of " + formatNames());
    if (!File.empty()) {
      std::error_code EC;
      O.Stream = std::make_unique<raw_fd_ostream>(File, EC);
      if (EC)
        fail("cannot write '" + File + "': " + EC.message());
    } else if (++ToStdout > 1) {
      fail("only one --format can go to standard output; give the others a "
           "file (--format=sarif:tether.sarif)");
    }
    Out.push_back(std::move(O));
  }
  return Out;
}

/// clang-tidy's --line-filter: file name suffix -> line ranges.
using LineFilterMap =
    std::vector<std::pair<std::string, std::vector<std::pair<unsigned, unsigned>>>>;

LineFilterMap parseLineFilter(StringRef Text) {
  auto Parsed = json::parse(Text);
  if (!Parsed)
    fail("--line-filter is not JSON: " + toString(Parsed.takeError()));
  LineFilterMap Out;
  const json::Array *Files = Parsed->getAsArray();
  if (!Files)
    fail("--line-filter: expected a list like [{\"name\":\"a.cpp\",\"lines\":[[1,9]]}]");
  for (const json::Value &F : *Files) {
    const json::Object *O = F.getAsObject();
    std::optional<StringRef> Name = O ? O->getString("name") : std::nullopt;
    if (!Name)
      fail("--line-filter: every entry needs a \"name\"");
    std::vector<std::pair<unsigned, unsigned>> Ranges;
    if (const json::Array *L = O->getArray("lines"))
      for (const json::Value &R : *L) {
        const json::Array *Pair = R.getAsArray();
        if (!Pair || Pair->size() != 2 || !(*Pair)[0].getAsInteger() ||
            !(*Pair)[1].getAsInteger())
          fail("--line-filter: \"lines\" holds [first, last] pairs");
        Ranges.push_back({unsigned(*(*Pair)[0].getAsInteger()),
                          unsigned(*(*Pair)[1].getAsInteger())});
      }
    Out.push_back({Name->str(), std::move(Ranges)});
  }
  return Out;
}

bool lineFilterAccepts(const LineFilterMap &Filter, const Location &L) {
  for (const auto &[Name, Ranges] : Filter) {
    if (!StringRef(L.File).ends_with(Name))
      continue;
    if (Ranges.empty())
      return true;
    for (const auto &[First, Last] : Ranges)
      if (L.Line >= First && L.Line <= Last)
        return true;
  }
  return false;
}

/// clang-tidy ignores a broken .clang-tidy with a message; in CI that would
/// silently change which checks run. tether stops instead.
void validateConfigFiles(const std::vector<std::string> &Files) {
  std::set<std::string> Seen;
  for (const std::string &F : Files) {
    for (StringRef Dir = sys::path::parent_path(F); !Dir.empty();
         Dir = sys::path::parent_path(Dir)) {
      if (!Seen.insert(Dir.str()).second)
        break;
      SmallString<256> Path(Dir);
      sys::path::append(Path, ".clang-tidy");
      if (!sys::fs::is_regular_file(Path))
        continue;
      auto Buf = MemoryBuffer::getFile(Path);
      if (!Buf)
        fail("cannot read '" + Path + "': " + Buf.getError().message());
      auto Parsed = clang::tidy::parseConfiguration((*Buf)->getMemBufferRef());
      if (!Parsed)
        fail("'" + Path + "' is not a valid clang-tidy configuration: " +
             Parsed.getError().message() + " (fix it, or pass --config-file)");
    }
  }
}

std::string sourceRoot() {
  SmallString<256> Root;
  if (!SourceRoot.empty()) {
    Root = SourceRoot;
    if (!sys::fs::is_directory(Root))
      fail("--source-root '" + SourceRoot + "' is not a directory");
  } else {
    sys::fs::current_path(Root);
    if (auto Top = gitTopLevel(Root))
      Root = *Top;
    else
      consumeError(Top.takeError());
  }
  sys::fs::make_absolute(Root);
  sys::path::remove_dots(Root, true);
  return std::string(Root);
}

bool showProgress() {
  if (Progress)
    return true;
  return sys::Process::StandardErrIsDisplayed() && !getenv("CI");
}

/// "[12/40] 3 findings, 18s left" on one rewritten line of standard error.
class ProgressLine {
public:
  ProgressLine(size_t Total, bool Enabled)
      : Total(Total), Enabled(Enabled && Total > 1),
        Start(std::chrono::steady_clock::now()) {}
  void done(const TUResult &R) {
    ++Done;
    Findings += R.Findings.size();
    if (!Enabled)
      return;
    double Elapsed = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - Start)
                         .count();
    unsigned Left = unsigned(Elapsed / Done * (Total - Done) + 0.5);
    errs() << "\r[" << Done << '/' << Total << "] " << Findings << " finding"
           << (Findings == 1 ? "" : "s") << ", " << Left << "s left   ";
    errs().flush();
  }
  void finish() {
    if (Enabled && Done)
      errs() << "\r" << std::string(60, ' ') << "\r";
  }

private:
  size_t Total, Done = 0, Findings = 0;
  bool Enabled;
  std::chrono::steady_clock::time_point Start;
};

} // namespace

int main(int argc, const char **argv) {
  InitLLVM Init(argc, argv); // stack traces with clang's "while parsing X"
  if (argc > 1 && StringRef(argv[1]) == "merge")
    return mergeMain(argc - 2, argv + 2);

  // Split at "--": what follows is the compile command.
  int OwnArgc = argc;
  const char *const *FixedArgv = nullptr;
  int FixedArgc = 0;
  for (int I = 1; I < argc; ++I)
    if (StringRef(argv[I]) == "--") {
      OwnArgc = I;
      FixedArgv = argv + I + 1;
      FixedArgc = argc - I - 1;
      break;
    }

  cl::HideUnrelatedOptions(Category);
  // LLVM's own --color (auto on a terminal) is ours to show.
  if (cl::Option *Color = cl::getRegisteredOptions().lookup("color")) {
    Color->setHiddenFlag(cl::NotHidden);
    Color->addCategory(Category);
  }
  cl::SetVersionPrinter(printVersion);
  std::string ParseErrors;
  raw_string_ostream ParseErrStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(OwnArgc, argv, Overview, &ParseErrStream)) {
    StringRef First = StringRef(ParseErrors).split('\n').first;
    First.consume_front("tether: ");
    First.consume_front(sys::path::filename(argv[0]));
    First.consume_front(": ");
    First = First.split("  Try:").first.trim();
    fail(First + " (see tether --help)");
  }

  if (ListChecks)
    return listChecks();
  if (!Explain.empty())
    return explain(Explain);
  if (Inputs.empty() && !All && DiffRef.empty())
    fail("no input files: name files or directories, or --all with -p "
         "BUILD_DIR (see tether --help)");
  if (!Checks.empty())
    validateChecks(Checks);

  RunConfig Config;
  Config.DefaultChecks = defaultChecksGlob();
  if (!Checks.empty())
    Config.Checks = Checks;
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
  if (!ResourceDir.empty() && !sys::fs::is_directory(ResourceDir))
    fail("clang's resource directory '" + ResourceDir +
         "' does not exist: pass --resource-dir=/usr/lib/llvm-N/lib/clang/N");
  Config.Jobs = Jobs ? unsigned(Jobs)
                     : std::max(1u, llvm::hardware_concurrency().compute_thread_count());
  Config.TimeoutSeconds = Timeout;
  if (!CacheDir.empty()) {
    SmallString<256> Dir(CacheDir);
    sys::fs::make_absolute(Dir);
    if (std::error_code EC = sys::fs::create_directories(Dir))
      fail("--cache-dir '" + CacheDir + "': " + EC.message());
    Config.CacheDir = std::string(Dir);
  }

  std::optional<Level> Threshold = parseLevel(FailOn);
  if (!Threshold)
    fail("--fail-on=" + FailOn + ": expected note, warning or error");
  std::vector<Output> Outputs = openOutputs();
  std::set<std::string> Baselined;
  if (!Baseline.empty()) {
    auto Known = readBaseline(Baseline);
    if (!Known)
      fail("--baseline: " + toString(Known.takeError()));
    Baselined.insert(Known->begin(), Known->end());
  }
  std::optional<LineFilterMap> Lines;
  if (!LineFilter.empty())
    Lines = parseLineFilter(LineFilter);
  std::vector<GlobPattern> ExcludePatterns;
  for (const std::string &G : Excludes) {
    auto P = GlobPattern::create(G);
    if (!P)
      fail("--exclude '" + G + "': " + toString(P.takeError()));
    ExcludePatterns.push_back(std::move(*P));
  }

  auto DB = loadDatabase(FixedArgc, FixedArgv);
  std::string Root = sourceRoot();
  std::vector<std::string> Files = selectFiles(DB.get());

  // --diff: the changed translation units, and those that include a changed
  // header; later, only findings on changed lines.
  std::optional<StringMap<ChangedFile>> Changed;
  if (!DiffRef.empty()) {
    if (!DB)
      fail("--diff needs a compile database: pass -p BUILD_DIR");
    std::vector<std::string> Units = Files;
    if (Inputs.empty() && !All) {
      Units = DB->getAllFiles();
      llvm::sort(Units);
    }
    // The repository the sources live in, which need not be the one tether
    // was started in (tether -p ../other/build --diff main).
    std::string RepoDir = Root;
    if (SourceRoot.empty() && !Units.empty())
      RepoDir = sys::path::parent_path(Units.front()).str();
    auto Top = gitTopLevel(RepoDir);
    if (!Top)
      fail("--diff: " + toString(Top.takeError()));
    auto C = changedSince(*Top, DiffRef);
    if (!C)
      fail(toString(C.takeError()));
    Changed = std::move(*C);
    std::vector<std::string> Headers;
    std::set<std::string> Selected;
    std::set<std::string> InDatabase(Units.begin(), Units.end());
    for (const auto &Entry : *Changed) {
      std::string Path = Entry.getKey().str();
      if (InDatabase.count(Path))
        Selected.insert(Path);
      else if (isHeader(Path))
        Headers.push_back(Path);
    }
    for (const std::string &U : unitsIncluding(Units, Headers, *Top))
      Selected.insert(U);
    Files.clear();
    for (const std::string &U : Units)
      if (Selected.count(U))
        Files.push_back(U);
  }
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  llvm::erase_if(Files, [&](const std::string &F) {
    // A pattern may be written against the absolute path, the path in the
    // repository, or the path from here.
    std::string InRepo = relativeTo(Root, F), FromHere = relativeTo(Cwd, F);
    return llvm::any_of(ExcludePatterns, [&](const GlobPattern &P) {
      return P.match(F) || P.match(InRepo) || P.match(FromHere);
    });
  });

  if (!Shard.empty()) {
    unsigned I = 0, N = 0;
    auto [IText, NText] = StringRef(Shard).split('/');
    if (IText.getAsInteger(10, I) || NText.getAsInteger(10, N) || N == 0 ||
        I == 0 || I > N)
      fail("--shard=" + Shard + ": expected I/N with 1 <= I <= N, e.g. 2/4");
    // Slices of the sorted file list: every file lands in exactly one shard,
    // whatever order the inputs were given in.
    std::vector<std::string> Sorted = Files;
    llvm::sort(Sorted);
    std::set<std::string> Mine;
    for (size_t K = 0; K < Sorted.size(); ++K)
      if (K % N == I - 1)
        Mine.insert(Sorted[K]);
    llvm::erase_if(Files, [&](const std::string &F) { return !Mine.count(F); });
  }
  if (ConfigFile.empty())
    validateConfigFiles(Files);

  if (DumpConfig) {
    std::string For = Files.empty() ? (Root + "/dummy.cpp") : Files.front();
    auto Provider = makeOptionsProvider(Config);
    outs() << clang::tidy::configurationAsText(Provider->getOptions(For));
    return 0;
  }
  if (Files.empty()) {
    if (Changed || !Shard.empty()) {
      if (!Quiet)
        errs() << "tether: no " << (Changed ? "changed " : "") << "file to analyse"
               << (Changed ? " since " + DiffRef : " in this shard") << '\n';
    } else {
      fail("no file left to analyse (all excluded, or the compile database "
           "is empty)");
    }
  }
  for (const std::string &F : Files)
    if (DB->getCompileCommands(F).empty())
      fail("no compile command for '" + F +
           "' in the compile database: pass -p BUILD_DIR, or flags after --");
  if (!Files.empty())
    DB = adjustDatabase(std::move(DB));

  // --verbose prints whole lines; the progress line would overwrite them.
  ProgressLine Bar(Files.size(), showProgress() && !Verbose);
  auto Done = [&](const TUResult &R) {
    Bar.done(R);
    if (Verbose)
      errs() << "tether: " << relativeTo(Root, R.File) << ": "
             << (R.FromCache ? "from the cache"
                             : formatv("{0:f2}s", R.Seconds).str())
             << (R.ToolError.empty() ? "" : ", not analysed") << '\n';
  };
  RunReport Report;
  Report.SourceRoot = Root;
  Report.AutomationId = SarifCategory;
  if (!Files.empty())
    Report.Results = runChecks(*DB, Files, Config, Done);
  Bar.finish();

  // A header's finding is seen from every TU that includes it: report once.
  std::vector<Finding> Kept;
  for (const TUResult &R : Report.Results)
    Kept.insert(Kept.end(), R.Findings.begin(), R.Findings.end());
  llvm::sort(Kept);
  Kept.erase(std::unique(Kept.begin(), Kept.end()), Kept.end());
  llvm::erase_if(Kept, [&](const Finding &F) {
    if (F.isCompilerError())
      return false; // always shown: the results may be incomplete
    if (Changed) {
      auto It = Changed->find(F.Loc.File);
      if (It == Changed->end() || !It->second.contains(F.Loc.Line))
        return true;
    }
    return Lines && !lineFilterAccepts(*Lines, F.Loc);
  });
  SourceCache Sources;
  std::vector<std::string> Prints = fingerprints(Kept, Root, Sources);
  if (!WriteBaseline.empty()) {
    RunReport Full = Report;
    Full.Findings = Kept;
    Full.Fingerprints = Prints;
    std::error_code EC;
    raw_fd_ostream OS(WriteBaseline, EC);
    if (EC)
      fail("cannot write --write-baseline '" + WriteBaseline +
           "': " + EC.message());
    SarifReporter().write(Full, OS);
  }
  for (size_t I = 0; I < Kept.size(); ++I)
    if (!Baselined.count(Prints[I])) {
      Report.Findings.push_back(Kept[I]);
      Report.Fingerprints.push_back(Prints[I]);
    }

  for (Output &O : Outputs) {
    O.Reporter->write(Report, O.Stream ? *O.Stream : outs());
    (O.Stream ? *O.Stream : outs()).flush();
  }

  unsigned Failing = 0, Findings = 0, CompilerErrors = 0, ToolErrors = 0;
  for (const Finding &F : Report.Findings) {
    if (F.isCompilerError()) {
      ++CompilerErrors;
      continue;
    }
    ++Findings;
    Failing += F.Severity >= *Threshold;
  }
  unsigned Cached = 0;
  for (const TUResult &R : Report.Results) {
    ToolErrors += !R.ToolError.empty();
    Cached += R.FromCache;
  }
  if (!CacheDir.empty() && !Quiet)
    errs() << "tether: " << Cached << " of " << Report.Results.size()
           << " file(s) from the cache\n";
  if (!Quiet && (Findings || CompilerErrors || ToolErrors))
    errs() << "tether: " << Findings << " finding" << (Findings == 1 ? "" : "s")
           << " in " << Files.size() << " file" << (Files.size() == 1 ? "" : "s")
           << (CompilerErrors ? ", " + std::to_string(CompilerErrors) +
                                    " compiler error(s): findings may be incomplete"
                              : "")
           << (ToolErrors ? ", " + std::to_string(ToolErrors) +
                                " file(s) could not be analysed"
                          : "")
           << '\n';
  if (CompilerErrors || ToolErrors)
    return 2;
  return Failing ? 1 : 0;
}
