// Copyright 2026 The bytesio Authors.

#include "bytesio/file_adapter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/stdio_call.h"
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
  // The FILE* does not read ahead: the BytesIO is already at its position.
  EXPECT_EQ(Tell(file), 5);
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
  // The FILE* is unbuffered: the write fails at once, not at fflush.
  EXPECT_EQ(fputs("x", f), EOF);
  EXPECT_TRUE(ferror(f));
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
  EXPECT_EQ(fputs("x", f), EOF);
  EXPECT_TRUE(ferror(f));
  EXPECT_EQ(errno, EBUSY);
  fclose(f);
  view->Release();
  EXPECT_EQ(Value(file), "abc");
}

TEST(FileAdapter, PositionLimitsGiveEoverflowAndEfbig) {
  BytesIO file("abc");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "r+"));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  ASSERT_EQ(fseeko(f, kMax, SEEK_SET), 0);
  EXPECT_EQ(ftello(f), kMax);
  errno = 0;
  EXPECT_EQ(fseeko(f, 1, SEEK_CUR), -1);
  EXPECT_EQ(errno, EOVERFLOW);
  EXPECT_EQ(Tell(file), kMax);  // a failed seek moves nothing
  errno = 0;
  EXPECT_EQ(fputc('x', f), EOF);  // the end would pass INT64_MAX
  EXPECT_EQ(errno, EOVERFLOW);
  clearerr(f);
  ASSERT_EQ(fseeko(f, BytesIO::kMaxZeroFill + 4, SEEK_SET), 0);
  errno = 0;
  EXPECT_EQ(fputc('x', f), EOF);  // the zero-filled gap would be too large
  EXPECT_EQ(errno, EFBIG);
  EXPECT_EQ(fclose(f), 0);
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

// ---- Positions after every call ------------------------------------------

// Modes that read, and so could read ahead of what the caller consumed.
constexpr const char* kReadingModes[] = {"r", "r+", "w+", "a+"};

// "0123456789" repeated up to n bytes.
std::string Digits(size_t n) {
  std::string digits(n, '0');
  for (size_t i = 0; i < n; ++i) digits[i] = static_cast<char>('0' + i % 10);
  return digits;
}

TEST(FileAdapter, FcloseLeavesTheBytesIOAtTheFilePosition) {
  for (const char* mode : kReadingModes) {
    SCOPED_TRACE(mode);
    BytesIO file(Digits(20000));  // more than one stdio buffer (BUFSIZ)
    ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, mode));
    char buf[2];
    ASSERT_EQ(fread(buf, 1, 2, f), 2u);
    EXPECT_EQ(fclose(f), 0);
    EXPECT_EQ(Tell(file), 2);
  }
}

TEST(FileAdapter, FtellLeavesTheBytesIOAtTheFilePosition) {
  for (const char* mode : kReadingModes) {
    SCOPED_TRACE(mode);
    BytesIO file(Digits(20000));
    ASSERT_OK(file.Seek(3));
    ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, mode));
    char buf[2];
    ASSERT_EQ(fread(buf, 1, 2, f), 2u);
    EXPECT_EQ(ftell(f), 5);
    EXPECT_EQ(Tell(file), 5);
    EXPECT_EQ(fgetc(f), '5');
    EXPECT_EQ(ftell(f), 6);
    EXPECT_EQ(Tell(file), 6);
    EXPECT_EQ(fclose(f), 0);
    EXPECT_EQ(Tell(file), 6);
  }
}

TEST(FileAdapter, FseekWithinWhatWasReadLeavesTheBytesIOThere) {
  for (const char* mode : kReadingModes) {
    SCOPED_TRACE(mode);
    BytesIO file(Digits(20000));
    ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, mode));
    char buf[2];
    ASSERT_EQ(fread(buf, 1, 2, f), 2u);
    ASSERT_EQ(fseek(f, 10, SEEK_SET), 0);
    EXPECT_EQ(Tell(file), 10);
    EXPECT_EQ(fgetc(f), '0');
    ASSERT_EQ(fseek(f, -4, SEEK_CUR), 0);
    EXPECT_EQ(Tell(file), 7);
    ASSERT_EQ(fseek(f, -5, SEEK_END), 0);
    EXPECT_EQ(Tell(file), 19995);
    EXPECT_EQ(fclose(f), 0);
    EXPECT_EQ(Tell(file), 19995);
  }
}

