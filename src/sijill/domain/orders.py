"""Orders of documents by post: what an order asks, who may ask, and where it stands.

A citizen (or a clerk at a counter for the citizen in front of him) orders an extract
or a full copy of a birth act; the office holding the act produces it and hands it to
the post, which carries it to the addressee against ID, or back to the office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sijill.domain.errors import Conflict, InvalidInput, Violation
from sijill.domain.namekeys import SAME, compare

KINDS = ("extract", "full_copy")
LANGS = ("ar", "fr", "bilingual")
MAX_COPIES = 5
# Who the requester is to the person of the act (decree 2-99-665: a full copy goes
# only to the person, ascendants, descendants, spouse, guardian or whom they authorize).
RELATIONSHIPS = (
    "self",
    "parent",
    "child",
    "spouse",
    "guardian",
    "authorized",
    "other",
)
FULL_COPY_RELATIONSHIPS = frozenset(RELATIONSHIPS) - {"other"}
AUTHORIZED_BY_RECORD = {"guardian": "guardianship", "authorized": "authorization"}
MAJORITY = 18
SERVICE_TARGET_DAYS = 7

# Where an order stands, in the order it gets there.
RANK: dict[str, int] = {
    "received": 0,
    "matched": 1,
    "routed": 2,
    "produced": 3,
    "posted": 4,
    "picked_up": 5,
    "in_transit": 6,
    "at_post_office": 7,
    "failed_attempt": 8,
    "delivered": 9,
    "returned_to_sender": 9,
    "returned": 10,
    "rejected": 11,
}
STATUSES = tuple(RANK)
TERMINAL = frozenset({"delivered", "returned", "rejected"})
_RETURNABLE = ("posted", "picked_up", "in_transit", "at_post_office")
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"matched", "rejected"}),
    "matched": frozenset({"routed", "rejected"}),
    "routed": frozenset({"produced"}),
    "produced": frozenset({"posted"}),
    "posted": frozenset({"picked_up", "in_transit", "at_post_office", "returned"}),
    "picked_up": frozenset({"in_transit", "at_post_office", "returned"}),
    "in_transit": frozenset({"at_post_office", "returned"}),
    "at_post_office": frozenset(
        {"delivered", "failed_attempt", "returned_to_sender", "returned"}
    ),
    "failed_attempt": frozenset(
        {"failed_attempt", "delivered", "returned_to_sender", "returned"}
    ),
    "returned_to_sender": frozenset({"returned"}),
    "delivered": frozenset(),
    "returned": frozenset(),
    "rejected": frozenset(),
}
# What the post records; "returned" is recorded by the office when the envelope is back.
POST_STATUSES = (
    "picked_up",
    "in_transit",
    "at_post_office",
    "failed_attempt",
    "delivered",
    "returned_to_sender",
)


def can_move(current: str, new: str) -> bool:
    """Whether an order in ``current`` may move to ``new`` (never backwards)."""
    return new in TRANSITIONS.get(current, frozenset())


def advance(current: str, new: str) -> str:
    """``new`` if the order may move there; Conflict otherwise (a status going back)."""
    if new not in RANK:
        raise InvalidInput(
            [Violation("status", "choice", {"choices": ", ".join(POST_STATUSES)})]
        )
    if not can_move(current, new):
        raise Conflict("order.status_backwards", {"current": current, "new": new})
    return new


# --- what an order asks ----------------------------------------------------------

_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
_ID_NUMBER = re.compile(r"^[A-Z]{1,2}[0-9]{3,8}$")  # CIN (AB123456) or a passport
_POSTCODE_MA = re.compile(r"^[0-9]{5}$")
_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{1,9}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[a-z]{2,24}$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f<>]")
_ACT_REF = re.compile(r"^[A-Z0-9.\-]{1,24}/[0-9]{4}/[ND]/[0-9]{1,7}$")


@dataclass(frozen=True)
class Person:
    """A name as the requester gives it, in Arabic or Latin letters."""

    first_name: str
    family_name: str


@dataclass(frozen=True)
class OrderRequest:
    """An order as asked for, every field checked."""

    idempotency_key: str
    kind: str
    lang: str
    copies: int
    subject: dict[str, Any]
    requester: dict[str, Any]
    delivery: dict[str, Any]
    payment: dict[str, Any]

    @property
    def birth_date(self) -> date:
        return date.fromisoformat(self.subject["birth_date"])

    @property
    def relationship(self) -> str:
        return str(self.requester["relationship"])


class _Reader:
    def __init__(self, raw: object, prefix: str, problems: list[Violation]) -> None:
        self.raw = raw if isinstance(raw, dict) else {}
        self.prefix = prefix
        self.problems = problems
        if not isinstance(raw, dict):
            problems.append(Violation(prefix, "type.object"))

    def text(
        self,
        name: str,
        *,
        required: bool = True,
        max_length: int = 100,
        pattern: re.Pattern[str] | None = None,
        rule: str = "order.format",
    ) -> str | None:
        field = f"{self.prefix}.{name}"
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(Violation(field, "required"))
            return None
        if not isinstance(value, str):
            self.problems.append(Violation(field, "type.text"))
            return None
        value = value.strip()
        if len(value) > max_length:
            self.problems.append(Violation(field, "text.too_long", {"max": max_length}))
        elif _CONTROL.search(value):
            self.problems.append(Violation(field, "text.control_chars"))
        elif pattern is not None and not pattern.match(value):
            self.problems.append(Violation(field, rule))
        else:
            return value
        return None

    def choice(self, name: str, choices: tuple[str, ...], default: str | None) -> str:
        value = self.raw.get(name, default)
        if value not in choices:
            self.problems.append(
                Violation(
                    f"{self.prefix}.{name}", "choice", {"choices": ", ".join(choices)}
                )
            )
            return choices[0]
        return str(value)


def _day(reader: _Reader, name: str) -> str | None:
    text = reader.text(name, max_length=10)
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        reader.problems.append(Violation(f"{reader.prefix}.{name}", "date.format"))
        return None
    if day.year < 1900:
        reader.problems.append(Violation(f"{reader.prefix}.{name}", "date.format"))
        return None
    return day.isoformat()


def _subject(raw: object, problems: list[Violation]) -> dict[str, Any]:
    r = _Reader(raw, "subject", problems)
    subject = {
        "first_name": r.text("first_name", max_length=60),
        "family_name": r.text("family_name", max_length=60),
        "birth_date": _day(r, "birth_date"),
        "father": r.text("father", required=False, max_length=120),
        "mother": r.text("mother", required=False, max_length=120),
        "act_ref": r.text("act_ref", required=False, max_length=48, pattern=_ACT_REF),
    }
    if isinstance(raw, dict) and not subject["father"] and not subject["mother"]:
        problems.append(Violation("subject.father", "order.parent_required"))
    return subject


def _requester(raw: object, problems: list[Violation]) -> dict[str, Any]:
    r = _Reader(raw, "requester", problems)
    requester = {
        "first_name": r.text("first_name", max_length=60),
        "family_name": r.text("family_name", max_length=60),
        "id_number": r.text(
            "id_number", max_length=10, pattern=_ID_NUMBER, rule="order.id_number"
        ),
        "relationship": r.choice("relationship", RELATIONSHIPS, None),
        "authorization": r.text("authorization", required=False, max_length=40),
        "birth_act_ref": r.text(
            "birth_act_ref", required=False, max_length=48, pattern=_ACT_REF
        ),
        "email": r.text(
            "email", required=False, max_length=254, pattern=_EMAIL, rule="order.email"
        ),
        "phone": r.text(
            "phone", required=False, max_length=16, pattern=_PHONE, rule="order.phone"
        ),
    }
    needs = requester["relationship"]
    if needs in AUTHORIZED_BY_RECORD and not requester["authorization"]:
        problems.append(Violation("requester.authorization", "required"))
    if needs == "child" and not requester["birth_act_ref"]:
        problems.append(Violation("requester.birth_act_ref", "required"))
    return {k: v for k, v in requester.items() if v is not None}


def read_address(raw: object, problems: list[Violation]) -> dict[str, Any]:
    """A delivery address in Morocco (5-digit postal code) or abroad, field by field."""
    r = _Reader(raw, "delivery", problems)
    country = r.text("country", max_length=2, pattern=_COUNTRY, rule="order.country")
    code_pattern = _POSTCODE_MA if country == "MA" else _POSTCODE
    address = {
        "addressee": r.text("addressee", max_length=120),
        "addressee_id_number": r.text(
            "addressee_id_number",
            required=False,
            max_length=10,
            pattern=_ID_NUMBER,
            rule="order.id_number",
        ),
        "line1": r.text("line1", max_length=120),
        "line2": r.text("line2", required=False, max_length=120),
        "city": r.text("city", max_length=60),
        "postal_code": r.text(
            "postal_code",
            max_length=10,
            pattern=code_pattern,
            rule="order.postal_code",
        ),
        "country": country,
    }
    if address["city"] and any(ch.isdigit() for ch in address["city"]):
        problems.append(Violation("delivery.city", "order.format"))
    return {k: v for k, v in address.items() if v is not None}


def _payment(raw: object, problems: list[Violation]) -> dict[str, Any]:
    r = _Reader(raw, "payment", problems)
    method = r.choice("method", ("online", "counter"), "online")
    token = r.text("token", required=method == "online", max_length=80)
    return {"method": method, **({"token": token} if token else {})}


def read_order(raw: object) -> OrderRequest:
    """Check every field of an order; InvalidInput names each broken one."""
    problems: list[Violation] = []
    body = raw if isinstance(raw, dict) else {}
    if not isinstance(raw, dict):
        problems.append(Violation("", "type.object"))
    key = body.get("idempotency_key")
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append(Violation("idempotency_key", "order.idempotency_key"))
    kind = body.get("kind", "extract")
    if kind not in KINDS:
        problems.append(Violation("kind", "choice", {"choices": ", ".join(KINDS)}))
    lang = body.get("lang", "bilingual")
    if lang not in LANGS:
        problems.append(Violation("lang", "choice", {"choices": ", ".join(LANGS)}))
    copies = body.get("copies", 1)
    if (
        not isinstance(copies, int)
        or isinstance(copies, bool)
        or not 1 <= copies <= MAX_COPIES
    ):
        problems.append(Violation("copies", "order.copies", {"max": MAX_COPIES}))
    request = OrderRequest(
        idempotency_key=str(key),
        kind=str(kind),
        lang=str(lang),
        copies=copies if isinstance(copies, int) else 1,
        subject=_subject(body.get("subject"), problems),
        requester=_requester(body.get("requester"), problems),
        delivery=read_address(body.get("delivery"), problems),
        payment=_payment(body.get("payment", {"method": "online"}), problems),
    )
    if problems:
        raise InvalidInput(problems)
    return request


# --- who may ask -----------------------------------------------------------------


def same_name(given: str, spellings: list[str]) -> bool:
    """Whether a name as given is the same as one of the act's spellings."""
    return any(compare(given, s).similarity >= SAME for s in spellings if s)


