// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_decoder.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {

class FrameDecoderTestPeer {
 public:
  static size_t ScanFrom(const FrameDecoder& decoder) {
    return decoder.scan_from_;
  }
};

namespace {

using Result = FrameDecoder::Result;
using ::testing::HasSubstr;

// Encodes one frame for `framing` independently of FrameWriter:
// [before (field_offset bytes)][length field][rest]. Returns the stream
// bytes; *expected gets what Next() should return.
std::string EncodeFrame(const LengthFieldFraming& f, absl::string_view rest,
                        std::string* expected) {
  const std::string before(f.field_offset, 'h');
  const size_t total = f.field_offset + f.field_size + rest.size();
  const int64_t value =
      static_cast<int64_t>(f.length_counts_header ? total : rest.size()) -
      f.length_adjustment;
  char field[8];
  StoreUnsigned(field, f.field_size, f.byte_order,
                static_cast<uint64_t>(value));
  std::string frame =
      before + std::string(field, f.field_size) + std::string(rest);
  if (expected != nullptr) {
    const size_t strip =
        f.bytes_to_strip == LengthFieldFraming::kStripThroughLengthField
            ? f.field_offset + f.field_size
            : f.bytes_to_strip;
    *expected = frame.substr(strip);
  }
  return frame;
}

std::string EncodeVarintFrame(absl::string_view payload) {
  char buf[kMaxVarint64Length];
  return std::string(buf, EncodeVarint64(buf, payload.size())) +
         std::string(payload);
}

// Appends `piece` as a chunk of its own (no coalescing into the tail), so
// that chunk boundaries fall exactly between pieces.
void AppendOwnChunk(FrameDecoder* decoder, absl::string_view piece) {
  if (piece.empty()) return;
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(piece.size());
  std::memcpy(buffer.data(), piece.data(), piece.size());
  buffer.SetLength(piece.size());
  decoder->mutable_buffer()->Append(std::move(buffer));
}

// Every header kind the tests sweep: widths, orders, counting modes,
// offsets, adjustments and strips.
std::vector<LengthFieldFraming> AllLengthFramings() {
  std::vector<LengthFieldFraming> all;
  for (size_t size : {1, 2, 4, 8}) {
    for (ByteOrder order : {ByteOrder::kBigEndian, ByteOrder::kLittleEndian}) {
      for (bool counts : {false, true}) {
        LengthFieldFraming f;
        f.field_size = size;
        f.byte_order = order;
        f.length_counts_header = counts;
        all.push_back(f);
        // [3 bytes][len][2 bytes not counted by len][body], header kept.
        f.field_offset = 3;
        f.length_adjustment = counts ? 0 : 2;
        f.bytes_to_strip = 0;
        all.push_back(f);
        f.bytes_to_strip = LengthFieldFraming::kStripThroughLengthField;
        all.push_back(f);
      }
      // Header counted through a negative adjustment instead of the flag.
      LengthFieldFraming g;
      g.field_size = size;
      g.byte_order = order;
      g.length_adjustment = -static_cast<int64_t>(size);
      all.push_back(g);
    }
  }
  return all;
}

std::string Describe(const LengthFieldFraming& f) {
  return absl::StrCat(
      "size=", f.field_size,
      f.byte_order == ByteOrder::kBigEndian ? " BE" : " LE",
      " counts=", f.length_counts_header, " offset=", f.field_offset,
      " adj=", f.length_adjustment, " strip=",
      f.bytes_to_strip == LengthFieldFraming::kStripThroughLengthField
          ? std::string("header")
          : std::to_string(f.bytes_to_strip));
}

TEST(FrameDecoder, DecodesBackToBackFramesAndWaitsForMore) {
  FrameDecoder decoder(LengthFieldFraming{});
  Rope frame;
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  decoder.Append(
      absl::string_view("\0\0\0\x03"
                        "abc"
                        "\0\0\0\x00"
                        "\0\0",
                        13));
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "abc");
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "");
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  EXPECT_EQ(decoder.buffered().size(), 2u);
  decoder.Append(absl::string_view("\0\x02z", 3));
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  decoder.Append("y");
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "zy");
  EXPECT_TRUE(decoder.buffered().empty());
  EXPECT_OK(decoder.status());
}

TEST(FrameDecoder, EveryHeaderKindAtEveryTruncationLength) {
  for (const LengthFieldFraming& f : AllLengthFramings()) {
    SCOPED_TRACE(Describe(f));
    for (size_t body : {0, 1, 17, 200}) {
      std::string expected;
      const std::string rest(body + (f.field_offset == 3 ? 2 : 0), 'r');
      std::string stream = EncodeFrame(f, rest, &expected);
      for (size_t cut = 0; cut < stream.size(); ++cut) {
        FrameDecoder decoder(f);
        Rope frame(absl::string_view("untouched"));
        decoder.Append(absl::string_view(stream).substr(0, cut));
        ASSERT_EQ(decoder.Next(&frame), Result::kNeedMore) << cut;
        EXPECT_EQ(frame, "untouched");
        decoder.Append(absl::string_view(stream).substr(cut));
        ASSERT_EQ(decoder.Next(&frame), Result::kFrame) << cut;
        EXPECT_EQ(frame, expected);
        EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
      }
    }
  }
}

TEST(FrameDecoder, HeaderSplitAcrossChunksAtEveryPoint) {
  for (const LengthFieldFraming& f : AllLengthFramings()) {
    SCOPED_TRACE(Describe(f));
    std::string expected1, expected2;
    const size_t extra = f.field_offset == 3 ? 2 : 0;
    const std::string stream =
        EncodeFrame(f, std::string(40 + extra, 'a'), &expected1) +
        EncodeFrame(f, std::string(3 + extra, 'b'), &expected2);
    for (size_t a = 1; a < stream.size(); ++a) {
      for (size_t b = a; b < stream.size(); b += 7) {
        FrameDecoder decoder(f);
        AppendOwnChunk(&decoder, absl::string_view(stream).substr(0, a));
        AppendOwnChunk(&decoder, absl::string_view(stream).substr(a, b - a));
        AppendOwnChunk(&decoder, absl::string_view(stream).substr(b));
        Rope frame;
        ASSERT_EQ(decoder.Next(&frame), Result::kFrame) << a << " " << b;
        EXPECT_EQ(frame, expected1);
        ASSERT_EQ(decoder.Next(&frame), Result::kFrame) << a << " " << b;
        EXPECT_EQ(frame, expected2);
        EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
      }
    }
  }
}

TEST(FrameDecoder, HugeDeclaredLengthFailsBeforeAnyBodyByte) {
  struct Case {
    size_t size;
    uint64_t value;
  };
  for (const Case& c :
       {Case{4, 0xFFFFFFFFu}, Case{8, UINT64_MAX}, Case{8, uint64_t{1} << 62},
        Case{8, uint64_t{1} << 32}, Case{2, 1025}}) {
    for (bool counts : {false, true}) {
      LengthFieldFraming f;
      f.field_size = c.size;
      f.length_counts_header = counts;
      FrameDecoder decoder(f, /*max_frame_size=*/1024);
      char field[8];
      StoreUnsigned(field, c.size, ByteOrder::kBigEndian, c.value);
      decoder.Append(absl::string_view(field, c.size));  // header only
      Rope frame;
      ASSERT_EQ(decoder.Next(&frame), Result::kError) << c.value;
      EXPECT_THAT(
          decoder.status(),
          StatusIs(absl::StatusCode::kResourceExhausted,
                   HasSubstr("exceeds the maximum frame size of 1024")));
      EXPECT_TRUE(frame.empty());
    }
  }
}

