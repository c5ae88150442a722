// Copyright 2026 The bytesio Authors.
//
// The classic first example: write "Hello, BytesIO!", seek back to the
// start, read it back and print it. Then a snapshot with GetValue() and
// line-by-line reading with ReadLine().
//
//   ./bazelw run //examples:quick_start

#include <cstdio>
#include <iostream>

#include "absl/status/status.h"
#include "bytesio/bytes_io.h"
#include "bytesio/rope.h"

namespace {

absl::Status Run() {
  bytesio::BytesIO f;

  // Write, seek to 0, read it back.
  absl::StatusOr<size_t> written = f.Write("Hello, BytesIO!");
  if (!written.ok()) return written.status();
  if (absl::StatusOr<int64_t> pos = f.Seek(0); !pos.ok()) return pos.status();
  absl::StatusOr<bytesio::Rope> greeting = f.Read();
  if (!greeting.ok()) return greeting.status();
  std::cout << *greeting << "\n";

  // GetValue() is an O(1) snapshot: later writes do not change it.
  if (absl::StatusOr<int64_t> pos = f.Seek(0); !pos.ok()) return pos.status();
  if (absl::StatusOr<size_t> n = f.Write("J"); !n.ok()) return n.status();
  absl::StatusOr<bytesio::Rope> value = f.GetValue();
  if (!value.ok()) return value.status();
  std::cout << "GetValue(): " << *value << " (was " << *greeting << ")\n";

  // Reading line by line: only '\n' ends a line.
  bytesio::BytesIO lines("first line\nsecond line\n");
  for (;;) {
    absl::StatusOr<bytesio::Rope> line = lines.ReadLine();
    if (!line.ok()) return line.status();
    if (line->empty()) break;  // end of data
    std::cout << "ReadLine(): " << *line;
  }
  return absl::OkStatus();
}

}  // namespace

int main() {
  absl::Status status = Run();
  if (!status.ok()) {
    std::cerr << "quick_start: " << status << "\n";
    return 1;
  }
  return 0;
}
