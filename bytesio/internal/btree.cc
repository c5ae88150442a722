// Copyright 2026 The bytesio Authors.

#include "bytesio/internal/btree.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace bytesio {
namespace internal {
namespace {

Node* AllocNode(int height) {
  Node* node = new Node;
  node->refs.store(1, std::memory_order_relaxed);
  node->height = static_cast<uint8_t>(height);
  node->count = 0;
  return node;
}

// Shrinks `node` to its first `count` entries, whose references were
// dropped or handed on.
void Truncate(Node* node, int count) {
  node->count = static_cast<uint8_t>(count);
}

// Moves entries [from, from + n) of `node` to [to, to + n) (ranges may
// overlap); the vacated entries are left as they were.
void MoveEntries(Node* node, int to, int from, int n) {
  if (node->is_leaf()) {
    std::memmove(node->leaf.lengths + to, node->leaf.lengths + from,
                 n * sizeof(uint32_t));
    std::memmove(node->leaf.data + to, node->leaf.data + from,
                 n * sizeof(const char*));
    std::memmove(node->leaf.chunks + to, node->leaf.chunks + from,
                 n * sizeof(const Chunk*));
  } else {
    std::memmove(node->inner.sizes + to, node->inner.sizes + from,
                 n * sizeof(uint64_t));
    std::memmove(node->inner.children + to, node->inner.children + from,
                 n * sizeof(Node*));
  }
}

// Frees the node itself; its entries' references have been handed on.
void FreeShell(Node* node) { delete node; }

void RefEntry(const Node* node, int i) {
  if (node->is_leaf()) {
    node->leaf.chunks[i]->Ref();
  } else {
    Ref(node->inner.children[i]);
  }
}

void UnrefEntry(const Node* node, int i) {
  if (node->is_leaf()) {
    node->leaf.chunks[i]->Unref();
  } else {
    Unref(node->inner.children[i]);
  }
}

// Returns a unique copy of `node` (consuming the caller's reference), or
// `node` itself when it is already unique.
Node* MakeUnique(Node* node) {
  if (node->IsUnique()) return node;
  Node* copy = AllocNode(node->height);
  const int n = copy->count = node->count;
  if (node->is_leaf()) {
    std::memcpy(copy->leaf.lengths, node->leaf.lengths, n * sizeof(uint32_t));
    std::memcpy(copy->leaf.data, node->leaf.data, n * sizeof(const char*));
    std::memcpy(copy->leaf.chunks, node->leaf.chunks, n * sizeof(Chunk*));
  } else {
    std::memcpy(copy->inner.sizes, node->inner.sizes, n * sizeof(uint64_t));
    std::memcpy(copy->inner.children, node->inner.children, n * sizeof(Node*));
  }
  for (int i = 0; i < node->count; ++i) RefEntry(node, i);
  Unref(node);
  return copy;
}

// Moves entry `from_index` of `from` to position `to_index` of `to` (both of
// one height), taking a new reference unless `steal`.
void CopyEntry(Node* to, int to_index, const Node* from, int from_index,
               bool steal) {
  if (from->is_leaf()) {
    to->leaf.lengths[to_index] = from->leaf.lengths[from_index];
    to->leaf.data[to_index] = from->leaf.data[from_index];
    to->leaf.chunks[to_index] = from->leaf.chunks[from_index];
  } else {
    to->inner.children[to_index] = from->inner.children[from_index];
    to->inner.sizes[to_index] = from->inner.sizes[from_index];
  }
  if (!steal) RefEntry(from, from_index);
}

// Opens a gap of `n` entries at `index` (entries after it move right).
void OpenGap(Node* node, int index, int n) {
  MoveEntries(node, index + n, index, node->count - index);
  node->count = static_cast<uint8_t>(node->count + n);
}

// Removes entries [index, index + n), whose references were already dropped
// or handed on (entries after them move left).
void CloseGap(Node* node, int index, int n) {
  MoveEntries(node, index, index + n, node->count - index - n);
  Truncate(node, node->count - n);
}

// The two ends of a tree, for operations written once for both.
enum class Edge { kFront, kBack };

// Index of the entry `i` places in from `edge` (0 is the edge entry).
template <Edge edge>
int FromEdge(const Node* node, int i) {
  return edge == Edge::kFront ? i : node->count - 1 - i;
}

// Removes entries [0, n) counted from `edge`; their references were already
// dropped or handed on.
template <Edge edge>
void CloseEdge(Node* node, int n) {
  CloseGap(node, edge == Edge::kFront ? 0 : node->count - n, n);
}

// Joins `edge_tree` (the part nearest the edge) and `rest` in edge order.
template <Edge edge>
Node* JoinAtEdge(Node* edge_tree, uint64_t edge_size, Node* rest,
                 uint64_t rest_size) {
  return edge == Edge::kFront ? Concat(edge_tree, edge_size, rest, rest_size)
                              : Concat(rest, rest_size, edge_tree, edge_size);
}

// The only place a tree grows taller.
Node* NewInnerWith(Node* a, uint64_t a_size, Node* b, uint64_t b_size) {
  if (a->height >= kMaxHeight) FatalError("tree height exceeds kMaxHeight");
  Node* root = AllocNode(a->height + 1);
  root->count = 2;
  root->inner.children[0] = a;
  root->inner.sizes[0] = a_size;
  root->inner.children[1] = b;
  root->inner.sizes[1] = b_size;
  return root;
}

// What InsertEntry places: a slice in a leaf, a child and its size in an
// inner node.
struct Entry {
  Slice slice;
  Node* child;
  uint64_t size;
};

Entry SliceEntry(Slice slice) { return {slice, nullptr, 0}; }
Entry ChildEntry(Node* child, uint64_t size) { return {{}, child, size}; }

void SetEntry(Node* node, int index, const Entry& entry) {
  if (node->is_leaf()) {
    node->set_slice(index, entry.slice);
  } else {
    node->inner.children[index] = entry.child;
    node->inner.sizes[index] = entry.size;
  }
}

// Inserts `entry` at `index` of the unique node `node`, taking over its
// reference; on overflow splits `node` and returns the new right sibling.
Node* InsertEntry(Node* node, int index, const Entry& entry) {
  if (node->count < kFanout) {
    OpenGap(node, index, 1);
    SetEntry(node, index, entry);
    return nullptr;
  }
  Node* right = AllocNode(node->height);
  if (index == kFanout) {
    // Appending at the end (the common case when a rope grows at the back)
    // keeps the left node (nearly) full. A new leaf may hold one slice; a
    // new inner node takes the last child too, as it needs two.
    const int moved = node->is_leaf() ? 0 : 1;
    for (int i = 0; i < moved; ++i) {
      CopyEntry(right, i, node, kFanout - moved + i, /*steal=*/true);
    }
    Truncate(node, kFanout - moved);
    right->count = static_cast<uint8_t>(moved + 1);
    SetEntry(right, moved, entry);
    return right;
  }
  // Otherwise split in the middle.
  const int keep = kFanout / 2;
  for (int i = keep; i < node->count; ++i) {
    CopyEntry(right, i - keep, node, i, /*steal=*/true);
  }
  right->count = static_cast<uint8_t>(node->count - keep);
  Truncate(node, keep);
  Node* target = index <= keep ? node : right;
  const int at = index <= keep ? index : index - keep;
  OpenGap(target, at, 1);
  SetEntry(target, at, entry);
  return right;
}

// Adds `slice` at `edge` of the unique node `node`, taking over its chunk
// reference; it lengthens the edge slice when it continues it. Returns a
// split-off right sibling of `node`, or null.
template <Edge edge>
Node* AddSliceRec(Node* node, Slice slice) {
  const int i = FromEdge<edge>(node, 0);
  if (node->is_leaf()) {
    const Slice end = node->slice(i);
    if (edge == Edge::kBack ? Adjacent(end, slice) : Adjacent(slice, end)) {
      if (edge == Edge::kFront) node->leaf.data[i] = slice.data();
      node->leaf.lengths[i] += slice.length;
      slice.chunk->Unref();
      return nullptr;
    }
    if (edge == Edge::kBack && node->count < kFanout) {
      node->set_slice(node->count++, slice);  // the hot case of appending
      return nullptr;
    }
    return InsertEntry(node, edge == Edge::kBack ? node->count : 0,
                       SliceEntry(slice));
  }
  Node* child = node->inner.children[i] = MakeUnique(node->inner.children[i]);
  Node* sibling = AddSliceRec<edge>(child, slice);
  if (sibling == nullptr) {
    node->inner.sizes[i] += slice.length;
    return nullptr;
  }
  // The child split: `sibling` is its right part (which holds the slice
  // when adding at the back).
  const uint64_t sibling_size = NodeSize(sibling);
  node->inner.sizes[i] = node->inner.sizes[i] + slice.length - sibling_size;
  return InsertEntry(node, i + 1, ChildEntry(sibling, sibling_size));
}

// Moves the entries of `from` (consumed; of the height of `to`) to the
// `edge` side of the unique node `to`, coalescing the seam of two leaves.
// Requires: the entries fit in one node.
template <Edge edge>
void Merge(Node* to, Node* from) {
  const bool steal = from->IsUnique();
  const int n = from->count;
  const int at = edge == Edge::kBack ? to->count : 0;
  OpenGap(to, at, n);
  for (int i = 0; i < n; ++i) CopyEntry(to, at + i, from, i, steal);
  if (steal) {
    FreeShell(from);
  } else {
    Unref(from);
  }
  const int seam = edge == Edge::kBack ? at : n;  // first entry after it
  if (to->is_leaf() && seam > 0 && seam < to->count &&
      Adjacent(to->slice(seam - 1), to->slice(seam))) {
    to->leaf.lengths[seam - 1] += to->leaf.lengths[seam];
    to->leaf.chunks[seam]->Unref();
    CloseGap(to, seam, 1);
  }
}

// Inserts the tree `sub` (lower than the unique node `node`) at `edge` of
// `node`. Returns a split-off right sibling of `node`, or null.
template <Edge edge>
Node* AddTreeRec(Node* node, Node* sub, uint64_t sub_size) {
  const int i = FromEdge<edge>(node, 0);
  if (node->height == sub->height + 1) {
    Node* child = node->inner.children[i];
    if (child->count + sub->count <= kFanout) {
      child = node->inner.children[i] = MakeUnique(child);
      Merge<edge>(child, sub);
      node->inner.sizes[i] += sub_size;
      return nullptr;
    }
    return InsertEntry(node, edge == Edge::kBack ? node->count : 0,
                       ChildEntry(sub, sub_size));
  }
  Node* child = node->inner.children[i] = MakeUnique(node->inner.children[i]);
  Node* sibling = AddTreeRec<edge>(child, sub, sub_size);
  if (sibling == nullptr) {
    node->inner.sizes[i] += sub_size;
    return nullptr;
  }
  const uint64_t sibling_size = NodeSize(sibling);
  node->inner.sizes[i] = node->inner.sizes[i] + sub_size - sibling_size;
  return InsertEntry(node, i + 1, ChildEntry(sibling, sibling_size));
}

// The root level of AddSliceRec and AddTreeRec: `root` and the right
// sibling split off it, if any, under a new root.
Node* Grow(Node* root, Node* sibling) {
  if (sibling == nullptr) return root;
  return NewInnerWith(root, NodeSize(root), sibling, NodeSize(sibling));
}

// A node of `height` holding entries [begin, end) of `node` (a reference is
// taken for each, or handed on when `steal`), collapsed to the single child
// when there is only one. Returns null for an empty range.
Node* Fragment(const Node* node, int begin, int end, bool steal,
               uint64_t* size) {
  *size = 0;
  if (begin == end) return nullptr;
  if (end - begin == 1 && !node->is_leaf()) {
    if (!steal) RefEntry(node, begin);
    *size = node->inner.sizes[begin];
    return node->inner.children[begin];
  }
  Node* fragment = AllocNode(node->height);
  for (int i = begin; i < end; ++i) {
    CopyEntry(fragment, i - begin, node, i, steal);
    *size += node->ChildSize(i);
  }
  fragment->count = static_cast<uint8_t>(end - begin);
  return fragment;
}

struct SplitPair {
  Node* left;
  uint64_t left_size;
  Node* right;
  uint64_t right_size;
};

// Splits `node` (consumed) at 0 < pos < its size.
SplitPair SplitRec(Node* node, uint64_t pos) {
  bool steal = node->IsUnique();
  const int i = FindEntry(node, &pos);
  SplitPair result;
  if (node->is_leaf()) {
    Slice cut = node->slice(i);
    int right_begin = pos == 0 ? i : i + 1;
    result.left = Fragment(node, 0, i, steal, &result.left_size);
    result.right =
        Fragment(node, right_begin, node->count, steal, &result.right_size);
    if (pos > 0) {
      // Slice i is cut in two, so it needs two references: the node's own
      // one (handed on when stealing) plus one, or two new ones.
      cut.chunk->Ref();
      if (!steal) cut.chunk->Ref();
      Slice head{cut.chunk, cut.offset, static_cast<uint32_t>(pos)};
      Slice tail{cut.chunk, static_cast<uint32_t>(cut.offset + pos),
                 static_cast<uint32_t>(cut.length - pos)};
      result.left = AppendSlice(result.left, head);
      result.left_size += head.length;
      result.right = PrependSlice(result.right, tail);
      result.right_size += tail.length;
    }
  } else if (pos == 0) {
    result.left = Fragment(node, 0, i, steal, &result.left_size);
    result.right = Fragment(node, i, node->count, steal, &result.right_size);
  } else {
    uint64_t left_size, right_size;
    Node* left = Fragment(node, 0, i, steal, &left_size);
    Node* right = Fragment(node, i + 1, node->count, steal, &right_size);
    Node* child = node->inner.children[i];
    if (!steal) Ref(child);
    SplitPair inner = SplitRec(child, pos);
    result.left = Concat(left, left_size, inner.left, inner.left_size);
    result.left_size = left_size + inner.left_size;
    result.right = Concat(inner.right, inner.right_size, right, right_size);
    result.right_size = inner.right_size + right_size;
  }
  if (steal) {
    FreeShell(node);
  } else {
    Unref(node);
  }
  return result;
}

// Collapses inner roots with one child.
Node* Collapse(Node* root) {
  while (root != nullptr && !root->is_leaf() && root->count == 1) {
    Node* child = root->inner.children[0];
    if (root->IsUnique()) {
      FreeShell(root);
    } else {
      Ref(child);
      Unref(root);
    }
    root = child;
  }
  return root;
}

// Drops `n` bytes at `edge` of the unique node `node`, 0 < n < its size,
// freeing fully removed chunks and nodes at once, and returns what is left
// as a valid root (invariants of btree.h; an inner root has >= 2 children).
//
// Removing entries can leave a node with one child, and the child on the
// edge may come back lower than its siblings. Such a thin or low part is
// not kept in place: it is detached and joined back onto the remaining
// siblings with Concat, which merges it into their edge-most nodes (as
// absl's cord_rep_btree does), so no thin node survives below the root.
// O(fanout) per level; no allocation when the path is unique, unless a
// merge must split a full node.
template <Edge edge>
Node* RemoveEdge(Node* node, uint64_t n) {
  int drop = 0;
  for (;; ++drop) {
    const int i = FromEdge<edge>(node, drop);
    const uint64_t size = node->ChildSize(i);
    if (n < size) break;
    n -= size;
    UnrefEntry(node, i);
  }
  CloseEdge<edge>(node, drop);
  const int i = FromEdge<edge>(node, 0);
  if (node->is_leaf()) {
    if (edge == Edge::kFront) node->leaf.data[i] += n;
    node->leaf.lengths[i] -= static_cast<uint32_t>(n);
    return node;
  }
  if (n > 0) {
    const uint64_t child_size = node->inner.sizes[i] - n;
    Node* child = RemoveEdge<edge>(MakeUnique(node->inner.children[i]), n);
    assert(child->height < node->height);
    if (child->height + 1 == node->height) {
      node->inner.children[i] = child;
      node->inner.sizes[i] = child_size;
    } else {
      // The child shrank to a lower tree: join it onto the siblings.
      CloseEdge<edge>(node, 1);
      if (node->count == 0) {
        FreeShell(node);
        return child;
      }
      const uint64_t rest_size = NodeSize(node);
      return JoinAtEdge<edge>(child, child_size, Collapse(node), rest_size);
    }
  }
  return Collapse(node);
}

// True when [data, data + n) and the chunk's bytes share any address.
bool Overlaps(const Chunk* chunk, const char* data, size_t n) {
  const uintptr_t begin = reinterpret_cast<uintptr_t>(chunk->data());
  const uintptr_t end = begin + chunk->capacity();
  const uintptr_t other = reinterpret_cast<uintptr_t>(data);
  return other < end && begin < other + n;
}

// The bytes an Overwrite still has to place. `data` may be a view of the
// tree itself, so before a chunk it may lie in is written in place or
// released, what is left of it is copied aside (once): bytes already placed
// were read, and chunks already written did not hold the rest.
class OverwriteSource {
 public:
  explicit OverwriteSource(absl::string_view data) : rest_(data) {}

