// Copyright 2026 The bytesio Authors.

#include "bytesio/bytes_io.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "bytesio/internal/chunk.h"
#include "bytesio/internal/rope_export.h"

namespace bytesio {
namespace {

static_assert(SEEK_SET == BytesIO::kSeekSet && SEEK_CUR == BytesIO::kSeekCur &&
                  SEEK_END == BytesIO::kSeekEnd,
              "BytesIO's whence values must equal <cstdio>'s");

static_assert(BytesIO::kMaxExportSize == internal::Chunk::kMaxOwnedCapacity,
              "an export is one owned chunk");

constexpr uint64_t kMaxPosition = std::numeric_limits<int64_t>::max();

absl::Status ClosedError() {
  return absl::FailedPreconditionError("I/O operation on closed file.");
}

absl::Status ExportsError() {
  return absl::FailedPreconditionError(
      "Existing exports of data: object cannot be re-sized");
}

}  // namespace

BytesIO::BytesIO(BytesIO&& other) noexcept
    : data_(std::move(other.data_)),
      pos_(std::exchange(other.pos_, 0)),
      closed_(std::exchange(other.closed_, false)) {
  assert(other.exports_ == 0 && "BytesIO moved with live exports");
  other.data_.Clear();
  other.InvalidateCursor();
}

BytesIO& BytesIO::operator=(BytesIO&& other) noexcept {
  assert(exports_ == 0 && "BytesIO assigned to with live exports");
  assert(other.exports_ == 0 && "BytesIO moved with live exports");
  if (this != &other) {
    data_ = std::move(other.data_);
    other.data_.Clear();
    InvalidateCursor();
    other.InvalidateCursor();
    pos_ = std::exchange(other.pos_, 0);
    closed_ = std::exchange(other.closed_, false);
  }
  return *this;
}

BytesIO::~BytesIO() {
  assert(exports_ == 0 && "BytesIO destroyed with live exports");
}

absl::Status BytesIO::Reset(Rope initial) {
  // Python's __init__ checks exports only; a closed object is re-opened.
  if (exports_ > 0) return ExportsError();
  data_ = std::move(initial);
  InvalidateCursor();
  pos_ = 0;
  closed_ = false;
  return absl::OkStatus();
}

absl::Status BytesIO::CheckOpen() const {
  return closed_ ? ClosedError() : absl::OkStatus();
}

absl::Status BytesIO::CheckResizable() const {
  if (closed_) return ClosedError();
  if (exports_ > 0) return ExportsError();
  return absl::OkStatus();
}

Rope BytesIO::Slice(size_t pos, size_t n) const {
  assert(pos + n <= data_.size());
  // While exported the chunk can change under a shared slice, so copy.
  if (exports_ > 0) return Rope(absl::string_view(export_base_ + pos, n));
  // The whole data (GetValue, reading all from 0): a plain copy is O(1),
  // while Subrope builds a new root that references every child.
  if (pos == 0 && n == data_.size()) return data_;
  return data_.Subrope(pos, n);
}

// ---------------------------------------------------------------------------
// Reading.

absl::StatusOr<Rope> BytesIO::Read(int64_t n) {
  if (closed_) return ClosedError();
  const uint64_t pos = static_cast<uint64_t>(pos_);
  if (n == 0 || pos >= data_.size()) return Rope();
  const size_t available = data_.size() - pos;
  const size_t count =
      n < 0 ? available : static_cast<size_t>(std::min<uint64_t>(available, n));
  Rope result;
  if (exports_ > 0 || count == data_.size()) {
    result = Slice(pos, count);  // a copy, or the whole data in O(1)
  } else if (BypassCursor(pos)) {
    result = data_.Subrope(pos, count);
    bypass_end_ = pos + count;
  } else {
    Cursor().Read(count, &result);
  }
  pos_ += static_cast<int64_t>(count);
  return result;
}

absl::StatusOr<size_t> BytesIO::ReadInto(absl::Span<char> dest) {
  if (closed_) return ClosedError();
  const uint64_t pos = static_cast<uint64_t>(pos_);
  // pos may be up to INT64_MAX; CopyTo requires pos <= size().
  if (dest.empty() || pos >= data_.size()) return size_t{0};
  const size_t count = std::min<size_t>(dest.size(), data_.size() - pos);
  if (BypassCursor(pos)) {
    data_.CopyTo(dest.first(count), pos);
    bypass_end_ = pos + count;
  } else {
    Cursor().ReadInto(dest.first(count));
  }
  pos_ += static_cast<int64_t>(count);
  return count;
}

RopeReader& BytesIO::MoveCursor() {
  const size_t pos = static_cast<uint64_t>(pos_) < data_.size()
                         ? static_cast<size_t>(pos_)
                         : data_.size();
  if (!cursor_valid_) {
    cursor_.Reset(data_, pos);
    cursor_valid_ = true;
  } else if (cursor_.position() != pos) {
    cursor_.Seek(pos);
  }
  return cursor_;
}

size_t BytesIO::LineInCursorChunk(int64_t limit) {
  if (!cursor_valid_ || cursor_.position() != static_cast<uint64_t>(pos_)) {
    return 0;
  }
  const absl::string_view chunk = cursor_.PeekChunk();
  if (chunk.empty()) return 0;  // at the end (memchr needs a pointer)
  const void* newline = std::memchr(chunk.data(), '\n', chunk.size());
  if (newline == nullptr) return 0;
  const size_t n =
      static_cast<size_t>(static_cast<const char*>(newline) - chunk.data()) + 1;
  return limit < 0 || n <= static_cast<uint64_t>(limit) ? n : 0;
}

size_t BytesIO::NextLineLength(int64_t limit) {
  // The common case: the line ends in the cursor's chunk.
  const size_t n = LineInCursorChunk(limit);
  if (n > 0) return n;
  const uint64_t pos = static_cast<uint64_t>(pos_);
  if (limit == 0 || pos >= data_.size()) return 0;
  const size_t available = data_.size() - pos;
  const size_t max_bytes =
      limit < 0 ? available
                : static_cast<size_t>(std::min<uint64_t>(available, limit));
  // One bounded scan from the cursor, at memchr speed inside each chunk.
  const size_t newline = Cursor().Find('\n', 0, max_bytes);
  return newline == RopeReader::npos ? max_bytes : newline + 1;
}

absl::StatusOr<Rope> BytesIO::ReadLine(int64_t limit) {
  if (closed_) return ClosedError();
  const size_t n = NextLineLength(limit);
  Rope line;
  if (n == 0) return line;
  if (exports_ > 0) {
    line = Slice(static_cast<uint64_t>(pos_), n);  // a copy: the view may
    cursor_.Skip(n);                               // be written under it
  } else {
    cursor_.Read(n, &line);  // shared from the cursor's chunk
  }
  pos_ += static_cast<int64_t>(n);
  return line;
}

absl::Status BytesIO::ReadLineInto(Rope* line, int64_t limit) {
  if (closed_) return ClosedError();
  if (ABSL_PREDICT_TRUE(exports_ == 0 && cursor_valid_ &&
                        cursor_.position() == static_cast<uint64_t>(pos_))) {
    // The loop case in one piece: a short line that ends in the cursor's
    // chunk, copied into the line's reused chunk.
    const absl::string_view chunk = cursor_.PeekChunk();
    const void* newline =
        chunk.empty()
            ? nullptr
            : std::memchr(chunk.data(), '\n',
                          std::min(chunk.size(), Rope::kMaxBytesToCopy));
    if (newline != nullptr) {
      const size_t n = static_cast<size_t>(static_cast<const char*>(newline) -
                                           chunk.data()) +
                       1;
      if (limit < 0 || n <= static_cast<uint64_t>(limit)) {
        std::memcpy(line->AssignUninitialized(n), chunk.data(), n);
        cursor_.Skip(n);
        pos_ += static_cast<int64_t>(n);
        return absl::OkStatus();
      }
    }
  }
  const size_t n = NextLineLength(limit);
  if (n == 0) {
    line->Clear();
  } else if (exports_ > 0) {
    *line = Slice(static_cast<uint64_t>(pos_), n);
    cursor_.Skip(n);
  } else if (n <= Rope::kMaxBytesToCopy) {
    cursor_.ReadInto(absl::MakeSpan(line->AssignUninitialized(n), n));
  } else {
    cursor_.Read(n, line);
  }
  pos_ += static_cast<int64_t>(n);
  return absl::OkStatus();
}

absl::StatusOr<absl::string_view> BytesIO::ReadLineView(int64_t limit) {
  if (closed_) return ClosedError();
  if (ABSL_PREDICT_TRUE(cursor_valid_ &&
                        cursor_.position() == static_cast<uint64_t>(pos_))) {
    // The loop case in one piece: a line that ends in the cursor's chunk,
    // viewed in place.
    const absl::string_view chunk = cursor_.PeekChunk();
    const void* newline =
        chunk.empty() ? nullptr : std::memchr(chunk.data(), '\n', chunk.size());
    if (newline != nullptr) {
      const size_t n = static_cast<size_t>(static_cast<const char*>(newline) -
                                           chunk.data()) +
                       1;
      if (limit < 0 || n <= static_cast<uint64_t>(limit)) {
        cursor_.Skip(n);
        pos_ += static_cast<int64_t>(n);
        return absl::string_view(chunk.data(), n);
      }
    }
  }
  const size_t n = NextLineLength(limit);
  absl::string_view line;
  if (n == 0) return line;
  cursor_.ReadView(n, &line_scratch_, &line);  // in one chunk: no copy
  pos_ += static_cast<int64_t>(n);
  return line;
}

absl::StatusOr<std::vector<Rope>> BytesIO::ReadLines(int64_t hint) {
  if (closed_) return ClosedError();
  std::vector<Rope> lines;
  uint64_t total = 0;
  for (;;) {
    absl::StatusOr<Rope> line = ReadLine();
    if (!line.ok()) return line.status();  // unreachable: checked above
    if (line->empty()) break;
    total += line->size();
    lines.push_back(*std::move(line));
    if (hint > 0 && total >= static_cast<uint64_t>(hint)) break;
  }
  return lines;
}

absl::StatusOr<std::optional<Rope>> BytesIO::NextLine() {
  absl::StatusOr<Rope> line = ReadLine();
  if (!line.ok()) return line.status();
  if (line->empty()) return std::optional<Rope>();
  return std::optional<Rope>(*std::move(line));
}

void BytesIO::LineRange::Advance() {
  if (done_) return;
  absl::StatusOr<std::optional<Rope>> next = file_->NextLine();
  if (!next.ok()) {
    status_ = next.status();
    done_ = true;
  } else if (!next->has_value()) {
    done_ = true;
  } else {
    line_ = **std::move(next);
    return;
  }
  line_.Clear();
}

// ---------------------------------------------------------------------------
// Writing.

absl::Status BytesIO::CheckWrite(size_t n) const {
  assert(n > 0);
  const uint64_t pos = static_cast<uint64_t>(pos_);
  if (n > kMaxPosition - pos) {
    return absl::OutOfRangeError("new buffer size too large");
  }
  if (pos > data_.size() && pos - data_.size() > uint64_t{kMaxZeroFill}) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "writing ", n, " bytes at position ", pos, " would zero-fill ",
        pos - data_.size(), " bytes after the end (size ", data_.size(),
        "), more than the limit of ", kMaxZeroFill, " bytes"));
  }
  return absl::OkStatus();
}

