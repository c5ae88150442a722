// Copyright 2026 The bytesio Authors.
//
// Unit tests of bytesio::Rope. Most tests run over every (size, shape) of
// Cases(): ThresholdSizes() x AllRopeShapes(). Those ropes are built once and
// every test works on copies, so the fixture's TearDown also checks that no
// mutation of a copy ever leaked into the original (copy-on-write).
//
// Zero-copy claims are checked by pointer identity: ByteAddresses(r)[i] is
// where byte i of `r` lives, so "shares" means equal addresses and "copies"
// means different ones.

#include "bytesio/rope.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/internal/find.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/internal/rope_export.h"
#include "bytesio/rope_buffer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using internal::RopeAccess;
using internal::RopeExport;

// ---------------------------------------------------------------------------
// Helpers.

std::vector<absl::string_view> ChunkViews(const Rope& rope) {
  std::vector<absl::string_view> chunks;
  for (absl::string_view chunk : rope.Chunks()) chunks.push_back(chunk);
  return chunks;
}

std::vector<const char*> ByteAddresses(const Rope& rope) {
  // Raw pointers, not push_back: this runs over every byte of every case,
  // and unoptimised sanitizer builds pay a call per vector operation.
  std::vector<const char*> addresses(rope.size());
  const char** out = addresses.data();
  for (absl::string_view chunk : rope.Chunks()) {
    for (const char *p = chunk.data(), *end = p + chunk.size(); p != end; ++p) {
      *out++ = p;
    }
  }
  return addresses;
}

// True when bytes [pos, pos + n) of a rope (`addresses`) live at the same
// addresses as bytes [src_pos, src_pos + n) of another (`src_addresses`).
bool SameAddresses(const std::vector<const char*>& addresses, size_t pos,
                   const std::vector<const char*>& src_addresses,
                   size_t src_pos, size_t n) {
  return std::equal(addresses.data() + pos, addresses.data() + pos + n,
                    src_addresses.data() + src_pos);
}

// True when no byte of [pos, pos + n) of `rope` lives where the
// corresponding byte of `src` does (the bytes were copied).
bool AllAddressesDiffer(const Rope& rope, size_t pos,
                        const std::vector<const char*>& src_addresses,
                        size_t src_pos, size_t n) {
  const std::vector<const char*> addresses = ByteAddresses(rope);
  const char* const* a = addresses.data() + pos;
  const char* const* b = src_addresses.data() + src_pos;
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) return false;
  }
  return true;
}

// Checks the contents through Chunks() (not ToString, which is tested on its
// own), the absence of empty chunks, size()/empty() and the tree invariants.
::testing::AssertionResult RopeEquals(const Rope& rope,
                                      absl::string_view expected) {
  std::string invariants = RopeAccess::CheckInvariants(rope);
  if (!invariants.empty()) {
    return ::testing::AssertionFailure() << "invariants: " << invariants;
  }
  if (rope.size() != expected.size() || rope.empty() != expected.empty()) {
    return ::testing::AssertionFailure()
           << "size " << rope.size() << ", expected " << expected.size();
  }
  std::string contents;
  size_t chunks = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    if (chunk.empty()) {
      return ::testing::AssertionFailure() << "empty chunk #" << chunks;
    }
    contents.append(chunk.data(), chunk.size());
    ++chunks;
  }
  if (contents != expected) {
    size_t i = 0;
    while (i < contents.size() && i < expected.size() &&
           contents[i] == expected[i]) {
      ++i;
    }
    return ::testing::AssertionFailure()
           << "chunks hold " << contents.size() << " bytes, expected "
           << expected.size() << "; first difference at byte " << i;
  }
  return ::testing::AssertionSuccess();
}

// One (size, shape) input: the bytes and a rope built from them.
struct Case {
  RopeShape shape;
  std::string data;
  Rope rope;
  std::vector<const char*> addresses;  // ByteAddresses(rope), in place

  std::string Name() const {
    return absl::StrCat("size=", data.size(), " shape=", RopeShapeName(shape));
  }
};

const std::vector<Case>& Cases() {
  // Built once, deterministically; leaked on purpose (reachable, so
  // LeakSanitizer is quiet) to avoid work in static destructors.
  static const std::vector<Case>* cases = [] {
    auto* result = new std::vector<Case>;
    std::mt19937_64 rng(1);
    for (size_t size : ThresholdSizes()) {
      std::string data = RandomBytes(rng, size);
      for (RopeShape shape : AllRopeShapes()) {
        result->push_back({shape, data, MakeRope(data, shape), {}});
      }
    }
    // Only now: an inline rope's bytes live in the Rope object itself, which
    // moved while the vector grew.
    for (Case& c : *result) c.addresses = ByteAddresses(c.rope);
    return result;
  }();
  return *cases;
}

// Positions and lengths worth testing for a rope of `n` bytes: the ends and
// both sides of kMaxInline and kMaxBytesToCopy, from the front and the back.
// Fewer for large ropes, where every check costs O(n).
std::vector<size_t> SamplePoints(size_t n) {
  std::vector<size_t> points = {0, 1, 15, 16, 511, 512};
  std::vector<size_t> back = {0, 1, 16, 512};
  if (n <= 4096) {
    points.insert(points.end(), {2, 17, 255, 256, 510, 513});
    back.insert(back.end(), {15, 511, 513});
  }
  for (size_t b : back) {
    if (b <= n) points.push_back(n - b);
  }
  points.push_back(n / 2);
  points.erase(std::remove_if(points.begin(), points.end(),
                              [n](size_t p) { return p > n; }),
               points.end());
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

// True when [pos, pos + n) lies inside one chunk of `rope`.
bool WithinOneChunk(const Rope& rope, size_t pos, size_t n) {
  size_t start = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    if (pos >= start && pos + n <= start + chunk.size()) return true;
    start += chunk.size();
  }
  return false;
}

int Sign(int x) { return (x > 0) - (x < 0); }

// Fixture: after each test, every shared input must still hold its bytes.
class RopeTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const Case& c : Cases()) {
      ASSERT_TRUE(RopeEquals(c.rope, c.data)) << c.Name();
      ASSERT_EQ(ByteAddresses(c.rope), c.addresses) << c.Name();
    }
  }
};

// Counts releaser calls; the releaser also scribbles over and frees the
// memory, so any later read through a stale reference fails (and ASan
// reports it).
struct ExternalBuffer {
  explicit ExternalBuffer(absl::string_view data, int* released)
      : memory(new char[data.size()]), size(data.size()) {
    std::memcpy(memory, data.data(), data.size());
    rope = Rope::FromExternal(absl::string_view(memory, size),
                              [memory = memory, size = size, released] {
                                std::memset(memory, 'X', size);
                                delete[] memory;
                                ++*released;
                              });
  }
  char* memory;
  size_t size;
  Rope rope;
};

// ---------------------------------------------------------------------------
// Construction.

TEST_F(RopeTest, DefaultIsEmptyAndInline) {
  Rope rope;
  EXPECT_TRUE(RopeEquals(rope, ""));
  EXPECT_STREQ(RopeAccess::Kind(rope), "inline");
  EXPECT_EQ(RopeAccess::SliceCount(rope), 0u);
  EXPECT_LE(rope.EstimatedMemoryUsage(), sizeof(Rope));
  EXPECT_TRUE(rope.Chunks().begin() == rope.Chunks().end());
  EXPECT_TRUE(rope.begin() == rope.end());
}

TEST_F(RopeTest, ConstructsFromStringViewByCopying) {
  for (const Case& c : Cases()) {
    if (c.shape != RopeShape::kFlat) continue;
    SCOPED_TRACE(c.Name());
    Rope rope{absl::string_view(c.data)};
    EXPECT_TRUE(RopeEquals(rope, c.data));
    if (c.data.size() <= Rope::kMaxInline) {
      EXPECT_STREQ(RopeAccess::Kind(rope), "inline");
    } else {
      EXPECT_STRNE(RopeAccess::Kind(rope), "inline");
      EXPECT_NE(rope.Chunks().begin()->data(), c.data.data());
    }
  }
}

TEST_F(RopeTest, AdoptsLargeStringsAndCopiesSmallOnes) {
  for (size_t size : ThresholdSizes()) {
    SCOPED_TRACE(size);
    std::string data(size, 'q');
    std::string expected = data;
    const char* original = data.data();
    Rope rope(std::move(data));
    EXPECT_TRUE(RopeEquals(rope, expected));
    if (size <= Rope::kMaxInline) {
      EXPECT_STREQ(RopeAccess::Kind(rope), "inline");
    } else if (size <= Rope::kMaxBytesToCopy) {
      EXPECT_NE(rope.Chunks().begin()->data(), original);
    } else {
      ASSERT_EQ(ChunkViews(rope).size(), 1u);
      EXPECT_EQ(rope.Chunks().begin()->data(), original);
    }
  }
}

TEST_F(RopeTest, AdoptedStringLivesUntilLastReference) {
  std::string data(100000, 'a');
  const char* original = data.data();
  Rope rope(std::move(data));
  Rope part = rope.Subrope(1000, 50000);
  rope.Clear();
  // ASan reports a use after free here if the string died with `rope`.
  EXPECT_TRUE(RopeEquals(part, std::string(50000, 'a')));
  EXPECT_EQ(part.Chunks().begin()->data(), original + 1000);
}

TEST_F(RopeTest, FromExternalSharesAndReleasesOnceAfterLastReference) {
  for (size_t size : ThresholdSizes()) {
    SCOPED_TRACE(size);
    int released = 0;
    std::string data(size, 'e');
    {
      ExternalBuffer external(data, &released);
      if (size == 0) {
        EXPECT_EQ(released, 1);
        EXPECT_TRUE(RopeEquals(external.rope, ""));
        continue;
      }
      EXPECT_TRUE(RopeEquals(external.rope, data));
      EXPECT_EQ(external.rope.Chunks().begin()->data(), external.memory);
      Rope copy = external.rope;
      Rope part = external.rope.Subrope(size / 2, size);
      Rope holder{
          absl::string_view("prefix that is long enough to be a chunk")};
      holder.Append(external.rope);
      external.rope.Clear();
      copy.RemovePrefix(size / 2);
      EXPECT_TRUE(RopeEquals(copy, data.substr(size / 2)));
      copy = Rope();
      EXPECT_TRUE(RopeEquals(part, data.substr(size / 2)));
      part.Clear();
      bool holder_shares = size > Rope::kMaxBytesToCopy;
      EXPECT_EQ(released, holder_shares ? 0 : 1);
      EXPECT_TRUE(holder.EndsWith(data));
    }
    EXPECT_EQ(released, 1);
  }
}

