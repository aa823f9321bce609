"""A deterministic generator of realistic Moroccan birth and death declarations."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sijill.domain.identifiers import new_civil_id
from sijill.domain.names import first_name_violations
from sijill.store import geography
from sijill.store.geography import Commune
from sijill.synthetic import people, places
from sijill.synthetic.mentions import MentionMaker
from sijill.synthetic.names import (
    arabic_variants,
    latin_spelling_variants,
    latin_variants,
)

CASABLANCA = ZoneInfo("Africa/Casablanca")
EARLIEST = date(1900, 1, 1)
TIFINAGH_SINCE = date(2023, 1, 1)  # decree 2-22-04: acts may carry Tifinagh names
NAME_FIELDS = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")
MOTHER_NATIONALITIES = (
    ("MA", 9750),
    ("DZ", 50),
    ("FR", 50),
    ("ES", 40),
    ("SN", 30),
    ("TN", 20),
    ("SY", 20),
    ("EG", 10),
    ("BE", 10),
    ("NL", 10),
)
FATHER_NATIONALITIES = (
    ("MA", 9850),
    ("DZ", 40),
    ("FR", 30),
    ("TN", 20),
    ("EG", 20),
    ("SY", 20),
    ("SN", 20),
)
Decl = dict[str, Any]


# Fixed-date public holidays, when civil status offices are closed.
HOLIDAYS = {
    (1, 1),
    (1, 11),
    (1, 14),
    (5, 1),
    (7, 30),
    (8, 14),
    (8, 20),
    (8, 21),
    (11, 6),
    (11, 18),
}


def working_days(first_day: date, last_day: date) -> list[date]:
    """Days an office is open between two days: Monday to Friday, not a fixed holiday."""
    span = (last_day - first_day).days + 1
    days = (first_day + timedelta(days=n) for n in range(span))
    return [d for d in days if d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS]


def registration_moment(day: date) -> datetime:
    """10:00 in Morocco on ``day``: when the generated acts are registered."""
    return datetime.combine(day, time(10, 0), tzinfo=CASABLANCA)


def person_of(birth: Mapping[str, Any]) -> dict[str, Any]:
    """The person a birth declaration is about, in the shape ``Generator.death`` takes."""
    person: dict[str, Any] = {k: v for k, v in birth["child"].items() if v}
    person.update(
        sex=birth["sex"],
        birth_date=birth["birth_date"],
        birth_place=birth.get("birth_place"),
    )
    for parent in ("father", "mother"):
        if birth.get(parent):
            person[f"{parent}_name"] = people.full_name(birth[parent])
    if birth.get("civil_id"):
        person["civil_id"] = birth["civil_id"]
    return {k: v for k, v in person.items() if v is not None}


def _years_ago(day: date, years: float, rng: random.Random) -> date:
    return day - timedelta(days=int(years * 365.25) + rng.randint(0, 300))


def _clock(rng: random.Random, day: date, registered_on: date) -> str:
    latest = 9 if day == registered_on else 23
    return f"{rng.randint(0, latest):02d}:{rng.randint(0, 59):02d}"


class Generator:
    """Realistic synthetic civil status data, identical for identical seeds and calls."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._mentions = MentionMaker(self.rng)

    # --- offices and dates -------------------------------------------------------

    def office(self, code: str | None = None) -> Commune:
        """The commune of an office: the one with ``code``, or one drawn by population."""
        if code is None:
            return places.random_commune(self.rng)
        commune = geography.lookup(code)
        if commune is None:
            raise ValueError(f"unknown commune code {code!r}")
        return commune

    def _event_date(
        self, registered_on: date, late: bool, earliest: date | None
    ) -> date:
        if not late:
            days = min(30, int(self.rng.triangular(0, 31, 2)))
        elif self.rng.random() < 0.6:
            days = self.rng.randint(45, 364)
        elif self.rng.random() < 0.75:
            days = self.rng.randint(365, 7 * 365)
        else:
            days = self.rng.randint(7 * 365, 30 * 365)
        day = registered_on - timedelta(days=days)
        return max(day, earliest or EARLIEST, EARLIEST)

    def _judgment(
        self, event: date, registered_on: date, region: str
    ) -> dict[str, str]:
        span = (registered_on - event).days - 31
        day = registered_on - timedelta(
            days=self.rng.randint(1, max(1, min(120, span)))
        )
        number = f"{self.rng.randint(1, 4800)}/{day.year}"
        return {
            "court": places.court(self.rng, region),
            "number": number,
            "date": day.isoformat(),
        }

    # --- births ------------------------------------------------------------------

    def birth(
        self,
        registered_on: date,
        *,
        office_commune_code: str | None = None,
        late: bool = False,
    ) -> Decl:
        """A birth declaration registered on ``registered_on`` (late: with a judgment)."""
        office = self.office(office_commune_code)
        born = self._event_date(registered_on, late, None)
        sex = "M" if self.rng.random() < 0.512 else "F"
        mother = self._parent("F", born, office)
        father = (
            self._parent("M", born, office, mother)
            if self.rng.random() > 0.03
            else None
        )
        family_source = father or mother
        family = (family_source["family_name_ar"], family_source["family_name_lat"])
        place = places.birth_place(self.rng, office)
        decl: Decl = {
            "child": self._child_names(
                sex, born, registered_on, family, office, father, mother
            ),
            "sex": sex,
            "birth_date": born.isoformat(),
            "birth_time": _clock(self.rng, born, registered_on),
            "birth_place": place,
            "birth_commune": office.code,
            "mother": mother,
            "declarant": self._birth_declarant(office, father, mother, place, born),
        }
        if father is not None:
            decl["father"] = father
        if late:
            decl["judgment"] = self._judgment(born, registered_on, office.region_code)
        return decl

    def births(
        self,
        count: int,
        first_day: date,
        last_day: date,
        *,
        late_share: float = 0.03,
        office_commune_code: str | None = None,
    ) -> list[tuple[date, Decl]]:
        """``count`` births registered between two days, in registration order."""
        open_days = working_days(first_day, last_day) or [first_day]
        days = sorted(self.rng.choice(open_days) for _ in range(count))
        return [
            (
                day,
                self.birth(
                    day,
                    office_commune_code=office_commune_code,
                    late=self.rng.random() < late_share,
                ),
            )
            for day in days
        ]

    def _child_names(
        self,
        sex: str,
        born: date,
        registered_on: date,
        family: people.Spelled,
        office: Commune,
        father: Decl | None,
        mother: Decl,
    ) -> people.NameFields:
        families = [mother["family_name_ar"], mother["family_name_lat"], *family]
        if father is not None:
            families += [father["family_name_ar"], father["family_name_lat"]]
        amazigh_share = people.AMAZIGH_REGIONS.get(office.region_code, 0.05) / 6
        for _ in range(50):
            if self.rng.random() < amazigh_share:
                arabic, spellings, tifinagh = people.amazigh_first_name(self.rng, sex)
            else:
                arabic, spellings = people.draw_first_name(self.rng, sex, born.year)
                tifinagh = None
            arabic = people.pick_arabic(self.rng, arabic)
            first = people.pick_latin(self.rng, spellings)
            # A spelling the rules refuse (Nour El Houda) gives way to one they accept.
            for latin in (first, *spellings):
                names = people.fields((arabic, latin), family)
                if not _name_violations(names, families):
                    if tifinagh and registered_on >= TIFINAGH_SINCE:
                        return people.with_tifinagh(names, tifinagh)
                    return names
        raise RuntimeError("no valid first name found")  # pragma: no cover

    def _parent(
        self, sex: str, child_born: date, office: Commune, spouse: Decl | None = None
    ) -> Decl:
        if sex == "F":
            age = self.rng.triangular(18, 45, 27)
        else:
            mother_born = spouse.get("birth_date") if spouse else None
            mother_age = child_born.year - int(mother_born[:4]) if mother_born else 28
            age = min(59.0, max(20.0, mother_age + self.rng.triangular(-2, 22, 5)))
        born = _years_ago(child_born, age, self.rng)
        pairs = MOTHER_NATIONALITIES if sex == "F" else FATHER_NATIONALITIES
        nationality = places.weighted(self.rng, pairs)
        names = self._parent_names(sex, born, office, nationality)
        parent: Decl = {
            **names,
            "birth_date": born.isoformat(),
            "nationality": nationality,
            "birth_place": self._birth_town(office, nationality),
        }
        if self.rng.random() < 0.97:
            parent["profession"] = places.profession(self.rng, sex, office.setting)
        parent["address"] = (
            spouse["address"] if spouse else places.address(self.rng, office)
        )
        if self.rng.random() < 0.02:
            del parent["birth_date"]
        return parent

    def _parent_names(
        self, sex: str, born: date, office: Commune, nationality: str
    ) -> people.NameFields:
        if nationality != "MA" and self.rng.random() < 0.6:
            foreign = people.foreign_names(self.rng, nationality, sex)
            if foreign is not None:
                return foreign
        family = people.family_name(self.rng, office.region_code)
        return people.person_names(self.rng, sex, born.year, family, titles=True)

    def _birth_town(self, office: Commune, nationality: str) -> str:
        abroad = places.FOREIGN_BIRTH_CITIES.get(nationality)
        if abroad and self.rng.random() < 0.85:
            return self.rng.choice(abroad)
        return places.nearby_commune(self.rng, office).name_ar

    def _birth_declarant(
        self, office: Commune, father: Decl | None, mother: Decl, place: str, born: date
    ) -> Decl:
        if father is not None:
            who = places.weighted(
                self.rng,
                (
                    ("father", 85),
                    ("mother", 5),
                    ("grandparent", 4),
                    ("relative", 2),
                    ("doctor", 2),
                    ("midwife", 1),
                    ("hospital", 1),
                ),
            )
        else:
            who = places.weighted(
                self.rng,
                (
                    ("mother", 60),
                    ("grandparent", 20),
                    ("hospital", 8),
                    ("midwife", 5),
                    ("local_authority", 4),
                    ("relative", 3),
                ),
            )
        if who in ("doctor", "hospital") and not places.is_facility(place):
            who = "father" if father else "mother"
        home = mother["address"]
        if who in ("father", "mother"):
            parent = father if who == "father" else mother
            return self._kin_declarant(who, parent or mother, home, office.region_code)
        elder = who == "grandparent"
        kin_born = born.year - (self.rng.randint(45, 65) if elder else 30)
        return self._declarant(who, office, father or mother, home, place, kin_born)

    def _declarant(
        self, who: str, office: Commune, kin: Decl, home: str, place: str, kin_born: int
    ) -> Decl:
        """Anyone but a parent: kin share ``kin``'s family name, institutions have none."""
        region = office.region_code
        if who == "hospital" and places.is_facility(place):
            return {"full_name": f"إدارة {place}"[:120], "relationship": "hospital"}
        if who in ("hospital", "local_authority"):
            return {
                "full_name": f"قائد قيادة {office.name_ar}",
                "relationship": "local_authority",
            }
        family = (kin["family_name_ar"], kin["family_name_lat"])
        if who not in ("grandparent", "relative", "sibling", "child"):
            family = people.family_name(self.rng, region)
        sex = "F" if who == "midwife" else self.rng.choice(("M", "F"))
        names = people.person_names(self.rng, sex, kin_born, family)
        decl: Decl = {
            "full_name": people.full_name(names),
            "relationship": who,
            "id_document": places.cin(self.rng, region),
        }
        if who in ("grandparent", "relative", "sibling", "child"):
            decl["address"] = home
        return decl

    def _kin_declarant(self, who: str, parent: Decl, home: str, region: str) -> Decl:
        return {
            "full_name": people.full_name(parent),
            "relationship": who,
            "id_document": places.cin(self.rng, region),
            "address": home,
        }

    # --- deaths ------------------------------------------------------------------

    def death(
        self,
        registered_on: date,
        *,
        birth_act_ref: str | None = None,
        person: Mapping[str, Any] | None = None,
        office_commune_code: str | None = None,
        late: bool = False,
    ) -> Decl:
        """A death declaration registered on ``registered_on``; of ``person`` when given."""
        office = self.office(office_commune_code)
        known_birth = _as_date(person.get("birth_date")) if person else None
        if known_birth is not None and known_birth > registered_on:
            raise ValueError("the person is born after the registration day")
        died = self._event_date(registered_on, late, known_birth)
        if late and (registered_on - died).days <= 30:
            raise ValueError("the person was born too recently for a late registration")
        decl = (
            self._deceased(person, died, office)
            if person
            else self._stranger(died, office)
        )
        decl["death_date"] = died.isoformat()
        decl["death_time"] = _clock(self.rng, died, registered_on)
        decl["death_place"] = places.death_place(
            self.rng, office, decl["address"], decl["sex"]
        )
        decl["declarant"] = self._death_declarant(decl, office)
        if birth_act_ref or (person and person.get("birth_act_ref")):
            decl["birth_act_ref"] = birth_act_ref or person["birth_act_ref"]  # type: ignore[index]
        if late:
            decl["judgment"] = self._judgment(died, registered_on, office.region_code)
        return decl

    def _age_at_death(self) -> float:
        band = places.weighted(
            self.rng, (("infant", 5), ("child", 2), ("adult", 20), ("old", 73))
        )
        if band == "infant":
            return self.rng.random()
        if band == "child":
            return self.rng.uniform(1, 15)
        if band == "adult":
            return self.rng.uniform(15, 60)
        return min(104.0, self.rng.triangular(60, 100, 78))

    def _stranger(self, died: date, office: Commune) -> Decl:
        age = self._age_at_death()
        born = max(died - timedelta(days=int(age * 365.25)), date(1900, 1, 1))
        sex = "M" if self.rng.random() < 0.53 else "F"
        family = people.family_name(self.rng, office.region_code)
        decl: Decl = {
            "deceased": people.person_names(
                self.rng, sex, born.year, family, titles=True
            ),
            "sex": sex,
            "birth_date": born.isoformat(),
            "father_name": people.full_name(
                people.person_names(self.rng, "M", born.year - 30, family)
            ),
            "mother_name": people.full_name(
                people.person_names(
                    self.rng,
                    "F",
                    born.year - 25,
                    people.family_name(self.rng, office.region_code),
                )
            ),
            "nationality": "MA" if self.rng.random() < 0.99 else "DZ",
            "address": places.address(self.rng, office),
        }
        if self.rng.random() < 0.9 or born.year >= 1960:
            decl["birth_place"] = places.nearby_commune(self.rng, office).name_ar
        if born.year >= 1950 and self.rng.random() < 0.35:
            commune = places.nearby_commune(self.rng, office)
            decl["birth_act_ref"] = (
                f"{commune.code}/{born.year}/N/{self.rng.randint(1, 3000)}"
            )
        self._add_occupation(decl, age, sex, office)
        if born.year >= 2024:
            decl["civil_id"] = new_civil_id(self.rng.randrange)
        return decl

    def _deceased(self, person: Mapping[str, Any], died: date, office: Commune) -> Decl:
        names = {
            k: person[k]
            for k in (*NAME_FIELDS, "first_name_tfng", "family_name_tfng")
            if person.get(k)
        }
        born = _as_date(person.get("birth_date"))
        decl: Decl = {
            "deceased": names,
            "sex": person["sex"],
            "nationality": person.get("nationality", "MA"),
            "address": person.get("address") or places.address(self.rng, office),
        }
        if born is not None:
            decl["birth_date"] = born.isoformat()
        for key in ("birth_place", "father_name", "mother_name", "civil_id"):
            if person.get(key):
                decl[key] = person[key]
        age = (died - born).days / 365.25 if born else 50
        self._add_occupation(decl, age, person["sex"], office)
        return decl

    def _add_occupation(
        self, decl: Decl, age: float, sex: str, office: Commune
    ) -> None:
        if age >= 65 and self.rng.random() < 0.4:
            decl["profession"] = places.RETIRED[sex]
        elif age >= 18:
            decl["profession"] = places.profession(self.rng, sex, office.setting)

    def _death_declarant(self, decl: Decl, office: Commune) -> Decl:
        born = _as_date(decl.get("birth_date"))
        age = (date.fromisoformat(decl["death_date"]) - born).days / 365 if born else 60
        if age < 15:
            who = places.weighted(
                self.rng,
                (("father", 60), ("mother", 25), ("hospital", 10), ("relative", 5)),
            )
        else:
            who = places.weighted(
                self.rng,
                (
                    ("child", 40),
                    ("spouse", 18),
                    ("sibling", 6),
                    ("relative", 12),
                    ("doctor", 5),
                    ("hospital", 12),
                    ("local_authority", 6),
                    ("other", 1),
                ),
            )
        return self._death_declarant_of(who, decl, office)

    def _death_declarant_of(self, who: str, decl: Decl, office: Commune) -> Decl:
        deceased = decl["deceased"]
        male = decl["sex"] == "M"
        born = _as_date(decl.get("birth_date"))
        year = born.year if born else 1960
        if who in ("father", "child", "sibling") and (male or who != "child"):
            kin = dict(deceased)  # shares the deceased's family name
        else:
            kin = people.fields(
                ("", ""), people.family_name(self.rng, office.region_code)
            )
        if who in ("father", "mother") and decl.get(f"{who}_name"):
            return {
                "full_name": decl[f"{who}_name"],
                "relationship": who,
                "address": decl["address"],
            }
        if who in ("father", "mother"):
            sex = "M" if who == "father" else "F"
            parent = people.person_names(
                self.rng,
                sex,
                year - 28,
                (kin["family_name_ar"], kin["family_name_lat"]),
            )
            return self._kin_declarant(who, parent, decl["address"], office.region_code)
        if who == "spouse":
            sex = "F" if male else "M"
            spouse = people.person_names(
                self.rng,
                sex,
                year + self.rng.randint(-4, 8) * (1 if male else -1),
                (kin["family_name_ar"], kin["family_name_lat"]),
            )
            return self._kin_declarant(
                "spouse", spouse, decl["address"], office.region_code
            )
        kin_born = year + (30 if who == "child" else self.rng.randint(-8, 8))
        home, place = decl["address"], decl["death_place"]
        return self._declarant(who, office, kin, home, place, kin_born)

    # --- mentions and variants ---------------------------------------------------

    def mention(
        self,
        kind: str,
        act_kind: str,
        on: date,
        *,
        holder_sex: str | None = None,
        act: Mapping[str, Any] | None = None,
    ) -> Decl:
        """A mention of ``kind`` for an act of ``act_kind``, its source dated on or before ``on``.

        ``holder_sex`` is the sex of the act's person (a spouse is of the other sex);
        with ``act``, corrections change that act's own values (Mohamed → Mohammed).
        """
        return self._mentions.make(kind, act_kind, on, holder_sex=holder_sex, act=act)

    def keying_variant(self, names: Mapping[str, str]) -> dict[str, str]:
        """The same names as another clerk might key them: some fields spelled differently."""
        out = dict(names)
        for field, value in names.items():
            if not value or self.rng.random() < 0.5:
                continue
            if field.endswith("_ar"):
                options = arabic_variants(value)
            elif field.endswith("_lat"):
                arabic = names.get(field.removesuffix("_lat") + "_ar", "")
                options = [v for v in latin_variants(arabic) if v != value]
                options = options or latin_spelling_variants(value)
            else:
                continue
            if options:
                out[field] = self.rng.choice(options)
        return out


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return None


def _name_violations(names: Mapping[str, str], families: list[str]) -> bool:
    return any(
        first_name_violations(field, names[field], family_names=families)
        for field in ("first_name_ar", "first_name_lat")
    )
