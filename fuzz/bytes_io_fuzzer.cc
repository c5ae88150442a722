// Copyright 2026 The bytesio Authors.
//
// Differential fuzz target: BytesIO against the std::string model of
// CPython's io.BytesIO (tests/bytes_io_model.h). The input is a program:
//
//   [initial size: IntInRange(0, 4096)] [initial bytes]
//   [Bool: 1 = BuildRope decisions follow, 0 = a flat copy]
//   then repeatedly: [op: Byte() % kNumOps] [that op's arguments]
//   (the ops are the cases of Harness::Step, in order; the seed generator
//   fuzz/make_seed_corpus.py spells out their arguments)
//
// Every result and status (code and Python's message) must match the
// model's. After every operation the position, closed flag and size must
// match; after every mutating operation (and periodically) so must the
// whole value and the bytes every live export shows. GetValue snapshots
// and read results are kept and re-checked after later writes, truncates,
// export writes and Close (copy-on-write must keep them unchanged); exports
// are written through, sliced, copied and released in input-chosen order.
// At the end every external chunk's releaser must have run exactly once.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "fuzz/fuzz_util.h"
#include "tests/bytes_io_model.h"

namespace bytesio {
namespace fuzz {
namespace {

using testutil::BytesIOModel;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// The model materialises zero-filled gaps, so writes whose gap lies in
// (kMaxModelGap, BytesIO::kMaxZeroFill] are skipped (BytesIO would accept
// them cheaply; the model cannot). kMaxModelGap is just over one 1 MiB
// shared zero chunk, so gaps of several zero slices are still compared.
constexpr uint64_t kMaxModelGap = (uint64_t{1} << 20) + 4096;
// Writes that would grow the data beyond this (1.25 MiB) are skipped too:
// every step compares the whole value, which must stay cheap for
// libFuzzer's speed.
constexpr uint64_t kMaxModelSize = uint64_t{5} << 18;
// Snapshots kept for re-checking: enough to span many later operations.
// They are compared in the periodic full checks; larger values are not
// kept, as comparing sixteen 1 MiB snapshots often dominated the run time
// (an input of 2,000 Close calls took 16 s).
constexpr size_t kMaxSnapshots = 16;
constexpr size_t kMaxSnapshotSize = size_t{64} << 10;
// Live exports at a time: more add nothing but checking time (an input
// holding 150 exports of a 1 MiB stream took 16 s).
constexpr size_t kMaxExports = 16;
// Bytes compared at each end of an export's view: all views share the
// stream's one chunk, whose every byte the value comparison covers.
constexpr size_t kExportBytesChecked = 256;
constexpr int kNumOps = 20;
// Operations below this number only read (ops 0-4); after them the whole
// value is compared only every kFullCheckEvery steps, as comparing
// megabytes after every read dominated the run time.
constexpr int kFirstMutatingOp = 5;
constexpr int kFullCheckEvery = 8;

bool SameStatus(const absl::Status& got, const absl::Status& want) {
  if (got.code() != want.code()) return false;
  // ResourceExhausted messages are BytesIO's own wording.
  return want.code() == absl::StatusCode::kResourceExhausted ||
         got.message() == want.message();
}

class Harness {
 public:
  // External chunks count into *counter, which must outlive the harness.
  Harness(FuzzInput& in, ReleaseCounter* counter)
      : in_(in), counter_(*counter) {}

  ~Harness() {
    exports_.clear();  // a BytesIO requires no live exports when destroyed
    for (const Snapshot& s : snapshots_) FUZZ_CHECK(s.rope == s.expected);
  }

  void Run() {
    std::string initial = in_.Bytes(in_.IntInRange<size_t>(0, 4096));
    io_ = BytesIO(in_.Bool() ? BuildRope(in_, initial, &counter_, &keep_alive_)
                             : Rope(initial));
    model_.data = std::move(initial);
    CheckState(/*full=*/true);
    for (int step = 1; !in_.empty(); ++step) {
      const int op = in_.Byte() % kNumOps;
      Step(op);
      const bool periodic = step % kFullCheckEvery == 0;
      CheckState(/*full=*/op >= kFirstMutatingOp || periodic);
      if (periodic) CheckSnapshots();
    }
    CheckState(/*full=*/true);
  }

