// Copyright 2026 The bytesio Authors.
//
// Inputs shared by the benchmark binaries: deterministic random bytes and
// positions, and ropes / Cords with an exact number of chunks. Every
// workload feeds the same bytes and the same position sequence to bytesio
// and to each baseline, so their times are comparable.

#ifndef BYTESIO_BENCHMARKS_BENCH_UTIL_H_
#define BYTESIO_BENCHMARKS_BENCH_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "bytesio/rope.h"

namespace bytesio {
namespace bench {

// `n` pseudo-random bytes from `seed` (the same bytes on every run).
std::string RandomBytes(size_t n, uint64_t seed);

// `count` pseudo-random positions in [0, limit), from `seed`.
// Requires: limit > 0.
std::vector<size_t> RandomPositions(size_t count, size_t limit, uint64_t seed);

// 1 MiB of random bytes that external chunks point into (see below). Lives
// for the whole process.
absl::string_view ExternalBacking();

// A Rope (Cord) of `chunks` distinct external chunks of `chunk_size` bytes
// each, pointing into ExternalBacking() cyclically: chunk i covers
// backing[(i % per) * chunk_size, +chunk_size) with per = 1 MiB / chunk_size.
// External memory keeps a million-chunk rope cheap to hold (the bytes are
// shared; only the headers and the index cost memory) and makes Rope and
// Cord see exactly the same chunk boundaries. Requires: chunk_size <= 1 MiB.
Rope MakeExternalRope(size_t chunks, size_t chunk_size);
absl::Cord MakeExternalCord(size_t chunks, size_t chunk_size);
// The same bytes as one flat string.
std::string MakeExternalFlat(size_t chunks, size_t chunk_size);

// `data` as a Rope of owned chunks of exactly `chunk_size` bytes (the last
// may be shorter), however small: each piece is adopted as its own chunk
// through a RopeBuffer, which Append never copies.
Rope MakeOwnedRope(absl::string_view data, size_t chunk_size);

}  // namespace bench
}  // namespace bytesio

#endif  // BYTESIO_BENCHMARKS_BENCH_UTIL_H_
