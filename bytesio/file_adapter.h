// Copyright 2026 The bytesio Authors.
//
// FILE* over a BytesIO, with glibc's fopencookie(3): hand a BytesIO to C
// code that only knows stdio (fread, fwrite, fseek, ftell, fprintf, fgets,
// getline, ...), the way one hands io.BytesIO to Python code expecting a
// file.
//
//   bytesio::BytesIO report;
//   absl::StatusOr<FILE*> f = bytesio::FOpen(&report, "w");
//   if (!f.ok()) return f.status();
//   legacy_print_report(*f);           // fprintf(f, ...) inside
//   fclose(*f);                        // flushes; `report` stays alive
//   absl::StatusOr<bytesio::Rope> text = report.GetValue();
//
// Representation: the FILE* has stdio's own buffer (BUFSIZ bytes) and a
// cookie that points at the BytesIO; stdio calls the cookie to read
// (BytesIO::ReadInto), write (BytesIO::Write), seek and close. So each byte
// is copied once between stdio's buffer and the BytesIO, as with any FILE*.
//
// Positions. The FILE* starts at the BytesIO's current position and shares
// it: after fflush (or fseek, ftell, fclose) the BytesIO's position is the
// FILE*'s. In between, stdio may have read ahead or buffered writes, as over
// a file descriptor: call fflush before using the BytesIO directly.
// fseek follows C and lseek(2) rather than Python where they differ: a
// resulting position below 0 fails with EINVAL (Python would clamp a
// relative seek to 0). Seeking past the end is allowed and a later write
// zero-fills the gap, as in both.
//
// Errors reach C code the stdio way: the call fails, ferror() is set and
// errno says why: EBADF (the BytesIO is closed), EBUSY (it has live
// GetBuffer exports), EINVAL (negative position), EOVERFLOW (a position
// beyond INT64_MAX), EFBIG (a write past the end whose gap is too large).
//
// Thread safety: stdio locks the FILE* per call, but the BytesIO itself is
// not synchronised: do not use it from another thread while the FILE* is
// open.

#ifndef BYTESIO_FILE_ADAPTER_H_
#define BYTESIO_FILE_ADAPTER_H_

#include <cstdio>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"

namespace bytesio {

// Opens a FILE* over *file, which is not owned: fclose flushes and frees the
// FILE*, and leaves *file open, with its contents, at the FILE*'s position.
// `mode` is fopen's: "r" (read only), "w" (write only), "a" (write only,
// every write goes to the end), each optionally with '+' (read and write)
// and 'b' (ignored). Unlike fopen, "w" does not truncate: the BytesIO is
// the file and is taken as it is (call Truncate(0) first for fopen's "w").
// Returns InvalidArgument for another mode, ResourceExhausted if stdio
// cannot allocate the FILE. The caller must fclose the result.
// Requires: *file outlives the FILE* (until fclose returns).
absl::StatusOr<FILE*> FOpen(BytesIO* file, absl::string_view mode = "r+");

// Same, but the FILE* owns the BytesIO: fclose flushes, then destroys it. On
// error the BytesIO is destroyed with the call.
// Requires: the BytesIO has no live GetBuffer exports when fclose runs.
absl::StatusOr<FILE*> FOpen(std::unique_ptr<BytesIO> file,
                            absl::string_view mode = "r+");

}  // namespace bytesio

#endif  // BYTESIO_FILE_ADAPTER_H_
