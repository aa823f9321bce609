"""Where synthetic events happen: offices, hospitals, homes, courts and consulates."""

from __future__ import annotations

import itertools
import random
from functools import cache

from sijill.store import geography
from sijill.store.geography import Commune

# Courts of first instance by region code ("ب" + city gives "المحكمة الابتدائية بفاس").
COURT_CITIES: dict[str, tuple[str, ...]] = {
    "01": ("طنجة", "تطوان", "الحسيمة", "العرائش", "القصر الكبير", "شفشاون", "وزان"),
    "02": ("وجدة", "الناظور", "بركان", "تاوريرت", "جرسيف", "بوعرفة"),
    "03": ("فاس", "مكناس", "تازة", "صفرو", "تاونات", "الحاجب", "أزرو", "ميسور"),
    "04": (
        "الرباط",
        "سلا",
        "القنيطرة",
        "تمارة",
        "الخميسات",
        "سيدي قاسم",
        "سيدي سليمان",
    ),
    "05": ("بني ملال", "خريبكة", "خنيفرة", "أزيلال", "الفقيه بن صالح", "وادي زم"),
    "06": (
        "الدار البيضاء",
        "المحمدية",
        "الجديدة",
        "سطات",
        "برشيد",
        "بنسليمان",
        "سيدي بنور",
    ),
    "07": (
        "مراكش",
        "آسفي",
        "الصويرة",
        "قلعة السراغنة",
        "ابن جرير",
        "اليوسفية",
        "إمنتانوت",
    ),
    "08": ("الرشيدية", "ورزازات", "زاكورة", "تنغير", "ميدلت", "الريصاني"),
    "09": ("أكادير", "إنزكان", "تارودانت", "تيزنيت", "طاطا", "بيوكرى"),
    "10": ("كلميم", "طانطان", "سيدي إفني"),
    "11": ("العيون", "السمارة"),
    "12": ("الداخلة",),
}
CONSULATE_CITIES = (
    "باريس",
    "مدريد",
    "بروكسل",
    "أمستردام",
    "ميلانو",
    "برشلونة",
    "ليون",
    "مونريال",
    "فرانكفورت",
    "دبي",
)
FOREIGN_BIRTH_CITIES: dict[str, tuple[str, ...]] = {
    "DZ": ("وهران", "تلمسان", "الجزائر"),
    "TN": ("تونس", "صفاقس"),
    "FR": ("باريس", "ليون", "مرسيليا"),
    "ES": ("مدريد", "برشلونة", "مالقة"),
    "SN": ("دكار", "تييس"),
    "EG": ("القاهرة", "الإسكندرية"),
    "SY": ("دمشق", "حلب"),
    "BE": ("بروكسل", "أنتويرب"),
    "NL": ("أمستردام", "روتردام"),
}
URBAN_BIRTH_PLACES = (
    ("المستشفى الإقليمي", 30),
    ("المركز الاستشفائي الجامعي", 12),
    ("مستشفى القرب", 8),
    ("مصحة الولادة", 18),
    ("مصحة الشفاء", 6),
    ("دار الولادة", 10),
    ("المركز الصحي الحضري", 6),
    ("بمنزل الوالدين", 4),
)
RURAL_BIRTH_PLACES = (
    ("دار الولادة", 45),
    ("المركز الصحي القروي", 20),
    ("بمنزل الوالدين", 35),
)
QUARTERS = (
    "حي السلام",
    "حي الرحمة",
    "حي المسيرة",
    "حي النهضة",
    "حي الأمل",
    "حي القدس",
    "حي الفتح",
    "حي الانبعاث",
    "حي النصر",
    "حي الوحدة",
    "حي المحيط",
    "حي الأندلس",
    "حي الرياض",
    "حي الزيتون",
    "حي الوفاق",
    "حي الإدريسية",
    "المدينة القديمة",
    "حي الأطلس",
    "حي المنار",
    "حي الهناء",
)
DOUARS = (
    "أولاد علي",
    "آيت عمر",
    "أولاد بوزيد",
    "تيغزى",
    "إمي نتالا",
    "أولاد سالم",
    "آيت بوكماز",
    "الكريمات",
    "أولاد حمو",
    "تافراوت أوفلا",
    "آيت يحيى",
    "أولاد عيسى",
    "إغرم",
    "تاسيلا",
    "أولاد الطيب",
    "آيت الحاج",
)
STREET_KINDS = ("زنقة", "زنقة", "شارع", "درب", "ممر")
# Plausible letters of the national identity card (CIN) by region; not an exact table.
CIN_PREFIXES: dict[str, tuple[str, ...]] = {
    "01": ("K", "KB", "L", "LC", "R"),
    "02": ("F", "FA", "FB", "S", "SA"),
    "03": ("C", "CB", "CD", "D", "DA", "Z"),
    "04": ("A", "AB", "AD", "AE", "G", "X"),
    "05": ("I", "IA", "Q", "V"),
    "06": ("B", "BE", "BH", "BJ", "BK", "M", "W"),
    "07": ("E", "EE", "EA", "H", "HA"),
    "08": ("U", "UA", "P", "PA"),
    "09": ("J", "JA", "JB", "JC", "JE"),
    "10": ("JY", "JT"),
    "11": ("SH", "SJ"),
    "12": ("VA", "VB"),
}
PROFESSIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "M_urban": (
        ("موظف", 14),
        ("تاجر", 12),
        ("عامل", 12),
        ("مستخدم", 10),
        ("سائق", 7),
        ("حرفي", 6),
        ("بناء", 6),
        ("أستاذ", 5),
        ("تقني", 5),
        ("مهندس", 3),
        ("طبيب", 1),
        ("ممرض", 2),
        ("دركي", 1),
        ("شرطي", 2),
        ("جندي", 2),
        ("نجار", 2),
        ("حلاق", 2),
        ("بدون", 3),
        ("متقاعد", 3),
    ),
    "M_rural": (
        ("فلاح", 40),
        ("عامل فلاحي", 15),
        ("راعي", 5),
        ("تاجر", 8),
        ("بناء", 8),
        ("سائق", 5),
        ("مياوم", 8),
        ("حرفي", 3),
        ("معلم", 3),
        ("بحار", 2),
        ("بدون", 3),
    ),
    "F_urban": (
        ("ربة بيت", 45),
        ("بدون", 10),
        ("موظفة", 9),
        ("مستخدمة", 8),
        ("أستاذة", 6),
        ("عاملة", 8),
        ("ممرضة", 3),
        ("خياطة", 4),
        ("تقنية", 3),
        ("طبيبة", 1),
        ("مهندسة", 1),
        ("حلاقة", 2),
    ),
    "F_rural": (
        ("ربة بيت", 60),
        ("بدون", 15),
        ("فلاحة", 12),
        ("عاملة فلاحية", 8),
        ("معلمة", 2),
        ("خياطة", 3),
    ),
}
RETIRED = {"M": "متقاعد", "F": "متقاعدة"}


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    """One value of (value, weight) pairs."""
    values, weights = zip(*pairs, strict=True)
    return str(rng.choices(values, weights=weights)[0])


