// Copyright 2026 The bytesio Authors.
//
// BytesIOModel: CPython 3.11's io.BytesIO written as plainly as possible over
// a std::string (docs/semantics.md), the oracle
// that BytesIO is checked against step by step by the model-based test
// (tests/bytes_io_model_test.cc) and the fuzzer (fuzz/bytes_io_fuzzer.cc).
// testonly; //tests:bytes_io_model. It depends on no test framework, so the
// fuzzer can link it under libFuzzer.
//
// Each method returns what BytesIO's method of the same name must return,
// with the status codes and messages of the semantics file, section 8; a
// failing call leaves the model unchanged. ResourceExhausted messages are
// BytesIO's own wording: compare only their code.
//
// A write past the end materialises its zero-filled gap in the string, so
// callers must keep gaps small (BytesIO accepts gaps up to
// BytesIO::kMaxZeroFill = 1 TiB; the model refuses beyond that as BytesIO
// does and otherwise tries to allocate).

#ifndef BYTESIO_TESTS_BYTES_IO_MODEL_H_
#define BYTESIO_TESTS_BYTES_IO_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bytesio {
namespace testutil {

// FailedPrecondition "I/O operation on closed file.".
absl::Status ClosedFileError();
// FailedPrecondition "Existing exports of data: object cannot be re-sized".
absl::Status ExportsError();

struct BytesIOModel {
  std::string data;
  int64_t pos = 0;
  bool closed = false;
  int exports = 0;  // live exported buffers (getbuffer views)

  absl::Status CheckOpen() const;
  // CheckOpen, then the export lock.
  absl::Status CheckResizable() const;
  uint64_t upos() const { return static_cast<uint64_t>(pos); }
  // Bytes between the end of the data and the position (0 unless overseek).
  uint64_t Gap() const;

  // read(n) / read1(n): n < 0 reads to the end.
  absl::StatusOr<std::string> Read(int64_t n);
  // readinto(buffer of `capacity` bytes): the bytes copied into its front.
  absl::StatusOr<std::string> ReadInto(size_t capacity);
  // readline(limit): limit < 0 means no limit.
  absl::StatusOr<std::string> ReadLine(int64_t limit);
  // readlines(hint): stops once the lines total >= hint when hint > 0.
  absl::StatusOr<std::vector<std::string>> ReadLines(int64_t hint);
  // write(s): returns s.size().
  absl::StatusOr<size_t> Write(absl::string_view s);
  // seek(offset, whence).
  absl::StatusOr<int64_t> Seek(int64_t offset, int whence);
  // truncate() (nullopt: at the position) / truncate(size).
  absl::StatusOr<int64_t> Truncate(std::optional<int64_t> size);
  // getvalue().
  absl::StatusOr<std::string> GetValue() const;
  // close(): refused while exported; drops the data.
  absl::Status Close();
  // __init__(initial): refused while exported; reopens a closed object (the
  // C++ rule, see BytesIO::Reset).
  absl::Status Reset(absl::string_view initial);
  // __setstate__((value, position, None)).
  absl::Status SetState(absl::string_view value, int64_t position);
};

}  // namespace testutil
}  // namespace bytesio

#endif  // BYTESIO_TESTS_BYTES_IO_MODEL_H_
