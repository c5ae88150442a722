// Copyright 2026 The bytesio Authors.

#include "bytesio/frame_decoder.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

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

absl::Status ValidateFraming(const FixedLengthFraming& framing) {
  if (framing.length == 0) {
    return absl::InvalidArgumentError(
        "FixedLengthFraming.length is 0; it must be at least 1");
  }
  return absl::OkStatus();
}

namespace {

absl::Status CheckOptions(const LengthFieldFraming& framing,
                          size_t max_frame_size) {
  absl::Status status = ValidateFraming(framing);
  if (status.ok()) status = ValidateMaxFrameSize(max_frame_size);
  if (status.ok() &&
      framing.field_offset + framing.field_size > max_frame_size) {
    status = absl::InvalidArgumentError(
        absl::StrCat("max_frame_size is ", max_frame_size, ", less than the ",
                     framing.field_offset + framing.field_size,
                     "-byte header: no frame could fit"));
  }
  return status;
}

absl::Status CheckOptions(const DelimiterFraming& framing,
                          size_t max_frame_size) {
  absl::Status status = ValidateFraming(framing);
  if (status.ok()) status = ValidateMaxFrameSize(max_frame_size);
  return status;
}

absl::Status CheckOptions(const FixedLengthFraming& framing,
                          size_t max_frame_size) {
  absl::Status status = ValidateFraming(framing);
  if (status.ok()) status = ValidateMaxFrameSize(max_frame_size);
  if (status.ok() && framing.length > max_frame_size) {
    status = absl::InvalidArgumentError(
        absl::StrCat("FixedLengthFraming.length is ", framing.length,
                     ", more than max_frame_size ", max_frame_size));
  }
  return status;
}

}  // namespace

FrameDecoder::FrameDecoder(const LengthFieldFraming& framing,
                           size_t max_frame_size)
    : kind_(Kind::kLengthField),
      options_status_(CheckOptions(framing, max_frame_size)),
      max_frame_size_(max_frame_size),
      length_(framing) {
  Reset();
}

FrameDecoder::FrameDecoder(VarintFraming /*framing*/, size_t max_frame_size)
    : kind_(Kind::kVarint),
      options_status_(ValidateMaxFrameSize(max_frame_size)),
      max_frame_size_(max_frame_size) {
  Reset();
}

FrameDecoder::FrameDecoder(DelimiterFraming framing, size_t max_frame_size)
    : kind_(Kind::kDelimiter),
      options_status_(CheckOptions(framing, max_frame_size)),
      max_frame_size_(max_frame_size) {
  delimiter_ = std::move(framing.delimiter);
  strip_delimiter_ = framing.strip_delimiter;
  Reset();
}

FrameDecoder::FrameDecoder(FixedLengthFraming framing, size_t max_frame_size)
    : kind_(Kind::kFixed),
      options_status_(CheckOptions(framing, max_frame_size)),
      max_frame_size_(max_frame_size),
      fixed_length_(framing.length) {
  Reset();
}

absl::Status FrameDecoder::SetFraming(const LengthFieldFraming& framing) {
  absl::Status status = CheckOptions(framing, max_frame_size_);
  if (!status.ok()) return status;
  kind_ = Kind::kLengthField;
  length_ = framing;
  Resume();
  return absl::OkStatus();
}

absl::Status FrameDecoder::SetFraming(VarintFraming /*framing*/) {
  absl::Status status = ValidateMaxFrameSize(max_frame_size_);
  if (!status.ok()) return status;
  kind_ = Kind::kVarint;
  Resume();
  return absl::OkStatus();
}

absl::Status FrameDecoder::SetFraming(DelimiterFraming framing) {
  absl::Status status = CheckOptions(framing, max_frame_size_);
  if (!status.ok()) return status;
  kind_ = Kind::kDelimiter;
  delimiter_ = std::move(framing.delimiter);
  strip_delimiter_ = framing.strip_delimiter;
  Resume();
  return absl::OkStatus();
}

absl::Status FrameDecoder::SetFraming(FixedLengthFraming framing) {
  absl::Status status = CheckOptions(framing, max_frame_size_);
  if (!status.ok()) return status;
  kind_ = Kind::kFixed;
  fixed_length_ = framing.length;
  Resume();
  return absl::OkStatus();
}

