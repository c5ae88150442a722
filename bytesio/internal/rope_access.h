// Copyright 2026 The bytesio Authors.
//
// RopeAccess: the one door into a Rope's representation, for the layers of
// this library that need more than the value API (BytesIO's exported buffer)
// and for tests that check structure (chunk counts, tree invariants). Not
// part of the public API: only bytesio's own targets may depend on it.

#ifndef BYTESIO_INTERNAL_ROPE_ACCESS_H_
#define BYTESIO_INTERNAL_ROPE_ACCESS_H_

#include <cstddef>
#include <string>

#include "bytesio/rope.h"

namespace bytesio {
namespace internal {

struct RopeAccess {
  // Makes the rope one run of one unique owned chunk (copying when it is
  // not already) and returns its writable bytes. Writes through the pointer
  // change this Rope in place and are NOT isolated from copies of it made
  // afterwards: the caller must copy, not share, while it writes. The
  // pointer is valid until the rope is next modified, copied-from for a
  // mutation, moved or destroyed. Returns null for an empty rope.
  static char* MutableFlat(Rope* rope);

  // Number of slices (chunk references) the rope holds; 0 when inline.
  static size_t SliceCount(const Rope& rope);

  // Height of the tree; -1 for inline and slice representations.
  static int TreeHeight(const Rope& rope);

  // Which representation: "inline", "slice" or "tree".
  static const char* Kind(const Rope& rope);

  // Checks every structural invariant (sizes add up, heights consistent,
  // non-root inner nodes have >= 2 children, no empty slices, slices inside
  // their chunks). Returns "" when all hold, else a description.
  static std::string CheckInvariants(const Rope& rope);
};

}  // namespace internal
}  // namespace bytesio

#endif  // BYTESIO_INTERNAL_ROPE_ACCESS_H_