TEST(FrameDecoder, MaximumIsInclusiveAndCountsTheHeader) {
  FrameDecoder decoder(LengthFieldFraming{}, /*max_frame_size=*/14);
  decoder.Append(
      absl::string_view("\0\0\0\x0A"
                        "0123456789",
                        14));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "0123456789");
  decoder.Append(absl::string_view("\0\0\0\x0B", 4));
  EXPECT_EQ(decoder.Next(&frame), Result::kError);
}

TEST(FrameDecoder, ErrorIsKeptUntilResetAndBytesStay) {
  FrameDecoder decoder(LengthFieldFraming{}, 100);
  decoder.Append(
      absl::string_view("\0\0\0\x02"
                        "ok"
                        "\x7F\0\0\0"
                        "junk",
                        14));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "ok");
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  const absl::Status first = decoder.status();
  EXPECT_THAT(first, StatusIs(absl::StatusCode::kResourceExhausted));
  // Refuses further frames, even well-formed ones appended later.
  decoder.Append(
      absl::string_view("\0\0\0\x01"
                        "x",
                        5));
  EXPECT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_EQ(decoder.status(), first);
  EXPECT_EQ(frame, "ok");
  // The bad frame's bytes are kept for diagnostics.
  EXPECT_TRUE(
      decoder.buffered().StartsWith(absl::string_view("\x7F\0\0\0", 4)));
  decoder.Reset();
  EXPECT_OK(decoder.status());
  EXPECT_TRUE(decoder.buffered().empty());
  decoder.Append(
      absl::string_view("\0\0\0\x01"
                        "y",
                        5));
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "y");
}

TEST(FrameDecoder, LengthSmallerThanHeaderIsDataLoss) {
  LengthFieldFraming f;
  f.length_counts_header = true;
  FrameDecoder decoder(f);
  decoder.Append(
      absl::string_view("\0\0\0\x03"
                        "abc",
                        7));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_THAT(decoder.status(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("shorter than")));

  LengthFieldFraming g;
  g.length_adjustment = -5;  // value 2 -> frame of 4 + 2 - 5 = 1 byte
  FrameDecoder decoder2(g);
  decoder2.Append(absl::string_view("\0\0\0\x02", 4));
  EXPECT_EQ(decoder2.Next(&frame), Result::kError);
  EXPECT_THAT(decoder2.status(), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(FrameDecoder, StripLongerThanFrameIsDataLoss) {
  LengthFieldFraming f;
  f.field_size = 1;
  f.length_counts_header = true;
  f.bytes_to_strip = 3;
  FrameDecoder decoder(f);
  decoder.Append(
      absl::string_view("\x02"
                        "a",
                        2));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_THAT(decoder.status(),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("to strip")));
}

// The frame size of a length-field header, as frame_decoder.h defines it,
// in 128 bits (no overflow for any field, value and adjustment).
__int128 ExactFrameSize(const LengthFieldFraming& f, uint64_t value) {
  const __int128 header = f.field_offset + f.field_size;
  return static_cast<__int128>(value) + f.length_adjustment +
         (f.length_counts_header ? 0 : header);
}

// Regression: 2^62 + (2^62 - 1) + 8 overflowed int64 (UBSan:
// "9223372036854775807
// + 8"), and the wrapped size gave DataLoss "frame of -9223372036854775801
// bytes" instead of ResourceExhausted.
TEST(FrameDecoder, HugeValuePlusHugeAdjustmentIsResourceExhausted) {
  LengthFieldFraming f;
  f.field_size = 8;
  f.length_adjustment = (int64_t{1} << 62) - 1;
  FrameDecoder decoder(f);
  ASSERT_OK(decoder.status());
  char field[8];
  StoreUnsigned(field, 8, ByteOrder::kBigEndian, uint64_t{1} << 62);
  decoder.Append(absl::string_view(field, 8));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_THAT(decoder.status(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("gives a frame of 9223372036854775815 bytes, "
                                 "which exceeds the maximum frame size")));
}

// Every width, counting mode, offset and byte order, against adjustments
// around 0, +-2^62 (within a header's width on both sides of the accepted
// bound) and the int64 extremes, with values around 0, 2^32, 2^62, 2^63 and
// the field's maximum: each gives the frame, kNeedMore, or the documented
// status. Run under --config=ubsan, any overflow in the arithmetic aborts.
TEST(FrameDecoder, LengthArithmeticIsExactForEveryWidthOffsetAndAdjustment) {
  constexpr int64_t kBound = int64_t{1} << 62;
  std::vector<int64_t> adjustments = {0,
                                      1,
                                      -1,
                                      8,
                                      -8,
                                      11,
                                      -11,
                                      INT64_MIN,
                                      INT64_MIN + 1,
                                      INT64_MAX,
                                      INT64_MAX - 1};
  for (int64_t d = -12; d <= 12; ++d) {
    adjustments.push_back(kBound + d);
    adjustments.push_back(-kBound + d);
  }
  std::vector<uint64_t> centres = {0, uint64_t{1} << 32, uint64_t{1} << 62,
                                   uint64_t{1} << 63, 0 - (uint64_t{1} << 62)};
  int frames = 0, need_more = 0, data_loss = 0, exhausted = 0, invalid = 0;
  for (size_t size = 1; size <= 8; ++size) {
    const uint64_t field_max =
        size == 8 ? UINT64_MAX : (uint64_t{1} << (8 * size)) - 1;
    // Reduced to the field's width (narrow fields see their low bytes).
    std::set<uint64_t> values;
    for (uint64_t c : centres) {
      for (uint64_t d = 0; d <= 12; ++d) {
        values.insert((c + d) & field_max);
        values.insert((c - d) & field_max);  // wraps near 2^64: also wanted
      }
    }
    for (uint64_t d = 0; d <= 12; ++d) values.insert(field_max - d);
    for (size_t offset : {size_t{0}, size_t{3}}) {
      for (bool counts : {false, true}) {
        for (int64_t adjustment : adjustments) {
          LengthFieldFraming f;
          f.field_size = size;
          f.field_offset = offset;
          f.length_counts_header = counts;
          f.length_adjustment = adjustment;
          f.byte_order =
              size % 2 == 0 ? ByteOrder::kBigEndian : ByteOrder::kLittleEndian;
          const size_t header = offset + size;
          for (size_t max :
               {size_t{64}, size_t{FrameDecoder::kMaxFrameSizeLimit}}) {
            SCOPED_TRACE(absl::StrCat(Describe(f), " max=", max));
            FrameDecoder decoder(f, max);
            const bool valid = adjustment < kBound && adjustment > -kBound;
            if (!valid) {
              ++invalid;
              EXPECT_THAT(decoder.status(),
                          StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("length_adjustment")));
              decoder.Append(std::string(64, '\0'));
              Rope frame;
              EXPECT_EQ(decoder.Next(&frame), Result::kError);
              continue;
            }
            ASSERT_OK(decoder.status());
            for (uint64_t value : values) {
              decoder.Reset();
              char field[8];
              StoreUnsigned(field, size, f.byte_order, value);
              decoder.Append(std::string(offset, 'h'));
              decoder.Append(absl::string_view(field, size));
              const __int128 total = ExactFrameSize(f, value);
              Rope frame(absl::string_view("untouched"));
              const Result r = decoder.Next(&frame);
              if (total < static_cast<__int128>(header)) {
                ++data_loss;
                ASSERT_EQ(r, Result::kError) << "value " << value;
                EXPECT_THAT(decoder.status(),
                            StatusIs(absl::StatusCode::kDataLoss,
                                     HasSubstr("shorter than its")))
                    << "value " << value;
              } else if (total > static_cast<__int128>(max)) {
                ++exhausted;
                ASSERT_EQ(r, Result::kError) << "value " << value;
                EXPECT_THAT(decoder.status(),
                            StatusIs(absl::StatusCode::kResourceExhausted,
                                     HasSubstr("exceeds the maximum")))
                    << "value " << value;
              } else if (total == static_cast<__int128>(header)) {
                ++frames;
                ASSERT_EQ(r, Result::kFrame) << "value " << value;
                EXPECT_EQ(frame, "") << "value " << value;
              } else {
                // A legal size: waits for the body, then returns it.
                ++need_more;
                ASSERT_EQ(r, Result::kNeedMore) << "value " << value;
                EXPECT_EQ(frame, "untouched") << "value " << value;
                const size_t body = static_cast<size_t>(total) - header;
                if (body <= 64) {
                  decoder.Append(std::string(body, 'b'));
                  ASSERT_EQ(decoder.Next(&frame), Result::kFrame)
                      << "value " << value;
                  EXPECT_EQ(frame, std::string(body, 'b')) << "value " << value;
                  ++frames;
                }
              }
            }
          }
        }
      }
    }
  }
  // Every outcome is actually reached by the sweep.
  EXPECT_GT(frames, 0);
  EXPECT_GT(need_more, 0);
  EXPECT_GT(data_loss, 0);
  EXPECT_GT(exhausted, 0);
  EXPECT_GT(invalid, 0);
}

