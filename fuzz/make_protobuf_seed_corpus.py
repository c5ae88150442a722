#!/usr/bin/env python3
# Copyright 2026 The bytesio Authors.
"""Writes the seed inputs of protobuf_delimited_fuzzer:
fuzz/corpus/protobuf_delimited_fuzzer/seed_*.

The layout is the one fuzz/protobuf_delimited_fuzzer.cc documents:
    [max: Pick(3)] [type: Pick(2)] [length: 2 bytes LE] [stream] [BuildRope]
Messages are encoded by hand (tests/protobuf_test_messages.proto), so no
protobuf Python package is needed. Run from anywhere:
    python3 fuzz/make_protobuf_seed_corpus.py
"""

import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus",
                   "protobuf_delimited_fuzzer")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire, payload):
    tag = varint(number << 3 | wire)
    if wire == 2:
        return tag + varint(len(payload)) + payload
    return tag + payload


def delimited(message):
    return varint(len(message)) + message


ITEM = (field(1, 0, varint(7)) + field(2, 2, b"item-1") +
        field(3, 2, b"\x00\xffpayload") +
        field(4, 2, varint(2) + varint(3) + varint(4001)) +  # packed sint32
        field(5, 1, struct.pack("<d", 1.5)) +
        field(6, 1, struct.pack("<Q", 1 << 60)) +
        field(7, 5, struct.pack("<I", 0xDEADBEEF)))
LABEL = field(1, 2, b"host") + field(2, 0, varint(42))
ENVELOPE = (field(1, 0, varint(300)) + field(2, 2, b"telemetry/7") +
            field(3, 2, ITEM) + field(3, 2, ITEM) +
            field(4, 2, b"blob" * 40) + field(5, 2, LABEL) +
            field(6, 2, b"text") +
            varint(8 << 3 | 3) + field(9, 0, varint(5)) + varint(8 << 3 | 4) +
            field(10, 2, field(1, 0, varint(1))))
STRICT = field(1, 0, varint(1)) + field(2, 2, field(1, 0, varint(2)))
STRICT_MISSING = field(2, 2, field(1, 0, varint(2)))

# BuildRope decisions: mode 0 (a copy), 2 (pieces of chosen sizes), 5
# (one-byte chunks); the rest of the decisions default to zeros.
ROPES = {"copy": b"\x00", "pieces": b"\x02" + b"\x07\x00" * 16,
         "bytes": b"\x05"}


def seed(max_pick, type_pick, stream, rope):
    return (bytes([max_pick, type_pick]) + struct.pack("<H", len(stream)) +
            stream + ROPES[rope])


SEEDS = {
    "empty": seed(0, 0, b"", "copy"),
    "one_envelope": seed(0, 0, delimited(ENVELOPE), "copy"),
    "three_envelopes_pieces": seed(
        0, 0, delimited(ENVELOPE) + delimited(b"") + delimited(ENVELOPE),
        "pieces"),
    "envelope_one_byte_chunks": seed(0, 0, delimited(ENVELOPE), "bytes"),
    "truncated_body": seed(0, 0, delimited(ENVELOPE)[:-3], "pieces"),
    "truncated_length": seed(0, 0, b"\x80\x80", "copy"),
    "over_max_100": seed(1, 0, delimited(ENVELOPE), "copy"),
    "under_max_4096": seed(2, 0, delimited(ENVELOPE), "pieces"),
    "huge_length": seed(0, 0, varint(1 << 40) + b"body", "copy"),
    "eleven_byte_varint": seed(0, 0, b"\xff" * 10 + b"\x01", "copy"),
    "padded_length": seed(0, 0, b"\x85\x80\x00" + field(1, 0, varint(1)) +
                          field(2, 0, b"\x01"), "copy"),
    "bad_wire_type": seed(0, 0, delimited(b"\x0f\x01"), "copy"),
    "unterminated_group": seed(0, 0, delimited(varint(8 << 3 | 3)), "copy"),
    "strict": seed(0, 1, delimited(STRICT) + delimited(STRICT), "pieces"),
    "strict_missing_required": seed(0, 1, delimited(STRICT_MISSING), "copy"),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(OUT, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
