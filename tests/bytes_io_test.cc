// Copyright 2026 The bytesio Authors.
//
// Unit tests of BytesIO against docs/semantics.md.
//
// Section 7 ("Edge cases worth a test") -> test. Tests named Shape/... run
// over every RopeShape (initial contents built fragmented). "TypeError" lines
// have no C++ counterpart: the compiler rejects those argument types.
//
//   abc; seek(10); write(x) Shape/WriteAfterOverseekZeroFillsGap abc; seek(10);
//   write(""); value, tell       Shape/EmptyWriteAfterOverseekDoesNothing abc;
//   seek(0,2); seek(1,2); write(Q)         Shape/SeekEndThenWritePadsGap
//   (); seek(2); writelines([a, b])             WriteLinesAfterOverseekPads
//   hello; tell                                 Shape/NewStreamStartsAtZero
//   hello; write(J); value, tell Shape/FirstWriteOverwritesFromStart
//   (); write(abc); read                        ReadAfterWriteAtEndIsEmpty
//   (); write(abc); seek(0); read               ReadAfterSeekBackReturnsWritten
//   BytesIO(None); getvalue                     DefaultConstructedIsEmpty
//   BytesIO(bytearray(abc)); read               ConstructorCopiesStringView
//   BytesIO("abc") TypeError                    (no counterpart)
//   hello; seek(3); __init__(xy) Shape/ResetReplacesValueAndPosition abcdef;
//   read(2); read(-1)                   Shape/ReadNegativeReadsRest abcdef;
//   read(-5)                            Shape/ReadNegativeReadsRest abcdef;
//   read(None)                          Shape/ReadNegativeReadsRest (Read())
//   abcdef; read(0), tell Shape/ReadZeroReturnsEmptyAndStays abc; read(100),
//   read(1), tell               Shape/ReadPastEndClamps abc; seek(10); read(),
//   tell                 Shape/ReadAfterOverseekIsEmpty abcdef; read1(2),
//   read1(), read1()          Shape/Read1IsRead ab; readinto(WXYZ)
//   Shape/ReadIntoLeavesTailUntouched abc; seek(10); readinto(XY)
//   Shape/ReadIntoAfterOverseek abcdef; readinto1(bytearray(3))
//   Shape/ReadInto1IsReadInto abc; readinto(bytearray())
//   Shape/ReadIntoEmptySpan
//   (); seek(maxsize); readinto(2)              ReadIntoAtMaxPosition
//   ab\ncd\n\nef; readline x5                   Shape/ReadLineSplitsOnNewline
//   a\rb\r\nc; readline Shape/ReadLineOnlyNewlineEndsLine abcdef\nxy;
//   readline(3) x4                  Shape/ReadLineLimit abc\ndef; readline(0),
//   tell                 Shape/ReadLineZeroLimit abc\ndef; readline(-1),
//   readline(None)      Shape/ReadLineNegativeLimit abc\ndef; seek(20);
//   readline, tell          Shape/ReadLineAfterOverseek a\nbb\nccc\ndddd\n;
//   readlines(2|3|0|-3)     Shape/ReadLinesHint a\nbb\nccc\ndddd; seek(3);
//   readlines        Shape/ReadLinesFromMidLine a\nb; seek(30); readlines
//   Shape/ReadLinesAfterOverseek x\ny\n\nz; list(b), tell
//   Shape/LinesIteratesAll abc\ndef; seek(2); list(b) Shape/LinesFromMidLine
//   abc; seek(-1)                               SeekNegative
//   abcdef; seek(2); seek(-5,1)                 Shape/SeekCurClampsAtZero
//   abcdef; seek(-2,2), seek(-100,2)            Shape/SeekEnd
//   abcdef; seek(4,2), getvalue                 Shape/SeekEnd
//   abc; seek(1,3) / seek(0,-1)                 SeekInvalidWhence
//   abc; seek(1); seek(maxsize,1)               SeekOverflow
//   abcdef; seek(maxsize-5,2)                   SeekOverflow
//   abc; seek(maxsize); read(4), tell           ReadAtMaxPosition
//   abc; seek(maxsize); write(x) !Overflow      WriteAtMaxPositionOverflows
//   abcdef; truncate(), getvalue Shape/TruncateDefaultsToPosition abcdef;
//   seek(4); truncate(), value, tell    Shape/TruncateDefaultsToPosition
//   abcdef; seek(5); truncate(2), tell, read Shape/TruncateNeverMovesPosition
//   abcdef; truncate(100), value, tell          Shape/TruncateNeverExtends
//   abcdef; seek(10); truncate(), getvalue      Shape/TruncateNeverExtends
//   abcdef; seek(5); truncate(2); write(x)      Shape/TruncateThenWritePads
//   abcdef; seek(3); truncate(0); tell, read.. Shape/TruncateNeverMovesPosition
//   abc; truncate(-1)                           TruncateNegative
//   abcdef; seek(2); write(XY), value, tell     Shape/WriteOverwritesInPlace
//   abcdef; seek(4); write(XYZW) Shape/WriteOverwritesThenExtends
//   (); write(array('i',[1,2])) -> 8            WriteReturnsByteCount
//   (); write("abc") TypeError                  (no counterpart)
//   writelines([ab, 1, cd]) !TypeError          (no counterpart for the bad
//   item;
//                                                WriteLinesStopsAtFirstFailure)
//   abc; seek(5); writelines(["", Z]) WriteLinesEmptyItemsFollowWriteRules abc;
//   seek(5); writelines([""]), tell        WriteLinesEmptyItemsFollowWriteRules
//   abcdef; v; seek(0); write(Q) !Buffer        Shape/ExportBlocksWrite
//   abcdef; v; write("") !Buffer                Shape/ExportBlocksWrite
//   abcdef; v; writelines([]) -> None Shape/ExportAllowsEmptyWriteLines abcdef;
//   v; truncate(100) !Buffer            Shape/ExportBlocksTruncate abcdef; v;
//   close() !Buffer; closed, value   Shape/ExportBlocksClose abcdef; v;
//   seek(10); write(x); tell, value  Shape/ExportBlocksWrite abcdef; v;
//   v[0]=65; getvalue                Shape/ExportWritesThrough abcdef; v;
//   release; write(1234567)          Shape/ReleaseUnlocks v1; v2; v1.release;
//   write !; v2.release ... Shape/AllExportsMustBeReleased abcdef; v; seek(3);
//   read, value, readable   Shape/ReadsAllowedWhileExported abcdef; g=getvalue;
//   v; v[0]=65; g, value    Shape/SnapshotSurvivesExportWrite abc; seek(10);
//   len(getbuffer())             Shape/ExportCoversSizeNotPosition abc; v;
//   __init__(xy) !Buffer                Shape/ExportBlocksResetAndSetState abc;
//   close; close; closed                   CloseTwiceIsFine abc; close;
//   read/write("")/writelines([])/
//     getvalue/seek/tell/truncate/readable/
//     isatty/flush/getbuffer/next !ValueError   ClosedRefusesEverything
//   abc; close; __enter__ !ValueError           (no counterpart: RAII scope)
//   abc; close; fileno / fileno / detach        FilenoAndDetachUnimplemented
//   abc; isatty, readable, ... closed           FlagsWhileOpen
//   abc; __enter__ is b, __exit__, closed       (no counterpart: RAII scope;
//                                                Close covered by
//                                                CloseTwiceIsFine)
//   abc; seek(2); __getstate__                  GetStateAndSetState

#include "bytesio/bytes_io.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr char kClosed[] = "I/O operation on closed file.";
constexpr char kExports[] =
    "Existing exports of data: object cannot be re-sized";
constexpr absl::StatusCode kFailedPrecondition =
    absl::StatusCode::kFailedPrecondition;

// The value of an OK StatusOr (a default T after a test failure otherwise).
template <typename T>
T Ok(absl::StatusOr<T> status_or) {
  EXPECT_OK(status_or);
  return status_or.ok() ? *std::move(status_or) : T();
}

std::string Value(const BytesIO& f) { return Ok(f.GetValue()).ToString(); }
int64_t Pos(const BytesIO& f) { return Ok(f.Tell()); }