TEST_F(RopeTest, FromExternalPassesTheDataToAStringViewReleaser) {
  static char memory[] = "external bytes, well over fifteen of them";
  struct Releaser {
    void operator()(absl::string_view data) const {
      ++*calls;
      *seen = data;
    }
    int* calls;
    absl::string_view* seen;
  };
  int calls = 0;
  absl::string_view seen;
  {
    Rope rope = Rope::FromExternal(memory, Releaser{&calls, &seen});
    EXPECT_EQ(rope, absl::string_view(memory));
    EXPECT_EQ(calls, 0);
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen.data(), memory);
  EXPECT_EQ(seen.size(), std::strlen(memory));

  // Empty data: released at once, with the (empty) view.
  calls = 0;
  Rope empty =
      Rope::FromExternal(absl::string_view(memory, 0), Releaser{&calls, &seen});
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(RopeEquals(empty, ""));
}

TEST_F(RopeTest, FromExternalAcceptsMoveOnlyReleasers) {
  auto owned = std::make_unique<std::string>(5000, 'm');
  absl::string_view view = *owned;
  int calls = 0;
  {
    Rope rope = Rope::FromExternal(
        view, [owned = std::move(owned), &calls] { ++calls; });
    EXPECT_TRUE(RopeEquals(rope, std::string(5000, 'm')));
  }
  EXPECT_EQ(calls, 1);
}

TEST_F(RopeTest, FromExternalIsReleasedOnceAcrossThreads) {
  int released = 0;
  {
    ExternalBuffer external(std::string(100000, 't'), &released);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([rope = external.rope, t]() mutable {
        for (int i = 0; i < 200; ++i) {
          Rope mine = rope.Subrope(static_cast<size_t>(i * 7), 20000);
          mine.Append(rope);
          mine.Overwrite(3, "written");
          mine.Append(absl::StrCat(t));
          Rope copy = mine;
          copy.RemovePrefix(1000);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(released, 0);
    EXPECT_TRUE(RopeEquals(external.rope, std::string(100000, 't')));
  }
  EXPECT_EQ(released, 1);
}

// ---------------------------------------------------------------------------
// Append and Prepend.

TEST_F(RopeTest, AppendBytesToEveryShape) {
  std::mt19937_64 rng(2);
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{511},
                     size_t{512}, size_t{70000}}) {
      SCOPED_TRACE(n);
      std::string extra = RandomBytes(rng, n);
      Rope rope = c.rope;
      rope.Append(extra);
      ASSERT_TRUE(RopeEquals(rope, c.data + extra));
      rope.Append(extra);
      ASSERT_TRUE(RopeEquals(rope, c.data + extra + extra));
    }
  }
}

TEST_F(RopeTest, PrependBytesToEveryShape) {
  std::mt19937_64 rng(3);
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{511},
                     size_t{512}, size_t{70000}}) {
      SCOPED_TRACE(n);
      std::string extra = RandomBytes(rng, n);
      Rope rope = c.rope;
      rope.Prepend(extra);
      ASSERT_TRUE(RopeEquals(rope, extra + c.data));
      rope.Prepend(extra);
      ASSERT_TRUE(RopeEquals(rope, extra + extra + c.data));
    }
  }
}

// For every pair of shapes and a selection of sizes: the result is right,
// large sources are shared (same addresses), small ones copied.
TEST_F(RopeTest, AppendAndPrependRopeShareLargeAndCopySmall) {
  const std::vector<Case>& cases = Cases();
  for (const Case& dest : cases) {
    if (dest.data.size() != 17 && dest.data.size() != 4096 &&
        dest.data.size() != 1 && dest.data.size() != 0) {
      continue;
    }
    for (const Case& src : cases) {
      if (src.data.size() > 65537 && dest.data.size() != 17) continue;
      SCOPED_TRACE(absl::StrCat("dest ", dest.Name(), ", src ", src.Name()));
      size_t n = src.data.size();
      bool shares = n > Rope::kMaxBytesToCopy;
      bool copies = !shares && n > 0 && !dest.data.empty();

      Rope appended = dest.rope;
      appended.Append(src.rope);
      ASSERT_TRUE(RopeEquals(appended, dest.data + src.data));
      if (shares) {
        EXPECT_TRUE(SameAddresses(ByteAddresses(appended), dest.data.size(),
                                  src.addresses, 0, n));
      }
      if (copies) {
        EXPECT_TRUE(AllAddressesDiffer(appended, dest.data.size(),
                                       src.addresses, 0, n));
      }

      Rope prepended = dest.rope;
      prepended.Prepend(src.rope);
      ASSERT_TRUE(RopeEquals(prepended, src.data + dest.data));
      if (shares) {
        EXPECT_TRUE(
            SameAddresses(ByteAddresses(prepended), 0, src.addresses, 0, n));
      }
      if (copies) {
        EXPECT_TRUE(AllAddressesDiffer(prepended, 0, src.addresses, 0, n));
      }

      Rope moved_from = src.rope;
      Rope moved_into = dest.rope;
      moved_into.Append(std::move(moved_from));
      ASSERT_TRUE(RopeEquals(moved_into, dest.data + src.data));
      if (shares) {
        EXPECT_TRUE(SameAddresses(ByteAddresses(moved_into), dest.data.size(),
                                  src.addresses, 0, n));
      }
    }
  }
}

TEST_F(RopeTest, AppendAndPrependSelf) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    Rope rope = c.rope;
    rope.Append(rope);
    ASSERT_TRUE(RopeEquals(rope, c.data + c.data));
    rope = c.rope;
    rope.Prepend(rope);
    ASSERT_TRUE(RopeEquals(rope, c.data + c.data));
    rope = c.rope;
    rope.Append(std::string(20, 'p'));  // a private tail chunk with room
    std::string expected = c.data + std::string(20, 'p');
    rope.Append(rope);
    ASSERT_TRUE(RopeEquals(rope, expected + expected));
  }
}

TEST_F(RopeTest, ThousandSmallAppendsCoalesce) {
  std::mt19937_64 rng(4);
  std::string expected;
  Rope rope;
  for (int i = 0; i < 1000; ++i) {
    std::string piece = RandomBytes(rng, 16);
    rope.Append(piece);
    expected += piece;
  }
  EXPECT_TRUE(RopeEquals(rope, expected));
  // 16000 bytes in chunks growing geometrically from 256 bytes: 6 chunks.
  EXPECT_LE(RopeAccess::SliceCount(rope), 7u);

  // Also after a large shared Rope: the appends go into new private chunks.
  Rope big = MakeRope(RandomBytes(rng, 100000), RopeShape::kExternalChunks);
  Rope mixed = big;
  for (int i = 0; i < 1000; ++i) mixed.Append("0123456789abcdef");
  size_t big_slices = RopeAccess::SliceCount(big);
  EXPECT_LE(RopeAccess::SliceCount(mixed), big_slices + 7);

  // And byte by byte.
  Rope bytes;
  for (int i = 0; i < 100000; ++i) bytes.Append("x");
  EXPECT_TRUE(RopeEquals(bytes, std::string(100000, 'x')));
  EXPECT_LE(RopeAccess::SliceCount(bytes), 100000 / 65536 + 10u);
}

TEST_F(RopeTest, LargeWriteGetsOneChunkOfItsOwn) {
  std::mt19937_64 rng(9);
  std::string data = RandomBytes(rng, 300000);
  Rope rope;
  rope.Append(data);
  EXPECT_TRUE(RopeEquals(rope, data));
  EXPECT_EQ(RopeAccess::SliceCount(rope), 1u);
  rope.Append(data);  // fills the (absent) room, then one more chunk
  EXPECT_TRUE(RopeEquals(rope, data + data));
  EXPECT_LE(RopeAccess::SliceCount(rope), 2u);
}

// Appending a view of the rope's own bytes: the source must be read before
// the rope changes under it.
TEST_F(RopeTest, AppendOfOwnBytes) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    Rope rope = c.rope;
    rope.Append(rope.Flatten());
    ASSERT_TRUE(RopeEquals(rope, c.data + c.data));
    Rope fresh{absl::string_view(c.data)};  // private, with tail room
    if (!c.data.empty()) {
      std::string first(*fresh.Chunks().begin());
      fresh.Append(*fresh.Chunks().begin());
      ASSERT_TRUE(RopeEquals(fresh, c.data + first));
    }
  }
}

TEST_F(RopeTest, ManyAppendedRopesBuildADeepBalancedTree) {
  std::mt19937_64 rng(5);
  std::string data = RandomBytes(rng, 600 * 5000);
  Rope rope;
  for (size_t i = 0; i < 5000; ++i) {
    // 600-byte external pieces: each is shared, so each is one slice.
    rope.Append(MakeRope(absl::string_view(data).substr(i * 600, 600),
                         RopeShape::kExternalChunks));
  }
  EXPECT_TRUE(RopeEquals(rope, data));
  EXPECT_EQ(RopeAccess::SliceCount(rope), 5000u);
  // 5000 slices with fanout 16 need height >= 3 (a leaf is height 0; height
  // 2 holds at most 16^3 = 4096 slices). Appends keep the nodes they leave
  // behind (nearly) full, 15 or 16 entries, so height 3 it is, well within
  // the log2(5000) = 12 that the invariants alone guarantee.
  EXPECT_GE(RopeAccess::TreeHeight(rope), 3);
  EXPECT_LE(RopeAccess::TreeHeight(rope), 3);
  for (size_t i = 0; i < data.size(); i += 997) {
    ASSERT_EQ(rope[i], data[i]) << i;
  }
}

// ---------------------------------------------------------------------------
// AppendZeros.

TEST_F(RopeTest, AppendZerosToEveryShape) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{512},
                     size_t{100000}}) {
      Rope rope = c.rope;
      rope.AppendZeros(n);
      ASSERT_TRUE(RopeEquals(rope, c.data + std::string(n, '\0'))) << n;
    }
  }
}

