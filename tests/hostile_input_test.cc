// Copyright 2026 The bytesio Authors.
//
// Hostile and faulty input: each test asserts the status AND that nothing
// was lost (the object is unchanged, earlier results are intact, unwritten
// bytes are still in the Rope and a retry completes the stream).
//
// The hostile inputs and where each is tested (items already covered
// elsewhere are not repeated here):
//   seek to INT64_MAX then write        FailedCallsLeaveTheStreamUnchanged;
//                                       bytes_io_test
//                                       WriteAtMaxPositionOverflows
//   seek overflow, whence 1 and 2       FailedCallsLeaveTheStreamUnchanged;
//                                       bytes_io_test SeekOverflow
//   truncate negative                   FailedCallsLeaveTheStreamUnchanged;
//                                       bytes_io_test TruncateNegative
//   write at 2^50                       WriteAt2To50AllocatesNothing
//   length prefix 2^32-1 / 2^64-1
//   HugeLengthPrefixesAllocateNothingAndKeepBytes;
//                                       frame_decoder_test
//                                       HugeDeclaredLength...
//   11-byte varint                      coding_test
//   OverlongAndOverflowingAreMalformed,
//                                       rope_reader_test
//                                       MalformedVarintDoesNotMove,
//                                       bytes_io_coding_test
//                                       TruncatedAndMalformed...,
//                                       frame_decoder_test
//                                       MalformedVarintPrefixIsDataLoss
//   delimiter never found within max    frame_decoder_test
//   DelimiterNeverFoundWithin... frame header split at every byte
//   FramesFedOneByteAtATime;
//                                       frame_decoder_test
//                                       HeaderSplitAcrossChunks...,
//                                       EveryHeaderKindAtEveryTruncationLength
//   fd: peer closes mid-frame           PeerClosingMidFrameKeepsUnwrittenBytes;
//                                       fd_io_test PeerClosingMidFrameLeaves...
//   EAGAIN on a full socket             fd_io_test
//   ShortWritesAndEagainThenRetry... write to a closed pipe (EPIPE)
//   EpipeKeepsUnwrittenBytesForARetry;
//                                       fd_io_test ClosedPipeIsEpipeNotSigpipe
//   use after Close UseAfterCloseFailsAndEarlierResultsSurvive;
//                                       bytes_io_test ClosedRefusesEverything
//   Close with live exports CloseWithLiveExportsFailsAndViewsStayValid
//   releasing exports out of order      ExportsReleasedInEveryOrder
//
// Counts the bytes requested from the global operator new (Rope chunks and
// tree nodes come from it), so it is a binary of its own.

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/coding.h"
#include "bytesio/fd_io.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/counting_new.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using ::testing::HasSubstr;
using Result = FrameDecoder::Result;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr absl::StatusCode kFailedPrecondition =
    absl::StatusCode::kFailedPrecondition;
constexpr char kExports[] =
    "Existing exports of data: object cannot be re-sized";
constexpr char kClosed[] = "I/O operation on closed file.";

// Resident set size of this process, from /proc/self/statm.
size_t ResidentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// Bytes requested from operator new while `fn` runs (0 under TSan, where
// nothing is counted).
template <typename Fn>
size_t BytesRequestedBy(Fn fn) {
  const size_t before = testutil::AllocatedBytes();
  fn();
  return testutil::AllocatedBytes() - before;
}

// The data pointers of a Rope's chunks: equal lists mean the very same
// memory, so nothing was copied or rebuilt.
std::vector<const char*> ChunkPointers(const Rope& rope) {
  std::vector<const char*> out;
  for (absl::string_view chunk : rope.Chunks()) out.push_back(chunk.data());
  return out;
}

// A stream's observable state, to check that a failed call changed nothing.
struct StreamState {
  int64_t position;
  Rope value;
  std::vector<const char*> chunks;
};

StreamState Capture(BytesIO& f) {
  StreamState s;
  s.position = *f.Tell();
  s.value = *f.GetValue();
  s.chunks = ChunkPointers(s.value);
  return s;
}

