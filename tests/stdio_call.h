// Copyright 2026 The bytesio Authors.
//
// One stdio call on a FILE*, described as data so that a test or a fuzzer
// can run the same call on two streams (a BytesIO behind FOpen and a real
// file) and compare what each did: the return value, the bytes, errno on
// failure, and the eof/error flags afterwards.

#ifndef BYTESIO_TESTS_STDIO_CALL_H_
#define BYTESIO_TESTS_STDIO_CALL_H_

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <utility>

namespace bytesio {
namespace testutil {

struct StdioCall {
  enum Kind {
    kFread,   // arg: size
    kFwrite,  // data
    kFgetc,
    kFputc,   // arg: the byte
    kFseeko,  // arg: offset, whence
    kFtello,
    kFflush,
    kFgets,   // arg: buffer size
    kUngetc,  // arg: the byte
    kClearerr,
    kFprintf,  // "%.*s|%d\n" with data and arg
    kGetline,
  };
  StdioCall(Kind kind, int64_t arg = 0, int whence = SEEK_SET,
            std::string data = "")
      : kind(kind), arg(arg), whence(whence), data(std::move(data)) {}

  Kind kind;
  int64_t arg;
  int whence;
  std::string data;
};

// What one call did to one stream.
struct StdioResult {
  int64_t value = 0;  // the return value (fgets: 1 for non-null)
  std::string bytes;  // fread's and getline's bytes; fgets's whole buffer
  int error = 0;      // errno, when the call reported a failure
  bool eof = false;
  bool err = false;

  bool operator==(const StdioResult& o) const {
    return value == o.value && bytes == o.bytes && error == o.error &&
           eof == o.eof && err == o.err;
  }
  bool operator!=(const StdioResult& o) const { return !(*this == o); }
  std::string ToString() const;
};

std::ostream& operator<<(std::ostream& os, const StdioResult& r);

// Runs `call` on `f` (errno cleared first).
StdioResult RunStdioCall(FILE* f, const StdioCall& call);

// "fread(2)", "fseeko(12, SET)", ...: for logs of a call sequence.
std::string Describe(const StdioCall& call);

}  // namespace testutil
}  // namespace bytesio

#endif  // BYTESIO_TESTS_STDIO_CALL_H_
