// Copyright 2026 The bytesio Authors.
//
// Large message assembly without copying: a multipart upload is built from
// small header strings, a file read straight into Rope chunks, a big string
// adopted by a Rope, and one shared Rope used three times; then the whole
// message goes to a file with WriteToFd (writev straight from the chunks).
//
//   headers ──copy──┐                      ┌─ banner (1 Rope, 3 references)
//   file ──read(2)──┼─► message Rope ◄─────┼─ metadata (adopted std::string)
//                   │   [ chunk | chunk |..]└─ preview = file.Subrope(...)
//                   └──────────────► writev(2) of the chunks ──► out file
//
// The program counts the bytes bytesio copied honestly, by pointer identity:
// every chunk of the final message either lies inside memory of one of the
// sources (shared) or it does not (copied). The kernel's own copies (read(2)
// into the chunks, writev(2) out of them) happen with any buffer and are
// not counted. Exit status 0 when the written file is byte-for-byte right.
//
//   ./bazelw run //examples:message_assembly

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bytesio/fd_io.h"
#include "bytesio/rope.h"

namespace {

using bytesio::Rope;

// Where temporary files go: Bazel's per-test directory when run as a test.
std::string TempPath(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name, ".", getpid());
}

// Test setup, not part of the assembly: a file of `size` bytes to upload.
bool CreateInputFile(const std::string& path, size_t size) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>('a' + i % 23);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  const bool ok =
      write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  return close(fd) == 0 && ok;
}

// Reads the whole file into `out` with ReadFromFd: read(2) lands directly in
// the Rope's chunks.
bool ReadFile(const std::string& path, Rope* out) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  for (;;) {
    bytesio::IoResult result = bytesio::ReadFromFd(fd, out);
    if (result.status == bytesio::IoStatus::kEndOfStream) break;
    if (result.status != bytesio::IoStatus::kOk) {
      close(fd);
      return false;
    }
  }
  return close(fd) == 0;
}

// The memory ranges of a Rope's chunks.
using Ranges = std::vector<absl::string_view>;
void AddChunks(const Rope& rope, Ranges* ranges) {
  for (absl::string_view chunk : rope.Chunks()) ranges->push_back(chunk);
}

// Bytes of `message` whose memory is not inside any of `sources`.
size_t CopiedBytes(const Rope& message, const Ranges& sources) {
  size_t copied = 0;
  for (absl::string_view chunk : message.Chunks()) {
    bool shared = false;
    for (absl::string_view source : sources) {
      if (chunk.data() >= source.data() &&
          chunk.data() + chunk.size() <= source.data() + source.size()) {
        shared = true;
        break;
      }
    }
    if (!shared) copied += chunk.size();
  }
  return copied;
}

int Run() {
  const std::string input_path = TempPath("message_assembly_input");
  const std::string output_path = TempPath("message_assembly_output");
  if (!CreateInputFile(input_path, 1 << 20)) {
    std::perror("creating the input file");
    return 1;
  }

  // The sources.
  Rope file;  // 1 MiB, read(2) straight into chunks
  if (!ReadFile(input_path, &file)) {
    std::perror("reading the input file");
    return 1;
  }
  std::string metadata_text;  // e.g. a JSON document produced elsewhere
  for (int i = 0; i < 3000; ++i) {
    absl::StrAppend(&metadata_text, "{\"id\":", i, ",\"tag\":\"x\"},\n");
  }
  const Rope metadata(std::move(metadata_text));   // adopted, not copied
  const Rope banner(std::string(2048, '='));       // shared three times
  const Rope preview = file.Subrope(0, 64 << 10);  // shares file's chunks

  // The assembly.
  Rope message;
  message.Append("POST /upload HTTP/1.1\r\nHost: example.com\r\n");
  message.Append("Content-Type: multipart/mixed; boundary=\"=\"\r\n\r\n");
  message.Append(banner);
  message.Append("\r\nContent-Type: application/json\r\n\r\n");
  message.Append(metadata);
  message.Append(banner);
  message.Append("\r\nContent-Type: application/octet-stream\r\n\r\n");
  message.Append(preview);
  message.Append(banner);
  message.Append("\r\nContent-Type: application/octet-stream\r\n\r\n");
  message.Append(file);

  Ranges sources;
  AddChunks(file, &sources);
  AddChunks(metadata, &sources);
  AddChunks(banner, &sources);
  const size_t total = message.size();
  const size_t copied = CopiedBytes(message, sources);
  size_t chunks = 0;
  for (auto it = message.Chunks().begin(); it != message.Chunks().end(); ++it) {
    ++chunks;
  }

  // One writev: WriteToFd sends up to IOV_MAX iovecs and 4 MiB per call.
  if (chunks > IOV_MAX || total > (size_t{4} << 20)) {
    std::fprintf(stderr, "message too large for a single writev\n");
    return 1;
  }
  const std::string expected = message.ToString();  // for the check below
  const int out = open(output_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (out < 0) {
    std::perror("creating the output file");
    return 1;
  }
  Rope to_send = message;  // O(1): WriteToFd consumes its argument
  bytesio::IoResult written = bytesio::WriteToFd(out, &to_send);
  if (written.status != bytesio::IoStatus::kOk || !to_send.empty()) {
    std::fprintf(stderr, "WriteToFd: %s\n",
                 written.ToStatus().ToString().c_str());
    return 1;
  }

  // Check the file.
  Rope back;
  const bool read_back = close(out) == 0 && ReadFile(output_path, &back);
  unlink(input_path.c_str());
  unlink(output_path.c_str());
  if (!read_back || back != expected) {
    std::fprintf(stderr, "the written file differs from the message\n");
    return 1;
  }

  std::printf("message: %zu bytes in %zu chunks, written with one writev\n",
              total, chunks);
  std::printf(
      "bytes copied by bytesio: %zu of %zu (%.3f%%), "
      "the small header strings\n",
      copied, total,
      100.0 * static_cast<double>(copied) / static_cast<double>(total));
  std::printf("bytes shared: %zu (file chunks, adopted string, shared Rope)\n",
              total - copied);
  return 0;
}

}  // namespace

int main() { return Run(); }