// A huge value brought back into range by a huge negative adjustment is an
// ordinary frame (the size is exact, not refused for its terms' sizes).
TEST(FrameDecoder, HugeValueWithHugeNegativeAdjustmentIsAFrame) {
  LengthFieldFraming f;
  f.field_size = 8;
  f.length_adjustment = -((int64_t{1} << 62) - 1);
  FrameDecoder decoder(f);
  char field[8];
  StoreUnsigned(field, 8, ByteOrder::kBigEndian, (uint64_t{1} << 62) + 2);
  decoder.Append(absl::string_view(field, 8));
  decoder.Append("abc");  // value + adjustment = 3 body bytes
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "abc");
}

TEST(FrameDecoder, NegativeSizeIsDataLossWithTheNegativeSize) {
  LengthFieldFraming f;
  f.field_size = 1;
  f.length_adjustment = -((int64_t{1} << 62) - 1);
  FrameDecoder decoder(f);
  decoder.Append(absl::string_view("\x05", 1));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  // 5 + 1 - (2^62 - 1)
  EXPECT_THAT(decoder.status(),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("frame of -4611686018427387897 bytes")));
}

TEST(FrameDecoder, InvalidOptionsAreInvalidArgumentInEveryBuild) {
  struct Case {
    const char* name;
    LengthFieldFraming framing;
    size_t max;
    const char* message;
  };
  auto framing = [](size_t size, size_t offset, int64_t adjustment) {
    LengthFieldFraming f;
    f.field_size = size;
    f.field_offset = offset;
    f.length_adjustment = adjustment;
    return f;
  };
  const size_t kLimit = FrameDecoder::kMaxFrameSizeLimit;
  const int64_t kBound = static_cast<int64_t>(kLimit);
  for (const Case& c : {
           Case{"size 0", framing(0, 0, 0), 1024, "field_size is 0"},
           Case{"size 9", framing(9, 0, 0), 1024, "field_size is 9"},
           Case{"size max", framing(SIZE_MAX, 0, 0), 1024, "field_size"},
           Case{"offset max", framing(4, SIZE_MAX, 0), 1024, "field_offset"},
           Case{"offset over limit", framing(4, kLimit - 3, 0), kLimit,
                "field_offset"},
           Case{"adjustment 2^62", framing(4, 0, kBound), 1024,
                "length_adjustment is 4611686018427387904"},
           Case{"adjustment -2^62", framing(4, 0, -kBound), 1024,
                "length_adjustment"},
           Case{"adjustment INT64_MIN", framing(4, 0, INT64_MIN), 1024,
                "length_adjustment"},
           Case{"adjustment INT64_MAX", framing(4, 0, INT64_MAX), 1024,
                "length_adjustment"},
           Case{"max 0", framing(4, 0, 0), 0, "max_frame_size is 0"},
           Case{"max over limit", framing(4, 0, 0), kLimit + 1,
                "max_frame_size"},
           Case{"max below header", framing(4, 3, 0), 6,
                "less than the 7-byte header"},
       }) {
    SCOPED_TRACE(c.name);
    FrameDecoder decoder(c.framing, c.max);
    EXPECT_THAT(decoder.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr(c.message)));
    decoder.Append(std::string(100, '\0'));
    Rope frame(absl::string_view("untouched"));
    EXPECT_EQ(decoder.Next(&frame), Result::kError);
    EXPECT_EQ(frame, "untouched");
    decoder.Reset();  // keeps the configuration, and so the error
    EXPECT_THAT(decoder.status(), StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(decoder.Next(&frame), Result::kError);
  }
  // The limits themselves are accepted.
  EXPECT_OK(FrameDecoder(framing(8, kLimit - 8, kBound - 1), kLimit).status());
  EXPECT_OK(FrameDecoder(framing(1, 0, -(kBound - 1)), 1).status());
  EXPECT_OK(FrameDecoder(VarintFraming{}, kLimit).status());
  EXPECT_THAT(FrameDecoder(VarintFraming{}, 0).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FrameDecoder(VarintFraming{}, kLimit + 1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Regression: an empty delimiter was only an assert; with -DNDEBUG every
// Next() returned another empty frame, forever.
TEST(FrameDecoder, EmptyDelimiterIsInvalidArgumentNotEndlessFrames) {
  for (bool strip : {true, false}) {
    DelimiterFraming framing;
    framing.delimiter = "";
    framing.strip_delimiter = strip;
    EXPECT_THAT(ValidateFraming(framing),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("delimiter is empty")));
    FrameDecoder decoder(framing);
    EXPECT_THAT(decoder.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("delimiter is empty")));
    Rope frame(absl::string_view("untouched"));
    EXPECT_EQ(decoder.Next(&frame), Result::kError);
    decoder.Append("abc\r\n");
    // Unlike an oversized frame, nothing recovers: the same error each time.
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(decoder.Next(&frame), Result::kError);
      EXPECT_THAT(decoder.status(),
                  StatusIs(absl::StatusCode::kInvalidArgument));
    }
    EXPECT_EQ(frame, "untouched");
    decoder.Reset();
    EXPECT_EQ(decoder.Next(&frame), Result::kError);
  }
  DelimiterFraming zero_max;
  EXPECT_THAT(FrameDecoder(zero_max, 0).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("max_frame_size")));
  EXPECT_OK(FrameDecoder(DelimiterFraming{}).status());
}

