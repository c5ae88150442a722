#!/usr/bin/env python3
# Copyright 2026 The bytesio Authors.
"""Writes the seed inputs of the fuzz targets: fuzz/corpus/<target>/seed_*.

Each seed is a small, meaningful program in the input layout its target
documents (the FuzzInput rules in fuzz/fuzz_util.h and the op tables at the
top of each *_fuzzer.cc): edge cases of Python's BytesIO, rope structures
that cross the internal thresholds, and streams of every framing. libFuzzer
starts from them; the replay tests run them in every `bazel test //...`.
Regression inputs found by fuzzing are kept beside them as regress_*.

Run from the repository root after changing an input layout:
    python3 fuzz/make_seed_corpus.py
"""

import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1


# ---------------------------------------------------------------------------
# The FuzzInput layout.

def u(lo, hi, x):
    """IntInRange(lo, hi) returning x."""
    assert lo <= x <= hi, (lo, x, hi)
    span = hi - lo
    n = (span.bit_length() + 7) // 8
    return ((x - lo) % (1 << (8 * n))).to_bytes(n, "little") if n else b""


def frac(n, x):
    """Fraction(n) returning x (or the nearest value below when n > 65535)."""
    assert 0 <= x <= n
    if n == 0:
        return b"\0\0"
    v = min(65535, -(-x * 65535 // n))
    while v > 0 and n * v // 65535 > x:
        v -= 1
    return struct.pack("<H", v)


def boolean(b):
    return b"\1" if b else b"\0"


def build_rope(data, mode, piece=300):
    """BuildRope decisions: mode 0 copy, 1 adopt, 2 own pieces, 3 external
    pieces, 4 shared sub-ropes, 5 one-byte chunks, 6 prepended pieces."""
    out = u(0, 6, mode)
    if mode in (2, 3, 4):
        for _ in range(0, len(data), piece):
            out += u(1, 1024, piece)
    elif mode == 6:
        for i, _ in enumerate(range(0, len(data), piece)):
            out += u(1, 1024, piece) + boolean(i % 2)
    return out


def write(target, name, data):
    path = os.path.join(ROOT, target, "seed_" + name)
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------
# bytes_io_fuzzer

class B:
    """Ops of bytes_io_fuzzer (op byte = op number)."""

    @staticmethod
    def start(data=b"", mode=None):
        out = u(0, 4096, len(data)) + data
        if mode is None:
            return out + boolean(False)
        return out + boolean(True) + build_rope(data, mode)

    @staticmethod
    def data(payload):
        if len(payload) <= 16:
            return u(0, 3, 0) + u(0, 16, len(payload)) + payload
        if len(payload) <= 600:
            return u(0, 3, 1) + u(0, 600, len(payload)) + payload
        return u(0, 3, 2) + u(0, 4096, len(payload)) + payload

    @staticmethod
    def run(n, byte):
        return u(0, 3, 3) + u(0, 8192, n) + bytes([byte])

    @staticmethod
    def size(n):
        if n == -1:
            return u(0, 5, 0)
        if n < 0:
            return u(0, 5, 1) + u(INT64_MIN, -1, n)
        if n == 0:
            return u(0, 5, 2)
        if n <= 16:
            return u(0, 5, 3) + u(1, 16, n)
        if n <= 4096:
            return u(0, 5, 4) + u(1, 4096, n)
        return u(0, 5, 5) + u(0, 255, INT64_MAX - n)

    # Offset() forms.
    @staticmethod
    def off_small(x):
        return u(0, 7, 0) + u(-64, 64, x)

    @staticmethod
    def off_raw(x):
        return u(0, 7, 5) + u(INT64_MIN, INT64_MAX, x)

    @staticmethod
    def off_near_max(size, back):
        return u(0, 7, 3) + frac(2 * size + 64, back)

    @staticmethod
    def off_min(plus):
        return u(0, 7, 4) + u(0, 64, plus)

    @staticmethod
    def off_gap(gap):
        return u(0, 7, 6) + u(0, (1 << 20) + 4096, gap)

    @staticmethod
    def off_past_limit():
        return u(0, 7, 7) + boolean(True) + u(1, 3, 1)

    @staticmethod
    def off_2_50():
        return u(0, 7, 7) + boolean(False)

    @staticmethod
    def whence(w):
        if w in (0, 1, 2):
            return u(0, 7, w)
        if w == -1:
            return u(0, 7, 6)
        return u(0, 7, 7) + u(3, 1000, w)

    read = staticmethod(lambda n, keep=True: b"\0" + B.size(n) + boolean(False) + boolean(keep))
    read1 = staticmethod(lambda n: b"\0" + B.size(n) + boolean(True) + boolean(False))
    readinto = staticmethod(lambda n: b"\1" + u(0, 600, n) + boolean(False))
    readline = staticmethod(lambda n, keep=True: b"\2" + B.size(n) + boolean(keep))
    readlines = staticmethod(lambda hint: b"\3" + B.size(hint))
    lines = staticmethod(lambda: b"\4" + boolean(True))
    next_line = staticmethod(lambda: b"\4" + boolean(False))
    write = staticmethod(lambda payload: b"\5" + B.data(payload))
    write_run = staticmethod(lambda n, byte: b"\5" + B.run(n, byte))
    write_rope = staticmethod(lambda payload, mode: b"\6" + B.data(payload) + build_rope(payload, mode))
    seek = staticmethod(lambda offset, whence=0: b"\x08" + offset + B.whence(whence))
    truncate_pos = staticmethod(lambda: b"\x09" + boolean(True))
    truncate_off = staticmethod(lambda offset: b"\x09" + boolean(False) + boolean(True) + offset)
    getvalue = staticmethod(lambda: b"\x0a")
    getbuffer = staticmethod(lambda: b"\x0b")
    close = staticmethod(lambda: b"\x0f")
    reset = staticmethod(lambda payload: b"\x10" + B.data(payload) + boolean(False))
    getstate = staticmethod(lambda: b"\x11" + boolean(True))
    flags = staticmethod(lambda: b"\x12")
    check = staticmethod(lambda: b"\x13")

    @staticmethod
    def export_write(index, size, at, payload):
        assert at + len(payload) <= size and payload
        return (b"\x0c" + bytes([index]) + frac(size - 1, at) +
                frac(size - at - 1, len(payload) - 1) + payload)

    @staticmethod
    def export_slice(index, size, pos, n=None):
        out = b"\x0d" + bytes([index]) + boolean(True) + frac(size, pos)
        return out + (boolean(True) + u(0, 64, n) if n is not None else boolean(False))

    @staticmethod
    def export_copy(index):
        return b"\x0d" + bytes([index]) + boolean(False)

    @staticmethod
    def release(index, explicit=True):
        return b"\x0e" + bytes([index]) + boolean(explicit)

    @staticmethod
    def setstate(payload, position, mode=0):
        return (b"\x11" + boolean(False) + B.data(payload) + boolean(False) +
                u(0, 64, position) + build_rope(payload, mode))


def bytes_io_seeds():
    t = "bytes_io_fuzzer"
    lines = b"ab\ncd\n\nef"
    text = b"".join(b"line %d\n" % i for i in range(40))
    big = bytes(range(256)) * 6  # 1536 bytes: several shared pieces
    seeds = {
        "empty_flags": B.start() + B.flags() + B.close() + B.flags(),
        "read_sizes": B.start(b"abcdef") + B.read(2) + B.read(-1) + B.read(0) +
        B.read(-5) + B.read1(100) + B.check(),
        "read_past_end": B.start(b"abc") + B.seek(B.off_small(10)) + B.read(-1) +
        B.readinto(2) + B.readline(-1),
        "readinto_partial": B.start(b"ab") + B.readinto(4) + B.readinto(0),
        "readline_limits": B.start(b"abcdef\nxy") + B.readline(3) * 4 +
        B.readline(0) + B.readline(-7),
        "readlines_hints": B.start(b"a\nbb\nccc\ndddd\n") + B.readlines(3) +
        B.seek(B.off_small(0)) + B.readlines(0) + B.seek(B.off_small(0)) +
        B.readlines(-3),
        "lines_iteration": B.start(lines, mode=5) + B.lines() +
        B.seek(B.off_small(2)) + B.next_line() + B.next_line() + B.lines(),
        "overseek_write_zero_fills": B.start(b"abc") + B.seek(B.off_small(10)) +
        B.write(b"x") + B.seek(B.off_small(20)) + B.write(b"") + B.getvalue(),
        "seek_end_and_cur": B.start(b"abcdef") + B.seek(B.off_small(-2), 2) +
        B.seek(B.off_small(-64), 2) + B.seek(B.off_small(4), 2) +
        B.seek(B.off_small(-5), 1) + B.seek(B.off_min(0), 1),
        "seek_invalid": B.start(b"abc") + B.seek(B.off_small(-1)) +
        B.seek(B.off_small(1), 3) + B.seek(B.off_small(0), -1) +
        B.seek(B.off_small(-1), 7),
        "seek_overflow": B.start(b"abcdef") + B.seek(B.off_small(1)) +
        B.seek(B.off_raw(INT64_MAX), 1) + B.seek(B.off_raw(INT64_MAX - 5), 2) +
        B.seek(B.off_raw(INT64_MAX - 6), 2),
        "seek_max_then_write": B.start(b"abc") + B.seek(B.off_raw(INT64_MAX)) +
        B.write(b"x") + B.read(4) + B.seek(B.off_near_max(3, 2)) +
        B.write(b"xyz") + B.write_rope(big, 2),
        "write_far_past_end": B.start(b"abc") + B.seek(B.off_2_50()) +
        B.write(b"x") + B.seek(B.off_past_limit()) + B.write(b"y"),
        "write_after_zero_chunk_gap": B.start(b"abc") +
        B.seek(B.off_gap((1 << 20) + 17)) + B.write(b"tail") +
        B.seek(B.off_small(0)) + B.read(-1),
        "truncate_cases": B.start(b"abcdef") + B.seek(B.off_small(5)) +
        B.truncate_off(B.off_small(2)) + B.write(b"x") + B.truncate_pos() +
        B.truncate_off(B.off_small(-1)) + B.truncate_off(B.off_small(60)),
        "snapshots_survive_writes": B.start(big, mode=4) + B.getvalue() +
        B.read(700) + B.write(b"XYZ") + B.seek(B.off_small(0)) +
        B.write_run(3000, 0x41) + B.truncate_off(B.off_small(10)) + B.check(),
        "write_ropes_every_shape": B.start(text) +
        b"".join(B.write_rope(big, m) for m in range(7)) + B.seek(B.off_small(3)) +
        B.write_rope(b"small rope", 0) + B.check(),
        "writelines": B.start() + B.seek(B.off_small(2)) + b"\x07" + u(0, 4, 2) +
        B.data(b"a") + B.data(b"b") + boolean(True) + b"\x07" + u(0, 4, 2) +
        B.data(big[:600]) + B.data(b"") + boolean(False) + build_rope(big[:600], 3) +
        build_rope(b"", 0),
        "export_blocks_resize": B.start(b"abcdef") + B.getbuffer() +
        B.write(b"Q") + B.write(b"") + B.truncate_off(B.off_small(60)) +
        B.close() + B.reset(b"xy") + B.seek(B.off_small(10)) + B.write(b"x") +
        B.release(0) + B.write(b"x"),
        "export_write_through": B.start(b"abcdef") + B.getvalue() +
        B.getbuffer() + B.export_write(0, 6, 0, b"A") + B.read(-1) +
        B.export_write(0, 6, 2, b"ZZZZ") + B.release(0) + B.write(b"1234567"),
        "exports_released_out_of_order": B.start(big, mode=3) + B.getbuffer() +
        B.export_slice(0, len(big), 100, 50) + B.export_copy(0) +
        B.export_slice(1, 50, 10) + B.release(0) + B.write(b"x") +
        B.export_write(1, len(big), 5, b"ww") + B.release(1, explicit=False) +
        B.release(1) + B.truncate_pos() + B.release(0) + B.write(b"x") +
        B.truncate_pos(),
        "close_with_exports_then_use_after_close": B.start(b"abc") +
        B.getbuffer() + B.close() + B.release(0) + B.getvalue() + B.close() +
        B.close() + B.read(-1) + B.write(b"") + B.seek(B.off_small(0)) +
        B.truncate_off(B.off_small(-1)) + B.getbuffer() + B.flags() +
        B.getstate() + B.reset(b"reopened") + B.read(-1),
        "state_round_trip": B.start(b"abc") + B.seek(B.off_small(2)) +
        B.getstate() + B.setstate(b"hello", 7, 2) + B.write(b"!") +
        B.getstate() + b"\x11" + boolean(False) + B.data(b"x") + boolean(True) +
        B.off_small(-1) + build_rope(b"x", 0),
        "reset_fragmented": B.start(text, mode=6) + B.seek(B.off_small(50)) +
        B.reset(b"xy") + B.write(b"J") + b"\x10" + B.data(big) + boolean(True) +
        build_rope(big, 5) + B.readline(-1),
        "one_byte_chunks_overwrite": B.start(text, mode=5) + B.seek(B.off_small(3)) +
        B.write(b"OVERWRITE ACROSS CHUNKS") + B.readline(-1) + B.check(),
        "read_at_max_position": B.start() + B.seek(B.off_raw(INT64_MAX)) +
        B.readinto(2) + B.read(4) + B.readline(-1) + B.readlines(0),
        "negative_sizes": B.start(lines) + B.read(INT64_MIN) +
        B.seek(B.off_small(0)) + B.readline(-(1 << 40)) + B.readlines(-1),
    }
    for name, data in seeds.items():
        write(t, name, data)


# ---------------------------------------------------------------------------
# rope_fuzzer

class R:
    """Ops of rope_fuzzer: op byte, slot a, slot b, arguments."""

    @staticmethod
    def start(data=b"", mode=0, piece=300):
        return u(0, 2048, len(data)) + data + build_rope(data, mode, piece)

    @staticmethod
    def op(number, a=0, b=0):
        return bytes([number, a, b])

    @staticmethod
    def data(payload):
        if len(payload) <= 20:
            return u(0, 3, 0) + u(0, 20, len(payload)) + payload
        if len(payload) <= 600:
            return u(0, 3, 1) + u(0, 600, len(payload)) + payload
        return u(0, 3, 2) + u(0, 4096, len(payload)) + payload

    @staticmethod
    def run(n, byte):
        return u(0, 3, 3) + u(0, 70000, n) + bytes([byte])

    append = staticmethod(lambda a, payload: R.op(0, a) + R.data(payload))
    append_run = staticmethod(lambda a, n, byte: R.op(0, a) + R.run(n, byte))
    append_rope = staticmethod(lambda a, b: R.op(1, a, b))
    append_moved = staticmethod(lambda a, b: R.op(2, a, b))
    prepend = staticmethod(lambda a, payload: R.op(3, a) + R.data(payload))
    prepend_rope = staticmethod(lambda a, b: R.op(4, a, b))
    zeros_small = staticmethod(lambda a, n: R.op(5, a) + boolean(True) + u(0, 1100, n))
    zeros_large = staticmethod(lambda a, n: R.op(5, a) + boolean(False) + u(0, (1 << 20) + 100, n))
    subrope = staticmethod(lambda a, b, size, pos, n=None: R.op(6, a, b) + frac(size, pos) +
                           (boolean(True) + u(0, 600, n) if n is not None else boolean(False)))
    remove_prefix = staticmethod(lambda a, size, n: R.op(7, a) + frac(size + 3, n))
    remove_suffix = staticmethod(lambda a, size, n: R.op(8, a) + frac(size + 3, n))
    copy = staticmethod(lambda a, b, assign=True: R.op(10, a, b) + boolean(assign))
    clear = staticmethod(lambda a: R.op(11, a))
    flatten = staticmethod(lambda a: R.op(12, a))
    compare = staticmethod(lambda a, b: R.op(17, a, b))
    hash = staticmethod(lambda a, b: R.op(19, a, b))
    iterate = staticmethod(lambda a: R.op(21, a))
    adopt = staticmethod(lambda a, payload: R.op(22, a) + R.data(payload))

    @staticmethod
    def overwrite(a, size, pos, payload):
        return R.op(9, a) + frac(size, pos) + frac(size - pos, len(payload)) + payload

    @staticmethod
    def append_buffer(a, min_capacity, extra, fill_fraction_of, fill):
        return (R.op(13, a) + u(0, 64, min_capacity) + u(0, 5000, extra) +
                frac(fill_fraction_of, len(fill)) + fill)

    @staticmethod
    def append_built(a, payload, mode, append=True):
        return R.op(14, a) + R.data(payload) + build_rope(payload, mode) + boolean(append)

    @staticmethod
    def find_char(a, size, c, pos=0):
        return R.op(15, a) + bytes([c]) + frac(size + 3, pos)

    @staticmethod
    def needle_own(size, pos, n):
        return boolean(True) + frac(size - 1, pos) + u(0, 40, n)

    @staticmethod
    def needle_bytes(payload):
        return boolean(False) + u(0, 6, len(payload)) + payload

    @staticmethod
    def find(a, size, needle, pos=0):
        return R.op(16, a) + needle + frac(size + 3, pos)

    @staticmethod
    def starts_ends(a, size, needle, probe_mode, n):
        return R.op(18, a) + needle + build_rope(b"", probe_mode) + frac(size, n)

    @staticmethod
    def index(a, size, i, pos, buffer):
        out = R.op(20, a)
        if size:
            out += frac(size - 1, i)
        return out + frac(size, pos) + u(0, 700, buffer)

    @staticmethod
    def copy_survives(a, size, payload, pos, byte):
        out = R.op(23, a) + R.data(payload)
        if size + len(payload):
            out += frac(size + len(payload) - 1, pos) + bytes([byte])
        return out


    @staticmethod
    def tall(a, size, appends, keep, start, cuts):
        """Op 24: len(appends) doublings (True: Append(self), False:
        Prepend(self)), then keep bytes [start, start + keep) of the doubled
        size, removed in len(cuts) + 1 alternating steps; each cut is the
        (prefix, suffix) fraction pair of what is left to remove."""
        out = R.op(24, a) + u(1, 32, len(appends))
        for append in appends:
            out += boolean(append)
            size *= 2
        out += frac(min(size, 256 << 10), keep) + frac(size - keep, start)
        out += u(1, 4, len(cuts) + 1)
        prefix, suffix = start, size - start - keep
        for p, q in cuts:
            out += frac(prefix, p) + frac(suffix, q)
            prefix, suffix = prefix - p, suffix - q
        return out


def rope_seeds():
    t = "rope_fuzzer"
    big = bytes(range(256)) * 8  # 2048 bytes
    s = len(big)
    seeds = {
        "append_small_coalesces": R.start() + b"".join(
            R.append(0, b"%02d-piece" % i) for i in range(30)) + R.iterate(0) +
        R.hash(0, 1),
        "append_across_copy_threshold": R.start(big[:511]) +
        R.append_rope(1, 0) + R.append(0, b"x") + R.append_rope(1, 0) +
        R.compare(0, 1) + R.iterate(1),
        "self_append_and_prepend": R.start(big, 2) + R.append_rope(0, 0) +
        R.prepend_rope(0, 0) + R.find_char(0, 4 * s, 0xFF, 5) + R.hash(0, 0),
        "subrope_of_shared_chunks": R.start(big, 4) +
        R.subrope(1, 0, s, 100, 600) + R.subrope(2, 0, s, 1000) +
        R.subrope(3, 1, 600, 3, 9) + R.compare(1, 2) + R.iterate(2),
        "remove_prefix_suffix_frees": R.start(big, 2, piece=100) +
        R.copy(1, 0) + R.remove_prefix(0, s, 150) + R.remove_suffix(0, s - 150, 999) +
        R.remove_prefix(0, s - 1149, s - 1146) + R.iterate(1),
        "overwrite_shared_copy_on_write": R.start(big, 3) + R.copy(1, 0) +
        R.overwrite(0, s, 290, b"OVERWRITTEN ACROSS A CHUNK EDGE") +
        R.compare(0, 1) + R.copy_survives(1, s, b"tail", 5, 0x21),
        "zeros_small_and_across_zero_chunk": R.start(b"head") +
        R.zeros_small(0, 511) + R.zeros_small(0, 512) + R.append(0, b"end") +
        R.zeros_large(0, (1 << 20) + 50) +
        R.find_char(0, 4 + 1023 + 3 + (1 << 20) + 50, 0, 10) + R.copy(1, 0) +
        R.remove_prefix(1, (1 << 20) + 1080, 1000),
        "external_chunks_released_once": R.start(big, 3, piece=64) +
        R.copy(1, 0) + R.subrope(2, 0, s, 64, 200) + R.clear(0) + R.clear(1) +
        R.append_built(3, big[:900], 3) + R.clear(2),
        "one_byte_chunks_find_across": R.start(b"abcabcabd" * 8, 5) +
        R.find(0, 72, R.needle_bytes(b"abd")) +
        R.find(0, 72, R.needle_own(72, 60, 12), 3) + R.flatten(0) + R.iterate(0),
        "prepend_pieces": R.start(big, 6, piece=200) + R.prepend(0, b"front") +
        R.prepend(0, big[:700]) + R.iterate(0) + R.hash(0, 1),
        # The fill size is a fraction of the room the buffer turns out to
        # have: only the last fill is non-empty, so nothing after it shifts.
        "append_buffer_takes_tail": R.start() + R.append(0, b"abc") +
        R.append_buffer(0, 16, 100, 116, b"") + R.append(0, b"!") +
        R.append_buffer(0, 64, 4000, 4064, b"x" * 30),
        "compare_unsigned_bytes": R.start(b"\x80abc") + R.adopt(1, b"\x7fabc") +
        R.compare(0, 1) + R.compare(1, 0) + R.adopt(2, b"\x80ab") +
        R.compare(0, 2) + R.hash(0, 2),
        "starts_ends_with": R.start(big, 2, piece=37) +
        R.starts_ends(0, s, R.needle_own(s, 0, 40), 0, 500) +
        R.starts_ends(0, s, R.needle_own(s, s - 40, 40), 1, 1) +
        R.starts_ends(0, s, R.needle_bytes(b"zz"), 0, s),
        "index_and_copy_to": R.start(big, 5) + R.index(0, s, 63, 60, 10) +
        R.index(0, s, 64, s - 5, 700) + R.index(1, 0, 0, 0, 0),
        "large_runs_and_adopt": R.start() + R.append_run(0, 70000, 0x61) +
        R.adopt(1, big) + R.append_moved(0, 1) + R.remove_prefix(0, 72048, 65530) +
        R.iterate(0),
        # 2 KiB doubled 32 times: 2^43 bytes in shared nodes (height 8),
        # cut back to 200 KiB by alternating prefix and suffix removals,
        # then used further.
        "tall_doubled_trees": R.start(big, 5) +
        R.tall(0, s, [True, False] * 16, 200 << 10, (s << 30) + 12345,
               [(1 << 41, 1 << 40), (5000, 1 << 20)]) +
        R.copy(1, 0) + R.remove_prefix(1, 200 << 10, 70000) +
        R.tall(1, (200 << 10) - 70000, [True] * 6, 100000, 5 << 20, []) +
        R.append_rope(0, 1) + R.iterate(0) + R.hash(0, 1),
        "move_and_copy_assign": R.start(big, 4) + R.copy(1, 0, assign=False) +
        R.copy(2, 1) + R.append(1, b"only one") + R.compare(1, 2) +
        R.clear(2) + R.append_rope(2, 2),
    }
    for name, data in seeds.items():
        write(t, name, data)


# ---------------------------------------------------------------------------
# framing_fuzzer

class F:
    """Inputs of framing_fuzzer."""

    @staticmethod
    def max_size(m):
        if m is None:
            return u(0, 3, 3)
        if m <= 16:
            return u(0, 3, 0) + u(1, 16, m)
        if m <= 600:
            return u(0, 3, 1) + u(1, 600, m)
        return u(0, 3, 2) + u(1, 70000, m)

    @staticmethod
    def length(offset=0, size=4, big=True, counts=False, adjust=0, strip=None,
               max_size=None):
        out = u(0, 3, 0) + u(0, 3, offset) + u(1, 8, size) + boolean(big)
        out += boolean(counts)
        if adjust == 0:
            out += u(0, 3, 0)
        elif -16 <= adjust <= 16:
            out += u(0, 3, 1) + u(-16, 16, adjust)
        else:
            limit = (1 << 62) - 1
            out += u(0, 3, 2) + u(-limit, limit, adjust)
        out += boolean(True) if strip is None else boolean(False) + u(0, 16, strip)
        return out + F.max_size(max_size)

    @staticmethod
    def varint(max_size=None):
        return u(0, 3, 1) + F.max_size(max_size)

    @staticmethod
    def delimiter(delim=b"\r\n", strip=True, max_size=None):
        return (u(0, 3, 2) + u(1, 8, len(delim)) + delim + boolean(strip) +
                F.max_size(max_size))

    @staticmethod
    def piece(payload, how=0, mode=0):
        """Appends payload (how: 0 bytes, 1 a Rope built with `mode`,
        2 mutable_buffer)."""
        if len(payload) <= 16:
            out = u(0, 7, 0) + u(0, 2, 0) + u(0, 16, len(payload))
        elif len(payload) <= 300:
            out = u(0, 7, 0) + u(0, 2, 1) + u(0, 300, len(payload))
        else:
            out = u(0, 7, 0) + u(0, 2, 2) + u(0, 4096, len(payload))
        out += payload + u(0, 2, how)
        return out + (build_rope(payload, mode) if how == 1 else b"")

    @staticmethod
    def bytewise(payload):
        return b"".join(F.piece(payload[i:i + 1]) for i in range(len(payload)))

    @staticmethod
    def frame(body, how=0):
        return u(0, 7, 7) + u(0, 300, len(body)) + body + u(0, 2, how)

    reset = staticmethod(lambda: u(0, 7, 5))
    copy = staticmethod(lambda: u(0, 7, 6))


def be(width, value):
    return value.to_bytes(width, "big")


def varint(value):
    out = b""
    while value >= 0x80:
        out += bytes([value & 0x7F | 0x80])
        value >>= 7
    return out + bytes([value])


def readers(data, mode, ops):
    return u(0, 3, 3) + u(0, 2048, len(data)) + data + build_rope(data, mode, 7) + ops


def framing_seeds():
    t = "framing_fuzzer"
    two = be(4, 5) + b"hello" + be(4, 0) + be(4, 300) + bytes(300)
    seeds = {
        "length_two_frames": F.length() + F.piece(two) + F.frame(b"more"),
        "length_header_split_every_byte": F.length() + F.bytewise(be(4, 3) + b"abc"),
        "length_le_counts_header": F.length(size=2, big=False, counts=True,
                                            strip=0) +
        F.piece(b"\x07\x00abcde" + b"\x02\x00"),
        "length_offset_adjust": F.length(offset=1, size=4, adjust=1, strip=0) +
        F.piece(b"T" + be(4, 3) + b"Fxyz") + F.frame(b"F body"),
        "length_2_32_minus_1_small_max": F.length(max_size=16) +
        F.piece(b"\xff\xff\xff\xff") + F.piece(b"tail"),
        "length_2_64_minus_1_small_max": F.length(size=8, max_size=600) +
        F.piece(b"\xff" * 8) + F.reset() + F.frame(b"after reset"),
        "length_shorter_than_header": F.length(counts=True) + F.piece(be(4, 3) + b"abc"),
        "length_strip_longer_than_frame": F.length(size=1, counts=True, strip=3) +
        F.piece(b"\x02a"),
        "length_huge_value_negative_adjust": F.length(size=8, adjust=-(1 << 61)) +
        F.piece(be(8, (1 << 61) + 3) + b"abc"),
        "length_one_byte_fields_fragmented": F.length(size=1) +
        F.piece(b"\x03abc\x00\x01z" * 10, how=1, mode=5) + F.copy() + F.frame(b"q"),
        "varint_frames": F.varint() + F.piece(varint(5) + b"hello" + varint(300) +
                                              bytes(300), how=1, mode=2),
        "varint_split_every_byte": F.varint() + F.bytewise(varint(200) + bytes(200)),
        "varint_eleven_bytes": F.varint() + F.piece(b"\x80" * 10 + b"\x00"),
        "varint_bits_beyond_64": F.varint() + F.piece(b"\xff" * 9 + b"\x02"),
        "varint_non_minimal": F.varint() + F.piece(b"\x83\x00abc"),
        "varint_over_max": F.varint(max_size=16) + F.piece(varint(1 << 32)) +
        F.reset() + F.frame(b"x" * 14),
        "delimiter_crlf_split": F.delimiter() + F.bytewise(b"GET /\r\nHost: x\r\n\r\n"),
        "delimiter_keep": F.delimiter(b"--sep--", strip=False) +
        F.piece(b"a-b-sep-" + b"--sep--" + b"x--se") + F.piece(b"p--"),
        "delimiter_never_found_within_max": F.delimiter(max_size=10) +
        F.piece(b"0123456789") + F.piece(b"A") + F.piece(b"\r") +
        F.piece(b"z" * 200) + F.piece(b"zz\r\nnext\r\n"),
        "delimiter_frame_over_max": F.delimiter(b"\n", max_size=4) +
        F.piece(b"toolong\nok\n"),
        "delimiter_overlapping": F.delimiter(b"aa") + F.piece(b"aaa" + b"baab" + b"aaaa"),
        "delimiter_fragmented_rope": F.delimiter(b"\n") +
        F.piece(b"line one\nline two\n" * 8, how=1, mode=3) +
        F.piece(b"partial", how=2) + F.frame(b"whole"),
        "readers_fixed_and_varints": readers(
            be(2, 0xCAFE) + be(4, 0xDEADBEEF) + be(8, 1 << 63) + varint(300) +
            varint((1 << 64) - 1) + b"\x80" * 10 + b"\x00", 5,
            b"\x01\x01\x02\x01\x03\x01\x06\x06\x06\x06\x0c"),
        "readers_all_ops": readers(bytes(range(200)), 2,
                                   b"\x00\x00\x04\x01\x05\x07\x01\x08" + u(0, 700, 13) +
                                   b"\x09" + u(0, 700, 40) + b"\x0a" + u(0, 700, 20) +
                                   b"\x0b" + u(0, 700, 3) + b"\x0c\x0d" + frac(202, 150) +
                                   b"\x01\x0e\x03\x00\x08" + u(0, 700, 700)),
        "readers_truncated_varint": readers(b"\xff\xff\xff\xff", 5,
                                            b"\x05\x06\x07\x00\x0e\x0d" + frac(6, 2) + b"\x00"),
    }
    for name, data in seeds.items():
        write(t, name, data)


# ---------------------------------------------------------------------------
# adapter_fuzzer

MODES = {"r": 0, "r+": 1, "w": 2, "w+": 3, "a": 4, "a+": 5}


class A:
    """Ops of adapter_fuzzer (op byte = op number): 0-4 direct BytesIO
    calls, 5-13 BytesIOStream, 14-26 the FOpen FILE* beside a memfd FILE*."""

    @staticmethod
    def start(data=b"", mode=None):
        out = u(0, 4096, len(data)) + data
        if mode is None:
            return out + boolean(False)
        return out + boolean(True) + build_rope(data, mode)

    @staticmethod
    def data(payload):
        if len(payload) <= 16:
            return u(0, 2, 0) + u(0, 16, len(payload)) + payload
        return u(0, 2, 1) + u(0, 600, len(payload)) + payload

    @staticmethod
    def run(n, byte):
        return u(0, 2, 2) + u(0, 10000, n) + bytes([byte])

    @staticmethod
    def offset(x):
        """Offset() in [-64, 64]."""
        return u(0, 3, 0) + u(-64, 64, x)

    @staticmethod
    def past_end(gap):
        return u(0, 3, 3) + u(0, 4096, gap)

    @staticmethod
    def read_size(n):
        if n <= 16:
            return boolean(True) + u(0, 16, n)
        return boolean(False) + u(0, 10000, n)

    # Direct calls.
    read = staticmethod(lambda n: b"\0" + u(-1, 5000, n))
    write = staticmethod(lambda p: b"\1" + A.data(p) + boolean(False))
    write_run = staticmethod(lambda n, c: b"\1" + A.run(n, c) + boolean(False))
    write_rope = staticmethod(lambda p, mode: b"\1" + A.data(p) + boolean(True) + build_rope(p, mode))
    seek = staticmethod(lambda off, whence=0: b"\2" + A.offset(off) + u(0, 2, whence))
    seek_past_end = staticmethod(lambda gap: b"\2" + A.past_end(gap) + u(0, 2, 0))
    truncate_here = b"\3" + boolean(True)
    readline = staticmethod(lambda limit=-1: b"\4" + u(-1, 200, limit))
    # The stream (created by its first op; ssync needs one to exist).
    sread = staticmethod(lambda n: b"\5" + A.read_size(n))
    sget = b"\6"
    speek = b"\7"
    sgetline = b"\x08"
    swrite = staticmethod(lambda p: b"\x09" + A.data(p))
    swrite_run = staticmethod(lambda n, c: b"\x09" + A.run(n, c))
    sput = staticmethod(lambda c: b"\x0a" + bytes([c]))
    # how: 0 seekg, 1 seekp, 2 pubseekoff
    sseek = staticmethod(lambda off, whence, how: b"\x0b" + A.offset(off) + u(0, 2, whence) + u(0, 2, how))
    stell = staticmethod(lambda g=True: b"\x0c" + boolean(g))
    sflush = b"\x0d" + boolean(True)
    sdestroy = b"\x0d" + boolean(False)
    # The FILE* (seeds open it explicitly; fclose needs one open).
    fopen = staticmethod(lambda mode: b"\x0e" + bytes([MODES[mode]]))
    fclose = b"\x0f"
    fread = staticmethod(lambda n: b"\x10" + A.read_size(n))
    fwrite = staticmethod(lambda p: b"\x11" + A.data(p))
    fwrite_run = staticmethod(lambda n, c: b"\x11" + A.run(n, c))
    fgetc = b"\x12"
    fputc = staticmethod(lambda c: b"\x13" + bytes([c]))
    fseeko = staticmethod(lambda off, whence=0: b"\x14" + A.offset(off) + u(0, 2, whence))
    fseeko_past_end = staticmethod(lambda gap: b"\x14" + A.past_end(gap) + u(0, 2, 0))
    ftello = b"\x15"
    fflush = b"\x16"
    fgets = staticmethod(lambda n: b"\x17" + u(1, 200, n))
    ungetc = b"\x18"
    clearerr = b"\x19"
    fprintf = staticmethod(lambda p, num: b"\x1a" + u(0, 600, len(p)) + p + u(-1000, 1000, num))


def adapter_seeds():
    t = "adapter_fuzzer"
    digits = bytes(b"0123456789"[i % 10] for i in range(4096))
    lines = b"".join(b"line %d %s\n" % (i, b"x" * (i * 7 % 50)) for i in range(60))
    big = A.start(digits) + A.write_run(10000, ord("z")) + A.seek(0)
    seeds = {}
    # Defect: stdio read ahead, so fclose, ftell and fseek within the buffer
    # left the BytesIO up to 8 KiB past the FILE*'s position.
    for mode in ("r", "r+", "w+", "a+"):
        name = mode.replace("+", "_plus")
        seeds["file_%s_fread_2_then_fclose" % name] = big + A.fopen(mode) + A.fread(2) + A.fclose
        seeds["file_%s_ftell_and_fseek_within_buffer" % name] = (
            big + A.fopen(mode) + A.fread(2) + A.ftello + A.fseeko(10) + A.fgetc
            + A.fseeko(-4, 1) + A.ftello + A.fseeko(-5, 2) + A.fclose)
    # Defect: fgetc; fseeko 12; fwrite 2; fseeko(0, SEEK_CUR) gave ftello 12.
    for mode in ("r+", "w+", "a+"):
        seeds["file_%s_write_after_seek_then_seek_cur" % mode.replace("+", "_plus")] = (
            A.start(digits[:20]) + A.fopen(mode) + A.fgetc + A.fseeko(12)
            + A.fwrite(b"AB") + A.fseeko(0, 1) + A.ftello + A.fgetc + A.fclose)
    seeds["file_every_mode_reads_and_writes"] = A.start(lines[:300]) + b"".join(
        A.fopen(m) + A.fgets(20) + A.fread(3) + A.fputc(ord("Q")) + A.fwrite(b"xyz")
        + A.fseeko(0, 2) + A.fgetc + A.ftello + A.clearerr + A.fclose for m in MODES)
    seeds["file_write_only_refuses_big_and_small_reads"] = (
        A.start(digits[:100]) + A.fopen("w") + A.fread(2048) + A.fread(1) + A.clearerr
        + A.fwrite(b"ok") + A.ftello + A.fclose + A.fopen("a") + A.fread(5000) + A.fclose)
    seeds["file_ungetc_then_direct_read"] = (
        A.start(digits[:50]) + A.fopen("r") + A.fgetc + A.ungetc + A.ftello
        + A.read(3) + A.fgetc + A.fread(2) + A.fgetc + A.ungetc + A.fflush + A.fgetc + A.fclose)
    seeds["file_append_writes_at_end"] = (
        A.start(b"abc") + A.fopen("a+") + A.fwrite(b"de") + A.fseeko(0) + A.fgetc
        + A.fputc(ord("f")) + A.ftello + A.fseeko(1) + A.fread(10) + A.fclose)
    seeds["file_overseek_zero_fills"] = (
        A.start(b"abc") + A.fopen("r+") + A.fseeko_past_end(100) + A.fputc(ord("Z"))
        + A.fseeko(-64, 2) + A.fread(200) + A.seek_past_end(50) + A.fputc(ord("Y")) + A.fclose)
    seeds["file_truncate_under_it"] = (
        A.start(digits[:40]) + A.fopen("r+") + A.fread(5) + A.seek(2) + A.truncate_here
        + A.fgetc + A.ftello + A.fwrite(b"W") + A.fclose)
    seeds["file_fprintf_and_fgets"] = (
        A.start() + A.fopen("w+") + A.fprintf(b"hello", 42) + A.fprintf(b"a\0b", -7)
        + A.fseeko(0) + A.fgets(4) + A.fgets(200) + A.fgets(200) + A.fgets(1) + A.fclose)
    seeds["file_big_fread_fwrite"] = (
        big + A.fopen("r+") + A.fread(10000) + A.fseeko(0, 1) + A.fwrite_run(10000, ord("q"))
        + A.fseeko(-64, 2) + A.fread(10000) + A.fclose)
    seeds["stream_get_put_seek_tell"] = (
        A.start(digits[:64]) + A.sget + A.speek + A.sput(ord("X")) + A.sget
        + A.sseek(5, 0, 0) + A.stell(True) + A.sseek(-3, 1, 1) + A.stell(False)
        + A.sseek(-64, 1, 2) + A.sseek(-1, 0, 0) + A.sseek(-2, 2, 2) + A.sread(10) + A.sflush)
    seeds["stream_lines_over_one_byte_chunks"] = A.start(lines[:600], 5) + A.sgetline * 20 + A.sdestroy
    seeds["stream_lines_over_shared_chunks"] = A.start(lines[:900], 4) + A.sgetline * 5 + A.sread(700) + A.sgetline * 3
    seeds["stream_large_read_and_write"] = (
        big + A.sread(10000) + A.swrite_run(10000, ord("s")) + A.sseek(0, 0, 2) + A.sread(10000) + A.sread(10000)
        + A.swrite(b"tail") + A.sflush)
    seeds["stream_writes_then_direct_and_file"] = (
        A.start(digits[:100]) + A.swrite(b"hello") + A.read(3) + A.swrite(b"w" * 30)
        + A.fopen("r+") + A.fread(4) + A.sread(4) + A.fgets(10) + A.sgetline + A.seek(0)
        + A.fgetc + A.sget + A.write(b"direct") + A.fgetc + A.sput(ord("P")) + A.fclose + A.sdestroy)
    seeds["stream_overseek_then_write"] = (
        A.start(b"abc") + A.sseek(60, 0, 0) + A.sput(ord("E")) + A.stell() + A.sget + A.sflush
        + A.seek_past_end(4096) + A.swrite(b"far") + A.sdestroy)
    seeds["mixed_fragmented_writes"] = (
        A.start(lines[:200], 2) + A.write_rope(lines[:300], 5) + A.seek(0) + A.fopen("r") + A.fgets(50)
        + A.sgetline + A.readline() + A.fgets(50) + A.seek(-10, 1) + A.sgetline + A.fclose)
    for name, data in seeds.items():
        write(t, name, data)


def main():
    for target in ("bytes_io_fuzzer", "rope_fuzzer", "framing_fuzzer",
                   "adapter_fuzzer"):
        directory = os.path.join(ROOT, target)
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.startswith("seed_"):
                os.remove(os.path.join(directory, name))
    bytes_io_seeds()
    rope_seeds()
    framing_seeds()
    adapter_seeds()


if __name__ == "__main__":
    main()
