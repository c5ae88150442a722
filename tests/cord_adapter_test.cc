// Copyright 2026 The bytesio Authors.

#include "bytesio/cord_adapter.h"

#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "bytesio/rope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

// The (data, size) of every chunk larger than the copy threshold, in order.
template <typename Chunks>
std::vector<absl::string_view> LargeChunks(const Chunks& chunks) {
  std::vector<absl::string_view> result;
  for (absl::string_view chunk : chunks) {
    if (chunk.size() > Rope::kMaxBytesToCopy) result.push_back(chunk);
  }
  return result;
}

// Pointer identity, not just equal bytes: every chunk of `shared` appears,
// in order, among `actual`'s chunks with the same data pointer and size.
// (`actual` may hold more chunks: small source chunks are copied and
// coalesced into chunks of their own.)
void ExpectSameMemory(const std::vector<absl::string_view>& shared,
                      const std::vector<absl::string_view>& actual) {
  size_t next = 0;
  for (size_t i = 0; i < shared.size(); ++i) {
    while (next < actual.size() && actual[next].data() != shared[i].data()) {
      ++next;
    }
    ASSERT_LT(next, actual.size()) << "chunk " << i << " was copied";
    EXPECT_EQ(shared[i].size(), actual[next].size()) << "chunk " << i;
    ++next;
  }
}

template <typename Chunks>
std::vector<absl::string_view> AllChunks(const Chunks& chunks) {
  return std::vector<absl::string_view>(chunks.begin(), chunks.end());
}

// A heap buffer with a releaser that counts its calls; the buffer is freed
// by the releaser, so ASan reports any use after release.
struct CountedBuffer {
  explicit CountedBuffer(absl::string_view bytes)
      : data(new char[bytes.size()]), size(bytes.size()) {
    std::copy(bytes.begin(), bytes.end(), data);
  }
  absl::string_view view() const { return {data, size}; }
  // The releaser: frees the memory and counts.
  auto Releaser() {
    return [this](absl::string_view released) {
      EXPECT_EQ(released.data(), data);
      delete[] data;
      ++releases;
    };
  }
  char* data;
  size_t size;
  int releases = 0;
};

TEST(CordAdapter, RoundTripsBytesForEveryShapeAndSize) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  for (RopeShape shape : AllRopeShapes()) {
    for (size_t size : ThresholdSizes()) {
      SCOPED_TRACE(RopeShapeName(shape) + " size " + std::to_string(size));
      const std::string bytes = RandomBytes(rng, size);
      const Rope rope = MakeRope(bytes, shape);
      const absl::Cord cord = RopeToCord(rope);
      EXPECT_EQ(std::string(cord), bytes);
      const Rope back = CordToRope(cord);
      EXPECT_EQ(back.ToString(), bytes);
    }
  }
}

TEST(CordAdapter, RopeToCordSharesLargeChunks) {
  std::mt19937_64 rng(TestSeed());
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(RandomBytes(rng, 200000), shape);
    const absl::Cord cord = RopeToCord(rope);
    const std::vector<absl::string_view> large = LargeChunks(rope.Chunks());
    if (shape != RopeShape::kOneByteChunks) {
      EXPECT_FALSE(large.empty());
    }
    ExpectSameMemory(large, AllChunks(cord.Chunks()));
  }
}

TEST(CordAdapter, CordToRopeSharesLargeChunks) {
  std::mt19937_64 rng(TestSeed());
  // Flats built by Cord itself, an adopted string and an external piece.
  absl::Cord cord;
  for (int i = 0; i < 20; ++i) cord.Append(RandomBytes(rng, 3000));
  cord.Append(RandomBytes(rng, 100));
  cord.Append(absl::Cord(RandomBytes(rng, 100000)));
  auto external = std::make_shared<std::string>(RandomBytes(rng, 7000));
  cord.Append(absl::MakeCordFromExternal(*external, [external] {}));
  const Rope rope = CordToRope(cord);
  EXPECT_EQ(rope.ToString(), std::string(cord));
  const std::vector<absl::string_view> large = LargeChunks(cord.Chunks());
  ASSERT_GE(large.size(), 3u);
  ExpectSameMemory(large, AllChunks(rope.Chunks()));
}

TEST(CordAdapter, RoundTripKeepsBytesWhereTheyWere) {
  std::mt19937_64 rng(TestSeed());
  for (RopeShape shape : AllRopeShapes()) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope rope = MakeRope(RandomBytes(rng, 100000), shape);
    const Rope back = CordToRope(RopeToCord(rope));
    EXPECT_EQ(back, rope);
    ExpectSameMemory(LargeChunks(rope.Chunks()), AllChunks(back.Chunks()));
  }
  // And the other way round.
  absl::Cord cord;
  for (int i = 0; i < 10; ++i) cord.Append(absl::Cord(RandomBytes(rng, 5000)));
  const absl::Cord cord_back = RopeToCord(CordToRope(cord));
  EXPECT_EQ(cord_back, cord);
  ExpectSameMemory(LargeChunks(cord.Chunks()), AllChunks(cord_back.Chunks()));
}