std::vector<std::string> Strings(const std::vector<Rope>& ropes) {
  std::vector<std::string> out;
  for (const Rope& rope : ropes) out.push_back(rope.ToString());
  return out;
}

// Bytes of `rope` held in chunks that lie inside [begin, end).
size_t BytesWithin(const Rope& rope, const char* begin, const char* end) {
  size_t n = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    if (chunk.data() >= begin && chunk.data() + chunk.size() <= end) {
      n += chunk.size();
    }
  }
  return n;
}

// Bytes of `rope` held in chunks whose memory lies inside one of `source`'s
// chunks. O((k1 + k2) log k2).
size_t BytesSharedWith(const Rope& rope, const Rope& source) {
  std::vector<absl::string_view> ranges(source.Chunks().begin(),
                                        source.Chunks().end());
  std::sort(ranges.begin(), ranges.end(),
            [](absl::string_view a, absl::string_view b) {
              return a.data() < b.data();
            });
  size_t n = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    auto it = std::upper_bound(
        ranges.begin(), ranges.end(), chunk.data(),
        [](const char* p, absl::string_view r) { return p < r.data(); });
    if (it == ranges.begin()) continue;
    --it;
    if (chunk.data() + chunk.size() <= it->data() + it->size()) {
      n += chunk.size();
    }
  }
  return n;
}

class Shape : public ::testing::TestWithParam<RopeShape> {
 protected:
  BytesIO Make(absl::string_view data) const {
    return BytesIO(MakeRope(data, GetParam()));
  }
};

INSTANTIATE_TEST_SUITE_P(BytesIO, Shape, ::testing::ValuesIn(AllRopeShapes()),
                         [](const ::testing::TestParamInfo<RopeShape>& info) {
                           return RopeShapeName(info.param);
                         });

// ---------------------------------------------------------------------------
// Constructor, Reset, position 0.

TEST(BytesIO, DefaultConstructedIsEmpty) {
  BytesIO f;
  EXPECT_EQ(Value(f), "");
  EXPECT_EQ(Pos(f), 0);
  EXPECT_FALSE(f.closed());
}

TEST(BytesIO, ConstructorCopiesStringView) {
  std::string source = "abc";
  BytesIO f(source);
  source[0] = 'X';
  EXPECT_EQ(Ok(f.Read()), "abc");
}

TEST(BytesIO, ConstructorFromRopeSharesAndNeverChangesIt) {
  const std::string data(100000, 'r');
  const Rope source(data);
  BytesIO f(source);
  EXPECT_EQ(BytesSharedWith(Ok(f.GetValue()), source), data.size());
  ASSERT_OK(f.Seek(50));
  ASSERT_OK(f.Write("XYZ"));
  EXPECT_EQ(source, data);
}

TEST_P(Shape, NewStreamStartsAtZero) {
  BytesIO f = Make("hello");
  EXPECT_EQ(Pos(f), 0);
}

TEST_P(Shape, FirstWriteOverwritesFromStart) {
  BytesIO f = Make("hello");
  EXPECT_EQ(Ok(f.Write("J")), 1u);
  EXPECT_EQ(Value(f), "Jello");
  EXPECT_EQ(Pos(f), 1);
}

TEST_P(Shape, ResetReplacesValueAndPosition) {
  BytesIO f = Make("hello");
  ASSERT_OK(f.Seek(3));
  ASSERT_OK(f.Reset("xy"));
  EXPECT_EQ(Value(f), "xy");
  EXPECT_EQ(Pos(f), 0);
  ASSERT_OK(f.Reset());
  EXPECT_EQ(Value(f), "");
  ASSERT_OK(f.Reset(MakeRope("rope", GetParam())));
  EXPECT_EQ(Value(f), "rope");
}

TEST(BytesIO, ResetReopensClosed) {
  BytesIO f("abc");
  ASSERT_OK(f.Close());
  ASSERT_OK(f.Reset("xy"));
  EXPECT_FALSE(f.closed());
  EXPECT_EQ(Value(f), "xy");
}

TEST(BytesIO, MoveTransfersStateAndLeavesSourceEmpty) {
  BytesIO f("abcdef");
  ASSERT_OK(f.Seek(9));
  BytesIO g(std::move(f));
  EXPECT_EQ(Value(g), "abcdef");
  EXPECT_EQ(Pos(g), 9);
  EXPECT_EQ(Value(f), "");  // NOLINT(bugprone-use-after-move): documented
  EXPECT_EQ(Pos(f), 0);
  BytesIO h;
  ASSERT_OK(g.Close());
  h = std::move(g);
  EXPECT_TRUE(h.closed());
  EXPECT_FALSE(g.closed());  // NOLINT(bugprone-use-after-move): documented
}

// ---------------------------------------------------------------------------
// Read, Read1, ReadInto.

TEST(BytesIO, ReadAfterWriteAtEndIsEmpty) {
  BytesIO f;
  ASSERT_OK(f.Write("abc"));
  EXPECT_EQ(Ok(f.Read()), "");
}

TEST(BytesIO, ReadAfterSeekBackReturnsWritten) {
  BytesIO f;
  ASSERT_OK(f.Write("abc"));
  ASSERT_OK(f.Seek(0));
  EXPECT_EQ(Ok(f.Read()), "abc");
}

TEST_P(Shape, ReadNegativeReadsRest) {
  BytesIO f = Make("abcdef");
  EXPECT_EQ(Ok(f.Read(2)), "ab");
  EXPECT_EQ(Ok(f.Read(-1)), "cdef");
  BytesIO g = Make("abcdef");
  EXPECT_EQ(Ok(g.Read(-5)), "abcdef");
  BytesIO h = Make("abcdef");
  EXPECT_EQ(Ok(h.Read()), "abcdef");
  EXPECT_EQ(Pos(h), 6);
}

TEST_P(Shape, ReadZeroReturnsEmptyAndStays) {
  BytesIO f = Make("abcdef");
  EXPECT_EQ(Ok(f.Read(0)), "");
  EXPECT_EQ(Pos(f), 0);
}

TEST_P(Shape, ReadPastEndClamps) {
  BytesIO f = Make("abc");
  EXPECT_EQ(Ok(f.Read(100)), "abc");
  EXPECT_EQ(Ok(f.Read(1)), "");
  EXPECT_EQ(Pos(f), 3);
}

TEST_P(Shape, ReadAfterOverseekIsEmpty) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(10));
  EXPECT_EQ(Ok(f.Read()), "");
  EXPECT_EQ(Pos(f), 10);
}

TEST(BytesIO, ReadAtMaxPosition) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(kMax));
  EXPECT_EQ(Ok(f.Read(4)), "");
  EXPECT_EQ(Pos(f), kMax);
}

TEST_P(Shape, Read1IsRead) {
  BytesIO f = Make("abcdef");
  EXPECT_EQ(Ok(f.Read1(2)), "ab");
  EXPECT_EQ(Ok(f.Read1()), "cdef");
  EXPECT_EQ(Ok(f.Read1()), "");
}

TEST_P(Shape, ReadMatchesStringAcrossThresholdSizes) {
  for (size_t size : ThresholdSizes()) {
    SCOPED_TRACE(size);
    std::string data(size, '\0');
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 7 + 1);
    BytesIO f = Make(data);
    size_t pos = 0;
    for (size_t step : {size_t{1}, size_t{15}, size_t{600}, size_t{70000}}) {
      const Rope got = Ok(f.Read(static_cast<int64_t>(step)));
      const size_t n = std::min(step, size - pos);
      ASSERT_EQ(got, absl::string_view(data).substr(pos, n));
      pos += n;
      ASSERT_EQ(Pos(f), static_cast<int64_t>(pos));
    }
    EXPECT_EQ(Ok(f.Read()), absl::string_view(data).substr(pos));
    EXPECT_EQ(Value(f), data);
  }
}

