// Copyright 2026 The bytesio Authors.
//
// Chunk: the unit of storage under a Rope. One allocation holds a small header
// and the bytes (an "owned" chunk), or the header points at memory somebody
// else owns and calls a releaser exactly once when the last reference goes (an
// "external" chunk).
//
//   owned:     [ refs | cap|0 ][ bytes ........ spare tail room ]
//                8-byte header   `capacity` bytes, written in place only
//                                while the chunk is unique
//
//   external:  [ refs | 0|1 ][ data, size, destroy ] ---> caller's memory
//
// A chunk never knows which of its bytes are in use: a Slice (chunk, offset,
// length) names the bytes a rope sees. While the reference count is exactly
// one the single holder may write anywhere in an owned chunk's capacity; once
// shared, the chunk is immutable (the single-owner rule). The count is atomic,
// so ropes that share chunks may live on different threads.

#ifndef BYTESIO_INTERNAL_CHUNK_H_
#define BYTESIO_INTERNAL_CHUNK_H_

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/string_view.h"

namespace bytesio {
namespace internal {

class Chunk {
 public:
  // Owned chunks are limited to 2 GiB - 1 so that the capacity and the kind
  // share one 32-bit word and the header stays at 8 bytes.
  static constexpr size_t kMaxOwnedCapacity = (size_t{1} << 31) - 1;

  // Header bytes in front of an owned chunk's data.
  static constexpr size_t kHeaderSize = 8;

  // Returns a new owned chunk with room for `capacity` bytes and one reference.
  // The bytes are uninitialised. Requires: capacity <= kMaxOwnedCapacity.
  static Chunk* NewOwned(size_t capacity);

  Chunk(const Chunk&) = delete;
  Chunk& operator=(const Chunk&) = delete;

  void Ref() const { refs_.fetch_add(1, std::memory_order_relaxed); }

  // Drops one reference; the last one frees an owned chunk or runs an
  // external chunk's releaser.
  void Unref() const {
    // A count of one can only be observed by its sole holder, so the atomic
    // read-modify-write may be skipped (Abseil's refcount does the same).
    if (refs_.load(std::memory_order_acquire) == 1 ||
        refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      Destroy();
    }
  }

  // True when the caller's reference is the only one: the chunk may then be
  // written in place.
  bool IsUnique() const { return refs_.load(std::memory_order_acquire) == 1; }

  bool is_owned() const { return (bits_ & kExternalBit) == 0; }

  // True when the caller may write the bytes in place (the single-owner
  // rule): an owned chunk whose only reference is the caller's.
  bool IsWritable() const { return is_owned() && IsUnique(); }

  // Bytes the chunk may hold: an owned chunk's allocation, an external
  // chunk's size.
  size_t capacity() const;

  const char* data() const;

  // Requires: IsWritable().
  char* mutable_data() {
    assert(is_owned());
    return reinterpret_cast<char*>(this) + kHeaderSize;
  }

  int32_t refcount_for_testing() const {
    return refs_.load(std::memory_order_relaxed);
  }

 protected:
  static constexpr uint32_t kExternalBit = uint32_t{1} << 31;

  explicit Chunk(uint32_t bits) : refs_(1), bits_(bits) {}
  ~Chunk() = default;

 private:
  void Destroy() const;

  mutable std::atomic<int32_t> refs_;
  uint32_t bits_;  // owned: capacity; external: kExternalBit
};

static_assert(sizeof(Chunk) == Chunk::kHeaderSize, "chunk header grew");

// An external chunk: adopts `size` bytes at `data` and calls `destroy` (which
// runs the caller's releaser and frees this header) when the last reference
// goes. Slices index a chunk with 32-bit offsets, so memory larger than
// kMaxExternalSpan is adopted as several ExternalViewChunks that each hold a
// reference to the one owner (see Rope::InitFromExternal).
class ExternalChunk : public Chunk {
 public:
  static constexpr size_t kMaxExternalSpan = (size_t{1} << 31);

  const char* external_data() const { return data_; }
  size_t external_size() const { return size_; }

 protected:
  using DestroyFn = void (*)(ExternalChunk*);
  ExternalChunk(const char* data, size_t size, DestroyFn destroy)
      : Chunk(kExternalBit), data_(data), size_(size), destroy_(destroy) {}
  ~ExternalChunk() = default;

 private:
  friend class Chunk;
  const char* data_;
  size_t size_;
  DestroyFn destroy_;
};

// Holds any callable releaser; calls it with the adopted bytes when it takes
// a string_view, otherwise with no argument.
template <typename Releaser>
class ExternalChunkWithReleaser final : public ExternalChunk {
 public:
  ExternalChunkWithReleaser(const char* data, size_t size, Releaser&& releaser)
      : ExternalChunk(data, size, &DestroyImpl),
        releaser_(std::forward<Releaser>(releaser)) {}

 private:
  static void DestroyImpl(ExternalChunk* base) {
    auto* self = static_cast<ExternalChunkWithReleaser*>(base);
    if constexpr (std::is_invocable_v<std::decay_t<Releaser>&,
                                      absl::string_view>) {
      self->releaser_(
          absl::string_view(self->external_data(), self->external_size()));
    } else {
      self->releaser_();
    }
    delete self;
  }

  std::decay_t<Releaser> releaser_;
};

// A view of part of a larger external chunk; keeps the owner alive.
class ExternalViewChunk final : public ExternalChunk {
 public:
  ExternalViewChunk(const char* data, size_t size, const Chunk* owner)
      : ExternalChunk(data, size, &DestroyImpl), owner_(owner) {
    owner_->Ref();
  }

 private:
  static void DestroyImpl(ExternalChunk* base) {
    auto* self = static_cast<ExternalViewChunk*>(base);
    self->owner_->Unref();
    delete self;
  }
  const Chunk* owner_;
};

// Returns the shared, immortal chunk of kZeroChunkSize zero bytes used to
// fill gaps without allocating them. It is never unique, so never written.
// 1 MiB: a gap costs one 16-byte slice per MiB, and the zeros sit in .bss,
// which costs no memory until read.
inline constexpr size_t kZeroChunkSize = size_t{1} << 20;
const Chunk* ZeroChunk();

inline size_t Chunk::capacity() const {
  if (is_owned()) return bits_;
  return static_cast<const ExternalChunk*>(this)->external_size();
}

inline const char* Chunk::data() const {
  if (is_owned()) return reinterpret_cast<const char*>(this) + kHeaderSize;
  return static_cast<const ExternalChunk*>(this)->external_data();
}

}  // namespace internal
}  // namespace bytesio

#endif  // BYTESIO_INTERNAL_CHUNK_H_
