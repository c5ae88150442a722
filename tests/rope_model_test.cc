// Copyright 2026 The bytesio Authors.
//
// Model-based random test of bytesio::Rope: seeded random walks of every Rope
// mutation over a handful of ropes that share structure (copies, sub-ropes,
// self-appends), each checked after every step against a std::string model.
//
// The seed comes from TestSeed() (--seed=N or BYTESIO_SEED=N; see
// tests/test_util.h); a failure prints it with the sequence number and the
// last operations, e.g.
//   ./bazelw test //tests:rope_model_test --test_arg=--seed=42

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/internal/rope_export.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

using internal::RopeAccess;
using internal::RopeExport;

// Ropes per walk: enough that most steps touch structure shared with
// another rope, few enough that checking all of them after every step stays
// cheap.
constexpr size_t kMaxRopes = 6;
// Above this a rope is trimmed, so memory and check time stay bounded.
constexpr size_t kTrimAbove = size_t{1} << 20;

int Sign(int x) { return (x > 0) - (x < 0); }

// Compares chunk by chunk (no allocation), so it can run on every rope after
// every step.
::testing::AssertionResult Matches(const Rope& rope, const std::string& model) {
  if (rope.size() != model.size()) {
    return ::testing::AssertionFailure()
           << "size " << rope.size() << ", model " << model.size();
  }
  size_t pos = 0;
  for (absl::string_view chunk : rope.Chunks()) {
    if (chunk.empty()) {
      return ::testing::AssertionFailure() << "empty chunk at " << pos;
    }
    if (pos + chunk.size() > model.size()) {
      return ::testing::AssertionFailure() << "chunks exceed size at " << pos;
    }
    if (std::memcmp(chunk.data(), model.data() + pos, chunk.size()) != 0) {
      size_t i = 0;
      while (chunk[i] == model[pos + i]) ++i;
      return ::testing::AssertionFailure()
             << "first difference at byte " << pos + i;
    }
    pos += chunk.size();
  }
  if (pos != model.size()) {
    return ::testing::AssertionFailure() << "chunks hold only " << pos;
  }
  return ::testing::AssertionSuccess();
}

class RopeWalk {
 public:
  explicit RopeWalk(uint64_t seed) : rng_(seed) { ropes_.resize(1); }

  ~RopeWalk() {
    ropes_.clear();
    // Every external chunk this walk created is released once the ropes are
    // gone (MakeRope's shared owners are not ours to count).
    EXPECT_EQ(live_external_, 0) << "external chunks never released";
  }

