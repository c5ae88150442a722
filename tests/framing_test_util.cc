// Copyright 2026 The bytesio Authors.

#include "tests/framing_test_util.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

#include "bytesio/rope_buffer.h"

namespace bytesio {
namespace testutil {

Rope RopeFromPieces(const std::vector<std::string>& pieces) {
  Rope rope;
  for (const std::string& piece : pieces) {
    if (piece.empty()) continue;
    RopeBuffer buffer = RopeBuffer::CreateWithCapacity(piece.size());
    std::memcpy(buffer.data(), piece.data(), piece.size());
    buffer.SetLength(piece.size());
    rope.Append(std::move(buffer));
  }
  return rope;
}

size_t ChunkCount(const Rope& rope) {
  size_t n = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    static_cast<void>(chunk);
    ++n;
  }
  return n;
}

bool SharesMemoryWith(const Rope& part, const Rope& whole) {
  std::less_equal<const char*> le;
  for (absl::string_view p : part.Chunks()) {
    bool found = false;
    for (absl::string_view w : whole.Chunks()) {
      if (le(w.data(), p.data()) &&
          le(p.data() + p.size(), w.data() + w.size())) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

std::vector<std::string> CutRandomly(std::mt19937_64& rng,
                                     absl::string_view data, size_t max_piece) {
  std::vector<std::string> pieces;
  std::uniform_int_distribution<size_t> size(1, std::max<size_t>(max_piece, 1));
  while (!data.empty()) {
    const size_t n = std::min(size(rng), data.size());
    pieces.emplace_back(data.substr(0, n));
    data.remove_prefix(n);
  }
  return pieces;
}

}  // namespace testutil
}  // namespace bytesio