void BytesIO::PadToPosition() {
  const uint64_t pos = static_cast<uint64_t>(pos_);
  if (pos > data_.size()) data_.AppendZeros(pos - data_.size());
}

absl::StatusOr<size_t> BytesIO::Write(absl::string_view data) {
  const uint64_t start = static_cast<uint64_t>(pos_);
  if (ABSL_PREDICT_TRUE(!closed_ && exports_ == 0 && start <= data_.size() &&
                        data.size() <= kMaxPosition - start)) {
    // Fast path: no gap to fill and nothing to refuse, the usual case of
    // appending or overwriting. Going through the checks below (Status
    // objects, out-of-line calls) cost more than the Rope operation itself
    // for 16-byte appends and 8-byte overwrites (see benchmarks/).
    // `data` may be a view of this stream's own bytes: append the part past
    // the end first, as appending changes no existing byte and releases no
    // chunk; then the overwrite, which handles a view of itself.
    const size_t overlap = std::min<size_t>(data_.size() - start, data.size());
    InvalidateCursor();
    if (overlap < data.size()) data_.Append(data.substr(overlap));
    if (overlap > 0) data_.Overwrite(start, data.substr(0, overlap));
    pos_ += static_cast<int64_t>(data.size());
    return data.size();
  }
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  if (data.empty()) return size_t{0};
  status = CheckWrite(data.size());
  if (!status.ok()) return status;
  InvalidateCursor();
  PadToPosition();
  const size_t pos = static_cast<size_t>(pos_);
  const size_t overlap =
      pos < data_.size() ? std::min(data_.size() - pos, data.size()) : 0;
  // Append first, as above (padding appended zeros only).
  if (overlap < data.size()) data_.Append(data.substr(overlap));
  if (overlap > 0) data_.Overwrite(pos, data.substr(0, overlap));
  pos_ += static_cast<int64_t>(data.size());
  return data.size();
}

