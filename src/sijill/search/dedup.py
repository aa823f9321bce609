"""Duplicate detection: is a birth already registered, under another spelling?

A Fellegi–Sunter model of our own. Each field of two records agrees, half-agrees or
disagrees; each outcome weighs log2(m/u), where m is how often it happens when the
two records are the same person and u when they are not. For names, u is the name's
own frequency in the registry (term-frequency adjustment): two "Mohamed Alaoui" born
the same year agree on very common names, which says little, while their different
birth days and parents say a lot. The parents' names weigh part by part (the
father's first name, the mother's first and family names, each with its own
frequency): a second keying copies them from the same declaration, so a mother of
other names is strong evidence against. The weights add up to a posterior
probability, from a prior that thins as the registry grows (``Frequencies.prior``).

Candidates are found by blocking on name keys and birth year, so a country is never
compared pair by pair. A duplicate is only ever reported: the legal path from there
is a correction or annulment mention by court judgment, never a silent merge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, cast, func, select
from sqlalchemy.dialects.postgresql import JSONB

from sijill.domain.namekeys import (
    arabic_key,
    compare,
    latin_key,
    script,
    skeleton,
    skeletons,
)
from sijill.search.index import EARLIEST_YEAR, LATEST_YEAR, base_token
from sijill.search.query import count_holding, index_scans, joined, keyed
from sijill.store import tables as t

# Before looking, the chance that two given acts are the same person: a registry
# holds at most one second keying per hundred acts, each the double of one act of
# the ``total`` (so it thins as the registry grows), and never more than PRIOR.
PRIOR = 1e-4
DUPLICATE_SHARE = 0.01
PROBABLE = 0.9
POSSIBLE = 0.3
_DATE_NEAR_DAYS = 31
_DATE_SLIP_DAYS = 3


def _log(m: float, u: float) -> float:
    return math.log2(m / u)


# The weight of each outcome, log2(m/u). An agreeing name weighs by its own share.
NAME_CLOSE = _log(0.04, 0.05)
NAME_DIFFERS = _log(0.01, 0.9)
DATE_SAME = _log(0.9, 1 / 365)
# A day or three off (a birth after midnight declared the next day, a digit slipped):
# m of the keying slips that keep the week; u, six days of the year, three each side.
DATE_SLIP = _log(0.05, 6 / 365)
DATE_CLOSE = _log(0.02, 0.08)  # within a month, or day and month swapped
DATE_DIFFERS = _log(0.03, 0.92)
SEX_SAME = _log(0.99, 0.5)
SEX_DIFFERS = _log(0.01, 0.5)
# A second keying copies the parents from the same declaration: each part of a
# parent's name keyed beyond recognition is rare (m), and differs by chance (u).
PARENT_CLOSE = _log(0.05, 0.04)
PARENT_DIFFERS = _log(0.01, 0.95)
PLACE_SAME = _log(0.9, 0.1)
PLACE_DIFFERS = _log(0.1, 0.9)
# When a parent's name comes whole (not part by part), as the model had it first.
WHOLE_PARENT_DIFFERS = _log(0.002, 0.95)
# Shares of a parent's name part when the registry's own counts are not at hand: a
# father bears the child's family name, so his first name is what agrees (Mohamed,
# often); mothers' names spread more.
DEFAULT_SHARES = {"father_first": 0.1, "mother_first": 0.05, "mother_family": 0.02}
_PARENT_PARTS = (
    ("father's first name", "father_first"),
    ("mother's first name", "mother_first"),
    ("mother's family name", "mother_family"),
)


@dataclass(frozen=True)
class Person:
    """What duplicate detection compares: the person of a birth and the parents."""

    first_ar: str
    family_ar: str
    first_lat: str
    family_lat: str
    sex: str
    birth_date: date | None
    father: str
    mother: str
    place: str
    # The parents' names part by part (in Arabic, as ``father`` and ``mother``):
    # what a second keying of one declaration copies, each part weighed on its own.
    father_first: str = ""
    mother_first: str = ""
    mother_family: str = ""

    @property
    def first_key(self) -> str:
        return _block_key(self.first_ar or self.first_lat)

    @property
    def family_key(self) -> str:
        return _block_key(self.family_ar or self.family_lat)

    @property
    def by_parts(self) -> bool:
        """Whether the parents' names come part by part (any of them)."""
        return bool(self.father_first or self.mother_first or self.mother_family)


