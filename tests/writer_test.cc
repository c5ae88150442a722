// Copyright 2026 The bytesio Authors.
//
// Writer: chained writes land exactly as the per-call BytesIO and
// bytes_io_coding functions would put them, the first error is kept, and
// nothing is written after it.

#include "bytesio/writer.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/bytes_io_coding.h"
#include "bytesio/rope.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

TEST(Writer, ChainedWritesMatchTheCallsTheyReplace) {
  BytesIO chained;
  Writer w(&chained);
  w.Write("RIFF")
      .Write<LittleEndian<uint32_t>>(36)
      .Write("WAVE")
      .Write<BigEndian<uint16_t>>(0xCAFE)
      .Write<Varint32>(300)
      .Write<Varint64>(uint64_t{1} << 63)
      .Write<ZigZag32>(-1)
      .Write<ZigZag64>(INT64_MIN)
      .Write(Rope(std::string(2000, 'r')));
  ASSERT_OK(w.status());

  BytesIO by_hand;
  ASSERT_OK(by_hand.Write("RIFF").status());
  ASSERT_OK(WriteLittleEndian<uint32_t>(&by_hand, 36));
  ASSERT_OK(by_hand.Write("WAVE").status());
  ASSERT_OK(WriteBigEndian<uint16_t>(&by_hand, 0xCAFE));
  ASSERT_OK(WriteVarint32(&by_hand, 300));
  ASSERT_OK(WriteVarint64(&by_hand, uint64_t{1} << 63));
  ASSERT_OK(WriteZigZag32(&by_hand, -1));
  ASSERT_OK(WriteZigZag64(&by_hand, INT64_MIN));
  ASSERT_OK(by_hand.Write(Rope(std::string(2000, 'r'))).status());

  ASSERT_OK_AND_ASSIGN(Rope got, chained.GetValue());
  ASSERT_OK_AND_ASSIGN(Rope want, by_hand.GetValue());
  EXPECT_EQ(got, want);
  EXPECT_EQ(w.bytes_written(), static_cast<int64_t>(want.size()));
  EXPECT_EQ(got.Subrope(0, 12), absl::string_view("RIFF\x24\0\0\0WAVE", 12));
}

TEST(Writer, WritesAtThePositionLikeWrite) {
  BytesIO io(absl::string_view("0123456789"));
  ASSERT_OK(io.Seek(4).status());
  Writer w(&io);
  w.Write("ab").Write<BigEndian<uint16_t>>(0x4142);
  ASSERT_OK(w.status());
  ASSERT_OK_AND_ASSIGN(Rope value, io.GetValue());
  EXPECT_EQ(value, "0123abAB89");
  ASSERT_OK_AND_ASSIGN(int64_t pos, io.Tell());
  EXPECT_EQ(pos, 8);
}

TEST(Writer, KeepsTheFirstErrorAndWritesNothingAfterIt) {
  BytesIO io;
  Writer w(&io);
  w.Write("head");
  ASSERT_OK(io.Seek(int64_t{1} << 50).status());  // a gap over kMaxZeroFill
  w.Write("x").Write<Varint32>(7);
  EXPECT_EQ(w.status().code(), absl::StatusCode::kResourceExhausted);
  ASSERT_OK(io.Seek(4).status());
  w.Write("tail").Write<LittleEndian<uint64_t>>(1);  // skipped: w failed
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(w.bytes_written(), 4);
  ASSERT_OK_AND_ASSIGN(Rope value, io.GetValue());
  EXPECT_EQ(value, "head");
}

TEST(Writer, ClosedFileFailsTypedAndPlainWrites) {
  for (int typed = 0; typed < 2; ++typed) {
    BytesIO io;
    ASSERT_OK(io.Close());
    Writer w(&io);
    if (typed) {
      w.Write<BigEndian<uint32_t>>(1);
    } else {
      w.Write("x");
    }
    EXPECT_EQ(w.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(w.status().message(), "I/O operation on closed file.");
    EXPECT_EQ(w.bytes_written(), 0);
  }
}

TEST(Writer, ViewOfTheFilesOwnBytes) {
  BytesIO io(absl::string_view("abcdef"));
  ASSERT_OK(io.Seek(0, BytesIO::kSeekEnd).status());
  ASSERT_OK_AND_ASSIGN(Rope value, io.GetValue());
  absl::string_view own = value.Flatten();
  Writer w(&io);
  w.Write(own).Write(own.substr(2, 2));
  ASSERT_OK(w.status());
  ASSERT_OK_AND_ASSIGN(Rope after, io.GetValue());
  EXPECT_EQ(after, "abcdefabcdefcd");
}

}  // namespace
}  // namespace bytesio
