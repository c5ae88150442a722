// Copyright 2026 The bytesio Authors.
//
// File-descriptor I/O straight to and from a Rope's chunks: readv(2) into the
// tail room of the last chunk and fresh chunks, writev(2) / sendmsg(2) from
// the chunks themselves. No intermediate buffer, no flattening.
//
//   ReadFromFd:  rope [ A | B | C....room ] + [ fresh 64 KiB chunk ]
//                                      \______ one readv ______/
//   WriteToFd:   rope [ A | B | C ]  -> iovec{A}, iovec{B}, iovec{C} -> writev
//                written bytes are RemovePrefix'ed; the rest stays.
//
// Use these in an event loop or a blocking reader/writer thread; pair
// ReadFromFd with FrameDecoder::mutable_buffer() and WriteToFd with a Rope of
// frames built by FrameWriter. For other I/O APIs (io_uring, TLS libraries)
// ExportIovecs describes a Rope's chunks as iovecs.
//
// Results are an IoResult: a status enum (kOk / kEndOfStream / kWouldBlock /
// kError), the bytes moved by this call and errno for kError, cheap to
// branch on in a loop; ToStatus() converts for code that wants absl::Status.
// Errors never lose data: what WriteToFd did not write stays in the Rope,
// and a read that fails leaves the Rope as it was.
//
// SIGPIPE: writing to a socket or pipe whose reader has gone must report
// EPIPE, not kill the process. Sockets are written with sendmsg(...,
// MSG_NOSIGNAL). For other descriptors (pipes, files, ttys) WriteToFd blocks
// SIGPIPE in the calling thread for the duration of the call and consumes a
// SIGPIPE the call raised (sigtimedwait with a zero timeout), so the
// process's signal disposition is left alone. Telling the two apart costs
// non-sockets one failed sendmsg (ENOTSOCK) per WriteToFd call.
//
// Thread safety: the Rope arguments follow the Rope rules (one writer).

#ifndef BYTESIO_FD_IO_H_
#define BYTESIO_FD_IO_H_

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "bytesio/rope.h"

namespace bytesio {

enum class IoStatus : uint8_t {
  kOk,           // ReadFromFd: bytes > 0 were read. WriteToFd: all written.
  kEndOfStream,  // ReadFromFd only: the peer closed (read returned 0).
  kWouldBlock,   // EAGAIN/EWOULDBLOCK on a non-blocking descriptor.
  kError,        // `error` holds errno (EPIPE, ECONNRESET, EBADF, ...).
};

struct IoResult {
  IoStatus status;
  size_t bytes;  // bytes read or written by this call (also on kWouldBlock
                 // and kError for WriteToFd, which may write some first)
  int error;     // errno when status == kError, else 0

  // kOk -> OK; kEndOfStream -> OutOfRange "end of stream"; kWouldBlock ->
  // Unavailable "operation would block"; kError -> absl::ErrnoToStatus.
  absl::Status ToStatus() const;
};

// How much one ReadFromFd call reads when the caller does not say: 256 KiB,
// four fresh 64 KiB chunks, about what a loopback or LAN socket buffer
// holds at once. Fewer bytes mean more syscalls; more mean more chunks
// allocated and freed again when little data is waiting.
inline constexpr size_t kDefaultReadLimit = size_t{256} << 10;

// Reads at most `limit` bytes from `fd` with one readv (retried on EINTR)
// and appends them to *dest: into the private tail room of dest's last chunk
// when it has any, then into fresh chunks of up to 64 KiB (at most four),
// which are adopted, not copied; unused fresh chunks are freed. Returns kOk
// with bytes > 0, kEndOfStream, kWouldBlock or kError (dest unchanged in the
// last three). Requires: limit > 0.
IoResult ReadFromFd(int fd, Rope* dest, size_t limit = kDefaultReadLimit);

// Writes *src to `fd` straight from its chunks, in batches of at most
// IOV_MAX iovecs (and 4 MiB) per call, continuing after short writes and
// EINTR until *src is empty (kOk) or the descriptor would block
// (kWouldBlock) or fails (kError). Written bytes are removed from the front
// of *src; unwritten ones stay, so calling again resumes the stream.
// Cost per syscall: O(log k) plus the iovecs built (at most IOV_MAX).
IoResult WriteToFd(int fd, Rope* src);

// What ExportIovecs filled in.
struct IovecExport {
  size_t count;  // iovecs written to the front of `out`
  size_t bytes;  // bytes they describe
};

// Describes the first chunks of `rope` as iovecs, filling at most out.size()
// entries and stopping once `max_bytes` are covered (the last iovec is cut
// to fit). The iovecs point into the Rope's chunks (iov_base is non-const
// for the C API only: do not write through it) and are valid until the Rope
// is modified or destroyed. After writing n bytes with them, call
// rope.RemovePrefix(n).
IovecExport ExportIovecs(const Rope& rope, absl::Span<struct iovec> out,
                         size_t max_bytes = SIZE_MAX);

}  // namespace bytesio

#endif  // BYTESIO_FD_IO_H_
