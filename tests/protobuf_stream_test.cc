// Copyright 2026 The bytesio Authors.
//
// Tests of bytesio/protobuf_stream.h: RopeInputStream hands out the chunks'
// own memory (pointer identity), BackUp/Skip land right at and around every
// chunk boundary (checked against a std::string model), windows and their
// limits, RopeOutputStream writes into the tail room and new chunks with a
// bounded allocation (counting operator new), and the message functions
// agree with protobuf's own parsers and delimited format, refusing bad input
// with a status and the Rope unchanged.

#include "bytesio/protobuf_stream.h"

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/fd_io.h"
#include "bytesio/rope.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "gtest/gtest.h"
#include "tests/counting_new.h"
#include "tests/protobuf_test_messages.pb.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using test::Envelope;
using test::Item;
using test::Strict;

// The address of every byte of `rope`, from its chunks.
std::vector<const char*> BytePointers(const Rope& rope) {
  std::vector<const char*> pointers;
  for (absl::string_view chunk : rope.Chunks()) {
    for (size_t i = 0; i < chunk.size(); ++i) pointers.push_back(&chunk[i]);
  }
  return pointers;
}

// Reads the rest of `input` with Next().
std::string ReadAll(RopeInputStream* input) {
  std::string out;
  const void* data;
  int size;
  while (input->Next(&data, &size)) {
    EXPECT_GT(size, 0);
    out.append(static_cast<const char*>(data), static_cast<size_t>(size));
  }
  return out;
}

// A message of roughly `approx_size` serialized bytes using every field kind.
Envelope MakeEnvelope(std::mt19937_64& rng, size_t approx_size) {
  Envelope envelope;
  envelope.set_sequence(rng());
  envelope.set_topic("telemetry/" + std::to_string(rng() % 1000));
  (*envelope.mutable_labels())["host"] = static_cast<int64_t>(rng() % 100);
  envelope.mutable_legacy()->set_code(-7);
  // The size grows by each item's size plus its tag and length.
  for (size_t size = envelope.ByteSizeLong(); size < approx_size;) {
    Item* item = envelope.add_items();
    item->set_id(static_cast<int64_t>(rng()));
    item->set_name("item-" + std::to_string(envelope.items_size()));
    item->set_payload(testutil::RandomBytes(rng, rng() % 64));
    for (int i = 0; i < 4; ++i) {
      item->add_samples(static_cast<int32_t>(rng()));
    }
    item->set_score(1.5);
    item->set_stamp(rng());
    item->set_flags(static_cast<uint32_t>(rng()));
    const size_t item_size = item->ByteSizeLong();
    size += 1 + VarintLength(item_size) + item_size;
  }
  return envelope;
}

TEST(RopeInputStream, NextHandsOutEachChunkInPlace) {
  std::mt19937_64 rng(TestSeed());
  const std::string data = testutil::RandomBytes(rng, 20000);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(data, shape);
    RopeInputStream input(rope);
    for (absl::string_view chunk : rope.Chunks()) {
      const void* out;
      int size;
      ASSERT_TRUE(input.Next(&out, &size));
      EXPECT_EQ(out, chunk.data());
      EXPECT_EQ(static_cast<size_t>(size), chunk.size());
    }
    const void* out;
    int size;
    EXPECT_FALSE(input.Next(&out, &size));
    EXPECT_EQ(input.ByteCount(), static_cast<int64_t>(data.size()));
    EXPECT_EQ(input.remaining(), 0u);
  }
}

TEST(RopeInputStream, EmptyRopeReadsNothing) {
  const Rope rope;
  RopeInputStream input(rope);
  const void* out;
  int size;
  EXPECT_FALSE(input.Next(&out, &size));
  EXPECT_FALSE(input.Skip(1));
  EXPECT_TRUE(input.Skip(0));
  EXPECT_EQ(input.ByteCount(), 0);
  EXPECT_OK(input.status());
}

