// Copyright 2026 The bytesio Authors.

#include "bytesio/internal/rope_access.h"

#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bytesio/internal/btree.h"
#include "bytesio/internal/chunk.h"

namespace bytesio {
namespace internal {
namespace {

// Trees share subtrees (a self-append makes a root whose children are one
// node), so a walk of every path is exponential in the height: each
// distinct node is visited once, shared nodes' results remembered.
size_t CountSlices(const Node* node,
                   std::unordered_map<const Node*, size_t>* memo) {
  if (node->is_leaf()) return node->count;
  const bool shared = node->refs.load(std::memory_order_relaxed) > 1;
  if (shared) {
    auto found = memo->find(node);
    if (found != memo->end()) return found->second;
  }
  size_t n = 0;
  for (int i = 0; i < node->count; ++i) {
    n += CountSlices(node->inner.children[i], memo);
  }
  if (shared) (*memo)[node] = n;
  return n;
}

// Invariant 4 of btree.h for one slice.
void CheckSlice(const Slice& slice, std::string* error) {
  if (slice.chunk == nullptr) {
    absl::StrAppend(error, "slice without a chunk; ");
    return;
  }
  if (slice.length == 0) absl::StrAppend(error, "empty slice; ");
  if (uint64_t{slice.offset} + slice.length > slice.chunk->capacity()) {
    absl::StrAppend(error, "slice [", slice.offset, ", +", slice.length,
                    ") past its chunk's capacity ", slice.chunk->capacity(),
                    "; ");
  }
}

// Invariants 4 and 6 for slice i of a leaf: its cached data pointer lies
// in its chunk, with all its bytes.
void CheckLeafEntry(const Node* leaf, int i, std::string* error) {
  const Chunk* chunk = leaf->leaf.chunks[i];
  if (chunk == nullptr) {
    absl::StrAppend(error, "slice without a chunk; ");
    return;
  }
  const uintptr_t begin = reinterpret_cast<uintptr_t>(chunk->data());
  const uintptr_t data = reinterpret_cast<uintptr_t>(leaf->leaf.data[i]);
  if (data < begin || data - begin > chunk->capacity()) {
    absl::StrAppend(error, "slice data outside its chunk; ");
    return;
  }
  CheckSlice(leaf->slice(i), error);
}

class Checker {
 public:
  // Checks the subtree at `node`, which should be of `expected_height`;
  // returns the bytes under it, appending any problem to error_.
  // Only shared nodes are remembered: a node with one reference has one
  // parent, which is itself checked once.
  uint64_t Check(const Node* node, int expected_height, bool is_root) {
    if (node->refs.load(std::memory_order_relaxed) == 1) {
      return CheckOnce(node, expected_height, is_root);
    }
    auto found = checked_.find(node);
    if (found != checked_.end() && found->second.height == expected_height &&
        found->second.is_root == is_root) {
      return found->second.size;
    }
    const uint64_t size = CheckOnce(node, expected_height, is_root);
    checked_[node] = {size, expected_height, is_root};
    return size;
  }

  std::string& error() { return error_; }

 private:
  struct Result {
    uint64_t size;
    int height;
    bool is_root;
  };

  uint64_t CheckOnce(const Node* node, int expected_height, bool is_root) {
    if (node->height != expected_height) {
      absl::StrAppend(&error_, "height ", node->height, " where ",
                      expected_height, " expected; ");
      return 0;  // the heights below cannot be trusted either
    }
    if (node->height > kMaxHeight) {
      absl::StrAppend(&error_, "height ", node->height, " above kMaxHeight ",
                      kMaxHeight, "; ");
    }
    if (node->count < 1 || node->count > kFanout) {
      absl::StrAppend(&error_, "node with ", node->count, " entries; ");
      return 0;
    }
    if (!node->is_leaf() && node->count < 2) {
      absl::StrAppend(&error_, is_root ? "uncollapsed root" : "thin inner node",
                      " (one child) at height ", node->height, "; ");
    }
    if (node->refs.load(std::memory_order_relaxed) < 1) {
      absl::StrAppend(&error_, "node with no reference; ");
    }
    uint64_t total = 0;
    for (int i = 0; i < node->count; ++i) {
      uint64_t entry;
      if (node->is_leaf()) {
        CheckLeafEntry(node, i, &error_);
        entry = node->leaf.lengths[i];
      } else {
        entry = Check(node->inner.children[i], node->height - 1,
                      /*is_root=*/false);
        if (entry != node->inner.sizes[i]) {
          absl::StrAppend(&error_, "child size ", node->inner.sizes[i],
                          " but child holds ", entry, "; ");
        }
      }
      if (entry > Rope::kMaxSize - total) {
        absl::StrAppend(&error_, "subtree larger than kMaxSize; ");
        return 0;
      }
      total += entry;
    }
    return total;
  }

 private:
  std::unordered_map<const Node*, Result> checked_;
  std::string error_;
};

}  // namespace

size_t RopeAccess::SliceCount(const Rope& rope) {
  switch (rope.kind_) {
    case Rope::kInline:
      return 0;
    case Rope::kSlice:
      return 1;
    case Rope::kTree:
      break;
  }
  std::unordered_map<const Node*, size_t> memo;
  return CountSlices(rope.rep_.tree.root, &memo);
}

int RopeAccess::TreeHeight(const Rope& rope) {
  return rope.kind_ == Rope::kTree ? rope.rep_.tree.root->height : -1;
}

const char* RopeAccess::Kind(const Rope& rope) {
  switch (rope.kind_) {
    case Rope::kInline:
      return "inline";
    case Rope::kSlice:
      return "slice";
    case Rope::kTree:
      break;
  }
  return "tree";
}

std::string RopeAccess::CheckInvariants(const Rope& rope) {
  std::string error;
  switch (rope.kind_) {
    case Rope::kInline:
      if (rope.inline_size_ > Rope::kMaxInline) error = "inline too large";
      break;
    case Rope::kSlice:
      if (rope.rep_.slice.length == 0) error = "empty slice rep; ";
      CheckSlice(rope.rep_.slice, &error);
      break;
    case Rope::kTree: {
      const Node* root = rope.rep_.tree.root;
      if (root == nullptr) return "null tree";
      Checker checker;
      const uint64_t total =
          checker.Check(root, root->height, /*is_root=*/true);
      error = std::move(checker.error());
      if (total != rope.rep_.tree.size) {
        absl::StrAppend(&error, "tree holds ", total, " bytes, rope says ",
                        rope.rep_.tree.size, "; ");
      }
      if (rope.rep_.tree.size > Rope::kMaxSize) {
        absl::StrAppend(&error, "size ", rope.rep_.tree.size,
                        " above kMaxSize; ");
      }
      break;
    }
  }
  return error;
}

}  // namespace internal
}  // namespace bytesio