  // Runs `steps` random steps; stops at the first failure.
  void Run(int steps) {
    for (int step = 0; step < steps; ++step) {
      Step(step);
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "after step " << step << "; last operations:\n  "
                      << absl::StrJoin(log_, "\n  ");
        return;
      }
    }
  }

  int max_height() const { return max_height_; }
  size_t max_slices() const { return max_slices_; }

 private:
  struct Entry {
    Rope rope;
    std::string model;
  };

  size_t Uniform(size_t n) { return n == 0 ? 0 : rng_() % n; }
  size_t Between(size_t lo, size_t hi) { return lo + Uniform(hi - lo + 1); }
  bool OneIn(size_t n) { return Uniform(n) == 0; }

  // Mostly small, sometimes across kMaxBytesToCopy, rarely large.
  size_t RandomLength() {
    size_t r = Uniform(100);
    if (r < 40) return Between(0, 16);
    if (r < 70) return Between(17, 600);
    if (r < 92) return Between(601, 5000);
    if (r < 99) return Between(5001, 70000);
    return Between(70001, 300000);
  }

  // A length for removing or overwriting within `size` bytes, sometimes
  // more than `size` (clamped by the rope).
  size_t LengthWithin(size_t size) {
    if (OneIn(20)) return size + Uniform(3);
    size_t n = RandomLength();
    return std::min(n, size);
  }

  // A fresh rope with a random structure, or counted external memory.
  Rope FreshRope(const std::string& data) {
    if (OneIn(6) && !data.empty()) {
      char* memory = new char[data.size()];
      std::memcpy(memory, data.data(), data.size());
      ++live_external_;
      return Rope::FromExternal(absl::string_view(memory, data.size()),
                                [this, memory] {
                                  delete[] memory;
                                  --live_external_;
                                });
    }
    std::vector<RopeShape> shapes = AllRopeShapes();
    RopeShape shape = shapes[Uniform(shapes.size())];
    // 1-byte chunks cost an allocation per byte; that is what builds tall
    // trees, so allow them up to a few thousand bytes.
    if (shape == RopeShape::kOneByteChunks && data.size() > 6000) {
      shape = RopeShape::kSmallChunks;
    }
    return MakeRope(data, shape);
  }

  void Log(std::string op) {
    log_.push_back(std::move(op));
    if (log_.size() > 25) log_.pop_front();
  }

  void Step(int step) {
    size_t t = Uniform(ropes_.size());
    Entry& e = ropes_[t];
    size_t s = Uniform(ropes_.size());  // a second rope, maybe the same
    const std::string prefix = absl::StrCat("#", step, " r", t, " ");

    if (e.model.size() > kTrimAbove) {
      size_t n = e.model.size() - kTrimAbove / 2;
      Log(prefix + absl::StrCat("trim RemovePrefix(", n, ")"));
      e.rope.RemovePrefix(n);
      e.model.erase(0, n);
    } else {
      switch (Uniform(20)) {
        case 0:
        case 1: {
          std::string data = RandomBytes(rng_, RandomLength());
          Log(prefix + absl::StrCat("Append(bytes ", data.size(), ")"));
          e.rope.Append(data);
          e.model += data;
          break;
        }
        case 2: {
          std::string data = RandomBytes(rng_, RandomLength());
          Log(prefix + absl::StrCat("Prepend(bytes ", data.size(), ")"));
          e.rope.Prepend(data);
          e.model.insert(0, data);
          break;
        }
        case 3:
        case 4: {
          std::string data = RandomBytes(rng_, RandomLength());
          Log(prefix + absl::StrCat("Append(fresh rope ", data.size(), ")"));
          e.rope.Append(FreshRope(data));
          e.model += data;
          break;
        }
        case 5: {
          std::string data = RandomBytes(rng_, RandomLength());
          Log(prefix + absl::StrCat("Prepend(fresh rope ", data.size(), ")"));
          e.rope.Prepend(FreshRope(data));
          e.model.insert(0, data);
          break;
        }
        case 6: {
          // May be the same rope: self-append.
          Log(prefix + absl::StrCat("Append(r", s, ", ", ropes_[s].model.size(),
                                    " bytes)"));
          std::string other = ropes_[s].model;
          e.rope.Append(ropes_[s].rope);
          e.model += other;
          break;
        }
        case 7: {
          Log(prefix + absl::StrCat("Prepend(r", s, ", ",
                                    ropes_[s].model.size(), " bytes)"));
          std::string other = ropes_[s].model;
          e.rope.Prepend(ropes_[s].rope);
          e.model.insert(0, other);
          break;
        }
        case 8: {
          if (s == t) break;
          Log(prefix +
              absl::StrCat("Append(std::move(r", s, ")); r", s, " = {}"));
          e.rope.Append(std::move(ropes_[s].rope));
          e.model += ropes_[s].model;
          ropes_[s].rope = Rope();  // moved-from: unspecified, so reset
          ropes_[s].model.clear();
          break;
        }
        case 9: {
          size_t pos = Uniform(e.model.size() + 1);
          size_t n = OneIn(10) ? Rope::npos : LengthWithin(e.model.size());
          Log(prefix +
              absl::StrCat("r", s, " = r", t, ".Subrope(", pos, ", ", n, ")"));
          Rope sub = e.rope.Subrope(pos, n);
          std::string sub_model = e.model.substr(pos, n);
          ropes_[s].rope = std::move(sub);
          ropes_[s].model = std::move(sub_model);
          break;
        }
        case 10: {
          size_t n = LengthWithin(e.model.size());
          Log(prefix + absl::StrCat("RemovePrefix(", n, ")"));
          e.rope.RemovePrefix(n);
          e.model.erase(0, n);
          break;
        }
        case 11: {
          size_t n = LengthWithin(e.model.size());
          Log(prefix + absl::StrCat("RemoveSuffix(", n, ")"));
          e.rope.RemoveSuffix(n);
          e.model.resize(e.model.size() - std::min(n, e.model.size()));
          break;
        }
        case 12:
        case 13: {
          size_t n = std::min(RandomLength(), e.model.size());
          size_t pos = Uniform(e.model.size() - n + 1);
          std::string data = RandomBytes(rng_, n);
          Log(prefix + absl::StrCat("Overwrite(", pos, ", bytes ", n, ")"));
          e.rope.Overwrite(pos, data);
          e.model.replace(pos, n, data);
          break;
        }
        case 14: {
          size_t n = OneIn(10) ? Between(1 << 20, 3 << 20) : RandomLength();
          Log(prefix + absl::StrCat("AppendZeros(", n, ")"));
          e.rope.AppendZeros(n);
          e.model.append(n, '\0');
          break;
        }
        case 15:
        case 16: {
          Log(prefix + absl::StrCat("r", s, " = r", t, " (copy)"));
          if (ropes_.size() < kMaxRopes && OneIn(2)) {
            ropes_.push_back(ropes_[t]);
          } else {
            ropes_[s] = ropes_[t];
          }
          break;
        }
        case 17:
          AppendBufferStep(t, s, prefix);
          break;
        case 18:
          ReadStep(t, s, prefix);
          break;
        case 19: {
          switch (Uniform(3)) {
            case 0:
              Log(prefix + "Clear()");
              e.rope.Clear();
              e.model.clear();
              break;
            case 1: {
              Log(prefix + "Flatten()");
              absl::string_view flat = e.rope.Flatten();
              EXPECT_EQ(flat, e.model);
              break;
            }
            case 2: {
              Log(prefix + "MutableFlat() and write the first byte");
              char* flat = RopeExport::MutableFlat(&e.rope);
              if (!e.model.empty()) {
                ASSERT_NE(flat, nullptr);
                flat[0] = 'M';
                e.model[0] = 'M';
              }
              break;
            }
          }
          break;
        }
      }
    }
    CheckAfterStep(t, step);
  }

  // GetAppendBuffer, then maybe copy the rope, then fill the buffer and hand
  // it to this rope, another one, or drop it.
  void AppendBufferStep(size_t t, size_t s, const std::string& prefix) {
    Entry& e = ropes_[t];
    size_t capacity = Between(1, 70000);
    size_t min_capacity = Between(1, std::min<size_t>(capacity, 4096));
    Log(prefix +
        absl::StrCat("GetAppendBuffer(", capacity, ", ", min_capacity, ")"));
    RopeBuffer buffer = e.rope.GetAppendBuffer(capacity, min_capacity);
    ASSERT_GE(buffer.available().size(), min_capacity);
    ASSERT_LE(buffer.length(), e.model.size());
    ASSERT_EQ(e.rope.size() + buffer.length(), e.model.size());
    ASSERT_EQ(buffer.view(), absl::string_view(e.model).substr(e.rope.size()));
    std::string detached = e.model.substr(e.rope.size());
    e.model.resize(e.rope.size());
    if (OneIn(3) && ropes_.size() < kMaxRopes) {
      Log(prefix + "  copy the rope while its buffer is out");
      ropes_.push_back(ropes_[t]);
    }
    Entry& target = OneIn(4) ? ropes_[s] : ropes_[t];
    size_t k = Uniform(std::min(buffer.available().size(), size_t{5000}) + 1);
    std::string data = RandomBytes(rng_, k);
    std::memcpy(buffer.available().data(), data.data(), k);
    buffer.IncreaseLength(k);
    detached += data;
    if (OneIn(8)) {
      size_t keep = Uniform(buffer.length() + 1);
      Log(prefix + absl::StrCat("  SetLength(", keep, ")"));
      buffer.SetLength(keep);
      detached.resize(keep);
    }
    if (OneIn(10)) {
      Log(prefix + "  drop the buffer");
      return;
    }
    Log(prefix + absl::StrCat("  fill ", k, ", Append(buffer of ",
                              buffer.length(), ") to r",
                              &target == &ropes_[t] ? t : s));
    target.rope.Append(std::move(buffer));
    target.model += detached;
  }

  // Reading operations, checked against the model; they must not change
  // anything either.
  void ReadStep(size_t t, size_t s, const std::string& prefix) {
    const Entry& e = ropes_[t];
    const Entry& o = ropes_[s];
    const size_t size = e.model.size();
    Log(prefix + absl::StrCat("reads, with r", s));
    if (size > 0) {
      size_t i = Uniform(size);
      EXPECT_EQ(e.rope[i], e.model[i]) << i;
      size_t pos = Uniform(size);
      size_t n = std::min<size_t>(Between(1, 40), size - pos);
      std::string needle = e.model.substr(pos, n);
      size_t from = Uniform(pos + 1);
      EXPECT_EQ(e.rope.Find(needle, from), e.model.find(needle, from))
          << "needle at " << pos << " size " << n << " from " << from;
      EXPECT_EQ(e.rope.Find(e.model[i], from), e.model.find(e.model[i], from));
      EXPECT_TRUE(e.rope.StartsWith(absl::string_view(e.model).substr(0, n)));
      EXPECT_TRUE(e.rope.EndsWith(absl::string_view(e.model).substr(size - n)));
      std::string dest(n, '\0');
      EXPECT_EQ(e.rope.CopyTo(absl::MakeSpan(&dest[0], n), pos), n);
      EXPECT_EQ(dest, needle);
    }
    EXPECT_EQ(Sign(e.rope.Compare(o.rope)), Sign(e.model.compare(o.model)));
    EXPECT_EQ(e.rope == o.rope, e.model == o.model);
    EXPECT_EQ(e.rope < o.rope, e.model < o.model);
    EXPECT_EQ(absl::HashOf(e.rope), absl::HashOf(absl::string_view(e.model)));
  }

  void CheckAfterStep(size_t t, int step) {
    for (size_t i = 0; i < ropes_.size(); ++i) {
      ASSERT_TRUE(Matches(ropes_[i].rope, ropes_[i].model)) << "rope r" << i;
    }
    ASSERT_EQ(RopeAccess::CheckInvariants(ropes_[t].rope), "") << "r" << t;
    if (step % 32 == 0) {
      for (size_t i = 0; i < ropes_.size(); ++i) {
        ASSERT_EQ(RopeAccess::CheckInvariants(ropes_[i].rope), "") << "r" << i;
      }
    }
    for (const Entry& entry : ropes_) {
      max_height_ = std::max(max_height_, RopeAccess::TreeHeight(entry.rope));
      max_slices_ = std::max(max_slices_, RopeAccess::SliceCount(entry.rope));
    }
  }

  std::mt19937_64 rng_;
  std::vector<Entry> ropes_;
  std::deque<std::string> log_;
  int live_external_ = 0;
  int max_height_ = -1;
  size_t max_slices_ = 0;
};