TEST_P(Shape, ReadIntoLeavesTailUntouched) {
  BytesIO f = Make("ab");
  char buffer[] = {'W', 'X', 'Y', 'Z'};
  EXPECT_EQ(Ok(f.ReadInto(absl::MakeSpan(buffer))), 2u);
  EXPECT_EQ(absl::string_view(buffer, 4), "abYZ");
  EXPECT_EQ(Pos(f), 2);
}

TEST_P(Shape, ReadIntoAfterOverseek) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(10));
  char buffer[] = {'X', 'Y'};
  EXPECT_EQ(Ok(f.ReadInto(absl::MakeSpan(buffer))), 0u);
  EXPECT_EQ(absl::string_view(buffer, 2), "XY");
  EXPECT_EQ(Pos(f), 10);
}

TEST_P(Shape, ReadInto1IsReadInto) {
  BytesIO f = Make("abcdef");
  char buffer[3] = {};
  EXPECT_EQ(Ok(f.ReadInto1(absl::MakeSpan(buffer))), 3u);
  EXPECT_EQ(absl::string_view(buffer, 3), "abc");
  EXPECT_EQ(Pos(f), 3);
}

TEST_P(Shape, ReadIntoEmptySpan) {
  BytesIO f = Make("abc");
  EXPECT_EQ(Ok(f.ReadInto(absl::Span<char>())), 0u);
  EXPECT_EQ(Pos(f), 0);
}

TEST(BytesIO, ReadIntoAtMaxPosition) {
  BytesIO f;
  ASSERT_OK(f.Seek(kMax));
  char buffer[2] = {'p', 'q'};
  EXPECT_EQ(Ok(f.ReadInto(absl::MakeSpan(buffer))), 0u);
  EXPECT_EQ(Pos(f), kMax);
}

// ---------------------------------------------------------------------------
// ReadLine, ReadLines, line iteration.

TEST_P(Shape, ReadLineSplitsOnNewline) {
  BytesIO f = Make("ab\ncd\n\nef");
  EXPECT_EQ(Ok(f.ReadLine()), "ab\n");
  EXPECT_EQ(Ok(f.ReadLine()), "cd\n");
  EXPECT_EQ(Ok(f.ReadLine()), "\n");
  EXPECT_EQ(Ok(f.ReadLine()), "ef");
  EXPECT_EQ(Ok(f.ReadLine()), "");
}

TEST_P(Shape, ReadLineOnlyNewlineEndsLine) {
  BytesIO f = Make("a\rb\r\nc");
  EXPECT_EQ(Ok(f.ReadLine()), "a\rb\r\n");
}

TEST_P(Shape, ReadLineLimit) {
  BytesIO f = Make("abcdef\nxy");
  EXPECT_EQ(Ok(f.ReadLine(3)), "abc");
  EXPECT_EQ(Ok(f.ReadLine(3)), "def");
  EXPECT_EQ(Ok(f.ReadLine(3)), "\n");
  EXPECT_EQ(Ok(f.ReadLine(3)), "xy");
}

TEST_P(Shape, ReadLineZeroLimit) {
  BytesIO f = Make("abc\ndef");
  EXPECT_EQ(Ok(f.ReadLine(0)), "");
  EXPECT_EQ(Pos(f), 0);
}

TEST_P(Shape, ReadLineNegativeLimit) {
  BytesIO f = Make("abc\ndef");
  EXPECT_EQ(Ok(f.ReadLine(-1)), "abc\n");
  EXPECT_EQ(Ok(f.ReadLine()), "def");
}

TEST_P(Shape, ReadLineAfterOverseek) {
  BytesIO f = Make("abc\ndef");
  ASSERT_OK(f.Seek(20));
  EXPECT_EQ(Ok(f.ReadLine()), "");
  EXPECT_EQ(Pos(f), 20);
}

TEST_P(Shape, ReadLineLongLinesAcrossChunks) {
  // Lines longer than any chunk, newlines on both sides of the copy-or-share
  // threshold; every limit from "inside the first chunk" to "past the end".
  std::string data = std::string(700, 'a') + "\n" + std::string(5000, 'b') +
                     "\n\n" + std::string(300, 'c');
  for (int64_t limit : {int64_t{-1}, int64_t{1}, int64_t{511}, int64_t{512},
                        int64_t{701}, int64_t{4096}, int64_t{100000}}) {
    SCOPED_TRACE(limit);
    BytesIO f = Make(data);
    size_t pos = 0;
    while (pos < data.size()) {
      size_t end = data.find('\n', pos);
      end = end == std::string::npos ? data.size() : end + 1;
      if (limit >= 0) end = std::min(end, pos + static_cast<size_t>(limit));
      ASSERT_EQ(Ok(f.ReadLine(limit)),
                absl::string_view(data).substr(pos, end - pos));
      pos = end;
    }
    EXPECT_EQ(Ok(f.ReadLine(limit)), "");
  }
}

TEST_P(Shape, ReadLinesHint) {
  const char kData[] = "a\nbb\nccc\ndddd\n";
  const auto lines = [&](int64_t hint) {
    BytesIO f = Make(kData);
    return Strings(Ok(f.ReadLines(hint)));
  };
  EXPECT_THAT(lines(2), ElementsAre("a\n"));
  EXPECT_THAT(lines(3), ElementsAre("a\n", "bb\n"));
  EXPECT_THAT(lines(5), ElementsAre("a\n", "bb\n"));
  EXPECT_THAT(lines(6), ElementsAre("a\n", "bb\n", "ccc\n"));
  EXPECT_THAT(lines(0), ElementsAre("a\n", "bb\n", "ccc\n", "dddd\n"));
  EXPECT_THAT(lines(-3), ElementsAre("a\n", "bb\n", "ccc\n", "dddd\n"));
}

TEST_P(Shape, ReadLinesFromMidLine) {
  BytesIO f = Make("a\nbb\nccc\ndddd");
  ASSERT_OK(f.Seek(3));
  EXPECT_THAT(Strings(Ok(f.ReadLines())), ElementsAre("b\n", "ccc\n", "dddd"));
  EXPECT_EQ(Pos(f), 13);
}

TEST_P(Shape, ReadLinesAfterOverseek) {
  BytesIO f = Make("a\nb");
  ASSERT_OK(f.Seek(30));
  EXPECT_THAT(Ok(f.ReadLines()), IsEmpty());
  EXPECT_EQ(Pos(f), 30);
}

TEST_P(Shape, ReadLinesPositionAfterLastLineReturned) {
  BytesIO f = Make("a\nbb\nccc\n");
  EXPECT_THAT(Strings(Ok(f.ReadLines(2))), ElementsAre("a\n"));
  EXPECT_EQ(Pos(f), 2);
}

TEST_P(Shape, LinesIteratesAll) {
  BytesIO f = Make("x\ny\n\nz");
  std::vector<std::string> lines;
  BytesIO::LineRange range = f.Lines();
  for (const Rope& line : range) lines.push_back(line.ToString());
  EXPECT_OK(range.status());
  EXPECT_THAT(lines, ElementsAre("x\n", "y\n", "\n", "z"));
  EXPECT_EQ(Pos(f), 6);
}

TEST_P(Shape, LinesFromMidLine) {
  BytesIO f = Make("abc\ndef");
  ASSERT_OK(f.Seek(2));
  std::vector<std::string> lines;
  for (const Rope& line : f.Lines()) lines.push_back(line.ToString());
  EXPECT_THAT(lines, ElementsAre("c\n", "def"));
}

TEST(BytesIO, NextLineFollowsLivePosition) {
  BytesIO f("one\ntwo\n");
  EXPECT_EQ(Ok(f.NextLine()), Rope(absl::string_view("one\n")));
  ASSERT_OK(f.Seek(0));
  EXPECT_EQ(Ok(f.NextLine()), Rope(absl::string_view("one\n")));
  // A write made during iteration is seen.
  ASSERT_OK(f.Write("TWO\n"));
  ASSERT_OK(f.Seek(4));
  EXPECT_EQ(Ok(f.NextLine()), Rope(absl::string_view("TWO\n")));
  EXPECT_EQ(Ok(f.NextLine()), std::nullopt);
  ASSERT_OK(f.Seek(40));
  EXPECT_EQ(Ok(f.NextLine()), std::nullopt);
  EXPECT_EQ(Pos(f), 40);
}