TEST(FrameDecoder, VarintFramingAtEveryTruncationAndSplit) {
  for (size_t body : {0, 1, 127, 128, 300, 20000}) {
    const std::string payload(body, 'p');
    const std::string stream =
        EncodeVarintFrame(payload) + EncodeVarintFrame("q");
    const size_t first_size = stream.size() - 2;
    for (size_t cut = 0; cut < stream.size(); cut += (body > 300 ? 97 : 1)) {
      FrameDecoder decoder{VarintFraming{}};
      Rope frame;
      AppendOwnChunk(&decoder, absl::string_view(stream).substr(0, cut));
      if (cut < first_size) {
        ASSERT_EQ(decoder.Next(&frame), Result::kNeedMore) << cut;
      }
      AppendOwnChunk(&decoder, absl::string_view(stream).substr(cut));
      if (cut >= first_size) {
        // Already complete before the second piece.
      }
      ASSERT_EQ(decoder.Next(&frame), Result::kFrame) << cut;
      EXPECT_EQ(frame, payload);
      ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
      EXPECT_EQ(frame, "q");
      EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    }
  }
}

TEST(FrameDecoder, MalformedVarintPrefixIsDataLoss) {
  for (const std::string& bad :
       {std::string(10, '\x80') + std::string(1, '\0'),
        std::string(9, '\xFF') + "\x02", std::string(10, '\xFF')}) {
    for (size_t split = 1; split < bad.size(); ++split) {
      FrameDecoder decoder{VarintFraming{}};
      AppendOwnChunk(&decoder, bad.substr(0, split));
      AppendOwnChunk(&decoder, bad.substr(split));
      Rope frame;
      ASSERT_EQ(decoder.Next(&frame), Result::kError);
      EXPECT_THAT(decoder.status(),
                  StatusIs(absl::StatusCode::kDataLoss, HasSubstr("varint")));
      EXPECT_EQ(decoder.Next(&frame), Result::kError);
    }
  }
  // Nine continuation bytes may still become valid.
  FrameDecoder decoder{VarintFraming{}};
  decoder.Append(std::string(9, '\x80'));
  Rope frame;
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
}

TEST(FrameDecoder, VarintLengthOverMaximumFailsAtOnce) {
  for (uint64_t declared : {uint64_t{1025}, uint64_t{1} << 32, UINT64_MAX}) {
    FrameDecoder decoder(VarintFraming{}, 1024);
    char buf[kMaxVarint64Length];
    decoder.Append(absl::string_view(
        buf, static_cast<size_t>(EncodeVarint64(buf, declared) - buf)));
    Rope frame;
    ASSERT_EQ(decoder.Next(&frame), Result::kError) << declared;
    EXPECT_THAT(decoder.status(),
                StatusIs(absl::StatusCode::kResourceExhausted));
  }
  // 1022 + 2 header bytes = 1024: fits exactly.
  FrameDecoder decoder(VarintFraming{}, 1024);
  decoder.Append(EncodeVarintFrame(std::string(1022, 'x')));
  Rope frame;
  EXPECT_EQ(decoder.Next(&frame), Result::kFrame);
}

// The in-chunk fast path and the general path must agree at the smallest
// maxima, where a varint header alone can exceed the maximum (max - header
// would wrap), for both forms and both header shapes that have a fast path.
TEST(FrameDecoder, TinyMaximaAgreeOnTheFastAndGeneralPaths) {
  for (bool view : {false, true}) {
    SCOPED_TRACE(view ? "NextView" : "Next");
    auto next = [view](FrameDecoder& decoder, std::string* out) {
      if (view) {
        absl::string_view frame;
        const Result result = decoder.NextView(&frame);
        out->assign(frame.data(), frame.size());
        return result;
      }
      Rope frame;
      const Result result = decoder.Next(&frame);
      *out = frame.ToString();
      return result;
    };
    std::string frame;
    {
      // max 1: an empty frame (a one-byte header) fits, one body byte not.
      FrameDecoder decoder(VarintFraming{}, 1);
      decoder.Append(absl::string_view("\x00\x00\x01z", 4));
      EXPECT_EQ(next(decoder, &frame), Result::kFrame);
      EXPECT_EQ(frame, "");
      EXPECT_EQ(next(decoder, &frame), Result::kFrame);
      EXPECT_EQ(next(decoder, &frame), Result::kError);
      EXPECT_THAT(decoder.status(),
                  StatusIs(absl::StatusCode::kResourceExhausted));
    }
    {
      // A two-byte varint declaring 0 under a maximum of 1.
      FrameDecoder decoder(VarintFraming{}, 1);
      decoder.Append(absl::string_view("\x80\x00", 2));
      EXPECT_EQ(next(decoder, &frame), Result::kError);
      EXPECT_THAT(decoder.status(),
                  StatusIs(absl::StatusCode::kResourceExhausted));
    }
    for (ByteOrder order : {ByteOrder::kBigEndian, ByteOrder::kLittleEndian}) {
      // max 5: a 4-byte length field and one body byte fit, two do not.
      LengthFieldFraming framing;
      framing.byte_order = order;
      FrameDecoder decoder(framing, 5);
      const bool big = order == ByteOrder::kBigEndian;
      decoder.Append(big ? absl::string_view("\0\0\0\1a\0\0\0\2bc", 11)
                         : absl::string_view("\1\0\0\0a\2\0\0\0bc", 11));
      EXPECT_EQ(next(decoder, &frame), Result::kFrame);
      EXPECT_EQ(frame, "a");
      EXPECT_EQ(next(decoder, &frame), Result::kError);
      EXPECT_THAT(decoder.status(),
                  StatusIs(absl::StatusCode::kResourceExhausted));
    }
  }
}

