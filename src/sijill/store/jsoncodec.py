"""How JSON columns travel: orjson, compact, non-ASCII kept as written.

The declarations of acts, the keyed fields of a batch and the parents' names of the
name index are JSON columns; a bulk load or a reconciliation encodes and decodes
each of them once per act, where the standard library's encoder cost as much as the
database's own work. What is signed is not written here: the journal's payloads keep
their canonical form (``sijill.domain.journal.canonical_json``).
"""

from __future__ import annotations

from typing import Any

import orjson

# Keys that are not strings (an integer key) are written as strings, as json does.
_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value: Any) -> str:
    """The compact JSON text of ``value``."""
    return orjson.dumps(value, option=_OPTIONS).decode()


def loads(text: str | bytes | bytearray | memoryview) -> Any:
    """The value of a JSON text."""
    return orjson.loads(text)
