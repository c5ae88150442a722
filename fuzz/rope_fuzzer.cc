// Copyright 2026 The bytesio Authors.
//
// Differential fuzz target: Rope structure operations against std::string.
// The input is a program over kSlots Ropes, each mirrored by a string:
//
//   [initial size: IntInRange(0, 2048)] [initial bytes] [BuildRope decisions]
//   then repeatedly: [op: Byte() % kNumOps] [target slot] [arguments]
//
// Operations: append / prepend of bytes and of Ropes (also a Rope to
// itself), append of input-fragmented Ropes (own, external, shared chunks),
// append zeros (also across the 1 MiB shared zero chunk), sub-rope,
// remove prefix / suffix, overwrite, copies and moves, clear, flatten,
// append buffers, AppendInPlace under a live RopeReader (Extend), and the
// queries find (byte and needle), compare, starts/ends-with, operator[],
// CopyTo, iteration and hashing; and tall trees: up to 32 self-appends or
// self-prepends in a row (a 2 KiB slot of one-byte chunks becomes 2^43 bytes of
// shared nodes, height 10 and more), cut back by alternating prefix and suffix
// removals, the string model kept as a period until the rope fits it again.
// After every operation the slots it touched must pass
// RopeAccess::CheckInvariants, keep their height within log2 of their slice
// count, and have their strings' sizes and bytes at sampled positions; every
// few operations they, and periodically all slots, must equal their strings
// (copies never see each other's changes); at the end all slots must, and every
// external chunk's releaser must have run exactly once.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "bytesio/rope_reader.h"
#include "fuzz/fuzz_util.h"

namespace bytesio {
namespace fuzz {
namespace {

constexpr size_t kSlots = 4;
constexpr int kNumOps = 26;
// Slots are compared after every step, so sizes stay bounded for speed
// (slots of a MiB cut the executions per second tenfold): 256 KiB, four
// 64 KiB chunks. Only runs of zeros may grow a slot further, up to
// kMaxSizeWithZeros, so that a run crosses the end of the 1 MiB shared
// zero chunk.
constexpr size_t kMaxSize = size_t{256} << 10;
constexpr size_t kMaxZeroRun = (size_t{1} << 20) + 100;
constexpr size_t kMaxSizeWithZeros = kMaxZeroRun + kMaxSize;
// Whole-slot comparisons (and invariant checks) of the touched slots every
// this many operations, of all slots every kCheckAllEvery: comparing after
// each of hundreds of operations dominated the run time, while a wrong byte
// stays visible until its slot is next assigned.
constexpr int kCheckTouchedEvery = 4;
constexpr int kCheckAllEvery = 16;
constexpr size_t kMaxWalk = size_t{16} << 10;

int Sign(int v) { return (v > 0) - (v < 0); }

class Harness {
 public:
  Harness(FuzzInput& in, ReleaseCounter* counter)
      : in_(in), counter_(*counter) {}

  void Run() {
    const std::string initial = in_.Bytes(in_.IntInRange<size_t>(0, 2048));
    ropes_[0] = BuildRope(in_, initial, &counter_, &keep_alive_);
    models_[0] = initial;
    CheckAll();
    for (int step = 1; !in_.empty(); ++step) {
      const int op = in_.Byte() % kNumOps;
      const size_t a = in_.IntInRange<size_t>(0, kSlots - 1);
      const size_t b = in_.IntInRange<size_t>(0, kSlots - 1);
      Step(op, a, b);
      if (step % kCheckAllEvery == 0) {
        CheckAll();
      } else {
        const bool full = step % kCheckTouchedEvery == 0;
        Check(a, full);
        Check(b, full);
      }
    }
    CheckAll();
  }

 private:
  std::string Data() {
    switch (in_.IntInRange(0, 3)) {
      case 0:
        return in_.Bytes(in_.IntInRange<size_t>(0, 20));
      case 1:
        return in_.Bytes(in_.IntInRange<size_t>(0, 600));
      case 2:
        return in_.Bytes(in_.IntInRange<size_t>(0, 4096));
      default: {  // a long run from two input bytes
        const size_t n = in_.IntInRange<size_t>(0, 70000);
        return std::string(n, static_cast<char>(in_.Byte()));
      }
    }
  }

  // A position in [0, size] (or a little past it when `past` is set).
  size_t Pos(size_t size, bool past = false) {
    return in_.Fraction(size + (past ? 3 : 0));
  }

  // A needle: a piece of the slot's own bytes (so it is found, often across
  // chunk boundaries), or bytes from the input.
  std::string Needle(const std::string& model) {
    const bool own = in_.Bool();
    if (own && !model.empty()) {
      const size_t pos = Pos(model.size() - 1);
      return model.substr(pos, in_.IntInRange<size_t>(0, 40));
    }
    return in_.Bytes(in_.IntInRange<size_t>(0, 6));
  }