// Skip(p) from the start, for every p (so at, before and after every chunk
// boundary, and far enough for the re-descent), then BackUp around what
// Next() returned.
TEST(RopeInputStream, SkipAndBackUpAtEveryPosition) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string data = testutil::RandomBytes(rng, 1500);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(data, shape);
    const std::vector<const char*> pointers = BytePointers(rope);
    for (size_t p = 0; p <= data.size(); ++p) {
      SCOPED_TRACE(p);
      RopeInputStream input(rope);
      ASSERT_TRUE(input.Skip(static_cast<int>(p)));
      ASSERT_EQ(input.ByteCount(), static_cast<int64_t>(p));
      const void* out;
      int size;
      if (p == data.size()) {
        EXPECT_FALSE(input.Next(&out, &size));
        continue;
      }
      ASSERT_TRUE(input.Next(&out, &size));
      ASSERT_GT(size, 0);
      // Zero-copy after any skip, walked or re-descended.
      EXPECT_EQ(out, pointers[p]);
      EXPECT_EQ(absl::string_view(static_cast<const char*>(out), size),
                absl::string_view(data).substr(p, size));
      // BackUp all but one byte, then everything that was returned.
      if (size == 1) {
        input.BackUp(1);
        EXPECT_EQ(ReadAll(&input), data.substr(p));
        continue;
      }
      input.BackUp(size - 1);
      EXPECT_EQ(input.ByteCount(), static_cast<int64_t>(p + 1));
      const void* again;
      int again_size;
      ASSERT_TRUE(input.Next(&again, &again_size));
      EXPECT_EQ(again, static_cast<const char*>(out) + 1);
      EXPECT_EQ(again_size, size - 1);
      input.BackUp(again_size);
      EXPECT_EQ(ReadAll(&input), data.substr(p + 1));
    }
  }
}

// A seeded random walk of Next/BackUp/Skip checked at each step against the
// position in a std::string model.
TEST(RopeInputStream, RandomWalkMatchesModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 200; ++round) {
    const std::string data = testutil::RandomBytes(rng, rng() % 5000);
    const RopeShape shape = AllRopeShapes()[rng() % AllRopeShapes().size()];
    const Rope rope = MakeRope(data, shape);
    const size_t offset = rng() % (data.size() + 1);
    const size_t limit = rng() % (data.size() - offset + 1);
    RopeInputStream input(rope, offset, limit);
    ASSERT_OK(input.status());
    size_t pos = 0;  // in the window
    int last = 0;
    for (int step = 0; step < 60; ++step) {
      ASSERT_EQ(input.ByteCount(), static_cast<int64_t>(pos));
      ASSERT_EQ(input.remaining(), limit - pos);
      switch (rng() % 3) {
        case 0: {
          const void* out;
          int size;
          const bool ok = input.Next(&out, &size);
          ASSERT_EQ(ok, pos < limit);
          last = 0;
          if (!ok) break;
          ASSERT_LE(static_cast<size_t>(size), limit - pos);
          ASSERT_EQ(absl::string_view(static_cast<const char*>(out), size),
                    absl::string_view(data).substr(offset + pos, size));
          pos += size;
          last = size;
          break;
        }
        case 1: {
          const int count =
              last == 0 ? 0 : static_cast<int>(rng() % (last + 1));
          input.BackUp(count);
          pos -= count;
          last = 0;
          break;
        }
        default: {
          const size_t count = rng() % 2000;
          const bool ok = input.Skip(static_cast<int>(count));
          ASSERT_EQ(ok, count <= limit - pos);
          pos = ok ? pos + count : limit;
          last = 0;
          break;
        }
      }
    }
    ASSERT_EQ(ReadAll(&input), data.substr(offset + pos, limit - pos));
  }
}

TEST(RopeInputStream, WindowReadsExactlyItsBytes) {
  std::mt19937_64 rng(TestSeed());
  const std::string data = testutil::RandomBytes(rng, 90);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(data, shape);
    for (size_t offset = 0; offset <= data.size(); ++offset) {
      for (size_t limit = 0; offset + limit <= data.size(); ++limit) {
        RopeInputStream input(rope, offset, limit);
        ASSERT_OK(input.status());
        ASSERT_EQ(ReadAll(&input), data.substr(offset, limit))
            << offset << "+" << limit;
        EXPECT_EQ(input.ByteCount(), static_cast<int64_t>(limit));
      }
    }
  }
}

