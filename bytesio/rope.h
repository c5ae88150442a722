// Copyright 2026 The bytesio Authors.
//
// Rope: an immutable-by-value byte sequence made of shared, reference-counted
// chunks, in the shape of absl::Cord.
//
// Use a Rope where bytes are assembled from pieces, cut into pieces, or kept
// while more arrive: appending another Rope, taking a sub-range and copying a
// Rope move references, not bytes. Use a std::string for small text you edit
// character by character; use absl::string_view for a borrowed range.
//
// Representation. Up to kMaxInline bytes live inside the Rope object. A Rope
// that sees one run of one chunk holds that slice directly. Anything larger
// is a persistent B+-tree of slices (bytesio/internal/btree.h):
//
//    Rope a ──► tree ──► [ slice | slice | slice ]
//                           │       │       │
//                        chunk 1  chunk 2  chunk 3 ◄── slice ◄── Rope b
//                        (64 KiB, (shared  (external:   (b = a.Subrope(..))
//                        tail room) with b) releaser)
//
// Copying a Rope adds one reference; the copies never see each other's
// changes (copy-on-write at chunk and node level). Small writes land in the
// spare tail room of the last chunk while that chunk is private, so a
// thousand 16-byte appends fill one or two chunks, not a thousand.
//
// Costs (n = bytes held, k = chunks): copy O(1); Append/Prepend of a Rope
// O(log k); Subrope O(log k); RemovePrefix/RemoveSuffix O(log k), freeing
// consumed chunks at once; operator[] O(log k); Find linear in bytes scanned.
//
// Thread safety: as for absl::Cord. Const methods may run concurrently on one
// Rope; distinct Ropes may be used from different threads even when they
// share chunks. Mutating one Rope needs external synchronisation.
//
// Views (string_views from Chunks(), Flatten(), iterators) point into the
// Rope's storage: they stay valid until the Rope is next modified, moved
// from or destroyed.

#ifndef BYTESIO_ROPE_H_
#define BYTESIO_ROPE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/internal/btree.h"
#include "bytesio/internal/chunk.h"
#include "bytesio/rope_buffer.h"

namespace bytesio {
namespace internal {
struct RopeAccess;
struct RopeExport;
}  // namespace internal

class Rope {
  // Selects the adopting constructor for std::string rvalues only, so that
  // string literals and views take the copying one. (Private, and first
  // because the public constructor below names it.)
  template <typename T>
  using EnableIfString =
      std::enable_if_t<std::is_same<T, std::string>::value, int>;

 public:
  class ChunkIterator;
  class ChunkRange;
  class CharIterator;

  static constexpr size_t npos = static_cast<size_t>(-1);

  // The largest size a Rope may have: INT64_MAX bytes, so that every size
  // and position fits in an int64_t (BytesIO's positions are int64_t and it
  // refuses to grow past this with OutOfRange). Growing past it is a broken
  // precondition: every growing operation (Append, Prepend, AppendZeros)
  // checks it in all builds and aborts with a message naming kMaxSize.
  // Self-appends reach it with little memory (r.Append(r) shares, so 59 of
  // them take 16 bytes to 2^63).
  static constexpr size_t kMaxSize = static_cast<size_t>(INT64_MAX);

  // Contents of at most this many bytes are stored in the Rope object itself
  // with no allocation (the 16 bytes that otherwise hold a slice or a tree).
  static constexpr size_t kMaxInline = 15;

  // Copy small, share large: appending a Rope of at most this many bytes
  // copies them into the private tail chunk instead of sharing the source's
  // chunks, and a sub-range of at most this many bytes that spans several
  // chunks is copied into one. Below ~512 bytes a shared slice costs more
  // than its bytes (refcount traffic, a tree entry, pinning a large chunk for
  // a few bytes); 511 is absl::Cord's and riegeli's number too.
  static constexpr size_t kMaxBytesToCopy = 511;

  // Creates an empty Rope. No allocation. The representation is zeroed (two
  // stores) so that moving an empty Rope copies defined bytes: a move copies
  // rep_ whole, and an uninitialised one there is undefined behaviour.
  Rope() noexcept : rep_{}, kind_(kInline), inline_size_(0) {}