TEST_F(RopeTest, LargeZeroRunsAreNotAllocated) {
  Rope rope{absl::string_view("head")};
  rope.AppendZeros(size_t{64} << 20);
  ASSERT_EQ(rope.size(), (size_t{64} << 20) + 4);
  // One 1 MiB zero slice per MiB, not 64 MiB of new memory.
  ASSERT_LE(RopeAccess::SliceCount(rope), 64u + 3u);
  EXPECT_LT(rope.EstimatedMemoryUsage(), size_t{2} << 20);
  EXPECT_TRUE(rope.StartsWith(absl::string_view("head")));
  EXPECT_EQ(rope.Find(absl::string_view("\1", 1)), Rope::npos);

  // Past 4 GiB, where a slice's 32-bit length or offset would overflow.
  const size_t huge = (size_t{1} << 32) + 5;
  Rope zeros;
  zeros.AppendZeros(huge);
  zeros.Append("tail");
  ASSERT_EQ(zeros.size(), huge + 4);
  EXPECT_LE(RopeAccess::SliceCount(zeros), (huge >> 20) + 3);
  EXPECT_EQ(RopeAccess::CheckInvariants(zeros), "");
  EXPECT_EQ(zeros[0], '\0');
  EXPECT_EQ(zeros[huge - 1], '\0');
  EXPECT_EQ(zeros[huge], 't');
  EXPECT_TRUE(zeros.EndsWith(absl::string_view("\0tail", 5)));
  Rope snapshot = zeros;
  zeros.Overwrite(size_t{1} << 31, "written");
  EXPECT_EQ(zeros.Subrope(size_t{1} << 31, 7), "written");
  EXPECT_EQ(snapshot.Subrope(size_t{1} << 31, 7), std::string(7, '\0'));
  zeros.RemovePrefix(huge - 1);
  EXPECT_TRUE(RopeEquals(zeros, absl::string_view("\0tail", 5)));
}

TEST_F(RopeTest, OverwritingZerosNeverWritesTheSharedZeroChunk) {
  Rope a;
  a.AppendZeros(3 << 20);
  a.Overwrite(5, "abc");
  a.Overwrite((2 << 20) + 1, "def");
  Rope b;
  b.AppendZeros(3 << 20);
  EXPECT_TRUE(RopeEquals(b, std::string(3 << 20, '\0')));
  std::string expected(3 << 20, '\0');
  expected.replace(5, 3, "abc");
  expected.replace((2 << 20) + 1, 3, "def");
  EXPECT_TRUE(RopeEquals(a, expected));
  char* flat = RopeExport::MutableFlat(&b);
  ASSERT_NE(flat, nullptr);
  flat[0] = 'z';
  Rope c;
  c.AppendZeros(100);
  EXPECT_TRUE(RopeEquals(c, std::string(100, '\0')));
}

// ---------------------------------------------------------------------------
// Subrope, RemovePrefix, RemoveSuffix, Clear.

TEST_F(RopeTest, SubropeSharesLargeAndCopiesSmallMultiChunkRanges) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    for (size_t pos : SamplePoints(size)) {
      for (size_t n :
           {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{511},
            size_t{512}, size_t{4096}, size - pos, Rope::npos}) {
        SCOPED_TRACE(absl::StrCat("pos=", pos, " n=", n));
        Rope sub = c.rope.Subrope(pos, n);
        size_t len = std::min(n, size - pos);
        ASSERT_TRUE(RopeEquals(sub, absl::string_view(c.data).substr(pos, n)));
        if (len <= Rope::kMaxInline) {
          EXPECT_STREQ(RopeAccess::Kind(sub), "inline");
        } else if (len > Rope::kMaxBytesToCopy ||
                   WithinOneChunk(c.rope, pos, len)) {
          EXPECT_TRUE(
              SameAddresses(ByteAddresses(sub), 0, c.addresses, pos, len));
        } else {
          EXPECT_EQ(RopeAccess::SliceCount(sub), 1u);
          EXPECT_TRUE(AllAddressesDiffer(sub, 0, c.addresses, pos, len));
        }
      }
    }
  }
}

TEST_F(RopeTest, RemovePrefixAndSuffixKeepTheRestShared) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    std::vector<size_t> amounts = SamplePoints(size);
    amounts.push_back(size + 1);
    amounts.push_back(Rope::npos);
    for (size_t n : amounts) {
      SCOPED_TRACE(n);
      size_t removed = std::min(n, size);
      size_t left = size - removed;
      Rope front = c.rope;
      front.RemovePrefix(n);
      ASSERT_TRUE(RopeEquals(front, absl::string_view(c.data).substr(removed)));
      Rope back = c.rope;
      back.RemoveSuffix(n);
      ASSERT_TRUE(RopeEquals(back, absl::string_view(c.data).substr(0, left)));
      if (left > Rope::kMaxBytesToCopy) {
        EXPECT_TRUE(
            SameAddresses(ByteAddresses(front), 0, c.addresses, removed, left));
        EXPECT_TRUE(
            SameAddresses(ByteAddresses(back), 0, c.addresses, 0, left));
      }
      // Both again, on the already shortened ropes.
      front.RemoveSuffix(left / 3);
      back.RemovePrefix(left / 3);
      ASSERT_TRUE(RopeEquals(
          front, absl::string_view(c.data).substr(removed, left - left / 3)));
      ASSERT_TRUE(RopeEquals(
          back, absl::string_view(c.data).substr(left / 3, left - left / 3)));
    }
  }
}

TEST_F(RopeTest, FullyConsumedExternalChunksAreReleasedAtOnce) {
  int released[3] = {0, 0, 0};
  Rope rope;
  {
    ExternalBuffer a(std::string(1000, 'a'), &released[0]);
    ExternalBuffer b(std::string(1000, 'b'), &released[1]);
    ExternalBuffer c(std::string(1000, 'c'), &released[2]);
    rope.Append(a.rope);
    rope.Append(b.rope);
    rope.Append(c.rope);
  }
  EXPECT_THAT(released, ::testing::ElementsAre(0, 0, 0));
  rope.RemovePrefix(999);
  EXPECT_THAT(released, ::testing::ElementsAre(0, 0, 0));
  rope.RemovePrefix(1);
  EXPECT_THAT(released, ::testing::ElementsAre(1, 0, 0));
  rope.RemoveSuffix(1000);
  EXPECT_THAT(released, ::testing::ElementsAre(1, 0, 1));
  EXPECT_TRUE(RopeEquals(rope, std::string(1000, 'b')));
  Rope copy = rope;
  rope.Clear();
  EXPECT_THAT(released, ::testing::ElementsAre(1, 0, 1));
  copy.RemoveSuffix(1);
  copy.RemovePrefix(900);  // 99 bytes: still a slice, not inline
  EXPECT_THAT(released, ::testing::ElementsAre(1, 0, 1));
  EXPECT_TRUE(RopeEquals(copy, std::string(99, 'b')));
  copy.RemovePrefix(90);  // 9 bytes: inline, so the chunk goes
  EXPECT_THAT(released, ::testing::ElementsAre(1, 1, 1));
  EXPECT_TRUE(RopeEquals(copy, std::string(9, 'b')));
}

TEST_F(RopeTest, SmallPiecesDoNotPinExternalMemory) {
  int released = 0;
  Rope small;
  {
    ExternalBuffer external(std::string(10000, 's'), &released);
    small = external.rope.Subrope(100, 10);  // inline: a copy
  }
  EXPECT_EQ(released, 1);
  EXPECT_TRUE(RopeEquals(small, std::string(10, 's')));
}

TEST_F(RopeTest, ClearReleasesEverything) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    Rope rope = c.rope;
    rope.Clear();
    EXPECT_TRUE(RopeEquals(rope, ""));
    EXPECT_EQ(rope.EstimatedMemoryUsage(), Rope().EstimatedMemoryUsage());
    rope.Append("reused");
    EXPECT_TRUE(RopeEquals(rope, "reused"));
  }
  int released = 0;
  ExternalBuffer external(std::string(5000, 'c'), &released);
  external.rope.Clear();
  EXPECT_EQ(released, 1);
}

TEST_F(RopeTest, StreamThroughIsFreedAsConsumed) {
  std::mt19937_64 rng(6);
  std::string kib = RandomBytes(rng, 1024);
  Rope stream;
  stream.Append(std::string(10 * 1024, 'w'));  // a standing backlog
  size_t max_usage = 0;
  for (int i = 0; i < 100000; ++i) {
    stream.Append(kib);
    stream.RemovePrefix(1024);
    if (i % 1000 == 0)
      max_usage = std::max(max_usage, stream.EstimatedMemoryUsage());
  }
  EXPECT_EQ(stream.size(), 10u * 1024);
  EXPECT_TRUE(stream.EndsWith(kib));
  EXPECT_EQ(RopeAccess::CheckInvariants(stream), "");
  // 100 MiB passed through; what stays is the backlog plus at most a couple
  // of 64 KiB chunks being filled and drained.
  EXPECT_LE(max_usage, size_t{256} << 10);

  // The same with shared Ropes appended and consumed.
  int released = 0;
  Rope shared_stream;
  for (int i = 0; i < 1000; ++i) {
    ExternalBuffer piece(std::string(4096, 'p'), &released);
    shared_stream.Append(piece.rope);
    shared_stream.RemovePrefix(i == 0 ? 100 : 4096);
  }
  EXPECT_EQ(released, 999);
}

// ---------------------------------------------------------------------------
// Overwrite.

TEST_F(RopeTest, OverwriteCopiesOnlyTheTouchedBytesOfSharedRopes) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    for (size_t pos : SamplePoints(size)) {
      for (size_t n : {size_t{0}, size_t{1}, size_t{16}, size_t{600}}) {
        if (pos + n > size) continue;
        SCOPED_TRACE(absl::StrCat("pos=", pos, " n=", n));
        std::string patch(n, '#');
        Rope rope = c.rope;  // shares everything with c.rope
        rope.Overwrite(pos, patch);
        std::string expected = c.data;
        expected.replace(pos, n, patch);
        ASSERT_TRUE(RopeEquals(rope, expected));
        if (size > Rope::kMaxInline) {
          std::vector<const char*> addresses = ByteAddresses(rope);
          EXPECT_TRUE(SameAddresses(addresses, 0, c.addresses, 0, pos));
          EXPECT_TRUE(SameAddresses(addresses, pos + n, c.addresses, pos + n,
                                    size - pos - n));
        }
      }
    }
  }
}

