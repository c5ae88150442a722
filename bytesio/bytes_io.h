// Copyright 2026 The bytesio Authors.
//
// BytesIO: an in-memory binary file, with the semantics of CPython 3.11's
// io.BytesIO to the letter (docs/semantics.md),
// over a Rope so that reads and snapshots share memory instead of copying.
//
// Use it where code wants a file: a position, reads that advance, writes that
// overwrite then extend, seeks past the end that zero-fill on the next write.
// For pure assembly of bytes use a Rope; for parsing frames out of a stream
// use the framing layer, which consumes from the front and frees as it goes
// (a BytesIO keeps every byte until Truncate or Close).
//
// Representation: a Rope plus a position that may lie past the end.
//
//   data_ ──► [ chunk A | chunk B | chunk C ]      size() = 3 chunks' bytes
//                 ▲         ▲
//   Read(n) ──────┘         └──── GetValue() snapshot (O(1), shares all)
//                        pos_ ─────────────────────────────────► (may overseek)
//
// Reads return Ropes that share the chunks; a later write into a shared chunk
// copies only the touched part (copy-on-write), so earlier results never
// change. GetBuffer() turns the contents into one private contiguous chunk
// and hands out a writable view; while any view lives, the storage cannot be
// resized and reads/GetValue copy (the view may be written under them).
//
// Errors: every fallible method returns absl::Status / absl::StatusOr with
// the codes and Python's messages of the semantics file, section 8:
//   closed object          FailedPrecondition "I/O operation on closed file."
//   live exports           FailedPrecondition "Existing exports of data: ..."
//   bad seek/size values   InvalidArgument   (Python's ValueError text)
//   size/position overflow OutOfRange        "new position too large" / ...
//   huge zero-fill gap     ResourceExhausted (says how many bytes)
//   fileno / detach        Unimplemented     "fileno" / "detach"
// A failed call leaves the position and the contents unchanged. Python's
// TypeErrors have no counterpart: the compiler checks argument types.
//
// Python -> C++:
//   BytesIO(b) / __init__(b)   BytesIO(b) / Reset(b)   (position 0)
//   read(n) / read1(n)         Read(n) / Read1(n)      (n < 0 or omitted: all)
//   readinto / readinto1       ReadInto(span) / ReadInto1(span)
//   readline(n) / readlines(h) ReadLine(n) / ReadLines(h)
//   for line in f / next(f)    for (Rope l : f.Lines()) / NextLine()
//   write / writelines         Write(bytes or Rope) / WriteLines(range)
//   seek(p, w) / tell()        Seek(p, w) / Tell()
//   truncate() / truncate(n)   Truncate() / Truncate(n)
//   getvalue() / getbuffer()   GetValue() / GetBuffer() -> ExportedBuffer
//   sys.getsizeof(f)           EstimatedMemoryUsage()
//   memoryview.release(), v[a:b]  ExportedBuffer::Release(), Subspan(a, b-a)
//   close() / closed           Close() / closed()
//   readable/writable/seekable Readable() / Writable() / Seekable()
//   isatty() / flush()         IsAtty() / Flush()
//   fileno() / detach()        Fileno() / Detach()     (always Unimplemented)
//   __getstate__/__setstate__  GetState() / SetState(value, pos)
//   with BytesIO() as f:       scope; Close() explicitly if it must be checked
//
// Thread safety: none, like a file object; one BytesIO needs external
// synchronisation. Ropes it returned are independent values and may move to
// other threads.

#ifndef BYTESIO_BYTES_IO_H_
#define BYTESIO_BYTES_IO_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/rope.h"
#include "bytesio/rope_reader.h"

namespace bytesio {

namespace bytes_io_internal {
struct CursorAccess;
}  // namespace bytes_io_internal

class BytesIO {
 public:
  class ExportedBuffer;
  class LineRange;
  class OwningLineRange;

