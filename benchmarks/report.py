#!/usr/bin/env python3
"""Side-by-side table of bytesio against its baselines, from Google Benchmark
JSON files (see run.sh), plus the verdict on each bar.

Benchmarks are named BM_<Workload>_<Impl>/<args>. For every workload and
argument set the table shows the median CPU time of each implementation and,
for each bytesio implementation, the ratio baseline time / bytesio time
(above 1: bytesio is faster).

usage: report.py FILE.json... [--results RESULTS.md] [--readme README.md]

--results rewrites RESULTS.md (keeping its hand-written part); --readme
rewrites the summary table of README.md between its perf-summary markers.
"""

import datetime
import json
import platform
import re
import subprocess
import sys
import textwrap

# Implementations that are bytesio; everything else is a baseline.
BYTESIO = ["BytesIO", "Rope", "FrameDecoder", "RopeReader", "View"]
# Column order of the baselines.
BASELINES = ["String", "StringReserved", "Cord", "Stringstream", "Memcpy",
             "Memchr"]

WORKLOADS = [
    ("SmallAppend", "1. Small appends: 1 MiB in writes of N bytes (time per MiB)"),
    ("AppendShared", "2. Appending a shared buffer: 1000 appends of one N-byte buffer"),
    ("Subrange", "3. Sub-range: a random 100,000-byte slice of a rope of N 1 KiB chunks"),
    ("FrameLength", "4. Framing, 4-byte big-endian length: 4 MiB (min. 8 frames) in pieces"),
    ("FrameVarint", "4. Framing, varint length: 4 MiB (min. 8 frames) in pieces"),
    ("FrameDelim", "4. Framing, \\r\\n delimiter: 4 MiB (min. 8 frames) in pieces"),
    ("FrameShared", "4. Framing, 4-byte length, pieces arriving as refcounted buffers (every side pays for receiving them)"),
    ("Lines", "5. Lines: 4 MiB of 80-byte lines over 4 KiB chunks (chunk:4096) or one flat chunk (chunk:0)"),
    ("Overwrite", "6. Random overwrite: 1000 x (seek + 8-byte write) in 64 MiB"),
    ("OverwriteSnapshot", "6. Random overwrite with a snapshot alive: snapshot + 1000 writes"),
    ("ReadBE32", "7. Typed reads: 1 MiB of big-endian uint32 in chunks of N bytes"),
    ("ReadVarint", "7. Typed reads: 256 K varints (1-2 bytes) in chunks of N bytes"),
    ("RandomAccess", "7. Random access: seek + read 100 bytes at a random position of 64 MiB, filled by 64 KiB writes (fill:0) or of 4 KiB external pieces (fill:1)"),
    ("Snapshot", "8. Snapshot: GetValue() vs str() / string copy of N bytes"),
    ("RandomRead", "9. Scaling: seek + read 8 bytes at a random position, N 1 KiB chunks cycling through a cached 1 MiB backing (data:0) or over one real buffer of N KiB (data:1)"),
    ("Memcpy", "10. Limit: memcpy of N bytes"),
    ("Memchr", "10. Limit: memchr over N bytes (no match)"),
    ("SmallWriteMemory", "Overhead: memory after 1,000,000 16-byte writes"),
    ("ChunkMetadata", "Overhead: metadata per chunk (100,000 chunks)"),
    ("MemAppend1500", "Memory: ~10 MB in 1,500-byte appends (bytes allocated per byte held)"),
    ("MemBufferPerPacket", "Memory: one RopeBuffer / CordBuffer per 1,500-byte packet"),
    ("MemAdoptString", "Memory: each 1,500-byte packet's std::string adopted"),
    ("MemSharedHeaders", "Memory: shared 2,000-byte pieces of a received buffer after 16-byte headers"),
    ("MemFrameShared", "Memory: FrameWriter frames (4-byte length) around shared 2,000-byte payloads"),
    ("MemAppend16", "Memory: ~10 MB in 16-byte appends"),
]

# Memory workloads of memory_benchmark.cc and their bars: at most
# MEMORY_BAR bytes allocated per byte held, and at most MEMORY_VS_CORD
# times Cord's figure.
MEMORY_WORKLOADS = ["MemAppend1500", "MemBufferPerPacket", "MemAdoptString",
                    "MemSharedHeaders", "MemFrameShared", "MemAppend16"]
MEMORY_BAR = 1.10
MEMORY_VS_CORD = 1.05

COUNTERS = ["bytes_copied", "alloc_per_byte", "estimate_per_byte",
            "footprint_per_byte",
            "live_allocs", "meta_per_chunk", "footprint_per_chunk",
            "allocs_per_chunk"]

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(paths):
    """Returns ({(workload, impl, args): entry}, context of the first file)."""
    results = {}
    context = {}
    for path in paths:
        with open(path) as f:
            try:
                data = json.load(f)
            except ValueError:
                # A --benchmark_filter that matches nothing in a binary leaves
                # its output file empty.
                continue
        context = context or data.get("context", {})
        for b in data["benchmarks"]:
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            name = b.get("run_name", b["name"])
            m = re.match(r"BM_([A-Za-z0-9]+)_([A-Za-z0-9]+)(?:/(.*))?$", name)
            if not m:
                continue
            workload, impl, args = m.group(1), m.group(2), m.group(3) or ""
            args = re.sub(r"/?iterations:\d+", "", args)
            entry = {"ns": b["cpu_time"] * UNIT_NS[b.get("time_unit", "ns")]}
            for key in COUNTERS:
                if key in b:
                    entry[key] = b[key]
            results[(workload, impl, args)] = entry
    return results, context


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return "%.3g %s" % (ns / scale, unit)
    return "%.3g ns" % ns


