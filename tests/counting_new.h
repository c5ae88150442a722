// Copyright 2026 The bytesio Authors.
//
// Counts heap allocations by replacing the global operator new/delete, for
// tests that assert a code path allocates nothing (or only so much). Link it
// only into such tests: the replacement is global to the binary.
// ThreadSanitizer's runtime defines operator new itself, so under TSan the
// replacement is left out and AllocationCountingAvailable() is false.

#ifndef BYTESIO_TESTS_COUNTING_NEW_H_
#define BYTESIO_TESTS_COUNTING_NEW_H_

#include <cstddef>

namespace bytesio {
namespace testutil {

// False when allocations cannot be counted in this build (TSan).
bool AllocationCountingAvailable();

// Calls of operator new, and bytes they asked for, since the program began.
size_t AllocationCount();
size_t AllocatedBytes();

}  // namespace testutil
}  // namespace bytesio

#endif  // BYTESIO_TESTS_COUNTING_NEW_H_
