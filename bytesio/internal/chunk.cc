// Copyright 2026 The bytesio Authors.

#include "bytesio/internal/chunk.h"

#include <cassert>
#include <new>

namespace bytesio {
namespace internal {

Chunk* Chunk::NewOwned(size_t capacity) {
  assert(capacity <= kMaxOwnedCapacity);
  void* memory = ::operator new(kHeaderSize + capacity);
  return new (memory) Chunk(static_cast<uint32_t>(capacity));
}

void Chunk::Destroy() const {
  Chunk* self = const_cast<Chunk*>(this);
  if (is_owned()) {
    self->~Chunk();
    ::operator delete(self);
    return;
  }
  auto* external = static_cast<ExternalChunk*>(self);
  external->destroy_(external);
}

namespace {

// Zero bytes for gap filling. Non-const so that it lands in .bss: untouched
// pages cost nothing, and the chunk is never unique, so never written.
char zeros[kZeroChunkSize];

class ZeroChunkImpl final : public ExternalChunk {
 public:
  ZeroChunkImpl() : ExternalChunk(zeros, kZeroChunkSize, &DestroyImpl) {
    // The static's own reference keeps it alive (and never unique).
  }

 private:
  static void DestroyImpl(ExternalChunk*) { assert(false && "zero chunk"); }
};

}  // namespace

const Chunk* ZeroChunk() {
  // Immortal: never destroyed, so ropes released during static destruction
  // may still unref it.
  static const ZeroChunkImpl* const chunk = new ZeroChunkImpl();
  return chunk;
}

}  // namespace internal
}  // namespace bytesio
