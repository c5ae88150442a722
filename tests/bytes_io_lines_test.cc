// Copyright 2026 The bytesio Authors.
//
// BytesIO::Lines() on lvalues (a LineRange over the caller's stream) and on
// rvalues (an OwningLineRange that holds the stream), the latter being
// Python's `for line in BytesIO(data):`. Run under --config=asan: iterating
// a temporary stream used to read it after its destruction.

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Lines of 0..~3000 bytes, so that some cross every chunk boundary a shape
// makes, with and without a final newline.
std::string ManyLines(bool final_newline) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    data += std::string(static_cast<size_t>(i * i * 2),
                        static_cast<char>('a' + i % 26));
    data += '\n';
  }
  if (!final_newline) data += "tail without newline";
  return data;
}

template <typename T>
T Ok(absl::StatusOr<T> status_or) {
  EXPECT_OK(status_or);
  return status_or.ok() ? *std::move(status_or) : T();
}

std::vector<std::string> SplitLines(absl::string_view data) {
  std::vector<std::string> lines;
  while (!data.empty()) {
    const size_t end = data.find('\n');
    const size_t n = end == absl::string_view::npos ? data.size() : end + 1;
    lines.emplace_back(data.substr(0, n));
    data.remove_prefix(n);
  }
  return lines;
}

static_assert(std::is_same<decltype(std::declval<BytesIO&>().Lines()),
                           BytesIO::LineRange>::value,
              "an lvalue stream is iterated in place");
static_assert(std::is_same<decltype(std::declval<BytesIO>().Lines()),
                           BytesIO::OwningLineRange>::value,
              "a temporary stream is owned by its range");
static_assert(!std::is_copy_constructible<BytesIO::OwningLineRange>::value &&
                  !std::is_move_constructible<BytesIO::OwningLineRange>::value,
              "the range's LineRange points into it: it must not move");

// Regression: `for (... : BytesIO(Rope(data)).Lines())` compiled and read
// the destroyed temporary in ReadLine (ASan: stack-use-after-scope).
TEST(BytesIOLines, TemporaryStreamLivesThroughTheLoop) {
  for (bool final_newline : {true, false}) {
    const std::string data = ManyLines(final_newline);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(
          absl::StrCat(RopeShapeName(shape), " final_newline=", final_newline));
      std::vector<std::string> got;
      for (const Rope& line : BytesIO(MakeRope(data, shape)).Lines()) {
        got.push_back(line.ToString());
      }
      EXPECT_EQ(got, SplitLines(data));
    }
  }
}

TEST(BytesIOLines, TemporaryFromBytesAndEmptyStreams) {
  std::vector<std::string> got;
  for (const Rope& line : BytesIO(absl::string_view("a\n\nb")).Lines()) {
    got.push_back(line.ToString());
  }
  EXPECT_THAT(got, ElementsAre("a\n", "\n", "b"));
  got.clear();
  for (const Rope& line : BytesIO().Lines()) got.push_back(line.ToString());
  EXPECT_THAT(got, IsEmpty());
}

TEST(BytesIOLines, MovedStreamIsIteratedFromItsPositionAndSourceIsEmptied) {
  BytesIO f(absl::string_view("ab\ncd\nef"));
  ASSERT_OK(f.Seek(3));
  BytesIO::OwningLineRange lines = std::move(f).Lines();
  // The source is left open, empty, at position 0 (BytesIO's move).
  EXPECT_FALSE(f.closed());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(Ok(f.GetValue()), "");
  EXPECT_EQ(Ok(f.Tell()), 0);
  std::vector<std::string> got;
  for (const Rope& line : lines) got.push_back(line.ToString());
  EXPECT_THAT(got, ElementsAre("cd\n", "ef"));
  EXPECT_OK(lines.status());
  EXPECT_EQ(Ok(lines.file().Tell()), 8);
}

TEST(BytesIOLines, OwnedStreamKeepsWhatALoopLeftUnread) {
  BytesIO::OwningLineRange lines =
      BytesIO(absl::string_view("first\nsecond\nthird\n")).Lines();
  for (const Rope& line : lines) {
    EXPECT_EQ(line, "first\n");
    break;
  }
  EXPECT_EQ(Ok(lines.file().Read()), "second\nthird\n");
}

