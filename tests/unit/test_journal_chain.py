"""The chain walk names the first entry whose bytes, link, order or signature is wrong."""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from sijill.domain.journal import (
    GENESIS,
    StoredEntry,
    canonical_json,
    entry_digest,
    walk_chain,
)

KEY = Ed25519PrivateKey.generate()


def _verify(key_id: str, message: bytes, signature: bytes) -> bool:
    try:
        KEY.public_key().verify(signature, message)
    except Exception:
        return False
    return key_id == "k1"


def _chain(payloads: list[bytes]) -> list[StoredEntry]:
    entries, prev = [], GENESIS
    for seq, payload in enumerate(payloads, start=1):
        digest = entry_digest("X", seq, prev, payload)
        entries.append(
            StoredEntry(
                "X", seq, prev, digest, "k1", payload, KEY.sign(bytes.fromhex(digest))
            )
        )
        prev = digest
    return entries


payload_lists = st.lists(
    st.dictionaries(
        st.text(max_size=5), st.integers() | st.text(max_size=8), max_size=4
    ).map(canonical_json),
    min_size=1,
    max_size=8,
)


@given(payload_lists)
def test_an_untouched_chain_verifies(payloads: list[bytes]) -> None:
    report = walk_chain("X", _chain(payloads), _verify)
    assert report.ok and report.entries == len(payloads)


@given(payload_lists, st.data())
def test_flipping_any_bit_of_any_payload_breaks_the_chain_at_that_entry(
    payloads: list[bytes], data: st.DataObject
) -> None:
    entries = _chain(payloads)
    index = data.draw(st.integers(0, len(entries) - 1))
    payload = bytearray(entries[index].payload)
    position = data.draw(st.integers(0, len(payload) - 1))
    payload[position] ^= 1 << data.draw(st.integers(0, 7))
    entries[index] = replace(entries[index], payload=bytes(payload))
    report = walk_chain("X", entries, _verify)
    assert report.broken_at == index + 1


@given(payload_lists.filter(lambda p: len(p) >= 2), st.data())
def test_removing_or_swapping_entries_breaks_the_chain(
    payloads: list[bytes], data: st.DataObject
) -> None:
    entries = _chain(payloads)
    index = data.draw(st.integers(0, len(entries) - 2))
    removed = entries[:index] + entries[index + 1 :]
    assert walk_chain("X", removed, _verify).broken_at == index + 1
    swapped = list(entries)
    swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
    assert walk_chain("X", swapped, _verify).broken_at == index + 1


def test_canonical_json_is_one_byte_string_per_value() -> None:
    assert canonical_json({"b": 1, "a": "ف"}) == canonical_json({"a": "ف", "b": 1})
    assert canonical_json({"a": "ف"}) == '{"a":"ف"}'.encode()


def test_the_digest_binds_the_office_and_position() -> None:
    assert entry_digest("X", 1, GENESIS, b"{}") != entry_digest("Y", 1, GENESIS, b"{}")
    assert entry_digest("X", 1, GENESIS, b"{}") != entry_digest("X", 2, GENESIS, b"{}")