  // Call before writing into or releasing `chunk`.
  void Protect(const Chunk* chunk) {
    if (copy_.empty() && !rest_.empty() &&
        Overlaps(chunk, rest_.data(), rest_.size())) {
      copy_.assign(rest_.data(), rest_.size());
      rest_ = copy_;
    }
  }

  // Writes the next n bytes to dest (which may overlap them: memmove).
  void PlaceAt(char* dest, size_t n) {
    std::memmove(dest, rest_.data(), n);
    rest_.remove_prefix(n);
  }

 private:
  absl::string_view rest_;
  std::string copy_;
};

// A leaf or inner entry in transit while a node is rebuilt.
struct Out {
  const Chunk* chunk;  // leaf entries
  const char* data;
  Node* child;  // inner entries
  uint64_t size;
};

// Writes `out` (n <= 2 * kFanout entries) back into `node`, splitting off a
// right sibling when they do not fit in one node. Returns the sibling or
// null.
Node* Rebuild(Node* node, const Out* out, int n) {
  Node* right = nullptr;
  int keep = n;
  if (n > kFanout) {
    keep = (n + 1) / 2;
    right = AllocNode(node->height);
  }
  for (int k = 0; k < n; ++k) {
    Node* to = k < keep ? node : right;
    const int at = k < keep ? k : k - keep;
    if (node->is_leaf()) {
      to->leaf.lengths[at] = static_cast<uint32_t>(out[k].size);
      to->leaf.data[at] = out[k].data;
      to->leaf.chunks[at] = out[k].chunk;
    } else {
      to->inner.sizes[at] = out[k].size;
      to->inner.children[at] = out[k].child;
    }
  }
  Truncate(node, keep);
  if (right != nullptr) right->count = static_cast<uint8_t>(n - keep);
  return right;
}

// Overwrites bytes [pos, pos + n) of the unique node `node`, in order,
// 0 < n <= its size - pos, in one descent: shared nodes on the way are
// cloned; runs in writable chunks stay and are written in place; runs in
// shared or external chunks are cut out and replaced by new owned chunks
// (consecutive ones by one chunk), so only the first and last leaf can gain
// entries (a head and a tail of a cut slice), two at most. Returns a
// split-off right sibling of `node`, or null.
Node* OverwriteRec(Node* node, uint64_t pos, uint64_t n,
                   OverwriteSource* source) {
  Out out[kFanout + 2];
  int m = 0;
  int i = FindEntry(node, &pos);
  for (int k = 0; k < i; ++k) {
    out[m++] = node->is_leaf() ? Out{node->leaf.chunks[k], node->leaf.data[k],
                                     nullptr, node->leaf.lengths[k]}
                               : Out{nullptr, nullptr, node->inner.children[k],
                                     node->inner.sizes[k]};
  }
  if (node->is_leaf()) {
    while (n > 0) {
      const Chunk* chunk = node->leaf.chunks[i];
      const char* data = node->leaf.data[i];
      const uint64_t length = node->leaf.lengths[i];
      if (chunk->IsWritable()) {
        const uint64_t here = std::min(n, length - pos);
        source->Protect(chunk);
        source->PlaceAt(const_cast<char*>(data) + pos, here);
        out[m++] = {chunk, data, nullptr, length};
        n -= here;
        pos = 0;
        ++i;
        continue;
      }
      // A run of slices that cannot be written: their overwritten bytes
      // become one new chunk (several past kMaxOwnedCapacity).
      if (pos > 0) {  // the head of the first one stays shared
        out[m++] = {chunk, data, nullptr, pos};
      }
      uint64_t run = 0;
      int j = i;
      for (uint64_t skip = pos;
           run < n && j < node->count && !node->leaf.chunks[j]->IsWritable();
           ++j, skip = 0) {
        run += std::min(n - run, node->leaf.lengths[j] - skip);
      }
      for (uint64_t done = 0; done < run;) {
        const size_t take = static_cast<size_t>(
            std::min<uint64_t>(run - done, Chunk::kMaxOwnedCapacity));
        Chunk* fresh = Chunk::NewOwned(take);
        source->PlaceAt(fresh->mutable_data(), take);
        out[m++] = {fresh, fresh->data(), nullptr, take};
        done += take;
      }
      // Each slice of the run keeps its reference for what stays of it (the
      // head of the first, the tail of the last), takes one more when both
      // stay, and gives it up when nothing does.
      uint64_t left = run;
      for (int k = i; k < j; ++k) {
        const Chunk* c = node->leaf.chunks[k];
        const uint64_t start = k == i ? pos : 0;
        const uint64_t length = node->leaf.lengths[k];
        const uint64_t here = std::min(left, length - start);
        left -= here;
        const bool head = start > 0;
        const bool tail = start + here < length;
        if (tail) {
          out[m++] = {c, node->leaf.data[k] + start + here, nullptr,
                      length - start - here};
        }
        if (head && tail) {
          c->Ref();
        } else if (!head && !tail) {
          source->Protect(c);
          c->Unref();
        }
      }
      n -= run;
      pos = 0;
      i = j;
    }
    for (int k = i; k < node->count; ++k) {
      out[m++] = {node->leaf.chunks[k], node->leaf.data[k], nullptr,
                  node->leaf.lengths[k]};
    }
  } else {
    while (n > 0) {
      Node* child = node->inner.children[i] =
          MakeUnique(node->inner.children[i]);
      const uint64_t size = node->inner.sizes[i];
      const uint64_t here = std::min(n, size - pos);
      Node* sibling = OverwriteRec(child, pos, here, source);
      if (sibling == nullptr) {
        out[m++] = {nullptr, nullptr, child, size};
      } else {
        const uint64_t sibling_size = NodeSize(sibling);
        out[m++] = {nullptr, nullptr, child, size - sibling_size};
        out[m++] = {nullptr, nullptr, sibling, sibling_size};
      }
      n -= here;
      pos = 0;
      ++i;
    }
    for (int k = i; k < node->count; ++k) {
      out[m++] = {nullptr, nullptr, node->inner.children[k],
                  node->inner.sizes[k]};
    }
  }
  if (m > kFanout + 2) FatalError("overwrite grew a node by more than two");
  return Rebuild(node, out, m);
}

}  // namespace

void FatalError(const char* message) {
  std::fprintf(stderr, "bytesio: %s\n", message);
  std::fflush(stderr);
  std::abort();
}

void Unref(Node* node) {
  if (node->refs.load(std::memory_order_acquire) == 1 ||
      node->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    for (int i = 0; i < node->count; ++i) UnrefEntry(node, i);
    FreeShell(node);
  }
}

uint64_t NodeSize(const Node* node) {
  uint64_t size = 0;
  for (int i = 0; i < node->count; ++i) size += node->ChildSize(i);
  return size;
}

Node* AppendSlice(Node* root, Slice slice) {
  if (root == nullptr) {
    root = AllocNode(0);
    root->count = 1;
    root->set_slice(0, slice);
    return root;
  }
  root = MakeUnique(root);
  return Grow(root, AddSliceRec<Edge::kBack>(root, slice));
}

Node* PrependSlice(Node* root, Slice slice) {
  if (root == nullptr) return AppendSlice(nullptr, slice);
  root = MakeUnique(root);
  return Grow(root, AddSliceRec<Edge::kFront>(root, slice));
}

Node* Concat(Node* a, uint64_t a_size, Node* b, uint64_t b_size) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  if (a->height == b->height) {
    if (a->count + b->count <= kFanout) {
      a = MakeUnique(a);
      Merge<Edge::kBack>(a, b);
      return a;
    }
    return NewInnerWith(a, a_size, b, b_size);
  }
  // The lower tree goes onto the taller one's edge.
  if (a->height > b->height) {
    a = MakeUnique(a);
    return Grow(a, AddTreeRec<Edge::kBack>(a, b, b_size));
  }
  b = MakeUnique(b);
  return Grow(b, AddTreeRec<Edge::kFront>(b, a, a_size));
}

