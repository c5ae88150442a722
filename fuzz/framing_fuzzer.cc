// Copyright 2026 The bytesio Authors.
//
// Fuzz target for the framing layer: FrameDecoder with every framing, and
// the varint / endian readers, fed arbitrary bytes in arbitrary pieces.
//
//   [mode: IntInRange(0, 7)]
//   mode 0-2 (length field, varint, delimiter framing), and 4-6 the same
//   with hostile options (any width, offset, adjustment, maximum and
//   delimiter, valid or not; see HostileOptions):
//     [framing parameters] [max frame size]
//     then repeatedly: [action: IntInRange(0, 9)] [its arguments]
//       0-4 append a piece of input bytes (as bytes, as an input-fragmented
//           Rope, or into mutable_buffer()), then drain the decoder
//       5   Reset        6  continue with a copy of the decoder
//       7   append a well-formed frame around input bytes, then drain
//       8   SetFraming: switch to any framing, fixed length included,
//           keeping the buffered bytes (a mode switch between frames)
//       9   TakeBuffered
//     every drain takes each frame by Next, NextView or NextSize +
//     TakeInto (IntInRange(0, 2) per frame), and checks missing() at kNeedMore
//   mode 3 or 7 (readers): [size] [bytes] [BuildRope decisions]
//     then repeatedly: [op: Byte() % 20] [its arguments]: typed reads,
//     Skip/Seek/Retreat, Read/ReadInto/Peek, PeekChunk, cursors at an
//     offset, Find/ReadUntil(View), PeekView/ReadView, length-delimited,
//     ReadUnsigned, and the BytesIO wrappers
//
// Options span the valid and the invalid: widths 0-9 and SIZE_MAX, offsets
// up to and past 2^62, adjustments around 0, +-2^62 and the int64 extremes,
// maximum frame sizes around the header, 1, 2^62 and past it, and empty
// delimiters.
//
// Checks: the decoder agrees step by step with a plain reference decoder
// over std::string (result, frame bytes, error code, and every byte it
// keeps buffered), whose frame sizes are computed in 128 bits; invalid
// options fail every Next() with InvalidArgument, also after Reset; it never
// buffers more than the configured maximum allows once drained, and never
// returns a frame over the maximum; every decoded frame re-encodes
// (FrameWriter, AppendVarintFrame, body + delimiter) to exactly the bytes it
// was decoded from. FrameWriter's length values match 128-bit arithmetic,
// an invalid framing or an output drained below the open frame's header
// leaves the output as it was. The readers agree with reference
// decoders on every position, value and three-way status; raw-memory
// decoding gets exactly sized heap copies, so ASan catches any over-read.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/bytes_io_coding.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/frame_writer.h"
#include "bytesio/internal/rope_access.h"
#include "bytesio/rope.h"
#include "bytesio/rope_reader.h"
#include "fuzz/fuzz_util.h"

namespace bytesio {
namespace fuzz {
namespace {

using Result = FrameDecoder::Result;

// kFixed is reached only by switching (action 8), so that the first byte's
// layout (mode % 4 == 3: readers) stays as the seeds were written.
enum class Mode { kLengthField, kVarint, kDelimiter, kFixed };

// ---------------------------------------------------------------------------
// Reference decoders, written from the contracts in coding.h and
// frame_decoder.h with no shared code.

// LEB128 with the documented limits: at most 5 (10) bytes; the last allowed
// byte must not continue and must not carry bits beyond bit 31 (63).
DecodeStatus RefVarint(absl::string_view in, int bits, uint64_t* value,
                       size_t* length) {
  const size_t max_length =
      bits == 32 ? kMaxVarint32Length : kMaxVarint64Length;
  uint64_t v = 0;
  for (size_t i = 0; i < max_length; ++i) {
    if (i == in.size()) return DecodeStatus::kNeedMore;
    const uint8_t byte = static_cast<uint8_t>(in[i]);
    const uint64_t group = byte & 0x7F;
    if (i == max_length - 1 &&
        ((byte & 0x80) != 0 ||
         (group >> (bits - 7 * static_cast<int>(i))) != 0)) {
      return DecodeStatus::kMalformed;
    }
    v |= group << (7 * i);
    if ((byte & 0x80) == 0) {
      *value = v;
      *length = i + 1;
      return DecodeStatus::kOk;
    }
  }
  return DecodeStatus::kMalformed;  // not reached: the last byte decides
}

uint64_t RefLoad(absl::string_view bytes, bool big_endian) {
  uint64_t v = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const uint64_t byte = static_cast<uint8_t>(bytes[i]);
    v |= byte << (8 * (big_endian ? bytes.size() - 1 - i : i));
  }
  return v;
}

constexpr __int128 kLimit = __int128{1} << 62;  // kMaxFrameSizeLimit

// The framing rules of ValidateFraming, restated.
bool RefValidFraming(const LengthFieldFraming& f) {
  return f.field_size >= 1 && f.field_size <= 8 &&
         static_cast<__int128>(f.field_offset) + f.field_size <= kLimit &&
         f.length_adjustment > -kLimit && f.length_adjustment < kLimit;
}

// What a FrameDecoder accepts (frame_decoder.h, the constructors).
bool RefValidOptions(Mode mode, const LengthFieldFraming& f,
                     const std::string& delimiter, size_t max,
                     size_t fixed = 0) {
  if (max < 1 || max > kLimit) return false;
  switch (mode) {
    case Mode::kFixed:
      return fixed >= 1 && fixed <= max;
    case Mode::kLengthField:
      return RefValidFraming(f) && f.field_offset + f.field_size <= max;
    case Mode::kVarint:
      return true;
    case Mode::kDelimiter:
      return !delimiter.empty();
  }
  return false;
}

class ReferenceDecoder {
 public:
  ReferenceDecoder(Mode mode, const LengthFieldFraming& length,
                   std::string delimiter, bool strip, size_t max)
      : mode_(mode),
        length_(length),
        delimiter_(std::move(delimiter)),
        strip_(strip),
        max_(max),
        invalid_(!RefValidOptions(mode_, length_, delimiter_, max_)) {
    Reset();
  }

