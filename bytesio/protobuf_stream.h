// Copyright 2026 The bytesio Authors.
//
// Protobuf zero-copy streams over a Rope: parse messages straight from the
// received chunks and serialize them straight into chunks a Rope adopts, in
// the shape of protobuf's own CordInputStream / CordOutputStream.
//
// Use this unit (//bytesio:protobuf_stream, a separate library so that the
// core never depends on protobuf) where frames carry protobuf messages:
//
//   FrameDecoder decoder(VarintFraming{});        // protobuf's delimited form
//   ReadFromFd(fd, decoder.mutable_buffer());
//   Rope frame;
//   while (decoder.Next(&frame) == FrameDecoder::Result::kFrame) {
//     if (!ParseFromRope(frame, &request)) { ... }  // no flattening
//   }
//   Rope out = SerializeToRope(response);         // one chunk, no copy after
//   WriteToFd(fd, &out);
//
//   RopeInputStream:  [ chunk A ......... | chunk B ...... | chunk C .... ]
//                            ^offset       Next() = B in place   ^limit
//                     Next() hands out each chunk's bytes where they are
//                     (cut to the [offset, offset + limit) window).
//   RopeOutputStream: rope [ ... | tail chunk: bytes | room ] + [ new chunk ]
//                     Next() hands out the private tail room, then fresh
//                     chunks growing 256 B -> 64 KiB, as appends grow; the
//                     chunks are adopted by the Rope, never copied.
//
// Errors follow protobuf where protobuf defines the shape (the parsers and
// serializers return bool) and absl::Status where this unit adds a failure
// protobuf does not have (a window beyond the Rope, a delimited message that
// is truncated or over the size limit). A failed call leaves the Rope as it
// was and allocates nothing proportional to a length read from the input.
//
// Thread safety: the streams are one thread's objects; the free functions
// are const on their inputs, with the usual Rope rules.

#ifndef BYTESIO_PROTOBUF_STREAM_H_
#define BYTESIO_PROTOBUF_STREAM_H_

#include <cstddef>
#include <cstdint>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "bytesio/rope_buffer.h"
#include "google/protobuf/io/zero_copy_stream.h"
#include "google/protobuf/message_lite.h"

namespace bytesio {

// A ZeroCopyInputStream over bytes [offset, offset + limit) of a Rope.
// Next() returns the chunks' own memory (no byte is copied); BackUp() and
// ByteCount() are O(1); Skip() is O(1) within a chunk and
// O(min(chunks crossed, kMaxChunksToWalk) + log k) across chunks.
//
// Lifetime: `rope` must outlive the stream and stay unchanged while it is in
// use; the views Next() returns are valid as long as the Rope is unchanged.
class RopeInputStream final : public google::protobuf::io::ZeroCopyInputStream {
 public:
  // Skip() walks at most this many chunks one by one before it re-descends
  // from the Rope's root (Rope::ChunksAt, O(log k), no allocation). A step
  // to the next chunk is one iterator increment; a descent visits every
  // tree level and rebuilds the iterator's path, about what several steps
  // cost, so short skips walk.
  static constexpr int kMaxChunksToWalk = 8;

  // Reads the whole Rope.
  explicit RopeInputStream(const Rope& rope ABSL_ATTRIBUTE_LIFETIME_BOUND);

  // Reads `limit` bytes from `offset` on. A window reaching beyond the end
  // of the Rope gives a stream that reads nothing and whose status() is
  // OutOfRange. O(log k).
  RopeInputStream(const Rope& rope ABSL_ATTRIBUTE_LIFETIME_BOUND, size_t offset,
                  size_t limit);

  RopeInputStream(const RopeInputStream&) = delete;
  RopeInputStream& operator=(const RopeInputStream&) = delete;

  // OK, or OutOfRange for a window beyond the Rope's end.
  const absl::Status& status() const { return status_; }

  // Bytes of the window not yet returned by Next() (or skipped).
  size_t remaining() const { return end_ - position(); }

  // ZeroCopyInputStream. Next() returns the rest of the current chunk (at
  // most INT_MAX bytes); BackUp(count) requires 0 <= count <= the size the
  // last Next() returned, with no other call in between; Skip() past the
  // window's end moves to the end and returns false.
  bool Next(const void** data, int* size) override;
  void BackUp(int count) override;
  bool Skip(int count) override;
  int64_t ByteCount() const override {
    return static_cast<int64_t>(position() - begin_);
  }

 private:
  // Position in the Rope of the next unread byte.
  size_t position() const {
    return chunk_start_ + static_cast<size_t>(cur_ - chunk_.data());
  }
  // Makes `chunk`, which starts at Rope position `start`, the current one.
  void Load(absl::string_view chunk, size_t start);
  // Moves to the next chunk. Requires: position() < end_.
  void NextChunk();
  // Moves to Rope position `target`. Requires: position() <= target <= end_.
  void SeekForward(size_t target);

