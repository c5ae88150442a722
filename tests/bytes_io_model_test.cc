// Copyright 2026 The bytesio Authors.
//
// Model-based random test of BytesIO: thousands of seeded random operation
// sequences over every BytesIO operation, each step checked against a plain
// std::string model of CPython 3.11's io.BytesIO (positions, contents,
// returned values, status codes and messages). Snapshots (GetValue, Read,
// ReadLine, GetState results) are kept and re-checked later, so any
// copy-on-write mistake shows up; exported buffers are written through,
// sliced, copied and released in random order.
//
// Reproduce a failure with the printed seed:
//   ./bazelw test //tests:bytes_io_model_test --test_arg=--seed=N

#include "tests/bytes_io_model.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace bytesio {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// Huge positions are multiples of this plus a small amount, so that a
// position is either near the data (a write may zero-fill a few bytes) or
// beyond BytesIO::kMaxZeroFill from it (a write is refused): the model never
// has to materialise a gigantic gap.
constexpr int64_t kHugeStep = BytesIO::kMaxZeroFill * 2;
// Writes whose gap lies between this and kMaxZeroFill are skipped (the model
// would need the whole gap in memory); the walk cannot reach such gaps
// anyway, see kHugeStep.
constexpr uint64_t kMaxModelGap = 1 << 16;

// The std::string model of Python's io.BytesIO (tests/bytes_io_model.h),
// shared with fuzz/bytes_io_fuzzer.cc.
using Model = testutil::BytesIOModel;
absl::Status Closed() { return testutil::ClosedFileError(); }
absl::Status Exports() { return testutil::ExportsError(); }

// Compares statuses; ResourceExhausted messages are BytesIO's own wording.
void ExpectSameStatus(const absl::Status& got, const absl::Status& want) {
  if (want.code() == absl::StatusCode::kResourceExhausted) {
    EXPECT_EQ(got.code(), want.code()) << got;
  } else {
    EXPECT_EQ(got, want);
  }
}

template <typename T, typename U>
void ExpectSame(const absl::StatusOr<T>& got, const absl::StatusOr<U>& want) {
  ExpectSameStatus(got.status(), want.status());
  if (got.ok() && want.ok()) {
    EXPECT_EQ(*got, *want);
  }
}

class Walker {
 public:
  Walker(std::mt19937_64* rng, BytesIO io, std::string initial)
      : rng_(*rng), io_(std::move(io)) {
    model_.data = std::move(initial);
  }

  ~Walker() {
    exports_.clear();  // before io_ goes (a BytesIO requires no exports)
  }

  // Runs `steps` random operations; returns false at the first mismatch.
  bool Run(int steps) {
    for (int i = 0; i < steps; ++i) {
      Step();
      CheckState();
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "operations so far:\n  "
                      << absl::StrJoin(history_, "\n  ");
        return false;
      }
    }
    CheckSnapshots();
    return !::testing::Test::HasFailure();
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

  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool OneIn(int n) { return Uniform(0, n - 1) == 0; }

  // Bytes from a small alphabet (so lines and zeros are frequent), or any.
  std::string Data(size_t n) {
    if (OneIn(4)) return RandomBytes(rng_, n);
    static constexpr char kAlphabet[] = {'a', 'b', '\n', '\0', 'z'};
    std::string out(n, '\0');
    for (char& c : out) c = kAlphabet[Uniform(0, 4)];
    return out;
  }
  size_t DataSize() {
    switch (Uniform(0, 5)) {
      case 0:
        return 0;
      case 1:
        return static_cast<size_t>(Uniform(1, 3));
      case 2:
      case 3:
        return static_cast<size_t>(Uniform(1, 40));
      case 4:
        return static_cast<size_t>(Uniform(500, 530));  // around 511
      default:
        return static_cast<size_t>(Uniform(1, 3000));
    }
  }
  RopeShape Shape() {
    const std::vector<RopeShape> shapes = AllRopeShapes();
    return shapes[Uniform(0, static_cast<int64_t>(shapes.size()) - 1)];
  }
  // A size argument: "all" (-1 or any negative), 0, small, or large.
  int64_t SizeArg() {
    switch (Uniform(0, 5)) {
      case 0:
        return OneIn(2) ? -1 : Uniform(kMin, -1);
      case 1:
        return 0;
      case 2:
      case 3:
        return Uniform(1, 10);
      case 4:
        return Uniform(1, 2000);
      default:
        return OneIn(2) ? kMax : Uniform(1, kMax);
    }
  }
  int64_t Offset() {
    const int64_t size = static_cast<int64_t>(model_.data.size());
    switch (Uniform(0, 9)) {
      case 0:
        return Uniform(1, 3) * kHugeStep + Uniform(0, 10);
      case 1:
        return -(Uniform(1, 3) * kHugeStep) + Uniform(-10, 10);
      case 2:
        return kMax - Uniform(0, size + 10);
      case 3:
        return kMin + Uniform(0, 10);
      default:
        return Uniform(-size - 20, size + 20);
    }
  }