  // Creates a Rope holding a copy of `data`.
  explicit Rope(absl::string_view data);

  // Creates a Rope that adopts `data`'s buffer without copying when it is
  // larger than kMaxBytesToCopy (the string then lives until the last chunk
  // reference goes); smaller strings are copied.
  // (A template so that a string literal picks the string_view overload.)
  template <typename T, EnableIfString<T> = 0>
  explicit Rope(T&& data);

  // Creates a Rope over `data`, which the caller owns and must keep valid
  // and unchanged until `releaser` runs. `releaser` is called exactly once,
  // with `data` if it accepts an absl::string_view and with no argument
  // otherwise, when the last Rope referencing the memory goes away (at once
  // if `data` is empty). No byte is copied.
  template <typename Releaser>
  static Rope FromExternal(absl::string_view data, Releaser&& releaser);

  Rope(const Rope& other) noexcept;
  Rope(Rope&& other) noexcept;
  Rope& operator=(const Rope& other) noexcept;
  Rope& operator=(Rope&& other) noexcept;
  ~Rope();

  size_t size() const {
    return kind_ == kInline  ? inline_size_
           : kind_ == kSlice ? rep_.slice.length
                             : rep_.tree.size;
  }
  bool empty() const { return size() == 0; }

  // Appends a copy of `data`, first into the private tail room of the last
  // chunk, then into a new chunk. The new chunk is sized from the write
  // when the tail is inline, shared or external; after a private tail it
  // doubles that chunk, from 256 bytes to 64 KiB (a single larger write gets
  // one chunk of its own size).
  // Amortised cost: the memcpy.
  //
  // Every operation below that takes an absl::string_view accepts a view of
  // this Rope's own bytes (as std::string::append and replace do): it acts
  // as if the bytes had been copied first.
  //
  // Requires, for every growing operation: size() + added bytes <= kMaxSize.
  void Append(absl::string_view data);

  // Appends as much of `data` as fits into the private tail room of the last
  // chunk and returns how many bytes that was: 0 when the Rope is inline or
  // its tail is shared, external or full. Adds no chunk and changes no
  // tree shape, so a RopeReader over this Rope stays usable after
  // RopeReader::Extend() (Append may restructure the tree: readers must be
  // reset after it). O(log k) plus the memcpy. `data` may view this Rope.
  size_t AppendInPlace(absl::string_view data);

  // Replaces the contents with n bytes of unspecified value and returns
  // where to write them (valid until the next call on this Rope): for small
  // values assigned in a loop, as a reused std::string is. Reuses this
  // Rope's own storage when it is inline room or a private owned chunk of
  // at least n bytes (no allocation, no atomic operation), else releases
  // the contents and allocates one chunk of about n bytes. Requires: n <=
  // kMaxBytesToCopy (checked in every build).
  char* AssignUninitialized(size_t n);

  // Appends `other` sharing its chunks: O(log k), no byte copied, unless
  // other.size() <= kMaxBytesToCopy, in which case the bytes are copied.
  void Append(const Rope& other);
  void Append(Rope&& other);

  // Appends a buffer filled by the caller (see GetAppendBuffer): the chunk is
  // adopted, never copied.
  void Append(RopeBuffer&& buffer);

  // Prepends, with the same sharing rules as Append. Prepending bytes
  // allocates a chunk for them.
  void Prepend(absl::string_view data);
  void Prepend(const Rope& other);

  // Appends `n` zero bytes. Large runs reference one shared zero chunk, so
  // memory and time are O(n / 1 MiB), not O(n).
  void AppendZeros(size_t n);

  // Returns bytes [pos, pos + n) (clamped to size()) as a Rope that shares
  // the chunks. O(log k). Results of at most kMaxInline bytes are inline;
  // results of at most kMaxBytesToCopy bytes spanning several chunks are
  // copied into one chunk. Requires: pos <= size().
  Rope Subrope(size_t pos, size_t n) const;