TEST(RopeInputStream, WindowBeyondTheEndIsOutOfRange) {
  const Rope rope = MakeRope(std::string(3000, 'x'), RopeShape::kSmallChunks);
  for (auto [offset, limit] : std::vector<std::pair<size_t, size_t>>{
           {0, 3001}, {3001, 0}, {2999, 2}, {1, SIZE_MAX}, {SIZE_MAX, 1}}) {
    SCOPED_TRACE(testing::Message() << offset << "+" << limit);
    RopeInputStream input(rope, offset, limit);
    EXPECT_THAT(input.status(), StatusIs(absl::StatusCode::kOutOfRange));
    const void* out;
    int size;
    EXPECT_FALSE(input.Next(&out, &size));
    EXPECT_FALSE(input.Skip(1));
    EXPECT_EQ(input.ByteCount(), 0);
  }
  EXPECT_EQ(rope.size(), 3000u);
}

TEST(RopeInputStream, SkipPastTheEndStopsAtTheEnd) {
  const Rope rope = MakeRope(std::string(5000, 'y'), RopeShape::kSmallChunks);
  RopeInputStream input(rope, 100, 4000);
  EXPECT_FALSE(input.Skip(-1));
  EXPECT_FALSE(input.Skip(4001));
  EXPECT_EQ(input.ByteCount(), 4000);
  const void* out;
  int size;
  EXPECT_FALSE(input.Next(&out, &size));
}

// One frame parsed out of a larger Rope through a window, no sub-rope taken.
TEST(RopeInputStream, ParsesOneMessageOfALargerRope) {
  std::mt19937_64 rng(TestSeed());
  const Envelope first = MakeEnvelope(rng, 3000);
  const Envelope second = MakeEnvelope(rng, 5000);
  const std::string a = first.SerializeAsString();
  const std::string b = second.SerializeAsString();
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(a + b + "trailing", shape);
    RopeInputStream input(rope, a.size(), b.size());
    Envelope parsed;
    ASSERT_TRUE(parsed.ParseFromZeroCopyStream(&input));
    EXPECT_EQ(parsed.SerializeAsString(), b);
  }
}

// ---------------------------------------------------------------------------
// RopeOutputStream

TEST(RopeOutputStream, WritesIntoThePrivateTailRoomFirst) {
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(1000);
  std::memcpy(buffer.data(), "head", 4);
  buffer.SetLength(4);
  const char* chunk = buffer.data();
  Rope rope;
  rope.Append(std::move(buffer));
  {
    RopeOutputStream output(&rope);
    void* out;
    int size;
    ASSERT_TRUE(output.Next(&out, &size));
    EXPECT_EQ(out, chunk + 4);
    EXPECT_GE(size, 996 - 16);
    std::memcpy(out, "tail", 4);
    output.BackUp(size - 4);
    EXPECT_EQ(output.ByteCount(), 4);
  }
  EXPECT_EQ(rope, "headtail");
  EXPECT_EQ(rope.FirstChunk().data(), chunk);  // one chunk, written in place
}

TEST(RopeOutputStream, SharedTailIsNotWritten) {
  Rope rope = MakeRope(std::string(600, 'a'), RopeShape::kSharedChunks);
  const Rope copy = rope;
  {
    RopeOutputStream output(&rope);
    void* out;
    int size;
    ASSERT_TRUE(output.Next(&out, &size));
    std::memset(out, 'b', size);
    output.BackUp(size - 10);
  }
  EXPECT_EQ(copy, std::string(600, 'a'));
  EXPECT_EQ(rope, std::string(600, 'a') + std::string(10, 'b'));
}

