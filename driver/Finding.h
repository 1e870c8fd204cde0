//===--- Finding.h - a diagnostic as the reporters see it -----------------===//
//
// Reporters never see clang types: a finding is plain data, with lines and
// columns already resolved, so it can cross a process boundary as JSON and
// be written down as text, SARIF or anything else.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_FINDING_H
#define TETHER_DRIVER_FINDING_H

#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace tether::driver {

struct Location {
  std::string File; ///< absolute path
  unsigned Line = 0, Column = 0; ///< 1-based; 0 when unknown
  unsigned Offset = 0;
};

struct Replacement {
  std::string File;
  unsigned Offset = 0, Length = 0;
  std::string Text;
};

struct Note {
  std::string Message;
  Location Loc;
};

enum class Level { Note, Warning, Error };
llvm::StringRef levelName(Level L);

struct Finding {
  std::string Check;   ///< "tether-detached-thread"
  Level Severity = Level::Warning;
  std::string Message;
  Location Loc;
  std::vector<Note> Notes;
  std::vector<Replacement> Fixes;
};

/// Deterministic order: file, line, column, check, message.
bool operator<(const Finding &A, const Finding &B);
bool operator==(const Finding &A, const Finding &B);

llvm::json::Value toJSON(const Note &N);
bool fromJSON(const llvm::json::Value &V, Note &N, llvm::json::Path P);
llvm::json::Value toJSON(const Finding &F);
bool fromJSON(const llvm::json::Value &V, Finding &F, llvm::json::Path P);

} // namespace tether::driver

#endif
