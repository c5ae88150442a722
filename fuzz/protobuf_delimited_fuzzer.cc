// Copyright 2026 The bytesio Authors.
//
// Differential fuzz target for bytesio/protobuf_stream.h: a stream of
// varint-delimited messages read with ParseDelimitedFromRope from a Rope of
// input-chosen structure, against protobuf's own
// util::ParseDelimitedFromZeroCopyStream on a flat copy (ArrayInputStream).
//
//   [max: Pick(3)]   max_message_size: FrameDecoder's 16 MiB default, 100
//                    or 4096 bytes
//   [type: Pick(2)]  test.Envelope (every wire type, a group, a map, a
//                    oneof) or test.Strict (a required field)
//   [length: 2 bytes LE] [stream: length bytes] [BuildRope decisions]
//   [window offset: Fraction(length)] [window limit: Fraction(rest)]
//                    (no limit bytes left: the window runs to the end)
//
// Checks, message by message until either side stops:
//  - both succeed or both fail; on success the messages are equal (as
//    deterministic serializations) and both consumed the same bytes;
//  - OutOfRange only where protobuf reports a clean end of stream (which
//    protobuf also reports for a length varint it cannot read);
//  - a failure leaves the Rope as it was (same bytes);
//  - where the two may rightly differ the comparison stops, after checking
//    the reason: ResourceExhausted only for a length over the maximum (a
//    padded length may count its padding), DataLoss for a length varint our
//    decoder rejects (over 10 bytes or bits past 63; protobuf's
//    ReadVarint32 drops the high bits instead).
// Also the whole input with ParseFromRope, and a window of it parsed
// through RopeInputStream, against ParseFromArray; RopeInputStream's
// ByteCount against the bytes it handed out.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/protobuf_stream.h"
#include "bytesio/rope.h"
#include "fuzz/fuzz_util.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "tests/protobuf_test_messages.pb.h"

namespace bytesio {
namespace fuzz {
namespace {

constexpr size_t kMaxSizes[] = {FrameDecoder::kDefaultMaxFrameSize, 100, 4096};

std::unique_ptr<google::protobuf::MessageLite> NewMessage(size_t type) {
  if (type == 0) return std::make_unique<test::Envelope>();
  return std::make_unique<test::Strict>();
}

// Serialization with map entries in key order, so equal messages compare
// equal.
std::string Deterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializePartialToCodedStream(&coded);
  }
  return out;
}

void Run(FuzzInput& in, ReleaseCounter* counter) {
  const size_t max_size = kMaxSizes[in.Pick(3)];
  const size_t type = in.Pick(2);
  const std::string data = in.Bytes(in.IntInRange<size_t>(0, 65535));
  std::vector<Rope> keep_alive;
  const Rope whole = BuildRope(in, data, counter, &keep_alive);
  FUZZ_CHECK(whole == data);

  // The whole input as one message, and RopeInputStream's accounting.
  {
    auto ours = NewMessage(type);
    auto theirs = NewMessage(type);
    const bool ok = ParseFromRope(whole, ours.get());
    FUZZ_CHECK(ok == theirs->ParseFromArray(data.data(),
                                            static_cast<int>(data.size())));
    if (ok) FUZZ_CHECK(Deterministic(*ours) == Deterministic(*theirs));
    // Through the stream itself (ParseFromRope copies small multi-chunk
    // messages), over a window of the input when it chooses one.
    const size_t offset = in.Fraction(data.size());
    const size_t limit =
        in.empty() ? data.size() - offset : in.Fraction(data.size() - offset);
    auto windowed = NewMessage(type);
    auto flat_window = NewMessage(type);
    RopeInputStream window(whole, offset, limit);
    FUZZ_CHECK(window.status().ok());
    const bool window_ok = windowed->ParseFromZeroCopyStream(&window);
    FUZZ_CHECK(window_ok == flat_window->ParseFromArray(
                                data.data() + offset, static_cast<int>(limit)));
    if (window_ok) {
      FUZZ_CHECK(Deterministic(*windowed) == Deterministic(*flat_window));
    }
    RopeInputStream input(whole);
    const void* chunk;
    int size;
    int64_t total = 0;
    while (input.Next(&chunk, &size)) total += size;
    FUZZ_CHECK(total == static_cast<int64_t>(data.size()));
    FUZZ_CHECK(input.ByteCount() == total);
  }

  Rope rope = whole;
  google::protobuf::io::ArrayInputStream flat(data.data(),
                                              static_cast<int>(data.size()));
  for (;;) {
    auto ours = NewMessage(type);
    auto theirs = NewMessage(type);
    const std::string before = rope.ToString();
    const absl::Status status =
        ParseDelimitedFromRope(&rope, ours.get(), max_size);
    bool clean_eof = false;
    const bool ok = google::protobuf::util::ParseDelimitedFromZeroCopyStream(
        theirs.get(), &flat, &clean_eof);
    if (!status.ok()) FUZZ_CHECK(rope == before);
    if (status.code() == absl::StatusCode::kResourceExhausted) {
      uint64_t length;
      size_t header;
      FUZZ_CHECK(DecodeVarint64(before, &length, &header) == DecodeStatus::kOk);
      FUZZ_CHECK(length > max_size || header > VarintLength(length));
      return;
    }
    if (status.code() == absl::StatusCode::kDataLoss && ok) {
      // Only a length varint we reject may parse for protobuf.
      uint64_t length;
      size_t header;
      FUZZ_CHECK(DecodeVarint64(before, &length, &header) ==
                 DecodeStatus::kMalformed);
      return;
    }
    FUZZ_CHECK(status.ok() == ok);
    if (!ok) {
      if (status.code() == absl::StatusCode::kOutOfRange) {
        FUZZ_CHECK(clean_eof && before.empty());
      } else if (clean_eof) {
        // Protobuf also says "clean end" when the length varint does not
        // read (malformed or cut short) without consuming it.
        uint64_t length;
        size_t header;
        FUZZ_CHECK(DecodeVarint64(before, &length, &header) !=
                   DecodeStatus::kOk);
      }
      return;
    }
    FUZZ_CHECK(Deterministic(*ours) == Deterministic(*theirs));
    FUZZ_CHECK(rope.size() ==
               data.size() - static_cast<size_t>(flat.ByteCount()));
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace bytesio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Protobuf logs every parse error (and invalid UTF-8 in strings): silence.
  static google::protobuf::LogSilencer* silencer =
      new google::protobuf::LogSilencer();
  (void)silencer;
  bytesio::fuzz::ReleaseCounter counter;
  {
    bytesio::fuzz::FuzzInput in(data, size);
    bytesio::fuzz::Run(in, &counter);
  }
  FUZZ_CHECK(counter.released == counter.created);
  return 0;
}
