"""Reading keyed files: CSV or JSON Lines, UTF-8 or the old Arabic code pages.

A file is read as a stream of lines, each decoded on its own, so a wrong byte is
reported at its line; a file whose last line has no end is a file cut in the middle
and is refused whatever the error policy. Rows come out checked for their shape
(position, keyer, known fields); what the fields say is checked after reconciliation.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.keying import FIELDS, KEYER, MAX_FIELD_LENGTH, POSITION

ENCODINGS = ("utf-8", "windows-1256", "iso-8859-6", "iso-8859-1")
FORMATS = ("csv", "jsonl")
_SAMPLE = 1 << 16


@dataclass(frozen=True)
class KeyedRow:
    """One act as one keyer typed it."""

    source: str  # file:line
    page: int
    line: int
    keyer: str
    fields: dict[str, str]


@dataclass(frozen=True)
class RowError:
    """A row that cannot be taken, with every rule it breaks."""

    source: str
    violations: tuple[Violation, ...]


def file_digest(path: Path) -> str:
    """The SHA-256 of a file: a file imported twice is recognized."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _score(text: str) -> int:
    """How much a decoding looks like names: letters count, stray symbols cost."""
    score = 0
    for c in text:
        if c.isascii():
            continue
        category = unicodedata.category(c)
        if "\u0621" <= c <= "\u064a":
            score += 2
        elif category.startswith("L"):
            score += 1
        else:
            score -= 3
    return score


def detect_encoding(sample: bytes) -> str:
    """UTF-8 when the bytes are UTF-8; otherwise the code page that reads best."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {
        name: _score(sample.decode(name, errors="replace")) for name in ENCODINGS[1:]
    }
    return max(scores, key=lambda name: (scores[name], name == "windows-1256"))


def file_format(path: Path, declared: str | None) -> str:
    if declared is not None:
        return declared
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


def _lines(
    path: Path, encoding: str
) -> Iterator[tuple[int, str | None, Violation | None]]:
    """(line number, decoded text or None, problem) for each physical line."""
    name = path.name
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.endswith(b"\n"):
                raise InvalidInput([Violation(f"{name}:{number}", "file.truncated")])
            body = raw.rstrip(b"\r\n")
            if number == 1 and body.startswith(codecs.BOM_UTF8):
                body = body[len(codecs.BOM_UTF8) :]
            try:
                yield number, body.decode(encoding), None
            except UnicodeDecodeError as error:
                yield (
                    number,
                    None,
                    Violation(
                        f"{name}:{number}",
                        "file.encoding",
                        {"encoding": encoding, "position": error.start + 1},
                    ),
                )


def read_keyed_file(
    path: Path,
    *,
    kind: str,
    pages: tuple[int, int],
    encoding: str | None = None,
    declared_format: str | None = None,
) -> tuple[str, Iterator[KeyedRow | RowError]]:
    """The encoding used and the rows of a keyed file, read lazily."""
    if encoding is None:
        with path.open("rb") as f:
            encoding = detect_encoding(f.read(_SAMPLE))
    form = file_format(path, declared_format)
    reader = _csv_rows if form == "csv" else _jsonl_rows
    return encoding, reader(path, encoding, kind, pages)


def _csv_rows(
    path: Path, encoding: str, kind: str, pages: tuple[int, int]
) -> Iterator[KeyedRow | RowError]:
    header: list[str] | None = None
    for number, text, problem in _lines(path, encoding):
        source = f"{path.name}:{number}"
        if problem is not None:
            if header is None:
                raise InvalidInput([problem])
            yield RowError(source, (problem,))
            continue
        assert text is not None
        if not text.strip():
            continue
        values = next(csv.reader([text]))
        if header is None:
            header = [v.strip() for v in values]
            _check_header(header, kind, source)
            continue
        if len(values) != len(header):
            yield RowError(
                source,
                (
                    Violation(
                        source,
                        "file.columns",
                        {"found": len(values), "expected": len(header)},
                    ),
                ),
            )
            continue
        yield keyed_row(source, dict(zip(header, values, strict=True)), kind, pages)


def _check_header(header: list[str], kind: str, source: str) -> None:
    problems = [
        Violation(source, "file.header", {"column": column})
        for column in (*POSITION, KEYER)
        if column not in header
    ]
    known = {*POSITION, KEYER, *FIELDS[kind]}
    problems += [
        Violation(f"{source}.{column}", "keying.unknown_field", {"kind": kind})
        for column in header
        if column not in known
    ]
    if problems:
        raise InvalidInput(problems)


def _jsonl_rows(
    path: Path, encoding: str, kind: str, pages: tuple[int, int]
) -> Iterator[KeyedRow | RowError]:
    for number, text, problem in _lines(path, encoding):
        source = f"{path.name}:{number}"
        if problem is not None:
            yield RowError(source, (problem,))
            continue
        assert text is not None
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            yield RowError(source, (Violation(source, "file.json"),))
            continue
        yield keyed_row(source, value, kind, pages)


def _at(source: str, name: str) -> str:
    """Where a problem is: ``file:line.field`` for a file, the field alone for a form."""
    return f"{source}.{name}" if source else name


def _position(value: Any, source: str, name: str, found: list[Violation]) -> int | None:
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        found.append(Violation(_at(source, name), "keying.position"))
        return None
    return int(text)


def keyed_row(
    source: str, data: dict[str, Any], kind: str, pages: tuple[int, int]
) -> KeyedRow | RowError:
    """One keyed act checked for its shape: position, keyer, known fields, plain text."""
    found: list[Violation] = []
    page = _position(data.get("page"), source, "page", found)
    line = _position(data.get("line"), source, "line", found)
    if page is not None and not pages[0] <= page <= pages[1]:
        found.append(
            Violation(
                _at(source, "page"),
                "keying.page_outside",
                {"page": page, "first": pages[0], "last": pages[1]},
            )
        )
    keyer = str(data.get(KEYER) or "").strip()
    if not keyer or len(keyer) > 40:
        found.append(Violation(_at(source, KEYER), "required"))
    fields: dict[str, str] = {}
    allowed = FIELDS[kind]
    for name, value in data.items():
        if name in (*POSITION, KEYER):
            continue
        if name not in allowed:
            found.append(
                Violation(_at(source, name), "keying.unknown_field", {"kind": kind})
            )
        elif value is None or value == "":
            continue
        elif not isinstance(value, (str, int)) or isinstance(value, bool):
            found.append(Violation(_at(source, name), "type.text"))
        elif len(str(value)) > MAX_FIELD_LENGTH:
            found.append(
                Violation(_at(source, name), "text.too_long", {"max": MAX_FIELD_LENGTH})
            )
        elif any(unicodedata.category(c) == "Cc" for c in str(value)):
            found.append(Violation(_at(source, name), "text.control_chars"))
        else:
            fields[name] = str(value)
    if found or page is None or line is None:
        return RowError(source, tuple(found))
    return KeyedRow(source, page, line, keyer, fields)