void ExpectUnchanged(BytesIO& f, const StreamState& before,
                     absl::string_view data) {
  EXPECT_FALSE(f.closed());
  EXPECT_EQ(*f.Tell(), before.position);
  const Rope value = *f.GetValue();
  EXPECT_EQ(value, data);
  EXPECT_EQ(before.value, data) << "an earlier snapshot changed";
  EXPECT_EQ(ChunkPointers(value), before.chunks) << "chunks were replaced";
}

// The BytesIO tests run over every Rope shape (fragmented, shared,
// external chunks).
class HostileInputOnEveryShape : public ::testing::TestWithParam<RopeShape> {};
INSTANTIATE_TEST_SUITE_P(Shapes, HostileInputOnEveryShape,
                         ::testing::ValuesIn(AllRopeShapes()),
                         [](const ::testing::TestParamInfo<RopeShape>& info) {
                           return RopeShapeName(info.param);
                         });

TEST_P(HostileInputOnEveryShape, FailedCallsLeaveTheStreamUnchanged) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string data = RandomBytes(rng, 3000);
  BytesIO f(MakeRope(data, GetParam()));
  ASSERT_OK(f.Seek(1234));
  const Rope big = MakeRope(std::string(5000, 'b'), GetParam());

  // Seek to INT64_MAX, then every kind of write: the end would pass
  // INT64_MAX.
  ASSERT_OK(f.Seek(kMax));
  StreamState before = Capture(f);
  const auto too_large =
      StatusIs(absl::StatusCode::kOutOfRange, "new buffer size too large");
  EXPECT_THAT(f.Write("x"), too_large);
  EXPECT_THAT(f.Write(big), too_large);
  EXPECT_THAT(f.WriteLines({"a", "b"}), too_large);
  EXPECT_EQ(*f.Write(""), 0u);  // an empty write is fine anywhere
  ExpectUnchanged(f, before, data);
  // Reads at INT64_MAX return nothing and do not move.
  char buffer[4];
  EXPECT_EQ(*f.ReadInto(absl::MakeSpan(buffer)), 0u);
  EXPECT_EQ(*f.Read(4), "");
  ExpectUnchanged(f, before, data);

  // Seek overflow with whence 1 (from a position > 0) and 2 (from the end).
  ASSERT_OK(f.Seek(7));
  before = Capture(f);
  const auto position_too_large =
      StatusIs(absl::StatusCode::kOutOfRange, "new position too large");
  EXPECT_THAT(f.Seek(kMax, SEEK_CUR), position_too_large);
  EXPECT_THAT(f.Seek(kMax - 6, SEEK_CUR), position_too_large);
  EXPECT_THAT(f.Seek(kMax, SEEK_END), position_too_large);
  EXPECT_THAT(f.Seek(kMax - 2999, SEEK_END), position_too_large);
  ExpectUnchanged(f, before, data);
  // The largest offsets that fit are accepted, and huge negative ones clamp.
  EXPECT_EQ(*f.Seek(kMax - 7, SEEK_CUR), kMax);
  EXPECT_EQ(*f.Seek(kMax - 3000, SEEK_END), kMax);
  EXPECT_EQ(*f.Seek(kMin, SEEK_CUR), 0);
  EXPECT_EQ(*f.Seek(kMin, SEEK_END), 0);

  // Truncate to a negative size.
  ASSERT_OK(f.Seek(100));
  before = Capture(f);
  EXPECT_THAT(f.Truncate(-1), StatusIs(absl::StatusCode::kInvalidArgument,
                                       "negative size value -1"));
  EXPECT_THAT(f.Truncate(kMin),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "negative size value -9223372036854775808"));
  ExpectUnchanged(f, before, data);

  // After all that, the stream works normally.
  ASSERT_OK(f.Write("ok"));
  ASSERT_OK(f.Seek(98));
  EXPECT_EQ(*f.Read(4), data.substr(98, 2) + "ok");
}