TEST_F(RopeTest, OverwriteIsInPlaceWhenPrivate) {
  std::mt19937_64 rng(7);
  for (size_t size : ThresholdSizes()) {
    if (size <= Rope::kMaxInline) continue;
    std::string data = RandomBytes(rng, size);
    std::vector<Rope> ropes;
    ropes.emplace_back(absl::string_view(data));
    ropes.push_back(MakeRope(data, RopeShape::kOneByteChunks));
    ropes.push_back(MakeRope(data, RopeShape::kSmallChunks));
    for (Rope& rope : ropes) {
      SCOPED_TRACE(absl::StrCat("size=", size,
                                " slices=", RopeAccess::SliceCount(rope)));
      std::vector<const char*> before = ByteAddresses(rope);
      std::string expected = data;
      for (size_t pos : SamplePoints(size)) {
        size_t n = std::min<size_t>(size - pos, 20);
        std::string patch(n, static_cast<char>('A' + pos % 26));
        rope.Overwrite(pos, patch);
        expected.replace(pos, n, patch);
      }
      ASSERT_TRUE(RopeEquals(rope, expected));
      EXPECT_EQ(ByteAddresses(rope), before);
    }
  }
}

TEST_F(RopeTest, OverwriteNeverWritesExternalMemory) {
  int released = 0;
  std::string data(3000, 'x');
  {
    ExternalBuffer external(data, &released);
    Rope rope = external.rope;
    rope.Overwrite(1000, "changed");
    EXPECT_EQ(std::string(external.memory, external.size), data);
    EXPECT_EQ(rope.Subrope(995, 17), "xxxxxchangedxxxxx");
    // Now the rope is the only reference left.
    external.rope.Clear();
    EXPECT_EQ(released, 0);
    rope.Overwrite(0, "again");
    EXPECT_EQ(rope.Subrope(0, 7), "againxx");
    EXPECT_EQ(std::string(external.memory, external.size), data);
  }
  EXPECT_EQ(released, 1);
}

// ---------------------------------------------------------------------------
// GetAppendBuffer and RopeBuffer.

// Takes an append buffer from `rope`, checks that rope + buffer hold what the
// rope held, fills `extra` in and appends it back. Returns the buffer's
// data pointer.
const char* RoundTripAppendBuffer(Rope* rope, std::string* model,
                                  absl::string_view extra, size_t capacity) {
  std::vector<const char*> before = ByteAddresses(*rope);
  RopeBuffer buffer = rope->GetAppendBuffer(capacity, extra.size());
  EXPECT_GE(buffer.available().size(), extra.size());
  EXPECT_EQ(buffer.capacity(), buffer.length() + buffer.available().size());
  EXPECT_TRUE(RopeEquals(*rope, absl::string_view(*model).substr(
                                    0, model->size() - buffer.length())));
  EXPECT_EQ(absl::string_view(*model).substr(rope->size()), buffer.view());
  if (buffer.length() > 0) {
    // The detached tail chunk: its bytes stay where they were.
    EXPECT_EQ(buffer.data(), before[rope->size()]);
  }
  std::memcpy(buffer.available().data(), extra.data(), extra.size());
  buffer.IncreaseLength(extra.size());
  const char* data = buffer.data();
  const size_t rope_size = rope->size();
  const size_t buffer_size = buffer.length();
  rope->Append(std::move(buffer));
  EXPECT_EQ(buffer.length(), 0u);  // NOLINT: moved-from is empty by contract
  EXPECT_EQ(buffer.capacity(), 0u);
  model->append(extra.data(), extra.size());
  EXPECT_TRUE(RopeEquals(*rope, *model));
  if (model->size() > Rope::kMaxInline) {
    std::vector<const char*> after = ByteAddresses(*rope);
    for (size_t i = 0; i < buffer_size; ++i) {
      if (after[rope_size + i] != data + i) {
        ADD_FAILURE() << "byte " << rope_size + i << " was copied";
        break;
      }
    }
  }
  return data;
}

TEST_F(RopeTest, AppendBufferReusesThePrivateTailChunk) {
  Rope rope;
  rope.Append("twenty bytes of text");  // a private chunk with room
  std::string model = "twenty bytes of text";
  const char* tail = rope.Chunks().begin()->data();
  const char* data = RoundTripAppendBuffer(&rope, &model, "more", 100);
  EXPECT_EQ(data, tail);
  EXPECT_EQ(ChunkViews(rope).size(), 1u);
  // Again, after a large shared head.
  Rope head = MakeRope(std::string(5000, 'h'), RopeShape::kExternalChunks);
  rope = head;
  rope.Append("some private tail bytes");
  model = std::string(5000, 'h') + "some private tail bytes";
  size_t slices = RopeAccess::SliceCount(rope);
  std::vector<const char*> addresses = ByteAddresses(rope);
  data = RoundTripAppendBuffer(&rope, &model, "!", 64);
  EXPECT_EQ(data, addresses[5000]);
  EXPECT_EQ(RopeAccess::SliceCount(rope), slices);
}

TEST_F(RopeTest, AppendBufferRoundTripsOnEveryShape) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    Rope rope = c.rope;
    std::string model = c.data;
    RoundTripAppendBuffer(&rope, &model, "appended", 256);
    RoundTripAppendBuffer(&rope, &model, std::string(3000, 'b'), 4096);
    Rope copy = rope;  // now the tail is shared: must not be detached
    std::string copy_model = model;
    RoundTripAppendBuffer(&rope, &model, "after copy", 256);
    EXPECT_TRUE(RopeEquals(copy, copy_model));
    RoundTripAppendBuffer(&copy, &copy_model, "copy's own", 256);
    EXPECT_TRUE(RopeEquals(rope, model));
  }
}

TEST_F(RopeTest, EmptyBuffersAppendNothing) {
  Rope rope{absl::string_view("abc")};
  rope.Append(RopeBuffer());
  rope.Append(RopeBuffer::CreateWithDefaultLimit(100));
  EXPECT_TRUE(RopeEquals(rope, "abc"));
  Rope big = MakeRope(std::string(2000, 'b'), RopeShape::kSmallChunks);
  size_t slices = RopeAccess::SliceCount(big);
  big.Append(RopeBuffer::CreateWithCapacity(100));
  EXPECT_EQ(RopeAccess::SliceCount(big), slices);
  EXPECT_TRUE(RopeEquals(big, std::string(2000, 'b')));
}

TEST_F(RopeTest, RopeBufferCapacities) {
  EXPECT_GE(RopeBuffer::CreateWithDefaultLimit(1000).capacity(), 1000u);
  EXPECT_LE(RopeBuffer::CreateWithDefaultLimit(1 << 20).capacity(),
            RopeBuffer::kDefaultLimit);
  EXPECT_GE(RopeBuffer::CreateWithCapacity(1 << 20).capacity(), 1u << 20);
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(10);
  EXPECT_EQ(buffer.length(), 0u);
  EXPECT_EQ(buffer.available().size(), buffer.capacity());
  RopeBuffer moved = std::move(buffer);
  EXPECT_EQ(buffer.capacity(), 0u);  // NOLINT: moved-from is empty
  EXPECT_EQ(buffer.data(), nullptr);
  EXPECT_GE(moved.capacity(), 10u);
}

// ---------------------------------------------------------------------------
// Reading: chunks, bytes, search, comparison, hashing.

TEST_F(RopeTest, ChunksAreNonEmptyAndConcatenateToTheContents) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    std::string joined;
    size_t count = 0;
    for (auto it = c.rope.Chunks().begin(); it != c.rope.Chunks().end(); it++) {
      EXPECT_FALSE(it->empty());
      joined.append(it->data(), it->size());
      ++count;
    }
    EXPECT_EQ(joined, c.data);
    if (std::string(RopeAccess::Kind(c.rope)) != "inline") {
      EXPECT_EQ(count, RopeAccess::SliceCount(c.rope));
    } else {
      EXPECT_EQ(count, c.data.empty() ? 0u : 1u);
    }
  }
}

TEST_F(RopeTest, CharIteratorVisitsEveryByte) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    EXPECT_EQ(std::string(c.rope.begin(), c.rope.end()), c.data);
    size_t i = 0;
    for (auto it = c.rope.begin(); it != c.rope.end(); it++, ++i) {
      ASSERT_EQ(*it, c.data[i]) << i;
    }
    EXPECT_EQ(i, c.data.size());
    EXPECT_EQ(static_cast<size_t>(std::distance(c.rope.begin(), c.rope.end())),
              c.data.size());
  }
}

TEST_F(RopeTest, IndexReturnsEveryByte) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    for (size_t i = 0; i < c.data.size(); ++i) {
      ASSERT_EQ(c.rope[i], c.data[i]) << i;
    }
  }
}

TEST_F(RopeTest, FindByteMatchesStdString) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    std::vector<char> bytes = {'\0', '\xff', 'a'};
    if (size > 0) {
      bytes.push_back(c.data[0]);
      bytes.push_back(c.data[size / 2]);
      bytes.push_back(c.data[size - 1]);
    }
    std::vector<size_t> positions = SamplePoints(size);
    positions.push_back(size + 1);
    for (char b : bytes) {
      for (size_t pos : positions) {
        ASSERT_EQ(c.rope.Find(b, pos), c.data.find(b, pos))
            << "byte " << int{static_cast<unsigned char>(b)} << " pos " << pos;
      }
    }
  }
}

TEST_F(RopeTest, FindNeedleMatchesStdString) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    std::vector<std::string> needles = {"", std::string("\0\0\0\0", 4),
                                        "not in random data: 0123456789"};
    // Find is O(n + m) whatever the chunk sizes, so long needles run on
    // every shape, 1-byte chunks included.
    std::vector<size_t> starts = SamplePoints(size);
    std::vector<size_t> lengths = {1, 2, 3, 17, 600};
    if (size > 4096) starts = {0, size / 3, size - 600, size - 17};
    for (size_t pos : starts) {
      for (size_t n : lengths) {
        if (pos + n > size) continue;
        needles.push_back(c.data.substr(pos, n));
        // The same but with the last byte changed: usually absent.
        std::string changed = c.data.substr(pos, n);
        changed.back() = static_cast<char>(changed.back() ^ 0x55);
        needles.push_back(changed);
      }
    }
    std::vector<size_t> positions = {0, size / 2, size, size + 1};
    for (const std::string& needle : needles) {
      for (size_t pos : positions) {
        ASSERT_EQ(c.rope.Find(needle, pos), c.data.find(needle, pos))
            << "needle size " << needle.size() << " pos " << pos;
      }
    }
  }
}