std::pair<Node*, Node*> Split(Node* root, uint64_t size, uint64_t pos) {
  if (pos == 0) return {nullptr, root};
  if (pos >= size) return {root, nullptr};
  SplitPair parts = SplitRec(root, pos);
  return {Collapse(parts.left), Collapse(parts.right)};
}

static Node* CopyRangeRec(const Node* node, uint64_t pos, uint64_t n) {
  int i = FindEntry(node, &pos);
  if (node->is_leaf()) {
    Node* leaf = AllocNode(0);
    while (n > 0) {
      const int to = leaf->count++;
      const uint64_t take = std::min<uint64_t>(n, node->leaf.lengths[i] - pos);
      leaf->leaf.lengths[to] = static_cast<uint32_t>(take);
      leaf->leaf.data[to] = node->leaf.data[i] + pos;
      leaf->leaf.chunks[to] = node->leaf.chunks[i];
      node->leaf.chunks[i]->Ref();
      ++i;
      n -= take;
      pos = 0;
    }
    return leaf;
  }
  // The range starts in child i at `pos`. If it ends there too, recurse.
  uint64_t first_size = node->inner.sizes[i];
  if (pos + n <= first_size) {
    return CopyRangeRec(node->inner.children[i], pos, n);
  }
  // Otherwise: a partial first child, whole middle children (shared), and a
  // partial last child, joined.
  Node* result = nullptr;
  uint64_t result_size = 0;
  auto add = [&](Node* part, uint64_t size) {
    result = Concat(result, result_size, part, size);
    result_size += size;
  };
  if (pos == 0) {
    Ref(node->inner.children[i]);
    add(node->inner.children[i], first_size);
  } else {
    add(CopyRangeRec(node->inner.children[i], pos, first_size - pos),
        first_size - pos);
  }
  n -= first_size - pos;
  ++i;
  // Whole children in the middle go into one new node of this height.
  int begin = i;
  uint64_t middle_size = 0;
  while (n > 0 && n >= node->inner.sizes[i]) {
    middle_size += node->inner.sizes[i];
    n -= node->inner.sizes[i++];
  }
  if (i - begin == 1) {
    Ref(node->inner.children[begin]);
    add(node->inner.children[begin], middle_size);
  } else if (i > begin) {
    uint64_t size;
    add(Fragment(node, begin, i, /*steal=*/false, &size), size);
  }
  if (n > 0) add(CopyRangeRec(node->inner.children[i], 0, n), n);
  return result;
}

