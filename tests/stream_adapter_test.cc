// Copyright 2026 The bytesio Authors.

#include "bytesio/stream_adapter.h"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

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

TEST(StreamAdapter, FormattedOutputAndInput) {
  BytesIO file;
  BytesIOStream stream(&file);
  stream << 42 << ' ' << 3.5 << ' ' << "word" << '\n';
  stream.flush();
  EXPECT_EQ(Value(file), "42 3.5 word\n");
  EXPECT_EQ(Tell(file), 12);
  stream.seekg(0);
  int i = 0;
  double d = 0;
  std::string w;
  stream >> i >> d >> w;
  EXPECT_TRUE(stream.good());
  EXPECT_EQ(i, 42);
  EXPECT_EQ(d, 3.5);
  EXPECT_EQ(w, "word");
  EXPECT_EQ(stream.tellg(), 11);
}

TEST(StreamAdapter, WorksThroughPlainStreamReferences) {
  BytesIO file("7 8 9");
  BytesIOStreambuf buf(&file);
  std::istream in(&buf);
  int a, b, c;
  in >> a >> b >> c;
  EXPECT_EQ(a + b + c, 24);
  EXPECT_TRUE(in.eof());
  in.clear();
  std::ostream out(&buf);
  out << " and 10";
  out.flush();
  EXPECT_EQ(Value(file), "7 8 9 and 10");
}

TEST(StreamAdapter, OnePositionForReadingAndWriting) {
  BytesIO file("abcdef");
  BytesIOStream stream(&file);
  EXPECT_EQ(stream.get(), 'a');
  EXPECT_EQ(stream.get(), 'b');
  stream.write("XY", 2);  // overwrites at the shared position
  EXPECT_EQ(stream.tellp(), 4);
  EXPECT_EQ(stream.tellg(), 4);
  EXPECT_EQ(stream.get(), 'e');  // reading right after writing: no seek
  stream.seekp(1);
  EXPECT_EQ(stream.tellg(), 1);
  EXPECT_EQ(stream.get(), 'b');
  stream.flush();
  EXPECT_EQ(Value(file), "abXYef");
  EXPECT_EQ(Tell(file), 2);
}

TEST(StreamAdapter, WritePastTheEndZeroFills) {
  BytesIO file("abc");
  BytesIOStream stream(&file);
  stream.seekp(10);
  EXPECT_TRUE(stream.good());
  EXPECT_EQ(Value(file), "abc");  // seeking alone never changes the data
  stream << 'x';
  stream.flush();
  EXPECT_EQ(Value(file), std::string("abc") + std::string(7, '\0') + "x");
}

TEST(StreamAdapter, ReadingPastTheEndGivesEofAndKeepsThePosition) {
  BytesIO file("abc");
  BytesIOStream stream(&file);
  stream.seekg(10);
  EXPECT_EQ(stream.get(), std::char_traits<char>::eof());
  EXPECT_TRUE(stream.eof());
  stream.clear();
  EXPECT_EQ(stream.tellg(), 10);
  EXPECT_EQ(Tell(file), 10);
}

TEST(StreamAdapter, SeeksFollowPythonRules) {
  BytesIO file("abcdef");
  BytesIOStream stream(&file);
  stream.seekg(2);
  stream.seekg(-5, std::ios_base::cur);  // clamps to 0
  EXPECT_EQ(stream.tellg(), 0);
  stream.seekg(-2, std::ios_base::end);
  EXPECT_EQ(stream.tellg(), 4);
  stream.seekg(-100, std::ios_base::end);  // clamps to 0
  EXPECT_EQ(stream.tellg(), 0);
  stream.seekg(4, std::ios_base::end);
  EXPECT_EQ(stream.tellg(), 10);
  stream.seekg(3);
  stream.seekg(-1, std::ios_base::beg);  // negative absolute: fails
  EXPECT_TRUE(stream.fail());
  EXPECT_THAT(stream.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                        "negative seek value -1"));
  stream.clear();
  EXPECT_EQ(stream.tellg(), 3);  // unchanged by the failed seek
}

