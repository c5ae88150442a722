// Copyright 2026 The bytesio Authors.
//
// Tests of the test helpers themselves: the rope shapes really have the
// structure they promise, and the status matchers really fail.

#include "tests/test_util.h"

#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace bytesio {
namespace {

using internal::RopeAccess;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(TestUtil, EveryShapeHoldsTheBytes) {
  std::mt19937_64 rng(1);
  for (size_t size : ThresholdSizes()) {
    std::string data = RandomBytes(rng, size);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(absl::StrCat(size, " ", RopeShapeName(shape)));
      Rope rope = MakeRope(data, shape);
      EXPECT_EQ(rope.ToString(), data);
      EXPECT_EQ(RopeAccess::CheckInvariants(rope), "");
    }
  }
}

TEST(TestUtil, OneByteChunksHaveOneSlicePerByte) {
  for (size_t size :
       {size_t{1}, size_t{15}, size_t{16}, size_t{512}, size_t{65537}}) {
    Rope rope = MakeRope(std::string(size, 'o'), RopeShape::kOneByteChunks);
    EXPECT_EQ(RopeAccess::SliceCount(rope), size);
    size_t chunks = 0;
    for (absl::string_view chunk : rope.Chunks()) {
      EXPECT_EQ(chunk.size(), 1u);
      ++chunks;
    }
    EXPECT_EQ(chunks, size);
  }
}

TEST(TestUtil, SmallChunksAreSmallAndMany) {
  Rope rope = MakeRope(std::string(200000, 's'), RopeShape::kSmallChunks);
  size_t chunks = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    EXPECT_LE(chunk.size(), 700u);
    ++chunks;
  }
  EXPECT_GE(chunks, 200000u / 700);
  EXPECT_EQ(RopeAccess::SliceCount(rope), chunks);
}

// Shared chunks are not unique, so an Overwrite must copy (new addresses);
// a private rope of the same bytes is written in place.
TEST(TestUtil, SharedChunksAreShared) {
  for (size_t size : {size_t{16}, size_t{600}, size_t{200000}}) {
    SCOPED_TRACE(size);
    std::string data(size, 'h');
    Rope shared = MakeRope(data, RopeShape::kSharedChunks);
    EXPECT_GE(RopeAccess::SliceCount(shared), size / 2048);
    const char* before = shared.Chunks().begin()->data();
    shared.Overwrite(0, "w");
    EXPECT_NE(shared.Chunks().begin()->data(), before);
    EXPECT_TRUE(shared.StartsWith("w"));

    Rope private_rope = MakeRope(data, RopeShape::kSmallChunks);
    before = private_rope.Chunks().begin()->data();
    private_rope.Overwrite(0, "w");
    EXPECT_EQ(private_rope.Chunks().begin()->data(), before);
  }
}

TEST(TestUtil, ExternalChunksAreSeveralAndNotCopied) {
  Rope rope = MakeRope(std::string(100000, 'x'), RopeShape::kExternalChunks);
  EXPECT_GE(RopeAccess::SliceCount(rope), 100000u / 4096);
  std::set<const char*> starts;
  for (absl::string_view chunk : rope.Chunks()) {
    EXPECT_GT(chunk.size(), Rope::kMaxBytesToCopy);
    starts.insert(chunk.data());
  }
  EXPECT_EQ(starts.size(), RopeAccess::SliceCount(rope));
}

TEST(TestUtil, StructureIsDeterministic) {
  for (RopeShape shape : AllRopeShapes()) {
    Rope a = MakeRope(std::string(5000, 'a'), shape);
    Rope b = MakeRope(std::string(5000, 'b'), shape);
    std::vector<size_t> a_sizes, b_sizes;
    for (absl::string_view chunk : a.Chunks()) a_sizes.push_back(chunk.size());
    for (absl::string_view chunk : b.Chunks()) b_sizes.push_back(chunk.size());
    EXPECT_EQ(a_sizes, b_sizes) << RopeShapeName(shape);
  }
}

TEST(TestUtil, ThresholdSizesCrossTheRopeThresholds) {
  std::vector<size_t> sizes = ThresholdSizes();
  for (size_t size : {size_t{0}, Rope::kMaxInline, Rope::kMaxInline + 1,
                      Rope::kMaxBytesToCopy, Rope::kMaxBytesToCopy + 1,
                      size_t{65536}, size_t{65537}}) {
    EXPECT_THAT(sizes, ::testing::Contains(size));
  }
}

TEST(TestUtil, RandomBytesCoverAllValues) {
  std::mt19937_64 rng(2);
  std::string bytes = RandomBytes(rng, 100000);
  EXPECT_EQ(bytes.size(), 100000u);
  std::set<char> seen(bytes.begin(), bytes.end());
  EXPECT_EQ(seen.size(), 256u);
  EXPECT_EQ(RandomBytes(rng, 7).size(), 7u);
  EXPECT_NE(RandomBytes(rng, 64), RandomBytes(rng, 64));
}

TEST(TestUtil, TestSeedReadsTheEnvironment) {
  // Only when the test runs without --seed or BYTESIO_SEED of its own (a
  // --seed flag takes precedence over the environment).
  if (std::getenv("BYTESIO_SEED") == nullptr &&
      TestSeed() == kDefaultTestSeed) {
    setenv("BYTESIO_SEED", "12345", 1);
    EXPECT_EQ(TestSeed(), 12345u);
    unsetenv("BYTESIO_SEED");
  }
  EXPECT_THAT(SeedTrace(77), HasSubstr("--seed=77"));
}

TEST(TestUtil, StatusMacrosAndMatchers) {
  absl::StatusOr<int> value = 42;
  ASSERT_OK(value);
  EXPECT_OK(absl::OkStatus());
  ASSERT_OK_AND_ASSIGN(int got, value);
  EXPECT_EQ(got, 42);
  ASSERT_OK_AND_ASSIGN(got, absl::StatusOr<int>(7));
  EXPECT_EQ(got, 7);

  absl::Status error = absl::InvalidArgumentError("negative seek position");
  EXPECT_THAT(error, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(error, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("negative")));
  EXPECT_THAT(error, StatusIs(absl::StatusCode::kInvalidArgument,
                              "negative seek position"));
  EXPECT_THAT(error, Not(StatusIs(absl::StatusCode::kOutOfRange)));
  EXPECT_THAT(error, Not(StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("positive"))));
  EXPECT_THAT(error, Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(error),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(value, IsOk());
}

TEST(TestUtil, FailingChecksFail) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(absl::InternalError("boom")), "boom");
  EXPECT_FATAL_FAILURE(ASSERT_OK(absl::InternalError("bang")), "bang");
  EXPECT_FATAL_FAILURE(
      {
        ASSERT_OK_AND_ASSIGN(int x,
                             absl::StatusOr<int>(absl::UnknownError("no")));
        (void)x;
      },
      "no");
}

}  // namespace
}  // namespace bytesio
