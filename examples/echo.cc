// Copyright 2026 The bytesio Authors.
//
// A length-prefixed echo over real loopback TCP (127.0.0.1 only), server and
// clients in one program, using bytesio's framing and fd I/O end to end:
//
//   client thread ──FrameWriter──WriteToFd──► 127.0.0.1 ──ReadFromFd──┐
//     (payloads are Subropes of a random pool: sent with writev, no copy)
//                                                     FrameDecoder ◄──┘
//                                                          │ frames (shared)
//   client thread ◄──FrameDecoder──ReadFromFd◄── WriteToFd─┴─FrameWriter
//     (every echoed frame is compared with what was sent)     server thread
//
// Each connection has a client thread and a server thread with non-blocking
// sockets and a poll loop. Frame sizes are log-uniform between 1 byte and
// --max_frame_size (so every scale from tiny to 1 MiB shows up), at most
// --window frames in flight per connection. Prints frames/s and MB/s of
// payload echoed (each payload byte travels there and back once).
//
//   ./bazelw run -c opt //examples:echo -- --connections=8 --frames=2000
//
// Flags: --connections=N (4) --frames=N per connection (1000)
//        --max_frame_size=BYTES (1048576) --window=N (16) --seed=N (1)
//        --timeout_s=N (60): fails, instead of hanging, past the deadline.
// Exit status: 0 when every frame came back intact, 1 otherwise.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/fd_io.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/frame_writer.h"
#include "bytesio/rope.h"

namespace {

using bytesio::FrameDecoder;
using bytesio::FrameWriter;
using bytesio::IoResult;
using bytesio::IoStatus;
using bytesio::LengthFieldFraming;
using bytesio::Rope;
using Clock = std::chrono::steady_clock;

struct Options {
  int connections = 4;
  int frames = 1000;
  size_t max_frame_size = size_t{1} << 20;
  int window = 16;
  uint64_t seed = 1;
  int timeout_s = 60;
};

// The server stops reading while this much echo output is unsent, so a
// client that does not read cannot make the server buffer without bound.
constexpr size_t kMaxPendingOutput = size_t{8} << 20;

// Poll timeout: how often loops look at the deadline and the failure flag.
constexpr int kPollMillis = 100;

bool ParseFlags(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg(argv[i]);
    const size_t eq = arg.find('=');
    if (arg.substr(0, 2) != "--" || eq == absl::string_view::npos) {
      std::fprintf(stderr, "echo: bad argument %s\n", argv[i]);
      return false;
    }
    const absl::string_view name = arg.substr(2, eq - 2);
    const unsigned long long value =
        std::strtoull(argv[i] + eq + 1, nullptr, 10);
    if (name == "connections") {
      options->connections = static_cast<int>(value);
    } else if (name == "frames") {
      options->frames = static_cast<int>(value);
    } else if (name == "max_frame_size") {
      options->max_frame_size = static_cast<size_t>(value);
    } else if (name == "window") {
      options->window = static_cast<int>(value);
    } else if (name == "seed") {
      options->seed = value;
    } else if (name == "timeout_s") {
      options->timeout_s = static_cast<int>(value);
    } else {
      std::fprintf(stderr, "echo: unknown flag --%.*s\n",
                   static_cast<int>(name.size()), name.data());
      return false;
    }
  }
  if (options->connections < 1 || options->frames < 1 ||
      options->max_frame_size < 1 || options->window < 1 ||
      options->max_frame_size > (size_t{1} << 30)) {
    std::fprintf(stderr, "echo: flags out of range\n");
    return false;
  }
  return true;
}

// The first failure anywhere; every loop stops once one is recorded.
class Failure {
 public:
  void Set(const std::string& message) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failed_.exchange(true)) message_ = message;
  }
  bool failed() const { return failed_.load(); }
  std::string message() {
    std::lock_guard<std::mutex> lock(mu_);
    return message_;
  }

 private:
  std::atomic<bool> failed_{false};
  std::mutex mu_;
  std::string message_;
};

