//===--- TidyRunner.cpp ---------------------------------------------------===//

#include "TidyRunner.h"
#include "ResultCache.h"
#include "Schedule.h"
#include "SourceCache.h"
#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace clang;
using namespace clang::tidy;

namespace tether::driver {

namespace {

/// The user's .clang-tidy files are read as clang-tidy reads them. If none of
/// them says anything about tether-*, tether's defaults are added after them:
/// a project config of "-*,bugprone-*" was written for clang-tidy, not to
/// silence tether.
class TetherOptionsProvider : public FileOptionsProvider {
public:
  TetherOptionsProvider(ClangTidyGlobalOptions Global,
                        ClangTidyOptions Defaults, ClangTidyOptions Overrides,
                        std::optional<ClangTidyOptions> ConfigFile,
                        std::string TetherDefaults)
      : FileOptionsProvider(std::move(Global), Defaults,
                            std::move(Overrides)),
        Defaults(std::move(Defaults)),
        ConfigFile(std::move(ConfigFile)),
        TetherDefaults(std::move(TetherDefaults)) {}

  std::vector<OptionsSource> getRawOptions(llvm::StringRef File) override {
    std::vector<OptionsSource> Sources =
        ConfigFile ? configFileSources() : FileOptionsProvider::getRawOptions(File);
    auto CommandLine = std::find_if(
        Sources.begin(), Sources.end(), [](const OptionsSource &S) {
          return llvm::StringRef(S.second).starts_with("command-line");
        });
    bool ConfigMentionsTether = std::any_of(
        Sources.begin() + 1, CommandLine, [](const OptionsSource &S) {
          return S.first.Checks &&
                 llvm::StringRef(*S.first.Checks).contains("tether");
        });
    if (!ConfigMentionsTether) {
      ClangTidyOptions Tether;
      Tether.Checks = TetherDefaults;
      Sources.insert(CommandLine, {Tether, "tether defaults"});
    }
    return Sources;
  }

private:
  std::vector<OptionsSource> configFileSources() {
    std::vector<OptionsSource> Sources;
    Sources.emplace_back(Defaults, "tether binary");
    Sources.emplace_back(*ConfigFile, "--config-file");
    if (OverrideOptions.Checks || OverrideOptions.FormatStyle)
      Sources.emplace_back(OverrideOptions, "command-line options");
    return Sources;
  }