TEST(BytesIO, LinesKeepsClosedStatus) {
  BytesIO f("a\nb\n");
  BytesIO::LineRange range = f.Lines();
  int seen = 0;
  for (const Rope& line : range) {
    EXPECT_EQ(line, "a\n");
    ++seen;
    ASSERT_OK(f.Close());
  }
  EXPECT_EQ(seen, 1);
  EXPECT_THAT(range.status(), StatusIs(kFailedPrecondition, kClosed));
}

// ---------------------------------------------------------------------------
// Write, WriteLines.

TEST_P(Shape, WriteAfterOverseekZeroFillsGap) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(10));
  EXPECT_EQ(Ok(f.Write("x")), 1u);
  EXPECT_EQ(Value(f), std::string("abc\0\0\0\0\0\0\0x", 11));
  EXPECT_EQ(Pos(f), 11);
}

TEST_P(Shape, EmptyWriteAfterOverseekDoesNothing) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(10));
  EXPECT_EQ(Ok(f.Write("")), 0u);
  EXPECT_EQ(Ok(f.Write(Rope())), 0u);
  EXPECT_EQ(Value(f), "abc");
  EXPECT_EQ(Pos(f), 10);
}

TEST_P(Shape, SeekEndThenWritePadsGap) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(0, BytesIO::kSeekEnd));
  ASSERT_OK(f.Seek(1, BytesIO::kSeekEnd));
  ASSERT_OK(f.Write("Q"));
  EXPECT_EQ(Value(f), std::string("abc\0Q", 5));
}

TEST_P(Shape, WriteOverwritesInPlace) {
  BytesIO f = Make("abcdef");
  ASSERT_OK(f.Seek(2));
  EXPECT_EQ(Ok(f.Write("XY")), 2u);
  EXPECT_EQ(Value(f), "abXYef");
  EXPECT_EQ(Pos(f), 4);
}

TEST_P(Shape, WriteOverwritesThenExtends) {
  BytesIO f = Make("abcdef");
  ASSERT_OK(f.Seek(4));
  ASSERT_OK(f.Write("XYZW"));
  EXPECT_EQ(Value(f), "abcdXYZW");
  EXPECT_EQ(Pos(f), 8);
}

TEST_P(Shape, WriteRopeMatchesStringAtEveryOffset) {
  // Both sides of the copy-or-share threshold, at the start, middle, end,
  // straddling the end, and past the end.
  const std::string base(3000, 'b');
  for (size_t n : {size_t{1}, size_t{511}, size_t{512}, size_t{2000}}) {
    for (size_t pos : {size_t{0}, size_t{100}, size_t{1000}, size_t{2999},
                       size_t{3000}, size_t{3100}}) {
      SCOPED_TRACE(testing::Message() << "n=" << n << " pos=" << pos);
      const std::string piece(n, 'P');
      std::string expected = base;
      if (pos > expected.size()) expected.resize(pos, '\0');
      expected.replace(pos, std::min(n, expected.size() - pos), piece);
      BytesIO f = Make(base);
      ASSERT_OK(f.Seek(static_cast<int64_t>(pos)));
      EXPECT_EQ(Ok(f.Write(MakeRope(piece, GetParam()))), n);
      EXPECT_EQ(Value(f), expected);
      EXPECT_EQ(Pos(f), static_cast<int64_t>(pos + n));
      const Rope value = Ok(f.GetValue());
      EXPECT_EQ(internal::RopeAccess::CheckInvariants(value), "");
    }
  }
}

TEST(BytesIO, WriteReturnsByteCount) {
  const int32_t items[] = {1, 2};
  BytesIO f;
  EXPECT_EQ(Ok(f.Write(absl::string_view(reinterpret_cast<const char*>(items),
                                         sizeof(items)))),
            8u);
}

TEST(BytesIO, WriteAtMaxPositionOverflows) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(kMax));
  EXPECT_THAT(f.Write("x"), StatusIs(absl::StatusCode::kOutOfRange,
                                     "new buffer size too large"));
  EXPECT_THAT(
      f.Write(Rope(std::string(1000, 'x'))),
      StatusIs(absl::StatusCode::kOutOfRange, "new buffer size too large"));
  EXPECT_EQ(Pos(f), kMax);
  EXPECT_EQ(Value(f), "abc");
  // The last position a byte fits at.
  ASSERT_OK(f.Seek(kMax - 2));
  EXPECT_THAT(f.Write("xyz"), StatusIs(absl::StatusCode::kOutOfRange));
}

TEST(BytesIO, WriteFarPastEndIsRefusedWithoutAllocating) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(int64_t{1} << 50));
  // Refused before anything is touched: asan would also catch a 1 PiB
  // allocation attempt.
  EXPECT_THAT(f.Write("x"),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("zero-fill 1125899906842621 bytes")));
  EXPECT_THAT(f.Write(Rope(std::string(1000, 'x'))),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(f.WriteLines({"a", "b"}),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(Pos(f), int64_t{1} << 50);
  EXPECT_EQ(Value(f), "abc");
  // Just past the limit is refused too.
  ASSERT_OK(f.Seek(3 + BytesIO::kMaxZeroFill + 1));
  EXPECT_THAT(f.Write("x"), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(Value(f), "abc");
}

TEST(BytesIO, GapOfExactlyMaxZeroFillIsAccepted) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(3 + BytesIO::kMaxZeroFill));
  ASSERT_OK(f.Write("x"));
  const Rope value = Ok(f.GetValue());
  EXPECT_EQ(value.size(), static_cast<size_t>(BytesIO::kMaxZeroFill) + 4);
  EXPECT_LT(value.EstimatedMemoryUsage(), size_t{64} << 20);
  EXPECT_EQ(value[value.size() - 1], 'x');
  EXPECT_EQ(value[value.size() - 2], '\0');
}

TEST(BytesIO, LargeGapIsCheap) {
  // 1 GiB of zeros references a shared zero chunk: no GiB is allocated.
  constexpr int64_t kGap = int64_t{1} << 30;
  BytesIO f("abc");
  ASSERT_OK(f.Seek(3 + kGap));
  ASSERT_OK(f.Write("z"));
  const Rope value = Ok(f.GetValue());
  EXPECT_EQ(value.size(), static_cast<size_t>(kGap + 4));
  EXPECT_LT(value.EstimatedMemoryUsage(), size_t{64} << 20);
  EXPECT_EQ(value[3], '\0');
  EXPECT_EQ(value[kGap + 2], '\0');
  EXPECT_EQ(value[kGap + 3], 'z');
  ASSERT_OK(f.Seek(kGap + 2));
  EXPECT_EQ(Ok(f.Read()), absl::string_view("\0z", 2));
}

TEST(BytesIO, WriteLinesAfterOverseekPads) {
  BytesIO f;
  ASSERT_OK(f.Seek(2));
  ASSERT_OK(f.WriteLines({"a", "b"}));
  EXPECT_EQ(Value(f), std::string("\0\0ab", 4));
}

TEST(BytesIO, WriteLinesEmptyItemsFollowWriteRules) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(5));
  ASSERT_OK(f.WriteLines({""}));
  EXPECT_EQ(Value(f), "abc");
  EXPECT_EQ(Pos(f), 5);
  ASSERT_OK(f.WriteLines({"", "Z"}));
  EXPECT_EQ(Value(f), std::string("abc\0\0Z", 6));
}

TEST(BytesIO, WriteLinesAcceptsContainersOfStringsAndRopes) {
  BytesIO f;
  ASSERT_OK(f.WriteLines(std::vector<std::string>{"ab", "cd"}));
  ASSERT_OK(f.WriteLines(std::vector<Rope>{Rope(absl::string_view("ef")),
                                           Rope(std::string(600, 'g'))}));
  const absl::string_view views[] = {"h", "i"};
  ASSERT_OK(f.WriteLines(absl::MakeConstSpan(views)));
  EXPECT_EQ(Value(f), "abcdef" + std::string(600, 'g') + "hi");
}