absl::StatusOr<size_t> BytesIO::Write(const Rope& data) {
  if (data.size() <= Rope::kMaxBytesToCopy) {
    // Small: copying beats sharing (see Rope::kMaxBytesToCopy).
    char buffer[Rope::kMaxBytesToCopy];
    const size_t n = data.CopyTo(absl::MakeSpan(buffer, data.size()));
    return Write(absl::string_view(buffer, n));
  }
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  status = CheckWrite(data.size());
  if (!status.ok()) return status;
  InvalidateCursor();
  PadToPosition();
  // Splice: [0, pos) + data + [pos + n, size), sharing data's chunks.
  const size_t pos = static_cast<size_t>(pos_);
  const size_t n = data.size();
  if (pos + n < data_.size()) {
    Rope tail = data_.Subrope(pos + n, data_.size() - pos - n);
    data_.RemoveSuffix(data_.size() - pos);
    data_.Append(data);
    data_.Append(std::move(tail));
  } else {
    data_.RemoveSuffix(data_.size() - pos);
    data_.Append(data);
  }
  pos_ += static_cast<int64_t>(n);
  return n;
}

// ---------------------------------------------------------------------------
// Position and size.

absl::StatusOr<int64_t> BytesIO::Seek(int64_t offset, int whence) {
  if (closed_) return ClosedError();
  int64_t base;
  switch (whence) {
    case kSeekSet:
      if (offset < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("negative seek value ", offset));
      }
      base = 0;
      break;
    case kSeekCur:
      base = pos_;
      break;
    case kSeekEnd:
      base = static_cast<int64_t>(data_.size());
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("invalid whence (", whence, ", should be 0, 1 or 2)"));
  }
  if (offset > 0 && offset > std::numeric_limits<int64_t>::max() - base) {
    return absl::OutOfRangeError("new position too large");
  }
  // base >= 0, so base + offset cannot underflow; below 0 clamps to 0.
  pos_ = std::max<int64_t>(0, base + offset);
  return pos_;
}

