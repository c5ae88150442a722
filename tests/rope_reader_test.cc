// Copyright 2026 The bytesio Authors.

#include "bytesio/rope_reader.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
  EXPECT_EQ(reader.ReadBigEndian(&byte), DecodeStatus::kNeedMore);
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
    ASSERT_EQ(reader.ReadBigEndian(&a), DecodeStatus::kOk);
    ASSERT_EQ(reader.ReadLittleEndian(&b), DecodeStatus::kOk);
    ASSERT_EQ(reader.ReadBigEndian(&c), DecodeStatus::kOk);
    ASSERT_EQ(reader.ReadBigEndian(&d), DecodeStatus::kOk);
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
              EXPECT_EQ(reader.ReadBigEndian(&v), DecodeStatus::kNeedMore);
              ASSERT_TRUE(reader.Skip(1));
              pos += 1;
              break;
            }
            ASSERT_EQ(reader.ReadBigEndian(&v), DecodeStatus::kOk);
            EXPECT_EQ(v, LoadBigEndian<uint32_t>(data.data() + pos));
            pos += 4;
            break;
          }
          case 1: {
            uint64_t v;
            if (left < 8) {
              EXPECT_EQ(reader.ReadLittleEndian(&v), DecodeStatus::kNeedMore);
              ASSERT_TRUE(reader.Skip(left));
              pos += left;
              break;
            }
            ASSERT_EQ(reader.ReadLittleEndian(&v), DecodeStatus::kOk);
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
  EXPECT_EQ(reader.ReadBigEndian(&v32), DecodeStatus::kNeedMore);
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
  ASSERT_EQ(reader.ReadBigEndian(&v16), DecodeStatus::kOk);
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

// ---- Moved from coding_test: reads at an offset are a cursor at that
// offset (coding.h no longer reads from a Rope). ----

TEST(RopeReader, TypedReadsAtAnOffsetAcrossEveryChunkSplit) {
  // A 4-byte integer split 1+3, 2+2 and 3+1 (and 8-byte ones every way).
  const std::string bytes = "\x01\x02\x03\x04\x05\x06\x07\x08";
  for (size_t split = 1; split < 8; ++split) {
    SCOPED_TRACE(split);
    const Rope rope =
        RopeFromPieces({bytes.substr(0, split), bytes.substr(split)});
    ASSERT_EQ(ChunkCount(rope), 2u);
    uint32_t u32 = 0;
    ASSERT_EQ(RopeReader(rope).ReadBigEndian(&u32), DecodeStatus::kOk);
    EXPECT_EQ(u32, 0x01020304u);
    ASSERT_EQ(RopeReader(rope, 4).ReadLittleEndian(&u32), DecodeStatus::kOk);
    EXPECT_EQ(u32, 0x08070605u);
    uint64_t u64 = 0;
    ASSERT_EQ(RopeReader(rope).ReadBigEndian(&u64), DecodeStatus::kOk);
    EXPECT_EQ(u64, 0x0102030405060708u);
    uint16_t u16 = 0;
    ASSERT_EQ(RopeReader(rope, split - 1).ReadBigEndian(&u16),
              DecodeStatus::kOk);
    EXPECT_EQ(u16, LoadBigEndian<uint16_t>(bytes.data() + split - 1));
    for (size_t width = 1; width <= 8; ++width) {
      RopeReader reader(rope);
      uint64_t value = 0;
      ASSERT_EQ(reader.ReadUnsigned(width, ByteOrder::kLittleEndian, &value),
                DecodeStatus::kOk);
      EXPECT_EQ(value,
                LoadUnsigned(bytes.data(), width, ByteOrder::kLittleEndian));
      EXPECT_EQ(reader.position(), width);
    }
  }
}

TEST(RopeReader, TypedReadsAtEveryOffsetOfEveryShape) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string data = RandomBytes(rng, 1500);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(data, shape);
    for (size_t pos = 0; pos + 8 <= data.size(); pos += 7) {
      uint64_t be = 0, le = 0;
      int32_t s32 = 0;
      ASSERT_EQ(RopeReader(rope, pos).ReadBigEndian(&be), DecodeStatus::kOk);
      ASSERT_EQ(RopeReader(rope, pos).ReadLittleEndian(&le), DecodeStatus::kOk);
      ASSERT_EQ(RopeReader(rope, pos).ReadBigEndian(&s32), DecodeStatus::kOk);
      EXPECT_EQ(be, LoadBigEndian<uint64_t>(data.data() + pos));
      EXPECT_EQ(le, LoadLittleEndian<uint64_t>(data.data() + pos));
      EXPECT_EQ(s32, LoadBigEndian<int32_t>(data.data() + pos));
    }
  }
}

