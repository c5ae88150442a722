// Copyright 2026 The bytesio Authors.
//
// File-layer workloads, for BytesIO and the baselines:
//   5. Lines            80-byte lines over 4 KiB chunks (chunk:4096) and in
//                       one flat chunk (chunk:0): ReadLineInto into one
//                       reused Rope (BytesIO), ReadLine (a new Rope per
//                       line), and
//                       ReadLineView (view form) vs std::getline on a
//                       std::stringstream, a Cord scan and a memchr loop
//                       over the flat text (the limit)
//   6. Overwrite        Seek + 8-byte Write at random positions of 64 MiB, vs
//                       std::string (memcpy in place) and std::stringstream
//                       (seekp + write); OverwriteSnapshot does the same
//                       while a snapshot of the file is alive
//   7. RandomAccess     Seek + 100-byte ReadInto at random positions of
//                       64 MiB, in a file filled by 64 KiB writes (fill:0)
//                       and over 4 KiB external pieces of one buffer
//                       (fill:1), vs std::stringstream (seekg + read), a
//                       Cord of the same chunks (Subcord + copy) and memcpy
//                       from the flat std::string (the limit)
//   8. Snapshot         GetValue() vs std::stringstream::str() and a
//                       std::string copy, at 4 KiB, 1 MiB and 64 MiB

#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/bench_util.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"

namespace bytesio {
namespace {

// ---- 5. Lines ---------------------------------------------------------------

constexpr size_t kLineLength = 80;
constexpr size_t kLinesBytes = size_t{4} << 20;
// 4 KiB is not a multiple of 80, so about one line in 51 straddles chunks.
constexpr size_t kLineChunk = 4096;

// 4 MiB of 80-byte lines: 79 printable bytes and '\n'.
const std::string& LinesText() {
  static const std::string* const text = [] {
    std::string random = bench::RandomBytes(kLinesBytes, 6);
    for (size_t i = 0; i < random.size(); ++i) {
      random[i] = (i % kLineLength == kLineLength - 1)
                      ? '\n'
                      : static_cast<char>(
                            ' ' + static_cast<unsigned char>(random[i]) % 94);
    }
    return new std::string(std::move(random));
  }();
  return *text;
}

void SetLineCounters(benchmark::State& state) {
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * kLinesBytes));
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * (kLinesBytes / kLineLength)));
}

// The lines as a BytesIO over chunks of state.range(0) bytes (0: one flat
// chunk).
BytesIO LinesFile(benchmark::State& state) {
  const size_t chunk = static_cast<size_t>(state.range(0));
  return chunk == 0 ? BytesIO(Rope(LinesText()))
                    : BytesIO(bench::MakeOwnedRope(LinesText(), chunk));
}

// Rope form, getline's way: each line into the same Rope (ReadLineInto),
// as std::getline reads each line into the same std::string. An 80-byte
// line is copied into the Rope's own chunk, reused from line to line.
void BM_Lines_BytesIO(benchmark::State& state) {
  BytesIO io = LinesFile(state);
  Rope line;
  for (auto _ : state) {
    auto sought = io.Seek(0);
    benchmark::DoNotOptimize(sought);
    for (;;) {
      absl::Status status = io.ReadLineInto(&line);
      benchmark::DoNotOptimize(status);
      if (line.empty()) break;
      benchmark::DoNotOptimize(line);
    }
  }
  SetLineCounters(state);
}

// Rope form, Python's way: ReadLine returns a new Rope per line, sharing
// the chunk (two atomic operations per line).
void BM_Lines_ReadLine(benchmark::State& state) {
  BytesIO io = LinesFile(state);
  for (auto _ : state) {
    auto sought = io.Seek(0);
    benchmark::DoNotOptimize(sought);
    for (;;) {
      absl::StatusOr<Rope> line = io.ReadLine();
      if (line->empty()) break;
      benchmark::DoNotOptimize(line);
    }
  }
  SetLineCounters(state);
}

// View form: each line a view into the chunk (or the scratch copy).
void BM_Lines_View(benchmark::State& state) {
  BytesIO io = LinesFile(state);
  for (auto _ : state) {
    auto sought = io.Seek(0);
    benchmark::DoNotOptimize(sought);
    for (;;) {
      absl::StatusOr<absl::string_view> line = io.ReadLineView();
      if (line->empty()) break;
      benchmark::DoNotOptimize(line->data());
    }
  }
  SetLineCounters(state);
}

// The limit: memchr from line to line over the flat text, each line a view.
void BM_Lines_Memchr(benchmark::State& state) {
  const absl::string_view text = LinesText();
  for (auto _ : state) {
    const char* p = text.data();
    const char* const end = text.data() + text.size();
    while (p < end) {
      const void* found = std::memchr(p, '\n', static_cast<size_t>(end - p));
      const char* line_end =
          found == nullptr ? end : static_cast<const char*>(found) + 1;
      absl::string_view line(p, static_cast<size_t>(line_end - p));
      benchmark::DoNotOptimize(line.data());
      p = line_end;
    }
  }
  SetLineCounters(state);
}