 private:
  struct Export {
    BytesIO::ExportedBuffer buffer;
    size_t offset;  // of buffer.data() in the stream
  };
  struct Snapshot {
    Rope rope;
    std::string expected;
  };

  // ---- Arguments decoded from the input. ----

  // A read size or limit: "all" (-1 or any negative), 0, small, large.
  int64_t SizeArg() {
    switch (in_.IntInRange(0, 5)) {
      case 0:
        return -1;
      case 1:
        return in_.IntInRange<int64_t>(kMin, -1);
      case 2:
        return 0;
      case 3:
        return in_.IntInRange<int64_t>(1, 16);
      case 4:
        return in_.IntInRange<int64_t>(1, 4096);
      default:
        return kMax - in_.IntInRange<int64_t>(0, 255);
    }
  }

  int64_t Offset() {
    const int64_t size = static_cast<int64_t>(model_.data.size());
    switch (in_.IntInRange(0, 7)) {
      case 0:
        return in_.IntInRange<int64_t>(-64, 64);
      case 1:
        return static_cast<int64_t>(in_.Fraction(size + 64));
      case 2:
        return -static_cast<int64_t>(in_.Fraction(size + 64));
      case 3:
        return kMax - static_cast<int64_t>(in_.Fraction(2 * size + 64));
      case 4:
        return kMin + in_.IntInRange<int64_t>(0, 64);
      case 5:
        return in_.IntInRange<int64_t>(kMin, kMax);
      case 6:  // a gap up to just over one zero chunk past the end
        return size + in_.IntInRange<int64_t>(0, kMaxModelGap);
      default:  // just past the zero-fill limit, or 2^50
        return in_.Bool() ? size + BytesIO::kMaxZeroFill +
                                in_.IntInRange<int64_t>(1, 3)
                          : int64_t{1} << 50;
    }
  }

  int Whence() {
    const int w = in_.IntInRange(0, 7);
    if (w < 6) return w % 3;
    return w == 6 ? -1 : in_.IntInRange(3, 1000);
  }

  std::string Data() {
    switch (in_.IntInRange(0, 3)) {
      case 0:
        return in_.Bytes(in_.IntInRange<size_t>(0, 16));
      case 1:
        return in_.Bytes(in_.IntInRange<size_t>(0, 600));
      case 2:
        return in_.Bytes(in_.IntInRange<size_t>(0, 4096));
      default: {  // many bytes from few input bytes
        const size_t n = in_.IntInRange<size_t>(0, 8192);
        return std::string(n, static_cast<char>(in_.Byte()));
      }
    }
  }

  // ---- Checks. ----

  // Compares the position and flags, and when `full` the whole value and
  // every export's bytes (else the value's size).
  void CheckState(bool full) {
    FUZZ_CHECK(io_.closed() == model_.closed);
    if (model_.closed) {
      FUZZ_CHECK(exports_.empty());
      return;
    }
    absl::StatusOr<int64_t> pos = io_.Tell();
    FUZZ_CHECK(pos.ok() && *pos == model_.pos);
    absl::StatusOr<Rope> value = io_.GetValue();
    FUZZ_CHECK(value.ok());
    FUZZ_CHECK(value->size() == model_.data.size());
    if (!full) return;
    FUZZ_CHECK(*value == model_.data);
    FUZZ_CHECK(internal::RopeAccess::CheckInvariants(*value).empty());
    for (const Export& e : exports_) {
      FUZZ_CHECK(e.buffer.holds_export());
      FUZZ_CHECK(e.offset + e.buffer.size() <= model_.data.size());
      const absl::string_view view = e.buffer.view();
      const absl::string_view want =
          absl::string_view(model_.data).substr(e.offset, view.size());
      const size_t n = std::min(view.size(), kExportBytesChecked);
      FUZZ_CHECK(view.substr(0, n) == want.substr(0, n));
      FUZZ_CHECK(view.substr(view.size() - n) == want.substr(want.size() - n));
    }
  }

