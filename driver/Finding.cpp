//===--- Finding.cpp ------------------------------------------------------===//

#include "Finding.h"
#include <tuple>

namespace tether::driver {

llvm::StringRef levelName(Level L) {
  switch (L) {
  case Level::Note:
    return "note";
  case Level::Warning:
    return "warning";
  case Level::Error:
    return "error";
  }
  return "warning";
}

static auto key(const Finding &F) {
  return std::tie(F.Loc.File, F.Loc.Line, F.Loc.Column, F.Check, F.Message);
}
bool operator<(const Finding &A, const Finding &B) { return key(A) < key(B); }
bool operator==(const Finding &A, const Finding &B) {
  return key(A) == key(B);
}

static llvm::json::Value toJSON(const Location &L) {
  return llvm::json::Object{{"file", L.File},
                            {"line", L.Line},
                            {"column", L.Column},
                            {"offset", L.Offset}};
}
static bool fromJSON(const llvm::json::Value &V, Location &L,
                     llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("file", L.File) && O.map("line", L.Line) &&
         O.map("column", L.Column) && O.map("offset", L.Offset);
}
llvm::json::Value toJSON(const Note &N) {
  return llvm::json::Object{{"message", N.Message}, {"location", toJSON(N.Loc)}};
}
bool fromJSON(const llvm::json::Value &V, Note &N, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("message", N.Message) && O.map("location", N.Loc);
}
static llvm::json::Value toJSON(const Replacement &R) {
  return llvm::json::Object{{"file", R.File},
                            {"offset", R.Offset},
                            {"length", R.Length},
                            {"text", R.Text}};
}
static bool fromJSON(const llvm::json::Value &V, Replacement &R,
                     llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("file", R.File) && O.map("offset", R.Offset) &&
         O.map("length", R.Length) && O.map("text", R.Text);
}

llvm::json::Value toJSON(const Finding &F) {
  llvm::json::Array Notes, Fixes;
  for (const Note &N : F.Notes)
    Notes.push_back(toJSON(N));
  for (const Replacement &R : F.Fixes)
    Fixes.push_back(toJSON(R));
  return llvm::json::Object{{"check", F.Check},
                            {"level", levelName(F.Severity)},
                            {"message", F.Message},
                            {"location", toJSON(F.Loc)},
                            {"notes", std::move(Notes)},
                            {"fixes", std::move(Fixes)}};
}

bool fromJSON(const llvm::json::Value &V, Finding &F, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  std::string LevelText;
  if (!O || !O.map("check", F.Check) || !O.map("level", LevelText) ||
      !O.map("message", F.Message) || !O.map("location", F.Loc) ||
      !O.map("notes", F.Notes) || !O.map("fixes", F.Fixes))
    return false;
  F.Severity = LevelText == "error"  ? Level::Error
               : LevelText == "note" ? Level::Note
                                     : Level::Warning;
  return true;
}

} // namespace tether::driver