TEST(RopeReader, ReadsPastTheEndAreNeedMoreAndLeaveTheValue) {
  const Rope rope = RopeFromPieces({"ab", "c"});
  uint32_t value = 77;
  EXPECT_EQ(RopeReader(rope).ReadBigEndian(&value), DecodeStatus::kNeedMore);
  EXPECT_EQ(RopeReader(rope, 3).ReadBigEndian(&value), DecodeStatus::kNeedMore);
  EXPECT_EQ(value, 77u);
  uint16_t two = 0;
  EXPECT_EQ(RopeReader(rope, 1).ReadBigEndian(&two), DecodeStatus::kOk);
  EXPECT_EQ(two, 0x6263);
  EXPECT_EQ(RopeReader(rope, 2).ReadBigEndian(&two), DecodeStatus::kNeedMore);
}

TEST(RopeReader, VarintAtAnOffsetAtEveryChunkSplit) {
  for (uint64_t value : {uint64_t{300}, uint64_t{1} << 35, UINT64_MAX}) {
    char buf[kMaxVarint64Length];
    const std::string encoded(buf, EncodeVarint64(buf, value));
    const std::string stream = "ab" + encoded + "z";
    for (size_t split = 1; split < stream.size(); ++split) {
      SCOPED_TRACE(split);
      const Rope rope =
          RopeFromPieces({stream.substr(0, split), stream.substr(split)});
      RopeReader reader(rope, 2);
      uint64_t decoded = 0;
      ASSERT_EQ(reader.ReadVarint64(&decoded), DecodeStatus::kOk);
      EXPECT_EQ(decoded, value);
      EXPECT_EQ(reader.position(), 2 + encoded.size());
      const Rope cut = rope.Subrope(0, 2 + encoded.size() - 1);
      EXPECT_EQ(RopeReader(cut, 2).ReadVarint64(&decoded),
                DecodeStatus::kNeedMore);
    }
  }
}

// ---- Moving, searching, views, length-delimited fields. ----

TEST(RopeReader, SeekSkipAndRetreatReachEveryPositionOfEveryShape) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (size_t size : ThresholdSizes()) {
    if (size > 70000) continue;
    const std::string data = RandomBytes(rng, size);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(RopeShapeName(shape) + " size " + std::to_string(size));
      const Rope rope = MakeRope(data, shape);
      RopeReader reader(rope);
      size_t pos = 0;
      for (int step = 0; step < 300; ++step) {
        const size_t target = rng() % (size + 1);
        switch (rng() % 3) {
          case 0:
            reader.Seek(target);
            pos = target;
            break;
          case 1: {
            const size_t n = rng() % 64;
            EXPECT_EQ(reader.Skip(n), n <= size - pos);
            if (n <= size - pos) pos += n;
            break;
          }
          case 2: {
            const size_t n = rng() % 64;
            EXPECT_EQ(reader.Retreat(n), n <= pos);
            if (n <= pos) pos -= n;
            break;
          }
        }
        ASSERT_EQ(reader.position(), pos);
        ASSERT_EQ(reader.remaining(), size - pos);
        const absl::string_view chunk = reader.PeekChunk();
        ASSERT_EQ(chunk.empty(), pos == size);
        ASSERT_EQ(chunk, absl::string_view(data).substr(pos, chunk.size()));
      }
    }
  }
}

