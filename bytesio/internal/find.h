// Copyright 2026 The bytesio Authors.
//
// FindNeedle: substring search inside one contiguous run of bytes, for the
// Rope's and the cursor's Find (delimiters such as "\r\n" in framing).
//
// glibc's memmem examines every byte (about one byte per cycle for a short
// needle); looking for the needle's first byte with memchr and comparing at
// each candidate runs at memchr's speed on ordinary data, ten times faster
// for "\r\n" here. On hostile data, a run of the first byte, the candidates
// are dense and each costs a memchr call: after kMaxFalseStarts candidates
// that do not match, the rest goes to memmem, whose cost does not depend on
// the data. So the search is never slower than memmem by more than a
// constant.

#ifndef BYTESIO_INTERNAL_FIND_H_
#define BYTESIO_INTERNAL_FIND_H_

#include <string.h>

#include <cstddef>
#include <cstring>

#include "absl/strings/string_view.h"

namespace bytesio {
namespace internal {

inline constexpr size_t kNotFound = static_cast<size_t>(-1);

// Returns the offset of the first occurrence of `needle` in `hay`, or
// kNotFound. Requires: needle.size() >= 2.
inline size_t FindNeedle(absl::string_view hay, absl::string_view needle) {
  constexpr int kMaxFalseStarts = 16;
  const size_t m = needle.size();
  if (hay.size() < m) return kNotFound;
  const char* const begin = hay.data();
  const char* const last = begin + (hay.size() - m);  // last possible start
  const char* p = begin;
  for (int false_starts = 0; false_starts < kMaxFalseStarts; ++false_starts) {
    const void* hit =
        std::memchr(p, needle[0], static_cast<size_t>(last - p) + 1);
    if (hit == nullptr) return kNotFound;
    p = static_cast<const char*>(hit);
    // A delimiter is a byte or two: compare those inline, not by a call.
    if (p[1] == needle[1] &&
        (m == 2 || std::memcmp(p + 2, needle.data() + 2, m - 2) == 0)) {
      return static_cast<size_t>(p - begin);
    }
    ++p;
    if (p > last) return kNotFound;
  }
  const void* hit =
      memmem(p, static_cast<size_t>(last - p) + m, needle.data(), m);
  return hit == nullptr
             ? kNotFound
             : static_cast<size_t>(static_cast<const char*>(hit) - begin);
}

}  // namespace internal
}  // namespace bytesio

#endif  // BYTESIO_INTERNAL_FIND_H_
