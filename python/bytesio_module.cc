// Copyright 2026 The bytesio Authors.
//
// The CPython extension module `bytesio`: bytesio::BytesIO as a drop-in
// io.BytesIO, and bytesio::FrameDecoder for stream framing.
//
// Written against the C API directly (not pybind11): the buffer protocol
// (getbuffer's export lock, readinto into any writable buffer, memoryview
// frames), positional-only METH_FASTCALL methods and CPython's exact
// argument-error texts are all plain C API, and a call costs what io.BytesIO's
// own calls cost, which is the bar for small reads and writes.
//
// Layout of the objects:
//
//   bytesio.BytesIO ──► BytesIO (C++) ──► Rope ──► chunks ...
//        │   ▲                                      └─ external chunk ──► bytes
//        │   └──── _Export (holds the owner and one ExportedBuffer)  (shared)
//        │                 ▲
//        └─ value_cache    └── memoryview from getbuffer()
//
// Sharing: a write of an exact `bytes` larger than Rope::kMaxBytesToCopy
// adopts the object as an external chunk (a new reference; the releaser drops
// it with the GIL held), so `bytes` are never copied on the way in. getvalue()
// copies the rope into one new `bytes` object (it must be contiguous), then
// adopts that object as the whole content: later getvalue() calls return it
// again (O(1)) and the pieces it was built from are released.
//
// The GIL: the C++ BytesIO is not thread-safe, so every call on it holds the
// GIL. The GIL is released only to copy large byte ranges between a Rope that
// this call owns (a snapshot: ropes sharing chunks are safe on any thread)
// and memory no other thread can see (a `bytes` object not yet returned) or a
// buffer the call holds an export of.

#define PY_SSIZE_T_CLEAN
#include <Python.h>
// Python.h first, as the C API requires.

#include <sys/mman.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bytesio/bytes_io.h"
#include "bytesio/coding.h"
#include "bytesio/frame_decoder.h"
#include "bytesio/rope.h"

namespace bytesio {
namespace python {
namespace {

// Copies of at least this many bytes run with the GIL released. Releasing
// and retaking the GIL costs ~0.2 us and, with other threads waiting, a
// context switch; 1 MiB takes ~50 us to copy, so below it the switch is not
// worth the latency it adds for everyone.
constexpr size_t kReleaseGilBytes = size_t{1} << 20;

// A new `bytes` of at least this size is asked to be backed by transparent
// huge pages before it is filled: faulting in 4 KiB pages costs as much as
// the copy itself at this size (measured: 1 GB copied into fresh memory in
// 0.87 s with 4 KiB pages, 0.40 s with 2 MiB pages). 32 MiB is glibc's
// largest mmap threshold, so such a buffer is always its own mapping and the
// advice cannot reach the heap around it.
constexpr size_t kHugePageBytes = size_t{32} << 20;

// read(n) and readline() of at most this many bytes copy through a stack
// buffer instead of taking a Rope: the call overhead is the whole cost of
// such calls, and a shared slice's reference count is most of ours. Lines
// and reads are usually far shorter; 512 keeps the stack frame small.
constexpr size_t kSmallReadBytes = 512;

// readline() looks for the newline in a stack copy of this many bytes
// ahead, then falls back to BytesIO::ReadLine. Most text lines are shorter;
// a wider window would copy bytes past the line on every call (measured:
// 512 bytes of window cost ~10% of a 40-byte readline).
constexpr size_t kLineWindowBytes = 128;

// write() of an exact bytes of at most kStageBytes at the end of the stream
// is staged in the Python object (up to kStageCapacity bytes) and handed to
// the C++ stream in one Write when any other method runs or the stage is
// full. A small append through the rope walks its tree to the tail chunk
// (measured: ~30 ns more than io.BytesIO's memcpy for a 16-byte write); a
// staged one is a memcpy. 4 KiB is one page: one rope append per 256
// 16-byte writes, and little memory held outside the rope.
constexpr size_t kStageBytes = 256;
constexpr size_t kStageCapacity = 4096;

// FrameDecoder.feed shares an exact `bytes` at least this large instead of
// copying it into the decoder's tail chunk: at 64 KiB the copy dominates.
// Copying a 1,500-byte packet into the tail is cheaper than an external
// chunk (an allocation, a tree entry, frames that span pieces), even when
// the piece lies inside one large frame's body (measured: sharing such
// pieces, FrameDecoder::missing() >= their size, gave 64 KiB frames no
// gain once frames are copied out by TakeInto).
constexpr size_t kFeedShareBytes = size_t{64} << 10;

PyObject* unsupported_operation = nullptr;  // io.UnsupportedOperation

// ---------------------------------------------------------------------------
// Errors.

// Raises the Python exception of docs/semantics.md section 8 for `status`
// and returns null. FailedPrecondition means either a closed stream or live
// exports; the message, which the C++ layer fixes to Python's text, tells
// which.
PyObject* SetError(const absl::Status& status) {
  const std::string message(status.message());
  PyObject* type = PyExc_RuntimeError;
  switch (status.code()) {
    case absl::StatusCode::kFailedPrecondition:
      type = absl::string_view(message).substr(0, 16) == "Existing exports"
                 ? PyExc_BufferError
                 : PyExc_ValueError;
      break;
    case absl::StatusCode::kInvalidArgument:
      type = PyExc_ValueError;
      break;
    case absl::StatusCode::kOutOfRange:
      type = PyExc_OverflowError;
      break;
    case absl::StatusCode::kResourceExhausted:
      type = PyExc_MemoryError;
      break;
    case absl::StatusCode::kUnimplemented:
      type = unsupported_operation;
      break;
    default:
      break;
  }
  PyErr_SetString(type, message.c_str());
  return nullptr;
}

PyObject* ClosedError() {
  PyErr_SetString(PyExc_ValueError, "I/O operation on closed file.");
  return nullptr;
}

PyObject* ExportsError() {
  PyErr_SetString(PyExc_BufferError,
                  "Existing exports of data: object cannot be re-sized");
  return nullptr;
}

bool CheckMaxArgs(const char* name, Py_ssize_t nargs, Py_ssize_t max) {
  if (nargs <= max) return true;
  PyErr_Format(PyExc_TypeError, "%s expected at most %zd argument%s, got %zd",
               name, max, max == 1 ? "" : "s", nargs);
  return false;
}

bool CheckArgs(const char* name, Py_ssize_t nargs, Py_ssize_t n) {
  if (nargs == n) return true;
  PyErr_Format(PyExc_TypeError, "%s() takes exactly %zd argument%s (%zd given)",
               name, n, n == 1 ? "" : "s", nargs);
  return false;
}

// CPython's converter for read/read1/readline/truncate sizes: None or an
// object with __index__; absent keeps *out.
bool ConvertOptionalSize(PyObject* arg, Py_ssize_t* out) {
  if (PyLong_CheckExact(arg)) {
    // The usual case, without the __index__ protocol's calls. Out of range
    // is the same OverflowError PyNumber_AsSsize_t raises.
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(arg, &overflow);
    if (overflow == 0 && value >= PY_SSIZE_T_MIN && value <= PY_SSIZE_T_MAX) {
      *out = static_cast<Py_ssize_t>(value);
      return true;
    }
  }
  if (arg == Py_None) {
    *out = -1;
    return true;
  }
  if (!PyIndex_Check(arg)) {
    PyErr_Format(PyExc_TypeError,
                 "argument should be integer or None, not '%.200s'",
                 Py_TYPE(arg)->tp_name);
    return false;
  }
  *out = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
  return !(*out == -1 && PyErr_Occurred());
}

// ---------------------------------------------------------------------------
// Bytes in and out.

// Releases a `bytes` object adopted as an external chunk. Ropes can drop
// their last reference wherever a snapshot dies, so the releaser takes the
// GIL itself (a no-op cost when the thread already holds it).
struct PyRefReleaser {
  PyObject* object;
  void operator()() const {
    PyGILState_STATE state = PyGILState_Ensure();
    Py_DECREF(object);
    PyGILState_Release(state);
  }
};

// A Rope over an exact `bytes`, sharing it: no byte is copied.
Rope ShareBytes(PyObject* bytes) {
  Py_INCREF(bytes);
  return Rope::FromExternal(
      absl::string_view(PyBytes_AS_STRING(bytes), PyBytes_GET_SIZE(bytes)),
      PyRefReleaser{bytes});
}

// A Rope holding a copy of `view`, built with the GIL released when large
// (the caller holds the buffer's export, so its memory stays put).
Rope CopyToRope(absl::string_view view) {
  if (view.size() < kReleaseGilBytes) return Rope(view);
  Rope rope;
  Py_BEGIN_ALLOW_THREADS rope = Rope(view);
  Py_END_ALLOW_THREADS return rope;
}

// Holds a contiguous read-only buffer of an object (PyBUF_CONTIG_RO), with
// CPython's errors: TypeError "a bytes-like object is required, not 'str'",
// BufferError for a non-contiguous memoryview.
class ReadBuffer {
 public:
  ReadBuffer() = default;
  ReadBuffer(const ReadBuffer&) = delete;
  ReadBuffer& operator=(const ReadBuffer&) = delete;
  ~ReadBuffer() {
    if (held_) PyBuffer_Release(&view_);
  }
  bool Get(PyObject* object) {
    held_ = PyObject_GetBuffer(object, &view_, PyBUF_CONTIG_RO) == 0;
    return held_;
  }
  absl::string_view view() const {
    return absl::string_view(static_cast<const char*>(view_.buf),
                             static_cast<size_t>(view_.len));
  }