TEST(BytesIO, WriteLinesStopsAtFirstFailure) {
  // C++ items cannot fail by type; an empty item at INT64_MAX succeeds (it
  // writes nothing) and the next one overflows. Earlier items stay written.
  BytesIO f("abc");
  ASSERT_OK(f.Seek(kMax));
  EXPECT_THAT(f.WriteLines({"", "x", "y"}),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_EQ(Pos(f), kMax);
  EXPECT_EQ(Value(f), "abc");
}

// ---------------------------------------------------------------------------
// Zero copy and copy-on-write.

TEST(BytesIO, ReadOfLargeRopeSharesOriginalMemory) {
  const std::string data(300000, 'q');
  const Rope source(std::string{data});  // adopted: one big chunk
  const absl::string_view chunk = *source.Chunks().begin();
  BytesIO f(source);
  ASSERT_OK(f.Seek(1000));
  const Rope got = Ok(f.Read(200000));
  EXPECT_EQ(got.size(), 200000u);
  EXPECT_EQ(BytesWithin(got, chunk.data(), chunk.data() + chunk.size()),
            got.size());
  EXPECT_EQ((*got.Chunks().begin()).data(), chunk.data() + 1000);
}

TEST_P(Shape, GetValueAndReadShareChunks) {
  const std::string data(100000, 's');
  const Rope source = MakeRope(data, GetParam());
  BytesIO f(source);
  const Rope value = Ok(f.GetValue());
  EXPECT_EQ(BytesSharedWith(value, source), data.size());
  ASSERT_OK(f.Seek(20000));
  const Rope read = Ok(f.Read(50000));
  // Pieces at the cut points of at most kMaxBytesToCopy may be copied.
  EXPECT_GE(BytesSharedWith(read, source),
            read.size() - 2 * Rope::kMaxBytesToCopy);
}

TEST(BytesIO, WriteOfLargeRopeShares) {
  const Rope big(std::string(100000, 'B'));
  const absl::string_view chunk = *big.Chunks().begin();
  BytesIO f(std::string(300000, 'a'));
  ASSERT_OK(f.Seek(1000));  // in the middle: spliced, not copied
  ASSERT_OK(f.Write(big));
  BytesIO g;
  ASSERT_OK(g.Write(big));  // into an empty stream
  for (BytesIO* io : {&f, &g}) {
    const Rope value = Ok(io->GetValue());
    EXPECT_EQ(BytesWithin(value, chunk.data(), chunk.data() + chunk.size()),
              big.size());
  }
  EXPECT_EQ(Value(f), std::string(1000, 'a') + std::string(100000, 'B') +
                          std::string(199000, 'a'));
}

TEST(BytesIO, WriteOfSmallRopeCopies) {
  const Rope source = MakeRope(std::string(Rope::kMaxBytesToCopy, 'c'),
                               RopeShape::kExternalChunks);
  BytesIO f;
  ASSERT_OK(f.Write(source));
  EXPECT_EQ(BytesSharedWith(Ok(f.GetValue()), source), 0u);
}

TEST_P(Shape, WriteIntoSharedChunkLeavesSnapshotsUnchanged) {
  const std::string data(100000, 'v');
  BytesIO f = Make(data);
  const Rope snapshot = Ok(f.GetValue());
  ASSERT_OK(f.Seek(50000));
  const Rope read = Ok(f.Read(1000));
  ASSERT_OK(f.Seek(50500));
  ASSERT_OK(f.Write("XY"));
  EXPECT_EQ(snapshot, data);
  EXPECT_EQ(read, std::string(1000, 'v'));
  std::string expected = data;
  expected.replace(50500, 2, "XY");
  const Rope value = Ok(f.GetValue());
  EXPECT_EQ(value, expected);
  // Only the touched part was copied: all but a few KiB still shared.
  EXPECT_GE(BytesSharedWith(value, snapshot), data.size() - 4096);
}

TEST(BytesIO, WriteIntoPrivateChunkIsInPlace) {
  BytesIO f;  // one big write: one owned, private chunk
  ASSERT_OK(f.Write(std::string(100000, 'p')));
  const char* before = (*Ok(f.GetValue()).Chunks().begin()).data();
  ASSERT_OK(f.Seek(10));
  ASSERT_OK(f.Write("XYZ"));
  const Rope value = Ok(f.GetValue());
  EXPECT_EQ((*value.Chunks().begin()).data(), before);
  EXPECT_EQ(internal::RopeAccess::SliceCount(value), 1u);
}

// ---------------------------------------------------------------------------
// Seek, Tell, Truncate.

TEST(BytesIO, SeekNegative) {
  BytesIO f("abc");
  EXPECT_THAT(f.Seek(-1), StatusIs(absl::StatusCode::kInvalidArgument,
                                   "negative seek value -1"));
  EXPECT_EQ(Pos(f), 0);
}

TEST_P(Shape, SeekCurClampsAtZero) {
  BytesIO f = Make("abcdef");
  ASSERT_OK(f.Seek(2));
  EXPECT_EQ(Ok(f.Seek(-5, BytesIO::kSeekCur)), 0);
  ASSERT_OK(f.Seek(3));
  EXPECT_EQ(Ok(f.Seek(std::numeric_limits<int64_t>::min(), SEEK_CUR)), 0);
  EXPECT_EQ(Ok(f.Seek(4, SEEK_CUR)), 4);
}

TEST_P(Shape, SeekEnd) {
  BytesIO f = Make("abcdef");
  EXPECT_EQ(Ok(f.Seek(-2, BytesIO::kSeekEnd)), 4);
  EXPECT_EQ(Ok(f.Seek(-100, BytesIO::kSeekEnd)), 0);
  EXPECT_EQ(Ok(f.Seek(4, SEEK_END)), 10);
  EXPECT_EQ(Value(f), "abcdef");
}

TEST(BytesIO, SeekInvalidWhence) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(2));
  EXPECT_THAT(f.Seek(1, 3),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid whence (3, should be 0, 1 or 2)"));
  EXPECT_THAT(f.Seek(0, -1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid whence (-1, should be 0, 1 or 2)"));
  // The whence error wins over the negative-value one.
  EXPECT_THAT(f.Seek(-1, 3), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("invalid whence (3")));
  EXPECT_EQ(Pos(f), 2);
}

TEST(BytesIO, SeekOverflow) {
  BytesIO f("abc");
  EXPECT_EQ(Ok(f.Seek(kMax, SEEK_CUR)), kMax);  // from 0: fine
  ASSERT_OK(f.Seek(1));
  EXPECT_THAT(f.Seek(kMax, SEEK_CUR), StatusIs(absl::StatusCode::kOutOfRange,
                                               "new position too large"));
  EXPECT_EQ(Pos(f), 1);
  BytesIO g("abcdef");
  EXPECT_EQ(Ok(g.Seek(kMax - 6, SEEK_END)), kMax);
  ASSERT_OK(g.Seek(3));
  EXPECT_THAT(
      g.Seek(kMax - 5, SEEK_END),
      StatusIs(absl::StatusCode::kOutOfRange, "new position too large"));
  EXPECT_EQ(Pos(g), 3);
}

TEST_P(Shape, TruncateDefaultsToPosition) {
  BytesIO f = Make("abcdef");
  EXPECT_EQ(Ok(f.Truncate()), 0);
  EXPECT_EQ(Value(f), "");
  BytesIO g = Make("abcdef");
  ASSERT_OK(g.Seek(4));
  EXPECT_EQ(Ok(g.Truncate()), 4);
  EXPECT_EQ(Value(g), "abcd");
  EXPECT_EQ(Pos(g), 4);
}

TEST_P(Shape, TruncateNeverMovesPosition) {
  BytesIO f = Make("abcdef");
  ASSERT_OK(f.Seek(5));
  EXPECT_EQ(Ok(f.Truncate(2)), 2);
  EXPECT_EQ(Pos(f), 5);
  EXPECT_EQ(Ok(f.Read()), "");
  BytesIO g = Make("abcdef");
  ASSERT_OK(g.Seek(3));
  EXPECT_EQ(Ok(g.Truncate(0)), 0);
  EXPECT_EQ(Pos(g), 3);
  EXPECT_EQ(Ok(g.Read()), "");
  EXPECT_EQ(Value(g), "");
}

TEST_P(Shape, TruncateNeverExtends) {
  BytesIO f = Make("abcdef");
  EXPECT_EQ(Ok(f.Truncate(100)), 100);
  EXPECT_EQ(Value(f), "abcdef");
  EXPECT_EQ(Pos(f), 0);
  ASSERT_OK(f.Seek(10));
  EXPECT_EQ(Ok(f.Truncate()), 10);
  EXPECT_EQ(Value(f), "abcdef");
}

TEST_P(Shape, TruncateThenWritePads) {
  BytesIO f = Make("abcdef");
  ASSERT_OK(f.Seek(5));
  ASSERT_OK(f.Truncate(2));
  ASSERT_OK(f.Write("x"));
  EXPECT_EQ(Value(f), std::string("ab\0\0\0x", 6));
}

TEST(BytesIO, TruncateNegative) {
  BytesIO f("abc");
  EXPECT_THAT(f.Truncate(-1), StatusIs(absl::StatusCode::kInvalidArgument,
                                       "negative size value -1"));
  EXPECT_EQ(Value(f), "abc");
}

TEST_P(Shape, TruncateLeavesSnapshotsUnchanged) {
  const std::string data(5000, 't');
  BytesIO f = Make(data);
  const Rope snapshot = Ok(f.GetValue());
  ASSERT_OK(f.Truncate(10));
  ASSERT_OK(f.Seek(0, SEEK_END));
  ASSERT_OK(f.Write("after"));
  EXPECT_EQ(snapshot, data);
  EXPECT_EQ(Value(f), std::string(10, 't') + "after");
}

// ---------------------------------------------------------------------------
// GetBuffer and the export lock.

TEST_P(Shape, ExportBlocksWrite) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  ASSERT_OK(f.Seek(0));
  EXPECT_THAT(f.Write("Q"), StatusIs(kFailedPrecondition, kExports));
  EXPECT_THAT(f.Write(""), StatusIs(kFailedPrecondition, kExports));
  EXPECT_THAT(f.Write(Rope(std::string(1000, 'r'))),
              StatusIs(kFailedPrecondition, kExports));
  EXPECT_THAT(f.WriteLines({"a"}), StatusIs(kFailedPrecondition, kExports));
  ASSERT_OK(f.Seek(10));
  EXPECT_THAT(f.Write("x"), StatusIs(kFailedPrecondition, kExports));
  EXPECT_EQ(Pos(f), 10);
  EXPECT_EQ(Value(f), "abcdef");
}