  void Append(absl::string_view data) {
    buffer_.append(data.data(), data.size());
  }
  // FrameDecoder::SetFraming: false (nothing changed) for invalid options;
  // else the new framing, no error, the bytes kept.
  bool SetFraming(Mode mode, const LengthFieldFraming& length,
                  const std::string& delimiter, bool strip, size_t fixed) {
    if (!RefValidOptions(mode, length, delimiter, max_, fixed)) return false;
    mode_ = mode;
    length_ = length;
    delimiter_ = delimiter;
    strip_ = strip;
    fixed_ = fixed;
    invalid_ = false;
    failed_ = false;
    discarding_ = false;
    code_ = absl::StatusCode::kOk;
    return true;
  }
  // FrameDecoder::TakeBuffered: the bytes go, the framing and error stay.
  std::string TakeBuffered() {
    std::string rest = std::move(buffer_);
    buffer_.clear();
    discarding_ = false;
    return rest;
  }
  // Invalid options stay: the configuration is kept.
  void Reset() {
    buffer_.clear();
    failed_ = invalid_;
    code_ =
        invalid_ ? absl::StatusCode::kInvalidArgument : absl::StatusCode::kOk;
    discarding_ = false;
  }
  const std::string& buffered() const { return buffer_; }
  absl::StatusCode code() const { return code_; }
  bool invalid() const { return invalid_; }

  // On kFrame sets *frame and *raw (the frame's bytes in the stream).
  Result Next(std::string* frame, std::string* raw) {
    if (invalid_) return Result::kError;
    switch (mode_) {
      case Mode::kLengthField:
        return NextLength(frame, raw);
      case Mode::kVarint:
        return NextVarint(frame, raw);
      case Mode::kDelimiter:
        return NextDelimited(frame, raw);
      case Mode::kFixed:
        return Take(fixed_, 0, frame, raw);
    }
    return Result::kNeedMore;
  }

 private:
  Result Fail(absl::StatusCode code) {
    failed_ = true;
    code_ = code;
    return Result::kError;
  }

  Result Take(size_t total, size_t strip, std::string* frame,
              std::string* raw) {
    if (buffer_.size() < total) return Result::kNeedMore;
    *raw = buffer_.substr(0, total);
    *frame = raw->substr(strip);
    buffer_.erase(0, total);
    return Result::kFrame;
  }

  Result NextLength(std::string* frame, std::string* raw) {
    if (failed_) return Result::kError;
    const size_t header = length_.field_offset + length_.field_size;
    if (buffer_.size() < header) return Result::kNeedMore;
    const uint64_t value =
        RefLoad(absl::string_view(buffer_).substr(length_.field_offset,
                                                  length_.field_size),
                length_.byte_order == ByteOrder::kBigEndian);
    // Exact: any value with any adjustment (a huge value brought back into
    // range by a huge negative adjustment is an ordinary frame).
    const __int128 total =
        static_cast<__int128>(value) + length_.length_adjustment +
        (length_.length_counts_header ? 0 : static_cast<__int128>(header));
    if (total < static_cast<__int128>(header)) {
      return Fail(absl::StatusCode::kDataLoss);
    }
    if (total > static_cast<__int128>(max_)) {
      return Fail(absl::StatusCode::kResourceExhausted);
    }
    const size_t strip =
        length_.bytes_to_strip == LengthFieldFraming::kStripThroughLengthField
            ? header
            : length_.bytes_to_strip;
    if (static_cast<__int128>(strip) > total) {
      return Fail(absl::StatusCode::kDataLoss);
    }
    return Take(static_cast<size_t>(total), strip, frame, raw);
  }

  Result NextVarint(std::string* frame, std::string* raw) {
    if (failed_) return Result::kError;
    uint64_t value;
    size_t length;
    switch (RefVarint(buffer_, 64, &value, &length)) {
      case DecodeStatus::kNeedMore:
        return Result::kNeedMore;
      case DecodeStatus::kMalformed:
        return Fail(absl::StatusCode::kDataLoss);
      case DecodeStatus::kOk:
        break;
    }
    const __int128 total = static_cast<__int128>(value) + length;
    if (total > static_cast<__int128>(max_)) {
      return Fail(absl::StatusCode::kResourceExhausted);
    }
    return Take(static_cast<size_t>(total), length, frame, raw);
  }

  // Netty's DelimiterBasedFrameDecoder rules as frame_decoder.h states them:
  // a frame is the bytes before the first delimiter; more than the maximum
  // before it is an error that drops the frame; max + d bytes with no
  // delimiter is an error that discards up to the next delimiter.
  Result NextDelimited(std::string* frame, std::string* raw) {
    const size_t d = delimiter_.size();
    auto keep_possible_start = [&] {
      if (buffer_.size() >= d) buffer_.erase(0, buffer_.size() - (d - 1));
    };
    if (discarding_) {
      const size_t pos = buffer_.find(delimiter_);
      if (pos == std::string::npos) {
        keep_possible_start();
        return Result::kNeedMore;
      }
      buffer_.erase(0, pos + d);
      discarding_ = false;
    }
    const size_t pos = buffer_.find(delimiter_);
    if (pos == std::string::npos) {
      if (buffer_.size() >= max_ + d) {
        code_ = absl::StatusCode::kResourceExhausted;
        discarding_ = true;
        keep_possible_start();
        return Result::kError;
      }
      return Result::kNeedMore;
    }
    if (pos > max_) {
      code_ = absl::StatusCode::kResourceExhausted;
      buffer_.erase(0, pos + d);
      return Result::kError;
    }
    *raw = buffer_.substr(0, pos + d);
    *frame = strip_ ? buffer_.substr(0, pos) : *raw;
    buffer_.erase(0, pos + d);
    return Result::kFrame;
  }