  // Compares slot i with its string: the size and the first, middle and
  // last bytes, or when `full` every byte and the structure.
  void Check(size_t i, bool full) {
    const Rope& r = ropes_[i];
    const std::string& m = models_[i];
    FUZZ_CHECK(r.size() == m.size());
    CheckStructure(r);
    if (full) {
      FUZZ_CHECK(r == m);
    } else if (!m.empty()) {
      for (size_t pos : {size_t{0}, m.size() / 2, m.size() - 1}) {
        FUZZ_CHECK(r[pos] == m[pos]);
      }
    }
  }

  // The invariants of btree.h, and their consequence: a tree of height h
  // has at least 2^h slices.
  static void CheckStructure(const Rope& r) {
    FUZZ_CHECK(internal::RopeAccess::CheckInvariants(r).empty());
    const int height = internal::RopeAccess::TreeHeight(r);
    if (height > 0) {
      FUZZ_CHECK(height < 64 &&
                 (size_t{1} << height) <= internal::RopeAccess::SliceCount(r));
    }
  }

  void CheckAll() {
    for (size_t i = 0; i < kSlots; ++i) Check(i, /*full=*/true);
  }

  bool Fits(size_t a, size_t extra) const {
    return models_[a].size() + extra <= kMaxSize;
  }

