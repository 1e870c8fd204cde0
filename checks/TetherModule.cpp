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
#include "LostThreadResultCheck.h"
#include "UnjoinedTaskCheck.h"
#include "BusyWaitCheck.h"
#include "SleepCoordinationCheck.h"
#include "MultipleClosersCheck.h"
#include "ReceiverClosesChannelCheck.h"
#include "UnusedChannelParameterCheck.h"
#include "MissingStopCheckCheck.h"
#include "BrokenCancellationChainCheck.h"
#include "UnboundedSpawnCheck.h"
#include "RestartWithoutBackoffCheck.h"
#include "HandRolledGroupCheck.h"
#include "ThreadInConstructorCheck.h"
#include "ExceptionEscapesThreadCheck.h"
#include "SwallowedExceptionCheck.h"
#include "NestedAsyncHandlersCheck.h"
#include "ChannelNeverClosedCheck.h"
#include "ChannelAndMutexCheck.h"

namespace tether {

class TetherModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &F) override {
    F.registerCheck<DetachedThreadCheck>("tether-detached-thread");
    F.registerCheck<LostThreadResultCheck>("tether-lost-thread-result");
    F.registerCheck<UnjoinedTaskCheck>("tether-unjoined-task");
    F.registerCheck<BusyWaitCheck>("tether-busy-wait");
    F.registerCheck<SleepCoordinationCheck>("tether-sleep-coordination");
    F.registerCheck<ReceiverClosesChannelCheck>(
        "tether-receiver-closes-channel");
    F.registerCheck<MultipleClosersCheck>("tether-multiple-closers");
    F.registerCheck<UnusedChannelParameterCheck>(
        "tether-unused-channel-parameter");
    F.registerCheck<MissingStopCheckCheck>("tether-missing-stop-check");
    F.registerCheck<BrokenCancellationChainCheck>(
        "tether-broken-cancellation-chain");
    F.registerCheck<UnboundedSpawnCheck>("tether-unbounded-spawn");
    F.registerCheck<RestartWithoutBackoffCheck>(
        "tether-restart-without-backoff");
    F.registerCheck<HandRolledGroupCheck>("tether-hand-rolled-group");
    F.registerCheck<ThreadInConstructorCheck>("tether-thread-in-constructor");
    F.registerCheck<ExceptionEscapesThreadCheck>(
        "tether-exception-escapes-thread");
    F.registerCheck<SwallowedExceptionCheck>("tether-swallowed-exception");
    F.registerCheck<NestedAsyncHandlersCheck>("tether-nested-async-handlers");
    F.registerCheck<ChannelNeverClosedCheck>("tether-channel-never-closed");
    F.registerCheck<ChannelAndMutexCheck>("tether-channel-and-mutex");
  }
};

} // namespace tether

static clang::tidy::ClangTidyModuleRegistry::Add<tether::TetherModule>
    Registration("tether-module", "Concurrency lifetime checks (tether).");

// Referenced by binaries that link the module statically, so the linker keeps
// this object file and with it the registration above.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int TetherModuleAnchorSource = 0;