TEST(RopeModel, RandomWalksMatchStringModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  constexpr int kSequences = 8;
  constexpr int kSteps = 1500;
  int max_height = -1;
  size_t max_slices = 0;
  for (int sequence = 0; sequence < kSequences; ++sequence) {
    SCOPED_TRACE(absl::StrCat("sequence ", sequence));
    RopeWalk walk(seed * kSequences + sequence);
    walk.Run(kSteps);
    max_height = std::max(max_height, walk.max_height());
    max_slices = std::max(max_slices, walk.max_slices());
    if (HasFailure()) return;
  }
  // The walks must have exercised a multi-level tree, not only flat ropes.
  EXPECT_GE(max_height, 2) << "max slices " << max_slices;
  RecordProperty("max_tree_height", max_height);
  RecordProperty("max_slices", static_cast<int>(max_slices));
}

// Fragmented ropes from the start: thousands of 1-byte chunks, shared by
// several ropes, mutated in the middle of the tree.
TEST(RopeModel, DeepTreesMatchStringModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  std::mt19937_64 rng(seed);
  std::string model = RandomBytes(rng, 5000);
  Rope rope = MakeRope(model, RopeShape::kOneByteChunks);
  ASSERT_GE(RopeAccess::TreeHeight(rope), 2);
  std::vector<std::pair<Rope, std::string>> copies;
  for (int step = 0; step < 2000; ++step) {
    SCOPED_TRACE(step);
    if (step % 100 == 0) copies.emplace_back(rope, model);
    size_t pos = rng() % (model.size() + 1);
    size_t n = rng() % 40;
    int op = static_cast<int>(rng() % 5);
    // Keep the rope near 5000-20000 bytes: large erases once it has grown.
    if (model.size() > 20000 && op == 2) n = rng() % 10000;
    switch (op) {
      case 0: {
        n = std::min(n, model.size() - pos);
        std::string data = RandomBytes(rng, n);
        rope.Overwrite(pos, data);
        model.replace(pos, n, data);
        break;
      }
      case 1: {  // insert in the middle: two sub-ropes and the new bytes
        std::string data = RandomBytes(rng, n);
        Rope rebuilt = rope.Subrope(0, pos);
        rebuilt.Append(MakeRope(data, RopeShape::kOneByteChunks));
        rebuilt.Append(rope.Subrope(pos, Rope::npos));
        rope = std::move(rebuilt);
        model.insert(pos, data);
        break;
      }
      case 2: {  // erase in the middle
        n = std::min(n, model.size() - pos);
        Rope rebuilt = rope.Subrope(0, pos);
        rebuilt.Append(rope.Subrope(pos + n, Rope::npos));
        rope = std::move(rebuilt);
        model.erase(pos, n);
        break;
      }
      case 3: {  // a piece of an older copy, possibly copied (<= 511)
        const auto& [copy, copy_model] = copies[rng() % copies.size()];
        size_t from = rng() % (copy_model.size() + 1);
        n = n * (rng() % 20);
        rope.Append(copy.Subrope(from, n));
        model += copy_model.substr(from, n);
        break;
      }
      case 4: {
        std::string data = RandomBytes(rng, n);
        rope.Append(data);
        model += data;
        break;
      }
    }
    ASSERT_TRUE(Matches(rope, model));
    ASSERT_EQ(RopeAccess::CheckInvariants(rope), "");
    ASSERT_TRUE(Matches(copies.back().first, copies.back().second));
    if (step % 25 == 0) {
      for (const auto& [copy, copy_model] : copies) {
        ASSERT_TRUE(Matches(copy, copy_model));
      }
    }
  }
  EXPECT_GE(RopeAccess::TreeHeight(rope), 2);
}

