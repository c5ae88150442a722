// Copyright 2026 The bytesio Authors.

#include "benchmarks/bench_util.h"

#include <malloc.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <utility>

namespace bytesio {
namespace bench {
namespace {

constexpr size_t kBackingSize = size_t{1} << 20;

// glibc adapts its mmap and trim thresholds to the largest block freed so
// far, so without this a benchmark's page-fault bill depends on which
// benchmarks ran before it in the same process (a std::string that grew
// past 1 MiB raises the thresholds and spares every later benchmark the
// faults). Fixed thresholds that keep freed memory in the heap measure every
// implementation in the same warm steady state, as in a long-running server.
// 32 MiB is the largest mmap threshold glibc accepts on 64-bit; setting it
// also turns the adaptation off. Blocks above it (the 64 MiB copies of
// workloads 6 and 8) are mmapped and faulted in afresh each time.
const bool kMallocTuned = [] {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return true;
}();

// Index in ExternalBacking() of the first byte of cyclic external chunk `i`.
size_t ChunkStart(size_t i, size_t chunk_size) {
  return (i % (kBackingSize / chunk_size)) * chunk_size;
}

}  // namespace

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t word = rng();
    std::copy_n(reinterpret_cast<const char*>(&word), 8, &out[i]);
  }
  for (; i < n; ++i) out[i] = static_cast<char>(rng());
  return out;
}

std::vector<size_t> RandomPositions(size_t count, size_t limit, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> dist(0, limit - 1);
  std::vector<size_t> out(count);
  for (size_t& pos : out) pos = dist(rng);
  return out;
}

absl::string_view ExternalBacking() {
  static const std::string* const backing =
      new std::string(RandomBytes(kBackingSize, 0xbac));
  return *backing;
}

Rope MakeExternalRope(size_t chunks, size_t chunk_size) {
  const absl::string_view backing = ExternalBacking();
  Rope rope;
  for (size_t i = 0; i < chunks; ++i) {
    rope.Append(Rope::FromExternal(
        backing.substr(ChunkStart(i, chunk_size), chunk_size), [] {}));
  }
  return rope;
}

absl::Cord MakeExternalCord(size_t chunks, size_t chunk_size) {
  const absl::string_view backing = ExternalBacking();
  absl::Cord cord;
  for (size_t i = 0; i < chunks; ++i) {
    cord.Append(absl::MakeCordFromExternal(
        backing.substr(ChunkStart(i, chunk_size), chunk_size), [] {}));
  }
  return cord;
}

std::string MakeExternalFlat(size_t chunks, size_t chunk_size) {
  const absl::string_view backing = ExternalBacking();
  std::string flat;
  flat.reserve(chunks * chunk_size);
  for (size_t i = 0; i < chunks; ++i) {
    flat.append(backing.data() + ChunkStart(i, chunk_size), chunk_size);
  }
  return flat;
}

std::string RepeatedRandomBytes(size_t n, uint64_t seed) {
  const std::string block = RandomBytes(std::min(n, kBackingSize), seed);
  std::string out(n, '\0');
  for (size_t pos = 0; pos < n; pos += block.size()) {
    std::memcpy(&out[pos], block.data(), std::min(block.size(), n - pos));
  }
  return out;
}

Rope MakeExternalRopeOver(absl::string_view data, size_t chunk_size) {
  Rope rope;
  for (size_t pos = 0; pos < data.size(); pos += chunk_size) {
    rope.Append(Rope::FromExternal(data.substr(pos, chunk_size), [] {}));
  }
  return rope;
}

absl::Cord MakeExternalCordOver(absl::string_view data, size_t chunk_size) {
  absl::Cord cord;
  for (size_t pos = 0; pos < data.size(); pos += chunk_size) {
    cord.Append(
        absl::MakeCordFromExternal(data.substr(pos, chunk_size), [] {}));
  }
  return cord;
}

Rope MakeOwnedRope(absl::string_view data, size_t chunk_size) {
  Rope rope;
  for (size_t pos = 0; pos < data.size(); pos += chunk_size) {
    const absl::string_view piece = data.substr(pos, chunk_size);
    RopeBuffer buffer = RopeBuffer::CreateWithCapacity(piece.size());
    std::memcpy(buffer.data(), piece.data(), piece.size());
    buffer.SetLength(piece.size());
    rope.Append(std::move(buffer));
  }
  return rope;
}

}  // namespace bench
}  // namespace bytesio