@lru_cache(maxsize=1 << 20)
def _block_key(name: str) -> str:
    # ى and ي at the end are one keying apart (العلوى, العلوي): one block for both.
    return skeleton(name.replace("ى", "ي"))


@dataclass(frozen=True)
class Candidate:
    """An act that is probably (or possibly) the same person, with the reasons."""

    ref: str
    office: str
    probability: float
    weight: float
    verdict: str  # probable | possible
    reasons: list[str]


class Frequencies:
    """How common names are, as share of persons (with smoothing).

    ``first`` and ``family`` count the persons' own names by key; ``parents`` counts
    the parents' name parts (``father_first``, ``mother_first``, ``mother_family``)
    by key, when known; a part not counted weighs by ``DEFAULT_SHARES``.
    """

    def __init__(
        self,
        first: Mapping[str, int],
        family: Mapping[str, int],
        total: int,
        parents: Mapping[str, Mapping[str, int]] | None = None,
    ):
        self.first, self.family, self.total = first, family, max(total, 1)
        self.parents = dict(parents or {})

    def share(self, part: str, key: str) -> float:
        if part in ("first", "family"):
            counts = self.first if part == "first" else self.family
        elif part in self.parents:
            counts = self.parents[part]
        else:
            return DEFAULT_SHARES[part]
        # Smoothed: a name never seen, or seen in a small office, is not "unique".
        return max((counts.get(key, 0) + 1) / (self.total + 100), 1e-5)

    @property
    def prior(self) -> float:
        """The chance that two given persons are one, before comparing them."""
        return min(PRIOR, DUPLICATE_SHARE / self.total)


# --- the model -----------------------------------------------------------------------


def score(a: Person, b: Person, freq: Frequencies) -> tuple[float, float, list[str]]:
    """The match weight of two persons, its posterior probability and the reasons."""
    parts = [
        _name("first name", a, b, "first", freq),
        _name("family name", a, b, "family", freq),
        _birth_date(a.birth_date, b.birth_date),
        _sex(a.sex, b.sex),
        *_parents(a, b, freq),
        _place(a.place, b.place),
    ]
    weight = sum(w for w, _ in parts)
    return (
        round(weight, 2),
        _probability(weight, freq.prior),
        [f"{why} ({w:+.1f})" for w, why in parts if why],
    )


def _probability(weight: float, prior: float) -> float:
    odds = math.log2(prior / (1 - prior)) + weight
    return round(1 / (1 + 2 ** (-odds)), 4) if odds > -60 else 0.0


def _min_weight(threshold: float, prior: float) -> float:
    """The least weight whose probability can reach ``threshold`` (a little below)."""
    threshold = min(max(threshold, 1e-12), 1 - 1e-12)
    return (
        math.log2(threshold / (1 - threshold)) - math.log2(prior / (1 - prior)) - 0.01
    )


def _name(
    label: str, a: Person, b: Person, part: str, freq: Frequencies
) -> tuple[float, str]:
    pairs = [
        (getattr(a, f"{part}_{x}"), getattr(b, f"{part}_{y}"))
        for x in ("ar", "lat")
        for y in ("ar", "lat")
    ]
    verdicts = {_verdict(x, y) for x, y in pairs if x and y}
    if "same" in verdicts:
        share = freq.share(part, getattr(a, f"{part}_key"))
        return _log(0.95, share), f"{label} agrees, {share:.2%} of persons bear it"
    if "maybe" in verdicts:
        return NAME_CLOSE, f"{label} close"
    return NAME_DIFFERS, f"{label} differs"


@lru_cache(maxsize=1 << 18)  # the pairs scored again after a batch meet here
def _verdict(a: str, b: str) -> str:
    """``compare``'s verdict, without its edit distance when the keys already tell."""
    if a == b:
        return "same"
    written_a, own_a, main_a, alternatives_a = _keys(a)
    written_b, own_b, main_b, alternatives_b = _keys(b)
    if written_a == written_b and own_a == own_b:
        return "same"
    if not alternatives_a & alternatives_b and _dice(main_a, main_b) < 0.4:
        return "different"
    return _compared(a, b)