TEST(FrameDecoder, DelimitedFramesWithEverySplitOfTheDelimiter) {
  for (const std::string& delimiter :
       {std::string("\n"), std::string("\r\n"), std::string("--sep--")}) {
    for (bool strip : {true, false}) {
      DelimiterFraming framing;
      framing.delimiter = delimiter;
      framing.strip_delimiter = strip;
      const std::vector<std::string> bodies = {"hello", "", "a-b-sep-", "x"};
      std::string stream;
      for (const std::string& body : bodies) stream += body + delimiter;
      for (size_t a = 0; a <= stream.size(); ++a) {
        for (size_t b = a; b <= stream.size(); ++b) {
          FrameDecoder decoder(framing);
          std::vector<std::string> got;
          Rope frame;
          for (absl::string_view piece :
               {absl::string_view(stream).substr(0, a),
                absl::string_view(stream).substr(a, b - a),
                absl::string_view(stream).substr(b)}) {
            AppendOwnChunk(&decoder, piece);
            Result r;
            while ((r = decoder.Next(&frame)) == Result::kFrame) {
              got.push_back(frame.ToString());
            }
            ASSERT_EQ(r, Result::kNeedMore);
          }
          std::vector<std::string> want;
          for (const std::string& body : bodies) {
            want.push_back(strip ? body : body + delimiter);
          }
          ASSERT_EQ(got, want) << delimiter << " " << a << " " << b;
        }
      }
    }
  }
}

TEST(FrameDecoder, DelimiterSearchResumesWhereItStopped) {
  DelimiterFraming framing;
  framing.delimiter = "\r\n";
  FrameDecoder decoder(framing);
  Rope frame;
  std::string sent;
  for (int i = 0; i < 1000; ++i) {
    decoder.Append("abc\r");
    sent += "abc\r";
    ASSERT_EQ(decoder.Next(&frame), Result::kNeedMore);
    // Everything but the last byte (a possible delimiter start) was scanned.
    EXPECT_EQ(FrameDecoderTestPeer::ScanFrom(decoder), sent.size() - 1);
  }
  decoder.Append("\n");
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame.size(), sent.size() - 1);
  EXPECT_EQ(FrameDecoderTestPeer::ScanFrom(decoder), 0u);
}

TEST(FrameDecoder, DelimiterNeverFoundWithinMaximumFailsThenSkips) {
  DelimiterFraming framing;
  framing.delimiter = "\r\n";
  FrameDecoder decoder(framing, /*max_frame_size=*/10);
  Rope frame;
  decoder.Append("0123456789");  // 10 bytes: a delimiter could still follow
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  decoder.Append("A");  // 11 bytes and no "\r\n": even "\r\n" next is late
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  decoder.Append("\r");  // 12 = max + 2 bytes: hopeless
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_THAT(decoder.status(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("no delimiter within the maximum frame size "
                                 "of 10 bytes")));
  // Memory stays bounded while skipping: only a possible delimiter start.
  EXPECT_LE(decoder.buffered().size(), 1u);
  decoder.Append(std::string(100000, 'z'));
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  EXPECT_LE(decoder.buffered().size(), 1u);
  // The oversized frame ends at the next delimiter; decoding resumes.
  decoder.Append("zz\r\nnext\r\n");
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "next");
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
}

TEST(FrameDecoder, DelimiterSplitRightAtTheMaximumBoundary) {
  DelimiterFraming framing;
  framing.delimiter = "\r\n";
  FrameDecoder decoder(framing, /*max_frame_size=*/10);
  Rope frame;
  decoder.Append("0123456789\r");  // max + d - 1 bytes: still possible
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  decoder.Append("\n");
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "0123456789");
}

TEST(FrameDecoder, DelimitedFrameOverMaximumIsSkipped) {
  DelimiterFraming framing;
  framing.delimiter = "\n";
  FrameDecoder decoder(framing, /*max_frame_size=*/4);
  decoder.Append("toolong\nok\n");
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_THAT(decoder.status(), StatusIs(absl::StatusCode::kResourceExhausted,
                                         HasSubstr("frame of 7 bytes")));
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "ok");
}

TEST(FrameDecoder, FramesShareTheReceivedChunks) {
  // Frames of 600..1500 bytes in one 20 KB chunk and across chunks.
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  std::string stream;
  std::vector<std::string> payloads;
  for (int i = 0; i < 30; ++i) {
    payloads.push_back(RandomBytes(rng, 600 + rng() % 900));
    stream += EncodeFrame(LengthFieldFraming{}, payloads.back(), nullptr);
  }
  const Rope received =
      RopeFromPieces({stream.substr(0, 20000), stream.substr(20000, 5000),
                      stream.substr(25000)});
  FrameDecoder decoder(LengthFieldFraming{});
  decoder.Append(received);
  size_t offset = 0;
  const char* first_chunk = (*received.Chunks().begin()).data();
  for (const std::string& payload : payloads) {
    Rope frame;
    ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
    ASSERT_EQ(frame, payload);
    EXPECT_TRUE(SharesMemoryWith(frame, received));
    if (offset + 4 + payload.size() <= 20000) {
      // Inside the first chunk: exactly the bytes after the header.
      ASSERT_EQ(ChunkCount(frame), 1u);
      EXPECT_EQ((*frame.Chunks().begin()).data(), first_chunk + offset + 4);
    }
    offset += 4 + payload.size();
  }
}

TEST(FrameDecoder, ConsumedChunksAreReleasedAtOnce) {
  // Chunk A: frame 1 (1000-byte body) and the first 500 bytes of frame 2;
  // chunk B: the rest of frame 2 and frame 3.
  std::string body1(1000, '1'), body2(1200, '2'), body3(800, '3');
  const std::string stream = EncodeFrame(LengthFieldFraming{}, body1, nullptr) +
                             EncodeFrame(LengthFieldFraming{}, body2, nullptr) +
                             EncodeFrame(LengthFieldFraming{}, body3, nullptr);
  const size_t a_size = 1004 + 500;
  auto* a_bytes = new std::string(stream.substr(0, a_size));
  auto* b_bytes = new std::string(stream.substr(a_size));
  bool a_released = false, b_released = false;
  FrameDecoder decoder(LengthFieldFraming{});
  decoder.Append(Rope::FromExternal(*a_bytes, [&a_released, a_bytes] {
    a_released = true;
    delete a_bytes;
  }));
  Rope frame1;
  ASSERT_EQ(decoder.Next(&frame1), Result::kFrame);
  EXPECT_EQ(frame1, body1);
  EXPECT_EQ(decoder.Next(&frame1), Result::kNeedMore);
  frame1.Clear();
  EXPECT_FALSE(a_released);  // the buffer still holds frame 2's start
  decoder.Append(Rope::FromExternal(*b_bytes, [&b_released, b_bytes] {
    b_released = true;
    delete b_bytes;
  }));
  Rope frame2;
  ASSERT_EQ(decoder.Next(&frame2), Result::kFrame);
  EXPECT_EQ(frame2, body2);
  EXPECT_FALSE(a_released);  // frame 2 shares A
  frame2.Clear();
  EXPECT_TRUE(a_released);  // A's last bytes consumed and dropped: freed now
  EXPECT_FALSE(b_released);
  Rope frame3;
  ASSERT_EQ(decoder.Next(&frame3), Result::kFrame);
  EXPECT_EQ(frame3, body3);
  EXPECT_TRUE(decoder.buffered().empty());
  EXPECT_FALSE(b_released);
  frame3.Clear();
  EXPECT_TRUE(b_released);
}