struct Shared {
  Options options;
  Clock::time_point deadline;
  Failure failure;
  std::atomic<uint64_t> frames_echoed{0};
  std::atomic<uint64_t> bytes_echoed{0};

  // False (after recording why) once the run must stop.
  bool KeepGoing(const char* who) {
    if (failure.failed()) return false;
    if (Clock::now() > deadline) {
      failure.Set(
          absl::StrCat(who, ": timed out after ", options.timeout_s, " s"));
      return false;
    }
    return true;
  }
};

LengthFieldFraming Framing() { return LengthFieldFraming{}; }  // 4-byte BE

void Configure(int fd) {
  const int one = 1;
  // Frames are written whole; Nagle would hold back the tail of each one.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  const int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Waits until `fd` is ready for `events` or kPollMillis pass.
void Wait(int fd, short events) {
  pollfd p = {fd, events, 0};
  poll(&p, 1, kPollMillis);
}

// One server connection: decode frames, write each back as a frame whose
// payload shares the received chunks.
void Serve(int fd, Shared* shared) {
  FrameDecoder decoder(Framing(), shared->options.max_frame_size + 4);
  Rope out;
  FrameWriter writer(Framing(), &out);
  bool end_of_stream = false;
  while (!(end_of_stream && out.empty()) && shared->KeepGoing("server")) {
    const bool may_read = !end_of_stream && out.size() < kMaxPendingOutput;
    Wait(fd, static_cast<short>((may_read ? POLLIN : 0) |
                                (out.empty() ? 0 : POLLOUT)));
    if (may_read) {
      const IoResult r = bytesio::ReadFromFd(fd, decoder.mutable_buffer());
      if (r.status == IoStatus::kEndOfStream) {
        end_of_stream = true;
        if (!decoder.buffered().empty()) {
          shared->failure.Set("server: client closed in the middle of a frame");
        }
      } else if (r.status == IoStatus::kError) {
        shared->failure.Set(absl::StrCat("server: ", r.ToStatus().ToString()));
      }
      Rope frame;
      FrameDecoder::Result next;
      while ((next = decoder.Next(&frame)) == FrameDecoder::Result::kFrame) {
        writer.WriteFrame(frame).IgnoreError();  // 4-byte field: always fits
      }
      if (next == FrameDecoder::Result::kError) {
        shared->failure.Set(
            absl::StrCat("server: ", decoder.status().ToString()));
      }
    }
    if (!out.empty()) {
      const IoResult w = bytesio::WriteToFd(fd, &out);
      if (w.status == IoStatus::kError) {
        shared->failure.Set(absl::StrCat("server: ", w.ToStatus().ToString()));
      }
    }
  }
  close(fd);
}

// A payload of log-uniform size in [1, max], shared from the random pool.
Rope NextPayload(std::mt19937_64& rng, const Rope& pool, size_t max) {
  std::uniform_real_distribution<double> log_size(0.0, std::log(double(max)));
  size_t size = static_cast<size_t>(std::exp(log_size(rng)) + 0.5);
  size = std::max<size_t>(1, std::min(size, max));
  const size_t offset = rng() % (pool.size() - size + 1);
  return pool.Subrope(offset, size);
}

void RunClient(int id, uint16_t port, const Rope* pool, Shared* shared) {
  const Options& options = shared->options;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address),
                        sizeof(address)) != 0) {
    shared->failure.Set(
        absl::StrCat("client ", id, ": connect: ", std::strerror(errno)));
    if (fd >= 0) close(fd);
    return;
  }
  Configure(fd);
  std::mt19937_64 rng(options.seed * 1000003 + static_cast<uint64_t>(id));
  FrameDecoder decoder(Framing(), options.max_frame_size + 4);
  Rope out;
  FrameWriter writer(Framing(), &out);
  std::deque<Rope> in_flight;  // sent, not yet echoed, in order
  int sent = 0;
  int received = 0;
  while (received < options.frames && shared->KeepGoing("client")) {
    while (sent < options.frames &&
           in_flight.size() < static_cast<size_t>(options.window)) {
      Rope payload = NextPayload(rng, *pool, options.max_frame_size);
      writer.WriteFrame(payload).IgnoreError();  // 4-byte field: always fits
      in_flight.push_back(std::move(payload));
      ++sent;
    }
    Wait(fd, static_cast<short>(POLLIN | (out.empty() ? 0 : POLLOUT)));
    if (!out.empty()) {
      const IoResult w = bytesio::WriteToFd(fd, &out);
      if (w.status == IoStatus::kError) {
        shared->failure.Set(absl::StrCat("client: ", w.ToStatus().ToString()));
        break;
      }
    }
    const IoResult r = bytesio::ReadFromFd(fd, decoder.mutable_buffer());
    if (r.status == IoStatus::kEndOfStream || r.status == IoStatus::kError) {
      shared->failure.Set(absl::StrCat(
          "client ", id, ": connection ended: ", r.ToStatus().ToString()));
      break;
    }
    Rope frame;
    FrameDecoder::Result next;
    while ((next = decoder.Next(&frame)) == FrameDecoder::Result::kFrame) {
      if (in_flight.empty() || frame != in_flight.front()) {
        shared->failure.Set(absl::StrCat("client ", id, ": frame ", received,
                                         " (", frame.size(),
                                         " bytes) differs from what was sent"));
        break;
      }
      shared->bytes_echoed += frame.size();
      ++shared->frames_echoed;
      in_flight.pop_front();
      ++received;
    }
    if (next == FrameDecoder::Result::kError) {
      shared->failure.Set(
          absl::StrCat("client: ", decoder.status().ToString()));
    }
  }
  shutdown(fd, SHUT_WR);  // the server sees end of stream and finishes
  close(fd);
}