TEST(RopeOutputStream, ChunksGrowGeometricallyToTheCap) {
  Rope rope;
  RopeOutputStream output(&rope);
  std::vector<int> sizes;
  for (int i = 0; i < 20; ++i) {
    void* out;
    int size;
    ASSERT_TRUE(output.Next(&out, &size));
    std::memset(out, 'z', size);
    sizes.push_back(size);
  }
  EXPECT_LE(sizes.front(), 512);
  for (size_t i = 1; i < sizes.size(); ++i) {
    EXPECT_GE(sizes[i], sizes[i - 1]);
    EXPECT_LE(sizes[i], static_cast<int>(RopeBuffer::kDefaultLimit));
  }
  EXPECT_GE(sizes.back(), static_cast<int>(RopeBuffer::kDefaultLimit) - 64);
  output.Flush();
  EXPECT_EQ(rope.size(), static_cast<size_t>(output.ByteCount()));
  EXPECT_EQ(rope.Find('\0'), Rope::npos);
}

TEST(RopeOutputStream, FlushKeepsTheStreamUsable) {
  Rope rope("prefix");
  RopeOutputStream output(&rope);
  void* out;
  int size;
  ASSERT_TRUE(output.Next(&out, &size));
  std::memcpy(out, "12", 2);
  output.BackUp(size - 2);
  output.Flush();
  EXPECT_EQ(rope, "prefix12");
  ASSERT_TRUE(output.Next(&out, &size));
  std::memcpy(out, "3", 1);
  output.BackUp(size - 1);
  output.Flush();
  EXPECT_EQ(rope, "prefix123");
  EXPECT_EQ(output.ByteCount(), 3);
}

class ProtobufAllocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testutil::AllocationCountingAvailable()) {
      GTEST_SKIP() << "operator new is not replaceable in this build";
    }
  }
};

// SerializeToZeroCopyStream of a large message allocates its size rounded up
// to 64 KiB chunks, plus the Rope's index.
TEST_F(ProtobufAllocationTest, StreamSerializeAllocatesTheMessageSize) {
  std::mt19937_64 rng(TestSeed());
  const Envelope message = MakeEnvelope(rng, 3 << 20);
  const size_t size = message.ByteSizeLong();
  const size_t chunk = RopeBuffer::kDefaultLimit;
  // Tree nodes for ~50 slices (a few hundred bytes each), generously.
  const size_t kIndexBytes = 8 << 10;
  Rope rope;
  const size_t before = testutil::AllocatedBytes();
  {
    RopeOutputStream output(&rope);
    ASSERT_TRUE(message.SerializeToZeroCopyStream(&output));
  }
  const size_t allocated = testutil::AllocatedBytes() - before;
  EXPECT_EQ(rope.size(), size);
  EXPECT_LE(allocated, (size + chunk - 1) / chunk * chunk + kIndexBytes);
  EXPECT_GE(allocated, size);

  // With the size as a hint: one chunk of the message's size.
  Rope hinted;
  const size_t before_hinted = testutil::AllocatedBytes();
  {
    RopeOutputStream output(&hinted, size);
    ASSERT_TRUE(message.SerializeToZeroCopyStream(&output));
  }
  EXPECT_LE(testutil::AllocatedBytes() - before_hinted, size + 4096);
  EXPECT_EQ(hinted, rope);
  EXPECT_TRUE(hinted.TryFlat().has_value());
}

TEST_F(ProtobufAllocationTest, SerializeToRopeIsOneChunkReadyForWritev) {
  std::mt19937_64 rng(TestSeed());
  const Envelope message = MakeEnvelope(rng, 1 << 20);
  const size_t size = message.ByteSizeLong();
  const size_t before = testutil::AllocatedBytes();
  const size_t count_before = testutil::AllocationCount();
  Rope rope = SerializeToRope(message);
  EXPECT_LE(testutil::AllocatedBytes() - before, size + 4096);
  EXPECT_EQ(testutil::AllocationCount() - count_before, 1u);
  EXPECT_EQ(rope, message.SerializeAsString());
  // Handing it to writev: one iovec over the chunk itself, no copy.
  std::optional<absl::string_view> flat = rope.TryFlat();
  ASSERT_TRUE(flat.has_value());
  struct iovec iov[4];
  const IovecExport exported = ExportIovecs(rope, absl::MakeSpan(iov));
  EXPECT_EQ(exported.count, 1u);
  EXPECT_EQ(iov[0].iov_base, flat->data());
  EXPECT_EQ(exported.bytes, size);
}

