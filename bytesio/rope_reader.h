// Copyright 2026 The bytesio Authors.
//
// RopeReader: a forward cursor over a Rope for parsing binary data: peek,
// skip, read N bytes as a shared Rope, read into caller memory, typed
// big/little-endian integers and varints.
//
// Use it to parse a frame or a message that is already in memory. It keeps
// its place in the chunk sequence, so sequential reads cost O(1) amortised
// (a typed read inside one chunk is a bounds check and a load) instead of the
// O(log k) lookup a read at an offset pays. It does not own the Rope: for a
// stream that is still arriving, use FrameDecoder (frame_decoder.h); for a
// file-like object with Python semantics, BytesIO and bytes_io_coding.h.
//
//   Rope:     [ chunk 0 ......... ][ chunk 1 ... ][ chunk 2 ........ ]
//                       ^cur_  ^end_
//   RopeReader: it_ -> chunk 0, cur_/end_ = unread rest of chunk 0, pos_
//
// Every read is all-or-nothing: a read that asks for more than remains, or
// a varint read that ends in kNeedMore or kMalformed, returns failure and
// leaves the position where it was.
//
// Lifetime: the Rope must outlive the reader and must not be modified while
// the reader is in use (the reader holds views into its chunks). Ropes
// handed out by Read share chunks with the source and stay valid on their
// own. Thread safety: a reader is one thread's object; several readers may
// read one Rope concurrently.

#ifndef BYTESIO_ROPE_READER_H_
#define BYTESIO_ROPE_READER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/coding.h"
#include "bytesio/rope.h"

namespace bytesio {

class RopeReader {
 public:
  // Starts at byte 0 of `rope`. O(log k).
  explicit RopeReader(const Rope& rope ABSL_ATTRIBUTE_LIFETIME_BOUND);

  RopeReader(const RopeReader&) = default;
  RopeReader& operator=(const RopeReader&) = default;

  // Bytes read so far / bytes left.
  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  bool AtEnd() const { return pos_ == size_; }

  // The unread rest of the current chunk: at least one byte unless AtEnd()
  // (steps to the next chunk when the current one is used up; the position
  // does not change). Valid while the Rope is unchanged.
  absl::string_view PeekChunk();

  // Copies the next dest.size() bytes into `dest` without advancing.
  // Returns false (copying nothing) when fewer remain.
  bool Peek(absl::Span<char> dest) const;

  // Advances by `n` bytes. Returns false (not moving) when fewer remain.
  // O(chunks crossed).
  bool Skip(size_t n);

  // Sets *out to the next `n` bytes, sharing the Rope's chunks (copied only
  // below Rope::kMaxBytesToCopy when they span chunks), and advances.
  // Returns false (not moving, *out untouched) when fewer remain.
  // O(log k + chunks crossed).
  bool Read(size_t n, Rope* out);

  // Copies the next dest.size() bytes into `dest` and advances. Returns
  // false (copying nothing, not moving) when fewer remain.
  bool ReadInto(absl::Span<char> dest);

  // Reads one fixed-width integer. T: any integral type but bool. Returns
  // false (not moving) when fewer than sizeof(T) bytes remain.
  template <typename T>
  bool ReadBigEndian(T* value);
  template <typename T>
  bool ReadLittleEndian(T* value);

  // Reads a varint (zigzag for the signed forms). Advances only on kOk; on
  // kNeedMore (the rope ends inside the varint) and kMalformed nothing moves
  // and *value is untouched.
  DecodeStatus ReadVarint32(uint32_t* value);
  DecodeStatus ReadVarint64(uint64_t* value);
  DecodeStatus ReadZigZag32(int32_t* value);
  DecodeStatus ReadZigZag64(int64_t* value);

 private:
  // Moves to the next chunk. Requires: the current one is used up and the
  // Rope has a next chunk.
  void NextChunk();
  // Slow paths, for reads that cross a chunk boundary.
  void CopyAndAdvance(char* dest, size_t n);
  template <typename T, bool kBig>
  bool ReadFixed(T* value);
  template <typename T, typename Decode>
  DecodeStatus ReadVarint(T* value, Decode decode, size_t max_length);

  const Rope* rope_;
  Rope::ChunkIterator it_;  // the chunk that holds cur_
  const char* cur_;         // next unread byte of *it_
  const char* end_;         // end of *it_
  size_t pos_ = 0;
  size_t size_;
};

// ---------------------------------------------------------------------------
// Implementation details.

inline absl::string_view RopeReader::PeekChunk() {
  if (cur_ == end_ && pos_ < size_) NextChunk();
  return absl::string_view(cur_, static_cast<size_t>(end_ - cur_));
}

inline bool RopeReader::ReadInto(absl::Span<char> dest) {
  const size_t n = dest.size();
  if (ABSL_PREDICT_TRUE(static_cast<size_t>(end_ - cur_) >= n)) {
    if (n != 0) std::memcpy(dest.data(), cur_, n);
    cur_ += n;
    pos_ += n;
    return true;
  }
  if (n > remaining()) return false;
  CopyAndAdvance(dest.data(), n);
  return true;
}

template <typename T, bool kBig>
bool RopeReader::ReadFixed(T* value) {
  char buf[sizeof(T)];
  const char* src = cur_;
  if (ABSL_PREDICT_TRUE(static_cast<size_t>(end_ - cur_) >= sizeof(T))) {
    cur_ += sizeof(T);
    pos_ += sizeof(T);
  } else {
    if (remaining() < sizeof(T)) return false;
    CopyAndAdvance(buf, sizeof(T));
    src = buf;
  }
  *value = coding_internal::Load<T, kBig>(src);
  return true;
}

template <typename T>
bool RopeReader::ReadBigEndian(T* value) {
  return ReadFixed<T, true>(value);
}

template <typename T>
bool RopeReader::ReadLittleEndian(T* value) {
  return ReadFixed<T, false>(value);
}

template <typename T, typename Decode>
DecodeStatus RopeReader::ReadVarint(T* value, Decode decode,
                                    size_t max_length) {
  size_t length;
  absl::string_view chunk(cur_, static_cast<size_t>(end_ - cur_));
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
  Peek(absl::Span<char>(buf, n));
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