 private:
  Py_buffer view_;
  bool held_ = false;
};

// Turns a bytes-like object into a Rope: an exact `bytes` above the copy
// threshold is shared, anything else is copied (a bytearray may change
// later; the stream must not).
bool ToRope(PyObject* object, size_t share_above, Rope* out) {
  if (PyBytes_CheckExact(object) &&
      static_cast<size_t>(PyBytes_GET_SIZE(object)) > share_above) {
    *out = ShareBytes(object);
    return true;
  }
  ReadBuffer buffer;
  if (!buffer.Get(object)) return false;
  *out = CopyToRope(buffer.view());
  return true;
}

// Copies `rope` into `dest` (rope.size() bytes), with the GIL released when
// large. Requires: the caller owns `rope` (a snapshot) and `dest` is memory
// no other thread uses.
void CopyOut(const Rope& rope, char* dest) {
  if (rope.size() < kReleaseGilBytes) {
    rope.CopyTo(absl::MakeSpan(dest, rope.size()));
    return;
  }
  Py_BEGIN_ALLOW_THREADS rope.CopyTo(absl::MakeSpan(dest, rope.size()));
  Py_END_ALLOW_THREADS
}

// Advises the kernel to back [data, data + size) with huge pages (only the
// whole 2 MiB pages inside it).
void AdviseHugePages(char* data, size_t size) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin =
      (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end =
      (reinterpret_cast<uintptr_t>(data) + size) & ~(kHuge - 1);
  if (end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)data;
  (void)size;
#endif
}

// A new `bytes` holding a copy of `rope`.
PyObject* ToBytes(const Rope& rope) {
  if (std::optional<absl::string_view> flat = rope.TryFlat();
      flat.has_value() && flat->size() < kReleaseGilBytes) {
    return PyBytes_FromStringAndSize(flat->data(),
                                     static_cast<Py_ssize_t>(flat->size()));
  }
  PyObject* bytes =
      PyBytes_FromStringAndSize(nullptr, static_cast<Py_ssize_t>(rope.size()));
  if (bytes == nullptr) return nullptr;
  if (rope.size() >= kHugePageBytes) {
    AdviseHugePages(PyBytes_AS_STRING(bytes), rope.size());
  }
  CopyOut(rope, PyBytes_AS_STRING(bytes));
  return bytes;
}

// ---------------------------------------------------------------------------
// bytesio.BytesIO

struct BytesIOObject {
  PyObject_HEAD
      // dict and weakreflist sit where io's base object keeps them, so that
      // inherited _io._BufferedIOBase code that reaches them finds them.
      PyObject* dict;
  PyObject* weakreflist;
  BytesIO io;
  // Live _Export objects (getbuffer views). BytesIO counts its exports too;
  // this copy lets write() refuse before it converts its argument, in
  // CPython's order.
  Py_ssize_t exports;
  // A `bytes` equal to the whole content, or null. Set by getvalue(),
  // cleared by every call that can change the content (getbuffer included:
  // a view may write).
  PyObject* value_cache;
  // Bumped by every call that can change the content. getvalue() copies
  // with the GIL released; it adopts its copy only if no call changed the
  // content meanwhile.
  uint64_t generation;
  // Small writes at the end, not yet handed to `io`: the stream's content is
  // io's followed by these bytes, and its position io's plus their count.
  // Non-empty only while io's position is its end. Every other method hands
  // them over first (Stream()), so only write() and writelines() see them.
  // kStageCapacity bytes, allocated at the first staged write.
  char* stage;
  size_t staged;
  // The read window: the bytes from window_start to the end of the chunk
  // that holds it, in window_rope (a Subrope of a content snapshot, so the
  // chunk stays alive), valid while window_valid and window_generation ==
  // generation. Small reads and short lines inside it are copied straight
  // from it (io.Read would take and drop a slice reference per call), and
  // the position moves with Seek. Every mutation drops the window first, so
  // the snapshot never makes a write copy a chunk it could have written.
  Rope window_rope;
  absl::string_view window;
  int64_t window_start;
  uint64_t window_generation;
  bool window_valid;
  // Reads from the window move the position here instead of in `io`
  // (cursor_pending); Sync() hands it over before anything else uses `io`.
  int64_t cursor;
  bool cursor_pending;
};

PyTypeObject bytes_io_type;
PyTypeObject export_type;

BytesIOObject* AsBytesIO(PyObject* self) {
  return reinterpret_cast<BytesIOObject*>(self);
}

// Hands the staged writes to the C++ stream. It cannot fail: staging
// happens only while the stream is open, unexported and positioned at its
// end, and whatever ends staging (close, getbuffer, ...) flushes first.
void DropWindow(BytesIOObject* self) {
  if (!self->window_valid) return;
  self->window_valid = false;
  self->window = absl::string_view();
  self->window_rope.Clear();
}

void FlushStaged(BytesIOObject* self) {
  if (self->staged == 0) return;
  DropWindow(self);
  absl::StatusOr<size_t> written =
      self->io.Write(absl::string_view(self->stage, self->staged));
  assert(written.ok());
  (void)written;
  self->staged = 0;
}

// Moves io's position to where window reads left it. Cannot fail: the
// cursor lies inside the data.
void SyncPosition(BytesIOObject* self) {
  if (!self->cursor_pending) return;
  self->cursor_pending = false;
  absl::StatusOr<int64_t> moved = self->io.Seek(self->cursor);
  assert(moved.ok());
  (void)moved;
}

// Hands staged writes and the window cursor to io.
void Sync(BytesIOObject* self) {
  FlushStaged(self);
  SyncPosition(self);
}

// The position, wherever it is kept; fails like Tell() when closed.
absl::StatusOr<int64_t> CurrentPosition(BytesIOObject* self) {
  if (self->cursor_pending) return self->cursor;
  return self->io.Tell();
}

// The C++ stream, with the staged writes and the cursor handed over: what
// every method but write() and the window reads works on.
BytesIO& Stream(PyObject* object) {
  BytesIOObject* self = reinterpret_cast<BytesIOObject*>(object);
  Sync(self);
  return self->io;
}

// True when the position is the end of the data (no overseek), so a write
// may be staged. Requires: nothing staged.
bool AtEnd(BytesIO* io) {
  absl::StatusOr<int64_t> pos = io->Tell();
  if (!pos.ok()) return false;
  absl::StatusOr<int64_t> end = io->Seek(0, BytesIO::kSeekEnd);
  if (end.ok() && *end == *pos) return true;
  (void)io->Seek(*pos);
  return false;
}

// Called before every change to the content (the window must go before the
// change, so that the change finds the chunks unshared).
void InvalidateCache(BytesIOObject* self) {
  DropWindow(self);
  Py_CLEAR(self->value_cache);
  ++self->generation;
}

PyObject* BytesIONew(PyTypeObject* type, PyObject*, PyObject*) {
  PyObject* object = type->tp_alloc(type, 0);
  if (object == nullptr) return nullptr;
  BytesIOObject* self = AsBytesIO(object);
  new (&self->io) BytesIO();
  self->exports = 0;
  self->value_cache = nullptr;
  self->generation = 0;
  self->stage = nullptr;
  self->staged = 0;
  new (&self->window_rope) Rope();
  new (&self->window) absl::string_view();
  self->window_start = 0;
  self->window_generation = 0;
  self->window_valid = false;
  self->cursor = 0;
  self->cursor_pending = false;
  return object;
}

int BytesIOTraverse(PyObject* object, visitproc visit, void* arg) {
  Py_VISIT(AsBytesIO(object)->dict);
  return 0;
}

int BytesIOClear(PyObject* object) {
  Py_CLEAR(AsBytesIO(object)->dict);
  return 0;
}

void BytesIODealloc(PyObject* object) {
  BytesIOObject* self = AsBytesIO(object);
  PyObject_GC_UnTrack(object);
  if (self->weakreflist != nullptr) PyObject_ClearWeakRefs(object);
  Py_CLEAR(self->dict);
  Py_CLEAR(self->value_cache);
  // No export can be live: each _Export holds a reference to this object.
  self->io.~BytesIO();
  PyMem_Free(self->stage);
  self->window_rope.~Rope();
  Py_TYPE(object)->tp_free(object);
}

// BytesIO(initial_bytes=b"") / __init__: CPython's rules, including its
// closed-object oddities (docs/semantics.md, constructor).
int BytesIOInit(PyObject* object, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"initial_bytes", nullptr};
  PyObject* initial = nullptr;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:BytesIO",
                                   const_cast<char**>(keywords), &initial)) {
    return -1;
  }
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  if (self->exports > 0) {
    ExportsError();
    return -1;
  }
  Rope value;
  if (initial == nullptr || initial == Py_None) {
    // CPython leaves a closed stream closed here.
    if (self->io.closed()) return 0;
  } else if (PyBytes_CheckExact(initial)) {
    if (!ToRope(initial, Rope::kMaxBytesToCopy, &value)) return -1;
  } else {
    if (self->io.closed()) {
      ClosedError();
      return -1;
    }
    if (!ToRope(initial, Rope::kMaxBytesToCopy, &value)) return -1;
  }
  InvalidateCache(self);
  absl::Status status = self->io.Reset(std::move(value));
  if (!status.ok()) {
    SetError(status);
    return -1;
  }
  return 0;
}

