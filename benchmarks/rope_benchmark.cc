// Copyright 2026 The bytesio Authors.
//
// Rope-level workloads, each for bytesio and for every baseline
// that can do it, in one binary and one run:
//   1. SmallAppend   16/128/1500-byte writes up to 1 MiB
//   2. AppendShared  1000 appends of the same 64 KiB / 1 MiB buffer
//   3. Subrange      random 100,000-byte slices of many-chunk ropes
//   9. RandomRead    seek + read 8 bytes at random positions, by chunk count,
//                    over chunks cycling through a cached 1 MiB backing
//                    (data:0) and over one real buffer of the full size
//                    (data:1), the same for Rope, Cord and std::string
// Names are BM_<Workload>_<Impl>; benchmarks/report.py lines them up.

#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_util.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"

namespace bytesio {
namespace {

// ---- 1. Small appends -------------------------------------------------------

// Each iteration builds a 1 MiB buffer from writes of state.range(0) bytes
// (and destroys it). No baseline reserves: the total of a stream of writes is
// not known up front. StringReserved shows what reserve() would buy.
constexpr size_t kAppendTotal = size_t{1} << 20;

const std::string& AppendSource() {
  static const std::string* const source =
      new std::string(bench::RandomBytes(kAppendTotal, 1));
  return *source;
}

template <typename Fn>
void RunSmallAppends(benchmark::State& state, Fn write_all) {
  const size_t n = static_cast<size_t>(state.range(0));
  const size_t writes = kAppendTotal / n;
  const char* src = AppendSource().data();
  for (auto _ : state) write_all(src, n, writes);
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * writes * n));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * writes));
}

void BM_SmallAppend_BytesIO(benchmark::State& state) {
  RunSmallAppends(state, [](const char* src, size_t n, size_t writes) {
    BytesIO io;
    for (size_t i = 0; i < writes; ++i) {
      auto written = io.Write(absl::string_view(src + i * n, n));
      benchmark::DoNotOptimize(written);
    }
    benchmark::DoNotOptimize(io);
  });
}

void BM_SmallAppend_Rope(benchmark::State& state) {
  RunSmallAppends(state, [](const char* src, size_t n, size_t writes) {
    Rope rope;
    for (size_t i = 0; i < writes; ++i) {
      rope.Append(absl::string_view(src + i * n, n));
    }
    benchmark::DoNotOptimize(rope);
  });
}

void BM_SmallAppend_String(benchmark::State& state) {
  RunSmallAppends(state, [](const char* src, size_t n, size_t writes) {
    std::string s;
    for (size_t i = 0; i < writes; ++i) s.append(src + i * n, n);
    benchmark::DoNotOptimize(s.data());
  });
}

void BM_SmallAppend_StringReserved(benchmark::State& state) {
  RunSmallAppends(state, [](const char* src, size_t n, size_t writes) {
    std::string s;
    s.reserve(n * writes);
    for (size_t i = 0; i < writes; ++i) s.append(src + i * n, n);
    benchmark::DoNotOptimize(s.data());
  });
}

void BM_SmallAppend_Cord(benchmark::State& state) {
  RunSmallAppends(state, [](const char* src, size_t n, size_t writes) {
    absl::Cord cord;
    for (size_t i = 0; i < writes; ++i) {
      cord.Append(absl::string_view(src + i * n, n));
    }
    benchmark::DoNotOptimize(cord);
  });
}

void BM_SmallAppend_Stringstream(benchmark::State& state) {
  RunSmallAppends(state, [](const char* src, size_t n, size_t writes) {
    std::stringstream ss;
    for (size_t i = 0; i < writes; ++i) {
      ss.write(src + i * n, static_cast<std::streamsize>(n));
    }
    benchmark::DoNotOptimize(ss);
  });
}

#define SMALL_APPEND_ARGS ArgName("write")->Arg(16)->Arg(128)->Arg(1500)
BENCHMARK(BM_SmallAppend_BytesIO)->SMALL_APPEND_ARGS;
BENCHMARK(BM_SmallAppend_Rope)->SMALL_APPEND_ARGS;
BENCHMARK(BM_SmallAppend_String)->SMALL_APPEND_ARGS;
BENCHMARK(BM_SmallAppend_StringReserved)->SMALL_APPEND_ARGS;
BENCHMARK(BM_SmallAppend_Cord)->SMALL_APPEND_ARGS;
BENCHMARK(BM_SmallAppend_Stringstream)->SMALL_APPEND_ARGS;

// ---- 2. Appending a shared buffer -------------------------------------------

// 1000 appends of one buffer of state.range(0) bytes, which both Rope and
// Cord adopt from a std::string as a single chunk. Reported per append;
// bytes_copied counts the result's bytes that do not point into the source.
constexpr int kSharedAppends = 1000;

template <typename T>
bool PointsInto(absl::string_view piece, const T& source) {
  for (absl::string_view chunk : source.Chunks()) {
    if (piece.data() >= chunk.data() &&
        piece.data() + piece.size() <= chunk.data() + chunk.size()) {
      return true;
    }
  }
  return false;
}