// Accepts one connection per client and serves each on its own thread.
void RunServer(int listener, Shared* shared) {
  std::vector<std::thread> handlers;
  while (static_cast<int>(handlers.size()) < shared->options.connections &&
         shared->KeepGoing("server accept")) {
    Wait(listener, POLLIN);
    const int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) continue;  // nothing pending yet (non-blocking listener)
    Configure(fd);
    handlers.emplace_back(Serve, fd, shared);
  }
  for (std::thread& handler : handlers) handler.join();
}

int Main(int argc, char** argv) {
  Shared shared;
  if (!ParseFlags(argc, argv, &shared.options)) return 2;
  const Options& options = shared.options;
  shared.deadline = Clock::now() + std::chrono::seconds(options.timeout_s);

  // The payload pool: random bytes in one adopted chunk; every payload is a
  // Subrope of it, so clients send without copying.
  std::mt19937_64 rng(options.seed);
  std::string pool_bytes(2 * options.max_frame_size, '\0');
  for (char& c : pool_bytes) c = static_cast<char>(rng());
  const Rope pool(std::move(pool_bytes));

  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = 0;  // any free port
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (listener < 0 ||
      bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
          0 ||
      listen(listener, options.connections) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) !=
          0) {
    std::fprintf(stderr, "echo: cannot listen on 127.0.0.1: %s\n",
                 std::strerror(errno));
    return 1;
  }
  Configure(listener);
  const uint16_t port = ntohs(address.sin_port);

  const Clock::time_point start = Clock::now();
  std::thread server(RunServer, listener, &shared);
  std::vector<std::thread> clients;
  for (int i = 0; i < options.connections; ++i) {
    clients.emplace_back(RunClient, i, port, &pool, &shared);
  }
  for (std::thread& client : clients) client.join();
  server.join();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  close(listener);

  if (shared.failure.failed()) {
    std::fprintf(stderr, "echo: FAILED: %s\n",
                 shared.failure.message().c_str());
    return 1;
  }
  const uint64_t frames = shared.frames_echoed.load();
  const double megabytes =
      static_cast<double>(shared.bytes_echoed.load()) / 1e6;
  std::printf(
      "echo: %d connections, %llu frames (1..%zu bytes) verified, %.1f MB "
      "echoed in %.3f s: %.0f frames/s, %.1f MB/s\n",
      options.connections, static_cast<unsigned long long>(frames),
      options.max_frame_size, megabytes, seconds, frames / seconds,
      megabytes / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Main(argc, argv); }