// Makes the read window cover `pos`. False when it cannot (exported: the
// view may change the bytes; at or past the end).
bool WindowAt(BytesIOObject* self, int64_t pos) {
  if (self->window_valid && self->window_generation == self->generation &&
      pos >= self->window_start &&
      pos - self->window_start < static_cast<int64_t>(self->window.size())) {
    return true;
  }
  DropWindow(self);
  if (self->exports > 0) return false;
  absl::StatusOr<Rope> value = self->io.GetValue();
  if (!value.ok() || pos >= static_cast<int64_t>(value->size())) return false;
  const size_t start = static_cast<size_t>(pos);
  self->window_rope = value->Subrope(start, value->size() - start);
  self->window = self->window_rope.FirstChunk();
  self->window_start = pos;
  self->window_generation = self->generation;
  self->window_valid = true;
  return true;
}

// The bytes of the window from `pos` on. Requires: WindowAt(self, pos).
absl::string_view WindowFrom(const BytesIOObject* self, int64_t pos) {
  return self->window.substr(static_cast<size_t>(pos - self->window_start));
}

// Returns `data` as bytes and moves the position to pos + data.size().
PyObject* TakeFromWindow(BytesIOObject* self, int64_t pos,
                         absl::string_view data) {
  PyObject* bytes = PyBytes_FromStringAndSize(
      data.data(), static_cast<Py_ssize_t>(data.size()));
  if (bytes == nullptr) return nullptr;
  self->cursor = pos + static_cast<int64_t>(data.size());
  self->cursor_pending = true;
  return bytes;
}

// The bytes of the read window from the position on, when earlier window
// reads keep the position (cursor_pending) and the window is current: the
// hot path of small read() and readline() calls, a few loads and compares
// where WindowAt asks the stream for its position first. False sends the
// call to the general path. A closed or exported stream, or one with staged
// writes, never gets here: close() and getbuffer() sync and drop the
// window, and a write bumps the generation.
inline bool PendingWindow(const BytesIOObject* self, absl::string_view* ahead) {
  if (!self->cursor_pending || !self->window_valid ||
      self->window_generation != self->generation) {
    return false;
  }
  const uint64_t offset =
      static_cast<uint64_t>(self->cursor - self->window_start);
  if (offset >= self->window.size()) return false;
  *ahead = absl::string_view(self->window.data() + offset,
                             self->window.size() - offset);
  return true;
}

// An exact int in [0, 2^30) read straight from the object (one digit in
// CPython 3.11's layout; the compact value from 3.12 on), without
// ConvertOptionalSize's calls into the interpreter. False for anything
// else, which the general converter then handles with CPython's errors.
inline bool SmallNonNegativeInt(PyObject* arg, Py_ssize_t* out) {
  if (!PyLong_CheckExact(arg)) return false;
  PyLongObject* number = reinterpret_cast<PyLongObject*>(arg);
#if PY_VERSION_HEX >= 0x030C0000
  if (!PyUnstable_Long_IsCompact(number)) return false;
  const Py_ssize_t value = PyUnstable_Long_CompactValue(number);
  if (value < 0) return false;
  *out = value;
  return true;
#else
  const Py_ssize_t digits = Py_SIZE(arg);
  if (digits == 0) {
    *out = 0;
    return true;
  }
  if (digits != 1) return false;
  *out = static_cast<Py_ssize_t>(number->ob_digit[0]);
  return true;
#endif
}

// readline(limit) for a line that ends inside the read window, or null
// with no exception set when it does not.
PyObject* LineFromWindow(BytesIOObject* self, int64_t pos, Py_ssize_t limit) {
  if (!WindowAt(self, pos)) return nullptr;
  absl::string_view ahead = WindowFrom(self, pos);
  // The window's chunk is the last one: no newline means the line ends with
  // the data.
  const bool reaches_end = self->window.size() == self->window_rope.size();
  const bool limited = limit >= 0 && static_cast<size_t>(limit) <= ahead.size();
  if (limited) ahead = ahead.substr(0, static_cast<size_t>(limit));
  const void* newline = std::memchr(ahead.data(), '\n', ahead.size());
  if (newline != nullptr) {
    const size_t length =
        static_cast<size_t>(static_cast<const char*>(newline) - ahead.data()) +
        1;
    return TakeFromWindow(self, pos, ahead.substr(0, length));
  }
  if (limited || reaches_end) return TakeFromWindow(self, pos, ahead);
  return nullptr;
}

// readline(limit): lines that end within kLineWindowBytes are found in a
// stack copy of the bytes ahead (one ReadInto, then a Seek back to the end
// of the line), which costs less than the shared Rope ReadLine returns.
// Longer lines take ReadLine.
PyObject* ReadLine(BytesIOObject* self, Py_ssize_t limit) {
  BytesIO* io = &self->io;
  absl::StatusOr<int64_t> position = CurrentPosition(self);
  if (!position.ok()) return SetError(position.status());
  if (PyObject* line = LineFromWindow(self, *position, limit)) return line;
  if (PyErr_Occurred()) return nullptr;
  SyncPosition(self);
  const size_t window =
      limit >= 0 && static_cast<size_t>(limit) < kLineWindowBytes
          ? static_cast<size_t>(limit)
          : kLineWindowBytes;
  absl::StatusOr<int64_t> start = io->Tell();
  if (!start.ok()) return SetError(start.status());
  char buffer[kLineWindowBytes];
  absl::StatusOr<size_t> n = io->ReadInto(absl::MakeSpan(buffer, window));
  if (!n.ok()) return SetError(n.status());
  const void* newline = std::memchr(buffer, '\n', *n);
  // The line ends in the window: at a newline, at the end of the data (a
  // short read), or at the limit.
  if (newline != nullptr || *n < window ||
      window == static_cast<size_t>(limit)) {
    const size_t length =
        newline != nullptr
            ? static_cast<size_t>(static_cast<const char*>(newline) - buffer) +
                  1
            : *n;
    if (length < *n) {
      absl::StatusOr<int64_t> moved =
          io->Seek(*start + static_cast<int64_t>(length));
      if (!moved.ok()) return SetError(moved.status());
    }
    return PyBytes_FromStringAndSize(buffer, static_cast<Py_ssize_t>(length));
  }
  absl::StatusOr<int64_t> back = io->Seek(*start);
  if (!back.ok()) return SetError(back.status());
  absl::StatusOr<Rope> line = io->ReadLine(limit);
  if (!line.ok()) return SetError(line.status());
  return ToBytes(*line);
}

