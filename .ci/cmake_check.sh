#!/usr/bin/env bash
# The CMake side of CI: configures, builds and tests bytesio with CMake in a
# temporary build directory (tests, examples and benchmarks, warnings as
# errors), installs it into a temporary prefix, then builds and runs the
# consumer project tests/cmake_consumer against that install twice: with
# find_package(bytesio) and with pkg-config (through CMake's FindPkgConfig,
# and with a bare compiler command line). Installs missing Debian packages
# first, like ./bazelw. Nothing is written inside the source tree.
#
#   .ci/cmake_check.sh            (from anywhere)
#   BYTESIO_CMAKE_KEEP=1 ...      keeps the temporary directory for a look
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src="$(pwd)"

step() { printf '\n==== cmake_check: %s\n' "$*"; }

packages=(cmake make pkg-config g++ libabsl-dev libgtest-dev libgmock-dev
          libbenchmark-dev clang-tidy)
missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done
if (( ${#missing[@]} > 0 )); then
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
  step "installing missing packages: ${missing[*]}"
  log="$(mktemp "${TMPDIR:-/tmp}/cmake_check-apt.XXXXXX")"
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "cmake_check: apt-get failed (log above)" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bytesio-cmake.XXXXXX")"
if [[ -z "${BYTESIO_CMAKE_KEEP:-}" ]]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "cmake_check: keeping $work"
fi
prefix="$work/prefix"
jobs="$(nproc)"

step "configure (tests, examples, benchmarks, -Werror)"
cmake -S "$src" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBYTESIO_BUILD_TESTS=ON -DBYTESIO_BUILD_BENCHMARKS=ON -DBYTESIO_WERROR=ON
# The compile database says the standard (clang-tidy reads it).
grep -q -- '-std=c++17' "$work/build/compile_commands.json" ||
  { echo "cmake_check: compile_commands.json lacks -std=c++17" >&2; exit 1; }

# The README's clang-tidy command, on the compile database just written;
# any diagnostic (its default checks) fails the run.
step "clang-tidy -p build bytesio/rope.cc"
(cd "$src" && clang-tidy --warnings-as-errors='*' -p "$work/build" bytesio/rope.cc)

step "build"
cmake --build "$work/build" -j "$jobs"

step "ctest"
(cd "$work/build" && ctest --output-on-failure -j "$jobs")

# As the README says: the prefix is chosen at install time, not at configure
# time, so the installed files must not depend on CMAKE_INSTALL_PREFIX.
step "install into $prefix (prefix given after configure)"
cmake --install "$work/build" --prefix "$prefix"
for f in include/bytesio/bytes_io.h include/bytesio/internal/chunk.h \
         lib/cmake/bytesio/bytesioConfig.cmake \
         lib/cmake/bytesio/bytesioConfigVersion.cmake \
         lib/pkgconfig/bytesio.pc; do
  [[ -f "$prefix/$f" ]] || { echo "cmake_check: $f was not installed" >&2; exit 1; }
done
libdir="$(dirname "$(find "$prefix" -name 'libbytesio.*' -print -quit)")"
pcdir="$libdir/pkgconfig"
if grep -q "/usr/local\|$work" "$pcdir/bytesio.pc"; then
  cat "$pcdir/bytesio.pc" >&2
  echo "cmake_check: bytesio.pc names an absolute prefix" >&2
  exit 1
fi

step "consumer with find_package(bytesio)"
cmake -S "$src/tests/cmake_consumer" -B "$work/consumer-find-package" \
  -DCMAKE_PREFIX_PATH="$prefix"
cmake --build "$work/consumer-find-package" -j "$jobs"
(cd "$work/consumer-find-package" && ctest --output-on-failure)

step "consumer with pkg-config (CMake FindPkgConfig)"
PKG_CONFIG_PATH="$pcdir" cmake -S "$src/tests/cmake_consumer" \
  -B "$work/consumer-pkg-config" -DBYTESIO_CONSUMER_USE_PKG_CONFIG=ON
cmake --build "$work/consumer-pkg-config" -j "$jobs"
(cd "$work/consumer-pkg-config" && ctest --output-on-failure)

step "consumer with pkg-config (bare compiler command line)"
# shellcheck disable=SC2046  # word splitting of the flags is intended
g++ -std=c++17 -o "$work/consumer-bare" "$src/tests/cmake_consumer/main.cc" \
  $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs bytesio)
"$work/consumer-bare"

step "consumer with pkg-config after moving the installed tree"
mv "$prefix" "$work/moved"
moved_pcdir="${pcdir/#$prefix/$work/moved}"
# shellcheck disable=SC2046
g++ -std=c++17 -o "$work/consumer-moved" "$src/tests/cmake_consumer/main.cc" \
  $(PKG_CONFIG_PATH="$moved_pcdir" pkg-config --cflags --libs bytesio)
"$work/consumer-moved"

step "all CMake checks passed"