TEST(FrameDecoder, ReadsInPlaceThroughMutableBuffer) {
  FrameDecoder decoder(LengthFieldFraming{});
  RopeBuffer buffer = decoder.mutable_buffer()->GetAppendBuffer(64);
  const std::string frame_bytes =
      EncodeFrame(LengthFieldFraming{}, "abc", nullptr);
  std::memcpy(buffer.available().data(), frame_bytes.data(),
              frame_bytes.size());
  buffer.IncreaseLength(frame_bytes.size());
  decoder.mutable_buffer()->Append(std::move(buffer));
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "abc");
}

// Property: a random stream of frames cut into random pieces and fed by
// random means decodes to exactly the frames encoded.
TEST(FrameDecoder, RandomStreamsCutRandomlyDecodeExactly) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  std::mt19937_64 rng(seed);
  const std::vector<RopeShape> shapes = AllRopeShapes();
  for (int iteration = 0; iteration < 60; ++iteration) {
    SCOPED_TRACE(iteration);
    const int kind = static_cast<int>(rng() % 6);
    LengthFieldFraming lf;
    DelimiterFraming df;
    if (kind == 1) {
      lf.field_size = 2;
      lf.byte_order = ByteOrder::kLittleEndian;
      lf.length_counts_header = true;
      lf.field_offset = 1;
      lf.length_adjustment = 1;
      lf.bytes_to_strip = 0;
    } else if (kind == 2) {
      lf.field_size = 8;
    } else if (kind == 5) {
      df.delimiter = "\n";
      df.strip_delimiter = false;
    }
    std::unique_ptr<FrameDecoder> decoder;
    if (kind <= 2) {
      decoder = std::make_unique<FrameDecoder>(lf);
    } else if (kind == 3) {
      decoder = std::make_unique<FrameDecoder>(VarintFraming{});
    } else {
      decoder = std::make_unique<FrameDecoder>(df);
    }
    std::string stream;
    std::vector<std::string> expected;
    const int frames = static_cast<int>(rng() % 200);
    for (int i = 0; i < frames; ++i) {
      size_t size = rng() % 100;
      if (rng() % 10 == 0) size = rng() % 3000;
      if (rng() % 50 == 0) size = rng() % 70000;
      if (kind == 1) size = std::min<size_t>(size, 60000);
      std::string payload = RandomBytes(rng, size);
      if (kind == 3) {
        stream += EncodeVarintFrame(payload);
        expected.push_back(payload);
      } else if (kind >= 4) {
        for (char& c : payload) {
          if (c == '\n' || c == '\r') c = 'n';
        }
        stream += payload + df.delimiter;
        expected.push_back(df.strip_delimiter ? payload
                                              : payload + df.delimiter);
      } else {
        std::string want;
        // kind 1 has one header byte after the field ([t][len][f][body]).
        stream += EncodeFrame(lf, kind == 1 ? "f" + payload : payload, &want);
        expected.push_back(want);
      }
    }
    const size_t max_piece =
        std::vector<size_t>{1, 3, 64, 1000, 100000}[rng() % 5];
    std::vector<std::string> got;
    for (const std::string& piece : CutRandomly(rng, stream, max_piece)) {
      switch (rng() % 4) {
        case 0:
          decoder->Append(absl::string_view(piece));
          break;
        case 1:
          decoder->Append(MakeRope(piece, shapes[rng() % shapes.size()]));
          break;
        case 2: {
          const Rope rope(piece);
          decoder->Append(rope);
          break;
        }
        default:
          AppendOwnChunk(decoder.get(), piece);
          break;
      }
      Rope frame;
      Result r;
      while ((r = decoder->Next(&frame)) == Result::kFrame) {
        got.push_back(frame.ToString());
      }
      ASSERT_EQ(r, Result::kNeedMore) << decoder->status();
    }
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i], expected[i]) << "frame " << i;
    }
    EXPECT_TRUE(decoder->buffered().empty());
  }
}

TEST(FrameDecoder, CopiesShareBufferedBytesIndependently) {
  FrameDecoder a(LengthFieldFraming{});
  a.Append(
      absl::string_view("\0\0\0\x02"
                        "xy"
                        "\0\0\0\x01",
                        10));
  FrameDecoder b = a;
  Rope frame;
  ASSERT_EQ(a.Next(&frame), Result::kFrame);
  EXPECT_EQ(b.buffered().size(), 10u);
  ASSERT_EQ(b.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "xy");
  b.Append("z");
  ASSERT_EQ(b.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "z");
  EXPECT_EQ(a.Next(&frame), Result::kNeedMore);
}

// ---- View form, fixed length, mode switches, TakeBuffered. ----

// Decodes `stream` cut at `cuts` with Next on one decoder and NextView on a
// copy, frame by frame; returns the frames (checked equal).
// Decodes `pieces` with Next, NextView and NextSize + TakeInto on three
// copies of `decoder`; all three must agree, frames and what stays buffered.
std::vector<std::string> DecodeEveryForm(
    FrameDecoder decoder, const std::vector<std::string>& pieces) {
  FrameDecoder view_decoder = decoder;
  FrameDecoder copy_decoder = decoder;
  std::vector<std::string> frames, views, copies;
  for (const std::string& piece : pieces) {
    decoder.Append(piece);
    view_decoder.Append(piece);
    copy_decoder.Append(piece);
    Rope frame;
    while (decoder.Next(&frame) == Result::kFrame) {
      frames.push_back(frame.ToString());
    }
    absl::string_view view;
    while (view_decoder.NextView(&view) == Result::kFrame) {
      views.emplace_back(view);
    }
    size_t size = 0;
    while (copy_decoder.NextSize(&size) == Result::kFrame) {
      // Guard bytes on both sides: TakeInto writes exactly `size` bytes.
      std::string storage(size + 2, '#');
      copy_decoder.TakeInto(&storage[1]);
      EXPECT_EQ(storage.front(), '#');
      EXPECT_EQ(storage.back(), '#');
      copies.push_back(storage.substr(1, size));
    }
  }
  EXPECT_EQ(frames, views);
  EXPECT_EQ(frames, copies);
  EXPECT_EQ(decoder.buffered(), view_decoder.buffered());
  EXPECT_EQ(decoder.buffered(), copy_decoder.buffered());
  return frames;
}

TEST(FrameDecoder, NextSizeWithoutTakeIntoLeavesTheFrameNext) {
  FrameDecoder decoder(LengthFieldFraming{});
  decoder.Append(
      std::string("\0\0\0\x03"
                  "abc\0\0\0\x01z",
                  12));
  size_t size = 0;
  ASSERT_EQ(decoder.NextSize(&size), Result::kFrame);
  EXPECT_EQ(size, 3u);
  ASSERT_EQ(decoder.NextSize(&size), Result::kFrame);  // again: the same
  EXPECT_EQ(size, 3u);
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);  // another form takes it
  EXPECT_EQ(frame, "abc");
  ASSERT_EQ(decoder.NextSize(&size), Result::kFrame);
  EXPECT_EQ(size, 1u);
  char z = 0;
  decoder.TakeInto(&z);
  EXPECT_EQ(z, 'z');
  size = 77;
  EXPECT_EQ(decoder.NextSize(&size), Result::kNeedMore);
  EXPECT_EQ(size, 77u);  // left alone
  EXPECT_EQ(decoder.buffered().size(), 0u);
  // Appends between NextSize and TakeInto keep the prepared frame.
  decoder.Append(std::string("\0\0\0\x02q", 5));
  EXPECT_EQ(decoder.NextSize(&size), Result::kNeedMore);
  decoder.Append("r");
  ASSERT_EQ(decoder.NextSize(&size), Result::kFrame);
  decoder.Append(std::string("\0\0", 2));
  char qr[2];
  decoder.TakeInto(qr);
  EXPECT_EQ(absl::string_view(qr, 2), "qr");
  EXPECT_EQ(decoder.buffered(), std::string("\0\0", 2));
}

