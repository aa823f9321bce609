"""The name index's tokens and the windows of months a search reads, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from sijill.domain.errors import InvalidInput
from sijill.domain.namekeys import latin_key
from sijill.search.criteria import read_criteria
from sijill.search.index import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    act_bases,
    act_tokens,
    base_token,
    in_year,
    indexed,
    month_of,
)
from sijill.search.query import groups_of, windows
from sijill.synthetic import Generator, arabic_variants, latin_spelling_variants
from sijill.synthetic.names import FAMILY_NAMES

years = st.integers(min_value=1000, max_value=3000)
keys = st.text(min_size=1, max_size=20)


@given(key=keys, year=years, other=years)
def test_a_token_is_one_key_in_one_year_and_fits_a_bigint(
    key: str, year: int, other: int
) -> None:
    token = in_year(base_token("person", "lat", key), year)
    assert -(2**63) <= token < 2**63
    assert token == in_year(base_token("person", "lat", key), year)
    same_bucket = min(max(year, EARLIEST_YEAR), LATEST_YEAR) == min(
        max(other, EARLIEST_YEAR), LATEST_YEAR
    )
    assert (token == in_year(base_token("person", "lat", key), other)) == same_bucket
    assert token != in_year(base_token("father", "lat", key), year)
    assert token != in_year(base_token("person", "sk", key), year)


dates = st.dates(date(1800, 1, 1), date(2500, 12, 31))


@given(top=dates, span=st.integers(min_value=0, max_value=400 * 366))
def test_the_windows_read_every_month_once_newest_first_each_four_times_longer(
    top: date, span: int
) -> None:
    bottom = max(top - timedelta(days=span), date(1800, 1, 1))
    found = list(windows(top, bottom))
    read = [m for w in found for m in range(w.last, w.first - 1, -1)]
    assert read == list(range(month_of(top), month_of(bottom) - 1, -1))
    assert all(w.last - w.first + 1 == 4**i for i, w in enumerate(found[:-1]))


@given(day=dates, top=dates, key=keys)
def test_an_act_is_read_by_the_window_of_its_month_and_by_no_other(
    day: date, top: date, key: str
) -> None:
    assume(month_of(day) <= month_of(top))
    base = base_token("person", "lat", key)
    held = set(act_tokens({base}, day))
    read = [
        w
        for w in windows(top, date(1800, 1, 1))
        # The window asks for the key in its years, for one of its months when it
        # names them, and for its days unless it reaches an edge of the index.
        if in_year(base, day.year) in {in_year(base, y) for y in w.years}
        and (w.month_tokens() is None or held & set(w.month_tokens() or ()))
        and (w.first_day <= day or w.first_day == date(EARLIEST_YEAR, 1, 1))
        and (day <= w.last_day or w.last_day == date(LATEST_YEAR, 12, 31))
    ]
    assert [(w.first, w.last) for w in read] == [
        (w.first, w.last)
        for w in windows(top, date(1800, 1, 1))
        if w.first <= month_of(day) <= w.last
    ]


def _accepted(name: str) -> bool:
    try:
        read_criteria({"name": name})
    except InvalidInput as error:
        assert error.violations[0].rule == "search.prefix_too_short"
        return False
    return True


def _searched(name: str, act_tokens: set[int], year: int) -> bool:
    """Whether a search for ``name`` meets an act holding ``act_tokens`` in ``year``."""
    groups = groups_of(read_criteria({"name": name}))
    return all(any(in_year(b, year) in act_tokens for b in g) for g in groups)


@given(
    seed=st.integers(min_value=0, max_value=10_000),
    born=st.integers(min_value=EARLIEST_YEAR + 1, max_value=LATEST_YEAR),
    letters=st.integers(min_value=3, max_value=8),
)
def test_an_act_is_found_by_its_names_in_either_script_and_by_a_prefix(
    seed: int, born: int, letters: int
) -> None:
    gen = Generator(seed)
    decl = gen.birth(date(2020, 6, 1), office_commune_code=gen.office().code)
    decl["birth_date"] = date(born, 6, 1).isoformat()
    row = indexed("act", "birth", decl)
    tokens, year = set(row.tokens), row.event_date.year
    child = decl["child"]
    for name in (
        f"{child['first_name_lat']} {child['family_name_lat']}",
        f"{child['family_name_ar']} {child['first_name_ar']}",
        f"{child['first_name_ar']} {child['family_name_lat']}",
    ):
        assert _searched(name, tokens, year), name
    assert not _searched(child["first_name_lat"], tokens, year - 1)
    # A prefix whose key begins the name's key (El- and Es- are not letters of it),
    # unless the search refuses it, naming the rule (the word the * ends is too short).
    family = child["family_name_lat"]
    stem = family[:letters].rstrip()
    query = f"{child['first_name_lat']} {stem}*"
    if latin_key(family).startswith(latin_key(stem)) and _accepted(query):
        assert _searched(query, tokens, year), stem


names = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["ـــ", "123", " ", "Mohamed", "محمد بن علي", "El Idrissi"]),
)
person = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat"), names
    ),
)


@given(
    child=person,
    father=st.one_of(st.none(), person),
    mother_name=st.one_of(st.none(), names),
    day=st.one_of(st.none(), dates),
)
def test_an_acts_tokens_are_those_of_its_names_in_its_year_and_its_month(
    child: dict[str, str],
    father: dict[str, str] | None,
    mother_name: str | None,
    day: date | None,
) -> None:
    # ``indexed`` gathers tokens a name and a year at a time, from caches: the same
    # tokens as the definition, a name without letters giving none.
    decl: dict[str, object] = {"child": child}
    if father is not None:
        decl["father"] = father
    if mother_name is not None:
        decl["mother_name"] = mother_name
    if day is not None:
        decl["birth_date"] = day.isoformat()
    row = indexed("act", "birth", decl)
    expected = act_tokens(act_bases("birth", decl), row.event_date)
    assert row.tokens == expected
    assert row.event_date == (day or date(EARLIEST_YEAR, 1, 1))


@given(family=st.sampled_from(FAMILY_NAMES), seed=st.integers(0, 1000))
def test_a_keying_variant_of_a_family_name_meets_the_same_tokens(
    family: tuple[str, tuple[str, ...]], seed: int
) -> None:
    arabic, latin = family[0], family[1][0]
    decl = {
        "child": {
            "first_name_ar": "يوسف",
            "family_name_ar": arabic,
            "first_name_lat": "Youssef",
            "family_name_lat": latin,
        },
        "birth_date": "1990-05-01",
    }
    tokens = {in_year(b, 1990) for b in act_bases("birth", decl)}
    # The register's other spellings, and those a second keyer makes.
    variants = [
        *family[1][1:],
        *arabic_variants(arabic),
        *latin_spelling_variants(latin),
    ]
    assume(variants)
    variant = variants[seed % len(variants)]
    assert _searched(f"Youssef {variant}", tokens, 1990), variant