// An independent model for ropes too large for a std::string: a persistent,
// unbalanced tree of strings (sharing like the Rope, balancing nothing), so
// self-appends cost O(1) and any byte is found by descent.
struct LazyNode;
using Lazy = std::shared_ptr<const LazyNode>;
struct LazyNode {
  std::string bytes;  // a leaf when left is null
  Lazy left, right;
  uint64_t size;
};

uint64_t SizeOf(const Lazy& m) { return m == nullptr ? 0 : m->size; }

Lazy LazyLeaf(std::string bytes) {
  if (bytes.empty()) return nullptr;
  const uint64_t size = bytes.size();
  return std::make_shared<const LazyNode>(
      LazyNode{std::move(bytes), nullptr, nullptr, size});
}

Lazy LazyCat(Lazy a, Lazy b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  const uint64_t size = a->size + b->size;
  return std::make_shared<const LazyNode>(
      LazyNode{"", std::move(a), std::move(b), size});
}

Lazy LazySub(const Lazy& m, uint64_t pos, uint64_t n) {
  if (n == 0) return nullptr;
  if (pos == 0 && n == m->size) return m;
  if (m->left == nullptr) return LazyLeaf(m->bytes.substr(pos, n));
  const uint64_t left = m->left->size;
  if (pos + n <= left) return LazySub(m->left, pos, n);
  if (pos >= left) return LazySub(m->right, pos - left, n);
  return LazyCat(LazySub(m->left, pos, left - pos),
                 LazySub(m->right, 0, pos + n - left));
}

