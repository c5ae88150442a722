// Copyright 2026 The bytesio Authors.

#include "fuzz/fuzz_util.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "bytesio/rope_buffer.h"

namespace bytesio {
namespace fuzz {
namespace {

// Piece sizes straddle Rope::kMaxBytesToCopy (511), so appends of pieces
// both copy and share.
constexpr size_t kMaxPiece = 1024;

// One-byte chunks cost an allocation each: only this many, then one chunk.
constexpr size_t kMaxOneByteChunks = 64;

Rope OwnChunk(absl::string_view piece) {
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(piece.size());
  if (!piece.empty()) std::memcpy(buffer.data(), piece.data(), piece.size());
  buffer.SetLength(piece.size());
  Rope rope;
  rope.Append(std::move(buffer));
  return rope;
}

}  // namespace

std::string FuzzInput::Bytes(size_t n) {
  n = std::min(n, remaining());
  std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
  pos_ += n;
  return out;
}

Rope FromExternalCounted(absl::string_view data, ReleaseCounter* counter) {
  char* copy = new char[data.size() + 1];  // +1: never a zero-size new[]
  if (!data.empty()) std::memcpy(copy, data.data(), data.size());
  ++counter->created;
  return Rope::FromExternal(absl::string_view(copy, data.size()),
                            [copy, counter] {
                              delete[] copy;
                              ++counter->released;
                            });
}

Rope BuildRope(FuzzInput& in, absl::string_view data, ReleaseCounter* counter,
               std::vector<Rope>* keep_alive) {
  const int mode = in.IntInRange(0, kRopeBuildModes - 1);
  Rope rope;
  switch (mode) {
    case 0:
      return Rope(data);
    case 1:
      return Rope(std::string(data));
    case 2:
    case 3:
      for (size_t pos = 0; pos < data.size();) {
        const size_t n =
            std::min(data.size() - pos, in.IntInRange<size_t>(1, kMaxPiece));
        const absl::string_view piece = data.substr(pos, n);
        rope.Append(mode == 2 ? OwnChunk(piece)
                              : FromExternalCounted(piece, counter));
        pos += n;
      }
      return rope;
    case 4: {
      // The owner holds the bytes between junk, so its chunk is larger than
      // any piece and stays referenced by *keep_alive: every piece is a
      // shared slice (or a copy when small).
      Rope owner(std::string("<<") + std::string(data) + ">>");
      for (size_t pos = 0; pos < data.size();) {
        const size_t n =
            std::min(data.size() - pos, in.IntInRange<size_t>(1, kMaxPiece));
        rope.Append(owner.Subrope(pos + 2, n));
        pos += n;
      }
      keep_alive->push_back(std::move(owner));
      return rope;
    }
    case 5: {
      const size_t singles = std::min(data.size(), kMaxOneByteChunks);
      for (size_t i = 0; i < singles; ++i)
        rope.Append(OwnChunk(data.substr(i, 1)));
      if (singles < data.size()) rope.Append(OwnChunk(data.substr(singles)));
      return rope;
    }
    default:
      for (size_t end = data.size(); end > 0;) {
        const size_t n = std::min(end, in.IntInRange<size_t>(1, kMaxPiece));
        const absl::string_view piece = data.substr(end - n, n);
        if (in.Bool()) {
          rope.Prepend(piece);
        } else {
          rope.Prepend(OwnChunk(piece));
        }
        end -= n;
      }
      return rope;
  }
}

}  // namespace fuzz
}  // namespace bytesio
