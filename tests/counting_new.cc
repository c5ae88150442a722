// Copyright 2026 The bytesio Authors.

#include "tests/counting_new.h"

#include <atomic>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BYTESIO_NO_NEW_REPLACEMENT 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define BYTESIO_NO_NEW_REPLACEMENT 1
#endif

namespace {
std::atomic<size_t> g_allocations{0};
std::atomic<size_t> g_bytes{0};
}  // namespace

#ifndef BYTESIO_NO_NEW_REPLACEMENT
// noinline: once inlined, GCC 12 pairs the malloc/free below with new/delete
// and reports a false -Wmismatched-new-delete in optimised builds.
__attribute__((noinline)) void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(size, std::memory_order_relaxed);
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
__attribute__((noinline)) void operator delete(void* p) noexcept {
  std::free(p);
}
__attribute__((noinline)) void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
#endif

namespace bytesio {
namespace testutil {

bool AllocationCountingAvailable() {
#ifdef BYTESIO_NO_NEW_REPLACEMENT
  return false;
#else
  return true;
#endif
}

size_t AllocationCount() { return g_allocations.load(); }
size_t AllocatedBytes() { return g_bytes.load(); }

}  // namespace testutil
}  // namespace bytesio
