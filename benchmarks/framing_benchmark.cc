// Copyright 2026 The bytesio Authors.
//
// Framing-layer workloads, for bytesio and the baselines:
//   4. FrameLength / FrameVarint  a stream of length-prefixed frames (4-byte
//      big-endian or varint length) of 64 B .. 1 MiB arriving in 1500-byte
//      and 16 KiB pieces, decoded frame by frame, each frame kept alive for
//      the next kKeepAlive frames and then dropped. Pieces are copied in, as
//      recv() copies them, for every implementation. FrameShared: the same
//      with pieces that arrive already in refcounted buffers.
//   7. ReadBE32  32-bit big-endian integers read in sequence across chunk
//      boundaries, vs memcpy + byte swap on a flat buffer.
// Every implementation parses headers with the same coding.h functions, so
// the comparison is about buffering, not about the parser.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_util.h"
#include "bytesio/bytes_io.h"
#include "bytesio/bytes_io_coding.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "bytesio/rope_reader.h"

namespace bytesio {
namespace {

// ---- 4. Framing -------------------------------------------------------------

// Frames handed on are kept this long (a consumer working on a few messages
// at a time), then dropped; a power of two for the ring index.
constexpr size_t kKeepAlive = 8;

// At least 4 MiB of stream per iteration and at least 8 frames, so that
// per-iteration setup is noise and 1 MiB frames cycle through the ring.
constexpr size_t kMinStream = size_t{4} << 20;

enum class Prefix { kBigEndian32, kVarint };

size_t FrameCount(size_t frame_size) {
  const size_t frames = kMinStream / frame_size;
  return frames < 8 ? 8 : frames;
}

// The encoded stream for frames of `frame_size` payload bytes.
const std::string& Stream(Prefix prefix, size_t frame_size) {
  static auto* const cache = new std::map<std::pair<int, size_t>, std::string>;
  std::string& stream = (*cache)[{static_cast<int>(prefix), frame_size}];
  if (!stream.empty()) return stream;
  const std::string payload = bench::RandomBytes(frame_size, 4);
  for (size_t i = 0; i < FrameCount(frame_size); ++i) {
    char header[kMaxVarint64Length];
    size_t header_size = 4;
    if (prefix == Prefix::kBigEndian32) {
      StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(frame_size));
    } else {
      header_size =
          static_cast<size_t>(EncodeVarint64(header, frame_size) - header);
    }
    stream.append(header, header_size);
    stream.append(payload);
  }
  return stream;
}

// Parses the header at the front of `bytes` (a contiguous view of at least
// the first bytes of the buffer). Returns false when it is incomplete.
bool ParseHeader(Prefix prefix, absl::string_view bytes, uint64_t* body,
                 size_t* header) {
  if (prefix == Prefix::kBigEndian32) {
    if (bytes.size() < 4) return false;
    *body = LoadBigEndian<uint32_t>(bytes.data());
    *header = 4;
    return true;
  }
  // Malformed varints do not occur in this stream; a real decoder would
  // fail on them, which costs the same branch.
  return DecodeVarint64(bytes, body, header) == DecodeStatus::kOk;
}

template <typename Fn>
void RunFraming(benchmark::State& state, Prefix prefix, Fn decode_stream) {
  const size_t frame_size = static_cast<size_t>(state.range(0));
  const size_t piece = static_cast<size_t>(state.range(1));
  const std::string& stream = Stream(prefix, frame_size);
  for (auto _ : state) decode_stream(absl::string_view(stream), piece);
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * FrameCount(frame_size)));
}

// bytesio: pieces are appended to the decoder's rope (one copy, into its
// tail chunk, as a recv() would); frames share the chunks.
void FrameDecoderStream(Prefix prefix, absl::string_view stream, size_t piece) {
  FrameDecoder decoder = prefix == Prefix::kBigEndian32
                             ? FrameDecoder(LengthFieldFraming{})
                             : FrameDecoder(VarintFraming{});
  std::array<Rope, kKeepAlive> alive;
  size_t n = 0;
  Rope frame;
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    decoder.Append(stream.substr(pos, piece));
    while (decoder.Next(&frame) == FrameDecoder::Result::kFrame) {
      Rope& slot = alive[n++ % kKeepAlive];
      slot = std::move(frame);
      benchmark::DoNotOptimize(slot);
    }
  }
}

// std::string: append each piece, copy each frame out into a kept string
// (assign() reuses that string's capacity, the cheapest honest hand-off),
// advance an offset, and erase the consumed prefix once it is at least half
// the buffer (so erase moves at most as much as was consumed).
void StringStream(Prefix prefix, absl::string_view stream, size_t piece) {
  std::string buffer;
  size_t offset = 0;
  uint64_t body = 0;
  size_t header = 0;
  bool have_header = false;
  std::array<std::string, kKeepAlive> alive;
  size_t n = 0;
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    const absl::string_view bytes = stream.substr(pos, piece);
    buffer.append(bytes.data(), bytes.size());
    for (;;) {
      const absl::string_view rest = absl::string_view(buffer).substr(offset);
      if (!have_header) {
        if (!ParseHeader(prefix, rest, &body, &header)) break;
        have_header = true;
      }
      if (rest.size() < header + body) break;
      std::string& slot = alive[n++ % kKeepAlive];
      slot.assign(rest.data() + header, body);
      benchmark::DoNotOptimize(slot.data());
      offset += header + body;
      have_header = false;
    }
    if (offset != 0 && offset * 2 >= buffer.size()) {
      buffer.erase(0, offset);
      offset = 0;
    }
  }
}

