//===--- TetherModule.cpp - the "tether" clang-tidy module ----------------===//
//
// Registers every check under the tether- prefix. The same module is linked
// into the tether driver, tether-clangd and the clang-tidy plugin.
//
//===----------------------------------------------------------------------===//

#include "ClangTidyModule.h"
#include "clang/Basic/Version.h"
#if CLANG_VERSION_MAJOR < 22 // merged into ClangTidyModule.h in 22
#include "ClangTidyModuleRegistry.h"
#endif
#include "DetachedThreadCheck.h"
#include "UnjoinedTaskCheck.h"

namespace tether {

class TetherModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &F) override {
    F.registerCheck<DetachedThreadCheck>("tether-detached-thread");
    F.registerCheck<UnjoinedTaskCheck>("tether-unjoined-task");
  }
};

} // namespace tether

static clang::tidy::ClangTidyModuleRegistry::Add<tether::TetherModule>
    Registration("tether-module", "Concurrency lifetime checks (tether).");

// Referenced by binaries that link the module statically, so the linker keeps
// this object file and with it the registration above.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int TetherModuleAnchorSource = 0;