absl::StatusOr<int64_t> BytesIO::Tell() const {
  if (closed_) return ClosedError();
  return pos_;
}

absl::StatusOr<int64_t> BytesIO::Truncate() {
  if (closed_) return ClosedError();
  return Truncate(pos_);
}

absl::StatusOr<int64_t> BytesIO::Truncate(int64_t size) {
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  if (size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("negative size value ", size));
  }
  if (static_cast<uint64_t>(size) < data_.size()) {
    InvalidateCursor();
    data_.RemoveSuffix(data_.size() - static_cast<size_t>(size));
  }
  return size;
}

// ---------------------------------------------------------------------------
// Whole contents.

absl::StatusOr<Rope> BytesIO::GetValue() const {
  if (closed_) return ClosedError();
  return Slice(0, data_.size());
}

absl::StatusOr<BytesIO::ExportedBuffer> BytesIO::GetBuffer() {
  if (closed_) return ClosedError();
  if (data_.size() > kMaxExportSize) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "getbuffer needs one contiguous buffer of ", data_.size(),
        " bytes, more than the limit of ", kMaxExportSize, " bytes"));
  }
  // Later exports reuse the first one's chunk: data_ is not modified (nor
  // shared: Slice copies) while exported, so it stays one private run.
  if (exports_ == 0) {
    InvalidateCursor();
    export_base_ = internal::RopeExport::MutableFlat(&data_);
  }
  return ExportedBuffer(this, absl::Span<char>(export_base_, data_.size()));
}

