// Copyright 2026 The bytesio Authors.
//
// Protobuf messages parsed from and serialized into Ropes
// (bytesio/protobuf_stream.h), side by side with protobuf's own ways:
//
//   Parse     a message of 1 KiB, 64 KiB or 4 MiB held as a received frame
//             in 4 KiB chunks (it starts 512 bytes before the end of its
//             first chunk, as a frame in a stream does, so even 1 KiB spans
//             two chunks), parsed into a reused message (a server loop):
//               ParseFromRope       zero-copy, RopeInputStream
//               FlattenParseArray   Rope::Flatten() (one copy), ParseFromArray
//               CopyParseString     a std::string copy, ParseFromString
//               FlatParseArray      ParseFromArray on an already-flat buffer
//                                   (the floor: no chunk boundaries at all)
//               RopeInputStream     ParseFromZeroCopyStream over the frame at
//                                   every size (ParseFromRope copies small
//                                   multi-chunk frames to the stack instead)
//               FlattenOnly         Rope::Flatten() alone: the copy the
//                                   zero-copy parse can save at most
//   Serialize the same messages:
//               SerializeToRope     one chunk of the exact size; counters
//                                   show it goes to writev as one iovec over
//                                   that chunk (no byte copied afterwards)
//               OutputStream        SerializeToZeroCopyStream into a
//                                   RopeOutputStream with the size as hint
//               SerializeToString   std::string
//
// Two message shapes, because the copy a flattening adds weighs differently:
//   Records  many small Items (ids, names, packed ints, doubles, fixed64,
//            a 48-byte payload): parsing is field-by-field CPU work.
//   Blobs    Items each carrying a 4 KiB bytes payload: parsing is mostly
//            the copy of the payloads into the message.
// Not copying can win at most FlattenOnly over FlattenParseArray: for
// Records the parse costs about ten times the copy, so ParseFromRope is
// within noise of FlattenParseArray, CopyParseString and FlatParseArray
// there (the chunk handling, RopeInputStream::Next and protobuf's boundary
// patching, is about 1% of a profile of the 4 MiB parse).
//
// The machine is shared: run with --benchmark_repetitions and
// --benchmark_enable_random_interleaving before comparing rows.

#include <sys/uio.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_util.h"
#include "bytesio/fd_io.h"
#include "bytesio/protobuf_stream.h"
#include "bytesio/rope.h"
#include "tests/protobuf_test_messages.pb.h"

namespace bytesio {
namespace {

using test::Envelope;
using test::Item;

// Received frames sit in chunks of this size (a common socket read size and
// absl::Cord's flat size).
constexpr size_t kChunk = 4096;
// How far before the end of its first chunk the message starts.
constexpr size_t kFirstPiece = 512;

enum Shape { kRecords = 0, kBlobs = 1 };

Envelope MakeMessage(size_t size, Shape shape) {
  std::mt19937_64 rng(size * 2 + shape);
  Envelope envelope;
  envelope.set_sequence(rng());
  envelope.set_topic("telemetry/region-7/host-42");
  (*envelope.mutable_labels())["service"] = 12;
  const size_t payload = shape == kBlobs ? 4096 : 48;
  size_t total = envelope.ByteSizeLong();
  while (total < size) {
    Item* item = envelope.add_items();
    item->set_id(static_cast<int64_t>(rng() >> 20));
    item->set_name("item-" + std::to_string(envelope.items_size()));
    item->set_payload(bench::RandomBytes(
        std::min(payload, size > total + 16 ? size - total - 16 : 1), rng()));
    for (int i = 0; i < 6; ++i) {
      item->add_samples(static_cast<int32_t>(rng() % 2000) - 1000);
    }
    item->set_score(static_cast<double>(rng() % 1000) / 7);
    item->set_stamp(rng());
    item->set_flags(static_cast<uint32_t>(rng()));
    const size_t item_size = item->ByteSizeLong();
    total += 1 + VarintLength(item_size) + item_size;
  }
  return envelope;
}

// The serialized message as a frame of a received stream in 4 KiB chunks.
Rope MakeFrame(const std::string& serialized) {
  const std::string stream =
      bench::RandomBytes(kChunk - kFirstPiece, 1) + serialized;
  return bench::MakeOwnedRope(stream, kChunk)
      .Subrope(kChunk - kFirstPiece, serialized.size());
}

struct Input {
  Envelope message;
  std::string flat;
  Rope frame;
};

const Input& GetInput(size_t size, Shape shape) {
  static auto* inputs = new std::map<std::pair<size_t, int>, Input>();
  Input& input = (*inputs)[{size, shape}];
  if (input.flat.empty()) {
    input.message = MakeMessage(size, shape);
    input.flat = input.message.SerializeAsString();
    input.frame = MakeFrame(input.flat);
  }
  return input;
}

void SetUp(benchmark::State& state, const Input& input) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(input.flat.size()));
  state.counters["chunks"] = static_cast<double>(
      std::distance(input.frame.Chunks().begin(), input.frame.Chunks().end()));
}

