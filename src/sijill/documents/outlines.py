"""Cutting a TrueType font to the glyphs a document uses, by copying bytes.

fpdf2 subsets a font with fontTools, decompiling its large layout tables first;
a PDF's font program needs none of them (ISO 32000, 9.9). Here the glyphs and
their outlines are copied from the file's raw tables as they are.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence

# Tables a PDF's TrueType font program needs (ISO 32000, 9.9): head, hhea, maxp,
# hmtx, glyf and loca, made for each subset, and these, copied unchanged when the
# font has them. The rest is dropped.
_COPIED = (b"cvt ", b"fpgm", b"prep")
# Composite glyph flags (OpenType 'glyf'): how long each component record is.
_ARG_WORDS, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x1, 0x8, 0x20, 0x40, 0x80


class Outlines:
    """The raw tables of a TrueType file, from which a subset is cut by copying bytes.

    The glyphs a document uses, and the components of its composite glyphs, are
    copied as they are and numbered anew in their original order (.notdef first);
    only the component numbers inside composite glyphs are rewritten. Nothing is
    decompiled or recompiled.
    """

    def __init__(self, data: bytes, glyph_order: Sequence[str]) -> None:
        count = struct.unpack_from(">H", data, 4)[0]
        self.tables: dict[bytes, bytes] = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            self.tables[tag] = data[offset : offset + length]
        long_loca = struct.unpack_from(">h", self.tables[b"head"], 50)[0] == 1
        loca = self.tables[b"loca"]
        n = struct.unpack_from(">H", self.tables[b"maxp"], 4)[0]
        self.offsets = (
            struct.unpack_from(f">{n + 1}I", loca)
            if long_loca
            else tuple(2 * o for o in struct.unpack_from(f">{n + 1}H", loca))
        )
        self.gid = {name: i for i, name in enumerate(glyph_order)}
        self._metrics = self._horizontal_metrics(n)
        # each glyph's padded bytes and components, and the glyphs it is drawn with
        # (itself and its components'), read once: at most every glyph
        self._entries: dict[int, tuple[bytes, list[tuple[int, int]]]] = {}
        self._closures: dict[int, frozenset[int]] = {}
        # the checksums of the tables every subset copies unchanged
        self._sums = {
            tag: _checksum(self.tables[tag]) for tag in _COPIED if tag in self.tables
        }

    def _entry(self, gid: int) -> tuple[bytes, list[tuple[int, int]]]:
        found = self._entries.get(gid)
        if found is None:
            data = self.glyph(gid)
            found = self._entries[gid] = (
                data + bytes(-len(data) % 4),
                self.components(gid),
            )
        return found

    def _horizontal_metrics(self, n: int) -> list[bytes]:
        """Each glyph's advance width and left side bearing, 4 bytes each."""
        hmtx = self.tables[b"hmtx"]
        long_metrics = struct.unpack_from(">H", self.tables[b"hhea"], 34)[0]
        metrics = [hmtx[4 * i : 4 * i + 4] for i in range(long_metrics)]
        advance = metrics[-1][:2]
        bearings = hmtx[4 * long_metrics :]
        metrics += [
            advance + bearings[2 * i : 2 * i + 2] for i in range(n - long_metrics)
        ]
        return metrics

    def glyph(self, gid: int) -> bytes:
        glyf = self.tables[b"glyf"]
        return glyf[self.offsets[gid] : self.offsets[gid + 1]]

    def components(self, gid: int) -> list[tuple[int, int]]:
        """The glyphs a composite glyph is made of, with where each is named in it."""
        data = self.glyph(gid)
        if len(data) < 10 or struct.unpack_from(">h", data, 0)[0] >= 0:
            return []
        found, at = [], 10
        while True:
            flags, component = struct.unpack_from(">HH", data, at)
            found.append((at + 2, component))
            at += 4 + (4 if flags & _ARG_WORDS else 2)
            at += (
                8
                if flags & _TWO_BY_TWO
                else 4
                if flags & _XY_SCALE
                else 2
                if flags & _SCALE
                else 0
            )
            if not flags & _MORE:
                return found

    def closure(self, gids: set[int]) -> set[int]:
        """``gids``, .notdef and the components they are drawn with."""
        return {0}.union(*(self._closure_of(gid) for gid in gids))

    def _closure_of(self, gid: int) -> frozenset[int]:
        found = self._closures.get(gid)
        if found is None:
            components = (self._closure_of(c) for _, c in self._entry(gid)[1])
            found = self._closures[gid] = frozenset({gid}).union(*components)
        return found

    def subset(self, glyph_names: Sequence[str]) -> tuple[bytes, dict[int, int]]:
        """A TrueType font with the named glyphs (and .notdef), and the new glyph ids."""
        order = sorted(self.closure({self.gid[name] for name in glyph_names}))
        renumbered = {old: new for new, old in enumerate(order)}
        glyf, lengths = bytearray(), []
        for gid in order:
            padded, components = self._entry(gid)
            if components:
                data = bytearray(padded)
                for at, component in components:
                    struct.pack_into(">H", data, at, renumbered[component])
                glyf += data
            else:
                glyf += padded
            lengths.append(len(padded))
        loca = [0, *itertools.accumulate(lengths)]
        head = bytearray(self.tables[b"head"])
        head[8:12] = bytes(4)  # checkSumAdjustment, set once the file is laid out
        struct.pack_into(">h", head, 50, 1)  # long loca offsets
        hhea, maxp = bytearray(self.tables[b"hhea"]), bytearray(self.tables[b"maxp"])
        struct.pack_into(">H", hhea, 34, len(order))  # a full metric for each glyph
        struct.pack_into(">H", maxp, 4, len(order))
        tables = {tag: self.tables[tag] for tag in self._sums}
        tables.update(
            {
                b"head": bytes(head),
                b"hhea": bytes(hhea),
                b"maxp": bytes(maxp),
                b"hmtx": b"".join(self._metrics[gid] for gid in order),
                b"glyf": bytes(glyf),
                b"loca": struct.pack(f">{len(loca)}I", *loca),
            }
        )
        return _sfnt(tables, self._sums), renumbered


def _checksum(data: bytes) -> int:
    padded = data + bytes(-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def _sfnt(tables: dict[bytes, bytes], sums: dict[bytes, int]) -> bytes:
    """A TrueType file holding ``tables``, with its directory and checksums.

    ``sums`` are the checksums already known; the file's own is the sum of its
    header's and directory's and of every table's (each padded to 4 bytes).
    """
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = struct.pack(
        ">IHHHH",
        0x00010000,
        len(tags),
        power * 16,
        power.bit_length() - 1,
        len(tags) * 16 - power * 16,
    )
    directory, body, at, total = bytearray(), bytearray(), {}, 0
    offset = len(header) + 16 * len(tags)
    for tag in tags:
        data = tables[tag]
        at[tag] = offset + len(body)
        checksum = sums[tag] if tag in sums else _checksum(data)
        total += checksum
        directory += struct.pack(">4sIII", tag, checksum, at[tag], len(data))
        body += data + bytes(-len(data) % 4)
    font = bytearray(header + directory + body)
    total += _checksum(header + directory)
    adjustment = (0xB1B0AFBA - total) & 0xFFFFFFFF
    struct.pack_into(">I", font, at[b"head"] + 8, adjustment)
    return bytes(font)