TEST(FileAdapter, BytesIOIsUpToDateAfterEveryCall) {
  BytesIO file("line one\nline two\n");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "r+"));
  char line[32];
  ASSERT_NE(fgets(line, sizeof(line), f), nullptr);
  EXPECT_EQ(Tell(file), 9);
  ASSERT_EQ(fseek(f, 0, SEEK_CUR), 0);
  EXPECT_EQ(fputc('L', f), 'L');
  EXPECT_EQ(Tell(file), 10);
  EXPECT_EQ(fprintf(f, "%s", "INE"), 3);
  EXPECT_EQ(Tell(file), 13);
  EXPECT_EQ(Value(file), "line one\nLINE two\n");  // no fflush needed
  // Direct BytesIO calls between stdio calls are seen by the FILE*.
  ASSERT_OK(file.Seek(5));
  EXPECT_EQ(fgetc(f), 'o');
  EXPECT_EQ(ftell(f), 6);
  EXPECT_EQ(fclose(f), 0);
}

TEST(FileAdapter, UngetcIsOnlyInTheFileUntilTheNextRead) {
  BytesIO file("abc");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "r"));
  EXPECT_EQ(fgetc(f), 'a');
  EXPECT_EQ(ungetc('a', f), 'a');
  EXPECT_EQ(ftell(f), 0);
  EXPECT_EQ(Tell(file), 1);  // the documented exception
  EXPECT_EQ(fgetc(f), 'a');
  EXPECT_EQ(Tell(file), 1);
  EXPECT_EQ(fgetc(f), 'b');
  EXPECT_EQ(ungetc('b', f), 'b');
  EXPECT_EQ(fflush(f), 0);  // gives the pushed-back byte back
  EXPECT_EQ(Tell(file), 1);
  EXPECT_EQ(fgetc(f), 'b');
  EXPECT_EQ(ungetc('b', f), 'b');
  EXPECT_EQ(fseek(f, 0, SEEK_CUR), 0);  // so does a seek
  EXPECT_EQ(Tell(file), 1);
  EXPECT_EQ(fputc('B', f), EOF);  // mode "r"
  clearerr(f);
  EXPECT_EQ(fclose(f), 0);
  EXPECT_EQ(Value(file), "abc");
}

TEST(FileAdapter, FscanfPushesBackTheByteThatEndedAField) {
  BytesIO file("12 34");
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "r"));
  int value = 0;
  ASSERT_EQ(fscanf(f, "%d", &value), 1);
  EXPECT_EQ(value, 12);
  EXPECT_EQ(ftell(f), 2);
  EXPECT_EQ(Tell(file), 3);  // the ' ' that ended "12" is pushed back
  ASSERT_EQ(fscanf(f, "%d", &value), 1);
  EXPECT_EQ(value, 34);
  EXPECT_EQ(Tell(file), 5);  // at the end no byte ended the field
  EXPECT_EQ(fclose(f), 0);
}

TEST(FileAdapter, WriteAfterSeekThenSeekCurKeepsThePosition) {
  for (const char* mode : {"r+", "w+"}) {
    SCOPED_TRACE(mode);
    BytesIO file(Digits(20));
    ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, mode));
    EXPECT_EQ(fgetc(f), '0');
    ASSERT_EQ(fseeko(f, 12, SEEK_SET), 0);
    ASSERT_EQ(fwrite("AB", 1, 2, f), 2u);
    ASSERT_EQ(fseeko(f, 0, SEEK_CUR), 0);
    EXPECT_EQ(ftello(f), 14);
    EXPECT_EQ(fgetc(f), '4');
    EXPECT_EQ(fclose(f), 0);
    EXPECT_EQ(Value(file),
              "0123456789"
              "01AB456789");
    EXPECT_EQ(Tell(file), 15);
  }
}

// ---- The same stdio calls on a FOpen'd BytesIO and on a real file ---------

// One stdio call and its arguments.
using testutil::Describe;
using testutil::RunStdioCall;
using testutil::StdioCall;
using testutil::StdioResult;

