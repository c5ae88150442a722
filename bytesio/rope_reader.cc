// Copyright 2026 The bytesio Authors.

#include "bytesio/rope_reader.h"

#include <algorithm>
#include <cassert>

namespace bytesio {

RopeReader::RopeReader(const Rope& rope)
    : rope_(&rope), it_(rope.Chunks().begin()), size_(rope.size()) {
  const absl::string_view chunk = *it_;
  cur_ = chunk.data();
  end_ = chunk.data() + chunk.size();
}

void RopeReader::NextChunk() {
  assert(cur_ == end_);
  ++it_;
  const absl::string_view chunk = *it_;
  cur_ = chunk.data();
  end_ = chunk.data() + chunk.size();
}

void RopeReader::CopyAndAdvance(char* dest, size_t n) {
  assert(n <= remaining());
  pos_ += n;
  while (n > 0) {
    if (cur_ == end_) NextChunk();
    const size_t take = std::min(n, static_cast<size_t>(end_ - cur_));
    std::memcpy(dest, cur_, take);
    dest += take;
    cur_ += take;
    n -= take;
  }
}

bool RopeReader::Peek(absl::Span<char> dest) const {
  const size_t n = dest.size();
  if (n > remaining()) return false;
  if (static_cast<size_t>(end_ - cur_) >= n) {
    if (n != 0) std::memcpy(dest.data(), cur_, n);
    return true;
  }
  rope_->CopyTo(dest, pos_);
  return true;
}

bool RopeReader::Skip(size_t n) {
  if (n > remaining()) return false;
  pos_ += n;
  while (n > static_cast<size_t>(end_ - cur_)) {
    n -= static_cast<size_t>(end_ - cur_);
    cur_ = end_;
    NextChunk();
  }
  cur_ += n;
  return true;
}

bool RopeReader::Read(size_t n, Rope* out) {
  if (n > remaining()) return false;
  *out = rope_->Subrope(pos_, n);
  Skip(n);
  return true;
}

}  // namespace bytesio