PyObject* BytesIORead(PyObject* object, PyObject* const* args,
                      Py_ssize_t nargs) {
  BytesIOObject* self = AsBytesIO(object);
  Py_ssize_t size = -1;
  absl::string_view ahead;
  if (nargs == 1 && SmallNonNegativeInt(args[0], &size) &&
      static_cast<size_t>(size) <= kSmallReadBytes &&
      PendingWindow(self, &ahead) &&
      static_cast<size_t>(size) <= ahead.size()) {
    return TakeFromWindow(self, self->cursor,
                          ahead.substr(0, static_cast<size_t>(size)));
  }
  if (!CheckMaxArgs("read", nargs, 1)) return nullptr;
  size = -1;
  if (nargs == 1 && !ConvertOptionalSize(args[0], &size)) return nullptr;
  FlushStaged(self);
  BytesIO& io = self->io;
  if (size >= 0 && static_cast<size_t>(size) <= kSmallReadBytes) {
    absl::StatusOr<int64_t> pos = CurrentPosition(self);
    if (!pos.ok()) return SetError(pos.status());
    if (WindowAt(self, *pos)) {
      ahead = WindowFrom(self, *pos);
      if (static_cast<size_t>(size) <= ahead.size()) {
        return TakeFromWindow(self, *pos,
                              ahead.substr(0, static_cast<size_t>(size)));
      }
    }
    SyncPosition(self);
    // Small reads copy through the stack: cheaper than a shared Rope
    // (a slice reference taken and dropped) for the bytes they return.
    char buffer[kSmallReadBytes];
    absl::StatusOr<size_t> n =
        io.ReadInto(absl::MakeSpan(buffer, static_cast<size_t>(size)));
    if (!n.ok()) return SetError(n.status());
    return PyBytes_FromStringAndSize(buffer, static_cast<Py_ssize_t>(*n));
  }
  SyncPosition(self);
  absl::StatusOr<Rope> data = io.Read(size);
  if (!data.ok()) return SetError(data.status());
  return ToBytes(*data);
}

PyObject* BytesIORead1(PyObject* object, PyObject* const* args,
                       Py_ssize_t nargs) {
  if (!CheckMaxArgs("read1", nargs, 1)) return nullptr;
  return BytesIORead(object, args, nargs);
}

PyObject* BytesIOReadLine(PyObject* object, PyObject* const* args,
                          Py_ssize_t nargs) {
  BytesIOObject* self = AsBytesIO(object);
  absl::string_view ahead;
  if (nargs == 0 && PendingWindow(self, &ahead)) {
    // The window's chunk may be the last one: without a newline in it the
    // line may end with the data or go on in the next chunk, which
    // ReadLine below tells apart.
    const void* newline = std::memchr(ahead.data(), '\n', ahead.size());
    if (newline != nullptr) {
      const size_t length =
          static_cast<size_t>(static_cast<const char*>(newline) -
                              ahead.data()) +
          1;
      return TakeFromWindow(self, self->cursor, ahead.substr(0, length));
    }
  }
  if (!CheckMaxArgs("readline", nargs, 1)) return nullptr;
  Py_ssize_t size = -1;
  if (nargs == 1 && !ConvertOptionalSize(args[0], &size)) return nullptr;
  FlushStaged(self);
  return ReadLine(self, size);
}

PyObject* BytesIOReadLines(PyObject* object, PyObject* const* args,
                           Py_ssize_t nargs) {
  if (!CheckMaxArgs("readlines", nargs, 1)) return nullptr;
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  // CPython checks closed before the hint (docs/semantics.md 2.1).
  if (self->io.closed()) return ClosedError();
  Py_ssize_t hint = 0;
  if (nargs == 1 && args[0] != Py_None) {
    if (!PyLong_Check(args[0])) {
      PyErr_Format(PyExc_TypeError, "integer argument expected, got '%s'",
                   Py_TYPE(args[0])->tp_name);
      return nullptr;
    }
    hint = PyLong_AsSsize_t(args[0]);
    if (hint == -1 && PyErr_Occurred()) return nullptr;
  }
  absl::StatusOr<std::vector<Rope>> lines = self->io.ReadLines(hint);
  if (!lines.ok()) return SetError(lines.status());
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(lines->size()));
  if (list == nullptr) return nullptr;
  for (size_t i = 0; i < lines->size(); ++i) {
    PyObject* line = ToBytes((*lines)[i]);
    if (line == nullptr) {
      Py_DECREF(list);
      return nullptr;
    }
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), line);
  }
  return list;
}

PyObject* BytesIOReadIntoImpl(PyObject* object, PyObject* const* args,
                              Py_ssize_t nargs, const char* name) {
  if (!CheckArgs(name, nargs, 1)) return nullptr;
  Py_buffer view;
  if (PyObject_GetBuffer(args[0], &view, PyBUF_WRITABLE) < 0) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError,
                 "%s() argument must be read-write bytes-like object, not %s",
                 name, args[0] == Py_None ? "None" : Py_TYPE(args[0])->tp_name);
    return nullptr;
  }
  if (!PyBuffer_IsContiguous(&view, 'C')) {
    PyBuffer_Release(&view);
    PyErr_Format(PyExc_TypeError,
                 "%s() argument must be contiguous buffer, not %s", name,
                 Py_TYPE(args[0])->tp_name);
    return nullptr;
  }
  BytesIO& io = Stream(object);
  absl::Span<char> dest(static_cast<char*>(view.buf),
                        static_cast<size_t>(view.len));
  absl::StatusOr<size_t> n;
  if (dest.size() < kReleaseGilBytes) {
    n = io.ReadInto(dest);
  } else {
    // Take the bytes as a Rope (shared, O(log k)), then copy them into the
    // caller's buffer, whose export we hold, with the GIL released.
    absl::StatusOr<Rope> data = io.Read(static_cast<int64_t>(dest.size()));
    if (data.ok()) {
      CopyOut(*data, dest.data());
      n = data->size();
    } else {
      n = data.status();
    }
  }
  PyBuffer_Release(&view);
  if (!n.ok()) return SetError(n.status());
  return PyLong_FromSize_t(*n);
}

PyObject* BytesIOReadInto(PyObject* object, PyObject* const* args,
                          Py_ssize_t nargs) {
  return BytesIOReadIntoImpl(object, args, nargs, "readinto");
}

PyObject* BytesIOReadInto1(PyObject* object, PyObject* const* args,
                           Py_ssize_t nargs) {
  return BytesIOReadIntoImpl(object, args, nargs, "readinto1");
}

// write(b): closed, then exports, then the argument (CPython 3.11's order).
PyObject* WriteOne(BytesIOObject* self, PyObject* data) {
  // The hot path: a small bytes appended to a non-empty stage. Staged bytes
  // mean the stream is open, unexported and positioned at its end, with no
  // window cursor pending (whatever changes that flushes the stage first).
  if (self->staged > 0 && PyBytes_CheckExact(data)) {
    const size_t size = static_cast<size_t>(PyBytes_GET_SIZE(data));
    if (size - 1 < kStageBytes && self->staged + size <= kStageCapacity) {
      std::memcpy(self->stage + self->staged, PyBytes_AS_STRING(data), size);
      self->staged += size;
      InvalidateCache(self);
      return PyLong_FromSize_t(size);
    }
  }
  SyncPosition(self);
  if (self->io.closed()) return ClosedError();
  if (self->exports > 0) return ExportsError();
  // Assigned on every path below: a default StatusOr costs a Status
  // construction per call.
  absl::StatusOr<size_t> n = size_t{0};
  if (PyBytes_CheckExact(data)) {
    // bytes need no buffer request: the data is right in the object.
    const absl::string_view bytes(PyBytes_AS_STRING(data),
                                  static_cast<size_t>(PyBytes_GET_SIZE(data)));
    if (bytes.size() <= kStageBytes && !bytes.empty() &&
        (self->staged > 0 || AtEnd(&self->io))) {
      if (self->stage == nullptr) {
        self->stage = static_cast<char*>(PyMem_Malloc(kStageCapacity));
        if (self->stage == nullptr) return PyErr_NoMemory();
      }
      if (self->staged + bytes.size() > kStageCapacity) {
        FlushStaged(self);  // the position is still the end
      }
      std::memcpy(self->stage + self->staged, bytes.data(), bytes.size());
      self->staged += bytes.size();
      InvalidateCache(self);
      return PyLong_FromSize_t(bytes.size());
    }
    FlushStaged(self);
    DropWindow(self);
    n = bytes.size() > Rope::kMaxBytesToCopy ? self->io.Write(ShareBytes(data))
                                             : self->io.Write(bytes);
  } else {
    FlushStaged(self);
    DropWindow(self);
    ReadBuffer buffer;
    if (!buffer.Get(data)) return nullptr;
    if (buffer.view().size() < kReleaseGilBytes) {
      n = self->io.Write(buffer.view());
    } else {
      n = self->io.Write(CopyToRope(buffer.view()));
    }
  }
  if (!n.ok()) return SetError(n.status());
  InvalidateCache(self);
  return PyLong_FromSize_t(*n);
}

