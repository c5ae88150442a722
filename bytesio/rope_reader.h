// Copyright 2026 The bytesio Authors.
//
// RopeReader: the one cursor over a Rope. Every layer that reads a Rope
// sequentially reads through it: BytesIO (Read, ReadLine, ReadInto and the
// typed reads of bytes_io_coding.h), FrameDecoder (headers, delimiter
// search, frames), and the streambuf adapter's get area. Use it directly to
// parse a frame or a message that is already in memory: peek, skip, step
// back, search, read N bytes as a shared Rope or as a borrowed view, read
// into caller memory, typed big/little-endian integers of any width, varints
// and length-delimited fields.
//
// It keeps its place in the chunk sequence (the chunk iterator, and the
// current chunk's bounds as raw pointers), so the next byte, the next n
// bytes, a typed read, a search or a skip cost O(1) amortised: a read inside
// the current chunk is a bounds check and a load, and crossing into the
// next chunk is one iterator step, not a descent from the root. Moving far
// (Seek, a long Skip, a Retreat past the start of the current chunk) costs
// one O(log k) descent.
//
//   Rope:     [ chunk 0 ......... ][ chunk 1 ... ][ chunk 2 ........ ]
//             ^begin_   ^cur_     ^end_
//   RopeReader: it_ -> chunk 0; position() = pos_ = offset of cur_
//
// Results, one shape per kind of operation:
//  - byte ranges (Peek, Skip, Retreat, Read, ReadInto, ReadView, ReadUntil)
//    return bool: false when too few bytes remain (or no delimiter lies
//    within the bound), and then nothing moves;
//  - typed reads (ReadBigEndian, ReadLittleEndian, ReadUnsigned, varints,
//    ReadLengthDelimited) return DecodeStatus: kOk, kNeedMore (the rope ends
//    inside the value) or kMalformed; on anything but kOk nothing moves and
//    the outputs are untouched. bytes_io_coding.h maps these to absl::Status.
//
// Views: the *View forms set an absl::string_view that points into the
// Rope's chunk when the bytes lie in one chunk (no copy, no refcount
// touched), and into the caller's `scratch` string (grown when needed, so
// that a reused scratch allocates nothing in steady state) when they
// straddle chunks. The view is valid while the Rope is unchanged and, if it
// points into scratch, until scratch is next modified.
//
// Lifetime: the Rope must outlive the reader and must not be modified while
// the reader is in use (the reader holds views into its chunks and a path
// into its tree). Ropes handed out by Read share chunks with the source and
// stay valid on their own. Thread safety: a reader is one thread's object;
// several readers may read one Rope concurrently.

#ifndef BYTESIO_ROPE_READER_H_
#define BYTESIO_ROPE_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/coding.h"
#include "bytesio/rope.h"

namespace bytesio {

class RopeReader {
 public:
  static constexpr size_t npos = Rope::npos;

  // A reader over no bytes (AtEnd). Assign a real one before reading.
  RopeReader() = default;
  // Starts at byte `pos` of `rope`. O(log k). Requires: pos <= rope.size().
  explicit RopeReader(const Rope& rope ABSL_ATTRIBUTE_LIFETIME_BOUND,
                      size_t pos = 0);

  RopeReader(const RopeReader&) = default;
  RopeReader& operator=(const RopeReader&) = default;

  // Restarts at byte `pos` of `rope`, in place (no temporary reader to copy:
  // the chunk path is ~600 bytes). O(log k). Requires: pos <= rope.size().
  void Reset(const Rope& rope ABSL_ATTRIBUTE_LIFETIME_BOUND, size_t pos = 0);

  // Takes in bytes appended to the Rope by Rope::AppendInPlace since the
  // reader last looked (the one change to the Rope a reader survives),
  // keeping the position: O(1), one descent when the reader stood at the
  // very end of the Rope. Requires: no other change to the Rope since.
  void Extend();

  // The Rope read (null for a default-constructed reader).
  const Rope* rope() const { return rope_; }
  // Bytes before the position / after it.
  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  // True when `pos` lies in the current chunk (or at its end), where
  // Seek(pos) is a pointer move.
  bool InCurrentChunk(size_t pos) const {
    return pos <= pos_ ? pos_ - pos <= static_cast<size_t>(cur_ - begin_)
                       : pos - pos_ <= rest();
  }
  bool AtEnd() const { return pos_ == size_; }

  // ---- Moving. ----

  // Moves to byte `pos`: O(1) within the current chunk, a few iterator
  // steps just ahead of it, else O(log k). Requires: pos <= rope size.
  void Seek(size_t pos);
  // Moves forward (back) by `n` bytes, as Seek. Returns false (not moving)
  // when fewer than n bytes remain after (before) the position.
  bool Skip(size_t n);
  bool Retreat(size_t n);

  // ---- Looking without moving. ----

  // The unread rest of the current chunk: at least one byte unless AtEnd()
  // (steps to the next chunk when the current one is used up; the position
  // does not change). Valid while the Rope is unchanged.
  absl::string_view PeekChunk();