// A FILE* over a BytesIO (FOpen) and, as the reference, a FILE* over a
// temporary file (fdopen, which does not truncate "w" either), opened with
// the same mode over the same contents. Do() runs one call on both and
// expects the same results, and the BytesIO at the reference's position.
class StdioPair {
 public:
  StdioPair(const std::string& contents, const char* mode)
      : io_(contents), mode_(mode) {
    const char* dir = getenv("TEST_TMPDIR");
    path_ = absl::StrCat(dir != nullptr ? dir : "/tmp", "/stdio_XXXXXX");
    int fd = mkstemp(&path_[0]);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(write(fd, contents.data(), contents.size()),
              static_cast<ssize_t>(contents.size()));
    close(fd);
    const absl::string_view m(mode);
    const bool plus = m.find('+') != absl::string_view::npos;
    int flags = plus ? O_RDWR : m[0] == 'r' ? O_RDONLY : O_WRONLY;
    if (m[0] == 'a') flags |= O_APPEND;
    fd = open(path_.c_str(), flags);
    EXPECT_GE(fd, 0);
    ref_ = fdopen(fd, mode);
    EXPECT_NE(ref_, nullptr);
    absl::StatusOr<FILE*> f = FOpen(&io_, mode);
    EXPECT_OK(f);
    if (f.ok()) file_ = *f;
  }

  ~StdioPair() {
    if (file_ != nullptr) fclose(file_);
    if (ref_ != nullptr) fclose(ref_);
    unlink(path_.c_str());
  }

  bool ok() const { return file_ != nullptr && ref_ != nullptr; }
  // The reference's position (ftello on the reference only).
  int64_t Position() const { return ftello(ref_); }

  // Returns the reference's result.
  StdioResult Do(const StdioCall& op) {
    absl::StrAppend(&log_, " ", Describe(op));
    SCOPED_TRACE(absl::StrCat("mode ", mode_, ":", log_));
    const StdioResult got = RunStdioCall(file_, op);
    const StdioResult want = RunStdioCall(ref_, op);
    EXPECT_EQ(got, want);
    if (op.kind == StdioCall::kUngetc && want.value != EOF) {
      pushed_back_ = true;
    } else if ((op.kind == StdioCall::kFseeko ||
                op.kind == StdioCall::kFflush) &&
               want.value == 0) {
      pushed_back_ = false;
    } else if ((op.kind == StdioCall::kFread && want.value > 0) ||
               (op.kind == StdioCall::kFgetc && want.value != EOF) ||
               (op.kind == StdioCall::kFgets && want.value != 0 &&
                op.arg > 1)) {
      pushed_back_ = false;
    }
    // The BytesIO's position is the FILE*'s after every call, except while
    // ungetc has pushed a byte back (the header's documented exception).
    if (!pushed_back_) {
      EXPECT_EQ(Tell(io_), Position());
    }
    return want;
  }

  // Closes both; expects the same contents and the BytesIO at the position.
  void Close() {
    SCOPED_TRACE(absl::StrCat("mode ", mode_, ":", log_, " fclose"));
    const int64_t position = Position();
    EXPECT_EQ(fclose(file_), fclose(ref_));
    file_ = nullptr;
    ref_ = nullptr;
    if (!pushed_back_) {
      EXPECT_EQ(Tell(io_), position);
    }
    FILE* in = fopen(path_.c_str(), "rb");
    ASSERT_NE(in, nullptr);
    std::string contents;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof(buf), in)) > 0;) {
      contents.append(buf, n);
    }
    fclose(in);
    EXPECT_EQ(Value(io_), contents);
  }

 private:
  BytesIO io_;
  const char* mode_;
  std::string path_;
  FILE* file_ = nullptr;  // over io_
  FILE* ref_ = nullptr;   // over path_
  std::string log_;       // the calls so far, for failure messages
  bool pushed_back_ = false;
};

TEST(FileAdapter, ReproducersMatchARealFile) {
  for (const char* mode : kReadingModes) {
    StdioPair pair(Digits(20000), mode);
    ASSERT_TRUE(pair.ok());
    pair.Do(StdioCall(StdioCall::kFread, 2));
    pair.Close();
  }
  for (const char* mode : {"r+", "w+", "a+"}) {
    StdioPair pair(Digits(20), mode);
    ASSERT_TRUE(pair.ok());
    pair.Do(StdioCall(StdioCall::kFgetc));
    pair.Do(StdioCall(StdioCall::kFseeko, 12, SEEK_SET));
    pair.Do(StdioCall(StdioCall::kFwrite, 0, SEEK_SET, "AB"));
    pair.Do(StdioCall(StdioCall::kFseeko, 0, SEEK_CUR));
    pair.Do(StdioCall(StdioCall::kFtello));
    pair.Do(StdioCall(StdioCall::kFgetc));
    pair.Close();
  }
}

