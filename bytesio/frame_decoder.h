// Copyright 2026 The bytesio Authors.
//
// FrameDecoder: cuts a byte stream that arrives in pieces of any size into
// whole frames, each returned as a Rope that shares the received chunks
// (small frames are copied), as a borrowed view, or copied once into the
// caller's storage.
//
// Use it on the receiving side of a socket or pipe: append what arrived
// (bytes, a Rope, or read straight into mutable_buffer() with ReadFromFd),
// then call Next() until it says kNeedMore. Three framings:
//
//   LengthFieldFraming   [ ..offset.. | length (1/2/4/8 B, BE/LE) | ... body ]
//                        Netty's LengthFieldBasedFrameDecoder model: the
//                        field may sit inside a larger header, count or not
//                        count the header, and be adjusted by a constant.
//   VarintFraming        [ LEB128 length | body ]  (protobuf's delimited form)
//   DelimiterFraming     [ body | delimiter ]  e.g. "\r\n"; any byte string.
//   FixedLengthFraming   [ body of exactly `length` bytes ]
//
// SetFraming switches between them without dropping what is buffered, e.g.
// lines for HTTP headers, then FixedLengthFraming{content_length} for the
// body, then lines again; TakeBuffered hands the unconsumed bytes to another
// parser.
//
//   buffer_:  [ chunk A ........ | chunk B ..... | chunk C .. ]
//             ^consumed  ^cursor (RopeReader at the next frame)
//              \_ frames already returned, released once per arrival
//   Next()     -> frame 1 = Subrope at the cursor (shares A; copied when
//                 small); cursor moves
//   NextView() -> frame 2 as a string_view into A (or into a scratch copy
//                 when it straddles A and B); cursor moves
//   Next()     -> kNeedMore (frame 3's header is cached)
//   A is released (one RemovePrefix) as soon as the frames handed out
//   cover it: by Next() at once, by NextView() at the next call
//
// Every read goes through one cursor (RopeReader) kept between calls: the
// header, the varint, the delimiter search and the frame itself are read
// where the last frame ended, O(1) inside a chunk and one step to the next
// chunk, not a descent from the root. Bytes already returned are removed
// from the buffer once per consumed chunk (and at the next Append,
// buffered(), TakeBuffered), not once per frame: a fully consumed chunk is
// still freed at once.
//
// Costs: NextView() of a frame inside one chunk touches no refcount and
// allocates nothing; one that straddles chunks is copied into a scratch
// buffer the decoder reuses (it grows to the largest such frame).
// NextSize() + TakeInto() copy each frame once into the caller's storage,
// wherever it lies, and touch no refcount either. Next() shares the chunks
// of a frame larger than Rope::kMaxBytesToCopy (two atomic operations when
// it lies in one chunk, a Subrope when it spans several) and copies a
// smaller one, reusing *frame's chunk. While a frame is incomplete its parsed
// size is cached, so Next() after each small Append is O(1); a delimiter search
// resumes where the last one stopped, so a frame arriving in p pieces is
// scanned once.
//
// Limits: every frame is checked against max_frame_size, the most bytes one
// frame may occupy in the stream (header included, a delimiter excluded).
// A length field that declares more is an error as soon as the header is
// complete, before any body byte is awaited: the decoder never allocates or
// waits because a length field says so. A delimiter not found within
// max_frame_size bytes is an error as soon as that many bytes are buffered.
//
// Options are validated when the decoder is constructed (ValidateFraming
// below states the rules): a decoder built from invalid options is failed
// from the start, in every build: status() is InvalidArgument naming the
// option, and Next() returns kError until the decoder is destroyed (Reset
// keeps the configuration, so it keeps that error too).
//
// After kError (status() tells why; codes: ResourceExhausted for a frame
// over the maximum, DataLoss for a malformed header):
//  - length-field and varint framings cannot find the next frame boundary,
//    so the decoder stays failed: Next() returns kError with the same status
//    until Reset(); buffered() keeps the bytes from the bad frame on, for
//    diagnostics. Appends are still accepted (and kept).
//  - delimiter framing skips the oversized frame: it discards bytes up to
//    and including the next delimiter (now or as they arrive, returning
//    kNeedMore meanwhile), then decodes normally. This is Netty's
//    DelimiterBasedFrameDecoder recovery; a line protocol resynchronises.
//
// Thread safety: one decoder is one thread's object; frames it returned are
// independent Ropes.