  Mode mode_;
  LengthFieldFraming length_;
  std::string delimiter_;
  bool strip_;
  size_t max_;
  size_t fixed_ = 0;
  bool invalid_;  // options a FrameDecoder refuses
  std::string buffer_;
  bool failed_ = false;
  bool discarding_ = false;
  absl::StatusCode code_ = absl::StatusCode::kOk;
};

// ---------------------------------------------------------------------------
// Decoder harness.

class DecoderHarness {
 public:
  DecoderHarness(FuzzInput& in, ReleaseCounter* counter)
      : in_(in), counter_(*counter) {}

  // hostile: options from the whole range, valid or not (else the usual
  // valid ones, a layout the seeds were written in).
  void Run(Mode mode, bool hostile) {
    mode_ = mode;
    hostile_ = hostile;
    std::string delimiter;
    bool strip = true;
    if (hostile) {
      HostileOptions();
      delimiter = delimiter_;
      strip = strip_;
    } else if (mode == Mode::kLengthField) {
      length_.field_offset = in_.IntInRange<size_t>(0, 3);
      length_.field_size = in_.IntInRange<size_t>(1, 8);
      length_.byte_order =
          in_.Bool() ? ByteOrder::kBigEndian : ByteOrder::kLittleEndian;
      length_.length_counts_header = in_.Bool();
      switch (in_.IntInRange(0, 3)) {
        case 0:
          length_.length_adjustment = 0;
          break;
        case 1:
          length_.length_adjustment = in_.IntInRange<int64_t>(-16, 16);
          break;
        default: {  // anything the contract allows: |adj| < 2^62
          const int64_t limit =
              static_cast<int64_t>(FrameDecoder::kMaxFrameSizeLimit) - 1;
          length_.length_adjustment = in_.IntInRange<int64_t>(-limit, limit);
          break;
        }
      }
      length_.bytes_to_strip =
          in_.Bool() ? LengthFieldFraming::kStripThroughLengthField
                     : in_.IntInRange<size_t>(0, 16);
      header_size_ = length_.field_offset + length_.field_size;
    } else if (mode == Mode::kVarint) {
      header_size_ = kMaxVarint64Length;
    } else {
      delimiter = in_.Bytes(in_.IntInRange<size_t>(1, 8));
      if (delimiter.empty()) delimiter = "\n";
      strip = in_.Bool();
      delimiter_ = delimiter;
      strip_ = strip;
    }
    if (!hostile) {
      switch (in_.IntInRange(0, 3)) {
        case 0:
          max_ = in_.IntInRange<size_t>(1, 16);
          break;
        case 1:
          max_ = in_.IntInRange<size_t>(1, 600);
          break;
        case 2:
          max_ = in_.IntInRange<size_t>(1, 70000);
          break;
        default:
          max_ = FrameDecoder::kDefaultMaxFrameSize;
          break;
      }
    }

    FrameDecoder decoder = MakeDecoder();
    ReferenceDecoder ref(mode, length_, delimiter, strip, max_);
    FUZZ_CHECK(decoder.status().code() == ref.code());
    if (mode == Mode::kLengthField) {
      FUZZ_CHECK(ValidateFraming(length_).ok() == RefValidFraming(length_));
    } else if (mode == Mode::kDelimiter) {
      DelimiterFraming framing;
      framing.delimiter = delimiter_;
      FUZZ_CHECK(ValidateFraming(framing).ok() == !delimiter_.empty());
    }
    while (!in_.empty()) {
      const int action = in_.IntInRange(0, 9);
      if (action <= 4) {
        std::string piece;
        switch (in_.IntInRange(0, 2)) {
          case 0:
            piece = in_.Bytes(in_.IntInRange<size_t>(0, 16));
            break;
          case 1:
            piece = in_.Bytes(in_.IntInRange<size_t>(0, 300));
            break;
          default:
            piece = in_.Bytes(in_.IntInRange<size_t>(0, 4096));
            break;
        }
        Append(&decoder, piece);
        ref.Append(piece);
      } else if (action == 5) {
        decoder.Reset();
        ref.Reset();
        FUZZ_CHECK(decoder.status().code() == ref.code());
      } else if (action == 6) {
        const FrameDecoder copy = decoder;
        decoder = copy;
      } else if (action == 8) {
        SwitchFraming(&decoder, &ref);
      } else if (action == 9) {
        const Rope taken = decoder.TakeBuffered();
        FUZZ_CHECK(taken == ref.TakeBuffered());
        FUZZ_CHECK(decoder.buffered().empty());
        FUZZ_CHECK(decoder.status().code() == ref.code());
      } else {
        const std::string frame =
            EncodeFrame(in_.Bytes(in_.IntInRange<size_t>(0, 300)));
        Append(&decoder, frame);
        ref.Append(frame);
      }
      Drain(&decoder, &ref);
      FUZZ_CHECK(decoder.buffered() == ref.buffered());
      FUZZ_CHECK(
          internal::RopeAccess::CheckInvariants(decoder.buffered()).empty());
    }
  }

 private:
  // A mode switch between frames (FrameDecoder::SetFraming): any framing,
  // with options that are mostly valid (fixed length 0 and over the
  // maximum are not). On success the harness checks frames by the new one.
  void SwitchFraming(FrameDecoder* decoder, ReferenceDecoder* ref) {
    const Mode mode = static_cast<Mode>(in_.IntInRange(0, 3));
    LengthFieldFraming length;
    std::string delimiter = delimiter_;
    bool strip = strip_;
    size_t fixed = 0;
    absl::Status status;
    switch (mode) {
      case Mode::kLengthField:
        length.field_offset = in_.IntInRange<size_t>(0, 2);
        length.field_size = in_.IntInRange<size_t>(1, 8);
        length.byte_order =
            in_.Bool() ? ByteOrder::kBigEndian : ByteOrder::kLittleEndian;
        length.length_counts_header = in_.Bool();
        length.length_adjustment = in_.IntInRange<int64_t>(-8, 8);
        status = decoder->SetFraming(length);
        break;
      case Mode::kVarint:
        status = decoder->SetFraming(VarintFraming{});
        break;
      case Mode::kDelimiter: {
        delimiter = in_.Bytes(in_.IntInRange<size_t>(1, 3));
        if (delimiter.empty()) delimiter = "\r\n";
        strip = in_.Bool();
        DelimiterFraming framing;
        framing.delimiter = delimiter;
        framing.strip_delimiter = strip;
        status = decoder->SetFraming(framing);
        break;
      }
      case Mode::kFixed:
        fixed = in_.IntInRange<size_t>(0, 600);
        status = decoder->SetFraming(FixedLengthFraming{fixed});
        break;
    }
    const bool accepted =
        ref->SetFraming(mode, length, delimiter, strip, fixed);
    FUZZ_CHECK(status.ok() == accepted);
    if (!accepted) {
      FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
      return;
    }
    FUZZ_CHECK(decoder->status().ok());
    mode_ = mode;
    length_ = length;
    delimiter_ = delimiter;
    strip_ = strip;
    fixed_ = fixed;
    header_size_ = mode == Mode::kLengthField
                       ? length.field_offset + length.field_size
                   : mode == Mode::kVarint ? kMaxVarint64Length
                                           : 0;
  }