def person_names(person: dict[str, Any] | None) -> list[str]:
    """A person of an act, in both scripts, whole names only."""
    if not person:
        return []
    return [
        f"{person.get('first_name_' + s, '')} {person.get('family_name_' + s, '')}".strip()
        for s in ("ar", "lat")
    ]


def is_person(first: str, family: str, person: dict[str, Any] | None) -> bool:
    """Whether ``first family`` names ``person`` (either script, spelling variants)."""
    return same_name(f"{first} {family}", person_names(person))


def is_minor(born: date, today: date) -> bool:
    """Under 18 on ``today``."""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return years < MAJORITY


def entitlement_problem(
    request: OrderRequest,
    act: dict[str, Any],
    *,
    today: date,
    requester_act: dict[str, Any] | None = None,
) -> str | None:
    """Why the requester may not have this document of ``act`` (None: entitled).

    ``act`` is the birth act as it stands today (mentions applied); ``requester_act``
    the requester's own birth act, when they order as a descendant.
    """
    relationship = request.relationship
    first = str(request.requester.get("first_name"))
    family = str(request.requester.get("family_name"))
    if is_minor(request.birth_date, today) and relationship not in (
        "parent",
        "guardian",
    ):
        return "order.minor_by_parent"
    if request.kind == "extract" and relationship in ("other", "authorized"):
        return None
    if request.kind == "full_copy" and relationship not in FULL_COPY_RELATIONSHIPS:
        return "order.not_entitled"
    if relationship == "self" and not is_person(first, family, act.get("child")):
        return "order.not_entitled"
    if relationship == "parent" and not (
        is_person(first, family, act.get("father"))
        or is_person(first, family, act.get("mother"))
    ):
        return "order.not_entitled"
    if relationship == "spouse":
        status = act.get("status") or {}
        if status.get("marital") != "married" or not is_person(
            first, family, status.get("spouse")
        ):
            return "order.not_entitled"
    if relationship == "child":
        own = requester_act or {}
        child = act.get("child")
        if not own or not is_person(first, family, own.get("child")):
            return "order.not_entitled"
        parents = [own.get("father"), own.get("mother")]
        names = person_names(child)
        if not any(same_name(n, person_names(p)) for p in parents for n in names):
            return "order.not_entitled"
    return None


# --- numbers ---------------------------------------------------------------------

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
ORDER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def s10_check_digit(serial: str) -> int:
    """The check digit of a UPU S10 item number's eight-digit serial."""
    total = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return 5 if check == 11 else 0 if check == 10 else check


def tracking_number(serial: int) -> str:
    """A registered-mail item number (UPU S10): RR, 8 digits, check digit, MA."""
    digits = f"{serial % 10**8:08d}"
    return f"RR{digits}{s10_check_digit(digits)}MA"


def is_tracking_number(text: str) -> bool:
    """Whether ``text`` is a well-formed S10 number with the right check digit."""
    if not re.match(r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$", text):
        return False
    return s10_check_digit(text[2:10]) == int(text[10])


def is_id_number(text: str) -> bool:
    """Whether ``text`` reads as an identity card or passport number (AB123456)."""
    return bool(_ID_NUMBER.match(text))


def is_order_number(text: str) -> bool:
    """Whether ``text`` is shaped like an order number (SJ-XXXX-XXXX-XX)."""
    return bool(re.match(r"^SJ-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$", text))
