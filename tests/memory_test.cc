// Copyright 2026 The bytesio Authors.
//
// Memory per byte held: the bound of benchmarks/memory_benchmark.cc (at most
// 1.10 bytes allocated per byte held) pinned on its worst pattern, shared
// pieces between small copied headers, so that chunk sizing cannot regress;
// plus the chunk rounding rules and what EstimatedMemoryUsage() counts.
// Counts operator new, so it is a binary of its own.

#include <cstddef>
#include <cstring>
#include <random>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/frame_writer.h"
#include "bytesio/internal/btree.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "gtest/gtest.h"
#include "tests/counting_new.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

// The benchmark's bar: allocated bytes per byte held.
constexpr double kMaxAllocPerByte = 1.10;

using testutil::AllocatedBytes;
using testutil::AllocationCount;

class MemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testutil::AllocationCountingAvailable()) {
      GTEST_SKIP() << "operator new is not replaceable in this build";
    }
  }
};

// 2 MiB of random bytes, made before any counting starts.
const std::string& Bytes() {
  static const std::string* const bytes = [] {
    std::mt19937_64 rng(11);
    return new std::string(testutil::RandomBytes(rng, size_t{2} << 20));
  }();
  return *bytes;
}

double PerByte(size_t allocated, size_t held) {
  return static_cast<double>(allocated) / static_cast<double>(held);
}

// The pattern that used to cost a 64 KiB chunk per header (33x the bytes
// held): a received buffer is adopted, and the message is shared pieces of
// it, each after a 16-byte header that is copied. Everything is counted,
// the received buffer included. Payloads from just above the copy threshold
// (the most headers per byte) to 8 KiB.
TEST_F(MemoryTest, SharedPiecesBetweenSmallHeadersStayWithinTheBound) {
  const std::string& bytes = Bytes();
  for (size_t payload :
       {Rope::kMaxBytesToCopy + 1, size_t{1500}, size_t{2000}, size_t{8192}}) {
    SCOPED_TRACE(payload);
    const size_t before = AllocatedBytes();
    Rope message;
    {
      const Rope received{std::string(bytes)};  // adopted, not copied
      for (size_t pos = 0; pos + payload <= bytes.size(); pos += payload) {
        message.Append(absl::string_view(bytes).substr(pos % 997, 16));
        message.Append(received.Subrope(pos, payload));
      }
    }
    const size_t allocated = AllocatedBytes() - before;
    EXPECT_LE(PerByte(allocated, message.size()), kMaxAllocPerByte);
    // Nothing was freed, so the estimate sees the same memory.
    EXPECT_LE(PerByte(message.EstimatedMemoryUsage(), message.size()),
              kMaxAllocPerByte);
    EXPECT_GE(message.EstimatedMemoryUsage(), message.size());
  }
}

// FrameWriter's 4-byte length field before each shared payload: a small
// chunk per frame, patched in place.
TEST_F(MemoryTest, FramesAroundSharedPayloadsStayWithinTheBound) {
  const std::string& bytes = Bytes();
  for (size_t payload : {size_t{1500}, size_t{2000}, size_t{8192}}) {
    SCOPED_TRACE(payload);
    const size_t before = AllocatedBytes();
    Rope out;
    {
      const Rope received{std::string(bytes)};
      FrameWriter writer(LengthFieldFraming{}, &out);
      for (size_t pos = 0; pos + payload <= bytes.size(); pos += payload) {
        ASSERT_TRUE(writer.WriteFrame(received.Subrope(pos, payload)).ok());
      }
    }
    EXPECT_LE(PerByte(AllocatedBytes() - before, out.size()), kMaxAllocPerByte);
  }
}

// A small append after a shared tail gets a chunk sized from the write:
// one small allocation (plus, now and then, a tree node), not 64 KiB.
TEST_F(MemoryTest, SmallAppendAfterASharedTailAllocatesASmallChunk) {
  const Rope shared{std::string(Bytes())};
  Rope message = shared.Subrope(0, 100000);
  message.Append(shared.Subrope(200000, 100000));
  const size_t before = AllocatedBytes();
  message.Append(absl::string_view(Bytes()).substr(0, 16));
  EXPECT_LE(AllocatedBytes() - before, 64u + 512u);
  // Further small appends fill that chunk's run, growing geometrically.
  const size_t count = AllocationCount();
  for (int i = 0; i < 1000; ++i) {
    message.Append(absl::string_view(Bytes()).substr(i, 16));
  }
  EXPECT_LE(AllocationCount() - count, 8u);
}

// Small writes coalesce: 1000 x 16 bytes on an empty rope take a few
// geometrically growing chunks (and one leaf), not one chunk per write.
TEST_F(MemoryTest, SmallAppendsCoalesce) {
  const size_t count = AllocationCount();
  const size_t before = AllocatedBytes();
  Rope rope;
  for (int i = 0; i < 1000; ++i) {
    rope.Append(absl::string_view(Bytes()).substr(i, 16));
  }
  EXPECT_LE(AllocationCount() - count, 8u);
  // Read the counter first: EstimatedMemoryUsage allocates for its own
  // bookkeeping, and the order in which EXPECT_EQ's arguments are evaluated
  // is unspecified (clang evaluates left to right, gcc right to left).
  const size_t allocated = AllocatedBytes() - before;
  EXPECT_EQ(rope.EstimatedMemoryUsage() - sizeof(Rope), allocated);
}

