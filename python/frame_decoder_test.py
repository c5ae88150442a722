"""Tests of bytesio.FrameDecoder: the three framings over every way a stream
can be cut into pieces, the size limit, errors and recovery, and sharing."""

import random
import struct
import sys
import unittest

import bytesio


def length_frames(bodies, fmt=">I"):
    return b"".join(struct.pack(fmt, len(b)) + b for b in bodies)


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_in_pieces(decoder, stream, cuts):
    frames = []
    start = 0
    for cut in list(cuts) + [len(stream)]:
        frames.extend(decoder.feed(stream[start:cut]))
        start = cut
    return frames


class FramingTest(unittest.TestCase):
    BODIES = [b"", b"a", b"hello", b"x" * 600, bytes(range(256)) * 300]

    def check_every_split(self, make_decoder, stream, expected):
        for cut in range(len(stream) + 1):
            self.assertEqual(
                decode_in_pieces(make_decoder(), stream, [cut]), expected, cut)

    def test_length_field_every_split(self):
        small = [b"", b"a", b"hello", b"x" * 40]
        self.check_every_split(bytesio.FrameDecoder, length_frames(small),
                               small)

    def test_length_field_random_pieces(self):
        rng = random.Random(13)
        stream = length_frames(self.BODIES)
        for _ in range(50):
            cuts = sorted(rng.randrange(len(stream)) for _ in range(20))
            self.assertEqual(
                decode_in_pieces(bytesio.FrameDecoder(), stream, cuts),
                self.BODIES)

    def test_frames_around_the_gil_release_size(self):
        # Frames under 1 MiB are copied out under the GIL (TakeInto), from
        # 1 MiB on through a Rope with the GIL released: both must agree,
        # whole or in pieces, through iteration and next_frame().
        rng = random.Random(7)
        bodies = [bytes([rng.randrange(256)]) * size for size in
                  ((1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3, 70000)]
        stream = length_frames(bodies)
        for trial in range(3):
            cuts = sorted(rng.randrange(len(stream)) for _ in range(40))
            decoder = bytesio.FrameDecoder()
            frames = []
            for start, end in zip([0] + cuts, cuts + [len(stream)]):
                decoder.feed(stream[start:end])
                if trial == 1:
                    frame = decoder.next_frame()
                    while frame is not None:
                        frames.append(frame)
                        frame = decoder.next_frame()
                else:
                    frames.extend(decoder)
            self.assertEqual(frames, bodies)
            self.assertEqual(decoder.buffered, 0)

    def test_length_field_options(self):
        # [type:1][len:2 LE, counts the whole frame][body], whole frame kept.
        def frame(kind, body):
            return bytes([kind]) + struct.pack("<H", 3 + len(body)) + body

        stream = frame(1, b"abc") + frame(2, b"") + frame(3, b"z" * 1000)
        decoder = bytesio.FrameDecoder(
            field_offset=1, field_size=2, byteorder="little",
            length_counts_header=True, bytes_to_strip=0)
        self.assertEqual(list(decoder.feed(stream)),
                         [frame(1, b"abc"), frame(2, b""),
                          frame(3, b"z" * 1000)])
        decoder = bytesio.FrameDecoder(field_size=1, length_adjustment=1)
        self.assertEqual(list(decoder.feed(b"\x02abc\x00x")), [b"abc", b"x"])

    def test_varint_every_split(self):
        bodies = [b"", b"q", b"w" * 127, b"e" * 128, b"r" * 300]
        stream = b"".join(varint(len(b)) + b for b in bodies)
        self.check_every_split(
            lambda: bytesio.FrameDecoder("varint"), stream, bodies)

    def test_delimiter_every_split(self):
        stream = b"GET / HTTP/1.1\r\nHost: x\r\n\r\ntail"
        self.check_every_split(
            lambda: bytesio.FrameDecoder("delimiter"), stream,
            [b"GET / HTTP/1.1", b"Host: x", b""])
        decoder = bytesio.FrameDecoder("delimiter", delimiter=b"||",
                                       strip_delimiter=False)
        self.assertEqual(list(decoder.feed(b"a||b|")), [b"a||"])
        self.assertEqual(list(decoder.feed(b"|c")), [b"b||"])
        self.assertEqual(decoder.buffered, 1)

    def test_feed_accepts_buffers(self):
        stream = length_frames([b"abc", b"defgh"])
        decoder = bytesio.FrameDecoder()
        decoder.feed(bytearray(stream[:3]))
        decoder.feed(memoryview(stream)[3:9])
        decoder.feed(memoryview(stream[9:]))
        self.assertEqual([decoder.next_frame(), decoder.next_frame()],
                         [b"abc", b"defgh"])
        self.assertIsNone(decoder.next_frame())
        with self.assertRaises(TypeError):
            decoder.feed("str")
        with self.assertRaises(TypeError):
            decoder.feed(None)

    def test_frames_are_bytes(self):
        decoder = bytesio.FrameDecoder("delimiter", delimiter=b"\n")
        for frame in decoder.feed(bytearray(b"one\ntwo\n")):
            self.assertIs(type(frame), bytes)


class LimitAndErrorTest(unittest.TestCase):
    def test_length_over_the_maximum_fails_at_once(self):
        decoder = bytesio.FrameDecoder(max_frame_size=100)
        decoder.feed(length_frames([b"ok"]) + struct.pack(">I", 1 << 30))
        self.assertEqual(decoder.next_frame(), b"ok")
        with self.assertRaises(ValueError) as caught:
            decoder.next_frame()
        self.assertTrue(str(caught.exception))
        # It stays failed until reset().
        with self.assertRaises(ValueError):
            list(decoder)
        decoder.reset()
        self.assertEqual(list(decoder.feed(length_frames([b"again"]))),
                         [b"again"])

    def test_malformed_varint(self):
        decoder = bytesio.FrameDecoder("varint")
        decoder.feed(b"\xff" * 11)
        with self.assertRaises(ValueError):
            decoder.next_frame()

    def test_delimiter_recovers_after_an_oversized_line(self):
        decoder = bytesio.FrameDecoder("delimiter", delimiter=b"\n",
                                       max_frame_size=8)
        decoder.feed(b"short\n" + b"y" * 20)
        self.assertEqual(decoder.next_frame(), b"short")
        with self.assertRaises(ValueError):
            decoder.next_frame()
        decoder.feed(b"yyy\nnext\n")
        self.assertEqual(list(decoder), [b"next"])

    def test_invalid_options(self):
        for kwargs in [{"field_size": 0}, {"field_size": 9},
                       {"byteorder": "middle"}, {"max_frame_size": 0}]:
            with self.assertRaises(ValueError, msg=kwargs):
                bytesio.FrameDecoder(**kwargs)
        with self.assertRaises(ValueError):
            bytesio.FrameDecoder("delimiter", delimiter=b"")
        with self.assertRaises(ValueError):
            bytesio.FrameDecoder("crc")
        with self.assertRaises(TypeError):
            bytesio.FrameDecoder("varint", delimiter=b"\n")
        with self.assertRaises(TypeError):
            bytesio.FrameDecoder("delimiter", field_size=2)
        self.assertEqual(
            bytesio.FrameDecoder(max_frame_size=1234).max_frame_size, 1234)


class SharingTest(unittest.TestCase):
    def test_large_feeds_are_shared_and_released(self):
        body = bytes(range(256)) * 1024  # 256 KiB, shared by feed()
        piece = struct.pack(">I", len(body)) + body
        before = sys.getrefcount(piece)
        decoder = bytesio.FrameDecoder()
        decoder.feed(piece)
        self.assertEqual(sys.getrefcount(piece), before + 1)
        frame = decoder.next_frame()
        self.assertEqual(frame, body)
        self.assertEqual(decoder.buffered, 0)
        self.assertEqual(sys.getrefcount(piece), before)

    def test_views_share_and_pin_the_frame(self):
        body = b"v" * 100000
        piece = struct.pack(">I", len(body)) + body
        decoder = bytesio.FrameDecoder()
        decoder.feed(piece)
        view = decoder.next_view()
        self.assertIsInstance(view, memoryview)
        self.assertTrue(view.readonly)
        self.assertEqual(view, body)
        with self.assertRaises(TypeError):
            view[0] = 0
        self.assertIsNone(decoder.next_view())
        rc = sys.getrefcount(piece)
        view.release()
        self.assertEqual(sys.getrefcount(piece), rc - 1)
        self.assertEqual(piece[4:], body)


if __name__ == "__main__":
    unittest.main()
