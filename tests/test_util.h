// Copyright 2026 The bytesio Authors.
//
// Shared helpers for bytesio's tests (testonly; //tests:test_util).
//
//   Status checks   ASSERT_OK(expr), EXPECT_OK(expr) for absl::Status and
//                   absl::StatusOr<T>; ASSERT_OK_AND_ASSIGN(lhs, rexpr);
//                   matchers IsOk() and StatusIs(code[, message_matcher]).
//   Rope shapes     MakeRope(data, shape) builds the same bytes with
//                   deliberately different structure, so that one test body
//                   run over AllRopeShapes() x ThresholdSizes() crosses every
//                   internal boundary (inline max, copy-or-share threshold,
//                   chunk growth steps, 1-byte chunks, shared and external
//                   chunks).
//   Randomness      TestSeed() and RandomBytes().
//
// Seeds. TestSeed() returns, in this order of preference: the N of a
// `--seed=N` command-line argument, the value of the environment variable
// BYTESIO_SEED, or kDefaultTestSeed. Under Bazel:
//
//   ./bazelw test //tests:rope_model_test --test_arg=--seed=42
//   ./bazelw test //tests:rope_model_test --test_env=BYTESIO_SEED=42
//
// The flag is read from /proc/self/cmdline, so it works with gtest_main
// (GoogleTest ignores flags it does not know). Tests that depend on
// //tests:test_main instead of gtest_main additionally get `--seed=N`
// stripped before GoogleTest sees the arguments and a line
// "bytesio: reproduce with --seed=N" printed after every failing test.
// Tests should still SCOPED_TRACE the seed they use (see SeedTrace()).

