// Copyright 2026 The bytesio Authors.

#include "bytesio/cord_adapter.h"

#include <cassert>
#include <cstddef>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "bytesio/rope.h"

namespace bytesio {
namespace {

// The releaser of a Cord node that borrows one Rope chunk: it holds a
// one-slice Rope over that chunk and drops it when absl releases the node.
class RopeChunkReleaser {
 public:
  explicit RopeChunkReleaser(Rope piece) : piece_(std::move(piece)) {}
  void operator()(absl::string_view) { piece_.Clear(); }

 private:
  Rope piece_;
};

// The releaser of a Rope chunk that borrows one Cord chunk: it holds a
// Subcord of exactly that chunk and drops it when the chunk is released.
class CordChunkReleaser {
 public:
  explicit CordChunkReleaser(absl::Cord piece) : piece_(std::move(piece)) {}
  void operator()() { piece_.Clear(); }

 private:
  absl::Cord piece_;
};

}  // namespace

absl::Cord RopeToCord(const Rope& rope) {
  absl::Cord cord;
  size_t pos = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    if (chunk.size() <= Rope::kMaxBytesToCopy) {
      cord.Append(chunk);
    } else {
      // A sub-range inside one chunk is a single slice: one reference, no
      // allocation, same bytes.
      Rope piece = rope.Subrope(pos, chunk.size());
      assert((*piece.Chunks().begin()).data() == chunk.data());
      cord.Append(absl::MakeCordFromExternal(
          chunk, RopeChunkReleaser(std::move(piece))));
    }
    pos += chunk.size();
  }
  return cord;
}

Rope CordToRope(const absl::Cord& cord) {
  Rope rope;
  size_t pos = 0;
  for (absl::string_view chunk : cord.Chunks()) {
    if (chunk.size() <= Rope::kMaxBytesToCopy) {
      rope.Append(chunk);
    } else {
      // A Subcord of one chunk references that node (a substring node at
      // most); it never copies more than Cord's inline size, which is far
      // below our threshold.
      absl::Cord piece = cord.Subcord(pos, chunk.size());
      assert(piece.TryFlat().has_value() &&
             piece.TryFlat()->data() == chunk.data());
      rope.Append(
          Rope::FromExternal(chunk, CordChunkReleaser(std::move(piece))));
    }
    pos += chunk.size();
  }
  return rope;
}

}  // namespace bytesio