@cache
def office_communes() -> tuple[Commune, ...]:
    """Communes that run their own office (a divided commune's office is per arrondissement)."""
    every = geography.communes()
    divided = {c.commune_code for c in every if c.kind == "arrondissement"}
    return tuple(c for c in every if c.code not in divided)


@cache
def _population_cumulative() -> list[int]:
    weights = (max(c.population_2024, 500) for c in office_communes())
    return list(itertools.accumulate(weights))


@cache
def _by_province() -> dict[str, tuple[Commune, ...]]:
    found: dict[str, list[Commune]] = {}
    for commune in office_communes():
        found.setdefault(commune.province_code, []).append(commune)
    return {code: tuple(items) for code, items in found.items()}


def random_commune(rng: random.Random) -> Commune:
    """A commune with an office, drawn in proportion to its population."""
    return rng.choices(office_communes(), cum_weights=_population_cumulative())[0]


def nearby_commune(rng: random.Random, home: Commune) -> Commune:
    """Where someone living in ``home`` was born: there, nearby, or anywhere."""
    draw = rng.random()
    if draw < 0.5:
        return home
    if draw < 0.75:
        return rng.choice(_by_province()[home.province_code])
    return random_commune(rng)


def town_name(commune: Commune) -> str:
    """The Arabic name of the town: an arrondissement's city, or the commune itself."""
    if commune.kind == "arrondissement":
        parent = geography.lookup(commune.commune_code)
        return parent.name_ar if parent else commune.name_ar
    return commune.name_ar