// The first (up to) kMaxVarint64Length bytes of `buffer`, contiguous: the
// first chunk in place, or copied into `copy` when it is shorter.
absl::string_view CordFront(const absl::Cord& buffer, char* copy) {
  absl::string_view first = *buffer.chunk_begin();
  if (first.size() >= kMaxVarint64Length || first.size() == buffer.size()) {
    return first;
  }
  const size_t want =
      buffer.size() < kMaxVarint64Length ? buffer.size() : kMaxVarint64Length;
  size_t got = 0;
  for (absl::string_view chunk : buffer.Chunks()) {
    const size_t take = chunk.size() < want - got ? chunk.size() : want - got;
    std::memcpy(copy + got, chunk.data(), take);
    got += take;
    if (got == want) break;
  }
  return absl::string_view(copy, want);
}

// Takes every complete frame from `buffer` (Subcord + RemovePrefix).
void DrainCord(Prefix prefix, absl::Cord* buffer, bool* have_header,
               uint64_t* body, size_t* header,
               std::array<absl::Cord, kKeepAlive>* alive, size_t* n) {
  for (;;) {
    if (!*have_header) {
      if (buffer->empty()) return;
      char copy[kMaxVarint64Length];
      if (!ParseHeader(prefix, CordFront(*buffer, copy), body, header)) return;
      *have_header = true;
    }
    if (buffer->size() < *header + *body) return;
    absl::Cord& slot = (*alive)[(*n)++ % kKeepAlive];
    slot = buffer->Subcord(*header, *body);
    benchmark::DoNotOptimize(slot);
    buffer->RemovePrefix(*header + *body);
    *have_header = false;
  }
}

// absl::Cord: append each piece, take frames with Subcord (sharing) and drop
// them with RemovePrefix. The header is read from the first chunk, or copied
// out when it straddles chunks.
void CordStream(Prefix prefix, absl::string_view stream, size_t piece) {
  absl::Cord buffer;
  uint64_t body = 0;
  size_t header = 0;
  bool have_header = false;
  std::array<absl::Cord, kKeepAlive> alive;
  size_t n = 0;
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    buffer.Append(stream.substr(pos, piece));
    DrainCord(prefix, &buffer, &have_header, &body, &header, &alive, &n);
  }
}

void BM_FrameLength_FrameDecoder(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    FrameDecoderStream(Prefix::kBigEndian32, s, p);
  });
}
void BM_FrameLength_String(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    StringStream(Prefix::kBigEndian32, s, p);
  });
}
void BM_FrameLength_Cord(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    CordStream(Prefix::kBigEndian32, s, p);
  });
}
void BM_FrameVarint_FrameDecoder(benchmark::State& state) {
  RunFraming(state, Prefix::kVarint, [](absl::string_view s, size_t p) {
    FrameDecoderStream(Prefix::kVarint, s, p);
  });
}
void BM_FrameVarint_String(benchmark::State& state) {
  RunFraming(state, Prefix::kVarint, [](absl::string_view s, size_t p) {
    StringStream(Prefix::kVarint, s, p);
  });
}
void BM_FrameVarint_Cord(benchmark::State& state) {
  RunFraming(state, Prefix::kVarint, [](absl::string_view s, size_t p) {
    CordStream(Prefix::kVarint, s, p);
  });
}

// Variant: the pieces arrive already in refcounted buffers (a transport that
// hands over Ropes / Cords, e.g. filled by ReadFromFd one layer down), so
// bytesio and Cord append them without a copy; std::string still copies
// each piece in. Pieces are built once, outside the timing.
template <typename T>
const std::vector<T>& SharedPieces(size_t frame_size, size_t piece) {
  static auto* const cache =
      new std::map<std::pair<size_t, size_t>, std::vector<T>>;
  std::vector<T>& pieces = (*cache)[{frame_size, piece}];
  if (pieces.empty()) {
    const absl::string_view stream = Stream(Prefix::kBigEndian32, frame_size);
    for (size_t pos = 0; pos < stream.size(); pos += piece) {
      pieces.emplace_back(stream.substr(pos, piece));
    }
  }
  return pieces;
}

