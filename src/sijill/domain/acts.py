"""Birth and death declarations: what decree art. 18 asks an act to hold."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sijill.domain.parse import Reader

SEXES = ("M", "F")
RELATIONSHIPS = (
    "father", "mother", "grandparent", "sibling", "relative", "spouse", "child",
    "doctor", "midwife", "hospital", "local_authority", "prosecutor", "other",
)
KINDS = ("birth", "death")


@dataclass(frozen=True)
class Names:
    """A person's first and family names, in Arabic and Latin letters (Tifinagh optional)."""

    first_name_ar: str
    family_name_ar: str
    first_name_lat: str
    family_name_lat: str
    first_name_tfng: str | None = None
    family_name_tfng: str | None = None


@dataclass(frozen=True)
class Parent:
    """A parent as the birth act records them."""

    names: Names
    birth_date: date | None
    birth_place: str | None
    profession: str | None
    address: str | None
    nationality: str


@dataclass(frozen=True)
class Declarant:
    """Who declared the event, and their relationship to the person."""

    full_name: str
    relationship: str
    id_document: str | None
    address: str | None


@dataclass(frozen=True)
class Judgment:
    """A court judgment (declaratory judgment for a late registration)."""

    court: str
    number: str
    date: date


@dataclass(frozen=True)
class BirthDeclaration:
    """The content of a birth act (decree 2-99-665, art. 18)."""

    child: Names
    sex: str
    birth_date: date
    birth_time: time
    birth_place: str
    birth_commune: str | None
    father: Parent | None
    mother: Parent
    declarant: Declarant
    judgment: Judgment | None = None
    first_name_contested: bool = False

    @property
    def event_date(self) -> date:
        return self.birth_date


@dataclass(frozen=True)
class DeathDeclaration:
    """The content of a death act: the deceased, the death, the declarant."""

    deceased: Names
    sex: str
    birth_date: date | None
    birth_place: str | None
    birth_act_ref: str | None
    civil_id: str | None
    father_name: str | None
    mother_name: str | None
    profession: str | None
    address: str | None
    nationality: str
    death_date: date
    death_time: time
    death_place: str
    declarant: Declarant
    judgment: Judgment | None = None

    @property
    def event_date(self) -> date:
        return self.death_date


Declaration = BirthDeclaration | DeathDeclaration


def read_names(r: Reader) -> Names | None:
    first_ar = r.text("first_name_ar", script="arabic", max_length=60)
    family_ar = r.text("family_name_ar", script="arabic", max_length=60)
    first_lat = r.text("first_name_lat", script="latin", max_length=60)
    family_lat = r.text("family_name_lat", script="latin", max_length=60)
    first_tfng = r.text("first_name_tfng", required=False, script="tifinagh", max_length=60)
    family_tfng = r.text("family_name_tfng", required=False, script="tifinagh", max_length=60)
    if None in (first_ar, family_ar, first_lat, family_lat):
        return None
    return Names(first_ar, family_ar, first_lat, family_lat, first_tfng, family_tfng)  # type: ignore[arg-type]


def read_parent(r: Reader) -> Parent | None:
    names = read_names(r)
    birth_date = r.date("birth_date", required=False)
    birth_place = r.text("birth_place", required=False)
    profession = r.text("profession", required=False, max_length=80)
    address = r.text("address", required=False, max_length=200)
    nationality = r.nationality("nationality")
    if names is None or nationality is None:
        return None
    return Parent(names, birth_date, birth_place, profession, address, nationality)


def read_declarant(r: Reader) -> Declarant | None:
    full_name = r.text("full_name", max_length=120)
    relationship = r.choice("relationship", RELATIONSHIPS)
    id_document = r.text("id_document", required=False, max_length=20)
    address = r.text("address", required=False, max_length=200)
    if full_name is None or relationship is None:
        return None
    return Declarant(full_name, relationship, id_document, address)


def read_judgment(r: Reader) -> Judgment | None:
    court = r.text("court", max_length=120)
    number = r.text("number", max_length=40)
    day = r.date("date")
    if court is None or number is None or day is None:
        return None
    return Judgment(court, number, day)


def read_birth(data: object) -> BirthDeclaration:
    """Parse a birth declaration; raise InvalidInput naming every bad field."""
    r = Reader(data)
    child_r = r.child("child")
    child = read_names(child_r) if child_r else None
    sex = r.choice("sex", SEXES)
    birth_date = r.date("birth_date")
    birth_time = r.time("birth_time")
    birth_place = r.text("birth_place", max_length=160)
    birth_commune = r.text("birth_commune", required=False, max_length=24)
    father_r = r.child("father", required=False)
    father = read_parent(father_r) if father_r else None
    mother_r = r.child("mother")
    mother = read_parent(mother_r) if mother_r else None
    declarant_r = r.child("declarant")
    declarant = read_declarant(declarant_r) if declarant_r else None
    judgment_r = r.child("judgment", required=False)
    judgment = read_judgment(judgment_r) if judgment_r else None
    contested = r.flag("first_name_contested")
    r.raise_if_invalid()
    return BirthDeclaration(
        child=child, sex=sex, birth_date=birth_date, birth_time=birth_time,  # type: ignore[arg-type]
        birth_place=birth_place, birth_commune=birth_commune, father=father,  # type: ignore[arg-type]
        mother=mother, declarant=declarant, judgment=judgment,  # type: ignore[arg-type]
        first_name_contested=contested,
    )


def read_death(data: object) -> DeathDeclaration:
    """Parse a death declaration; raise InvalidInput naming every bad field."""
    r = Reader(data)
    deceased_r = r.child("deceased")
    deceased = read_names(deceased_r) if deceased_r else None
    sex = r.choice("sex", SEXES)
    birth_date = r.date("birth_date", required=False)
    birth_place = r.text("birth_place", required=False, max_length=160)
    birth_act_ref = r.text("birth_act_ref", required=False, max_length=40)
    civil_id = r.text("civil_id", required=False, max_length=10)
    father_name = r.text("father_name", required=False)
    mother_name = r.text("mother_name", required=False)
    profession = r.text("profession", required=False, max_length=80)
    address = r.text("address", required=False, max_length=200)
    nationality = r.nationality("nationality")
    death_date = r.date("death_date")
    death_time = r.time("death_time")
    death_place = r.text("death_place", max_length=160)
    declarant_r = r.child("declarant")
    declarant = read_declarant(declarant_r) if declarant_r else None
    judgment_r = r.child("judgment", required=False)
    judgment = read_judgment(judgment_r) if judgment_r else None
    r.raise_if_invalid()
    return DeathDeclaration(
        deceased=deceased, sex=sex, birth_date=birth_date, birth_place=birth_place,  # type: ignore[arg-type]
        birth_act_ref=birth_act_ref, civil_id=civil_id, father_name=father_name,
        mother_name=mother_name, profession=profession, address=address,
        nationality=nationality, death_date=death_date, death_time=death_time,  # type: ignore[arg-type]
        death_place=death_place, declarant=declarant, judgment=judgment,  # type: ignore[arg-type]
    )


def read_declaration(kind: str, data: object) -> Declaration:
    """Parse the declaration of an act of ``kind`` (birth or death)."""
    return read_birth(data) if kind == "birth" else read_death(data)


def to_data(value: Any) -> Any:
    """The JSON form of a declaration, as read_* reads it: dates ISO, hours HH:MM."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None:
                continue
            if f.name == "names":  # a parent's names sit beside the rest of the parent
                out.update(to_data(item))
            else:
                out[f.name] = to_data(item)
        return out
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value
