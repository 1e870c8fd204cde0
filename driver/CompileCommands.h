//===--- CompileCommands.h - compile commands as clang needs them ---------===//
//
// A compile database may have been written for another compiler: most Linux
// projects build with GCC, whose flags clang partly does not know. Every
// command is adjusted the same way, in this order:
//
//   1. --removed-arg: each argument equal to one of them is removed;
//   2. flags clang cannot use are dropped: those clang's own option table
//      cannot parse (or marks unsupported), -W options naming no warning
//      clang has, and, for a GCC command, a short list of flags clang parses
//      but must not get (GCC plugins, -Werror tuned to GCC's warnings);
//   3. a GCC command whose compiler is not the GCC clang would pick on its
//      own (g++-11 next to GCC 12) gets --gcc-install-dir, so clang uses
//      that GCC's headers and libstdc++;
//   4. -resource-dir (clang's builtin headers), unless the command has one;
//   5. --extra-arg.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_DRIVER_COMPILECOMMANDS_H
#define TETHER_DRIVER_COMPILECOMMANDS_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace tether::driver {

/// How the commands were adjusted, beyond what the user asked for: what the
/// run says once on standard error.
struct CommandAdjustments {
  std::set<std::string> Dropped; ///< flags clang does not know or must not get
  std::set<std::string> Added;   ///< e.g. --gcc-install-dir=...
};

struct CommandOptions {
  std::string ResourceDir;
  std::vector<std::string> RemovedArgs, ExtraArgs;
};

/// The adjuster for steps 1-5; records what steps 2 and 3 did in \p Seen.
clang::tooling::ArgumentsAdjuster
commandAdjuster(const CommandOptions &Opts,
                std::shared_ptr<CommandAdjustments> Seen);

/// \p DB with every command adjusted by commandAdjuster().
std::unique_ptr<clang::tooling::CompilationDatabase>
adjustCommands(std::unique_ptr<clang::tooling::CompilationDatabase> DB,
               const CommandOptions &Opts,
               std::shared_ptr<CommandAdjustments> Seen);

} // namespace tether::driver

#endif