  void CheckSnapshots() {
    for (const Snapshot& s : snapshots_) FUZZ_CHECK(s.rope == s.expected);
  }

  void Remember(const Rope& rope, std::string expected) {
    if (rope.size() > kMaxSnapshotSize) return;
    Snapshot snapshot{rope, std::move(expected)};
    if (snapshots_.size() < kMaxSnapshots) {
      snapshots_.push_back(std::move(snapshot));
    } else {
      snapshots_[in_.Pick(kMaxSnapshots)] = std::move(snapshot);
    }
  }

  template <typename T, typename U>
  void CheckSame(const absl::StatusOr<T>& got, const absl::StatusOr<U>& want) {
    FUZZ_CHECK(SameStatus(got.status(), want.status()));
    if (got.ok()) FUZZ_CHECK(*got == *want);
  }

  // False when a write of `n` bytes must be skipped (see kMaxModelGap and
  // kMaxModelSize); such writes would succeed in BytesIO.
  bool ModelCanWrite(size_t n) const {
    if (!model_.CheckResizable().ok() || n == 0) return true;
    if (n > static_cast<uint64_t>(kMax) - model_.upos()) return true;
    const uint64_t gap = model_.Gap();
    if (gap > static_cast<uint64_t>(BytesIO::kMaxZeroFill)) return true;
    return gap <= kMaxModelGap && model_.upos() + n <= kMaxModelSize;
  }

  // ---- Operations. ----