TEST(HostileInput, WriteAt2To50AllocatesNothing) {
  if (!testutil::AllocationCountingAvailable()) {
    GTEST_SKIP() << "operator new cannot be replaced under ThreadSanitizer";
  }
  const std::string data(10000, 'd');
  BytesIO f(MakeRope(data, RopeShape::kSmallChunks));
  ASSERT_OK(f.Seek(int64_t{1} << 50));
  const StreamState before = Capture(f);
  const size_t memory_before = before.value.EstimatedMemoryUsage();
  const size_t resident_before = ResidentBytes();
  const Rope big(std::string(100000, 'b'));
  absl::Status string_write, rope_write, lines_write;
  const size_t requested = BytesRequestedBy([&] {
    string_write = f.Write("x").status();
    rope_write = f.Write(big).status();
    lines_write = f.WriteLines({"a", "b"});
  });
  // Each failed call allocated its status only (the status and its
  // message, < 512 bytes); filling the gap would have started allocating
  // index nodes for ~2^30 one-MiB zero slices.
  EXPECT_LE(requested, 3 * 512u);
  EXPECT_THAT(string_write,
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("zero-fill 1125899906832624 bytes")));
  EXPECT_THAT(rope_write, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(lines_write, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_LT(ResidentBytes(), resident_before + (size_t{64} << 20));
  ExpectUnchanged(f, before, data);
  EXPECT_EQ(f.GetValue()->EstimatedMemoryUsage(), memory_before);
  // The same write at a sane position then works.
  ASSERT_OK(f.Seek(10005));
  ASSERT_OK(f.Write("x"));
  EXPECT_EQ(*f.GetValue(), data + std::string(5, '\0') + "x");
}

TEST(HostileInput, HugeLengthPrefixesAllocateNothingAndKeepBytes) {
  if (!testutil::AllocationCountingAvailable()) {
    GTEST_SKIP() << "operator new cannot be replaced under ThreadSanitizer";
  }
  constexpr size_t kSmallMax = 64;
  struct Case {
    const char* name;
    FrameDecoder decoder;
    std::string header;  // declares a frame far over the maximum
    std::string good;    // a well-formed frame of "abc"
  };
  auto length_field = [](size_t size, ByteOrder order) {
    LengthFieldFraming f;
    f.field_size = size;
    f.byte_order = order;
    return FrameDecoder(f, kSmallMax);
  };
  auto varint = [](uint64_t value) {
    char buf[kMaxVarint64Length];
    return std::string(buf,
                       static_cast<size_t>(EncodeVarint64(buf, value) - buf));
  };
  const std::string be4(
      "\0\0\0\x03"
      "abc",
      7);
  const std::string le4("\x03\0\0\0abc", 7);
  const std::string be8 = std::string(7, '\0') +
                          "\x03"
                          "abc";
  const std::string le8 = "\x03" + std::string(7, '\0') + "abc";
  std::vector<Case> cases;
  cases.push_back({"4-byte BE 2^32-1", length_field(4, ByteOrder::kBigEndian),
                   "\xFF\xFF\xFF\xFF", be4});
  cases.push_back({"4-byte LE 2^32-1",
                   length_field(4, ByteOrder::kLittleEndian),
                   "\xFF\xFF\xFF\xFF", le4});
  cases.push_back({"8-byte BE 2^64-1", length_field(8, ByteOrder::kBigEndian),
                   std::string(8, '\xFF'), be8});
  cases.push_back({"8-byte LE 2^64-1",
                   length_field(8, ByteOrder::kLittleEndian),
                   std::string(8, '\xFF'), le8});
  cases.push_back({"varint 2^32-1", FrameDecoder(VarintFraming{}, kSmallMax),
                   varint(0xFFFFFFFFu),
                   "\x03"
                   "abc"});
  cases.push_back({"varint 2^64-1", FrameDecoder(VarintFraming{}, kSmallMax),
                   varint(UINT64_MAX),
                   "\x03"
                   "abc"});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    FrameDecoder& decoder = c.decoder;
    Rope frame(absl::string_view("untouched"));
    // The header arrives byte by byte: need more, then the error as soon as
    // it is complete, before any body byte.
    for (size_t i = 0; i + 1 < c.header.size(); ++i) {
      decoder.Append(c.header.substr(i, 1));
      ASSERT_EQ(decoder.Next(&frame), Result::kNeedMore);
    }
    decoder.Append(c.header.substr(c.header.size() - 1));
    Result result = Result::kFrame;
    const size_t requested =
        BytesRequestedBy([&] { result = decoder.Next(&frame); });
    ASSERT_EQ(result, Result::kError);
    EXPECT_LE(requested, 512u) << "only the status";
    EXPECT_THAT(decoder.status(),
                StatusIs(absl::StatusCode::kResourceExhausted,
                         HasSubstr("maximum frame size of 64")));
    EXPECT_EQ(frame, "untouched");
    // Nothing was consumed: the bad header stays for diagnostics, and so do
    // body bytes that arrive after the error, while no frame comes out.
    EXPECT_EQ(decoder.buffered(), c.header);
    decoder.Append("body bytes");
    EXPECT_EQ(decoder.Next(&frame), Result::kError);
    EXPECT_EQ(decoder.buffered(), c.header + "body bytes");
    // Reset recovers the decoder for a new stream.
    decoder.Reset();
    decoder.Append(c.good);
    ASSERT_EQ(decoder.Next(&frame), Result::kFrame);
    EXPECT_EQ(frame, "abc");
  }
}