// Large streams pay one allocation per 64 KiB block.
TEST_F(MemoryTest, LargeStreamsUse64KiBChunks) {
  const size_t count = AllocationCount();
  const size_t before = AllocatedBytes();
  Rope rope;
  const absl::string_view bytes = Bytes();
  for (size_t pos = 0; pos + 1500 <= bytes.size(); pos += 1500) {
    rope.Append(bytes.substr(pos, 1500));
  }
  // Beyond the bytes: at most the unfilled end of the last 64 KiB block, the
  // chunk headers and the index.
  EXPECT_LE(AllocatedBytes() - before, rope.size() + (64 << 10) + 4096);
  EXPECT_LE(AllocationCount() - count, rope.size() / (64 << 10) + 20);
  // Read the counter first: EstimatedMemoryUsage allocates for its own
  // bookkeeping, and the order in which EXPECT_EQ's arguments are evaluated
  // is unspecified (clang evaluates left to right, gcc right to left).
  const size_t allocated = AllocatedBytes() - before;
  EXPECT_EQ(rope.EstimatedMemoryUsage() - sizeof(Rope), allocated);
}

// A RopeBuffer's capacity is rounded to what its malloc block holds anyway
// (header + capacity a multiple of 8), and large buffers to whole pages, not
// to powers of two.
TEST_F(MemoryTest, RopeBufferCapacityIsRoundedToTheMallocBlock) {
  for (size_t asked : {size_t{1}, size_t{15}, size_t{16}, size_t{17},
                       size_t{1016}, size_t{1500}, size_t{4000}, size_t{65536},
                       size_t{200000}, size_t{1} << 20}) {
    SCOPED_TRACE(asked);
    const size_t before = AllocatedBytes();
    RopeBuffer buffer = RopeBuffer::CreateWithCapacity(asked);
    const size_t allocated = AllocatedBytes() - before;
    EXPECT_GE(buffer.capacity(), asked);
    EXPECT_EQ(buffer.capacity() % 8, 0u);
    if (asked < (64 << 10)) {
      EXPECT_LT(buffer.capacity(), std::max<size_t>(asked, 16) + 8);
    } else {
      EXPECT_LT(buffer.capacity(), asked + 4096);
    }
    if (asked >= (128 << 10)) {
      EXPECT_EQ((buffer.capacity() + 32) % 4096, 0u);
    }
    // One allocation: the chunk's 8-byte header and the capacity.
    EXPECT_EQ(allocated, buffer.capacity() + 8);
  }
  // One buffer per 1,500-byte packet: 1.39 bytes per byte with power-of-two
  // rounding, now within the bound (the tree's slices included).
  const size_t before = AllocatedBytes();
  Rope rope;
  const absl::string_view bytes = Bytes();
  for (size_t pos = 0; pos + 1500 <= bytes.size(); pos += 1500) {
    RopeBuffer buffer = RopeBuffer::CreateWithDefaultLimit(1500);
    std::memcpy(buffer.data(), bytes.data() + pos, 1500);
    buffer.SetLength(1500);
    rope.Append(std::move(buffer));
  }
  EXPECT_LE(PerByte(AllocatedBytes() - before, rope.size()), 1.03);
}

// EstimatedMemoryUsage counts what the Rope keeps alive: shared chunks in
// full, each chunk and node once however often the tree reaches it.
TEST_F(MemoryTest, EstimatedMemoryUsageCountsSharedMemoryWholeAndOnce) {
  Rope whole{absl::string_view(Bytes()).substr(0, 100000)};
  const size_t chunk = whole.EstimatedMemoryUsage() - sizeof(Rope);
  EXPECT_GE(chunk, 100000u);
  // A small shared piece keeps the whole chunk alive.
  Rope piece = whole.Subrope(1000, 1000);
  EXPECT_EQ(piece.EstimatedMemoryUsage(), whole.EstimatedMemoryUsage());
  // Two slices of one chunk: the chunk once, plus the one leaf.
  Rope twice = whole;
  twice.Append(whole);
  EXPECT_EQ(twice.size(), 200000u);
  const size_t leaf = twice.EstimatedMemoryUsage() - sizeof(Rope) - chunk;
  EXPECT_GT(leaf, 0u);
  EXPECT_LE(leaf, 1024u);
  // A rope appended to itself repeatedly reaches the same nodes along 2^n
  // paths; each is counted once (and the walk is linear in the nodes).
  Rope doubled = whole.Subrope(0, 600);
  for (int i = 0; i < 24; ++i) doubled.Append(doubled);
  EXPECT_EQ(doubled.size(), size_t{600} << 24);
  EXPECT_LE(doubled.EstimatedMemoryUsage(),
            whole.EstimatedMemoryUsage() + 64 * (leaf + 64));
  // External memory is counted whole too; the static zero chunk not at all.
  std::string adopted(Bytes().substr(0, 5000));
  const Rope external{std::move(adopted)};
  EXPECT_GE(external.EstimatedMemoryUsage(), 5000u);
  Rope zeros;
  zeros.AppendZeros(size_t{8} << 20);
  EXPECT_LE(zeros.EstimatedMemoryUsage(), sizeof(Rope) + 4 * 1024);
}