// A declared length of 2^40 bytes allocates nothing proportional to it.
TEST_F(ProtobufAllocationTest, HugeDeclaredLengthAllocatesNothing) {
  Rope rope;
  AppendVarint64(&rope, uint64_t{1} << 40);
  rope.Append("a few bytes of body");
  const std::string before_bytes = rope.ToString();
  Envelope message;
  const size_t before = testutil::AllocatedBytes();
  EXPECT_THAT(ParseDelimitedFromRope(&rope, &message),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_LT(testutil::AllocatedBytes() - before, 1024u);
  EXPECT_EQ(rope, before_bytes);
}

// ---------------------------------------------------------------------------
// Messages

TEST(ParseFromRope, RoundTripsOverEveryShapeAndSize) {
  std::mt19937_64 rng(TestSeed());
  for (size_t approx : {0, 10, 15, 16, 511, 512, 4096, 70000, 300000}) {
    const Envelope message = MakeEnvelope(rng, approx);
    const Rope serialized = SerializeToRope(message);
    const std::string expected = message.SerializeAsString();
    ASSERT_EQ(serialized, expected);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(testing::Message() << approx << " " << shape);
      const Rope rope = MakeRope(expected, shape);
      Envelope parsed;
      ASSERT_TRUE(ParseFromRope(rope, &parsed));
      EXPECT_EQ(parsed.SerializeAsString(), expected);
    }
  }
}

// Every prefix of a message: ParseFromRope and parsing through
// RopeInputStream agree with ParseFromArray.
TEST(ParseFromRope, EveryTruncationAgreesWithParseFromArray) {
  std::mt19937_64 rng(TestSeed());
  const std::string data = MakeEnvelope(rng, 700).SerializeAsString();
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    for (size_t n = 0; n <= data.size(); ++n) {
      const Rope rope = MakeRope(data.substr(0, n), shape);
      Envelope ours;
      Envelope theirs;
      const bool expected = theirs.ParseFromArray(data.data(), n);
      ASSERT_EQ(ParseFromRope(rope, &ours), expected) << n;
      if (expected) {
        EXPECT_EQ(ours.SerializeAsString(), theirs.SerializeAsString());
      }
      // ParseFromRope copies messages this small: the stream path too.
      RopeInputStream input(rope);
      Envelope streamed;
      ASSERT_EQ(streamed.ParseFromZeroCopyStream(&input), expected) << n;
      if (expected) {
        EXPECT_EQ(streamed.SerializeAsString(), theirs.SerializeAsString());
      }
    }
  }
}

TEST(ParseFromRope, RefusesMalformedInputAndMissingRequiredFields) {
  Envelope envelope;
  // Field 1, wire type 7 (invalid).
  EXPECT_FALSE(
      ParseFromRope(Rope(absl::string_view("\x0f\x01", 2)), &envelope));
  // A length-delimited field declaring more than is there.
  EXPECT_FALSE(ParseFromRope(
      MakeRope(std::string("\x22\xff\xff\x7f") + std::string(1000, 'x'),
               RopeShape::kOneByteChunks),
      &envelope));
  Strict strict;
  strict.mutable_child()->set_id(1);  // the outer id is missing
  const std::string partial = strict.SerializePartialAsString();
  Strict parsed;
  EXPECT_FALSE(
      ParseFromRope(MakeRope(partial, RopeShape::kOneByteChunks), &parsed));
}