TEST(StreamAdapter, FileIsExactAfterEverySyncPoint) {
  std::mt19937_64 rng(TestSeed());
  const std::string bytes = RandomBytes(rng, 200000);
  BytesIO file(MakeRope(bytes, RopeShape::kSmallChunks));
  {
    BytesIOStream stream(&file);
    char buf[3];
    stream.read(buf, 3);
    // The streambuf has read ahead; sync gives the unread part back.
    stream.sync();
    EXPECT_EQ(Tell(file), 3);
    stream.read(buf, 3);
    EXPECT_EQ(stream.tellg(), 6);
    EXPECT_EQ(Tell(file), 6);
    stream << "12345";
    stream.flush();
    EXPECT_EQ(Tell(file), 11);
    stream << "678";
    stream.get();  // reading flushes the writes first
    EXPECT_EQ(Value(file).substr(6, 8), "12345678");
    stream.get();
  }
  // Destroying the stream synchronises too.
  EXPECT_EQ(Tell(file), 16);
}

TEST(StreamAdapter, ReadsEveryShapeAndSize) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (RopeShape shape : AllRopeShapes()) {
    for (size_t size : ThresholdSizes()) {
      SCOPED_TRACE(RopeShapeName(shape) + " size " + std::to_string(size));
      const std::string bytes = RandomBytes(rng, size);
      BytesIO file(MakeRope(bytes, shape));
      BytesIOStream stream(&file);
      const std::string read((std::istreambuf_iterator<char>(stream)),
                             std::istreambuf_iterator<char>());
      EXPECT_EQ(read, bytes);
      // Bulk reads (xsgetn) from the middle.
      stream.clear();
      stream.seekg(static_cast<std::streamoff>(size / 3));
      std::string bulk(size, '\0');
      stream.read(&bulk[0], static_cast<std::streamsize>(size));
      bulk.resize(static_cast<size_t>(stream.gcount()));
      EXPECT_EQ(bulk, bytes.substr(size / 3));
    }
  }
}

TEST(StreamAdapter, GetlineAcrossChunkBoundaries) {
  std::mt19937_64 rng(TestSeed());
  std::string text;
  while (text.size() < 100000) {
    text += std::string(rng() % 700, 'a' + static_cast<char>(rng() % 26));
    text += '\n';
  }
  text += "last line without newline";
  const std::vector<std::string> expected = absl::StrSplit(text, '\n');
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    BytesIO file(MakeRope(text, shape));
    BytesIOStream stream(&file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    EXPECT_EQ(lines, expected);
  }
}

TEST(StreamAdapter, SmallWritesCoalesceIntoFewChunks) {
  BytesIO file;
  {
    BytesIOStream stream(&file);
    for (int i = 0; i < 100000; ++i)
      stream.put(static_cast<char>('0' + i % 10));
  }
  absl::StatusOr<Rope> value = file.GetValue();
  ASSERT_OK(value);
  EXPECT_EQ(value->size(), 100000u);
  // 16 KiB blocks: about seven chunks, not thousands.
  EXPECT_LE(ChunkCount(*value), 100000 / BytesIOStreambuf::kPutBufferSize + 2);
  EXPECT_EQ((*value)[12345], '5');
}

TEST(StreamAdapter, LargeWritesGoStraightThrough) {
  std::mt19937_64 rng(TestSeed());
  const std::string big = RandomBytes(rng, 1 << 20);
  BytesIO file("head");
  BytesIOStream stream(&file);
  stream.seekp(0, std::ios_base::end);
  stream << "+";
  stream.write(big.data(), static_cast<std::streamsize>(big.size()));
  stream << "tail";
  stream.flush();
  EXPECT_EQ(Value(file), "head+" + big + "tail");
}