  ClangTidyOptions Defaults;
  std::optional<ClangTidyOptions> ConfigFile;
  std::string TetherDefaults;
};

/// Diagnostic paths are relative to the compile command's directory.
std::string absolutePath(llvm::StringRef File, llvm::StringRef BuildDir) {
  if (File.empty())
    return "";
  llvm::SmallString<256> Path(File);
  if (!llvm::sys::path::is_absolute(Path)) {
    llvm::SmallString<256> Base(BuildDir);
    llvm::sys::fs::make_absolute(Base);
    llvm::sys::path::append(Base, Path);
    Path = Base;
  }
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

Location locate(SourceCache &Sources, llvm::StringRef File, unsigned Offset) {
  Location L;
  L.File = File.str();
  L.Offset = Offset;
  if (auto LC = Sources.lineColumn(File, Offset)) {
    L.Line = LC->first;
    L.Column = LC->second;
  }
  return L;
}

Finding toFinding(const ClangTidyError &E, SourceCache &Sources) {
  Finding F;
  F.Check = E.DiagnosticName;
  F.Severity = E.DiagLevel == tooling::Diagnostic::Error || E.IsWarningAsError
                   ? Level::Error
               : E.DiagLevel == tooling::Diagnostic::Remark ? Level::Note
                                                            : Level::Warning;
  F.Message = E.Message.Message;
  F.Loc = locate(Sources, absolutePath(E.Message.FilePath, E.BuildDirectory),
                 E.Message.FileOffset);
  for (const tooling::DiagnosticMessage &N : E.Notes)
    if (!N.FilePath.empty())
      F.Notes.push_back(
          {N.Message, locate(Sources, absolutePath(N.FilePath, E.BuildDirectory),
                             N.FileOffset)});
  for (const auto &FileFix : E.Message.Fix)
    for (const tooling::Replacement &R : FileFix.second)
      F.Fixes.push_back({absolutePath(R.getFilePath(), E.BuildDirectory),
                         R.getOffset(), R.getLength(),
                         R.getReplacementText().str()});
  return F;
}

/// An error of the compiler (clang-tidy calls them clang-diagnostic-error,
/// or clang-diagnostic-<group> for a warning that -Werror made one), as
/// opposed to a finding of a check.
bool isCompilerError(const ClangTidyError &E) {
  return E.DiagLevel == tooling::Diagnostic::Error && !E.IsWarningAsError &&
         llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
}

/// Which of a unit's compiler errors to name. clang-tidy hands them over
/// sorted by file and offset, so "first" is: an error about the command line
/// (no file: the cause of everything else), else the first one in a file.
/// "too many errors emitted" is never the one.
const ClangTidyError *firstCompilerError(llvm::ArrayRef<ClangTidyError> Errors) {
  const ClangTidyError *Located = nullptr, *Any = nullptr;
  for (const ClangTidyError &E : Errors) {
    if (!isCompilerError(E))
      continue;
    if (!Any)
      Any = &E;
    bool TooMany =
        llvm::StringRef(E.Message.Message).starts_with("too many errors");
    if (E.Message.FilePath.empty() && !TooMany)
      return &E;
    if (!Located && !E.Message.FilePath.empty())
      Located = &E;
  }
  return Located ? Located : Any;
}

/// Runs the checks on one file in this process.
TUResult runOne(const tooling::CompilationDatabase &DB,
                const std::string &File, const RunConfig &Config) {
  TUResult R;
  R.File = File;
  ClangTidyContext Context(makeOptionsProvider(Config));
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  std::vector<ClangTidyError> Errors =
      runClangTidy(Context, DB, {File}, FS, /*ApplyAnyFix=*/false,
                   /*EnableCheckProfile=*/false, "", /*Quiet=*/true);
  SourceCache Sources;
  for (const ClangTidyError &E : Errors) {
    if (isCompilerError(E)) {
      ++R.CompilerErrors;
      continue;
    }
    Finding F = toFinding(E, Sources);
    // A diagnostic with no place in a source file cannot be shown, counted
    // against a baseline or fixed.
    if (!F.Loc.File.empty() && F.Loc.Line)
      R.Findings.push_back(std::move(F));
  }
  if (const ClangTidyError *First = firstCompilerError(Errors))
    R.FirstError = {First->Message.Message,
                    First->Message.FilePath.empty()
                        ? Location()
                        : locate(Sources,
                                 absolutePath(First->Message.FilePath,
                                              First->BuildDirectory),
                                 First->Message.FileOffset)};
  std::sort(R.Findings.begin(), R.Findings.end());
  R.Findings.erase(std::unique(R.Findings.begin(), R.Findings.end()),
                   R.Findings.end());
  return R;
}

std::string encode(const TUResult &R) {
  llvm::json::Array Findings;
  for (const Finding &F : R.Findings)
    Findings.push_back(toJSON(F));
  return llvm::formatv("{0}", llvm::json::Value(llvm::json::Object{
                                  {"file", R.File},
                                  {"findings", std::move(Findings)},
                                  {"compiler_errors", R.CompilerErrors},
                                  {"first_error", toJSON(R.FirstError)}}))
      .str();
}

bool decode(llvm::StringRef Text, TUResult &R) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V) {
    llvm::consumeError(V.takeError());
    return false;
  }
  llvm::json::Path::Root Root;
  llvm::json::ObjectMapper O(*V, Root);
  return O && O.map("findings", R.Findings) &&
         O.map("compiler_errors", R.CompilerErrors) &&
         O.map("first_error", R.FirstError);
}

struct Child {
  pid_t Pid = -1;
  int Fd = -1;
  size_t Index = 0;
  std::string Output;
  std::chrono::steady_clock::time_point Start;
  bool TimedOut = false;
  std::string ErrPath;
};

/// "while parsing crash.cpp:1:15" from clang's pretty stack trace.
std::string crashContext(llvm::StringRef ErrPath) {
  auto Buf = llvm::MemoryBuffer::getFile(ErrPath);
  if (!Buf)
    return "";
  llvm::StringRef Text = (*Buf)->getBuffer();
  size_t Dump = Text.find("Stack dump:");
  if (Dump == llvm::StringRef::npos)
    return "";
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  Text.drop_front(Dump).split(Lines, '\n', 8);
  std::string Out;
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    // "1.\t<eof> parser at end of file", "2.\tcrash.cpp:1:15: ..."
    if (L.size() > 2 && isdigit(L[0]) && L[1] == '.' &&
        !L.contains("Program arguments")) {
      if (!Out.empty())
        Out += "; ";
      Out += L.drop_front(2).trim().str();
    }
  }
  return Out;
}

