// Copyright 2026 The bytesio Authors.
//
// Varint-delimited protobuf messages over real loopback TCP (127.0.0.1),
// sender and receiver in one program, with no flattening on either side:
//
//   sender thread: AppendDelimitedToRope (one chunk per message)
//     -> cut into random-sized pieces (1 B .. 128 KiB), WriteToFd each
//                                  │ 127.0.0.1
//   receiver: ReadFromFd into FrameDecoder(VarintFraming).mutable_buffer()
//     -> Next(&frame) -> RopeInputStream(frame) -> ParseFromZeroCopyStream
//     -> compared with the message the sender built (regenerated from the
//        seed and the sequence number)
//
// Message sizes are log-uniform between 10 bytes and 1 MiB, so frames from
// a few bytes inside one received chunk to many chunks all show up; a frame
// that spans chunks is parsed chunk by chunk, in place.
//
//   ./bazelw run -c opt //examples:protobuf_tcp -- --messages=2000
//
// Flags: --messages=N (300) --seed=N (1). Exit status 0 when every message
// arrived intact and in order, 1 otherwise.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "bytesio/fd_io.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/protobuf_stream.h"
#include "bytesio/rope.h"
#include "examples/protobuf_tcp.pb.h"

namespace {

using bytesio::FrameDecoder;
using bytesio::IoResult;
using bytesio::IoStatus;
using bytesio::Rope;
using bytesio::example::Reading;

constexpr size_t kMinMessage = 10;
constexpr size_t kMaxMessage = size_t{1} << 20;
constexpr size_t kMaxPiece = size_t{128} << 10;

// Log-uniform in [lo, hi].
size_t LogUniform(std::mt19937_64& rng, size_t lo, size_t hi) {
  std::uniform_real_distribution<double> u(std::log(lo), std::log(hi + 1.0));
  const size_t n = static_cast<size_t>(std::exp(u(rng)));
  return n < lo ? lo : n > hi ? hi : n;
}

// Message `sequence` of the run with `seed`: about `size` bytes serialized.
Reading MakeReading(uint64_t seed, uint64_t sequence) {
  std::mt19937_64 rng(seed * 1000003 + sequence);
  const size_t size = LogUniform(rng, kMinMessage, kMaxMessage);
  Reading reading;
  reading.set_sequence(sequence);
  reading.set_sensor("s" + std::to_string(rng() % 100));
  for (size_t i = 0; i < size / 256; ++i) {
    reading.add_values(static_cast<double>(rng() % 10000) / 8);
  }
  const size_t used = reading.ByteSizeLong();
  std::string payload(size > used + 3 ? size - used - 3 : 0, '\0');
  for (char& c : payload) c = static_cast<char>(rng());
  reading.set_payload(std::move(payload));
  return reading;
}

bool Fail(const char* what) {
  std::fprintf(stderr, "protobuf_tcp: %s\n", what);
  return false;
}

// Sends `messages` delimited messages in random-sized writes.
bool Send(int fd, uint64_t seed, int messages) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < messages; ++i) {
    Rope out;
    if (!bytesio::AppendDelimitedToRope(MakeReading(seed, i), &out)) {
      return Fail("serialize failed");
    }
    while (!out.empty()) {
      const size_t n = LogUniform(rng, 1, kMaxPiece);
      Rope piece = out.Subrope(0, n);  // shares the chunk: no copy
      out.RemovePrefix(n);
      const IoResult result = bytesio::WriteToFd(fd, &piece);
      if (result.status != IoStatus::kOk) return Fail("write failed");
    }
  }
  return true;
}

struct Received {
  int messages = 0;
  int multi_chunk = 0;  // frames that spanned received chunks
  size_t bytes = 0;
};

bool Receive(int fd, uint64_t seed, int messages, Received* received) {
  FrameDecoder decoder(bytesio::VarintFraming{}, kMaxMessage + 16);
  Rope frame;
  Reading parsed;
  for (;;) {
    FrameDecoder::Result result;
    while ((result = decoder.Next(&frame)) == FrameDecoder::Result::kFrame) {
      bytesio::RopeInputStream input(frame);
      if (!parsed.ParseFromZeroCopyStream(&input)) {
        return Fail("a message did not parse");
      }
      const Reading expected = MakeReading(seed, received->messages);
      if (parsed.SerializeAsString() != expected.SerializeAsString()) {
        return Fail("a message arrived changed or out of order");
      }
      if (!frame.TryFlat().has_value()) ++received->multi_chunk;
      received->bytes += frame.size();
      ++received->messages;
    }
    if (result == FrameDecoder::Result::kError) {
      return Fail(decoder.status().ToString().c_str());
    }
    const IoResult read = bytesio::ReadFromFd(fd, decoder.mutable_buffer());
    if (read.status == IoStatus::kEndOfStream) break;
    if (read.status != IoStatus::kOk) return Fail("read failed");
  }
  if (!decoder.buffered().empty()) {
    std::fprintf(stderr, "protobuf_tcp: %zu bytes left after message %d\n",
                 decoder.buffered().size(), received->messages);
    return Fail("the stream ended mid-frame");
  }
  if (received->messages != messages) return Fail("messages are missing");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int messages = 300;
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg.substr(0, 11) == "--messages=") {
      messages = std::atoi(argv[i] + 11);
    } else if (arg.substr(0, 7) == "--seed=") {
      seed = std::strtoull(argv[i] + 7, nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: %s [--messages=N] [--seed=N]\n", argv[0]);
      return 1;
    }
  }

  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t addr_len = sizeof(addr);
  if (listener < 0 ||
      bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listener, 1) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &addr_len) !=
          0) {
    std::perror("protobuf_tcp: listen on 127.0.0.1");
    return 1;
  }
  std::atomic<bool> sent{false};
  std::thread sender([&] {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 &&
        connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
      sent = Send(fd, seed, messages);
    } else {
      std::perror("protobuf_tcp: connect");
    }
    if (fd >= 0) close(fd);
  });
  const int fd = accept(listener, nullptr, nullptr);
  Received received;
  const bool ok = fd >= 0 && Receive(fd, seed, messages, &received);
  if (fd >= 0) close(fd);
  close(listener);
  sender.join();
  if (!ok || !sent) return 1;
  std::printf(
      "protobuf_tcp: %d messages verified (%zu bytes, %d spanning chunks, "
      "none flattened)\n",
      received.messages, received.bytes, received.multi_chunk);
  return 0;
}