@lru_cache(maxsize=1 << 20)
def _keys(name: str) -> tuple[str, str, str, frozenset[str]]:
    # Each name of a batch is keyed once, however many pairs it is part of.
    written = script(name)
    own = arabic_key(name) if written == "ar" else latin_key(name)
    return written, own, skeleton(name), skeletons(name)


@lru_cache(maxsize=1 << 18)
def _compared(a: str, b: str) -> str:
    return compare(a, b).verdict


def _dice(a: str, b: str) -> float:
    pairs_a = {a[i : i + 2] for i in range(len(a) - 1)} or {a}
    pairs_b = {b[i : i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))


def _birth_date(a: date | None, b: date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.0, ""
    if a == b:
        return DATE_SAME, "same birth date"
    apart = abs((a - b).days)
    if apart <= _DATE_SLIP_DAYS:
        return DATE_SLIP, f"birth dates {apart} day{'s' * (apart > 1)} apart"
    swapped = a.day <= 12 and (a.year, a.day, a.month) == (b.year, b.month, b.day)
    if swapped or apart <= _DATE_NEAR_DAYS:
        return DATE_CLOSE, "birth dates close (a keying slip?)"
    return DATE_DIFFERS, "birth dates differ"


def _sex(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return SEX_SAME, ""
    return SEX_DIFFERS, "sex differs"


def _parents(a: Person, b: Person, freq: Frequencies) -> list[tuple[float, str]]:
    if not (a.by_parts and b.by_parts):
        return [
            # A father bears the child's family name: agreeing says little more than
            # the family name did, only that the first names (Mohamed, often) agree.
            _parent("father", a.father, b.father, DEFAULT_SHARES["father_first"]),
            _parent("mother", a.mother, b.mother, 0.02),
        ]
    return [
        _parent_part(label, getattr(a, part), getattr(b, part), part, freq)
        for label, part in _PARENT_PARTS
    ]


def _parent_part(
    label: str, a: str, b: str, part: str, freq: Frequencies
) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    verdict = _verdict(a, b)
    if verdict == "same":
        share = freq.share(part, _block_key(a))
        return _log(0.95, share), f"{label} agrees, {share:.2%} bear it"
    if verdict == "maybe":
        return PARENT_CLOSE, f"{label} close"
    return PARENT_DIFFERS, f"{label} differs"


def _parent(label: str, a: str, b: str, by_chance: float) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    verdict = _verdict(a, b)
    if verdict == "same":
        return _log(0.9, by_chance), f"{label} agrees"
    if verdict == "maybe":
        return PARENT_CLOSE, f"{label} close"
    # A second keying copies the parents: another parent is strong evidence.
    return WHOLE_PARENT_DIFFERS, f"{label} differs"


def _place(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    if a == b:
        return PLACE_SAME, "same birth commune"
    return PLACE_DIFFERS, "other birth commune"


# --- persons from declarations and acts ---------------------------------------------------


def person_of(kind: str, data: Mapping[str, Any]) -> Person:
    """The person of a birth declaration or act (of a death: the deceased)."""
    who = data.get("child" if kind == "birth" else "deceased") or {}
    born = data.get("birth_date")
    return Person(
        first_ar=str(who.get("first_name_ar") or ""),
        family_ar=str(who.get("family_name_ar") or ""),
        first_lat=str(who.get("first_name_lat") or ""),
        family_lat=str(who.get("family_name_lat") or ""),
        sex=str(data.get("sex") or ""),
        birth_date=_as_date(born),
        father=_parent_name(data, "father"),
        mother=_parent_name(data, "mother"),
        place=str(data.get("birth_commune") or ""),
        father_first=_parent_part_of(data, "father", "first_name_ar"),
        mother_first=_parent_part_of(data, "mother", "first_name_ar"),
        mother_family=_parent_part_of(data, "mother", "family_name_ar"),
    )


def _parent_part_of(data: Mapping[str, Any], role: str, field: str) -> str:
    parent = data.get(role)
    if isinstance(parent, Mapping):
        return str(parent.get(field) or "")
    return ""


def _parent_name(data: Mapping[str, Any], role: str) -> str:
    parent = data.get(role)
    if isinstance(parent, Mapping):
        names = (parent.get("first_name_ar"), parent.get("family_name_ar"))
        return " ".join(str(n) for n in names if n)
    return str(data.get(f"{role}_name") or "")


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# --- at registration -------------------------------------------------------------------


def probable_duplicates(
    conn: Connection,
    declaration: Mapping[str, Any],
    *,
    office: str | None = None,
    threshold: float = POSSIBLE,
) -> list[Candidate]:
    """Signed births that are probably the person ``declaration`` declares, best first.

    Blocking: the same first-name and family-name skeletons, born within a year.
    ``office`` narrows to one office (default: every office of this database).
    """
    person = person_of("birth", declaration)
    if person.birth_date is None or not (person.first_key and person.family_key):
        return []
    with index_scans(conn):
        rows = conn.execute(_blocked(conn, person, office)).all()
    freq = _frequencies(conn, person)
    found = []
    for row in rows:
        weight, probability, reasons = score(
            person, person_of(row.kind, row.data), freq
        )
        if probability >= threshold:
            verdict = "probable" if probability >= PROBABLE else "possible"
            found.append(
                Candidate(
                    row.ref, row.office_code, probability, weight, verdict, reasons
                )
            )
    return sorted(found, key=lambda c: -c.weight)


def _blocked(conn: Connection, person: Person, office: str | None) -> Any:
    """Births within a year of ``person``'s whose first and family names share a
    skeleton with his, at most 200."""
    assert person.birth_date is not None
    groups = [
        frozenset(
            base_token("person", "sk", key)
            for name in names
            if name
            for key in skeletons(name)
        )
        for names in (
            (person.first_ar, person.first_lat),
            (person.family_ar, person.family_lat),
        )
    ]
    year, born = timedelta(days=366), person.birth_date
    births = keyed(
        conn,
        groups,
        range(born.year - 1, born.year + 2),
        date_from=born - year,
        date_to=born + year,
        scope=office,
    )
    return joined(births, [t.acts.c.kind == "birth"]).limit(200)


def _frequencies(conn: Connection, person: Person) -> Frequencies:
    total = conn.execute(
        select(func.count()).select_from(t.acts).where(t.acts.c.kind == "birth")
    ).scalar_one()
    every_year = range(EARLIEST_YEAR, LATEST_YEAR + 1)

    def count(key: str) -> int:
        return count_holding(
            conn, frozenset({base_token("person", "sk", key)}), every_year
        )

    return Frequencies(
        {person.first_key: count(person.first_key)},
        {person.family_key: count(person.family_key)},
        int(total),
    )


# --- in batch ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Two acts of a batch that are probably the same person."""

    left: str
    right: str
    probability: float
    weight: float
    reasons: list[str]


def find_duplicates(
    acts: Iterable[tuple[str, Person]], *, threshold: float = PROBABLE
) -> list[Pair]:
    """Pairs of ``acts`` (ref, person) at or above ``threshold``, best first.

    Blocks, each small whatever the size of the batch: the same first- and
    family-name skeletons born the same week (two overlapping calendars of weeks, so
    birth dates up to three days apart meet); the same family name, or the same first
    name, born the same day of a mother of the same first name, which catches a name
    keyed beyond recognition.

    The batch is held as arrays of codes, one row a person: the pairs of each block
    come out of a sort, and the model weighs every pair at once, each field compared
    once per distinct pair of values. Only the pairs that can reach ``threshold`` are
    scored again one by one by ``score``, which gives their figures and reasons.
    """
    people = list(acts)
    if len(people) < 2:
        return []
    batch = _Batch([p for _, p in people])
    floor = _min_weight(threshold, batch.freq.prior)
    pairs = []
    for left, right in _chunks(batch.candidates(), len(people), _CHUNK):
        kept = batch.weights(left, right) >= floor
        for i, j in zip(left[kept].tolist(), right[kept].tolist(), strict=True):
            weight, probability, reasons = score(people[i][1], people[j][1], batch.freq)
            if probability >= threshold:
                pairs.append(
                    Pair(people[i][0], people[j][0], probability, weight, reasons)
                )
    return sorted(pairs, key=lambda p: -p.weight)


_CHUNK = 1 << 20  # pairs weighed at once: bounds the memory of a batch
_FIELDS = (
    "first_ar",
    "first_lat",
    "family_ar",
    "family_lat",
    "sex",
    "place",
    "father",
    "mother",
    "father_first",
    "mother_first",
    "mother_family",
)
_SAME, _MAYBE, _DIFFERENT, _ABSENT, _UNKNOWN = 2, 1, 0, -1, -2
_VERDICT_CODES = {"same": _SAME, "maybe": _MAYBE, "different": _DIFFERENT}


class _Batch:
    """The persons of a batch as arrays of codes, and the model over pairs of rows."""

    def __init__(self, people: list[Person]) -> None:
        n = len(people)
        values = {f: list(map(attrgetter(f), people)) for f in _FIELDS}
        # Code 0 is no value; every distinct string gets a code, then every key.
        distinct = dict.fromkeys(chain([""], *values.values()))
        codes = dict(zip(distinct, range(len(distinct)), strict=True))
        del distinct
        self.col = {
            f: np.fromiter(map(codes.__getitem__, v), dtype=np.int64, count=n)
            for f, v in values.items()
        }
        del values
        names = list(codes)

        def keyed(key: Callable[[str], str], *columns: str) -> npt.NDArray[np.int64]:
            # The key of each name these columns hold (not of every string).
            table = np.zeros(len(names), dtype=np.int64)
            for code in np.unique(np.concatenate([self.col[c] for c in columns])):
                if code:
                    table[code] = codes.setdefault(key(names[code]), len(codes))
            return table

        block_key = keyed(
            _block_key,
            "first_ar",
            "first_lat",
            "family_ar",
            "family_lat",
            *DEFAULT_SHARES,
        )
        token = keyed(lambda s: s.split(" ", 1)[0], "mother")
        c = self.col
        c["first_key"] = block_key[
            np.where(c["first_ar"] > 0, c["first_ar"], c["first_lat"])
        ]
        c["family_key"] = block_key[
            np.where(c["family_ar"] > 0, c["family_ar"], c["family_lat"])
        ]
        for part in DEFAULT_SHARES:
            c[f"{part}_key"] = block_key[c[part]]
        # The mother's first name, or the first word of her name when it comes whole.
        c["mother_key"] = np.where(
            c["mother_first"] > 0, c["mother_first_key"], token[c["mother"]]
        )
        self.strings = list(codes)
        self.day = np.fromiter(
            (p.birth_date.toordinal() if p.birth_date else -1 for p in people),
            dtype=np.int64,
            count=n,
        )
        self.by_parts = (c["father_first"] > 0) | (c["mother_first"] > 0)
        self.by_parts |= c["mother_family"] > 0
        self.freq = Frequencies(
            self._counts("first_key"),
            self._counts("family_key"),
            len(people),
            {part: self._counts(f"{part}_key") for part in DEFAULT_SHARES},
        )
        # By part: each row's weight of agreeing on its name, log2(0.95 / share).
        self._weight_of: dict[str, npt.NDArray[np.float64]] = {}
        for part in ("first", "family", *DEFAULT_SHARES):
            self._weight_of[part] = self._share_weights(part, self.col[f"{part}_key"])

    def _counts(self, column: str) -> dict[str, int]:
        found = np.bincount(self.col[column], minlength=len(self.strings))
        return {
            self.strings[code]: int(n)
            for code, n in enumerate(found.tolist())
            if n and code
        }

    def _share_weights(
        self, part: str, keys: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        distinct, inverse = np.unique(keys, return_inverse=True)
        table = np.array(
            [_log(0.95, self.freq.share(part, self.strings[k])) for k in distinct]
        )
        weights: npt.NDArray[np.float64] = table[inverse.reshape(-1)]
        return weights

    # --- candidates --------------------------------------------------------------------

    def candidates(self) -> npt.NDArray[np.int64]:
        """Each pair of rows sharing a block, once, as ``left * n + right`` (left < right)."""
        c, day = self.col, self.day
        dated = day >= 0
        mother = c["mother_key"]
        blocks = [
            (~dated, (c["first_key"], c["family_key"])),
            (dated, (c["first_key"], c["family_key"], day // 7)),
            (dated, (c["first_key"], c["family_key"], (day + 3) // 7)),
            (dated & (mother > 0), (c["family_key"], day, mother)),
            (dated & (mother > 0), (c["first_key"], day, mother)),
        ]
        found = [_pairs_in_blocks(rows, keys, len(day)) for rows, keys in blocks]
        codes = np.concatenate(found)
        codes.sort()
        return codes[np.append(True, codes[1:] != codes[:-1])] if len(codes) else codes

    # --- weights -------------------------------------------------------------------------

    def weights(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """``score``'s weight of each pair (left[k], right[k]), rounding aside."""
        c = self.col
        weight = self._name(left, right, "first") + self._name(left, right, "family")
        weight += self._date(left, right)
        weight += np.where(c["sex"][left] == c["sex"][right], SEX_SAME, SEX_DIFFERS)
        parts = self.by_parts[left] & self.by_parts[right]
        for _, part in _PARENT_PARTS:
            weight[parts] += self._parent_part(left[parts], right[parts], part)
        whole, agrees = ~parts, _log(0.9, DEFAULT_SHARES["father_first"])
        weight[whole] += self._whole_parent(left[whole], right[whole], "father", agrees)
        agrees = _log(0.9, 0.02)
        weight[whole] += self._whole_parent(left[whole], right[whole], "mother", agrees)
        pa, pb = c["place"][left], c["place"][right]
        weight += np.where(
            (pa > 0) & (pb > 0), np.where(pa == pb, PLACE_SAME, PLACE_DIFFERS), 0.0
        )
        return weight

    def _verdicts(
        self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int8]:
        """``_verdict`` of each pair of string codes, once per distinct pair."""
        verdicts = np.where(a == b, _SAME, _UNKNOWN).astype(np.int8)
        verdicts[(a == 0) | (b == 0)] = _ABSENT
        todo = np.flatnonzero(verdicts == _UNKNOWN)
        if len(todo):
            size = len(self.strings)
            distinct, inverse = np.unique(a[todo] * size + b[todo], return_inverse=True)
            table = np.array(
                [
                    _VERDICT_CODES[
                        _verdict(self.strings[x // size], self.strings[x % size])
                    ]
                    for x in distinct.tolist()
                ],
                dtype=np.int8,
            )
            verdicts[todo] = table[inverse.reshape(-1)]
        return verdicts

    def _name(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], part: str
    ) -> npt.NDArray[np.float64]:
        c = self.col
        best = np.full(len(left), _ABSENT, dtype=np.int8)
        for x, y in (("ar", "ar"), ("lat", "lat"), ("ar", "lat"), ("lat", "ar")):
            open_ = np.flatnonzero(best < _SAME)  # a name agreeing once is enough
            verdicts = self._verdicts(
                c[f"{part}_{x}"][left[open_]], c[f"{part}_{y}"][right[open_]]
            )
            best[open_] = np.maximum(best[open_], verdicts)
        return np.where(
            best == _SAME,
            self._weight_of[part][left],
            np.where(best == _MAYBE, NAME_CLOSE, NAME_DIFFERS),
        )

    def _parent_part(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], part: str
    ) -> npt.NDArray[np.float64]:
        verdicts = self._verdicts(self.col[part][left], self.col[part][right])
        return np.select(
            [verdicts == _SAME, verdicts == _MAYBE, verdicts == _DIFFERENT],
            [self._weight_of[part][left], PARENT_CLOSE, PARENT_DIFFERS],
            0.0,
        )

    def _whole_parent(
        self,
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        role: str,
        agrees: float,
    ) -> npt.NDArray[np.float64]:
        verdicts = self._verdicts(self.col[role][left], self.col[role][right])
        return np.select(
            [verdicts == _SAME, verdicts == _MAYBE, verdicts == _DIFFERENT],
            [agrees, PARENT_CLOSE, WHOLE_PARENT_DIFFERS],
            0.0,
        )

    def _date(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        a, b = self.day[left], self.day[right]
        apart = np.abs(a - b)
        close = apart <= _DATE_NEAR_DAYS
        # Day and month swapped (a.day <= 12) is rarer than a month apart: only the
        # pairs left to weigh as different are looked at one by one.
        far = np.flatnonzero((a >= 0) & (b >= 0) & ~close)
        if len(far):
            close[far] = [
                _swapped(date.fromordinal(x), date.fromordinal(y))
                for x, y in zip(a[far].tolist(), b[far].tolist(), strict=True)
            ]
        return np.select(
            [(a < 0) | (b < 0), apart == 0, apart <= _DATE_SLIP_DAYS, close],
            [0.0, DATE_SAME, DATE_SLIP, DATE_CLOSE],
            DATE_DIFFERS,
        )


def _swapped(a: date, b: date) -> bool:
    return a.day <= 12 and (a.year, a.day, a.month) == (b.year, b.month, b.day)


def _mother_key(p: Person) -> str:
    if p.mother_first:
        return _block_key(p.mother_first)
    return p.mother.split(" ", 1)[0]


def _pairs_in_blocks(
    rows: npt.NDArray[np.bool_],
    keys: tuple[npt.NDArray[np.int64], ...],
    size: int,
) -> npt.NDArray[np.int64]:
    """Every pair of ``rows`` with equal ``keys``, as ``left * size + right``."""
    members = np.flatnonzero(rows)
    if len(members) < 2:
        return np.empty(0, dtype=np.int64)
    order = members[np.lexsort(tuple(k[members] for k in reversed(keys)))]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = np.any([np.diff(k[order]) != 0 for k in keys], axis=0)
    ends = np.append(np.flatnonzero(starts)[1:], len(order))
    end_of = ends[np.cumsum(starts) - 1]
    after = end_of - np.arange(len(order)) - 1  # members of its block after each row
    total = int(after.sum())
    firsts = np.repeat(np.arange(len(order)), after)
    seconds = firsts + 1 + np.arange(total) - np.repeat(np.cumsum(after) - after, after)
    left, right = order[firsts], order[seconds]
    codes: npt.NDArray[np.int64] = np.minimum(left, right) * size + np.maximum(
        left, right
    )
    return codes


def _chunks(
    codes: npt.NDArray[np.int64], size: int, chunk: int
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """(left rows, right rows) of the pairs ``codes``, ``chunk`` pairs at a time."""
    for begin in range(0, len(codes), chunk):
        part = codes[begin : begin + chunk]
        yield part // size, part % size


def office_persons(
    conn: Connection, office: str | None = None
) -> list[tuple[str, Person]]:
    """(ref, person) of every signed birth of ``office`` (or of the whole database).

    On PostgreSQL the database takes out of each act's data the fields
    ``person_of`` reads, the document parsed once per act: the rest (declarant,
    addresses, professions) is neither sent nor decoded, which at a million acts is
    most of the time.
    """
    query = select(t.acts.c.ref, t.acts.c.kind, t.acts.c.data).where(
        t.acts.c.kind == "birth"
    )
    if office is not None:
        query = query.where(t.acts.c.office_code == office)
    if conn.dialect.name == "postgresql":
        return _persons_read_by_postgresql(conn, query)
    return [(r.ref, person_of(r.kind, r.data)) for r in conn.execute(query)]


_CHILD = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")


def _persons_read_by_postgresql(
    conn: Connection, query: Any
) -> list[tuple[str, Person]]:
    acts = query.with_only_columns(
        t.acts.c.ref, cast(t.acts.c.data, JSONB).label("doc")
    ).offset(0)  # a fence: each document is cast once, not once per field
    inner = acts.subquery()
    doc = inner.c.doc

    def text(*path: str) -> Any:
        return doc[path].astext

    parents = [
        column
        for role in ("father", "mother")
        for column in (
            func.jsonb_typeof(doc[role]) == "object",
            text(role, "first_name_ar"),
            text(role, "family_name_ar"),
            text(f"{role}_name"),
        )
    ]
    fields = select(
        inner.c.ref,
        *(text("child", name) for name in _CHILD),
        text("sex"),
        text("birth_date"),
        text("birth_commune"),
        *parents,
    )
    found = []
    # Streamed: the database reads the next acts while these become persons.
    streamed = fields.execution_options(stream_results=True, yield_per=20_000)
    for row in conn.execute(streamed):
        ref, first_ar, family_ar, first_lat, family_lat, sex, born, place, *kin = row
        father, father_first, _ = _parent_fields(*kin[:4])
        mother, mother_first, mother_family = _parent_fields(*kin[4:])
        person = Person(
            first_ar=first_ar or "",
            family_ar=family_ar or "",
            first_lat=first_lat or "",
            family_lat=family_lat or "",
            sex=sex or "",
            birth_date=_as_date(born),
            father=father,
            mother=mother,
            place=place or "",
            father_first=father_first,
            mother_first=mother_first,
            mother_family=mother_family,
        )
        found.append((ref, person))
    return found


def _parent_fields(
    whole: bool | None, first: str | None, family: str | None, name: str | None
) -> tuple[str, str, str]:
    """``person_of``'s name, first name and family name of a parent, from columns."""
    if whole:
        return " ".join(n for n in (first, family) if n), first or "", family or ""
    return name or "", "", ""
