// Copyright 2026 The bytesio Authors.
//
// The index under a Rope: a persistent B+-tree whose leaves hold slices
// (chunk, offset, length) and whose inner nodes hold per-child byte counts, so
// any position is found in O(height) = O(log k) steps.
//
//                     Node h=1  [ 96 | 40 ]            sizes per child
//                    /                     \.
//        Node h=0 [s0 s1 s2]          Node h=0 [s3 s4]  slices
//                  |  |   \_____         |       \.
//               chunk A  chunk B \     chunk B   chunk C   (B shared by 2)
//
// Nodes are reference counted like chunks. A node is changed in place only
// while it is unique *and* every node above it on the path is unique; a
// mutation clones shared nodes top-down first (path copying), so a tree that
// shares nodes with another never sees the other's changes. A chunk reached
// through such a unique path is written in place only if the chunk itself is
// unique too: cloning a node adds a reference to every chunk below it, so the
// two checks together are exact.
//
// Every function here takes and returns owned references ("Node*" in, the
// caller's reference is consumed; "Node*" out, the caller owns it). A null
// tree is empty.
//
// Invariants (RopeAccess::CheckInvariants checks each one):
//  1. All leaves are at height 0 and every child of a node of height h has
//     height h - 1.
//  2. Every node has 1..kFanout entries; every non-root inner node has at
//     least two children, and a root that is an inner node too (roots with
//     one child are collapsed). Leaves may hold a single slice.
//  3. Each inner entry's size is the number of bytes under that child.
//  4. No slice is empty, and every slice lies within its chunk's capacity.
//  5. The height is at most kMaxHeight.
//  6. A leaf's data[i] is chunks[i]->data() + the slice's offset, inside
//     the chunk.
// From 2 and 4, a tree of height h holds at least 2^h slices and bytes:
// the height is at most log2 of the slice count, whatever the sequence of
// operations that built it (appends, self-appends, splits, removals).

#ifndef BYTESIO_INTERNAL_BTREE_H_
#define BYTESIO_INTERNAL_BTREE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/strings/string_view.h"
#include "bytesio/internal/chunk.h"

namespace bytesio {
namespace internal {

// A run of bytes inside one chunk. 16 bytes: a slice never spans more than
// 4 GiB - 1, larger runs are several slices. This is how slices travel
// between functions and how a one-slice Rope holds its bytes; a leaf keeps
// the same three facts in a layout made for lookups (Node::leaf below).
struct Slice {
  const Chunk* chunk;
  uint32_t offset;
  uint32_t length;

  const char* data() const { return chunk->data() + offset; }
  absl::string_view view() const { return {data(), length}; }
};

inline constexpr size_t kMaxSliceLength = UINT32_MAX;

// True when `b` continues `a` in the same chunk and the two fit in one
// slice: appending b after a then just lengthens a.
inline bool Adjacent(const Slice& a, const Slice& b) {
  return a.chunk == b.chunk && a.offset + uint64_t{a.length} == b.offset &&
         uint64_t{a.length} + b.length <= kMaxSliceLength;
}

// 16 children per node: a node is 328 bytes (a 336-byte malloc block, 21
// bytes per slice), so cloning a node on a copy-on-write path copies little,
// while a tree of a million chunks is only five levels deep. Cord uses 6 to
// make cloning cheaper still; with 16 the tree is shallower, which is what
// random position lookups pay for.
inline constexpr int kFanout = 16;

// The deepest tree a Rope can hold, so that iterators keep their path in a
// fixed array. Trees share subtrees (r.Append(r) makes a root whose two
// children are one node), so the number of slices is bounded not by memory
// but by the size limit: a tree of height h holds >= 2^h bytes (invariants
// 2 and 4 above) and a Rope holds at most 2^63 - 1 (Rope::kMaxSize), so h <=
// 62. Reachable: 1,024 one-byte slices doubled 47 times are 2^57 bytes in a
// few kilobytes of nodes, at least height 14 even with every node full.
// Exceeding it is a bug in this file; NewInnerWith aborts, in every build.
inline constexpr int kMaxHeight = 62;

// Prints "bytesio: <message>" to stderr and aborts, in every build (also
// with NDEBUG): for broken preconditions and invariants that would otherwise
// corrupt memory.
[[noreturn]] void FatalError(const char* message);

// A leaf keeps its slices as three arrays: the lengths first, all sixteen
// in 64 bytes, so a lookup scans one or two cache lines; then each slice's
// data pointer (chunk->data() + offset, cached), so reading a slice never
// loads the chunk's header (an external chunk's header is one more
// dependent cache miss); the chunk pointers, which only reference counting
// and the single-owner rule need, come last. An inner node keeps its
// children's sizes first for the same reason. 328 bytes either way.
struct Node {
  std::atomic<int32_t> refs;
  uint8_t height;  // 0 for a leaf
  uint8_t count;   // slices or children in use
  union {
    struct {
      uint32_t lengths[kFanout];
      const char* data[kFanout];  // == chunks[i]->data() + offset
      const Chunk* chunks[kFanout];
    } leaf;  // height == 0
    struct {
      uint64_t sizes[kFanout];  // bytes under each child
      Node* children[kFanout];
    } inner;  // height > 0
  };

  bool is_leaf() const { return height == 0; }
  bool IsUnique() const { return refs.load(std::memory_order_acquire) == 1; }
  uint64_t ChildSize(int i) const {
    return is_leaf() ? leaf.lengths[i] : inner.sizes[i];
  }