void BM_Parse_ParseFromRope(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  Envelope message;
  for (auto _ : state) {
    bool ok = ParseFromRope(input.frame, &message);
    benchmark::DoNotOptimize(ok);
  }
  SetUp(state, input);
}

// RopeInputStream alone (ParseFromZeroCopyStream), whatever the size: what
// ParseFromRope's copy of small multi-chunk messages to the stack saves.
void BM_Parse_RopeInputStream(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  Envelope message;
  for (auto _ : state) {
    RopeInputStream stream(input.frame);
    bool ok = message.ParseFromZeroCopyStream(&stream);
    benchmark::DoNotOptimize(ok);
  }
  SetUp(state, input);
}

void BM_Parse_FlattenParseArray(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  Envelope message;
  for (auto _ : state) {
    Rope copy = input.frame;  // O(1); Flatten then copies the bytes once
    const absl::string_view flat = copy.Flatten();
    bool ok =
        message.ParseFromArray(flat.data(), static_cast<int>(flat.size()));
    benchmark::DoNotOptimize(ok);
  }
  SetUp(state, input);
}

void BM_Parse_CopyParseString(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  Envelope message;
  for (auto _ : state) {
    const std::string copy = input.frame.ToString();
    bool ok = message.ParseFromString(copy);
    benchmark::DoNotOptimize(ok);
  }
  SetUp(state, input);
}

void BM_Parse_FlattenOnly(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  for (auto _ : state) {
    Rope copy = input.frame;
    benchmark::DoNotOptimize(copy.Flatten().data());
  }
  SetUp(state, input);
}

void BM_Parse_FlatParseArray(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  Envelope message;
  for (auto _ : state) {
    bool ok = message.ParseFromArray(input.flat.data(),
                                     static_cast<int>(input.flat.size()));
    benchmark::DoNotOptimize(ok);
  }
  SetUp(state, input);
}

void BM_Serialize_SerializeToRope(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  for (auto _ : state) {
    Rope rope = SerializeToRope(input.message);
    benchmark::DoNotOptimize(rope);
  }
  SetUp(state, input);
  // What WriteToFd would hand to writev: the chunk itself, nothing copied.
  const Rope rope = SerializeToRope(input.message);
  struct iovec iov[4];
  const IovecExport exported = ExportIovecs(rope, absl::MakeSpan(iov));
  state.counters["iovecs"] = static_cast<double>(exported.count);
  state.counters["bytes_copied"] = static_cast<double>(
      iov[0].iov_base == rope.FirstChunk().data() ? 0 : rope.size());
}

void BM_Serialize_OutputStream(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  for (auto _ : state) {
    Rope rope;
    {
      RopeOutputStream output(&rope, input.message.ByteSizeLong());
      bool ok = input.message.SerializeToZeroCopyStream(&output);
      benchmark::DoNotOptimize(ok);
    }
    benchmark::DoNotOptimize(rope);
  }
  SetUp(state, input);
}

void BM_Serialize_SerializeToString(benchmark::State& state) {
  const Input& input = GetInput(state.range(0), Shape(state.range(1)));
  for (auto _ : state) {
    std::string out;
    bool ok = input.message.SerializeToString(&out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  SetUp(state, input);
}

// Sizes x shapes, in the order of the file comment.
void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"bytes", "blobs"});
  for (int shape : {kRecords, kBlobs}) {
    for (int64_t size :
         {int64_t{1} << 10, int64_t{64} << 10, int64_t{4} << 20}) {
      b->Args({size, shape});
    }
  }
}

BENCHMARK(BM_Parse_ParseFromRope)->Apply(Sizes);
BENCHMARK(BM_Parse_RopeInputStream)->Apply(Sizes);
BENCHMARK(BM_Parse_FlattenParseArray)->Apply(Sizes);
BENCHMARK(BM_Parse_CopyParseString)->Apply(Sizes);
BENCHMARK(BM_Parse_FlatParseArray)->Apply(Sizes);
BENCHMARK(BM_Parse_FlattenOnly)->Apply(Sizes);
BENCHMARK(BM_Serialize_SerializeToRope)->Apply(Sizes);
BENCHMARK(BM_Serialize_OutputStream)->Apply(Sizes);
BENCHMARK(BM_Serialize_SerializeToString)->Apply(Sizes);

}  // namespace
}  // namespace bytesio
