"""Birth and death declarations: what decree art. 18 asks an act to hold."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar

from sijill.domain.parse import Reader

SEXES = ("M", "F")
RELATIONSHIPS = (
    "father",
    "mother",
    "grandparent",
    "sibling",
    "relative",
    "spouse",
    "child",
    "doctor",
    "midwife",
    "hospital",
    "local_authority",
    "prosecutor",
    "other",
)
KINDS = ("birth", "death")
T = TypeVar("T")


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


def read_names(r: Reader) -> Names:
    """A person's names: Arabic and Latin required, Tifinagh optional."""
    return Names(
        first_name_ar=r.text("first_name_ar", script="arabic", max_length=60),
        family_name_ar=r.text("family_name_ar", script="arabic", max_length=60),
        first_name_lat=r.text("first_name_lat", script="latin", max_length=60),
        family_name_lat=r.text("family_name_lat", script="latin", max_length=60),
        first_name_tfng=r.optional_text(
            "first_name_tfng", script="tifinagh", max_length=60
        ),
        family_name_tfng=r.optional_text(
            "family_name_tfng", script="tifinagh", max_length=60
        ),
    )


def read_parent(r: Reader) -> Parent:
    return Parent(
        names=read_names(r),
        birth_date=r.optional_date("birth_date"),
        birth_place=r.optional_text("birth_place"),
        profession=r.optional_text("profession", max_length=80),
        address=r.optional_text("address", max_length=200),
        nationality=r.nationality("nationality"),
    )


def read_declarant(r: Reader) -> Declarant:
    return Declarant(
        full_name=r.text("full_name", max_length=120),
        relationship=r.choice("relationship", RELATIONSHIPS),
        id_document=r.optional_text("id_document", max_length=20),
        address=r.optional_text("address", max_length=200),
    )


def read_judgment(r: Reader) -> Judgment:
    return Judgment(
        court=r.text("court", max_length=120),
        number=r.text("number", max_length=40),
        date=r.date("date"),
    )


def _part(r: Reader, name: str, read: Callable[[Reader], T]) -> T | None:
    """An optional sub-object, read only when given."""
    child = r.child(name, required=False)
    return read(child) if child is not None else None


def required_part(r: Reader, name: str, read: Callable[[Reader], T]) -> T:
    child = r.child(name) or Reader(
        {}, r.path(name), []
    )  # the absence is already recorded
    return read(child)


def read_birth(data: object) -> BirthDeclaration:
    """Parse a birth declaration; raise InvalidInput naming every bad field."""
    r = Reader(data)
    declaration = BirthDeclaration(
        child=required_part(r, "child", read_names),
        sex=r.choice("sex", SEXES),
        birth_date=r.date("birth_date"),
        birth_time=r.time("birth_time"),
        birth_place=r.text("birth_place", max_length=160),
        birth_commune=r.optional_text("birth_commune", max_length=24),
        father=_part(r, "father", read_parent),
        mother=required_part(r, "mother", read_parent),
        declarant=required_part(r, "declarant", read_declarant),
        judgment=_part(r, "judgment", read_judgment),
        first_name_contested=r.flag("first_name_contested"),
    )
    r.raise_if_invalid()
    return declaration


def read_death(data: object) -> DeathDeclaration:
    """Parse a death declaration; raise InvalidInput naming every bad field."""
    r = Reader(data)
    declaration = DeathDeclaration(
        deceased=required_part(r, "deceased", read_names),
        sex=r.choice("sex", SEXES),
        birth_date=r.optional_date("birth_date"),
        birth_place=r.optional_text("birth_place", max_length=160),
        birth_act_ref=r.optional_text("birth_act_ref", max_length=40),
        civil_id=r.optional_text("civil_id", max_length=10),
        father_name=r.optional_text("father_name"),
        mother_name=r.optional_text("mother_name"),
        profession=r.optional_text("profession", max_length=80),
        address=r.optional_text("address", max_length=200),
        nationality=r.nationality("nationality"),
        death_date=r.date("death_date"),
        death_time=r.time("death_time"),
        death_place=r.text("death_place", max_length=160),
        declarant=required_part(r, "declarant", read_declarant),
        judgment=_part(r, "judgment", read_judgment),
    )
    r.raise_if_invalid()
    return declaration


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
