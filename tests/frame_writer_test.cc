// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_writer.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/bytes_io_coding.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using Result = FrameDecoder::Result;
using ::testing::HasSubstr;

TEST(FrameWriter, BackPatchesAPlainPrefix) {
  Rope out;
  FrameWriter writer(LengthFieldFraming{}, &out);
  writer.BeginFrame();
  EXPECT_TRUE(writer.in_frame());
  writer.Append("hello, ");
  writer.Append(Rope(absl::string_view("world")));
  ASSERT_OK(writer.EndFrame());
  EXPECT_FALSE(writer.in_frame());
  EXPECT_EQ(out, absl::string_view("\0\0\0\x0Chello, world", 16));
  ASSERT_OK(writer.WriteFrame(absl::string_view("")));
  EXPECT_EQ(out.size(), 20u);
  EXPECT_TRUE(out.EndsWith(absl::string_view("\0\0\0\0", 4)));
}

TEST(FrameWriter, PayloadRopesAreSharedNotCopied) {
  std::mt19937_64 rng(TestSeed());
  const std::string a = RandomBytes(rng, 5000), b = RandomBytes(rng, 700);
  const Rope payload_a = RopeFromPieces({a});
  const Rope payload_b = RopeFromPieces({b});
  Rope out;
  FrameWriter writer(LengthFieldFraming{}, &out);
  writer.BeginFrame();
  writer.Append(payload_a);
  writer.Append(payload_b);
  ASSERT_OK(writer.EndFrame());
  const Rope body = out.Subrope(4, a.size() + b.size());
  EXPECT_EQ(body, a + b);
  // The payload bytes in `out` are the payload Ropes' own chunks.
  const Rope body_a = out.Subrope(4, a.size());
  const Rope body_b = out.Subrope(4 + a.size(), b.size());
  EXPECT_EQ((*body_a.Chunks().begin()).data(),
            (*payload_a.Chunks().begin()).data());
  EXPECT_EQ((*body_b.Chunks().begin()).data(),
            (*payload_b.Chunks().begin()).data());
  uint32_t length = 0;
  ASSERT_TRUE(LoadBigEndian(out, 0, &length));
  EXPECT_EQ(length, a.size() + b.size());
}

TEST(FrameWriter, AgreesWithTheDecoderOnEveryHeaderKind) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (size_t size : {1, 2, 4, 8}) {
    for (ByteOrder order : {ByteOrder::kBigEndian, ByteOrder::kLittleEndian}) {
      for (bool counts : {false, true}) {
        for (size_t offset : {0, 2}) {
          LengthFieldFraming f;
          f.field_size = size;
          f.byte_order = order;
          f.length_counts_header = counts;
          f.field_offset = offset;
          f.length_adjustment = offset == 2 ? 1 : 0;  // one byte after len
          f.bytes_to_strip = 0;
          Rope out;
          FrameWriter writer(f, &out);
          std::vector<std::string> frames;
          for (int i = 0; i < 20; ++i) {
            const std::string before(offset, static_cast<char>('A' + i));
            const std::string body =
                (offset == 2 ? "T" : "") + RandomBytes(rng, rng() % 200);
            writer.BeginFrame(before);
            writer.Append(body);
            ASSERT_OK(writer.EndFrame());
            // bytes_to_strip = 0: the decoder returns the whole frame.
            std::string whole = before + std::string(size, '?') + body;
            frames.push_back(whole);
          }
          FrameDecoder decoder(f);
          decoder.Append(out);
          for (const std::string& want : frames) {
            Rope frame;
            ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
            // Compare all but the length field, then the field itself.
            EXPECT_EQ(frame.Subrope(0, offset), want.substr(0, offset));
            EXPECT_EQ(frame.Subrope(offset + size, Rope::npos),
                      want.substr(offset + size));
            EXPECT_EQ(frame.size(), want.size());
          }
          Rope rest;
          EXPECT_EQ(decoder.Next(&rest), Result::kNeedMore);
        }
      }
    }
  }
}

TEST(FrameWriter, LengthThatDoesNotFitRemovesTheFrame) {
  LengthFieldFraming f;
  f.field_size = 1;
  Rope out(absl::string_view("keep"));
  FrameWriter writer(f, &out);
  ASSERT_OK(writer.WriteFrame(std::string(255, 'x')));
  EXPECT_EQ(out.size(), 4u + 1 + 255);
  const Rope before = out;
  EXPECT_THAT(writer.WriteFrame(std::string(256, 'y')),
              StatusIs(absl::StatusCode::kOutOfRange,
                       HasSubstr("does not fit a 1-byte field")));
  EXPECT_EQ(out, before);
  EXPECT_FALSE(writer.in_frame());

  LengthFieldFraming negative;
  negative.length_adjustment = 10;  // value = body - 10 < 0 for short bodies
  Rope out2;
  FrameWriter writer2(negative, &out2);
  EXPECT_THAT(writer2.WriteFrame(absl::string_view("short")),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_TRUE(out2.empty());
}

TEST(FrameWriter, HeaderInASharedChunkIsCopiedOnWrite) {
  Rope out;
  FrameWriter writer(LengthFieldFraming{}, &out);
  writer.BeginFrame();
  writer.Append("abc");
  const Rope snapshot = out;  // shares the chunk that holds the header
  ASSERT_OK(writer.EndFrame());
  EXPECT_EQ(out, absl::string_view("\0\0\0\x03"
                                   "abc",
                                   7));
  EXPECT_EQ(snapshot, absl::string_view("\0\0\0\0"
                                        "abc",
                                        7));
}

TEST(FrameWriter, VarintFramesDecode) {
  Rope out;
  AppendVarintFrame(&out, Rope(std::string(300, 'v')));
  AppendVarintFrame(&out, Rope());
  FrameDecoder decoder{VarintFraming{}};
  decoder.Append(out);
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, std::string(300, 'v'));
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_TRUE(frame.empty());
}

// The same back-patching on a BytesIO: write a placeholder, the body, then
// Seek back and Write the length over the placeholder.
TEST(FrameWriter, SeekAndWriteBackPatchingOnBytesIO) {
  BytesIO io;
  ASSERT_OK(io.Write(absl::string_view("prefix")));
  for (const std::string& body :
       {std::string("first"), std::string(1000, 'b')}) {
    ASSERT_OK_AND_ASSIGN(const int64_t header_pos, io.Tell());
    ASSERT_OK(WriteBigEndian<uint32_t>(&io, 0));  // placeholder
    ASSERT_OK(io.Write(Rope(body)));
    ASSERT_OK_AND_ASSIGN(const int64_t end, io.Tell());
    ASSERT_OK(io.Seek(header_pos));
    ASSERT_OK(WriteBigEndian<uint32_t>(
        &io, static_cast<uint32_t>(end - header_pos - 4)));
    ASSERT_OK(io.Seek(end));
  }
  ASSERT_OK_AND_ASSIGN(const Rope value, io.GetValue());
  FrameDecoder decoder(LengthFieldFraming{});
  decoder.Append(value.Subrope(6, Rope::npos));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "first");
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, std::string(1000, 'b'));
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
}

}  // namespace
}  // namespace bytesio