TUResult notAnalysed(const std::string &File, std::string Why) {
  TUResult R;
  R.File = File;
  R.ToolError = std::move(Why);
  return R;
}

std::string describeExit(int Status, bool TimedOut, unsigned Timeout) {
  if (TimedOut)
    return "timed out after " + std::to_string(Timeout) +
           "s (raise --timeout, or exclude the file)";
  if (WIFSIGNALED(Status))
    return std::string("the front end crashed (") + strsignal(WTERMSIG(Status)) +
           ")";
  if (WIFEXITED(Status) && WEXITSTATUS(Status) != 0)
    return "the analysis process failed with exit code " +
           std::to_string(WEXITSTATUS(Status));
  return "the analysis process returned no result";
}

} // namespace

std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const RunConfig &Config) {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*";
  ClangTidyOptions Overrides;
  if (Config.Checks)
    Overrides.Checks = *Config.Checks;
  Overrides.FormatStyle = Config.FormatStyle;
  std::optional<ClangTidyOptions> ConfigFile;
  if (Config.ConfigText) {
    // Validated by the caller; parse errors were reported there.
    if (auto Parsed = parseConfiguration(llvm::MemoryBufferRef(
            *Config.ConfigText, "--config-file")))
      ConfigFile = *Parsed;
  }
  return std::make_unique<TetherOptionsProvider>(
      ClangTidyGlobalOptions(), Defaults, Overrides, std::move(ConfigFile),
      Config.DefaultChecks);
}