// METH_O, as io.BytesIO's own write: the interpreter's cheapest call, and
// its argument-count error text.
PyObject* BytesIOWrite(PyObject* object, PyObject* data) {
  return WriteOne(AsBytesIO(object), data);
}

PyObject* BytesIOWriteLines(PyObject* object, PyObject* const* args,
                            Py_ssize_t nargs) {
  if (!CheckArgs("writelines", nargs, 1)) return nullptr;
  BytesIOObject* self = AsBytesIO(object);
  if (self->io.closed()) return ClosedError();
  PyObject* iterator = PyObject_GetIter(args[0]);
  if (iterator == nullptr) return nullptr;
  PyObject* item;
  while ((item = PyIter_Next(iterator)) != nullptr) {
    PyObject* result = WriteOne(self, item);
    Py_DECREF(item);
    if (result == nullptr) {
      Py_DECREF(iterator);
      return nullptr;
    }
    Py_DECREF(result);
  }
  Py_DECREF(iterator);
  if (PyErr_Occurred()) return nullptr;
  Py_RETURN_NONE;
}

PyObject* BytesIOSeek(PyObject* object, PyObject* const* args,
                      Py_ssize_t nargs) {
  if (nargs < 1) {
    PyErr_SetString(PyExc_TypeError,
                    "seek expected at least 1 argument, got 0");
    return nullptr;
  }
  if (!CheckMaxArgs("seek", nargs, 2)) return nullptr;
  PyObject* index = PyNumber_Index(args[0]);
  if (index == nullptr) return nullptr;
  const Py_ssize_t pos = PyLong_AsSsize_t(index);
  Py_DECREF(index);
  if (pos == -1 && PyErr_Occurred()) return nullptr;
  int whence = 0;
  if (nargs == 2) {
    index = PyNumber_Index(args[1]);
    if (index == nullptr) return nullptr;
    int overflow = 0;
    const long value = PyLong_AsLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (value == -1 && PyErr_Occurred()) return nullptr;
    if (overflow != 0 || value > INT32_MAX || value < INT32_MIN) {
      PyErr_SetString(PyExc_OverflowError,
                      "Python int too large to convert to C int");
      return nullptr;
    }
    whence = static_cast<int>(value);
  }
  absl::StatusOr<int64_t> result = Stream(object).Seek(pos, whence);
  if (!result.ok()) return SetError(result.status());
  return PyLong_FromLongLong(*result);
}

PyObject* BytesIOTell(PyObject* object, PyObject*) {
  absl::StatusOr<int64_t> pos = Stream(object).Tell();
  if (!pos.ok()) return SetError(pos.status());
  return PyLong_FromLongLong(*pos);
}

PyObject* BytesIOTruncate(PyObject* object, PyObject* const* args,
                          Py_ssize_t nargs) {
  if (!CheckMaxArgs("truncate", nargs, 1)) return nullptr;
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  DropWindow(self);
  std::optional<Py_ssize_t> size;
  if (nargs == 1 && args[0] != Py_None) {
    Py_ssize_t value;
    if (!ConvertOptionalSize(args[0], &value)) return nullptr;
    size = value;
  }
  absl::StatusOr<int64_t> result =
      size.has_value() ? self->io.Truncate(*size) : self->io.Truncate();
  if (!result.ok()) return SetError(result.status());
  InvalidateCache(self);
  return PyLong_FromLongLong(*result);
}

PyObject* GetValue(BytesIOObject* self) {
  Sync(self);
  if (self->value_cache != nullptr) {
    Py_INCREF(self->value_cache);
    return self->value_cache;
  }
  absl::StatusOr<Rope> value = self->io.GetValue();
  if (!value.ok()) return SetError(value.status());
  const uint64_t generation = self->generation;
  PyObject* bytes = ToBytes(*value);
  if (bytes == nullptr || self->exports > 0 || self->generation != generation ||
      self->value_cache != nullptr) {
    return bytes;
  }
  // Adopt the new object as the content: the same bytes, one contiguous
  // external chunk, so the next getvalue() is O(1) and the pieces it was
  // copied from are released now instead of being held twice.
  if (value->size() > Rope::kMaxBytesToCopy) {
    absl::StatusOr<int64_t> pos = self->io.Tell();
    DropWindow(self);
    if (pos.ok() && self->io.SetState(ShareBytes(bytes), *pos).ok()) {
      Py_INCREF(bytes);
      self->value_cache = bytes;
    }
  } else {
    Py_INCREF(bytes);
    self->value_cache = bytes;
  }
  return bytes;
}

PyObject* BytesIOGetValue(PyObject* object, PyObject*) {
  return GetValue(AsBytesIO(object));
}

// getbuffer(): a memoryview over an _Export, which holds one C++ export for
// as long as the memoryview (or any slice of it) lives.
struct ExportObject {
  PyObject_HEAD PyObject* owner;
  BytesIO::ExportedBuffer buffer;
};

PyObject* BytesIOGetBuffer(PyObject* object, PyObject*) {
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  DropWindow(self);
  absl::StatusOr<BytesIO::ExportedBuffer> buffer = self->io.GetBuffer();
  if (!buffer.ok()) return SetError(buffer.status());
  InvalidateCache(self);
  ExportObject* exported = PyObject_New(ExportObject, &export_type);
  if (exported == nullptr) return nullptr;
  new (&exported->buffer) BytesIO::ExportedBuffer(*std::move(buffer));
  Py_INCREF(object);
  exported->owner = object;
  ++self->exports;
  PyObject* view =
      PyMemoryView_FromObject(reinterpret_cast<PyObject*>(exported));
  Py_DECREF(exported);
  return view;
}

PyObject* BytesIOClose(PyObject* object, PyObject*) {
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  DropWindow(self);
  absl::Status status = self->io.Close();
  if (!status.ok()) return SetError(status);
  InvalidateCache(self);
  Py_RETURN_NONE;
}

PyObject* BoolResult(const absl::StatusOr<bool>& result) {
  if (!result.ok()) return SetError(result.status());
  return PyBool_FromLong(*result);
}

PyObject* BytesIOReadable(PyObject* object, PyObject*) {
  return BoolResult(Stream(object).Readable());
}
PyObject* BytesIOWritable(PyObject* object, PyObject*) {
  return BoolResult(Stream(object).Writable());
}
PyObject* BytesIOSeekable(PyObject* object, PyObject*) {
  return BoolResult(Stream(object).Seekable());
}
PyObject* BytesIOIsAtty(PyObject* object, PyObject*) {
  return BoolResult(Stream(object).IsAtty());
}

PyObject* BytesIOFlush(PyObject* object, PyObject*) {
  absl::Status status = Stream(object).Flush();
  if (!status.ok()) return SetError(status);
  Py_RETURN_NONE;
}

PyObject* BytesIOFileno(PyObject* object, PyObject*) {
  absl::StatusOr<int> fd = Stream(object).Fileno();
  if (!fd.ok()) return SetError(fd.status());
  return PyLong_FromLong(*fd);
}

PyObject* BytesIODetach(PyObject* object, PyObject*) {
  absl::Status status = Stream(object).Detach();
  if (!status.ok()) return SetError(status);
  Py_RETURN_NONE;
}

PyObject* BytesIOEnter(PyObject* object, PyObject*) {
  if (Stream(object).closed()) return ClosedError();
  Py_INCREF(object);
  return object;
}

PyObject* BytesIOExit(PyObject* object, PyObject* const*, Py_ssize_t) {
  return PyObject_CallMethod(object, "close", nullptr);
}

PyObject* BytesIOIterNext(PyObject* object) {
  BytesIOObject* self = AsBytesIO(object);
  FlushStaged(self);
  PyObject* line = ReadLine(self, -1);
  if (line != nullptr && PyBytes_GET_SIZE(line) == 0) {
    Py_DECREF(line);
    return nullptr;  // StopIteration, no exception object
  }
  return line;
}

PyObject* BytesIOGetState(PyObject* object, PyObject*) {
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  PyObject* value = GetValue(self);
  if (value == nullptr) return nullptr;
  absl::StatusOr<int64_t> pos = self->io.Tell();
  if (!pos.ok()) {
    Py_DECREF(value);
    return SetError(pos.status());
  }
  PyObject* dict;
  if (self->dict == nullptr) {
    Py_INCREF(Py_None);
    dict = Py_None;
  } else {
    dict = PyDict_Copy(self->dict);
    if (dict == nullptr) {
      Py_DECREF(value);
      return nullptr;
    }
  }
  return Py_BuildValue("(NLN)", value, static_cast<long long>(*pos), dict);
}

