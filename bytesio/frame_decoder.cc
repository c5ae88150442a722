// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_decoder.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bytesio {

namespace {

constexpr int64_t kMaxAdjustment =
    static_cast<int64_t>(FrameDecoder::kMaxFrameSizeLimit) - 1;

absl::Status ValidateMaxFrameSize(size_t max_frame_size) {
  if (max_frame_size >= 1 &&
      max_frame_size <= FrameDecoder::kMaxFrameSizeLimit) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("max_frame_size is ", max_frame_size, "; must be 1 to ",
                   FrameDecoder::kMaxFrameSizeLimit));
}

// The magnitude of a negative int64 as a uint64 (2^63 for INT64_MIN).
uint64_t Magnitude(int64_t negative) {
  return uint64_t{0} - static_cast<uint64_t>(negative);
}

}  // namespace

absl::Status ValidateFraming(const LengthFieldFraming& framing) {
  if (framing.field_size < 1 || framing.field_size > 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("LengthFieldFraming.field_size is ", framing.field_size,
                     "; must be 1 to 8"));
  }
  if (framing.field_offset >
      FrameDecoder::kMaxFrameSizeLimit - framing.field_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("LengthFieldFraming.field_offset is ",
                     framing.field_offset, "; the header must not exceed ",
                     FrameDecoder::kMaxFrameSizeLimit, " bytes"));
  }
  if (framing.length_adjustment > kMaxAdjustment ||
      framing.length_adjustment < -kMaxAdjustment) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LengthFieldFraming.length_adjustment is ", framing.length_adjustment,
        "; must be within +-", kMaxAdjustment));
  }
  return absl::OkStatus();
}

absl::Status ValidateFraming(const DelimiterFraming& framing) {
  if (framing.delimiter.empty()) {
    return absl::InvalidArgumentError(
        "DelimiterFraming.delimiter is empty; it must have at least one byte");
  }
  return absl::OkStatus();
}

FrameDecoder::FrameDecoder(const LengthFieldFraming& framing,
                           size_t max_frame_size)
    : kind_(Kind::kLengthField),
      max_frame_size_(max_frame_size),
      length_(framing) {
  absl::Status status = ValidateFraming(framing);
  if (status.ok()) status = ValidateMaxFrameSize(max_frame_size);
  if (status.ok() &&
      framing.field_offset + framing.field_size > max_frame_size) {
    status = absl::InvalidArgumentError(
        absl::StrCat("max_frame_size is ", max_frame_size, ", less than the ",
                     framing.field_offset + framing.field_size,
                     "-byte header: no frame could fit"));
  }
  options_status_ = std::move(status);
  Reset();
}

FrameDecoder::FrameDecoder(VarintFraming /*framing*/, size_t max_frame_size)
    : kind_(Kind::kVarint),
      options_status_(ValidateMaxFrameSize(max_frame_size)),
      max_frame_size_(max_frame_size) {
  Reset();
}

FrameDecoder::FrameDecoder(DelimiterFraming framing, size_t max_frame_size)
    : kind_(Kind::kDelimiter), max_frame_size_(max_frame_size) {
  absl::Status status = ValidateFraming(framing);
  if (status.ok()) status = ValidateMaxFrameSize(max_frame_size);
  options_status_ = std::move(status);
  delimiter_ = std::move(framing.delimiter);
  strip_delimiter_ = framing.strip_delimiter;
  Reset();
}

void FrameDecoder::Reset() {
  buffer_.Clear();
  pending_size_ = 0;
  pending_strip_ = 0;
  scan_from_ = 0;
  failed_ = !options_status_.ok();
  discarding_ = false;
  status_ = options_status_;
}

FrameDecoder::Result FrameDecoder::Next(Rope* frame) {
  switch (kind_) {
    case Kind::kLengthField:
      return NextLengthField(frame);
    case Kind::kVarint:
      return NextVarint(frame);
    case Kind::kDelimiter:
      return NextDelimited(frame);
  }
  return Result::kNeedMore;  // unreachable; keeps -Wreturn-type quiet
}

FrameDecoder::Result FrameDecoder::Fail(absl::Status status) {
  failed_ = true;
  status_ = std::move(status);
  return Result::kError;
}

uint64_t FrameDecoder::ReadLengthField() const {
  const size_t end = length_.field_offset + length_.field_size;
  // The header almost always lies in the first chunk: read it in place.
  const absl::string_view first = buffer_.FirstChunk();
  if (first.size() >= end) {
    return LoadUnsigned(first.data() + length_.field_offset, length_.field_size,
                        length_.byte_order);
  }
  char field[8];
  buffer_.CopyTo(absl::Span<char>(field, length_.field_size),
                 length_.field_offset);
  return LoadUnsigned(field, length_.field_size, length_.byte_order);
}

FrameDecoder::Result FrameDecoder::TakePending(Rope* frame) {
  const size_t buffered = buffer_.size();
  if (buffered < pending_size_) return Result::kNeedMore;
  if (buffered == pending_size_) {
    // The frame is everything buffered: hand the buffer over whole instead
    // of cutting it (saves a Subrope and a RemovePrefix).
    *frame = std::move(buffer_);
    buffer_.Clear();
    frame->RemovePrefix(pending_strip_);
  } else {
    *frame = buffer_.Subrope(
        pending_strip_, static_cast<size_t>(pending_size_) - pending_strip_);
    buffer_.RemovePrefix(static_cast<size_t>(pending_size_));
  }
  pending_size_ = 0;
  return Result::kFrame;
}

