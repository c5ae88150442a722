// Copyright 2026 The bytesio Authors.
//
// Differential fuzz target for the adapters: one BytesIO used through
// BytesIOStream (stream_adapter.h), through a FILE* from FOpen
// (file_adapter.h) and directly, in input-chosen interleavings. The oracle
// is the std::string model of io.BytesIO (tests/bytes_io_model.h) for the
// direct and stream calls and, for the FILE* calls, a FILE* over a memfd
// (a real file: the kernel's read, write and lseek) opened with the same
// mode over the same bytes. The input is a program:
//
//   [initial size: IntInRange(0, 4096)] [initial bytes]
//   [Bool: 1 = BuildRope decisions follow, 0 = a flat copy]
//   then repeatedly: [op: Byte() % kNumOps] [that op's arguments]
//
// The ops are the cases of Harness::Step: 0-4 direct BytesIO calls, 5-13
// and 27 BytesIOStream, 14 FOpen (closing the FILE* open), 15-26 and 28 the
// FILE*; fuzz/make_seed_corpus.py spells out their arguments. Stream ops
// create the stream when there is none; FILE* ops other than 14 open a
// FILE* first when none is open, reading the mode byte op 14 reads.
//
// Checks: every direct result equals the model's (status code and message);
// every stream result equals what the model's read, write or seek gives;
// every FILE* call returns what the same call on the memfd FILE* returns
// (value, bytes, errno on failure, feof, ferror). The BytesIO's position is
// the model's after every direct and FILE* call and after the stream is
// synchronised (the harness syncs it before any other kind of call, as
// stream_adapter.h requires), and its value is the model's after every
// mutating call. While the FILE* is open, the memfd follows what direct and
// stream calls did (rewritten, repositioned, flags cleared) before the next
// FILE* call. Sizes stay below kMaxModelSize and positions within a few KiB
// of the end: the limits are bytes_io_fuzzer's subject.

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ios>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/bytes_io.h"
#include "bytesio/file_adapter.h"
#include "bytesio/rope.h"
#include "bytesio/stream_adapter.h"
#include "fuzz/fuzz_util.h"
#include "tests/bytes_io_model.h"
#include "tests/stdio_call.h"

namespace bytesio {
namespace fuzz {
namespace {

using testutil::BytesIOModel;

constexpr int kNumOps = 29;
// Writes that would make the value larger are skipped: every mutating step
// compares the whole value (and a FILE* write re-reads the memfd), which
// must stay cheap for libFuzzer's speed. 96 KiB is still more than one
// BytesIOStreambuf::kReadWindow (64 KiB) and many stdio-sized calls; at
// 256 KiB the comparisons held the fuzzer to about 100 runs a second.
constexpr size_t kMaxModelSize = size_t{96} << 10;
constexpr const char* kModes[] = {"r", "r+", "w", "w+", "a", "a+"};

bool SameStatus(const absl::Status& got, const absl::Status& want) {
  return got.code() == want.code() && got.message() == want.message();
}

template <typename T, typename U>
void CheckSame(const absl::StatusOr<T>& got, const absl::StatusOr<U>& want) {
  FUZZ_CHECK(SameStatus(got.status(), want.status()));
  if (got.ok()) FUZZ_CHECK(*got == *want);
}

using testutil::RunStdioCall;
using testutil::StdioCall;
using testutil::StdioResult;

// C requires a positioning call when a FILE* switches between reading and
// writing; the harness inserts fseeko(0, SEEK_CUR) there.
enum class Direction { kNone, kRead, kWrite };

Direction DirectionOf(StdioCall::Kind kind) {
  switch (kind) {
    case StdioCall::kFread:
    case StdioCall::kFgetc:
    case StdioCall::kFgets:
    case StdioCall::kUngetc:
    case StdioCall::kGetline:
      return Direction::kRead;
    case StdioCall::kFwrite:
    case StdioCall::kFputc:
    case StdioCall::kFprintf:
      return Direction::kWrite;
    default:
      return Direction::kNone;
  }
}

// Which adapter an op goes through.
enum class Via { kDirect, kStream, kFile };

class Harness {
 public:
  Harness(FuzzInput& in, ReleaseCounter* counter)
      : in_(in), counter_(*counter) {}