  // Removes the first (last) `n` bytes (clamped to size()). O(log k);
  // chunks no longer referenced are freed at once.
  void RemovePrefix(size_t n);
  void RemoveSuffix(size_t n);

  // Makes the Rope empty, releasing its references.
  void Clear();

  // Writes `data` over bytes [pos, pos + data.size()) without changing the
  // size: in place where the touched chunks are private, otherwise only the
  // touched bytes are copied into a new chunk and the rest stays shared.
  // O(log k + data.size()). Requires: pos + data.size() <= size().
  void Overwrite(size_t pos, absl::string_view data);

  // Returns a writable buffer for appending without an intermediate copy: the
  // private tail chunk of this Rope (detached from it, with its current bytes
  // as the buffer's prefix) if it has at least `min_capacity` bytes of room,
  // else a new chunk with room for about `capacity` bytes. Fill it, call
  // SetLength/IncreaseLength, then Append(std::move(buffer)).
  RopeBuffer GetAppendBuffer(size_t capacity, size_t min_capacity = 16);

  // Returns the contents as one view when they are a single run (inline or
  // one slice), else nullopt. O(1); never copies. The view is valid until
  // the Rope is modified or destroyed.
  std::optional<absl::string_view> TryFlat() const
      ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // Returns the first chunk (empty for an empty Rope). O(log k).
  absl::string_view FirstChunk() const ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // A range over the chunks as absl::string_views, never empty ones.
  // Views stay valid until this Rope is modified or destroyed.
  ChunkRange Chunks() const ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // Byte iteration (forward). O(1) amortised per byte.
  CharIterator begin() const ABSL_ATTRIBUTE_LIFETIME_BOUND;
  CharIterator end() const ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // Returns byte `i`. O(log k). Requires: i < size().
  char operator[](size_t i) const;

  // Returns the position of the first occurrence of `c` (of `needle`) at or
  // after `pos`, or npos. Matches that straddle chunk boundaries are found.
  // Linear in the bytes scanned (memchr / memmem within a chunk, plus
  // O(needle.size()) per chunk boundary). An empty needle matches at `pos`
  // when pos <= size().
  size_t Find(char c, size_t pos = 0) const;
  size_t Find(absl::string_view needle, size_t pos = 0) const;

  bool StartsWith(absl::string_view prefix) const;
  bool StartsWith(const Rope& prefix) const;
  bool EndsWith(absl::string_view suffix) const;
  bool EndsWith(const Rope& suffix) const;

  // Lexicographic comparison of unsigned bytes: <0, 0 or >0. Linear.
  int Compare(absl::string_view other) const;
  int Compare(const Rope& other) const;

  // Returns the contents as one contiguous view. O(1) when they already are
  // one run (inline or one chunk); otherwise copies them once into one chunk
  // that replaces the current representation.
  absl::string_view Flatten() ABSL_ATTRIBUTE_LIFETIME_BOUND;

  // Copies bytes [pos, pos + dest.size()) (clamped to size()) into `dest`
  // and returns how many were copied. Requires: pos <= size().
  size_t CopyTo(absl::Span<char> dest, size_t pos = 0) const;

  // Returns a copy of the contents; AppendTo appends them to *dest.
  std::string ToString() const;
  void AppendTo(std::string* dest) const;

  // Bytes of memory this Rope holds or references: sizeof(Rope) plus its
  // tree nodes and chunks (each chunk counted whole and once, shared ones
  // in full, the static zero chunk not at all), for diagnostics. O(k).
  size_t EstimatedMemoryUsage() const;

  // Consistent with absl::Hash<absl::string_view> of the same bytes.
  template <typename H>
  friend H AbslHashValue(H state, const Rope& rope);

  // ---- Added for the one cursor (RopeReader, rope_reader.h). ----
  // Returns a chunk iterator positioned at byte `pos`: its first chunk is
  // cut to start there (the end iterator when pos >= size()). O(log k); the
  // cursor uses it to seek, and to step back across a chunk boundary.
  ChunkIterator ChunksAt(size_t pos) const ABSL_ATTRIBUTE_LIFETIME_BOUND;
  // ---- End of the cursor's block. ----

