# Install layout and Debian packages.
#
#   bin/tether, bin/tether-clangd                 component "tether"
#   lib/tether/<llvm-major>/tether-tidy-plugin.so component "plugin<llvm-major>"
#   share/doc/tether/ (README, docs/), share/man/man1/tether.1.gz (from --help)
#
# `cmake --install build` installs one build tree. A clang-tidy plugin only
# loads into the LLVM major it was built for, so the LLVM 19 plugin comes from
# a second build tree (build-19/, configured with -DTETHER_BUILD_DRIVER=OFF)
# whose only install rule is its plugin. CPack packages both trees:
# CPACK_INSTALL_CMAKE_PROJECTS lists this build tree and
# TETHER_PLUGIN_19_BUILD_DIR when that tree has been configured (decided when
# cpack runs, see cmake/CPackProjectConfig.cmake.in; TETHER_SKIP_19=1 leaves
# it out). `cpack` in build/ writes
#
#   tether_<version>_amd64.deb                  tether, tether-clangd, docs,
#                                               man page, the LLVM 22 plugin
#   tether-tidy-plugin-19_<version>_amd64.deb   the LLVM 19 plugin
#
# The 19 plugin is a package of its own because it is useless without
# clang-tidy-19, and a Depends (or a Recommends, which apt installs by
# default) on clang-tidy-19 would pull a second LLVM (~250 MB) onto every
# machine that only uses LLVM 22. docs/install.md says the same for users.
include(GNUInstallDirs)

set(TETHER_PLUGIN_19_BUILD_DIR "${CMAKE_SOURCE_DIR}/build-19" CACHE PATH
    "Build tree of the LLVM 19 plugin (scripts/build.sh); packaged with this one when configured")

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tether)
# --explain reads the check pages embedded at build time (cmake/EmbedDocs.cmake);
# the installed copies are for people.
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tether)

# tether.1 is help2man's rendering of `tether --help`, made at build time, so
# the man page cannot drift from the options the binary has.
find_program(TETHER_HELP2MAN help2man)
if(TETHER_HELP2MAN)
  set(TETHER_MAN_PAGE ${CMAKE_BINARY_DIR}/man/tether.1)
  add_custom_command(
    OUTPUT ${TETHER_MAN_PAGE}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${TETHER_HELP2MAN} --no-info --no-discard-stderr
            --name "find concurrency lifetime smells in C++"
            --version-string "${PROJECT_VERSION}"
            --output ${TETHER_MAN_PAGE} $<TARGET_FILE:tether>
    COMMAND gzip -9 -n -f ${TETHER_MAN_PAGE}
    DEPENDS tether
    COMMENT "Generating tether.1 from tether --help")
  add_custom_target(tether-man-page ALL DEPENDS ${TETHER_MAN_PAGE}.gz)
  install(FILES ${TETHER_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tether)
else()
  message(STATUS "tether: help2man not found (apt-get install help2man): no man page")
endif()

# --- Debian packages ---------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tether)
set(CPACK_PACKAGE_VENDOR tether)
set(CPACK_PACKAGE_CONTACT "tether maintainers <tether@users.noreply.github.com>")
set(CPACK_PACKAGE_HOMEPAGE_URL "${TETHER_HOMEPAGE}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)              # name_version_arch.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)               # dpkg-shlibdeps: libclang-cpp22, libllvm22, gRPC, ...

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENTS_ALL tether plugin${TETHER_LLVM_VERSION} plugin19)
list(REMOVE_DUPLICATES CPACK_COMPONENTS_ALL)
# The main package holds the driver, tether-clangd and this build's plugin.
set(CPACK_COMPONENT_TETHER_GROUP main)
string(TOUPPER "plugin${TETHER_LLVM_VERSION}" plugin_component)
set(CPACK_COMPONENT_${plugin_component}_GROUP main)
set(CPACK_DEBIAN_MAIN_PACKAGE_NAME tether)
# Descriptions: the first line is the package's summary.
set(CPACK_DEBIAN_MAIN_DESCRIPTION
  "concurrency lifetime checks for C++
tether flags detached and unjoined threads, lost futures, loops that ignore
cancellation, busy-waits and channels closed by receivers. This package has
the tether driver, tether-clangd (clangd with tether's checks) and the
clang-tidy plugin for LLVM ${TETHER_LLVM_VERSION}
(/usr/lib/tether/${TETHER_LLVM_VERSION}/tether-tidy-plugin.so).")
# Beyond the shared libraries dpkg-shlibdeps finds: clang's builtin headers
# (the resource dir baked into tether and tether-clangd). clang-tidy is only
# needed by the plugin, so it is recommended, not required.
set(CPACK_DEBIAN_MAIN_PACKAGE_DEPENDS "libclang-common-${TETHER_LLVM_VERSION}-dev")
set(CPACK_DEBIAN_MAIN_PACKAGE_RECOMMENDS "clang-tidy-${TETHER_LLVM_VERSION}")
set(CPACK_DEBIAN_MAIN_PACKAGE_SUGGESTS "tether-tidy-plugin-19")

set(CPACK_DEBIAN_PLUGIN19_PACKAGE_NAME tether-tidy-plugin-19)
set(CPACK_DEBIAN_PLUGIN19_DESCRIPTION
  "tether's concurrency lifetime checks for clang-tidy-19
The tether-* checks as a clang-tidy plugin built against LLVM 19:
clang-tidy-19 --load /usr/lib/tether/19/tether-tidy-plugin.so")
set(CPACK_DEBIAN_PLUGIN19_PACKAGE_DEPENDS "clang-tidy-19")
set(CPACK_DEBIAN_PLUGIN19_PACKAGE_ENHANCES "clang-tidy-19")

configure_file(${CMAKE_SOURCE_DIR}/cmake/CPackProjectConfig.cmake.in
               ${CMAKE_BINARY_DIR}/CPackProjectConfig.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_BINARY_DIR}/CPackProjectConfig.cmake)
include(CPack)