// A two-letter alphabet makes partial matches at every chunk boundary.
TEST_F(RopeTest, FindNeedleWithPartialMatchesAcrossChunks) {
  std::mt19937_64 rng(8);
  for (size_t size : {size_t{20}, size_t{600}, size_t{5000}}) {
    std::string data;
    for (size_t i = 0; i < size; ++i) data.push_back("ab"[rng() % 2]);
    for (RopeShape shape : AllRopeShapes()) {
      SCOPED_TRACE(absl::StrCat("size=", size, " ", RopeShapeName(shape)));
      Rope rope = MakeRope(data, shape);
      for (int trial = 0; trial < 200; ++trial) {
        std::string needle;
        size_t n = 1 + rng() % 12;
        for (size_t i = 0; i < n; ++i) needle.push_back("ab"[rng() % 4 == 0]);
        size_t pos = rng() % (size + 1);
        ASSERT_EQ(rope.Find(needle, pos), data.find(needle, pos))
            << needle << " at " << pos;
      }
    }
  }
  // The match begins in the last byte of one 1-byte chunk.
  Rope rope = MakeRope("xxxxxxxxxxxxxxxxxxaab", RopeShape::kOneByteChunks);
  EXPECT_EQ(rope.Find("aab"), 18u);
  EXPECT_EQ(rope.Find("ab"), 19u);
  EXPECT_EQ(rope.Find("aabx"), Rope::npos);
  EXPECT_EQ(rope.Find('b'), 20u);
  EXPECT_EQ(rope.Find('b', 21), Rope::npos);
}

TEST_F(RopeTest, StartsWithAndEndsWith) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    for (size_t n : SamplePoints(size)) {
      absl::string_view prefix = absl::string_view(c.data).substr(0, n);
      absl::string_view suffix = absl::string_view(c.data).substr(size - n);
      EXPECT_TRUE(c.rope.StartsWith(prefix)) << n;
      EXPECT_TRUE(c.rope.EndsWith(suffix)) << n;
      // 1-byte chunks cost an allocation per byte: only for short ones.
      RopeShape fragmented =
          n <= 4096 ? RopeShape::kOneByteChunks : RopeShape::kSmallChunks;
      EXPECT_TRUE(c.rope.StartsWith(MakeRope(prefix, fragmented)));
      EXPECT_TRUE(c.rope.EndsWith(MakeRope(suffix, fragmented)));
      if (n > 0) {
        std::string bad_prefix(prefix);
        bad_prefix.back() ^= 1;
        std::string bad_suffix(suffix);
        bad_suffix.front() ^= 1;
        EXPECT_FALSE(c.rope.StartsWith(bad_prefix)) << n;
        EXPECT_FALSE(c.rope.EndsWith(bad_suffix)) << n;
        EXPECT_FALSE(
            c.rope.StartsWith(MakeRope(bad_prefix, RopeShape::kSmallChunks)));
        EXPECT_FALSE(
            c.rope.EndsWith(MakeRope(bad_suffix, RopeShape::kSharedChunks)));
      }
    }
    EXPECT_FALSE(c.rope.StartsWith(c.data + "x"));
    EXPECT_FALSE(c.rope.EndsWith("x" + c.data));
    EXPECT_FALSE(c.rope.StartsWith(Rope(c.data + "x")));
  }
}

TEST_F(RopeTest, CompareUsesUnsignedByteOrder) {
  EXPECT_GT(Rope(absl::string_view("\xff")).Compare("a"), 0);
  EXPECT_LT(
      Rope(absl::string_view("a")).Compare(Rope(absl::string_view("\xff"))), 0);
  EXPECT_TRUE(Rope(absl::string_view("a")) < Rope(absl::string_view("\xff")));
  EXPECT_TRUE(Rope(absl::string_view("a")) < absl::string_view("\x80"));
  EXPECT_FALSE(absl::string_view("\x80") < Rope(absl::string_view("a")));
  std::string a20(20, 'a');
  Rope high = MakeRope(a20 + "\xff", RopeShape::kOneByteChunks);
  Rope low = MakeRope(a20 + "a", RopeShape::kSmallChunks);
  EXPECT_GT(high.Compare(low), 0);
  EXPECT_LT(low.Compare(high), 0);
  EXPECT_TRUE(low < high);
  EXPECT_FALSE(high < low);
  EXPECT_TRUE(low != high);
}

TEST_F(RopeTest, CompareMatchesStdStringForEveryShapePair) {
  const std::vector<Case>& cases = Cases();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.Name());
    std::vector<std::string> others = {c.data, c.data + std::string(1, '\0'),
                                       c.data + "\xff", ""};
    if (!c.data.empty()) {
      others.push_back(c.data.substr(0, c.data.size() - 1));
      for (size_t pos : {size_t{0}, c.data.size() / 2, c.data.size() - 1}) {
        std::string up = c.data, down = c.data;
        up[pos] = static_cast<char>(up[pos] + 1);
        down[pos] = static_cast<char>(down[pos] - 1);
        others.push_back(up);
        others.push_back(down);
      }
    }
    for (const std::string& other : others) {
      int expected = Sign(c.data.compare(other));
      RopeShape other_shape =
          AllRopeShapes()[other.size() % AllRopeShapes().size()];
      if (other.size() > 65537 && other_shape == RopeShape::kOneByteChunks) {
        other_shape = RopeShape::kSmallChunks;  // an allocation per byte
      }
      Rope other_rope = MakeRope(other, other_shape);
      SCOPED_TRACE(absl::StrCat("other size ", other.size(), " ",
                                RopeShapeName(other_shape)));
      EXPECT_EQ(Sign(c.rope.Compare(other)), expected);
      EXPECT_EQ(Sign(c.rope.Compare(other_rope)), expected);
      EXPECT_EQ(Sign(other_rope.Compare(c.rope)), -expected);
      EXPECT_EQ(c.rope == other_rope, expected == 0);
      EXPECT_EQ(c.rope != other_rope, expected != 0);
      EXPECT_EQ(c.rope == absl::string_view(other), expected == 0);
      EXPECT_EQ(absl::string_view(other) == c.rope, expected == 0);
      EXPECT_EQ(c.rope != absl::string_view(other), expected != 0);
      EXPECT_EQ(absl::string_view(other) != c.rope, expected != 0);
      EXPECT_EQ(c.rope < other_rope, expected < 0);
      EXPECT_EQ(other_rope<c.rope, expected> 0);
      EXPECT_EQ(c.rope < absl::string_view(other), expected < 0);
      EXPECT_EQ(absl::string_view(other) < c.rope, expected > 0);
    }
  }
}

TEST_F(RopeTest, HashEqualsStringViewHashForEveryShape) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    EXPECT_EQ(absl::HashOf(c.rope), absl::HashOf(absl::string_view(c.data)));
    EXPECT_EQ(absl::Hash<Rope>{}(c.rope),
              absl::Hash<absl::string_view>{}(c.data));
    // Not a constant: appending a byte changes it.
    Rope longer = c.rope;
    longer.Append("x");
    EXPECT_NE(absl::HashOf(longer), absl::HashOf(c.rope));
  }
}

// ---------------------------------------------------------------------------
// Flatten, CopyTo, ToString, AppendTo, operator<<.

TEST_F(RopeTest, FlattenCopiesOnlyWhenThereAreSeveralChunks) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    Rope rope = c.rope;
    std::vector<absl::string_view> chunks = ChunkViews(rope);
    absl::string_view flat = rope.Flatten();
    EXPECT_EQ(flat, c.data);
    if (chunks.size() == 1) {
      EXPECT_EQ(flat.data(), chunks[0].data());
    } else if (chunks.size() > 1) {
      EXPECT_EQ(ChunkViews(rope).size(), 1u);
      EXPECT_EQ(rope.Chunks().begin()->data(), flat.data());
      EXPECT_NE(flat.data(), chunks[0].data());
    }
    EXPECT_EQ(rope.Flatten().data(), flat.data());  // now free
    EXPECT_TRUE(RopeEquals(rope, c.data));
  }
}

TEST_F(RopeTest, CopyToCopiesTheRequestedRange) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    const size_t size = c.data.size();
    for (size_t pos : SamplePoints(size)) {
      for (size_t n :
           {size_t{0}, size_t{1}, size_t{7}, size_t{600}, size + 5}) {
        std::string dest(n + 4, '#');
        size_t copied = c.rope.CopyTo(absl::MakeSpan(&dest[0], n), pos);
        size_t expected = std::min(n, size - pos);
        ASSERT_EQ(copied, expected) << pos << " " << n;
        ASSERT_EQ(dest.substr(0, copied), c.data.substr(pos, copied));
        ASSERT_EQ(dest.substr(copied), std::string(n + 4 - copied, '#'));
      }
    }
  }
}

TEST_F(RopeTest, ToStringAppendToAndStreamOutput) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    EXPECT_EQ(c.rope.ToString(), c.data);
    std::string dest = "prefix";
    c.rope.AppendTo(&dest);
    EXPECT_EQ(dest, "prefix" + c.data);
    std::ostringstream out;
    out << c.rope << "|";
    EXPECT_EQ(out.str(), c.data + "|");
  }
}

TEST_F(RopeTest, EstimatedMemoryUsageCountsChunks) {
  Rope rope;
  EXPECT_LE(rope.EstimatedMemoryUsage(), sizeof(Rope));
  rope.Append(std::string(100000, 'm'));
  EXPECT_GE(rope.EstimatedMemoryUsage(), 100000u);
  EXPECT_LE(rope.EstimatedMemoryUsage(), 200000u);
}

// ---------------------------------------------------------------------------
// Copy-on-write across representations.

struct Mutation {
  const char* name;
  std::function<void(Rope*, std::string*)> apply;
};