void BM_Lines_Stringstream(benchmark::State& state) {
  std::stringstream ss(LinesText());
  std::string line;
  for (auto _ : state) {
    ss.clear();
    ss.seekg(0);
    while (std::getline(ss, line)) benchmark::DoNotOptimize(line.data());
  }
  SetLineCounters(state);
}

// A Cord of the same 4 KiB chunks (external ones: a Cord cuts a copied
// 4 KiB piece into two flats), scanned chunk by chunk with memchr; each line
// is taken with Subcord, the Cord way to hand out a piece.
void BM_Lines_Cord(benchmark::State& state) {
  const absl::string_view text = LinesText();
  const size_t piece =
      state.range(0) == 0 ? text.size() : static_cast<size_t>(state.range(0));
  absl::Cord cord;
  for (size_t pos = 0; pos < text.size(); pos += piece) {
    cord.Append(absl::MakeCordFromExternal(text.substr(pos, piece), [] {}));
  }
  for (auto _ : state) {
    size_t line_start = 0;
    size_t chunk_start = 0;
    for (absl::string_view chunk : cord.Chunks()) {
      const char* p = chunk.data();
      const char* const end = chunk.data() + chunk.size();
      while (const void* found =
                 std::memchr(p, '\n', static_cast<size_t>(end - p))) {
        const char* newline = static_cast<const char*>(found);
        const size_t line_end =
            chunk_start + static_cast<size_t>(newline - chunk.data()) + 1;
        absl::Cord line = cord.Subcord(line_start, line_end - line_start);
        benchmark::DoNotOptimize(line);
        line_start = line_end;
        p = newline + 1;
      }
      chunk_start += chunk.size();
    }
  }
  SetLineCounters(state);
}

// chunk:0 is one flat chunk; std::getline reads the same text either way.
#define LINES_ARGS ArgName("chunk")->Arg(kLineChunk)->Arg(0)
BENCHMARK(BM_Lines_BytesIO)->LINES_ARGS;
BENCHMARK(BM_Lines_ReadLine)->LINES_ARGS;
BENCHMARK(BM_Lines_View)->LINES_ARGS;
BENCHMARK(BM_Lines_Stringstream)->LINES_ARGS;
BENCHMARK(BM_Lines_Cord)->LINES_ARGS;
BENCHMARK(BM_Lines_Memchr)->LINES_ARGS;

// ---- 6. Random overwrite ----------------------------------------------------

constexpr size_t kFileSize = size_t{64} << 20;
// Writes per iteration: enough that the per-iteration snapshot (variant 2)
// is a realistic checkpoint interval, not one snapshot per write.
constexpr size_t kOverwrites = 1000;

// Written bytes come from the first kSources * 8 bytes of the file (cached),
// so that only the destination is a random access.
constexpr size_t kSources = 1024;

const std::string& FileBytes() {
  static const std::string* const bytes =
      new std::string(bench::RandomBytes(kFileSize, 7));
  return *bytes;
}

// 2^20 random 8-byte-write positions in the file.
const std::vector<size_t>& WritePositions() {
  static const std::vector<size_t>* const positions = new std::vector<size_t>(
      bench::RandomPositions(size_t{1} << 20, kFileSize - 7, 8));
  return *positions;
}

// The file as a program builds it: 64 KiB writes.
std::unique_ptr<BytesIO> MakeFile(size_t size) {
  auto io = std::make_unique<BytesIO>();
  const std::string& bytes = FileBytes();
  constexpr size_t kWrite = size_t{64} << 10;
  for (size_t pos = 0; pos < size; pos += kWrite) {
    const size_t n = size - pos < kWrite ? size - pos : kWrite;
    auto written = io->Write(absl::string_view(bytes.data() + pos, n));
    benchmark::DoNotOptimize(written);
  }
  return io;
}

template <typename Fn>
void RunOverwrites(benchmark::State& state, Fn write_at) {
  const std::vector<size_t>& positions = WritePositions();
  const char* const data = FileBytes().data();
  size_t i = 0;
  for (auto _ : state) {
    for (size_t w = 0; w < kOverwrites; ++w) {
      const size_t pos = positions[i++ & (positions.size() - 1)];
      write_at(pos, data + (w % kSources) * 8);
    }
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kOverwrites));
}