  ~Harness() {
    Prepare(Via::kDirect);
    stream_.reset();
    if (file_ != nullptr) CloseFile();
  }

  void Run() {
    std::string initial = in_.Bytes(in_.IntInRange<size_t>(0, 4096));
    io_ = BytesIO(in_.Bool() ? BuildRope(in_, initial, &counter_, &keep_alive_)
                             : Rope(initial));
    model_.data = std::move(initial);
    CheckState(/*full=*/true);
    while (!in_.empty()) Step(in_.Byte() % kNumOps);
    Prepare(Via::kDirect);
    CheckState(/*full=*/true);
  }

 private:
  // ---- Arguments decoded from the input. ----

  int64_t Offset() {
    const int64_t size = static_cast<int64_t>(model_.data.size());
    switch (in_.IntInRange(0, 3)) {
      case 0:
        return in_.IntInRange<int64_t>(-64, 64);
      case 1:
        return static_cast<int64_t>(in_.Fraction(size + 64));
      case 2:
        return -static_cast<int64_t>(in_.Fraction(size + 64));
      default:  // past the end, up to a gap of 4 KiB
        return size + in_.IntInRange<int64_t>(0, 4096);
    }
  }

  std::string Data() {
    switch (in_.IntInRange(0, 2)) {
      case 0:
        return in_.Bytes(in_.IntInRange<size_t>(0, 16));
      case 1:
        return in_.Bytes(in_.IntInRange<size_t>(0, 600));
      default: {  // many bytes from few input bytes
        const size_t n = in_.IntInRange<size_t>(0, 10000);
        return std::string(n, static_cast<char>(in_.Byte()));
      }
    }
  }

  size_t ReadSize() {
    return in_.Bool() ? in_.IntInRange<size_t>(0, 16)
                      : in_.IntInRange<size_t>(0, 10000);
  }

  // False when writing n bytes could grow the value past kMaxModelSize.
  bool CanWrite(size_t n) const {
    const size_t end =
        std::max(model_.data.size(),
                 static_cast<size_t>(std::max<int64_t>(model_.pos, 0)));
    return end + n <= kMaxModelSize;
  }

  // ---- Synchronisation between the adapters. ----

  // Before an op through `via`: syncs the stream unless the op uses it,
  // resolves a FILE* pushback unless the op uses the FILE*, and brings the
  // memfd up to date before a FILE* op.
  void Prepare(Via via) {
    if (via != Via::kStream && stream_dirty_) {
      FUZZ_CHECK(stream_->rdbuf()->pubsync() == 0);
      stream_dirty_ = false;
      CheckState(/*full=*/true);
    }
    if (via != Via::kFile && file_ != nullptr && pushed_back_) {
      Both({StdioCall::kFseeko, 0, SEEK_CUR, ""});
    }
    if (via != Via::kFile) {
      ref_stale_ = file_ != nullptr;
      last_byte_ = -1;  // ungetc only right after the FILE* read it
      return;
    }
    if (file_ == nullptr) OpenFile(in_.Pick(6));
    if (ref_stale_) {
      // The memfd becomes what the BytesIO is; both FILE*s lose their flags
      // (the direct and stream calls moved the file under them).
      if (ref_data_stale_) {
        FUZZ_CHECK(ftruncate(memfd_, 0) == 0);
        FUZZ_CHECK(pwrite(memfd_, model_.data.data(), model_.data.size(), 0) ==
                   static_cast<ssize_t>(model_.data.size()));
        ref_data_stale_ = false;
      }
      // fflush first: glibc remembers a regular file's offset and would
      // serve an fseeko within its (one-byte) buffer from the stale byte.
      FUZZ_CHECK(fflush(ref_) == 0);
      FUZZ_CHECK(fseeko(ref_, model_.pos, SEEK_SET) == 0);
      clearerr(ref_);
      clearerr(file_);
      ref_stale_ = false;
    }
  }

