// Copyright 2026 The bytesio Authors.

#include "bytesio/internal/rope_access.h"

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "bytesio/internal/btree.h"
#include "bytesio/internal/chunk.h"

namespace bytesio {
namespace internal {
namespace {

size_t CountSlices(const Node* node) {
  if (node->is_leaf()) return node->count;
  size_t n = 0;
  for (int i = 0; i < node->count; ++i)
    n += CountSlices(node->inner.children[i]);
  return n;
}

// Returns the bytes under `node` or appends a problem to *error.
uint64_t Check(const Node* node, int expected_height, std::string* error) {
  if (node->height != expected_height) {
    absl::StrAppend(error, "height ", node->height, " where ", expected_height,
                    " expected; ");
  }
  if (node->count < 1 || node->count > kFanout) {
    absl::StrAppend(error, "node with ", node->count, " entries; ");
    return 0;
  }
  uint64_t total = 0;
  for (int i = 0; i < node->count; ++i) {
    if (node->is_leaf()) {
      const Slice& slice = node->slices[i];
      if (slice.length == 0) absl::StrAppend(error, "empty slice; ");
      if (uint64_t{slice.offset} + slice.length > slice.chunk->capacity()) {
        absl::StrAppend(error, "slice past its chunk; ");
      }
      total += slice.length;
    } else {
      uint64_t child = Check(node->inner.children[i], node->height - 1, error);
      if (child != node->inner.sizes[i]) {
        absl::StrAppend(error, "child size ", node->inner.sizes[i],
                        " but child holds ", child, "; ");
      }
      total += child;
    }
  }
  return total;
}

}  // namespace

char* RopeAccess::MutableFlat(Rope* rope) {
  if (rope->empty()) return nullptr;
  if (rope->kind_ == Rope::kSlice && rope->rep_.slice.chunk->is_owned() &&
      rope->rep_.slice.chunk->IsUnique()) {
    const Slice& slice = rope->rep_.slice;
    return const_cast<Chunk*>(slice.chunk)->mutable_data() + slice.offset;
  }
  if (rope->kind_ == Rope::kTree) {
    char* data = UniqueFlatData(rope->rep_.tree.root);
    if (data != nullptr) return data;
  }
  size_t n = rope->size();
  Chunk* chunk = Chunk::NewOwned(n);
  rope->CopyTo(absl::Span<char>(chunk->mutable_data(), n));
  rope->Clear();
  rope->kind_ = Rope::kSlice;
  rope->rep_.slice = Slice{chunk, 0, static_cast<uint32_t>(n)};
  return chunk->mutable_data();
}

size_t RopeAccess::SliceCount(const Rope& rope) {
  switch (rope.kind_) {
    case Rope::kInline:
      return 0;
    case Rope::kSlice:
      return 1;
    case Rope::kTree:
      break;
  }
  return CountSlices(rope.rep_.tree.root);
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
      if (rope.rep_.slice.length == 0) error = "empty slice rep";
      break;
    case Rope::kTree: {
      const Node* root = rope.rep_.tree.root;
      if (root == nullptr) return "null tree";
      if (!root->is_leaf() && root->count < 2) error = "uncollapsed root; ";
      uint64_t total = Check(root, root->height, &error);
      if (total != rope.rep_.tree.size) {
        absl::StrAppend(&error, "tree holds ", total, " bytes, rope says ",
                        rope.rep_.tree.size, "; ");
      }
      break;
    }
  }
  return error;
}

}  // namespace internal
}  // namespace bytesio