TEST(StreamAdapter, UngetAndPutback) {
  BytesIO file(MakeRope("abcdef", RopeShape::kOneByteChunks));
  BytesIOStream stream(&file);
  EXPECT_EQ(stream.get(), 'a');
  EXPECT_EQ(stream.get(), 'b');
  EXPECT_TRUE(stream.unget());  // across a chunk boundary
  EXPECT_TRUE(stream.unget());
  EXPECT_EQ(stream.tellg(), 0);
  EXPECT_FALSE(stream.unget());  // nothing before the start
  stream.clear();
  EXPECT_EQ(stream.get(), 'a');
  EXPECT_FALSE(stream.putback('z'));  // the file is never modified
  stream.clear();
  EXPECT_EQ(stream.tellg(), 1);
  EXPECT_TRUE(stream.putback('a'));
  EXPECT_EQ(stream.get(), 'a');
  stream.flush();
  EXPECT_EQ(Value(file), "abcdef");
}

TEST(StreamAdapter, ClosedFileFailsTheStream) {
  BytesIO file("abc");
  ASSERT_OK(file.Close());
  BytesIOStream stream(&file);
  EXPECT_EQ(stream.get(), std::char_traits<char>::eof());
  EXPECT_THAT(stream.status(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                        "I/O operation on closed file."));
  stream.clear();
  stream << "x";
  EXPECT_TRUE(stream.bad());
  stream.clear();
  EXPECT_EQ(stream.tellg(), -1);
}

TEST(StreamAdapter, ExportedFileRefusesWritesButReads) {
  BytesIO file("abcdef");
  absl::StatusOr<BytesIO::ExportedBuffer> view = file.GetBuffer();
  ASSERT_OK(view);
  {
    BytesIOStream stream(&file);
    std::string s;
    stream >> s;
    EXPECT_EQ(s, "abcdef");
    stream.clear();
    stream.seekp(0);
    stream << "x";
    EXPECT_TRUE(stream.bad());
    EXPECT_THAT(stream.status(),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         ::testing::HasSubstr("Existing exports")));
  }
  view->Release();
  EXPECT_EQ(Value(file), "abcdef");
}