TEST(RopeReader, RetreatOverEveryChunkBoundaryOfOneByteChunks) {
  const std::string data = "0123456789";
  std::vector<std::string> pieces;
  for (char c : data) pieces.push_back(std::string(1, c));
  const Rope rope = RopeFromPieces(pieces);
  RopeReader reader(rope);
  ASSERT_TRUE(reader.Skip(data.size()));
  for (size_t pos = data.size(); pos-- > 0;) {
    ASSERT_TRUE(reader.Retreat(1));
    ASSERT_EQ(reader.position(), pos);
    ASSERT_EQ(reader.PeekChunk(), data.substr(pos, 1));
  }
  EXPECT_FALSE(reader.Retreat(1));
  EXPECT_EQ(reader.position(), 0u);
}

TEST(RopeReader, FindMatchesTheModelAtEveryChunkBoundary) {
  // A delimiter placed at every position of ropes cut at every position.
  for (const std::string needle : {"\n", "\r\n", "abc"}) {
    for (size_t at = 0; at + needle.size() <= 12; ++at) {
      std::string data(12, '.');
      data.replace(at, needle.size(), needle);
      for (size_t split = 0; split <= data.size(); ++split) {
        const Rope rope =
            RopeFromPieces({data.substr(0, split), data.substr(split)});
        for (size_t start = 0; start <= data.size(); ++start) {
          for (size_t limit :
               {size_t{0}, size_t{3}, size_t{7}, RopeReader::npos}) {
            for (size_t from : {size_t{0}, size_t{1}, size_t{5}}) {
              SCOPED_TRACE(absl::StrCat("needle ", needle.size(), " at ", at,
                                        " split ", split, " start ", start,
                                        " limit ", limit, " from ", from));
              const RopeReader reader(rope, start);
              const std::string rest = data.substr(start);
              const size_t bound = std::min(limit, rest.size());
              size_t expected = rest.find(needle, from);
              if (expected != std::string::npos &&
                  expected + needle.size() > bound) {
                expected = RopeReader::npos;
              }
              if (from > bound) expected = RopeReader::npos;
              EXPECT_EQ(reader.Find(needle, from, limit), expected);
              if (needle.size() == 1) {
                EXPECT_EQ(reader.Find(needle[0], from, limit), expected);
              }
            }
          }
        }
      }
    }
  }
}

TEST(RopeReader, FindOnEveryShapeMatchesTheModel) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (size_t size : ThresholdSizes()) {
    if (size > 70000) continue;
    std::string data = RandomBytes(rng, size);
    for (char& c : data) c = "ab\r\n"[static_cast<uint8_t>(c) % 4];
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(RopeShapeName(shape) + " size " + std::to_string(size));
      const Rope rope = MakeRope(data, shape);
      RopeReader reader(rope);
      size_t pos = 0;
      while (pos < size) {
        const std::string rest = data.substr(pos);
        const size_t nl = rest.find('\n');
        ASSERT_EQ(reader.Find('\n'),
                  nl == std::string::npos ? RopeReader::npos : nl);
        const size_t crlf = rest.find("\r\n");
        ASSERT_EQ(reader.Find("\r\n"),
                  crlf == std::string::npos ? RopeReader::npos : crlf);
        const size_t n = 1 + rng() % 200;
        if (!reader.Skip(n)) break;
        pos += n;
      }
    }
  }
}