TEST(BytesIOLines, OwnedStreamFollowsTheLivePositionLikePython) {
  // As for f = BytesIO(b"a\nb\nc\n"); for line in f: f.write(b"X\n") ...
  BytesIO::OwningLineRange lines =
      BytesIO(absl::string_view("a\nb\nc\n")).Lines();
  std::vector<std::string> got;
  for (const Rope& line : lines) {
    got.push_back(line.ToString());
    if (got.size() == 1) {
      // Writes over "b\n" at the live position: the loop goes on after it.
      ASSERT_OK(lines.file().Write(absl::string_view("X\n")));
    }
  }
  EXPECT_THAT(got, ElementsAre("a\n", "c\n"));
  EXPECT_EQ(Ok(lines.file().GetValue()), "a\nX\nc\n");
}

TEST(BytesIOLines, ClosedStreamMovedInFailsWithStatus) {
  BytesIO f(absl::string_view("a\n"));
  ASSERT_OK(f.Close());
  BytesIO::OwningLineRange lines = std::move(f).Lines();
  int count = 0;
  for (const Rope& line : lines) {
    static_cast<void>(line);
    ++count;
  }
  EXPECT_EQ(count, 0);
  EXPECT_THAT(lines.status(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(lines.file().closed());
}

// The lvalue form is unchanged: it iterates the caller's stream in place.
TEST(BytesIOLines, LvalueFormIteratesTheCallersStreamInPlace) {
  BytesIO f(absl::string_view("a\nb\nc"));
  std::vector<std::string> got;
  for (const Rope& line : f.Lines()) {
    got.push_back(line.ToString());
    if (got.size() == 1) {
      // Writes over "b\n" at the live position: the loop goes on after it.
      ASSERT_OK(f.Write(absl::string_view("B\n")));
    }
  }
  EXPECT_THAT(got, ElementsAre("a\n", "c"));
  EXPECT_EQ(Ok(f.Tell()), 5);
  EXPECT_EQ(Ok(f.GetValue()), "a\nB\nc");
  EXPECT_FALSE(f.closed());

  BytesIO::LineRange again = f.Lines();
  EXPECT_EQ(again.begin(), again.end());  // at the end already
  EXPECT_OK(again.status());
  ASSERT_OK(f.Close());
  BytesIO::LineRange closed = f.Lines();
  EXPECT_EQ(closed.begin(), closed.end());
  EXPECT_THAT(closed.status(), StatusIs(absl::StatusCode::kFailedPrecondition));
}

// ---- ReadLineView: the view form of ReadLine, through the stream's cursor.

TEST(BytesIOLines, ReadLineViewMatchesReadLineOnEveryShapeAndLimit) {
  std::string data;
  for (int i = 0; i < 60; ++i)
    data += std::string(i * 7 % 90, 'a' + i % 26) + "\n";
  data += "no newline at the end";
  for (RopeShape shape : AllRopeShapes()) {
    for (int64_t limit : {int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{5},
                          int64_t{64}, int64_t{1000}}) {
      SCOPED_TRACE(absl::StrCat(RopeShapeName(shape), " limit ", limit));
      BytesIO ropes(MakeRope(data, shape));
      BytesIO views(MakeRope(data, shape));
      for (int i = 0; i < 200; ++i) {
        ASSERT_OK_AND_ASSIGN(Rope line, ropes.ReadLine(limit));
        ASSERT_OK_AND_ASSIGN(absl::string_view view, views.ReadLineView(limit));
        ASSERT_EQ(line, view);
        ASSERT_EQ(*ropes.Tell(), *views.Tell());
        if (line.empty()) break;
      }
    }
  }
}

TEST(BytesIOLines, ReadLineIntoMatchesReadLineOnEveryShapeAndLimit) {
  std::string data;
  for (int i = 0; i < 60; ++i)
    data += std::string(i * 13 % 700, 'a' + i % 26) + "\n";  // over 511 too
  data += "no newline at the end";
  for (RopeShape shape : AllRopeShapes()) {
    for (int64_t limit : {int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{5},
                          int64_t{600}, int64_t{1000}}) {
      SCOPED_TRACE(absl::StrCat(RopeShapeName(shape), " limit ", limit));
      BytesIO ropes(MakeRope(data, shape));
      BytesIO into(MakeRope(data, shape));
      Rope line_into;
      for (int i = 0; i < 200; ++i) {
        ASSERT_OK_AND_ASSIGN(Rope line, ropes.ReadLine(limit));
        ASSERT_OK(into.ReadLineInto(&line_into, limit));
        ASSERT_EQ(line, line_into);
        ASSERT_EQ(*ropes.Tell(), *into.Tell());
        if (line.empty()) break;
      }
    }
  }
}

TEST(BytesIOLines, ReadLineIntoReusesTheLinesChunkAndNeverAWrittenCopy) {
  BytesIO file(Rope(std::string(100, 'a') + "\n" + std::string(50, 'b') + "\n" +
                    std::string(700, 'c') + "\ntail"));
  Rope line;
  ASSERT_OK(file.ReadLineInto(&line));
  EXPECT_EQ(line, std::string(100, 'a') + "\n");
  const char* storage = line.TryFlat()->data();
  const Rope kept = line;  // shares the chunk: it must not be rewritten
  ASSERT_OK(file.ReadLineInto(&line));
  EXPECT_EQ(line, std::string(50, 'b') + "\n");
  EXPECT_EQ(kept, std::string(100, 'a') + "\n");
  const char* second = line.TryFlat()->data();
  EXPECT_NE(second, storage);           // a new chunk: the old one is shared
  ASSERT_OK(file.ReadLineInto(&line));  // 701 bytes: shared, not copied
  EXPECT_EQ(line, std::string(700, 'c') + "\n");
  ASSERT_OK(file.ReadLineInto(&line));
  EXPECT_EQ(line, "tail");
  ASSERT_OK(file.ReadLineInto(&line));
  EXPECT_TRUE(line.empty());
  // The private chunk is reused: same storage for every short line.
  ASSERT_OK(file.Seek(0));
  ASSERT_OK(file.ReadLineInto(&line));
  storage = line.TryFlat()->data();
  ASSERT_OK(file.ReadLineInto(&line));
  EXPECT_EQ(line.TryFlat()->data(), storage);
  // Errors leave the line alone.
  ASSERT_OK(file.Close());
  EXPECT_THAT(file.ReadLineInto(&line),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(line, std::string(50, 'b') + "\n");
}

TEST(BytesIOLines, ReadLineViewPointsIntoTheChunkWhenTheLineLiesInOne) {
  const Rope first(std::string("first line\nsecond "));
  const Rope second(std::string("half\nthird\n"));
  Rope data = first;
  data.Append(second);
  BytesIO file(data);
  const char* first_bytes = (*first.Chunks().begin()).data();
  ASSERT_OK_AND_ASSIGN(absl::string_view line, file.ReadLineView());
  EXPECT_EQ(line, "first line\n");
  EXPECT_EQ(line.data(), first_bytes);  // no copy
  ASSERT_OK_AND_ASSIGN(line, file.ReadLineView());
  EXPECT_EQ(line, "second half\n");  // straddles: the scratch copy
  ASSERT_OK_AND_ASSIGN(line, file.ReadLineView());
  EXPECT_EQ(line, "third\n");
  ASSERT_OK_AND_ASSIGN(line, file.ReadLineView());
  EXPECT_TRUE(line.empty());
  ASSERT_OK(file.Close());
  EXPECT_THAT(file.ReadLineView(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(BytesIOLines, ReadsSeeWritesAndSeeksMadeBetweenThem) {
  // The cursor is rebuilt after a write and moved after a seek.
  BytesIO file(MakeRope("aaaa\nbbbb\ncccc\n", RopeShape::kOneByteChunks));
  ASSERT_OK_AND_ASSIGN(Rope line, file.ReadLine());
  EXPECT_EQ(line, "aaaa\n");
  ASSERT_OK(file.Write("BB"));
  ASSERT_OK(file.Seek(5));
  ASSERT_OK_AND_ASSIGN(absl::string_view view, file.ReadLineView());
  EXPECT_EQ(view, "BBbb\n");
  ASSERT_OK(file.Seek(-3, BytesIO::kSeekCur));
  ASSERT_OK_AND_ASSIGN(line, file.ReadLine());
  EXPECT_EQ(line, "bb\n");
  ASSERT_OK(file.Truncate(12));
  ASSERT_OK_AND_ASSIGN(line, file.ReadLine());
  EXPECT_EQ(line, "cc");
  ASSERT_OK(file.Seek(100));
  ASSERT_OK_AND_ASSIGN(view, file.ReadLineView());
  EXPECT_TRUE(view.empty());
}

}  // namespace
}  // namespace bytesio
