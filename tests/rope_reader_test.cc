// Copyright 2026 The bytesio Authors.

#include "bytesio/rope_reader.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

TEST(RopeReader, EmptyRopeIsAtEnd) {
  const Rope rope;
  RopeReader reader(rope);
  EXPECT_TRUE(reader.AtEnd());
  EXPECT_EQ(reader.remaining(), 0u);
  EXPECT_TRUE(reader.PeekChunk().empty());
  uint8_t byte = 0;
  EXPECT_FALSE(reader.ReadBigEndian(&byte));
  EXPECT_TRUE(reader.Skip(0));
  EXPECT_FALSE(reader.Skip(1));
  uint64_t v = 0;
  EXPECT_EQ(reader.ReadVarint64(&v), DecodeStatus::kNeedMore);
}

TEST(RopeReader, TypedReadsAcrossEveryTwoChunkSplit) {
  // u16 BE, u32 LE, i64 BE, u8, varint 300: every split of the 17 bytes.
  Rope encoded;
  AppendBigEndian<uint16_t>(&encoded, 0xBEEF);
  AppendLittleEndian<uint32_t>(&encoded, 0x01020304);
  AppendBigEndian<int64_t>(&encoded, -5);
  AppendBigEndian<uint8_t>(&encoded, 0x7A);
  AppendVarint64(&encoded, 300);
  const std::string bytes = encoded.ToString();
  for (size_t split = 1; split < bytes.size(); ++split) {
    SCOPED_TRACE(split);
    const Rope rope =
        RopeFromPieces({bytes.substr(0, split), bytes.substr(split)});
    RopeReader reader(rope);
    uint16_t a = 0;
    uint32_t b = 0;
    int64_t c = 0;
    uint8_t d = 0;
    uint64_t e = 0;
    ASSERT_TRUE(reader.ReadBigEndian(&a));
    ASSERT_TRUE(reader.ReadLittleEndian(&b));
    ASSERT_TRUE(reader.ReadBigEndian(&c));
    ASSERT_TRUE(reader.ReadBigEndian(&d));
    ASSERT_EQ(reader.ReadVarint64(&e), DecodeStatus::kOk);
    EXPECT_EQ(a, 0xBEEF);
    EXPECT_EQ(b, 0x01020304u);
    EXPECT_EQ(c, -5);
    EXPECT_EQ(d, 0x7A);
    EXPECT_EQ(e, 300u);
    EXPECT_TRUE(reader.AtEnd());
    EXPECT_EQ(reader.position(), bytes.size());
  }
}

TEST(RopeReader, SequentialReadsMatchRawLoadsOnEveryShape) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (size_t size : ThresholdSizes()) {
    const std::string data = RandomBytes(rng, size);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(RopeShapeName(shape) + " size " + std::to_string(size));
      const Rope rope = MakeRope(data, shape);
      RopeReader reader(rope);
      size_t pos = 0;
      std::uniform_int_distribution<int> op(0, 4);
      while (pos < size) {
        const size_t left = size - pos;
        switch (op(rng)) {
          case 0: {
            uint32_t v;
            if (left < 4) {
              EXPECT_FALSE(reader.ReadBigEndian(&v));
              ASSERT_TRUE(reader.Skip(1));
              pos += 1;
              break;
            }
            ASSERT_TRUE(reader.ReadBigEndian(&v));
            EXPECT_EQ(v, LoadBigEndian<uint32_t>(data.data() + pos));
            pos += 4;
            break;
          }
          case 1: {
            uint64_t v;
            if (left < 8) {
              EXPECT_FALSE(reader.ReadLittleEndian(&v));
              ASSERT_TRUE(reader.Skip(left));
              pos += left;
              break;
            }
            ASSERT_TRUE(reader.ReadLittleEndian(&v));
            EXPECT_EQ(v, LoadLittleEndian<uint64_t>(data.data() + pos));
            pos += 8;
            break;
          }
          case 2: {
            const size_t n = std::min<size_t>(left, rng() % 2000);
            Rope part;
            ASSERT_TRUE(reader.Read(n, &part));
            EXPECT_EQ(part, absl::string_view(data).substr(pos, n));
            pos += n;
            break;
          }
          case 3: {
            std::string buf(std::min<size_t>(left, rng() % 100), '\0');
            std::string peeked(buf.size(), '\0');
            ASSERT_TRUE(reader.Peek(absl::MakeSpan(peeked)));
            ASSERT_TRUE(reader.ReadInto(absl::MakeSpan(buf)));
            EXPECT_EQ(buf, data.substr(pos, buf.size()));
            EXPECT_EQ(peeked, buf);
            pos += buf.size();
            break;
          }
          case 4: {
            const size_t n = std::min<size_t>(left, rng() % 700);
            ASSERT_TRUE(reader.Skip(n));
            pos += n;
            break;
          }
        }
        ASSERT_EQ(reader.position(), pos);
        if (pos < size) {
          const absl::string_view chunk = reader.PeekChunk();
          ASSERT_FALSE(chunk.empty());
          EXPECT_EQ(chunk, absl::string_view(data).substr(pos, chunk.size()));
        }
      }
      EXPECT_TRUE(reader.AtEnd());
    }
  }
}