void FrameDecoder::ClearFrameState() {
  pending_size_ = 0;
  pending_strip_ = 0;
  pending_body_ = 0;
  scan_from_ = 0;
  discarding_ = false;
}

void FrameDecoder::ChooseFastHeader() {
  fast_header_ = FastHeader::kNone;
  if (kind_ == Kind::kVarint) {
    fast_header_ = FastHeader::kVarint;
  } else if (kind_ == Kind::kLengthField && length_.field_offset == 0 &&
             length_.field_size == 4 && !length_.length_counts_header &&
             length_.length_adjustment == 0 &&
             (length_.bytes_to_strip ==
                  LengthFieldFraming::kStripThroughLengthField ||
              length_.bytes_to_strip == 4)) {
    fast_header_ = length_.byte_order == ByteOrder::kBigEndian
                       ? FastHeader::kBigEndian32
                       : FastHeader::kLittleEndian32;
  }
}

void FrameDecoder::Resume() {
  ChooseFastHeader();
  options_status_ = absl::OkStatus();
  failed_ = false;
  status_ = absl::OkStatus();
  ClearFrameState();
}

void FrameDecoder::Reset() {
  ChooseFastHeader();
  buffer_.Clear();
  consumed_ = 0;
  cursor_.valid = false;
  ClearFrameState();
  failed_ = !options_status_.ok();
  status_ = options_status_;
}

void FrameDecoder::Append(absl::string_view data) {
  // The common case of a stream arriving in pieces: the piece fits the room
  // of the buffer's private tail chunk. Written there it adds no chunk and
  // changes no tree shape, so the cursor stays valid (extended to the new
  // bytes) and the consumed bytes of its chunk go with the whole chunk
  // later, instead of a RemovePrefix and a new descent per piece.
  if (cursor_.valid && consumed_ < first_chunk_end_) {
    const size_t old_size = buffer_.size();
    const size_t n = buffer_.AppendInPlace(data);
    if (n == data.size()) {
      cursor_.reader.Extend();
      if (first_chunk_end_ == old_size) first_chunk_end_ += n;
      return;
    }
    data.remove_prefix(n);
  }
  BeforeAppend();
  buffer_.Append(data);
}

void FrameDecoder::RebuildReader() {
  cursor_.reader.Reset(buffer_, consumed_);
  cursor_.valid = true;
  first_chunk_end_ = consumed_ + cursor_.reader.PeekChunk().size();
}

void FrameDecoder::Compact() const {
  if (consumed_ == 0) return;
  if (consumed_ == buffer_.size()) {
    buffer_.Clear();
  } else {
    buffer_.RemovePrefix(consumed_);
  }
  consumed_ = 0;
  cursor_.valid = false;
}

Rope FrameDecoder::TakeBuffered() {
  Compact();
  Rope rest = std::move(buffer_);
  buffer_.Clear();
  cursor_.valid = false;
  ClearFrameState();
  return rest;
}

FrameDecoder::Result FrameDecoder::Fail(absl::Status status) {
  failed_ = true;
  status_ = std::move(status);
  return Result::kError;
}

FrameDecoder::Result FrameDecoder::Prepare() {
  if (failed_) return Result::kError;
  if (cursor_.valid && consumed_ >= first_chunk_end_) Compact();
  RopeReader& reader = Reader();
  if (pending_size_ == 0) {
    Result parsed = Result::kFrame;
    switch (kind_) {
      case Kind::kLengthField:
        parsed = PrepareLengthField(reader);
        break;
      case Kind::kVarint:
        parsed = PrepareVarint(reader);
        break;
      case Kind::kDelimiter:
        return PrepareDelimited(reader);
      case Kind::kFixed:
        pending_size_ = fixed_length_;
        pending_strip_ = 0;
        pending_body_ = fixed_length_;
        break;
    }
    if (parsed != Result::kFrame) return parsed;
  }
  return reader.remaining() >= pending_size_ ? Result::kFrame
                                             : Result::kNeedMore;
}

