//===--- ClangdMain.cpp - tether-clangd -----------------------------------===//
//
// clangd 22's own main with tether's check module linked in: a drop-in
// clangd whose clang-tidy integration also knows tether-* checks. It finds
// clang's builtin headers without flags (the resource dir is baked in at
// build time; --resource-dir still overrides it), and it runs tether's checks
// under clangd's default FastCheckFilter (see isFastTidyCheck below).
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

#ifndef TETHER_RESOURCE_DIR
#define TETHER_RESOURCE_DIR ""
#endif

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

// clangd runs a clang-tidy check under its default `FastCheckFilter: Strict`
// only when clang::clangd::isFastTidyCheck says clangd's benchmark measured it
// as fast (clangd's TidyFastChecks.inc); a check it never measured, as
// tether's, is dropped unless a .clangd says `Loose`. tether's checks are
// measured the same way (`clangd --check-tidy-time`, the same 8% threshold:
// scripts/measure-clangd-fast-checks.sh writes TetherFastChecks.inc), and
// tether-clangd is linked with --wrap for that function, so clangd's callers
// (ParsedAST's check filter and the .clangd config checker) reach this one.
// It answers from tether's table for tether's checks and from clangd's own
// for every other check, whose filtering is unchanged.
//
// The mangled name of clang::clangd::isFastTidyCheck(llvm::StringRef); the
// same name is in the --wrap option of driver/clangd/CMakeLists.txt.
std::optional<bool> clangdIsFastTidyCheck(llvm::StringRef Check) __asm__(
    "__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");
std::optional<bool> isFastTidyCheck(llvm::StringRef Check) __asm__(
    "__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");

std::optional<bool> isFastTidyCheck(llvm::StringRef Check) {
  static const llvm::StringMap<bool> TetherChecks = {
#define FAST(CHECK, DELTA) {#CHECK, true},
#define SLOW(CHECK, DELTA) {#CHECK, false},
#include "TetherFastChecks.inc"
  };
  if (auto It = TetherChecks.find(Check); It != TetherChecks.end())
    return It->second;
  return clangdIsFastTidyCheck(Check);
}

// Keeps the statically linked tether module (and its registration).
extern volatile int TetherModuleAnchorSource;
static int TetherModuleAnchorDestination [[maybe_unused]] =
    TetherModuleAnchorSource;

int main(int argc, char *argv[]) {
  std::vector<char *> Args(argv, argv + argc);
  bool HasResourceDir = false;
  for (int I = 1; I < argc; ++I)
    HasResourceDir |= llvm::StringRef(argv[I]).starts_with("--resource-dir") ||
                      llvm::StringRef(argv[I]).starts_with("-resource-dir");
  std::string ResourceDir = "--resource-dir=" TETHER_RESOURCE_DIR;
  if (!HasResourceDir && *TETHER_RESOURCE_DIR)
    Args.insert(Args.begin() + 1, ResourceDir.data());
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(int(Args.size() - 1), Args.data());
}
