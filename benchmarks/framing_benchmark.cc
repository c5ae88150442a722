// Copyright 2026 The bytesio Authors.
//
// Framing-layer workloads, for bytesio and the baselines:
//   4. FrameLength / FrameVarint / FrameDelim  a stream of frames (4-byte
//      big-endian length, varint length, or a "\r\n" delimiter) of 64 B ..
//      1 MiB arriving in 1500-byte and 16 KiB pieces, decoded frame by frame.
//      Pieces are copied in, as recv() copies them, for every
//      implementation. Rows:
//        FrameDecoder  Next(): each frame a Rope, kept alive for the next
//                      kKeepAlive frames and then dropped: Next() writes
//                      into the kept slot, as String assigns into its kept
//                      string (small frames are copied into the slot's
//                      chunk, larger ones share the received chunks)
//        View          NextView(): each frame a borrowed view, looked at
//                      and dropped (what most parsers do)
//        String        std::string buffer, each frame copied out into a kept
//                      string (assign() reuses its capacity)
//        Cord          absl::Cord buffer, Subcord per frame, the consumed
//                      prefix removed once per arriving piece (per frame is
//                      ~2.5x slower at 64 B: that would flatter bytesio)
//        Memcpy/Memchr the limit: pieces memcpy'd into one flat buffer,
//                      headers parsed (delimiters found with memchr) in
//                      place, each frame a view; no copy-out
//      FrameShared: pieces arrive as refcounted buffers; every side pays
//      for receiving each piece (a fresh buffer filled with its bytes, as a
//      recv into a new buffer would), then bytesio and Cord share it while
//      std::string copies it in.
//   7. ReadBE32 / ReadVarint  32-bit big-endian integers (varints) read in
//      sequence across chunk boundaries, through the cursor (RopeReader)
//      and through BytesIO, vs memcpy + byte swap on a flat buffer.
// Every implementation parses headers with the same coding.h functions, so
// the comparison is about buffering, not about the parser.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>

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

enum class Prefix { kBigEndian32, kVarint, kDelimiter };

constexpr absl::string_view kDelimiter = "\r\n";

size_t FrameCount(size_t frame_size) {
  const size_t frames = kMinStream / frame_size;
  return frames < 8 ? 8 : frames;
}

// The encoded stream for frames of `frame_size` payload bytes.
const std::string& Stream(Prefix prefix, size_t frame_size) {
  static auto* const cache = new std::map<std::pair<int, size_t>, std::string>;
  std::string& stream = (*cache)[{static_cast<int>(prefix), frame_size}];
  if (!stream.empty()) return stream;
  std::string payload = bench::RandomBytes(frame_size, 4);
  if (prefix == Prefix::kDelimiter) {
    // Printable bytes: no '\r' or '\n' inside a frame.
    for (char& c : payload) c = static_cast<char>('a' + (c & 15));
  }
  for (size_t i = 0; i < FrameCount(frame_size); ++i) {
    if (prefix == Prefix::kDelimiter) {
      stream.append(payload);
      stream.append(kDelimiter.data(), kDelimiter.size());
      continue;
    }
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
  if (prefix == Prefix::kDelimiter) {
    // The frame is the bytes before the delimiter; the delimiter is its
    // "header" here, counted after the body by the callers' arithmetic.
    const size_t pos = bytes.find(kDelimiter);
    if (pos == absl::string_view::npos) return false;
    *body = pos;
    *header = 0;
    return true;
  }
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

// Bytes after a frame's body that belong to it (the delimiter).
size_t Trailer(Prefix prefix) {
  return prefix == Prefix::kDelimiter ? kDelimiter.size() : 0;
}

FrameDecoder MakeDecoder(Prefix prefix) {
  switch (prefix) {
    case Prefix::kBigEndian32:
      return FrameDecoder(LengthFieldFraming{});
    case Prefix::kVarint:
      return FrameDecoder(VarintFraming{});
    case Prefix::kDelimiter:
      break;
  }
  return FrameDecoder(DelimiterFraming{std::string(kDelimiter)});
}

// bytesio: pieces are appended to the decoder's rope (one copy, into its
// tail chunk, as a recv() would); frames share the chunks (small ones are
// copied into the slot, as StringStream assigns into its slot).
void FrameDecoderStream(Prefix prefix, absl::string_view stream, size_t piece) {
  FrameDecoder decoder = MakeDecoder(prefix);
  std::array<Rope, kKeepAlive> alive;
  size_t n = 0;
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    decoder.Append(stream.substr(pos, piece));
    for (;;) {
      Rope& slot = alive[n % kKeepAlive];
      if (decoder.Next(&slot) != FrameDecoder::Result::kFrame) break;
      ++n;
      benchmark::DoNotOptimize(slot);
    }
  }
}

// bytesio, view form: each frame a view into the chunk (or the decoder's
// scratch copy when it straddles), looked at and dropped.
void ViewStream(Prefix prefix, absl::string_view stream, size_t piece) {
  FrameDecoder decoder = MakeDecoder(prefix);
  absl::string_view frame;
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    decoder.Append(stream.substr(pos, piece));
    while (decoder.NextView(&frame) == FrameDecoder::Result::kFrame) {
      benchmark::DoNotOptimize(frame.data());
      benchmark::DoNotOptimize(frame.size());
    }
  }
}