  // Options across the whole range, the invalid included: widths 0, 9 and
  // SIZE_MAX; offsets near 2^62 and SIZE_MAX; adjustments near +-2^62 (on
  // both sides of the bound) and the int64 extremes; maximum sizes 0, near
  // the header and near 2^62; empty delimiters.
  void HostileOptions() {
    constexpr size_t kLimit = FrameDecoder::kMaxFrameSizeLimit;
    constexpr int64_t kBound = static_cast<int64_t>(kLimit);
    if (mode_ == Mode::kLengthField) {
      static constexpr size_t kOddSizes[] = {0, 1, 8, 9, SIZE_MAX};
      length_.field_size =
          in_.Bool() ? kOddSizes[in_.Pick(5)] : in_.IntInRange<size_t>(1, 8);
      switch (in_.IntInRange(0, 3)) {
        case 0:
          length_.field_offset = SIZE_MAX - in_.IntInRange<size_t>(0, 16);
          break;
        case 1:  // around the largest header, 2^62
          length_.field_offset = kLimit - 12 + in_.IntInRange<size_t>(0, 16);
          break;
        default:
          length_.field_offset = in_.IntInRange<size_t>(0, 3);
          break;
      }
      length_.byte_order =
          in_.Bool() ? ByteOrder::kBigEndian : ByteOrder::kLittleEndian;
      length_.length_counts_header = in_.Bool();
      switch (in_.IntInRange(0, 4)) {
        case 0:
          length_.length_adjustment = in_.IntInRange<int64_t>(-16, 16);
          break;
        case 1:  // around +-2^62, on both sides of the bound
          length_.length_adjustment = (in_.Bool() ? kBound : -kBound) +
                                      in_.IntInRange<int64_t>(-16, 16);
          break;
        case 2:  // the int64 extremes
          length_.length_adjustment =
              in_.Bool() ? INT64_MIN + in_.IntInRange<int64_t>(0, 16)
                         : INT64_MAX - in_.IntInRange<int64_t>(0, 16);
          break;
        default:  // anything at all
          length_.length_adjustment =
              in_.IntInRange<int64_t>(INT64_MIN, INT64_MAX);
          break;
      }
      length_.bytes_to_strip =
          in_.Bool() ? LengthFieldFraming::kStripThroughLengthField
                     : in_.IntInRange<size_t>(0, 16);
      // Saturating: an invalid offset may be near SIZE_MAX.
      header_size_ = length_.field_offset > SIZE_MAX - length_.field_size
                         ? SIZE_MAX
                         : length_.field_offset + length_.field_size;
    } else if (mode_ == Mode::kVarint) {
      header_size_ = kMaxVarint64Length;
    } else {
      delimiter_ = in_.Bytes(in_.IntInRange<size_t>(0, 8));  // may be empty
      strip_ = in_.Bool();
      header_size_ = 0;
    }
    switch (in_.IntInRange(0, 3)) {
      case 0:
        max_ = in_.IntInRange<size_t>(1, 600);
        break;
      case 1:  // 0 (invalid) and around the header size
        max_ = in_.Bool() ? 0 : header_size_ - in_.IntInRange<size_t>(0, 2);
        break;
      case 2:  // around the largest accepted maximum
        max_ = kLimit - 2 + in_.IntInRange<size_t>(0, 4);
        break;
      default:
        max_ = in_.IntInRange<size_t>(0, SIZE_MAX);
        break;
    }
  }

  FrameDecoder MakeDecoder() const {
    switch (mode_) {
      case Mode::kLengthField:
        return FrameDecoder(length_, max_);
      case Mode::kVarint:
        return FrameDecoder(VarintFraming{}, max_);
      case Mode::kDelimiter:
      case Mode::kFixed:
        break;
    }
    DelimiterFraming framing;
    framing.delimiter = delimiter_;
    framing.strip_delimiter = strip_;
    return FrameDecoder(framing, max_);
  }

  void Append(FrameDecoder* decoder, absl::string_view piece) {
    switch (in_.IntInRange(0, 2)) {
      case 0:
        decoder->Append(piece);
        break;
      case 1:
        decoder->Append(BuildRope(in_, piece, &counter_, &keep_alive_));
        break;
      default:
        decoder->mutable_buffer()->Append(piece);
        break;
    }
  }

  // A well-formed frame around `body` in the configured framing (or `body`
  // itself when it cannot be framed, e.g. its length does not fit).
  std::string EncodeFrame(const std::string& body) {
    Rope out;
    switch (mode_) {
      case Mode::kLengthField:
        if (!EncodeLengthFrame(body, &out)) return body;
        break;
      case Mode::kVarint:
        AppendVarintFrame(&out, Rope(body));
        break;
      case Mode::kDelimiter:
        return body + delimiter_;
      case Mode::kFixed: {
        std::string frame = body;
        frame.resize(fixed_, 'f');
        return frame;
      }
    }
    return out.ToString();
  }

