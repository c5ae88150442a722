// Copyright 2026 The bytesio Authors.
//
// The machine's limits and the memory overhead report:
//  10. Memcpy / Memchr  of the sizes the other workloads move or scan, so
//      every copying workload can be read as a fraction of the machine.
//  Overhead, reported through counters (time is incidental here):
//   - SmallWriteMemory  bytes allocated per byte held after 1,000,000
//     16-byte writes (BytesIO, Rope, std::string, Cord, std::stringstream).
//   - ChunkMetadata     bytes allocated per chunk beyond the payload, for
//     100,000 chunks that each fill one 1 KiB or 4 KiB allocation.
//
// Memory is measured by replacing the global operator new/delete in this
// binary with counting versions: `alloc_per_byte` and `meta_per_chunk` count
// the bytes the code asked for; `footprint_per_byte` adds what glibc's
// malloc really reserves per allocation (8 bytes of header, rounding to 16,
// at least 32; page rounding for mmap-sized blocks).

#include <malloc.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_util.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"

// ---- Counting allocator -----------------------------------------------------

namespace {

std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> live_footprint{0};
std::atomic<int64_t> live_count{0};

// glibc malloc's real cost of a block of `n` bytes (see file comment).
int64_t Footprint(size_t n) {
  constexpr size_t kMmapThreshold = size_t{128} << 10;
  if (n + 8 >= kMmapThreshold)
    return static_cast<int64_t>((n + 16 + 4095) & ~size_t{4095});
  const size_t chunk = (n + 8 + 15) & ~size_t{15};
  return static_cast<int64_t>(chunk < 32 ? 32 : chunk);
}

// Each block carries its requested size in a header in front of it, so that
// unsized deletes can be counted too.
size_t HeaderFor(size_t align) { return align > 16 ? align : 16; }

void* CountedAlloc(size_t n, size_t align) {
  const size_t header = HeaderFor(align);
  void* base = nullptr;
  if (align > 16) {
    if (posix_memalign(&base, align, header + n) != 0) base = nullptr;
  } else {
    base = std::malloc(header + n);
  }
  if (base == nullptr) std::abort();  // no exceptions in this project
  char* p = static_cast<char*>(base) + header;
  std::memcpy(p - sizeof(size_t), &n, sizeof(size_t));
  live_bytes.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
  live_footprint.fetch_add(Footprint(n), std::memory_order_relaxed);
  live_count.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void CountedFree(void* p, size_t align) {
  if (p == nullptr) return;
  size_t n;
  std::memcpy(&n, static_cast<char*>(p) - sizeof(size_t), sizeof(size_t));
  live_bytes.fetch_sub(static_cast<int64_t>(n), std::memory_order_relaxed);
  live_footprint.fetch_sub(Footprint(n), std::memory_order_relaxed);
  live_count.fetch_sub(1, std::memory_order_relaxed);
  std::free(static_cast<char*>(p) - HeaderFor(align));
}

}  // namespace

void* operator new(size_t n) { return CountedAlloc(n, 16); }
void* operator new[](size_t n) { return CountedAlloc(n, 16); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  return CountedAlloc(n, 16);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  return CountedAlloc(n, 16);
}
void* operator new(size_t n, std::align_val_t a) {
  return CountedAlloc(n, static_cast<size_t>(a));
}
void* operator new[](size_t n, std::align_val_t a) {
  return CountedAlloc(n, static_cast<size_t>(a));
}
void operator delete(void* p) noexcept { CountedFree(p, 16); }
void operator delete[](void* p) noexcept { CountedFree(p, 16); }
void operator delete(void* p, size_t) noexcept { CountedFree(p, 16); }
void operator delete[](void* p, size_t) noexcept { CountedFree(p, 16); }
void operator delete(void* p, const std::nothrow_t&) noexcept {
  CountedFree(p, 16);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  CountedFree(p, 16);
}
void operator delete(void* p, std::align_val_t a) noexcept {
  CountedFree(p, static_cast<size_t>(a));
}
void operator delete[](void* p, std::align_val_t a) noexcept {
  CountedFree(p, static_cast<size_t>(a));
}
void operator delete(void* p, size_t, std::align_val_t a) noexcept {
  CountedFree(p, static_cast<size_t>(a));
}
void operator delete[](void* p, size_t, std::align_val_t a) noexcept {
  CountedFree(p, static_cast<size_t>(a));
}

namespace bytesio {
namespace {

// Live allocation totals at one moment.
struct Snapshot {
  int64_t bytes = live_bytes.load(std::memory_order_relaxed);
  int64_t footprint = live_footprint.load(std::memory_order_relaxed);
  int64_t count = live_count.load(std::memory_order_relaxed);
};

// ---- 10. Limits -------------------------------------------------------------

void LimitArgs(benchmark::internal::Benchmark* b) {
  b->ArgName("size");
  for (int64_t size :
       {16, 128, 1500, 16 << 10, 100000, 1 << 20, 4 << 20, 64 << 20}) {
    b->Arg(size);
  }
}

void BM_Memcpy_Memcpy(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::string src = bench::RandomBytes(n, 9);
  std::string dst(n, '\0');
  for (auto _ : state) {
    std::memcpy(&dst[0], src.data(), n);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

// Scans all `n` bytes: the byte searched for does not occur.
void BM_Memchr_Memchr(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::string haystack = bench::RandomBytes(n, 10);
  for (char& c : haystack) {
    if (c == '\n') c = ' ';
  }
  for (auto _ : state) {
    const void* found = std::memchr(haystack.data(), '\n', n);
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * n));
}

BENCHMARK(BM_Memcpy_Memcpy)->Apply(LimitArgs);
BENCHMARK(BM_Memchr_Memchr)->Apply(LimitArgs);

// ---- Overhead: bytes allocated per byte held after small writes -------------

constexpr size_t kSmallWrites = 1000000;
constexpr size_t kSmallWrite = 16;

const std::string& SmallWriteSource() {
  static const std::string* const source =
      new std::string(bench::RandomBytes(size_t{1} << 20, 11));
  return *source;
}

// Runs `write_all` (which makes the writes and returns the live container)
// and reports what the container holds in memory, per byte held.
template <typename Fn>
void RunSmallWriteMemory(benchmark::State& state, Fn write_all) {
  const absl::string_view source = SmallWriteSource();
  const double held = static_cast<double>(kSmallWrites * kSmallWrite);
  double per_byte = 0;
  double footprint = 0;
  double allocations = 0;
  for (auto _ : state) {
    const Snapshot before;
    auto container = write_all(source);
    const Snapshot after;
    benchmark::DoNotOptimize(container);
    per_byte = static_cast<double>(after.bytes - before.bytes) / held;
    footprint = static_cast<double>(after.footprint - before.footprint) / held;
    allocations = static_cast<double>(after.count - before.count);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * kSmallWrites * kSmallWrite));
  state.counters["alloc_per_byte"] = per_byte;
  state.counters["footprint_per_byte"] = footprint;
  state.counters["live_allocs"] = allocations;
}

absl::string_view Piece(absl::string_view source, size_t i) {
  return source.substr((i * kSmallWrite) % source.size(), kSmallWrite);
}

void BM_SmallWriteMemory_BytesIO(benchmark::State& state) {
  RunSmallWriteMemory(state, [](absl::string_view source) {
    auto io = std::make_unique<BytesIO>();
    for (size_t i = 0; i < kSmallWrites; ++i) {
      auto written = io->Write(Piece(source, i));
      benchmark::DoNotOptimize(written);
    }
    return io;
  });
}

void BM_SmallWriteMemory_Rope(benchmark::State& state) {
  RunSmallWriteMemory(state, [](absl::string_view source) {
    Rope rope;
    for (size_t i = 0; i < kSmallWrites; ++i) rope.Append(Piece(source, i));
    return rope;
  });
}

void BM_SmallWriteMemory_String(benchmark::State& state) {
  RunSmallWriteMemory(state, [](absl::string_view source) {
    std::string s;
    for (size_t i = 0; i < kSmallWrites; ++i) {
      s.append(Piece(source, i).data(), kSmallWrite);
    }
    return s;
  });
}

void BM_SmallWriteMemory_Cord(benchmark::State& state) {
  RunSmallWriteMemory(state, [](absl::string_view source) {
    absl::Cord cord;
    for (size_t i = 0; i < kSmallWrites; ++i) cord.Append(Piece(source, i));
    return cord;
  });
}

void BM_SmallWriteMemory_Stringstream(benchmark::State& state) {
  RunSmallWriteMemory(state, [](absl::string_view source) {
    auto ss = std::make_unique<std::stringstream>();
    for (size_t i = 0; i < kSmallWrites; ++i) {
      ss->write(Piece(source, i).data(), kSmallWrite);
    }
    return ss;
  });
}

// A few iterations suffice: the counters are exact, not timed.
BENCHMARK(BM_SmallWriteMemory_BytesIO)->Iterations(3);
BENCHMARK(BM_SmallWriteMemory_Rope)->Iterations(3);
BENCHMARK(BM_SmallWriteMemory_String)->Iterations(3);
BENCHMARK(BM_SmallWriteMemory_Cord)->Iterations(3);
BENCHMARK(BM_SmallWriteMemory_Stringstream)->Iterations(3);

// ---- Overhead: metadata per chunk -------------------------------------------

// 100,000 chunks, each filling one allocation of state.range(0) bytes with as
// much payload as the implementation's own chunk header leaves: a Rope chunk
// has an 8-byte header, a Cord flat 13 bytes. What is allocated beyond the
// payload is the metadata: chunk headers plus the index (tree nodes).
constexpr size_t kMetadataChunks = 100000;

template <typename Fn>
void RunChunkMetadata(benchmark::State& state, size_t header, Fn build) {
  const size_t payload = static_cast<size_t>(state.range(0)) - header;
  const std::string source = bench::RandomBytes(payload, 12);
  double per_chunk = 0;
  double footprint = 0;
  double allocations = 0;
  for (auto _ : state) {
    const Snapshot before;
    auto container = build(absl::string_view(source));
    const Snapshot after;
    benchmark::DoNotOptimize(container);
    const double chunks = static_cast<double>(kMetadataChunks);
    const double data = chunks * static_cast<double>(payload);
    per_chunk =
        (static_cast<double>(after.bytes - before.bytes) - data) / chunks;
    footprint =
        (static_cast<double>(after.footprint - before.footprint) - data) /
        chunks;
    allocations = static_cast<double>(after.count - before.count) / chunks;
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kMetadataChunks));
  state.counters["meta_per_chunk"] = per_chunk;
  state.counters["footprint_per_chunk"] = footprint;
  state.counters["allocs_per_chunk"] = allocations;
}

void BM_ChunkMetadata_Rope(benchmark::State& state) {
  RunChunkMetadata(state, 8, [](absl::string_view payload) {
    Rope rope;
    for (size_t i = 0; i < kMetadataChunks; ++i) {
      RopeBuffer buffer = RopeBuffer::CreateWithCapacity(payload.size());
      std::memcpy(buffer.data(), payload.data(), payload.size());
      buffer.SetLength(payload.size());
      rope.Append(std::move(buffer));
    }
    return rope;
  });
}

void BM_ChunkMetadata_Cord(benchmark::State& state) {
  RunChunkMetadata(state, 13, [](absl::string_view payload) {
    absl::Cord cord;
    for (size_t i = 0; i < kMetadataChunks; ++i) {
      cord.Append(absl::Cord(payload));
    }
    return cord;
  });
}

BENCHMARK(BM_ChunkMetadata_Rope)
    ->ArgName("alloc")
    ->Arg(1024)
    ->Arg(4096)
    ->Iterations(3);
BENCHMARK(BM_ChunkMetadata_Cord)
    ->ArgName("alloc")
    ->Arg(1024)
    ->Arg(4096)
    ->Iterations(3);

}  // namespace
}  // namespace bytesio