  // Values of Seek's `whence`, equal to <cstdio>'s SEEK_SET/SEEK_CUR/SEEK_END
  // on every platform we build for (checked in bytes_io.cc).
  enum Whence : int { kSeekSet = 0, kSeekCur = 1, kSeekEnd = 2 };

  // The largest gap a write past the end may zero-fill: 1 TiB. Gaps reference
  // a shared zero chunk (Rope::AppendZeros), so they cost no byte of data but
  // one slice per MiB: a 1 TiB gap is ~1M slices, ~18 MiB of index, ~40 ms
  // (measured). Python would try to allocate the gap and fail with
  // MemoryError; a bigger gap is almost surely a garbage position (a write
  // at 2^50 would need ~18 GiB of index), so it is refused up front with
  // ResourceExhausted rather than attempted.
  static constexpr int64_t kMaxZeroFill = int64_t{1} << 40;

  // The largest stream GetBuffer() can export: 2 GiB - 1, the largest owned
  // chunk a Rope can hold (its slices use 32-bit lengths). Python would try
  // to allocate a bigger one; here it is ResourceExhausted.
  static constexpr size_t kMaxExportSize = (size_t{1} << 31) - 1;

  // Creates an open, empty stream at position 0.
  BytesIO() = default;
  // Creates a stream holding a copy of `initial`, at position 0.
  explicit BytesIO(absl::string_view initial) : data_(initial) {}
  // Creates a stream that adopts the string's buffer without copying it when
  // it is larger than Rope::kMaxBytesToCopy (as Rope(std::string&&) does);
  // smaller strings are copied. An lvalue string is copied by the
  // string_view constructor. (A template so that a literal picks that one.)
  template <typename T,
            std::enable_if_t<std::is_same<T, std::string>::value, int> = 0>
  explicit BytesIO(T&& initial) : data_(std::move(initial)) {}
  // Creates a stream over `initial`, at position 0. Shares its chunks (O(1));
  // later writes copy-on-write, so `initial` never changes.
  explicit BytesIO(Rope initial) : data_(std::move(initial)) {}

  // Move only. The moved-from object is left open, empty, at position 0.
  // Requires (asserted): neither object has live exports.
  BytesIO(BytesIO&& other) noexcept;
  BytesIO& operator=(BytesIO&& other) noexcept;
  BytesIO(const BytesIO&) = delete;
  BytesIO& operator=(const BytesIO&) = delete;
  // Requires (asserted): no live exports.
  ~BytesIO();

  // Python's __init__: re-initialises to `initial` at position 0 and open
  // (also when closed: C++ drops Python's closed-reinit oddities).
  // FailedPrecondition while exported (then nothing changes).
  absl::Status Reset() { return Reset(Rope()); }
  absl::Status Reset(absl::string_view initial) { return Reset(Rope(initial)); }
  absl::Status Reset(Rope initial);

  // ---- Reading. Each returns FailedPrecondition when closed. -------------

  // Returns up to `n` bytes from the position (all remaining when n < 0) and
  // advances past them; at or past the end returns "" and does not move.
  // The result shares chunks with the stream: O(log k + chunks returned),
  // except while exported, when it is a copy (O(bytes)).
  absl::StatusOr<Rope> Read(int64_t n = -1);
  // Same as Read (BytesIO has no raw layer underneath).
  absl::StatusOr<Rope> Read1(int64_t n = -1) { return Read(n); }

  // Copies min(dest.size(), remaining) bytes into the front of `dest`,
  // advances, and returns the count. Bytes of `dest` past it are untouched.
  absl::StatusOr<size_t> ReadInto(absl::Span<char> dest);
  absl::StatusOr<size_t> ReadInto1(absl::Span<char> dest) {
    return ReadInto(dest);
  }

  // Returns the bytes up to and including the next '\n' (only '\n' ends a
  // line), or to the end; at most `limit` bytes when limit >= 0. "" only at
  // or past the end (or limit 0). Shares chunks like Read. Linear in the
  // bytes scanned, which are at most `limit` when limit >= 0.
  absl::StatusOr<Rope> ReadLine(int64_t limit = -1);