  // Writes [before][length][body] to *out with FrameWriter and checks the
  // outcome against 128-bit arithmetic; false when no frame was written
  // (*out then holds exactly what it held before). Sometimes drains *out
  // while the frame is open, which must fail and change nothing. Both only
  // with hostile options, so that the seeds' layout stays as written.
  bool EncodeLengthFrame(const std::string& body, Rope* out) {
    const std::string prefix =
        hostile_ ? in_.Bytes(in_.IntInRange<size_t>(0, 3)) : std::string();
    out->Append(prefix);
    FrameWriter writer(length_, out);
    const bool valid = RefValidFraming(length_);
    FUZZ_CHECK(writer.status().ok() == valid);
    // An offset this large is only possible in theory (the bytes before
    // the field would not fit in memory); BeginFrame requires them.
    if (length_.field_offset > 64) return false;
    writer.BeginFrame(std::string(length_.field_offset, 'h'));
    writer.Append(body);
    const size_t header = valid ? header_size_ : 0;
    if (hostile_ && in_.IntInRange(0, 7) == 7) {
      out->RemovePrefix(in_.Fraction(out->size()));
      const Rope drained = *out;
      const bool shrank = out->size() < prefix.size() + header;
      const absl::Status status = writer.EndFrame();
      if (shrank) {
        FUZZ_CHECK(status.code() == absl::StatusCode::kFailedPrecondition);
        FUZZ_CHECK(*out == drained);
      } else if (!valid) {
        FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
      }
      FUZZ_CHECK(!writer.in_frame());
      out->Clear();
      return false;
    }
    const absl::Status status = writer.EndFrame();
    FUZZ_CHECK(!writer.in_frame());
    if (!valid) {
      FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
      FUZZ_CHECK(*out == prefix);
      return false;
    }
    const __int128 value = static_cast<__int128>(length_.length_counts_header
                                                     ? header + body.size()
                                                     : body.size()) -
                           length_.length_adjustment;
    const __int128 field_max =
        (static_cast<__int128>(1) << (8 * length_.field_size)) - 1;
    if (value < 0 || value > field_max) {
      FUZZ_CHECK(status.code() == absl::StatusCode::kOutOfRange);
      FUZZ_CHECK(*out == prefix);  // a failed frame is removed whole
      return false;
    }
    FUZZ_CHECK(status.ok());
    const std::string written = out->ToString();
    FUZZ_CHECK(written.size() == prefix.size() + header + body.size());
    FUZZ_CHECK(
        RefLoad(absl::string_view(written).substr(
                    prefix.size() + length_.field_offset, length_.field_size),
                length_.byte_order == ByteOrder::kBigEndian) ==
        static_cast<uint64_t>(value));
    out->RemovePrefix(prefix.size());
    return true;
  }

  void Drain(FrameDecoder* decoder, ReferenceDecoder* ref) {
    for (;;) {
      Rope frame(absl::string_view("untouched"));
      std::string want, raw;
      // Any form, chosen per frame: the view form and the copy-out form
      // (NextSize, sometimes twice, then TakeInto) must yield the same bytes
      // and state as the Rope form.
      const int form = in_.IntInRange(0, 2);
      const absl::string_view untouched("untouched view");
      absl::string_view view = untouched;
      size_t size = 0x5eed;
      Result got;
      if (form == 0) {
        got = decoder->Next(&frame);
      } else if (form == 1) {
        got = decoder->NextView(&view);
      } else {
        got = decoder->NextSize(&size);
        if (got == Result::kFrame && in_.Bool()) {
          const size_t first = size;
          FUZZ_CHECK(decoder->NextSize(&size) == Result::kFrame);
          FUZZ_CHECK(size == first);
        }
      }
      const Result expected = ref->Next(&want, &raw);
      FUZZ_CHECK(got == expected);
      if (got != Result::kFrame) {
        FUZZ_CHECK(frame == "untouched");
        FUZZ_CHECK(view.data() == untouched.data());
        FUZZ_CHECK(size == 0x5eed);
      }
      if (got == Result::kFrame && form == 1) {
        // Only until the next call on the decoder: copy it now.
        frame = Rope(view);
      }
      if (got == Result::kFrame && form == 2) {
        FUZZ_CHECK(size == want.size());
        // Guard bytes around the destination: exactly `size` are written.
        std::string storage(size + 2, '\x5a');
        decoder->TakeInto(&storage[1]);
        FUZZ_CHECK(storage.front() == '\x5a' && storage.back() == '\x5a');
        frame = Rope(absl::string_view(storage).substr(1, size));
      }
      if (got == Result::kNeedMore) {
        CheckDrainedBound(*decoder);
        CheckMissing(*decoder);
        return;
      }
      if (got == Result::kError) {
        FUZZ_CHECK(!decoder->status().ok());
        FUZZ_CHECK(decoder->status().code() == ref->code());
        if (mode_ != Mode::kDelimiter || ref->invalid()) {
          // Failed for good: the same error again, bytes kept.
          const absl::Status first = decoder->status();
          FUZZ_CHECK(decoder->Next(&frame) == Result::kError);
          FUZZ_CHECK(decoder->status() == first);
          return;
        }
        continue;
      }
      FUZZ_CHECK(frame == want);
      FUZZ_CHECK(internal::RopeAccess::CheckInvariants(frame).empty());
      CheckFrame(frame, raw);
    }
  }

  // missing() after kNeedMore: when it says m > 0, a copy of the decoder
  // given m - 1 more bytes still needs more, and given one more byte has a
  // whole frame (any bytes: the size is parsed already). Tried for m up to
  // 64 KiB, on copies, so the walk goes on unchanged.
  void CheckMissing(const FrameDecoder& decoder) {
    const uint64_t m = decoder.missing();
    if (mode_ == Mode::kDelimiter) FUZZ_CHECK(m == 0);
    if (m == 0 || m > (uint64_t{64} << 10) || !in_.Bool()) return;
    FrameDecoder almost = decoder;
    almost.Append(std::string(static_cast<size_t>(m - 1), '\x07'));
    Rope frame;
    FUZZ_CHECK(almost.Next(&frame) == Result::kNeedMore);
    FUZZ_CHECK(almost.missing() == 1);
    almost.Append(std::string(1, '\x07'));
    FUZZ_CHECK(almost.missing() == 0);
    FUZZ_CHECK(almost.Next(&frame) == Result::kFrame);
  }