  // Copies the dest.size() bytes that start `offset` bytes after the
  // position into `dest`. Returns false (copying nothing) when the rope ends
  // first. O(1) inside the current chunk, else O(log k).
  bool Peek(absl::Span<char> dest, size_t offset = 0) const;

  // Sets *view to the next `n` bytes as one contiguous view (see "Views"
  // above: into the chunk, or copied into *scratch). Returns false (view
  // untouched) when fewer remain. Copies only when the bytes straddle.
  bool PeekView(size_t n, std::string* scratch, absl::string_view* view) const;

  // Returns the offset from the position of the first `c` (the first match
  // of `needle`, which may straddle chunks) at offset >= `from` and lying
  // entirely within the next `limit` bytes (clamped to remaining()), else
  // npos. Scans at memchr speed inside a chunk; stops at the bound. An empty
  // needle matches at `from` when from <= the bound.
  size_t Find(char c, size_t from = 0, size_t limit = npos) const;
  size_t Find(absl::string_view needle, size_t from = 0,
              size_t limit = npos) const;

  // ---- Reading bytes (bool: false = too few bytes, nothing moved). ----

  // Sets *out to the next `n` bytes, sharing the Rope's chunks (copied only
  // below Rope::kMaxBytesToCopy when they span chunks), and advances.
  // O(1) when they lie in the current chunk (no descent), else O(log k +
  // chunks in the result).
  bool Read(size_t n, Rope* out);

  // Copies the next dest.size() bytes into `dest` and advances.
  bool ReadInto(absl::Span<char> dest);

  // Sets *view to the next `n` bytes (see "Views") and advances.
  bool ReadView(size_t n, std::string* scratch, absl::string_view* view);

  // Reads through the first `delimiter` that ends within the next `limit`
  // bytes: *out (*view) gets the bytes up to and including it. Returns
  // false (not moving) when there is none. Requires: !delimiter.empty().
  bool ReadUntil(absl::string_view delimiter, Rope* out, size_t limit = npos);
  bool ReadUntilView(absl::string_view delimiter, std::string* scratch,
                     absl::string_view* view, size_t limit = npos);

  // ---- Typed reads (DecodeStatus; nothing moves unless kOk). ----

  // One fixed-width integer. T: any integral type but bool. kNeedMore when
  // fewer than sizeof(T) bytes remain.
  template <typename T>
  DecodeStatus ReadBigEndian(T* value);
  template <typename T>
  DecodeStatus ReadLittleEndian(T* value);

  // An unsigned integer of `width` bytes (a length field of any width).
  // Requires: 1 <= width <= 8.
  DecodeStatus ReadUnsigned(size_t width, ByteOrder order, uint64_t* value);

  // A varint (zigzag for the signed forms): kNeedMore when the rope ends
  // inside it, kMalformed as coding.h defines it.
  DecodeStatus ReadVarint32(uint32_t* value);
  DecodeStatus ReadVarint64(uint64_t* value);
  DecodeStatus ReadZigZag32(int32_t* value);
  DecodeStatus ReadZigZag64(int64_t* value);

  // A length-delimited field: a varint64 length, then that many bytes into
  // *out (shared) or *view (see "Views"). kNeedMore when the rope ends
  // inside the length or the bytes; kMalformed for a malformed length.
  DecodeStatus ReadLengthDelimited(Rope* out);
  DecodeStatus ReadLengthDelimitedView(std::string* scratch,
                                       absl::string_view* view);

 private:
  // How many chunks Seek/Skip steps through before it descends from the
  // root instead: stepping is cheaper than a descent for a chunk or two
  // (a forward read that lands just past the current chunk), while a far
  // move over many small chunks must not cost O(chunks).
  static constexpr int kMaxSeekSteps = 4;

  size_t rest() const { return static_cast<size_t>(end_ - cur_); }
  // Moves to the next chunk. Requires: the current one is used up and the
  // Rope has a next chunk.
  void NextChunk();
  // Positions the iterator at `pos` by a descent from the root.
  void Reposition(size_t pos);
  // Copies the next n bytes into dest and advances. Requires: n <=
  // remaining().
  void CopyAndAdvance(char* dest, size_t n);
  // Copies bytes straddling chunks for Peek. Requires: in range.
  void PeekSlow(char* dest, size_t n, size_t offset) const;
  template <typename T, bool kBig>
  DecodeStatus ReadFixed(T* value);
  template <typename T, typename Decode>
  DecodeStatus ReadVarint(T* value, Decode decode, size_t max_length);
  DecodeStatus ReadLengthPrefix(uint64_t* length);