TEST(RopeReader, ViewsPointIntoTheChunkOrIntoScratch) {
  const std::string a(100, 'a'), b(100, 'b');
  const Rope rope = RopeFromPieces({a, b});
  const char* first = (*rope.Chunks().begin()).data();
  RopeReader reader(rope);
  std::string scratch;
  absl::string_view view;
  ASSERT_TRUE(reader.PeekView(60, &scratch, &view));
  EXPECT_EQ(view.data(), first);  // in one chunk: no copy
  ASSERT_TRUE(reader.ReadView(60, &scratch, &view));
  EXPECT_EQ(view.data(), first);
  EXPECT_TRUE(scratch.empty());
  ASSERT_TRUE(reader.PeekView(80, &scratch, &view));  // straddles: a copy
  EXPECT_EQ(view.data(), scratch.data());
  EXPECT_EQ(view, std::string(40, 'a') + std::string(40, 'b'));
  EXPECT_EQ(reader.position(), 60u);
  ASSERT_TRUE(reader.ReadView(80, &scratch, &view));
  EXPECT_EQ(view.data(), scratch.data());
  EXPECT_EQ(view, std::string(40, 'a') + std::string(40, 'b'));
  const char* scratch_data = scratch.data();
  ASSERT_TRUE(reader.ReadView(20, &scratch, &view));
  EXPECT_EQ(view, std::string(20, 'b'));
  EXPECT_EQ(view.data(), (*std::next(rope.Chunks().begin())).data() + 40);
  EXPECT_EQ(scratch.data(), scratch_data);  // scratch kept for reuse
  ASSERT_TRUE(reader.ReadView(40, &scratch, &view));
  EXPECT_EQ(view, std::string(40, 'b'));
  EXPECT_FALSE(reader.ReadView(1, &scratch, &view));
  EXPECT_FALSE(reader.PeekView(1, &scratch, &view));
}

TEST(RopeReader, PeekAtAnOffsetAndPeekViewOnEveryShape) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string data = RandomBytes(rng, 2000);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(data, shape);
    std::string scratch;
    for (size_t pos = 0; pos <= data.size(); pos += 37) {
      const RopeReader reader(rope, pos);
      const size_t offset = rng() % 100, n = rng() % 600;
      std::string out(n, '\0');
      const bool fits = pos + offset + n <= data.size();
      ASSERT_EQ(reader.Peek(absl::MakeSpan(out), offset), fits);
      if (fits) {
        EXPECT_EQ(out, data.substr(pos + offset, n));
      }
      absl::string_view view;
      ASSERT_EQ(reader.PeekView(n, &scratch, &view), pos + n <= data.size());
      if (pos + n <= data.size()) {
        EXPECT_EQ(view, data.substr(pos, n));
      }
      EXPECT_EQ(reader.position(), pos);
    }
  }
}

TEST(RopeReader, ReadUntilReadsThroughTheDelimiterWithinTheBound) {
  const Rope rope = RopeFromPieces({"GET / HTTP/1.1\r", "\nHost: x\r\n\r\n"});
  RopeReader reader(rope);
  Rope line;
  ASSERT_TRUE(reader.ReadUntil("\r\n", &line));
  EXPECT_EQ(line, "GET / HTTP/1.1\r\n");
  std::string scratch;
  absl::string_view view;
  EXPECT_FALSE(reader.ReadUntilView("\r\n", &scratch, &view, /*limit=*/8));
  EXPECT_EQ(reader.position(), 16u);
  ASSERT_TRUE(reader.ReadUntilView("\r\n", &scratch, &view, /*limit=*/9));
  EXPECT_EQ(view, "Host: x\r\n");
  ASSERT_TRUE(reader.ReadUntil("\r\n", &line));
  EXPECT_EQ(line, "\r\n");
  EXPECT_FALSE(reader.ReadUntil("\r\n", &line));
  EXPECT_TRUE(reader.AtEnd());
}

