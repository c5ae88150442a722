// Copyright 2026 The bytesio Authors.
//
// Zero-copy conversion between bytesio::Rope and absl::Cord.
//
// Use these where a Rope meets code that speaks absl::Cord (protobuf's Cord
// fields and streams, gRPC byte buffers wrapped as Cords, Abseil-based
// storage layers) or the other way round. Large chunks change hands by
// reference, never by copy: each side holds a reference to the other's
// storage and releases it when its own last reference goes.
//
//   RopeToCord:   Rope  [ chunk A (64 KiB) | 40 B | chunk C (8 KiB) ]
//                          │                  │         │
//                 Cord  [ external ─► A  |  flat copy | external ─► C ]
//                          releaser holds Rope::Subrope(A) (one slice,
//                          no allocation), dropped when the Cord node goes
//
//   CordToRope:   Cord  [ flat F (4 KiB) | 12 B | external E ]
//                          │                │       │
//                 Rope  [ external ─► F  | copy  | external ─► E ]
//                          releaser holds Cord::Subcord(F), dropped when
//                          the last Rope chunk reference goes
//
// A round trip Rope -> Cord -> Rope (or Cord -> Rope -> Cord) leaves every
// large chunk's bytes where they were: the data pointers of the result's
// large chunks equal the source's. The wrappers nest (a Rope chunk holding a
// Cord node holding a Rope slice); they cost one small header each.
//
// Copy small, share large: a chunk of at most kMaxBytesToCopy bytes is
// copied (and coalesced with its small neighbours) instead of shared, for
// the reason given at Rope::kMaxBytesToCopy. The threshold is Rope's and
// absl's own (cord_internal::kMaxBytesToCopy is also 511), so Cord::Append
// never copies a piece we meant to share. Sharing a chunk pins all of it,
// as it does between Ropes: a 600-byte slice of a 64 KiB chunk keeps the
// 64 KiB alive in the other representation too.
//
// Thread safety: the conversions are const operations on their source and
// may run concurrently with other const operations on it. Releasers may run
// on whichever thread drops the last reference; they only drop a Rope or a
// Cord reference, which is safe from any thread.

#ifndef BYTESIO_CORD_ADAPTER_H_
#define BYTESIO_CORD_ADAPTER_H_

#include <cstddef>

#include "absl/strings/cord.h"
#include "bytesio/rope.h"

namespace bytesio {

// Returns a Cord with the bytes of `rope`. Each chunk larger than
// Rope::kMaxBytesToCopy becomes an external Cord node over the same memory
// whose releaser holds a reference to that chunk (no byte copied); smaller
// chunks are copied. `rope` may be modified or destroyed afterwards.
// Cost: O(k log k) for k chunks, plus the bytes copied (each at most
// Rope::kMaxBytesToCopy per chunk).
absl::Cord RopeToCord(const Rope& rope);

// Returns a Rope with the bytes of `cord`. Each Cord chunk larger than
// Rope::kMaxBytesToCopy becomes an external Rope chunk over the same memory
// whose releaser holds a Cord::Subcord of just that chunk (no byte copied,
// and only that Cord node is pinned); smaller chunks are copied. `cord` may
// be modified or destroyed afterwards.
// Cost: O(k log k) for k chunks, plus the bytes copied.
Rope CordToRope(const absl::Cord& cord);

}  // namespace bytesio

#endif  // BYTESIO_CORD_ADAPTER_H_
