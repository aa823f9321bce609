"""Signature checks: what an office key signs verifies, anything else does not."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sijill.store.keys import KeyStore, verify, verify_all, verifying


def _signed(tmp_path: Path, count: int) -> tuple[str, list[tuple[bytes, bytes]]]:
    signer = KeyStore(tmp_path).create("X")
    messages = [hashlib.sha256(str(i).encode()).digest() for i in range(count)]
    return signer.public_key_hex, [(m, signer.sign(m)) for m in messages]


def test_a_signature_verifies_only_its_message_under_its_key(tmp_path: Path) -> None:
    public, [(message, signature)] = _signed(tmp_path, 1)
    other = KeyStore(tmp_path / "other").create("Y").public_key_hex
    assert verify(public, message, signature)
    assert not verify(other, message, signature)
    assert not verify(public, message[:-1] + b"\x00", signature)
    assert not verify(public, message, signature[:-1] + bytes([signature[-1] ^ 1]))
    # Malformed keys and signatures are refused, never raised.
    assert not verify(public, message, signature[:-1])
    assert not verify(public, message, signature + b"\x00")
    assert not verify(public, message, b"")
    assert not verify(public[:-2], message, signature)
    assert not verify("not hex", message, signature)


def test_many_checks_answer_in_order_whoever_checks_them(tmp_path: Path) -> None:
    public, signed = _signed(tmp_path, 300)
    bad = {0, 63, 64, 150, 299}  # at the edges of the parts handed to the threads
    checks = [
        (public, message, b"\x00" * 64 if i in bad else signature)
        for i, (message, signature) in enumerate(signed)
    ]
    expected = [i not in bad for i in range(300)]
    assert verify_all(checks) == expected
    answers = verifying(checks)
    assert answers() == expected
    assert verify_all(checks[:10]) == expected[:10]
    assert verify_all([]) == []