// The limit: StringStream below without the copy-out. Pieces are memcpy'd
// into one flat buffer, headers parsed in place (delimiters found with
// memchr/memmem), each frame a view.
void FlatStream(Prefix prefix, absl::string_view stream, size_t piece) {
  std::string buffer;
  size_t offset = 0;
  uint64_t body = 0;
  size_t header = 0;
  bool have_header = false;
  size_t scanned = 0;  // delimiter: no match starts before offset + scanned
  const size_t trailer = Trailer(prefix);
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    const absl::string_view bytes = stream.substr(pos, piece);
    buffer.append(bytes.data(), bytes.size());
    for (;;) {
      const absl::string_view rest = absl::string_view(buffer).substr(offset);
      if (!have_header) {
        if (prefix == Prefix::kDelimiter) {
          const size_t found = rest.find(kDelimiter, scanned);
          if (found == absl::string_view::npos) {
            scanned = rest.size() >= trailer ? rest.size() - (trailer - 1) : 0;
            break;
          }
          scanned = 0;
          body = found;
          header = 0;
        } else if (!ParseHeader(prefix, rest, &body, &header)) {
          break;
        }
        have_header = true;
      }
      if (rest.size() < header + body + trailer) break;
      const absl::string_view frame(rest.data() + header, body);
      benchmark::DoNotOptimize(frame.data());
      benchmark::DoNotOptimize(frame.size());
      offset += header + body + trailer;
      have_header = false;
    }
    if (offset != 0 && offset * 2 >= buffer.size()) {
      buffer.erase(0, offset);
      offset = 0;
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
  size_t scanned = 0;  // delimiter: no match starts before offset + scanned
  const size_t trailer = Trailer(prefix);
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    const absl::string_view bytes = stream.substr(pos, piece);
    buffer.append(bytes.data(), bytes.size());
    for (;;) {
      const absl::string_view rest = absl::string_view(buffer).substr(offset);
      if (!have_header) {
        if (prefix == Prefix::kDelimiter) {
          const size_t found = rest.find(kDelimiter, scanned);
          if (found == absl::string_view::npos) {
            scanned = rest.size() >= trailer ? rest.size() - (trailer - 1) : 0;
            break;
          }
          scanned = 0;
          body = found;
          header = 0;
        } else if (!ParseHeader(prefix, rest, &body, &header)) {
          break;
        }
        have_header = true;
      }
      if (rest.size() < header + body + trailer) break;
      std::string& slot = alive[n++ % kKeepAlive];
      slot.assign(rest.data() + header, body);
      benchmark::DoNotOptimize(slot.data());
      offset += header + body + trailer;
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

// Takes every complete frame from `buffer` with Subcord at a running offset,
// then removes the consumed prefix once (per arriving piece, not per frame).
void DrainCord(Prefix prefix, absl::Cord* buffer, bool* have_header,
               uint64_t* body, size_t* header,
               std::array<absl::Cord, kKeepAlive>* alive, size_t* n) {
  size_t offset = 0;
  for (;;) {
    if (!*have_header) {
      if (buffer->size() == offset) break;
      char copy[kMaxVarint64Length];
      if (offset == 0) {
        if (!ParseHeader(prefix, CordFront(*buffer, copy), body, header)) {
          break;
        }
      } else {
        const absl::Cord front = buffer->Subcord(offset, kMaxVarint64Length);
        if (!ParseHeader(prefix, CordFront(front, copy), body, header)) break;
      }
      *have_header = true;
    }
    if (buffer->size() - offset < *header + *body) break;
    absl::Cord& slot = (*alive)[(*n)++ % kKeepAlive];
    slot = buffer->Subcord(offset + *header, *body);
    benchmark::DoNotOptimize(slot);
    offset += *header + *body;
    *have_header = false;
  }
  if (offset != 0) buffer->RemovePrefix(offset);
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
void BM_FrameLength_View(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    ViewStream(Prefix::kBigEndian32, s, p);
  });
}
void BM_FrameLength_Memcpy(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    FlatStream(Prefix::kBigEndian32, s, p);
  });
}
void BM_FrameVarint_View(benchmark::State& state) {
  RunFraming(state, Prefix::kVarint, [](absl::string_view s, size_t p) {
    ViewStream(Prefix::kVarint, s, p);
  });
}
void BM_FrameVarint_Memcpy(benchmark::State& state) {
  RunFraming(state, Prefix::kVarint, [](absl::string_view s, size_t p) {
    FlatStream(Prefix::kVarint, s, p);
  });
}
void BM_FrameDelim_FrameDecoder(benchmark::State& state) {
  RunFraming(state, Prefix::kDelimiter, [](absl::string_view s, size_t p) {
    FrameDecoderStream(Prefix::kDelimiter, s, p);
  });
}
void BM_FrameDelim_View(benchmark::State& state) {
  RunFraming(state, Prefix::kDelimiter, [](absl::string_view s, size_t p) {
    ViewStream(Prefix::kDelimiter, s, p);
  });
}
void BM_FrameDelim_String(benchmark::State& state) {
  RunFraming(state, Prefix::kDelimiter, [](absl::string_view s, size_t p) {
    StringStream(Prefix::kDelimiter, s, p);
  });
}
void BM_FrameDelim_Memchr(benchmark::State& state) {
  RunFraming(state, Prefix::kDelimiter, [](absl::string_view s, size_t p) {
    FlatStream(Prefix::kDelimiter, s, p);
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

// Variant: the pieces arrive in refcounted buffers (a transport that hands
// over Ropes / Cords, e.g. filled by ReadFromFd one layer down). Every side
// is charged for receiving each piece: bytesio and Cord build a fresh
// buffer holding the piece's bytes (what a recv into a new buffer costs:
// an allocation and a copy), then append it without a copy; std::string
// copies each piece in, as in BM_FrameLength_String.
void BM_FrameShared_FrameDecoder(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    FrameDecoder decoder{LengthFieldFraming{}};
    std::array<Rope, kKeepAlive> alive;
    size_t n = 0;
    for (size_t pos = 0; pos < s.size(); pos += p) {
      decoder.Append(Rope(s.substr(pos, p)));  // received into a new chunk
      for (;;) {  // into the kept slot, as FrameDecoderStream
        Rope& slot = alive[n % kKeepAlive];
        if (decoder.Next(&slot) != FrameDecoder::Result::kFrame) break;
        ++n;
        benchmark::DoNotOptimize(slot);
      }
    }
  });
}

void BM_FrameShared_View(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    FrameDecoder decoder{LengthFieldFraming{}};
    absl::string_view frame;
    for (size_t pos = 0; pos < s.size(); pos += p) {
      decoder.Append(Rope(s.substr(pos, p)));
      while (decoder.NextView(&frame) == FrameDecoder::Result::kFrame) {
        benchmark::DoNotOptimize(frame.data());
        benchmark::DoNotOptimize(frame.size());
      }
    }
  });
}

