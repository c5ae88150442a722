// Copyright 2026 The bytesio Authors.
//
// Coding: fixed-width big/little-endian integers and varints on raw memory,
// and the writes that append or back-patch them on a Rope.
//
// Use these to build binary headers and to decode bytes you hold
// contiguously. To read from a Rope (also where an integer straddles chunks,
// a 4-byte value split 1+3, 2+2 or 3+1) use its cursor, RopeReader
// (rope_reader.h): the one way to read typed values from a Rope; a BytesIO
// reads through the same cursor (bytes_io_coding.h).
//
//   fixed width:  uint32_t 0x0A0B0C0D    big endian    [0A][0B][0C][0D]
//                                       little endian [0D][0C][0B][0A]
//   varint:       300 = 0b10_0101100    LEB128        [AC][02]
//                 (7 bits a byte, low group first, high bit = "more follows")
//   zigzag:       0,-1,1,-2,2 ... -> 0,1,2,3,4 ...  (small magnitudes: short)
//
// Varint decoding has three outcomes (DecodeStatus): a value, "need more"
// (the input ends inside the varint: wait for more bytes), and "malformed"
// (no valid varint can start here). A 64-bit varint is malformed when it
// would need more than 10 bytes or its 10th byte carries bits beyond bit 63;
// a 32-bit varint when its 5th byte carries bits beyond bit 31 or a
// continuation bit. Non-minimal encodings within those limits (0x80 0x00 for
// 0) are accepted, as protobuf accepts them. Note that protobuf writes a
// negative int32 as a 10-byte varint: read such fields with the 64-bit
// decoder and truncate. Malformed input is reported as soon as the byte that
// proves it has been seen, not after 10 bytes have arrived.
//
// Nothing here allocates except the Append* functions (which append to the
// Rope's tail chunk) and Store* on a Rope (copy-on-write of shared chunks).
// Thread safety: free functions; the usual Rope rules apply.

#ifndef BYTESIO_CODING_H_
#define BYTESIO_CODING_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "absl/base/config.h"
#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "bytesio/rope.h"

namespace bytesio {

enum class ByteOrder : uint8_t { kBigEndian, kLittleEndian };

// The three outcomes of decoding a varint (and of any cheap parser in the
// framing layer): no Status in the hot path.
enum class DecodeStatus : uint8_t {
  kOk,         // a value was decoded
  kNeedMore,   // the input ends inside the encoding; nothing consumed
  kMalformed,  // not a valid encoding; nothing consumed
};

// Longest encodings: ceil(32 / 7) and ceil(64 / 7) bytes.
inline constexpr size_t kMaxVarint32Length = 5;
inline constexpr size_t kMaxVarint64Length = 10;

// ---- Fixed width, raw memory. T: any integral type but bool. ----

// Returns the T stored at `p` in the given byte order.
// Requires: p points at sizeof(T) readable bytes.
template <typename T>
T LoadBigEndian(const char* p);
template <typename T>
T LoadLittleEndian(const char* p);

// Writes `value` to the sizeof(T) bytes at `p`.
template <typename T>
void StoreBigEndian(char* p, T value);
template <typename T>
void StoreLittleEndian(char* p, T value);

// Returns the unsigned integer in the `width` bytes at `p`: a length field of
// 1, 2, 4 or 8 bytes (any width 1..8 works). Requires: 1 <= width <= 8.
uint64_t LoadUnsigned(const char* p, size_t width, ByteOrder order);

// Writes the low `width` bytes of `value` to `p`. Requires: 1 <= width <= 8.
void StoreUnsigned(char* p, size_t width, ByteOrder order, uint64_t value);

// ---- Fixed width, written to a Rope. ----

// Overwrites bytes [pos, pos + sizeof(T)) of *rope with `value` (Rope::
// Overwrite: in place where private, copy-on-write where shared). Used to
// back-patch a header. Requires: pos + sizeof(T) <= rope->size().
template <typename T>
void StoreBigEndian(Rope* rope, size_t pos, T value);
template <typename T>
void StoreLittleEndian(Rope* rope, size_t pos, T value);

// Appends `value` (into the rope's private tail chunk when there is room).
template <typename T>
void AppendBigEndian(Rope* rope, T value);
template <typename T>
void AppendLittleEndian(Rope* rope, T value);

// ---- Varints (unsigned LEB128) and zigzag. ----

// Bytes the varint encoding of `value` takes: 1..10.
size_t VarintLength(uint64_t value);

// Writes the varint encoding of `value` at `dst` and returns the byte after
// it. Requires: dst has room for kMaxVarint32Length (kMaxVarint64Length).
char* EncodeVarint32(char* dst, uint32_t value);
char* EncodeVarint64(char* dst, uint64_t value);

// Appends the varint encoding of `value` to *rope.
void AppendVarint32(Rope* rope, uint32_t value);
void AppendVarint64(Rope* rope, uint64_t value);

// Decodes the varint at the start of `input`. On kOk sets *value and
// *length (bytes used); otherwise leaves both alone. Reads at most 5 (10)
// bytes of `input`.
DecodeStatus DecodeVarint32(absl::string_view input, uint32_t* value,
                            size_t* length);
DecodeStatus DecodeVarint64(absl::string_view input, uint64_t* value,
                            size_t* length);

// Zigzag mapping of signed to unsigned integers (as protobuf's sint32/64).
constexpr uint32_t ZigZagEncode32(int32_t value);
constexpr uint64_t ZigZagEncode64(int64_t value);
constexpr int32_t ZigZagDecode32(uint32_t value);
constexpr int64_t ZigZagDecode64(uint64_t value);

// ---------------------------------------------------------------------------
// Implementation details.

namespace coding_internal {

template <typename T>
constexpr void CheckIntegral() {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>,
                "fixed-width coding takes a non-bool integral type");
}

inline uint8_t ByteSwap(uint8_t v) { return v; }
inline uint16_t ByteSwap(uint16_t v) { return __builtin_bswap16(v); }
inline uint32_t ByteSwap(uint32_t v) { return __builtin_bswap32(v); }
inline uint64_t ByteSwap(uint64_t v) { return __builtin_bswap64(v); }

// Unsigned type of the same width, as the fixed-width unsigned type (so that
// `unsigned long` and `unsigned long long` both find a ByteSwap overload).
template <typename T>
using UnsignedOf = std::conditional_t<
    sizeof(T) == 1, uint8_t,
    std::conditional_t<sizeof(T) == 2, uint16_t,
                       std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

#ifdef ABSL_IS_LITTLE_ENDIAN
inline constexpr bool kHostIsBigEndian = false;
#else
inline constexpr bool kHostIsBigEndian = true;
#endif

template <typename T, bool kBig>
T Load(const char* p) {
  CheckIntegral<T>();
  using U = UnsignedOf<T>;
  U raw;
  std::memcpy(&raw, p, sizeof(raw));
  if (kBig != kHostIsBigEndian) raw = ByteSwap(raw);
  return static_cast<T>(raw);
}

template <typename T, bool kBig>
void Store(char* p, T value) {
  CheckIntegral<T>();
  using U = UnsignedOf<T>;
  U raw = static_cast<U>(value);
  if (kBig != kHostIsBigEndian) raw = ByteSwap(raw);
  std::memcpy(p, &raw, sizeof(raw));
}

DecodeStatus DecodeVarint32Slow(absl::string_view input, uint32_t* value,
                                size_t* length);
DecodeStatus DecodeVarint64Slow(absl::string_view input, uint64_t* value,
                                size_t* length);

}  // namespace coding_internal