TEST_P(Shape, ExportAllowsEmptyWriteLines) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_OK(f.WriteLines(std::vector<std::string>()));
}

TEST_P(Shape, ExportBlocksTruncate) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_THAT(f.Truncate(100), StatusIs(kFailedPrecondition, kExports));
  EXPECT_THAT(f.Truncate(), StatusIs(kFailedPrecondition, kExports));
  // The export check comes before the negative check.
  EXPECT_THAT(f.Truncate(-1), StatusIs(kFailedPrecondition, kExports));
  EXPECT_EQ(Value(f), "abcdef");
}

TEST_P(Shape, ExportBlocksClose) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_THAT(f.Close(), StatusIs(kFailedPrecondition, kExports));
  EXPECT_FALSE(f.closed());
  EXPECT_EQ(Value(f), "abcdef");
}

TEST_P(Shape, ExportBlocksResetAndSetState) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(2));
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_THAT(f.Reset("xy"), StatusIs(kFailedPrecondition, kExports));
  EXPECT_THAT(f.SetState(Rope(absl::string_view("xy")), 0),
              StatusIs(kFailedPrecondition, kExports));
  EXPECT_EQ(Value(f), "abc");
  EXPECT_EQ(Pos(f), 2);
}

TEST_P(Shape, ExportWritesThrough) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  ASSERT_EQ(v.size(), 6u);
  v[0] = 'A';
  EXPECT_EQ(Value(f), "Abcdef");
  v[0] = 'Z';
  std::memcpy(v.data() + 1, "YX", 2);
  EXPECT_EQ(Value(f), "ZYXdef");
  EXPECT_EQ(Ok(f.Read()), "ZYXdef");
  EXPECT_EQ(v.view(), "ZYXdef");
}

TEST_P(Shape, ReleaseUnlocks) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_TRUE(v.holds_export());
  v.Release();
  EXPECT_FALSE(v.holds_export());
  EXPECT_EQ(v.size(), 0u);
  v.Release();  // idempotent
  ASSERT_OK(f.Write("1234567"));
  EXPECT_EQ(Value(f), "1234567");
}

TEST_P(Shape, AllExportsMustBeReleased) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v1, f.GetBuffer());
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v2, f.GetBuffer());
  EXPECT_EQ(v1.data(), v2.data());
  v1.Release();
  EXPECT_THAT(f.Write("x"), StatusIs(kFailedPrecondition, kExports));
  v2.Release();
  ASSERT_OK(f.Write("x"));
  EXPECT_EQ(Value(f), "xbcdef");
}

TEST_P(Shape, CopiesAndSubspansAreExportsOfTheirOwn) {
  BytesIO f = Make("abcdef");
  {
    ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
    BytesIO::ExportedBuffer slice = v.Subspan(2, 3);
    EXPECT_EQ(slice.view(), "cde");
    BytesIO::ExportedBuffer copy = v;
    BytesIO::ExportedBuffer moved = std::move(v);
    EXPECT_FALSE(v.holds_export());  // NOLINT(bugprone-use-after-move)
    moved.Release();
    EXPECT_THAT(f.Write("x"), StatusIs(kFailedPrecondition, kExports));
    copy = BytesIO::ExportedBuffer();  // assignment releases
    // The slice keeps the export alive after its parent is released.
    EXPECT_THAT(f.Write("x"), StatusIs(kFailedPrecondition, kExports));
    slice[0] = 'C';
    copy = slice;  // copy-assignment adds an export
    slice.Release();
    EXPECT_THAT(f.Truncate(1), StatusIs(kFailedPrecondition, kExports));
  }  // destructors release the rest
  ASSERT_OK(f.Write("x"));
  EXPECT_EQ(Value(f), "xbCdef");
}

TEST_P(Shape, ReadsAllowedWhileExported) {
  BytesIO f = Make("abcdef");
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  ASSERT_OK(f.Seek(3));
  EXPECT_EQ(Ok(f.Read()), "def");
  EXPECT_EQ(Value(f), "abcdef");
  EXPECT_TRUE(Ok(f.Readable()));
  EXPECT_FALSE(Ok(f.IsAtty()));
  EXPECT_OK(f.Flush());
  ASSERT_OK(f.Seek(0));
  char buffer[2];
  EXPECT_EQ(Ok(f.ReadInto(absl::MakeSpan(buffer))), 2u);
  EXPECT_EQ(Ok(f.ReadLine(2)), "cd");
  EXPECT_EQ(Pos(f), 4);
}

TEST_P(Shape, ReadsWhileExportedAreCopies) {
  const std::string data = std::string(3000, 'e') + "\nline\n";
  BytesIO f = Make(data);
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  const char* begin = v.data();
  const char* end = v.data() + v.size();
  const Rope value = Ok(f.GetValue());
  const Rope read = Ok(f.Read(2000));
  const Rope line = Ok(f.ReadLine());
  const std::vector<Rope> lines = Ok(f.ReadLines());
  const BytesIO::State state = Ok(f.GetState());
  EXPECT_EQ(BytesWithin(value, begin, end), 0u);
  EXPECT_EQ(BytesWithin(read, begin, end), 0u);
  EXPECT_EQ(BytesWithin(line, begin, end), 0u);
  EXPECT_EQ(BytesWithin(lines[0], begin, end), 0u);
  EXPECT_EQ(BytesWithin(state.value, begin, end), 0u);
  std::memset(v.data(), 'W', v.size());
  EXPECT_EQ(value, data);
  EXPECT_EQ(read, std::string(2000, 'e'));
  EXPECT_EQ(line, std::string(1000, 'e') + "\n");
  EXPECT_THAT(Strings(lines), ElementsAre("line\n"));
  EXPECT_EQ(state.value, data);
  // After the release GetValue shares again.
  v.Release();
  const Rope shared = Ok(f.GetValue());
  EXPECT_EQ(BytesSharedWith(Ok(f.GetValue()), shared), data.size());
}

