// Copyright 2026 The bytesio Authors.
//
// Threads that share chunks. Distinct Ropes (and BytesIO objects) may be
// used from different threads even when they share chunks (rope.h, "Thread
// safety"): refcounts are atomic and a chunk is written in place only while
// one reference exists. These tests hammer that rule: worker threads copy,
// slice, read, compare, hash, append to and destroy copies of one Rope while
// the main thread keeps growing the original (whose private tail chunk the
// copies share), and the same with BytesIO GetValue() snapshots while the
// main thread overwrites and extends the stream.
//
// Run under ThreadSanitizer:
//   ./bazelw test --config=tsan //tests:concurrency_test
// Synchronisation uses std primitives only: the system Abseil is not built
// with -fsanitize=thread, so TSan cannot see inside its absl::Mutex and would
// report false races. Workers never use gtest assertions; they record the
// first mismatch, and the main thread reports it.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

constexpr int kThreads = 8;
// Per thread. Thousands, and still a few seconds under TSan on 2 cores.
constexpr int kIterations = 2000;
// The original grows until the workers are done or it reaches this size,
// which bounds memory however slow the workers are (TSan).
constexpr size_t kMaxOriginalSize = size_t{8} << 20;

// The byte at absolute position `pos` of the shared Rope: every slice can be
// checked without a copy of the whole. Not periodic within 2^16 bytes, so a
// slice taken at the wrong offset fails.
char Expected(size_t pos) {
  return static_cast<char>((pos % 251) ^ ((pos / 251) * 7));
}

std::string ExpectedRange(size_t pos, size_t n) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = Expected(pos + i);
  return out;
}

// The first failure seen by any thread (workers must not use gtest macros
// concurrently with the main thread's).
class Failures {
 public:
  void Add(std::string message) {
    count_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mu_);
    if (first_.empty()) first_ = std::move(message);
  }
  int count() const { return count_.load(); }
  std::string first() {
    std::lock_guard<std::mutex> lock(mu_);
    return first_;
  }

 private:
  std::atomic<int> count_{0};
  std::mutex mu_;
  std::string first_;
};

// Releases the workers all at once (std::latch is C++20).
class StartGate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Counts releaser calls of external chunks across threads.
struct ReleaseCount {
  std::atomic<int> created{0};
  std::atomic<int> released{0};
};

// An external chunk holding the expected bytes for [pos, pos + n); its
// releaser frees the memory and counts (it may run on any thread).
Rope ExternalPiece(size_t pos, size_t n, ReleaseCount* count) {
  char* memory = new char[n];
  const std::string bytes = ExpectedRange(pos, n);
  std::memcpy(memory, bytes.data(), n);
  count->created.fetch_add(1);
  return Rope::FromExternal(absl::string_view(memory, n), [memory, count] {
    delete[] memory;
    count->released.fetch_add(1);
  });
}

// Appends the expected bytes for [rope->size(), + n) in a way that depends
// on `kind`: coalesced into the tail chunk, an external chunk (of n +
// kMaxBytesToCopy bytes, so that it is shared, never copied), a chunk of
// its own, shared slices of another Rope, or one-byte chunks.
void AppendPiece(Rope* rope, size_t n, int kind, ReleaseCount* count) {
  const size_t pos = rope->size();
  switch (kind % 5) {
    case 0:
      rope->Append(ExpectedRange(pos, n));
      break;
    case 1:
      rope->Append(ExternalPiece(pos, n + Rope::kMaxBytesToCopy, count));
      break;
    case 2: {
      RopeBuffer buffer = RopeBuffer::CreateWithCapacity(n);
      const std::string bytes = ExpectedRange(pos, n);
      std::memcpy(buffer.data(), bytes.data(), n);
      buffer.SetLength(n);
      rope->Append(std::move(buffer));
      break;
    }
    case 3: {
      // A slice of a larger owner that dies here: the slice keeps the
      // chunk, shared with every copy of *rope.
      const Rope owner(std::string("<") + ExpectedRange(pos, n) + ">");
      rope->Append(owner.Subrope(1, n));
      break;
    }
    default:
      for (size_t i = 0; i < n && i < 8; ++i) {
        RopeBuffer buffer = RopeBuffer::CreateWithCapacity(1);
        buffer.data()[0] = Expected(pos + i);
        buffer.SetLength(1);
        rope->Append(std::move(buffer));
      }
      if (n > 8) rope->Append(ExpectedRange(pos + 8, n - 8));
      break;
  }
}

