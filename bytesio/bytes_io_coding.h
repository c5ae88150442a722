// Copyright 2026 The bytesio Authors.
//
// Typed reads and writes on a BytesIO: fixed-width big/little-endian
// integers and varints at the stream position, with the file layer's error
// shape (absl::Status / absl::StatusOr).
//
// Use these to read or write a binary file format through a BytesIO,
// mixing typed values with Read/Write/Seek. For parsing in a hot loop use
// RopeReader (rope_reader.h) on a Rope, whose results are cheap enums.
//
//   BytesIO io;
//   WriteBigEndian<uint16_t>(&io, 0xCAFE);       // [CA FE]
//   WriteVarint64(&io, 300);                     // [CA FE AC 02]
//   io.Seek(0);
//   absl::StatusOr<uint16_t> magic = ReadBigEndian<uint16_t>(&io);
//
// Every function is all-or-nothing: on failure the position and contents
// are as before the call. Errors: whatever BytesIO returns (a closed stream
// is FailedPrecondition "I/O operation on closed file.", writes while
// exported fail likewise); fewer bytes left than the value needs is
// OutOfRange "unexpected end of stream: ..."; a malformed varint is
// DataLoss "malformed varint ...".
//
// Thread safety: as BytesIO (none; external synchronisation).

#ifndef BYTESIO_BYTES_IO_CODING_H_
#define BYTESIO_BYTES_IO_CODING_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/coding.h"

namespace bytesio {

// Reads the integral T (not bool) at the position and advances past it.
template <typename T>
absl::StatusOr<T> ReadBigEndian(BytesIO* io);
template <typename T>
absl::StatusOr<T> ReadLittleEndian(BytesIO* io);

// Writes `value` at the position (overwriting, then extending, as Write
// does) and advances past it.
template <typename T>
absl::Status WriteBigEndian(BytesIO* io, T value);
template <typename T>
absl::Status WriteLittleEndian(BytesIO* io, T value);

// Reads a varint (zigzag-decoded for the signed forms) and advances past it.
// A varint cut off by the end of the stream is OutOfRange; more than 5 (10)
// bytes or bits beyond 32 (64) is DataLoss.
absl::StatusOr<uint32_t> ReadVarint32(BytesIO* io);
absl::StatusOr<uint64_t> ReadVarint64(BytesIO* io);
absl::StatusOr<int32_t> ReadZigZag32(BytesIO* io);
absl::StatusOr<int64_t> ReadZigZag64(BytesIO* io);

// Writes the varint encoding of `value` (zigzag first for the signed forms).
absl::Status WriteVarint32(BytesIO* io, uint32_t value);
absl::Status WriteVarint64(BytesIO* io, uint64_t value);
absl::Status WriteZigZag32(BytesIO* io, int32_t value);
absl::Status WriteZigZag64(BytesIO* io, int64_t value);

// ---------------------------------------------------------------------------
// Implementation details.

namespace bytes_io_coding_internal {

// Fills `dest` completely from the position and advances, or fails leaving
// the position alone.
absl::Status ReadExactly(BytesIO* io, absl::Span<char> dest);
absl::Status WriteAll(BytesIO* io, absl::string_view data);

}  // namespace bytes_io_coding_internal

template <typename T>
absl::StatusOr<T> ReadBigEndian(BytesIO* io) {
  char buf[sizeof(T)];
  absl::Status status =
      bytes_io_coding_internal::ReadExactly(io, absl::MakeSpan(buf));
  if (!status.ok()) return status;
  return LoadBigEndian<T>(buf);
}

template <typename T>
absl::StatusOr<T> ReadLittleEndian(BytesIO* io) {
  char buf[sizeof(T)];
  absl::Status status =
      bytes_io_coding_internal::ReadExactly(io, absl::MakeSpan(buf));
  if (!status.ok()) return status;
  return LoadLittleEndian<T>(buf);
}

template <typename T>
absl::Status WriteBigEndian(BytesIO* io, T value) {
  char buf[sizeof(T)];
  StoreBigEndian<T>(buf, value);
  return bytes_io_coding_internal::WriteAll(io,
                                            absl::string_view(buf, sizeof(T)));
}

template <typename T>
absl::Status WriteLittleEndian(BytesIO* io, T value) {
  char buf[sizeof(T)];
  StoreLittleEndian<T>(buf, value);
  return bytes_io_coding_internal::WriteAll(io,
                                            absl::string_view(buf, sizeof(T)));
}

}  // namespace bytesio

#endif  // BYTESIO_BYTES_IO_CODING_H_
