// Copyright 2026 The bytesio Authors.
//
// std::streambuf over a BytesIO, so that code written against std::istream,
// std::ostream or std::iostream reads and writes a BytesIO (the C++ twin of
// wrapping io.BytesIO in a text layer, minus the text):
//
//   bytesio::BytesIO file;
//   bytesio::BytesIOStream stream(&file);
//   stream << 42 << ' ' << 3.5 << '\n';          // formatted output
//   stream.seekg(0);
//   int i; double d;
//   stream >> i >> d;                             // formatted input
//   stream.flush();                               // file.Tell() is exact
//
// Semantics are the BytesIO's (python_bytesio_semantics.md), with one
// position shared by reading and writing, like a file: seekg and seekp move
// the same position, tellg == tellp; a relative seek before the start clamps
// to 0, an absolute negative one fails; seeking past the end is allowed and
// a later write zero-fills the gap; reading at or past the end gives EOF.
// Switching between reading and writing needs no seek in between.
//
// Representation and cost. Reads expose the file's own cursor's current
// chunk (BytesIO keeps one RopeReader) as the get area, in place: no copy,
// no Rope built, no seek back; the next underflow steps the cursor to the
// next chunk. So sgetc/sbumpc, getline and operator>> run on inline pointer
// arithmetic, with one virtual call per chunk. Writes collect in a put area
// that is a RopeBuffer (one owned chunk); it is handed to BytesIO::Write in
// blocks, as a shared chunk when it is well filled (no second copy) and
// copied otherwise. Large single writes bypass it.
//
//   file:  [ chunk A | chunk B | chunk C ]        BytesIO position
//                     ^ eback ^ gptr ^ egptr       = egptr (the cursor's,
//                     get area = the rest of B      moved past B)
//
// Synchronisation with the BytesIO. Between sync points the streambuf may
// have read ahead (the BytesIO's position is at the end of the window) or
// buffered writes (the position is where they will go). The BytesIO's
// position and contents are exact after pubsync() (istream::sync, flush,
// std::endl, std::flush), after any seek or tell, and after the streambuf
// is destroyed. Using the BytesIO directly while the stream holds buffered
// state is like mixing stdio and write(2) on one descriptor: call pubsync()
// first.
//
// Errors. A failing BytesIO call (closed file, live GetBuffer exports, a
// write beyond the position limits) makes the stream operation fail in the
// usual iostream way (badbit/failbit; -1 from tellg); status() tells why.
// Bytes still in the put area when a write fails are dropped.
//
// Thread safety: none, like the streams and the BytesIO it wraps.

#ifndef BYTESIO_STREAM_ADAPTER_H_
#define BYTESIO_STREAM_ADAPTER_H_

#include <cstddef>
#include <ios>
#include <iostream>
#include <istream>
#include <ostream>
#include <streambuf>

#include "absl/status/status.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"

namespace bytesio {

class BytesIOStreambuf : public std::streambuf {
 public:
  // Capacity of the put area: 16 KiB. Large enough that each BytesIO::Write
  // (O(log k)) is amortised over many bytes and that a full block is handed
  // over as a chunk instead of copied; small enough to be cheap for a stream
  // that writes a few numbers.
  static constexpr size_t kPutBufferSize = size_t{16} << 10;

  // Creates a streambuf over *file, starting at the file's position. Does
  // not take ownership. Requires: *file outlives this streambuf.
  explicit BytesIOStreambuf(BytesIO* file);
  BytesIOStreambuf(const BytesIOStreambuf&) = delete;
  BytesIOStreambuf& operator=(const BytesIOStreambuf&) = delete;
  // Synchronises (see the file comment); errors are kept in status() only.
  ~BytesIOStreambuf() override;

  // The file this streambuf reads and writes.
  BytesIO* file() const { return file_; }

  // The most recent error of a BytesIO call made by this streambuf, or OK.
  const absl::Status& status() const { return status_; }

 protected:
  // std::streambuf overrides. Each one that reaches the file first brings it
  // up to date (drops read-ahead before writing, flushes writes before
  // reading or seeking).
  int_type underflow() override;
  int_type overflow(int_type c) override;
  int_type pbackfail(int_type c) override;
  std::streamsize xsgetn(char_type* s, std::streamsize n) override;
  std::streamsize xsputn(const char_type* s, std::streamsize n) override;
  pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override;
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override;
  int sync() override;

 private:
  // Records a failed status; returns false for convenient `return`.
  bool Fail(absl::Status status);
  // Gives back the unread part of the get area: seeks the file back to the
  // logical position (O(1) inside the chunk) and empties the get area.
  bool DropReadWindow();
  // Writes the put area to the file; keeps (and empties) the buffer when
  // the bytes were copied, gives it to the file when they were shared.
  bool FlushPutArea();
  // DropReadWindow and FlushPutArea: afterwards the file position is the
  // stream position and nothing is buffered.
  bool SyncFile();

  BytesIO* file_;
  absl::Status status_;

  // True while the get area is over a chunk of the file (the file's
  // position is then egptr()'s). The chunk belongs to the file: using the
  // file directly needs pubsync() first (see above), as for any buffering.
  bool reading_ = false;

  // Write side: while writing_, the put area is put_buffer_'s room and the
  // file's position is where pbase() will land.
  RopeBuffer put_buffer_;
  bool writing_ = false;
};

// A std::iostream over a BytesIO (not owned), using a BytesIOStreambuf.
// Pass it to code that takes std::istream&, std::ostream& or
// std::iostream&. Requires: *file outlives the stream.
class BytesIOStream : public std::iostream {
 public:
  explicit BytesIOStream(BytesIO* file);
  BytesIOStream(const BytesIOStream&) = delete;
  BytesIOStream& operator=(const BytesIOStream&) = delete;

  // The stream's buffer (owned by the stream; never null).
  BytesIOStreambuf* rdbuf() { return &buf_; }
  // Why the last failing operation failed (OK if none did).
  const absl::Status& status() const { return buf_.status(); }

 private:
  BytesIOStreambuf buf_;
};

}  // namespace bytesio

#endif  // BYTESIO_STREAM_ADAPTER_H_