  void Remember(Rope rope, std::string expected) {
    Snapshot snapshot{std::move(rope), std::move(expected)};
    if (snapshots_.size() < 16) {
      snapshots_.push_back(std::move(snapshot));
    } else {
      snapshots_[Uniform(0, 15)] = std::move(snapshot);
    }
  }

  void CheckSnapshots() {
    for (const Snapshot& snapshot : snapshots_) {
      EXPECT_EQ(snapshot.rope, snapshot.expected) << "a kept snapshot changed";
    }
  }

  void CheckState() {
    ASSERT_EQ(io_.closed(), model_.closed);
    if (model_.closed) return;
    ASSERT_EQ(io_.Tell().value_or(-1), model_.pos);
    absl::StatusOr<Rope> value = io_.GetValue();
    ASSERT_TRUE(value.ok()) << value.status();
    ASSERT_EQ(*value, model_.data);
    for (const Export& e : exports_) {
      ASSERT_EQ(
          e.buffer.view(),
          absl::string_view(model_.data).substr(e.offset, e.buffer.size()));
    }
  }

  void Log(std::string op) { history_.push_back(std::move(op)); }

  void Step() {
    // Writes get extra weight (22-25), so that the data keeps changing
    // between the locked (exported) and closed phases.
    int op = static_cast<int>(Uniform(0, 25));
    if (op >= 22) op = 7;
    switch (op) {
      case 0:
      case 1: {
        const int64_t n = SizeArg();
        const bool one = OneIn(2);
        Log(absl::StrCat(one ? "Read1(" : "Read(", n, ")"));
        absl::StatusOr<Rope> got = one ? io_.Read1(n) : io_.Read(n);
        absl::StatusOr<std::string> want = model_.Read(n);
        ExpectSame(got, want);
        if (got.ok() && OneIn(3)) Remember(*got, got->ToString());
        break;
      }
      case 2: {
        const size_t n = static_cast<size_t>(Uniform(0, 600));
        const bool one = OneIn(2);
        Log(absl::StrCat(one ? "ReadInto1(" : "ReadInto(", n, ")"));
        std::string buffer(n, '#');
        absl::StatusOr<size_t> got = one ? io_.ReadInto1(absl::MakeSpan(buffer))
                                         : io_.ReadInto(absl::MakeSpan(buffer));
        absl::StatusOr<std::string> want = model_.Read(
            static_cast<int64_t>(std::min<size_t>(n, model_.data.size())));
        ExpectSameStatus(got.status(), want.status());
        if (got.ok() && want.ok()) {
          EXPECT_EQ(*got, want->size());
          EXPECT_EQ(buffer,
                    *want + std::string(n - std::min(n, want->size()), '#'));
        }
        break;
      }
      case 3:
      case 4: {
        const int64_t limit = OneIn(3) ? -1 : SizeArg();
        Log(absl::StrCat("ReadLine(", limit, ")"));
        absl::StatusOr<Rope> got = io_.ReadLine(limit);
        ExpectSame(got, model_.ReadLine(limit));
        if (got.ok() && OneIn(3)) Remember(*got, got->ToString());
        break;
      }
      case 5: {
        const int64_t hint = SizeArg();
        Log(absl::StrCat("ReadLines(", hint, ")"));
        absl::StatusOr<std::vector<Rope>> got = io_.ReadLines(hint);
        absl::StatusOr<std::vector<std::string>> want;
        if (model_.closed) {
          want = Closed();
        } else {
          std::vector<std::string> lines;
          uint64_t total = 0;
          for (;;) {
            std::string line = *model_.ReadLine(-1);
            if (line.empty()) break;
            total += line.size();
            lines.push_back(std::move(line));
            if (hint > 0 && total >= static_cast<uint64_t>(hint)) break;
          }
          want = std::move(lines);
        }
        ExpectSameStatus(got.status(), want.status());
        if (got.ok() && want.ok()) {
          ASSERT_EQ(got->size(), want->size());
          for (size_t i = 0; i < got->size(); ++i) {
            EXPECT_EQ((*got)[i], (*want)[i]);
          }
        }
        break;
      }
      case 6: {
        if (OneIn(3)) {
          Log("for (line : Lines())");
          std::vector<std::string> got;
          BytesIO::LineRange range = io_.Lines();
          for (const Rope& line : range) got.push_back(line.ToString());
          ExpectSameStatus(range.status(), model_.CheckOpen());
          std::vector<std::string> want;
          while (!model_.closed) {
            std::string line = *model_.ReadLine(-1);
            if (line.empty()) break;
            want.push_back(std::move(line));
          }
          EXPECT_EQ(got, want);
        } else {
          Log("NextLine()");
          absl::StatusOr<std::optional<Rope>> got = io_.NextLine();
          absl::StatusOr<Rope> got_line =
              got.ok() ? absl::StatusOr<Rope>(got->value_or(Rope()))
                       : absl::StatusOr<Rope>(got.status());
          if (got.ok()) {
            EXPECT_EQ(got->has_value(), !got_line->empty());
          }
          ExpectSame(got_line, model_.ReadLine(-1));
        }
        break;
      }
      case 7:
      case 8:
      case 9: {
        if (!PrepareWrite()) break;
        const std::string data = Data(DataSize());
        if (OneIn(2)) {
          Log(absl::StrCat("Write(string of ", data.size(), ")"));
          ExpectSame(io_.Write(data), model_.Write(data));
        } else {
          const RopeShape shape = Shape();
          Log(absl::StrCat("Write(", RopeShapeName(shape), " Rope of ",
                           data.size(), ")"));
          const Rope rope = MakeRope(data, shape);
          ExpectSame(io_.Write(rope), model_.Write(data));
          EXPECT_EQ(rope, data) << "the written Rope changed";
        }
        break;
      }
      case 10: {
        if (!PrepareWrite()) break;
        std::vector<std::string> items(static_cast<size_t>(Uniform(0, 4)));
        for (std::string& item : items) item = Data(DataSize());
        Log(absl::StrCat("WriteLines(", items.size(), " items)"));
        absl::Status got;
        if (OneIn(2)) {
          got = io_.WriteLines(items);
        } else {
          std::vector<Rope> ropes;
          for (const std::string& item : items) {
            ropes.push_back(MakeRope(item, Shape()));
          }
          got = io_.WriteLines(ropes);
        }
        absl::Status want = model_.CheckOpen();
        for (size_t i = 0; want.ok() && i < items.size(); ++i) {
          want = model_.Write(items[i]).status();
        }
        ExpectSameStatus(got, want);
        break;
      }
      case 11:
      case 12: {
        const int64_t offset = Offset();
        int whence = static_cast<int>(Uniform(0, 2));
        if (OneIn(20)) whence = OneIn(2) ? -1 : static_cast<int>(Uniform(3, 9));
        Log(absl::StrCat("Seek(", offset, ", ", whence, ")"));
        ExpectSame(io_.Seek(offset, whence), model_.Seek(offset, whence));
        break;
      }
      case 13: {
        if (OneIn(3)) {
          Log("Truncate()");
          ExpectSame(io_.Truncate(), model_.Truncate(std::nullopt));
        } else {
          const int64_t size =
              OneIn(8)
                  ? Uniform(kMin, -1)
                  : Uniform(0, static_cast<int64_t>(model_.data.size()) + 5);
          Log(absl::StrCat("Truncate(", size, ")"));
          ExpectSame(io_.Truncate(size), model_.Truncate(size));
        }
        break;
      }
      case 14: {
        Log("GetValue() kept");
        absl::StatusOr<Rope> got = io_.GetValue();
        ExpectSameStatus(got.status(), model_.CheckOpen());
        if (got.ok()) Remember(*got, model_.data);
        break;
      }
      case 15:
      case 16:
        ExportStep();
        break;
      case 17: {
        if (!OneIn(3)) {  // keeps the closed phases short
          Log("Tell()");
          const absl::Status open = model_.CheckOpen();
          ExpectSame(io_.Tell(), open.ok() ? absl::StatusOr<int64_t>(model_.pos)
                                           : absl::StatusOr<int64_t>(open));
          break;
        }
        Log("Close()");
        absl::Status want = model_.closed        ? absl::OkStatus()
                            : model_.exports > 0 ? Exports()
                                                 : absl::OkStatus();
        ExpectSameStatus(io_.Close(), want);
        if (want.ok() && !model_.closed) {
          model_.closed = true;
          model_.data.clear();
          model_.pos = 0;
        }
        break;
      }
      case 18: {
        const std::string data = Data(DataSize());
        const bool as_rope = OneIn(2);
        const RopeShape shape = Shape();
        Log(absl::StrCat("Reset(", data.size(), " bytes",
                         as_rope ? " as " + RopeShapeName(shape) : "", ")"));
        absl::Status got =
            as_rope ? io_.Reset(MakeRope(data, shape)) : io_.Reset(data);
        absl::Status want = model_.exports > 0 ? Exports() : absl::OkStatus();
        ExpectSameStatus(got, want);
        if (want.ok()) {
          model_.data = data;
          model_.pos = 0;
          model_.closed = false;
        }
        break;
      }
      case 19: {
        const std::string data = Data(DataSize());
        const int64_t position = OneIn(4) ? Offset() : Uniform(0, 40);
        Log(absl::StrCat("SetState(", data.size(), " bytes, ", position, ")"));
        absl::Status want = model_.CheckResizable();
        if (want.ok() && position < 0) {
          want =
              absl::InvalidArgumentError("position value cannot be negative");
        }
        if (want.ok() && position > 0 &&
            static_cast<uint64_t>(position) > data.size() + kMaxModelGap &&
            static_cast<uint64_t>(position) - data.size() <=
                static_cast<uint64_t>(BytesIO::kMaxZeroFill)) {
          break;  // unreachable by Offset(); see kHugeStep
        }
        ExpectSameStatus(io_.SetState(MakeRope(data, Shape()), position), want);
        if (want.ok()) {
          model_.data = data;
          model_.pos = position;
        }
        break;
      }
      case 20: {
        Log("GetState()");
        absl::StatusOr<BytesIO::State> got = io_.GetState();
        ExpectSameStatus(got.status(), model_.CheckOpen());
        if (got.ok()) {
          EXPECT_EQ(got->position, model_.pos);
          EXPECT_EQ(got->value, model_.data);
          Remember(got->value, model_.data);
        }
        break;
      }
      default: {
        Log("flags");
        const absl::Status open = model_.CheckOpen();
        ExpectSame(io_.Readable(), open.ok() ? absl::StatusOr<bool>(true)
                                             : absl::StatusOr<bool>(open));
        ExpectSame(io_.Writable(), open.ok() ? absl::StatusOr<bool>(true)
                                             : absl::StatusOr<bool>(open));
        ExpectSame(io_.Seekable(), open.ok() ? absl::StatusOr<bool>(true)
                                             : absl::StatusOr<bool>(open));
        ExpectSame(io_.IsAtty(), open.ok() ? absl::StatusOr<bool>(false)
                                           : absl::StatusOr<bool>(open));
        ExpectSameStatus(io_.Flush(), open);
        ExpectSameStatus(io_.Fileno().status(),
                         absl::UnimplementedError("fileno"));
        ExpectSameStatus(io_.Detach(), absl::UnimplementedError("detach"));
        CheckSnapshots();
        break;
      }
    }
  }

