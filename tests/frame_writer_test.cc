// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_writer.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/bytes_io_coding.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "bytesio/rope_reader.h"
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
  RopeReader header(out);
  ASSERT_EQ(header.ReadBigEndian(&length), DecodeStatus::kOk);
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

// Regression: length_adjustment = INT64_MIN was accepted and EndFrame
// computed 3 - INT64_MIN (signed overflow). Now such a framing is refused as
// the decoder refuses it, and each frame fails without touching *out.
TEST(FrameWriter, InvalidFramingIsInvalidArgumentAndWritesNothing) {
  const int64_t kBound = static_cast<int64_t>(FrameDecoder::kMaxFrameSizeLimit);
  std::vector<LengthFieldFraming> invalid;
  for (int64_t adjustment :
       {INT64_MIN, INT64_MIN + 1, -kBound, kBound, INT64_MAX - 1, INT64_MAX}) {
    LengthFieldFraming f;
    f.length_adjustment = adjustment;
    invalid.push_back(f);
  }
  for (size_t size : {size_t{0}, size_t{9}, SIZE_MAX}) {
    LengthFieldFraming f;
    f.field_size = size;
    invalid.push_back(f);
  }
  for (const LengthFieldFraming& f : invalid) {
    SCOPED_TRACE(
        absl::StrCat("size=", f.field_size, " adj=", f.length_adjustment));
    ASSERT_THAT(ValidateFraming(f),
                StatusIs(absl::StatusCode::kInvalidArgument));
    Rope out(absl::string_view("keep"));
    FrameWriter writer(f, &out);
    EXPECT_EQ(writer.status(), ValidateFraming(f));
    EXPECT_EQ(writer.WriteFrame(absl::string_view("abc")), writer.status());
    EXPECT_EQ(out, "keep");
    EXPECT_FALSE(writer.in_frame());
    writer.BeginFrame();
    writer.Append(Rope(std::string(5000, 'p')));
    EXPECT_EQ(writer.EndFrame(), writer.status());
    EXPECT_EQ(out, "keep");
  }
}

// Every width and counting mode with adjustments at the accepted bounds:
// the length either fits (and decodes back to the same frame) or is
// OutOfRange with the frame removed; never an overflow (run under UBSan).
TEST(FrameWriter, LengthArithmeticIsExactAtTheAdjustmentBounds) {
  const int64_t kMax =
      static_cast<int64_t>(FrameDecoder::kMaxFrameSizeLimit) - 1;
  for (size_t size = 1; size <= 8; ++size) {
    for (bool counts : {false, true}) {
      for (int64_t adjustment :
           {-kMax, -kMax + 1, int64_t{-12}, int64_t{-1}, int64_t{0}, int64_t{1},
            int64_t{3}, int64_t{12}, kMax - 1, kMax}) {
        LengthFieldFraming f;
        f.field_size = size;
        f.length_counts_header = counts;
        f.length_adjustment = adjustment;
        f.bytes_to_strip = 0;
        SCOPED_TRACE(absl::StrCat("size=", size, " counts=", counts,
                                  " adj=", adjustment));
        ASSERT_OK(ValidateFraming(f));
        for (size_t body : {0, 3, 12, 300}) {
          Rope out;
          FrameWriter writer(f, &out);
          const absl::Status status = writer.WriteFrame(std::string(body, 'x'));
          const __int128 value =
              static_cast<__int128>(counts ? size + body : body) - adjustment;
          const __int128 field_max =
              (static_cast<__int128>(1) << (8 * size)) - 1;
          if (value < 0 || value > field_max) {
            EXPECT_THAT(status, StatusIs(absl::StatusCode::kOutOfRange,
                                         HasSubstr("does not fit")));
            EXPECT_TRUE(out.empty());
            continue;
          }
          ASSERT_OK(status);
          ASSERT_EQ(out.size(), size + body);
          EXPECT_EQ(LoadUnsigned(out.Flatten().data(), size, f.byte_order),
                    static_cast<uint64_t>(value));
          FrameDecoder decoder(f);
          decoder.Append(out);
          Rope frame;
          ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
          EXPECT_EQ(frame, out);
        }
      }
    }
  }
}

TEST(FrameWriter, NegativeLengthMessageShowsTheNegativeValue) {
  LengthFieldFraming f;
  f.length_adjustment = 10;
  Rope out;
  FrameWriter writer(f, &out);
  EXPECT_THAT(writer.WriteFrame(absl::string_view("abc")),
              StatusIs(absl::StatusCode::kOutOfRange,
                       HasSubstr("needs length field value -7,")));
}

// Regression: draining *out while a frame was open made EndFrame compute a
// frame of 2^64 - 1000 bytes and remove what was left of it.
TEST(FrameWriter, OutputDrainedWhileAFrameIsOpenIsFailedPrecondition) {
  for (size_t drained_to :
       {size_t{0}, size_t{500}, size_t{1002}, size_t{1003}}) {
    SCOPED_TRACE(drained_to);
    LengthFieldFraming f;
    f.field_offset = 1;
    Rope out(std::string(1000, 'o'));
    FrameWriter writer(f, &out);
    writer.BeginFrame("t");  // the header occupies [1000, 1005)
    writer.Append(std::string(200, 'p'));
    out.RemovePrefix(out.size() - drained_to);  // e.g. written to a socket
    const Rope before = out;
    EXPECT_THAT(
        writer.EndFrame(),
        StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("shrank")));
    EXPECT_EQ(out, before);
    EXPECT_FALSE(writer.in_frame());
    // The writer is usable again once the output only grows.
    out.Clear();
    writer.BeginFrame("t");
    ASSERT_OK(writer.EndFrame());
    EXPECT_EQ(out, absl::string_view("t\0\0\0\0", 5));
  }
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
