// Copyright 2026 The bytesio Authors.
//
// RopeExport: the one door into a Rope's representation that production
// code uses. BytesIO::GetBuffer hands Python-style writable exports of its
// bytes, which the value API cannot give (a Rope's bytes are immutable once
// shared). Visible to //bytesio only; the structural inspectors tests use
// live in the tests-only RopeAccess (rope_access.h).

#ifndef BYTESIO_INTERNAL_ROPE_EXPORT_H_
#define BYTESIO_INTERNAL_ROPE_EXPORT_H_

#include "bytesio/rope.h"

namespace bytesio {
namespace internal {

struct RopeExport {
  // Makes the rope one run of one unique owned chunk (copying when it is
  // not already) and returns its writable bytes. Writes through the pointer
  // change this Rope in place and are NOT isolated from copies of it made
  // afterwards: the caller must copy, not share, while it writes. The
  // pointer is valid until the rope is next modified, copied-from for a
  // mutation, moved or destroyed. Returns null for an empty rope. O(1) when
  // the rope already is such a run, else O(n) (one copy).
  static char* MutableFlat(Rope* rope);
};

}  // namespace internal
}  // namespace bytesio

#endif  // BYTESIO_INTERNAL_ROPE_EXPORT_H_
