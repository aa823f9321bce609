"""Batch duplicate detection: the array model is ``score``, and its rules hold."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sijill.search.dedup import (
    DATE_CLOSE,
    DATE_SAME,
    DATE_SLIP,
    PARENT_DIFFERS,
    POSSIBLE,
    PRIOR,
    PROBABLE,
    Frequencies,
    Person,
    _Batch,
    _birth_date,
    _block_key,
    _mother_key,
    find_duplicates,
    score,
)

FIRST = [
    ("محمد", "Mohamed"),
    ("محمد", "Mohammed"),
    ("أمين", "Amine"),
    ("ياسين", "Yassine"),
]
FAMILY = [("العلوي", "El Alaoui"), ("العلوى", "Alaoui"), ("بناني", "Bennani")]
MOTHERS = [
    ("فاطمة", "بناني"),
    ("فاطمه", "بنانى"),
    ("خديجة", "التازي"),
    ("سعاد", "الشامي"),
]
FATHERS = ["محمد", "أحمد", "عمر", ""]
DAY = date(2018, 3, 10)


@st.composite
def persons(draw: st.DrawFn) -> Person:
    first, family = draw(st.sampled_from(FIRST)), draw(st.sampled_from(FAMILY))
    mother_first, mother_family = draw(st.sampled_from(MOTHERS))
    father = draw(st.sampled_from(FATHERS))
    dated = draw(st.integers(0, 9))
    return Person(
        first_ar=draw(st.sampled_from([first[0], ""])),
        family_ar=family[0],
        first_lat=first[1],
        family_lat=draw(st.sampled_from([family[1], ""])),
        sex=draw(st.sampled_from("MF")),
        birth_date=DAY + timedelta(days=dated * draw(st.sampled_from([1, 5])))
        if dated
        else None,
        father=f"{father} {family[0]}" if father else "",
        mother=f"{mother_first} {mother_family}",
        place=draw(st.sampled_from(["01.001", "01.002", ""])),
        father_first=father,
        mother_first=mother_first,
        mother_family=mother_family,
    )


def _blocks(p: Person) -> list[tuple[object, ...]]:
    """The blocks of ``find_duplicates``, written out one person at a time."""
    if p.birth_date is None:
        return [("n", p.first_key, p.family_key)]
    day, mother = p.birth_date.toordinal(), _mother_key(p)
    found: list[tuple[object, ...]] = [
        ("w", p.first_key, p.family_key, day // 7),
        ("v", p.first_key, p.family_key, (day + 3) // 7),
    ]
    if mother:
        found += [("d", p.family_key, day, mother), ("f", p.first_key, day, mother)]
    return found


@settings(max_examples=60, deadline=None)
@given(
    st.lists(persons(), min_size=2, max_size=40), st.sampled_from([POSSIBLE, PROBABLE])
)
def test_the_batch_finds_what_score_finds_pair_by_pair(
    people: list[Person], threshold: float
) -> None:
    batch = _Batch(people)
    expected = set()
    for i, j in itertools.combinations(range(len(people)), 2):
        if set(_blocks(people[i])) & set(_blocks(people[j])):
            weight, probability, reasons = score(people[i], people[j], batch.freq)
            if probability >= threshold:
                expected.add((f"r{i}", f"r{j}", weight, probability, tuple(reasons)))
    found = find_duplicates(
        [(f"r{i}", p) for i, p in enumerate(people)], threshold=threshold
    )
    assert {
        (p.left, p.right, p.weight, p.probability, tuple(p.reasons)) for p in found
    } == expected
    assert [p.weight for p in found] == sorted((p.weight for p in found), reverse=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(persons(), min_size=2, max_size=40))
def test_the_weights_of_the_arrays_are_the_weights_of_score(
    people: list[Person],
) -> None:
    batch = _Batch(people)
    codes = batch.candidates()
    left, right = codes // len(people), codes % len(people)
    weights = batch.weights(left, right)
    for i, j, weight in zip(
        left.tolist(), right.tolist(), weights.tolist(), strict=True
    ):
        assert i < j
        assert abs(score(people[i], people[j], batch.freq)[0] - weight) < 0.006


def _mohamed(**changes: object) -> Person:
    fields: dict[str, object] = {
        "first_ar": "محمد",
        "family_ar": "العلوي",
        "first_lat": "Mohamed",
        "family_lat": "El Alaoui",
        "sex": "M",
        "birth_date": DAY,
        "father": "أحمد العلوي",
        "mother": "فاطمة بناني",
        "place": "01.001",
        "father_first": "أحمد",
        "mother_first": "فاطمة",
        "mother_family": "بناني",
    }
    return Person(**{**fields, **changes})  # type: ignore[arg-type]


# A batch where Mohamed, Alaoui, Ahmed and Fatima are as common as they are.
COMMON = Frequencies(
    {_block_key("محمد"): 400},
    {_block_key("العلوي"): 120},
    10_000,
    {
        "father_first": {_block_key("أحمد"): 900},
        "mother_first": {_block_key("فاطمة"): 600},
        "mother_family": {},
    },
)


def test_namesakes_of_one_day_with_another_mother_are_not_the_same_person() -> None:
    other_mother = _mohamed(
        mother="سعاد الشامي", mother_first="سعاد", mother_family="الشامي"
    )
    _, probability, reasons = score(_mohamed(), other_mother, COMMON)
    assert probability < PROBABLE
    assert "mother's first name differs" in " ".join(reasons)
    assert "mother's family name differs" in " ".join(reasons)


def test_a_second_keying_respelling_every_name_is_the_same_person() -> None:
    again = _mohamed(
        first_ar="محمّد",
        first_lat="Mohammed",
        family_ar="العلوى",
        family_lat="Alaoui",
        father_first="احمد",
        mother_first="فاطمه",
        mother_family="بنانى",
        birth_date=DAY + timedelta(days=1),
    )
    _, probability, reasons = score(_mohamed(), again, COMMON)
    assert probability >= PROBABLE
    assert any("1 day apart" in r for r in reasons)


def test_a_mother_of_another_family_name_weighs_against() -> None:
    same = score(_mohamed(), _mohamed(), COMMON)[0]
    other = score(_mohamed(), _mohamed(mother_family="التازي"), COMMON)[0]
    assert other < same + PARENT_DIFFERS + 1e-9 < same


@given(st.sampled_from(["محمد", "أحمد", "فاطمة"]), st.integers(1, 500))
def test_agreeing_on_a_rarer_parent_name_weighs_more(name: str, count: int) -> None:
    key = _block_key(name)

    def freq(n: int) -> Frequencies:
        parts = {
            "father_first": {key: n},
            "mother_first": {key: n},
            "mother_family": {},
        }
        return Frequencies({}, {}, 10_000, parts)

    a = _mohamed(father_first=name, mother_first=name)
    rare, common = score(a, a, freq(count))[0], score(a, a, freq(count + 1000))[0]
    assert rare > common


@given(st.integers(-400, 400))
def test_birth_dates_weigh_less_the_further_apart(days: int) -> None:
    weight, _ = _birth_date(DAY, DAY + timedelta(days=days))
    if days == 0:
        assert weight == DATE_SAME
    elif abs(days) <= 3:
        assert weight == DATE_SLIP and DATE_CLOSE < DATE_SLIP < DATE_SAME
    else:
        assert weight <= DATE_CLOSE


def test_without_parts_the_parents_are_compared_whole() -> None:
    whole = _mohamed(father_first="", mother_first="", mother_family="")
    _, _, reasons = score(whole, whole, COMMON)
    assert "mother agrees" in " ".join(reasons)
    assert find_duplicates([("a", whole)]) == []


@given(st.integers(1, 10**8))
def test_the_prior_thins_as_the_registry_grows(total: int) -> None:
    small = Frequencies({}, {}, total).prior
    large = Frequencies({}, {}, total * 10).prior
    assert 0 < large <= small <= PRIOR


def test_a_threshold_set_lower_queues_more_pairs_never_fewer() -> None:
    people = [
        ("a", _mohamed()),
        ("b", _mohamed(mother_family="التازي")),
        ("c", _mohamed(mother_first="سعاد", mother_family="الشامي")),
    ]
    strict = {(p.left, p.right) for p in find_duplicates(people, threshold=0.99)}
    lenient = {(p.left, p.right) for p in find_duplicates(people, threshold=0.05)}
    assert strict <= lenient and len(lenient) > len(strict)
