// Copyright 2026 The bytesio Authors.

#include "bytesio/file_adapter.h"

#include <errno.h>
#include <stdio.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

// ---- A C-style API that only knows FILE* (the code under test). ----------

// Prints a small report; returns 0, or -1 if the stream failed.
int WriteReport(FILE* out, const char* title, const int* values, size_t n) {
  fprintf(out, "# %s\n", title);
  long sum = 0;
  for (size_t i = 0; i < n; ++i) {
    fprintf(out, "%zu: %d\n", i, values[i]);
    sum += values[i];
  }
  fprintf(out, "sum = %ld\n", sum);
  return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

// Reads lines with fgets (in pieces of at most 16 bytes, so long lines take
// several calls); returns the number of lines and the longest length.
size_t CountLines(FILE* in, size_t* longest) {
  char buf[16];
  size_t lines = 0;
  size_t current = 0;
  *longest = 0;
  while (fgets(buf, sizeof(buf), in) != nullptr) {
    const size_t len = strlen(buf);
    current += len;
    if (buf[len - 1] == '\n') {
      ++lines;
      if (current - 1 > *longest) *longest = current - 1;
      current = 0;
    }
  }
  if (current > 0) {
    ++lines;
    if (current > *longest) *longest = current;
  }
  return lines;
}

// ---------------------------------------------------------------------------

std::string Value(const BytesIO& file) {
  absl::StatusOr<Rope> value = file.GetValue();
  EXPECT_OK(value);
  return value.ok() ? value->ToString() : std::string();
}

int64_t Tell(const BytesIO& file) {
  absl::StatusOr<int64_t> pos = file.Tell();
  EXPECT_OK(pos);
  return pos.ok() ? *pos : -1;
}

TEST(FileAdapter, CApiWritesAReportIntoABytesIO) {
  BytesIO report;
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&report, "w"));
  const int values[] = {3, 1, 4, 1, 5};
  EXPECT_EQ(WriteReport(f, "digits", values, 5), 0);
  EXPECT_EQ(fclose(f), 0);
  // fclose left the BytesIO alive and open.
  EXPECT_FALSE(report.closed());
  const std::string expected =
      "# digits\n0: 3\n1: 1\n2: 4\n3: 1\n4: 5\nsum = 14\n";
  EXPECT_EQ(Value(report), expected);
  EXPECT_EQ(Tell(report), static_cast<int64_t>(expected.size()));
}

TEST(FileAdapter, CApiReadsLinesFromEveryShape) {
  std::mt19937_64 rng(TestSeed());
  std::string text;
  size_t expected_lines = 0;
  size_t expected_longest = 0;
  while (text.size() < 100000) {
    const size_t len = rng() % 300;
    text += std::string(len, 'x');
    text += '\n';
    ++expected_lines;
    if (len > expected_longest) expected_longest = len;
  }
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    BytesIO file(MakeRope(text, shape));
    ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "r"));
    size_t longest = 0;
    EXPECT_EQ(CountLines(f, &longest), expected_lines);
    EXPECT_EQ(longest, expected_longest);
    EXPECT_TRUE(feof(f));
    EXPECT_EQ(fclose(f), 0);
  }
}

TEST(FileAdapter, FreadFwriteFseekFtell) {
  BytesIO file("0123456789");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file));
  char buf[8] = {};
  EXPECT_EQ(fread(buf, 1, 4, f), 4u);
  EXPECT_EQ(absl::string_view(buf, 4), "0123");
  EXPECT_EQ(ftell(f), 4);
  EXPECT_EQ(fwrite("ab", 1, 2, f), 2u);  // overwrites at the position
  EXPECT_EQ(ftell(f), 6);
  EXPECT_EQ(fseek(f, -1, SEEK_END), 0);
  EXPECT_EQ(ftell(f), 9);
  EXPECT_EQ(fgetc(f), '9');
  EXPECT_EQ(fgetc(f), EOF);
  EXPECT_EQ(fseek(f, -3, SEEK_CUR), 0);
  EXPECT_EQ(ftell(f), 7);
  EXPECT_EQ(fseek(f, 12, SEEK_SET), 0);  // past the end is allowed
  EXPECT_EQ(fputs("Z", f), 1);
  EXPECT_EQ(fflush(f), 0);
  EXPECT_EQ(Value(file),
            std::string("0123ab6789") + std::string(2, '\0') + "Z");
  EXPECT_EQ(Tell(file), 13);
  EXPECT_EQ(fclose(f), 0);
}

TEST(FileAdapter, NegativeSeekFailsWithEinvalLikeLseek) {
  BytesIO file("abcdef");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file));
  ASSERT_EQ(fseek(f, 2, SEEK_SET), 0);
  errno = 0;
  EXPECT_EQ(fseek(f, -3, SEEK_CUR), -1);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(fseek(f, -7, SEEK_END), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(ftell(f), 2);
  EXPECT_EQ(fgetc(f), 'c');
  EXPECT_EQ(fclose(f), 0);
}

