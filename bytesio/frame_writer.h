// Copyright 2026 The bytesio Authors.
//
// FrameWriter: builds length-prefixed frames at the end of a Rope without
// knowing the payload's size in advance: it reserves the length field,
// lets the caller append payload pieces (Ropes are shared, not copied), and
// back-patches the field when the frame ends (Rope::Overwrite, in place in
// the private chunk that holds the header).
//
//   BeginFrame()        out: ... [ 00 00 00 00 ]
//   Append(a) Append(b) out: ... [ 00 00 00 00 ][ a (shared) ][ b (shared) ]
//   EndFrame()          out: ... [ 00 00 01 2C ][ a ][ b ]    (300 bytes)
//
// The framing is a LengthFieldFraming, the same struct FrameDecoder takes,
// so a writer and a decoder configured alike agree on the wire format
// (bytes_to_strip is a decoder-only setting and ignored here). For varint
// framing, whose header size depends on the length, use AppendVarintFrame;
// BytesIO users can do the same back-patching with Seek + Write (see
// tests/frame_writer_test.cc).
//
// The framing is validated at construction (ValidateFraming in
// frame_decoder.h), in every build: a writer built from an invalid framing
// reports InvalidArgument from status(), and each of its frames fails with
// it (EndFrame removes what was appended since BeginFrame).
//
// Thread safety: a writer and its Rope are one thread's objects.

#ifndef BYTESIO_FRAME_WRITER_H_
#define BYTESIO_FRAME_WRITER_H_

#include <cstddef>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"

namespace bytesio {

class FrameWriter {
 public:
  // Writes frames at the end of *out, which must outlive the writer.
  // An invalid framing (see ValidateFraming) is reported by status().
  FrameWriter(const LengthFieldFraming& framing, Rope* out);

  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  // Starts a frame: appends `before_length` (the header bytes in front of
  // the length field) and reserves the field; appends nothing when the
  // framing is invalid. Until EndFrame, the caller only appends to *out.
  // Requires: !in_frame() and before_length.size() == framing.field_offset.
  void BeginFrame(absl::string_view before_length = {});

  // Append to the open frame (header bytes after the length field are part
  // of what is appended). Bytes are copied into the tail chunk; Ropes share
  // their chunks above Rope::kMaxBytesToCopy. Requires: in_frame().
  void Append(absl::string_view data) { out_->Append(data); }
  void Append(const Rope& data) { out_->Append(data); }
  void Append(Rope&& data) { out_->Append(std::move(data)); }

  // Fills in the length field and closes the frame. Errors, each closing
  // the frame too:
  //  - *out shrank below the frame's start + header since BeginFrame (bytes
  //    were removed from it): FailedPrecondition, *out is left unchanged;
  //  - the framing is invalid: status() (InvalidArgument), and the bytes
  //    appended since BeginFrame are removed from *out;
  //  - the length does not fit the field (or would be negative after
  //    length_adjustment): OutOfRange, the whole frame is removed from *out.
  // Requires: in_frame().
  absl::Status EndFrame();

  // BeginFrame() + Append(payload) + EndFrame(), for field_offset == 0.
  absl::Status WriteFrame(const Rope& payload);
  absl::Status WriteFrame(absl::string_view payload);

  bool in_frame() const { return in_frame_; }

  // OK, or InvalidArgument when the framing passed to the constructor is
  // invalid.
  const absl::Status& status() const { return status_; }

 private:
  LengthFieldFraming framing_;
  absl::Status status_;
  Rope* out_;
  size_t frame_start_ = 0;  // out_->size() when the open frame began
  bool in_frame_ = false;
};

// Appends [varint length][payload] to *out, sharing payload's chunks above
// Rope::kMaxBytesToCopy: the writer side of VarintFraming.
void AppendVarintFrame(Rope* out, const Rope& payload);

}  // namespace bytesio

#endif  // BYTESIO_FRAME_WRITER_H_
