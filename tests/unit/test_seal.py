"""The seal on documents: signed, certified, and every tampering gets a clear verdict."""

from __future__ import annotations

import zlib
from dataclasses import replace
from pathlib import Path

import cbor2
import pytest
import segno
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sijill.documents import cose
from sijill.documents.errors import TrustProblem
from sijill.documents.seal import (
    BAD_SIGNATURE,
    KEY_NOT_CERTIFIED,
    KEY_REVOKED,
    MALFORMED,
    NOT_SIJILL,
    PREFIX,
    VALID,
    Claims,
    seal,
    verify_seal,
)
from sijill.documents.trust import (
    REVOCATIONS,
    TRUST_LIST,
    TrustError,
    TrustList,
    TrustStore,
)
from sijill.store.keys import KeyStore, Signer

PASS = b"correct horse battery staple"
NOW = "2026-11-25T10:00:00.000000Z"
FES = "03.231.01.0"
RABAT = "04.421.01.0"

CLAIMS = Claims(
    number=f"{FES}:2026:000001:7KQ3MX",
    kind="extract",
    ref=f"{FES}/2026/N/1",
    office=FES,
    issued_on="2026-11-25",
    names=("يوسف", "الإدريسي", "Youssef", "El Idrissi"),
    event_date="2026-11-20",
    sex="M",
    father="أحمد الإدريسي",
    mother="خديجة التازي",
    civil_id="5319687630",
)


def claims_for(office: str) -> Claims:
    """The same claims, for a document of another office."""
    return replace(
        CLAIMS,
        office=office,
        ref=f"{office}/2026/N/1",
        number=f"{office}:2026:000001:7KQ3MX",
    )


class Ministry:
    """A root key, two certified offices (Fès, Rabat) and one uncertified (Tanger)."""

    def __init__(self, directory: Path) -> None:
        self.store = TrustStore(directory / "trust")
        self.store.init_root(PASS)
        keys = KeyStore(directory / "keys")
        self.fes, self.rabat = keys.create(FES), keys.create(RABAT)
        self.stranger = keys.create("01.101.01.0")
        for signer in (self.fes, self.rabat):
            self.store.certify(
                office=signer.office,
                public_key_hex=signer.public_key_hex,
                at=NOW,
                passphrase=PASS,
            )
        self.trust = self.store.publish(at=NOW, passphrase=PASS)


@pytest.fixture(scope="module")
def ministry(tmp_path_factory: pytest.TempPathFactory) -> Ministry:
    return Ministry(tmp_path_factory.mktemp("ministry"))


def test_a_seal_by_a_certified_office_key_is_valid(ministry: Ministry) -> None:
    verdict = verify_seal(seal(CLAIMS, ministry.fes), ministry.trust)
    assert verdict.status == VALID, verdict.reason
    assert verdict.claims == CLAIMS
    assert verdict.office == FES


def test_the_seal_fits_a_small_qr_code_at_error_correction_q(
    ministry: Ministry,
) -> None:
    text = seal(CLAIMS, ministry.fes)
    code = segno.make(text, error="q", boost_error=False, micro=False)
    assert text.startswith(PREFIX)
    assert code.error == "Q"
    assert code.version <= 13  # 69 modules: 0.5 mm each at 3.5 cm


def test_base45_follows_rfc_9285() -> None:
    for raw, text in (
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
    ):
        assert cose.b45encode(raw) == text
        assert cose.b45decode(text) == raw


@given(st.binary(max_size=300))
def test_base45_round_trips_any_bytes(data: bytes) -> None:
    assert cose.b45decode(cose.b45encode(data)) == data


def test_an_altered_character_is_never_valid(ministry: Ministry) -> None:
    text = seal(CLAIMS, ministry.fes)
    for i in range(len(PREFIX), len(text), 7):
        swapped = "A" if text[i] != "A" else "B"
        altered = text[:i] + swapped + text[i + 1 :]
        verdict = verify_seal(altered, ministry.trust)
        assert verdict.status in (MALFORMED, BAD_SIGNATURE), (i, verdict)


def test_a_truncated_seal_is_malformed(ministry: Ministry) -> None:
    text = seal(CLAIMS, ministry.fes)
    for cut in range(len(PREFIX), len(text), 5):
        assert verify_seal(text[:cut], ministry.trust).status == MALFORMED


def _resealed(text: str, change: dict[str, object]) -> str:
    """The same signature over changed claims: what a forger who edits the data gets."""
    body = zlib.decompress(cose.b45decode(text[len(PREFIX) :]))
    protected, unprotected, payload, signature = cbor2.loads(body).value
    claims = dict(cbor2.loads(payload))
    claims.update(change)
    message = cbor2.CBORTag(
        18, [protected, unprotected, cbor2.dumps(claims), signature]
    )
    return PREFIX + cose.b45encode(zlib.compress(cbor2.dumps(message)))


def test_changed_sealed_data_break_the_signature(ministry: Ministry) -> None:
    forged = _resealed(
        seal(CLAIMS, ministry.fes),
        {"p": ["محمد", "الإدريسي", "Mohammed", "El Idrissi"]},
    )
    verdict = verify_seal(forged, ministry.trust)
    assert verdict.status == BAD_SIGNATURE
    assert "changed" in verdict.reason


