// Copyright 2026 The bytesio Authors.
//
// Typed reads and writes on a BytesIO: fixed-width big/little-endian
// integers and varints at the stream position, with the file layer's error
// shape (absl::Status / absl::StatusOr).
//
// Use these to read or write a binary file format through a BytesIO,
// mixing typed values with Read/Write/Seek. The reads are thin wrappers over
// the stream's own cursor (RopeReader, rope_reader.h), the one typed-read
// surface: each maps the cursor's DecodeStatus (kOk / kNeedMore /
// kMalformed) to absl::Status, and a read next to the previous one costs
// what the cursor's does (O(1), no descent from the root). On a Rope, read
// with a RopeReader directly.
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

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/coding.h"
#include "bytesio/rope_reader.h"

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

// The status for a typed read that failed with `decoded` (closed stream:
// FailedPrecondition; kNeedMore: OutOfRange; kMalformed: DataLoss). `bytes`
// is the fixed width, or 0 for a varint of `bits` bits.
absl::Status ReadError(BytesIO* io, DecodeStatus decoded, size_t bytes,
                       int bits);
absl::Status WriteAll(BytesIO* io, absl::string_view data);

// Reads with `read` on the stream's cursor and commits the position on kOk.
template <typename T, typename ReadFn>
absl::StatusOr<T> ReadThroughCursor(BytesIO* io, ReadFn read, size_t bytes,
                                    int bits) {
  RopeReader* cursor = bytes_io_internal::CursorAccess::Get(io);
  if (ABSL_PREDICT_FALSE(cursor == nullptr)) {
    return ReadError(io, DecodeStatus::kOk, bytes, bits);
  }
  T value;
  const DecodeStatus decoded = read(cursor, &value);
  if (ABSL_PREDICT_TRUE(decoded == DecodeStatus::kOk)) {
    bytes_io_internal::CursorAccess::Commit(io);
    return value;
  }
  return ReadError(io, decoded, bytes, bits);
}

}  // namespace bytes_io_coding_internal

template <typename T>
absl::StatusOr<T> ReadBigEndian(BytesIO* io) {
  return bytes_io_coding_internal::ReadThroughCursor<T>(
      io, [](RopeReader* r, T* v) { return r->ReadBigEndian(v); }, sizeof(T),
      0);
}

template <typename T>
absl::StatusOr<T> ReadLittleEndian(BytesIO* io) {
  return bytes_io_coding_internal::ReadThroughCursor<T>(
      io, [](RopeReader* r, T* v) { return r->ReadLittleEndian(v); }, sizeof(T),
      0);
}

inline absl::StatusOr<uint32_t> ReadVarint32(BytesIO* io) {
  return bytes_io_coding_internal::ReadThroughCursor<uint32_t>(
      io, [](RopeReader* r, uint32_t* v) { return r->ReadVarint32(v); }, 0, 32);
}

inline absl::StatusOr<uint64_t> ReadVarint64(BytesIO* io) {
  return bytes_io_coding_internal::ReadThroughCursor<uint64_t>(
      io, [](RopeReader* r, uint64_t* v) { return r->ReadVarint64(v); }, 0, 64);
}

inline absl::StatusOr<int32_t> ReadZigZag32(BytesIO* io) {
  return bytes_io_coding_internal::ReadThroughCursor<int32_t>(
      io, [](RopeReader* r, int32_t* v) { return r->ReadZigZag32(v); }, 0, 32);
}

inline absl::StatusOr<int64_t> ReadZigZag64(BytesIO* io) {
  return bytes_io_coding_internal::ReadThroughCursor<int64_t>(
      io, [](RopeReader* r, int64_t* v) { return r->ReadZigZag64(v); }, 0, 64);
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
