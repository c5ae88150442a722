// Copyright 2026 The bytesio Authors.
//
// Memory per byte held, for the ways messages are assembled in practice.
// Each workload builds one ~10 MB value with bytesio, absl::Cord and
// std::string from the same bytes and reports, through counters:
//   alloc_per_byte     bytes requested from operator new that are still live
//                      when the value is built (everything else freed), per
//                      byte the value holds. Sources of shared pieces are
//                      built inside the measured region and dropped, so what
//                      the value keeps of them is counted.
//   estimate_per_byte  the implementation's own EstimatedMemoryUsage() per
//                      byte held (bytesio and Cord), to check it against the
//                      count.
// The workloads:
//   MemAppend1500      6,700 appends of 1,500 copied bytes.
//   MemBufferPerPacket one RopeBuffer (CordBuffer) per 1,500-byte packet.
//   MemAdoptString     each 1,500-byte packet arrives as a std::string that
//                      is adopted (moved in) rather than copied.
//   MemSharedHeaders   5,000 shared 2,000-byte sub-ranges of a received
//                      10 MB buffer, each after a copied 16-byte header.
//   MemFrameShared     5,000 FrameWriter frames (4-byte length) around shared
//                      2,000-byte payloads.
//   MemAppend16        625,000 appends of 16 copied bytes.
// Time is incidental here; the counting operator new below makes this binary
// unsuitable for timing, so it is kept apart from the timed ones.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/cord_buffer.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_util.h"
#include "bytesio/bytes_io.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/frame_writer.h"
#include "bytesio/rope.h"

// ---- Counting allocator -----------------------------------------------------

namespace {

std::atomic<int64_t> live_bytes{0};

// Each block carries its requested size in 16 bytes in front of it (keeping
// malloc's 16-byte alignment), so that unsized deletes are counted too.
constexpr size_t kCountHeader = 16;

void* CountedAlloc(size_t n) {
  void* base = std::malloc(kCountHeader + n);
  if (base == nullptr) std::abort();  // no exceptions in this project
  std::memcpy(base, &n, sizeof(n));
  live_bytes.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
  return static_cast<char*>(base) + kCountHeader;
}

void CountedFree(void* p) {
  if (p == nullptr) return;
  void* base = static_cast<char*>(p) - kCountHeader;
  size_t n;
  std::memcpy(&n, base, sizeof(n));
  live_bytes.fetch_sub(static_cast<int64_t>(n), std::memory_order_relaxed);
  std::free(base);
}

}  // namespace

// libstdc++ routes new[], the nothrow forms and sized deletes through these;
// the aligned forms keep their own (uncounted, consistent) pair.
// noinline: see tests/counting_new.cc (GCC's false -Wmismatched-new-delete).
__attribute__((noinline)) void* operator new(size_t n) {
  return CountedAlloc(n);
}
__attribute__((noinline)) void operator delete(void* p) noexcept {
  CountedFree(p);
}
__attribute__((noinline)) void operator delete(void* p, size_t) noexcept {
  CountedFree(p);
}