// __setstate__((value, pos, dict)): every item is checked before anything
// changes, so a bad state leaves the stream as it was.
PyObject* BytesIOSetState(PyObject* object, PyObject* state) {
  BytesIOObject* self = AsBytesIO(object);
  Sync(self);
  if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) < 3) {
    PyErr_Format(PyExc_TypeError,
                 "%.200s.__setstate__ argument should be 3-tuple, got %.200s",
                 Py_TYPE(object)->tp_name, Py_TYPE(state)->tp_name);
    return nullptr;
  }
  if (self->io.closed()) return ClosedError();
  if (self->exports > 0) return ExportsError();
  PyObject* position = PyTuple_GET_ITEM(state, 1);
  if (!PyLong_Check(position)) {
    PyErr_Format(PyExc_TypeError,
                 "second item of state must be an integer, not %.200s",
                 Py_TYPE(position)->tp_name);
    return nullptr;
  }
  const Py_ssize_t pos = PyLong_AsSsize_t(position);
  if (pos == -1 && PyErr_Occurred()) return nullptr;
  PyObject* dict = PyTuple_GET_ITEM(state, 2);
  if (dict != Py_None && !PyDict_Check(dict)) {
    PyErr_Format(PyExc_TypeError,
                 "third item of state should be a dict, got a %.200s",
                 Py_TYPE(dict)->tp_name);
    return nullptr;
  }
  Rope value;
  if (!ToRope(PyTuple_GET_ITEM(state, 0), Rope::kMaxBytesToCopy, &value)) {
    return nullptr;
  }
  DropWindow(self);
  absl::Status status = self->io.SetState(std::move(value), pos);
  if (!status.ok()) return SetError(status);
  InvalidateCache(self);
  if (dict != Py_None) {
    if (self->dict == nullptr) {
      Py_INCREF(dict);
      self->dict = dict;
    } else if (PyDict_Update(self->dict, dict) < 0) {
      return nullptr;
    }
  }
  Py_RETURN_NONE;
}

PyObject* BytesIOGetClosed(PyObject* object, void*) {
  return PyBool_FromLong(Stream(object).closed());
}

PyMethodDef bytes_io_methods[] = {
    {"read",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(BytesIORead)),
     METH_FASTCALL,
     "read(size=-1, /)\n--\n\nRead at most size bytes, returned as bytes."},
    {"read1",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(BytesIORead1)),
     METH_FASTCALL, "read1(size=-1, /)\n--\n\nSame as read()."},
    {"readline",
     reinterpret_cast<PyCFunction>(
         reinterpret_cast<void (*)()>(BytesIOReadLine)),
     METH_FASTCALL,
     "readline(size=-1, /)\n--\n\nNext line (through b'\\n'), at most size "
     "bytes."},
    {"readlines",
     reinterpret_cast<PyCFunction>(
         reinterpret_cast<void (*)()>(BytesIOReadLines)),
     METH_FASTCALL,
     "readlines(size=None, /)\n--\n\nList of the remaining lines; stop once "
     "size bytes were read."},
    {"readinto",
     reinterpret_cast<PyCFunction>(
         reinterpret_cast<void (*)()>(BytesIOReadInto)),
     METH_FASTCALL,
     "readinto(buffer, /)\n--\n\nRead into a writable buffer; return the "
     "count."},
    {"readinto1",
     reinterpret_cast<PyCFunction>(
         reinterpret_cast<void (*)()>(BytesIOReadInto1)),
     METH_FASTCALL, "readinto1(buffer, /)\n--\n\nSame as readinto()."},
    {"write", BytesIOWrite, METH_O,
     "write(b, /)\n--\n\nWrite a bytes-like object; large bytes are shared, "
     "not copied."},
    {"writelines",
     reinterpret_cast<PyCFunction>(
         reinterpret_cast<void (*)()>(BytesIOWriteLines)),
     METH_FASTCALL, "writelines(lines, /)\n--\n\nWrite each item of lines."},
    {"seek",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(BytesIOSeek)),
     METH_FASTCALL,
     "seek(pos, whence=0, /)\n--\n\nChange the position; return the new one."},
    {"tell", BytesIOTell, METH_NOARGS, "tell()\n--\n\nCurrent position."},
    {"truncate",
     reinterpret_cast<PyCFunction>(
         reinterpret_cast<void (*)()>(BytesIOTruncate)),
     METH_FASTCALL,
     "truncate(size=None, /)\n--\n\nCut to size bytes (default: the "
     "position)."},
    {"getvalue", BytesIOGetValue, METH_NOARGS,
     "getvalue()\n--\n\nThe whole contents as bytes."},
    {"getbuffer", BytesIOGetBuffer, METH_NOARGS,
     "getbuffer()\n--\n\nA writable memoryview of the contents; the stream "
     "cannot be resized while it lives."},
    {"close", BytesIOClose, METH_NOARGS, "close()\n--\n\nDrop the contents."},
    {"readable", BytesIOReadable, METH_NOARGS, "readable()\n--\n\nTrue."},
    {"writable", BytesIOWritable, METH_NOARGS, "writable()\n--\n\nTrue."},
    {"seekable", BytesIOSeekable, METH_NOARGS, "seekable()\n--\n\nTrue."},
    {"isatty", BytesIOIsAtty, METH_NOARGS, "isatty()\n--\n\nFalse."},
    {"flush", BytesIOFlush, METH_NOARGS, "flush()\n--\n\nDoes nothing."},
    {"fileno", BytesIOFileno, METH_NOARGS,
     "fileno()\n--\n\nRaises io.UnsupportedOperation."},
    {"detach", BytesIODetach, METH_NOARGS,
     "detach()\n--\n\nRaises io.UnsupportedOperation."},
    {"__enter__", BytesIOEnter, METH_NOARGS, nullptr},
    {"__exit__",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(BytesIOExit)),
     METH_FASTCALL, nullptr},
    {"__getstate__", BytesIOGetState, METH_NOARGS, nullptr},
    {"__setstate__", BytesIOSetState, METH_O, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

PyGetSetDef bytes_io_getset[] = {
    {"closed", BytesIOGetClosed, nullptr, "True once close() was called.",
     nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

// _Export: the object a getbuffer() memoryview is a view of.

void ExportDealloc(PyObject* object) {
  ExportObject* self = reinterpret_cast<ExportObject*>(object);
  // Release the C++ export before dropping the owner it points into.
  self->buffer.~ExportedBuffer();
  --AsBytesIO(self->owner)->exports;
  Py_DECREF(self->owner);
  PyObject_Free(object);
}

int ExportGetBuffer(PyObject* object, Py_buffer* view, int flags) {
  ExportObject* self = reinterpret_cast<ExportObject*>(object);
  return PyBuffer_FillInfo(view, object, self->buffer.data(),
                           static_cast<Py_ssize_t>(self->buffer.size()),
                           /*readonly=*/0, flags);
}

PyBufferProcs export_buffer_procs = {ExportGetBuffer, nullptr};

// ---------------------------------------------------------------------------
// bytesio.FrameDecoder

struct FrameDecoderObject {
  PyObject_HEAD std::optional<FrameDecoder> decoder;
};

PyTypeObject frame_decoder_type;
PyTypeObject frame_view_type;

FrameDecoderObject* AsDecoder(PyObject* self) {
  return reinterpret_cast<FrameDecoderObject*>(self);
}

PyObject* FrameDecoderNew(PyTypeObject* type, PyObject*, PyObject*) {
  PyObject* object = type->tp_alloc(type, 0);
  if (object == nullptr) return nullptr;
  new (&AsDecoder(object)->decoder) std::optional<FrameDecoder>();
  return object;
}

void FrameDecoderDealloc(PyObject* object) {
  AsDecoder(object)->decoder.~optional();
  Py_TYPE(object)->tp_free(object);
}

// FrameDecoder(framing="length_field", *, max_frame_size=16 MiB, ...): the
// options of bytesio/frame_decoder.h, each only with its framing.
int FrameDecoderInit(PyObject* object, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {
      "framing",           "max_frame_size", "field_size",
      "byteorder",         "field_offset",   "length_counts_header",
      "length_adjustment", "bytes_to_strip", "delimiter",
      "strip_delimiter",   nullptr};
  const char* framing = "length_field";
  Py_ssize_t max_frame_size =
      static_cast<Py_ssize_t>(FrameDecoder::kDefaultMaxFrameSize);
  PyObject* field_size = nullptr;
  const char* byteorder = nullptr;
  PyObject* field_offset = nullptr;
  PyObject* counts_header = nullptr;
  PyObject* adjustment = nullptr;
  PyObject* strip = nullptr;
  Py_buffer delimiter = {};
  delimiter.obj = nullptr;
  PyObject* strip_delimiter = nullptr;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|s$nOsOOOOy*O:FrameDecoder",
                                   const_cast<char**>(keywords), &framing,
                                   &max_frame_size, &field_size, &byteorder,
                                   &field_offset, &counts_header, &adjustment,
                                   &strip, &delimiter, &strip_delimiter)) {
    return -1;
  }
  struct BufferGuard {
    Py_buffer* view;
    ~BufferGuard() {
      if (view->obj != nullptr) PyBuffer_Release(view);
    }
  } guard{&delimiter};
  if (max_frame_size < 1) {
    PyErr_SetString(PyExc_ValueError, "max_frame_size must be at least 1");
    return -1;
  }
  const std::string kind(framing);
  const bool length = kind == "length_field";
  const bool delimited = kind == "delimiter";
  if (!length && !delimited && kind != "varint") {
    PyErr_Format(PyExc_ValueError,
                 "framing must be 'length_field', 'varint' or 'delimiter', "
                 "not '%s'",
                 framing);
    return -1;
  }
  const bool has_length_option =
      field_size != nullptr || byteorder != nullptr ||
      field_offset != nullptr || counts_header != nullptr ||
      adjustment != nullptr || strip != nullptr;
  const bool has_delimiter_option =
      delimiter.obj != nullptr || strip_delimiter != nullptr;
  if ((has_length_option && !length) || (has_delimiter_option && !delimited)) {
    PyErr_Format(PyExc_TypeError, "an option was given that %s framing lacks",
                 framing);
    return -1;
  }
  FrameDecoderObject* self = AsDecoder(object);
  const size_t max = static_cast<size_t>(max_frame_size);
  if (length) {
    LengthFieldFraming options;
    auto as_size = [](PyObject* value, size_t* out) {
      if (value == nullptr) return true;
      const size_t n = PyLong_AsSize_t(value);
      if (n == static_cast<size_t>(-1) && PyErr_Occurred()) return false;
      *out = n;
      return true;
    };
    if (!as_size(field_size, &options.field_size) ||
        !as_size(field_offset, &options.field_offset)) {
      return -1;
    }
    if (strip != nullptr && strip != Py_None &&
        !as_size(strip, &options.bytes_to_strip)) {
      return -1;
    }
    if (byteorder != nullptr) {
      const std::string order(byteorder);
      if (order == "big") {
        options.byte_order = ByteOrder::kBigEndian;
      } else if (order == "little") {
        options.byte_order = ByteOrder::kLittleEndian;
      } else {
        PyErr_SetString(PyExc_ValueError,
                        "byteorder must be either 'little' or 'big'");
        return -1;
      }
    }
    if (counts_header != nullptr) {
      const int truth = PyObject_IsTrue(counts_header);
      if (truth < 0) return -1;
      options.length_counts_header = truth != 0;
    }
    if (adjustment != nullptr) {
      const long long value = PyLong_AsLongLong(adjustment);
      if (value == -1 && PyErr_Occurred()) return -1;
      options.length_adjustment = value;
    }
    self->decoder.emplace(options, max);
  } else if (delimited) {
    DelimiterFraming options;
    if (delimiter.obj != nullptr) {
      options.delimiter.assign(static_cast<const char*>(delimiter.buf),
                               static_cast<size_t>(delimiter.len));
    }
    if (strip_delimiter != nullptr) {
      const int truth = PyObject_IsTrue(strip_delimiter);
      if (truth < 0) return -1;
      options.strip_delimiter = truth != 0;
    }
    self->decoder.emplace(std::move(options), max);
  } else {
    self->decoder.emplace(VarintFraming{}, max);
  }
  if (!self->decoder->status().ok()) {
    const std::string message(self->decoder->status().message());
    self->decoder.reset();
    PyErr_SetString(PyExc_ValueError, message.c_str());
    return -1;
  }
  return 0;
}

FrameDecoder* CheckDecoder(PyObject* object) {
  FrameDecoderObject* self = AsDecoder(object);
  if (!self->decoder.has_value()) {
    PyErr_SetString(PyExc_ValueError, "FrameDecoder is not initialised");
    return nullptr;
  }
  return &*self->decoder;
}

// Returns self, so that `for frame in decoder.feed(data):` takes the frames
// that piece completed.
PyObject* FrameDecoderFeed(PyObject* object, PyObject* data) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  if (PyBytes_CheckExact(data) &&
      static_cast<size_t>(PyBytes_GET_SIZE(data)) >= kFeedShareBytes) {
    decoder->Append(ShareBytes(data));
  } else if (PyBytes_CheckExact(data)) {
    // A small exact bytes: copied straight from the object (immutable, and
    // the GIL is held), without the buffer protocol's request and release.
    decoder->Append(absl::string_view(
        PyBytes_AS_STRING(data), static_cast<size_t>(PyBytes_GET_SIZE(data))));
  } else {
    ReadBuffer buffer;
    if (!buffer.Get(data)) return nullptr;
    if (buffer.view().size() < kReleaseGilBytes) {
      decoder->Append(buffer.view());
    } else {
      decoder->Append(CopyToRope(buffer.view()));
    }
  }
  Py_INCREF(object);
  return object;
}

