// Copyright 2026 The bytesio Authors.

#include "bytesio/rope.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <ostream>
#include <unordered_set>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/numeric/bits.h"
#include "bytesio/internal/find.h"

namespace bytesio {

using internal::Adjacent;
using internal::Chunk;
using internal::Node;
using internal::Slice;

namespace {

// Chunk sizes are chosen in malloc blocks, the memory a chunk really costs.
// glibc's malloc (the allocator we tune for) serves a request of n bytes
// from a block of n + 8 rounded up to 16, at least 32 (its 8-byte size word
// in front); requests it serves with mmap (from 128 KiB by default) take
// that block plus 8 more, rounded up to 4 KiB pages. So:
//  - below 128 KiB a request (capacity + our 8-byte header) is rounded up to
//    a multiple of 8. That never moves it into a larger block, it only hands
//    over bytes malloc would pad anyway (1,500 -> 1,504: the 1,520-byte block
//    either way); a multiple of 16 could (1,512 -> 1,520 needs 1,536);
//  - from 128 KiB on, capacities are rounded so that the mmap block is whole
//    pages (c + 32 a multiple of 4 KiB), costing at most 3% when the block
//    comes from the heap after all.
// Rounding to powers of two instead wasted up to half a block: a 1,500-byte
// RopeBuffer took 2 KiB.
constexpr size_t kMallocOverhead = 8;
constexpr size_t kBlockOverhead = Chunk::kHeaderSize + kMallocOverhead;
constexpr size_t kMinCapacity = 32 - kBlockOverhead;  // malloc's least block
constexpr size_t kRequestGranularity = 8;
constexpr size_t kPageSize = size_t{4} << 10;
// Our header, malloc's size word and its 16-byte rounding of the request,
// and the 8 bytes an mmap block adds: checked against glibc 2.36.
constexpr size_t kMmapBlockOverhead = Chunk::kHeaderSize + 24;
constexpr size_t kPageRoundingFrom = size_t{128} << 10;

// Geometric growth of the tail, in blocks: consecutive appends into private
// chunks double the block each time a new one is needed, from 256 bytes to
// 64 KiB, so that n small appends cost O(log n) chunks and a large stream one
// chunk per 64 KiB. 64 KiB is riegeli's cap and the usual socket read size;
// it sits under the mmap threshold, so these blocks recycle in malloc's heap.
// The 256-byte floor applies from the second chunk of a run: the first one
// is sized from the write alone (see NextChunkCapacity).
constexpr size_t kMinGrowthBlock = 256;
constexpr size_t kMaxGrowthBlock = size_t{64} << 10;

// Returns the capacity, at least `needed` (clamped to the owned-chunk limit),
// rounded as the constants above say.
size_t RoundCapacity(size_t needed) {
  needed = std::max(needed, kMinCapacity);
  size_t rounded;
  if (needed + kBlockOverhead < kPageRoundingFrom) {
    rounded = (needed + kRequestGranularity - 1) & ~(kRequestGranularity - 1);
  } else {
    rounded =
        ((needed + kMmapBlockOverhead + kPageSize - 1) & ~(kPageSize - 1)) -
        kMmapBlockOverhead;
  }
  return std::min(rounded, Chunk::kMaxOwnedCapacity);
}

// Compares `n` bytes from two chunk sequences.
int CompareChunks(Rope::ChunkIterator a, Rope::ChunkIterator b, size_t n) {
  absl::string_view ca, cb;
  while (n > 0) {
    if (ca.empty()) {
      ca = *a;
      ++a;
    }
    if (cb.empty()) {
      cb = *b;
      ++b;
    }
    size_t step = std::min({ca.size(), cb.size(), n});
    int r = std::memcmp(ca.data(), cb.data(), step);
    if (r != 0) return r;
    ca.remove_prefix(step);
    cb.remove_prefix(step);
    n -= step;
  }
  return 0;
}

int CompareWithView(Rope::ChunkIterator a, absl::string_view s) {
  while (!s.empty()) {
    absl::string_view c = *a;
    ++a;
    size_t step = std::min(c.size(), s.size());
    int r = std::memcmp(c.data(), s.data(), step);
    if (r != 0) return r;
    s.remove_prefix(step);
  }
  return 0;
}

int CompareSizes(size_t a, size_t b) { return a < b ? -1 : a > b ? 1 : 0; }

// Aborts, in every build, unless a Rope of `size` bytes may grow by `n`.
inline void CheckGrowth(size_t size, size_t n) {
  if (ABSL_PREDICT_FALSE(n > Rope::kMaxSize - size)) {
    internal::FatalError(
        "Rope would grow past Rope::kMaxSize (INT64_MAX bytes)");
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// RopeBuffer

RopeBuffer RopeBuffer::CreateWithDefaultLimit(size_t capacity) {
  return CreateWithCapacity(std::min(capacity, kDefaultLimit));
}

RopeBuffer RopeBuffer::CreateWithCapacity(size_t capacity) {
  return RopeBuffer(Chunk::NewOwned(RoundCapacity(capacity)), 0, 0);
}

// ---------------------------------------------------------------------------
// Construction, copying, destruction

Rope::Rope(absl::string_view data) : Rope() { Append(data); }

void Rope::AdoptString(std::string&& data) {
  if (data.size() <= kMaxBytesToCopy) {
    Append(data);
    return;
  }
  auto* owned = new std::string(std::move(data));
  *this = FromExternal(*owned, [owned] { delete owned; });
}

void Rope::InitFromExternal(Chunk* chunk, size_t size) {
  using internal::ExternalChunk;
  CheckGrowth(0, size);
  if (size <= ExternalChunk::kMaxExternalSpan) {
    kind_ = kSlice;
    rep_.slice = Slice{chunk, 0, static_cast<uint32_t>(size)};
    return;
  }
  // Slices address a chunk with 32-bit offsets: adopt very large memory as
  // several view chunks that share the one releaser.
  const char* data = chunk->data();
  for (size_t done = 0; done < size;) {
    size_t n = std::min(size - done, ExternalChunk::kMaxExternalSpan);
    auto* view = new internal::ExternalViewChunk(data + done, n, chunk);
    AppendSliceRef(Slice{view, 0, static_cast<uint32_t>(n)});
    done += n;
  }
  chunk->Unref();
}

Rope::Rope(const Rope& other) noexcept
    : rep_(other.rep_), kind_(other.kind_), inline_size_(other.inline_size_) {
  if (kind_ == kSlice) rep_.slice.chunk->Ref();
  if (kind_ == kTree) internal::Ref(rep_.tree.root);
}

Rope::Rope(Rope&& other) noexcept
    : rep_(other.rep_), kind_(other.kind_), inline_size_(other.inline_size_) {
  other.kind_ = kInline;
  other.inline_size_ = 0;
}

Rope& Rope::operator=(const Rope& other) noexcept {
  if (this != &other) {
    Rope copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Rope& Rope::operator=(Rope&& other) noexcept {
  if (this != &other) {
    Unref();
    rep_ = other.rep_;
    kind_ = other.kind_;
    inline_size_ = other.inline_size_;
    other.kind_ = kInline;
    other.inline_size_ = 0;
  }
  return *this;
}

Rope::~Rope() { Unref(); }

void Rope::Unref() {
  if (kind_ == kSlice) rep_.slice.chunk->Unref();
  if (kind_ == kTree) internal::Unref(rep_.tree.root);
}

void Rope::Clear() {
  Unref();
  kind_ = kInline;
  inline_size_ = 0;
}

// ---------------------------------------------------------------------------
// Representation changes

size_t Rope::NextChunkCapacity(size_t needed) const {
  // Grow geometrically only from a private owned tail: that is a run of
  // appends, which will likely go on. After inline bytes or a shared or
  // external tail (a Rope appended, a snapshot taken) the next bytes are
  // more likely a small header before the next shared piece, so the run
  // starts again from the size of the write: growing from the rope's size
  // there cost a 64 KiB chunk per header. absl::Cord caps the same growth
  // at 4 KiB per flat; riegeli sizes it from the recent writes.
  size_t block = 0;
  if (kind_ != kInline && !empty()) {
    const Chunk* tail =
        kind_ == kSlice
            ? rep_.slice.chunk
            : internal::Find(rep_.tree.root, rep_.tree.size - 1).chunk();
    if (tail->is_owned() && tail->IsUnique()) {
      block = std::clamp(2 * (tail->capacity() + kBlockOverhead),
                         kMinGrowthBlock, kMaxGrowthBlock);
    }
  }
  return RoundCapacity(
      std::max(needed, block > 0 ? block - kBlockOverhead : 0));
}

void Rope::ToTree() {
  if (kind_ == kTree) return;
  assert(!empty());
  Slice slice;
  if (kind_ == kInline) {
    Chunk* chunk = Chunk::NewOwned(NextChunkCapacity(inline_size_));
    std::memcpy(chunk->mutable_data(), rep_.inline_data, inline_size_);
    slice = Slice{chunk, 0, inline_size_};
  } else {
    slice = rep_.slice;
  }
  kind_ = kTree;
  rep_.tree = TreeRep{internal::AppendSlice(nullptr, slice), slice.length};
}

void Rope::Normalize() {
  if (kind_ != kTree) return;
  Node* root = rep_.tree.root;
  if (root->is_leaf() && root->count == 1) {
    Slice slice = root->slice(0);
    slice.chunk->Ref();
    internal::Unref(root);
    kind_ = kSlice;
    rep_.slice = slice;
  }
}

void Rope::SetTree(Node* root, uint64_t size) {
  if (root == nullptr) {
    kind_ = kInline;
    inline_size_ = 0;
    return;
  }
  kind_ = kTree;
  rep_.tree = TreeRep{root, size};
  Normalize();
}

// ---------------------------------------------------------------------------
// Appending and prepending

void Rope::Append(absl::string_view data) {
  CheckGrowth(size(), data.size());
  // A view of this Rope's own bytes needs no copy first: bytes are only
  // written after the last byte (tail room, new chunks) and no chunk is
  // released, so the view stays valid and unchanged throughout.
  if (kind_ == kTree) {
    // The common case of a large rope growing by small writes.
    size_t fast =
        internal::AppendToUniqueTail(rep_.tree.root, data.data(), data.size());
    rep_.tree.size += fast;
    if (fast == data.size()) return;
    data.remove_prefix(fast);
  }
  if (data.empty()) return;
  if (kind_ == kInline) {
    if (inline_size_ + data.size() <= kMaxInline) {
      std::memcpy(rep_.inline_data + inline_size_, data.data(), data.size());
      inline_size_ += static_cast<uint8_t>(data.size());
      return;
    }
    // Leave inline storage: the inline bytes and as much of `data` as fits
    // go into a first chunk.
    size_t total = inline_size_ + data.size();
    Chunk* chunk = Chunk::NewOwned(NextChunkCapacity(total));
    size_t take = std::min(data.size(), chunk->capacity() - inline_size_);
    char* out = chunk->mutable_data();
    std::memcpy(out, rep_.inline_data, inline_size_);
    std::memcpy(out + inline_size_, data.data(), take);
    rep_.slice = Slice{chunk, 0, static_cast<uint32_t>(inline_size_ + take)};
    kind_ = kSlice;
    data.remove_prefix(take);
    if (data.empty()) return;
  }
  if (kind_ == kSlice) {
    Slice& slice = rep_.slice;
    if (slice.chunk->IsWritable()) {
      size_t end = size_t{slice.offset} + slice.length;
      size_t take = std::min(data.size(), slice.chunk->capacity() - end);
      std::memcpy(const_cast<Chunk*>(slice.chunk)->mutable_data() + end,
                  data.data(), take);
      slice.length += static_cast<uint32_t>(take);
      data.remove_prefix(take);
      if (data.empty()) return;
    }
    ToTree();
  }
  internal::TailRoom tail = internal::GetTailRoom(rep_.tree.root);
  rep_.tree.root = tail.root;
  if (tail.room != nullptr) {
    size_t take = std::min(data.size(), tail.size);
    std::memcpy(tail.room, data.data(), take);
    internal::GrowLast(rep_.tree.root, take);
    rep_.tree.size += take;
    data.remove_prefix(take);
  }
  AppendNewChunks(data);
}

size_t Rope::AppendInPlace(absl::string_view data) {
  CheckGrowth(size(), data.size());
  if (kind_ == kTree) {
    const size_t n =
        internal::AppendToUniqueTail(rep_.tree.root, data.data(), data.size());
    rep_.tree.size += n;
    return n;
  }
  if (kind_ != kSlice || !rep_.slice.chunk->IsWritable()) return 0;
  // As in Append: bytes land after the last byte, so a view of this Rope's
  // own bytes stays valid while it is copied.
  Slice& slice = rep_.slice;
  const size_t end = size_t{slice.offset} + slice.length;
  const size_t take = std::min(data.size(), slice.chunk->capacity() - end);
  if (take == 0) return 0;
  std::memcpy(const_cast<Chunk*>(slice.chunk)->mutable_data() + end,
              data.data(), take);
  slice.length += static_cast<uint32_t>(take);
  return take;
}

char* Rope::AssignUninitializedSlow(size_t n) {
  if (n > kMaxBytesToCopy) {
    internal::FatalError("Rope::AssignUninitialized of more than 511 bytes");
  }
  if (n <= kMaxInline) {
    Unref();
    kind_ = kInline;
    inline_size_ = static_cast<uint8_t>(n);
    return rep_.inline_data;
  }
  Unref();
  // Blocks of powers of two (capped at kMaxBytesToCopy bytes), so that a
  // reused Rope given ever larger values reallocates O(log) times, and a
  // kept one wastes less than half its block.
  size_t block = 32;
  while (block - kBlockOverhead < n) block *= 2;
  const size_t capacity =
      std::max(n, std::min(block - kBlockOverhead, kMaxBytesToCopy));
  Chunk* chunk = Chunk::NewOwned(RoundCapacity(capacity));
  kind_ = kSlice;
  rep_.slice = Slice{chunk, 0, static_cast<uint32_t>(n)};
  return chunk->mutable_data();
}

void Rope::AppendNewChunks(absl::string_view data) {
  while (!data.empty()) {
    Chunk* chunk = Chunk::NewOwned(NextChunkCapacity(data.size()));
    size_t take = std::min(data.size(), chunk->capacity());
    std::memcpy(chunk->mutable_data(), data.data(), take);
    AppendSliceRef(Slice{chunk, 0, static_cast<uint32_t>(take)});
    data.remove_prefix(take);
  }
}

void Rope::AppendSliceRef(Slice slice) {
  if (kind_ == kInline && inline_size_ == 0) {
    kind_ = kSlice;
    rep_.slice = slice;
    return;
  }
  if (kind_ == kSlice && Adjacent(rep_.slice, slice)) {
    rep_.slice.length += slice.length;
    slice.chunk->Unref();
    return;
  }
  ToTree();
  rep_.tree.root = internal::AppendSlice(rep_.tree.root, slice);
  rep_.tree.size += slice.length;
}

void Rope::PrependSliceRef(Slice slice) {
  if (empty()) {
    AppendSliceRef(slice);
    return;
  }
  if (kind_ == kSlice && Adjacent(slice, rep_.slice)) {
    rep_.slice.offset = slice.offset;
    rep_.slice.length += slice.length;
    slice.chunk->Unref();
    return;
  }
  ToTree();
  rep_.tree.root = internal::PrependSlice(rep_.tree.root, slice);
  rep_.tree.size += slice.length;
}

void Rope::AppendTree(Node* root, uint64_t size) {
  if (empty()) {
    Clear();
    SetTree(root, size);
    return;
  }
  ToTree();
  rep_.tree.root = internal::Concat(rep_.tree.root, rep_.tree.size, root, size);
  rep_.tree.size += size;
}

void Rope::PrependTree(Node* root, uint64_t size) {
  if (empty()) {
    Clear();
    SetTree(root, size);
    return;
  }
  ToTree();
  rep_.tree.root = internal::Concat(root, size, rep_.tree.root, rep_.tree.size);
  rep_.tree.size += size;
}

void Rope::Append(const Rope& other) {
  if (other.empty()) return;
  CheckGrowth(size(), other.size());
  if (&other == this) {
    Rope copy(other);
    Append(std::move(copy));
    return;
  }
  if (other.size() <= kMaxBytesToCopy) {
    for (absl::string_view chunk : other.Chunks()) Append(chunk);
    return;
  }
  if (other.kind_ == kSlice) {
    other.rep_.slice.chunk->Ref();
    AppendSliceRef(other.rep_.slice);
  } else {
    internal::Ref(other.rep_.tree.root);
    AppendTree(other.rep_.tree.root, other.rep_.tree.size);
  }
}

void Rope::Append(Rope&& other) {
  if (other.empty()) return;
  CheckGrowth(size(), other.size());
  if (empty()) {
    *this = std::move(other);
    return;
  }
  if (other.size() <= kMaxBytesToCopy) {
    for (absl::string_view chunk : other.Chunks()) Append(chunk);
    other.Clear();
    return;
  }
  Kind kind = other.kind_;
  other.kind_ = kInline;
  other.inline_size_ = 0;
  if (kind == kSlice) {
    AppendSliceRef(other.rep_.slice);
  } else {
    AppendTree(other.rep_.tree.root, other.rep_.tree.size);
  }
}

void Rope::Append(RopeBuffer&& buffer) {
  if (buffer.length() == 0) {
    buffer.Reset();
    return;
  }
  CheckGrowth(size(), buffer.length());
  Slice slice{buffer.chunk_, buffer.offset_, buffer.length_};
  buffer.chunk_ = nullptr;
  buffer.offset_ = buffer.length_ = 0;
  AppendSliceRef(slice);
}

void Rope::Prepend(absl::string_view data) {
  if (data.empty()) return;
  CheckGrowth(size(), data.size());
  // Copied before this Rope changes, so `data` may be a view of it.
  Rope result(data);
  result.Append(std::move(*this));
  *this = std::move(result);
}

void Rope::Prepend(const Rope& other) {
  if (other.empty()) return;
  CheckGrowth(size(), other.size());
  if (other.size() <= kMaxBytesToCopy || empty() || &other == this) {
    Rope result;
    result.Append(other);
    result.Append(std::move(*this));
    *this = std::move(result);
    return;
  }
  if (other.kind_ == kSlice) {
    other.rep_.slice.chunk->Ref();
    PrependSliceRef(other.rep_.slice);
  } else {
    internal::Ref(other.rep_.tree.root);
    PrependTree(other.rep_.tree.root, other.rep_.tree.size);
  }
}

void Rope::AppendZeros(size_t n) {
  CheckGrowth(size(), n);
  const Chunk* zeros = internal::ZeroChunk();
  if (n <= kMaxBytesToCopy) {
    Append(absl::string_view(zeros->data(), n));
    return;
  }
  while (n > 0) {
    size_t take = std::min(n, internal::kZeroChunkSize);
    zeros->Ref();
    AppendSliceRef(Slice{zeros, 0, static_cast<uint32_t>(take)});
    n -= take;
  }
}

// ---------------------------------------------------------------------------
// Sub-ranges and removal

Rope Rope::Subrope(size_t pos, size_t n) const {
  assert(pos <= size());
  n = std::min(n, size() - pos);
  Rope result;
  if (n == 0) return result;
  // The whole rope, when the rules below would share it anyway: one more
  // reference, O(1).
  if (n == size() && n > kMaxBytesToCopy) return *this;
  if (n <= kMaxInline || kind_ == kInline) {
    CopyTo(absl::Span<char>(result.rep_.inline_data, n), pos);
    result.inline_size_ = static_cast<uint8_t>(n);
    return result;
  }
  if (kind_ == kSlice) {
    result.kind_ = kSlice;
    result.rep_.slice =
        Slice{rep_.slice.chunk, static_cast<uint32_t>(rep_.slice.offset + pos),
              static_cast<uint32_t>(n)};
    rep_.slice.chunk->Ref();
    return result;
  }
  internal::Position at = internal::Find(rep_.tree.root, pos);
  if (at.offset_in_slice + n <= at.length()) {
    // One run of one chunk: shared with no allocation at all.
    const Slice slice = at.slice();
    result.kind_ = kSlice;
    result.rep_.slice = Slice{
        slice.chunk, static_cast<uint32_t>(slice.offset + at.offset_in_slice),
        static_cast<uint32_t>(n)};
    slice.chunk->Ref();
    return result;
  }
  if (n <= kMaxBytesToCopy) {
    Chunk* chunk = Chunk::NewOwned(n);
    CopyTo(absl::Span<char>(chunk->mutable_data(), n), pos);
    result.kind_ = kSlice;
    result.rep_.slice = Slice{chunk, 0, static_cast<uint32_t>(n)};
    return result;
  }
  result.SetTree(internal::CopyRange(rep_.tree.root, pos, n), n);
  return result;
}

void Rope::RemovePrefix(size_t n) {
  n = std::min(n, size());
  if (n == 0) return;
  if (n == size()) {
    Clear();
    return;
  }
  size_t left = size() - n;
  if (kind_ == kInline) {
    std::memmove(rep_.inline_data, rep_.inline_data + n, left);
    inline_size_ = static_cast<uint8_t>(left);
    return;
  }
  if (left <= kMaxInline) {
    // Move the few bytes left inline and free the chunks at once.
    char bytes[kMaxInline];
    CopyTo(absl::Span<char>(bytes, left), n);
    Clear();
    std::memcpy(rep_.inline_data, bytes, left);
    inline_size_ = static_cast<uint8_t>(left);
    return;
  }
  if (kind_ == kSlice) {
    rep_.slice.offset += static_cast<uint32_t>(n);
    rep_.slice.length -= static_cast<uint32_t>(n);
    return;
  }
  rep_.tree.root = internal::RemovePrefix(rep_.tree.root, n);
  rep_.tree.size = left;
  Normalize();
}

void Rope::RemoveSuffix(size_t n) {
  n = std::min(n, size());
  if (n == 0) return;
  if (n == size()) {
    Clear();
    return;
  }
  size_t left = size() - n;
  if (kind_ == kInline) {
    inline_size_ = static_cast<uint8_t>(left);
    return;
  }
  if (kind_ == kSlice) {
    rep_.slice.length -= static_cast<uint32_t>(n);
    return;
  }
  rep_.tree.root = internal::RemoveSuffix(rep_.tree.root, n);
  rep_.tree.size = left;
  Normalize();
}

void Rope::Overwrite(size_t pos, absl::string_view data) {
  assert(pos <= size() && data.size() <= size() - pos);
  if (data.empty()) return;
  // `data` may be a view of this Rope's own bytes: in place, memmove; in a
  // tree, internal::Overwrite reads all of it before it writes or releases
  // anything it may lie in.
  if (kind_ == kInline) {
    std::memmove(rep_.inline_data + pos, data.data(), data.size());
    return;
  }
  if (kind_ == kSlice && rep_.slice.chunk->IsWritable()) {
    std::memmove(const_cast<Chunk*>(rep_.slice.chunk)->mutable_data() +
                     rep_.slice.offset + pos,
                 data.data(), data.size());
    return;
  }
  if (kind_ == kTree &&
      internal::OverwriteWithinSlice(rep_.tree.root, pos, data)) {
    return;
  }
  ToTree();
  rep_.tree.root = internal::Overwrite(rep_.tree.root, pos, data);
  Normalize();
}

RopeBuffer Rope::GetAppendBuffer(size_t capacity, size_t min_capacity) {
  if (kind_ == kSlice) {
    const Slice& slice = rep_.slice;
    if (slice.chunk->IsWritable() &&
        slice.chunk->capacity() - slice.offset - slice.length >= min_capacity) {
      RopeBuffer buffer(const_cast<Chunk*>(slice.chunk), slice.offset,
                        slice.length);
      kind_ = kInline;
      inline_size_ = 0;
      return buffer;
    }
  } else if (kind_ == kTree) {
    internal::TailRoom tail = internal::GetTailRoom(rep_.tree.root);
    rep_.tree.root = tail.root;
    if (tail.room != nullptr && tail.size >= min_capacity) {
      Slice last = internal::Find(rep_.tree.root, rep_.tree.size - 1).slice();
      last.chunk->Ref();
      RemoveSuffix(last.length);
      return RopeBuffer(const_cast<Chunk*>(last.chunk), last.offset,
                        last.length);
    }
  }
  return RopeBuffer::CreateWithDefaultLimit(capacity);
}

// ---------------------------------------------------------------------------
// Reading

char Rope::operator[](size_t i) const {
  assert(i < size());
  if (kind_ != kTree) return TryFlat()->data()[i];
  internal::Position at = internal::Find(rep_.tree.root, i);
  return at.data()[at.offset_in_slice];
}

std::optional<absl::string_view> Rope::TryFlat() const {
  switch (kind_) {
    case kInline:
      return absl::string_view(rep_.inline_data, inline_size_);
    case kSlice:
      return rep_.slice.view();
    case kTree:
      break;
  }
  return std::nullopt;
}

absl::string_view Rope::FirstChunk() const {
  if (kind_ != kTree) return *TryFlat();
  const Node* node = rep_.tree.root;
  while (!node->is_leaf()) node = node->inner.children[0];
  return node->view(0);
}

size_t Rope::CopyTo(absl::Span<char> dest, size_t pos) const {
  assert(pos <= size());
  size_t n = std::min(dest.size(), size() - pos);
  if (n == 0) return 0;
  if (kind_ != kTree) {
    std::memcpy(dest.data(), TryFlat()->data() + pos, n);
    return n;
  }
  internal::Position at = internal::Find(rep_.tree.root, pos);
  if (at.offset_in_slice + n <= at.length()) {
    std::memcpy(dest.data(), at.data() + at.offset_in_slice, n);
    return n;
  }
  size_t done = 0;
  for (ChunkIterator it(this, pos); done < n; ++it) {
    size_t take = std::min(it->size(), n - done);
    std::memcpy(dest.data() + done, it->data(), take);
    done += take;
  }
  return n;
}

size_t Rope::Find(char c, size_t pos) const {
  if (pos >= size()) return npos;
  if (kind_ != kTree) {
    absl::string_view flat = *TryFlat();
    const void* hit = std::memchr(flat.data() + pos, c, flat.size() - pos);
    return hit == nullptr ? npos : static_cast<const char*>(hit) - flat.data();
  }
  size_t start = pos;
  for (ChunkIterator it(this, pos); it != ChunkIterator(); ++it) {
    const void* hit = std::memchr(it->data(), c, it->size());
    if (hit != nullptr) {
      return start + (static_cast<const char*>(hit) - it->data());
    }
    start += it->size();
  }
  return npos;
}

size_t Rope::Find(absl::string_view needle, size_t pos) const {
  if (needle.empty()) return pos <= size() ? pos : npos;
  if (needle.size() == 1) return Find(needle[0], pos);
  const size_t m = needle.size();
  if (pos >= size() || size() - pos < m) return npos;
  auto search = [&](absl::string_view hay) -> size_t {
    const size_t hit = internal::FindNeedle(hay, needle);
    return hit == internal::kNotFound ? npos : hit;
  };
  if (kind_ != kTree) {
    size_t at = search(TryFlat()->substr(pos));
    return at == npos ? npos : pos + at;
  }
  // Chunks shorter than kGather are gathered into `gathered` and searched
  // there; longer ones are searched in place, with the m - 1 bytes on each
  // side of their boundaries searched in `gathered`. Each byte is copied at
  // most once and each boundary costs O(m) only next to >= 4m bytes of
  // chunk, so the whole search is O(n + m) whatever the chunk sizes.
  const size_t kGather = std::max<size_t>(4 * m, 4096);
  std::string gathered;
  size_t gathered_at = pos;  // rope position of gathered[0]
  size_t start = pos;        // rope position of the current chunk
  for (ChunkIterator it(this, pos); it != ChunkIterator(); ++it) {
    absl::string_view chunk = *it;
    if (chunk.size() >= kGather) {
      gathered.append(chunk.data(), m - 1);
      size_t at = search(gathered);
      if (at != npos) return gathered_at + at;
      at = search(chunk);
      if (at != npos) return start + at;
      gathered.assign(chunk.data() + chunk.size() - (m - 1), m - 1);
      gathered_at = start + chunk.size() - (m - 1);
    } else {
      gathered.append(chunk.data(), chunk.size());
      if (gathered.size() >= kGather) {
        size_t at = search(gathered);
        if (at != npos) return gathered_at + at;
        size_t drop = gathered.size() - (m - 1);
        gathered.erase(0, drop);
        gathered_at += drop;
      }
    }
    start += chunk.size();
  }
  size_t at = search(gathered);
  return at == npos ? npos : gathered_at + at;
}

bool Rope::StartsWith(absl::string_view prefix) const {
  return prefix.size() <= size() &&
         CompareWithView(ChunkIterator(this, 0), prefix) == 0;
}

bool Rope::StartsWith(const Rope& prefix) const {
  return prefix.size() <= size() &&
         CompareChunks(ChunkIterator(this, 0), ChunkIterator(&prefix, 0),
                       prefix.size()) == 0;
}

bool Rope::EndsWith(absl::string_view suffix) const {
  return suffix.size() <= size() &&
         CompareWithView(ChunkIterator(this, size() - suffix.size()), suffix) ==
             0;
}

bool Rope::EndsWith(const Rope& suffix) const {
  return suffix.size() <= size() &&
         CompareChunks(ChunkIterator(this, size() - suffix.size()),
                       ChunkIterator(&suffix, 0), suffix.size()) == 0;
}

int Rope::Compare(absl::string_view other) const {
  size_t n = std::min(size(), other.size());
  int r = CompareWithView(ChunkIterator(this, 0), other.substr(0, n));
  return r != 0 ? r : CompareSizes(size(), other.size());
}

int Rope::Compare(const Rope& other) const {
  size_t n = std::min(size(), other.size());
  int r = CompareChunks(ChunkIterator(this, 0), ChunkIterator(&other, 0), n);
  return r != 0 ? r : CompareSizes(size(), other.size());
}

absl::string_view Rope::Flatten() {
  if (std::optional<absl::string_view> flat = TryFlat()) return *flat;
  size_t n = size();
  if (n > Chunk::kMaxOwnedCapacity) {
    std::string flat;
    AppendTo(&flat);
    *this = Rope(std::move(flat));
    return absl::string_view(ChunkIterator(this, 0)->data(), n);
  }
  Chunk* chunk = Chunk::NewOwned(n);
  CopyTo(absl::Span<char>(chunk->mutable_data(), n));
  Unref();
  kind_ = kSlice;
  rep_.slice = Slice{chunk, 0, static_cast<uint32_t>(n)};
  return rep_.slice.view();
}

std::string Rope::ToString() const {
  std::string out;
  AppendTo(&out);
  return out;
}

void Rope::AppendTo(std::string* dest) const {
  dest->reserve(dest->size() + size());
  for (absl::string_view chunk : Chunks()) {
    dest->append(chunk.data(), chunk.size());
  }
}

size_t Rope::EstimatedMemoryUsage() const {
  // Like absl::Cord::EstimatedMemoryUsage(kTotalMorePrecise): everything this
  // Rope keeps alive, shared chunks and nodes in full, each once even when
  // the tree reaches it twice (a rope appended to itself shares subtrees;
  // counting per path would also take time exponential in such appends).
  size_t total = sizeof(Rope);
  if (kind_ == kInline) return total;
  std::unordered_set<const void*> seen;
  auto add_slice = [&](const Slice& slice) {
    if (slice.chunk == internal::ZeroChunk()) return;  // static, shared
    if (!seen.insert(slice.chunk).second) return;
    // An owned chunk is one allocation of header + capacity; an external one
    // is its header plus the adopted bytes (not what its releaser holds).
    total += slice.chunk->is_owned()
                 ? Chunk::kHeaderSize + slice.chunk->capacity()
                 : sizeof(internal::ExternalChunk) + slice.chunk->capacity();
  };
  if (kind_ == kSlice) {
    add_slice(rep_.slice);
    return total;
  }
  std::vector<const Node*> stack = {rep_.tree.root};
  seen.insert(rep_.tree.root);
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    total += sizeof(Node);
    for (int i = 0; i < node->count; ++i) {
      if (node->is_leaf()) {
        add_slice(node->slice(i));
      } else if (seen.insert(node->inner.children[i]).second) {
        stack.push_back(node->inner.children[i]);
      }
    }
  }
  return total;
}

// ---------------------------------------------------------------------------
// Iteration

void Rope::ChunkIterator::Reset(const Rope* rope, size_t pos) {
  depth_ = 0;
  bytes_left_ = 0;
  current_ = absl::string_view();
  size_t size = rope->size();
  if (pos >= size) return;  // the end
  switch (rope->kind_) {
    case kInline:
      current_ = absl::string_view(rope->rep_.inline_data + pos, size - pos);
      return;
    case kSlice:
      current_ = rope->rep_.slice.view().substr(pos);
      return;
    case kTree:
      break;
  }
  const Node* node = rope->rep_.tree.root;
  uint64_t offset = pos;
  while (true) {
    const int i = internal::FindEntry(node, &offset);
    path_[depth_] = node;
    index_[depth_] = static_cast<uint8_t>(i);
    ++depth_;
    if (node->is_leaf()) break;
    node = node->inner.children[i];
  }
  current_ = node->view(index_[depth_ - 1]).substr(offset);
  bytes_left_ = size - pos - current_.size();
}

Rope Rope::ChunkIterator::Share(const Rope& rope, const char* data,
                                size_t n) const {
  assert(data >= current_.data() && n <= current_.size() &&
         static_cast<size_t>(data - current_.data()) <= current_.size() - n);
  Rope result;
  if (n <= kMaxInline) {
    if (n != 0) std::memcpy(result.rep_.inline_data, data, n);
    result.inline_size_ = static_cast<uint8_t>(n);
    return result;
  }
  // An inline rope holds at most kMaxInline bytes, so this is a slice or a
  // tree rep.
  const Chunk* chunk = rope.kind_ == kSlice
                           ? rope.rep_.slice.chunk
                           : path_[depth_ - 1]->leaf.chunks[index_[depth_ - 1]];
  chunk->Ref();
  result.kind_ = kSlice;
  result.rep_.slice = Slice{chunk, static_cast<uint32_t>(data - chunk->data()),
                            static_cast<uint32_t>(n)};
  return result;
}

Rope::ChunkIterator& Rope::ChunkIterator::operator++() {
  if (bytes_left_ == 0) {
    *this = ChunkIterator();
    return *this;
  }
  int d = depth_ - 1;
  while (++index_[d] >= path_[d]->count) --d;
  while (!path_[d]->is_leaf()) {
    const Node* child = path_[d]->inner.children[index_[d]];
    ++d;
    path_[d] = child;
    index_[d] = 0;
  }
  current_ = path_[d]->view(index_[d]);
  bytes_left_ -= current_.size();
  return *this;
}

Rope::CharIterator::CharIterator(const Rope* rope) : chunks_(rope, 0) {
  if (chunks_ != ChunkIterator()) {
    pos_ = chunks_->data();
    chunk_end_ = pos_ + chunks_->size();
  }
}

void Rope::CharIterator::NextChunk() {
  ++chunks_;
  if (chunks_ == ChunkIterator()) {
    pos_ = chunk_end_ = nullptr;
    return;
  }
  pos_ = chunks_->data();
  chunk_end_ = pos_ + chunks_->size();
}

// ---------------------------------------------------------------------------
// Free functions

bool operator==(const Rope& a, const Rope& b) {
  return a.size() == b.size() && a.Compare(b) == 0;
}
bool operator==(const Rope& a, absl::string_view b) {
  return a.size() == b.size() && a.Compare(b) == 0;
}
bool operator==(absl::string_view a, const Rope& b) { return b == a; }
bool operator!=(const Rope& a, const Rope& b) { return !(a == b); }
bool operator!=(const Rope& a, absl::string_view b) { return !(a == b); }
bool operator!=(absl::string_view a, const Rope& b) { return !(b == a); }
bool operator<(const Rope& a, const Rope& b) { return a.Compare(b) < 0; }
bool operator<(const Rope& a, absl::string_view b) { return a.Compare(b) < 0; }
bool operator<(absl::string_view a, const Rope& b) { return b.Compare(a) > 0; }

std::ostream& operator<<(std::ostream& out, const Rope& rope) {
  for (absl::string_view chunk : rope.Chunks()) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  return out;
}

}  // namespace bytesio