 private:
  friend struct internal::RopeAccess;  // tests' inspectors
  friend struct internal::RopeExport;  // BytesIO::GetBuffer
  friend class ChunkIterator;

  enum Kind : uint8_t { kInline, kSlice, kTree };

  struct TreeRep {
    internal::Node* root;
    uint64_t size;
  };

  void InitFromExternal(internal::Chunk* chunk, size_t size);
  void AdoptString(std::string&& data);
  void Unref();
  // AssignUninitialized's cases other than reusing a private chunk.
  char* AssignUninitializedSlow(size_t n);
  // Turns an inline or slice rep into a tree rep (no-op for trees).
  void ToTree();
  // Turns a tree that holds one slice into a slice rep and a small tree
  // into inline bytes.
  void Normalize();
  void SetTree(internal::Node* root, uint64_t size);
  void AppendTree(internal::Node* root, uint64_t size);
  void PrependTree(internal::Node* root, uint64_t size);
  void AppendSliceRef(internal::Slice slice);
  void PrependSliceRef(internal::Slice slice);
  void AppendNewChunks(absl::string_view data);
  size_t NextChunkCapacity(size_t needed) const;

  union {
    char inline_data[16];
    internal::Slice slice;
    TreeRep tree;
  } rep_;
  Kind kind_;
  uint8_t inline_size_;
};

bool operator==(const Rope& a, const Rope& b);
bool operator==(const Rope& a, absl::string_view b);
bool operator==(absl::string_view a, const Rope& b);
bool operator!=(const Rope& a, const Rope& b);
bool operator!=(const Rope& a, absl::string_view b);
bool operator!=(absl::string_view a, const Rope& b);
bool operator<(const Rope& a, const Rope& b);
bool operator<(const Rope& a, absl::string_view b);
bool operator<(absl::string_view a, const Rope& b);

// Writes the bytes, chunk by chunk, with no flattening.
std::ostream& operator<<(std::ostream& out, const Rope& rope);

// Iterates over a Rope's chunks. Holds the path from the root in a fixed
// array (no allocation). Invalidated by any change to the Rope.
class Rope::ChunkIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = absl::string_view;
  using difference_type = std::ptrdiff_t;
  using pointer = const absl::string_view*;
  using reference = absl::string_view;

  ChunkIterator() = default;

  absl::string_view operator*() const { return current_; }
  const absl::string_view* operator->() const { return &current_; }
  ChunkIterator& operator++();
  ChunkIterator operator++(int) {
    ChunkIterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const ChunkIterator& a, const ChunkIterator& b) {
    return a.bytes_left_ == b.bytes_left_ &&
           a.current_.data() == b.current_.data();
  }
  friend bool operator!=(const ChunkIterator& a, const ChunkIterator& b) {
    return !(a == b);
  }

 private:
  friend class Rope;
  friend class Rope::CharIterator;
  friend class RopeReader;
  // Positions the iterator at byte `pos` (the end when pos >= size()): the
  // first chunk is cut to start there. O(log k).
  ChunkIterator(const Rope* rope, size_t pos) { Reset(rope, pos); }
  // The same, in place: the cursor repositions without copying the path.
  void Reset(const Rope* rope, size_t pos);
  // A Rope of the n bytes at `data`, which lie in the current chunk of this
  // iterator over `rope`: they share that chunk (copied when n <=
  // kMaxInline), as Subrope would, without a descent from the root.
  Rope Share(const Rope& rope, const char* data, size_t n) const;
  // Takes in n bytes the Rope gained by AppendInPlace: they extend the
  // current chunk when it is the last one, else lie beyond it. Requires:
  // not at the end.
  void Grow(size_t n) {
    if (bytes_left_ == 0) {
      current_ = absl::string_view(current_.data(), current_.size() + n);
    } else {
      bytes_left_ += n;
    }
  }

