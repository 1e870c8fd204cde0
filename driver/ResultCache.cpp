//===--- ResultCache.cpp --------------------------------------------------===//

#include "ResultCache.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#ifndef TETHER_VERSION
#define TETHER_VERSION "0.0.0"
#endif

using namespace clang;

namespace tether::driver {

namespace {

std::string hex(uint64_t V) {
  std::string H = llvm::utohexstr(V, /*LowerCase=*/true);
  return std::string(16 - std::min<size_t>(16, H.size()), '0') + H;
}

/// Every buffer the preprocessor enters, in order, with its content hash.
class EnteredFiles : public PPCallbacks {
public:
  EnteredFiles(SourceManager &SM, std::string &Out) : SM(SM), Out(Out) {}
  void FileChanged(SourceLocation Loc, FileChangeReason Reason,
                   SrcMgr::CharacteristicKind, FileID) override {
    if (Reason != EnterFile)
      return;
    FileID FID = SM.getFileID(Loc);
    std::optional<llvm::StringRef> Data = SM.getBufferDataOrNone(FID);
    Out += SM.getFileEntryRefForID(FID)
               ? SM.getFileEntryRefForID(FID)->getName().str()
               : std::string("<buffer>");
    Out += '\0';
    Out += Data ? hex(llvm::xxh3_64bits(*Data)) : "?";
    Out += '\n';
  }

private:
  SourceManager &SM;
  std::string &Out;
};

class HashingAction : public PreprocessOnlyAction {
public:
  explicit HashingAction(std::string &Out) : Out(Out) {}
  void ExecuteAction() override {
    CompilerInstance &CI = getCompilerInstance();
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<EnteredFiles>(CI.getSourceManager(), Out));
    PreprocessOnlyAction::ExecuteAction();
  }

private:
  std::string &Out;
};

class HashingFactory : public tooling::FrontendActionFactory {
public:
  explicit HashingFactory(std::string &Out) : Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<HashingAction>(Out);
  }

private:
  std::string &Out;
};

std::string entryPath(const std::string &Dir, const std::string &Key) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key.substr(0, 2), Key + ".json");
  return std::string(P);
}

} // namespace

std::optional<std::string>
cacheKey(const tooling::CompilationDatabase &DB, const std::string &File,
         const std::string &ConfigText) {
  // "results/2": compiler errors are stored apart from the findings.
  std::string Material = "tether " TETHER_VERSION " results/2\n";
  Material += ConfigText + "\n";
  for (const tooling::CompileCommand &C : DB.getCompileCommands(File)) {
    Material += C.Directory + "\n";
    for (const std::string &A : C.CommandLine)
      Material += A + '\0';
    Material += "\n";
  }
  std::string Entered;
  tooling::ClangTool Tool(DB, {File});
  IgnoringDiagConsumer Quiet;
  Tool.setDiagnosticConsumer(&Quiet);
  HashingFactory Factory(Entered);
  if (Tool.run(&Factory) != 0 || Entered.empty())
    return std::nullopt;
  Material += Entered;
  return hex(llvm::xxh3_64bits(Material)) +
         hex(llvm::xxh3_64bits(Material + "salt"));
}

std::optional<std::string> cacheLoad(const std::string &Dir,
                                     const std::string &Key) {
  auto Buf = llvm::MemoryBuffer::getFile(entryPath(Dir, Key));
  if (!Buf)
    return std::nullopt;
  auto Parsed = llvm::json::parse((*Buf)->getBuffer());
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *O = Parsed->getAsObject();
  if (!O)
    return std::nullopt;
  auto StoredKey = O->getString("key");
  auto Payload = O->getString("payload");
  auto Sum = O->getString("sum");
  if (!StoredKey || *StoredKey != Key || !Payload || !Sum ||
      *Sum != hex(llvm::xxh3_64bits(*Payload)))
    return std::nullopt;
  return Payload->str();
}

void cacheStore(const std::string &Dir, const std::string &Key,
                const std::string &Payload) {
  std::string Path = entryPath(Dir, Key);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
  std::string Text;
  llvm::raw_string_ostream(Text) << llvm::json::Value(llvm::json::Object{
      {"key", Key},
      {"payload", Payload},
      {"sum", hex(llvm::xxh3_64bits(Payload))}});
  writeAtomically(Path, Text);
}

void writeAtomically(const std::string &Path, llvm::StringRef Text) {
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%%%", FD, Temp))
    return;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return;
    }
  }
  if (llvm::sys::fs::rename(Temp, Path))
    llvm::sys::fs::remove(Temp);
}

} // namespace tether::driver