FrameDecoder::Result FrameDecoder::NextLengthField(Rope* frame) {
  if (failed_) return Result::kError;
  if (pending_size_ == 0) {
    const size_t header = length_.field_offset + length_.field_size;
    if (buffer_.size() < header) return Result::kNeedMore;
    const uint64_t value = ReadLengthField();
    // size = value + up - down, exactly: up < 2^63 (header and adjustment
    // are at most 2^62 each) and down <= 2^63. The sum saturates at
    // UINT64_MAX, which then still exceeds every maximum (<= 2^62) after
    // subtracting down.
    const int64_t adjustment = length_.length_adjustment;
    const uint64_t up =
        (length_.length_counts_header ? 0 : header) +
        (adjustment > 0 ? static_cast<uint64_t>(adjustment) : 0);
    const uint64_t down = adjustment < 0 ? Magnitude(adjustment) : 0;
    const bool saturated = value > UINT64_MAX - up;
    const uint64_t sum = saturated ? UINT64_MAX : value + up;
    if (sum < header + down) {
      return Fail(absl::DataLossError(absl::StrCat(
          "length field value ", value, " gives a frame of ",
          sum < down ? "-" : "", sum < down ? down - sum : sum - down,
          " bytes, shorter than its ", header, "-byte header")));
    }
    const uint64_t total = sum - down;
    if (saturated || total > max_frame_size_) {
      return Fail(absl::ResourceExhaustedError(
          absl::StrCat("length field value ", value, " gives a frame of ",
                       saturated ? "over " : "", total,
                       " bytes, which exceeds the maximum frame size of ",
                       max_frame_size_, " bytes")));
    }
    const size_t strip =
        length_.bytes_to_strip == LengthFieldFraming::kStripThroughLengthField
            ? header
            : length_.bytes_to_strip;
    if (strip > total) {
      return Fail(absl::DataLossError(
          absl::StrCat("frame of ", total, " bytes is shorter than the ", strip,
                       " bytes to strip from it")));
    }
    pending_size_ = total;
    pending_strip_ = strip;
  }
  return TakePending(frame);
}

FrameDecoder::Result FrameDecoder::NextVarint(Rope* frame) {
  if (failed_) return Result::kError;
  if (pending_size_ == 0) {
    if (buffer_.empty()) return Result::kNeedMore;
    uint64_t value;
    size_t length;
    const absl::string_view first = buffer_.FirstChunk();
    DecodeStatus decoded = DecodeVarint64(first, &value, &length);
    if (decoded == DecodeStatus::kNeedMore && first.size() < buffer_.size()) {
      // The varint straddles chunks.
      decoded = DecodeVarint64(buffer_, 0, &value, &length);
    }
    if (decoded == DecodeStatus::kNeedMore) return Result::kNeedMore;
    if (decoded == DecodeStatus::kMalformed) {
      return Fail(absl::DataLossError(
          "malformed varint length prefix (more than 10 bytes or bits "
          "beyond 64)"));
    }
    // value <= max - length, written so that it cannot overflow.
    if (value > max_frame_size_ || length + value > max_frame_size_) {
      return Fail(absl::ResourceExhaustedError(
          absl::StrCat("varint length prefix declares ", value,
                       " bytes, more than the maximum frame size of ",
                       max_frame_size_, " bytes allows")));
    }
    pending_size_ = length + value;
    pending_strip_ = length;
  }
  return TakePending(frame);
}

FrameDecoder::Result FrameDecoder::NextDelimited(Rope* frame) {
  if (failed_) return Result::kError;  // only for invalid options
  const size_t d = delimiter_.size();
  auto find = [&](size_t from) {
    return d == 1 ? buffer_.Find(delimiter_[0], from)
                  : buffer_.Find(delimiter_, from);
  };
  // Drops what cannot be the start of a delimiter (all but the last d - 1
  // bytes) after a search that found none.
  auto drop_unmatched = [&] {
    if (buffer_.size() >= d) buffer_.RemovePrefix(buffer_.size() - (d - 1));
    scan_from_ = 0;
  };

  if (discarding_) {
    const size_t pos = find(scan_from_);
    if (pos == Rope::npos) {
      drop_unmatched();
      return Result::kNeedMore;
    }
    buffer_.RemovePrefix(pos + d);
    scan_from_ = 0;
    discarding_ = false;
  }

  const size_t pos = find(scan_from_);
  if (pos == Rope::npos) {
    if (buffer_.size() >= max_frame_size_ + d) {
      // Even a delimiter arriving next would end a frame over the maximum.
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("no delimiter within the maximum frame size of ",
                       max_frame_size_, " bytes"));
      discarding_ = true;
      drop_unmatched();
      return Result::kError;
    }
    // A delimiter may begin in the last d - 1 bytes and complete later.
    scan_from_ = buffer_.size() >= d ? buffer_.size() - (d - 1) : 0;
    return Result::kNeedMore;
  }
  scan_from_ = 0;
  if (pos > max_frame_size_) {
    status_ = absl::ResourceExhaustedError(absl::StrCat(
        "frame of ", pos, " bytes exceeds the maximum frame size of ",
        max_frame_size_, " bytes"));
    buffer_.RemovePrefix(pos + d);
    return Result::kError;
  }
  const size_t frame_size = strip_delimiter_ ? pos : pos + d;
  if (pos + d == buffer_.size()) {
    *frame = std::move(buffer_);
    buffer_.Clear();
    frame->RemoveSuffix(frame->size() - frame_size);
  } else {
    *frame = buffer_.Subrope(0, frame_size);
    buffer_.RemovePrefix(pos + d);
  }
  return Result::kFrame;
}

}  // namespace bytesio