  void OpenFile(size_t mode_index) {
    mode_ = kModes[mode_index];
    memfd_ = memfd_create("adapter_fuzzer", 0);
    FUZZ_CHECK(memfd_ >= 0);
    FUZZ_CHECK(pwrite(memfd_, model_.data.data(), model_.data.size(), 0) ==
               static_cast<ssize_t>(model_.data.size()));
    // Reopened with the mode's access, as fopen would open it: an
    // unbuffered fread goes straight to read(2), so a write-only FILE*
    // refuses reads only if its descriptor does. fdopen never truncates,
    // as FOpen.
    const absl::string_view mode(mode_);
    int flags = mode.find('+') != absl::string_view::npos ? O_RDWR
                : mode[0] == 'r'                          ? O_RDONLY
                                                          : O_WRONLY;
    if (mode[0] == 'a') flags |= O_APPEND;
    const int fd = open(absl::StrCat("/proc/self/fd/", memfd_).c_str(), flags);
    FUZZ_CHECK(fd >= 0);
    ref_ = fdopen(fd, mode_);
    FUZZ_CHECK(ref_ != nullptr);
    // Unbuffered like the FOpen FILE*, so that the memfd always holds what
    // was written and the two differ only below stdio.
    FUZZ_CHECK(setvbuf(ref_, nullptr, _IONBF, 0) == 0);
    FUZZ_CHECK(fseeko(ref_, model_.pos, SEEK_SET) == 0);
    absl::StatusOr<FILE*> f = FOpen(&io_, mode_);
    FUZZ_CHECK(f.ok());
    file_ = *f;
    pushed_back_ = false;
    ref_stale_ = false;
    ref_data_stale_ = false;
    last_byte_ = -1;
    last_direction_ = Direction::kNone;
    const StdioCall tell{StdioCall::kFtello, 0, SEEK_SET, ""};
    FUZZ_CHECK(RunStdioCall(file_, tell) == RunStdioCall(ref_, tell));
  }

  void CloseFile() {
    if (ref_stale_) Prepare(Via::kFile);
    const int64_t pos = ftello(ref_) + (pushed_back_ ? 1 : 0);
    FUZZ_CHECK(fclose(file_) == fclose(ref_));
    close(memfd_);
    file_ = nullptr;
    ref_ = nullptr;
    model_.pos = pos;
    CheckState(/*full=*/true);
  }

  // Runs `call` on both FILE*s and checks the results and the BytesIO's
  // position; takes the model's value and position from the memfd.
  StdioResult Both(const StdioCall& call) {
    const StdioResult got = RunStdioCall(file_, call);
    const StdioResult want = RunStdioCall(ref_, call);
    if (!(got == want)) {
      std::fprintf(stderr, "mode %s, call %d(%lld): FOpen %s, memfd %s\n",
                   mode_, static_cast<int>(call.kind),
                   static_cast<long long>(call.arg), got.ToString().c_str(),
                   want.ToString().c_str());
    }
    FUZZ_CHECK(got == want);
    switch (call.kind) {
      case StdioCall::kUngetc:
        if (want.value != EOF) pushed_back_ = true;
        break;
      case StdioCall::kFseeko:
      case StdioCall::kFflush:
        if (want.value == 0) pushed_back_ = false;
        break;
      case StdioCall::kFread:
      case StdioCall::kFgetc:
        if (want.value > 0 ||
            (call.kind == StdioCall::kFgetc && want.value != EOF)) {
          pushed_back_ = false;
        }
        break;
      case StdioCall::kFgets:
        if (want.value != 0 && call.arg > 1) pushed_back_ = false;
        break;
      case StdioCall::kGetline:
        if (want.value > 0) pushed_back_ = false;
        break;
      default:
        break;
    }
    const bool wrote = DirectionOf(call.kind) == Direction::kWrite;
    if (wrote) {
      struct stat st;
      FUZZ_CHECK(fstat(memfd_, &st) == 0);
      model_.data.resize(static_cast<size_t>(st.st_size));
      FUZZ_CHECK(pread(memfd_, &model_.data[0], model_.data.size(), 0) ==
                 static_cast<ssize_t>(model_.data.size()));
    }
    model_.pos = ftello(ref_) + (pushed_back_ ? 1 : 0);
    CheckState(/*full=*/wrote);
    return want;
  }

