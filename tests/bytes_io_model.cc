// Copyright 2026 The bytesio Authors.

#include "tests/bytes_io_model.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bytesio/bytes_io.h"

namespace bytesio {
namespace testutil {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

}  // namespace

absl::Status ClosedFileError() {
  return absl::FailedPreconditionError("I/O operation on closed file.");
}

absl::Status ExportsError() {
  return absl::FailedPreconditionError(
      "Existing exports of data: object cannot be re-sized");
}

absl::Status BytesIOModel::CheckOpen() const {
  return closed ? ClosedFileError() : absl::OkStatus();
}

absl::Status BytesIOModel::CheckResizable() const {
  if (closed) return ClosedFileError();
  if (exports > 0) return ExportsError();
  return absl::OkStatus();
}

uint64_t BytesIOModel::Gap() const {
  return upos() > data.size() ? upos() - data.size() : 0;
}

absl::StatusOr<std::string> BytesIOModel::Read(int64_t n) {
  if (closed) return ClosedFileError();
  if (n == 0 || upos() >= data.size()) return std::string();
  const size_t rest = data.size() - upos();
  const size_t count = n < 0 ? rest
                             : static_cast<size_t>(std::min<uint64_t>(
                                   rest, static_cast<uint64_t>(n)));
  std::string out = data.substr(upos(), count);
  pos += static_cast<int64_t>(count);
  return out;
}

absl::StatusOr<std::string> BytesIOModel::ReadInto(size_t capacity) {
  if (closed) return ClosedFileError();
  if (capacity == 0) return std::string();
  return Read(static_cast<int64_t>(std::min(capacity, data.size())));
}

absl::StatusOr<std::string> BytesIOModel::ReadLine(int64_t limit) {
  if (closed) return ClosedFileError();
  if (limit == 0 || upos() >= data.size()) return std::string();
  size_t end = data.find('\n', upos());
  end = end == std::string::npos ? data.size() : end + 1;
  if (limit > 0) {
    end = static_cast<size_t>(
        std::min<uint64_t>(end, upos() + static_cast<uint64_t>(limit)));
  }
  std::string out = data.substr(upos(), end - upos());
  pos = static_cast<int64_t>(end);
  return out;
}

absl::StatusOr<std::vector<std::string>> BytesIOModel::ReadLines(int64_t hint) {
  if (closed) return ClosedFileError();
  std::vector<std::string> lines;
  uint64_t total = 0;
  for (;;) {
    std::string line = *ReadLine(-1);
    if (line.empty()) break;
    total += line.size();
    lines.push_back(std::move(line));
    if (hint > 0 && total >= static_cast<uint64_t>(hint)) break;
  }
  return lines;
}

absl::StatusOr<size_t> BytesIOModel::Write(absl::string_view s) {
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  if (s.empty()) return size_t{0};
  if (s.size() > static_cast<uint64_t>(kMax) - upos()) {
    return absl::OutOfRangeError("new buffer size too large");
  }
  if (Gap() > static_cast<uint64_t>(BytesIO::kMaxZeroFill)) {
    return absl::ResourceExhaustedError("gap too large");  // code only
  }
  if (upos() > data.size()) data.resize(upos(), '\0');
  data.replace(upos(), std::min(s.size(), data.size() - upos()),
               std::string(s));
  pos += static_cast<int64_t>(s.size());
  return s.size();
}

absl::StatusOr<int64_t> BytesIOModel::Seek(int64_t offset, int whence) {
  if (closed) return ClosedFileError();
  int64_t base = 0;
  if (whence == 1) {
    base = pos;
  } else if (whence == 2) {
    base = static_cast<int64_t>(data.size());
  } else if (whence != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid whence (", whence, ", should be 0, 1 or 2)"));
  } else if (offset < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("negative seek value ", offset));
  }
  if (offset > 0 && offset > kMax - base) {
    return absl::OutOfRangeError("new position too large");
  }
  // base >= 0, so base + offset cannot underflow for offset < 0.
  pos = std::max<int64_t>(0, base + offset);
  return pos;
}

absl::StatusOr<int64_t> BytesIOModel::Truncate(std::optional<int64_t> size) {
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  const int64_t n = size.value_or(pos);
  if (n < 0) {
    return absl::InvalidArgumentError(absl::StrCat("negative size value ", n));
  }
  if (static_cast<uint64_t>(n) < data.size()) {
    data.resize(static_cast<size_t>(n));
  }
  return n;
}

absl::StatusOr<std::string> BytesIOModel::GetValue() const {
  if (closed) return ClosedFileError();
  return data;
}

absl::Status BytesIOModel::Close() {
  if (closed) return absl::OkStatus();
  if (exports > 0) return ExportsError();
  closed = true;
  data.clear();
  pos = 0;
  return absl::OkStatus();
}

absl::Status BytesIOModel::Reset(absl::string_view initial) {
  if (exports > 0) return ExportsError();
  data = std::string(initial);
  pos = 0;
  closed = false;
  return absl::OkStatus();
}

absl::Status BytesIOModel::SetState(absl::string_view value, int64_t position) {
  absl::Status status = CheckResizable();
  if (!status.ok()) return status;
  if (position < 0) {
    return absl::InvalidArgumentError("position value cannot be negative");
  }
  data = std::string(value);
  pos = position;
  return absl::OkStatus();
}

}  // namespace testutil
}  // namespace bytesio