std::vector<Mutation> Mutations() {
  const std::string big(2000, 'B');
  return {
      {"append small",
       [](Rope* r, std::string* m) {
         r->Append("x");
         *m += "x";
       }},
      {"append large",
       [big](Rope* r, std::string* m) {
         r->Append(big);
         *m += big;
       }},
      {"append rope",
       [big](Rope* r, std::string* m) {
         r->Append(MakeRope(big, RopeShape::kSmallChunks));
         *m += big;
       }},
      {"prepend small",
       [](Rope* r, std::string* m) {
         r->Prepend("y");
         m->insert(0, "y");
       }},
      {"prepend rope",
       [big](Rope* r, std::string* m) {
         r->Prepend(Rope(big));
         m->insert(0, big);
       }},
      {"overwrite front",
       [](Rope* r, std::string* m) {
         if (m->empty()) return;
         r->Overwrite(0, "!");
         (*m)[0] = '!';
       }},
      {"overwrite back",
       [](Rope* r, std::string* m) {
         if (m->size() < 3) return;
         r->Overwrite(m->size() - 3, "end");
         m->replace(m->size() - 3, 3, "end");
       }},
      {"remove prefix",
       [](Rope* r, std::string* m) {
         r->RemovePrefix(1);
         m->erase(0, 1);
       }},
      {"remove suffix",
       [](Rope* r, std::string* m) {
         r->RemoveSuffix(1);
         if (!m->empty()) m->pop_back();
       }},
      {"append zeros",
       [](Rope* r, std::string* m) {
         r->AppendZeros(7);
         m->append(7, '\0');
       }},
      {"append buffer",
       [](Rope* r, std::string* m) {
         RopeBuffer buffer = r->GetAppendBuffer(64);
         std::memcpy(buffer.available().data(), "buf", 3);
         buffer.IncreaseLength(3);
         r->Append(std::move(buffer));
         *m += "buf";
       }},
      {"mutable flat",
       [](Rope* r, std::string* m) {
         char* flat = RopeExport::MutableFlat(r);
         if (m->empty()) return;
         flat[0] = '%';
         (*m)[0] = '%';
       }},
      {"flatten", [](Rope* r, std::string*) { r->Flatten(); }},
      {"clear",
       [](Rope* r, std::string* m) {
         r->Clear();
         m->clear();
       }},
  };
}

struct Base {
  const char* name;
  std::function<Rope()> make;
};

std::vector<Base> Bases() {
  return {
      {"inline", [] { return Rope(absl::string_view("short")); }},
      {"one adopted slice", [] { return Rope(std::string(1000, 's')); }},
      {"one owned slice",
       [] { return Rope(absl::string_view("owned bytes!!!!!!!!")); }},
      {"many chunks",
       [] {
         return MakeRope(std::string(3000, 'k'), RopeShape::kSmallChunks);
       }},
      {"tail with room",
       [] {
         Rope r;
         for (int i = 0; i < 20; ++i) r.Append("0123456789");
         return r;
       }},
      {"tree with tail room",
       [] {
         Rope r = MakeRope(std::string(5000, 'e'), RopeShape::kExternalChunks);
         r.Append("tail");
         return r;
       }},
      {"zeros",
       [] {
         Rope r;
         r.AppendZeros((1 << 20) + 1000);  // two slices of the zero chunk
         return r;
       }},
  };
}

TEST_F(RopeTest, CopiesNeverSeeEachOthersChanges) {
  for (const Base& base : Bases()) {
    for (const Mutation& first : Mutations()) {
      for (const Mutation& second : Mutations()) {
        SCOPED_TRACE(absl::StrCat(base.name, ": b ", first.name, ", then a ",
                                  second.name));
        Rope a = base.make();
        const std::string original = a.ToString();
        Rope b = a;
        std::string b_model = original;
        first.apply(&b, &b_model);
        ASSERT_TRUE(RopeEquals(b, b_model));
        ASSERT_TRUE(RopeEquals(a, original));
        std::string a_model = original;
        second.apply(&a, &a_model);
        ASSERT_TRUE(RopeEquals(a, a_model));
        ASSERT_TRUE(RopeEquals(b, b_model));
        Rope c = b;  // a third generation
        std::string c_model = b_model;
        first.apply(&c, &c_model);
        second.apply(&b, &b_model);
        ASSERT_TRUE(RopeEquals(c, c_model));
        ASSERT_TRUE(RopeEquals(b, b_model));
        ASSERT_TRUE(RopeEquals(a, a_model));
      }
    }
  }
}

TEST_F(RopeTest, SharedTailRoomIsNotWrittenByEitherCopy) {
  Rope a;
  for (int i = 0; i < 5; ++i) a.Append("abcdefgh");  // 40 bytes, room after
  Rope b = a;
  b.Append("x");
  EXPECT_TRUE(RopeEquals(a, "abcdefghabcdefghabcdefghabcdefghabcdefgh"));
  a.Append("y");
  EXPECT_TRUE(RopeEquals(a, "abcdefghabcdefghabcdefghabcdefghabcdefghy"));
  EXPECT_TRUE(RopeEquals(b, "abcdefghabcdefghabcdefghabcdefghabcdefghx"));
  // A Subrope shares the chunk, so its bytes must survive appends too.
  Rope c = a.Subrope(0, 20);
  a.RemoveSuffix(30);
  a.Append(std::string(30, 'z'));
  EXPECT_TRUE(RopeEquals(c, "abcdefghabcdefghabcd"));
}

TEST_F(RopeTest, CopyAndMoveAssignment) {
  int released = 0;
  {
    ExternalBuffer external(std::string(2000, 'a'), &released);
    Rope target = external.rope;
    external.rope = Rope(absl::string_view("replaced"));
    EXPECT_EQ(released, 0);
    target = Rope(absl::string_view("also replaced"));
    EXPECT_EQ(released, 1);
  }
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.Name());
    Rope copy;
    copy = c.rope;
    EXPECT_TRUE(RopeEquals(copy, c.data));
    Rope& self = copy;
    copy = self;
    EXPECT_TRUE(RopeEquals(copy, c.data));
    Rope moved(std::move(copy));
    EXPECT_TRUE(RopeEquals(moved, c.data));
    Rope assigned{absl::string_view("x")};
    assigned = std::move(moved);
    EXPECT_TRUE(RopeEquals(assigned, c.data));
  }
}

TEST(RopeHash, StdHashMatchesAbslHashAndIgnoresChunking) {
  const std::string text = std::string(3000, 'h') + "tail";
  Rope flat(text);
  Rope pieces;
  for (size_t i = 0; i < text.size(); i += 700) {
    pieces.Append(Rope(std::string(text.substr(i, 700))));
  }
  ASSERT_GT(internal::RopeAccess::SliceCount(pieces), 1u);
  std::hash<Rope> hasher;
  EXPECT_EQ(hasher(flat), hasher(pieces));
  EXPECT_EQ(hasher(flat), absl::Hash<Rope>()(flat));
  EXPECT_NE(hasher(flat), hasher(Rope(text.substr(1))));
  std::unordered_set<Rope> set = {flat, Rope("a"), Rope("b")};
  EXPECT_EQ(set.count(pieces), 1u);
  EXPECT_EQ(set.count(Rope("c")), 0u);
}

// ---------------------------------------------------------------------------
// Tree shape under any sequence of operations.

// A tree whose non-root inner nodes all have >= 2 children and whose slices
// hold >= 1 byte each has at least 2^height slices: the height is O(log k).
::testing::AssertionResult HeightIsLogarithmic(const Rope& rope) {
  const int height = RopeAccess::TreeHeight(rope);
  if (height < 0) return ::testing::AssertionSuccess();
  if (height > internal::kMaxHeight) {
    return ::testing::AssertionFailure() << "height " << height;
  }
  const size_t slices = RopeAccess::SliceCount(rope);
  if (height >= 64 || (size_t{1} << height) > slices) {
    return ::testing::AssertionFailure()
           << "height " << height << " for " << slices << " slices";
  }
  return ::testing::AssertionSuccess();
}

TEST(RopeShape, SelfAppendsThenPrefixAndSuffixRemovalStayShallow) {
  // Two 600-byte external chunks (adopted strings); each round makes 16
  // copies of the tree, then cuts it back to the middle 1,200 bytes. Thin
  // nodes left by the removals used to pile up one level per round, to
  // height 14 and a stack overflow in ChunkIterator.
  Rope w(std::string(600, 'a'));
  w.Append(Rope(std::string(300, 'b') + std::string(300, 'c')));
  std::string model = w.ToString();
  for (int round = 0; round < 14; ++round) {
    SCOPED_TRACE(round);
    for (int i = 0; i < 4; ++i) {
      w.Append(w);
      model += model;
      ASSERT_EQ(RopeAccess::CheckInvariants(w), "");
      ASSERT_TRUE(HeightIsLogarithmic(w));
    }
    w.RemovePrefix(9000);
    model.erase(0, 9000);
    ASSERT_EQ(RopeAccess::CheckInvariants(w), "");
    ASSERT_TRUE(HeightIsLogarithmic(w));
    w.RemoveSuffix(9000);
    model.erase(model.size() - 9000);
    ASSERT_EQ(RopeAccess::CheckInvariants(w), "");
    ASSERT_TRUE(HeightIsLogarithmic(w));
    ASSERT_EQ(w.size(), 1200u);
    ASSERT_EQ(RopeAccess::SliceCount(w), 2u);
    ASSERT_LE(RopeAccess::TreeHeight(w), 1);
    ASSERT_EQ(w.ToString(), model);
  }
}

TEST(RopeShape, RemovalsFromUniqueAndSharedTreesKeepInvariants) {
  // Every cut position of a three-level tree of one-byte and shared slices,
  // from the front and from the back, on a private tree and on one whose
  // nodes are shared with a copy.
  std::mt19937_64 rng(11);
  const std::string data = RandomBytes(rng, 1500);
  for (RopeShape shape :
       {RopeShape::kOneByteChunks, RopeShape::kSharedChunks}) {
    SCOPED_TRACE(RopeShapeName(shape));
    const Rope original = MakeRope(data, shape);
    for (size_t n = 1; n < data.size(); n += (n < 40 ? 1 : 37)) {
      SCOPED_TRACE(n);
      for (bool shared : {false, true}) {
        Rope front = MakeRope(data, shape);
        Rope back = MakeRope(data, shape);
        Rope keep_front = shared ? front : Rope();
        Rope keep_back = shared ? back : Rope();
        front.RemovePrefix(n);
        back.RemoveSuffix(n);
        ASSERT_TRUE(RopeEquals(front, absl::string_view(data).substr(n)));
        ASSERT_TRUE(RopeEquals(
            back, absl::string_view(data).substr(0, data.size() - n)));
        ASSERT_TRUE(HeightIsLogarithmic(front));
        ASSERT_TRUE(HeightIsLogarithmic(back));
        if (shared) {
          ASSERT_TRUE(RopeEquals(keep_front, data));
          ASSERT_TRUE(RopeEquals(keep_back, data));
        }
      }
    }
    ASSERT_TRUE(RopeEquals(original, data));
  }
}