Node* CopyRange(const Node* root, uint64_t pos, uint64_t n) {
  // A shared whole subtree may be a thin node (one child, as prefix removal
  // leaves them below the root); as a root it must be collapsed.
  return Collapse(CopyRangeRec(root, pos, n));
}

bool OverwriteWithinSlice(Node* node, uint64_t pos, absl::string_view data) {
  while (true) {
    if (!node->IsUnique()) return false;
    if (node->is_leaf()) break;
    node = node->inner.children[FindEntry(node, &pos)];
  }
  const int i = FindEntry(node, &pos);
  if (pos + data.size() > node->leaf.lengths[i] ||
      !node->leaf.chunks[i]->IsWritable()) {
    return false;
  }
  // memmove: `data` may be a view of these very bytes.
  std::memmove(const_cast<char*>(node->leaf.data[i]) + pos, data.data(),
               data.size());
  return true;
}

Node* RemovePrefix(Node* root, uint64_t n) {
  return RemoveEdge<Edge::kFront>(MakeUnique(root), n);
}

Node* RemoveSuffix(Node* root, uint64_t n) {
  return RemoveEdge<Edge::kBack>(MakeUnique(root), n);
}

Position Find(const Node* node, uint64_t pos) {
  while (!node->is_leaf()) node = node->inner.children[FindEntry(node, &pos)];
  const int i = FindEntry(node, &pos);
  return {node, i, pos};
}