  // Once drained to kNeedMore, what stays buffered is less than one frame.
  void CheckDrainedBound(const FrameDecoder& decoder) const {
    const size_t buffered = decoder.buffered().size();
    if (mode_ == Mode::kDelimiter) {
      FUZZ_CHECK(buffered < max_ + delimiter_.size());
    } else if (mode_ == Mode::kFixed) {
      FUZZ_CHECK(buffered < fixed_);
    } else {
      FUZZ_CHECK(buffered < max_ || buffered < header_size_);
    }
  }

  // The frame respects the maximum and re-encodes to its stream bytes.
  void CheckFrame(const Rope& frame, const std::string& raw) {
    switch (mode_) {
      case Mode::kLengthField: {
        FUZZ_CHECK(raw.size() <= max_);
        FUZZ_CHECK(frame.size() <= raw.size());
        Rope out;
        FrameWriter writer(length_, &out);
        writer.BeginFrame(
            absl::string_view(raw).substr(0, length_.field_offset));
        writer.Append(absl::string_view(raw).substr(header_size_));
        FUZZ_CHECK(writer.EndFrame().ok());
        FUZZ_CHECK(out == raw);
        break;
      }
      case Mode::kVarint: {
        FUZZ_CHECK(raw.size() <= max_);
        const size_t header = raw.size() - frame.size();
        if (header == VarintLength(frame.size())) {
          Rope out;
          AppendVarintFrame(&out, frame);
          FUZZ_CHECK(out == raw);
        } else {
          // A non-minimal length encoding (accepted, as protobuf does).
          FUZZ_CHECK(header > VarintLength(frame.size()));
        }
        break;
      }
      case Mode::kFixed:
        FUZZ_CHECK(raw.size() == fixed_ && fixed_ <= max_);
        FUZZ_CHECK(frame == raw);
        break;
      case Mode::kDelimiter: {
        const size_t d = delimiter_.size();
        FUZZ_CHECK(raw.size() >= d && raw.size() - d <= max_);
        const absl::string_view body =
            absl::string_view(raw).substr(0, raw.size() - d);
        FUZZ_CHECK(raw.find(delimiter_) == body.size());
        std::string encoded =
            strip_ ? frame.ToString() + delimiter_ : frame.ToString();
        FUZZ_CHECK(encoded == raw);
        break;
      }
    }
  }

  FuzzInput& in_;
  ReleaseCounter& counter_;
  std::vector<Rope> keep_alive_;
  Mode mode_ = Mode::kLengthField;
  bool hostile_ = false;
  LengthFieldFraming length_;
  std::string delimiter_;
  bool strip_ = true;
  size_t max_ = 1;
  size_t header_size_ = 0;
  size_t fixed_ = 0;
};

// ---------------------------------------------------------------------------
// Readers harness.

// An exactly sized heap copy: ASan reports any read past its end.
class ExactCopy {
 public:
  explicit ExactCopy(absl::string_view data)
      : bytes_(new char[data.size()]), size_(data.size()) {
    if (size_ != 0) std::memcpy(bytes_.get(), data.data(), size_);
  }
  absl::string_view view() const { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_;
};

class ReaderHarness {
 public:
  ReaderHarness(FuzzInput& in, ReleaseCounter* counter)
      : in_(in), counter_(*counter) {}

  void Run() {
    data_ = in_.Bytes(in_.IntInRange<size_t>(0, 2048));
    rope_ = BuildRope(in_, data_, &counter_, &keep_alive_);
    RopeReader reader(rope_);
    while (!in_.empty()) {
      Step(&reader, in_.Byte() % 20);
      FUZZ_CHECK(reader.position() == pos_);
      FUZZ_CHECK(reader.remaining() == data_.size() - pos_);
      FUZZ_CHECK(reader.AtEnd() == (pos_ == data_.size()));
    }
  }

 private:
  absl::string_view Rest() const {
    return absl::string_view(data_).substr(pos_);
  }

  template <typename T>
  void CheckFixed(RopeReader* reader, bool big) {
    T value = 0;
    const DecodeStatus status =
        big ? reader->ReadBigEndian(&value) : reader->ReadLittleEndian(&value);
    FUZZ_CHECK(status != DecodeStatus::kMalformed);
    const bool ok = status == DecodeStatus::kOk;
    FUZZ_CHECK(ok == (Rest().size() >= sizeof(T)));
    if (!ok) return;
    const uint64_t want = RefLoad(Rest().substr(0, sizeof(T)), big);
    FUZZ_CHECK(static_cast<std::make_unsigned_t<T>>(value) == want);
    pos_ += sizeof(T);
  }

  // Checks a reader's varint result against the reference and the raw
  // decoder, and that a decoded value re-encodes to the same bytes.
  void CheckVarint(RopeReader* reader, int bits, bool zigzag) {
    uint64_t want = 0;
    size_t length = 0;
    const ExactCopy exact(Rest().substr(0, bits == 32 ? 5 : 10));
    const DecodeStatus expected = RefVarint(exact.view(), bits, &want, &length);
    uint64_t got = 0;
    DecodeStatus status;
    if (bits == 32) {
      uint32_t raw_value = 0;
      size_t raw_length = 0;
      FUZZ_CHECK(DecodeVarint32(exact.view(), &raw_value, &raw_length) ==
                 expected);
      if (expected == DecodeStatus::kOk) {
        FUZZ_CHECK(raw_value == want && raw_length == length);
      }
      if (zigzag) {
        int32_t v = 0;
        status = reader->ReadZigZag32(&v);
        if (status == DecodeStatus::kOk) {
          got = ZigZagEncode32(v);
        }
      } else {
        uint32_t v = 0;
        status = reader->ReadVarint32(&v);
        got = v;
      }
    } else {
      uint64_t raw_value = 0;
      size_t raw_length = 0;
      FUZZ_CHECK(DecodeVarint64(exact.view(), &raw_value, &raw_length) ==
                 expected);
      if (expected == DecodeStatus::kOk) {
        FUZZ_CHECK(raw_value == want && raw_length == length);
      }
      if (zigzag) {
        int64_t v = 0;
        status = reader->ReadZigZag64(&v);
        if (status == DecodeStatus::kOk) got = ZigZagEncode64(v);
      } else {
        status = reader->ReadVarint64(&got);
      }
    }
    FUZZ_CHECK(status == expected);
    if (status != DecodeStatus::kOk) return;
    FUZZ_CHECK(got == want);
    char encoded[kMaxVarint64Length];
    const size_t n =
        static_cast<size_t>(EncodeVarint64(encoded, want) - encoded);
    FUZZ_CHECK(n == VarintLength(want));
    if (n == length) {
      FUZZ_CHECK(absl::string_view(encoded, n) == Rest().substr(0, n));
    } else {
      FUZZ_CHECK(n < length);  // the input was a non-minimal encoding
    }
    pos_ += length;
  }