TEST_P(Shape, SnapshotSurvivesExportWrite) {
  BytesIO f = Make("abcdef");
  const Rope g = Ok(f.GetValue());
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  v[0] = 'A';
  EXPECT_EQ(g, "abcdef");
  EXPECT_EQ(Value(f), "Abcdef");
}

TEST_P(Shape, SnapshotAfterReleaseSurvivesLaterWrites) {
  const std::string data(2000, 'k');
  BytesIO f = Make(data);
  {
    ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
    v[0] = 'K';
  }
  const Rope g = Ok(f.GetValue());
  ASSERT_OK(f.Write("QQ"));
  EXPECT_EQ(g, "K" + data.substr(1));
  EXPECT_EQ(Value(f), "QQ" + data.substr(2));
}

TEST_P(Shape, ExportCoversSizeNotPosition) {
  BytesIO f = Make("abc");
  ASSERT_OK(f.Seek(10));
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(Pos(f), 10);
}

TEST(BytesIO, ExportOfEmptyStreamStillLocks) {
  BytesIO f;
  ASSERT_OK_AND_ASSIGN(BytesIO::ExportedBuffer v, f.GetBuffer());
  EXPECT_EQ(v.size(), 0u);
  EXPECT_TRUE(v.holds_export());
  EXPECT_THAT(f.Write("a"), StatusIs(kFailedPrecondition, kExports));
}

TEST(BytesIO, ExportLargerThanAChunkIsRefused) {
  // A 3 GiB stream is cheap to make (a zero-filled gap) but cannot be one
  // contiguous chunk.
  BytesIO f("abc");
  ASSERT_OK(f.Seek(int64_t{3} << 30));
  ASSERT_OK(f.Write("x"));
  EXPECT_THAT(f.GetBuffer(), StatusIs(absl::StatusCode::kResourceExhausted,
                                      HasSubstr("3221225473 bytes")));
  ASSERT_OK(f.Write("y"));  // not locked
  EXPECT_EQ(Pos(f), (int64_t{3} << 30) + 2);
}

// ---------------------------------------------------------------------------
// Close, flags, Fileno/Detach, state.

TEST(BytesIO, CloseTwiceIsFine) {
  BytesIO f("abc");
  EXPECT_FALSE(f.closed());
  ASSERT_OK(f.Close());
  ASSERT_OK(f.Close());
  EXPECT_TRUE(f.closed());
}

TEST(BytesIO, ClosedRefusesEverything) {
  BytesIO f("abc\n");
  ASSERT_OK(f.Close());
  const auto closed = StatusIs(kFailedPrecondition, kClosed);
  char buffer[4];
  EXPECT_THAT(f.Read(), closed);
  EXPECT_THAT(f.Read1(), closed);
  EXPECT_THAT(f.ReadInto(absl::MakeSpan(buffer)), closed);
  EXPECT_THAT(f.ReadInto1(absl::MakeSpan(buffer)), closed);
  EXPECT_THAT(f.ReadLine(), closed);
  EXPECT_THAT(f.ReadLines(), closed);
  EXPECT_THAT(f.NextLine(), closed);
  EXPECT_THAT(f.Write(""), closed);
  EXPECT_THAT(f.Write(Rope()), closed);
  EXPECT_THAT(f.WriteLines(std::vector<std::string>()), closed);
  EXPECT_THAT(f.GetValue(), closed);
  EXPECT_THAT(f.GetBuffer(), closed);
  EXPECT_THAT(f.Seek(0), closed);
  // The closed check comes before value checks.
  EXPECT_THAT(f.Seek(-1), closed);
  EXPECT_THAT(f.Seek(0, 7), closed);
  EXPECT_THAT(f.Tell(), closed);
  EXPECT_THAT(f.Truncate(), closed);
  EXPECT_THAT(f.Truncate(0), closed);
  EXPECT_THAT(f.Truncate(-1), closed);
  EXPECT_THAT(f.Readable(), closed);
  EXPECT_THAT(f.Writable(), closed);
  EXPECT_THAT(f.Seekable(), closed);
  EXPECT_THAT(f.IsAtty(), closed);
  EXPECT_THAT(f.Flush(), closed);
  EXPECT_THAT(f.GetState(), closed);
  EXPECT_THAT(f.SetState(Rope(), 0), closed);
  int lines = 0;
  BytesIO::LineRange range = f.Lines();
  for (const Rope& line : range) lines += static_cast<int>(line.size()) + 1;
  EXPECT_EQ(lines, 0);
  EXPECT_THAT(range.status(), closed);
}

TEST(BytesIO, FilenoAndDetachUnimplemented) {
  BytesIO f("abc");
  EXPECT_THAT(f.Fileno(), StatusIs(absl::StatusCode::kUnimplemented, "fileno"));
  EXPECT_THAT(f.Detach(), StatusIs(absl::StatusCode::kUnimplemented, "detach"));
  ASSERT_OK(f.Close());
  EXPECT_THAT(f.Fileno(), StatusIs(absl::StatusCode::kUnimplemented, "fileno"));
  EXPECT_THAT(f.Detach(), StatusIs(absl::StatusCode::kUnimplemented, "detach"));
}

TEST(BytesIO, FlagsWhileOpen) {
  BytesIO f("abc");
  EXPECT_FALSE(Ok(f.IsAtty()));
  EXPECT_TRUE(Ok(f.Readable()));
  EXPECT_TRUE(Ok(f.Writable()));
  EXPECT_TRUE(Ok(f.Seekable()));
  EXPECT_OK(f.Flush());
  EXPECT_FALSE(f.closed());
}

TEST(BytesIO, GetStateAndSetState) {
  BytesIO f("abc");
  ASSERT_OK(f.Seek(2));
  BytesIO::State state = Ok(f.GetState());
  EXPECT_EQ(state.value, "abc");
  EXPECT_EQ(state.position, 2);
  BytesIO g;
  ASSERT_OK(g.SetState(state.value, 7));  // past the end is allowed
  EXPECT_EQ(Value(g), "abc");
  EXPECT_EQ(Pos(g), 7);
  EXPECT_THAT(g.SetState(Rope(absl::string_view("zz")), -1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "position value cannot be negative"));
  EXPECT_EQ(Value(g), "abc");
  EXPECT_EQ(Pos(g), 7);
}

// ---- Conveniences for Python porters. ----

TEST(BytesIOSize, IsLenOfGetvalueWithoutTheRoundTrip) {
  BytesIO io(absl::string_view("hello"));
  EXPECT_EQ(io.size(), 5u);
  ASSERT_OK(io.Seek(100).status());
  EXPECT_EQ(io.size(), 5u);  // an overseek gap is not data yet
  ASSERT_OK(io.Write("!").status());
  EXPECT_EQ(io.size(), 101u);
  ASSERT_OK(io.Truncate(3).status());
  EXPECT_EQ(io.size(), 3u);
  ASSERT_OK_AND_ASSIGN(Rope value, io.GetValue());
  EXPECT_EQ(io.size(), value.size());
  ASSERT_OK(io.Close());
  EXPECT_EQ(io.size(), 0u);
}

TEST(BytesIOConstruction, AdoptsAMovedStringWithoutCopying) {
  std::string big(4096, 'a');
  big[100] = 'b';
  const char* buffer = big.data();
  BytesIO io(std::move(big));
  ASSERT_OK_AND_ASSIGN(Rope value, io.GetValue());
  ASSERT_EQ(value.size(), 4096u);
  std::optional<absl::string_view> flat = value.TryFlat();
  ASSERT_TRUE(flat.has_value());
  EXPECT_EQ(flat->data(), buffer);  // the string's own buffer, not a copy
  EXPECT_EQ((*flat)[100], 'b');
  // Writes copy-on-write: the adopted buffer is the snapshot's and stays.
  ASSERT_OK(io.Write("zz").status());
  EXPECT_EQ(flat->substr(0, 2), "aa");
  ASSERT_OK_AND_ASSIGN(Rope after, io.GetValue());
  EXPECT_EQ(after.Subrope(0, 3), "zza");
}