  // The view form of ReadLine, for callers that look at a line and drop it:
  // the same bytes as a view that points into the stream's chunk when the
  // line lies in one (no copy, no refcount touched) and into a scratch
  // buffer this BytesIO reuses when it straddles chunks (no allocation in
  // steady state). Valid until the next call on this BytesIO. O(line).
  absl::StatusOr<absl::string_view> ReadLineView(int64_t limit = -1)
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // std::getline's form of ReadLine, for loops that take one line at a time
  // into the same Rope: sets *line to the bytes ReadLine would return. A
  // line of at most Rope::kMaxBytesToCopy bytes is copied into *line's own
  // chunk when that is private and large enough (no allocation, no atomic
  // operation: a loop reusing one Rope allocates once, as getline into one
  // std::string does); a longer one shares the chunks. On error *line is
  // left alone. O(line).
  absl::Status ReadLineInto(Rope* line, int64_t limit = -1);

  // Returns the remaining lines; when hint > 0 stops once the lines returned
  // total >= hint bytes (the crossing line included). hint <= 0: all lines.
  absl::StatusOr<std::vector<Rope>> ReadLines(int64_t hint = 0);

  // Python's next(f): the next line as ReadLine() would return it, or
  // nullopt at or past the end (StopIteration; the position stays).
  absl::StatusOr<std::optional<Rope>> NextLine();

  // Python's `for line in f`: a single-pass range that calls NextLine until
  // it yields nullopt or fails; the failure is kept in LineRange::status().
  // Like Python, it follows the live position, so writes and seeks made
  // inside the loop are seen. Requires: *this outlives the range.
  //
  //   BytesIO::LineRange lines = f.Lines();
  //   for (const Rope& line : lines) Use(line);
  //   if (!lines.status().ok()) ...;   // only a closed stream fails
  LineRange Lines() & ABSL_ATTRIBUTE_LIFETIME_BOUND;
  // Python's `for line in BytesIO(data)`: on a temporary (or std::move(f)),
  // the range takes the stream over, moving it in (O(1); `f` is left open
  // and empty), and iterates it from its position as above. The stream
  // lives as long as the range, e.g. for the whole loop:
  //
  //   for (const Rope& line : BytesIO(data).Lines()) Use(line);
  //
  // Requires (asserted, as for any move): no live exports.
  OwningLineRange Lines() &&;

  // ---- Writing. Each returns FailedPrecondition when closed or exported. --

  // Writes `data` at the position, overwriting then extending, and returns
  // data.size() (never partial); the position advances by it. A non-empty
  // write past the end first zero-fills the gap; an empty write does
  // nothing. OutOfRange "new buffer size too large" if the end would pass
  // INT64_MAX; ResourceExhausted if the gap exceeds kMaxZeroFill.
  // Cost: O(log k + data.size()); overwritten shared chunks copy only the
  // touched bytes.
  absl::StatusOr<size_t> Write(absl::string_view data);
  // Same, sharing `data`'s chunks (no byte copied) when data.size() >
  // Rope::kMaxBytesToCopy, even in the middle of the stream; smaller Ropes
  // are copied. O(log k + chunks of data).
  absl::StatusOr<size_t> Write(const Rope& data);

  // Writes each item of `lines` (any range of absl::string_view-convertible
  // values or Ropes) as Write does, without separators. Stops at the first
  // failure, returning it; earlier items stay written. An empty range is OK
  // even while exported (no write is tried), but not when closed.
  template <typename Range>
  absl::Status WriteLines(const Range& lines);
  absl::Status WriteLines(std::initializer_list<absl::string_view> lines) {
    return WriteLines<std::initializer_list<absl::string_view>>(lines);
  }

  // ---- Position and size. ----------------------------------------------

