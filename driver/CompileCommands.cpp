//===--- CompileCommands.cpp ----------------------------------------------===//

#include "CompileCommands.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/ToolChain.h"
#include "clang/Options/Options.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/TargetParser/Host.h"
#include <climits>
#include <optional>
#include <unistd.h>

using namespace llvm;
using clang::tooling::ArgumentsAdjuster;
using clang::tooling::CommandLineArguments;

namespace tether::driver {

namespace {

// --- Which compiler a command names -----------------------------------------

/// What a command's compiler is, as far as GCC matters.
struct CompilerInfo {
  bool Gcc = false;
  std::string Path;    ///< absolute, as the command names it; "" if not found
  std::string Version; ///< "12" from g++-12 along the symlinks; "" if none
};

/// "g++", "gcc-12", "x86_64-linux-gnu-g++-12", and "c++"/"cc", which are
/// GCC only when they lead to it.
struct DriverName {
  bool Gcc = false, Generic = false;
  std::string Version;
};
std::optional<DriverName> parseDriverName(StringRef Name) {
  static const Regex Pattern(
      "^(.+-)?(g\\+\\+|gcc|c\\+\\+|cc)(-([0-9]+)(\\.[0-9]+)*)?$");
  SmallVector<StringRef, 6> M;
  if (!Pattern.match(Name, &M))
    return std::nullopt;
  return DriverName{M[2] == "g++" || M[2] == "gcc",
                    M[2] == "c++" || M[2] == "cc", M[4].str()};
}

/// Follows \p Path's symlinks one by one (Debian: /usr/bin/c++ ->
/// /etc/alternatives/c++ -> /usr/bin/g++ -> g++-12 ->
/// x86_64-linux-gnu-g++-12) and reads GCC and its version off the names.
CompilerInfo identifyCompiler(StringRef Command) {
  CompilerInfo Info;
  std::string Path = Command.str();
  if (!sys::path::has_parent_path(Command)) {
    if (auto Found = sys::findProgramByName(Command))
      Path = *Found;
    else
      Path.clear();
  }
  std::optional<DriverName> Named = parseDriverName(sys::path::filename(Command));
  if (Path.empty() || !sys::fs::exists(Path)) {
    // Not on this machine: the name is all there is.
    Info.Gcc = Named && Named->Gcc;
    return Info;
  }
  Info.Path = Path;
  bool Generic = Named && Named->Generic;
  std::string Current = Path;
  for (int Hops = 0; Hops < 16; ++Hops) {
    std::optional<DriverName> N = parseDriverName(sys::path::filename(Current));
    if (!N)
      return Info; // clang++, a wrapper: not GCC
    if (Info.Version.empty())
      Info.Version = N->Version;
    if (N->Gcc)
      Info.Gcc = true;
    char Target[PATH_MAX];
    ssize_t Len = readlink(Current.c_str(), Target, sizeof Target - 1);
    if (Len <= 0)
      break;
    SmallString<256> Next(StringRef(Target, size_t(Len)));
    if (!sys::path::is_absolute(Next)) {
      SmallString<256> Dir(sys::path::parent_path(Current));
      sys::path::append(Dir, Next);
      Next = Dir;
    }
    Current = std::string(Next);
  }
  // "c++" is GCC only if it ends at a GCC.
  if (Generic && !Info.Gcc)
    Info.Version.clear();
  return Info;
}

// --- Flags clang cannot use -------------------------------------------------

/// A -W option (its value: "no-maybe-uninitialized", "error=format") that
/// names a warning clang has, as clang's ProcessWarningOptions reads it.
bool clangHasWarning(StringRef Value) {
  Value.consume_front("no-");
  if (Value.empty() || Value == "error" || Value == "fatal-errors" ||
      Value == "everything" || Value == "system-headers")
    return true;
  if (!Value.consume_front("error="))
    Value.consume_front("fatal-errors=");
  return clang::DiagnosticIDs::getGroupForWarningOption(Value).has_value();
}

/// Flags clang's table parses but a GCC command's clang must not get: a GCC
/// plugin is a GCC shared object (clang fails to load it), -Werror and
/// -pedantic-errors were tuned to GCC's warnings (clang warns elsewhere, and
/// the unit would not compile), -mrecord-mcount exists for other targets
/// only.
bool onlyForGcc(StringRef Arg) {
  return Arg.starts_with("-fplugin=") || Arg.starts_with("-fplugin-arg-") ||
         Arg == "-Werror" || Arg.starts_with("-Werror=") ||
         Arg == "-pedantic-errors" || Arg == "-mrecord-mcount";
}

/// Drops the flags of \p Args that clang cannot use (step 2).
CommandLineArguments dropUnusable(const CommandLineArguments &Args, bool Gcc,
                                  std::set<std::string> &Dropped) {
  if (Args.size() < 2)
    return Args;
  std::vector<const char *> Argv;
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  // A clang-cl command is parsed with other rules; leave it as it is.
  if (clang::driver::IsClangCL(clang::driver::getDriverMode(Args[0], Argv)))
    return Args;
  unsigned MissingIndex = 0, MissingCount = 0;
  opt::InputArgList Parsed = clang::getDriverOptTable().ParseArgs(
      Argv, MissingIndex, MissingCount,
      opt::Visibility(clang::options::ClangOption));
  std::vector<bool> Drop(Args.size(), false);
  for (const opt::Arg *A : Parsed) {
    const opt::Option &O = A->getOption();
    unsigned Index = A->getIndex() + 1; // Args[0] is the compiler
    if (Index >= Args.size())
      continue;
    StringRef Spelling = Args[Index];
    bool Unusable =
        O.getID() == clang::options::OPT_UNKNOWN ||
        O.hasFlag(clang::options::Unsupported) ||
        (O.getID() == clang::options::OPT_W_Joined &&
         !clangHasWarning(A->getValue())) ||
        (Gcc && onlyForGcc(Spelling));
    // Only one-word flags: dropping one never shifts another's value.
    if (Unusable && A->getNumValues() <= 1 &&
        (O.getKind() == opt::Option::UnknownClass ||
         O.getKind() == opt::Option::FlagClass ||
         O.getKind() == opt::Option::JoinedClass ||
         O.getKind() == opt::Option::CommaJoinedClass)) {
      Drop[Index] = true;
      Dropped.insert(Spelling.str());
    }
  }
  CommandLineArguments Out;
  for (size_t I = 0; I < Args.size(); ++I)
    if (!Drop[I])
      Out.push_back(Args[I]);
  return Out;
}

// --- Which GCC clang uses -----------------------------------------------------

/// The GCC installation clang selects for a command whose compiler is \p
/// Compiler (clang looks next to the compiler first, then in /usr): what
/// `clang -v` prints as "Selected GCC installation".
std::string gccClangSelects(StringRef Compiler) {
  IntrusiveRefCntPtr<clang::DiagnosticIDs> IDs(new clang::DiagnosticIDs);
  clang::DiagnosticOptions DiagOpts;
  clang::IgnoringDiagConsumer Quiet;
  clang::DiagnosticsEngine Diags(IDs, DiagOpts, &Quiet, false);
  clang::driver::Driver D(Compiler, sys::getDefaultTargetTriple(), Diags);
  const char *Argv[] = {Compiler.data(), "-fsyntax-only", "-x", "c++",
                        "/dev/null"};
  std::unique_ptr<clang::driver::Compilation> C(D.BuildCompilation(Argv));
  if (!C)
    return "";
  std::string Verbose;
  raw_string_ostream OS(Verbose);
  C->getDefaultToolChain().printVerboseInfo(OS);
  for (StringRef Line : llvm::split(Verbose, '\n'))
    if (Line.consume_front("Selected GCC installation: "))
      return Line.trim().str();
  return "";
}

/// --gcc-install-dir=... for a GCC command when clang would otherwise pick
/// another GCC than the command's (g++-11 in a prefix that also has GCC 12:
/// clang takes the newest); "" when clang picks the right one by itself.
std::string gccInstallDirFlag(const CompilerInfo &Compiler) {
  if (!Compiler.Gcc || Compiler.Path.empty() || Compiler.Version.empty())
    return "";
  std::string Selected = gccClangSelects(Compiler.Path);
  if (Selected.empty())
    return "";
  auto Major = [](StringRef Dir) {
    return sys::path::filename(Dir).split('.').first;
  };
  if (Major(Selected) == Compiler.Version)
    return "";
  // The command's version, beside the one clang selected
  // (<prefix>/lib/gcc/<triple>/<version>).
  StringRef Versions = sys::path::parent_path(Selected);
  std::error_code EC;
  for (sys::fs::directory_iterator It(Versions, EC), End; !EC && It != End;
       It.increment(EC))
    if (Major(It->path()) == Compiler.Version)
      return "--gcc-install-dir=" + It->path();
  return "";
}

bool hasFlag(const CommandLineArguments &Args, StringRef Flag) {
  return llvm::any_of(Args, [&](StringRef A) {
    return A.consume_front(Flag) && (A.empty() || A[0] == '=');
  });
}

} // namespace

ArgumentsAdjuster commandAdjuster(const CommandOptions &Opts,
                                  std::shared_ptr<CommandAdjustments> Seen) {
  // One answer per compiler: identifying one reads symlinks and asks clang's
  // driver which GCC it selects.
  auto Compilers = std::make_shared<StringMap<std::pair<CompilerInfo, std::string>>>();
  return [Opts, Seen, Compilers](const CommandLineArguments &In,
                                 StringRef) -> CommandLineArguments {
    CommandLineArguments Args;
    for (const std::string &A : In)
      if (!llvm::is_contained(Opts.RemovedArgs, A))
        Args.push_back(A);
    if (Args.empty())
      return Args;
    auto Found = Compilers->find(Args[0]);
    if (Found == Compilers->end()) {
      CompilerInfo Info = identifyCompiler(Args[0]);
      std::string InstallDir = gccInstallDirFlag(Info);
      Found = Compilers->insert({Args[0], {Info, InstallDir}}).first;
    }
    const auto &[Compiler, InstallDir] = Found->second;
    Args = dropUnusable(Args, Compiler.Gcc, Seen->Dropped);
    auto AfterCompiler = Args.begin() + 1;
    if (!InstallDir.empty() && !hasFlag(Args, "--gcc-install-dir") &&
        !hasFlag(Args, "--gcc-toolchain") && !hasFlag(Args, "--sysroot")) {
      AfterCompiler = Args.insert(AfterCompiler, InstallDir) + 1;
      Seen->Added.insert(InstallDir);
    }
    if (!Opts.ResourceDir.empty() && !hasFlag(Args, "-resource-dir"))
      Args.insert(AfterCompiler, "-resource-dir=" + Opts.ResourceDir);
    Args.insert(Args.end(), Opts.ExtraArgs.begin(), Opts.ExtraArgs.end());
    return Args;
  };
}

std::unique_ptr<clang::tooling::CompilationDatabase>
adjustCommands(std::unique_ptr<clang::tooling::CompilationDatabase> DB,
               const CommandOptions &Opts,
               std::shared_ptr<CommandAdjustments> Seen) {
  auto Adjusted = std::make_unique<clang::tooling::ArgumentsAdjustingCompilations>(
      std::move(DB));
  Adjusted->appendArgumentsAdjuster(commandAdjuster(Opts, std::move(Seen)));
  return Adjusted;
}

} // namespace tether::driver