char LazyAt(const Lazy& m, uint64_t pos) {
  const LazyNode* node = m.get();
  while (node->left != nullptr) {
    if (pos < node->left->size) {
      node = node->left.get();
    } else {
      pos -= node->left->size;
      node = node->right.get();
    }
  }
  return node->bytes[pos];
}

// Compares the size, the first and last bytes, random bytes and a random
// window (read with CopyTo, across chunks), and everything when small.
::testing::AssertionResult MatchesLazy(const Rope& rope, const Lazy& model,
                                       std::mt19937_64& rng) {
  const uint64_t size = SizeOf(model);
  if (rope.size() != size) {
    return ::testing::AssertionFailure()
           << "size " << rope.size() << ", model " << size;
  }
  if (size == 0) return ::testing::AssertionSuccess();
  std::vector<uint64_t> positions;
  for (uint64_t i = 0; i < std::min<uint64_t>(size, 64); ++i) {
    positions.push_back(i);
    positions.push_back(size - 1 - i);
  }
  for (int i = 0; i < 32; ++i) positions.push_back(rng() % size);
  if (size <= 4096) {
    for (uint64_t i = 0; i < size; ++i) positions.push_back(i);
  }
  for (uint64_t pos : positions) {
    if (rope[pos] != LazyAt(model, pos)) {
      return ::testing::AssertionFailure() << "byte " << pos << " differs";
    }
  }
  char window[300];
  const uint64_t at = rng() % size;
  const size_t n = rope.CopyTo(absl::MakeSpan(window), at);
  if (n != std::min<uint64_t>(sizeof(window), size - at)) {
    return ::testing::AssertionFailure() << "CopyTo at " << at << " gave " << n;
  }
  for (size_t i = 0; i < n; ++i) {
    if (window[i] != LazyAt(model, at + i)) {
      return ::testing::AssertionFailure()
             << "CopyTo byte " << at + i << " differs";
    }
  }
  return ::testing::AssertionSuccess();
}