template <typename T>
double BytesCopiedPerAppend(const T& source) {
  T dest;
  for (int i = 0; i < kSharedAppends; ++i) dest.Append(source);
  size_t copied = 0;
  for (absl::string_view chunk : dest.Chunks()) {
    if (!PointsInto(chunk, source)) copied += chunk.size();
  }
  return static_cast<double>(copied) / kSharedAppends;
}

template <typename T>
void RunAppendShared(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const T source(bench::RandomBytes(size, 2));
  for (auto _ : state) {
    T dest;
    for (int i = 0; i < kSharedAppends; ++i) dest.Append(source);
    benchmark::DoNotOptimize(dest);
  }
  state.SetItemsProcessed(state.iterations() * kSharedAppends);
  state.counters["bytes_copied"] = BytesCopiedPerAppend(source);
}

void BM_AppendShared_Rope(benchmark::State& state) {
  RunAppendShared<Rope>(state);
}
void BM_AppendShared_Cord(benchmark::State& state) {
  RunAppendShared<absl::Cord>(state);
}
BENCHMARK(BM_AppendShared_Rope)->ArgName("size")->Arg(64 << 10)->Arg(1 << 20);
BENCHMARK(BM_AppendShared_Cord)->ArgName("size")->Arg(64 << 10)->Arg(1 << 20);

// ---- Many-chunk inputs for 3 and 9 ------------------------------------------

// 1 KiB external chunks: above the copy-or-share threshold of both Rope and
// Cord (511), so each is its own chunk, and a 100,000-byte slice spans ~98.
constexpr size_t kChunkSize = 1024;

// Where the chunks' bytes live (the `data` arg of workload 9).
enum Data : int {
  // Cyclic external chunks over the 1 MiB bench::ExternalBacking(): the data
  // stays in cache, so a read measures the tree lookup alone.
  kCyclic = 0,
  // Consecutive external chunks over one real buffer of chunks * 1 KiB (the
  // flat string below), as a file of that size would be: a random read
  // pays the same DRAM misses for the bytes in every implementation.
  kReal = 1,
};

struct Chunked {
  // kReal: the buffer that the rope's and the Cord's chunks point into,
  // built first and never moved. kCyclic: the same bytes as the rope, as one
  // flat copy of the full size (for Subrange's std::string).
  std::string flat;
  Rope rope;
  absl::Cord cord;
};

// Built once per (chunk count, data) and kept for the process: a
// million-chunk rope takes a moment to build, and the kReal buffer of a
// million chunks is 1 GiB. The Cord and the cyclic flat copy are built only
// where they are used.
const Chunked& GetChunked(size_t chunks, Data data, bool with_cord,
                          bool with_flat) {
  static auto* const cache =
      new std::map<std::pair<size_t, Data>, std::unique_ptr<Chunked>>;
  std::unique_ptr<Chunked>& entry = (*cache)[{chunks, data}];
  if (entry == nullptr) {
    entry = std::make_unique<Chunked>();
    if (data == kReal) {
      entry->flat = bench::RepeatedRandomBytes(chunks * kChunkSize, 9);
      entry->rope = bench::MakeExternalRopeOver(entry->flat, kChunkSize);
    } else {
      entry->rope = bench::MakeExternalRope(chunks, kChunkSize);
    }
  }
  if (with_cord && entry->cord.empty()) {
    entry->cord = data == kReal
                      ? bench::MakeExternalCordOver(entry->flat, kChunkSize)
                      : bench::MakeExternalCord(chunks, kChunkSize);
  }
  if (with_flat && entry->flat.empty()) {
    entry->flat = bench::MakeExternalFlat(chunks, kChunkSize);
  }
  return *entry;
}

// The same 2^20 positions for every implementation (8 MiB of positions, so
// a million-chunk tree is not served from a few cached paths).
const std::vector<size_t>& Positions(size_t limit) {
  static auto* const cache = new std::map<size_t, std::vector<size_t>>;
  std::vector<size_t>& positions = (*cache)[limit];
  if (positions.empty()) {
    positions = bench::RandomPositions(size_t{1} << 20, limit, 3);
  }
  return positions;
}

// ---- 3. Sub-range -----------------------------------------------------------

constexpr size_t kSliceSize = 100000;

template <typename Fn>
void RunSubrange(benchmark::State& state, bool cord, bool flat, Fn slice) {
  const size_t chunks = static_cast<size_t>(state.range(0));
  const Chunked& in = GetChunked(chunks, kCyclic, cord, flat);
  const std::vector<size_t>& positions =
      Positions(chunks * kChunkSize - kSliceSize + 1);
  size_t i = 0;
  for (auto _ : state) {
    slice(in, positions[i++ & (positions.size() - 1)]);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * kSliceSize));
}

void BM_Subrange_Rope(benchmark::State& state) {
  RunSubrange(state, false, false, [](const Chunked& in, size_t pos) {
    Rope slice = in.rope.Subrope(pos, kSliceSize);
    benchmark::DoNotOptimize(slice);
  });
}

