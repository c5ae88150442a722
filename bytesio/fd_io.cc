// Copyright 2026 The bytesio Authors.

#include "bytesio/fd_io.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <climits>
#include <optional>

#include "bytesio/rope_buffer.h"

namespace bytesio {
namespace {

#ifdef IOV_MAX
constexpr size_t kMaxIovecs = IOV_MAX;
#else
constexpr size_t kMaxIovecs = 1024;  // Linux's UIO_MAXIOV
#endif

// Bytes described per writev: a socket takes at most its send buffer per
// call (Linux autotunes it to 4 MiB at most), so describing more only
// builds iovecs that a short write throws away; files take 4 MiB writes at
// full speed.
constexpr size_t kMaxBytesPerWrite = size_t{4} << 20;

// Fresh chunks per read: RopeBuffer's default chunk size (the size of the
// chunks coalesced appends make), at most four of them (kDefaultReadLimit).
constexpr size_t kReadChunkSize = RopeBuffer::kDefaultLimit;
constexpr size_t kMaxFreshChunks = 4;

// Blocks SIGPIPE in this thread while alive; Consume() swallows a SIGPIPE
// that the guarded write raised (one that was already pending before is
// left alone, as is everything when SIGPIPE was blocked already).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_mask_);
    was_blocked_ = sigismember(&old_mask_, SIGPIPE) == 1;
  }
  ~SigpipeGuard() { pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr); }

  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

  void Consume() {
    if (was_pending_ || was_blocked_) return;
    const int saved_errno = errno;
    const struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set_, nullptr, &zero) < 0 && errno == EINTR) {
    }
    errno = saved_errno;
  }

 private:
  sigset_t pipe_set_;
  sigset_t old_mask_;
  bool was_pending_ = false;
  bool was_blocked_ = false;
};

bool IsWouldBlock(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

absl::Status IoResult::ToStatus() const {
  switch (status) {
    case IoStatus::kOk:
      return absl::OkStatus();
    case IoStatus::kEndOfStream:
      return absl::OutOfRangeError("end of stream");
    case IoStatus::kWouldBlock:
      return absl::UnavailableError("operation would block");
    case IoStatus::kError:
      break;
  }
  return absl::ErrnoToStatus(error, "file descriptor I/O failed");
}

IoResult ReadFromFd(int fd, Rope* dest, size_t limit) {
  assert(limit > 0);
  RopeBuffer buffers[1 + kMaxFreshChunks];
  struct iovec iov[1 + kMaxFreshChunks];
  size_t count = 0;
  size_t room = 0;
  size_t fresh = 0;
  // The tail chunk when it is private and has room (min_capacity 1: any
  // room at all saves a boundary later), else a fresh chunk.
  buffers[0] = dest->GetAppendBuffer(std::min(limit, kReadChunkSize), 1);
  for (;;) {
    RopeBuffer& buffer = buffers[count];
    if (buffer.length() == 0) ++fresh;
    const absl::Span<char> available = buffer.available();
    const size_t take = std::min(available.size(), limit - room);
    iov[count].iov_base = available.data();
    iov[count].iov_len = take;
    room += take;
    ++count;
    if (room == limit || fresh == kMaxFreshChunks) break;
    buffers[count] = RopeBuffer::CreateWithDefaultLimit(
        std::min(limit - room, kReadChunkSize));
  }

  ssize_t n;
  do {
    n = readv(fd, iov, static_cast<int>(count));
  } while (n < 0 && errno == EINTR);
  const int error = errno;

  if (n <= 0) {
    dest->Append(std::move(buffers[0]));  // puts a detached tail back
    if (n == 0) return {IoStatus::kEndOfStream, 0, 0};
    if (IsWouldBlock(error)) return {IoStatus::kWouldBlock, 0, 0};
    return {IoStatus::kError, 0, error};
  }
  size_t left = static_cast<size_t>(n);
  for (size_t i = 0; i < count; ++i) {
    const size_t got = std::min(left, iov[i].iov_len);
    buffers[i].IncreaseLength(got);
    left -= got;
    dest->Append(std::move(buffers[i]));  // frees an unused fresh chunk
  }
  return {IoStatus::kOk, static_cast<size_t>(n), 0};
}

IovecExport ExportIovecs(const Rope& rope, absl::Span<struct iovec> out,
                         size_t max_bytes) {
  IovecExport result = {0, 0};
  if (out.empty() || max_bytes == 0) return result;
  for (absl::string_view chunk : rope.Chunks()) {
    const size_t take = std::min(chunk.size(), max_bytes - result.bytes);
    out[result.count].iov_base = const_cast<char*>(chunk.data());
    out[result.count].iov_len = take;
    ++result.count;
    result.bytes += take;
    if (result.count == out.size() || result.bytes == max_bytes) break;
  }
  return result;
}

IoResult WriteToFd(int fd, Rope* src) {
  IoResult result = {IoStatus::kOk, 0, 0};
  // Sockets are written with sendmsg(MSG_NOSIGNAL); the first ENOTSOCK
  // switches to writev under a SIGPIPE guard for the rest of the call.
  bool is_socket = true;
  std::optional<SigpipeGuard> guard;
  struct iovec iov[kMaxIovecs];
  while (!src->empty()) {
    const IovecExport batch =
        ExportIovecs(*src, absl::MakeSpan(iov), kMaxBytesPerWrite);
    ssize_t n;
    if (is_socket) {
      struct msghdr message = {};
      message.msg_iov = iov;
      message.msg_iovlen = batch.count;
      n = sendmsg(fd, &message, MSG_NOSIGNAL);
      if (n < 0 && errno == ENOTSOCK) {
        is_socket = false;
        guard.emplace();
        continue;
      }
    } else {
      n = writev(fd, iov, static_cast<int>(batch.count));
      if (n < 0 && errno == EPIPE) guard->Consume();
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      result.status =
          IsWouldBlock(errno) ? IoStatus::kWouldBlock : IoStatus::kError;
      result.error = result.status == IoStatus::kError ? errno : 0;
      break;
    }
    if (n == 0) {
      // Only possible for odd special files: report "try again later"
      // rather than spin.
      result.status = IoStatus::kWouldBlock;
      break;
    }
    src->RemovePrefix(static_cast<size_t>(n));
    result.bytes += static_cast<size_t>(n);
  }
  return result;
}

}  // namespace bytesio