// The next frame, or nullopt with no exception set (kNeedMore), or nullopt
// with ValueError set.
std::optional<Rope> NextFrame(FrameDecoder* decoder) {
  Rope frame;
  switch (decoder->Next(&frame)) {
    case FrameDecoder::Result::kFrame:
      return frame;
    case FrameDecoder::Result::kNeedMore:
      return std::nullopt;
    case FrameDecoder::Result::kError:
      break;
  }
  const std::string message(decoder->status().message());
  PyErr_SetString(PyExc_ValueError, message.c_str());
  return std::nullopt;
}

// The next frame as a new `bytes`, or null: with no exception set on
// kNeedMore, with ValueError on an error, with MemoryError when the bytes
// cannot be allocated (the frame then stays next). Copied once, straight
// from the decoder's chunks (NextSize + TakeInto: no refcount touched);
// a large frame is taken as a Rope instead, so that the copy runs with the
// GIL released on a snapshot no other thread can change.
PyObject* NextFrameBytes(FrameDecoder* decoder) {
  size_t size = 0;
  switch (decoder->NextSize(&size)) {
    case FrameDecoder::Result::kFrame:
      break;
    case FrameDecoder::Result::kNeedMore:
      return nullptr;
    case FrameDecoder::Result::kError: {
      const std::string message(decoder->status().message());
      PyErr_SetString(PyExc_ValueError, message.c_str());
      return nullptr;
    }
  }
  if (size >= kReleaseGilBytes) {
    std::optional<Rope> frame = NextFrame(decoder);
    if (!frame.has_value()) return nullptr;
    return ToBytes(*frame);
  }
  PyObject* bytes =
      PyBytes_FromStringAndSize(nullptr, static_cast<Py_ssize_t>(size));
  if (bytes == nullptr) return nullptr;
  decoder->TakeInto(PyBytes_AS_STRING(bytes));
  return bytes;
}

PyObject* FrameDecoderIterNext(PyObject* object) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  return NextFrameBytes(decoder);
}

PyObject* FrameDecoderNextFrame(PyObject* object, PyObject*) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  PyObject* frame = NextFrameBytes(decoder);
  if (frame == nullptr && !PyErr_Occurred()) Py_RETURN_NONE;
  return frame;
}

// _FrameView: owns one frame's Rope, flattened, and exports it read-only.
struct FrameViewObject {
  PyObject_HEAD Rope frame;
  absl::string_view flat;
};

PyObject* FrameDecoderNextView(PyObject* object, PyObject*) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  std::optional<Rope> frame = NextFrame(decoder);
  if (!frame.has_value()) {
    if (PyErr_Occurred()) return nullptr;
    Py_RETURN_NONE;
  }
  FrameViewObject* holder = PyObject_New(FrameViewObject, &frame_view_type);
  if (holder == nullptr) return nullptr;
  new (&holder->frame) Rope(*std::move(frame));
  new (&holder->flat) absl::string_view(holder->frame.Flatten());
  PyObject* view = PyMemoryView_FromObject(reinterpret_cast<PyObject*>(holder));
  Py_DECREF(holder);
  return view;
}