def birth_place(rng: random.Random, commune: Commune) -> str:
    """A maternity, hospital or home in ``commune``, as written on a birth act."""
    places = URBAN_BIRTH_PLACES if commune.setting == "urban" else RURAL_BIRTH_PLACES
    kind = weighted(rng, places)
    if kind == "بمنزل الوالدين":
        return f"بمنزل الوالدين، {commune.name_ar}"
    return f"{kind} - {town_name(commune)}"


def is_facility(place: str) -> bool:
    """Whether a birth or death place is a hospital, clinic or maternity (not a home)."""
    return not place.startswith(("بمنزل", "بالطريق"))


def death_place(rng: random.Random, commune: Commune, address: str, sex: str) -> str:
    """A hospital or the home (his or hers) where a death happened in ``commune``."""
    draw = rng.random()
    hospital = 0.6 if commune.setting == "urban" else 0.15
    if draw < hospital:
        urban = ("المستشفى الإقليمي", "المركز الاستشفائي", "مصحة خاصة")
        kind = (
            rng.choice(urban) if commune.setting == "urban" else "المركز الصحي القروي"
        )
        return f"{kind} - {town_name(commune)}"
    if draw < 0.96:
        home = "بمنزله" if sex == "M" else "بمنزلها"
        return f"{home}: {address}"[:160]
    return f"بالطريق العمومية، {commune.name_ar}"


def address(rng: random.Random, commune: Commune) -> str:
    """A home address in ``commune``: a street number in town, a douar in the country."""
    if commune.setting == "rural":
        return f"دوار {rng.choice(DOUARS)}، جماعة {commune.name_ar}"
    number, street = rng.randint(1, 180), rng.randint(1, 60)
    kind = rng.choice(STREET_KINDS)
    return f"رقم {number} {kind} {street} {rng.choice(QUARTERS)}، {town_name(commune)}"


def court(rng: random.Random, region_code: str | None) -> str:
    """A court of first instance, in the region when known."""
    cities = COURT_CITIES.get(region_code or "") or rng.choice(
        list(COURT_CITIES.values())
    )
    return f"المحكمة الابتدائية ب{rng.choice(cities)}"


def family_section(rng: random.Random, region_code: str | None) -> str:
    """The family section of a court of first instance (marriages, divorces)."""
    cities = COURT_CITIES.get(region_code or "") or rng.choice(
        list(COURT_CITIES.values())
    )
    return f"قسم قضاء الأسرة ب{rng.choice(cities)}"


def consulate(rng: random.Random) -> str:
    """A Moroccan consulate general abroad."""
    return f"القنصلية العامة للمملكة المغربية ب{rng.choice(CONSULATE_CITIES)}"


def profession(rng: random.Random, sex: str, setting: str) -> str:
    """A profession as written on an act, by sex and urban/rural setting."""
    return weighted(rng, PROFESSIONS[f"{sex}_{setting}"])


def cin(rng: random.Random, region_code: str) -> str:
    """A national identity card number in the region's plausible format (BK123456)."""
    prefix = rng.choice(CIN_PREFIXES.get(region_code, ("A",)))
    return f"{prefix}{rng.randint(1000, 999999)}"