  const Rope* rope_ = nullptr;
  Rope::ChunkIterator it_;       // the chunk that holds cur_
  const char* begin_ = nullptr;  // start of *it_
  const char* cur_ = nullptr;    // next unread byte of *it_
  const char* end_ = nullptr;    // end of *it_
  size_t pos_ = 0;
  size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// Implementation details.

inline absl::string_view RopeReader::PeekChunk() {
  if (cur_ == end_ && pos_ < size_) NextChunk();
  return absl::string_view(cur_, rest());
}

inline bool RopeReader::Skip(size_t n) {
  if (ABSL_PREDICT_TRUE(n <= rest())) {
    cur_ += n;
    pos_ += n;
    return true;
  }
  if (n > remaining()) return false;
  Seek(pos_ + n);
  return true;
}

inline bool RopeReader::Retreat(size_t n) {
  if (ABSL_PREDICT_TRUE(n <= static_cast<size_t>(cur_ - begin_))) {
    cur_ -= n;
    pos_ -= n;
    return true;
  }
  if (n > pos_) return false;
  Seek(pos_ - n);
  return true;
}

inline bool RopeReader::Peek(absl::Span<char> dest, size_t offset) const {
  const size_t n = dest.size();
  if (ABSL_PREDICT_TRUE(offset <= rest() && n <= rest() - offset)) {
    if (n != 0) std::memcpy(dest.data(), cur_ + offset, n);
    return true;
  }
  if (offset > remaining() || n > remaining() - offset) return false;
  PeekSlow(dest.data(), n, offset);
  return true;
}

inline bool RopeReader::ReadInto(absl::Span<char> dest) {
  const size_t n = dest.size();
  if (ABSL_PREDICT_TRUE(rest() >= n)) {
    if (n != 0) std::memcpy(dest.data(), cur_, n);
    cur_ += n;
    pos_ += n;
    return true;
  }
  if (n > remaining()) return false;
  CopyAndAdvance(dest.data(), n);
  return true;
}

inline bool RopeReader::ReadView(size_t n, std::string* scratch,
                                 absl::string_view* view) {
  if (ABSL_PREDICT_TRUE(rest() >= n)) {
    *view = absl::string_view(cur_, n);
    cur_ += n;
    pos_ += n;
    return true;
  }
  if (n > remaining()) return false;
  if (scratch->size() < n) scratch->resize(n);
  CopyAndAdvance(&(*scratch)[0], n);
  *view = absl::string_view(scratch->data(), n);
  return true;
}

template <typename T, bool kBig>
DecodeStatus RopeReader::ReadFixed(T* value) {
  char buf[sizeof(T)];
  const char* src = cur_;
  if (ABSL_PREDICT_TRUE(rest() >= sizeof(T))) {
    cur_ += sizeof(T);
    pos_ += sizeof(T);
  } else {
    if (remaining() < sizeof(T)) return DecodeStatus::kNeedMore;
    CopyAndAdvance(buf, sizeof(T));
    src = buf;
  }
  *value = coding_internal::Load<T, kBig>(src);
  return DecodeStatus::kOk;
}

template <typename T>
DecodeStatus RopeReader::ReadBigEndian(T* value) {
  return ReadFixed<T, true>(value);
}

template <typename T>
DecodeStatus RopeReader::ReadLittleEndian(T* value) {
  return ReadFixed<T, false>(value);
}

template <typename T, typename Decode>
DecodeStatus RopeReader::ReadVarint(T* value, Decode decode,
                                    size_t max_length) {
  size_t length;
  const absl::string_view chunk(cur_, rest());
  DecodeStatus status = decode(chunk, value, &length);
  if (ABSL_PREDICT_TRUE(status == DecodeStatus::kOk)) {
    cur_ += length;
    pos_ += length;
    return status;
  }
  if (status == DecodeStatus::kMalformed || chunk.size() == remaining()) {
    return status;
  }
  // The varint straddles a chunk boundary: decode a copy of its bytes.
  char buf[kMaxVarint64Length];
  const size_t n = remaining() < max_length ? remaining() : max_length;
  PeekSlow(buf, n, 0);
  status = decode(absl::string_view(buf, n), value, &length);
  if (status == DecodeStatus::kOk) Skip(length);
  return status;
}

inline DecodeStatus RopeReader::ReadVarint32(uint32_t* value) {
  return ReadVarint(
      value,
      [](absl::string_view in, uint32_t* v, size_t* len) {
        return DecodeVarint32(in, v, len);
      },
      kMaxVarint32Length);
}

inline DecodeStatus RopeReader::ReadVarint64(uint64_t* value) {
  return ReadVarint(
      value,
      [](absl::string_view in, uint64_t* v, size_t* len) {
        return DecodeVarint64(in, v, len);
      },
      kMaxVarint64Length);
}

inline DecodeStatus RopeReader::ReadZigZag32(int32_t* value) {
  uint32_t raw;
  const DecodeStatus status = ReadVarint32(&raw);
  if (status == DecodeStatus::kOk) *value = ZigZagDecode32(raw);
  return status;
}

inline DecodeStatus RopeReader::ReadZigZag64(int64_t* value) {
  uint64_t raw;
  const DecodeStatus status = ReadVarint64(&raw);
  if (status == DecodeStatus::kOk) *value = ZigZagDecode64(raw);
  return status;
}

}  // namespace bytesio

#endif  // BYTESIO_ROPE_READER_H_
