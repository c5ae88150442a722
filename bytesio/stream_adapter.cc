// Copyright 2026 The bytesio Authors.

#include "bytesio/stream_adapter.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <ios>
#include <streambuf>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "bytesio/rope_reader.h"

namespace bytesio {

BytesIOStreambuf::BytesIOStreambuf(BytesIO* file) : file_(file) {
  assert(file != nullptr);
}

BytesIOStreambuf::~BytesIOStreambuf() { SyncFile(); }

bool BytesIOStreambuf::Fail(absl::Status status) {
  status_ = std::move(status);
  return false;
}

bool BytesIOStreambuf::DropReadWindow() {
  if (!reading_) return true;
  const size_t unread = static_cast<size_t>(egptr() - gptr());
  reading_ = false;
  setg(nullptr, nullptr, nullptr);
  if (unread == 0) return true;
  // The file's position is the get area's end; step back to the stream's.
  absl::StatusOr<int64_t> pos =
      file_->Seek(-static_cast<int64_t>(unread), BytesIO::kSeekCur);
  if (!pos.ok()) return Fail(pos.status());
  return true;
}

bool BytesIOStreambuf::FlushPutArea() {
  if (!writing_) return true;
  const size_t n = static_cast<size_t>(pptr() - pbase());
  writing_ = false;
  setp(nullptr, nullptr);
  if (n == 0) return true;
  absl::StatusOr<size_t> written;
  // Hand a well-filled block over as a chunk (no second copy). A block less
  // than half full is copied instead, so that frequent flushes cannot make
  // the file pin mostly-empty 16 KiB chunks; the buffer is then reused.
  if (n > Rope::kMaxBytesToCopy && n >= put_buffer_.capacity() / 2) {
    put_buffer_.SetLength(n);
    Rope block;
    block.Append(std::move(put_buffer_));
    written = file_->Write(block);
  } else {
    written = file_->Write(absl::string_view(put_buffer_.data(), n));
  }
  if (!written.ok()) return Fail(written.status());
  return true;
}

bool BytesIOStreambuf::SyncFile() {
  // Both run even if the first fails, so that no stale state survives.
  const bool dropped = DropReadWindow();
  const bool flushed = FlushPutArea();
  return dropped && flushed;
}

BytesIOStreambuf::int_type BytesIOStreambuf::underflow() {
  if (!FlushPutArea()) return traits_type::eof();
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  // The get area (if any) is used up, and the file's position is its end:
  // the stream's position. Expose the file cursor's current chunk from
  // there: after the last chunk that is one step to the next chunk, after a
  // seek a descent (BytesIO's cursor: O(1) nearby, else O(log k)).
  reading_ = false;
  setg(nullptr, nullptr, nullptr);
  RopeReader* cursor = bytes_io_internal::CursorAccess::Get(file_);
  if (cursor == nullptr) {
    Fail(file_->Tell().status());  // closed
    return traits_type::eof();
  }
  const absl::string_view chunk = cursor->PeekChunk();
  if (chunk.empty()) return traits_type::eof();  // at or past the end
  // The get area is never written through: pbackfail refuses to put back a
  // byte that differs from the one already there.
  char* begin = const_cast<char*>(chunk.data());
  setg(begin, begin, begin + chunk.size());
  cursor->Skip(chunk.size());
  bytes_io_internal::CursorAccess::Commit(file_);
  reading_ = true;
  return traits_type::to_int_type(*gptr());
}

BytesIOStreambuf::int_type BytesIOStreambuf::pbackfail(int_type c) {
  // Called when gptr() == eback(), or when `c` differs from gptr()[-1]: the
  // stream never writes a put-back byte into the file, so that is refused.
  if (reading_ && gptr() > eback()) return traits_type::eof();
  if (!SyncFile()) return traits_type::eof();
  absl::StatusOr<int64_t> pos = file_->Tell();
  if (!pos.ok()) {
    Fail(pos.status());
    return traits_type::eof();
  }
  const int64_t before = *pos;
  if (before == 0) return traits_type::eof();
  pos = file_->Seek(before - 1);
  if (!pos.ok()) {
    Fail(pos.status());
    return traits_type::eof();
  }
  if (traits_type::eq_int_type(underflow(), traits_type::eof())) {
    // Past the end there is no byte to step back onto: stay where we were.
    pos = file_->Seek(before);
    if (!pos.ok()) Fail(pos.status());
    return traits_type::eof();
  }
  if (!traits_type::eq_int_type(c, traits_type::eof()) &&
      !traits_type::eq_int_type(c, traits_type::to_int_type(*gptr()))) {
    gbump(1);  // back where we were
    return traits_type::eof();
  }
  return traits_type::to_int_type(*gptr());
}

BytesIOStreambuf::int_type BytesIOStreambuf::overflow(int_type c) {
  if (!DropReadWindow()) return traits_type::eof();
  if (writing_ && pptr() == epptr() && !FlushPutArea()) {
    return traits_type::eof();
  }
  if (!writing_) {
    // An empty write fails exactly when a real one would (closed file, live
    // exports), so errors show at the first put, not at a later flush.
    absl::StatusOr<size_t> check = file_->Write(absl::string_view());
    if (!check.ok()) {
      Fail(check.status());
      return traits_type::eof();
    }
    if (put_buffer_.capacity() == 0) {
      put_buffer_ = RopeBuffer::CreateWithDefaultLimit(kPutBufferSize);
    }
    char* begin = put_buffer_.data();
    setp(begin, begin + put_buffer_.capacity());
    writing_ = true;
  }
  if (traits_type::eq_int_type(c, traits_type::eof())) {
    return traits_type::not_eof(c);
  }
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

std::streamsize BytesIOStreambuf::xsgetn(char_type* s, std::streamsize n) {
  if (n <= 0) return 0;
  std::streamsize done = std::min<std::streamsize>(n, egptr() - gptr());
  if (done > 0) {
    std::memcpy(s, gptr(), static_cast<size_t>(done));
    gbump(static_cast<int>(done));
  }
  if (done == n) return done;
  if (static_cast<size_t>(n - done) <= Rope::kMaxBytesToCopy) {
    return done + std::streambuf::xsgetn(s + done, n - done);
  }
  // A large read: copy straight from the file, past the get area.
  if (!SyncFile()) return done;
  absl::StatusOr<size_t> read =
      file_->ReadInto(absl::MakeSpan(s + done, static_cast<size_t>(n - done)));
  if (!read.ok()) {
    Fail(read.status());
    return done;
  }
  return done + static_cast<std::streamsize>(*read);
}

std::streamsize BytesIOStreambuf::xsputn(const char_type* s,
                                         std::streamsize n) {
  if (n <= 0) return 0;
  if (writing_ && n <= epptr() - pptr()) {
    std::memcpy(pptr(), s, static_cast<size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  if (static_cast<size_t>(n) <= Rope::kMaxBytesToCopy) {
    return std::streambuf::xsputn(s, n);  // fills, overflows, continues
  }
  // A large write: one copy straight into the file, not two.
  if (!SyncFile()) return 0;
  absl::StatusOr<size_t> written =
      file_->Write(absl::string_view(s, static_cast<size_t>(n)));
  if (!written.ok()) {
    Fail(written.status());
    return 0;
  }
  return n;
}

BytesIOStreambuf::pos_type BytesIOStreambuf::seekoff(off_type off,
                                                     std::ios_base::seekdir dir,
                                                     std::ios_base::openmode) {
  // One position for reading and writing, so `which` does not matter.
  if (!SyncFile()) return pos_type(off_type(-1));
  const int whence = dir == std::ios_base::beg   ? BytesIO::kSeekSet
                     : dir == std::ios_base::cur ? BytesIO::kSeekCur
                                                 : BytesIO::kSeekEnd;
  absl::StatusOr<int64_t> pos = file_->Seek(static_cast<int64_t>(off), whence);
  if (!pos.ok()) {
    Fail(pos.status());
    return pos_type(off_type(-1));
  }
  return pos_type(static_cast<off_type>(*pos));
}

BytesIOStreambuf::pos_type BytesIOStreambuf::seekpos(
    pos_type pos, std::ios_base::openmode which) {
  return seekoff(off_type(pos), std::ios_base::beg, which);
}

int BytesIOStreambuf::sync() { return SyncFile() ? 0 : -1; }

BytesIOStream::BytesIOStream(BytesIO* file)
    : std::iostream(nullptr), buf_(file) {
  std::iostream::rdbuf(&buf_);  // also clears the badbit of a null buffer
}

}  // namespace bytesio