  // Returns false (skipping the write) when it would zero-fill a gap too big
  // for the model but small enough for BytesIO to accept.
  bool PrepareWrite() {
    const uint64_t pos = model_.upos();
    const uint64_t gap =
        pos > model_.data.size() ? pos - model_.data.size() : 0;
    return gap <= kMaxModelGap ||
           gap > static_cast<uint64_t>(BytesIO::kMaxZeroFill);
  }

  void ExportStep() {
    // Releases (40%) outnumber new exports, copies and slices (30%), so the
    // stream spends a good part of the walk unlocked.
    const int choice = static_cast<int>(Uniform(0, 9));
    if (exports_.empty() ? OneIn(2) : choice < 1) {
      Log("GetBuffer()");
      absl::StatusOr<BytesIO::ExportedBuffer> got = io_.GetBuffer();
      ExpectSameStatus(got.status(), model_.CheckOpen());
      if (got.ok()) {
        EXPECT_EQ(got->size(), model_.data.size());
        exports_.push_back(Export{*std::move(got), 0});
        ++model_.exports;
      }
      return;
    }
    if (exports_.empty()) return;
    const size_t index = static_cast<size_t>(
        Uniform(0, static_cast<int64_t>(exports_.size()) - 1));
    Export& e = exports_[index];
    if (choice < 4) {
      if (e.buffer.size() == 0) return;
      const size_t i = static_cast<size_t>(
          Uniform(0, static_cast<int64_t>(e.buffer.size()) - 1));
      const std::string bytes = Data(std::min<size_t>(
          e.buffer.size() - i, static_cast<size_t>(Uniform(1, 8))));
      Log(absl::StrCat("write ", bytes.size(), " bytes through export at ",
                       e.offset + i));
      std::copy(bytes.begin(), bytes.end(), e.buffer.data() + i);
      model_.data.replace(e.offset + i, bytes.size(), bytes);
    } else if (choice < 5) {
      const size_t pos = static_cast<size_t>(
          Uniform(0, static_cast<int64_t>(e.buffer.size())));
      const size_t n = static_cast<size_t>(Uniform(0, 50));
      Log(absl::StrCat("export.Subspan(", pos, ", ", n, ")"));
      Export slice{e.buffer.Subspan(pos, n), e.offset + pos};
      exports_.push_back(std::move(slice));
      ++model_.exports;
    } else if (choice < 6) {
      Log("copy export");
      Export copy = e;
      exports_.push_back(std::move(copy));
      ++model_.exports;
    } else {
      Log(absl::StrCat("release export ", index, " of ", exports_.size()));
      if (OneIn(2)) e.buffer.Release();
      exports_.erase(exports_.begin() + static_cast<std::ptrdiff_t>(index));
      --model_.exports;
    }
  }