// Checks that `rope` holds the expected bytes of [pos, pos + rope.size()),
// chunk by chunk (no flattening).
bool HoldsExpected(const Rope& rope, size_t pos) {
  for (absl::string_view chunk : rope.Chunks()) {
    for (char c : chunk) {
      if (c != Expected(pos++)) return false;
    }
  }
  return true;
}

// What one worker does to its own copy of the shared Rope.
void RopeWorker(int id, std::mutex* mu, const Rope* latest, StartGate* gate,
                std::atomic<int>* done, Failures* failures,
                ReleaseCount* count) {
  std::mt19937_64 rng(TestSeed() + static_cast<uint64_t>(id));
  auto uniform = [&rng](size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng);
  };
  gate->Wait();
  Rope older;  // a copy from an earlier iteration, compared with newer ones
  for (int i = 0; i < kIterations; ++i) {
    Rope mine;
    {
      std::lock_guard<std::mutex> lock(*mu);
      mine = *latest;
    }
    if ((i & 63) == 0) older = mine;  // must not see mine's changes below
    const size_t size = mine.size();
    if (size == 0) continue;
    // Slice and read.
    const size_t pos = uniform(0, size - 1);
    const size_t n = uniform(0, std::min<size_t>(size - pos, 3000));
    const Rope slice = mine.Subrope(pos, n);
    if (slice.size() != n || !HoldsExpected(slice, pos)) {
      failures->Add(absl::StrCat("thread ", id, ": slice [", pos, ", +", n,
                                 ") of ", size, " is wrong"));
    }
    if (mine[pos] != Expected(pos)) {
      failures->Add(absl::StrCat("thread ", id, ": byte ", pos, " is wrong"));
    }
    char buffer[64];
    const size_t copied = mine.CopyTo(absl::MakeSpan(buffer), pos);
    if (absl::string_view(buffer, copied) !=
        ExpectedRange(pos, std::min<size_t>(64, size - pos))) {
      failures->Add(absl::StrCat("thread ", id, ": CopyTo at ", pos));
    }
    // Compare and hash against the same range of an older copy.
    if (pos + n <= older.size()) {
      const Rope old_slice = older.Subrope(pos, n);
      if (old_slice.Compare(slice) != 0 ||
          absl::Hash<Rope>{}(old_slice) != absl::Hash<Rope>{}(slice)) {
        failures->Add(absl::StrCat("thread ", id, ": copies disagree"));
      }
    }
    if (absl::Hash<Rope>{}(slice) !=
        absl::Hash<absl::string_view>{}(ExpectedRange(pos, n))) {
      failures->Add(absl::StrCat("thread ", id, ": hash of a slice"));
    }
    // Find a short needle taken from the expected bytes.
    if (n >= 4) {
      const std::string needle = ExpectedRange(pos + n - 4, 4);
      if (slice.Find(needle) > n - 4) {
        failures->Add(absl::StrCat("thread ", id, ": Find missed a needle"));
      }
    }
    // Append to the own copy (its tail may be the original's tail chunk,
    // shared: must not be written in place), then check both ends.
    const size_t appended = uniform(1, 700);
    AppendPiece(&mine, appended, static_cast<int>(uniform(0, 4)), count);
    const size_t tail = std::min<size_t>(size, 256);
    if (!HoldsExpected(mine.Subrope(size - tail, tail + appended),
                       size - tail)) {
      failures->Add(absl::StrCat("thread ", id, ": own append is wrong"));
    }
    mine.Append(slice);
    if (!mine.EndsWith(slice)) {
      failures->Add(absl::StrCat("thread ", id, ": own append lost bytes"));
    }
    if ((i & 7) == 0) {
      mine.RemovePrefix(uniform(0, size));
      const std::string invariants =
          internal::RopeAccess::CheckInvariants(mine);
      if (!invariants.empty()) failures->Add(invariants);
    }
    // `mine` and `slice` are destroyed here, dropping their references
    // while other threads still hold the same chunks.
  }
  done->fetch_add(1);
}

