"""Gregorian dates as registered, and the Hijri (Umm al-Qura) date derived for the act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hijridate import Gregorian, Hijri

_MONTHS_AR = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
_MONTHS_FR = (
    "Mouharram",
    "Safar",
    "Rabii al-awal",
    "Rabii at-tani",
    "Joumada al-oula",
    "Joumada al-akhira",
    "Rajab",
    "Chaabane",
    "Ramadan",
    "Chawwal",
    "Dou al-qiida",
    "Dou al-hijja",
)
_GREGORIAN_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)
_GREGORIAN_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@dataclass(frozen=True)
class HijriDate:
    """A day of the Umm al-Qura calendar."""

    year: int
    month: int
    day: int

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def spelled(self, lang: str) -> str:
        months = _MONTHS_AR if lang == "ar" else _MONTHS_FR
        suffix = "هـ" if lang == "ar" else "H"
        return f"{self.day} {months[self.month - 1]} {self.year} {suffix}"


def to_hijri(day: date) -> HijriDate | None:
    """The Hijri date of ``day``, or None outside the Umm al-Qura tables (1924–2077)."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return None
    return HijriDate(hijri.year, hijri.month, hijri.day)


def spell_gregorian(day: date, lang: str) -> str:
    """``day`` written as on an act: 5 مارس 2024 / 5 mars 2024."""
    months = _GREGORIAN_AR if lang == "ar" else _GREGORIAN_FR
    return f"{day.day} {months[day.month - 1]} {day.year}"


def from_hijri(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a Hijri date, or None if it is not a day of the tables."""
    try:
        day_ = Hijri(year, month, day).to_gregorian()
    except (OverflowError, ValueError):
        return None
    return date(day_.year, day_.month, day_.day)