  const Rope* rope_;
  Rope::ChunkIterator it_;   // the chunk holding cur_ (cut at the window start)
  absl::string_view chunk_;  // *it_
  size_t chunk_start_ = 0;   // Rope position of chunk_.data()
  const char* cur_ = nullptr;
  const char* chunk_end_ = nullptr;  // end of chunk_, cut at end_
  size_t begin_ = 0;                 // window in Rope positions
  size_t end_ = 0;
  int last_size_ = 0;  // what the last Next() returned, for BackUp
  absl::Status status_;
};

// A ZeroCopyOutputStream that appends to a Rope. Next() returns writable room
// straight in chunks the Rope adopts: first the private tail room of the
// Rope's last chunk, then new chunks whose capacity doubles from 256 bytes to
// 64 KiB (RopeBuffer::kDefaultLimit), the Rope's own growth for appends.
// With `size_hint`, the first room holds the whole hint: the tail room if it
// is large enough, else one new chunk of that size, so a message of known
// size lands in one chunk. Writing n bytes allocates at most n + 64 KiB of
// chunks (with an exact hint: n rounded up to the allocator's block).
//
// While the stream is alive the Rope is incomplete (its tail chunk is
// detached): do not read or modify it until the stream is destroyed or
// Flush() was called.
class RopeOutputStream final
    : public google::protobuf::io::ZeroCopyOutputStream {
 public:
  // Requires: `rope` outlives the stream.
  explicit RopeOutputStream(Rope* rope ABSL_ATTRIBUTE_LIFETIME_BOUND,
                            size_t size_hint = 0);
  RopeOutputStream(const RopeOutputStream&) = delete;
  RopeOutputStream& operator=(const RopeOutputStream&) = delete;
  // Flushes.
  ~RopeOutputStream() override;

  // Appends what was written to the Rope (adopting the chunk, no copy), so
  // it can be read; the stream stays usable. O(log k).
  void Flush();

  // ZeroCopyOutputStream. BackUp(count) requires 0 <= count <= the size the
  // last Next() returned, with no other call in between.
  bool Next(void** data, int* size) override;
  void BackUp(int count) override;
  int64_t ByteCount() const override { return byte_count_; }

 private:
  Rope* rope_;
  RopeBuffer buffer_;     // holds the bytes written since the last Flush
  size_t size_hint_;      // for the first chunk only; 0 after it
  size_t next_capacity_;  // capacity asked for the next new chunk
  int64_t byte_count_ = 0;
  int last_size_ = 0;
};

// Parses the whole Rope as one message, as MessageLite::ParseFromArray does
// (clearing *message first; false for malformed input or missing required
// fields). A Rope of one run is parsed in place with ParseFromArray, a
// multi-chunk one of more than 4 KiB through RopeInputStream, in place and
// never flattened; a smaller multi-chunk one is copied to the stack first
// (cheaper than protobuf's stream set-up). Linear in the bytes.
[[nodiscard]] bool ParseFromRope(const Rope& rope,
                                 google::protobuf::MessageLite* message);

// Appends the serialized `message` to *out: one RopeBuffer of exactly
// ByteSizeLong() bytes (rounded up to the allocator's block), adopted by the
// Rope, so handing the result to WriteToFd copies nothing. Returns false,
// *out unchanged, when the message lacks required fields (checked in every
// build; MessageLite::AppendToString only DCHECKs it) or is 2 GiB or more
// (protobuf's limit).
[[nodiscard]] bool AppendToRope(const google::protobuf::MessageLite& message,
                                Rope* out);

// Returns the serialized `message` (see AppendToRope); an empty Rope where
// AppendToRope would fail, as MessageLite::SerializeAsString does.
Rope SerializeToRope(const google::protobuf::MessageLite& message);

// Appends the varint length and then the message, as protobuf's
// util::SerializeDelimitedToZeroCopyStream writes them, in one chunk.
// Returns false, *out unchanged, where AppendToRope would.
[[nodiscard]] bool AppendDelimitedToRope(
    const google::protobuf::MessageLite& message, Rope* out);

// Parses one delimited message (varint length, then the message) from the
// front of *rope with FrameDecoder's VarintFraming and removes it from
// *rope. A message longer than `max_message_size` is refused before any of
// its bytes are awaited or copied. Errors, each leaving *rope unchanged:
//   OutOfRange          *rope is empty (a clean end of the stream)
//   DataLoss            the length varint is malformed, *rope ends inside
//                       the length or the message, or the message does not
//                       parse (or lacks required fields)
//   ResourceExhausted   the length is over max_message_size
// O(log k) plus the parse.
absl::Status ParseDelimitedFromRope(
    Rope* rope, google::protobuf::MessageLite* message,
    size_t max_message_size = FrameDecoder::kDefaultMaxFrameSize);

}  // namespace bytesio

#endif  // BYTESIO_PROTOBUF_STREAM_H_
