// Copyright 2026 The bytesio Authors.
//
// Inputs shared by the benchmark binaries: deterministic random bytes and
// positions, and ropes / Cords with an exact number of chunks, either cyclic
// over a small cached backing or consecutive over one real buffer. Every
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

// 1 MiB of random bytes (seed 0xbac) that the cyclic external chunks point
// into (see below). Lives for the whole process.
absl::string_view ExternalBacking();

// Cyclic external chunks, for workloads that measure the tree and not the
// memory: a Rope (Cord) of `chunks` distinct external chunks of `chunk_size`
// bytes each, pointing into ExternalBacking() cyclically: chunk i covers
// backing[(i % per) * chunk_size, +chunk_size) with per = 1 MiB / chunk_size.
// External memory keeps a million-chunk rope cheap to hold (the bytes are
// shared; only the headers and the index cost memory) and makes Rope and
// Cord see exactly the same chunk boundaries. But all of its data is the
// same 1 MiB, which stays in cache: a read from such a rope never pays the
// DRAM miss that a read from a flat buffer of the full size pays. The
// release callbacks do nothing. Requires: chunk_size <= 1 MiB.
Rope MakeExternalRope(size_t chunks, size_t chunk_size);
absl::Cord MakeExternalCord(size_t chunks, size_t chunk_size);
// The same bytes as MakeExternalRope's, copied into one flat string of
// chunks * chunk_size bytes (a buffer of the full size, unlike the rope's).
std::string MakeExternalFlat(size_t chunks, size_t chunk_size);

// `n` bytes made by repeating a 1 MiB pseudo-random block from `seed` (the
// last copy cut short): fast to build at a GiB, where RandomBytes is slow.
// The bytes repeat, but every byte has its own address, so reading at
// random positions misses the caches as a real file of `n` bytes does.
std::string RepeatedRandomBytes(size_t n, uint64_t seed);

// Consecutive external chunks over one real buffer: a Rope (Cord) whose
// chunk i is the external piece data[i * chunk_size, +chunk_size) (the last
// may be shorter), pointing into `data` without copying or cycling, with
// release callbacks that do nothing. Rope and Cord get exactly the same
// chunks, and a read at position p of either touches the same memory as
// data[p]. `data` must outlive the result and every copy of it.
// Requires: chunk_size > 0.
Rope MakeExternalRopeOver(absl::string_view data, size_t chunk_size);
absl::Cord MakeExternalCordOver(absl::string_view data, size_t chunk_size);

// `data` copied into a Rope of owned chunks of exactly `chunk_size` bytes
// (the last may be shorter), however small: each piece is copied into its
// own RopeBuffer, which Append adopts as one chunk and never copies again.
Rope MakeOwnedRope(absl::string_view data, size_t chunk_size);

}  // namespace bench
}  // namespace bytesio

#endif  // BYTESIO_BENCHMARKS_BENCH_UTIL_H_