TEST_F(MemoryTest, BytesIOEstimatedMemoryUsageIsItsObjectAndItsData) {
  BytesIO file;
  const size_t empty = file.EstimatedMemoryUsage();
  EXPECT_EQ(empty, sizeof(BytesIO));
  ASSERT_TRUE(file.Write(absl::string_view(Bytes()).substr(0, 100000)).ok());
  absl::StatusOr<Rope> value = file.GetValue();
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(file.EstimatedMemoryUsage(),
            sizeof(BytesIO) - sizeof(Rope) + value->EstimatedMemoryUsage());
  EXPECT_GE(file.EstimatedMemoryUsage(), 100000u);
  ASSERT_TRUE(file.Close().ok());
  EXPECT_EQ(file.EstimatedMemoryUsage(), empty);
}

// ---------------------------------------------------------------------------
// Copy-on-write Overwrite: one descent.

// 100,000 distinct external chunks of 1 KiB (full nodes, height 4), so a
// lookup path is long and every chunk is shared with the snapshot.
Rope ManySharedChunks() {
  const std::string& bytes = Bytes();
  Rope rope;
  for (size_t i = 0; i < 100000; ++i) {
    rope.Append(
        Rope::FromExternal(absl::string_view(bytes).substr(
                               (i * 1024) % (bytes.size() - 1024), 1024),
                           [] {}));
  }
  return rope;
}

// A small overwrite of a shared tree clones the one path it writes through
// and makes one chunk. Splitting the slice it lands in adds two entries to
// a full leaf, which may split it and each full node above: at most two
// nodes per level, plus a new root and the chunk. (It used to clone the
// path, then split the tree twice and join it twice.)
TEST_F(MemoryTest, SharedOverwriteClonesOnePath) {
  Rope rope = ManySharedChunks();
  const Rope snapshot = rope;
  const std::string before = snapshot.ToString();
  const int height = internal::RopeAccess::TreeHeight(rope);
  ASSERT_GE(height, 4);
  for (size_t pos :
       {size_t{500}, size_t{50 * 1024 * 1024 + 7}, rope.size() - 600}) {
    SCOPED_TRACE(pos);
    const size_t count = AllocationCount();
    const size_t bytes = AllocatedBytes();
    rope.Overwrite(pos, "0123456789");
    const size_t allocations = AllocationCount() - count;
    const size_t allocated = AllocatedBytes() - bytes;
    const size_t max_nodes = 2 * (static_cast<size_t>(height) + 1) + 1;
    EXPECT_LE(allocations, max_nodes + 1);
    EXPECT_LE(allocated, max_nodes * sizeof(internal::Node) + 64);
    EXPECT_EQ(internal::RopeAccess::CheckInvariants(rope), "");
    EXPECT_EQ(rope.Subrope(pos, 10), "0123456789");
  }
  EXPECT_EQ(snapshot.ToString(), before);  // the snapshot never changes
}

// A long overwrite of shared slices makes one chunk per leaf it covers, not
// one per slice, and the bytes around it stay shared.
TEST_F(MemoryTest, SharedOverwriteOfManySlicesMakesOneChunkPerLeaf) {
  Rope rope = ManySharedChunks();
  const Rope snapshot = rope;
  const std::string patch(256 * 1024 + 3, '#');  // ~256 slices, 16+ leaves
  const size_t pos = 10 * 1024 * 1024 + 100;
  const size_t slices = internal::RopeAccess::SliceCount(rope);
  const size_t count = AllocationCount();
  rope.Overwrite(pos, patch);
  const size_t allocations = AllocationCount() - count;
  const size_t leaves = patch.size() / (16 * 1024) + 2;
  const int height = internal::RopeAccess::TreeHeight(rope);
  // Chunks: one per leaf; nodes: every leaf covered and the paths to them
  // (a sixteenth of that per level above), plus the splits of the two
  // boundary paths.
  EXPECT_LE(allocations, 2 * leaves + 2 * (height + 1) + 8);
  EXPECT_EQ(internal::RopeAccess::CheckInvariants(rope), "");
  EXPECT_LE(internal::RopeAccess::SliceCount(rope), slices + 2 + leaves);
  std::string expected = snapshot.ToString();
  expected.replace(pos, patch.size(), patch);
  EXPECT_TRUE(rope == expected);
}

}  // namespace
}  // namespace bytesio