TEST(RopeReader, FailedReadsDoNotMove) {
  const Rope rope = RopeFromPieces({"ab", "c"});
  RopeReader reader(rope);
  ASSERT_TRUE(reader.Skip(1));
  uint32_t v32 = 9;
  EXPECT_FALSE(reader.ReadBigEndian(&v32));
  EXPECT_EQ(v32, 9u);
  char buf[3];
  EXPECT_FALSE(reader.ReadInto(absl::MakeSpan(buf)));
  EXPECT_FALSE(reader.Peek(absl::MakeSpan(buf)));
  Rope out(absl::string_view("keep"));
  EXPECT_FALSE(reader.Read(3, &out));
  EXPECT_EQ(out, "keep");
  EXPECT_FALSE(reader.Skip(3));
  EXPECT_EQ(reader.position(), 1u);
  uint16_t v16 = 0;
  ASSERT_TRUE(reader.ReadBigEndian(&v16));
  EXPECT_EQ(v16, 0x6263);
}

TEST(RopeReader, ReadSharesChunksAndReadIntoCopies) {
  std::mt19937_64 rng(TestSeed());
  const std::string data = RandomBytes(rng, 3000);
  const Rope rope = RopeFromPieces(
      {data.substr(0, 1000), data.substr(1000, 1000), data.substr(2000)});
  RopeReader reader(rope);
  ASSERT_TRUE(reader.Skip(10));
  Rope part;
  ASSERT_TRUE(reader.Read(1500, &part));  // spans two chunks
  EXPECT_EQ(part, absl::string_view(data).substr(10, 1500));
  EXPECT_TRUE(SharesMemoryWith(part, rope));
  EXPECT_EQ(ChunkCount(part), 2u);
  std::string copy(600, '\0');
  ASSERT_TRUE(reader.ReadInto(absl::MakeSpan(copy)));
  EXPECT_EQ(copy, data.substr(1510, 600));
  EXPECT_EQ(reader.position(), 2110u);
}

TEST(RopeReader, VarintsAtEveryChunkSplitAndTruncation) {
  const std::vector<uint64_t> values = {
      0, 127, 128, 16383, 16384, (uint64_t{1} << 32) - 1, UINT64_MAX};
  Rope encoded;
  for (uint64_t v : values) AppendVarint64(&encoded, v);
  AppendVarint32(&encoded, ZigZagEncode32(-70000));
  AppendVarint64(&encoded, ZigZagEncode64(INT64_MIN));
  const std::string bytes = encoded.ToString();
  for (size_t split = 0; split <= bytes.size(); ++split) {
    for (size_t cut = 0; cut <= bytes.size(); ++cut) {
      // Every prefix `cut` of the stream, split once at `split`.
      const std::string prefix = bytes.substr(0, cut);
      const Rope rope = RopeFromPieces({prefix.substr(0, std::min(split, cut)),
                                        prefix.substr(std::min(split, cut))});
      RopeReader reader(rope);
      size_t complete = 0;
      DecodeStatus status = DecodeStatus::kOk;
      for (uint64_t expected : values) {
        uint64_t v = 0;
        const size_t before = reader.position();
        status = reader.ReadVarint64(&v);
        if (status != DecodeStatus::kOk) {
          EXPECT_EQ(reader.position(), before);
          break;
        }
        EXPECT_EQ(v, expected);
        ++complete;
      }
      if (status == DecodeStatus::kOk) {
        int32_t z32 = 0;
        int64_t z64 = 0;
        status = reader.ReadZigZag32(&z32);
        if (status == DecodeStatus::kOk) {
          EXPECT_EQ(z32, -70000);
          status = reader.ReadZigZag64(&z64);
          if (status == DecodeStatus::kOk) {
            EXPECT_EQ(z64, INT64_MIN);
          }
        }
      }
      if (cut == bytes.size()) {
        EXPECT_EQ(status, DecodeStatus::kOk);
        EXPECT_TRUE(reader.AtEnd());
      } else {
        EXPECT_EQ(status, DecodeStatus::kNeedMore) << split << " " << cut;
      }
    }
  }
}

TEST(RopeReader, MalformedVarintDoesNotMove) {
  const std::string overlong = std::string(10, '\x80') + std::string(1, '\0');
  for (size_t split = 1; split < overlong.size(); ++split) {
    const Rope rope = RopeFromPieces(
        {"x", overlong.substr(0, split), overlong.substr(split)});
    RopeReader reader(rope);
    ASSERT_TRUE(reader.Skip(1));
    uint64_t v = 3;
    EXPECT_EQ(reader.ReadVarint64(&v), DecodeStatus::kMalformed);
    EXPECT_EQ(v, 3u);
    EXPECT_EQ(reader.position(), 1u);
  }
  const Rope big = RopeFromPieces({"\xFF\xFF", "\xFF\xFF\x1F"});
  RopeReader reader(big);
  uint32_t v32 = 0;
  EXPECT_EQ(reader.ReadVarint32(&v32), DecodeStatus::kMalformed);
  uint64_t v64 = 0;
  ASSERT_EQ(reader.ReadVarint64(&v64), DecodeStatus::kOk);
  EXPECT_EQ(v64, (uint64_t{0x1F} << 28) | 0x0FFFFFFF);
}

}  // namespace
}  // namespace bytesio
