# tether in a container, for CI systems that run jobs in images. The image is
# Debian bookworm with tether's package installed; apt fetches the LLVM/Clang
# 22 runtime packages it depends on. Build the package first:
#
#   sudo bash scripts/package.sh      # writes build/tether_<version>_amd64.deb
#   docker build -t tether .
#   docker run --rm -v "$PWD:/src" -w /src tether tether -p build --all
#
# g++ brings the C++ standard library headers tether reads (the package has
# none), cmake and make write a project's compile_commands.json.
# .dockerignore sends only that package to the builder, not the build trees.
FROM debian:bookworm
COPY build/tether_*_amd64.deb /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/tether_*_amd64.deb \
      git g++ cmake make \
 && rm -rf /var/lib/apt/lists/* /tmp/tether_*_amd64.deb
CMD ["tether", "--help"]