PyObject* FrameDecoderReset(PyObject* object, PyObject*) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  decoder->Reset();
  Py_RETURN_NONE;
}

PyObject* FrameDecoderGetBuffered(PyObject* object, void*) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  return PyLong_FromSize_t(decoder->buffered().size());
}

PyObject* FrameDecoderGetMaxFrameSize(PyObject* object, void*) {
  FrameDecoder* decoder = CheckDecoder(object);
  if (decoder == nullptr) return nullptr;
  return PyLong_FromSize_t(decoder->max_frame_size());
}

PyMethodDef frame_decoder_methods[] = {
    {"feed", FrameDecoderFeed, METH_O,
     "feed(data, /)\n--\n\nAppend received bytes (bytes, bytearray, "
     "memoryview); returns the decoder, to iterate the frames now complete."},
    {"next_frame", FrameDecoderNextFrame, METH_NOARGS,
     "next_frame()\n--\n\nThe next complete frame as bytes, or None."},
    {"next_view", FrameDecoderNextView, METH_NOARGS,
     "next_view()\n--\n\nThe next complete frame as a read-only memoryview "
     "that shares the received memory (no copy when the frame lies in one "
     "chunk), or None. The view pins that memory: drop it soon."},
    {"reset", FrameDecoderReset, METH_NOARGS,
     "reset()\n--\n\nDrop buffered bytes and any error."},
    {nullptr, nullptr, 0, nullptr},
};

PyGetSetDef frame_decoder_getset[] = {
    {"buffered", FrameDecoderGetBuffered, nullptr,
     "Bytes received and not yet returned as frames.", nullptr},
    {"max_frame_size", FrameDecoderGetMaxFrameSize, nullptr,
     "The most bytes one frame may occupy in the stream.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

void FrameViewDealloc(PyObject* object) {
  reinterpret_cast<FrameViewObject*>(object)->frame.~Rope();
  PyObject_Free(object);
}

int FrameViewGetBuffer(PyObject* object, Py_buffer* view, int flags) {
  FrameViewObject* self = reinterpret_cast<FrameViewObject*>(object);
  return PyBuffer_FillInfo(view, object, const_cast<char*>(self->flat.data()),
                           static_cast<Py_ssize_t>(self->flat.size()),
                           /*readonly=*/1, flags);
}

PyBufferProcs frame_view_buffer_procs = {FrameViewGetBuffer, nullptr};

// ---------------------------------------------------------------------------
// The module.

const char kModuleDoc[] =
    "io.BytesIO over a rope of shared chunks, and a stream frame decoder.\n\n"
    "BytesIO behaves as io.BytesIO (CPython's test_memoryio passes against "
    "it); writes of large bytes objects share them instead of copying.\n"
    "FrameDecoder cuts a byte stream into length-field, varint or delimiter "
    "frames.";

PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "bytesio",
    kModuleDoc,
    -1,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

// Fills the static types. Static (not heap) types, as io.BytesIO is, so that
// pickle protocols 0 and 1 refuse them with the same TypeError.
bool InitTypes(PyObject* buffered_io_base) {
  bytes_io_type.tp_name = "bytesio.BytesIO";
  bytes_io_type.tp_basicsize = sizeof(BytesIOObject);
  bytes_io_type.tp_flags =
      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC;
  bytes_io_type.tp_doc =
      "BytesIO(initial_bytes=b'')\n--\n\nBuffered I/O over an in-memory "
      "rope, with io.BytesIO's behaviour.";
  bytes_io_type.tp_base = reinterpret_cast<PyTypeObject*>(buffered_io_base);
  bytes_io_type.tp_new = BytesIONew;
  bytes_io_type.tp_init = BytesIOInit;
  bytes_io_type.tp_dealloc = BytesIODealloc;
  bytes_io_type.tp_traverse = BytesIOTraverse;
  bytes_io_type.tp_clear = BytesIOClear;
  bytes_io_type.tp_iter = PyObject_SelfIter;
  bytes_io_type.tp_iternext = BytesIOIterNext;
  bytes_io_type.tp_methods = bytes_io_methods;
  bytes_io_type.tp_getset = bytes_io_getset;
  bytes_io_type.tp_dictoffset = offsetof(BytesIOObject, dict);
  bytes_io_type.tp_weaklistoffset = offsetof(BytesIOObject, weakreflist);
  if (PyType_Ready(&bytes_io_type) < 0) return false;

  export_type.tp_name = "bytesio._Export";
  export_type.tp_basicsize = sizeof(ExportObject);
  export_type.tp_flags = Py_TPFLAGS_DEFAULT;
  export_type.tp_doc = "The exporter behind a BytesIO.getbuffer() view.";
  export_type.tp_dealloc = ExportDealloc;
  export_type.tp_as_buffer = &export_buffer_procs;
  if (PyType_Ready(&export_type) < 0) return false;

  frame_decoder_type.tp_name = "bytesio.FrameDecoder";
  frame_decoder_type.tp_basicsize = sizeof(FrameDecoderObject);
  frame_decoder_type.tp_flags = Py_TPFLAGS_DEFAULT;
  frame_decoder_type.tp_doc =
      "FrameDecoder(framing='length_field', *, max_frame_size=16777216, "
      "field_size=4, byteorder='big', field_offset=0, "
      "length_counts_header=False, length_adjustment=0, bytes_to_strip=None, "
      "delimiter=b'\\r\\n', strip_delimiter=True)\n--\n\n"
      "Cuts a byte stream into frames: feed(data), then iterate.";
  frame_decoder_type.tp_new = FrameDecoderNew;
  frame_decoder_type.tp_init = FrameDecoderInit;
  frame_decoder_type.tp_dealloc = FrameDecoderDealloc;
  frame_decoder_type.tp_iter = PyObject_SelfIter;
  frame_decoder_type.tp_iternext = FrameDecoderIterNext;
  frame_decoder_type.tp_methods = frame_decoder_methods;
  frame_decoder_type.tp_getset = frame_decoder_getset;
  if (PyType_Ready(&frame_decoder_type) < 0) return false;

  frame_view_type.tp_name = "bytesio._FrameView";
  frame_view_type.tp_basicsize = sizeof(FrameViewObject);
  frame_view_type.tp_flags = Py_TPFLAGS_DEFAULT;
  frame_view_type.tp_doc = "The exporter behind a FrameDecoder.next_view().";
  frame_view_type.tp_dealloc = FrameViewDealloc;
  frame_view_type.tp_as_buffer = &frame_view_buffer_procs;
  return PyType_Ready(&frame_view_type) == 0;
}

PyObject* InitModule() {
  PyObject* io = PyImport_ImportModule("io");
  if (io == nullptr) return nullptr;
  PyObject* c_io = PyImport_ImportModule("_io");
  if (c_io == nullptr) {
    Py_DECREF(io);
    return nullptr;
  }
  unsupported_operation = PyObject_GetAttrString(io, "UnsupportedOperation");
  PyObject* buffered_io_base = PyObject_GetAttrString(c_io, "_BufferedIOBase");
  PyObject* abc = PyObject_GetAttrString(io, "BufferedIOBase");
  Py_DECREF(c_io);
  Py_DECREF(io);
  PyObject* module = nullptr;
  if (unsupported_operation != nullptr && buffered_io_base != nullptr &&
      abc != nullptr && InitTypes(buffered_io_base)) {
    module = PyModule_Create(&module_def);
  }
  Py_XDECREF(buffered_io_base);
  if (module == nullptr) {
    Py_XDECREF(abc);
    return nullptr;
  }
  PyObject* registered = PyObject_CallMethod(
      abc, "register", "O", reinterpret_cast<PyObject*>(&bytes_io_type));
  Py_DECREF(abc);
  if (registered == nullptr) {
    Py_DECREF(module);
    return nullptr;
  }
  Py_DECREF(registered);
  Py_INCREF(&bytes_io_type);
  Py_INCREF(&frame_decoder_type);
  if (PyModule_AddObject(module, "BytesIO",
                         reinterpret_cast<PyObject*>(&bytes_io_type)) < 0 ||
      PyModule_AddObject(module, "FrameDecoder",
                         reinterpret_cast<PyObject*>(&frame_decoder_type)) <
          0 ||
      PyModule_AddIntConstant(module, "MAX_BYTES_TO_COPY",
                              static_cast<long>(Rope::kMaxBytesToCopy)) < 0) {
    Py_DECREF(module);
    return nullptr;
  }
  return module;
}

}  // namespace
}  // namespace python
}  // namespace bytesio

PyMODINIT_FUNC PyInit_bytesio() { return bytesio::python::InitModule(); }