  // ---- Checks. ----

  // The BytesIO's position, and when `full` its value, are the model's.
  void CheckState(bool full) {
    absl::StatusOr<int64_t> pos = io_.Tell();
    FUZZ_CHECK(pos.ok() && *pos == model_.pos);
    absl::StatusOr<Rope> value = io_.GetValue();
    FUZZ_CHECK(value.ok() && value->size() == model_.data.size());
    if (full) FUZZ_CHECK(*value == model_.data);
  }

  BytesIOStream& Stream() {
    if (stream_ == nullptr) stream_ = std::make_unique<BytesIOStream>(&io_);
    stream_->clear();
    stream_dirty_ = true;
    return *stream_;
  }

  // ---- Operations. ----

  void Step(int op) {
    if (op <= 4) {
      Prepare(Via::kDirect);
      DirectStep(op);
    } else if (op <= 13 || op == 27) {
      Prepare(Via::kStream);
      StreamStep(op);
    } else if (op == 14) {
      const size_t mode = in_.Pick(6);
      Prepare(Via::kDirect);  // sync the stream; not the memfd (closed next)
      if (file_ != nullptr) CloseFile();
      OpenFile(mode);
    } else {
      Prepare(Via::kFile);
      FileStep(op);
    }
  }

  void DirectStep(int op) {
    switch (op) {
      case 0: {
        const int64_t n = in_.IntInRange<int64_t>(-1, 5000);
        CheckSame(io_.Read(n), model_.Read(n));
        break;
      }
      case 1: {
        const std::string data = Data();
        const bool as_rope = in_.Bool();
        if (!CanWrite(data.size())) break;
        ref_data_stale_ = true;
        if (as_rope) {
          CheckSame(io_.Write(BuildRope(in_, data, &counter_, &keep_alive_)),
                    model_.Write(data));
        } else {
          CheckSame(io_.Write(data), model_.Write(data));
        }
        CheckState(/*full=*/true);
        break;
      }
      case 2: {
        const int64_t offset = Offset();
        const int whence = in_.IntInRange(0, 2);
        CheckSame(io_.Seek(offset, whence), model_.Seek(offset, whence));
        break;
      }
      case 3: {
        ref_data_stale_ = true;
        if (in_.Bool()) {
          CheckSame(io_.Truncate(), model_.Truncate(std::nullopt));
        } else {
          const int64_t size =
              static_cast<int64_t>(in_.Fraction(model_.data.size() + 8));
          CheckSame(io_.Truncate(size), model_.Truncate(size));
        }
        CheckState(/*full=*/true);
        break;
      }
      default: {
        const int64_t limit = in_.IntInRange<int64_t>(-1, 200);
        CheckSame(io_.ReadLine(limit), model_.ReadLine(limit));
        break;
      }
    }
    CheckState(/*full=*/false);
  }