void BM_FrameShared_String(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    StringStream(Prefix::kBigEndian32, s, p);
  });
}

void BM_FrameShared_Cord(benchmark::State& state) {
  RunFraming(state, Prefix::kBigEndian32, [](absl::string_view s, size_t p) {
    absl::Cord buffer;
    uint64_t body = 0;
    size_t header = 0;
    bool have_header = false;
    std::array<absl::Cord, kKeepAlive> alive;
    size_t n = 0;
    for (size_t pos = 0; pos < s.size(); pos += p) {
      buffer.Append(absl::Cord(s.substr(pos, p)));  // received
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
BENCHMARK(BM_FrameLength_View)->Apply(FramingArgs);
BENCHMARK(BM_FrameLength_String)->Apply(FramingArgs);
BENCHMARK(BM_FrameLength_Cord)->Apply(FramingArgs);
BENCHMARK(BM_FrameLength_Memcpy)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_FrameDecoder)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_View)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_String)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_Cord)->Apply(FramingArgs);
BENCHMARK(BM_FrameVarint_Memcpy)->Apply(FramingArgs);
BENCHMARK(BM_FrameDelim_FrameDecoder)->Apply(FramingArgs);
BENCHMARK(BM_FrameDelim_View)->Apply(FramingArgs);
BENCHMARK(BM_FrameDelim_String)->Apply(FramingArgs);
BENCHMARK(BM_FrameDelim_Memchr)->Apply(FramingArgs);
BENCHMARK(BM_FrameShared_FrameDecoder)->Apply(FramingArgs);
BENCHMARK(BM_FrameShared_View)->Apply(FramingArgs);
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
    while (reader.ReadBigEndian(&value) == DecodeStatus::kOk) sum += value;
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