#ifndef BYTESIO_FRAME_DECODER_H_
#define BYTESIO_FRAME_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/rope.h"
#include "bytesio/rope_reader.h"

namespace bytesio {

// A length field somewhere in a fixed header, followed by the body.
// The frame's size in the stream is
//   value + length_adjustment                          if length_counts_header
//   field_offset + field_size + value + length_adjustment  otherwise
// computed exactly (no overflow for any value, width or adjustment), and
// Next() returns it with its first bytes_to_strip bytes removed. A size
// below the header (field_offset + field_size; negative included) is
// DataLoss, a size over the maximum frame size is ResourceExhausted.
//
// Examples (fields not named keep their defaults):
//   [len:4 BE][body], Next() returns the body      LengthFieldFraming{}
//   [len:2 LE, counting itself][body]              field_size = 2,
//                                                  byte_order = kLittleEndian,
//                                                  length_counts_header = true
//   [type:1][len:4][flags:1][body], len counts     field_offset = 1,
//   the body only, Next() returns the whole frame  length_adjustment = 1,
//                                                  bytes_to_strip = 0
struct LengthFieldFraming {
  // bytes_to_strip value that removes everything through the length field.
  static constexpr size_t kStripThroughLengthField = ~size_t{0};

  size_t field_offset = 0;  // header bytes before the length field
  size_t field_size = 4;    // 1, 2, 4 or 8
  ByteOrder byte_order = ByteOrder::kBigEndian;
  bool length_counts_header = false;
  int64_t length_adjustment = 0;
  size_t bytes_to_strip = kStripThroughLengthField;
};

// [LEB128 varint length of the body][body]; Next() returns the body. A
// varint longer than 10 bytes or with bits beyond 64 is malformed.
struct VarintFraming {};

// [body][delimiter]. The delimiter must be non-empty (InvalidArgument).
struct DelimiterFraming {
  std::string delimiter = "\r\n";
  bool strip_delimiter = true;  // false: frames end with the delimiter
};

// Frames of exactly `length` bytes (1 <= length <= max_frame_size; 0 would
// yield endless empty frames and is InvalidArgument): "the next N bytes",
// e.g. an HTTP body of Content-Length N after the header lines.
struct FixedLengthFraming {
  size_t length = 0;
};

class FrameDecoder {
 public:
  enum class Result : uint8_t {
    kFrame,     // *frame holds the next frame
    kNeedMore,  // the next frame is incomplete: Append more, call again
    kError,     // see status() and the class comment
  };

  // 16 MiB: large enough for bulk messages (gRPC's default receive limit is
  // 4 MiB), small enough that a hostile peer cannot make one connection pin
  // more than that. Pass the limit your protocol needs.
  static constexpr size_t kDefaultMaxFrameSize = size_t{16} << 20;

  // The largest max_frame_size, header (field_offset + field_size) and
  // |length_adjustment| accepted: 2^62 bytes is more than any address space
  // holds, so a larger value is a configuration mistake, not a protocol.
  static constexpr uint64_t kMaxFrameSizeLimit = uint64_t{1} << 62;

  // Validates the options (ValidateFraming, and 1 <= max_frame_size <=
  // kMaxFrameSizeLimit; for a length field also header <= max_frame_size,
  // since no frame could fit otherwise). Invalid options give a decoder
  // whose status() is InvalidArgument and whose Next() always fails.
  explicit FrameDecoder(const LengthFieldFraming& framing,
                        size_t max_frame_size = kDefaultMaxFrameSize);
  explicit FrameDecoder(VarintFraming framing,
                        size_t max_frame_size = kDefaultMaxFrameSize);
  explicit FrameDecoder(DelimiterFraming framing,
                        size_t max_frame_size = kDefaultMaxFrameSize);
  explicit FrameDecoder(FixedLengthFraming framing,
                        size_t max_frame_size = kDefaultMaxFrameSize);