namespace bytesio {
namespace {

constexpr size_t kPacket = 1500;
constexpr size_t kPackets = 6700;  // ~10 MB
constexpr size_t kPayload = 2000;
constexpr size_t kPayloads = 5000;  // + 16-byte headers: 10.08 MB
constexpr size_t kHeader = 16;
constexpr size_t kSmallWrites = 625000;  // x 16 bytes: 10 MB

// The bytes every workload copies from; allocated once, before counting.
const std::string& Source() {
  static const std::string* const source =
      new std::string(bench::RandomBytes(kPayloads * kPayload, 7));
  return *source;
}

absl::string_view Packet(size_t i) {
  return absl::string_view(Source()).substr(
      i * kPacket % (Source().size() - kPacket), kPacket);
}

absl::string_view Header(size_t i) {
  return absl::string_view(Source()).substr(i % 1000, kHeader);
}

// Copies a packet into a buffer. noinline: inlined, GCC 12 sees that a
// CordBuffer may be inline (16 bytes) and warns (-Warray-bounds) about a copy
// that only happens into its heap representation.
__attribute__((noinline)) void Fill(char* dest, absl::string_view packet) {
  std::memcpy(dest, packet.data(), packet.size());
}

size_t Size(const Rope& r) { return r.size(); }
size_t Size(const BytesIO& f) { return f.GetValue()->size(); }
size_t Size(const absl::Cord& c) { return c.size(); }
size_t Size(const std::string& s) { return s.size(); }

size_t Estimate(const Rope& r) { return r.EstimatedMemoryUsage(); }
size_t Estimate(const BytesIO& f) { return f.EstimatedMemoryUsage(); }
size_t Estimate(const absl::Cord& c) { return c.EstimatedMemoryUsage(); }
size_t Estimate(const std::string&) { return 0; }

// Runs `build` (which returns the value) and reports the counters.
template <typename Build>
void RunMemory(benchmark::State& state, Build build) {
  Source();
  double live = 0, estimate = 0;
  size_t held = 0;
  for (auto _ : state) {
    const int64_t before = live_bytes.load(std::memory_order_relaxed);
    auto value = build();
    const int64_t after = live_bytes.load(std::memory_order_relaxed);
    held = Size(value);
    live = static_cast<double>(after - before) / static_cast<double>(held);
    estimate = static_cast<double>(Estimate(value)) / static_cast<double>(held);
    benchmark::DoNotOptimize(value);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * held));
  state.counters["alloc_per_byte"] = live;
  if (estimate > 0) state.counters["estimate_per_byte"] = estimate;
}

// ---- 1,500-byte appends
// -------------------------------------------------------

void BM_MemAppend1500_Rope(benchmark::State& state) {
  RunMemory(state, [] {
    Rope rope;
    for (size_t i = 0; i < kPackets; ++i) rope.Append(Packet(i));
    return rope;
  });
}
BENCHMARK(BM_MemAppend1500_Rope);

void BM_MemAppend1500_BytesIO(benchmark::State& state) {
  RunMemory(state, [] {
    BytesIO file;
    for (size_t i = 0; i < kPackets; ++i) (void)file.Write(Packet(i));
    return file;
  });
}
BENCHMARK(BM_MemAppend1500_BytesIO);

void BM_MemAppend1500_Cord(benchmark::State& state) {
  RunMemory(state, [] {
    absl::Cord cord;
    for (size_t i = 0; i < kPackets; ++i) cord.Append(Packet(i));
    return cord;
  });
}
BENCHMARK(BM_MemAppend1500_Cord);

void BM_MemAppend1500_String(benchmark::State& state) {
  RunMemory(state, [] {
    std::string s;
    for (size_t i = 0; i < kPackets; ++i) {
      absl::string_view p = Packet(i);
      s.append(p.data(), p.size());
    }
    return s;
  });
}
BENCHMARK(BM_MemAppend1500_String);

// ---- One buffer per packet
// ----------------------------------------------------

void BM_MemBufferPerPacket_Rope(benchmark::State& state) {
  RunMemory(state, [] {
    Rope rope;
    for (size_t i = 0; i < kPackets; ++i) {
      absl::string_view packet = Packet(i);
      RopeBuffer buffer = RopeBuffer::CreateWithDefaultLimit(packet.size());
      Fill(buffer.data(), packet);
      buffer.SetLength(packet.size());
      rope.Append(std::move(buffer));
    }
    return rope;
  });
}
BENCHMARK(BM_MemBufferPerPacket_Rope);

void BM_MemBufferPerPacket_Cord(benchmark::State& state) {
  RunMemory(state, [] {
    absl::Cord cord;
    for (size_t i = 0; i < kPackets; ++i) {
      absl::string_view packet = Packet(i);
      absl::CordBuffer buffer =
          absl::CordBuffer::CreateWithDefaultLimit(packet.size());
      Fill(buffer.data(), packet);
      buffer.SetLength(packet.size());
      cord.Append(std::move(buffer));
    }
    return cord;
  });
}
BENCHMARK(BM_MemBufferPerPacket_Cord);

void BM_MemBufferPerPacket_String(benchmark::State& state) {
  RunMemory(state, [] {
    std::string s;
    for (size_t i = 0; i < kPackets; ++i) {
      absl::string_view p = Packet(i);
      s.append(p.data(), p.size());
    }
    return s;
  });
}
BENCHMARK(BM_MemBufferPerPacket_String);

// ---- Adopting each packet's std::string
// -----------------------------------------

void BM_MemAdoptString_Rope(benchmark::State& state) {
  RunMemory(state, [] {
    Rope rope;
    for (size_t i = 0; i < kPackets; ++i) {
      std::string packet(Packet(i));
      rope.Append(Rope(std::move(packet)));
    }
    return rope;
  });
}
BENCHMARK(BM_MemAdoptString_Rope);

void BM_MemAdoptString_Cord(benchmark::State& state) {
  RunMemory(state, [] {
    absl::Cord cord;
    for (size_t i = 0; i < kPackets; ++i) {
      std::string packet(Packet(i));
      cord.Append(absl::Cord(std::move(packet)));
    }
    return cord;
  });
}
BENCHMARK(BM_MemAdoptString_Cord);

void BM_MemAdoptString_String(benchmark::State& state) {
  RunMemory(state, [] {
    std::string s;
    for (size_t i = 0; i < kPackets; ++i) {
      std::string packet(Packet(i));
      s += packet;
    }
    return s;
  });
}
BENCHMARK(BM_MemAdoptString_String);

// ---- Shared pieces alternating with 16-byte headers
// -----------------------------

void BM_MemSharedHeaders_Rope(benchmark::State& state) {
  RunMemory(state, [] {
    const Rope received{std::string(Source())};  // adopted, not copied
    Rope message;
    for (size_t i = 0; i < kPayloads; ++i) {
      message.Append(Header(i));
      message.Append(received.Subrope(i * kPayload, kPayload));
    }
    return message;
  });
}
BENCHMARK(BM_MemSharedHeaders_Rope);

void BM_MemSharedHeaders_Cord(benchmark::State& state) {
  RunMemory(state, [] {
    const absl::Cord received{std::string(Source())};
    absl::Cord message;
    for (size_t i = 0; i < kPayloads; ++i) {
      message.Append(Header(i));
      message.Append(received.Subcord(i * kPayload, kPayload));
    }
    return message;
  });
}
BENCHMARK(BM_MemSharedHeaders_Cord);

void BM_MemSharedHeaders_String(benchmark::State& state) {
  RunMemory(state, [] {
    const std::string received(Source());
    std::string message;
    for (size_t i = 0; i < kPayloads; ++i) {
      message.append(Header(i).data(), kHeader);
      message.append(received, i * kPayload, kPayload);
    }
    return message;
  });
}
BENCHMARK(BM_MemSharedHeaders_String);

// ---- Frames around shared payloads
// ----------------------------------------------

// The 4-byte big-endian length the baselines write by hand.
std::string LengthField(size_t n) {
  const char field[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                         static_cast<char>(n >> 8), static_cast<char>(n)};
  return std::string(field, 4);
}

void BM_MemFrameShared_Rope(benchmark::State& state) {
  RunMemory(state, [] {
    const Rope received{std::string(Source())};
    Rope out;
    FrameWriter writer(LengthFieldFraming{}, &out);
    for (size_t i = 0; i < kPayloads; ++i) {
      (void)writer.WriteFrame(received.Subrope(i * kPayload, kPayload));
    }
    return out;
  });
}
BENCHMARK(BM_MemFrameShared_Rope);

void BM_MemFrameShared_Cord(benchmark::State& state) {
  RunMemory(state, [] {
    const absl::Cord received{std::string(Source())};
    absl::Cord out;
    for (size_t i = 0; i < kPayloads; ++i) {
      out.Append(LengthField(kPayload));
      out.Append(received.Subcord(i * kPayload, kPayload));
    }
    return out;
  });
}
BENCHMARK(BM_MemFrameShared_Cord);

void BM_MemFrameShared_String(benchmark::State& state) {
  RunMemory(state, [] {
    const std::string received(Source());
    std::string out;
    for (size_t i = 0; i < kPayloads; ++i) {
      out.append(LengthField(kPayload));
      out.append(received, i * kPayload, kPayload);
    }
    return out;
  });
}
BENCHMARK(BM_MemFrameShared_String);

// ---- 16-byte appends
// --------------------------------------------------------------

void BM_MemAppend16_Rope(benchmark::State& state) {
  RunMemory(state, [] {
    Rope rope;
    for (size_t i = 0; i < kSmallWrites; ++i) rope.Append(Header(i));
    return rope;
  });
}
BENCHMARK(BM_MemAppend16_Rope);

void BM_MemAppend16_BytesIO(benchmark::State& state) {
  RunMemory(state, [] {
    BytesIO file;
    for (size_t i = 0; i < kSmallWrites; ++i) (void)file.Write(Header(i));
    return file;
  });
}
BENCHMARK(BM_MemAppend16_BytesIO);

void BM_MemAppend16_Cord(benchmark::State& state) {
  RunMemory(state, [] {
    absl::Cord cord;
    for (size_t i = 0; i < kSmallWrites; ++i) cord.Append(Header(i));
    return cord;
  });
}
BENCHMARK(BM_MemAppend16_Cord);

void BM_MemAppend16_String(benchmark::State& state) {
  RunMemory(state, [] {
    std::string s;
    for (size_t i = 0; i < kSmallWrites; ++i) {
      absl::string_view h = Header(i);
      s.append(h.data(), h.size());
    }
    return s;
  });
}
BENCHMARK(BM_MemAppend16_String);

}  // namespace
}  // namespace bytesio
