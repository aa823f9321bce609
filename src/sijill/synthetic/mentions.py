"""Synthetic marginal mentions: marriages, divorces, deaths, corrections and the rest."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sijill.domain.folding import fold
from sijill.domain.mentions import MENTION_KINDS, correctable_fields
from sijill.store import geography
from sijill.synthetic import people, places
from sijill.synthetic.names import (
    arabic_variants,
    latin_spelling_variants,
    latin_variants,
)

ANNULMENT_REASONS = (
    "تسجيل مزدوج لنفس الولادة بمكتبين مختلفين",
    "تسجيل الرسم بناء على تصريح ثبتت عدم صحته",
    "تسجيل مكرر لنفس الواقعة بنفس السجل",
    "رسم مسجل خارج الاختصاص الترابي لضابط الحالة المدنية",
)
DIVORCE_KINDS = ("رجعي", "خلعي", "اتفاقي", "قبل البناء")


class MentionMaker:
    """Makes mention dicts in the shape ``read_mention`` reads."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def make(
        self,
        kind: str,
        act_kind: str,
        on: date,
        *,
        holder_sex: str | None = None,
        act: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A mention of ``kind`` for an act of ``act_kind``, its source dated on or before ``on``."""
        if kind not in MENTION_KINDS or act_kind not in MENTION_KINDS[kind].acts:
            raise ValueError(f"no {kind!r} mention on a {act_kind} act")
        sex = holder_sex or str((act or {}).get("sex") or self.rng.choice(("M", "F")))
        region = _region_of(act)
        source_date = on - timedelta(days=int(self.rng.triangular(0, 60, 5)))
        authority = self.rng.choice(MENTION_KINDS[kind].authorities)
        if kind in ("marriage", "divorce") and self.rng.random() < 0.75:
            authority = (
                "adouls" if kind == "marriage" else self.rng.choice(("adouls", "court"))
            )
        if kind == "death" and self.rng.random() < 0.85:
            authority = "officer"
        body = self._body(kind, act_kind, sex, source_date, act)
        reference = self._reference(kind, authority, source_date, region, body)
        return {
            "kind": kind,
            "source": {
                "authority": authority,
                "reference": reference,
                "date": source_date.isoformat(),
            },
            "data": body,
        }

    def _body(
        self,
        kind: str,
        act_kind: str,
        sex: str,
        day: date,
        act: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        if kind in ("marriage", "divorce"):
            return self._union(sex, day)
        if kind == "death":
            return self._death(day, sex, _birth_date(act))
        if kind == "recognition":
            father = people.person_names(
                self.rng,
                "M",
                day.year - self.rng.randint(22, 50),
                people.family_name(self.rng, None),
            )
            return {"father": father}
        if kind == "annulment":
            return {"reason": self.rng.choice(ANNULMENT_REASONS)}
        return self._correction(kind, act_kind, sex, day, act)

    def _union(self, holder_sex: str, day: date) -> dict[str, Any]:
        spouse_sex = "F" if holder_sex == "M" else "M"
        born = day.year - self.rng.randint(20, 45)
        commune = places.random_commune(self.rng)
        body: dict[str, Any] = {
            "spouse": people.person_names(
                self.rng,
                spouse_sex,
                born,
                people.family_name(self.rng, commune.region_code),
            ),
            "event_date": (day - timedelta(days=self.rng.randint(0, 20))).isoformat(),
            "place": places.town_name(commune),
        }
        if self.rng.random() < 0.6:
            body["spouse_birth_act_ref"] = (
                f"{commune.code}/{born}/N/{self.rng.randint(1, 2500)}"
            )
        return body

    def _death(self, day: date, sex: str, born: date | None) -> dict[str, Any]:
        commune = places.random_commune(self.rng)
        death_date = day - timedelta(days=self.rng.randint(0, 20))
        if born is not None and born <= day:
            death_date = max(death_date, born)
        home = places.address(self.rng, commune)
        body: dict[str, Any] = {
            "death_date": death_date.isoformat(),
            "death_place": places.death_place(self.rng, commune, home, sex),
        }
        if self.rng.random() < 0.9:
            number = self.rng.randint(1, 1500)
            body["death_act_ref"] = f"{commune.code}/{day.year}/D/{number}"
        return body

    def _correction(
        self,
        kind: str,
        act_kind: str,
        sex: str,
        day: date,
        act: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        choices = correctable_fields(kind, act_kind)
        if act is not None:
            present = [f for f in choices if _get(act, f) is not None]
            choices = tuple(present) or choices
        field = self.rng.choice(choices)
        current = _get(act, field) if act is not None else None
        value = self._value(field, sex, day, current, act)
        for _ in range(20):  # a correction changes something
            if value != current:
                break
            value = self._value(field, sex, day, None, act)
        return {"field": field, "value": value}

    def _value(
        self,
        field: str,
        sex: str,
        day: date,
        current: Any,
        act: Mapping[str, Any] | None,
    ) -> str:
        if field == "sex":
            return "F" if current == "M" else "M" if current == "F" else sex
        if field.endswith("_date"):
            return self._date_value(field, day, current)
        if field.endswith("_time"):
            return f"{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}"
        if field.endswith(("_ar", "_lat")):
            return self._name_value(field, sex, day, current, act)
        commune = places.random_commune(self.rng)
        if field in ("birth_place", "death_place"):
            return places.birth_place(self.rng, commune)
        return commune.name_ar

    def _date_value(self, field: str, day: date, current: Any) -> str:
        if isinstance(current, str | date):
            known = date.fromisoformat(current) if isinstance(current, str) else current
            shifted = known + timedelta(days=self.rng.choice((-3, -2, -1, 1, 2, 3)))
            return min(shifted, day).isoformat()
        years = 0 if field == "death_date" else self.rng.randint(0, 60)
        return (
            day - timedelta(days=years * 365 + self.rng.randint(0, 364))
        ).isoformat()

    def _name_value(
        self,
        field: str,
        sex: str,
        day: date,
        current: Any,
        act: Mapping[str, Any] | None,
    ) -> str:
        owner = field.split(".")[0]
        owner_sex = {"father": "M", "mother": "F"}.get(owner, sex)
        if isinstance(current, str):
            variant = self._variant(field, current, act)
            if variant:
                return variant
        if "family_name" in field:
            spelled = people.family_name(self.rng, None)
        elif field.endswith("_lat"):
            return self._transcription(owner_sex)
        else:
            spelled = people.first_name(self.rng, owner_sex, day.year - 30)
        return spelled[0] if field.endswith("_ar") else spelled[1]

    def _variant(
        self, field: str, current: str, act: Mapping[str, Any] | None
    ) -> str | None:
        if field.endswith("_ar"):
            options = arabic_variants(current)
        else:
            arabic = _get(act, field.removesuffix("_lat") + "_ar") if act else None
            options = latin_variants(arabic) if isinstance(arabic, str) else []
            options = [o for o in options if fold(o) != fold(current)]
            options = options or latin_spelling_variants(current)
        return self.rng.choice(options) if options else None

    def _transcription(self, sex: str) -> str:
        """A Latin first name that is not the commonest spelling: Mohammed, not Mohamed."""
        for _ in range(20):
            arabic, _latin = people.first_name(self.rng, sex, 1990)
            others = latin_variants(arabic)[1:]
            if others:
                return self.rng.choice(others[:4])
        return "Mohammed"

    def _reference(
        self,
        kind: str,
        authority: str,
        day: date,
        region: str | None,
        body: Mapping[str, Any],
    ) -> str:
        rng, year = self.rng, day.year
        number, page = rng.randint(1, 4800), rng.randint(1, 400)
        if authority == "court":
            what = {
                "divorce": "حكم بالتطليق للشقاق",
                "recognition": "حكم بثبوت النسب",
                "annulment": "حكم بإلغاء رسم",
                "death": "حكم تصريحي بالوفاة",
            }.get(kind, "حكم")
            return f"{what} عدد {number}/{year} - {places.court(rng, region)}"
        if authority == "prosecutor":
            return f"إذن وكيل الملك لدى {places.court(rng, region)} عدد {number}/{year}"
        if authority == "interior":
            return f"مقرر وزارة الداخلية (مديرية الحالة المدنية) عدد {number}/{year}"
        if authority == "consulate":
            return f"{places.consulate(rng)} - عدد {number}/{year}"
        if authority == "officer":
            ref = body.get("death_act_ref") or f"{number}/{year}"
            return f"رسم الوفاة عدد {ref}"
        return self._adoul_reference(kind, number, page, region)

    def _adoul_reference(
        self, kind: str, number: int, page: int, region: str | None
    ) -> str:
        section = places.family_section(self.rng, region)
        what = {"marriage": "رسم زواج", "recognition": "رسم إقرار بالبنوة"}.get(
            kind, f"رسم طلاق {self.rng.choice(DIVORCE_KINDS)}"
        )
        return f"{what} عدد {number} صحيفة {page} - {section}"


def _get(act: Mapping[str, Any] | None, path: str) -> Any:
    node: Any = act
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _birth_date(act: Mapping[str, Any] | None) -> date | None:
    value = (act or {}).get("birth_date")
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value if isinstance(value, date) else None


def _region_of(act: Mapping[str, Any] | None) -> str | None:
    code = (act or {}).get("birth_commune") or (act or {}).get("death_commune")
    commune = geography.lookup(code) if isinstance(code, str) else None
    return commune.region_code if commune else None
