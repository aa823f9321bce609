"""The name index's tokens and the windows of months a search reads, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sijill.domain.errors import InvalidInput
from sijill.domain.namekeys import latin_key
from sijill.search import query as search_query
from sijill.search.criteria import read_criteria
from sijill.search.index import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    PERSON_NAMES,
    act_bases,
    act_tokens,
    base_token,
    in_year,
    indexed,
    month_of,
    month_token,
)
from sijill.search.postings import TokenStats
from sijill.search.query import Pair, _asked, groups_of, pair_groups, word_group
from sijill.search.windows import KNOWN_YEARS_AT_ONCE, YEARS_AT_ONCE, Reading, Window
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


def _read(reading: Reading, counts: list[int]) -> list[Window]:
    """Every window of ``reading``, each said to give the next of ``counts`` (0 after)."""
    found = []
    while (window := reading.next()) is not None:
        reading.found(counts[len(found)] if len(found) < len(counts) else 0)
        found.append(window)
    return found


@given(
    top=dates,
    span=st.integers(min_value=0, max_value=400 * 366),
    wanted=st.integers(min_value=1, max_value=600),
    expected=st.none() | st.floats(min_value=0.01, max_value=10_000),
    years=st.none() | st.frozensets(st.integers(min_value=1790, max_value=2510)),
    counts=st.lists(st.integers(min_value=0, max_value=300), max_size=40),
)
def test_the_windows_read_every_month_once_newest_first_until_enough_are_held(
    top: date,
    span: int,
    wanted: int,
    expected: float | None,
    years: frozenset[int] | None,
    counts: list[int],
) -> None:
    bottom = max(top - timedelta(days=span), date(1800, 1, 1))
    found = _read(Reading.of_days(top, bottom, wanted, expected, years), counts)
    read = [m for w in found for m in range(w.last, w.first - 1, -1)]
    everything = list(range(month_of(top), month_of(bottom) - 1, -1))
    held = [sum(counts[: i + 1]) for i in range(len(found))]
    # No window once enough are held; every month otherwise.
    assert all(h < wanted for h in held[:-1])
    if not held or held[-1] < wanted:
        assert read == everything
    else:
        assert read == everything[: len(read)]
    for w in found:
        # Into an earlier year only from its January (or the last month asked for).
        assert w.first % 12 == 0 or w.first // 12 == w.last // 12 or w == found[-1]
        if years is not None:
            assert len(set(w.years) & years) <= KNOWN_YEARS_AT_ONCE
            assert len(w.years) <= YEARS_AT_ONCE


@given(
    wanted=st.integers(min_value=2, max_value=600),
    rate=st.integers(min_value=1, max_value=500),
)
def test_a_window_is_sized_for_what_is_still_wanted_at_the_rate_read_so_far(
    wanted: int, rate: int
) -> None:
    # Acts found at ``rate`` a month: the second window reads about what the rest
    # needs (with the margin, at most four times the first, and a whole first year).
    reading = Reading.of_days(date(2026, 12, 31), date(1900, 1, 1), wanted, float(rate))
    first = reading.next()
    assert first is not None
    held = min(wanted - 1, rate * first.months)
    reading.found(held)
    second = reading.next()
    assert second is not None
    needed = -(-(wanted - held) * 3 * first.months // (2 * held))  # ceil(… × 1.5)
    size = max(1, min(needed, 4 * first.months))
    if second.first // 12 == second.last // 12:
        assert second.months == size
    else:  # widened back to January of the earliest year it reaches
        assert second.first % 12 == 0
        assert size <= second.months < size + 12


def test_a_window_read_in_vain_is_followed_by_one_twice_as_long() -> None:
    reading = Reading.of_days(date(2026, 6, 30), date(1900, 1, 1), 501)
    sizes = [w.months for w in _read(reading, [])[:3]]
    # June, then April and May, then four months that reach into 2025: all of 2025.
    assert sizes == [1, 2, 15]


@given(day=dates, top=dates, key=keys)
def test_an_act_is_read_by_the_window_of_its_month_and_by_no_other(
    day: date, top: date, key: str
) -> None:
    assume(month_of(day) <= month_of(top))
    base = base_token("person", "lat", key)
    held = set(act_tokens({base}, day))
    every = _read(Reading.of_days(top, date(1800, 1, 1), 501), [])
    read = [
        w
        for w in every
        # The window asks for the key in its years, for one of its months when it
        # names them, and for its days unless it reaches an edge of the index.
        if in_year(base, day.year) in {in_year(base, y) for y in w.years}
        and (w.month_tokens() is None or held & set(w.month_tokens() or ()))
        and (w.first_day <= day or w.first_day == date(EARLIEST_YEAR, 1, 1))
        and (day <= w.last_day or w.last_day == date(LATEST_YEAR, 12, 31))
    ]
    assert [(w.first, w.last) for w in read] == [
        (w.first, w.last) for w in every if w.first <= month_of(day) <= w.last
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


def _parent_words(decl: dict[str, object]) -> list[str]:
    # Words a clerk might ask of the father: his own in either script, keyed again.
    father = decl["father"]
    assert isinstance(father, dict)
    words: list[str] = []
    for field in (
        "first_name_ar",
        "family_name_ar",
        "first_name_lat",
        "family_name_lat",
    ):
        words += read_criteria({"father": father[field]}).names["father"]
    variants = [
        v for w in words for v in (*arabic_variants(w), *latin_spelling_variants(w))
    ]
    return words + variants


@given(
    seed=st.integers(min_value=0, max_value=10_000),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=4),
    stranger=st.sampled_from(["", "Mohamed", "محمد", "El Alaoui", "عبد الله", "Ben"]),
    kept=st.sets(st.sampled_from(PERSON_NAMES), min_size=1),
)
def test_an_act_meeting_every_word_of_a_parents_name_holds_one_of_their_pairs(
    seed: int, picks: list[int], stranger: str, kept: set[str]
) -> None:
    # A pair group narrows what the index reads, never what a search finds: an act
    # that meets every word asked of its father meets every pair of them. The words
    # are the father's, keyed again, in any order and script, with others beside; the
    # act holds some of his names only (a register in one script, a field left empty).
    gen = Generator(seed)
    decl = gen.birth(date(2020, 6, 1), office_commune_code=gen.office().code)
    assume("father" in decl)  # a child of unknown father
    own = _parent_words(decl)
    father = decl["father"]
    registered = {**decl, "father": {k: v for k, v in father.items() if k in kept}}
    held = set(act_bases("birth", registered))
    words = [own[p % len(own)] for p in picks] + ([stranger] if stranger else [])
    meets = [bool(word_group("father", w) & held) for w in words]
    for group in pair_groups("father", words):
        assert group & held or not all(meets), words
    # The father's first and family names asked whole: one pair, which the act holds.
    held = set(act_bases("birth", decl))
    asked = read_criteria(
        {"father": f"{father['first_name_ar']} {father['family_name_lat']}"}
    ).names["father"]
    pairs = pair_groups("father", asked)
    assert all(group & held for group in pairs)
    assert len(pairs) == len(asked) - 1 or asked[0] == asked[-1]


@given(a=names, b=names, first=names, family=names)
def test_pair_groups_never_narrow_what_words_meet(
    a: str, b: str, first: str, family: str
) -> None:
    # The same, for any text as a mother's names and as the words asked.
    decl = {"child": {}, "mother": {"first_name_lat": first, "family_name_ar": family}}
    held = set(act_bases("birth", decl))
    words = [w for w in (a, b) if w.strip() and not w.endswith("*")]
    if all(word_group("mother", w) & held for w in words):
        assert all(g & held for g in pair_groups("mother", words))


def test_a_pair_group_is_asked_of_parents_only_and_met_across_scripts() -> None:
    assert pair_groups("person", ["Mohamed", "Alaoui"]) == []
    assert len(pair_groups("father", ["Mohamed", "Alaoui"])) == 1
    # Mohammed and Mohamed share their values: one word of a name could meet both.
    assert pair_groups("father", ["Mohammed", "Mohamed"]) == []
    assert pair_groups("father", ["Mohamed", "Ala*"]) == []
    assert len(pair_groups("mother", ["Fatima", "Zahra", "Alaoui"])) == 2
    # Asked in Arabic of a father registered in Latin letters only, whose article is
    # heard as L-: the words meet through their skeletons, and so does their pair.
    latin = {
        "child": {},
        "father": {"first_name_lat": "Rachid", "family_name_lat": "Laroussi"},
    }
    held = set(act_bases("birth", latin))
    words = ["رشيد", "العروسي"]
    assert all(word_group("father", w) & held for w in words)
    assert [bool(g & held) for g in pair_groups("father", words)] == [True]


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


@given(
    top=dates,
    acts=st.lists(dates, max_size=30),
    known=st.frozensets(st.integers(min_value=1790, max_value=2510)),
    counts=st.lists(st.integers(min_value=0, max_value=50), max_size=40),
)
def test_the_months_skipped_to_the_newest_act_before_them_hold_no_act(
    top: date, acts: list[date], known: frozenset[int], counts: list[int]
) -> None:
    # As a search on PostgreSQL does: where the statistics know no act of the year,
    # on to the newest act at or before it; every act's month is still read.
    months = {month_of(d) for d in acts}
    bottom = date(1800, 1, 1)
    reading = Reading.of_days(top, bottom, 10**6, None, known)
    read: list[Window] = []
    while reading.high >= reading.bottom:
        if reading.high // 12 not in known:
            reading.skip_to(max((m for m in months if m <= reading.high), default=None))
        if (window := reading.next()) is None:
            break
        reading.found(counts[len(read)] if len(read) < len(counts) else 0)
        read.append(window)
    assert {m for m in months if m <= month_of(top)} <= {
        m for w in read for m in range(w.first, w.last + 1)
    }
    assert reading.read == sum(w.months for w in read)


def test_the_index_reads_a_parents_pair_and_checks_its_words_on_the_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A father's Mohamed is held by a tenth of the acts, his family name by as few
    # as any token the statistics do not keep. The pair, rarer still, is what the GIN
    # index reads; the acts holding it hold both words, which are checked on its
    # rows, not intersected again as if they narrowed it further.
    groups = groups_of(read_criteria({"father": "Mohamed Rbati"}))
    assert [isinstance(g, Pair) for g in groups] == [False, False, True]
    years = range(2017, 2021)
    year = 1 / 35
    common = {month_token(m): year / 12 for m in range(1990 * 12, 2025 * 12)}
    common |= {in_year(b, y): year / 10 for b in groups[0] for y in years}
    stats = TokenStats(common, other=0.0003, rows=1e7)
    monkeypatch.setattr(search_query, "token_stats", lambda conn: stats)
    window = Window.of_years(years)
    chosen = search_query._chosen(None, groups, _asked(groups, window), window)  # type: ignore[arg-type]
    assert chosen == [False, False, True]


def test_a_cedilla_is_read_alike_in_a_name_and_in_a_query() -> None:
    # Fayçal is Faysal: the words a query is split into keep the ç as an s, as the
    # keys of a registered name do, so a search for Fayçal finds a Fayçal.
    decl = {"child": {"first_name_lat": "Fayçal", "family_name_lat": "Benomar"}}
    tokens = {in_year(b, 1990) for b in act_bases("birth", decl)}
    for asked in ("Fayçal Benomar", "Faysal Benomar", "FAYÇAL"):
        assert _searched(asked, tokens, 1990), asked


def test_ben_and_abd_glued_or_apart_are_one_name_in_a_query_and_in_an_act() -> None:
    # بنعبد الله was two words, بنعبد and الله, where بن عبد الله is one: asked for
    # them, a search missed the acts registered the other way.
    arabic = ("بنعبد الله", "بن عبد الله", "بنعبدالله", "ابن عبد الله")
    latin = ("Benabd Allah", "Ben Abdallah", "Benabdallah", "Ben Abd Allah")
    for written in (arabic, latin):
        for registered in written:
            field = "family_name_ar" if written is arabic else "family_name_lat"
            decl = {"child": {field: registered}}
            tokens = {in_year(b, 1990) for b in act_bases("birth", decl)}
            for asked in written:
                assert _searched(asked, tokens, 1990), (asked, registered)
    # A word ending in Abd and nothing after it is a word of its own, not a particle.
    decl = {"child": {"first_name_lat": "Ali", "family_name_lat": "Benabd"}}
    tokens = {in_year(b, 1990) for b in act_bases("birth", decl)}
    assert _searched("Ali Benabd", tokens, 1990)
