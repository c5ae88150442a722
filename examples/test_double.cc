// Copyright 2026 The bytesio Authors.
//
// BytesIO as a test double. The code under test below knows nothing about
// bytesio: it takes a std::istream&, a std::ostream& and a FILE*, as code
// that reads and writes files usually does. The "test" (main) hands it
// BytesIOs through BytesIOStream and FOpen, then checks what was written
// with GetValue(), without touching the disk. tests/test_double_test.cc is
// the same pattern with GoogleTest.
//
//   ./bazelw run //examples:test_double

#include <cstdio>
#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bytesio/bytes_io.h"
#include "bytesio/file_adapter.h"
#include "bytesio/rope.h"
#include "bytesio/stream_adapter.h"

// ---- Code under test: plain C++ and C I/O. ------------------------------

// Reads "name quantity price" lines and writes one "name: total" line per
// item; returns the number of items.
int PriceItems(std::istream& in, std::ostream& out) {
  int items = 0;
  std::string name;
  int quantity;
  double price;
  while (in >> name >> quantity >> price) {
    out << name << ": " << quantity * price << '\n';
    ++items;
  }
  return items;
}

// Appends a one-line audit record with C stdio.
void LogAudit(FILE* log, const char* user, int items) {
  std::fprintf(log, "user=%s items=%d\n", user, items);
}

// ---- The test. ----------------------------------------------------------

namespace {

bool Expect(const char* what, const absl::StatusOr<bytesio::Rope>& value,
            const std::string& expected) {
  if (value.ok() && *value == expected) return true;
  std::cerr << what << ": got "
            << (value.ok() ? value->ToString() : value.status().ToString())
            << ", want " << expected << "\n";
  return false;
}

}  // namespace

int main() {
  bytesio::BytesIO input("apple 3 0.5\npear 2 1.25\n");
  bytesio::BytesIO output;
  bytesio::BytesIO log("user=root items=0\n");

  int items;
  {
    bytesio::BytesIOStream in(&input);
    bytesio::BytesIOStream out(&output);
    items = PriceItems(in, out);
  }  // the streams flush into the BytesIOs when they go away

  absl::StatusOr<FILE*> file = bytesio::FOpen(&log, "a");  // writes append
  if (!file.ok()) {
    std::cerr << file.status() << "\n";
    return 1;
  }
  LogAudit(*file, "alice", items);
  std::fclose(*file);  // flushes; `log` stays alive

  bool ok = items == 2;
  ok &= Expect("output", output.GetValue(), "apple: 1.5\npear: 2.5\n");
  ok &=
      Expect("log", log.GetValue(), "user=root items=0\nuser=alice items=2\n");
  std::cout << (ok ? "test_double: all checks passed\n"
                   : "test_double: FAILED\n");
  return ok ? 0 : 1;
}