  void StreamStep(int op) {
    switch (op) {
      case 5: {
        const size_t n = ReadSize();
        std::string buf(n, '#');
        BytesIOStream& s = Stream();
        s.read(&buf[0], static_cast<std::streamsize>(n));
        const size_t got = static_cast<size_t>(s.gcount());
        absl::StatusOr<std::string> want = model_.Read(static_cast<int64_t>(n));
        FUZZ_CHECK(want.ok() && got == want->size());
        FUZZ_CHECK(absl::string_view(buf).substr(0, got) == *want);
        FUZZ_CHECK(s.eof() == (got < n));
        FUZZ_CHECK(!s.bad());
        break;
      }
      case 6: {
        const int c = Stream().get();
        absl::StatusOr<std::string> want = model_.Read(1);
        FUZZ_CHECK(want.ok());
        FUZZ_CHECK(
            c ==
            (want->empty() ? EOF : static_cast<unsigned char>((*want)[0])));
        break;
      }
      case 7: {
        const int c = Stream().peek();
        const uint64_t pos = model_.upos();
        FUZZ_CHECK(c == (pos < model_.data.size()
                             ? static_cast<unsigned char>(model_.data[pos])
                             : EOF));
        break;
      }
      case 8: {
        std::string line;
        BytesIOStream& s = Stream();
        const bool ok = static_cast<bool>(std::getline(s, line));
        absl::StatusOr<std::string> want = model_.ReadLine(-1);
        FUZZ_CHECK(want.ok());
        FUZZ_CHECK(ok == !want->empty());
        std::string expected = *want;
        if (!expected.empty() && expected.back() == '\n') expected.pop_back();
        FUZZ_CHECK(line == expected);
        break;
      }
      case 9: {
        const std::string data = Data();
        if (!CanWrite(data.size())) break;
        ref_data_stale_ = true;
        BytesIOStream& s = Stream();
        s.write(data.data(), static_cast<std::streamsize>(data.size()));
        FUZZ_CHECK(s.good());
        FUZZ_CHECK(model_.Write(data).ok());
        break;
      }
      case 10: {
        const char c = static_cast<char>(in_.Byte());
        if (!CanWrite(1)) break;
        ref_data_stale_ = true;
        BytesIOStream& s = Stream();
        s.put(c);
        FUZZ_CHECK(s.good());
        FUZZ_CHECK(model_.Write(absl::string_view(&c, 1)).ok());
        break;
      }
      case 11: {
        const int64_t offset = Offset();
        const int whence = in_.IntInRange(0, 2);
        const int how = in_.IntInRange(0, 2);  // seekg, seekp, pubseekoff
        const std::ios_base::seekdir dir = whence == 0   ? std::ios_base::beg
                                           : whence == 1 ? std::ios_base::cur
                                                         : std::ios_base::end;
        BytesIOStream& s = Stream();
        absl::StatusOr<int64_t> want = model_.Seek(offset, whence);
        if (how == 2) {
          const std::streamoff got = s.rdbuf()->pubseekoff(
              offset, dir, std::ios_base::in | std::ios_base::out);
          FUZZ_CHECK(got == (want.ok() ? *want : -1));
        } else {
          if (how == 0) {
            s.seekg(offset, dir);
          } else {
            s.seekp(offset, dir);
          }
          FUZZ_CHECK(s.fail() == !want.ok());
        }
        break;
      }
      case 12: {
        BytesIOStream& s = Stream();
        const std::streamoff got =
            in_.Bool() ? std::streamoff(s.tellg()) : std::streamoff(s.tellp());
        FUZZ_CHECK(got == model_.pos);
        break;
      }
      case 27: {  // unget, or putback of an input-chosen byte
        const bool unget = in_.Bool();
        const char c = static_cast<char>(in_.Byte());
        BytesIOStream& s = Stream();
        if (unget) {
          s.unget();
        } else {
          s.putback(c);
        }
        // Steps back onto the byte before the position, if there is one
        // (and it is `c`); otherwise badbit and the position stays.
        const uint64_t pos = model_.upos();
        const bool ok = pos >= 1 && pos <= model_.data.size() &&
                        (unget || model_.data[pos - 1] == c);
        FUZZ_CHECK(s.bad() == !ok);
        if (ok) --model_.pos;
        break;
      }
      case 13: {
        if (stream_ == nullptr) break;
        if (in_.Bool()) {
          stream_->clear();
          stream_->flush();
          FUZZ_CHECK(stream_->good());
        } else {
          stream_.reset();  // the destructor syncs
        }
        stream_dirty_ = false;
        CheckState(/*full=*/true);
        break;
      }
    }
  }