  std::mt19937_64& rng_;
  BytesIO io_;
  Model model_;
  std::vector<Export> exports_;  // destroyed before io_ (declared after)
  std::vector<Snapshot> snapshots_;
  std::vector<std::string> history_;
};

// Sequences per start state and steps per sequence: 6 start states x 400 x
// 40 = 96,000 checked steps, about a second in fastbuild.
constexpr int kSequencesPerStart = 400;
constexpr int kStepsPerSequence = 40;

TEST(BytesIOModel, RandomWalksMatchPythonModel) {
  const uint64_t seed = TestSeed();
  SCOPED_TRACE(SeedTrace(seed));
  std::mt19937_64 rng(seed);
  std::vector<std::optional<RopeShape>> starts = {std::nullopt};
  for (RopeShape shape : AllRopeShapes()) starts.push_back(shape);
  for (const std::optional<RopeShape>& start : starts) {
    for (int i = 0; i < kSequencesPerStart; ++i) {
      SCOPED_TRACE(absl::StrCat(
          "start ", start ? RopeShapeName(*start) : "fresh", ", sequence ", i));
      std::string initial;
      BytesIO io;
      if (start) {
        initial = RandomBytes(
            rng, std::uniform_int_distribution<size_t>(0, 3000)(rng));
        // Lines in the initial contents too.
        for (size_t j = 0; j < initial.size(); j += 1 + rng() % 80) {
          initial[j] = '\n';
        }
        io = BytesIO(MakeRope(initial, *start));
      }
      Walker walker(&rng, std::move(io), initial);
      if (!walker.Run(kStepsPerSequence)) return;
    }
  }
}

}  // namespace
}  // namespace bytesio