// A seeded random walk of stream operations, checked step by step against
// the same operations made directly on a second BytesIO.
TEST(StreamAdapter, RandomWalkMatchesDirectBytesIO) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  std::mt19937_64 rng(seed);
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const std::string initial = RandomBytes(rng, 3000 + rng() % 3000);
    BytesIO model(initial);
    BytesIO file(MakeRope(initial, shape));
    BytesIOStream stream(&file);
    for (int step = 0; step < 2000; ++step) {
      SCOPED_TRACE("step " + std::to_string(step));
      ASSERT_OK_AND_ASSIGN(const int64_t pos, model.Tell());
      ASSERT_OK_AND_ASSIGN(const Rope value, model.GetValue());
      const int64_t size = static_cast<int64_t>(value.size());
      switch (rng() % 9) {
        case 0: {  // write
          static constexpr size_t kSizes[] = {1, 7, 100, 600, 5000};
          const std::string data = RandomBytes(rng, kSizes[rng() % 5]);
          stream.write(data.data(), static_cast<std::streamsize>(data.size()));
          ASSERT_OK(model.Write(data));
          break;
        }
        case 1: {  // put
          const char c = static_cast<char>(rng());
          stream.put(c);
          ASSERT_OK(model.Write(absl::string_view(&c, 1)));
          break;
        }
        case 2: {  // read
          const size_t n = rng() % 2 == 0 ? rng() % 20 : rng() % 3000;
          std::string buf(n, '\0');
          stream.read(&buf[0], static_cast<std::streamsize>(n));
          buf.resize(static_cast<size_t>(stream.gcount()));
          ASSERT_OK_AND_ASSIGN(Rope expected, model.Read(n));
          ASSERT_EQ(buf, expected.ToString());
          break;
        }
        case 3: {  // get
          const int c = stream.get();
          ASSERT_OK_AND_ASSIGN(Rope expected, model.Read(1));
          ASSERT_EQ(c, expected.empty()
                           ? std::char_traits<char>::eof()
                           : static_cast<unsigned char>(expected[0]));
          break;
        }
        case 4: {  // getline
          std::string line;
          const bool ok = static_cast<bool>(std::getline(stream, line));
          ASSERT_OK_AND_ASSIGN(Rope expected, model.ReadLine());
          ASSERT_EQ(ok, !expected.empty());
          std::string want = expected.ToString();
          if (!want.empty() && want.back() == '\n') want.pop_back();
          ASSERT_EQ(line, want);
          break;
        }
        case 5: {  // seek, any direction, sometimes past either end
          // Targets from 20 before the start to 20 past the end, so that
          // the file grows by writes, not by doubling gaps.
          const int whence = static_cast<int>(rng() % 3);
          const int64_t base = whence == 0 ? 0 : whence == 1 ? pos : size;
          const int64_t off =
              static_cast<int64_t>(rng() % static_cast<uint64_t>(size + 41)) -
              20 - base;
          const auto dir = whence == 0   ? std::ios_base::beg
                           : whence == 1 ? std::ios_base::cur
                                         : std::ios_base::end;
          if (rng() % 2 == 0) {
            stream.seekg(off, dir);
          } else {
            stream.seekp(off, dir);
          }
          const bool ok = model.Seek(off, whence).ok();
          ASSERT_EQ(!stream.fail(), ok);
          break;
        }
        case 6:  // tell
          stream.clear();
          ASSERT_EQ(
              static_cast<int64_t>(rng() % 2 ? stream.tellg() : stream.tellp()),
              pos);
          break;
        case 7: {  // unget
          const bool ok = static_cast<bool>(stream.unget());
          const bool expect_ok = pos > 0 && pos <= size;
          ASSERT_EQ(ok, expect_ok);
          if (expect_ok) {
            ASSERT_OK(model.Seek(-1, BytesIO::kSeekCur));
          }
          break;
        }
        case 8:  // flush: the file must equal the model exactly
          stream.flush();
          ASSERT_EQ(Tell(file), pos);
          ASSERT_EQ(Value(file), value.ToString());
          break;
      }
      stream.clear();
    }
    stream.flush();
    ASSERT_EQ(Value(file), Value(model));
    ASSERT_EQ(Tell(file), Tell(model));
  }
}

TEST(StreamAdapter, GetAreaIsTheFilesChunkInPlace) {
  // The get area is the rest of the file cursor's current chunk: no copy,
  // one chunk per underflow, and the file is exact after a sync.
  const Rope data = RopeFromPieces({"first chunk|", "second|", "third"});
  BytesIO file(data);
  BytesIOStreambuf buf(&file);
  EXPECT_EQ(buf.sgetc(), 'f');
  EXPECT_EQ(buf.in_avail(), 12);  // all of the first chunk
  EXPECT_EQ(*file.Tell(), 12);    // read ahead to the end of the get area
  char out[20];
  EXPECT_EQ(buf.sgetn(out, 14), 14);
  EXPECT_EQ(absl::string_view(out, 14), "first chunk|se");
  EXPECT_EQ(buf.in_avail(), 5);  // the rest of the second chunk
  ASSERT_EQ(buf.pubsync(), 0);
  EXPECT_EQ(*file.Tell(), 14);
  EXPECT_EQ(buf.sbumpc(), 'c');
  EXPECT_EQ(buf.sputbackc('c'), 'c');
  EXPECT_EQ(buf.sgetn(out, 20), 10);
  EXPECT_EQ(absl::string_view(out, 10), "cond|third");
}

}  // namespace
}  // namespace bytesio