TEST(CordAdapter, SmallChunksAreCopiedAndLargeOnesShared) {
  const std::string small(Rope::kMaxBytesToCopy, 's');
  const std::string large(Rope::kMaxBytesToCopy + 1, 'L');
  Rope rope = Rope::FromExternal(small, [] {});
  rope.Append(Rope::FromExternal(large, [] {}));
  ASSERT_EQ((*rope.Chunks().begin()).data(), small.data());
  const absl::Cord cord = RopeToCord(rope);
  EXPECT_EQ(std::string(cord), small + large);
  bool saw_large_share = false;
  for (absl::string_view chunk : cord.Chunks()) {
    EXPECT_NE(chunk.data(), small.data());
    if (chunk.data() == large.data()) saw_large_share = true;
  }
  EXPECT_TRUE(saw_large_share);
}

TEST(CordAdapter, RopeToCordReleasesTheChunkExactlyOnceAfterBothAreGone) {
  CountedBuffer buffer(std::string(10000, 'x'));
  auto rope = std::make_unique<Rope>(
      Rope::FromExternal(buffer.view(), buffer.Releaser()));
  auto cord = std::make_unique<absl::Cord>(RopeToCord(*rope));
  absl::Cord cord_copy = *cord;
  rope.reset();
  EXPECT_EQ(buffer.releases, 0);  // the Cord still holds the chunk
  EXPECT_EQ(std::string(*cord), std::string(10000, 'x'));
  cord.reset();
  EXPECT_EQ(buffer.releases, 0);  // so does the copy
  cord_copy.Clear();
  EXPECT_EQ(buffer.releases, 1);
}

TEST(CordAdapter, CordToRopeReleasesTheNodeExactlyOnceAfterBothAreGone) {
  CountedBuffer buffer(std::string(10000, 'y'));
  auto cord = std::make_unique<absl::Cord>(
      absl::MakeCordFromExternal(buffer.view(), buffer.Releaser()));
  auto rope = std::make_unique<Rope>(CordToRope(*cord));
  Rope rope_part = rope->Subrope(100, 5000);
  cord.reset();
  EXPECT_EQ(buffer.releases, 0);  // the Rope still holds the node
  EXPECT_EQ(rope->ToString(), std::string(10000, 'y'));
  rope.reset();
  EXPECT_EQ(buffer.releases, 0);  // so does the sub-rope
  EXPECT_EQ(rope_part.ToString(), std::string(5000, 'y'));
  rope_part.Clear();
  EXPECT_EQ(buffer.releases, 1);
}

TEST(CordAdapter, RoundTripReleasesExactlyOnce) {
  CountedBuffer buffer(std::string(70000, 'z'));
  auto rope = std::make_unique<Rope>(
      Rope::FromExternal(buffer.view(), buffer.Releaser()));
  auto cord = std::make_unique<absl::Cord>(RopeToCord(*rope));
  auto back = std::make_unique<Rope>(CordToRope(*cord));
  EXPECT_EQ((*back->Chunks().begin()).data(), buffer.data);
  rope.reset();
  cord.reset();
  EXPECT_EQ(buffer.releases, 0);
  back.reset();
  EXPECT_EQ(buffer.releases, 1);
}

TEST(CordAdapter, CopiedSmallChunksDoNotPinTheSource) {
  CountedBuffer buffer(std::string(Rope::kMaxBytesToCopy, 'q'));
  auto rope = std::make_unique<Rope>(
      Rope::FromExternal(buffer.view(), buffer.Releaser()));
  const absl::Cord cord = RopeToCord(*rope);
  rope.reset();
  EXPECT_EQ(buffer.releases, 1);  // the Cord holds a copy
  EXPECT_EQ(std::string(cord), std::string(Rope::kMaxBytesToCopy, 'q'));
}

TEST(CordAdapter, EmptyConvertsToEmpty) {
  EXPECT_TRUE(RopeToCord(Rope()).empty());
  EXPECT_TRUE(CordToRope(absl::Cord()).empty());
}

TEST(CordAdapter, SubcordAndSubropeConvertTheirRangeOnly) {
  std::mt19937_64 rng(TestSeed());
  const std::string bytes = RandomBytes(rng, 300000);
  const Rope rope = MakeRope(bytes, RopeShape::kExternalChunks);
  const Rope middle = rope.Subrope(1234, 200000);
  EXPECT_EQ(std::string(RopeToCord(middle)), bytes.substr(1234, 200000));
  const absl::Cord cord = RopeToCord(rope);
  EXPECT_EQ(CordToRope(cord.Subcord(777, 150000)).ToString(),
            bytes.substr(777, 150000));
}

}  // namespace
}  // namespace bytesio
