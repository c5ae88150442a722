// Copyright 2026 The bytesio Authors.
//
// Helpers for the framing and I/O tests (testonly; //tests:framing_test_util):
// ropes with chunk boundaries exactly where a test wants them, chunk counts,
// zero-copy checks by pointer identity, random cuts of a stream.

#ifndef BYTESIO_TESTS_FRAMING_TEST_UTIL_H_
#define BYTESIO_TESTS_FRAMING_TEST_UTIL_H_

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bytesio/rope.h"

namespace bytesio {
namespace testutil {

// A Rope whose chunks are exactly `pieces` (empty ones skipped): each piece
// is adopted as its own RopeBuffer, so nothing is coalesced or copied.
Rope RopeFromPieces(const std::vector<std::string>& pieces);

// Number of chunks Rope::Chunks() visits.
size_t ChunkCount(const Rope& rope);

// True when every byte of `part` lies in memory of one of `whole`'s chunks
// (pointer identity: `part` shares, not copies).
bool SharesMemoryWith(const Rope& part, const Rope& whole);

// Cuts `data` into consecutive pieces of 1..max_piece bytes (random sizes).
std::vector<std::string> CutRandomly(std::mt19937_64& rng,
                                     absl::string_view data, size_t max_piece);

}  // namespace testutil

using testutil::ChunkCount;
using testutil::CutRandomly;
using testutil::RopeFromPieces;
using testutil::SharesMemoryWith;

}  // namespace bytesio

#endif  // BYTESIO_TESTS_FRAMING_TEST_UTIL_H_
