// Copyright 2026 The bytesio Authors.
//
// RopeBuffer: one private, writable chunk that is not yet part of any Rope,
// in the shape of absl::CordBuffer. It exists so that bytes can be produced
// straight into the memory a Rope will own (a read(2)/readv(2) target, an
// encoder's output) and then handed over without a copy:
//
//   RopeBuffer buf = rope.GetAppendBuffer(64 * 1024);
//   ssize_t n = read(fd, buf.available().data(), buf.available().size());
//   if (n > 0) buf.IncreaseLength(n);
//   rope.Append(std::move(buf));   // adopts the chunk, no copy
//
//   [ length bytes in use | available() ........ ]   one owned chunk
//
// A RopeBuffer is move-only and owns its chunk; a default or moved-from one
// is empty with no capacity. Not thread-safe (it is one writer's scratch).

#ifndef BYTESIO_ROPE_BUFFER_H_
#define BYTESIO_ROPE_BUFFER_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/internal/chunk.h"

namespace bytesio {

class Rope;

class RopeBuffer {
 public:
  // The largest capacity a buffer may ask for: 64 KiB, the size of the
  // chunks that coalesced appends produce.
  static constexpr size_t kDefaultLimit = size_t{64} << 10;

  // Returns a buffer with room for at least `capacity` bytes (at most
  // kDefaultLimit unless `capacity` asks for more explicitly through
  // CreateWithCapacity). The capacity is rounded up to what malloc's block
  // holds anyway (a multiple of 8 bytes; whole 4 KiB pages from 128 KiB),
  // not to a power of two: a 1,500-byte buffer allocates 1,512 bytes.
  static RopeBuffer CreateWithDefaultLimit(size_t capacity);
  // Same, without the limit. Requires: capacity < 2 GiB.
  static RopeBuffer CreateWithCapacity(size_t capacity);

  RopeBuffer() = default;
  RopeBuffer(RopeBuffer&& other) noexcept
      : chunk_(std::exchange(other.chunk_, nullptr)),
        offset_(std::exchange(other.offset_, 0)),
        length_(std::exchange(other.length_, 0)) {}
  RopeBuffer& operator=(RopeBuffer&& other) noexcept {
    if (this != &other) {
      Reset();
      chunk_ = std::exchange(other.chunk_, nullptr);
      offset_ = std::exchange(other.offset_, 0);
      length_ = std::exchange(other.length_, 0);
    }
    return *this;
  }
  ~RopeBuffer() { Reset(); }

  // Bytes written so far.
  size_t length() const { return length_; }
  // Total room: length() + available().size().
  size_t capacity() const {
    return chunk_ == nullptr ? 0 : chunk_->capacity() - offset_;
  }
  absl::string_view view() const { return {data(), length_}; }
  char* data() { return chunk_ == nullptr ? nullptr : base() + offset_; }
  const char* data() const {
    return chunk_ == nullptr ? nullptr : chunk_->data() + offset_;
  }

  // The writable room after length(). Valid until the buffer is appended,
  // moved from or destroyed.
  absl::Span<char> available() {
    return chunk_ == nullptr
               ? absl::Span<char>()
               : absl::Span<char>(data() + length_, capacity() - length_);
  }

  // Requires: n <= available().size().
  void IncreaseLength(size_t n) {
    assert(n <= capacity() - length_);
    length_ += static_cast<uint32_t>(n);
  }
  // Requires: n <= capacity().
  void SetLength(size_t n) {
    assert(n <= capacity());
    length_ = static_cast<uint32_t>(n);
  }

 private:
  friend class Rope;
  RopeBuffer(internal::Chunk* chunk, uint32_t offset, uint32_t length)
      : chunk_(chunk), offset_(offset), length_(length) {}

  char* base() { return chunk_->mutable_data(); }
  void Reset() {
    if (chunk_ != nullptr) chunk_->Unref();
    chunk_ = nullptr;
    offset_ = length_ = 0;
  }

  internal::Chunk* chunk_ = nullptr;  // owned, unique
  uint32_t offset_ = 0;
  uint32_t length_ = 0;
};

}  // namespace bytesio

#endif  // BYTESIO_ROPE_BUFFER_H_
