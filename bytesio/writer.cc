// Copyright 2026 The bytesio Authors.

#include "bytesio/writer.h"

namespace bytesio {

Writer& Writer::Write(absl::string_view data) {
  if (!ok()) return *this;
  absl::StatusOr<size_t> written = file_->Write(data);
  return Done(written.status(), written.ok() ? *written : 0);
}

Writer& Writer::Write(const Rope& data) {
  if (!ok()) return *this;
  absl::StatusOr<size_t> written = file_->Write(data);
  return Done(written.status(), written.ok() ? *written : 0);
}

Writer& Writer::Done(const absl::Status& status, size_t n) {
  if (status.ok()) {
    bytes_written_ += static_cast<int64_t>(n);
  } else {
    status_ = status;
  }
  return *this;
}

}  // namespace bytesio