void BM_FrameShared_FrameDecoder(benchmark::State& state) {
  const std::vector<Rope>& pieces = SharedPieces<Rope>(
      static_cast<size_t>(state.range(0)), static_cast<size_t>(state.range(1)));
  RunFraming(state, Prefix::kBigEndian32, [&pieces](absl::string_view, size_t) {
    FrameDecoder decoder{LengthFieldFraming{}};
    std::array<Rope, kKeepAlive> alive;
    size_t n = 0;
    Rope frame;
    for (const Rope& bytes : pieces) {
      decoder.Append(bytes);
      while (decoder.Next(&frame) == FrameDecoder::Result::kFrame) {
        Rope& slot = alive[n++ % kKeepAlive];
        slot = std::move(frame);
        benchmark::DoNotOptimize(slot);
      }
    }
  });
}

// A std::string cannot take over a buffer it did not allocate: it copies
// each piece in, exactly as in BM_FrameLength_String.
void BM_FrameShared_String(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    StringStream(Prefix::kBigEndian32, s, p);
  });
}

void BM_FrameShared_Cord(benchmark::State& state) {
  const std::vector<absl::Cord>& pieces = SharedPieces<absl::Cord>(
      static_cast<size_t>(state.range(0)), static_cast<size_t>(state.range(1)));
  RunFraming(state, Prefix::kBigEndian32, [&pieces](absl::string_view, size_t) {
    absl::Cord buffer;
    uint64_t body = 0;
    size_t header = 0;
    bool have_header = false;
    std::array<absl::Cord, kKeepAlive> alive;
    size_t n = 0;
    for (const absl::Cord& bytes : pieces) {
      buffer.Append(bytes);
      DrainCord(Prefix::kBigEndian32, &buffer, &have_header, &body, &header,
                &alive, &n);
    }
  });
}

void FramingArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"frame", "piece"});
  for (int64_t frame : {64, 1 << 10, 16 << 10, 1 << 20}) {
    for (int64_t piece : {1500, 16 << 10}) b->Args({frame, piece});
  }
}

BENCHMARK(BM_FrameLength_FrameDecoder)->Apply(FramingArgs);
BENCHMARK(BM_FrameLength_String)->Apply(FramingArgs);
BENCHMARK(BM_FrameLength_Cord)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_FrameDecoder)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_String)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_Cord)->Apply(FramingArgs);
BENCHMARK(BM_FrameShared_FrameDecoder)->Apply(FramingArgs);
BENCHMARK(BM_FrameShared_String)->Apply(FramingArgs);
BENCHMARK(BM_FrameShared_Cord)->Apply(FramingArgs);

// ---- 7. Typed reads ---------------------------------------------------------

// 1 MiB of big-endian uint32s in owned chunks of state.range(0) bytes:
// odd sizes, so values straddle boundaries (3 values in 7 at 7-byte chunks,
// one in ~257 at 1027).
constexpr size_t kTypedBytes = size_t{1} << 20;

const Rope& TypedRope(size_t chunk_size) {
  static auto* const cache = new std::map<size_t, Rope>;
  Rope& rope = (*cache)[chunk_size];
  if (rope.empty()) {
    rope = bench::MakeOwnedRope(bench::RandomBytes(kTypedBytes, 5), chunk_size);
  }
  return rope;
}

void SetTypedCounters(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * bytes / 4));
}

void BM_ReadBE32_RopeReader(benchmark::State& state) {
  const Rope& rope = TypedRope(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    RopeReader reader(rope);
    uint32_t sum = 0;
    uint32_t value;
    while (reader.ReadBigEndian(&value)) sum += value;
    benchmark::DoNotOptimize(sum);
  }
  SetTypedCounters(state, rope.size());
}

void BM_ReadBE32_BytesIO(benchmark::State& state) {
  const Rope& rope = TypedRope(static_cast<size_t>(state.range(0)));
  BytesIO io(rope);
  const size_t values = rope.size() / 4;
  for (auto _ : state) {
    auto sought = io.Seek(0);
    benchmark::DoNotOptimize(sought);
    uint32_t sum = 0;
    for (size_t i = 0; i < values; ++i) {
      absl::StatusOr<uint32_t> value = ReadBigEndian<uint32_t>(&io);
      sum += *value;
    }
    benchmark::DoNotOptimize(sum);
  }
  SetTypedCounters(state, values * 4);
}

// The same bytes flat: memcpy + byte swap, the compiler's best case.
void BM_ReadBE32_Memcpy(benchmark::State& state) {
  const std::string flat =
      TypedRope(static_cast<size_t>(state.range(0))).ToString();
  const size_t values = flat.size() / 4;
  for (auto _ : state) {
    uint32_t sum = 0;
    for (size_t i = 0; i < values; ++i) {
      uint32_t value;
      std::memcpy(&value, flat.data() + 4 * i, 4);
      sum += __builtin_bswap32(value);
    }
    benchmark::DoNotOptimize(sum);
  }
  SetTypedCounters(state, values * 4);
}

#define TYPED_ARGS ArgName("chunk")->Arg(7)->Arg(1027)->Arg(65539)
BENCHMARK(BM_ReadBE32_RopeReader)->TYPED_ARGS;
BENCHMARK(BM_ReadBE32_BytesIO)->TYPED_ARGS;
BENCHMARK(BM_ReadBE32_Memcpy)->TYPED_ARGS;

}  // namespace
}  // namespace bytesio
