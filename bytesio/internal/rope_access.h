// Copyright 2026 The bytesio Authors.
//
// RopeAccess: the tests' door into a Rope's representation, for checks of
// structure (slice counts, heights, every invariant of btree.h). A testonly
// target: production code goes through RopeExport (rope_export.h) instead.

#ifndef BYTESIO_INTERNAL_ROPE_ACCESS_H_
#define BYTESIO_INTERNAL_ROPE_ACCESS_H_

#include <cstddef>
#include <string>

#include "bytesio/rope.h"

namespace bytesio {
namespace internal {

struct RopeAccess {
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
