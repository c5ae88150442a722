// Copyright 2026 The bytesio Authors.

#include "bytesio/bytes_io_coding.h"

#include "absl/strings/str_cat.h"

namespace bytesio {
namespace bytes_io_coding_internal {

absl::Status ReadExactly(BytesIO* io, absl::Span<char> dest) {
  absl::StatusOr<int64_t> start = io->Tell();
  if (!start.ok()) return start.status();
  absl::StatusOr<size_t> got = io->ReadInto(dest);
  if (!got.ok()) return got.status();
  if (*got == dest.size()) return absl::OkStatus();
  // Seeking back to where we were cannot fail on an open stream.
  io->Seek(*start).IgnoreError();
  return absl::OutOfRangeError(absl::StrCat("unexpected end of stream: needed ",
                                            dest.size(), " bytes at position ",
                                            *start, ", ", *got, " remain"));
}

absl::Status WriteAll(BytesIO* io, absl::string_view data) {
  return io->Write(data).status();
}

}  // namespace bytes_io_coding_internal

namespace {

// Decodes with `decode` from up to `max_length` bytes at the position,
// advancing past the varint only on success.
template <typename T, typename Decode>
absl::StatusOr<T> ReadVarint(BytesIO* io, Decode decode, size_t max_length,
                             int bits) {
  absl::StatusOr<int64_t> start = io->Tell();
  if (!start.ok()) return start.status();
  char buf[kMaxVarint64Length];
  absl::StatusOr<size_t> got = io->ReadInto(absl::Span<char>(buf, max_length));
  if (!got.ok()) return got.status();
  T value;
  size_t length = 0;
  const DecodeStatus decoded =
      decode(absl::string_view(buf, *got), &value, &length);
  io->Seek(*start + static_cast<int64_t>(length)).IgnoreError();
  switch (decoded) {
    case DecodeStatus::kOk:
      return value;
    case DecodeStatus::kNeedMore:
      return absl::OutOfRangeError(absl::StrCat(
          "unexpected end of stream: truncated varint at position ", *start,
          " (", *got, " bytes remain)"));
    case DecodeStatus::kMalformed:
      break;
  }
  return absl::DataLossError(absl::StrCat("malformed varint at position ",
                                          *start, ": more than ", max_length,
                                          " bytes or bits beyond ", bits));
}

}  // namespace

absl::StatusOr<uint32_t> ReadVarint32(BytesIO* io) {
  return ReadVarint<uint32_t>(
      io,
      [](absl::string_view in, uint32_t* v, size_t* len) {
        return DecodeVarint32(in, v, len);
      },
      kMaxVarint32Length, 32);
}

absl::StatusOr<uint64_t> ReadVarint64(BytesIO* io) {
  return ReadVarint<uint64_t>(
      io,
      [](absl::string_view in, uint64_t* v, size_t* len) {
        return DecodeVarint64(in, v, len);
      },
      kMaxVarint64Length, 64);
}

absl::StatusOr<int32_t> ReadZigZag32(BytesIO* io) {
  absl::StatusOr<uint32_t> raw = ReadVarint32(io);
  if (!raw.ok()) return raw.status();
  return ZigZagDecode32(*raw);
}

absl::StatusOr<int64_t> ReadZigZag64(BytesIO* io) {
  absl::StatusOr<uint64_t> raw = ReadVarint64(io);
  if (!raw.ok()) return raw.status();
  return ZigZagDecode64(*raw);
}

absl::Status WriteVarint32(BytesIO* io, uint32_t value) {
  char buf[kMaxVarint32Length];
  const char* end = EncodeVarint32(buf, value);
  return bytes_io_coding_internal::WriteAll(
      io, absl::string_view(buf, static_cast<size_t>(end - buf)));
}

absl::Status WriteVarint64(BytesIO* io, uint64_t value) {
  char buf[kMaxVarint64Length];
  const char* end = EncodeVarint64(buf, value);
  return bytes_io_coding_internal::WriteAll(
      io, absl::string_view(buf, static_cast<size_t>(end - buf)));
}

absl::Status WriteZigZag32(BytesIO* io, int32_t value) {
  return WriteVarint32(io, ZigZagEncode32(value));
}

absl::Status WriteZigZag64(BytesIO* io, int64_t value) {
  return WriteVarint64(io, ZigZagEncode64(value));
}

}  // namespace bytesio
