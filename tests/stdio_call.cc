// Copyright 2026 The bytesio Authors.

#include "tests/stdio_call.h"

#include <sys/types.h>

#include <cerrno>
#include <cstdlib>
#include <ostream>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace bytesio {
namespace testutil {

std::string StdioResult::ToString() const {
  return absl::StrCat("{value ", value, ", ", bytes.size(), " bytes, errno ",
                      error, ", eof ", eof, ", err ", err, "}");
}

std::ostream& operator<<(std::ostream& os, const StdioResult& r) {
  return os << r.ToString();
}

StdioResult RunStdioCall(FILE* f, const StdioCall& call) {
  StdioResult r;
  bool failed = false;
  errno = 0;
  switch (call.kind) {
    case StdioCall::kFread: {
      std::string buf(static_cast<size_t>(call.arg), '\0');
      const size_t n = fread(&buf[0], 1, buf.size(), f);
      buf.resize(n);
      r.value = static_cast<int64_t>(n);
      r.bytes = std::move(buf);
      failed = n < static_cast<size_t>(call.arg) && ferror(f);
      break;
    }
    case StdioCall::kFwrite: {
      const size_t n = fwrite(call.data.data(), 1, call.data.size(), f);
      r.value = static_cast<int64_t>(n);
      failed = n < call.data.size();
      break;
    }
    case StdioCall::kFgetc:
      r.value = fgetc(f);
      failed = r.value == EOF && ferror(f);
      break;
    case StdioCall::kFputc:
      r.value = fputc(static_cast<int>(call.arg), f);
      failed = r.value == EOF;
      break;
    case StdioCall::kFseeko:
      r.value = fseeko(f, static_cast<off_t>(call.arg), call.whence);
      failed = r.value != 0;
      break;
    case StdioCall::kFtello:
      r.value = ftello(f);
      failed = r.value < 0;
      break;
    case StdioCall::kFflush:
      r.value = fflush(f);
      failed = r.value != 0;
      break;
    case StdioCall::kFgets: {
      std::string buf(static_cast<size_t>(call.arg), '#');
      const char* s = fgets(&buf[0], static_cast<int>(call.arg), f);
      r.value = s != nullptr;
      if (s != nullptr) r.bytes = std::move(buf);
      failed = s == nullptr && ferror(f);
      break;
    }
    case StdioCall::kUngetc:
      r.value = ungetc(static_cast<int>(call.arg), f);
      failed = r.value == EOF;
      break;
    case StdioCall::kClearerr:
      clearerr(f);
      break;
    case StdioCall::kFprintf:
      r.value = fprintf(f, "%.*s|%d\n", static_cast<int>(call.data.size()),
                        call.data.data(), static_cast<int>(call.arg));
      failed = r.value < 0;
      break;
    case StdioCall::kGetline: {
      char* line = nullptr;
      size_t capacity = 0;
      const ssize_t n = getline(&line, &capacity, f);
      r.value = n;
      if (n > 0) r.bytes.assign(line, static_cast<size_t>(n));
      std::free(line);
      failed = n < 0 && ferror(f);
      break;
    }
  }
  if (failed) r.error = errno;
  r.eof = feof(f) != 0;
  r.err = ferror(f) != 0;
  return r;
}

std::string Describe(const StdioCall& op) {
  switch (op.kind) {
    case StdioCall::kFread:
      return absl::StrCat("fread(", op.arg, ")");
    case StdioCall::kFwrite:
      return absl::StrCat("fwrite(\"", absl::CHexEscape(op.data.substr(0, 8)),
                          "\"/", op.data.size(), ")");
    case StdioCall::kFgetc:
      return "fgetc";
    case StdioCall::kFputc:
      return absl::StrCat("fputc(", op.arg, ")");
    case StdioCall::kFseeko:
      return absl::StrCat("fseeko(", op.arg, ", ",
                          op.whence == SEEK_SET   ? "SET"
                          : op.whence == SEEK_CUR ? "CUR"
                                                  : "END",
                          ")");
    case StdioCall::kFtello:
      return "ftello";
    case StdioCall::kFflush:
      return "fflush";
    case StdioCall::kFgets:
      return absl::StrCat("fgets(", op.arg, ")");
    case StdioCall::kUngetc:
      return absl::StrCat("ungetc(", op.arg, ")");
    case StdioCall::kClearerr:
      return "clearerr";
    case StdioCall::kFprintf:
      return absl::StrCat("fprintf(\"", absl::CHexEscape(op.data.substr(0, 8)),
                          "\"/", op.data.size(), ", ", op.arg, ")");
    case StdioCall::kGetline:
      return "getline";
  }
  return "?";
}

}  // namespace testutil
}  // namespace bytesio