  // Leaf entries. slice() loads the chunk's header (to find the offset);
  // view() does not.
  absl::string_view view(int i) const {
    return {leaf.data[i], leaf.lengths[i]};
  }
  Slice slice(int i) const {
    return {leaf.chunks[i],
            static_cast<uint32_t>(leaf.data[i] - leaf.chunks[i]->data()),
            leaf.lengths[i]};
  }
  void set_slice(int i, const Slice& s) {
    leaf.lengths[i] = s.length;
    leaf.data[i] = s.data();
    leaf.chunks[i] = s.chunk;
  }
};

// Index of the entry of `node` that holds byte `*pos` of it, with *pos made
// relative to that entry. Requires: *pos < NodeSize(node), so the scan
// stops within `count` entries.
//
// A plain scan, on purpose. Measured against a scan that counts the index
// over all kFanout entries with no data-dependent branch (random lookups in
// 1,000 to 1,000,000 chunks, seek + read in 64 MiB): that one mispredicts
// nothing but runs about twice the instructions per level (80 against 42 on
// average, callgrind), which lost or tied every time here, since on random
// reads the cost is the number of instructions between one cache miss and
// the next, which decides how many misses overlap.
template <typename Size>
inline int FindIn(const Size (&sizes)[kFanout], uint64_t* pos) {
  int i = 0;
  while (*pos >= sizes[i]) *pos -= sizes[i++];
  return i;
}

inline int FindEntry(const Node* node, uint64_t* pos) {
  return node->is_leaf() ? FindIn(node->leaf.lengths, pos)
                         : FindIn(node->inner.sizes, pos);
}

inline void Ref(Node* node) {
  node->refs.fetch_add(1, std::memory_order_relaxed);
}
void Unref(Node* node);  // frees the node and unrefs its children at zero

// Sum of the sizes of the node's entries: O(fanout).
uint64_t NodeSize(const Node* node);

// Appends (prepends) one slice, taking over its chunk reference; the slice is
// merged into its neighbour when both name adjacent bytes of one chunk.
Node* AppendSlice(Node* root, Slice slice);
Node* PrependSlice(Node* root, Slice slice);

// Returns a + b. O(|height(a) - height(b)| + 1) node visits.
Node* Concat(Node* a, uint64_t a_size, Node* b, uint64_t b_size);

// Splits `root` (holding `size` bytes) at `pos`; either side may be null.
std::pair<Node*, Node*> Split(Node* root, uint64_t size, uint64_t pos);

// Returns a new tree holding bytes [pos, pos + n) of `root`, which is not
// consumed: subtrees wholly inside the range are shared, only the nodes on
// the two boundary paths are new. Requires: 0 < n and pos + n <= size.
// O(height) node visits plus the entries copied into new nodes.
Node* CopyRange(const Node* root, uint64_t pos, uint64_t n);

// Writes `data` at `pos` in place when the bytes lie within one slice of a
// unique owned chunk reached through unique nodes; one descent, no cloning.
// Returns false, having changed nothing, otherwise.
bool OverwriteWithinSlice(Node* root, uint64_t pos, absl::string_view data);

// Drops the first (last) `n` bytes in place when the path is unique, freeing
// fully consumed chunks and nodes at once. Requires: n < size. Returns the
// new root, with single-child roots collapsed.
Node* RemovePrefix(Node* root, uint64_t n);
Node* RemoveSuffix(Node* root, uint64_t n);

// Finds the slice holding byte `pos`: slice `index` of `leaf`, at
// `offset_in_slice`. Requires: pos < size of the tree. O(height), touching
// no chunk.
struct Position {
  const Node* leaf;
  int index;
  uint64_t offset_in_slice;

  absl::string_view view() const { return leaf->view(index); }
  const char* data() const { return leaf->leaf.data[index]; }
  uint32_t length() const { return leaf->leaf.lengths[index]; }
  const Chunk* chunk() const { return leaf->leaf.chunks[index]; }
  Slice slice() const { return leaf->slice(index); }
};
Position Find(const Node* root, uint64_t pos);

// Private room after the last slice for in-place appends: makes the right
// spine unique and, when the last slice ends a unique owned chunk with spare
// capacity, returns a pointer to that room and its size. The room is made
// part of the tree only by GrowLast().
struct TailRoom {
  Node* root;   // the (possibly cloned) tree
  char* room;   // null when there is none
  size_t size;  // bytes of room
};
TailRoom GetTailRoom(Node* root);

// The fast path of appending: when the right spine and the last chunk are
// already unique, copies as much of [data, data + n) as fits into the tail
// room in one descent and returns how many bytes it took. Returns 0, having
// changed nothing, when anything on the way is shared (use GetTailRoom).
size_t AppendToUniqueTail(Node* root, const char* data, size_t n);

// Extends the last slice by n bytes written into its tail room.
// Requires: the right spine is unique (GetTailRoom was just called).
void GrowLast(Node* root, size_t n);

// Writes `data` over bytes [pos, pos + data.size()) of `root` (consumed;
// the new root is returned) in one descent: shared nodes on the path are
// cloned, bytes in unique owned chunks are written in place, and runs in
// shared or external chunks are replaced by new owned chunks holding the
// new bytes (everything else stays shared). `data` may be a view of this
// tree's own bytes. Requires: 0 < data.size() and pos + data.size() <=
// size. O(height + slices in the range) node visits.
Node* Overwrite(Node* root, uint64_t pos, absl::string_view data);

// Returns a writable pointer to the only chunk's bytes [0, size) if the tree
// is one unique slice of a unique owned chunk, else null.
char* UniqueFlatData(Node* root);

}  // namespace internal
}  // namespace bytesio

#endif  // BYTESIO_INTERNAL_BTREE_H_