  absl::string_view current_;
  size_t bytes_left_ = 0;  // bytes after current_
  int depth_ = 0;
  // Only entries [0, depth_) are meaningful. Left uninitialised on purpose:
  // iterators are built on hot paths (header peeks, CopyTo, Find) and zeroing
  // ~160 bytes each time showed up in profiles of small-frame decoding.
  // Entry indexes fit a byte (kFanout is 16), which keeps the arrays, sized
  // for the deepest possible tree, at about 570 bytes.
  const internal::Node* path_[internal::kMaxHeight + 1];
  uint8_t index_[internal::kMaxHeight + 1];
};

class Rope::ChunkRange {
 public:
  ChunkIterator begin() const { return ChunkIterator(rope_, 0); }
  ChunkIterator end() const { return ChunkIterator(); }

 private:
  friend class Rope;
  explicit ChunkRange(const Rope* rope) : rope_(rope) {}
  const Rope* rope_;
};

// Forward iterator over bytes.
class Rope::CharIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CharIterator() = default;

  reference operator*() const { return *pos_; }
  pointer operator->() const { return pos_; }
  CharIterator& operator++() {
    if (++pos_ == chunk_end_) NextChunk();
    return *this;
  }
  CharIterator operator++(int) {
    CharIterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const CharIterator& a, const CharIterator& b) {
    return a.pos_ == b.pos_;
  }
  friend bool operator!=(const CharIterator& a, const CharIterator& b) {
    return a.pos_ != b.pos_;
  }

 private:
  friend class Rope;
  explicit CharIterator(const Rope* rope);
  void NextChunk();

  ChunkIterator chunks_;
  const char* pos_ = nullptr;  // null at the end
  const char* chunk_end_ = nullptr;
};

// ---------------------------------------------------------------------------
// Implementation details.

template <typename Releaser>
Rope Rope::FromExternal(absl::string_view data, Releaser&& releaser) {
  Rope rope;
  if (data.empty()) {
    if constexpr (std::is_invocable_v<std::decay_t<Releaser>&,
                                      absl::string_view>) {
      releaser(data);
    } else {
      releaser();
    }
    return rope;
  }
  auto* chunk = new internal::ExternalChunkWithReleaser<Releaser>(
      data.data(), data.size(), std::forward<Releaser>(releaser));
  rope.InitFromExternal(chunk, data.size());
  return rope;
}

inline char* Rope::AssignUninitialized(size_t n) {
  // The loop case, inline: a private chunk that holds n bytes is reused.
  if (kind_ == kSlice && n > kMaxInline && n <= kMaxBytesToCopy) {
    internal::Chunk* chunk = const_cast<internal::Chunk*>(rep_.slice.chunk);
    if (chunk->IsWritable() && chunk->capacity() >= n) {
      rep_.slice = internal::Slice{chunk, 0, static_cast<uint32_t>(n)};
      return chunk->mutable_data();
    }
  }
  return AssignUninitializedSlow(n);
}

inline Rope::ChunkRange Rope::Chunks() const { return ChunkRange(this); }

// The cursor's block (see ChunksAt above).
inline Rope::ChunkIterator Rope::ChunksAt(size_t pos) const {
  return ChunkIterator(this, pos);
}

template <typename H>
H AbslHashValue(H state, const Rope& rope) {
  typename H::AbslInternalPiecewiseCombiner combiner;
  for (absl::string_view chunk : rope.Chunks()) {
    state = combiner.add_buffer(std::move(state), chunk.data(), chunk.size());
  }
  return H::combine(combiner.finalize(std::move(state)), rope.size());
}

template <typename T, Rope::EnableIfString<T>>
Rope::Rope(T&& data) : Rope() {
  AdoptString(std::move(data));
}
inline Rope::CharIterator Rope::begin() const { return CharIterator(this); }
inline Rope::CharIterator Rope::end() const { return CharIterator(); }

}  // namespace bytesio

// std::hash<Rope>, for std::unordered_set<Rope> and friends: the same value
// as absl::Hash<Rope>, so equal Ropes hash alike whatever their chunking.
// Linear in the bytes.
template <>
struct std::hash<bytesio::Rope> {
  size_t operator()(const bytesio::Rope& rope) const {
    return absl::Hash<bytesio::Rope>()(rope);
  }
};

#endif  // BYTESIO_ROPE_H_