size_t BytesIO::EstimatedMemoryUsage() const {
  return sizeof(BytesIO) - sizeof(Rope) + data_.EstimatedMemoryUsage();
}

// ---------------------------------------------------------------------------
// Lifecycle and flags.

absl::Status BytesIO::Close() {
  if (closed_) return absl::OkStatus();
  if (exports_ > 0) return ExportsError();
  data_.Clear();
  InvalidateCursor();
  pos_ = 0;
  closed_ = true;
  return absl::OkStatus();
}

absl::StatusOr<bool> BytesIO::Readable() const {
  if (closed_) return ClosedError();
  return true;
}

absl::StatusOr<bool> BytesIO::Writable() const {
  if (closed_) return ClosedError();
  return true;
}

absl::StatusOr<bool> BytesIO::Seekable() const {
  if (closed_) return ClosedError();
  return true;
}

absl::StatusOr<bool> BytesIO::IsAtty() const {
  if (closed_) return ClosedError();
  return false;
}

absl::Status BytesIO::Flush() const { return CheckOpen(); }

absl::StatusOr<int> BytesIO::Fileno() const {
  return absl::UnimplementedError("fileno");
}

absl::Status BytesIO::Detach() { return absl::UnimplementedError("detach"); }

absl::StatusOr<BytesIO::State> BytesIO::GetState() const {
  if (closed_) return ClosedError();
  return State{Slice(0, data_.size()), pos_};
}

absl::Status BytesIO::SetState(Rope value, int64_t position) {
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  if (position < 0) {
    return absl::InvalidArgumentError("position value cannot be negative");
  }
  data_ = std::move(value);
  InvalidateCursor();
  pos_ = position;
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// ExportedBuffer.

BytesIO::ExportedBuffer::ExportedBuffer(BytesIO* owner, absl::Span<char> span)
    : owner_(owner), span_(span) {
  ++owner_->exports_;
}

BytesIO::ExportedBuffer::ExportedBuffer(const ExportedBuffer& other)
    : owner_(other.owner_), span_(other.span_) {
  if (owner_ != nullptr) ++owner_->exports_;
}

BytesIO::ExportedBuffer& BytesIO::ExportedBuffer::operator=(
    const ExportedBuffer& other) {
  if (this != &other) {
    // Take the new export before dropping the old one, so that assigning a
    // view of the same stream never unlocks it in between.
    if (other.owner_ != nullptr) ++other.owner_->exports_;
    Release();
    owner_ = other.owner_;
    span_ = other.span_;
  }
  return *this;
}

BytesIO::ExportedBuffer::ExportedBuffer(ExportedBuffer&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      span_(std::exchange(other.span_, absl::Span<char>())) {}

BytesIO::ExportedBuffer& BytesIO::ExportedBuffer::operator=(
    ExportedBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = std::exchange(other.owner_, nullptr);
    span_ = std::exchange(other.span_, absl::Span<char>());
  }
  return *this;
}

void BytesIO::ExportedBuffer::Release() {
  if (owner_ != nullptr) {
    assert(owner_->exports_ > 0);
    if (--owner_->exports_ == 0) owner_->export_base_ = nullptr;
    owner_ = nullptr;
  }
  span_ = absl::Span<char>();
}

BytesIO::ExportedBuffer BytesIO::ExportedBuffer::Subspan(size_t pos,
                                                         size_t n) const {
  assert(owner_ != nullptr);
  assert(pos <= span_.size());
  return ExportedBuffer(owner_, span_.subspan(pos, n));
}

}  // namespace bytesio