TEST(RopeShape, DoublingsKeepSharedTreesShallowAndReadable) {
  // 16 one-byte slices doubled 50 times: 2^54 bytes in a few kilobytes of
  // nodes shared by themselves. Fanout 16 keeps the height near
  // log16(2^54); CheckInvariants visits each distinct node once.
  std::string base = "0123456789abcdef";
  Rope r = MakeRope(base, RopeShape::kOneByteChunks);
  for (int i = 0; i < 50; ++i) {
    r.Append(r);
    ASSERT_EQ(RopeAccess::CheckInvariants(r), "") << i;
    ASSERT_TRUE(HeightIsLogarithmic(r)) << i;
  }
  ASSERT_EQ(r.size(), size_t{16} << 50);
  EXPECT_LE(RopeAccess::TreeHeight(r), 16);
  char buffer[40];
  for (size_t pos : {size_t{0}, size_t{5}, (size_t{16} << 49) - 7,
                     (size_t{16} << 50) - 40}) {
    ASSERT_EQ(r.CopyTo(absl::MakeSpan(buffer), pos), sizeof(buffer));
    for (size_t i = 0; i < sizeof(buffer); ++i) {
      ASSERT_EQ(buffer[i], base[(pos + i) % 16]) << pos + i;
    }
  }
  Rope cut = r.Subrope(3, 2000);
  ASSERT_TRUE(HeightIsLogarithmic(cut));
  r.RemovePrefix(size_t{1} << 40);
  r.RemoveSuffix((size_t{1} << 41) + 3);
  ASSERT_EQ(RopeAccess::CheckInvariants(r), "");
  ASSERT_TRUE(HeightIsLogarithmic(r));
  ASSERT_EQ(r[0], base[0]);
}

// ---------------------------------------------------------------------------
// The maximum size.

TEST(RopeDeathTest, SelfAppendsPastMaxSizeCrash) {
  // 60 doublings of 16 bytes would be 2^64 bytes: size() wrapped to 0 with a
  // live tree. 58 reach 2^62 <= kMaxSize; the 59th must refuse loudly.
  Rope r(absl::string_view("0123456789abcdef"));
  for (int i = 0; i < 58; ++i) r.Append(r);
  ASSERT_EQ(r.size(), size_t{16} << 58);
  ASSERT_FALSE(r.empty());
  EXPECT_DEATH(r.Append(r), "kMaxSize");
  EXPECT_DEATH(r.Append(Rope(r)), "kMaxSize");
  EXPECT_DEATH(r.Prepend(r), "kMaxSize");
}

TEST(RopeDeathTest, EveryGrowingOperationEnforcesMaxSize) {
  // Powers of two 2^0 .. 2^62 sum to 2^63 - 1 = kMaxSize.
  static_assert(Rope::kMaxSize == (uint64_t{1} << 63) - 1, "");
  Rope full;
  Rope power(absl::string_view("x"));
  for (int i = 0; i < 63; ++i) {
    full.Append(power);
    if (i < 62) power.Append(power);
  }
  ASSERT_EQ(full.size(), Rope::kMaxSize);
  ASSERT_EQ(RopeAccess::CheckInvariants(full), "");
  const Rope one(absl::string_view("y"));
  const Rope big(std::string(1000, 'z'));
  EXPECT_DEATH(full.Append(absl::string_view("y")), "kMaxSize");
  EXPECT_DEATH(full.Append(one), "kMaxSize");
  EXPECT_DEATH(full.Append(big), "kMaxSize");
  EXPECT_DEATH(full.Append(Rope(big)), "kMaxSize");
  EXPECT_DEATH(full.Prepend(absl::string_view("y")), "kMaxSize");
  EXPECT_DEATH(full.Prepend(one), "kMaxSize");
  EXPECT_DEATH(full.Prepend(big), "kMaxSize");
  EXPECT_DEATH(full.AppendZeros(1), "kMaxSize");
  EXPECT_DEATH(full.AppendZeros(size_t{1} << 21), "kMaxSize");
  EXPECT_DEATH(
      {
        RopeBuffer buffer = RopeBuffer::CreateWithCapacity(4);
        buffer.IncreaseLength(4);
        full.Append(std::move(buffer));
      },
      "kMaxSize");
  // Growing by nothing is fine, and so is growing after shrinking.
  full.Append(absl::string_view());
  full.AppendZeros(0);
  full.Append(Rope());
  ASSERT_EQ(full.size(), Rope::kMaxSize);
  full.RemoveSuffix(1);
  full.Append(absl::string_view("y"));
  ASSERT_EQ(full.size(), Rope::kMaxSize);
  ASSERT_EQ(full[Rope::kMaxSize - 1], 'y');
}

// ---------------------------------------------------------------------------
// Views of a Rope's own bytes as arguments.

// Overwrite(dst, view of the rope's own bytes [src, src + n)) must act as if
// the view had been copied first (as std::string::replace does).
void CheckSelfOverwrite(Rope& rope, std::string model, size_t src, size_t n,
                        size_t dst) {
  // The view must be a run of one chunk: find the chunk holding src.
  size_t at = 0;
  absl::string_view view;
  for (absl::string_view chunk : rope.Chunks()) {
    if (src < at + chunk.size()) {
      view = chunk.substr(src - at, n);
      break;
    }
    at += chunk.size();
  }
  n = view.size();
  model.replace(dst, n, model.substr(src, n));
  rope.Overwrite(dst, view);
  ASSERT_TRUE(RopeEquals(rope, model)) << src << " " << n << " " << dst;
}

TEST(RopeAliasing, OverwriteWithAViewOfItselfInOneFlatChunk) {
  std::mt19937_64 rng(3);
  const std::string data = RandomBytes(rng, 1000);
  Rope r{absl::string_view(data)};
  absl::string_view v = r.Flatten();
  r.Overwrite(1, v.substr(0, 100));  // overlapping, forward
  std::string model = data;
  model.replace(1, 100, data.substr(0, 100));
  ASSERT_TRUE(RopeEquals(r, model));
  v = r.Flatten();
  r.Overwrite(0, v.substr(1, 100));  // overlapping, backward
  model.replace(0, 100, std::string(model.substr(1, 100)));
  ASSERT_TRUE(RopeEquals(r, model));
}

TEST(RopeAliasing, OverwriteWithAViewOfItsOwnAdoptedString) {
  // The adopted string is one external chunk: the copy-on-write path
  // released it (running the releaser) before copying from it.
  std::string data(1000, 'q');
  data[10] = 'r';
  Rope r(std::string{data});
  absl::string_view v = r.Flatten();
  r.Overwrite(0, v);
  ASSERT_TRUE(RopeEquals(r, data));
  v = r.Flatten();
  r.Overwrite(5, v.substr(0, 995));
  ASSERT_TRUE(RopeEquals(r, data.substr(0, 5) + data.substr(0, 995)));
}

TEST(RopeAliasing, OverwriteWithViewsOfItselfOnEveryShape) {
  for (const Case& c : Cases()) {
    // The sizes around the copy threshold and chunk sizes; one-byte chunks
    // (an allocation per byte, per fresh rope) up to a three-level tree.
    const size_t size = c.data.size();
    if (size != 16 && size != 512 && size != 513 && size != 4096 &&
        size != 65537) {
      continue;
    }
    if (c.shape == RopeShape::kOneByteChunks && size > 4096) continue;
    SCOPED_TRACE(c.Name());
    for (size_t src : {size_t{0}, size / 3}) {
      for (size_t n : {size_t{100}, size_t{5000}}) {
        n = std::min(n, size - src);
        for (size_t dst : {size_t{0}, src + 1, size - n}) {
          if (dst + n > size) continue;
          // A fresh rope of the same shape: its owned chunks are private,
          // so overwrites happen in place, across chunk boundaries.
          Rope fresh = MakeRope(c.data, c.shape);
          CheckSelfOverwrite(fresh, c.data, src, n, dst);
          // A copy of the fixture's rope: everything is shared, so the
          // overwrite copies on write.
          Rope copy = c.rope;
          CheckSelfOverwrite(copy, c.data, src, n, dst);
        }
      }
    }
  }
}

TEST(RopeAliasing, OverwriteSpanningChunksFromOneOfThem) {
  // Source in chunk A, destination in A and B: the bytes written into A
  // must not be read back as source for B.
  std::mt19937_64 rng(4);
  const std::string a = RandomBytes(rng, 3000);
  const std::string b = RandomBytes(rng, 3000);
  for (size_t dst : {size_t{0}, size_t{1}, size_t{1500}, size_t{2999}}) {
    SCOPED_TRACE(dst);
    RopeBuffer first = RopeBuffer::CreateWithCapacity(a.size());
    std::memcpy(first.data(), a.data(), a.size());
    first.SetLength(a.size());
    Rope r;
    r.Append(std::move(first));
    r.Append(Rope(absl::string_view(b)));
    std::string model = a + b;
    absl::string_view view = *r.Chunks().begin();
    ASSERT_EQ(view.size(), a.size());
    model.replace(dst, 2000, a.substr(0, 2000));
    r.Overwrite(dst, view.substr(0, 2000));
    ASSERT_TRUE(RopeEquals(r, model));
  }
}

