// Copyright 2026 The bytesio Authors.

#include "bytesio/coding.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

// Values around every power of two up to 2^64.
std::vector<uint64_t> PowerOfTwoValues() {
  std::vector<uint64_t> values = {0, 1, 2, 3};
  for (int k = 2; k < 64; ++k) {
    const uint64_t p = uint64_t{1} << k;
    values.push_back(p - 1);
    values.push_back(p);
    values.push_back(p + 1);
  }
  values.push_back(UINT64_MAX - 1);
  values.push_back(UINT64_MAX);
  return values;
}

TEST(Coding, FixedWidthMatchesKnownBytes) {
  char buf[8];
  StoreBigEndian<uint32_t>(buf, 0x0A0B0C0D);
  EXPECT_EQ(absl::string_view(buf, 4),
            absl::string_view("\x0A\x0B\x0C\x0D", 4));
  StoreLittleEndian<uint32_t>(buf, 0x0A0B0C0D);
  EXPECT_EQ(absl::string_view(buf, 4),
            absl::string_view("\x0D\x0C\x0B\x0A", 4));
  StoreBigEndian<uint16_t>(buf, 0xCAFE);
  EXPECT_EQ(absl::string_view(buf, 2), "\xCA\xFE");
  StoreBigEndian<uint64_t>(buf, 0x0102030405060708);
  EXPECT_EQ(absl::string_view(buf, 8), "\x01\x02\x03\x04\x05\x06\x07\x08");
  EXPECT_EQ(LoadLittleEndian<uint64_t>(buf), 0x0807060504030201u);
  StoreBigEndian<uint8_t>(buf, 0xAB);
  EXPECT_EQ(LoadBigEndian<uint8_t>(buf), 0xAB);
}

