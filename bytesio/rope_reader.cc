// Copyright 2026 The bytesio Authors.

#include "bytesio/rope_reader.h"

#include <algorithm>
#include <cassert>

#include "bytesio/internal/find.h"

namespace bytesio {

RopeReader::RopeReader(const Rope& rope, size_t pos)
    : rope_(&rope), size_(rope.size()) {
  assert(pos <= size_);
  Reposition(pos);
}

void RopeReader::Reset(const Rope& rope, size_t pos) {
  rope_ = &rope;
  size_ = rope.size();
  assert(pos <= size_);
  Reposition(pos);
}

void RopeReader::Extend() {
  const size_t size = rope_->size();
  assert(size >= size_);
  if (size == size_) return;
  const size_t grown = size - size_;
  if (end_ == nullptr) {
    // At the very end the reader holds no chunk (the iterator is past the
    // last one): find the chunk that now holds pos_.
    size_ = size;
    Reposition(pos_);
    return;
  }
  // The iterator's chunk is the last one when no byte follows it; the new
  // bytes then follow it in place and only its end moves. Otherwise they
  // lie beyond it.
  it_.Grow(grown);
  if (pos_ + rest() == size_) end_ += grown;
  size_ = size;
}

void RopeReader::Reposition(size_t pos) {
  it_.Reset(rope_, pos);
  const absl::string_view chunk = *it_;
  begin_ = cur_ = chunk.data();
  end_ = chunk.data() + chunk.size();
  pos_ = pos;
}

void RopeReader::NextChunk() {
  assert(cur_ == end_ && pos_ < size_);
  ++it_;
  const absl::string_view chunk = *it_;
  begin_ = cur_ = chunk.data();
  end_ = chunk.data() + chunk.size();
}

void RopeReader::Seek(size_t pos) {
  assert(pos <= size_);
  if (pos >= pos_) {
    size_t n = pos - pos_;
    // Stepping pays only when the target is a few chunks ahead; judged by
    // the current chunk's size, a far target goes straight to a descent
    // (random seeks would otherwise walk kMaxSeekSteps chunks first).
    const size_t chunk = static_cast<size_t>(end_ - begin_);
    const bool near = n <= rest() || n / kMaxSeekSteps <= chunk;
    for (int step = 0; near && step <= kMaxSeekSteps; ++step) {
      if (n <= rest()) {
        cur_ += n;
        pos_ = pos;
        return;
      }
      n -= rest();
      pos_ += rest();
      cur_ = end_;
      NextChunk();
    }
  } else if (pos_ - pos <= static_cast<size_t>(cur_ - begin_)) {
    cur_ -= pos_ - pos;
    pos_ = pos;
    return;
  }
  if (rope_ != nullptr) Reposition(pos);
}

void RopeReader::CopyAndAdvance(char* dest, size_t n) {
  assert(n <= remaining());
  while (n > 0) {
    if (cur_ == end_) NextChunk();
    const size_t take = std::min(n, rest());
    std::memcpy(dest, cur_, take);
    dest += take;
    cur_ += take;
    pos_ += take;
    n -= take;
  }
}

void RopeReader::PeekSlow(char* dest, size_t n, size_t offset) const {
  assert(offset <= remaining() && n <= remaining() - offset);
  if (n == 0) return;
  rope_->CopyTo(absl::Span<char>(dest, n), pos_ + offset);
}

bool RopeReader::PeekView(size_t n, std::string* scratch,
                          absl::string_view* view) const {
  if (n <= rest()) {
    *view = absl::string_view(cur_, n);
    return true;
  }
  if (n > remaining()) return false;
  if (scratch->size() < n) scratch->resize(n);
  PeekSlow(&(*scratch)[0], n, 0);
  *view = absl::string_view(scratch->data(), n);
  return true;
}

size_t RopeReader::Find(char c, size_t from, size_t limit) const {
  const size_t bound = std::min(limit, remaining());
  if (from >= bound) return npos;
  // The current chunk first: no iterator copied, no descent.
  const size_t in_chunk = std::min(rest(), bound);
  if (from < in_chunk) {
    const void* hit = std::memchr(cur_ + from, c, in_chunk - from);
    if (hit != nullptr) {
      return static_cast<size_t>(static_cast<const char*>(hit) - cur_);
    }
    if (in_chunk == bound) return npos;
  }
  // Then chunk by chunk, from the chunk after this one, or from the one
  // that holds `from` (one descent, so that a search resumed far ahead, as
  // the decoder does for a frame arriving in many pieces, does not walk the
  // chunks it already scanned).
  size_t base;  // offset of `chunk` from the position
  Rope::ChunkIterator it;
  if (from < rest()) {
    it = it_;
    ++it;
    base = rest();
  } else {
    it = rope_->ChunksAt(pos_ + from);
    base = from;
  }
  while (base < bound) {
    const absl::string_view chunk = *it;
    const size_t end = std::min(chunk.size(), bound - base);
    const size_t start = from > base ? from - base : 0;
    if (start < end) {
      const void* hit = std::memchr(chunk.data() + start, c, end - start);
      if (hit != nullptr) {
        return base + static_cast<size_t>(static_cast<const char*>(hit) -
                                          chunk.data());
      }
    }
    base += chunk.size();
    if (base < bound) ++it;
  }
  return npos;
}

size_t RopeReader::Find(absl::string_view needle, size_t from,
                        size_t limit) const {
  const size_t bound = std::min(limit, remaining());
  if (needle.size() == 1) return Find(needle[0], from, limit);
  if (from > bound || needle.size() > bound - from) {
    return needle.empty() && from <= bound ? from : npos;
  }
  if (needle.empty()) return from;
  // Inside the current chunk: one scan.
  const size_t in_chunk = std::min(rest(), bound);
  if (from < in_chunk) {
    const size_t hit = internal::FindNeedle(
        absl::string_view(cur_ + from, in_chunk - from), needle);
    if (hit != internal::kNotFound) return from + hit;
  }
  if (in_chunk == bound) return npos;
  // Past it (or straddling its end): the Rope's search, which handles
  // matches across chunk boundaries, from the first start not yet tried.
  const size_t next = std::max(
      from, in_chunk >= needle.size() ? in_chunk - (needle.size() - 1) : 0);
  const size_t hit = rope_->Find(needle, pos_ + next);
  if (hit == Rope::npos || hit - pos_ + needle.size() > bound) return npos;
  return hit - pos_;
}

bool RopeReader::Read(size_t n, Rope* out) {
  if (n <= rest()) {
    // In the current chunk: share it straight from the cursor's path.
    *out = it_.Share(*rope_, cur_, n);
    cur_ += n;
    pos_ += n;
    return true;
  }
  if (n > remaining()) return false;
  *out = rope_->Subrope(pos_, n);
  Skip(n);
  return true;
}

bool RopeReader::ReadUntil(absl::string_view delimiter, Rope* out,
                           size_t limit) {
  assert(!delimiter.empty());
  const size_t hit = Find(delimiter, 0, limit);
  if (hit == npos) return false;
  return Read(hit + delimiter.size(), out);
}

bool RopeReader::ReadUntilView(absl::string_view delimiter,
                               std::string* scratch, absl::string_view* view,
                               size_t limit) {
  assert(!delimiter.empty());
  const size_t hit = Find(delimiter, 0, limit);
  if (hit == npos) return false;
  return ReadView(hit + delimiter.size(), scratch, view);
}

DecodeStatus RopeReader::ReadUnsigned(size_t width, ByteOrder order,
                                      uint64_t* value) {
  assert(width >= 1 && width <= 8);
  if (ABSL_PREDICT_TRUE(rest() >= width)) {
    *value = LoadUnsigned(cur_, width, order);
    cur_ += width;
    pos_ += width;
    return DecodeStatus::kOk;
  }
  if (remaining() < width) return DecodeStatus::kNeedMore;
  char buf[8];
  CopyAndAdvance(buf, width);
  *value = LoadUnsigned(buf, width, order);
  return DecodeStatus::kOk;
}

DecodeStatus RopeReader::ReadLengthPrefix(uint64_t* length) {
  const size_t start = pos_;
  uint64_t n;
  const DecodeStatus status = ReadVarint64(&n);
  if (status != DecodeStatus::kOk) return status;
  if (n > remaining()) {
    Seek(start);
    return DecodeStatus::kNeedMore;
  }
  *length = n;
  return DecodeStatus::kOk;
}

DecodeStatus RopeReader::ReadLengthDelimited(Rope* out) {
  uint64_t n;
  const DecodeStatus status = ReadLengthPrefix(&n);
  if (status == DecodeStatus::kOk) Read(static_cast<size_t>(n), out);
  return status;
}

DecodeStatus RopeReader::ReadLengthDelimitedView(std::string* scratch,
                                                 absl::string_view* view) {
  uint64_t n;
  const DecodeStatus status = ReadLengthPrefix(&n);
  if (status == DecodeStatus::kOk) {
    ReadView(static_cast<size_t>(n), scratch, view);
  }
  return status;
}

}  // namespace bytesio