TEST(HostileInput, FramesFedOneByteAtATime) {
  // Every framing, its header and body delivered one byte per Append with
  // Next() after each: need more until the last byte, then the frame.
  std::vector<std::pair<FrameDecoder, std::string>> cases;
  LengthFieldFraming le;
  le.field_size = 2;
  le.byte_order = ByteOrder::kLittleEndian;
  le.length_counts_header = true;
  cases.emplace_back(FrameDecoder(LengthFieldFraming{}),
                     std::string("\0\0\0\x05hello", 9));
  cases.emplace_back(FrameDecoder(le), std::string("\x07\0hello", 7));
  cases.emplace_back(FrameDecoder(VarintFraming{}),
                     "\xAC\x02" + std::string(300, 'v'));
  DelimiterFraming crlf;
  cases.emplace_back(FrameDecoder(crlf), "hello\r\n");
  for (auto& [decoder, stream] : cases) {
    SCOPED_TRACE(stream.substr(0, 12));
    for (int round = 0; round < 3; ++round) {
      Rope frame;
      for (size_t i = 0; i < stream.size(); ++i) {
        decoder.Append(stream.substr(i, 1));
        const Result r = decoder.Next(&frame);
        if (i + 1 < stream.size()) {
          ASSERT_EQ(r, Result::kNeedMore) << i;
        } else {
          ASSERT_EQ(r, Result::kFrame);
        }
      }
      EXPECT_TRUE(frame == "hello" || frame == std::string(300, 'v'));
      EXPECT_TRUE(decoder.buffered().empty());
    }
  }
}

// ---------------------------------------------------------------------------
// File descriptors.

void SetSmallSendBuffer(int fd) {
  const int small = 4096;
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
}

// Reads everything from `fd` until end of stream.
std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

// Writes `rope` to a fresh pipe read by another thread; returns what the
// reader got.
std::string RetryOnFreshPipe(Rope* rope) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  std::string got;
  std::thread reader([&] { got = ReadAll(fds[0]); });
  const IoResult r = WriteToFd(fds[1], rope);
  EXPECT_EQ(r.status, IoStatus::kOk);
  close(fds[1]);
  reader.join();
  close(fds[0]);
  return got;
}