  // Switches to another framing (or other options) between frames, keeping
  // every buffered byte: the next frame is parsed from the first byte not yet
  // returned, with the new options. Clears any error, as if the decoder had
  // been constructed with these options and given the buffered bytes. On
  // invalid options returns InvalidArgument and changes nothing.
  absl::Status SetFraming(const LengthFieldFraming& framing);
  absl::Status SetFraming(VarintFraming framing);
  absl::Status SetFraming(DelimiterFraming framing);
  absl::Status SetFraming(FixedLengthFraming framing);

  // Copies share the buffered chunks.
  FrameDecoder(const FrameDecoder&) = default;
  FrameDecoder& operator=(const FrameDecoder&) = default;
  FrameDecoder(FrameDecoder&&) noexcept = default;
  FrameDecoder& operator=(FrameDecoder&&) noexcept = default;

  // Appends received bytes: copied into the buffer's private tail chunk.
  // A piece that fits the tail's room keeps the cursor where it is (O(1)
  // besides the memcpy); otherwise the bytes of frames already returned
  // are released first (O(log k)).
  void Append(absl::string_view data);
  // Appends a Rope, sharing its chunks (copied below Rope::kMaxBytesToCopy).
  void Append(const Rope& data) {
    BeforeAppend();
    buffer_.Append(data);
  }
  void Append(Rope&& data) {
    BeforeAppend();
    buffer_.Append(std::move(data));
  }

  // The buffer itself, for producers that append in place, e.g.
  // ReadFromFd(fd, decoder.mutable_buffer(), limit), which reads into the
  // buffer's tail room. Requires: the caller only appends to it (removing or
  // overwriting bytes would break the cached frame state).
  Rope* mutable_buffer() {
    BeforeAppend();
    return &buffer_;
  }

  // Takes the next complete frame: on kFrame sets *frame and drops the
  // frame's bytes from the buffer (released at the latest when more bytes
  // arrive); on kNeedMore and kError leaves *frame alone. A frame of more
  // than Rope::kMaxBytesToCopy bytes shares the received chunks; a smaller
  // one is copied into *frame's own chunk when that is private and large
  // enough (Rope::AssignUninitialized: a loop that reuses one Rope
  // allocates once), so small frames never pin a received chunk.
  Result Next(Rope* frame);

  // The view form of Next, for callers that look at a frame and drop it: on
  // kFrame sets *frame to the frame's bytes, pointing into the received
  // chunk when the frame lies in one (no copy, no refcount touched) and into
  // a scratch buffer of this decoder when it straddles chunks. Valid until
  // the next call on this decoder (buffered() included); copy what you keep.
  //
  //   absl::string_view frame;
  //   while (decoder.NextView(&frame) == FrameDecoder::Result::kFrame) {
  //     Handle(frame);  // do not keep `frame` past the next call
  //   }
  Result NextView(absl::string_view* frame);

  // The copy-out form, for callers that keep each frame in storage of their
  // own (a language runtime's bytes object, an arena), in two steps:
  // NextSize prepares the next frame and on kFrame sets *size to its size
  // (of the frame Next would return); TakeInto(dest) then copies the frame
  // to dest[0, *size) and drops it, as Next would. Each byte is copied once
  // and no refcount is touched, inside a chunk or across chunks. A caller
  // that gets no storage simply does not call TakeInto: the frame stays
  // next. On kNeedMore and kError *size is left alone.
  //
  //   size_t size;
  //   while (decoder.NextSize(&size) == FrameDecoder::Result::kFrame) {
  //     std::string frame(size, '\0');
  //     decoder.TakeInto(frame.data());
  //   }
  Result NextSize(size_t* size);
  // Requires: NextSize returned kFrame and the frame was not taken since
  // (by TakeInto, Next or NextView; appends in between are fine). Checked in
  // every build: a crash with a message, never a copy of the wrong bytes.
  void TakeInto(char* dest);

