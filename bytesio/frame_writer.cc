// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_writer.h"

#include <cassert>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "bytesio/coding.h"

namespace bytesio {

FrameWriter::FrameWriter(const LengthFieldFraming& framing, Rope* out)
    : framing_(framing), out_(out) {
  assert(framing.field_size >= 1 && framing.field_size <= 8);
  assert(out != nullptr);
}

void FrameWriter::BeginFrame(absl::string_view before_length) {
  assert(!in_frame_);
  assert(before_length.size() == framing_.field_offset);
  frame_start_ = out_->size();
  in_frame_ = true;
  if (!before_length.empty()) out_->Append(before_length);
  static constexpr char kZeros[8] = {};
  out_->Append(absl::string_view(kZeros, framing_.field_size));
}

absl::Status FrameWriter::EndFrame() {
  assert(in_frame_);
  in_frame_ = false;
  const size_t header = framing_.field_offset + framing_.field_size;
  const size_t frame_size = out_->size() - frame_start_;
  // Exact in int64: a real Rope holds far fewer than 2^62 bytes and the
  // decoder's contract bounds |length_adjustment| below 2^62.
  const int64_t value = static_cast<int64_t>(framing_.length_counts_header
                                                 ? frame_size
                                                 : frame_size - header) -
                        framing_.length_adjustment;
  const uint64_t field_max =
      framing_.field_size == 8 ? UINT64_MAX
                               : (uint64_t{1} << (8 * framing_.field_size)) - 1;
  if (value < 0 || static_cast<uint64_t>(value) > field_max) {
    out_->RemoveSuffix(frame_size);
    return absl::OutOfRangeError(absl::StrCat(
        "frame of ", frame_size, " bytes needs length field value ", value,
        ", which does not fit a ", framing_.field_size, "-byte field"));
  }
  char field[8];
  StoreUnsigned(field, framing_.field_size, framing_.byte_order,
                static_cast<uint64_t>(value));
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