template <typename T>
T LoadBigEndian(const char* p) {
  return coding_internal::Load<T, true>(p);
}
template <typename T>
T LoadLittleEndian(const char* p) {
  return coding_internal::Load<T, false>(p);
}
template <typename T>
void StoreBigEndian(char* p, T value) {
  coding_internal::Store<T, true>(p, value);
}
template <typename T>
void StoreLittleEndian(char* p, T value) {
  coding_internal::Store<T, false>(p, value);
}

template <typename T>
void StoreBigEndian(Rope* rope, size_t pos, T value) {
  char buf[sizeof(T)];
  StoreBigEndian<T>(buf, value);
  rope->Overwrite(pos, absl::string_view(buf, sizeof(T)));
}
template <typename T>
void StoreLittleEndian(Rope* rope, size_t pos, T value) {
  char buf[sizeof(T)];
  StoreLittleEndian<T>(buf, value);
  rope->Overwrite(pos, absl::string_view(buf, sizeof(T)));
}

template <typename T>
void AppendBigEndian(Rope* rope, T value) {
  char buf[sizeof(T)];
  StoreBigEndian<T>(buf, value);
  rope->Append(absl::string_view(buf, sizeof(T)));
}
template <typename T>
void AppendLittleEndian(Rope* rope, T value) {
  char buf[sizeof(T)];
  StoreLittleEndian<T>(buf, value);
  rope->Append(absl::string_view(buf, sizeof(T)));
}

inline size_t VarintLength(uint64_t value) {
  // Bits needed (at least 1), 7 per byte: (bits * 9 + 64) / 64 is
  // ceil(bits / 7) for 1..64 without a division.
  const int bits = 64 - __builtin_clzll(value | 1);
  return static_cast<size_t>((bits * 9 + 64) / 64);
}

inline char* EncodeVarint64(char* dst, uint64_t value) {
  while (value >= 0x80) {
    *dst++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *dst++ = static_cast<char>(value);
  return dst;
}

inline char* EncodeVarint32(char* dst, uint32_t value) {
  return EncodeVarint64(dst, value);
}

// One-byte varints (values below 128: most lengths and tags) are decoded
// inline; longer ones go to the out-of-line loop.
inline DecodeStatus DecodeVarint32(absl::string_view input, uint32_t* value,
                                   size_t* length) {
  if (ABSL_PREDICT_TRUE(!input.empty() &&
                        static_cast<uint8_t>(input[0]) < 0x80)) {
    *value = static_cast<uint8_t>(input[0]);
    *length = 1;
    return DecodeStatus::kOk;
  }
  return coding_internal::DecodeVarint32Slow(input, value, length);
}

inline DecodeStatus DecodeVarint64(absl::string_view input, uint64_t* value,
                                   size_t* length) {
  if (ABSL_PREDICT_TRUE(!input.empty() &&
                        static_cast<uint8_t>(input[0]) < 0x80)) {
    *value = static_cast<uint8_t>(input[0]);
    *length = 1;
    return DecodeStatus::kOk;
  }
  return coding_internal::DecodeVarint64Slow(input, value, length);
}

constexpr uint32_t ZigZagEncode32(int32_t value) {
  return (static_cast<uint32_t>(value) << 1) ^
         static_cast<uint32_t>(value >> 31);
}
constexpr uint64_t ZigZagEncode64(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}
constexpr int32_t ZigZagDecode32(uint32_t value) {
  return static_cast<int32_t>((value >> 1) ^ (~(value & 1) + 1));
}
constexpr int64_t ZigZagDecode64(uint64_t value) {
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

}  // namespace bytesio

#endif  // BYTESIO_CODING_H_