  // How many more bytes must arrive before the next frame is whole, once its
  // size is known: after a Next, NextView or NextSize that returned
  // kNeedMore with the frame's header parsed (length-field and varint
  // framings) or in fixed-length framing. 0 when the size is not known yet
  // (header incomplete, delimiter framing), when a whole frame is buffered
  // and after an error. Lets a receiver size its next read, or hand over a
  // piece that lies inside one frame's body without copying it.
  uint64_t missing() const;

  // Returns every byte received and not yet returned as a frame (or
  // discarded), and empties the buffer; the framing and any error stay.
  // For handing the rest of a stream to another parser. O(log k).
  Rope TakeBuffered();

  // Why the last kError happened; OK before any error and after Reset(),
  // except InvalidArgument from the start for invalid options.
  const absl::Status& status() const { return status_; }

  // Bytes received and not yet returned as frames (or discarded). Releases
  // the bytes of frames already returned first, which ends the validity of
  // a NextView() view. Valid until the next non-const call.
  const Rope& buffered() const {
    Compact();
    return buffer_;
  }

  size_t max_frame_size() const { return max_frame_size_; }

  // Drops every buffered byte and any error; keeps the configuration (and
  // so an invalid-options error).
  void Reset();

 private:
  friend class FrameDecoderTestPeer;  // reads scan_from_ in tests

  enum class Kind : uint8_t { kLengthField, kVarint, kDelimiter, kFixed };

  // The cursor over buffer_ at the first byte not yet returned. A copy or a
  // move of the decoder gets an invalid one (it would point into the other
  // decoder's buffer), rebuilt on first use.
  struct Cursor {
    Cursor() = default;
    Cursor(const Cursor&) noexcept {}
    Cursor& operator=(const Cursor&) noexcept {
      valid = false;
      return *this;
    }
    RopeReader reader;
    bool valid = false;
  };

  // The cursor at buffer_[consumed_], rebuilt if needed (O(log k)).
  RopeReader& Reader() {
    if (ABSL_PREDICT_FALSE(!cursor_.valid)) RebuildReader();
    return cursor_.reader;
  }
  void RebuildReader();
  // Removes the consumed prefix from buffer_ (invalidating the cursor).
  void Compact() const;
  // Compact, and invalidate the cursor: buffer_ is about to grow.
  void BeforeAppend() {
    Compact();
    cursor_.valid = false;
  }
  // Parses the next frame's size (pending_size_, pending_strip_) and, when
  // it is complete, leaves the cursor at its first byte to hand out.
  // Returns kFrame when a whole frame is buffered.
  Result Prepare();
  Result PrepareLengthField(RopeReader& reader);
  Result PrepareVarint(RopeReader& reader);
  Result PrepareDelimited(RopeReader& reader);
  // Enters the failed state (length-field and varint framings).
  Result Fail(absl::Status status);
  // Reads the next n bytes at the cursor into *frame: copied when small,
  // else sharing the chunks (see Next).
  void TakeBody(size_t n, Rope* frame);
  // Drops the prepared frame (pending_*) after its body was read from the
  // cursor, which stands after the body: skips what follows the body (a
  // stripped delimiter), marks the frame consumed.
  void FinishPending();
  // Forgets the parse state of the next frame (after a framing switch).
  void ClearFrameState();
  // After SetFraming accepted new options: no error, fresh parse state.
  void Resume();

  // The header shapes that have a fast path: the frame's header and body
  // lie in the cursor's current chunk and are parsed there directly.
  enum class FastHeader : uint8_t {
    kNone,
    kBigEndian32,
    kLittleEndian32,
    kVarint
  };
  // Sets fast_header_ from kind_ and length_.
  void ChooseFastHeader();
  // The fast path: true, with the frame's header size and body length, when
  // a whole frame of a fast shape lies in the current chunk. Leaves all
  // other cases (incomplete, straddling, malformed, too large) to Prepare.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool FastFrame(absl::string_view chunk,
                                              size_t* header,
                                              size_t* body) const;
  // The fast path's whole test, shared by Next, NextView and NextSize: no
  // frame prepared, no error, the cursor valid inside its first chunk, and
  // FastFrame true on the bytes at the cursor (*chunk).
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool FastFrameAtCursor(absl::string_view* chunk,
                                                      size_t* header,
                                                      size_t* body) {
    if (!cursor_.valid || consumed_ >= first_chunk_end_ || pending_size_ != 0 ||
        failed_) {
      return false;
    }
    *chunk = cursor_.reader.PeekChunk();
    return FastFrame(*chunk, header, body);
  }