  void FileStep(int op) {
    StdioCall call{StdioCall::kClearerr, 0, SEEK_SET, ""};
    switch (op) {
      case 15:
        CloseFile();
        return;
      case 16:
        call.kind = StdioCall::kFread;
        call.arg = static_cast<int64_t>(ReadSize());
        break;
      case 17:
        call.kind = StdioCall::kFwrite;
        call.data = Data();
        if (!CanWrite(call.data.size())) return;
        break;
      case 18:
        call.kind = StdioCall::kFgetc;
        break;
      case 19:
        call.kind = StdioCall::kFputc;
        call.arg = in_.Byte();
        if (!CanWrite(1)) return;
        break;
      case 20:
        call.kind = StdioCall::kFseeko;
        call.arg = Offset();
        call.whence = in_.IntInRange(0, 2);
        break;
      case 21:
        call.kind = StdioCall::kFtello;
        break;
      case 22:
        call.kind = StdioCall::kFflush;
        break;
      case 23:
        call.kind = StdioCall::kFgets;
        call.arg = in_.IntInRange<int64_t>(1, 200);
        break;
      case 24:
        // Push back only the byte fgetc just read, the use file_adapter.h
        // allows: other bytes, or any after fread, go to glibc's separate
        // pushback area, which glibc mishandles (invalid frees under ASan).
        if (last_byte_ < 0 || pushed_back_) return;
        call.kind = StdioCall::kUngetc;
        call.arg = last_byte_;
        break;
      case 25:
        break;
      case 28:
        call.kind = StdioCall::kGetline;
        break;
      default:
        call.kind = StdioCall::kFprintf;
        call.data = in_.Bytes(in_.IntInRange<size_t>(0, 600));
        call.arg = in_.IntInRange<int64_t>(-1000, 1000);
        if (!CanWrite(call.data.size() + 8)) return;
        break;
    }
    const Direction direction = DirectionOf(call.kind);
    if (direction != Direction::kNone && last_direction_ != Direction::kNone &&
        direction != last_direction_) {
      Both({StdioCall::kFseeko, 0, SEEK_CUR, ""});
    }
    const StdioResult result = Both(call);
    if (call.kind == StdioCall::kFseeko || call.kind == StdioCall::kFflush) {
      last_direction_ = Direction::kNone;
    } else if (direction != Direction::kNone) {
      last_direction_ = direction;
    }
    last_byte_ = -1;
    if (call.kind == StdioCall::kFgetc && result.value != EOF) {
      last_byte_ = static_cast<int>(result.value);
    }
  }

  FuzzInput& in_;
  ReleaseCounter& counter_;
  std::vector<Rope> keep_alive_;  // owners of shared chunks
  BytesIO io_;
  BytesIOModel model_;

  // The stream, created by the first stream op; dirty while it may hold
  // read-ahead or buffered writes.
  std::unique_ptr<BytesIOStream> stream_;
  bool stream_dirty_ = false;

  // The FILE* over io_ and the reference FILE* over memfd_.
  FILE* file_ = nullptr;
  FILE* ref_ = nullptr;
  int memfd_ = -1;
  const char* mode_ = "r+";
  bool pushed_back_ = false;     // an ungetc byte is unread: io_ is 1 ahead
  bool ref_stale_ = false;       // direct or stream ops ran since the last
                                 // FILE* op: the memfd must follow
  bool ref_data_stale_ = false;  // and one of them may have changed bytes
  int last_byte_ = -1;           // the byte the last FILE* fgetc returned
  Direction last_direction_ = Direction::kNone;
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