TEST(BytesIOConstruction, LvalueStringsAndLiteralsAreCopied) {
  const std::string text(4096, 'c');
  BytesIO io(text);
  ASSERT_OK_AND_ASSIGN(Rope value, io.GetValue());
  EXPECT_NE(value.TryFlat()->data(), text.data());
  EXPECT_EQ(value, text);
  BytesIO literal("abc");
  EXPECT_EQ(literal.size(), 3u);
  std::string small = "small";
  BytesIO adopted_small(std::move(small));
  ASSERT_OK_AND_ASSIGN(Rope small_value, adopted_small.GetValue());
  EXPECT_EQ(small_value, "small");
}

// ---------------------------------------------------------------------------
// Trees built through BytesIO only, and sizes near INT64_MAX.

TEST(BytesIO, SnapshotOverwritesThenDoublingsStayReadable) {
  // 1,024 one-byte copy-on-write overwrites (a snapshot is held) make 1,024
  // one-byte slices; 47 self-writes at the end double them to 2^57 bytes in
  // a few kilobytes of shared nodes. Reading used to overflow the iterator's
  // fixed path (height past kMaxHeight).
  std::string base(1024, '.');
  for (size_t i = 0; i < base.size(); ++i) base[i] = static_cast<char>(i * 7);
  BytesIO f(std::string(1024, 'a'));
  const Rope snapshot = Ok(f.GetValue());
  for (size_t i = 0; i < base.size(); ++i) {
    ASSERT_OK(f.Seek(static_cast<int64_t>(i)));
    ASSERT_OK(f.Write(absl::string_view(&base[i], 1)));
  }
  ASSERT_OK(f.Seek(0, BytesIO::kSeekEnd));
  for (int i = 0; i < 47; ++i) {
    ASSERT_OK(f.Write(Ok(f.GetValue())));
    const Rope value = Ok(f.GetValue());
    ASSERT_EQ(internal::RopeAccess::CheckInvariants(value), "") << i;
  }
  const Rope value = Ok(f.GetValue());
  ASSERT_EQ(value.size(), size_t{1} << 57);
  EXPECT_LE(internal::RopeAccess::TreeHeight(value), internal::kMaxHeight);
  for (int64_t pos : {int64_t{0}, int64_t{1000}, (int64_t{1} << 56) - 3,
                      (int64_t{1} << 57) - 40}) {
    ASSERT_OK(f.Seek(pos));
    const Rope read = Ok(f.Read(40));
    ASSERT_EQ(read.size(), 40u);
    for (size_t i = 0; i < 40; ++i) {
      ASSERT_EQ(read[i], base[(static_cast<size_t>(pos) + i) % 1024])
          << pos + static_cast<int64_t>(i);
    }
  }
  EXPECT_EQ(snapshot, std::string(1024, 'a'));
}

TEST(BytesIO, GrowingPastInt64MaxIsRefusedBeforeTheRopeLimit) {
  // BytesIO refuses an end past INT64_MAX with OutOfRange; Rope::kMaxSize
  // is the same bound, so the Rope's own check (a crash) is never reached.
  static_assert(Rope::kMaxSize == static_cast<uint64_t>(kMax), "");
  BytesIO f(std::string(1024, 'x'));
  ASSERT_OK(f.Seek(0, BytesIO::kSeekEnd));
  for (int i = 0; i < 52; ++i) ASSERT_OK(f.Write(Ok(f.GetValue())));
  ASSERT_EQ(Pos(f), int64_t{1} << 62);
  EXPECT_THAT(f.Write(Ok(f.GetValue())), StatusIs(absl::StatusCode::kOutOfRange,
                                                  "new buffer size too large"));
  // Fill up to exactly INT64_MAX, then one more byte is refused.
  const Rope rest = Ok(f.GetValue()).Subrope(0, (size_t{1} << 62) - 1);
  ASSERT_OK(f.Write(rest));
  ASSERT_EQ(Pos(f), kMax);
  ASSERT_EQ(Ok(f.GetValue()).size(), static_cast<size_t>(kMax));
  EXPECT_THAT(f.Write("y"), StatusIs(absl::StatusCode::kOutOfRange,
                                     "new buffer size too large"));
  EXPECT_THAT(f.Write(rest), StatusIs(absl::StatusCode::kOutOfRange,
                                      "new buffer size too large"));
  // Overwrites inside stay possible.
  ASSERT_OK(f.Seek(-1, BytesIO::kSeekEnd));
  ASSERT_OK(f.Write("z"));
  ASSERT_OK(f.Seek(-2, BytesIO::kSeekEnd));
  EXPECT_EQ(Ok(f.Read()), "xz");
}

// ---------------------------------------------------------------------------
// Writing a view of the stream's own bytes.

// Writes bytes [src, src + n) of chunk `which` (0 first, 1 middle, 2 last) of
// the stream's own storage at `dst`, as Python would with a copy of them.
void CheckSelfWrite(BytesIO& f, std::string model, int which, size_t src,
                    size_t n, size_t dst) {
  absl::string_view view;
  {
    // Only the view stays: the stream is then the only holder of its chunk.
    Rope value = Ok(f.GetValue());
    std::vector<absl::string_view> chunks;
    for (absl::string_view chunk : value.Chunks()) chunks.push_back(chunk);
    ASSERT_FALSE(chunks.empty());
    absl::string_view chunk = which == 0   ? chunks.front()
                              : which == 1 ? chunks[chunks.size() / 2]
                                           : chunks.back();
    if (chunk.data() >= reinterpret_cast<const char*>(&value) &&
        chunk.data() < reinterpret_cast<const char*>(&value + 1)) {
      return;  // inline bytes of the copy, not of the stream
    }
    src = std::min(src, chunk.size() - 1);
    view = chunk.substr(src, n);
  }
  const std::string bytes(view);
  if (dst > model.size()) model.resize(dst, '\0');
  model.replace(dst, std::min(bytes.size(), model.size() - dst), bytes);
  ASSERT_OK(f.Seek(static_cast<int64_t>(dst)));
  ASSERT_OK_AND_ASSIGN(size_t written, f.Write(view));
  ASSERT_EQ(written, bytes.size());
  ASSERT_EQ(Value(f), model) << which << " " << src << " " << n << " " << dst;
  ASSERT_EQ(Pos(f), static_cast<int64_t>(dst + bytes.size()));
}

TEST(BytesIO, WriteOfAViewOfItsOwnBytes) {
  std::mt19937_64 rng(9);
  for (size_t size : {size_t{40}, size_t{1000}, size_t{5000}}) {
    const std::string data = RandomBytes(rng, size);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(absl::StrCat(size, " ", RopeShapeName(shape)));
      for (int which = 0; which < 3; ++which) {
        for (size_t src : {size_t{0}, size_t{7}, size / 2}) {
          for (size_t n : {size_t{1}, size_t{300}, size}) {
            for (size_t dst :
                 {size_t{0}, size_t{3}, size / 2, size - 1, size, size + 10}) {
              BytesIO f(MakeRope(data, shape));
              CheckSelfWrite(f, data, which, src, n, dst);
            }
          }
        }
      }
    }
  }
}

TEST(BytesIO, WriteOfAViewOfItsOwnAdoptedString) {
  // One external chunk: overwriting it released the string before the copy.
  std::string data(1000, 'q');
  data[3] = 'r';
  for (size_t dst : {size_t{0}, size_t{1}, size_t{500}, size_t{1000}}) {
    BytesIO f{Rope(std::string(data))};
    CheckSelfWrite(f, data, 0, 0, 1000, dst);
  }
}

}  // namespace
}  // namespace bytesio