  // Moves to `offset` relative to the start (kSeekSet), the position
  // (kSeekCur) or the end (kSeekEnd) and returns the new position; relative
  // results below 0 clamp to 0; past the end is allowed. Errors (position
  // unchanged): closed; negative offset with kSeekSet; any other whence
  // (InvalidArgument "invalid whence (W, should be 0, 1 or 2)"); a result
  // above INT64_MAX (OutOfRange "new position too large"). Allowed while
  // exported.
  absl::StatusOr<int64_t> Seek(int64_t offset, int whence = kSeekSet);

  // Returns the position (may be past the end).
  absl::StatusOr<int64_t> Tell() const;

  // Returns the number of bytes held, Python's len(f.getvalue()) without the
  // round trip: an overseek gap not yet written is not counted, and a closed
  // stream holds 0. Never fails.
  size_t size() const { return data_.size(); }

  // Cuts the data to `size` bytes if it is longer (never extends) and returns
  // `size`; the position never moves. Truncate() uses the position as size.
  // InvalidArgument "negative size value N" for size < 0 (checked after
  // closed and exports). O(log k).
  absl::StatusOr<int64_t> Truncate();
  absl::StatusOr<int64_t> Truncate(int64_t size);

  // ---- Whole contents. -------------------------------------------------

  // Returns all the data (no overseek gap) without moving. O(1), sharing all
  // chunks, except while exported: then a copy, O(size), because the view
  // can still change the bytes.
  absl::StatusOr<Rope> GetValue() const;

  // Returns a writable contiguous view of the current data (size() bytes,
  // not up to the position) that holds one export until released. Writes
  // through it change the stream in place; snapshots taken earlier do not
  // change. The first export flattens the data into one private chunk
  // (O(size) unless it already is one); later ones are O(1).
  // ResourceExhausted if the data is larger than kMaxExportSize.
  absl::StatusOr<ExportedBuffer> GetBuffer();

  // Bytes of memory this stream holds or references: the object itself plus
  // what its data keeps alive (Rope::EstimatedMemoryUsage: chunks and index
  // nodes, shared ones counted whole, like Python's sys.getsizeof counting a
  // BytesIO's buffer). For diagnostics; works when closed. O(chunks).
  size_t EstimatedMemoryUsage() const;

  // ---- Lifecycle and flags. --------------------------------------------

  // Drops the data and closes; a no-op when already closed. While exported
  // it fails and the stream stays open and intact.
  absl::Status Close();
  // Never fails.
  bool closed() const { return closed_; }

  // True while open (false for IsAtty); FailedPrecondition when closed.
  absl::StatusOr<bool> Readable() const;
  absl::StatusOr<bool> Writable() const;
  absl::StatusOr<bool> Seekable() const;
  absl::StatusOr<bool> IsAtty() const;
  // Does nothing; FailedPrecondition when closed.
  absl::Status Flush() const;
  // Always Unimplemented("fileno") / Unimplemented("detach"), open or closed.
  absl::StatusOr<int> Fileno() const;
  absl::Status Detach();

  // Pickle support: the value (shared, like GetValue) and the position.
  struct State {
    Rope value;
    int64_t position = 0;
  };
  absl::StatusOr<State> GetState() const;
  // Restores a state (position may be past the end). Fails when closed, while
  // exported, and with InvalidArgument "position value cannot be negative".
  absl::Status SetState(Rope value, int64_t position);

 private:
  friend class ExportedBuffer;
  friend struct bytes_io_internal::CursorAccess;

