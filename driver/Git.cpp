//===--- Git.cpp ----------------------------------------------------------===//

#include "Git.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include <optional>

namespace tether::driver {

bool ChangedFile::contains(unsigned Line) const {
  if (AllLines)
    return true;
  for (const auto &[First, Last] : Lines)
    if (Line >= First && Line <= Last)
      return true;
  return false;
}

bool isHeader(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext == ".h" || Ext == ".hh" || Ext == ".hpp" || Ext == ".hxx" ||
         Ext == ".inc" || Ext == ".ipp" || Ext == ".tpp" || Ext.empty();
}

/// Runs git with \p Args in \p Dir; returns its stdout.
static llvm::Expected<std::string> git(llvm::StringRef Dir,
                                       std::vector<std::string> Args) {
  auto Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return llvm::createStringError(Git.getError(),
                                   "git is not installed (needed by --diff)");
  llvm::SmallString<128> Out, Err;
  llvm::sys::fs::createTemporaryFile("tether-git", "out", Out);
  llvm::sys::fs::createTemporaryFile("tether-git", "err", Err);
  std::vector<llvm::StringRef> Argv{*Git, "-C", Dir};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Out.str(),
                                                Err.str()};
  int RC = llvm::sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects);
  auto OutBuf = llvm::MemoryBuffer::getFile(Out);
  auto ErrBuf = llvm::MemoryBuffer::getFile(Err);
  llvm::sys::fs::remove(Out);
  llvm::sys::fs::remove(Err);
  if (RC != 0) {
    std::string Message =
        ErrBuf ? (*ErrBuf)->getBuffer().trim().split('\n').first.str() : "";
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "git %s failed: %s", Args.front().c_str(),
                                   Message.c_str());
  }
  return OutBuf ? (*OutBuf)->getBuffer().str() : std::string();
}

llvm::Expected<std::string> gitTopLevel(llvm::StringRef Dir) {
  auto Out = git(Dir, {"rev-parse", "--show-toplevel"});
  if (!Out)
    return Out.takeError();
  return llvm::StringRef(*Out).trim().str();
}

llvm::Expected<llvm::StringMap<ChangedFile>>
changedSince(llvm::StringRef TopLevel, llvm::StringRef Ref) {
  auto Verified = git(TopLevel, {"rev-parse", "--verify", "--quiet",
                                 (Ref + "^{commit}").str()});
  if (!Verified) {
    llvm::consumeError(Verified.takeError());
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "--diff %s: no such commit in %s (in CI, fetch the base branch, e.g. "
        "git fetch origin main --depth=1)",
        Ref.str().c_str(), TopLevel.str().c_str());
  }
  auto Diff = git(TopLevel, {"diff", "-U0", "--no-color", "--no-ext-diff",
                             "--diff-filter=AMRC", Ref.str(), "--"});
  if (!Diff)
    return Diff.takeError();
  llvm::StringMap<ChangedFile> Files;
  ChangedFile *Current = nullptr;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  llvm::StringRef(*Diff).split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    if (Line.consume_front("+++ ")) {
      Current = nullptr;
      if (Line.consume_front("b/")) {
        llvm::SmallString<256> Abs(TopLevel);
        llvm::sys::path::append(Abs, Line);
        Current = &Files[Abs];
      }
    } else if (Current && Line.consume_front("@@ ")) {
      // @@ -a,b +c,d @@
      llvm::StringRef New = Line.split(' ').second.split(' ').first;
      New.consume_front("+");
      auto [StartText, CountText] = New.split(',');
      unsigned Start = 0, Count = 1;
      StartText.getAsInteger(10, Start);
      if (!CountText.empty())
        CountText.getAsInteger(10, Count);
      if (Count > 0)
        Current->Lines.push_back({Start, Start + Count - 1});
    }
  }
  auto Untracked = git(TopLevel, {"ls-files", "--others", "--exclude-standard"});
  if (Untracked) {
    llvm::SmallVector<llvm::StringRef, 16> Names;
    llvm::StringRef(*Untracked).split(Names, '\n', -1, false);
    for (llvm::StringRef Name : Names) {
      llvm::SmallString<256> Abs(TopLevel);
      llvm::sys::path::append(Abs, Name.trim());
      Files[Abs].AllLines = true;
    }
  } else {
    llvm::consumeError(Untracked.takeError());
  }
  return Files;
}

/// The #include spellings in a file: "courier/channel.h", "thread".
static std::vector<std::string> includesOf(llvm::StringRef Path) {
  std::vector<std::string> Out;
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return Out;
  llvm::SmallVector<llvm::StringRef, 256> Lines;
  (*Buf)->getBuffer().split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    Line = Line.ltrim();
    if (!Line.consume_front("#"))
      continue;
    Line = Line.ltrim();
    if (!Line.consume_front("include"))
      continue;
    Line = Line.ltrim();
    if (Line.empty() || (Line[0] != '"' && Line[0] != '<'))
      continue;
    char Close = Line[0] == '"' ? '"' : '>';
    llvm::StringRef Name = Line.drop_front().split(Close).first;
    if (!Name.empty())
      Out.push_back(Name.str());
  }
  return Out;
}

/// Does an #include spelling name this header? By path suffix.
static bool names(llvm::StringRef Spelling, llvm::StringRef Header) {
  llvm::StringRef S = Spelling;
  while (S.consume_front("../") || S.consume_front("./")) {
  }
  return Header == S || Header.ends_with(("/" + S).str());
}

std::set<std::string> unitsIncluding(const std::vector<std::string> &Units,
                                     const std::vector<std::string> &Headers,
                                     llvm::StringRef TopLevel) {
  std::set<std::string> Affected(Headers.begin(), Headers.end());
  if (Affected.empty())
    return {};
  // Headers of the repository that include an affected header are affected.
  std::vector<std::string> RepoHeaders;
  if (auto Listed = git(TopLevel, {"ls-files", "--cached", "--others",
                                   "--exclude-standard"})) {
    llvm::SmallVector<llvm::StringRef, 256> Names;
    llvm::StringRef(*Listed).split(Names, '\n', -1, false);
    for (llvm::StringRef Name : Names)
      if (isHeader(Name)) {
        llvm::SmallString<256> Abs(TopLevel);
        llvm::sys::path::append(Abs, Name);
        RepoHeaders.push_back(std::string(Abs));
      }
  } else {
    llvm::consumeError(Listed.takeError());
  }
  llvm::StringMap<std::vector<std::string>> IncludeCache;
  auto IncludesAffected = [&](const std::string &File) {
    auto It = IncludeCache.find(File);
    if (It == IncludeCache.end())
      It = IncludeCache.insert({File, includesOf(File)}).first;
    for (const std::string &Inc : It->second)
      for (const std::string &H : Affected)
        if (names(Inc, H))
          return true;
    return false;
  };
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const std::string &H : RepoHeaders)
      if (!Affected.count(H) && IncludesAffected(H)) {
        Affected.insert(H);
        Grew = true;
      }
  }
  std::set<std::string> Out;
  for (const std::string &U : Units)
    if (IncludesAffected(U))
      Out.insert(U);
  return Out;
}

} // namespace tether::driver
