// Copyright 2026 The bytesio Authors.

#include "bytesio/coding.h"

#include <algorithm>
#include <cassert>

namespace bytesio {

uint64_t LoadUnsigned(const char* p, size_t width, ByteOrder order) {
  assert(width >= 1 && width <= 8);
  switch (width) {
    case 1:
      return static_cast<uint8_t>(p[0]);
    case 2:
      return order == ByteOrder::kBigEndian ? LoadBigEndian<uint16_t>(p)
                                            : LoadLittleEndian<uint16_t>(p);
    case 4:
      return order == ByteOrder::kBigEndian ? LoadBigEndian<uint32_t>(p)
                                            : LoadLittleEndian<uint32_t>(p);
    case 8:
      return order == ByteOrder::kBigEndian ? LoadBigEndian<uint64_t>(p)
                                            : LoadLittleEndian<uint64_t>(p);
    default:
      break;
  }
  // Odd widths (3, 5, 6, 7): byte by byte.
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    const size_t index = order == ByteOrder::kBigEndian ? i : width - 1 - i;
    value = (value << 8) | static_cast<uint8_t>(p[index]);
  }
  return value;
}

void StoreUnsigned(char* p, size_t width, ByteOrder order, uint64_t value) {
  assert(width >= 1 && width <= 8);
  for (size_t i = 0; i < width; ++i) {
    const size_t index = order == ByteOrder::kBigEndian ? width - 1 - i : i;
    p[index] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
}

void AppendVarint32(Rope* rope, uint32_t value) {
  char buf[kMaxVarint32Length];
  char* end = EncodeVarint32(buf, value);
  rope->Append(absl::string_view(buf, static_cast<size_t>(end - buf)));
}

void AppendVarint64(Rope* rope, uint64_t value) {
  char buf[kMaxVarint64Length];
  char* end = EncodeVarint64(buf, value);
  rope->Append(absl::string_view(buf, static_cast<size_t>(end - buf)));
}

namespace coding_internal {

DecodeStatus DecodeVarint64Slow(absl::string_view input, uint64_t* value,
                                size_t* length) {
  const size_t n = std::min(input.size(), kMaxVarint64Length);
  uint64_t result = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t byte = static_cast<uint8_t>(input[i]);
    // The 10th byte holds bit 63 alone: any other bit, the continuation bit
    // included, means bits beyond 64 or an 11th byte.
    if (i == kMaxVarint64Length - 1 && byte > 1)
      return DecodeStatus::kMalformed;
    result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if (byte < 0x80) {
      *value = result;
      *length = i + 1;
      return DecodeStatus::kOk;
    }
  }
  return DecodeStatus::kNeedMore;
}

DecodeStatus DecodeVarint32Slow(absl::string_view input, uint32_t* value,
                                size_t* length) {
  const size_t n = std::min(input.size(), kMaxVarint32Length);
  uint32_t result = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t byte = static_cast<uint8_t>(input[i]);
    // The 5th byte holds bits 28..31 alone (0x0F); anything above overflows
    // 32 bits or continues to a 6th byte.
    if (i == kMaxVarint32Length - 1 && byte > 0x0F) {
      return DecodeStatus::kMalformed;
    }
    result |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
    if (byte < 0x80) {
      *value = result;
      *length = i + 1;
      return DecodeStatus::kOk;
    }
  }
  return DecodeStatus::kNeedMore;
}

}  // namespace coding_internal

}  // namespace bytesio
