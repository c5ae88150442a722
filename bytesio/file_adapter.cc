// Copyright 2026 The bytesio Authors.

#include "bytesio/file_adapter.h"

#include <errno.h>
#include <stdio.h>
#include <sys/types.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"

namespace bytesio {
namespace {

// What the FILE*'s cookie points at.
struct Cookie {
  BytesIO* file;
  std::unique_ptr<BytesIO> owned;  // set when the FILE* owns *file
  bool append;                     // mode "a": every write goes to the end
};

// Maps a BytesIO failure to the errno a file descriptor would give.
int ErrnoFor(const BytesIO& file, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kFailedPrecondition:
      return file.closed() ? EBADF : EBUSY;
    case absl::StatusCode::kInvalidArgument:
      return EINVAL;
    case absl::StatusCode::kOutOfRange:
      return EOVERFLOW;
    case absl::StatusCode::kResourceExhausted:
      return EFBIG;
    default:
      return EIO;
  }
}

// cookie_read_function_t: bytes read, 0 at the end, -1 on error.
ssize_t CookieRead(void* cookie, char* buf, size_t size) {
  auto* c = static_cast<Cookie*>(cookie);
  absl::StatusOr<size_t> n = c->file->ReadInto(absl::MakeSpan(buf, size));
  if (!n.ok()) {
    errno = ErrnoFor(*c->file, n.status());
    return -1;
  }
  return static_cast<ssize_t>(*n);
}

// cookie_write_function_t: bytes written, or 0 on error (glibc treats a
// short count as an error; a negative one is not allowed).
ssize_t CookieWrite(void* cookie, const char* buf, size_t size) {
  auto* c = static_cast<Cookie*>(cookie);
  if (c->append) {
    absl::StatusOr<int64_t> end = c->file->Seek(0, BytesIO::kSeekEnd);
    if (!end.ok()) {
      errno = ErrnoFor(*c->file, end.status());
      return 0;
    }
  }
  absl::StatusOr<size_t> n = c->file->Write(absl::string_view(buf, size));
  if (!n.ok()) {
    errno = ErrnoFor(*c->file, n.status());
    return 0;
  }
  return static_cast<ssize_t>(*n);
}

// cookie_seek_function_t: lseek(2)'s rules. 0 and the new position in
// *offset, or -1 with errno and the position unchanged.
int CookieSeek(void* cookie, off64_t* offset, int whence) {
  BytesIO& file = *static_cast<Cookie*>(cookie)->file;
  absl::StatusOr<int64_t> base = int64_t{0};
  if (whence == SEEK_CUR) {
    base = file.Tell();
  } else if (whence == SEEK_END) {
    // BytesIO has no size query that is O(1) while exported; the end is
    // found by seeking there and back.
    absl::StatusOr<int64_t> current = file.Tell();
    if (current.ok()) base = file.Seek(0, BytesIO::kSeekEnd);
    if (current.ok() && base.ok()) current = file.Seek(*current);
    if (!current.ok()) base = current.status();
  } else if (whence != SEEK_SET) {
    errno = EINVAL;
    return -1;
  }
  if (!base.ok()) {
    errno = ErrnoFor(file, base.status());
    return -1;
  }
  // *base >= 0, so *base + off cannot underflow.
  const int64_t off = *offset;
  if (off > std::numeric_limits<int64_t>::max() - *base) {
    errno = EOVERFLOW;
    return -1;
  }
  const int64_t target = *base + off;
  if (target < 0) {
    errno = EINVAL;
    return -1;
  }
  absl::StatusOr<int64_t> pos = file.Seek(target);
  if (!pos.ok()) {
    errno = ErrnoFor(file, pos.status());
    return -1;
  }
  *offset = *pos;
  return 0;
}

// cookie_close_function_t.
int CookieClose(void* cookie) {
  delete static_cast<Cookie*>(cookie);  // destroys an owned BytesIO
  return 0;
}

// Checks an fopen mode; sets *append for "a" modes.
absl::Status CheckMode(absl::string_view mode, bool* append) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid mode '", mode, "': expected r, w or a, then + and b"));
  };
  if (mode.empty() || (mode[0] != 'r' && mode[0] != 'w' && mode[0] != 'a')) {
    return bad();
  }
  for (char ch : mode.substr(1)) {
    if (ch != '+' && ch != 'b') return bad();
  }
  *append = mode[0] == 'a';
  return absl::OkStatus();
}

absl::StatusOr<FILE*> Open(std::unique_ptr<Cookie> cookie,
                           absl::string_view mode) {
  absl::Status status = CheckMode(mode, &cookie->append);
  if (!status.ok()) return status;
  const std::string mode_string(mode);
  cookie_io_functions_t functions = {CookieRead, CookieWrite, CookieSeek,
                                     CookieClose};
  FILE* f = fopencookie(cookie.get(), mode_string.c_str(), functions);
  if (f == nullptr) {
    return absl::ResourceExhaustedError("fopencookie failed");
  }
  cookie.release();  // now owned by the FILE*; CookieClose deletes it
  // Unbuffered, so that every stdio call reaches the BytesIO before it
  // returns (see "Positions" in the header). With a buffer, glibc reads
  // ahead and answers fseek and ftell from the buffer without telling the
  // cookie how much of it was consumed, so no cookie function can put the
  // BytesIO at the FILE*'s position; and it keeps a stale file offset for
  // cookie streams after flushing a write inside fseek (a read, fseeko(12),
  // fwrite of 2 bytes and fseeko(0, SEEK_CUR) left ftello at 12, not 14).
  // Must come before any other operation on `f`; it cannot fail then.
  if (setvbuf(f, nullptr, _IONBF, 0) != 0) {
    fclose(f);
    return absl::InternalError("setvbuf(_IONBF) failed");
  }
  return f;
}

}  // namespace

absl::StatusOr<FILE*> FOpen(BytesIO* file, absl::string_view mode) {
  return Open(std::make_unique<Cookie>(Cookie{file, nullptr, false}), mode);
}

absl::StatusOr<FILE*> FOpen(std::unique_ptr<BytesIO> file,
                            absl::string_view mode) {
  BytesIO* raw = file.get();
  return Open(std::make_unique<Cookie>(Cookie{raw, std::move(file), false}),
              mode);
}

}  // namespace bytesio