TEST(FrameDecoderDeathTest, TakeIntoWithoutAPreparedFrameCrashesInEveryBuild) {
  char dest[8];
  EXPECT_DEATH(
      {
        FrameDecoder decoder(LengthFieldFraming{});
        decoder.TakeInto(dest);
      },
      "TakeInto without a frame from NextSize");
  EXPECT_DEATH(
      {
        FrameDecoder decoder(LengthFieldFraming{});
        decoder.Append(std::string("\0\0\0\x01z", 5));
        size_t size;
        if (decoder.NextSize(&size) != Result::kFrame) std::abort();
        decoder.TakeInto(dest);
        decoder.TakeInto(dest);  // the frame is gone
      },
      "TakeInto without a frame from NextSize");
  EXPECT_DEATH(
      {
        FrameDecoder decoder(LengthFieldFraming{});
        decoder.Append(
            std::string("\0\0\0\x05"
                        "ab",
                        6));
        size_t size;
        if (decoder.NextSize(&size) != Result::kNeedMore) std::abort();
        decoder.TakeInto(dest);  // incomplete
      },
      "TakeInto without a frame from NextSize");
}

TEST(FrameDecoder, MissingCountsWhatTheNextFrameStillNeeds) {
  Rope frame;
  {
    // [len:4 BE][body]: known once the header is whole.
    FrameDecoder decoder(LengthFieldFraming{});
    EXPECT_EQ(decoder.missing(), 0u);
    decoder.Append(std::string("\0\0", 2));
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 0u);  // the header is incomplete
    decoder.Append(
        std::string("\0\x0a"
                    "abc",
                    5));
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 7u);
    decoder.Append("defghi");
    EXPECT_EQ(decoder.missing(), 1u);  // Append keeps the parsed size
    decoder.Append(std::string("j\0\0\0\x02", 5));
    EXPECT_EQ(decoder.missing(), 0u);  // whole
    ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
    EXPECT_EQ(frame, "abcdefghij");
    EXPECT_EQ(decoder.missing(), 0u);  // not parsed yet
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 2u);
  }
  {
    // Counting the header, a prefix before the field, nothing stripped.
    LengthFieldFraming f;
    f.field_offset = 1;
    f.field_size = 2;
    f.length_counts_header = true;
    f.bytes_to_strip = 0;
    FrameDecoder decoder(f);
    decoder.Append(
        std::string("T\0\x08"
                    "ab",
                    5));
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 3u);
    decoder.Append("cde");
    ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
    EXPECT_EQ(frame, std::string("T\0\x08"
                                 "abcde",
                                 8));
  }
  {
    FrameDecoder decoder(VarintFraming{});
    decoder.Append(std::string("\x80", 1));
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 0u);        // the varint is incomplete
    decoder.Append(std::string("\x01", 1));  // 128
    size_t size;
    EXPECT_EQ(decoder.NextSize(&size), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 128u);
  }
  {
    FrameDecoder decoder(FixedLengthFraming{5});
    decoder.Append("ab");
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 3u);
  }
  {
    FrameDecoder decoder(DelimiterFraming{});
    decoder.Append("no end yet");
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.missing(), 0u);  // unknowable
  }
  {
    FrameDecoder decoder(LengthFieldFraming{}, /*max_frame_size=*/16);
    decoder.Append(std::string("\0\0\0\x64", 4));  // 100 > 16
    EXPECT_EQ(decoder.Next(&frame), Result::kError);
    EXPECT_EQ(decoder.missing(), 0u);
  }
}

TEST(FrameDecoder, NextViewMatchesNextAtEverySplitForEveryFraming) {
  std::string length_stream, varint_stream, line_stream;
  std::vector<std::string> bodies = {"", "a", "hello", std::string(300, 'x'),
                                     "last"};
  for (const std::string& body : bodies) {
    char header[4];
    StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(body.size()));
    length_stream += std::string(header, 4) + body;
    char varint[kMaxVarint64Length];
    varint_stream +=
        std::string(varint, EncodeVarint64(varint, body.size())) + body;
    line_stream += body + "\r\n";
  }
  struct Case {
    FrameDecoder decoder;
    std::string stream;
  };
  std::vector<Case> cases;
  cases.push_back({FrameDecoder(LengthFieldFraming{}), length_stream});
  cases.push_back({FrameDecoder(VarintFraming{}), varint_stream});
  cases.push_back({FrameDecoder(DelimiterFraming{}), line_stream});
  for (const Case& c : cases) {
    for (size_t a = 0; a <= c.stream.size(); a += 3) {
      for (size_t b = a; b <= c.stream.size(); b += 7) {
        SCOPED_TRACE(absl::StrCat("cuts ", a, " ", b));
        const std::vector<std::string> frames = DecodeEveryForm(
            c.decoder, {c.stream.substr(0, a), c.stream.substr(a, b - a),
                        c.stream.substr(b)});
        EXPECT_EQ(frames, bodies);
      }
    }
  }
}

TEST(FrameDecoder, SmallFramesAreCopiedIntoTheReusedFrameLargeOnesShared) {
  // Two 100-byte frames and a 600-byte one, in one received chunk.
  const std::string small_a(100, 'a'), small_b(100, 'b'), large(600, 'L');
  FrameDecoder decoder(LengthFieldFraming{});
  std::string stream;
  for (const std::string* body : {&small_a, &small_b, &large}) {
    char header[4];
    StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(body->size()));
    stream += std::string(header, 4) + *body;
  }
  const Rope received(stream);
  const char* received_bytes = (*received.Chunks().begin()).data();
  decoder.Append(received);
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, small_a);
  const char* storage = frame.TryFlat()->data();
  EXPECT_NE(storage, received_bytes + 4);  // a copy: pins nothing
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, small_b);
  EXPECT_EQ(frame.TryFlat()->data(), storage);  // the same chunk, reused
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, large);
  EXPECT_EQ(frame.TryFlat()->data(), received_bytes + 212);  // shared
}