TEST(AppendToRope, MissingRequiredFieldsLeaveTheRopeUnchanged) {
  Strict strict;
  Rope rope("kept");
  EXPECT_FALSE(AppendToRope(strict, &rope));
  EXPECT_FALSE(AppendDelimitedToRope(strict, &rope));
  EXPECT_EQ(rope, "kept");
  EXPECT_TRUE(SerializeToRope(strict).empty());
  strict.set_id(5);
  EXPECT_TRUE(AppendToRope(strict, &rope));
  EXPECT_EQ(rope, "kept" + strict.SerializeAsString());
}

// The bytes are exactly protobuf's delimited format.
TEST(Delimited, MatchesProtobufsDelimitedFormat) {
  std::mt19937_64 rng(TestSeed());
  std::string theirs;
  Rope ours;
  std::vector<Envelope> messages;
  for (size_t approx : {0, 1, 127, 128, 16383, 16384, 100000}) {
    messages.push_back(MakeEnvelope(rng, approx));
    google::protobuf::io::StringOutputStream output(&theirs);
    ASSERT_TRUE(google::protobuf::util::SerializeDelimitedToZeroCopyStream(
        messages.back(), &output));
    ASSERT_TRUE(AppendDelimitedToRope(messages.back(), &ours));
  }
  ASSERT_EQ(ours, theirs);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    Rope rope = MakeRope(theirs, shape);
    for (const Envelope& expected : messages) {
      Envelope parsed;
      ASSERT_OK(ParseDelimitedFromRope(&rope, &parsed));
      EXPECT_EQ(parsed.SerializeAsString(), expected.SerializeAsString());
    }
    Envelope parsed;
    EXPECT_THAT(ParseDelimitedFromRope(&rope, &parsed),
                StatusIs(absl::StatusCode::kOutOfRange));
  }
}

// Every truncation of a delimited message is DataLoss with the Rope
// unchanged.
TEST(Delimited, EveryTruncationIsDataLossAndLeavesTheRope) {
  std::mt19937_64 rng(TestSeed());
  Rope full;
  ASSERT_TRUE(AppendDelimitedToRope(MakeEnvelope(rng, 600), &full));
  const std::string data = full.ToString();
  for (RopeShape shape : {RopeShape::kFlat, RopeShape::kOneByteChunks,
                          RopeShape::kSharedChunks}) {
    for (size_t n = 1; n < data.size(); ++n) {
      Rope rope = MakeRope(data.substr(0, n), shape);
      Envelope parsed;
      ASSERT_THAT(ParseDelimitedFromRope(&rope, &parsed),
                  StatusIs(absl::StatusCode::kDataLoss))
          << n;
      ASSERT_EQ(rope, data.substr(0, n));
    }
  }
}

TEST(Delimited, BadLengthsAndBodies) {
  Envelope parsed;
  // An 11-byte varint.
  Rope malformed(std::string(11, '\xff'));
  EXPECT_THAT(ParseDelimitedFromRope(&malformed, &parsed),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(malformed, std::string(11, '\xff'));
  // A body that does not parse: the Rope keeps it.
  Rope bad(absl::string_view("\x02\x0f\x01rest", 7));
  EXPECT_THAT(ParseDelimitedFromRope(&bad, &parsed),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(bad, absl::string_view("\x02\x0f\x01rest", 7));
}

TEST(Delimited, MaxMessageSizeIsExact) {
  Envelope message;
  message.set_blob(std::string(1000, 'b'));
  const size_t size = message.ByteSizeLong();
  Rope rope;
  ASSERT_TRUE(AppendDelimitedToRope(message, &rope));
  const Rope original = rope;
  Envelope parsed;
  EXPECT_THAT(ParseDelimitedFromRope(&rope, &parsed, size - 1),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(rope, original);
  // Refused from the length alone, before the body is there.
  Rope header_only = rope.Subrope(0, VarintLength(size));
  EXPECT_THAT(ParseDelimitedFromRope(&header_only, &parsed, size - 1),
              StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_OK(ParseDelimitedFromRope(&rope, &parsed, size));
  EXPECT_TRUE(rope.empty());
}

}  // namespace
}  // namespace bytesio