  // The cursor at the position (clamped to the end): rebuilt after a change
  // of data_ (O(log k)), moved after a seek (O(1) nearby), else as is.
  RopeReader& Cursor();
  RopeReader& MoveCursor();  // Cursor's other cases, out of line
  // The length of the line (through its '\n', within `limit` when >= 0)
  // when the cursor is at the position and the line ends in its current
  // chunk; 0 otherwise (the general path handles it). One memchr.
  size_t LineInCursorChunk(int64_t limit);
  // The length of the next line (ReadLine's bytes), with the cursor at the
  // position when it is not 0; 0 at or past the end or for limit 0. Linear
  // in the bytes scanned. Requires: open.
  size_t NextLineLength(int64_t limit);
  // Random reads (seek, read, seek elsewhere) would rebuild the cursor, a
  // descent that records its whole path, only for the next seek to drop
  // it: a read at `pos` that the cursor cannot reach by a pointer move is
  // served by one lookup instead (Read, ReadInto). A read that continues
  // such a read (pos == bypass_end_) builds the cursor, and the reads after
  // it cost O(1) again.
  bool BypassCursor(uint64_t pos) const {
    return (!cursor_valid_ || !cursor_.InCurrentChunk(pos)) &&
           pos != bypass_end_;
  }
  // Called by every change of data_: the cursor points into it.
  void InvalidateCursor() { cursor_valid_ = false; }

  absl::Status CheckOpen() const;
  // CheckOpen, then the export lock.
  absl::Status CheckResizable() const;
  // Bytes [pos, pos + n) of data_: shared, or copied while exported.
  // Requires: pos + n <= data_.size().
  Rope Slice(size_t pos, size_t n) const;
  // Checks that writing `n` > 0 bytes at pos_ is possible.
  absl::Status CheckWrite(size_t n) const;
  // Zero-fills up to pos_ if needed. Requires: CheckWrite succeeded.
  void PadToPosition();

  Rope data_;
  int64_t pos_ = 0;
  bool closed_ = false;
  // Live ExportedBuffers; while > 0, data_ is one private chunk starting at
  // export_base_ and is never modified except through the views.
  int64_t exports_ = 0;
  char* export_base_ = nullptr;
  // The one sequential reader over data_ (see RopeReader): Read, ReadInto,
  // ReadLine and the typed reads of bytes_io_coding.h go through it, so a
  // read next to the last one costs O(1), not a descent from the root.
  RopeReader cursor_;
  bool cursor_valid_ = false;
  // Where the last read that bypassed the cursor ended (see ReadInto).
  uint64_t bypass_end_ = UINT64_MAX;
  // ReadLineView's copy of a line that straddles chunks.
  std::string line_scratch_;
};

namespace bytes_io_internal {

// The door bytes_io_coding.h reads through: the stream's cursor, and
// committing its position back. Not for other users.
struct CursorAccess {
  // The cursor at the position (clamped to the end), or null when closed.
  static RopeReader* Get(BytesIO* io) {
    return io->closed_ ? nullptr : &io->Cursor();
  }
  // Sets the stream position to the cursor's. Requires: Get(io) non-null.
  static void Commit(BytesIO* io) {
    io->pos_ = static_cast<int64_t>(io->cursor_.position());
  }
};

}  // namespace bytes_io_internal

// A writable view of a BytesIO's bytes that holds one export (Python's
// memoryview from getbuffer()). Copies and Subspan()s hold exports of their
// own, so views can be released in any order. Releasing (or destroying) the
// last one unlocks resizing. The view stays valid until released.
// Requires: released before its BytesIO is moved or destroyed.
class BytesIO::ExportedBuffer {
 public:
  // Holds no export.
  ExportedBuffer() = default;
  ExportedBuffer(const ExportedBuffer& other);
  ExportedBuffer& operator=(const ExportedBuffer& other);
  ExportedBuffer(ExportedBuffer&& other) noexcept;
  ExportedBuffer& operator=(ExportedBuffer&& other) noexcept;
  ~ExportedBuffer() { Release(); }

  // Drops this view's export; afterwards it is empty. Idempotent.
  void Release();
  // True until released (or moved from).
  bool holds_export() const { return owner_ != nullptr; }

  // The viewed bytes: writable, empty after Release.
  absl::Span<char> span() const { return span_; }
  char* data() const { return span_.data(); }
  size_t size() const { return span_.size(); }
  char& operator[](size_t i) const {
    assert(i < span_.size());
    return span_[i];
  }
  absl::string_view view() const { return {span_.data(), span_.size()}; }

