"""What a document says: the summary extract and the full copy of an act.

The extract (نسخة موجزة) shows the act as it stands today — its mentions applied —
with the mentions that change the person's status. The full copy (نسخة كاملة)
reproduces the act as signed and every marginal mention, in order. Each fact has
its Arabic and French label and value, so one content serves every layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sijill.documents.seal import Claims
from sijill.domain.calendars import spell_gregorian, to_hijri
from sijill.domain.labels import (
    ACT_TITLES,
    AUTHORITIES,
    FIELDS,
    RELATIONSHIPS,
    SEXES,
)
from sijill.domain.mentions import MENTION_KINDS
from sijill.services.queries import ActView

DOCUMENT_KINDS = ("extract", "full_copy")
LANGS = ("ar", "fr", "bilingual")
TITLES = {
    ("extract", "birth"): ("نسخة موجزة من رسم الولادة", "Extrait d'acte de naissance"),
    ("extract", "death"): ("نسخة موجزة من رسم الوفاة", "Extrait d'acte de décès"),
    ("full_copy", "birth"): (
        "نسخة كاملة من رسم الولادة",
        "Copie intégrale d'acte de naissance",
    ),
    ("full_copy", "death"): (
        "نسخة كاملة من رسم الوفاة",
        "Copie intégrale d'acte de décès",
    ),
}
# The mentions an extract carries: those that change the person's status.
STATUS_MENTIONS = ("marriage", "divorce", "death", "recognition", "annulment")


@dataclass(frozen=True)
class Line:
    """One fact: its label and its value, in Arabic and in French."""

    label_ar: str
    label_fr: str
    value_ar: str
    value_fr: str


@dataclass(frozen=True)
class Section:
    """A titled group of facts (the child, the father, the marginal mentions…)."""

    title_ar: str
    title_fr: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Issue:
    """Who issues the document, where, when, under which number."""

    number: str
    issued_on: date
    office_code: str
    office_ar: str
    office_fr: str
    officer_ar: str
    officer_fr: str


@dataclass(frozen=True)
class DocumentContent:
    """Everything a document shows, in both languages, ready to be laid out."""

    kind: str
    act_kind: str
    ref: str
    title_ar: str
    title_fr: str
    issue: Issue
    sections: tuple[Section, ...]
    notes: tuple[Line, ...] = ()


def _field(key: str, value_ar: str, value_fr: str | None = None) -> Line:
    ar, fr = FIELDS.get(key, (key, key))
    return Line(ar, fr, value_ar, value_ar if value_fr is None else value_fr)


def _day(iso: object) -> tuple[str, str]:
    day = iso if isinstance(iso, date) else date.fromisoformat(str(iso))
    return spell_gregorian(day, "ar"), spell_gregorian(day, "fr")


def _day_with_hijri(iso: str) -> tuple[str, str]:
    day = date.fromisoformat(iso)
    ar, fr = _day(day)
    hijri = to_hijri(day)
    if hijri is not None:
        ar += f" الموافق {hijri.spelled('ar')}"
        fr += f" ({hijri.spelled('fr')})"
    return ar, fr


def _names(person: Mapping[str, Any]) -> list[Line]:
    lines = [
        _field(
            "names_ar", f"{person['first_name_ar']} {person['family_name_ar']}".strip()
        ),
        _field(
            "names_lat",
            f"{person['first_name_lat']} {person['family_name_lat']}".strip(),
        ),
    ]
    if person.get("first_name_tfng"):
        tfng = f"{person['first_name_tfng']} {person.get('family_name_tfng') or ''}"
        lines.append(_field("names_tfng", tfng.strip()))
    return lines


def _person(person: Mapping[str, Any], *, full: bool) -> list[Line]:
    lines = _names(person)
    if full:
        if person.get("birth_date"):
            lines.append(_field("birth_date", *_day(person["birth_date"])))
        for key in ("birth_place", "profession", "address", "nationality"):
            if person.get(key):
                lines.append(_field(key, str(person[key])))
    return lines


def _section(key: str, lines: list[Line]) -> Section:
    ar, fr = FIELDS.get(key, (key, key))
    return Section(ar, fr, tuple(lines))


def _birth_sections(data: Mapping[str, Any], *, full: bool) -> list[Section]:
    facts = [
        _field("sex", *(SEXES.get(data["sex"], (data["sex"], data["sex"])))),
        _field("birth_date", *_day_with_hijri(data["birth_date"])),
    ]
    if full and data.get("birth_time"):
        facts.append(_field("birth_time", str(data["birth_time"])))
    facts.append(_field("birth_place", str(data["birth_place"])))
    sections = [_section("child", _names(data["child"]) + facts)]
    if data.get("father"):
        sections.append(_section("father", _person(data["father"], full=full)))
    if data.get("mother"):
        sections.append(_section("mother", _person(data["mother"], full=full)))
    return sections


def _death_sections(data: Mapping[str, Any], *, full: bool) -> list[Section]:
    lines = [
        *_names(data["deceased"]),
        _field("sex", *(SEXES.get(data["sex"], (data["sex"], data["sex"])))),
        _field("death_date", *_day_with_hijri(data["death_date"])),
    ]
    if full and data.get("death_time"):
        lines.append(_field("death_time", str(data["death_time"])))
    lines.append(_field("death_place", str(data["death_place"])))
    if data.get("birth_date"):
        lines.append(_field("birth_date", *_day(data["birth_date"])))
    keys = ["birth_place", "father_name", "mother_name"]
    if full:
        keys += ["nationality", "profession", "address", "birth_act_ref"]
    lines += [_field(k, str(data[k])) for k in keys if data.get(k)]
    return [_section("deceased", lines)]


def _declaration_sections(
    view: ActView, signers: Mapping[str, tuple[str, str]]
) -> list[Section]:
    data = view.data
    declarant = data.get("declarant") or {}
    relation = declarant.get("relationship", "")
    sections = [
        _section(
            "declarant",
            [
                _field("full_name", str(declarant.get("full_name", ""))),
                _field("relationship", *RELATIONSHIPS.get(relation, (relation,) * 2)),
            ],
        )
    ]
    judgment = data.get("judgment")
    if judgment:
        day_ar, day_fr = _day(judgment["date"])
        sections.append(
            _section(
                "judgment",
                [
                    _field("court", str(judgment["court"])),
                    _field("number", str(judgment["number"])),
                    _field("date", day_ar, day_fr),
                ],
            )
        )
    signer = signers.get(view.signed_by, (view.signed_by, view.signed_by))
    sections.append(
        Section(
            "التوقيع",
            "Signature",
            (
                Line("ضابط الحالة المدنية", "Officier", *signer),
                Line("تاريخ التوقيع", "Signé le", *_day(view.signed_at[:10])),
            ),
        )
    )
    return sections


def _spouse(spouse: Mapping[str, Any] | None) -> tuple[str, str]:
    if not spouse:
        return "", ""
    return (
        f"{spouse['first_name_ar']} {spouse['family_name_ar']}",
        f"{spouse['first_name_lat']} {spouse['family_name_lat']}",
    )


def _field_name(path: str) -> tuple[str, str]:
    parts = path.split(".")
    ar, fr = FIELDS.get(parts[-1], (parts[-1], parts[-1]))
    if len(parts) > 1:
        who_ar, who_fr = FIELDS.get(parts[0], (parts[0], parts[0]))
        return f"{ar} ({who_ar})", f"{fr} ({who_fr.lower()})"
    return ar, fr


def describe_mention(mention: Mapping[str, Any]) -> tuple[str, str]:
    """What a marginal mention says, in Arabic and in French."""
    kind, body = mention["kind"], mention["data"]
    if kind in ("marriage", "divorce"):
        ar, fr = _spouse(body.get("spouse"))
        on_ar, on_fr = _day(body["event_date"])
        word_ar = "زواج مع" if kind == "marriage" else "طلاق من"
        word_fr = "Marié(e) avec" if kind == "marriage" else "Divorcé(e) de"
        text_ar, text_fr = (
            f"{word_ar} {ar} بتاريخ {on_ar}",
            f"{word_fr} {fr} le {on_fr}",
        )
        if body.get("place"):
            text_ar += f" في {body['place']}"
            text_fr += f" à {body['place']}"
        return text_ar, text_fr
    if kind == "death":
        on_ar, on_fr = _day(body["death_date"])
        return (
            f"وفاة بتاريخ {on_ar} في {body['death_place']}",
            f"Décédé(e) le {on_fr} à {body['death_place']}",
        )
    if kind == "recognition":
        ar, fr = _spouse(body.get("father"))
        return f"إقرار بالبنوة من طرف {ar}", f"Reconnu(e) par {fr}"
    if kind == "annulment":
        return f"ألغي الرسم: {body['reason']}", f"Acte annulé : {body['reason']}"
    name_ar, name_fr = _field_name(str(body["field"]))
    value = body["value"]
    value_ar, value_fr = (
        _day(value) if str(body["field"]).endswith("_date") else (str(value),) * 2
    )
    return f"{name_ar}: {value_ar}", f"{name_fr} : {value_fr}"


def _mention_line(mention: Mapping[str, Any], *, full: bool) -> Line:
    kind = MENTION_KINDS[mention["kind"]]
    text_ar, text_fr = describe_mention(mention)
    if full:
        authority_ar, authority_fr = AUTHORITIES.get(
            mention["authority"], (mention["authority"],) * 2
        )
        on_ar, on_fr = _day(mention["source_date"])
        text_ar += f" — {authority_ar}، {mention['source_ref']}، {on_ar}"
        text_fr += f" — {authority_fr}, {mention['source_ref']}, {on_fr}"
    return Line(
        f"{mention['seq']}. {kind.label_ar}",
        f"{mention['seq']}. {kind.label_fr.capitalize()}",
        text_ar,
        text_fr,
    )


def _mentions(view: ActView, *, full: bool) -> Section:
    chosen = [m for m in view.mentions if full or m["kind"] in STATUS_MENTIONS]
    lines = tuple(_mention_line(m, full=full) for m in chosen) or (
        Line("—", "—", "لا توجد بيانات هامشية", "Aucune mention marginale"),
    )
    return Section("البيانات الهامشية", "Mentions marginales", lines)


def _act_lines(view: ActView, issue: Issue) -> Section:
    act_ar, act_fr = ACT_TITLES[view.kind]
    lines = [
        Line("رقم الوثيقة", "N° du document", issue.number, issue.number),
        Line("مرجع الرسم", "Référence de l'acte", view.ref, view.ref),
    ]
    if view.civil_id:
        lines.append(_field("civil_id", view.civil_id))
    return Section(act_ar, act_fr, tuple(lines))


def build_content(
    view: ActView,
    *,
    kind: str,
    issue: Issue,
    signers: Mapping[str, tuple[str, str]] | None = None,
) -> DocumentContent:
    """The extract (the act today, status mentions) or the full copy (all, in order)."""
    full = kind == "full_copy"
    data = view.data if full else view.current
    sections = [_act_lines(view, issue)]
    if view.kind == "birth":
        sections += _birth_sections(data, full=full)
    else:
        sections += _death_sections(data, full=full)
    if full:
        sections += _declaration_sections(view, signers or {})
    sections.append(_mentions(view, full=full))
    title_ar, title_fr = TITLES[(kind, view.kind)]
    return DocumentContent(
        kind, view.kind, view.ref, title_ar, title_fr, issue, tuple(sections)
    )


def _joined(person: Mapping[str, Any] | None) -> str:
    if not person:
        return ""
    return (
        f"{person.get('first_name_ar', '')} {person.get('family_name_ar', '')}".strip()
    )


def claims_of(view: ActView, *, kind: str, issue: Issue) -> Claims:
    """The key data the seal vouches for, taken from the act as it stands today."""
    data = view.current
    if view.kind == "birth":
        person, event = data["child"], data["birth_date"]
        father, mother = _joined(data.get("father")), _joined(data.get("mother"))
    else:
        person, event = data["deceased"], data["death_date"]
        father, mother = data.get("father_name") or "", data.get("mother_name") or ""
    status = data.get("status") or {}
    return Claims(
        number=issue.number,
        kind=kind,
        ref=view.ref,
        office=issue.office_code,
        issued_on=issue.issued_on.isoformat(),
        names=(
            person["first_name_ar"],
            person["family_name_ar"],
            person["first_name_lat"],
            person["family_name_lat"],
        ),
        event_date=str(event),
        sex=str(data["sex"]),
        father=father,
        mother=mother,
        civil_id=view.civil_id,
        deceased_on=status.get("deceased"),
    )
