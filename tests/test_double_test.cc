// Copyright 2026 The bytesio Authors.
//
// BytesIO as a test double with GoogleTest (the pattern of
// examples/test_double.cc): code under test takes std::istream&,
// std::ostream& or FILE*; each test gives it a BytesIO and asserts on
// GetValue().

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <istream>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/file_adapter.h"
#include "bytesio/rope.h"
#include "bytesio/stream_adapter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

// ---- Code under test (knows nothing about bytesio). ---------------------

// Copies `in` to `out`, upper-casing lines that start with '!' and dropping
// lines that start with '#'. Returns the number of lines written.
int FilterLines(std::istream& in, std::ostream& out) {
  int written = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '#') continue;
    if (!line.empty() && line[0] == '!') {
      for (char& c : line) c = static_cast<char>(std::toupper(c));
    }
    out << line << '\n';
    ++written;
  }
  return written;
}

// A binary record writer in C stdio: a 4-byte little-endian length, then
// the bytes. Returns 0 or -1.
int WriteRecord(FILE* f, absl::string_view payload) {
  const uint32_t n = static_cast<uint32_t>(payload.size());
  const unsigned char header[4] = {
      static_cast<unsigned char>(n), static_cast<unsigned char>(n >> 8),
      static_cast<unsigned char>(n >> 16), static_cast<unsigned char>(n >> 24)};
  if (fwrite(header, 1, 4, f) != 4) return -1;
  if (fwrite(payload.data(), 1, payload.size(), f) != payload.size()) return -1;
  return 0;
}

// Reads the records back; returns how many were whole.
int CountRecords(FILE* f) {
  int records = 0;
  unsigned char header[4];
  while (fread(header, 1, 4, f) == 4) {
    const long n = header[0] | header[1] << 8 | header[2] << 16 |
                   static_cast<long>(header[3]) << 24;
    if (fseek(f, n, SEEK_CUR) != 0) break;
    ++records;
  }
  return records;
}

// ---- Tests. --------------------------------------------------------------

TEST(TestDouble, StreamsInAndOut) {
  BytesIO input("keep me\n# drop me\n!shout\nlast");
  BytesIO output;
  int lines;
  {
    BytesIOStream in(&input);
    BytesIOStream out(&output);
    lines = FilterLines(in, out);
  }
  EXPECT_EQ(lines, 3);
  ASSERT_OK_AND_ASSIGN(Rope value, output.GetValue());
  EXPECT_EQ(value, "keep me\n!SHOUT\nlast\n");
}

TEST(TestDouble, OutputStreamAfterExistingContent) {
  BytesIO output("header\n");
  ASSERT_OK(output.Seek(0, BytesIO::kSeekEnd));
  BytesIO input("a\nb\n");
  BytesIOStream in(&input);
  BytesIOStream out(&output);
  EXPECT_EQ(FilterLines(in, out), 2);
  out.flush();  // or let `out` go out of scope
  ASSERT_OK_AND_ASSIGN(Rope value, output.GetValue());
  EXPECT_EQ(value, "header\na\nb\n");
}

TEST(TestDouble, CFileWritesAndReadsRecords) {
  BytesIO file;
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&file, "w+"));
  EXPECT_EQ(WriteRecord(f, "first"), 0);
  EXPECT_EQ(WriteRecord(f, std::string(100000, 'x')), 0);
  EXPECT_EQ(WriteRecord(f, ""), 0);
  rewind(f);
  EXPECT_EQ(CountRecords(f), 3);
  EXPECT_EQ(fclose(f), 0);
  ASSERT_OK_AND_ASSIGN(Rope value, file.GetValue());
  EXPECT_EQ(value.size(), 3 * 4 + 5 + 100000u);
  EXPECT_TRUE(value.StartsWith(absl::string_view("\5\0\0\0first", 9)));
}

TEST(TestDouble, CFileReadsATruncatedInput) {
  // Feed the reader a hand-made, truncated input: the second record claims
  // 100 bytes but the data ends after 3 (fseek past the end succeeds, as on
  // a real file, so the reader counts it; the third header is missing).
  BytesIO input(absl::string_view("\2\0\0\0hi\x64\0\0\0abc", 13));
  ASSERT_OK_AND_ASSIGN(FILE * f, FOpen(&input, "r"));
  EXPECT_EQ(CountRecords(f), 2);
  EXPECT_EQ(fclose(f), 0);
}

}  // namespace
}  // namespace bytesio
