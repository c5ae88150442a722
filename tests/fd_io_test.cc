// Copyright 2026 The bytesio Authors.

#include "bytesio/fd_io.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/framing_test_util.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using Result = FrameDecoder::Result;

// A pair of connected descriptors, closed on destruction.
struct FdPair {
  int read_fd = -1;
  int write_fd = -1;
  ~FdPair() {
    CloseRead();
    CloseWrite();
  }
  void CloseRead() {
    if (read_fd >= 0) close(read_fd);
    read_fd = -1;
  }
  void CloseWrite() {
    if (write_fd >= 0) close(write_fd);
    write_fd = -1;
  }
};

enum class Channel { kPipe, kSocketPair };

void Open(Channel channel, FdPair* pair) {
  int fds[2];
  if (channel == Channel::kPipe) {
    ASSERT_EQ(pipe(fds), 0);
  } else {
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  }
  pair->read_fd = fds[0];
  pair->write_fd = fds[1];
}

void SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  ASSERT_EQ(fcntl(fd, F_SETFL, flags | O_NONBLOCK), 0);
}

void WriteAllRaw(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    ASSERT_GT(n, 0) << strerror(errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string ReadAllRaw(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// A Rope of one private owned chunk holding `data`, with room up to
// `capacity` bytes.
Rope PrivateChunkWithRoom(absl::string_view data, size_t capacity) {
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(capacity);
  std::memcpy(buffer.data(), data.data(), data.size());
  buffer.SetLength(data.size());
  Rope rope;
  rope.Append(std::move(buffer));
  return rope;
}

std::string LengthPrefixed(absl::string_view body) {
  char header[4];
  StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(body.size()));
  return std::string(header, 4) + std::string(body);
}

TEST(ReadFromFd, ReadsWhatArrivedThenEndOfStream) {
  for (Channel channel : {Channel::kPipe, Channel::kSocketPair}) {
    FdPair fds;
    Open(channel, &fds);
    WriteAllRaw(fds.write_fd, "hello");
    Rope rope(absl::string_view("pre:"));
    IoResult r = ReadFromFd(fds.read_fd, &rope);
    ASSERT_EQ(r.status, IoStatus::kOk);
    EXPECT_EQ(r.bytes, 5u);
    EXPECT_EQ(rope, "pre:hello");
    EXPECT_OK(r.ToStatus());
    fds.CloseWrite();
    r = ReadFromFd(fds.read_fd, &rope);
    EXPECT_EQ(r.status, IoStatus::kEndOfStream);
    EXPECT_EQ(r.bytes, 0u);
    EXPECT_EQ(rope, "pre:hello");
    EXPECT_THAT(r.ToStatus(), StatusIs(absl::StatusCode::kOutOfRange));
  }
}

TEST(ReadFromFd, WouldBlockOnAnEmptyNonBlockingDescriptor) {
  for (Channel channel : {Channel::kPipe, Channel::kSocketPair}) {
    FdPair fds;
    Open(channel, &fds);
    SetNonBlocking(fds.read_fd);
    Rope rope(std::string(1000, 'r'));
    const Rope before = rope;
    const IoResult r = ReadFromFd(fds.read_fd, &rope);
    EXPECT_EQ(r.status, IoStatus::kWouldBlock);
    EXPECT_EQ(rope, before);
    EXPECT_THAT(r.ToStatus(), StatusIs(absl::StatusCode::kUnavailable));
  }
}

TEST(ReadFromFd, ErrorReportsErrno) {
  Rope rope(absl::string_view("keep"));
  const IoResult r = ReadFromFd(-1, &rope);
  EXPECT_EQ(r.status, IoStatus::kError);
  EXPECT_EQ(r.error, EBADF);
  EXPECT_EQ(rope, "keep");
  EXPECT_FALSE(r.ToStatus().ok());
}

TEST(ReadFromFd, FillsTheTailRoomOfThePrivateLastChunk) {
  FdPair fds;
  Open(Channel::kPipe, &fds);
  Rope rope = PrivateChunkWithRoom(std::string(600, 'a'), 4096);
  rope.Append("b");
  ASSERT_EQ(ChunkCount(rope), 1u);
  const char* chunk = (*rope.Chunks().begin()).data();
  WriteAllRaw(fds.write_fd, "0123456789");
  const IoResult r = ReadFromFd(fds.read_fd, &rope);
  ASSERT_EQ(r.status, IoStatus::kOk);
  EXPECT_EQ(r.bytes, 10u);
  // Same chunk, grown in place: no intermediate buffer, no new chunk.
  EXPECT_EQ(ChunkCount(rope), 1u);
  EXPECT_EQ((*rope.Chunks().begin()).data(), chunk);
  EXPECT_EQ(rope, std::string(600, 'a') + "b0123456789");
}

TEST(ReadFromFd, SharedTailIsNotWrittenInto) {
  FdPair fds;
  Open(Channel::kPipe, &fds);
  Rope rope = PrivateChunkWithRoom(std::string(600, 'a'), 4096);
  const Rope snapshot = rope;  // the tail chunk is shared now
  WriteAllRaw(fds.write_fd, "xyz");
  ASSERT_EQ(ReadFromFd(fds.read_fd, &rope).status, IoStatus::kOk);
  EXPECT_EQ(rope, std::string(600, 'a') + "xyz");
  EXPECT_EQ(snapshot, std::string(600, 'a'));
  EXPECT_EQ(ChunkCount(rope), 2u);
}

TEST(ReadFromFd, RespectsTheLimit) {
  FdPair fds;
  Open(Channel::kSocketPair, &fds);
  WriteAllRaw(fds.write_fd, std::string(1000, 'x'));
  Rope rope;
  IoResult r = ReadFromFd(fds.read_fd, &rope, 10);
  ASSERT_EQ(r.status, IoStatus::kOk);
  EXPECT_EQ(r.bytes, 10u);
  EXPECT_EQ(rope.size(), 10u);
  r = ReadFromFd(fds.read_fd, &rope, 1);
  EXPECT_EQ(r.bytes, 1u);
  r = ReadFromFd(fds.read_fd, &rope);
  EXPECT_EQ(r.bytes, 989u);
  EXPECT_EQ(rope, std::string(1000, 'x'));
}

TEST(ReadFromFd, LargeReadsSpanSeveralFreshChunks) {
  FdPair fds;
  Open(Channel::kSocketPair, &fds);
  std::mt19937_64 rng(TestSeed());
  const std::string data = RandomBytes(rng, 3 << 20);
  std::thread writer([&] {
    WriteAllRaw(fds.write_fd, data);
    fds.CloseWrite();
  });
  Rope rope;
  size_t reads = 0;
  IoResult r;
  while ((r = ReadFromFd(fds.read_fd, &rope)).status == IoStatus::kOk) {
    EXPECT_LE(r.bytes, kDefaultReadLimit);
    ++reads;
  }
  writer.join();
  EXPECT_EQ(r.status, IoStatus::kEndOfStream);
  EXPECT_EQ(rope, data);
  EXPECT_GE(reads, data.size() / kDefaultReadLimit);
}

TEST(ReadFromFd, RetriesAfterEintr) {
  struct sigaction action = {};
  action.sa_handler = [](int) {};
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocked readv fails with EINTR
  struct sigaction old_action;
  ASSERT_EQ(sigaction(SIGUSR1, &action, &old_action), 0);
  FdPair fds;
  Open(Channel::kPipe, &fds);
  IoResult result = {IoStatus::kError, 0, 0};
  Rope rope;
  std::thread reader([&] { result = ReadFromFd(fds.read_fd, &rope); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  pthread_kill(reader.native_handle(), SIGUSR1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  WriteAllRaw(fds.write_fd, "after");
  reader.join();
  sigaction(SIGUSR1, &old_action, nullptr);
  EXPECT_EQ(result.status, IoStatus::kOk);
  EXPECT_EQ(rope, "after");
}

TEST(ReadFromFd, PartialReadsAtEverySplitPointOfAFrame) {
  const std::string stream =
      LengthPrefixed("frame-one-body") + LengthPrefixed(std::string(300, 'z'));
  const size_t first = 4 + 14;
  for (Channel channel : {Channel::kPipe, Channel::kSocketPair}) {
    for (size_t split = 0; split <= stream.size(); ++split) {
      FdPair fds;
      Open(channel, &fds);
      FrameDecoder decoder(LengthFieldFraming{});
      std::vector<std::string> frames;
      Rope frame;
      WriteAllRaw(fds.write_fd, absl::string_view(stream).substr(0, split));
      if (split > 0) {
        ASSERT_EQ(ReadFromFd(fds.read_fd, decoder.mutable_buffer()).status,
                  IoStatus::kOk);
      }
      while (decoder.Next(&frame) == Result::kFrame) {
        frames.push_back(frame.ToString());
      }
      EXPECT_EQ(frames.size(), split >= stream.size() ? 2u
                               : split >= first       ? 1u
                                                      : 0u);
      WriteAllRaw(fds.write_fd, absl::string_view(stream).substr(split));
      fds.CloseWrite();
      IoResult r;
      while ((r = ReadFromFd(fds.read_fd, decoder.mutable_buffer())).status ==
             IoStatus::kOk) {
      }
      ASSERT_EQ(r.status, IoStatus::kEndOfStream);
      while (decoder.Next(&frame) == Result::kFrame) {
        frames.push_back(frame.ToString());
      }
      ASSERT_EQ(frames.size(), 2u) << split;
      EXPECT_EQ(frames[0], "frame-one-body");
      EXPECT_EQ(frames[1], std::string(300, 'z'));
      EXPECT_TRUE(decoder.buffered().empty());
    }
  }
}

TEST(ReadFromFd, PeerClosingMidFrameLeavesAnIncompleteFrame) {
  FdPair fds;
  Open(Channel::kSocketPair, &fds);
  const std::string stream =
      LengthPrefixed("complete") + LengthPrefixed(std::string(100, 'c'));
  WriteAllRaw(fds.write_fd, absl::string_view(stream).substr(0, 12 + 4 + 30));
  fds.CloseWrite();
  FrameDecoder decoder(LengthFieldFraming{});
  IoResult r;
  std::vector<std::string> frames;
  Rope frame;
  while ((r = ReadFromFd(fds.read_fd, decoder.mutable_buffer())).status ==
         IoStatus::kOk) {
    while (decoder.Next(&frame) == Result::kFrame) {
      frames.push_back(frame.ToString());
    }
  }
  EXPECT_EQ(r.status, IoStatus::kEndOfStream);
  EXPECT_EQ(frames, std::vector<std::string>{"complete"});
  // The truncated frame is visible: end of stream with bytes buffered.
  EXPECT_EQ(decoder.Next(&frame), Result::kNeedMore);
  EXPECT_EQ(decoder.buffered().size(), 34u);
}

TEST(WriteToFd, WritesEveryChunkAndEmptiesTheRope) {
  for (Channel channel : {Channel::kPipe, Channel::kSocketPair}) {
    FdPair fds;
    Open(channel, &fds);
    std::string reader_got;
    std::thread reader([&] { reader_got = ReadAllRaw(fds.read_fd); });
    std::mt19937_64 rng(TestSeed());
    // More chunks than IOV_MAX, so several batches are needed.
    const std::string data = RandomBytes(rng, 3 * IOV_MAX * 10 + 7);
    std::vector<std::string> pieces;
    for (size_t pos = 0; pos < data.size(); pos += 10) {
      pieces.push_back(data.substr(pos, 10));
    }
    Rope rope = RopeFromPieces(pieces);
    ASSERT_GT(ChunkCount(rope), static_cast<size_t>(IOV_MAX));
    const IoResult r = WriteToFd(fds.write_fd, &rope);
    fds.CloseWrite();
    reader.join();
    EXPECT_EQ(r.status, IoStatus::kOk);
    EXPECT_EQ(r.bytes, data.size());
    EXPECT_TRUE(rope.empty());
    EXPECT_EQ(reader_got, data);
  }
}

TEST(WriteToFd, ShortWritesAndEagainThenRetryCompletesTheStream) {
  FdPair fds;
  Open(Channel::kSocketPair, &fds);
  const int small = 4096;
  ASSERT_EQ(
      setsockopt(fds.write_fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)),
      0);
  SetNonBlocking(fds.write_fd);
  SetNonBlocking(fds.read_fd);
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  const std::string data = RandomBytes(rng, 1 << 20);
  Rope rope = RopeFromPieces(CutRandomly(rng, data, 70000));
  std::string received;
  size_t would_blocks = 0;
  size_t written = 0;
  while (!rope.empty()) {
    const IoResult r = WriteToFd(fds.write_fd, &rope);
    written += r.bytes;
    // Unwritten bytes stay, exactly the rest of the stream.
    ASSERT_EQ(rope.size(), data.size() - written);
    if (r.status == IoStatus::kWouldBlock) {
      ++would_blocks;
      ASSERT_TRUE(rope.StartsWith(absl::string_view(data).substr(
          written, std::min<size_t>(100, data.size() - written))));
      // Drain some of it on the other side, then retry.
      Rope in;
      const IoResult got = ReadFromFd(fds.read_fd, &in, 1 + rng() % 50000);
      ASSERT_EQ(got.status, IoStatus::kOk);
      in.AppendTo(&received);
    } else {
      ASSERT_EQ(r.status, IoStatus::kOk);
    }
  }
  Rope rest;
  while (ReadFromFd(fds.read_fd, &rest).status == IoStatus::kOk) {
  }
  rest.AppendTo(&received);
  EXPECT_GT(would_blocks, 2u);
  EXPECT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
}

bool SigpipePending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

TEST(WriteToFd, ClosedPipeIsEpipeNotSigpipe) {
  // SIGPIPE keeps its default action (terminate): the test would die if
  // WriteToFd let the signal through.
  FdPair fds;
  Open(Channel::kPipe, &fds);
  fds.CloseRead();
  sigset_t mask_before, mask_after;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask_before);
  Rope rope(std::string(5000, 'p'));
  const IoResult r = WriteToFd(fds.write_fd, &rope);
  EXPECT_EQ(r.status, IoStatus::kError);
  EXPECT_EQ(r.error, EPIPE);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_EQ(rope.size(), 5000u);  // nothing lost
  EXPECT_FALSE(SigpipePending());
  pthread_sigmask(SIG_SETMASK, nullptr, &mask_after);
  EXPECT_EQ(sigismember(&mask_before, SIGPIPE),
            sigismember(&mask_after, SIGPIPE));
  EXPECT_THAT(r.ToStatus(), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(WriteToFd, ClosedSocketIsAnErrorNotSigpipe) {
  FdPair fds;
  Open(Channel::kSocketPair, &fds);
  fds.CloseRead();
  Rope rope(std::string(5000, 's'));
  const IoResult r = WriteToFd(fds.write_fd, &rope);
  EXPECT_EQ(r.status, IoStatus::kError);
  EXPECT_TRUE(r.error == EPIPE || r.error == ECONNRESET) << r.error;
  EXPECT_EQ(rope.size(), 5000u);
  EXPECT_FALSE(SigpipePending());
}

TEST(WriteToFd, WritesToARegularFile) {
  FILE* file = tmpfile();
  ASSERT_NE(file, nullptr);
  const int fd = fileno(file);
  Rope rope = RopeFromPieces({"abc", std::string(2000, 'd'), "e"});
  const IoResult r = WriteToFd(fd, &rope);
  ASSERT_EQ(r.status, IoStatus::kOk);
  EXPECT_EQ(r.bytes, 2004u);
  ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
  EXPECT_EQ(ReadAllRaw(fd), "abc" + std::string(2000, 'd') + "e");
  fclose(file);
}

TEST(WriteToFd, EmptyRopeWritesNothing) {
  Rope rope;
  const IoResult r = WriteToFd(-1, &rope);  // never touches the descriptor
  EXPECT_EQ(r.status, IoStatus::kOk);
  EXPECT_EQ(r.bytes, 0u);
}

TEST(ExportIovecs, DescribesTheChunksInPlace) {
  const Rope rope = RopeFromPieces({"abc", "defgh", "ij"});
  struct iovec iov[8];
  IovecExport e = ExportIovecs(rope, absl::MakeSpan(iov));
  ASSERT_EQ(e.count, 3u);
  EXPECT_EQ(e.bytes, 10u);
  size_t i = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    EXPECT_EQ(iov[i].iov_base, chunk.data());
    EXPECT_EQ(iov[i].iov_len, chunk.size());
    ++i;
  }
  e = ExportIovecs(rope, absl::MakeSpan(iov, 2));
  EXPECT_EQ(e.count, 2u);
  EXPECT_EQ(e.bytes, 8u);
  e = ExportIovecs(rope, absl::MakeSpan(iov), 5);  // cut inside chunk 2
  EXPECT_EQ(e.count, 2u);
  EXPECT_EQ(e.bytes, 5u);
  EXPECT_EQ(iov[1].iov_len, 2u);
  e = ExportIovecs(Rope(), absl::MakeSpan(iov));
  EXPECT_EQ(e.count, 0u);
  EXPECT_EQ(e.bytes, 0u);
}

}  // namespace
}  // namespace bytesio
