"""The declaration forms of the pages: their fields, what was typed read back into a
declaration, and the refusals of the core placed next to the field they concern.

A field's name is the path the core's rules name (``child.first_name_lat``), so a
violation finds its field without a table of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from sijill.domain.acts import RELATIONSHIPS, SEXES
from sijill.domain.errors import InvalidInput
from sijill.domain.labels import FIELDS
from sijill.domain.labels import RELATIONSHIPS as RELATIONSHIP_LABELS
from sijill.domain.labels import SEXES as SEX_LABELS


@dataclass(frozen=True)
class Field:
    """One input: its path in the declaration, its kind and how it is written."""

    name: str
    kind: str = "text"  # text | date | time | select | checkbox
    required: bool = False
    ltr: bool = False  # Latin letters, codes and numbers read left to right
    choices: tuple[tuple[str, tuple[str, str]], ...] = ()
    maxlength: int = 120

    @property
    def key(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def label(self, lang: str) -> str:
        pair = FIELDS.get(self.key, (self.key, self.key))
        return pair[0] if lang == "ar" else pair[1]


@dataclass(frozen=True)
class Section:
    """A group of fields: a person, the event, the declarant. ``optional`` sections
    (the father, a judgment) are left out of the declaration when nothing is typed."""

    name: str
    fields: tuple[Field, ...]
    optional: bool = False
    hint: tuple[str, str] | None = None
    title: tuple[str, str] | None = None

    def label(self, lang: str) -> str:
        pair = self.title or FIELDS.get(self.name, (self.name, self.name))
        return pair[0] if lang == "ar" else pair[1]


def _names(prefix: str, *, tifinagh: bool = False) -> tuple[Field, ...]:
    fields: tuple[Field, ...] = (
        Field(f"{prefix}.first_name_ar", required=True, maxlength=60),
        Field(f"{prefix}.family_name_ar", required=True, maxlength=60),
        Field(f"{prefix}.first_name_lat", required=True, ltr=True, maxlength=60),
        Field(f"{prefix}.family_name_lat", required=True, ltr=True, maxlength=60),
    )
    if tifinagh:
        fields += (
            Field(f"{prefix}.first_name_tfng", ltr=True, maxlength=60),
            Field(f"{prefix}.family_name_tfng", ltr=True, maxlength=60),
        )
    return fields


def _parent(prefix: str) -> tuple[Field, ...]:
    return (
        *_names(prefix),
        Field(f"{prefix}.birth_date", kind="date", ltr=True),
        Field(f"{prefix}.birth_place"),
        Field(f"{prefix}.profession", maxlength=80),
        Field(f"{prefix}.address", maxlength=200),
        Field(f"{prefix}.nationality", required=True, ltr=True, maxlength=2),
    )


_SEX = tuple((s, SEX_LABELS[s]) for s in SEXES)
_RELATIONSHIP = tuple((r, RELATIONSHIP_LABELS[r]) for r in RELATIONSHIPS)
_DECLARANT = Section(
    "declarant",
    (
        Field("declarant.full_name", required=True),
        Field(
            "declarant.relationship",
            kind="select",
            required=True,
            choices=_RELATIONSHIP,
        ),
        Field("declarant.id_document", ltr=True, maxlength=20),
        Field("declarant.address", maxlength=200),
    ),
)
_JUDGMENT = Section(
    "judgment",
    (
        Field("judgment.court"),
        Field("judgment.number", ltr=True, maxlength=40),
        Field("judgment.date", kind="date", ltr=True),
    ),
    optional=True,
    hint=(
        "بعد أجل 30 يوما لا يسجل التصريح إلا بحكم تصريحي.",
        "Au-delà de 30 jours, la déclaration n'est reçue que sur jugement déclaratif.",
    ),
)
NAME_RULES = (
    "الاسم الشخصي بالعربية وبالحروف اللاتينية كما سيسجل. لا يجوز أن يكون اسما عائليا، "
    "ولا أكثر من اسمين، ولا اسم مكان أو قبيلة، ولا لقبا (مولاي، سيدي، لالة)، ولا أن "
    "يتضمن أرقاما أو ما يخل بالآداب (المرسوم 2.22.04). إذا نازعت الأسرة في رفض الاسم، "
    "يقبل مؤقتا إلى أن تبت اللجنة العليا للحالة المدنية.",
    "Le prénom, en arabe et en lettres latines, tel qu'il sera inscrit. Il ne peut "
    "être ni un nom de famille, ni compter plus de deux prénoms, ni être un nom de lieu "
    "ou de tribu, ni un titre (Moulay, Sidi, Lalla), ni contenir de chiffres ou "
    "offenser (décret 2.22.04). Si la famille conteste un refus, le prénom est accepté "
    "à titre provisoire jusqu'à la décision de la Haute commission de l'état civil.",
)

BIRTH_FORM: tuple[Section, ...] = (
    Section(
        "child",
        (
            *_names("child", tifinagh=True),
            Field("sex", kind="select", required=True, choices=_SEX),
            Field("birth_date", kind="date", required=True, ltr=True),
            Field("birth_time", kind="time", required=True, ltr=True),
            Field("birth_place", required=True, maxlength=160),
            Field("birth_commune", ltr=True, maxlength=24),
            Field("first_name_contested", kind="checkbox"),
        ),
        hint=NAME_RULES,
    ),
    Section("father", _parent("father"), optional=True),
    Section("mother", _parent("mother")),
    _DECLARANT,
    _JUDGMENT,
)
DEATH_FORM: tuple[Section, ...] = (
    Section(
        "deceased",
        (
            *_names("deceased"),
            Field("sex", kind="select", required=True, choices=_SEX),
            Field("birth_date", kind="date", ltr=True),
            Field("birth_place", maxlength=160),
            Field("birth_act_ref", ltr=True, maxlength=40),
            Field("civil_id", ltr=True, maxlength=10),
            Field("father_name"),
            Field("mother_name"),
            Field("profession", maxlength=80),
            Field("address", maxlength=200),
            Field("nationality", required=True, ltr=True, maxlength=2),
        ),
    ),
    Section(
        "death",
        (
            Field("death_date", kind="date", required=True, ltr=True),
            Field("death_time", kind="time", required=True, ltr=True),
            Field("death_place", required=True, maxlength=160),
        ),
        title=("الوفاة", "Le décès"),
    ),
    _DECLARANT,
    _JUDGMENT,
)
FORMS = {"birth": BIRTH_FORM, "death": DEATH_FORM}


def _with_required_judgment(form: tuple[Section, ...]) -> tuple[Section, ...]:
    judgment = dataclasses.replace(
        _JUDGMENT,
        optional=False,
        hint=None,
        title=("الحكم التصريحي", "Le jugement déclaratif"),
        fields=tuple(dataclasses.replace(f, required=True) for f in _JUDGMENT.fields),
    )
    return tuple(judgment if s is _JUDGMENT else s for s in form)


# A court's declaratory judgment: the declaration it orders registered, judgment first
# among the refusals' concerns (the same fields, so refusals find them).
DECLARATORY_FORMS = {kind: _with_required_judgment(f) for kind, f in FORMS.items()}
DEFAULTS = {
    "birth": {"father.nationality": "MA", "mother.nationality": "MA"},
    "death": {"nationality": "MA"},
}


def typed(form: Mapping[str, Any], kind: str) -> dict[str, str]:
    """What was typed in the fields of the ``kind`` form, as typed (nothing else)."""
    values = {}
    for section in FORMS[kind]:
        for f in section.fields:
            value = form.get(f.name)
            if isinstance(value, str) and value != "":
                values[f.name] = value
    return values


def declaration(values: Mapping[str, str], kind: str) -> dict[str, Any]:
    """The declaration the core reads, built from the typed values.

    An optional section with nothing typed in it (the father unknown, no judgment)
    is left out; a required one is always there, so its empty fields are named.
    """
    data: dict[str, Any] = {}
    for section in FORMS[kind]:
        names = [f.name for f in section.fields if f.kind != "checkbox"]
        if section.optional and not any(values.get(n, "").strip() for n in names):
            continue
        for f in section.fields:
            if f.kind == "checkbox":
                _put(data, f.name, values.get(f.name) in ("on", "true", "1"))
            elif f.name in values:
                _put(data, f.name, values[f.name])
            elif "." in f.name:
                _put(data, f.name.rsplit(".", 1)[0], None, parent_only=True)
    return data


def _put(
    data: dict[str, Any], path: str, value: Any, parent_only: bool = False
) -> None:
    keys = path.split(".")
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    if parent_only:
        node.setdefault(keys[-1], {})
    else:
        node[keys[-1]] = value


def prefill(data: Mapping[str, Any], kind: str) -> dict[str, str]:
    """The typed values that show a declaration (a pre-declaration's, to complete)."""
    values: dict[str, str] = {}
    for section in FORMS[kind]:
        for f in section.fields:
            node: Any = data
            for key in f.name.split("."):
                node = node.get(key) if isinstance(node, Mapping) else None
            if isinstance(node, bool):
                values[f.name] = "on" if node else ""
            elif isinstance(node, str | int):
                values[f.name] = str(node)
    return values


@dataclass(frozen=True)
class Refusal:
    """The core's refusal of a form: messages by field, and the whole list, each
    message with the name of the field it concerns (for the summary at the top)."""

    by_field: dict[str, list[str]]
    summary: list[tuple[str, str]]  # (field, "where: message"), in the core's order


def refusal(error: InvalidInput, lang: str, kind: str | None = None) -> Refusal:
    """The violations of ``error`` in ``lang``, each placed at its field or section."""
    where: dict[str, str] = {}
    for section in FORMS.get(kind or "", ()):
        where[section.name] = section.label(lang)
        for f in section.fields:
            where[f.name] = f"{section.label(lang)} — {f.label(lang)}"
    by_field: dict[str, list[str]] = {}
    summary: list[tuple[str, str]] = []
    for v in error.violations:
        message = v.message(lang)
        by_field.setdefault(v.field, []).append(message)
        name = where.get(v.field) or label_of(v.field, lang)
        summary.append((v.field, f"{name}: {message}"))
    return Refusal(by_field, summary)


def label_of(name: str, lang: str) -> str:
    """The words for a field outside the declaration forms (search, a reason)."""
    pair = FIELDS.get(name.rsplit(".", 1)[-1])
    return name if pair is None else (pair[0] if lang == "ar" else pair[1])


def field_id(name: str) -> str:
    """The HTML id of a field: dots read as selectors, so they become dashes."""
    return "f-" + name.replace(".", "-")


def answered(
    page: Callable[..., Response],
    request: Any,
    name: str,
    context: Mapping[str, Any],
    refused: Refusal | None = None,
) -> Response:
    """A form's page: with a refusal, its messages placed by field (``refused``,
    ``errors``) and the status 422; everything typed is in ``context``."""
    response = page(
        request,
        name,
        {**context, "refused": refused, "errors": refused.by_field if refused else {}},
    )
    if refused is not None:
        response.status_code = 422
    return response
