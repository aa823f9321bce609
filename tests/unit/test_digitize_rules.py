"""Pure rules of digitization: normalization, reconciliation, legacy acts, ISO 2859-1."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill.digitize.files import detect_encoding
from sijill.domain.keying import FIELDS, TATWEEL, normalize, reconcile
from sijill.domain.legacy import legacy_act
from sijill.domain.sampling import (
    AQLS,
    Inspection,
    after_lot,
    code_letter,
    plan,
)

ARABIC = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي ", min_size=1, max_size=20)
DIGITS = st.text(alphabet="0123456789-", min_size=1, max_size=12)
VALUES = st.one_of(ARABIC, DIGITS, st.text(max_size=20))


@given(VALUES)
def test_normalization_is_idempotent(value: str) -> None:
    assert normalize(normalize(value)) == normalize(value)


@given(ARABIC, st.integers(min_value=0, max_value=19))
def test_a_tatweel_never_makes_a_disagreement(name: str, at: int) -> None:
    stretched = name[: at + 1] + TATWEEL + name[at + 1 :]
    assert normalize(stretched) == normalize(name)


@given(DIGITS)
def test_arabic_indic_digits_read_as_latin_digits(value: str) -> None:
    eastern = value.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert normalize(eastern) == normalize(value)


@given(st.lists(ARABIC, min_size=1, max_size=4))
def test_runs_of_spaces_never_make_a_disagreement(words: list[str]) -> None:
    assert normalize("  ".join(words) + " ") == normalize(" ".join(words))


KEYINGS = st.dictionaries(st.sampled_from(FIELDS["birth"]), VALUES, max_size=8)


@given(KEYINGS, KEYINGS)
def test_reconciliation_is_symmetric_and_accepts_only_agreeing_fields(
    first: dict[str, str], second: dict[str, str]
) -> None:
    one, other = reconcile("birth", first, second), reconcile("birth", second, first)
    assert one.accepted == other.accepted
    assert {d.field for d in one.disagreements} == {
        d.field for d in other.disagreements
    }
    for field, value in one.accepted.items():
        assert (
            normalize(first.get(field, "")) == normalize(second.get(field, "")) == value
        )
    for d in one.disagreements:
        assert normalize(d.first) != normalize(d.second)
        assert d.field not in one.accepted


@given(KEYINGS)
def test_an_act_keyed_twice_the_same_has_no_disagreement(keyed: dict[str, str]) -> None:
    assert reconcile("birth", keyed, dict(keyed)).disagreements == ()


# --- legacy acts ---------------------------------------------------------------------

LEGACY = {
    "number": "12",
    "first_name_ar": "محمد",
    "family_name_ar": "العلوي",
    "first_name_lat": "Mohamed",
    "family_name_lat": "Alaoui",
    "sex": "M",
    "birth_date_hijri": "1380-05-12",
    "birth_place": "فاس",
    "birth_commune": "Port-Lyautey",
}


def _known(code: str) -> bool:
    return code == "03.231.01.0"


def test_a_hijri_only_date_and_an_old_commune_name_become_todays_forms() -> None:
    data, number, broken = legacy_act("birth", LEGACY, year=1960, known_commune=_known)
    assert broken == []
    assert number == 12
    assert data["birth_date"] == "1960-11-01"
    assert data["birth_commune"] == "04.281.01.01"  # Kénitra
    assert "birth_time" not in data  # old registers often give no hour


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"birth_commune": "Atlantis"}, "birth_commune", "legacy.commune_unknown"),
        ({"birth_commune": "99.999.99.9"}, "birth_commune", "legacy.commune_unknown"),
        ({"birth_date_hijri": "1380-13-01"}, "birth_date_hijri", "legacy.hijri_date"),
        (
            {"birth_date_hijri": "1390-01-01"},
            "birth_date_hijri",
            "legacy.date_outside_register",
        ),
        ({"first_name_lat": "Moh4med"}, "first_name_lat", "script.digits"),
        ({"number": "0"}, "number", "legacy.number"),
        ({"sex": "X"}, "sex", "choice"),
    ],
)
def test_each_failure_names_the_field_and_the_rule(
    change: dict[str, str], field: str, rule: str
) -> None:
    _, _, broken = legacy_act(
        "birth", {**LEGACY, **change}, year=1960, known_commune=_known
    )
    assert [(v.field, v.rule) for v in broken] == [(field, rule)]


@pytest.mark.parametrize("encoding", ["windows-1256", "iso-8859-6", "utf-8"])
def test_the_encoding_of_an_arabic_file_is_detected(encoding: str) -> None:
    text = "page,line,keyer,first_name_ar,family_name_ar\n" + "".join(
        f"{i},1,keyer.one,محمد,الطاهري\n" for i in range(1, 40)
    )
    assert detect_encoding(text.encode(encoding)) == encoding


# --- ISO 2859-1 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot", "letter"),
    [
        (2, "A"),
        (8, "A"),
        (9, "B"),
        (15, "B"),
        (16, "C"),
        (25, "C"),
        (26, "D"),
        (50, "D"),
        (51, "E"),
        (90, "E"),
        (91, "F"),
        (150, "F"),
        (151, "G"),
        (280, "G"),
        (281, "H"),
        (500, "H"),
        (501, "J"),
        (1200, "J"),
        (1201, "K"),
        (3200, "K"),
        (3201, "L"),
        (10000, "L"),
        (10001, "M"),
        (35000, "M"),
        (35001, "N"),
        (150000, "N"),
        (150001, "P"),
        (500000, "P"),
        (500001, "Q"),
    ],
)
def test_the_code_letters_of_general_inspection_level_ii(lot: int, letter: str) -> None:
    assert code_letter(lot) == letter


# (lot size, AQL, severity) → (sample size, acceptance number), ISO 2859-1 Tables 2-A/B/C
PUBLISHED = [
    ((2000, "0.65", "normal"), (125, 2)),
    ((10000, "0.65", "normal"), (200, 3)),
    ((30000, "0.65", "normal"), (315, 5)),
    ((100000, "0.65", "normal"), (500, 7)),
    ((300000, "0.65", "normal"), (800, 10)),
    ((600000, "0.65", "normal"), (1250, 14)),
    ((1000, "0.65", "normal"), (80, 1)),
    ((500, "0.65", "normal"), (80, 1)),  # H: ↓ to J
    ((400, "0.40", "normal"), (32, 0)),  # H: ↑ to G
    ((60, "0.65", "normal"), (20, 0)),  # E: ↓ to F
    ((500, "1.0", "normal"), (50, 1)),
    ((500, "2.5", "normal"), (50, 3)),
    ((500, "4.0", "normal"), (50, 5)),
    ((500, "6.5", "normal"), (50, 7)),
    ((1000, "1.0", "normal"), (80, 2)),
    ((2000, "1.0", "normal"), (125, 3)),
    ((5000, "1.0", "normal"), (200, 5)),
    ((600000, "0.65", "tightened"), (1250, 12)),
    ((5000, "1.0", "tightened"), (200, 3)),
    ((2000, "1.0", "tightened"), (125, 2)),
    ((1000, "1.0", "tightened"), (80, 1)),
    ((2000, "0.65", "tightened"), (125, 1)),
    ((2000, "0.65", "reduced"), (50, 1)),
]


@pytest.mark.parametrize(("case", "expected"), PUBLISHED)
def test_sample_sizes_and_acceptance_numbers_are_the_standards(
    case: tuple[int, str, str], expected: tuple[int, int]
) -> None:
    lot, aql, severity = case
    found = plan(lot, aql, severity)
    assert (found.sample_size, found.accept) == expected


@given(
    st.integers(min_value=2, max_value=2_000_000),
    st.sampled_from(["normal", "tightened", "reduced"]),
)
def test_a_looser_aql_never_accepts_fewer_errors_and_a_sample_never_exceeds_its_lot(
    lot: int, severity: str
) -> None:
    plans = [plan(lot, aql, severity) for aql in AQLS]
    assert all(p.sample_size <= lot for p in plans)
    fractions = [p.accept / p.sample_size for p in plans]
    assert fractions == sorted(fractions) or all(p.accept == 0 for p in plans[:3])


def test_two_rejected_lots_out_of_five_switch_to_tightened_inspection() -> None:
    p = plan(2000)
    state = Inspection()
    for found in (0, 5, 0, 0):
        state = after_lot(state, p, found)
    assert state.severity == "normal"
    assert after_lot(state, p, 5).severity == "tightened"


def test_five_accepted_lots_under_tightened_inspection_return_to_normal() -> None:
    p = plan(2000, severity="tightened")
    state = Inspection(severity="tightened")
    for _ in range(4):
        state = after_lot(state, p, 0)
        assert state.severity == "tightened"
    assert after_lot(state, p, 0).severity == "normal"


def test_five_rejections_under_tightened_inspection_discontinue_it() -> None:
    p = plan(2000, severity="tightened")
    state = Inspection(severity="tightened")
    for _ in range(5):
        state = after_lot(state, p, 9)
    assert state.discontinued


def test_a_switching_score_of_30_moves_to_reduced_and_a_rejection_back_to_normal() -> (
    None
):
    p = plan(2000)  # Ac 2: +3 for each lot that passes one AQL step tighter
    state = Inspection()
    for _ in range(9):
        state = after_lot(state, p, 0)
    assert (state.severity, state.score) == ("normal", 27)
    state = after_lot(state, p, 0)
    assert state.severity == "reduced"
    assert after_lot(state, plan(2000, severity="reduced"), 5).severity == "normal"