void BM_Subrange_Cord(benchmark::State& state) {
  RunSubrange(state, true, false, [](const Chunked& in, size_t pos) {
    absl::Cord slice = in.cord.Subcord(pos, kSliceSize);
    benchmark::DoNotOptimize(slice);
  });
}

void BM_Subrange_String(benchmark::State& state) {
  RunSubrange(state, false, true, [](const Chunked& in, size_t pos) {
    std::string slice = in.flat.substr(pos, kSliceSize);
    benchmark::DoNotOptimize(slice.data());
  });
}

BENCHMARK(BM_Subrange_Rope)
    ->ArgName("chunks")
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);
BENCHMARK(BM_Subrange_Cord)
    ->ArgName("chunks")
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);
BENCHMARK(BM_Subrange_String)->ArgName("chunks")->Arg(1000)->Arg(100000);

// ---- 9. Scaling: seek + read 8 bytes at random positions --------------------

// The cyclic rope's bytes as a real buffer of the size of its backing: byte
// p of the rope is byte p % period of this (the chunks repeat every
// `period` bytes), plus 7 bytes of wrap-around so that an 8-byte read at
// the end of a period is one memcpy. std::string's data:0 row reads it, so
// that it reads the same bytes from as much (cached) memory as the rope.
constexpr size_t kCyclicPeriod = size_t{1} << 20;  // 1 MiB / 1 KiB * 1 KiB

const std::string& CyclicFlat() {
  static const std::string* const flat = [] {
    const absl::string_view backing = bench::ExternalBacking();
    auto* out = new std::string(backing.substr(0, kCyclicPeriod));
    out->append(backing.data(), 7);
    return out;
  }();
  return *flat;
}

template <typename Fn>
void RunRandomRead(benchmark::State& state, bool cord, bool flat, Fn read) {
  const size_t chunks = static_cast<size_t>(state.range(0));
  const Data data = static_cast<Data>(state.range(1));
  const Chunked& in = GetChunked(chunks, data, cord, flat);
  const std::vector<size_t>& positions = Positions(chunks * kChunkSize - 7);
  char buf[8];
  size_t i = 0;
  for (auto _ : state) {
    read(in, positions[i++ & (positions.size() - 1)], buf);
    benchmark::DoNotOptimize(buf);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RandomRead_BytesIO(benchmark::State& state) {
  const Chunked& in =
      GetChunked(static_cast<size_t>(state.range(0)),
                 static_cast<Data>(state.range(1)), false, false);
  BytesIO io(in.rope);
  RunRandomRead(state, false, false,
                [&io](const Chunked&, size_t pos, char* buf) {
                  auto sought = io.Seek(static_cast<int64_t>(pos));
                  benchmark::DoNotOptimize(sought);
                  auto read = io.ReadInto(absl::Span<char>(buf, 8));
                  benchmark::DoNotOptimize(read);
                });
}

void BM_RandomRead_Rope(benchmark::State& state) {
  RunRandomRead(state, false, false,
                [](const Chunked& in, size_t pos, char* buf) {
                  size_t n = in.rope.CopyTo(absl::Span<char>(buf, 8), pos);
                  benchmark::DoNotOptimize(n);
                });
}

// Cord has no positioned read: Subcord (O(log k)) and copy its chunks out.
void BM_RandomRead_Cord(benchmark::State& state) {
  RunRandomRead(state, true, false,
                [](const Chunked& in, size_t pos, char* buf) {
                  absl::Cord part = in.cord.Subcord(pos, 8);
                  char* out = buf;
                  for (absl::string_view chunk : part.Chunks()) {
                    std::memcpy(out, chunk.data(), chunk.size());
                    out += chunk.size();
                  }
                });
}

// The limit: memcpy from a flat buffer holding the bytes the rope returns.
// data:0 reads CyclicFlat() (1 MiB, cached, like the rope's backing); data:1
// reads the real buffer the rope's chunks point into.
void BM_RandomRead_String(benchmark::State& state) {
  if (static_cast<Data>(state.range(1)) == kCyclic) {
    const char* const flat = CyclicFlat().data();
    RunRandomRead(state, false, false,
                  [flat](const Chunked&, size_t pos, char* buf) {
                    std::memcpy(buf, flat + pos % kCyclicPeriod, 8);
                  });
  } else {
    RunRandomRead(state, false, false,
                  [](const Chunked& in, size_t pos, char* buf) {
                    std::memcpy(buf, in.flat.data() + pos, 8);
                  });
  }
}

// data:0 = cyclic chunks over a 1 MiB backing (lookup cost, data cached);
// data:1 = consecutive chunks over one real buffer of chunks * 1 KiB.
#define RANDOM_READ_ARGS       \
  ArgNames({"chunks", "data"}) \
      ->ArgsProduct({{1000, 100000, 1000000}, {kCyclic, kReal}})
BENCHMARK(BM_RandomRead_BytesIO)->RANDOM_READ_ARGS;
BENCHMARK(BM_RandomRead_Rope)->RANDOM_READ_ARGS;
BENCHMARK(BM_RandomRead_Cord)->RANDOM_READ_ARGS;
BENCHMARK(BM_RandomRead_String)->RANDOM_READ_ARGS;

}  // namespace
}  // namespace bytesio