std::vector<TUResult>
runChecks(const tooling::CompilationDatabase &DB,
          const std::vector<std::string> &Files, const RunConfig &Config,
          const std::function<void(const TUResult &)> &OnDone) {
  std::vector<TUResult> Results(Files.size());
  std::vector<Child> Running;
  DurationLog Durations;
  if (!Config.CacheDir.empty())
    Durations = DurationLog::load(Config.CacheDir);
  const std::vector<size_t> Order = longestFirst(Files, Durations);
  size_t Next = 0;
  unsigned Jobs = std::max(1u, Config.Jobs);

  auto Start = [&](size_t I) {
    int Pipe[2];
    if (pipe(Pipe) != 0) {
      Results[I] = notAnalysed(Files[I], std::string("cannot create a pipe: ") +
                                       strerror(errno));
      return;
    }
    llvm::outs().flush();
    llvm::errs().flush();
    // The child's standard error (a crash's stack dump) goes to a file; the
    // front end's own "Stack dump:" lines say where it crashed.
    llvm::SmallString<128> ErrPath;
    int ErrFd = -1;
    if (llvm::sys::fs::createTemporaryFile("tether-tu", "stderr", ErrFd, ErrPath))
      ErrFd = -1;
    pid_t Pid = fork();
    if (Pid == 0) {
      close(Pipe[0]);
      if (ErrFd >= 0)
        dup2(ErrFd, STDERR_FILENO);
      // First byte: 'C' when the result came from the cache, 'F' when fresh.
      std::string Out = "F";
      std::optional<std::string> Key;
      if (!Config.CacheDir.empty()) {
        auto Provider = makeOptionsProvider(Config);
        Key = cacheKey(DB, Files[I],
                       configurationAsText(Provider->getOptions(Files[I])));
        if (Key)
          if (std::optional<std::string> Hit = cacheLoad(Config.CacheDir, *Key))
            Out = "C" + *Hit;
      }
      if (Out == "F") {
        Out += encode(runOne(DB, Files[I], Config));
        if (Key)
          cacheStore(Config.CacheDir, *Key, Out.substr(1));
      }
      const char *P = Out.data();
      size_t Left = Out.size();
      while (Left > 0) {
        ssize_t N = write(Pipe[1], P, Left);
        if (N < 0 && errno == EINTR)
          continue;
        if (N <= 0)
          _exit(3);
        P += N;
        Left -= size_t(N);
      }
      _exit(0);
    }
    close(Pipe[1]);
    if (ErrFd >= 0)
      close(ErrFd);
    if (Pid < 0) {
      close(Pipe[0]);
      Results[I] = notAnalysed(Files[I], std::string("cannot fork: ") + strerror(errno));
      return;
    }
    Child C;
    C.Pid = Pid;
    C.Fd = Pipe[0];
    C.Index = I;
    C.Start = std::chrono::steady_clock::now();
    C.ErrPath = std::string(ErrPath);
    Running.push_back(std::move(C));
  };

  auto Finish = [&](Child &C) {
    int Status = 0;
    while (waitpid(C.Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    close(C.Fd);
    TUResult &R = Results[C.Index];
    R.File = Files[C.Index];
    bool Clean = WIFEXITED(Status) && WEXITSTATUS(Status) == 0 &&
                 !C.TimedOut && !C.Output.empty();
    if (Clean)
      R.FromCache = C.Output[0] == 'C';
    R.Seconds = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - C.Start)
                    .count();
    // A cache hit says nothing about how long the analysis takes.
    if (!R.FromCache)
      Durations.record(R.File, R.Seconds);
    if (!Clean || !decode(llvm::StringRef(C.Output).drop_front(), R)) {
      R.ToolError = describeExit(Status, C.TimedOut, Config.TimeoutSeconds);
      std::string Where = crashContext(C.ErrPath);
      if (!Where.empty())
        R.ToolError += ": " + Where;
    }
    llvm::sys::fs::remove(C.ErrPath);
    if (OnDone)
      OnDone(R);
  };

  // Kills and reaps every running child and marks every file without a
  // result, started or not, as a tool error.
  auto Abandon = [&](const std::string &Why) {
    for (Child &C : Running) {
      kill(C.Pid, SIGKILL);
      int Status = 0;
      while (waitpid(C.Pid, &Status, 0) < 0 && errno == EINTR) {
      }
      close(C.Fd);
      llvm::sys::fs::remove(C.ErrPath);
      Results[C.Index] = notAnalysed(Files[C.Index], Why + "; its analysis was stopped");
      if (OnDone)
        OnDone(Results[C.Index]);
    }
    Running.clear();
    for (; Next < Files.size(); ++Next) {
      size_t I = Order[Next];
      Results[I] = notAnalysed(Files[I], Why + "; it was not analysed");
      if (OnDone)
        OnDone(Results[I]);
    }
  };

  while (Next < Files.size() || !Running.empty()) {
    while (Running.size() < Jobs && Next < Files.size()) {
      size_t I = Order[Next++];
      Start(I);
      if (!Results[I].ToolError.empty() && OnDone)
        OnDone(Results[I]);
    }
    if (Running.empty())
      continue;
    std::vector<pollfd> Fds;
    for (const Child &C : Running)
      Fds.push_back({C.Fd, POLLIN, 0});
    if (poll(Fds.data(), Fds.size(), 200) < 0) {
      if (errno == EINTR)
        continue; // a signal arrived: poll again
      // Nothing can be read any more: stop every child, and say which files
      // have no result rather than report them clean.
      std::string Why = std::string("tether's worker loop failed (poll: ") +
                        strerror(errno) + ")";
      Abandon(Why);
      break;
    }
    auto Now = std::chrono::steady_clock::now();
    for (size_t K = 0; K < Running.size();) {
      Child &C = Running[K];
      bool Done = false;
      if (Fds[K].revents & (POLLIN | POLLHUP | POLLERR)) {
        char Buf[65536];
        ssize_t N = read(C.Fd, Buf, sizeof Buf);
        if (N > 0)
          C.Output.append(Buf, size_t(N));
        else if (N == 0 || errno != EINTR)
          Done = true;
      }
      if (!Done && Config.TimeoutSeconds &&
          Now - C.Start > std::chrono::seconds(Config.TimeoutSeconds)) {
        kill(C.Pid, SIGKILL);
        C.TimedOut = true;
        Done = true;
      }
      if (Done) {
        Finish(C);
        Running.erase(Running.begin() + K);
        Fds.erase(Fds.begin() + K);
      } else {
        ++K;
      }
    }
  }
  if (!Config.CacheDir.empty())
    Durations.save(Config.CacheDir);
  return Results;
}

} // namespace tether::driver