  void Step(RopeReader* reader, int op) {
    switch (op) {
      case 0:
        CheckFixed<uint8_t>(reader, in_.Bool());
        break;
      case 1:
        CheckFixed<uint16_t>(reader, in_.Bool());
        break;
      case 2:
        CheckFixed<uint32_t>(reader, in_.Bool());
        break;
      case 3:
        CheckFixed<uint64_t>(reader, in_.Bool());
        break;
      case 4:
        CheckFixed<int32_t>(reader, in_.Bool());
        break;
      case 5:
        CheckVarint(reader, 32, /*zigzag=*/false);
        break;
      case 6:
        CheckVarint(reader, 64, /*zigzag=*/false);
        break;
      case 7:
        CheckVarint(reader, in_.Bool() ? 32 : 64, /*zigzag=*/true);
        break;
      case 8: {
        const size_t n = in_.IntInRange<size_t>(0, 700);
        const bool ok = reader->Skip(n);
        FUZZ_CHECK(ok == (n <= Rest().size()));
        if (ok) pos_ += n;
        break;
      }
      case 9: {
        const size_t n = in_.IntInRange<size_t>(0, 700);
        Rope out(absl::string_view("untouched"));
        const bool ok = reader->Read(n, &out);
        FUZZ_CHECK(ok == (n <= Rest().size()));
        if (ok) {
          FUZZ_CHECK(out == Rest().substr(0, n));
          FUZZ_CHECK(internal::RopeAccess::CheckInvariants(out).empty());
          pos_ += n;
        } else {
          FUZZ_CHECK(out == "untouched");
        }
        break;
      }
      case 10:
      case 11: {
        const size_t n = in_.IntInRange<size_t>(0, 700);
        std::string buffer(n, '#');
        const bool ok = op == 10 ? reader->ReadInto(absl::MakeSpan(buffer))
                                 : reader->Peek(absl::MakeSpan(buffer));
        FUZZ_CHECK(ok == (n <= Rest().size()));
        if (ok) {
          FUZZ_CHECK(buffer == Rest().substr(0, n));
          if (op == 10) pos_ += n;
        } else {
          FUZZ_CHECK(buffer == std::string(n, '#'));
        }
        break;
      }
      case 12: {
        const absl::string_view chunk = reader->PeekChunk();
        FUZZ_CHECK(chunk.empty() == Rest().empty());
        FUZZ_CHECK(chunk == Rest().substr(0, chunk.size()));
        break;
      }
      case 13: {  // random access on the Rope: a cursor at an offset
        const size_t at = in_.Fraction(data_.size() + 2);
        uint32_t v32 = 7;
        const bool big = in_.Bool();
        bool ok = false;
        if (at <= data_.size()) {
          RopeReader at_reader(rope_, at);
          ok = (big ? at_reader.ReadBigEndian(&v32)
                    : at_reader.ReadLittleEndian(&v32)) == DecodeStatus::kOk;
        }
        FUZZ_CHECK(ok == (at <= data_.size() && data_.size() - at >= 4));
        if (ok) {
          FUZZ_CHECK(v32 ==
                     RefLoad(absl::string_view(data_).substr(at, 4), big));
        } else {
          FUZZ_CHECK(v32 == 7);
        }
        if (at <= data_.size()) {
          uint64_t want = 0, got = 0;
          size_t want_length = 0, got_length = 0;
          const DecodeStatus expected = RefVarint(
              absl::string_view(data_).substr(at), 64, &want, &want_length);
          RopeReader at_reader(rope_, at);
          FUZZ_CHECK(at_reader.ReadVarint64(&got) == expected);
          got_length = at_reader.position() - at;
          if (expected == DecodeStatus::kOk) {
            FUZZ_CHECK(got == want && got_length == want_length);
          } else {
            FUZZ_CHECK(got_length == 0);
          }
        }
        break;
      }
      case 15: {  // Seek, Retreat
        if (in_.Bool()) {
          const size_t to = in_.Fraction(data_.size());
          reader->Seek(to);
          pos_ = to;
        } else {
          const size_t n = in_.IntInRange<size_t>(0, 700);
          const bool ok = reader->Retreat(n);
          FUZZ_CHECK(ok == (n <= pos_));
          if (ok) pos_ -= n;
        }
        break;
      }
      case 16: {  // Find, ReadUntil, ReadUntilView
        static constexpr absl::string_view kNeedles[] = {
            "\n", "\r\n", absl::string_view("\0", 1), "ab", "\xFF\xFF\xFF"};
        const absl::string_view needle = kNeedles[in_.Byte() % 5];
        const size_t from = in_.IntInRange<size_t>(0, 64);
        const size_t limit =
            in_.Bool() ? RopeReader::npos : in_.IntInRange<size_t>(0, 3000);
        const absl::string_view rest = Rest();
        const size_t bound = std::min(limit, rest.size());
        size_t want = from > bound ? absl::string_view::npos
                                   : rest.substr(0, bound).find(needle, from);
        if (want == absl::string_view::npos) want = RopeReader::npos;
        FUZZ_CHECK(reader->Find(needle, from, limit) == want);
        if (needle.size() == 1) {
          FUZZ_CHECK(reader->Find(needle[0], from, limit) == want);
        }
        size_t until = rest.substr(0, bound).find(needle);
        if (until == absl::string_view::npos) until = RopeReader::npos;
        if (in_.Bool()) {
          Rope out(absl::string_view("untouched"));
          const bool ok = reader->ReadUntil(needle, &out, limit);
          FUZZ_CHECK(ok == (until != RopeReader::npos));
          if (ok) {
            FUZZ_CHECK(out == rest.substr(0, until + needle.size()));
            pos_ += until + needle.size();
          } else {
            FUZZ_CHECK(out == "untouched");
          }
        } else {
          absl::string_view view;
          const bool ok =
              reader->ReadUntilView(needle, &scratch_, &view, limit);
          FUZZ_CHECK(ok == (until != RopeReader::npos));
          if (ok) {
            FUZZ_CHECK(view == rest.substr(0, until + needle.size()));
            pos_ += until + needle.size();
          }
        }
        break;
      }
      case 17: {  // PeekView, ReadView, Peek at an offset
        const size_t n = in_.IntInRange<size_t>(0, 700);
        const absl::string_view rest = Rest();
        absl::string_view view;
        const int which = in_.Byte() % 3;
        if (which == 2) {
          const size_t offset = in_.IntInRange<size_t>(0, 700);
          std::string buffer(n, '#');
          const bool ok = reader->Peek(absl::MakeSpan(buffer), offset);
          FUZZ_CHECK(ok ==
                     (offset <= rest.size() && n <= rest.size() - offset));
          if (ok) FUZZ_CHECK(buffer == rest.substr(offset, n));
          break;
        }
        const absl::string_view chunk = reader->PeekChunk();
        const bool ok = which == 0 ? reader->PeekView(n, &scratch_, &view)
                                   : reader->ReadView(n, &scratch_, &view);
        FUZZ_CHECK(ok == (n <= rest.size()));
        if (!ok) break;
        FUZZ_CHECK(view == rest.substr(0, n));
        // No copy when the bytes lie in the current chunk.
        if (n <= chunk.size()) FUZZ_CHECK(view.data() == chunk.data());
        if (which == 1) pos_ += n;
        break;
      }
      case 18: {  // length-delimited
        uint64_t length = 0;
        size_t header = 0;
        const absl::string_view rest = Rest();
        DecodeStatus expected = RefVarint(rest, 64, &length, &header);
        if (expected == DecodeStatus::kOk && length > rest.size() - header) {
          expected = DecodeStatus::kNeedMore;
        }
        Rope out;
        absl::string_view view;
        const bool as_view = in_.Bool();
        const DecodeStatus got =
            as_view ? reader->ReadLengthDelimitedView(&scratch_, &view)
                    : reader->ReadLengthDelimited(&out);
        FUZZ_CHECK(got == expected);
        if (got == DecodeStatus::kOk) {
          const absl::string_view want =
              rest.substr(header, static_cast<size_t>(length));
          FUZZ_CHECK(as_view ? view == want : out == want);
          pos_ += header + static_cast<size_t>(length);
        }
        break;
      }
      case 19: {  // an unsigned field of any width
        const size_t width = 1 + in_.Byte() % 8;
        const ByteOrder order =
            in_.Bool() ? ByteOrder::kBigEndian : ByteOrder::kLittleEndian;
        uint64_t value = 0;
        const DecodeStatus got = reader->ReadUnsigned(width, order, &value);
        FUZZ_CHECK((got == DecodeStatus::kOk) == (width <= Rest().size()));
        if (got == DecodeStatus::kOk) {
          FUZZ_CHECK(value == LoadUnsigned(Rest().data(), width, order));
          pos_ += width;
        }
        break;
      }
      default: {  // the same varint through a BytesIO
        BytesIO io(rope_);
        FUZZ_CHECK(io.Seek(static_cast<int64_t>(pos_)).ok());
        uint64_t want = 0;
        size_t length = 0;
        const DecodeStatus expected = RefVarint(Rest(), 64, &want, &length);
        absl::StatusOr<uint64_t> got = ReadVarint64(&io);
        const int64_t after = *io.Tell();
        switch (expected) {
          case DecodeStatus::kOk:
            FUZZ_CHECK(got.ok() && *got == want);
            FUZZ_CHECK(after == static_cast<int64_t>(pos_ + length));
            break;
          case DecodeStatus::kNeedMore:
            FUZZ_CHECK(got.status().code() == absl::StatusCode::kOutOfRange);
            FUZZ_CHECK(after == static_cast<int64_t>(pos_));
            break;
          case DecodeStatus::kMalformed:
            FUZZ_CHECK(got.status().code() == absl::StatusCode::kDataLoss);
            FUZZ_CHECK(after == static_cast<int64_t>(pos_));
            break;
        }
        break;
      }
    }
  }

  FuzzInput& in_;
  ReleaseCounter& counter_;
  std::vector<Rope> keep_alive_;
  std::string data_;
  Rope rope_;
  size_t pos_ = 0;
  std::string scratch_;  // the *View forms' copies
};

}  // namespace
}  // namespace fuzz
}  // namespace bytesio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using bytesio::fuzz::Mode;
  bytesio::fuzz::ReleaseCounter counter;
  {
    bytesio::fuzz::FuzzInput in(data, size);
    const int mode = in.IntInRange(0, 7);
    if (mode % 4 == 3) {
      bytesio::fuzz::ReaderHarness harness(in, &counter);
      harness.Run();
    } else {
      bytesio::fuzz::DecoderHarness harness(in, &counter);
      harness.Run(static_cast<Mode>(mode % 4), /*hostile=*/mode >= 4);
    }
  }
  // Every Rope is gone: each external chunk's releaser ran exactly once.
  FUZZ_CHECK(counter.released == counter.created);
  return 0;
}
