// Copyright 2026 The bytesio Authors.

#include "bytesio/bytes_io_coding.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using ::testing::HasSubstr;

TEST(BytesIOCoding, TypedValuesRoundTrip) {
  BytesIO io;
  ASSERT_OK(WriteBigEndian<uint16_t>(&io, 0xCAFE));
  ASSERT_OK(WriteLittleEndian<uint32_t>(&io, 0x01020304));
  ASSERT_OK(WriteBigEndian<int64_t>(&io, -2));
  ASSERT_OK(WriteVarint32(&io, 300));
  ASSERT_OK(WriteVarint64(&io, UINT64_MAX));
  ASSERT_OK(WriteZigZag32(&io, -3));
  ASSERT_OK(WriteZigZag64(&io, std::numeric_limits<int64_t>::min()));
  ASSERT_OK_AND_ASSIGN(const Rope value, io.GetValue());
  EXPECT_TRUE(
      value.StartsWith(absl::string_view("\xCA\xFE\x04\x03\x02\x01", 6)));
  ASSERT_OK(io.Seek(0));
  ASSERT_OK_AND_ASSIGN(const uint16_t a, ReadBigEndian<uint16_t>(&io));
  ASSERT_OK_AND_ASSIGN(const uint32_t b, ReadLittleEndian<uint32_t>(&io));
  ASSERT_OK_AND_ASSIGN(const int64_t c, ReadBigEndian<int64_t>(&io));
  ASSERT_OK_AND_ASSIGN(const uint32_t d, ReadVarint32(&io));
  ASSERT_OK_AND_ASSIGN(const uint64_t e, ReadVarint64(&io));
  ASSERT_OK_AND_ASSIGN(const int32_t f, ReadZigZag32(&io));
  ASSERT_OK_AND_ASSIGN(const int64_t g, ReadZigZag64(&io));
  EXPECT_EQ(a, 0xCAFE);
  EXPECT_EQ(b, 0x01020304u);
  EXPECT_EQ(c, -2);
  EXPECT_EQ(d, 300u);
  EXPECT_EQ(e, UINT64_MAX);
  EXPECT_EQ(f, -3);
  EXPECT_EQ(g, std::numeric_limits<int64_t>::min());
  ASSERT_OK_AND_ASSIGN(const int64_t end, io.Tell());
  EXPECT_EQ(static_cast<size_t>(end), value.size());
}

TEST(BytesIOCoding, ReadsAcrossChunkBoundaries) {
  for (size_t split = 1; split < 8; ++split) {
    const std::string bytes = "\x01\x02\x03\x04\x05\x06\x07\x08";
    BytesIO io(RopeFromPieces({bytes.substr(0, split), bytes.substr(split)}));
    ASSERT_OK_AND_ASSIGN(const uint64_t v, ReadBigEndian<uint64_t>(&io));
    EXPECT_EQ(v, 0x0102030405060708u);
  }
}

TEST(BytesIOCoding, ShortReadIsOutOfRangeAndDoesNotMove) {
  BytesIO io(absl::string_view("abc"));
  ASSERT_OK(io.Seek(1));
  EXPECT_THAT(ReadBigEndian<uint32_t>(&io),
              StatusIs(absl::StatusCode::kOutOfRange,
                       HasSubstr("unexpected end of stream")));
  ASSERT_OK_AND_ASSIGN(int64_t pos, io.Tell());
  EXPECT_EQ(pos, 1);
  ASSERT_OK(io.Seek(10));  // past the end
  EXPECT_THAT(ReadLittleEndian<uint8_t>(&io),
              StatusIs(absl::StatusCode::kOutOfRange));
  ASSERT_OK_AND_ASSIGN(pos, io.Tell());
  EXPECT_EQ(pos, 10);
}