  void Step(int op) {
    switch (op) {
      case 0: {
        const int64_t n = SizeArg();
        const bool one = in_.Bool();
        const bool keep = in_.Bool();
        absl::StatusOr<Rope> got = one ? io_.Read1(n) : io_.Read(n);
        CheckSame(got, model_.Read(n));
        if (got.ok() && keep) Remember(*got, got->ToString());
        break;
      }
      case 1: {
        const size_t n = in_.IntInRange<size_t>(0, 600);
        std::string buffer(n, '#');
        const bool one = in_.Bool();
        absl::StatusOr<size_t> got = one ? io_.ReadInto1(absl::MakeSpan(buffer))
                                         : io_.ReadInto(absl::MakeSpan(buffer));
        absl::StatusOr<std::string> want = model_.ReadInto(n);
        FUZZ_CHECK(SameStatus(got.status(), want.status()));
        if (got.ok()) {
          FUZZ_CHECK(*got == want->size());
          // The bytes past the count are untouched.
          FUZZ_CHECK(buffer == *want + std::string(n - want->size(), '#'));
        }
        break;
      }
      case 2: {
        const int64_t limit = SizeArg();
        const bool keep = in_.Bool();
        if (!keep && in_.Bool()) {
          // The view form: the same line as a view, valid until the next
          // call on the stream (so checked now and dropped).
          absl::StatusOr<absl::string_view> got = io_.ReadLineView(limit);
          absl::StatusOr<std::string> want = model_.ReadLine(limit);
          FUZZ_CHECK(SameStatus(got.status(), want.status()));
          if (got.ok()) FUZZ_CHECK(*got == *want);
          break;
        }
        if (keep && in_.Bool()) {
          // getline's form, into one Rope reused across calls: its chunk is
          // rewritten in place while no copy of it exists; a remembered copy
          // (checked later, like every remembered Rope) must never change.
          const std::string before_bytes = line_into_.ToString();
          const absl::Status status = io_.ReadLineInto(&line_into_, limit);
          absl::StatusOr<std::string> want = model_.ReadLine(limit);
          FUZZ_CHECK(SameStatus(status, want.status()));
          FUZZ_CHECK(status.ok() ? line_into_ == *want
                                 : line_into_ == before_bytes);
          if (status.ok() && in_.Bool()) {
            Remember(line_into_, line_into_.ToString());
          }
          break;
        }
        absl::StatusOr<Rope> got = io_.ReadLine(limit);
        CheckSame(got, model_.ReadLine(limit));
        if (got.ok() && keep) Remember(*got, got->ToString());
        break;
      }
      case 3: {
        const int64_t hint = SizeArg();
        absl::StatusOr<std::vector<Rope>> got = io_.ReadLines(hint);
        absl::StatusOr<std::vector<std::string>> want = model_.ReadLines(hint);
        FUZZ_CHECK(SameStatus(got.status(), want.status()));
        if (got.ok()) {
          FUZZ_CHECK(got->size() == want->size());
          for (size_t i = 0; i < got->size(); ++i) {
            FUZZ_CHECK((*got)[i] == (*want)[i]);
          }
        }
        break;
      }
      case 4: {
        if (in_.Bool()) {
          std::vector<std::string> got;
          BytesIO::LineRange range = io_.Lines();
          for (const Rope& line : range) got.push_back(line.ToString());
          FUZZ_CHECK(SameStatus(range.status(), model_.CheckOpen()));
          std::vector<std::string> want;
          if (!model_.closed) want = *model_.ReadLines(0);
          FUZZ_CHECK(got == want);
        } else {
          absl::StatusOr<std::optional<Rope>> got = io_.NextLine();
          absl::StatusOr<std::string> want = model_.ReadLine(-1);
          FUZZ_CHECK(SameStatus(got.status(), want.status()));
          if (got.ok()) {
            FUZZ_CHECK(got->has_value() == !want->empty());
            if (got->has_value()) FUZZ_CHECK(**got == *want);
          }
        }
        break;
      }
      case 5: {
        const std::string data = Data();
        if (!ModelCanWrite(data.size())) break;
        CheckSame(io_.Write(data), model_.Write(data));
        break;
      }
      case 6: {
        const std::string data = Data();
        const Rope rope = BuildRope(in_, data, &counter_, &keep_alive_);
        if (!ModelCanWrite(data.size())) break;
        CheckSame(io_.Write(rope), model_.Write(data));
        FUZZ_CHECK(rope == data);  // the source is never modified
        break;
      }
      case 7: {
        std::vector<std::string> items(in_.IntInRange<size_t>(0, 4));
        size_t total = 0;
        for (std::string& item : items) {
          item = Data();
          total += item.size();
        }
        if (!ModelCanWrite(total)) break;
        absl::Status got;
        if (in_.Bool()) {
          got = io_.WriteLines(items);
        } else {
          std::vector<Rope> ropes;
          for (const std::string& item : items) {
            ropes.push_back(BuildRope(in_, item, &counter_, &keep_alive_));
          }
          got = io_.WriteLines(ropes);
        }
        absl::Status want = model_.CheckOpen();
        for (size_t i = 0; want.ok() && i < items.size(); ++i) {
          want = model_.Write(items[i]).status();
        }
        FUZZ_CHECK(SameStatus(got, want));
        break;
      }
      case 8: {
        const int64_t offset = Offset();
        const int whence = Whence();
        CheckSame(io_.Seek(offset, whence), model_.Seek(offset, whence));
        break;
      }
      case 9: {
        if (in_.Bool()) {
          CheckSame(io_.Truncate(), model_.Truncate(std::nullopt));
        } else {
          const int64_t size =
              in_.Bool()
                  ? Offset()
                  : static_cast<int64_t>(in_.Fraction(model_.data.size() + 8));
          CheckSame(io_.Truncate(size), model_.Truncate(size));
        }
        break;
      }
      case 10: {
        absl::StatusOr<Rope> got = io_.GetValue();
        FUZZ_CHECK(SameStatus(got.status(), model_.CheckOpen()));
        if (got.ok()) Remember(*got, model_.data);
        break;
      }
      case 11: {
        if (exports_.size() >= kMaxExports) break;
        absl::StatusOr<BytesIO::ExportedBuffer> got = io_.GetBuffer();
        FUZZ_CHECK(SameStatus(got.status(), model_.CheckOpen()));
        if (got.ok()) {
          FUZZ_CHECK(got->size() == model_.data.size());
          exports_.push_back(Export{*std::move(got), 0});
          ++model_.exports;
        }
        break;
      }
      case 12: {  // write through an export
        if (exports_.empty()) break;
        Export& e = exports_[in_.Pick(exports_.size())];
        if (e.buffer.size() == 0) break;
        const size_t at = in_.Fraction(e.buffer.size() - 1);
        const std::string bytes =
            in_.Bytes(1 + in_.Fraction(e.buffer.size() - at - 1));
        std::memcpy(e.buffer.data() + at, bytes.data(), bytes.size());
        model_.data.replace(e.offset + at, bytes.size(), bytes);
        break;
      }
      case 13: {  // slice or copy an export
        if (exports_.empty() || exports_.size() >= kMaxExports) break;
        const Export& e = exports_[in_.Pick(exports_.size())];
        Export added;
        if (in_.Bool()) {
          const size_t pos = in_.Fraction(e.buffer.size());
          const size_t n = in_.Bool() ? in_.IntInRange<size_t>(0, 64)
                                      : absl::Span<char>::npos;
          added = Export{e.buffer.Subspan(pos, n), e.offset + pos};
        } else {
          added = e;
        }
        exports_.push_back(std::move(added));
        ++model_.exports;
        break;
      }
      case 14: {  // release an export, any one
        if (exports_.empty()) break;
        const size_t i = in_.Pick(exports_.size());
        if (in_.Bool()) {
          exports_[i].buffer.Release();
          FUZZ_CHECK(!exports_[i].buffer.holds_export());
        }
        exports_.erase(exports_.begin() + static_cast<std::ptrdiff_t>(i));
        --model_.exports;
        break;
      }
      case 15: {
        FUZZ_CHECK(SameStatus(io_.Close(), model_.Close()));
        break;
      }
      case 16: {
        const std::string data = Data();
        const bool as_rope = in_.Bool();
        const absl::Status got =
            as_rope ? io_.Reset(BuildRope(in_, data, &counter_, &keep_alive_))
                    : io_.Reset(data);
        FUZZ_CHECK(SameStatus(got, model_.Reset(data)));
        break;
      }
      case 17: {
        if (in_.Bool()) {
          absl::StatusOr<BytesIO::State> got = io_.GetState();
          FUZZ_CHECK(SameStatus(got.status(), model_.CheckOpen()));
          if (got.ok()) {
            FUZZ_CHECK(got->position == model_.pos);
            FUZZ_CHECK(got->value == model_.data);
            Remember(got->value, model_.data);
          }
        } else {
          const std::string data = Data();
          const int64_t position =
              in_.Bool() ? Offset() : in_.IntInRange<int64_t>(0, 64);
          const absl::Status got = io_.SetState(
              BuildRope(in_, data, &counter_, &keep_alive_), position);
          FUZZ_CHECK(SameStatus(got, model_.SetState(data, position)));
        }
        break;
      }
      case 18: {
        const absl::Status open = model_.CheckOpen();
        for (const absl::StatusOr<bool>& flag :
             {io_.Readable(), io_.Writable(), io_.Seekable()}) {
          FUZZ_CHECK(SameStatus(flag.status(), open));
          if (flag.ok()) FUZZ_CHECK(*flag);
        }
        absl::StatusOr<bool> atty = io_.IsAtty();
        FUZZ_CHECK(SameStatus(atty.status(), open));
        if (atty.ok()) FUZZ_CHECK(!*atty);
        FUZZ_CHECK(SameStatus(io_.Flush(), open));
        FUZZ_CHECK(SameStatus(io_.Fileno().status(),
                              absl::UnimplementedError("fileno")));
        FUZZ_CHECK(
            SameStatus(io_.Detach(), absl::UnimplementedError("detach")));
        break;
      }
      default:
        CheckSnapshots();
        break;
    }
  }

  FuzzInput& in_;
  ReleaseCounter& counter_;
  std::vector<Rope> keep_alive_;  // owners of shared chunks
  BytesIO io_;
  BytesIOModel model_;
  Rope line_into_;  // ReadLineInto's reused line
  std::vector<Snapshot> snapshots_;
  std::vector<Export> exports_;  // destroyed before io_
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