TailRoom GetTailRoom(Node* root) {
  root = MakeUnique(root);
  Node* node = root;
  while (!node->is_leaf()) {
    int last = node->count - 1;
    node = node->inner.children[last] = MakeUnique(node->inner.children[last]);
  }
  const Slice slice = node->slice(node->count - 1);
  const Chunk* chunk = slice.chunk;
  if (!chunk->IsWritable()) return {root, nullptr, 0};
  size_t end = size_t{slice.offset} + slice.length;
  size_t room = chunk->capacity() - end;
  if (room == 0) return {root, nullptr, 0};
  return {root, const_cast<Chunk*>(chunk)->mutable_data() + end, room};
}

size_t AppendToUniqueTail(Node* root, const char* data, size_t n) {
  if (n == 0) return 0;
  // First pass: is everything on the right spine private? Second pass: add
  // the bytes to the spine's sizes. Two short walks beat keeping a path.
  Node* node = root;
  while (true) {
    if (!node->IsUnique()) return 0;
    if (node->is_leaf()) break;
    node = node->inner.children[node->count - 1];
  }
  const int last = node->count - 1;
  const Chunk* chunk = node->leaf.chunks[last];
  if (!chunk->IsWritable()) return 0;
  char* dest =
      const_cast<char*>(node->leaf.data[last]) + node->leaf.lengths[last];
  size_t room = chunk->capacity() - (dest - chunk->data());
  size_t take = n <= room ? n : room;
  if (take <= 16 && take >= 8) {
    // Two overlapping 8-byte moves: no call into libc for small writes.
    uint64_t head, tail;
    std::memcpy(&head, data, 8);
    std::memcpy(&tail, data + take - 8, 8);
    std::memcpy(dest, &head, 8);
    std::memcpy(dest + take - 8, &tail, 8);
  } else {
    std::memcpy(dest, data, take);
  }
  node->leaf.lengths[last] += static_cast<uint32_t>(take);
  for (node = root; !node->is_leaf();
       node = node->inner.children[node->count - 1]) {
    node->inner.sizes[node->count - 1] += take;
  }
  return take;
}

void GrowLast(Node* node, size_t n) {
  while (!node->is_leaf()) {
    assert(node->IsUnique());
    node->inner.sizes[node->count - 1] += n;
    node = node->inner.children[node->count - 1];
  }
  node->leaf.lengths[node->count - 1] += static_cast<uint32_t>(n);
}

Node* Overwrite(Node* root, uint64_t pos, absl::string_view data) {
  OverwriteSource source(data);
  root = MakeUnique(root);
  return Grow(root, OverwriteRec(root, pos, data.size(), &source));
}

char* UniqueFlatData(Node* root) {
  if (!root->is_leaf() || root->count != 1 || !root->IsUnique()) {
    return nullptr;
  }
  if (!root->leaf.chunks[0]->IsWritable()) return nullptr;
  return const_cast<char*>(root->leaf.data[0]);
}

}  // namespace internal
}  // namespace bytesio