def fmt_ratio(r):
    return "%.2fx" % r


def arg_key(args):
    """Sort numerically by the values in 'name:value/name:value'."""
    return [int(v) if v.isdigit() else v
            for v in re.findall(r":?(\d+|[a-z]+)", args)]


def tables(results):
    out = []
    for workload, title in WORKLOADS:
        rows = sorted({a for (w, _, a) in results if w == workload}, key=arg_key)
        if not rows:
            continue
        impls = {i for (w, i, _) in results if w == workload}
        mine = [i for i in BYTESIO if i in impls]
        theirs = [i for i in BASELINES if i in impls]
        counters = [c for c in COUNTERS
                    if any(c in e for (w, _, _), e in results.items() if w == workload)]
        out.append("### " + title)
        out.append("")
        if not mine:
            head = ["N"] + theirs + counters
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + " --- |" * len(head))
            for a in rows:
                cells = [a or "-"]
                cells += [fmt_time(results[(workload, i, a)]["ns"])
                          if (workload, i, a) in results else "" for i in theirs]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
            continue
        head = (["N", "bytesio"] + ["time"] + theirs +
                ["vs " + i for i in theirs] + counters)
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + " --- |" * len(head))
        for a in rows:
            for m in mine:
                me = results.get((workload, m, a))
                if me is None:
                    continue
                cells = [a or "-", m, fmt_time(me["ns"])]
                ratios = []
                for t in theirs:
                    other = results.get((workload, t, a))
                    if other is None:
                        cells.append("")
                        ratios.append("")
                    else:
                        cells.append(fmt_time(other["ns"]))
                        ratios.append(fmt_ratio(other["ns"] / me["ns"]))
                cells += ratios
                cells += ["%.4g" % me[c] if c in me else "" for c in counters]
                out.append("| " + " | ".join(cells) + " |")
            # Baseline-only counters (overhead rows).
            for t in theirs:
                other = results.get((workload, t, a))
                if other is not None and any(c in other for c in counters):
                    cells = [a or "-", t + " (baseline)", fmt_time(other["ns"])]
                    cells += [""] * (2 * len(theirs))
                    cells += ["%.4g" % other[c] if c in other else "" for c in counters]
                    out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


# protobuf_benchmark.cc: BM_Parse_<Impl> and BM_Serialize_<Impl> over
# bytes:N/blobs:0|1 (Records: field-by-field work; Blobs: 4 KiB payloads).
PROTOBUF_PARSE = ["ParseFromRope", "RopeInputStream", "FlattenParseArray",
                  "CopyParseString", "FlatParseArray", "FlattenOnly"]
PROTOBUF_SERIALIZE = ["SerializeToRope", "OutputStream", "SerializeToString"]


def protobuf_tables(results):
    out = []
    for workload, impls, mine, title in (
            ("Parse", PROTOBUF_PARSE, "ParseFromRope",
             "11. Protobuf: parse a message held in 4 KiB chunks (blobs:0 records, "
             "blobs:1 4 KiB payloads)"),
            ("Serialize", PROTOBUF_SERIALIZE, "SerializeToRope",
             "11. Protobuf: serialize the same messages")):
        rows = sorted({a for (w, _, a) in results if w == workload}, key=arg_key)
        present = [i for i in impls if any((workload, i, a) in results for a in rows)]
        if not rows or mine not in present:
            continue
        others = [i for i in present if i != mine]
        out += ["### " + title, ""]
        head = ["N"] + present + [mine + " vs " + i for i in others]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + " --- |" * len(head))
        for a in rows:
            me = results.get((workload, mine, a))
            cells = [a]
            cells += [fmt_time(results[(workload, i, a)]["ns"])
                      if (workload, i, a) in results else "" for i in present]
            cells += [fmt_ratio(results[(workload, i, a)]["ns"] / me["ns"])
                      if me and (workload, i, a) in results else "" for i in others]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


class Bars:
    def __init__(self, results):
        self.r = results
        self.lines = []

    def ns(self, workload, impl, args):
        e = self.r.get((workload, impl, args))
        return None if e is None else e["ns"]

    def check(self, name, ok, detail):
        if ok is None:
            self.lines.append("- [n/a] %s: %s" % (name, detail))
        else:
            self.lines.append("- [%s] %s: %s" % ("MET" if ok else "MISSED", name, detail))

    def ratio(self, workload, mine, theirs, args):
        a, b = self.ns(workload, mine, args), self.ns(workload, theirs, args)
        if a is None or b is None:
            return None
        return b / a