TEST(FrameDecoder, NextViewPointsIntoTheChunkOrIntoScratch) {
  // Pieces over Rope::kMaxBytesToCopy, so that Append shares them.
  const std::string body(600, 'h');
  const std::string first = std::string("\0\0\x02\x58", 4) + body +
                            std::string("\0\0\0\x06", 4) + "wor";
  const std::string second = "ld!" + std::string(600, 'p');
  FrameDecoder decoder(LengthFieldFraming{});
  const Rope a(first), b(second);
  const char* a_bytes = (*a.Chunks().begin()).data();
  decoder.Append(a);
  absl::string_view view;
  ASSERT_EQ(decoder.NextView(&view), Result::kFrame);
  EXPECT_EQ(view, body);
  EXPECT_EQ(view.data(), a_bytes + 4);  // in place: no copy
  EXPECT_EQ(decoder.NextView(&view), Result::kNeedMore);
  decoder.Append(b);
  ASSERT_EQ(decoder.NextView(&view), Result::kFrame);
  EXPECT_EQ(view, "world!");  // straddles the two pieces: a scratch copy
  EXPECT_NE(view.data(), (*b.Chunks().begin()).data() - 3);
}

TEST(FrameDecoder, FixedLengthFramesAtEveryPieceSize) {
  const std::string stream = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t length : {1, 4, 7, 36}) {
    for (size_t piece = 1; piece <= stream.size(); ++piece) {
      SCOPED_TRACE(absl::StrCat("length ", length, " piece ", piece));
      std::vector<std::string> pieces;
      for (size_t pos = 0; pos < stream.size(); pos += piece) {
        pieces.push_back(stream.substr(pos, piece));
      }
      const std::vector<std::string> frames =
          DecodeEveryForm(FrameDecoder(FixedLengthFraming{length}), pieces);
      ASSERT_EQ(frames.size(), stream.size() / length);
      for (size_t i = 0; i < frames.size(); ++i) {
        EXPECT_EQ(frames[i], stream.substr(i * length, length));
      }
    }
  }
}

TEST(FrameDecoder, FixedLengthZeroOrOverTheMaximumIsInvalidArgument) {
  FrameDecoder zero(FixedLengthFraming{0});
  EXPECT_THAT(zero.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("FixedLengthFraming.length")));
  Rope frame;
  zero.Append("abc");
  EXPECT_EQ(zero.Next(&frame), Result::kError);
  FrameDecoder big(FixedLengthFraming{11}, /*max_frame_size=*/10);
  EXPECT_THAT(big.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateFraming(FixedLengthFraming{1}), IsOk());
}

// HTTP/1.1 in miniature: header lines, then a Content-Length body, then the
// next request's lines, with no Reset and no hand slicing.
TEST(FrameDecoder, SwitchesFromLinesToABodyAndBackAtEverySplit) {
  const std::string stream =
      "POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\nhello\r\nworld"
      "GET / HTTP/1.1\r\n\r\n";
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SCOPED_TRACE(cut);
    FrameDecoder decoder(DelimiterFraming{});
    std::vector<std::string> seen;
    size_t content_length = 0;
    bool in_body = false;
    auto drain = [&] {
      for (;;) {
        absl::string_view frame;
        if (decoder.NextView(&frame) != Result::kFrame) return;
        seen.emplace_back(frame);
        if (in_body) {
          in_body = false;
          ASSERT_OK(decoder.SetFraming(DelimiterFraming{}));
        } else if (absl::StartsWith(frame, "Content-Length: ")) {
          content_length = std::stoul(std::string(frame.substr(16)));
        } else if (frame.empty() && content_length > 0) {
          in_body = true;
          ASSERT_OK(decoder.SetFraming(FixedLengthFraming{content_length}));
          content_length = 0;
        }
      }
    };
    decoder.Append(stream.substr(0, cut));
    drain();
    decoder.Append(stream.substr(cut));
    drain();
    EXPECT_THAT(seen, ::testing::ElementsAre(
                          "POST / HTTP/1.1", "Content-Length: 12", "",
                          "hello\r\nworld", "GET / HTTP/1.1", ""));
    EXPECT_TRUE(decoder.buffered().empty());
  }
}

TEST(FrameDecoder, SetFramingRefusesInvalidOptionsAndClearsErrors) {
  FrameDecoder decoder(LengthFieldFraming{}, /*max_frame_size=*/16);
  decoder.Append(absl::string_view("\0\0\1\0rest", 8));  // 256 > 16
  Rope frame;
  ASSERT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_THAT(decoder.status(), StatusIs(absl::StatusCode::kResourceExhausted));
  // Invalid options change nothing: still failed, bytes kept.
  EXPECT_THAT(decoder.SetFraming(DelimiterFraming{""}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(decoder.SetFraming(FixedLengthFraming{17}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(decoder.Next(&frame), Result::kError);
  EXPECT_EQ(decoder.buffered().size(), 8u);
  // A valid framing resumes from the first byte not returned.
  ASSERT_OK(decoder.SetFraming(FixedLengthFraming{4}));
  EXPECT_OK(decoder.status());
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, absl::string_view("\0\0\1\0", 4));
  ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "rest");
  // A decoder built with invalid options becomes valid through SetFraming.
  FrameDecoder invalid(DelimiterFraming{""});
  ASSERT_OK(invalid.SetFraming(DelimiterFraming{"\n"}));
  invalid.Append("a\nb");
  ASSERT_EQ(invalid.Next(&frame), Result::kFrame);
  EXPECT_EQ(frame, "a");
}

TEST(FrameDecoder, TakeBufferedHandsOverWhatWasNotReturned) {
  for (size_t split = 0; split <= 12; ++split) {
    SCOPED_TRACE(split);
    const std::string stream = "one\ntwo\nrest";
    FrameDecoder decoder(DelimiterFraming{"\n"});
    decoder.Append(stream.substr(0, split));
    decoder.Append(stream.substr(split));
    absl::string_view view;
    ASSERT_EQ(decoder.NextView(&view), Result::kFrame);
    EXPECT_EQ(view, "one");
    Rope frame;
    ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
    EXPECT_EQ(frame, "two");
    EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
    EXPECT_EQ(decoder.TakeBuffered(), "rest");
    EXPECT_TRUE(decoder.buffered().empty());
    decoder.Append("x\n");  // the framing stays
    ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
    EXPECT_EQ(frame, "x");
  }
}

TEST(FrameDecoder, ViewFormOverFragmentedShapesMatchesTheModel) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  std::string stream;
  std::vector<std::string> bodies;
  for (int i = 0; i < 300; ++i) {
    std::string body = RandomBytes(rng, rng() % 700);
    char header[4];
    StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(body.size()));
    stream += std::string(header, 4) + body;
    bodies.push_back(std::move(body));
  }
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    FrameDecoder decoder(LengthFieldFraming{});
    decoder.Append(MakeRope(stream, shape));
    std::vector<std::string> got;
    absl::string_view view;
    Rope frame;
    for (size_t i = 0;; ++i) {
      const Result r =
          i % 3 == 0 ? decoder.Next(&frame) : decoder.NextView(&view);
      if (r != Result::kFrame) {
        EXPECT_EQ(r, Result::kNeedMore);
        break;
      }
      got.push_back(i % 3 == 0 ? frame.ToString() : std::string(view));
    }
    EXPECT_EQ(got, bodies);
    EXPECT_TRUE(decoder.buffered().empty());
  }
}

}  // namespace
}  // namespace bytesio