TEST(Concurrency, ThreadsShareChunksWhileTheOriginalGrows) {
  SCOPED_TRACE(SeedTrace(TestSeed()));
  // External chunks of the original, and those the workers append to their
  // own copies (released as the copies die, on any thread).
  ReleaseCount original_count;
  ReleaseCount worker_count;
  Failures failures;
  std::mutex mu;
  Rope latest;  // guarded by mu: the copy workers take theirs from
  {
    Rope original;
    // A fragmented start: every kind of piece, several of each.
    for (int kind = 0; kind < 20; ++kind) {
      AppendPiece(&original, 100 + 97 * static_cast<size_t>(kind), kind,
                  &original_count);
    }
    latest = original;
    ASSERT_TRUE(HoldsExpected(original, 0));

    StartGate gate;
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int id = 0; id < kThreads; ++id) {
      threads.emplace_back(RopeWorker, id, &mu, &latest, &gate, &done,
                           &failures, &worker_count);
    }
    gate.Open();
    // The main thread keeps growing the original (in its private tail
    // chunk where it can, which the published copies share) until every
    // worker is done.
    std::mt19937_64 rng(TestSeed());
    int appends = 0;
    while (done.load() < kThreads) {
      if (original.size() < kMaxOriginalSize) {
        AppendPiece(&original, 1 + rng() % 300, static_cast<int>(rng() % 5),
                    &original_count);
        ++appends;
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        latest = original;
      }
      // Leaves the workers the lock most of the time.
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(failures.count(), 0) << failures.first();
    EXPECT_GT(appends, 0);
    RecordProperty("original_appends", appends);
    RecordProperty("original_bytes", static_cast<int>(original.size()));
    RecordProperty("external_chunks", original_count.created.load());
    EXPECT_TRUE(HoldsExpected(original, 0));
    EXPECT_EQ(internal::RopeAccess::CheckInvariants(original), "");
    // The workers' copies are gone and so are their own chunks, but the
    // original still holds every external chunk it got: none released.
    EXPECT_GT(worker_count.created.load(), kThreads);
    EXPECT_EQ(worker_count.released.load(), worker_count.created.load());
    EXPECT_GT(original_count.created.load(), 4);
    EXPECT_EQ(original_count.released.load(), 0);
    {
      std::lock_guard<std::mutex> lock(mu);
      latest = Rope();
    }
  }
  // The original is gone: each of its releasers ran, exactly once (a second
  // run would count twice and free twice, which ASan reports).
  EXPECT_EQ(original_count.released.load(), original_count.created.load());
}

// ---------------------------------------------------------------------------
// BytesIO snapshots shared by threads.

// A published GetValue() snapshot and the bytes it must hold forever.
struct Published {
  Rope value;
  std::shared_ptr<const std::string> expected;
};

