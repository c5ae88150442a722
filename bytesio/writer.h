// Copyright 2026 The bytesio Authors.
//
// Writer: chained writes into a BytesIO, checked once at the end.
//
// Porting Python that writes a binary format line by line,
//
//   f.write(b"RIFF"); f.write(struct.pack("<I", 36 + n)); f.write(b"WAVE")
//
// with BytesIO's own calls costs a status check per line. A Writer keeps the
// first error and skips every write after it, so the checks collapse into
// one, the way absl::Cord users append and riegeli::Writer users test ok()
// once at the end:
//
//   bytesio::BytesIO wav;
//   bytesio::Writer w(&wav);
//   w.Write("RIFF").Write<bytesio::LittleEndian<uint32_t>>(36 + n)
//    .Write("WAVE");
//   if (!w.ok()) return w.status();   // the first failure, e.g. a closed file
//
// Each call writes at the BytesIO's position exactly as BytesIO::Write does
// (overwriting, then extending; a Rope above Rope::kMaxBytesToCopy bytes is
// shared, not copied). The encodings are BigEndian<T> and LittleEndian<T>
// (any integral T but bool), Varint32, Varint64 (protobuf's base-128
// varints) and ZigZag32, ZigZag64 (zigzag first, for signed values): the
// same bytes as the functions of bytes_io_coding.h, which a Writer calls.
//
// One convention: BytesIO's methods return a Status per call; a Writer is
// the chained form and holds the first error. After a failure nothing more
// is written: the BytesIO holds what the calls before it wrote.
//
// Thread safety: as BytesIO (none). A Writer does not own its BytesIO.

#ifndef BYTESIO_WRITER_H_
#define BYTESIO_WRITER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/bytes_io_coding.h"
#include "bytesio/rope.h"

namespace bytesio {

// Encodings for Writer::Write<Encoding>(value).
template <typename T>
struct BigEndian {
  using value_type = T;
  static absl::Status WriteTo(BytesIO* io, T value) {
    return WriteBigEndian<T>(io, value);
  }
};
template <typename T>
struct LittleEndian {
  using value_type = T;
  static absl::Status WriteTo(BytesIO* io, T value) {
    return WriteLittleEndian<T>(io, value);
  }
};
struct Varint32 {
  using value_type = uint32_t;
  static absl::Status WriteTo(BytesIO* io, uint32_t value) {
    return WriteVarint32(io, value);
  }
};
struct Varint64 {
  using value_type = uint64_t;
  static absl::Status WriteTo(BytesIO* io, uint64_t value) {
    return WriteVarint64(io, value);
  }
};
struct ZigZag32 {
  using value_type = int32_t;
  static absl::Status WriteTo(BytesIO* io, int32_t value) {
    return WriteZigZag32(io, value);
  }
};
struct ZigZag64 {
  using value_type = int64_t;
  static absl::Status WriteTo(BytesIO* io, int64_t value) {
    return WriteZigZag64(io, value);
  }
};

class Writer {
 public:
  // Writes into *file, which must outlive the Writer and is not owned.
  explicit Writer(BytesIO* file) : file_(file) {}

  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Writes a copy of `data`. A view into the BytesIO's own bytes is allowed.
  Writer& Write(absl::string_view data);
  // Writes `data`, sharing its chunks above Rope::kMaxBytesToCopy bytes.
  Writer& Write(const Rope& data);
  // Writes `value` in `Encoding`: Write<LittleEndian<uint32_t>>(36).
  template <typename Encoding>
  Writer& Write(typename Encoding::value_type value);

  // True while every write so far succeeded.
  bool ok() const { return status_.ok(); }
  // The first failure (BytesIO's status, unchanged), or OK.
  const absl::Status& status() const { return status_; }
  // Bytes written by the calls that succeeded.
  int64_t bytes_written() const { return bytes_written_; }

 private:
  // Records the outcome of a write of `n` bytes.
  Writer& Done(const absl::Status& status, size_t n);

  BytesIO* file_;
  absl::Status status_;
  int64_t bytes_written_ = 0;
};

// ---------------------------------------------------------------------------
// Implementation details.

template <typename Encoding>
Writer& Writer::Write(typename Encoding::value_type value) {
  if (!ok()) return *this;
  // The position moves by exactly the bytes written (a varint's length
  // depends on the value); Tell cannot fail on the open stream that the
  // write just succeeded on.
  absl::StatusOr<int64_t> start = file_->Tell();
  absl::Status status =
      start.ok() ? Encoding::WriteTo(file_, value) : start.status();
  if (!status.ok()) return Done(status, 0);
  return Done(status, static_cast<size_t>(*file_->Tell() - *start));
}

}  // namespace bytesio

#endif  // BYTESIO_WRITER_H_