FrameDecoder::Result FrameDecoder::PrepareLengthField(RopeReader& reader) {
  const size_t header = length_.field_offset + length_.field_size;
  if (reader.remaining() < header) return Result::kNeedMore;
  // The header almost always lies in the current chunk: Peek reads it in
  // place there and copies across a boundary otherwise.
  char field[8];
  reader.Peek(absl::Span<char>(field, length_.field_size),
              length_.field_offset);
  // The usual 4-byte field inline; other widths through LoadUnsigned.
  const uint64_t value =
      length_.field_size != 4
          ? LoadUnsigned(field, length_.field_size, length_.byte_order)
      : length_.byte_order == ByteOrder::kBigEndian
          ? LoadBigEndian<uint32_t>(field)
          : LoadLittleEndian<uint32_t>(field);
  // size = value + up - down, exactly: up < 2^63 (header and adjustment
  // are at most 2^62 each) and down <= 2^63. The sum saturates at
  // UINT64_MAX, which then still exceeds every maximum (<= 2^62) after
  // subtracting down.
  const int64_t adjustment = length_.length_adjustment;
  const uint64_t up = (length_.length_counts_header ? 0 : header) +
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
  pending_body_ = static_cast<size_t>(total) - strip;
  return Result::kFrame;
}

FrameDecoder::Result FrameDecoder::PrepareVarint(RopeReader& reader) {
  if (reader.AtEnd()) return Result::kNeedMore;
  const size_t start = reader.position();
  uint64_t value;
  const DecodeStatus decoded = reader.ReadVarint64(&value);
  if (decoded == DecodeStatus::kNeedMore) return Result::kNeedMore;
  if (decoded == DecodeStatus::kMalformed) {
    return Fail(absl::DataLossError(
        "malformed varint length prefix (more than 10 bytes or bits "
        "beyond 64)"));
  }
  const size_t length = reader.position() - start;
  reader.Retreat(length);  // back to the frame start: O(1) in one chunk
  // value <= max - length, written so that it cannot overflow.
  if (value > max_frame_size_ || length + value > max_frame_size_) {
    return Fail(absl::ResourceExhaustedError(
        absl::StrCat("varint length prefix declares ", value,
                     " bytes, more than the maximum frame size of ",
                     max_frame_size_, " bytes allows")));
  }
  pending_size_ = length + value;
  pending_strip_ = length;
  pending_body_ = static_cast<size_t>(value);
  return Result::kFrame;
}

FrameDecoder::Result FrameDecoder::PrepareDelimited(RopeReader& reader) {
  const size_t d = delimiter_.size();
  // Drops what cannot be the start of a delimiter (all but the last d - 1
  // bytes) after a search that found none.
  auto drop_unmatched = [&] {
    if (reader.remaining() >= d) {
      reader.Skip(reader.remaining() - (d - 1));
      consumed_ = reader.position();
    }
    scan_from_ = 0;
  };

  if (discarding_) {
    const size_t pos = reader.Find(delimiter_, scan_from_);
    if (pos == RopeReader::npos) {
      drop_unmatched();
      return Result::kNeedMore;
    }
    reader.Skip(pos + d);
    consumed_ = reader.position();
    scan_from_ = 0;
    discarding_ = false;
  }

  const size_t pos = reader.Find(delimiter_, scan_from_);
  if (pos == RopeReader::npos) {
    if (reader.remaining() >= max_frame_size_ + d) {
      // Even a delimiter arriving next would end a frame over the maximum.
      status_ = absl::ResourceExhaustedError(
          absl::StrCat("no delimiter within the maximum frame size of ",
                       max_frame_size_, " bytes"));
      discarding_ = true;
      drop_unmatched();
      return Result::kError;
    }
    // A delimiter may begin in the last d - 1 bytes and complete later.
    scan_from_ = reader.remaining() >= d ? reader.remaining() - (d - 1) : 0;
    return Result::kNeedMore;
  }
  scan_from_ = 0;
  if (pos > max_frame_size_) {
    status_ = absl::ResourceExhaustedError(absl::StrCat(
        "frame of ", pos, " bytes exceeds the maximum frame size of ",
        max_frame_size_, " bytes"));
    reader.Skip(pos + d);
    consumed_ = reader.position();
    return Result::kError;
  }
  pending_size_ = pos + d;
  pending_strip_ = 0;
  pending_body_ = strip_delimiter_ ? pos : pos + d;
  return Result::kFrame;
}

