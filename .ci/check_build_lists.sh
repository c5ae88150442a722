#!/usr/bin/env bash
# Fails when the CMake build and the Bazel build disagree on what exists: the
# library's sources and headers, the unit tests, the fuzz corpus replays, the
# examples run as tests and the benchmark binaries. Bazel is the source of
# truth (bazel query); CMakeLists.txt restates its lists by hand, so a unit
# added to one build and forgotten in the other would otherwise silently never
# build or run there.
#
#   .ci/check_build_lists.sh [CMakeLists.txt]   (from anywhere; needs ./bazelw)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

query() { ./bazelw query --noshow_progress "$1" 2>/dev/null; }

# //bytesio/internal:btree.h -> bytesio/internal/btree.h
bazel_files="$(query 'labels(srcs, //bytesio/...) union labels(hdrs, //bytesio/...)' |
  sed -e 's|^//||' -e 's|:|/|' | sort -u)"
bazel_tests="$(query 'kind(cc_test, //tests/...)' | sed 's|.*:||' | sort -u)"
bazel_fuzz="$(query 'kind(cc_test, //fuzz/...)' | sed 's|.*:||' | sort -u)"
bazel_examples="$(query 'tests(//examples/...)' | sed 's|.*:||' | sort -u)"
bazel_benchmarks="$(query 'kind(cc_binary, //benchmarks/...)' | sed 's|.*:||' | sort -u)"

cmake="$(sed "s/#.*//" "${1:-CMakeLists.txt}")"
cmake_files="$(grep -oE 'bytesio/[A-Za-z0-9_/]+\.(h|cc)' <<<"$cmake" | sort -u)"
cmake_tests="$(grep -oE 'bytesio_test\([a-z0-9_]+' <<<"$cmake" |
  sed 's/.*(//' | sort -u)"
cmake_fuzz="$(grep -oE 'bytesio_fuzz_replay\([a-z0-9_]+' <<<"$cmake" |
  sed -e 's/.*(//' -e 's/$/_replay_test/' | sort -u)"
cmake_examples="$(grep -oE 'add_test\(NAME example_[a-z0-9_]+' <<<"$cmake" |
  sed -e 's/.*example_//' -e 's/$/_test/' | sort -u)"
cmake_benchmarks="$(tr '\n' ' ' <<<"$cmake" |
  grep -oE 'foreach\(name [a-z0-9_ ]+_benchmark *\)' |
  sed -e 's/foreach(name//' -e 's/)//' | tr ' ' '\n' | sed '/^$/d' | sort -u)"

failed=0
compare() {
  local what="$1" bazel="$2" cmake="$3"
  local only_bazel only_cmake
  only_bazel="$(comm -23 <(echo "$bazel") <(echo "$cmake"))"
  only_cmake="$(comm -13 <(echo "$bazel") <(echo "$cmake"))"
  if [[ -z "$bazel" ]]; then
    echo "check_build_lists: bazel query found no $what" >&2
    failed=1
  fi
  if [[ -n "$only_bazel" ]]; then
    echo "check_build_lists: $what in Bazel but not in CMakeLists.txt:" >&2
    sed 's/^/  /' <<<"$only_bazel" >&2
    failed=1
  fi
  if [[ -n "$only_cmake" ]]; then
    echo "check_build_lists: $what in CMakeLists.txt but not in Bazel:" >&2
    sed 's/^/  /' <<<"$only_cmake" >&2
    failed=1
  fi
  printf 'check_build_lists: %-16s %3d in both builds\n' "$what" \
    "$(comm -12 <(echo "$bazel") <(echo "$cmake") | sed '/^$/d' | wc -l)"
}

compare "library files" "$bazel_files" "$cmake_files"
compare "unit tests" "$bazel_tests" "$cmake_tests"
compare "fuzz replays" "$bazel_fuzz" "$cmake_fuzz"
compare "example tests" "$bazel_examples" "$cmake_examples"
compare "benchmarks" "$bazel_benchmarks" "$cmake_benchmarks"
exit "$failed"