  // A view of bytes [pos, pos + n) (clamped) holding an export of its own.
  // Requires: holds_export() and pos <= size().
  ExportedBuffer Subspan(size_t pos, size_t n = absl::Span<char>::npos) const;

 private:
  friend class BytesIO;
  ExportedBuffer(BytesIO* owner, absl::Span<char> span);

  BytesIO* owner_ = nullptr;
  absl::Span<char> span_;
};

// A single-pass input range over a BytesIO's lines; see BytesIO::Lines().
class BytesIO::LineRange {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Rope;
    using difference_type = std::ptrdiff_t;
    using pointer = const Rope*;
    using reference = const Rope&;

    iterator() = default;
    reference operator*() const { return range_->line_; }
    pointer operator->() const { return &range_->line_; }
    iterator& operator++() {
      range_->Advance();
      if (range_->done_) range_ = nullptr;
      return *this;
    }
    friend bool operator==(const iterator& a, const iterator& b) {
      return a.range_ == b.range_;
    }
    friend bool operator!=(const iterator& a, const iterator& b) {
      return a.range_ != b.range_;
    }

   private:
    friend class LineRange;
    explicit iterator(LineRange* range) : range_(range) {}
    LineRange* range_ = nullptr;  // null at the end
  };

  // Reads the first line. Call once per range.
  iterator begin();
  iterator end() { return iterator(); }

  // OK unless a NextLine call failed (the stream was closed).
  const absl::Status& status() const { return status_; }

 private:
  friend class BytesIO;
  explicit LineRange(BytesIO* file) : file_(file) {}
  void Advance();

  BytesIO* file_;
  Rope line_;
  absl::Status status_;
  bool done_ = false;
};

// The range BytesIO::Lines() returns for an rvalue stream: it owns the
// stream, so iterating a temporary reads no freed memory. Neither copyable
// nor movable (its LineRange points at the stream inside it); C++17 returns
// it without a move, and a range-for keeps it alive through the loop.
class BytesIO::OwningLineRange {
 public:
  using iterator = LineRange::iterator;

  OwningLineRange(const OwningLineRange&) = delete;
  OwningLineRange& operator=(const OwningLineRange&) = delete;

  // As LineRange::begin(): reads the first line. Call once per range.
  iterator begin() { return lines_.begin(); }
  iterator end() { return lines_.end(); }

  // OK unless a NextLine call failed (the stream was closed).
  const absl::Status& status() const { return lines_.status(); }

  // The owned stream, e.g. to read on after a loop that broke off early.
  BytesIO& file() ABSL_ATTRIBUTE_LIFETIME_BOUND { return file_; }

 private:
  friend class BytesIO;
  explicit OwningLineRange(BytesIO&& file)
      : file_(std::move(file)), lines_(&file_) {}

  BytesIO file_;
  LineRange lines_;
};

// ---------------------------------------------------------------------------
// Implementation details.

template <typename Range>
absl::Status BytesIO::WriteLines(const Range& lines) {
  absl::Status status = CheckOpen();
  if (!status.ok()) return status;
  for (const auto& line : lines) {
    absl::StatusOr<size_t> written = Write(line);
    if (!written.ok()) return written.status();
  }
  return absl::OkStatus();
}

inline RopeReader& BytesIO::Cursor() {
  // The common case, a read right after the last one: the cursor is there.
  if (ABSL_PREDICT_TRUE(cursor_valid_ &&
                        cursor_.position() == static_cast<uint64_t>(pos_))) {
    return cursor_;
  }
  return MoveCursor();
}

inline BytesIO::LineRange BytesIO::Lines() & { return LineRange(this); }

inline BytesIO::OwningLineRange BytesIO::Lines() && {
  return OwningLineRange(std::move(*this));
}

inline BytesIO::LineRange::iterator BytesIO::LineRange::begin() {
  Advance();
  return done_ ? iterator() : iterator(this);
}

}  // namespace bytesio

#endif  // BYTESIO_BYTES_IO_H_