def bars(results):
    b = Bars(results)
    # Small appends.
    for impl in ("BytesIO", "Rope"):
        r = b.ratio("SmallAppend", impl, "String", "write:16")
        if r is not None:
            b.check("Small appends, %s, 16 B >= std::string" % impl, r >= 1.0,
                    "%s std::string's speed" % fmt_ratio(r))
        r = b.ratio("SmallAppend", impl, "Cord", "write:16")
        if r is not None:
            b.check("Small appends, %s, 16 B >= 2x Cord" % impl, r >= 2.0,
                    "%s Cord's speed" % fmt_ratio(r))
        r = b.ratio("SmallAppend", impl, "String", "write:1500")
        if r is not None:
            b.check("Small appends, %s, 1500 B within 80%% of std::string" % impl,
                    r >= 0.8, "%.0f%% of std::string's speed" % (100 * r))
    # Shared appends.
    small = results.get(("AppendShared", "Rope", "size:65536"))
    large = results.get(("AppendShared", "Rope", "size:1048576"))
    if small and large:
        copied = max(small.get("bytes_copied", 0), large.get("bytes_copied", 0))
        b.check("Shared append: no byte copied", copied == 0,
                "%g bytes copied per append" % copied)
        growth = large["ns"] / small["ns"]
        b.check("Shared append: constant cost 64 KiB -> 1 MiB", growth <= 1.25,
                "1 MiB / 64 KiB time = %.2f" % growth)
        for size in ("size:65536", "size:1048576"):
            r = b.ratio("AppendShared", "Rope", "Cord", size)
            if r is not None:
                b.check("Shared append: no slower than Cord::Append(Cord), %s" % size,
                        r >= 1.0, "%s Cord's speed (%s vs %s per 1000)" % (
                            fmt_ratio(r), fmt_time(b.ns("AppendShared", "Rope", size)),
                            fmt_time(b.ns("AppendShared", "Cord", size))))
    # Sub-range and scaling. RandomRead's bars are on its cyclic inputs
    # (data:0: the lookup cost, data cached); the real-buffer inputs
    # (data:1) are reported below.
    counts = ("chunks:1000", "chunks:100000", "chunks:1000000")
    for workload, impls, suffix in (("Subrange", ["Rope"], ""),
                                    ("RandomRead", ["Rope", "BytesIO"], "/data:0")):
        for impl in impls:
            for chunks in counts:
                r = b.ratio(workload, impl, "Cord", chunks + suffix)
                if r is not None:
                    b.check("%s: %s no slower than Cord, %s" % (
                                workload, impl, chunks + suffix),
                            r >= 1.0, "%s Cord's speed" % fmt_ratio(r))
            lo = b.ns(workload, impl, "chunks:1000" + suffix)
            hi = b.ns(workload, impl, "chunks:1000000" + suffix)
            if lo and hi:
                cord = ""
                clo, chi = b.ns(workload, "Cord", "chunks:1000" + suffix), b.ns(
                    workload, "Cord", "chunks:1000000" + suffix)
                if clo and chi:
                    cord = " (Cord: %.2fx)" % (chi / clo)
                b.check("%s: %s 1,000,000 chunks <= 3x 1,000 chunks" % (workload, impl),
                        hi / lo <= 3.0, "%.2fx%s" % (hi / lo, cord))
                if workload == "RandomRead":
                    b.check("RandomRead: %s 1,000,000 chunks <= 4x 1,000 chunks "
                            "(lookup cost, data cached)" % impl,
                            hi / lo <= 4.0, "%.2fx%s" % (hi / lo, cord))
    # RandomRead over one real buffer (data:1): Rope, Cord and std::string
    # all read the same memory, so the DRAM misses are everyone's.
    for impl in ("Rope", "BytesIO"):
        for chunks in counts:
            args = chunks + "/data:1"
            r = b.ratio("RandomRead", impl, "Cord", args)
            if r is not None:
                b.check("RandomRead (real buffer): %s no slower than Cord, %s" % (
                            impl, args), r >= 1.0, "%s Cord's speed" % fmt_ratio(r))
            r = b.ratio("RandomRead", impl, "String", args)
            if r is not None:
                b.check("RandomRead (real buffer): %s vs std::string, %s" % (
                            impl, args), None,
                        "%s std::string's speed (%s vs %s)" % (
                            fmt_ratio(r), fmt_time(b.ns("RandomRead", impl, args)),
                            fmt_time(b.ns("RandomRead", "String", args))))
        lo = b.ns("RandomRead", impl, "chunks:1000/data:1")
        hi = b.ns("RandomRead", impl, "chunks:1000000/data:1")
        if lo and hi:
            b.check("RandomRead (real buffer): %s 1,000,000 chunks / 1,000 chunks" % impl,
                    None, "%.2fx" % (hi / lo))
    # Random access in 64 MiB.
    fills = (("fill:0", "filled by writes", 1.0),
             ("fill:1", "4 KiB external pieces", 0.6))
    for args, label, need in fills:
        r = b.ratio("RandomAccess", "BytesIO", "Stringstream", args)
        if r is not None:
            b.check("RandomAccess %s (%s): BytesIO >= %.1fx std::stringstream" % (
                        args, label, need), r >= need,
                    "%s (%s vs %s)" % (
                        fmt_ratio(r), fmt_time(b.ns("RandomAccess", "BytesIO", args)),
                        fmt_time(b.ns("RandomAccess", "Stringstream", args))))
        r = b.ratio("RandomAccess", "BytesIO", "Cord", args)
        if r is not None:
            b.check("RandomAccess %s (%s): BytesIO >= 2x absl::Cord on the same "
                    "chunks" % (args, label), r >= 2.0,
                    "%s (%s vs %s)" % (
                        fmt_ratio(r), fmt_time(b.ns("RandomAccess", "BytesIO", args)),
                        fmt_time(b.ns("RandomAccess", "Cord", args))))
    # Framing: view form >= 2x std::string at 64 B and 1 KiB and
    # >= 0.5x the limit at every size; Rope form >= 0.8x std::string at
    # 64 B, >= 1.5x at 1 KiB, >= 3x at 16 KiB and 1 MiB.
    rope_need = {64: 0.8, 1 << 10: 1.5, 16 << 10: 3.0, 1 << 20: 3.0}
    for workload, limit in (("FrameLength", "Memcpy"), ("FrameVarint", "Memcpy"),
                            ("FrameDelim", "Memchr"), ("FrameShared", None)):
        argsets = sorted({a for (w, i, a) in results if w == workload},
                         key=arg_key)
        for args in argsets:
            frame = int(re.search(r"frame:(\d+)", args).group(1))
            if frame in (64, 1 << 10):
                r = b.ratio(workload, "View", "String", args)
                if r is not None:
                    b.check("%s %s: view form >= 2x std::string" % (workload, args),
                            r >= 2.0, fmt_ratio(r))
            if limit is not None:
                r = b.ratio(workload, "View", limit, args)
                if r is not None:
                    b.check("%s %s: view form >= 0.5x the %s limit" % (
                                workload, args, limit.lower()),
                            r >= 0.5, fmt_ratio(r))
            need = rope_need.get(frame)
            r = b.ratio(workload, "FrameDecoder", "String", args)
            if r is not None and need is not None:
                b.check("%s %s: Rope form >= %.1fx std::string" % (workload, args, need),
                        r >= need, fmt_ratio(r))
    # Lines, in 4 KiB chunks and in one flat chunk.
    for args in ("chunk:4096", "chunk:0"):
        r = b.ratio("Lines", "View", "Stringstream", args)
        if r is not None:
            b.check("Lines %s: view form >= 2x std::getline" % args, r >= 2.0,
                    fmt_ratio(r))
        r = b.ratio("Lines", "BytesIO", "Stringstream", args)
        if r is not None:
            b.check("Lines %s: Rope form (ReadLineInto) >= 1.0x std::getline" % args,
                    r >= 1.0,
                    "%s (%s vs %s per 4 MiB)" % (
                        fmt_ratio(r), fmt_time(b.ns("Lines", "BytesIO", args)),
                        fmt_time(b.ns("Lines", "Stringstream", args))))
        r = b.ratio("Lines", "View", "Memchr", args)
        if r is not None:
            b.check("Lines %s: view form >= 0.5x a memchr loop" % args, r >= 0.5,
                    fmt_ratio(r))
    # Typed reads: BytesIO at most 1.3x the cursor's time; the
    # cursor's 32-bit BE reads >= 0.5x memcpy + bswap on a flat buffer.
    for workload in ("ReadBE32", "ReadVarint"):
        for args in ("chunk:7", "chunk:1027", "chunk:65539"):
            cursor = b.ns(workload, "RopeReader", args)
            io = b.ns(workload, "BytesIO", args)
            if cursor and io:
                b.check("%s %s: BytesIO <= 1.3x the cursor's time" % (workload, args),
                        io / cursor <= 1.3, "%.2fx (%s vs %s)" % (
                            io / cursor, fmt_time(io), fmt_time(cursor)))
    for args in ("chunk:7", "chunk:1027", "chunk:65539"):
        r = b.ratio("ReadBE32", "RopeReader", "Memcpy", args)
        if r is not None:
            b.check("ReadBE32 %s: cursor >= 0.5x memcpy + bswap (flat)" % args,
                    r >= 0.5, fmt_ratio(r))
    # Overwrite.
    for workload in ("Overwrite", "OverwriteSnapshot"):
        r = b.ratio(workload, "BytesIO", "Stringstream", "")
        if r is not None:
            b.check("%s: >= 3x std::stringstream" % workload, r >= 3.0,
                    "%s (%s vs %s per 1000 writes)" % (
                        fmt_ratio(r), fmt_time(b.ns(workload, "BytesIO", "")),
                        fmt_time(b.ns(workload, "Stringstream", ""))))
    # Snapshot.
    one = b.ns("Snapshot", "BytesIO", "size:1048576")
    big = b.ns("Snapshot", "BytesIO", "size:67108864")
    if one and big:
        b.check("Snapshot: same time at 1 MiB and 64 MiB",
                max(one, big) / min(one, big) <= 1.25,
                "%s vs %s" % (fmt_time(one), fmt_time(big)))
        b.check("Snapshot: under a microsecond", max(one, big) < 1000,
                "%s at 64 MiB" % fmt_time(big))
    # Overhead.
    meta = [(a, e) for (w, i, a), e in results.items()
            if w == "ChunkMetadata" and i == "Rope"]
    for a, e in sorted(meta):
        b.check("Overhead: <= 32 bytes of metadata per chunk (%s)" % a,
                e["meta_per_chunk"] <= 32,
                "%.1f bytes requested per chunk beyond the payload "
                "(%.1f with malloc's own headers)" % (e["meta_per_chunk"],
                                                      e["footprint_per_chunk"]))
    for impl in ("BytesIO", "Rope"):
        e = results.get(("SmallWriteMemory", impl, ""))
        if e:
            b.check("Overhead: <= 1.1 bytes allocated per byte held, %s" % impl,
                    e["alloc_per_byte"] <= 1.1,
                    "%.3f (%.3f with malloc's headers)" % (e["alloc_per_byte"],
                                                          e["footprint_per_byte"]))
    # Memory per byte held (memory_benchmark).
    for workload in MEMORY_WORKLOADS:
        cord = results.get((workload, "Cord", ""))
        for impl in ("Rope", "BytesIO"):
            e = results.get((workload, impl, ""))
            if e is None or "alloc_per_byte" not in e:
                continue
            mine = e["alloc_per_byte"]
            b.check("%s, %s: <= %.2f bytes allocated per byte held" % (
                        workload, impl, MEMORY_BAR),
                    mine <= MEMORY_BAR, "%.4f" % mine)
            if cord is not None and "alloc_per_byte" in cord:
                theirs = cord["alloc_per_byte"]
                b.check("%s, %s: <= %.2fx Cord's bytes per byte held" % (
                            workload, impl, MEMORY_VS_CORD),
                        mine <= MEMORY_VS_CORD * theirs,
                        "%.4f vs Cord's %.4f (%.3fx)" % (mine, theirs, mine / theirs))
    # Protobuf: ParseFromRope >= 1.2x Flatten() + ParseFromArray, >= 1.5x
    # ParseFromString on a copy, within 1.3x of ParseFromArray on a flat
    # buffer; SerializeToRope no slower than SerializeToString.
    for a in sorted({a for (w, _, a) in results if w == "Parse"}, key=arg_key):
        for theirs, need, what in (("FlattenParseArray", 1.2, "Flatten() + ParseFromArray"),
                                   ("CopyParseString", 1.5, "ParseFromString on a copy")):
            r = b.ratio("Parse", "ParseFromRope", theirs, a)
            if r is not None:
                b.check("Protobuf %s: ParseFromRope >= %.1fx %s" % (a, need, what),
                        r >= need, fmt_ratio(r))
        r = b.ratio("Parse", "ParseFromRope", "FlatParseArray", a)
        if r is not None:
            b.check("Protobuf %s: ParseFromRope within 1.3x of ParseFromArray (flat)" % a,
                    1 / r <= 1.3, "%.2fx its time" % (1 / r))
    for a in sorted({a for (w, _, a) in results if w == "Serialize"}, key=arg_key):
        r = b.ratio("Serialize", "SerializeToRope", "SerializeToString", a)
        if r is not None:
            b.check("Protobuf %s: SerializeToRope >= 1.0x SerializeToString" % a,
                    r >= 1.0, fmt_ratio(r))
    return b.lines