void SnapshotWorker(int id, std::mutex* mu, const Published* latest,
                    StartGate* gate, std::atomic<int>* done,
                    Failures* failures) {
  std::mt19937_64 rng(TestSeed() * 31 + static_cast<uint64_t>(id));
  auto uniform = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  gate->Wait();
  std::vector<Published> kept;  // older snapshots, re-checked later
  for (int i = 0; i < kIterations; ++i) {
    Published snapshot;
    {
      std::lock_guard<std::mutex> lock(*mu);
      snapshot = *latest;
    }
    const std::string& expected = *snapshot.expected;
    // Read through a BytesIO of our own over the shared chunks.
    BytesIO reader(snapshot.value);
    const int64_t size = static_cast<int64_t>(expected.size());
    const int64_t pos = uniform(0, size);
    const int64_t n = uniform(0, 2000);
    absl::StatusOr<int64_t> seek = reader.Seek(pos);
    absl::StatusOr<Rope> read = reader.Read(n);
    if (!seek.ok() || !read.ok() ||
        *read != absl::string_view(expected).substr(static_cast<size_t>(pos),
                                                    static_cast<size_t>(n))) {
      failures->Add(absl::StrCat("snapshot thread ", id, ": Read at ", pos));
    }
    absl::StatusOr<Rope> line = reader.ReadLine();
    if (!line.ok()) failures->Add("ReadLine failed");
    // Write into the own BytesIO: copy-on-write of the shared chunks; the
    // snapshot (held by other threads too) must not change.
    if (reader.Seek(uniform(0, size)).ok() &&
        reader.Write(std::string(static_cast<size_t>(uniform(1, 600)), 'W'))
            .ok() &&
        reader.Truncate(uniform(0, size)).ok()) {
      if (snapshot.value != expected) {
        failures->Add(absl::StrCat("snapshot thread ", id,
                                   ": own write changed a shared snapshot"));
      }
    } else {
      failures->Add("write to own BytesIO failed");
    }
    if ((i & 31) == 0) kept.push_back(snapshot);
    if (kept.size() > 8) kept.erase(kept.begin());
  }
  for (const Published& p : kept) {
    if (p.value != *p.expected) {
      failures->Add(
          absl::StrCat("snapshot thread ", id, ": a kept snapshot changed"));
    }
  }
  done->fetch_add(1);
}

TEST(Concurrency, ThreadsShareBytesIOSnapshotsWhileTheStreamChanges) {
  SCOPED_TRACE(SeedTrace(TestSeed()));
  Failures failures;
  std::mutex mu;
  Published latest;  // guarded by mu
  BytesIO io(MakeRope(ExpectedRange(0, 20000), RopeShape::kExternalChunks));
  std::string model = ExpectedRange(0, 20000);
  auto publish = [&] {
    absl::StatusOr<Rope> value = io.GetValue();
    ASSERT_TRUE(value.ok());
    Published p{*value, std::make_shared<const std::string>(model)};
    std::lock_guard<std::mutex> lock(mu);
    latest = std::move(p);
  };
  publish();

  StartGate gate;
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int id = 0; id < kThreads; ++id) {
    threads.emplace_back(SnapshotWorker, id, &mu, &latest, &gate, &done,
                         &failures);
  }
  gate.Open();
  // The main thread overwrites in the middle (in place where the chunk is
  // private, copy-on-write where a snapshot shares it) and extends.
  std::mt19937_64 rng(TestSeed());
  while (done.load() < kThreads) {
    const int64_t pos = static_cast<int64_t>(rng() % (model.size() + 10));
    const std::string data(1 + rng() % 200,
                           static_cast<char>('a' + rng() % 26));
    ASSERT_TRUE(io.Seek(pos).ok());
    ASSERT_TRUE(io.Write(data).ok());
    if (static_cast<size_t>(pos) > model.size()) model.resize(pos, '\0');
    model.replace(static_cast<size_t>(pos),
                  std::min(data.size(), model.size() - pos), data);
    if (model.size() > 200000) {
      ASSERT_TRUE(io.Truncate(20000).ok());
      model.resize(20000);
    }
    publish();
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.count(), 0) << failures.first();
  EXPECT_EQ(*io.GetValue(), model);
}

}  // namespace
}  // namespace bytesio
