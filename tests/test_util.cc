// Copyright 2026 The bytesio Authors.

#include "tests/test_util.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bytesio/rope_buffer.h"

namespace bytesio {
namespace testutil {
namespace {

// Random lengths in [lo, hi] for the pieces of `total` bytes, where every
// piece after the first is at least `lo` long (a short remainder is merged
// into the previous piece).
std::vector<size_t> PieceLengths(std::mt19937_64& rng, size_t total, size_t lo,
                                 size_t hi) {
  std::vector<size_t> lengths;
  std::uniform_int_distribution<size_t> dist(lo, hi);
  size_t left = total;
  while (left > 0) {
    size_t n = std::min(dist(rng), left);
    if (left - n < lo) n = left;
    lengths.push_back(n);
    left -= n;
  }
  return lengths;
}

// Appends `piece` as a chunk of its own: RopeBuffers are adopted, never
// copied, whatever their size (unlike Append(Rope) of <= kMaxBytesToCopy).
void AppendOwnChunk(Rope* rope, absl::string_view piece) {
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(piece.size());
  std::memcpy(buffer.data(), piece.data(), piece.size());
  buffer.SetLength(piece.size());
  rope->Append(std::move(buffer));
}

// Keeps the owners of kSharedChunks ropes alive, so that their chunks are
// referenced from two places; bounded so that memory does not accumulate.
void KeepOwner(Rope owner) {
  static std::mutex* mu = new std::mutex;
  // Leaked on purpose: reachable from a static, so LeakSanitizer is quiet,
  // and no destructor runs during static destruction.
  static std::deque<Rope>* owners = new std::deque<Rope>;
  std::lock_guard<std::mutex> lock(*mu);
  owners->push_back(std::move(owner));
  if (owners->size() > kSharedOwnersKept) owners->pop_front();
}

std::atomic<bool> seed_overridden{false};
std::atomic<uint64_t> seed_override{0};

uint64_t ParseSeedOrDie(absl::string_view text, const char* source) {
  uint64_t seed;
  if (!absl::SimpleAtoi(text, &seed)) {
    std::fprintf(stderr, "bytesio: bad seed '%.*s' in %s\n",
                 static_cast<int>(text.size()), text.data(), source);
    std::abort();
  }
  return seed;
}

// The N of a --seed=N argument of this process, read from /proc so that
// tests linked with gtest_main see it too.
std::optional<uint64_t> SeedFromCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  if (!in) return std::nullopt;
  std::string cmdline((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  std::optional<uint64_t> seed;
  size_t start = 0;
  while (start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    absl::string_view arg(cmdline.data() + start, end - start);
    constexpr absl::string_view kFlag = "--seed=";
    if (absl::StartsWith(arg, kFlag)) {
      seed = ParseSeedOrDie(arg.substr(kFlag.size()), "--seed");
    }
    start = end + 1;
  }
  return seed;
}

}  // namespace

std::vector<RopeShape> AllRopeShapes() {
  return {RopeShape::kFlat, RopeShape::kOneByteChunks, RopeShape::kSmallChunks,
          RopeShape::kSharedChunks, RopeShape::kExternalChunks};
}

std::string RopeShapeName(RopeShape shape) {
  switch (shape) {
    case RopeShape::kFlat:
      return "Flat";
    case RopeShape::kOneByteChunks:
      return "OneByteChunks";
    case RopeShape::kSmallChunks:
      return "SmallChunks";
    case RopeShape::kSharedChunks:
      return "SharedChunks";
    case RopeShape::kExternalChunks:
      return "ExternalChunks";
  }
  return "Unknown";
}

Rope MakeRope(absl::string_view data, RopeShape shape) {
  // Structure depends only on (size, shape), never on TestSeed(), so that a
  // failure reproduces whatever seed the test ran with.
  std::mt19937_64 rng(data.size() * 8 + static_cast<size_t>(shape));
  Rope rope;
  switch (shape) {
    case RopeShape::kFlat:
      return Rope(std::string(data));
    case RopeShape::kOneByteChunks:
      for (char c : data) AppendOwnChunk(&rope, absl::string_view(&c, 1));
      return rope;
    case RopeShape::kSmallChunks: {
      size_t pos = 0;
      for (size_t n : PieceLengths(rng, data.size(), 1, 700)) {
        AppendOwnChunk(&rope, data.substr(pos, n));
        pos += n;
      }
      return rope;
    }
    case RopeShape::kSharedChunks: {
      // Pieces after the first are > kMaxBytesToCopy, so Append shares them.
      std::vector<size_t> lengths =
          PieceLengths(rng, data.size(), Rope::kMaxBytesToCopy + 1, 2047);
      std::string owner_bytes;
      owner_bytes.reserve(data.size() + lengths.size());
      size_t pos = 0;
      for (size_t n : lengths) {
        owner_bytes.append(data.data() + pos, n);
        // A separator keeps consecutive pieces from naming adjacent bytes
        // of the chunk, which the tree would merge into one slice.
        owner_bytes.push_back('|');
        pos += n;
      }
      Rope owner(absl::string_view{owner_bytes});
      size_t owner_pos = 0;
      for (size_t n : lengths) {
        rope.Append(owner.Subrope(owner_pos, n));
        owner_pos += n + 1;
      }
      KeepOwner(std::move(owner));
      return rope;
    }
    case RopeShape::kExternalChunks: {
      size_t pos = 0;
      for (size_t n :
           PieceLengths(rng, data.size(), Rope::kMaxBytesToCopy + 1, 4095)) {
        char* memory = new char[n];
        std::memcpy(memory, data.data() + pos, n);
        rope.Append(Rope::FromExternal(absl::string_view(memory, n),
                                       [memory] { delete[] memory; }));
        pos += n;
      }
      return rope;
    }
  }
  return rope;
}

std::vector<size_t> ThresholdSizes() {
  return {0,   1,   15,   16,   17,    255,   256,   511,
          512, 513, 4095, 4096, 65535, 65536, 65537, 200000};
}

uint64_t TestSeed() {
  if (seed_overridden.load()) return seed_override.load();
  if (std::optional<uint64_t> seed = SeedFromCommandLine()) return *seed;
  if (const char* env = std::getenv("BYTESIO_SEED"); env != nullptr && *env) {
    return ParseSeedOrDie(env, "BYTESIO_SEED");
  }
  return kDefaultTestSeed;
}

void SetTestSeedOverride(uint64_t seed) {
  seed_override.store(seed);
  seed_overridden.store(true);
}

std::string SeedTrace(uint64_t seed) {
  return absl::StrCat("seed=", seed, " (rerun with --test_arg=--seed=", seed,
                      " or --test_env=BYTESIO_SEED=", seed, ")");
}

std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string bytes(n, '\0');
  size_t i = 0;
  // Eight bytes per draw: the model tests build megabytes of random data.
  for (; i + 8 <= n; i += 8) {
    uint64_t word = rng();
    std::memcpy(&bytes[i], &word, 8);
  }
  if (i < n) {
    uint64_t word = rng();
    std::memcpy(&bytes[i], &word, n - i);
  }
  return bytes;
}

}  // namespace testutil
}  // namespace bytesio