void BM_Overwrite_BytesIO(benchmark::State& state) {
  std::unique_ptr<BytesIO> io = MakeFile(kFileSize);
  RunOverwrites(state, [&io](size_t pos, const char* src) {
    auto sought = io->Seek(static_cast<int64_t>(pos));
    benchmark::DoNotOptimize(sought);
    auto written = io->Write(absl::string_view(src, 8));
    benchmark::DoNotOptimize(written);
  });
}

void BM_Overwrite_String(benchmark::State& state) {
  std::string file = FileBytes();
  RunOverwrites(state, [&file](size_t pos, const char* src) {
    std::memcpy(&file[pos], src, 8);
    benchmark::DoNotOptimize(file.data());
  });
}

void BM_Overwrite_Stringstream(benchmark::State& state) {
  std::stringstream file(FileBytes());
  RunOverwrites(state, [&file](size_t pos, const char* src) {
    file.seekp(static_cast<std::streamoff>(pos));
    file.write(src, 8);
  });
  benchmark::DoNotOptimize(file);
}

BENCHMARK(BM_Overwrite_BytesIO);
BENCHMARK(BM_Overwrite_String);
BENCHMARK(BM_Overwrite_Stringstream);

// Variant: each iteration takes a snapshot, then makes kOverwrites writes
// while it is alive. For BytesIO the snapshot is the pristine file: Reset()
// to it is O(1) and every write then copies on write (without the reset the
// file would fragment without bound over millions of iterations). The
// baselines pay for their snapshot with a copy of the whole file.
void BM_OverwriteSnapshot_BytesIO(benchmark::State& state) {
  std::unique_ptr<BytesIO> io = MakeFile(kFileSize);
  const Rope snapshot = *io->GetValue();
  size_t i = 0;
  const std::vector<size_t>& positions = WritePositions();
  const char* const data = FileBytes().data();
  for (auto _ : state) {
    auto reset = io->Reset(snapshot);
    benchmark::DoNotOptimize(reset);
    for (size_t w = 0; w < kOverwrites; ++w) {
      const size_t pos = positions[i++ & (positions.size() - 1)];
      auto sought = io->Seek(static_cast<int64_t>(pos));
      benchmark::DoNotOptimize(sought);
      auto written = io->Write(absl::string_view(data + (w % kSources) * 8, 8));
      benchmark::DoNotOptimize(written);
    }
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kOverwrites));
}

void BM_OverwriteSnapshot_String(benchmark::State& state) {
  std::string file = FileBytes();
  size_t i = 0;
  const std::vector<size_t>& positions = WritePositions();
  const char* const data = FileBytes().data();
  for (auto _ : state) {
    std::string snapshot = file;
    benchmark::DoNotOptimize(snapshot.data());
    for (size_t w = 0; w < kOverwrites; ++w) {
      const size_t pos = positions[i++ & (positions.size() - 1)];
      std::memcpy(&file[pos], data + (w % kSources) * 8, 8);
      benchmark::DoNotOptimize(file.data());
    }
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kOverwrites));
}

void BM_OverwriteSnapshot_Stringstream(benchmark::State& state) {
  std::stringstream file(FileBytes());
  size_t i = 0;
  const std::vector<size_t>& positions = WritePositions();
  const char* const data = FileBytes().data();
  for (auto _ : state) {
    std::string snapshot = file.str();
    benchmark::DoNotOptimize(snapshot.data());
    for (size_t w = 0; w < kOverwrites; ++w) {
      const size_t pos = positions[i++ & (positions.size() - 1)];
      file.seekp(static_cast<std::streamoff>(pos));
      file.write(data + (w % kSources) * 8, 8);
    }
  }
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * kOverwrites));
}

BENCHMARK(BM_OverwriteSnapshot_BytesIO);
BENCHMARK(BM_OverwriteSnapshot_String);
BENCHMARK(BM_OverwriteSnapshot_Stringstream);

// ---- 7. Random access -------------------------------------------------------

// Each iteration: one seek + one 100-byte read into a caller buffer, at one
// of the same 2^20 random positions in the same 64 MiB (FileBytes()) for
// every implementation.
constexpr size_t kAccessSize = 100;
// The pieces of the fill:1 inputs.
constexpr size_t kAccessPiece = size_t{4} << 10;

const std::vector<size_t>& AccessPositions() {
  static const std::vector<size_t>* const positions = new std::vector<size_t>(
      bench::RandomPositions(size_t{1} << 20, kFileSize - kAccessSize + 1, 9));
  return *positions;
}

template <typename Fn>
void RunRandomAccess(benchmark::State& state, Fn read_at) {
  const std::vector<size_t>& positions = AccessPositions();
  char buf[kAccessSize];
  size_t i = 0;
  for (auto _ : state) {
    read_at(positions[i++ & (positions.size() - 1)], buf);
    benchmark::DoNotOptimize(buf);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * kAccessSize));
}