// Printable text with newlines, so fgets has lines to find.
std::string RandomText(std::mt19937_64& rng, size_t n) {
  std::string text(n, 'a');
  for (char& ch : text) {
    ch = rng() % 16 == 0 ? '\n' : static_cast<char>('a' + rng() % 26);
  }
  return text;
}

// A size, mostly small, sometimes beyond one stdio buffer.
int64_t RandomSize(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      return static_cast<int64_t>(rng() % 4);
    case 1:
      return static_cast<int64_t>(rng() % 40);
    case 2:
      return static_cast<int64_t>(rng() % 300);
    default:
      return static_cast<int64_t>(rng() % 10000);
  }
}

StdioCall RandomStdioCall(std::mt19937_64& rng, int64_t size_hint) {
  StdioCall op(static_cast<StdioCall::Kind>(rng() % 10));
  switch (op.kind) {
    case StdioCall::kFread:
      op.arg = RandomSize(rng);
      break;
    case StdioCall::kFwrite:
      op.data = RandomText(rng, static_cast<size_t>(RandomSize(rng)));
      break;
    case StdioCall::kFputc:
    case StdioCall::kUngetc:
      op.arg = 'A' + static_cast<int64_t>(rng() % 4);
      break;
    case StdioCall::kFseeko: {
      op.whence = static_cast<int>(rng() % 3);  // SEEK_SET, SEEK_CUR, SEEK_END
      const int64_t span = size_hint + 20;
      op.arg = static_cast<int64_t>(rng() % static_cast<uint64_t>(span + 1));
      if (op.whence != SEEK_SET || rng() % 8 == 0) op.arg -= size_hint + 3;
      break;
    }
    case StdioCall::kFgets:
      op.arg = 1 + RandomSize(rng) % 100;
      break;
    default:
      break;
  }
  return op;
}

// Reads and writes: C requires a positioning call when a stream switches
// between them, so the walk inserts fseeko(0, SEEK_CUR) there.
enum class Direction { kNone, kRead, kWrite };

Direction DirectionOf(const StdioCall& op) {
  switch (op.kind) {
    case StdioCall::kFread:
    case StdioCall::kFgetc:
    case StdioCall::kFgets:
    case StdioCall::kUngetc:
      return Direction::kRead;
    case StdioCall::kFwrite:
    case StdioCall::kFputc:
      return Direction::kWrite;
    default:
      return Direction::kNone;
  }
}

TEST(FileAdapter, RandomStdioCallsMatchARealFile) {
  const uint64_t seed = TestSeed();
  std::mt19937_64 rng(seed);
  constexpr int64_t kInitialSizes[] = {0, 1, 10, 100, 5000, 20000};
  for (const char* mode : {"r", "r+", "w", "w+", "a", "a+"}) {
    for (int run = 0; run < 40; ++run) {
      SCOPED_TRACE(absl::StrCat("seed ", seed, ", run ", run));
      const int64_t initial = kInitialSizes[rng() % 6];
      StdioPair pair(RandomText(rng, static_cast<size_t>(initial)), mode);
      ASSERT_TRUE(pair.ok());
      int64_t size_hint = initial;
      Direction last = Direction::kNone;
      // The byte fgetc just read, or -1: ungetc pushes back only that one,
      // the use file_adapter.h allows (glibc mishandles its separate
      // pushback area, which other bytes, or any after fread, go to: seeds
      // 131, 161, 269 and 347 freed invalid pointers under ASan).
      int last_byte = -1;
      for (int step = 0; step < 60 && !::testing::Test::HasFailure(); ++step) {
        StdioCall op = RandomStdioCall(rng, size_hint);
        if (op.kind == StdioCall::kUngetc) {
          if (last_byte < 0) continue;
          op.arg = last_byte;
        }

        const Direction direction = DirectionOf(op);
        if (direction != Direction::kNone && last != Direction::kNone &&
            direction != last) {
          pair.Do(StdioCall(StdioCall::kFseeko, 0, SEEK_CUR));
        }
        const StdioResult result = pair.Do(op);
        last_byte = -1;
        if (op.kind == StdioCall::kFgetc && result.value != EOF) {
          last_byte = static_cast<int>(result.value);
        }
        if (op.kind == StdioCall::kFseeko || op.kind == StdioCall::kFflush) {
          last = Direction::kNone;
        } else if (direction != Direction::kNone) {
          last = direction;
        }
        const int64_t position = pair.Position();
        if (position > size_hint) size_hint = position;
      }
      pair.Close();
      if (::testing::Test::HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace bytesio