TEST(RopeReader, LengthDelimitedAtEveryTruncationAndSplit) {
  Rope encoded;
  AppendVarint64(&encoded, 3);
  encoded.Append("abc");
  AppendVarint64(&encoded, 300);
  encoded.Append(std::string(300, 'x'));
  AppendVarint64(&encoded, 0);
  const std::string bytes = encoded.ToString();
  for (size_t cut = 0; cut <= bytes.size(); ++cut) {
    for (size_t split : {size_t{1}, size_t{2}, size_t{5}, size_t{150}}) {
      const std::string prefix = bytes.substr(0, cut);
      const size_t s = std::min(split, cut);
      const Rope rope = RopeFromPieces({prefix.substr(0, s), prefix.substr(s)});
      RopeReader reader(rope);
      std::string scratch;
      std::vector<std::string> got;
      for (;;) {
        const size_t before = reader.position();
        absl::string_view view;
        Rope out;
        const DecodeStatus status =
            got.size() % 2 == 0
                ? reader.ReadLengthDelimited(&out)
                : reader.ReadLengthDelimitedView(&scratch, &view);
        if (status != DecodeStatus::kOk) {
          EXPECT_EQ(status, DecodeStatus::kNeedMore);
          EXPECT_EQ(reader.position(), before);
          break;
        }
        got.push_back(got.size() % 2 == 0 ? out.ToString() : std::string(view));
      }
      const size_t complete = cut >= bytes.size()  ? 3
                              : cut >= 4 + 2 + 300 ? 2
                              : cut >= 4           ? 1
                                                   : 0;
      ASSERT_EQ(got.size(), complete) << cut << " " << split;
      if (complete >= 1) {
        EXPECT_EQ(got[0], "abc");
      }
      if (complete >= 2) {
        EXPECT_EQ(got[1], std::string(300, 'x'));
      }
      if (complete >= 3) {
        EXPECT_EQ(got[2], "");
      }
    }
  }
  const Rope bad(std::string(10, '\xFF') + "\x01");
  RopeReader reader(bad);
  Rope out;
  EXPECT_EQ(reader.ReadLengthDelimited(&out), DecodeStatus::kMalformed);
  EXPECT_EQ(reader.position(), 0u);
}

// A reader survives Rope::AppendInPlace through Extend, wherever it stands:
// at the start, inside or at the end of a chunk, in the last chunk, at the
// very end; then every kind of read sees the old and the new bytes.
TEST(RopeReader, ExtendTakesInBytesAppendedInPlaceFromEveryPosition) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (size_t size : ThresholdSizes()) {
    const std::string base = RandomBytes(rng, size);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(RopeShapeName(shape) + " size " + std::to_string(size));
      std::vector<size_t> starts = {0, size / 3, size / 2, size};
      if (size > 0) starts.push_back(size - 1);
      for (size_t start : starts) {
        SCOPED_TRACE(absl::StrCat("start ", start));
        // A private tail with room: one append past the shape's bytes.
        Rope rope = MakeRope(base, shape);
        rope.Append(std::string(600, '+'));
        std::string data = base + std::string(600, '+');
        RopeReader reader(rope, start);
        for (int round = 0; round < 3; ++round) {
          const std::string extra = RandomBytes(rng, 1 + round * 37);
          const size_t n = rope.AppendInPlace(extra);
          data += extra.substr(0, n);
          reader.Extend();
          EXPECT_EQ(reader.remaining(), data.size() - start);
        }
        ASSERT_EQ(rope.ToString(), data);
        // Every kind of read over what is left, then back to the start.
        RopeReader copy = reader;
        std::string rest(data.size() - start, '\0');
        ASSERT_TRUE(copy.ReadInto(absl::MakeSpan(rest)));
        EXPECT_EQ(rest, data.substr(start));
        copy = reader;
        Rope shared;
        ASSERT_TRUE(copy.Read(data.size() - start, &shared));
        EXPECT_EQ(shared, data.substr(start));
        copy = reader;
        std::string chunks;
        while (!copy.AtEnd()) {
          const absl::string_view chunk = copy.PeekChunk();
          ASSERT_FALSE(chunk.empty());
          chunks.append(chunk.data(), chunk.size());
          ASSERT_TRUE(copy.Skip(chunk.size()));
        }
        EXPECT_EQ(chunks, data.substr(start));
        ASSERT_TRUE(reader.Retreat(start));
        std::string all(data.size(), '\0');
        ASSERT_TRUE(reader.ReadInto(absl::MakeSpan(all)));
        EXPECT_EQ(all, data);
      }
    }
  }
}

}  // namespace
}  // namespace bytesio