def cpu_model():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def compiler_version():
    try:
        return subprocess.run(["gcc", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "?"


def package_version(name):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def cache_list(context):
    return ", ".join("L%d%s %d KiB" % (c["level"], c["type"][0].lower() if c["type"] != "Unified" else "",
                                       c["size"] // 1024)
                     for c in context.get("caches", []))


def machine(context):
    return [
        "- Machine: %s, %s CPUs at %s MHz (%s), %s" % (
            cpu_model() or platform.processor(), context.get("num_cpus", "?"),
            context.get("mhz_per_cpu", "?"), cache_list(context), platform.platform()),
        "- Compiler: %s, `-c opt` (-O2 -DNDEBUG); Google Benchmark %s (Debian package, "
        "built as %s)" % (compiler_version(), context.get("library_version", "1.7.1"),
                           context.get("library_build_type", "?")),
        "- Run: %s, load average %s at start; CPU time, median of repetitions" % (
            context.get("date", datetime.datetime.now().isoformat()),
            ", ".join("%.2f" % x for x in context.get("load_avg", []))),
    ]


# ---------------------------------------------------------------------------
# The summary table of README.md ("## Performance, side by side"), written by
# --readme between these two marker lines.

README_BEGIN = ("<!-- perf-summary:begin (generated by benchmarks/report.py "
                "--readme; do not edit) -->")
README_END = "<!-- perf-summary:end -->"

# Baselines that count as "best baseline" in the summary (std::string with
# reserve knows the final size in advance; memcpy / memchr are the limit).
SUMMARY_BASELINES = ["String", "Cord", "Stringstream"]
BASELINE_NAMES = {"String": "std::string", "Cord": "Cord",
                  "Stringstream": "std::stringstream", "Memcpy": "memcpy",
                  "Memchr": "memchr"}


def run_info(paths):
    """Returns (earliest context date, repetitions, load average at the start
    of the earliest run) over the JSON files."""
    first, reps = None, 0
    for path in paths:
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        ctx = data.get("context", {})
        if ctx.get("date") and (first is None or ctx["date"] < first.get("date", "")):
            first = ctx
        for b in data.get("benchmarks", []):
            reps = max(reps, int(b.get("repetitions", 1) or 1))
    return first or {}, reps


class Summary:
    """Rows of the summary table; each row also keeps its ratios (baseline /
    bytesio: above 1.00x bytesio is faster, or in the memory rows, holds
    less) for the list of rows where bytesio is behind."""

    def __init__(self, results):
        self.r = results
        self.rows = []    # [label, bytesio, std::string, Cord, stringstream, ratio]
        self.behind = []  # (label, [(what, ratio)]) with a ratio below 1

    def ns(self, workload, impl, args=""):
        e = self.r.get((workload, impl, args))
        return None if e is None else e["ns"]

    def val(self, workload, impl, args, counter):
        e = self.r.get((workload, impl, args))
        return None if e is None else e.get(counter)

    def add(self, label, mine, string, cord, stream, ratios, ratio_text=None):
        """ratios: [(what, ratio or None)]; ratio_text overrides the cell."""
        known = [(w, r) for w, r in ratios if r is not None]
        if not mine or (string is None and cord is None and stream is None):
            return  # nothing to compare against in this run
        if ratio_text is None:
            ratio_text = " / ".join(fmt_ratio(r) for _, r in known)
        self.rows.append([label, mine or "-", string or "-", cord or "-",
                          stream or "-", ratio_text])
        low = [(w, r) for w, r in known if r < 1.0]
        if low:
            self.behind.append((label, low))

    def best(self, workload, args="", impls=SUMMARY_BASELINES):
        times = [t for t in (self.ns(workload, i, args) for i in impls) if t]
        return min(times) if times else None


def join(values, sep=" / "):
    """'a / b / c' with '-' for a missing value; None if all are missing."""
    if all(v is None for v in values):
        return None
    if sep == ", ":  # a list of named values: leave the missing ones out
        return sep.join(v for v in values if v is not None)
    return sep.join("-" if v is None else v for v in values)


def t(ns):
    return None if ns is None else fmt_time(ns)


def div(a, b):
    return None if a is None or b is None or not b else a / b


def summary(results):
    """The rows of README.md's summary table, and the rows where bytesio is
    below 1.00x, as markdown lines."""
    s = Summary(results)
    ns = s.ns

    # Small appends.
    for size in (16, 128, 1500):
        a = "write:%d" % size
        rope, io = ns("SmallAppend", "Rope", a), ns("SmallAppend", "BytesIO", a)
        if rope is None and io is None:
            continue
        best = s.best("SmallAppend", a)
        string = t(ns("SmallAppend", "String", a))
        reserved = ns("SmallAppend", "StringReserved", a)
        if string and reserved:
            string += " (%s with `reserve`)" % fmt_time(reserved)
        s.add("1 MiB in %d B writes" % size,
              join([None if rope is None else "Rope " + fmt_time(rope),
                    None if io is None else "BytesIO " + fmt_time(io)], ", "),
              string, t(ns("SmallAppend", "Cord", a)),
              t(ns("SmallAppend", "Stringstream", a)),
              [("Rope", div(best, rope)), ("BytesIO", div(best, io))])

    # Appending a shared buffer.
    a = "size:1048576"
    rope, cord = ns("AppendShared", "Rope", a), ns("AppendShared", "Cord", a)
    if rope is not None:
        def copied(impl):
            c = s.val("AppendShared", impl, a, "bytes_copied")
            return "" if c is None else ", %g bytes copied" % c
        s.add("1000 appends of one shared 1 MiB buffer",
              fmt_time(rope) + copied("Rope"), None,
              None if cord is None else fmt_time(cord) + copied("Cord"), None,
              [("vs Cord", div(cord, rope))])

    # Sub-range.
    counts = ["chunks:1000", "chunks:100000", "chunks:1000000"]
    COUNT_NAMES = ["1,000 chunks", "100,000 chunks", "1,000,000 chunks"]
    mine = [ns("Subrange", "Rope", c) for c in counts]
    if any(mine):
        s.add("100,000-byte slice, 1,000 / 100,000 / 1,000,000 chunks",
              join([t(x) for x in mine]),
              join([t(ns("Subrange", "String", c)) for c in counts]),
              join([t(ns("Subrange", "Cord", c)) for c in counts]), None,
              [(n, div(s.best("Subrange", c), m))
               for n, c, m in zip(COUNT_NAMES, counts, mine)])

    # Framing: the Rope form (FrameDecoder::Next) and the view form.
    framing = [
        ("FrameLength", "frame:64/piece:1500",
         "framing, 4-byte length, 64 B frames, 1500 B pieces (4 MiB)"),
        ("FrameLength", "frame:1024/piece:16384",
         "framing, 4-byte length, 1 KiB frames, 16 KiB pieces (4 MiB)"),
        ("FrameLength", "frame:16384/piece:16384",
         "framing, 4-byte length, 16 KiB frames, 16 KiB pieces (4 MiB)"),
        ("FrameLength", "frame:1048576/piece:16384",
         "framing, 4-byte length, 1 MiB frames, 16 KiB pieces (8 MiB)"),
        ("FrameShared", "frame:1048576/piece:16384",
         "same, pieces arriving as refcounted buffers (each side pays to receive them)"),
    ]
    for workload, a, label in framing:
        rope, view = ns(workload, "FrameDecoder", a), ns(workload, "View", a)
        if rope is None and view is None:
            continue
        best = s.best(workload, a)
        s.add(label,
              join([None if rope is None else "Rope form " + fmt_time(rope),
                    None if view is None else "view " + fmt_time(view)], ", "),
              t(ns(workload, "String", a)), t(ns(workload, "Cord", a)), None,
              [("Rope form", div(best, rope)), ("view", div(best, view))])

    # Lines: the Rope form (ReadLineInto into one reused Rope, as getline into
    # one string) and the view form against std::getline and memchr.
    for a, where in (("chunk:4096", "4 KiB chunks"), ("chunk:0", "one flat chunk")):
        line, view = ns("Lines", "BytesIO", a), ns("Lines", "View", a)
        if line is None and view is None:
            continue
        getline, memchr = ns("Lines", "Stringstream", a), ns("Lines", "Memchr", a)
        cord = ns("Lines", "Cord", a)
        ratios = [("`ReadLineInto` vs `getline`", div(getline, line)),
                  ("view vs `getline`", div(getline, view))]
        text = join([None if r is None else fmt_ratio(r) for _, r in ratios])
        if text:
            text += " vs `getline`"
        lim = join([None if r is None else fmt_ratio(r)
                    for r in (div(memchr, line), div(memchr, view))])
        if lim:
            text = (text + "; " if text else "") + "%s vs memchr (%s)" % (
                lim, fmt_time(memchr))
        s.add("4 MiB of 80 B lines in %s (`ReadLineInto`, view)" % where,
              join([None if line is None else "`ReadLineInto` " + fmt_time(line),
                    None if view is None else "view " + fmt_time(view)], ", "),
              None, None if cord is None else fmt_time(cord) + " (scan + Subcord)",
              None if getline is None else fmt_time(getline) + " (`getline`)",
              ratios, text or "")

    # Random overwrite.
    io = ns("Overwrite", "BytesIO")
    if io is not None:
        stream = ns("Overwrite", "Stringstream")
        string = ns("Overwrite", "String")
        r = div(stream, io)
        s.add("1000 random 8 B overwrites in 64 MiB", fmt_time(io),
              None if string is None else fmt_time(string) + " (memcpy)", None,
              t(stream), [("vs std::stringstream", r)],
              "" if r is None else fmt_ratio(r) + " vs stringstream")
    io = ns("OverwriteSnapshot", "BytesIO")
    if io is not None:
        s.add("same, snapshot taken first", fmt_time(io),
              t(ns("OverwriteSnapshot", "String")), None,
              t(ns("OverwriteSnapshot", "Stringstream")),
              [("", div(s.best("OverwriteSnapshot"), io))])

    # Typed reads.
    a = "chunk:1027"
    cursor, io = ns("ReadBE32", "RopeReader", a), ns("ReadBE32", "BytesIO", a)
    if cursor is not None:
        flat = ns("ReadBE32", "Memcpy", a)
        r = div(flat, cursor)
        s.add("1 MiB of big-endian uint32, 1027 B chunks",
              "RopeReader " + fmt_time(cursor) +
              ("" if io is None else " (BytesIO %s)" % fmt_time(io)),
              None if flat is None else fmt_time(flat) + " (memcpy + bswap, flat)",
              None, None, [],
              "" if r is None else fmt_ratio(r) + " vs memcpy + bswap")

    # Snapshot.
    sizes = ["size:4096", "size:1048576", "size:67108864"]
    mine = [ns("Snapshot", "BytesIO", a) for a in sizes]
    if any(mine):
        s.add("snapshot (`GetValue`) of 4 KiB / 1 MiB / 64 MiB",
              join([t(x) for x in mine]),
              join([t(ns("Snapshot", "String", a)) for a in sizes]), None,
              join([t(ns("Snapshot", "Stringstream", a)) for a in sizes]),
              [(n, div(s.best("Snapshot", a), m))
               for n, a, m in zip(("4 KiB", "1 MiB", "64 MiB"), sizes, mine)])

    # Random access in 64 MiB.
    for a, label in (("fill:0", "filled by writes"),
                     ("fill:1", "4 KiB external pieces")):
        io = ns("RandomAccess", "BytesIO", a)
        if io is None:
            continue
        stream, cord = ns("RandomAccess", "Stringstream", a), ns("RandomAccess", "Cord", a)
        ratios = [("vs std::stringstream", div(stream, io)), ("vs Cord", div(cord, io))]
        s.add("seek + read 100 B in 64 MiB, %s" % label, fmt_time(io),
              t(ns("RandomAccess", "String", a)), t(cord), t(stream), ratios,
              "; ".join("%s %s" % (fmt_ratio(r), w.replace("std::", ""))
                        for w, r in ratios if r is not None))

    # Scaling: random reads over 1,000 to 1,000,000 chunks, against Cord
    # (std::string is one flat buffer: the limit, not a competitor).
    for data, label in (("data:0", "cyclic cached 1 MiB backing (data:0)"),
                        ("data:1", "one real buffer of N KiB (data:1)")):
        argsets = [c + "/" + data for c in counts]
        rope = [ns("RandomRead", "Rope", a) for a in argsets]
        io = [ns("RandomRead", "BytesIO", a) for a in argsets]
        if not any(rope) and not any(io):
            continue
        cord = [ns("RandomRead", "Cord", a) for a in argsets]
        mine, ratios = [], []
        for impl, times in (("Rope", rope), ("BytesIO", io)):
            if any(times):
                mine.append(impl + " " + join([t(x) for x in times]))
                ratios += [("%s %s" % (impl, n), div(c, m))
                           for n, c, m in zip(COUNT_NAMES, cord, times)]
        text = join([join([None if r is None else fmt_ratio(r)
                           for r in (div(c, m) for c, m in zip(cord, times))])
                     for times in (rope, io) if any(times)], ", ")
        s.add("seek + read 8 B, 1,000 / 100,000 / 1,000,000 chunks, %s" % label,
              ", ".join(mine),
              join([t(ns("RandomRead", "String", a)) for a in argsets]) and
              join([t(ns("RandomRead", "String", a)) for a in argsets]) + " (flat)",
              join([t(x) for x in cord]), None, ratios,
              (text + " vs Cord") if text else "")

    # Memory: bytes allocated per byte held (ratio: best baseline's figure /
    # bytesio's, above 1.00x bytesio holds less).
    def per_byte(workload, impl, args=""):
        return s.val(workload, impl, args, "alloc_per_byte")

    def f3(x):
        return None if x is None else "%.3f" % x

    memory = [("SmallWriteMemory", "memory after 1,000,000 16 B writes")]
    memory += [(w, title.split(": ", 1)[1]) for w, title in WORKLOADS
               if w in MEMORY_WORKLOADS]
    for workload, label in memory:
        mine = [(impl, per_byte(workload, impl)) for impl in ("Rope", "BytesIO")]
        mine = [(impl, x) for impl, x in mine if x is not None]
        if not mine:
            continue
        theirs = [x for x in (per_byte(workload, i) for i in SUMMARY_BASELINES)
                  if x is not None]
        best = min(theirs) if theirs else None
        label = label.replace(" (bytes allocated per byte held)", "")
        s.add(label + " (bytes allocated per byte held)",
              ", ".join("%s %.3f" % m for m in mine),
              f3(per_byte(workload, "String")), f3(per_byte(workload, "Cord")),
              f3(per_byte(workload, "Stringstream")),
              [(impl, div(best, x)) for impl, x in mine])
    meta = sorted(a for (w, i, a) in results if w == "ChunkMetadata" and i == "Rope")
    if meta:
        a = meta[0]

        def chunk(impl):
            m = s.val("ChunkMetadata", impl, a, "meta_per_chunk")
            if m is None:
                return None, None
            foot = s.val("ChunkMetadata", impl, a, "footprint_per_chunk")
            return m, "%.1f B" % m + ("" if foot is None else
                                      " (%.1f B with malloc's headers)" % foot)
        rope, rope_text = chunk("Rope")
        cord, cord_text = chunk("Cord")
        size = re.search(r"(\d+)", a)
        s.add("metadata per chunk (100,000 chunks%s)" % (
                  ", %s B each" % size.group(1) if size else ""),
              rope_text, None, cord_text, None, [("vs Cord", div(cord, rope))])

    # The limit.
    cells = [t(ns("Memcpy", "Memcpy", "size:%d" % n))
             for n in (1 << 20, 4 << 20, 64 << 20)]
    memchr = t(ns("Memchr", "Memchr", "size:%d" % (4 << 20)))
    limit = join([join(cells), memchr], "; ")
    if limit:
        s.rows.append(["limit: memcpy 1 MiB / 4 MiB / 64 MiB; memchr 4 MiB",
                       "", "", "", "", limit])

    out = ["| workload | bytesio | std::string | absl::Cord | std::stringstream "
           "| bytesio vs best baseline |",
           "| --- | --- | --- | --- | --- | --- |"]
    out += ["| " + " | ".join(row) + " |" for row in s.rows]
    return s, out


def machine_paragraph(context, first, reps):
    model = cpu_model() or platform.processor() or "?"
    caches = cache_list(context)
    absl = package_version("libabsl-dev")
    bench = context.get("library_version") or package_version("libbenchmark-dev")
    date = (first.get("date") or context.get("date") or "?")[:10]
    load = first.get("load_avg") or context.get("load_avg") or []
    text = ("**Machine**: %s, %s CPUs at %s MHz (%s); %s; %s `-c opt` (-O2 -DNDEBUG); "
            "Abseil %s, Google Benchmark %s (Debian packages, built as %s). "
            "Run of %s, %d repetition%s, medians of CPU time%s. "
            "These VMs are noisy (shared vCPUs), so expect a few percent of noise; "
            "all the ratios below are from this one run." % (
                model, context.get("num_cpus", "?"), context.get("mhz_per_cpu", "?"),
                caches, platform.platform(), compiler_version(),
                (absl or "?").split("-")[0], (bench or "?").split("-")[0],
                context.get("library_build_type", "?"), date, reps,
                "" if reps == 1 else "s",
                "; load average %.2f at the start" % load[0] if load else ""))
    return textwrap.wrap(text, 100, break_on_hyphens=False)


def readme_block(results, context, first, reps):
    s, table = summary(results)
    out = [README_BEGIN] + machine_paragraph(context, first, reps) + [""] + table + [""]
    out += textwrap.wrap(
        "Ratios are baseline time / bytesio time (in the memory rows, the "
        "baseline's bytes allocated per byte held / bytesio's): above 1.00x bytesio "
        "is faster or holds less. The best baseline is the best of std::string, "
        "absl::Cord and std::stringstream among those doing the same work; a ratio "
        "that names its baseline (\"vs Cord\") is against that one only. "
        "std::string with `reserve` (it knows the final size), memcpy and memchr "
        "are limits: shown, not counted as baselines.", 100, break_on_hyphens=False)
    out.append("")
    if s.behind:
        out.append("In this run bytesio is below 1.00x against a baseline in these rows:")
        out.append("")
        for label, low in s.behind:
            out.append("- %s: %s" % (label, ", ".join(
                ("%s %s" % (w, fmt_ratio(r))).strip() for w, r in low)))
    else:
        out.append("In this run bytesio is at or above 1.00x in every row.")
    out.append(README_END)
    return out, len(s.rows)


def write_readme(path, block):
    with open(path) as f:
        old = f.read()
    begin = old.find(README_BEGIN)
    end = old.find(README_END, begin + 1 if begin >= 0 else 0)
    if begin < 0 or end < 0:
        sys.exit("report.py: %s has no '%s' ... '%s' markers" % (
            path, README_BEGIN, README_END))
    new = old[:begin] + "\n".join(block) + old[end + len(README_END):]
    if new != old:
        with open(path, "w") as f:
            f.write(new)


# The heading from which RESULTS.md is written by hand (kept by --results).
HAND_WRITTEN = "## The bars, met and missed"


def main(argv):
    paths, results_path, readme_path = [], None, None
    it = iter(argv)
    for arg in it:
        if arg in ("--results", "--readme"):
            value = next(it, None)
            if value is None:
                sys.exit("report.py: %s needs a PATH" % arg)
            if arg == "--results":
                results_path = value
            else:
                readme_path = value
        elif arg.startswith("--results="):
            results_path = arg.split("=", 1)[1]
        elif arg.startswith("--readme="):
            readme_path = arg.split("=", 1)[1]
        else:
            paths.append(arg)
    results, context = load(paths)
    lines = ["## Benchmark results", ""] + machine(context) + [""]
    lines += ["Ratios are baseline time / bytesio time: above 1.00x bytesio is faster.", ""]
    lines += tables(results)
    lines += protobuf_tables(results)
    lines += ["## The bars", ""] + bars(results) + [""]
    text = "\n".join(lines)
    print(text)
    if results_path:
        # Everything from the hand-written heading on is kept as it is: the
        # commentary on the bars is written by people, not by this script.
        kept = ""
        try:
            with open(results_path) as f:
                old = f.read()
            at = old.find(HAND_WRITTEN)
            if at >= 0:
                kept = old[at:]
        except FileNotFoundError:
            pass
        with open(results_path, "w") as f:
            f.write("# bytesio benchmark results\n\n"
                    "Generated by `benchmarks/run.sh --results`; do not edit by hand, "
                    "except from the\nsection \"" + HAND_WRITTEN[3:] + "\" on, which "
                    "`--results` keeps.\n\n")
            f.write(text)
            f.write("\n")
            if kept:
                f.write("\n" + kept)
    if readme_path:
        first, reps = run_info(paths)
        block, rows = readme_block(results, context, first, reps)
        if rows:
            write_readme(readme_path, block)
        else:
            print("report.py: no summary rows in these results; %s left as it is"
                  % readme_path, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