// Overwrite on a tree mixing private owned chunks (written in place),
// shared ones (cut and replaced) and external ones (never written), at
// random ranges and from random sources, including views of the rope
// itself: the bytes, every invariant and every earlier snapshot must hold
// after each step.
TEST(RopeOverwrite, MixedOwnershipRandomRanges) {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    std::string model;
    Rope rope;
    // ~600 pieces: a few thousand bytes each, in three kinds.
    for (int piece = 0; piece < 600; ++piece) {
      const std::string bytes = RandomBytes(rng, 1 + rng() % 3000);
      switch (rng() % 3) {
        case 0:
          rope.Append(MakeRope(bytes, RopeShape::kSmallChunks));
          break;
        case 1:
          rope.Append(MakeRope(bytes, RopeShape::kSharedChunks));
          break;
        default:
          rope.Append(MakeRope(bytes, RopeShape::kExternalChunks));
          break;
      }
      model += bytes;
    }
    std::vector<std::pair<Rope, std::string>> snapshots;
    for (int step = 0; step < 40; ++step) {
      const size_t n = 1 + rng() % (step % 4 == 0 ? 200000 : 3000);
      if (n > model.size()) continue;
      const size_t pos = rng() % (model.size() - n + 1);
      if (rng() % 3 == 0) snapshots.emplace_back(rope, model);
      if (rng() % 2 == 0) {
        // A view of the rope's own bytes, from one of its chunks.
        std::vector<absl::string_view> chunks = ChunkViews(rope);
        absl::string_view chunk = chunks[rng() % chunks.size()];
        const size_t take = std::min(n, chunk.size());
        const std::string source(chunk.substr(0, take));
        model.replace(pos, take, source);
        rope.Overwrite(pos, chunk.substr(0, take));
      } else {
        const std::string patch = RandomBytes(rng, n);
        model.replace(pos, n, patch);
        rope.Overwrite(pos, patch);
      }
      ASSERT_EQ(RopeAccess::CheckInvariants(rope), "");
      ASSERT_TRUE(RopeEquals(rope, model)) << "step " << step;
    }
    for (const auto& [snapshot, bytes] : snapshots) {
      ASSERT_TRUE(RopeEquals(snapshot, bytes));
      ASSERT_EQ(RopeAccess::CheckInvariants(snapshot), "");
    }
  }
}

TEST(RopeAliasing, AppendAndPrependAViewOfItself) {
  for (const Case& c : Cases()) {
    const size_t size = c.data.size();
    if (size != 1 && size != 16 && size != 512 && size != 4096 &&
        size != 65537) {
      continue;
    }
    if (c.shape == RopeShape::kOneByteChunks && size > 4096) continue;
    SCOPED_TRACE(c.Name());
    for (bool fresh : {true, false}) {
      Rope r = fresh ? MakeRope(c.data, c.shape) : c.rope;
      std::string model = c.data;
      // The first, a middle and the last chunk, whole and in part.
      std::vector<absl::string_view> chunks = ChunkViews(r);
      for (absl::string_view chunk :
           {chunks.front(), chunks[chunks.size() / 2], chunks.back()}) {
        Rope appended = r;
        appended.Append(chunk);
        ASSERT_TRUE(RopeEquals(appended, model + std::string(chunk)));
        Rope prepended = r;
        prepended.Prepend(chunk.substr(chunk.size() / 2));
        ASSERT_TRUE(RopeEquals(
            prepended, std::string(chunk.substr(chunk.size() / 2)) + model));
      }
      // And on the rope itself, not a copy (its tail room is private).
      absl::string_view last = ChunkViews(r).back();
      std::string tail(last);
      r.Append(last);
      model += tail;
      ASSERT_TRUE(RopeEquals(r, model));
      absl::string_view first = ChunkViews(r).front();
      std::string head(first);
      r.Prepend(first);
      model = head + model;
      ASSERT_TRUE(RopeEquals(r, model));
      absl::string_view whole = r.Flatten();
      r.Append(whole);
      model += model;
      ASSERT_TRUE(RopeEquals(r, model));
      whole = r.Flatten();
      r.Prepend(whole.substr(1));
      model = model.substr(1) + model;
      ASSERT_TRUE(RopeEquals(r, model));
    }
  }
}

TEST(RopeAppendInPlace, WritesOnlyIntoAPrivateTailsRoom) {
  // Inline: no chunk to write into.
  Rope small("abc");
  EXPECT_EQ(small.AppendInPlace("def"), 0u);
  EXPECT_TRUE(RopeEquals(small, "abc"));

  // One private chunk (a slice) of 600 bytes with room for about 4,000
  // more: fills the room, then reports how much it took.
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(4096);
  const size_t room = buffer.capacity() - 600;
  std::memset(buffer.data(), 's', 600);
  buffer.SetLength(600);
  Rope slice;
  slice.Append(std::move(buffer));
  const std::string more(room + 10, 'm');
  EXPECT_EQ(slice.AppendInPlace(more), room);
  EXPECT_TRUE(RopeEquals(slice, std::string(600, 's') + more.substr(0, room)));
  EXPECT_EQ(slice.AppendInPlace("x"), 0u);  // full

  // A tree whose tail chunk is private: the bytes go to its room (the
  // doubling growth leaves room after 40 appends of 1,000 bytes).
  Rope tree;
  for (int i = 0; i < 40; ++i) {
    tree.Append(std::string(1000, static_cast<char>('a' + i % 26)));
  }
  std::string expected = tree.ToString();
  const std::string piece(100, 'p');
  const size_t chunks_before =
      std::distance(tree.Chunks().begin(), tree.Chunks().end());
  const size_t took = tree.AppendInPlace(piece);
  EXPECT_GT(took, 0u);
  expected += piece.substr(0, took);
  EXPECT_TRUE(RopeEquals(tree, expected));
  EXPECT_EQ(std::distance(tree.Chunks().begin(), tree.Chunks().end()),
            chunks_before);  // no chunk added

  // A view of the Rope's own bytes is a legal argument.
  RopeBuffer own_buffer = RopeBuffer::CreateWithCapacity(4096);
  for (size_t i = 0; i < 700; ++i) own_buffer.data()[i] = static_cast<char>(i);
  own_buffer.SetLength(700);
  Rope self_view;
  self_view.Append(std::move(own_buffer));
  const std::string before = self_view.ToString();
  const absl::string_view own = *self_view.TryFlat();
  EXPECT_EQ(self_view.AppendInPlace(own.substr(100, 500)), 500u);
  EXPECT_TRUE(RopeEquals(self_view, before + before.substr(100, 500)));

  // Shared or external tails are never written.
  Rope shared(std::string(600, 'q'));
  const Rope copy = shared;
  EXPECT_EQ(shared.AppendInPlace("zz"), 0u);
  EXPECT_TRUE(RopeEquals(copy, std::string(600, 'q')));
  const std::string backing(1000, 'e');
  Rope external = Rope::FromExternal(backing, [] {});
  EXPECT_EQ(external.AppendInPlace("zz"), 0u);
  EXPECT_TRUE(RopeEquals(external, backing));
}

TEST(RopeAssignUninitialized, ReusesAPrivateChunkAndNeverWritesASharedOne) {
  Rope rope;
  char* first = rope.AssignUninitialized(100);
  std::memset(first, 'a', 100);
  EXPECT_TRUE(RopeEquals(rope, std::string(100, 'a')));
  // Private and large enough: the same chunk, no allocation.
  char* second = rope.AssignUninitialized(60);
  EXPECT_EQ(second, first);
  std::memset(second, 'b', 60);
  EXPECT_TRUE(RopeEquals(rope, std::string(60, 'b')));
  EXPECT_EQ(rope.TryFlat()->data(), first);
  // Small values go inline.
  char* inline_bytes = rope.AssignUninitialized(5);
  std::memcpy(inline_bytes, "hello", 5);
  EXPECT_TRUE(RopeEquals(rope, "hello"));
  // A shared chunk is left to its other holder.
  first = rope.AssignUninitialized(200);
  std::memset(first, 'c', 200);
  const Rope copy = rope;
  char* third = rope.AssignUninitialized(200);
  EXPECT_NE(third, first);
  std::memset(third, 'd', 200);
  EXPECT_TRUE(RopeEquals(copy, std::string(200, 'c')));
  EXPECT_TRUE(RopeEquals(rope, std::string(200, 'd')));
  // A tree is replaced whole.
  Rope tree;
  for (int i = 0; i < 50; ++i) tree.Append(Rope(std::string(600, 't')));
  std::memset(tree.AssignUninitialized(511), 'e', 511);
  EXPECT_TRUE(RopeEquals(tree, std::string(511, 'e')));
  tree.AssignUninitialized(0);
  EXPECT_TRUE(RopeEquals(tree, ""));
}

TEST(RopeAssignUninitializedDeathTest, RefusesMoreThanTheCopyLimit) {
  EXPECT_DEATH(
      {
        Rope rope;
        rope.AssignUninitialized(Rope::kMaxBytesToCopy + 1);
      },
      "AssignUninitialized");
}

// internal::FindNeedle against std::string::find: random small-alphabet
// text, and the hostile shape, long runs of the needle's first byte (more
// than 16 false starts, so the memmem fallback runs), with the match at the
// start, in the middle, at the very end, or absent.
TEST(FindNeedle, MatchesStdStringFindWithAndWithoutFalseStarts) {
  std::mt19937_64 rng(TestSeed());
  SCOPED_TRACE(SeedTrace(TestSeed()));
  auto check = [](const std::string& hay, const std::string& needle) {
    const size_t want = hay.find(needle);
    const size_t got = internal::FindNeedle(hay, needle);
    ASSERT_EQ(got, want == std::string::npos ? internal::kNotFound : want)
        << "needle of " << needle.size() << " in " << hay.size();
  };
  for (int round = 0; round < 2000; ++round) {
    const size_t m = 2 + rng() % 7;
    std::string needle(m, 'a');
    for (char& c : needle) c = static_cast<char>('a' + rng() % 3);
    std::string hay(rng() % 200, 'a');
    for (char& c : hay) c = static_cast<char>('a' + rng() % 3);
    check(hay, needle);
  }
  for (size_t run : {0, 1, 15, 16, 17, 100, 5000}) {
    for (const std::string needle : {"\r\n", "\r\r\n", "abcabd"}) {
      const std::string first_bytes(run, needle[0]);
      check(first_bytes, needle);                         // absent
      check(first_bytes + needle, needle);                // at the end
      check(needle + first_bytes, needle);                // at the start
      check(first_bytes + needle + first_bytes, needle);  // in the middle
      check(first_bytes + needle.substr(0, needle.size() - 1), needle);
    }
  }
  check("", "\r\n");
  check("\r", "\r\n");
  check("\r\n", "\r\n");
}

}  // namespace
}  // namespace bytesio
