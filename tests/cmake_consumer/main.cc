// Copyright 2026 The bytesio Authors.
//
// A consumer of the installed bytesio: a quick round trip through the file
// layer, the Cord adapter and the stream adapter. Exit status 0 on success.

#include <iostream>
#include <string>

#include "absl/strings/cord.h"
#include "bytesio/bytes_io.h"
#include "bytesio/cord_adapter.h"
#include "bytesio/rope.h"
#include "bytesio/stream_adapter.h"

int main() {
  bytesio::BytesIO file;
  if (!file.Write("Hello, BytesIO!").ok() || !file.Seek(7).ok()) return 1;
  absl::StatusOr<bytesio::Rope> tail = file.Read();
  if (!tail.ok() || *tail != "BytesIO!") return 1;

  const bytesio::Rope big(std::string(100000, 'x'));
  const absl::Cord cord = bytesio::RopeToCord(big);
  if (bytesio::CordToRope(cord) != big) return 1;

  int n = 0;
  {
    bytesio::BytesIOStream stream(&file);
    stream.seekp(0, std::ios_base::end);
    stream << ' ' << 42;
    stream.seekg(-2, std::ios_base::end);
    stream >> n;
  }
  absl::StatusOr<bytesio::Rope> value = file.GetValue();
  if (n != 42 || !value.ok() || *value != "Hello, BytesIO! 42") return 1;
  std::cout << "consumer: " << *value << "\n";
  return 0;
}