  Kind kind_;
  FastHeader fast_header_ = FastHeader::kNone;
  absl::Status options_status_;  // InvalidArgument for invalid options
  bool failed_ = false;  // refusing frames until Reset (or for good: options)
  bool discarding_ = false;  // delimiter: skipping to the next delimiter
  size_t max_frame_size_;
  LengthFieldFraming length_;
  std::string delimiter_;
  bool strip_delimiter_ = true;
  size_t fixed_length_ = 0;

  // Received bytes; the first consumed_ of them were already returned.
  mutable Rope buffer_;
  mutable size_t consumed_ = 0;
  mutable Cursor cursor_;
  // The end (in buffer_) of the chunk the cursor was built in. Once
  // consumed_ reaches it, a whole chunk is consumed and is released at once
  // (Next) or at the next call (NextView, whose view may point into it).
  mutable size_t first_chunk_end_ = 0;
  // NextView's copy of a frame that straddles chunks.
  std::string scratch_;
  // The frame at the front once its header was parsed: its size in the
  // stream (0 = not parsed yet; every frame has at least one header byte)
  // and the bytes to strip from it.
  uint64_t pending_size_ = 0;
  size_t pending_strip_ = 0;
  size_t pending_body_ = 0;  // bytes handed out after the stripped ones
  // Delimiter framing: no match starts before this offset from the frame
  // start (buffer_[consumed_]).
  size_t scan_from_ = 0;
  absl::Status status_;
};

// Returns OK if FrameDecoder and FrameWriter accept `framing`, else
// InvalidArgument naming the option: requires 1 <= field_size <= 8 (1, 2, 4
// and 8 are the usual widths), field_offset + field_size <=
// FrameDecoder::kMaxFrameSizeLimit and |length_adjustment| <
// FrameDecoder::kMaxFrameSizeLimit (INT64_MIN and INT64_MAX are refused).
absl::Status ValidateFraming(const LengthFieldFraming& framing);
// Returns InvalidArgument for an empty delimiter (it would match everywhere
// and yield endless empty frames), else OK.
absl::Status ValidateFraming(const DelimiterFraming& framing);
// Returns InvalidArgument for length 0 (endless empty frames), else OK.
absl::Status ValidateFraming(const FixedLengthFraming& framing);

// ---------------------------------------------------------------------------
// Implementation details.

inline bool FrameDecoder::FastFrame(absl::string_view chunk, size_t* header,
                                    size_t* body) const {
  uint64_t value = 0;
  size_t length = 0;
  switch (fast_header_) {
    case FastHeader::kNone:
      return false;
    case FastHeader::kBigEndian32:
    case FastHeader::kLittleEndian32:
      if (chunk.size() < 4) return false;
      value = fast_header_ == FastHeader::kBigEndian32
                  ? LoadBigEndian<uint32_t>(chunk.data())
                  : LoadLittleEndian<uint32_t>(chunk.data());
      length = 4;
      break;
    case FastHeader::kVarint:
      if (DecodeVarint64(chunk, &value, &length) != DecodeStatus::kOk) {
        return false;
      }
      break;
  }
  // length <= chunk.size() here; a varint header may exceed a tiny maximum.
  if (length > max_frame_size_ || value > max_frame_size_ - length ||
      value > chunk.size() - length) {
    return false;
  }
  *header = length;
  *body = static_cast<size_t>(value);
  return true;
}

}  // namespace bytesio

#endif  // BYTESIO_FRAME_DECODER_H_