#ifndef BYTESIO_TESTS_TEST_UTIL_H_
#define BYTESIO_TESTS_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bytesio {
namespace testutil {

// ---------------------------------------------------------------------------
// Status helpers.

// Returns the status of an absl::Status or absl::StatusOr<T>.
inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

#define BYTESIO_TEST_CONCAT_INNER_(a, b) a##b
#define BYTESIO_TEST_CONCAT_(a, b) BYTESIO_TEST_CONCAT_INNER_(a, b)

// Fails (fatally / non-fatally) unless `expr` (an absl::Status or
// absl::StatusOr<T>) is OK; the message shows the status.
#define ASSERT_OK(expr) \
  ASSERT_THAT(::bytesio::testutil::GetStatus(expr), ::bytesio::testutil::IsOk())
#define EXPECT_OK(expr) \
  EXPECT_THAT(::bytesio::testutil::GetStatus(expr), ::bytesio::testutil::IsOk())

// Evaluates `rexpr` (an absl::StatusOr<T>), fails fatally unless it is OK,
// else move-assigns its value to `lhs`, which may be a declaration:
//   ASSERT_OK_AND_ASSIGN(std::string data, io.Read(10));
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  BYTESIO_ASSERT_OK_AND_ASSIGN_IMPL_(    \
      BYTESIO_TEST_CONCAT_(bytesio_status_or_, __COUNTER__), lhs, rexpr)
#define BYTESIO_ASSERT_OK_AND_ASSIGN_IMPL_(var, lhs, rexpr) \
  auto var = (rexpr);                                       \
  ASSERT_OK(var);                                           \
  lhs = std::move(var).value()

// Matches an OK absl::Status or absl::StatusOr<T>.
MATCHER(IsOk, "is OK") {
  const absl::Status& status = ::bytesio::testutil::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

namespace internal_status {

class StatusIsMatcher {
 public:
  StatusIsMatcher(absl::StatusCode code,
                  ::testing::Matcher<const std::string&> message)
      : code_(code), message_(std::move(message)) {}

  template <typename T>
  operator ::testing::Matcher<T>() const {  // NOLINT: implicit by design
    return ::testing::MakeMatcher(new Impl<T>(code_, message_));
  }

 private:
  template <typename T>
  class Impl : public ::testing::MatcherInterface<T> {
   public:
    Impl(absl::StatusCode code, ::testing::Matcher<const std::string&> message)
        : code_(code), message_(std::move(message)) {}

    bool MatchAndExplain(
        T value, ::testing::MatchResultListener* listener) const override {
      const absl::Status& status = ::bytesio::testutil::GetStatus(value);
      *listener << "status is " << status;
      if (status.code() != code_) return false;
      const std::string message(status.message());
      ::testing::StringMatchResultListener inner;
      if (!message_.MatchAndExplain(message, &inner)) {
        if (!inner.str().empty()) *listener << ", message " << inner.str();
        return false;
      }
      return true;
    }
    void DescribeTo(std::ostream* os) const override {
      *os << "has code " << absl::StatusCodeToString(code_)
          << " and a message that ";
      message_.DescribeTo(os);
    }
    void DescribeNegationTo(std::ostream* os) const override {
      *os << "does not have code " << absl::StatusCodeToString(code_)
          << " or has a message that ";
      message_.DescribeNegationTo(os);
    }

   private:
    absl::StatusCode code_;
    ::testing::Matcher<const std::string&> message_;
  };

  absl::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
};

}  // namespace internal_status

// Matches an absl::Status or absl::StatusOr<T> whose code is `code` and whose
// message matches `message` (a gmock matcher of std::string). As in upstream
// Abseil, a plain string means equality; for a substring write
//   EXPECT_THAT(io.Seek(-1), StatusIs(absl::StatusCode::kInvalidArgument,
//                                     ::testing::HasSubstr("negative")));
inline internal_status::StatusIsMatcher StatusIs(
    absl::StatusCode code, ::testing::Matcher<const std::string&> message) {
  return internal_status::StatusIsMatcher(code, std::move(message));
}
// Matches any message.
inline internal_status::StatusIsMatcher StatusIs(absl::StatusCode code) {
  return StatusIs(code, ::testing::_);
}

// ---------------------------------------------------------------------------
// Rope shapes.

enum class RopeShape {
  kFlat,            // one run: Rope(std::string) (inline when <= 15 bytes)
  kOneByteChunks,   // every byte in its own chunk: size() slices
  kSmallChunks,     // private owned chunks of 1..700 random bytes each
  kSharedChunks,    // slices of a chunk that another Rope also references
  kExternalChunks,  // pieces adopted with Rope::FromExternal (heap memory
                    // freed by the releaser)
};

std::vector<RopeShape> AllRopeShapes();
std::string RopeShapeName(RopeShape shape);
inline std::ostream& operator<<(std::ostream& out, RopeShape shape) {
  return out << RopeShapeName(shape);
}

// Returns a Rope holding exactly `data`, built with the structure of `shape`.
// The structure is deterministic for given (data.size(), shape).
//  - kFlat: Rope(std::string(data)): inline up to Rope::kMaxInline, a copy
//    up to kMaxBytesToCopy, an adopted string above.
//  - kOneByteChunks: each byte is a RopeBuffer of its own chunk, appended;
//    RopeAccess::SliceCount == data.size(), never inline, even for tiny
//    data. Building costs one allocation per byte.
//  - kSmallChunks: RopeBuffers of 1..700 bytes, appended (one slice each).
//  - kSharedChunks: all pieces (the first of any size, the others of
//    512..2047 bytes, so that Append shares rather than copies) are Subropes
//    of one owner Rope that is also kept alive in a holder of the most
//    recent kSharedOwnersKept owners; their chunk's refcount is > 1, so
//    writes must copy. Slices are separated by a byte in the owner, so they
//    never merge.
//  - kExternalChunks: each piece (the first of any size, the others of
//    512..4095 bytes) is a new[] copy adopted with Rope::FromExternal whose
//    releaser delete[]s it.
// Tiny data (<= kMaxInline) may be inline in the other shapes.
Rope MakeRope(absl::string_view data, RopeShape shape);

// How many owner ropes of kSharedChunks ropes are kept alive (bounded, so
// that long tests do not accumulate memory). A test that needs sharing to
// persist should keep its own copy of the rope.
inline constexpr size_t kSharedOwnersKept = 64;

// Sizes that cross every internal threshold of the Rope: empty, one byte,
// around kMaxInline (15), 256 (first coalesced chunk), kMaxBytesToCopy (511),
// 4 KiB, 64 KiB (largest coalesced chunk), and a multi-chunk size.
std::vector<size_t> ThresholdSizes();

// ---------------------------------------------------------------------------
// Randomness.

inline constexpr uint64_t kDefaultTestSeed = 20260125;

// The seed for randomised tests: --seed=N, else env BYTESIO_SEED, else
// kDefaultTestSeed (see the file comment).
uint64_t TestSeed();

// Sets the seed returned by TestSeed() (used by //tests:test_main).
void SetTestSeedOverride(uint64_t seed);

// "seed=N (rerun with --seed=N or BYTESIO_SEED=N)", for SCOPED_TRACE.
std::string SeedTrace(uint64_t seed);

// `n` uniformly random bytes (all 256 values, including '\0' and '\xff').
std::string RandomBytes(std::mt19937_64& rng, size_t n);

}  // namespace testutil

// The helpers are also visible as bytesio::<name> so that tests in namespace
// bytesio (or using it) need no qualification.
using testutil::AllRopeShapes;
using testutil::IsOk;
using testutil::kDefaultTestSeed;
using testutil::MakeRope;
using testutil::RandomBytes;
using testutil::RopeShape;
using testutil::RopeShapeName;
using testutil::SeedTrace;
using testutil::StatusIs;
using testutil::TestSeed;
using testutil::ThresholdSizes;

}  // namespace bytesio

#endif  // BYTESIO_TESTS_TEST_UTIL_H_
