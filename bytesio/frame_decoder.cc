// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_decoder.h"

#include <cassert>

#include "absl/strings/str_cat.h"

namespace bytesio {

FrameDecoder::FrameDecoder(const LengthFieldFraming& framing,
                           size_t max_frame_size)
    : kind_(Kind::kLengthField),
      max_frame_size_(max_frame_size),
      length_(framing) {
  assert(framing.field_size >= 1 && framing.field_size <= 8);
  assert(framing.field_offset < kMaxFrameSizeLimit);
  assert(framing.length_adjustment < static_cast<int64_t>(kMaxFrameSizeLimit) &&
         framing.length_adjustment > -static_cast<int64_t>(kMaxFrameSizeLimit));
  assert(max_frame_size >= 1 && max_frame_size <= kMaxFrameSizeLimit);
}

FrameDecoder::FrameDecoder(VarintFraming /*framing*/, size_t max_frame_size)
    : kind_(Kind::kVarint), max_frame_size_(max_frame_size) {
  assert(max_frame_size >= 1 && max_frame_size <= kMaxFrameSizeLimit);
}

FrameDecoder::FrameDecoder(DelimiterFraming framing, size_t max_frame_size)
    : kind_(Kind::kDelimiter),
      max_frame_size_(max_frame_size),
      delimiter_(std::move(framing.delimiter)),
      strip_delimiter_(framing.strip_delimiter) {
  assert(!delimiter_.empty());
  assert(max_frame_size >= 1 && max_frame_size <= kMaxFrameSizeLimit);
}

void FrameDecoder::Reset() {
  buffer_.Clear();
  pending_size_ = 0;
  pending_strip_ = 0;
  scan_from_ = 0;
  failed_ = false;
  discarding_ = false;
  status_ = absl::OkStatus();
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
    // Checked before any arithmetic, so that the sum below cannot overflow
    // (all three terms are below 2^62).
    if (value > kMaxFrameSizeLimit) {
      return Fail(absl::ResourceExhaustedError(absl::StrCat(
          "length field value ", value, " exceeds the maximum frame size of ",
          max_frame_size_, " bytes")));
    }
    const int64_t total =
        static_cast<int64_t>(value) + length_.length_adjustment +
        (length_.length_counts_header ? 0 : static_cast<int64_t>(header));
    if (total < static_cast<int64_t>(header)) {
      return Fail(absl::DataLossError(absl::StrCat(
          "length field value ", value, " gives a frame of ", total,
          " bytes, shorter than its ", header, "-byte header")));
    }
    if (static_cast<uint64_t>(total) > max_frame_size_) {
      return Fail(absl::ResourceExhaustedError(absl::StrCat(
          "frame of ", total, " bytes exceeds the maximum frame size of ",
          max_frame_size_, " bytes")));
    }
    const size_t strip =
        length_.bytes_to_strip == LengthFieldFraming::kStripThroughLengthField
            ? header
            : length_.bytes_to_strip;
    if (strip > static_cast<uint64_t>(total)) {
      return Fail(absl::DataLossError(
          absl::StrCat("frame of ", total, " bytes is shorter than the ", strip,
                       " bytes to strip from it")));
    }
    pending_size_ = static_cast<uint64_t>(total);
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
