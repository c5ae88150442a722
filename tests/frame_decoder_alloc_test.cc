// Copyright 2026 The bytesio Authors.
//
// The decoder's inner loop allocates nothing per frame beyond what the
// frame's Rope needs (and a reused frame Rope needs nothing per frame). Counts
// operator new calls, so it is a binary of its own (replacing the global
// operator new affects everything linked in).

#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"
#include "gtest/gtest.h"
#include "tests/counting_new.h"
#include "tests/framing_test_util.h"

namespace bytesio {
namespace {

using Result = FrameDecoder::Result;

// `count` frames with `body` bytes each, 4-byte big-endian prefix.
std::string LengthPrefixedStream(size_t count, size_t body) {
  std::string stream;
  for (size_t i = 0; i < count; ++i) {
    char header[4];
    StoreBigEndian<uint32_t>(header, static_cast<uint32_t>(body));
    stream.append(header, 4);
    stream.append(body, static_cast<char>('a' + i % 26));
  }
  return stream;
}

class FrameDecoderAllocations : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testutil::AllocationCountingAvailable()) {
      GTEST_SKIP() << "operator new cannot be replaced under ThreadSanitizer";
    }
  }
};

// Decodes every frame and returns how many allocations the loop made.
size_t AllocationsToDecode(FrameDecoder* decoder, size_t* frames) {
  const size_t before = testutil::AllocationCount();
  Rope frame;
  *frames = 0;
  while (decoder->Next(&frame) == Result::kFrame) ++*frames;
  frame.Clear();
  return testutil::AllocationCount() - before;
}

// Frames inside one chunk cost no allocation per frame: inline (3 B), one
// chunk for the whole loop because Next() copies small frames into the
// reused frame's own chunk (100 B), none because large frames share the
// received chunk (2000 B).
TEST_F(FrameDecoderAllocations, NonePerFrameForFramesInsideOneChunk) {
  for (const auto& [body, allocations] :
       std::vector<std::pair<size_t, size_t>>{{3, 0}, {100, 1}, {2000, 0}}) {
    FrameDecoder decoder(LengthFieldFraming{});
    decoder.Append(RopeFromPieces({LengthPrefixedStream(500, body)}));
    size_t frames = 0;
    EXPECT_EQ(AllocationsToDecode(&decoder, &frames), allocations) << body;
    EXPECT_EQ(frames, 500u);
  }
}

TEST_F(FrameDecoderAllocations, NonePerFrameForVarintAndDelimitedFrames) {
  std::string varint_stream, line_stream;
  for (int i = 0; i < 500; ++i) {
    const std::string body(40 + i % 600, 'v');
    char buf[kMaxVarint64Length];
    varint_stream.append(buf, EncodeVarint64(buf, body.size()));
    varint_stream += body;
    line_stream += body + "\r\n";
  }
  // Frames of 40 to 539 bytes, growing: the reused frame's chunk grows in
  // powers of two (blocks of 64, 128, 256 and 512 bytes, then one holding
  // 511) while frames are copied, then frames over 511 bytes share the
  // received chunk. Never one per frame.
  constexpr size_t kGrowthSteps = 5;
  FrameDecoder varints{VarintFraming{}};
  varints.Append(RopeFromPieces({varint_stream}));
  size_t frames = 0;
  EXPECT_LE(AllocationsToDecode(&varints, &frames), kGrowthSteps);
  EXPECT_EQ(frames, 500u);

  FrameDecoder lines{DelimiterFraming{}};
  lines.Append(RopeFromPieces({line_stream}));
  EXPECT_LE(AllocationsToDecode(&lines, &frames), kGrowthSteps);
  EXPECT_EQ(frames, 500u);
}

TEST_F(FrameDecoderAllocations, OnlyFramesSpanningChunksAllocate) {
  // 64 KiB chunks, as ReadFromFd produces: only the few frames that cross a
  // chunk boundary need memory of their own (a copy below 512 bytes, tree
  // nodes above).
  const std::string stream = LengthPrefixedStream(5000, 200);
  std::vector<std::string> pieces;
  for (size_t pos = 0; pos < stream.size(); pos += 65536) {
    pieces.push_back(stream.substr(pos, 65536));
  }
  FrameDecoder decoder(LengthFieldFraming{});
  decoder.Append(RopeFromPieces(pieces));
  size_t frames = 0;
  const size_t allocations = AllocationsToDecode(&decoder, &frames);
  EXPECT_EQ(frames, 5000u);
  EXPECT_LE(allocations, 4 * pieces.size());
}

}  // namespace
}  // namespace bytesio
