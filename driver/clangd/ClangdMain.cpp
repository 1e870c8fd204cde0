//===--- ClangdMain.cpp - tether-clangd -----------------------------------===//
//
// clangd 22's own main with tether's check module linked in: a drop-in
// clangd whose clang-tidy integration also knows tether-* checks. It finds
// clang's builtin headers without flags (the resource dir is baked in at
// build time; --resource-dir still overrides it).
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

#ifndef TETHER_RESOURCE_DIR
#define TETHER_RESOURCE_DIR ""
#endif

namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

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
