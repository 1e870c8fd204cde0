//===--- Main.cpp - the tether command ------------------------------------===//
//
// tether [options] [FILE|DIR ...] [-- COMPILER ARGS]
//
// Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage,
// configuration, compile database or tool error.
//
//===----------------------------------------------------------------------===//

#include "CheckCatalog.h"
#include "TidyRunner.h"
#include "reporters/TextReporter.h"
#include "ClangTidyOptions.h"
#include "GlobList.h"
#include "llvm/Support/WithColor.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
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

const char *Overview = R"(tether: finds concurrency lifetime smells in C++

  Detached threads nobody owns, threads and tasks nobody joins, channels closed
  by their receivers, loops that ignore cancellation, busy-wait polling.

  Examples:
    tether -p build src/server.cpp          use build/compile_commands.json
    tether -p build --all                   every file in the database
    tether f.cpp -- -std=c++20 -Iinclude    compile flags after --
    tether --list-checks                    what tether can report
    tether --explain tether-detached-thread the rule, with examples

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

} // namespace

int main(int argc, const char **argv) {
  sys::PrintStackTraceOnErrorSignal(argv[0]);

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
  if (Inputs.empty() && !All)
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

  auto DB = loadDatabase(FixedArgc, FixedArgv);
  std::vector<std::string> Files = selectFiles(DB.get());
  if (Files.empty())
    fail("the compile database lists no files to analyse");
  for (const std::string &F : Files)
    if (DB->getCompileCommands(F).empty())
      fail("no compile command for '" + F +
           "' in the compile database: pass -p BUILD_DIR, or flags after --");
  DB = adjustDatabase(std::move(DB));

  RunReport Report;
  Report.Results = runChecks(*DB, Files, Config, nullptr);

  // A header's finding is seen from every TU that includes it: report once.
  for (const TUResult &R : Report.Results)
    Report.Findings.insert(Report.Findings.end(), R.Findings.begin(),
                           R.Findings.end());
  std::sort(Report.Findings.begin(), Report.Findings.end());
  Report.Findings.erase(
      std::unique(Report.Findings.begin(), Report.Findings.end()),
      Report.Findings.end());

  bool Color = WithColor(outs()).colorsEnabled();
  TextReporter(Color).write(Report, outs());
  outs().flush();

  unsigned Warnings = 0, CompilerErrors = 0, ToolErrors = 0;
  for (const Finding &F : Report.Findings)
    (F.isCompilerError() ? CompilerErrors : Warnings)++;
  for (const TUResult &R : Report.Results)
    ToolErrors += !R.ToolError.empty();
  if (!Quiet && (Warnings || CompilerErrors || ToolErrors))
    errs() << "tether: " << Warnings << " finding" << (Warnings == 1 ? "" : "s")
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
  return Warnings ? 1 : 0;
}
