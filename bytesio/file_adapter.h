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
//   fclose(*f);                        // `report` stays alive
//   absl::StatusOr<bytesio::Rope> text = report.GetValue();
//
// Representation: the FILE* is unbuffered (setvbuf _IONBF) and has a
// cookie that points at the BytesIO; each stdio call goes straight to the
// cookie, which reads (BytesIO::ReadInto), writes (BytesIO::Write), seeks
// and closes. fread and fwrite copy once, directly between the caller's
// buffer and the BytesIO, however large the call.
//
// Positions. The FILE* starts at the BytesIO's current position and shares
// it: after every stdio call (not only fflush, fseek, ftell and fclose) the
// BytesIO's position is the FILE*'s and its contents include every write,
// so C code and direct BytesIO calls can be mixed without fflush. The one
// exception is ungetc, which pushes back into stdio only (as does fscanf,
// with the byte that ended a field): while a pushed-back byte is unread,
// the BytesIO is one byte further (ftell still reports the FILE*'s
// position); reading it back, fflush or fseek puts the two together again.
// Use ungetc only to push back the byte that fgetc (getc, fgets, ...) just
// read, as scanf does. Another byte, or any byte after fread (which reads
// around the one-byte buffer), goes to glibc's separate pushback area,
// which glibc 2.36 mishandles on unbuffered streams: a later fflush, write
// or read made it free invalid pointers and report garbage positions in
// our tests (the cookie only ever sees reads and seeks: glibc's own state).
//
// Why unbuffered: with a buffer, glibc reads ahead and answers fseek and
// ftell from the buffer without telling the cookie how much was consumed,
// so the BytesIO would sit up to a buffer ahead (8 KiB) with no call that
// could correct it, and glibc miscounts a cookie stream's position when
// fseek flushes a buffered write. Do not give the FILE* a buffer with
// setvbuf for the same reason.
//
// Cost: one cookie call per stdio call, and per byte for the byte-at-a-time
// functions. Measured (-O2, 8 MiB of text, a loaded 2-core machine): fgets
// 60-90 ns per byte where a buffered FILE* takes 1-2, nearly all of it
// glibc's unbuffered path (a cookie that only memcpys costs as much);
// fputc and fprintf about twice their buffered cost. fread and fwrite of
// blocks cost one copy. For fast line-by-line reading use BytesIO::Lines
// or BytesIOStream (stream_adapter.h) instead.
//
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

// Opens a FILE* over *file, which is not owned: fclose frees the FILE* and
// leaves *file open, with its contents, at the FILE*'s position.
// `mode` is fopen's: "r" (read only), "w" (write only), "a" (write only,
// every write goes to the end), each optionally with '+' (read and write)
// and 'b' (ignored). Unlike fopen, "w" does not truncate: the BytesIO is
// the file and is taken as it is (call Truncate(0) first for fopen's "w").
// Returns InvalidArgument for another mode, ResourceExhausted if stdio
// cannot allocate the FILE. The caller must fclose the result, and must not
// call setvbuf on it (see "Positions" above).
// Requires: *file outlives the FILE* (until fclose returns).
absl::StatusOr<FILE*> FOpen(BytesIO* file, absl::string_view mode = "r+");

// Same, but the FILE* owns the BytesIO: fclose destroys it. On
// error the BytesIO is destroyed with the call.
// Requires: the BytesIO has no live GetBuffer exports when fclose runs.
absl::StatusOr<FILE*> FOpen(std::unique_ptr<BytesIO> file,
                            absl::string_view mode = "r+");

}  // namespace bytesio

#endif  // BYTESIO_FILE_ADAPTER_H_
