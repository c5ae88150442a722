// Copyright 2026 The bytesio Authors.

#include "bytesio/bytes_io_coding.h"

#include "absl/strings/str_cat.h"

namespace bytesio {
namespace bytes_io_coding_internal {

absl::Status ReadError(BytesIO* io, DecodeStatus decoded, size_t bytes,
                       int bits) {
  absl::StatusOr<int64_t> start = io->Tell();
  if (!start.ok()) return start.status();
  const size_t remain = io->size() > static_cast<uint64_t>(*start)
                            ? io->size() - static_cast<size_t>(*start)
                            : 0;
  if (decoded == DecodeStatus::kMalformed) {
    return absl::DataLossError(
        absl::StrCat("malformed varint at position ", *start, ": more than ",
                     bits == 32 ? kMaxVarint32Length : kMaxVarint64Length,
                     " bytes or bits beyond ", bits));
  }
  if (bytes == 0) {
    return absl::OutOfRangeError(
        absl::StrCat("unexpected end of stream: truncated varint at position ",
                     *start, " (", remain, " bytes remain)"));
  }
  return absl::OutOfRangeError(absl::StrCat("unexpected end of stream: needed ",
                                            bytes, " bytes at position ",
                                            *start, ", ", remain, " remain"));
}

absl::Status WriteAll(BytesIO* io, absl::string_view data) {
  return io->Write(data).status();
}

}  // namespace bytes_io_coding_internal

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