TEST(Coding, SignedValuesRoundTrip) {
  char buf[8];
  StoreBigEndian<int16_t>(buf, -2);
  EXPECT_EQ(absl::string_view(buf, 2), "\xFF\xFE");
  EXPECT_EQ(LoadBigEndian<int16_t>(buf), -2);
  StoreLittleEndian<int32_t>(buf, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(LoadLittleEndian<int32_t>(buf),
            std::numeric_limits<int32_t>::min());
  StoreBigEndian<int64_t>(buf, -1234567890123);
  EXPECT_EQ(LoadBigEndian<int64_t>(buf), -1234567890123);
  StoreLittleEndian<int8_t>(buf, -128);
  EXPECT_EQ(LoadLittleEndian<int8_t>(buf), -128);
}

TEST(Coding, LoadUnsignedReadsEveryWidth) {
  const char bytes[8] = {1, 2, 3, 4, 5, 6, 7, static_cast<char>(0xFF)};
  EXPECT_EQ(LoadUnsigned(bytes, 1, ByteOrder::kBigEndian), 1u);
  EXPECT_EQ(LoadUnsigned(bytes, 2, ByteOrder::kBigEndian), 0x0102u);
  EXPECT_EQ(LoadUnsigned(bytes, 2, ByteOrder::kLittleEndian), 0x0201u);
  EXPECT_EQ(LoadUnsigned(bytes, 3, ByteOrder::kBigEndian), 0x010203u);
  EXPECT_EQ(LoadUnsigned(bytes, 3, ByteOrder::kLittleEndian), 0x030201u);
  EXPECT_EQ(LoadUnsigned(bytes, 4, ByteOrder::kLittleEndian), 0x04030201u);
  EXPECT_EQ(LoadUnsigned(bytes, 8, ByteOrder::kBigEndian), 0x01020304050607FFu);
  for (size_t width = 1; width <= 8; ++width) {
    for (ByteOrder order : {ByteOrder::kBigEndian, ByteOrder::kLittleEndian}) {
      const uint64_t mask =
          width == 8 ? UINT64_MAX : (uint64_t{1} << (8 * width)) - 1;
      const uint64_t value = 0xF1E2D3C4B5A69788u & mask;
      char out[8];
      StoreUnsigned(out, width, order, value);
      EXPECT_EQ(LoadUnsigned(out, width, order), value) << width;
    }
  }
}

TEST(Coding, RopeStoreBackPatchesAcrossChunksAndCopiesOnWrite) {
  Rope rope =
      RopeFromPieces({std::string("xx\0", 3), std::string("\0\0\0yy", 5)});
  const Rope snapshot = rope;  // shares every chunk
  StoreBigEndian<uint32_t>(&rope, 2, 0xDEADBEEF);
  EXPECT_EQ(rope, absl::string_view("xx\xDE\xAD\xBE\xEFyy", 8));
  EXPECT_EQ(snapshot, absl::string_view("xx\0\0\0\0yy", 8));
  StoreLittleEndian<uint16_t>(&rope, 0, 0x4142);
  EXPECT_EQ(rope.ToString().substr(0, 2), "BA");
}

TEST(Coding, AppendWritesBothOrders) {
  Rope rope;
  AppendBigEndian<uint16_t>(&rope, 0x0102);
  AppendLittleEndian<uint32_t>(&rope, 0x03040506);
  AppendBigEndian<int64_t>(&rope, -1);
  EXPECT_EQ(rope, absl::string_view("\x01\x02\x06\x05\x04\x03"
                                    "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
                                    14));
}

TEST(Varint, KnownEncodings) {
  char buf[kMaxVarint64Length];
  EXPECT_EQ(std::string(buf, EncodeVarint64(buf, 0)), std::string("\x00", 1));
  EXPECT_EQ(std::string(buf, EncodeVarint64(buf, 1)), "\x01");
  EXPECT_EQ(std::string(buf, EncodeVarint64(buf, 127)), "\x7F");
  EXPECT_EQ(std::string(buf, EncodeVarint64(buf, 128)), "\x80\x01");
  EXPECT_EQ(std::string(buf, EncodeVarint64(buf, 300)), "\xAC\x02");
  EXPECT_EQ(std::string(buf, EncodeVarint32(buf, UINT32_MAX)),
            "\xFF\xFF\xFF\xFF\x0F");
  EXPECT_EQ(std::string(buf, EncodeVarint64(buf, UINT64_MAX)),
            "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01");
}

TEST(Varint, RoundTripsAroundPowersOfTwoWithEveryTruncation) {
  for (uint64_t value : PowerOfTwoValues()) {
    SCOPED_TRACE(value);
    char buf[kMaxVarint64Length];
    const size_t length = static_cast<size_t>(EncodeVarint64(buf, value) - buf);
    ASSERT_EQ(length, VarintLength(value));
    uint64_t decoded = 0;
    size_t used = 0;
    ASSERT_EQ(DecodeVarint64(absl::string_view(buf, length), &decoded, &used),
              DecodeStatus::kOk);
    EXPECT_EQ(decoded, value);
    EXPECT_EQ(used, length);
    for (size_t cut = 0; cut < length; ++cut) {
      uint64_t untouched = 42;
      size_t untouched_length = 43;
      EXPECT_EQ(DecodeVarint64(absl::string_view(buf, cut), &untouched,
                               &untouched_length),
                DecodeStatus::kNeedMore)
          << cut;
      EXPECT_EQ(untouched, 42u);
      EXPECT_EQ(untouched_length, 43u);
    }
    if (value <= UINT32_MAX) {
      uint32_t decoded32 = 0;
      ASSERT_EQ(
          DecodeVarint32(absl::string_view(buf, length), &decoded32, &used),
          DecodeStatus::kOk);
      EXPECT_EQ(decoded32, value);
      for (size_t cut = 0; cut < length; ++cut) {
        EXPECT_EQ(
            DecodeVarint32(absl::string_view(buf, cut), &decoded32, &used),
            DecodeStatus::kNeedMore);
      }
      char buf32[kMaxVarint32Length];
      EXPECT_EQ(std::string(
                    buf32, EncodeVarint32(buf32, static_cast<uint32_t>(value))),
                std::string(buf, length));
    } else {
      uint32_t decoded32 = 7;
      EXPECT_EQ(
          DecodeVarint32(absl::string_view(buf, length), &decoded32, &used),
          DecodeStatus::kMalformed);
      EXPECT_EQ(decoded32, 7u);
    }
    // Trailing bytes are not read.
    std::string padded(buf, length);
    padded += "\xFF\xFF";
    ASSERT_EQ(DecodeVarint64(padded, &decoded, &used), DecodeStatus::kOk);
    EXPECT_EQ(used, length);
  }
}

TEST(Varint, OverlongAndOverflowingAreMalformed) {
  uint64_t value = 5;
  size_t length = 6;
  // 11 bytes: ten continuation bytes and a terminator.
  const std::string eleven = std::string(10, '\x80') + std::string(1, '\0');
  EXPECT_EQ(DecodeVarint64(eleven, &value, &length), DecodeStatus::kMalformed);
  // Exactly ten continuation bytes: malformed already, not "need more".
  EXPECT_EQ(DecodeVarint64(std::string(10, '\xFF'), &value, &length),
            DecodeStatus::kMalformed);
  // Nine continuation bytes: still possibly valid.
  EXPECT_EQ(DecodeVarint64(std::string(9, '\xFF'), &value, &length),
            DecodeStatus::kNeedMore);
  // Tenth byte with bits beyond 64.
  EXPECT_EQ(DecodeVarint64(std::string(9, '\xFF') + "\x02", &value, &length),
            DecodeStatus::kMalformed);
  EXPECT_EQ(DecodeVarint64(std::string(9, '\x80') + "\x7F", &value, &length),
            DecodeStatus::kMalformed);
  EXPECT_EQ(value, 5u);
  EXPECT_EQ(length, 6u);
  // Tenth byte 0x01 is bit 63: fine.
  ASSERT_EQ(DecodeVarint64(std::string(9, '\x80') + "\x01", &value, &length),
            DecodeStatus::kOk);
  EXPECT_EQ(value, uint64_t{1} << 63);
  EXPECT_EQ(length, 10u);

  uint32_t v32 = 9;
  EXPECT_EQ(DecodeVarint32("\xFF\xFF\xFF\xFF\x10", &v32, &length),
            DecodeStatus::kMalformed);
  EXPECT_EQ(DecodeVarint32("\xFF\xFF\xFF\xFF\x8F", &v32, &length),
            DecodeStatus::kMalformed);
  EXPECT_EQ(DecodeVarint32(std::string(6, '\x80') + std::string(1, '\0'), &v32,
                           &length),
            DecodeStatus::kMalformed);
  EXPECT_EQ(DecodeVarint32("\xFF\xFF\xFF\xFF", &v32, &length),
            DecodeStatus::kNeedMore);
  EXPECT_EQ(v32, 9u);
  ASSERT_EQ(DecodeVarint32("\xFF\xFF\xFF\xFF\x0F", &v32, &length),
            DecodeStatus::kOk);
  EXPECT_EQ(v32, UINT32_MAX);
}

TEST(Varint, NonMinimalEncodingsAreAccepted) {
  uint64_t value = 1;
  size_t length = 0;
  ASSERT_EQ(DecodeVarint64(absl::string_view("\x80\x00", 2), &value, &length),
            DecodeStatus::kOk);
  EXPECT_EQ(value, 0u);
  EXPECT_EQ(length, 2u);
}

TEST(Varint, EmptyInputNeedsMore) {
  uint64_t value = 0;
  size_t length = 0;
  EXPECT_EQ(DecodeVarint64("", &value, &length), DecodeStatus::kNeedMore);
  uint32_t v32 = 0;
  EXPECT_EQ(DecodeVarint32("", &v32, &length), DecodeStatus::kNeedMore);
}

TEST(Varint, AppendMatchesEncode) {
  Rope rope;
  AppendVarint32(&rope, 300);
  AppendVarint64(&rope, UINT64_MAX);
  EXPECT_EQ(rope, "\xAC\x02\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01");
}

TEST(ZigZag, MapsSmallMagnitudesToSmallValues) {
  EXPECT_EQ(ZigZagEncode32(0), 0u);
  EXPECT_EQ(ZigZagEncode32(-1), 1u);
  EXPECT_EQ(ZigZagEncode32(1), 2u);
  EXPECT_EQ(ZigZagEncode32(-2), 3u);
  EXPECT_EQ(ZigZagEncode32(std::numeric_limits<int32_t>::max()), 0xFFFFFFFEu);
  EXPECT_EQ(ZigZagEncode32(std::numeric_limits<int32_t>::min()), 0xFFFFFFFFu);
  EXPECT_EQ(ZigZagEncode64(std::numeric_limits<int64_t>::min()), UINT64_MAX);
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-64},
                    int64_t{63}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(ZigZagDecode64(ZigZagEncode64(v)), v);
  }
  for (int32_t v : {0, -1, 1, std::numeric_limits<int32_t>::min(),
                    std::numeric_limits<int32_t>::max()}) {
    EXPECT_EQ(ZigZagDecode32(ZigZagEncode32(v)), v);
  }
  static_assert(ZigZagEncode64(-3) == 5, "constexpr");
}

}  // namespace
}  // namespace bytesio
