//===--- TextReporter.cpp -------------------------------------------------===//

#include "TextReporter.h"
#include "../Fingerprint.h"
#include "../SourceCache.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/WithColor.h"

namespace tether::driver {

namespace {

class Writer {
public:
  Writer(llvm::raw_ostream &OS, bool Color) : OS(OS), Color(Color) {
    llvm::sys::fs::current_path(Cwd);
  }

  void header(const Location &L, Level Lv, llvm::StringRef Message,
              llvm::StringRef Check) {
    bold();
    // Paths below the current directory are shown relative to it, as a
    // compiler given relative paths would; editors and CI logs link them.
    OS << relativeTo(Cwd, L.File);
    if (L.Line)
      OS << ':' << L.Line << ':' << L.Column;
    OS << ": ";
    color(Lv == Level::Error     ? llvm::raw_ostream::RED
          : Lv == Level::Warning ? llvm::raw_ostream::MAGENTA
                                 : llvm::raw_ostream::BLACK);
    OS << levelName(Lv) << ": ";
    reset();
    bold();
    OS << Message;
    if (!Check.empty())
      OS << " [" << Check << ']';
    reset();
    OS << '\n';
    snippet(L);
  }

  /// clang-tidy's --fix would apply these; shown so a reader sees them.
  void fixes(const std::vector<Replacement> &Fixes) {
    for (const Replacement &R : Fixes) {
      auto LC = Sources.lineColumn(R.File, R.Offset);
      if (!LC)
        continue;
      OS << "      | fix-it: ";
      if (R.Length)
        OS << "replace " << LC->first << ':' << LC->second << " +" << R.Length
           << " with ";
      else
        OS << "insert at " << LC->first << ':' << LC->second << ": ";
      OS << "'" << R.Text << "'\n";
    }
  }

private:
  void snippet(const Location &L) {
    if (!L.Line)
      return;
    std::optional<llvm::StringRef> Text = Sources.lineText(L.File, L.Line);
    if (!Text)
      return;
    std::string Gutter = std::to_string(L.Line);
    OS << llvm::format("%5s", Gutter.c_str()) << " | " << *Text << '\n';
    OS << "      | ";
    for (unsigned I = 1; I < L.Column && I <= Text->size(); ++I)
      OS << ((*Text)[I - 1] == '\t' ? '\t' : ' ');
    color(llvm::raw_ostream::GREEN);
    OS << '^';
    reset();
    OS << '\n';
  }
  void bold() {
    if (Color)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  }
  void color(llvm::raw_ostream::Colors C) {
    if (Color)
      OS.changeColor(C, /*Bold=*/true);
  }
  void reset() {
    if (Color)
      OS.resetColor();
  }

  llvm::raw_ostream &OS;
  bool Color;
  SourceCache Sources;
  llvm::SmallString<256> Cwd;
};

} // namespace

void TextReporter::write(const RunReport &Report, llvm::raw_ostream &OS) {
  Writer W(OS, Color);
  for (const Finding &F : Report.Findings) {
    W.header(F.Loc, F.Severity, F.Message, F.Check);
    W.fixes(F.Fixes);
    for (const Note &N : F.Notes)
      W.header(N.Loc, Level::Note, N.Message, "");
  }
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  for (const TUResult &R : Report.Results)
    if (R.failed())
      W.header(Location{R.File, 0, 0, 0}, Level::Error,
               failureMessage(R, [&](llvm::StringRef F) {
                 return relativeTo(Cwd, F);
               }),
               "tether-tool-error");
}

} // namespace tether::driver
