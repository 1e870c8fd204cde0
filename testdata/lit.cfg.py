# lit configuration for tether's tests: each test is a real C++ (or shell)
# file with RUN lines and its expectations beside the code they are about.
import os
import sys
import shutil
import subprocess

import lit.formats

config.name = "tether"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lsp_client.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tether_obj_root, "testdata")

llvm_bin = os.path.join(config.llvm_prefix, "bin")
config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, os.path.join(config.tether_obj_root, "bin"), config.environment.get("PATH", os.environ["PATH"])])
config.environment["HOME"] = os.environ.get("HOME", "/tmp")
# Findings must not depend on the terminal a developer runs the tests in.
config.environment.pop("TERM", None)

tether = os.path.join(config.tether_obj_root, "bin", "tether")
plugin = os.path.join(config.tether_obj_root, "lib", "tether-tidy-plugin.so")
clang_tidy = os.path.join(llvm_bin, "clang-tidy")

config.substitutions.append(("%tether", tether))
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("%clang-tidy", clang_tidy))
config.substitutions.append(("%src_root", config.tether_src_root))
# Counts a CHECK-DAG test's warnings (count_warnings.py says why).
config.substitutions.append(("%count-warnings", "%s %s" % (
    sys.executable, os.path.join(config.tether_src_root, "testdata", "count_warnings.py"))))
# Compile flags for the two standard libraries every check is tested on.
config.substitutions.append(("%libstdcxx", "-std=c++20"))
config.substitutions.append(("%libcxx", "-std=c++20 -stdlib=libc++ -fexperimental-library"))

# The LLVM 19 plugin, when scripts/test.sh built it.
tidy19 = "/usr/lib/llvm-19/bin/clang-tidy"
if config.plugin_19 and os.path.exists(config.plugin_19) and os.path.exists(tidy19):
    config.available_features.add("plugin19")
    # Before %plugin and %clang-tidy, which are prefixes of these names.
    config.substitutions.insert(0, ("%plugin19", config.plugin_19))
    config.substitutions.insert(0, ("%clang-tidy-19", tidy19))

if os.path.exists("/usr/include/boost/thread.hpp"):
    config.available_features.add("boost")
if os.path.exists("/usr/include/asio.hpp"):
    config.available_features.add("asio")
# C event loops (libuv1-dev, libevent-dev)
if os.path.exists("/usr/include/uv.h"):
    config.available_features.add("libuv")
if os.path.exists("/usr/include/event2/event.h"):
    config.available_features.add("libevent")
# nlohmann-json3-dev: parse and get throw on data from outside
if os.path.exists("/usr/include/nlohmann/json.hpp"):
    config.available_features.add("nlohmann-json")
# Qt 5 (qtbase5-dev): as system headers (-isystem, what CMake's imported
# targets give) and as the project's own (-I, what a plain Makefile gives).
qt5 = "/usr/include/x86_64-linux-gnu/qt5"
if os.path.exists(os.path.join(qt5, "QtCore", "qthread.h")):
    config.available_features.add("qt")
    config.substitutions.insert(0, ("%qt-user", "-fPIC -I{0} -I{0}/QtCore".format(qt5)))
    config.substitutions.append(("%qt", "-fPIC -isystem {0} -isystem {0}/QtCore".format(qt5)))

# The SARIF validator GitHub code scanning relies on (scripts/setup-deps.sh).
multitool = os.path.join(config.tether_src_root, ".tools", "node_modules", "@microsoft",
                         "sarif-multitool-linux", "Sarif.Multitool")
if os.path.exists(multitool):
    config.available_features.add("sarif-validator")
    config.environment["SARIF_MULTITOOL"] = multitool
    config.substitutions.append(("%validate-sarif", os.path.join(
        config.tether_src_root, "testdata", "tools", "validate-sarif.sh")))
if shutil.which("git"):
    config.available_features.add("git")

# Configuring the example service (testdata/examples) needs CMake and Ninja.
if shutil.which("cmake") and shutil.which("ninja"):
    config.available_features.add("cmake")

# tether-clangd, when it was built (it needs gRPC to link).
tether_clangd = os.path.join(config.tether_obj_root, "bin", "tether-clangd")
if os.path.exists(tether_clangd):
    config.available_features.add("tether-clangd")
    # Before %tether, which is a prefix of this name.
    config.substitutions.insert(0, ("%tether-clangd", tether_clangd))
    config.substitutions.insert(0, ("%lsp-client", "python3 " + os.path.join(
        config.tether_src_root, "testdata", "clangd", "lsp_client.py")))

# Where the build put things, for tests that package it (testdata/package/).
config.substitutions.append(("%build_root", config.tether_obj_root))


# testdata/package/ installs the Debian packages with dpkg and purges them
# again: only as root, and never where a tether package is already installed
# (the test would replace it, then remove it). It runs only when asked for
# (TETHER_TEST_PACKAGE=1): it changes the machine's installed packages and
# takes 1.6 to 4.3 minutes on the shared 2-core development machine (by
# load), at best about the 2 minutes the default suite may grow by. Asked
# for where it cannot run, the suite stops instead of skipping it quietly.
def dpkg_has(package):
    state = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Status}", package],
                           capture_output=True, text=True).stdout
    return state not in ("", "not-installed")


if os.environ.get("TETHER_TEST_PACKAGE") == "1":
    if os.geteuid() != 0 or not shutil.which("dpkg") or not shutil.which("cpack"):
        lit_config.fatal("TETHER_TEST_PACKAGE=1 needs root, dpkg and cpack")
    installed = [p for p in ("tether", "tether-tidy-plugin-19") if dpkg_has(p)]
    if installed:
        lit_config.fatal("TETHER_TEST_PACKAGE=1: %s already installed; the package "
                         "test would replace and then purge it" % ", ".join(installed))
    config.available_features.add("dpkg-root")