TEST(BytesIOCoding, TruncatedAndMalformedVarintsDoNotMove) {
  BytesIO truncated(absl::string_view("x\xFF\xFF"));
  ASSERT_OK(truncated.Seek(1));
  EXPECT_THAT(ReadVarint64(&truncated),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("truncated")));
  ASSERT_OK_AND_ASSIGN(int64_t pos, truncated.Tell());
  EXPECT_EQ(pos, 1);

  BytesIO overlong(std::string(10, '\x80') + std::string(1, '\0'));
  EXPECT_THAT(ReadVarint64(&overlong),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed")));
  ASSERT_OK_AND_ASSIGN(pos, overlong.Tell());
  EXPECT_EQ(pos, 0);

  BytesIO too_big_for_32(absl::string_view("\xFF\xFF\xFF\xFF\x1F"));
  EXPECT_THAT(ReadVarint32(&too_big_for_32),
              StatusIs(absl::StatusCode::kDataLoss));
  ASSERT_OK_AND_ASSIGN(const uint64_t v, ReadVarint64(&too_big_for_32));
  EXPECT_EQ(v, 0x1FFFFFFFFu);
}

TEST(BytesIOCoding, WritesOverwriteInTheMiddle) {
  BytesIO io(absl::string_view("0123456789"));
  ASSERT_OK(io.Seek(2));
  ASSERT_OK(WriteBigEndian<uint32_t>(&io, 0x41424344));
  ASSERT_OK_AND_ASSIGN(const Rope value, io.GetValue());
  EXPECT_EQ(value, "01ABCD6789");
  ASSERT_OK_AND_ASSIGN(const int64_t pos, io.Tell());
  EXPECT_EQ(pos, 6);
}

TEST(BytesIOCoding, ClosedStreamFailsLikeBytesIO) {
  BytesIO io(absl::string_view("abcdefgh"));
  ASSERT_OK(io.Close());
  EXPECT_THAT(ReadBigEndian<uint32_t>(&io),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "I/O operation on closed file."));
  EXPECT_THAT(ReadVarint32(&io),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(WriteLittleEndian<uint16_t>(&io, 1),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "I/O operation on closed file."));
  EXPECT_THAT(WriteVarint64(&io, 1),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(BytesIOCoding, TypedReadsFollowWritesSeeksAndReadsOnEveryShape) {
  // The stream's cursor is shared by Read, ReadInto, ReadLine and the typed
  // reads: interleaved, each sees what the others did.
  Rope encoded;
  for (uint32_t i = 0; i < 200; ++i) {
    AppendBigEndian<uint32_t>(&encoded, i * 0x01010101u);
    AppendVarint64(&encoded, uint64_t{i} << (i % 50));
  }
  const std::string bytes = encoded.ToString();
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    BytesIO io(MakeRope(bytes, shape));
    for (uint32_t i = 0; i < 200; ++i) {
      ASSERT_OK_AND_ASSIGN(uint32_t fixed, ReadBigEndian<uint32_t>(&io));
      ASSERT_EQ(fixed, i * 0x01010101u);
      ASSERT_OK_AND_ASSIGN(uint64_t varint, ReadVarint64(&io));
      ASSERT_EQ(varint, uint64_t{i} << (i % 50));
    }
    EXPECT_THAT(ReadBigEndian<uint8_t>(&io),
                StatusIs(absl::StatusCode::kOutOfRange));
    // Overwrite the first value, seek back: the read sees the write.
    ASSERT_OK(io.Seek(0));
    ASSERT_OK(WriteBigEndian<uint32_t>(&io, 0xCAFEBABE));
    ASSERT_OK(io.Seek(0));
    ASSERT_OK_AND_ASSIGN(uint32_t patched, ReadBigEndian<uint32_t>(&io));
    EXPECT_EQ(patched, 0xCAFEBABEu);
    // A plain read moves the cursor the typed reads use.
    ASSERT_OK_AND_ASSIGN(Rope skipped, io.Read(1));
    EXPECT_EQ(skipped, bytes.substr(4, 1));
    ASSERT_OK(io.Seek(-1, BytesIO::kSeekCur));
    ASSERT_OK_AND_ASSIGN(uint64_t again, ReadVarint64(&io));
    EXPECT_EQ(again, 0u);
    // Past the end: OutOfRange, the position stays.
    ASSERT_OK(io.Seek(static_cast<int64_t>(bytes.size()) + 10));
    EXPECT_THAT(ReadVarint32(&io), StatusIs(absl::StatusCode::kOutOfRange));
    EXPECT_EQ(*io.Tell(), static_cast<int64_t>(bytes.size()) + 10);
  }
}

}  // namespace
}  // namespace bytesio