TEST(FileAdapter, StartsAtTheBytesIOPositionAndSharesIt) {
  std::mt19937_64 rng(TestSeed());
  const std::string bytes = RandomBytes(rng, 100000);
  BytesIO file(MakeRope(bytes, RopeShape::kSmallChunks));
  ASSERT_OK(file.Seek(3));
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "r"));
  EXPECT_EQ(ftell(f), 3);
  char buf[2];
  ASSERT_EQ(fread(buf, 1, 2, f), 2u);
  EXPECT_EQ(absl::string_view(buf, 2), absl::string_view(bytes).substr(3, 2));
  // stdio read ahead a whole buffer; fflush gives the unread part back.
  EXPECT_GT(Tell(file), 5);
  EXPECT_EQ(fflush(f), 0);
  EXPECT_EQ(Tell(file), 5);
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(Tell(file), 5);
}

TEST(FileAdapter, ReadOnlyModeRefusesWrites) {
  BytesIO file("abc");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "rb"));
  EXPECT_EQ(fputc('x', f), EOF);
  EXPECT_TRUE(ferror(f));
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(Value(file), "abc");
}

TEST(FileAdapter, AppendModeWritesAtTheEnd) {
  BytesIO file("abc");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "a+"));
  EXPECT_EQ(fputs("de", f), 1);
  EXPECT_EQ(fflush(f), 0);
  EXPECT_EQ(fseek(f, 0, SEEK_SET), 0);
  EXPECT_EQ(fgetc(f), 'a');
  EXPECT_EQ(fputs("f", f), 1);  // still goes to the end
  EXPECT_EQ(fflush(f), 0);
  EXPECT_EQ(ftell(f), 6);
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(Value(file), "abcdef");
}

TEST(FileAdapter, WriteModeDoesNotTruncate) {
  BytesIO file("abcdef");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "w"));
  EXPECT_EQ(fputs("XY", f), 1);
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(Value(file), "XYcdef");
}

TEST(FileAdapter, OwningFileDestroysTheBytesIOOnFclose) {
  int releases = 0;
  const std::string backing(100000, 'q');
  auto file = std::make_unique<BytesIO>(
      Rope::FromExternal(backing, [&releases] { ++releases; }));
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(std::move(file), "r+"));
  char buf[4];
  EXPECT_EQ(fread(buf, 1, 4, f), 4u);
  EXPECT_EQ(releases, 0);
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(releases, 1);  // the BytesIO, and with it the Rope, is gone
}

TEST(FileAdapter, NonOwningFileLeavesTheBytesIOAlive) {
  int releases = 0;
  const std::string backing(100000, 'q');
  {
    BytesIO file(Rope::FromExternal(backing, [&releases] { ++releases; }));
    ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file));
    EXPECT_EQ(fclose(f), 0);
    EXPECT_EQ(releases, 0);
    EXPECT_EQ(Value(file).size(), 100000u);
  }
  EXPECT_EQ(releases, 1);
}

TEST(FileAdapter, ClosedBytesIOGivesEbadf) {
  BytesIO file("abc");
  ASSERT_OK(file.Close());
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file));
  char buf[4];
  errno = 0;
  EXPECT_EQ(fread(buf, 1, 4, f), 0u);
  EXPECT_TRUE(ferror(f));
  EXPECT_EQ(errno, EBADF);
  clearerr(f);
  errno = 0;
  fputs("x", f);
  EXPECT_EQ(fflush(f), EOF);
  EXPECT_EQ(errno, EBADF);
  fclose(f);
}

TEST(FileAdapter, ExportedBytesIOGivesEbusyOnWrite) {
  BytesIO file("abc");
  absl::StatusOr<BytesIO::ExportedBuffer> view = file.GetBuffer();
  ASSERT_OK(view);
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file));
  char buf[3];
  EXPECT_EQ(fread(buf, 1, 3, f), 3u);  // reads are allowed
  errno = 0;
  fputs("x", f);
  EXPECT_EQ(fflush(f), EOF);
  EXPECT_EQ(errno, EBUSY);
  fclose(f);
  view->Release();
  EXPECT_EQ(Value(file), "abc");
}

TEST(FileAdapter, BadModeIsInvalidArgument) {
  BytesIO file;
  for (const char* mode : {"", "x", "rw", "r+x", "+"}) {
    EXPECT_THAT(FOpen(&file, mode),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << mode;
  }
}

TEST(FileAdapter, LargeWritesAndReadsRoundTrip) {
  std::mt19937_64 rng(TestSeed());
  const std::string big = RandomBytes(rng, 3 << 20);
  BytesIO file;
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "w+"));
  ASSERT_EQ(fwrite(big.data(), 1, big.size(), f), big.size());
  rewind(f);
  std::string back(big.size(), '\0');
  ASSERT_EQ(fread(&back[0], 1, back.size(), f), back.size());
  EXPECT_EQ(back, big);
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(Value(file), big);
}

}  // namespace
}  // namespace bytesio
