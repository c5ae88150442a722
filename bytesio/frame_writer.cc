// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_writer.h"

#include <cassert>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "bytesio/coding.h"

namespace bytesio {

FrameWriter::FrameWriter(const LengthFieldFraming& framing, Rope* out)
    : framing_(framing), status_(ValidateFraming(framing)), out_(out) {
  assert(out != nullptr);
}

void FrameWriter::BeginFrame(absl::string_view before_length) {
  assert(!in_frame_);
  assert(before_length.size() == framing_.field_offset);
  frame_start_ = out_->size();
  in_frame_ = true;
  if (!status_.ok()) return;  // EndFrame reports it
  if (!before_length.empty()) out_->Append(before_length);
  static constexpr char kZeros[8] = {};
  out_->Append(absl::string_view(kZeros, framing_.field_size));
}

absl::Status FrameWriter::EndFrame() {
  assert(in_frame_);
  in_frame_ = false;
  // No header was written for an invalid framing (its sizes may be absurd).
  const size_t header =
      status_.ok() ? framing_.field_offset + framing_.field_size : 0;
  if (out_->size() < frame_start_ || out_->size() - frame_start_ < header) {
    return absl::FailedPreconditionError(
        absl::StrCat("the output shrank to ", out_->size(),
                     " bytes while a frame was open; the frame began at ",
                     frame_start_, " with a ", header, "-byte header"));
  }
  const size_t frame_size = out_->size() - frame_start_;
  if (!status_.ok()) {
    out_->RemoveSuffix(frame_size);
    return status_;
  }
  // value = counted - length_adjustment, exactly: counted < 2^64 and
  // |length_adjustment| < 2^62 (validated), so only the bounds need care.
  const uint64_t counted =
      framing_.length_counts_header ? frame_size : frame_size - header;
  const int64_t adjustment = framing_.length_adjustment;
  const uint64_t field_max =
      framing_.field_size == 8 ? UINT64_MAX
                               : (uint64_t{1} << (8 * framing_.field_size)) - 1;
  uint64_t value = 0;
  bool fits;
  if (adjustment >= 0) {
    fits = counted >= static_cast<uint64_t>(adjustment);
    if (fits) value = counted - static_cast<uint64_t>(adjustment);
  } else {
    const uint64_t magnitude = uint64_t{0} - static_cast<uint64_t>(adjustment);
    fits = counted <= UINT64_MAX - magnitude;
    if (fits) value = counted + magnitude;
  }
  if (!fits || value > field_max) {
    out_->RemoveSuffix(frame_size);
    std::string needed;
    if (fits) {
      needed = absl::StrCat(value);
    } else if (adjustment >= 0) {
      needed = absl::StrCat("-", static_cast<uint64_t>(adjustment) - counted);
    } else {
      needed = absl::StrCat("over ", UINT64_MAX);
    }
    return absl::OutOfRangeError(absl::StrCat(
        "frame of ", frame_size, " bytes needs length field value ", needed,
        ", which does not fit a ", framing_.field_size, "-byte field"));
  }
  char field[8];
  StoreUnsigned(field, framing_.field_size, framing_.byte_order, value);
  out_->Overwrite(frame_start_ + framing_.field_offset,
                  absl::string_view(field, framing_.field_size));
  return absl::OkStatus();
}

absl::Status FrameWriter::WriteFrame(const Rope& payload) {
  BeginFrame();
  Append(payload);
  return EndFrame();
}

absl::Status FrameWriter::WriteFrame(absl::string_view payload) {
  BeginFrame();
  Append(payload);
  return EndFrame();
}

void AppendVarintFrame(Rope* out, const Rope& payload) {
  AppendVarint64(out, payload.size());
  out->Append(payload);
}

}  // namespace bytesio