FrameDecoder::Result FrameDecoder::Next(Rope* frame) {
  size_t header, body;
  absl::string_view chunk;
  if (FastFrameAtCursor(&chunk, &header, &body)) {
    RopeReader& reader = cursor_.reader;
    reader.Skip(header);
    TakeBody(body, frame);  // in the chunk: no descent
    consumed_ += header + body;
    if (consumed_ >= first_chunk_end_) Compact();
    return Result::kFrame;
  }
  const Result prepared = Prepare();
  if (prepared != Result::kFrame) return prepared;
  if (consumed_ == 0 && pending_size_ == buffer_.size()) {
    // The frame is everything buffered: hand the buffer over whole instead
    // of cutting it (saves a Subrope).
    *frame = std::move(buffer_);
    buffer_.Clear();
    cursor_.valid = false;
    frame->RemovePrefix(pending_strip_);
    frame->RemoveSuffix(frame->size() - pending_body_);
    pending_size_ = 0;
  } else {
    RopeReader& reader = Reader();
    reader.Skip(pending_strip_);
    TakeBody(pending_body_, frame);
    FinishPending();
    // The frame holds its own references: release a consumed chunk now.
    if (consumed_ >= first_chunk_end_) Compact();
  }
  return Result::kFrame;
}

void FrameDecoder::TakeBody(size_t n, Rope* frame) {
  RopeReader& reader = cursor_.reader;
  if (n <= Rope::kMaxBytesToCopy) {
    // Copied, into the frame's own chunk when it has one (a loop reusing
    // one Rope allocates once): a shared slice would cost two atomic
    // operations, pin the received chunk for a few bytes, and make the
    // buffer's tail chunk shared, so that the next piece needs a new one.
    reader.ReadInto(absl::MakeSpan(frame->AssignUninitialized(n), n));
  } else {
    reader.Read(n, frame);
  }
}

void FrameDecoder::FinishPending() {
  RopeReader& reader = cursor_.reader;
  reader.Skip(static_cast<size_t>(pending_size_) - pending_strip_ -
              pending_body_);
  consumed_ = reader.position();
  pending_size_ = 0;
}

FrameDecoder::Result FrameDecoder::NextSize(size_t* size) {
  size_t header, body;
  absl::string_view chunk;
  if (FastFrameAtCursor(&chunk, &header, &body)) {
    // Prepared as Prepare would leave it: the cursor at the frame's start.
    pending_size_ = header + body;
    pending_strip_ = header;
    pending_body_ = body;
    *size = body;
    return Result::kFrame;
  }
  const Result prepared = Prepare();
  if (prepared == Result::kFrame) *size = pending_body_;
  return prepared;
}

void FrameDecoder::TakeInto(char* dest) {
  // A frame prepared by NextSize: its size parsed and all of it buffered
  // (appends since keep both; the cursor is rebuilt at its first byte).
  if (ABSL_PREDICT_FALSE(pending_size_ == 0 || failed_ ||
                         Reader().remaining() < pending_size_)) {
    std::fprintf(stderr,
                 "bytesio: FrameDecoder::TakeInto without a frame from "
                 "NextSize\n");
    std::abort();
  }
  RopeReader& reader = cursor_.reader;
  reader.Skip(pending_strip_);
  reader.ReadInto(absl::MakeSpan(dest, pending_body_));
  FinishPending();
  // dest holds a copy: release a consumed chunk now.
  if (consumed_ >= first_chunk_end_) Compact();
}

uint64_t FrameDecoder::missing() const {
  if (failed_ || pending_size_ == 0) return 0;
  const uint64_t buffered = buffer_.size() - consumed_;
  return pending_size_ > buffered ? pending_size_ - buffered : 0;
}

FrameDecoder::Result FrameDecoder::NextView(absl::string_view* frame) {
  size_t header, body;
  absl::string_view chunk;
  if (FastFrameAtCursor(&chunk, &header, &body)) {
    *frame = absl::string_view(chunk.data() + header, body);
    cursor_.reader.Skip(header + body);  // in the chunk: a pointer move
    consumed_ += header + body;
    return Result::kFrame;
  }
  const Result prepared = Prepare();
  if (prepared != Result::kFrame) return prepared;
  RopeReader& reader = Reader();
  reader.Skip(pending_strip_);
  reader.ReadView(pending_body_, &scratch_, frame);
  FinishPending();
  return Result::kFrame;
}

}  // namespace bytesio