// A stream of length-prefixed frames, several chunks per frame.
std::string FrameStream(std::mt19937_64& rng) {
  std::string stream;
  for (int i = 0; i < 64; ++i) {
    const std::string body = RandomBytes(rng, 1 + rng() % 30000);
    char header[4];
    StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(body.size()));
    stream.append(header, 4);
    stream += body;
  }
  return stream;
}

TEST(HostileInput, PeerClosingMidFrameKeepsUnwrittenBytes) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string stream = FrameStream(rng);
  Rope rope = MakeRope(stream, RopeShape::kExternalChunks);
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  SetSmallSendBuffer(fds[0]);
  // The peer reads part of the first frame, then hangs up.
  std::thread peer([fd = fds[1]] {
    char buf[1000];
    size_t got = 0;
    while (got < 10) {
      const ssize_t n = read(fd, buf, sizeof(buf) - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    close(fd);
  });
  const IoResult r = WriteToFd(fds[0], &rope);
  peer.join();
  close(fds[0]);
  ASSERT_EQ(r.status, IoStatus::kError);
  EXPECT_TRUE(r.error == EPIPE || r.error == ECONNRESET) << r.error;
  ASSERT_LT(r.bytes, stream.size());
  // Exactly the bytes the kernel did not accept are still in the Rope.
  EXPECT_EQ(rope.size(), stream.size() - r.bytes);
  EXPECT_EQ(rope, absl::string_view(stream).substr(r.bytes));
  // A retry (a new connection) completes the stream.
  EXPECT_EQ(RetryOnFreshPipe(&rope), stream.substr(r.bytes));
  EXPECT_TRUE(rope.empty());
}

TEST(HostileInput, EpipeKeepsUnwrittenBytesForARetry) {
  // SIGPIPE keeps its default action (terminate the process): the test
  // would die if WriteToFd let it through.
  struct sigaction action;
  ASSERT_EQ(sigaction(SIGPIPE, nullptr, &action), 0);
  ASSERT_EQ(action.sa_handler, SIG_DFL);
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string stream = FrameStream(rng);
  Rope rope = MakeRope(stream, RopeShape::kSmallChunks);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  // The reader takes the first 100 KiB (so the writer is mid-stream and
  // blocked on a full pipe), then closes its end.
  std::string first;
  std::thread reader([&first, fd = fds[0]] {
    char buf[4096];
    while (first.size() < (size_t{100} << 10)) {
      const ssize_t n = read(fd, buf, sizeof(buf));
      if (n <= 0) break;
      first.append(buf, static_cast<size_t>(n));
    }
    close(fd);
  });
  const IoResult r = WriteToFd(fds[1], &rope);
  reader.join();
  close(fds[1]);
  ASSERT_EQ(r.status, IoStatus::kError);
  EXPECT_EQ(r.error, EPIPE);
  EXPECT_THAT(r.ToStatus(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(first, stream.substr(0, first.size()));
  ASSERT_GE(r.bytes, first.size());
  EXPECT_EQ(rope, absl::string_view(stream).substr(r.bytes));
  EXPECT_EQ(RetryOnFreshPipe(&rope), stream.substr(r.bytes));
}

// ---------------------------------------------------------------------------
// Close and exports.

TEST_P(HostileInputOnEveryShape, UseAfterCloseFailsAndEarlierResultsSurvive) {
  const std::string data = std::string(3000, 'a') + "\nline\n";
  BytesIO f(MakeRope(data, GetParam()));
  const Rope value = *f.GetValue();
  const Rope read = *f.Read(2000);
  const Rope line = *f.ReadLine();
  const BytesIO::State state = *f.GetState();
  ASSERT_OK(f.Close());
  const auto closed = StatusIs(kFailedPrecondition, kClosed);
  char buffer[8];
  EXPECT_THAT(f.Read(), closed);
  EXPECT_THAT(f.ReadInto(absl::MakeSpan(buffer)), closed);
  EXPECT_THAT(f.Write("x"), closed);
  EXPECT_THAT(f.Write(value), closed);
  EXPECT_THAT(f.Seek(0), closed);
  EXPECT_THAT(f.Truncate(0), closed);
  EXPECT_THAT(f.GetValue(), closed);
  EXPECT_THAT(f.GetBuffer(), closed);
  EXPECT_OK(f.Close());
  // What was handed out before Close still holds its bytes (ASan would
  // flag freed chunks).
  EXPECT_EQ(value, data);
  EXPECT_EQ(read, data.substr(0, 2000));
  EXPECT_EQ(line, data.substr(2000, 1001));
  EXPECT_EQ(state.value, data);
  EXPECT_EQ(state.position, 3001);
  // Reset reopens.
  ASSERT_OK(f.Reset(value));
  EXPECT_EQ(*f.Read(), data);
}

TEST_P(HostileInputOnEveryShape, CloseWithLiveExportsFailsAndViewsStayValid) {
  const std::string data(2000, 'e');
  BytesIO f(MakeRope(data, GetParam()));
  ASSERT_OK(f.Seek(5));
  absl::StatusOr<BytesIO::ExportedBuffer> view = f.GetBuffer();
  ASSERT_OK(view);
  BytesIO::ExportedBuffer slice = view->Subspan(1000, 10);
  EXPECT_THAT(f.Close(), StatusIs(kFailedPrecondition, kExports));
  EXPECT_FALSE(f.closed());
  // The views still point at live storage and write through.
  std::memset(view->data(), 'V', 3);
  std::memcpy(slice.data(), "0123456789", 10);
  std::string want = data;
  want.replace(0, 3, "VVV");
  want.replace(1000, 10, "0123456789");
  EXPECT_EQ(*f.GetValue(), want);
  EXPECT_EQ(*f.Tell(), 5);
  view->Release();
  EXPECT_THAT(f.Close(), StatusIs(kFailedPrecondition, kExports));
  EXPECT_EQ(slice.view(), "0123456789");
  slice.Release();
  const Rope value = *f.GetValue();
  ASSERT_OK(f.Close());
  EXPECT_TRUE(f.closed());
  EXPECT_EQ(value, want);
}

TEST_P(HostileInputOnEveryShape, ExportsReleasedInEveryOrder) {
  const std::string data = "0123456789abcdefghij";
  // Four exports: a view, a copy of it, a slice, and a slice of the slice.
  std::array<int, 4> order = {0, 1, 2, 3};
  int orders = 0;
  do {
    SCOPED_TRACE(::testing::PrintToString(order));
    BytesIO f(MakeRope(data, GetParam()));
    std::array<BytesIO::ExportedBuffer, 4> views;
    views[0] = *f.GetBuffer();
    views[1] = views[0];
    views[2] = views[0].Subspan(5, 10);
    views[3] = views[2].Subspan(2, 3);
    views[3][0] = '#';  // data[7]
    std::string want = data;
    want[7] = '#';
    for (size_t i = 0; i < order.size(); ++i) {
      views[order[i]].Release();
      for (int v = 0; v < 4; ++v) {
        if (!views[v].holds_export()) continue;
        // A view still held shows the current bytes at its place.
        const size_t offset = v < 2 ? 0 : v == 2 ? 5 : 7;
        EXPECT_EQ(views[v].view(),
                  absl::string_view(want).substr(offset, views[v].size()));
      }
      if (i + 1 < order.size()) {
        EXPECT_THAT(f.Write("x"), StatusIs(kFailedPrecondition, kExports));
        EXPECT_THAT(f.Truncate(1), StatusIs(kFailedPrecondition, kExports));
        EXPECT_THAT(f.Close(), StatusIs(kFailedPrecondition, kExports));
        EXPECT_EQ(*f.GetValue(), want);
      }
    }
    ASSERT_OK(f.Write("X"));
    want[0] = 'X';
    EXPECT_EQ(*f.GetValue(), want);
    ++orders;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(orders, 24);
}

}  // namespace
}  // namespace bytesio
