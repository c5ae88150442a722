#!/usr/bin/env python3
"""Side-by-side table of bytesio against its baselines, from Google Benchmark
JSON files (see run.sh), plus the verdict on each bar.

Benchmarks are named BM_<Workload>_<Impl>/<args>. For every workload and
argument set the table shows the median CPU time of each implementation and,
for each bytesio implementation, the ratio baseline time / bytesio time
(above 1: bytesio is faster).

usage: report.py FILE.json... [--results RESULTS.md]
"""

import datetime
import json
import platform
import re
import subprocess
import sys

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
            b.check("Lines %s: ReadLine >= 1.0x std::getline" % args, r >= 1.0,
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
    return b.lines


def machine(context):
    model = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        compiler = subprocess.run(["gcc", "--version"], capture_output=True,
                                  text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        compiler = "?"
    caches = ", ".join("L%d%s %d KiB" % (c["level"], c["type"][0].lower() if c["type"] != "Unified" else "",
                                         c["size"] // 1024)
                       for c in context.get("caches", []))
    return [
        "- Machine: %s, %s CPUs at %s MHz (%s), %s" % (
            model or platform.processor(), context.get("num_cpus", "?"),
            context.get("mhz_per_cpu", "?"), caches, platform.platform()),
        "- Compiler: %s, `-c opt` (-O2 -DNDEBUG); Google Benchmark %s (Debian package, "
        "built as %s)" % (compiler, context.get("library_version", "1.7.1"),
                           context.get("library_build_type", "?")),
        "- Run: %s, load average %s at start; CPU time, median of repetitions" % (
            context.get("date", datetime.datetime.now().isoformat()),
            ", ".join("%.2f" % x for x in context.get("load_avg", []))),
    ]


# The heading from which RESULTS.md is written by hand (kept by --results).
HAND_WRITTEN = "## The bars, met and missed"


def main(argv):
    paths, results_path = [], None
    it = iter(argv)
    for arg in it:
        if arg == "--results":
            results_path = next(it)
        else:
            paths.append(arg)
    results, context = load(paths)
    lines = ["## Benchmark results", ""] + machine(context) + [""]
    lines += ["Ratios are baseline time / bytesio time: above 1.00x bytesio is faster.", ""]
    lines += tables(results)
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


if __name__ == "__main__":
    main(sys.argv[1:])