  void Step(int op, size_t a, size_t b) {
    Rope& r = ropes_[a];
    std::string& m = models_[a];
    switch (op) {
      case 0: {
        const std::string data = Data();
        if (!Fits(a, data.size())) break;
        r.Append(data);
        m += data;
        break;
      }
      case 1: {  // b may be a: appending a Rope to itself
        if (!Fits(a, models_[b].size())) break;
        r.Append(ropes_[b]);
        m += std::string(models_[b]);
        break;
      }
      case 2: {
        if (!Fits(a, models_[b].size())) break;
        Rope copy = ropes_[b];
        r.Append(std::move(copy));
        m += std::string(models_[b]);
        break;
      }
      case 3: {
        const std::string data = Data();
        if (!Fits(a, data.size())) break;
        r.Prepend(data);
        m.insert(0, data);
        break;
      }
      case 4: {
        if (!Fits(a, models_[b].size())) break;
        r.Prepend(ropes_[b]);
        m.insert(0, std::string(models_[b]));
        break;
      }
      case 5: {
        const size_t n = in_.Bool() ? in_.IntInRange<size_t>(0, 1100)
                                    : in_.IntInRange<size_t>(0, kMaxZeroRun);
        if (m.size() + n > kMaxSizeWithZeros) break;
        r.AppendZeros(n);
        m.append(n, '\0');
        break;
      }
      case 6: {
        const size_t pos = Pos(models_[b].size());
        const size_t n =
            in_.Bool() ? in_.IntInRange<size_t>(0, 600) : Rope::npos;
        Rope sub = ropes_[b].Subrope(pos, n);
        std::string sub_model = models_[b].substr(pos, n);
        r = std::move(sub);
        m = std::move(sub_model);
        break;
      }
      case 7: {
        const size_t n = Pos(m.size(), /*past=*/true);
        r.RemovePrefix(n);
        m.erase(0, n);
        break;
      }
      case 8: {
        const size_t n = Pos(m.size(), /*past=*/true);
        r.RemoveSuffix(n);
        m.resize(m.size() - std::min(n, m.size()));
        break;
      }
      case 9: {
        const size_t pos = Pos(m.size());
        const std::string data = in_.Bytes(in_.Fraction(m.size() - pos));
        r.Overwrite(pos, data);
        m.replace(pos, data.size(), data);
        break;
      }
      case 10: {
        if (in_.Bool()) {
          r = ropes_[b];
        } else {
          Rope copy = ropes_[b];
          r = std::move(copy);
        }
        m = models_[b];
        break;
      }
      case 11: {
        r.Clear();
        m.clear();
        break;
      }
      case 12: {
        const absl::string_view flat = r.Flatten();
        FUZZ_CHECK(flat == m);
        break;
      }
      case 13: {  // append through a RopeBuffer
        const size_t min_capacity = in_.IntInRange<size_t>(0, 64);
        const size_t capacity = min_capacity + in_.IntInRange<size_t>(0, 5000);
        RopeBuffer buffer = r.GetAppendBuffer(capacity, min_capacity);
        // The buffer may have taken over the tail chunk's bytes.
        FUZZ_CHECK(buffer.length() <= m.size());
        FUZZ_CHECK(r ==
                   absl::string_view(m).substr(0, m.size() - buffer.length()));
        FUZZ_CHECK(buffer.view() ==
                   absl::string_view(m).substr(m.size() - buffer.length()));
        FUZZ_CHECK(buffer.available().size() >= min_capacity);
        const std::string data =
            in_.Bytes(in_.Fraction(buffer.available().size()));
        if (!data.empty()) {
          std::memcpy(buffer.available().data(), data.data(), data.size());
        }
        buffer.IncreaseLength(data.size());
        r.Append(std::move(buffer));
        m += data;
        break;
      }
      case 14: {
        const std::string data = Data();
        if (!Fits(a, data.size())) break;
        Rope piece = BuildRope(in_, data, &counter_, &keep_alive_);
        if (in_.Bool()) {
          r.Append(piece);
          m += data;
        } else {
          r.Prepend(piece);
          m.insert(0, data);
        }
        break;
      }
      case 15: {
        const char c = static_cast<char>(in_.Byte());
        const size_t pos = Pos(m.size(), /*past=*/true);
        FUZZ_CHECK(r.Find(c, pos) == m.find(c, pos));
        break;
      }
      case 16: {
        const std::string needle = Needle(m);
        const size_t pos = Pos(m.size(), /*past=*/true);
        FUZZ_CHECK(r.Find(needle, pos) == m.find(needle, pos));
        break;
      }
      case 17: {
        const std::string& other = models_[b];
        FUZZ_CHECK(Sign(r.Compare(ropes_[b])) == Sign(m.compare(other)));
        FUZZ_CHECK(Sign(r.Compare(other)) == Sign(m.compare(other)));
        FUZZ_CHECK((r == ropes_[b]) == (m == other));
        FUZZ_CHECK((r < ropes_[b]) == (m < other));
        FUZZ_CHECK((r < absl::string_view(other)) == (m < other));
        FUZZ_CHECK((absl::string_view(other) < r) == (other < m));
        FUZZ_CHECK((r != ropes_[b]) == (m != other));
        break;
      }
      case 18: {
        const std::string probe = Needle(m);
        const bool starts =
            absl::string_view(m).substr(0, probe.size()) == probe;
        const bool ends =
            m.size() >= probe.size() &&
            absl::string_view(m).substr(m.size() - probe.size()) == probe;
        FUZZ_CHECK(r.StartsWith(probe) == starts);
        FUZZ_CHECK(r.EndsWith(probe) == ends);
        const Rope probe_rope = BuildRope(in_, probe, &counter_, &keep_alive_);
        FUZZ_CHECK(r.StartsWith(probe_rope) == starts);
        FUZZ_CHECK(r.EndsWith(probe_rope) == ends);
        // Sub-ropes of the slot itself are prefixes / suffixes.
        const size_t n = Pos(m.size());
        FUZZ_CHECK(r.StartsWith(r.Subrope(0, n)));
        FUZZ_CHECK(r.EndsWith(r.Subrope(m.size() - n, n)));
        break;
      }
      case 19: {
        const size_t hash = absl::Hash<Rope>{}(r);
        FUZZ_CHECK(hash == absl::Hash<absl::string_view>{}(m));
        if (m == models_[b]) FUZZ_CHECK(hash == absl::Hash<Rope>{}(ropes_[b]));
        break;
      }
      case 20: {
        if (!m.empty()) {
          const size_t i = Pos(m.size() - 1);
          FUZZ_CHECK(r[i] == m[i]);
        }
        const size_t pos = Pos(m.size());
        std::string buffer(in_.IntInRange<size_t>(0, 700), '#');
        const size_t copied = r.CopyTo(absl::MakeSpan(buffer), pos);
        const std::string want = m.substr(pos, buffer.size());
        FUZZ_CHECK(copied == want.size());
        FUZZ_CHECK(buffer.substr(0, copied) == want);
        FUZZ_CHECK(buffer.substr(copied) ==
                   std::string(buffer.size() - copied, '#'));
        break;
      }
      case 21: {  // iteration: chunks (never empty) and bytes
        std::string chunks;
        for (absl::string_view chunk : r.Chunks()) {
          FUZZ_CHECK(!chunk.empty());
          chunks.append(chunk.data(), chunk.size());
        }
        FUZZ_CHECK(chunks == m);
        // Byte iteration is instrumented per byte: walk at most 16 KiB
        // (still many chunk boundaries), to the end when it is that short.
        std::string walked;
        for (auto it = r.begin(); it != r.end() && walked.size() < kMaxWalk;
             ++it) {
          walked.push_back(*it);
        }
        FUZZ_CHECK(walked == absl::string_view(m).substr(0, kMaxWalk));
        std::string appended = "x";
        r.AppendTo(&appended);
        FUZZ_CHECK(appended == "x" + m);
        FUZZ_CHECK(r.ToString() == m);
        FUZZ_CHECK(r.empty() == m.empty());
        break;
      }
      case 24: {  // tall trees: doublings, then alternating removals
        if (m.empty()) break;
        const std::string period = m;
        const int doublings = in_.IntInRange(1, 32);
        uint64_t size = m.size();
        // Fraction() needs sizes below 2^48.
        for (int i = 0; i < doublings && size < (uint64_t{1} << 46); ++i) {
          if (in_.Bool()) {
            r.Append(r);
          } else {
            r.Prepend(r);
          }
          size *= 2;
          FUZZ_CHECK(r.size() == size);
          CheckStructure(r);
        }
        // Cut back to at most kMaxSize bytes, [offset, offset + keep) of
        // the periodic contents, in up to four alternating steps.
        const uint64_t keep = in_.Fraction(std::min<uint64_t>(size, kMaxSize));
        const uint64_t start = in_.Fraction(size - keep);
        uint64_t prefix = start;  // still to remove at each end
        uint64_t suffix = size - start - keep;
        uint64_t offset = 0;  // removed so far from the front
        const int steps = in_.IntInRange(1, 4);
        for (int step = 1; step <= steps; ++step) {
          const uint64_t p = step == steps ? prefix : in_.Fraction(prefix);
          const uint64_t q = step == steps ? suffix : in_.Fraction(suffix);
          r.RemovePrefix(p);
          CheckStructure(r);
          r.RemoveSuffix(q);
          CheckStructure(r);
          prefix -= p;
          suffix -= q;
          offset += p;
          size -= p + q;
          FUZZ_CHECK(r.size() == size);
          if (size > 0) {
            for (uint64_t pos : {uint64_t{0}, size / 2, size - 1}) {
              FUZZ_CHECK(r[pos] == period[(offset + pos) % period.size()]);
            }
          }
        }
        m.clear();
        for (uint64_t i = 0; i < keep; ++i) {
          m.push_back(period[(offset + i) % period.size()]);
        }
        break;
      }
      case 25: {  // AppendInPlace under a live reader (RopeReader::Extend)
        // Bytes from the input, or a view of the slot's own bytes.
        std::string data = Data();
        absl::string_view source = data;
        std::optional<absl::string_view> flat = r.TryFlat();
        if (flat.has_value() && !flat->empty() && in_.Bool()) {
          const size_t from = Pos(flat->size() - 1);
          source = flat->substr(from, in_.IntInRange<size_t>(0, 700));
        }
        if (!Fits(a, source.size())) break;
        const std::string appended(source);
        const size_t start = Pos(m.size());
        RopeReader reader(r, start);
        const size_t n = r.AppendInPlace(source);
        FUZZ_CHECK(n <= appended.size());
        m.append(appended, 0, n);
        reader.Extend();
        FUZZ_CHECK(reader.remaining() == m.size() - start);
        // The reader must reach the new bytes: read the last ones through it.
        const size_t tail_from =
            std::max(start, m.size() - std::min<size_t>(m.size(), 2048));
        FUZZ_CHECK(reader.Skip(tail_from - start));
        std::string tail(m.size() - tail_from, '\0');
        FUZZ_CHECK(reader.ReadInto(absl::MakeSpan(tail)));
        FUZZ_CHECK(tail == m.substr(tail_from));
        FUZZ_CHECK(reader.AtEnd());
        break;
      }
      case 22: {  // construction from a std::string (adopted when large)
        const std::string data = Data();
        r = Rope(std::string(data));
        m = data;
        break;
      }
      default: {  // a copy that outlives changes to the original
        const Rope copy = r;
        const std::string before = m;
        const std::string data = Data();
        if (Fits(a, data.size())) {
          r.Append(data);
          m += data;
        }
        if (!m.empty()) {
          const size_t pos = Pos(m.size() - 1);
          const std::string over = in_.Bytes(1);
          if (!over.empty()) {
            r.Overwrite(pos, over);
            m.replace(pos, 1, over);
          }
        }
        FUZZ_CHECK(copy == before);
        FUZZ_CHECK(internal::RopeAccess::CheckInvariants(copy).empty());
        break;
      }
    }
  }

  FuzzInput& in_;
  ReleaseCounter& counter_;
  std::vector<Rope> keep_alive_;  // owners of shared chunks
  std::array<Rope, kSlots> ropes_;
  std::array<std::string, kSlots> models_;
};

}  // namespace
}  // namespace fuzz
}  // namespace bytesio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bytesio::fuzz::ReleaseCounter counter;
  {
    bytesio::fuzz::FuzzInput in(data, size);
    bytesio::fuzz::Harness harness(in, &counter);
    harness.Run();
  }
  // Every Rope is gone: each external chunk's releaser ran exactly once.
  FUZZ_CHECK(counter.released == counter.created);
  return 0;
}
