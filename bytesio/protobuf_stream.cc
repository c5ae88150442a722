// Copyright 2026 The bytesio Authors.

#include "bytesio/protobuf_stream.h"

#include <algorithm>
#include <cassert>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "google/protobuf/message_lite.h"

namespace bytesio {
namespace {

// The first and the largest new chunk RopeOutputStream asks for without a
// size hint: the Rope's own growth for appends (rope.cc, kMinGrowthBlock and
// kMaxGrowthBlock), so serializing costs the chunks appending would.
constexpr size_t kFirstOutputChunk = 256;
constexpr size_t kMaxOutputChunk = RopeBuffer::kDefaultLimit;

// ParseFromRope copies a multi-chunk message of at most this many bytes into
// a stack buffer and parses it with ParseFromArray: setting up protobuf's
// stream parser (ParseContext over a ZeroCopyInputStream, a virtual Next()
// per chunk, the 16-byte patch at each boundary) cost about 200 ns more than
// the flat parser in protobuf_benchmark, and copying 4 KiB costs about 100.
constexpr size_t kMaxBytesToCopyForParse = 4096;

// Protobuf refuses to serialize messages of 2 GiB or more (sizes are int).
constexpr size_t kMaxMessageSize = static_cast<size_t>(INT_MAX);

// Serializes `message`, whose size is `size`, into one new chunk appended to
// *out, after its varint length when `delimited`.
void AppendSerialized(const google::protobuf::MessageLite& message, size_t size,
                      bool delimited, Rope* out) {
  char header[kMaxVarint64Length];
  const size_t header_length =
      delimited ? static_cast<size_t>(EncodeVarint64(header, size) - header)
                : size_t{0};
  RopeBuffer buffer = RopeBuffer::CreateWithCapacity(header_length + size);
  char* data = buffer.data();
  if (header_length > 0) std::memcpy(data, header, header_length);
  message.SerializeWithCachedSizesToArray(
      reinterpret_cast<uint8_t*>(data + header_length));
  buffer.SetLength(header_length + size);
  out->Append(std::move(buffer));
}

bool AppendMessage(const google::protobuf::MessageLite& message, bool delimited,
                   Rope* out) {
  if (!message.IsInitialized()) return false;
  const size_t size = message.ByteSizeLong();
  if (size > kMaxMessageSize) return false;
  AppendSerialized(message, size, delimited, out);
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------
// RopeInputStream

RopeInputStream::RopeInputStream(const Rope& rope)
    : RopeInputStream(rope, 0, rope.size()) {}

RopeInputStream::RopeInputStream(const Rope& rope, size_t offset, size_t limit)
    : rope_(&rope) {
  if (offset > rope.size() || limit > rope.size() - offset) {
    status_ = absl::OutOfRangeError(absl::StrCat(
        "window [", offset, ", ", offset, " + ", limit,
        ") is beyond the end of a rope of ", rope.size(), " bytes"));
    return;  // reads nothing: cur_ == chunk_end_, position() == end_ == 0
  }
  begin_ = offset;
  end_ = offset + limit;
  it_ = rope.ChunksAt(offset);
  Load(*it_, offset);
}

void RopeInputStream::Load(absl::string_view chunk, size_t start) {
  chunk_ = chunk;
  chunk_start_ = start;
  cur_ = chunk.data();
  chunk_end_ =
      chunk.data() + std::min(chunk.size(), end_ > start ? end_ - start : 0);
}

void RopeInputStream::NextChunk() {
  assert(position() < end_);
  const size_t next_start = chunk_start_ + chunk_.size();
  ++it_;
  Load(*it_, next_start);
}

void RopeInputStream::SeekForward(size_t target) {
  assert(position() <= target && target <= end_);
  for (int walked = 0;; ++walked) {
    if (target - chunk_start_ <=
        static_cast<size_t>(chunk_end_ - chunk_.data())) {
      cur_ = chunk_.data() + (target - chunk_start_);
      return;
    }
    if (walked == kMaxChunksToWalk) break;
    cur_ = chunk_end_;
    NextChunk();
  }
  // Far: descend from the root to `target` instead of walking there.
  it_ = rope_->ChunksAt(target);
  Load(*it_, target);
}

bool RopeInputStream::Next(const void** data, int* size) {
  if (cur_ == chunk_end_) {
    if (position() >= end_) {
      last_size_ = 0;
      return false;
    }
    NextChunk();
  }
  const size_t n = std::min(static_cast<size_t>(chunk_end_ - cur_),
                            static_cast<size_t>(INT_MAX));
  *data = cur_;
  *size = static_cast<int>(n);
  cur_ += n;
  last_size_ = static_cast<int>(n);
  return true;
}

void RopeInputStream::BackUp(int count) {
  assert(count >= 0 && count <= last_size_);
  cur_ -= count;
  last_size_ = 0;
}

bool RopeInputStream::Skip(int count) {
  last_size_ = 0;
  if (count < 0) return false;
  const size_t n = static_cast<size_t>(count);
  if (n <= static_cast<size_t>(chunk_end_ - cur_)) {
    cur_ += n;
    return true;
  }
  if (n > remaining()) {
    SeekForward(end_);
    return false;
  }
  SeekForward(position() + n);
  return true;
}

// ---------------------------------------------------------------------------
// RopeOutputStream

RopeOutputStream::RopeOutputStream(Rope* rope, size_t size_hint)
    : rope_(rope),
      size_hint_(std::min(size_hint, kMaxMessageSize)),
      next_capacity_(kFirstOutputChunk) {}

RopeOutputStream::~RopeOutputStream() { Flush(); }

void RopeOutputStream::Flush() {
  // Always re-append: the buffer may hold the Rope's own tail bytes.
  rope_->Append(std::move(buffer_));
  last_size_ = 0;
}

bool RopeOutputStream::Next(void** data, int* size) {
  if (buffer_.available().empty()) {
    rope_->Append(std::move(buffer_));  // full (or none yet)
    if (size_hint_ > kMaxOutputChunk) {
      buffer_ = RopeBuffer::CreateWithCapacity(size_hint_);
    } else if (size_hint_ > 0) {
      // The tail room only if the whole hint fits there.
      buffer_ = rope_->GetAppendBuffer(size_hint_, size_hint_);
    } else {
      // The private tail room of the Rope's last chunk if it has any (the
      // buffer then starts with that chunk's bytes), else a new chunk.
      buffer_ = rope_->GetAppendBuffer(next_capacity_);
    }
    size_hint_ = 0;
    next_capacity_ =
        std::clamp(2 * buffer_.capacity(), kFirstOutputChunk, kMaxOutputChunk);
  }
  absl::Span<char> room = buffer_.available();
  const size_t n = std::min(room.size(), static_cast<size_t>(INT_MAX));
  buffer_.IncreaseLength(n);
  byte_count_ += static_cast<int64_t>(n);
  *data = room.data();
  *size = static_cast<int>(n);
  last_size_ = static_cast<int>(n);
  return true;
}

void RopeOutputStream::BackUp(int count) {
  assert(count >= 0 && count <= last_size_);
  buffer_.SetLength(buffer_.length() - static_cast<size_t>(count));
  byte_count_ -= count;
  last_size_ = 0;
}

// ---------------------------------------------------------------------------
// Messages

bool ParseFromRope(const Rope& rope, google::protobuf::MessageLite* message) {
  if (std::optional<absl::string_view> flat = rope.TryFlat()) {
    if (flat->size() > kMaxMessageSize) return false;
    return message->ParseFromArray(flat->data(),
                                   static_cast<int>(flat->size()));
  }
  if (rope.size() <= kMaxBytesToCopyForParse) {
    char buffer[kMaxBytesToCopyForParse];
    rope.CopyTo(absl::MakeSpan(buffer, rope.size()));
    return message->ParseFromArray(buffer, static_cast<int>(rope.size()));
  }
  RopeInputStream input(rope);
  return message->ParseFromZeroCopyStream(&input);
}

bool AppendToRope(const google::protobuf::MessageLite& message, Rope* out) {
  return AppendMessage(message, /*delimited=*/false, out);
}

Rope SerializeToRope(const google::protobuf::MessageLite& message) {
  Rope rope;
  if (!AppendToRope(message, &rope)) rope.Clear();
  return rope;
}

bool AppendDelimitedToRope(const google::protobuf::MessageLite& message,
                           Rope* out) {
  return AppendMessage(message, /*delimited=*/true, out);
}

absl::Status ParseDelimitedFromRope(Rope* rope,
                                    google::protobuf::MessageLite* message,
                                    size_t max_message_size) {
  if (rope->empty()) {
    return absl::OutOfRangeError("no delimited message: the rope is empty");
  }
  // A frame is the minimal varint of its length plus the message, so this
  // frame limit admits exactly the messages of at most max_message_size
  // bytes with a minimal length (the encoding protobuf writes), and refuses
  // a longer one as soon as its length is read.
  max_message_size = std::min<uint64_t>(
      max_message_size, FrameDecoder::kMaxFrameSizeLimit - kMaxVarint64Length);
  FrameDecoder decoder(VarintFraming{},
                       max_message_size + VarintLength(max_message_size));
  // The decoder takes the Rope (an empty buffer adopts it, no copy); the
  // original is kept (one reference) to restore it exactly on any error.
  Rope original = *rope;
  decoder.Append(std::move(*rope));
  Rope frame;
  switch (decoder.Next(&frame)) {
    case FrameDecoder::Result::kFrame:
      break;
    case FrameDecoder::Result::kNeedMore:
      *rope = std::move(original);
      return absl::DataLossError(absl::StrCat(
          "truncated delimited message: the rope of ", rope->size(),
          " bytes ends inside the length or the message"));
    case FrameDecoder::Result::kError:
      *rope = std::move(original);
      return decoder.status();
  }
  if (!ParseFromRope(frame, message)) {
    *rope = std::move(original);
    return absl::DataLossError(
        absl::StrCat("malformed protobuf message of ", frame.size(),
                     " bytes (or missing required fields)"));
  }
  *rope = decoder.buffered();
  return absl::OkStatus();
}

}  // namespace bytesio