// fill:0: the file as a program builds it (64 KiB writes, so its chunks are
// the write path's); fill:1: a Rope of 4 KiB external pieces pointing into
// FileBytes(). Built once per process.
BytesIO& AccessFile(int64_t fill) {
  static BytesIO* const written = MakeFile(kFileSize).release();
  static BytesIO* const external =
      new BytesIO(bench::MakeExternalRopeOver(FileBytes(), kAccessPiece));
  return fill == 0 ? *written : *external;
}

// fill:0: Append of the same 64 KiB pieces (the Cord's own copies);
// fill:1: exactly the fill:1 Rope's chunks, external 4 KiB pieces.
const absl::Cord& AccessCord(int64_t fill) {
  static const absl::Cord* const appended = [] {
    auto* cord = new absl::Cord;
    const absl::string_view bytes = FileBytes();
    constexpr size_t kWrite = size_t{64} << 10;
    for (size_t pos = 0; pos < bytes.size(); pos += kWrite) {
      cord->Append(bytes.substr(pos, kWrite));
    }
    return cord;
  }();
  static const absl::Cord* const external =
      new absl::Cord(bench::MakeExternalCordOver(FileBytes(), kAccessPiece));
  return fill == 0 ? *appended : *external;
}

void BM_RandomAccess_BytesIO(benchmark::State& state) {
  BytesIO& io = AccessFile(state.range(0));
  RunRandomAccess(state, [&io](size_t pos, char* buf) {
    auto sought = io.Seek(static_cast<int64_t>(pos));
    benchmark::DoNotOptimize(sought);
    auto read = io.ReadInto(absl::Span<char>(buf, kAccessSize));
    benchmark::DoNotOptimize(read);
  });
}

// The same for both fill args: the baseline of each.
void BM_RandomAccess_Stringstream(benchmark::State& state) {
  static std::stringstream* const file = new std::stringstream(FileBytes());
  RunRandomAccess(state, [](size_t pos, char* buf) {
    file->seekg(static_cast<std::streamoff>(pos));
    file->read(buf, static_cast<std::streamsize>(kAccessSize));
  });
  benchmark::DoNotOptimize(file);
}

// Cord has no positioned read: Subcord and copy its chunks out.
void BM_RandomAccess_Cord(benchmark::State& state) {
  const absl::Cord& cord = AccessCord(state.range(0));
  RunRandomAccess(state, [&cord](size_t pos, char* buf) {
    absl::Cord part = cord.Subcord(pos, kAccessSize);
    char* out = buf;
    for (absl::string_view chunk : part.Chunks()) {
      std::memcpy(out, chunk.data(), chunk.size());
      out += chunk.size();
    }
  });
}

// The limit: memcpy from the flat 64 MiB.
void BM_RandomAccess_String(benchmark::State& state) {
  const char* const flat = FileBytes().data();
  RunRandomAccess(state, [flat](size_t pos, char* buf) {
    std::memcpy(buf, flat + pos, kAccessSize);
  });
}

// fill:0 = filled by 64 KiB writes; fill:1 = 4 KiB external pieces.
#define RANDOM_ACCESS_ARGS ArgName("fill")->Arg(0)->Arg(1)
BENCHMARK(BM_RandomAccess_BytesIO)->RANDOM_ACCESS_ARGS;
BENCHMARK(BM_RandomAccess_Stringstream)->RANDOM_ACCESS_ARGS;
BENCHMARK(BM_RandomAccess_Cord)->RANDOM_ACCESS_ARGS;
BENCHMARK(BM_RandomAccess_String)->RANDOM_ACCESS_ARGS;

// ---- 8. Snapshot ------------------------------------------------------------

void BM_Snapshot_BytesIO(benchmark::State& state) {
  std::unique_ptr<BytesIO> io = MakeFile(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    absl::StatusOr<Rope> value = io->GetValue();
    benchmark::DoNotOptimize(value);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Snapshot_Stringstream(benchmark::State& state) {
  std::stringstream file(
      FileBytes().substr(0, static_cast<size_t>(state.range(0))));
  for (auto _ : state) {
    std::string value = file.str();
    benchmark::DoNotOptimize(value.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Snapshot_String(benchmark::State& state) {
  const std::string file =
      FileBytes().substr(0, static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::string value = file;
    benchmark::DoNotOptimize(value.data());
  }
  state.SetItemsProcessed(state.iterations());
}

#define SNAPSHOT_ARGS ArgName("size")->Arg(4 << 10)->Arg(1 << 20)->Arg(64 << 20)
BENCHMARK(BM_Snapshot_BytesIO)->SNAPSHOT_ARGS;
BENCHMARK(BM_Snapshot_Stringstream)->SNAPSHOT_ARGS;
BENCHMARK(BM_Snapshot_String)->SNAPSHOT_ARGS;

}  // namespace
}  // namespace bytesio
