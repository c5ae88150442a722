// Copyright 2026 The bytesio Authors.
//
// Helpers shared by the fuzz targets (//fuzz:fuzz_util, testonly): a byte
// consumer that turns the fuzzer's input into decisions, a check macro that
// aborts (libFuzzer then saves the input), and Rope construction with the
// structure chosen by the input.
//
// FuzzInput reads from the front only, in a fixed and documented layout,
// so that fuzz/make_seed_corpus.py can write meaningful seed inputs. (LLVM's
// FuzzedDataProvider is clang-only and reads integers from the back; the
// same bodies also run as g++ tests that replay the corpus.)
//
// Layout rules (all little-endian):
//   Byte()             1 byte; 0 once the input is used up.
//   IntInRange(lo, hi) ceil(bits(hi - lo) / 8) bytes v (none when lo == hi),
//                      result lo + v % (hi - lo + 1); missing bytes are 0.
//   Fraction(n)        2 bytes v, result n * v / 65535 (every value of
//                      [0, n] when n <= 65535): a position relative to a
//                      size, in a width that does not depend on the size.
//   Pick(n)            1 byte b, result b % n: an index among n <= 256 items.
//   Bytes(n)           the next min(n, remaining) bytes.

#ifndef BYTESIO_FUZZ_FUZZ_UTIL_H_
#define BYTESIO_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/string_view.h"
#include "bytesio/rope.h"

// Aborts with a message when `cond` is false; active in every build mode
// (assert vanishes under -DNDEBUG).
#define FUZZ_CHECK(cond)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                   \
      std::abort();                                                    \
    }                                                                  \
  } while (0)

namespace bytesio {
namespace fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ == size_; }
  size_t remaining() const { return size_ - pos_; }

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  bool Bool() { return (Byte() & 1) != 0; }

  // Returns a value in [lo, hi] (see the layout rules above).
  template <typename T>
  T IntInRange(T lo, T hi);

  // Returns a value in [0, n]: n * v / 65535 for the next 2 bytes v.
  // Requires: n < 2^48.
  size_t Fraction(size_t n) {
    const uint64_t v = IntInRange<uint64_t>(0, 65535);
    return static_cast<size_t>(n * v / 65535);
  }

  // Returns Byte() % n. Requires: n > 0.
  size_t Pick(size_t n) { return Byte() % n; }

  // The next min(n, remaining()) bytes.
  std::string Bytes(size_t n);
  std::string RemainingBytes() { return Bytes(remaining()); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Counts the external chunks FromExternalCounted created and the releasers
// that ran, so a target can check that each releaser ran exactly once.
struct ReleaseCounter {
  int64_t created = 0;
  int64_t released = 0;
};

// A Rope over a heap copy of `data` adopted with Rope::FromExternal; the
// releaser frees the copy and counts into *counter (which must outlive the
// Rope and its copies). Empty data: released at once, as documented.
Rope FromExternalCounted(absl::string_view data, ReleaseCounter* counter);

// Returns a Rope holding exactly `data`, built in a way chosen by the input:
// a copy, an adopted std::string, pieces of input-chosen sizes (1..1024,
// so both sides of Rope::kMaxBytesToCopy) each in its own chunk, external
// pieces, sub-ropes of a larger owner (shared chunks; the owner is pushed
// to *keep_alive so the sharing lasts), one-byte chunks, or pieces
// prepended back to front. External chunks count into *counter.
Rope BuildRope(FuzzInput& in, absl::string_view data, ReleaseCounter* counter,
               std::vector<Rope>* keep_alive);

// Number of ways BuildRope knows (its first decision is IntInRange(0, n-1)).
inline constexpr int kRopeBuildModes = 7;

// ---------------------------------------------------------------------------
// Implementation details.

template <typename T>
T FuzzInput::IntInRange(T lo, T hi) {
  static_assert(std::is_integral_v<T>, "integral types only");
  using U = std::make_unsigned_t<T>;
  // Computed in U, so that it wraps to the width of T (small types promote).
  const uint64_t range =
      static_cast<U>(static_cast<U>(hi) - static_cast<U>(lo));
  if (range == 0) return lo;
  uint64_t v = 0;
  int shift = 0;
  for (uint64_t left = range; left != 0; left >>= 8, shift += 8) {
    v |= uint64_t{Byte()} << shift;
  }
  if (range != UINT64_MAX) v %= range + 1;
  return static_cast<T>(static_cast<U>(static_cast<U>(lo) + static_cast<U>(v)));
}

}  // namespace fuzz
}  // namespace bytesio

#endif  // BYTESIO_FUZZ_FUZZ_UTIL_H_
