// Copyright 2026 The bytesio Authors.

#include "bytesio/internal/rope_export.h"

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "bytesio/internal/btree.h"
#include "bytesio/internal/chunk.h"

namespace bytesio {
namespace internal {

char* RopeExport::MutableFlat(Rope* rope) {
  if (rope->empty()) return nullptr;
  if (rope->kind_ == Rope::kSlice && rope->rep_.slice.chunk->IsWritable()) {
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

}  // namespace internal
}  // namespace bytesio