// Tall, thin and doubled trees: self-appends and self-prepends double a rope
// of one-byte slices (2^40 bytes and more in kilobytes of shared nodes),
// alternating prefix and suffix removals cut it back, so edge nodes are
// thinned again and again and shared subtrees stack up. The invariants (no
// thin inner nodes, heights, sizes) are checked after every step, and the
// height must stay within log2 of the slice count.
TEST(RopeModel, TallThinAndDoubledTreesMatchModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  std::mt19937_64 rng(seed);
  // Kept below 2^50 bytes; the Rope's own limit is tested in rope_test.
  constexpr uint64_t kLimit = uint64_t{1} << 50;
  auto fresh = [&](size_t n, Rope* rope, Lazy* model) {
    std::string data = RandomBytes(rng, n);
    *rope = MakeRope(data, RopeShape::kOneByteChunks);
    *model = LazyLeaf(std::move(data));
  };
  Rope rope;
  Lazy model;
  fresh(64, &rope, &model);
  std::vector<std::pair<Rope, Lazy>> olds = {{rope, model}};
  int max_height = 0;
  bool front = false;
  for (int step = 0; step < 600; ++step) {
    SCOPED_TRACE(step);
    const uint64_t size = SizeOf(model);
    const int op = static_cast<int>(rng() % 16);
    std::string what;
    if (size > kLimit || op < 4) {
      // Remove, alternating the ends, up to a quarter of the bytes (most of
      // them above the limit).
      const uint64_t n = size > kLimit ? size - size / 8 - rng() % 1000
                                       : rng() % (size / 4 + 1);
      front = !front;
      what = absl::StrCat(front ? "RemovePrefix(" : "RemoveSuffix(", n, ")");
      if (front) {
        rope.RemovePrefix(n);
        model = LazySub(model, n, size - n);
      } else {
        rope.RemoveSuffix(n);
        model = LazySub(model, 0, size - n);
      }
    } else if (op < 9) {
      what = "Append(self)";
      rope.Append(rope);
      model = LazyCat(model, model);
    } else if (op < 11) {
      what = "Prepend(self)";
      rope.Prepend(rope);
      model = LazyCat(model, model);
    } else if (op < 13) {  // a piece of an older version, shared
      const auto& [old, old_model] = olds[rng() % olds.size()];
      const uint64_t from = rng() % (SizeOf(old_model) + 1);
      const uint64_t n = rng() % (SizeOf(old_model) - from + 1);
      what = absl::StrCat("Append(old.Subrope(", from, ", ", n, "))");
      rope.Append(old.Subrope(from, n));
      model = LazyCat(model, n == 0 ? nullptr : LazySub(old_model, from, n));
    } else if (op < 15) {  // a few fresh one-byte slices at either end
      Rope piece;
      Lazy piece_model;
      fresh(1 + rng() % 20, &piece, &piece_model);
      if (rng() % 2) {
        what = "Append(one-byte slices)";
        rope.Append(piece);
        model = LazyCat(model, piece_model);
      } else {
        what = "Prepend(one-byte slices)";
        rope.Prepend(piece);
        model = LazyCat(piece_model, model);
      }
    } else {  // a sub-rope of itself (at least half of it) replaces it
      const uint64_t from = rng() % (size / 4 + 1);
      const uint64_t n = size / 2 + rng() % (size - from - size / 2 + 1);
      what = absl::StrCat("self = Subrope(", from, ", ", n, ")");
      rope = rope.Subrope(from, n);
      model = n == 0 ? nullptr : LazySub(model, from, n);
    }
    SCOPED_TRACE(what);
    if (model == nullptr) fresh(64, &rope, &model);
    if (step % 20 == 0) olds.emplace_back(rope, model);
    ASSERT_EQ(RopeAccess::CheckInvariants(rope), "");
    const int height = RopeAccess::TreeHeight(rope);
    ASSERT_LE(height, internal::kMaxHeight);
    if (height > 0) {
      ASSERT_LE(size_t{1} << height, RopeAccess::SliceCount(rope))
          << "height " << height;
    }
    ASSERT_TRUE(MatchesLazy(rope, model, rng));
    max_height = std::max(max_height, height);
  }
  for (const auto& [old, old_model] : olds) {
    ASSERT_EQ(RopeAccess::CheckInvariants(old), "");
    ASSERT_TRUE(MatchesLazy(old, old_model, rng));
  }
  EXPECT_GE(max_height, 6);
  RecordProperty("max_tree_height", max_height);
}

}  // namespace
}  // namespace bytesio