def test_a_seal_by_an_uncertified_key_is_refused(ministry: Ministry) -> None:
    stranger = claims_for("01.101.01.0")
    verdict = verify_seal(seal(stranger, ministry.stranger), ministry.trust)
    assert verdict.status == KEY_NOT_CERTIFIED
    assert ministry.stranger.key_id in verdict.reason


def test_an_office_key_cannot_seal_for_another_office(ministry: Ministry) -> None:
    verdict = verify_seal(seal(CLAIMS, ministry.rabat), ministry.trust)
    assert verdict.status == KEY_NOT_CERTIFIED
    assert RABAT in verdict.reason


def test_a_seal_by_a_revoked_key_is_refused(tmp_path: Path) -> None:
    ministry = Ministry(tmp_path)
    ministry.store.revoke(
        key_id=ministry.fes.key_id, at=NOW, reason="laptop stolen", passphrase=PASS
    )
    trust = ministry.store.publish(at=NOW, passphrase=PASS)
    verdict = verify_seal(seal(CLAIMS, ministry.fes), trust)
    assert verdict.status == KEY_REVOKED
    assert "laptop stolen" in verdict.reason
    assert verify_seal(seal(claims_for(RABAT), ministry.rabat), trust).valid


@pytest.mark.parametrize(
    "foreign",
    [
        "https://example.org/some/qr",
        "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4",
        "",
        "SJ1:",
        "SJ1:$$$$",
        "WIFI:S:cafe;T:WPA;P:secret;;",
    ],
)
def test_a_foreign_code_is_not_a_sijill_seal(ministry: Ministry, foreign: str) -> None:
    verdict = verify_seal(foreign, ministry.trust)
    assert verdict.status in (NOT_SIJILL, MALFORMED)
    assert not verdict.valid


def test_a_well_formed_cose_message_of_another_system_is_malformed(
    ministry: Ministry,
) -> None:
    other = cose.sign1(cbor2.dumps({1: "XX", 4: 1234}), b"kid", ministry.fes.sign)
    verdict = verify_seal(PREFIX + cose.b45encode(zlib.compress(other)), ministry.trust)
    assert verdict.status == MALFORMED


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(st.text(max_size=400), st.text(max_size=400).map(lambda s: PREFIX + s))
)
def test_random_text_never_crashes_nor_passes(ministry: Ministry, text: str) -> None:
    assert not verify_seal(text, ministry.trust).valid


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_payloads_never_crash_nor_pass(ministry: Ministry, data: bytes) -> None:
    for candidate in (
        PREFIX + cose.b45encode(data),
        PREFIX + cose.b45encode(zlib.compress(data)),
        data,
    ):
        assert not verify_seal(candidate, ministry.trust).valid


def test_a_trust_list_signed_by_another_root_is_refused(
    tmp_path: Path, ministry: Ministry
) -> None:
    other = Ministry(tmp_path)
    target = tmp_path / "mixed"
    target.mkdir()
    (target / "ministry-root.pub").write_bytes(
        (ministry.store.directory / "ministry-root.pub").read_bytes()
    )
    (target / TRUST_LIST).write_bytes((other.store.directory / TRUST_LIST).read_bytes())
    with pytest.raises(TrustError, match="not signed by the ministry"):
        TrustList.load(target)


def test_a_tampered_revocation_list_is_refused(tmp_path: Path) -> None:
    ministry = Ministry(tmp_path)
    path = ministry.store.directory / REVOCATIONS
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(TrustError):
        TrustList.load(ministry.store.directory)


def test_the_root_key_needs_its_passphrase(ministry: Ministry) -> None:
    with pytest.raises(TrustProblem, match="passphrase"):
        ministry.store.publish(at=NOW, passphrase=b"wrong passphrase!")
    with pytest.raises(TrustProblem, match="never replaced"):
        ministry.store.init_root(PASS)


def test_a_rotated_key_still_verifies_what_it_sealed(tmp_path: Path) -> None:
    ministry = Ministry(tmp_path)
    old_seal = seal(CLAIMS, ministry.fes)
    new_key: Signer = KeyStore(tmp_path / "new-keys").create(FES)
    ministry.store.certify(
        office=FES, public_key_hex=new_key.public_key_hex, at=NOW, passphrase=PASS
    )
    trust = ministry.store.publish(at=NOW, passphrase=PASS)
    assert verify_seal(old_seal, trust).valid
    assert verify_seal(seal(CLAIMS, new_key), trust).valid


def test_the_printed_qr_code_is_small_at_error_correction_q_and_reads_back(
    ministry: Ministry,
) -> None:
    import zxingcpp
    from PIL import Image

    from sijill.documents.qr import qr_modules

    text = seal(CLAIMS, ministry.fes)
    rows = qr_modules(text)
    assert len(rows) <= 69 and all(len(row) == len(rows) for row in rows)  # version 13
    side, scale = len(rows) + 8, 4
    image = Image.new("L", (side * scale, side * scale), 255)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if not value:
                image.paste(
                    0,
                    (
                        (c + 4) * scale,
                        (r + 4) * scale,
                        (c + 5) * scale,
                        (r + 5) * scale,
                    ),
                )
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == text
    assert found.ec_level == "Q"