// 1 MiB of varints (values below 2^14: one or two bytes each, 256 K
// values) in owned chunks of state.range(0) bytes.
constexpr size_t kVarintCount = size_t{1} << 18;

const Rope& VarintRope(size_t chunk_size) {
  static auto* const cache = new std::map<size_t, Rope>;
  Rope& rope = (*cache)[chunk_size];
  if (rope.empty()) {
    const std::string random = bench::RandomBytes(2 * kVarintCount, 7);
    std::string encoded;
    for (size_t i = 0; i < kVarintCount; ++i) {
      char buf[kMaxVarint64Length];
      const uint64_t value = (static_cast<uint8_t>(random[2 * i]) |
                              static_cast<uint64_t>(random[2 * i + 1]) << 8) &
                             0x3FFF;
      encoded.append(buf, EncodeVarint64(buf, value));
    }
    rope = bench::MakeOwnedRope(encoded, chunk_size);
  }
  return rope;
}

void SetVarintCounters(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kVarintCount));
}

void BM_ReadVarint_RopeReader(benchmark::State& state) {
  const Rope& rope = VarintRope(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    RopeReader reader(rope);
    uint64_t sum = 0;
    uint64_t value;
    while (reader.ReadVarint64(&value) == DecodeStatus::kOk) sum += value;
    benchmark::DoNotOptimize(sum);
  }
  SetVarintCounters(state, rope.size());
}

void BM_ReadVarint_BytesIO(benchmark::State& state) {
  const Rope& rope = VarintRope(static_cast<size_t>(state.range(0)));
  BytesIO io(rope);
  for (auto _ : state) {
    auto sought = io.Seek(0);
    benchmark::DoNotOptimize(sought);
    uint64_t sum = 0;
    for (size_t i = 0; i < kVarintCount; ++i) {
      absl::StatusOr<uint64_t> value = ReadVarint64(&io);
      sum += *value;
    }
    benchmark::DoNotOptimize(sum);
  }
  SetVarintCounters(state, rope.size());
}

#define TYPED_ARGS ArgName("chunk")->Arg(7)->Arg(1027)->Arg(65539)
BENCHMARK(BM_ReadBE32_RopeReader)->TYPED_ARGS;
BENCHMARK(BM_ReadBE32_BytesIO)->TYPED_ARGS;
BENCHMARK(BM_ReadBE32_Memcpy)->TYPED_ARGS;
BENCHMARK(BM_ReadVarint_RopeReader)->TYPED_ARGS;
BENCHMARK(BM_ReadVarint_BytesIO)->TYPED_ARGS;

}  // namespace
}  // namespace bytesio
