"""Moroccan names for synthetic acts, and the spelling variants clerks really type.

Family names are ``(arabic, (latin, ...))``, the most common Latin spelling first.
The variant helpers (``latin_variants``, ``arabic_variants``,
``latin_spelling_variants``) are meant for search and duplicate detection too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from sijill.domain.firstnames import (
    AMAZIGH_FEMALE_FIRST_NAMES,
    AMAZIGH_MALE_FIRST_NAMES,
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    FirstName,
)
from sijill.domain.folding import fold

FamilyName = tuple[str, tuple[str, ...]]

FAMILY_NAMES: tuple[FamilyName, ...] = (
    ("العلوي", ("Alaoui", "El Alaoui", "Elalaoui")),
    ("الإدريسي", ("El Idrissi", "Idrissi", "Drissi", "Elidrissi", "El Idrissy")),
    ("بناني", ("Bennani", "Benani")),
    ("التازي", ("Tazi", "Ettazi", "El Tazi")),
    ("الفاسي", ("El Fassi", "Fassi", "Elfassi", "El Fassy")),
    ("بنجلون", ("Benjelloun", "Ben Jelloun", "Benjeloun")),
    ("برادة", ("Berrada", "Berada")),
    ("الشرقاوي", ("Cherkaoui", "El Cherkaoui", "Charkaoui", "Echcharkaoui")),
    ("الوزاني", ("Ouazzani", "El Ouazzani", "Ouazani", "Wazzani")),
    ("العمراني", ("Amrani", "El Amrani", "Elamrani")),
    ("العلمي", ("Alami", "El Alami", "Elalami")),
    ("الحسني", ("Hassani", "El Hassani", "Elhassani")),
    ("المنصوري", ("Mansouri", "El Mansouri", "Elmansouri")),
    ("الكتاني", ("Kettani", "El Kettani", "Kattani")),
    ("العراقي", ("Laraki", "El Iraki", "Iraqi", "Elaraki")),
    ("بنكيران", ("Benkirane", "Ben Kirane")),
    ("الصقلي", ("Sqalli", "Skalli", "Essakalli")),
    ("لحلو", ("Lahlou", "Lahlo")),
    ("السقاط", ("Sekkat", "Seqqat")),
    ("الصفريوي", ("Sefrioui", "Sefraoui")),
    ("بنيس", ("Bennis", "Benis")),
    ("الطاهري", ("Tahiri", "Ettahiri", "El Tahiri")),
    ("الأندلسي", ("Andaloussi", "El Andaloussi")),
    ("الرحالي", ("Rahali", "Errahali")),
    ("الزياني", ("Ziani", "Zayani", "Ezziani")),
    ("الخطابي", ("Khattabi", "El Khattabi")),
    ("البقالي", ("Bakkali", "El Bakkali", "Baqqali")),
    ("الشاوي", ("Chaoui", "Echaoui")),
    ("العثماني", ("Othmani", "El Othmani", "Elotmani")),
    ("بنسودة", ("Bensouda", "Ben Souda")),
    ("الغزاوي", ("Ghazaoui", "El Ghazaoui")),
    ("المريني", ("Merini", "El Merini")),
    ("السلاوي", ("Slaoui", "Esslaoui", "Salaoui")),
    ("الرباطي", ("Rbati", "Errbati")),
    ("المراكشي", ("Marrakchi", "El Marrakchi")),
    ("التطواني", ("Tetouani", "Ettetouani")),
    ("الطنجاوي", ("Tanjaoui", "Tanjawi")),
    ("الوجدي", ("Oujdi", "El Oujdi")),
    ("المكناسي", ("Meknassi", "El Meknassi")),
    ("بوزيان", ("Bouziane", "Bouzian")),
    ("بوطالب", ("Boutaleb", "Bou Taleb")),
    ("بنعلي", ("Benali", "Ben Ali")),
    ("بنموسى", ("Benmoussa", "Ben Moussa")),
    ("بنعبد الله", ("Benabdellah", "Ben Abdellah")),
    ("بنسعيد", ("Bensaid", "Ben Said")),
    ("بنحمو", ("Benhammou", "Ben Hammou")),
    ("بلحاج", ("Belhaj", "Belhadj")),
    ("بلقاسم", ("Belkacem", "Belkassem", "Belgacem")),
    ("بلمختار", ("Belmokhtar", "Belmokhtare")),
    ("بنشقرون", ("Benchekroun", "Ben Chekroun")),
    ("الشامي", ("Chami", "Echchami")),
    ("الحمداوي", ("Hamdaoui", "El Hamdaoui")),
    ("الزهراوي", ("Zahraoui", "Ezzahraoui")),
    ("الدكالي", ("Doukkali", "Eddoukkali")),
    ("الرفاعي", ("Rifai", "Errifai")),
    ("الودغيري", ("Oudghiri", "El Oudghiri")),
    ("الحجوي", ("Hajoui", "El Hajoui")),
    ("التوزاني", ("Touzani", "Ettouzani")),
    ("الغربي", ("Gharbi", "El Gharbi")),
    ("الشرايبي", ("Chraibi", "Cheraibi", "Echchraibi")),
    ("الجزولي", ("Jazouli", "El Jazouli", "Guezouli")),
    ("السوسي", ("Soussi", "Essoussi")),
    ("الريفي", ("Rifi", "Errifi")),
    ("الزموري", ("Zemmouri", "Ezzemmouri")),
    ("المودن", ("Moudden", "El Moudden")),
    ("الحداد", ("Haddad", "El Haddad")),
    ("النجار", ("Najjar", "Nejjar", "Ennajjar")),
    ("الخياط", ("Khayat", "El Khayat", "Khayyat")),
    ("الصباغ", ("Sabbagh", "Essabbagh")),
    ("الدباغ", ("Debbagh", "Dabbagh", "Eddebbagh")),
    ("العطار", ("Attar", "El Attar")),
    ("الفيلالي", ("Filali", "El Filali")),
    ("الصحراوي", ("Sahraoui", "Essahraoui")),
    ("الركراكي", ("Regragui", "Erregragui")),
    ("المالكي", ("Malki", "El Maliki", "Maliki")),
    ("الأنصاري", ("Ansari", "El Ansari")),
    ("القادري", ("Kadiri", "El Kadiri", "Qadiri")),
    ("الموساوي", ("Moussaoui", "El Moussaoui")),
    ("اليعقوبي", ("Yacoubi", "El Yacoubi", "Yaakoubi")),
    ("الإسماعيلي", ("Ismaili", "El Ismaili")),
    ("الحسيني", ("Housseini", "El Housseini", "Husseini")),
    ("العباسي", ("Abbassi", "El Abbassi")),
    ("البوعزاوي", ("Bouazzaoui", "El Bouazzaoui")),
    ("الطيبي", ("Tayebi", "Taibi", "Ettayebi")),
    ("الزروالي", ("Zerouali", "Ezzerouali")),
    ("الشفشاوني", ("Chefchaouni", "Echefchaouni")),
    ("بنعمر", ("Benomar", "Ben Omar")),
    ("بنحدو", ("Benhaddou", "Ben Haddou")),
    ("الناصري", ("Naciri", "Nasiri", "Ennaciri")),
    ("الساهلي", ("Sahli", "Essahli")),
    ("الراشدي", ("Rachidi", "Errachidi")),
    ("البركاني", ("Berkani", "El Berkani")),
    ("العيساوي", ("Aissaoui", "El Aissaoui")),
    ("المرابط", ("Mrabet", "El Mrabet", "Merabet")),
    ("البصري", ("Basri", "El Basri")),
    ("الجبلي", ("Jebli", "El Jebli")),
    ("القباج", ("Kabbaj", "El Kabbaj", "Qabbaj")),
    ("بنزاكور", ("Benzakour", "Ben Zakour")),
    ("الحجي", ("Hajji", "El Hajji")),
    ("زروق", ("Zerrouk", "Zarrouk")),
    ("بلخياط", ("Belkhayat", "Belkhayate")),
    ("الطالبي", ("Talbi", "Ettalbi")),
    ("الخلفي", ("Khalfi", "El Khalfi")),
    ("الشرقي", ("Cherki", "Echcherki")),
    ("الفقير", ("Fakir", "El Fakir")),
    ("العسري", ("Asri", "El Asri")),
    ("المحمدي", ("Mohammadi", "El Mohammadi", "Mohamadi")),
    ("الأحمدي", ("Ahmadi", "El Ahmadi")),
    ("الإبراهيمي", ("Brahimi", "El Brahimi", "Ibrahimi")),
    ("الكريمي", ("Karimi", "El Karimi")),
    ("الصالحي", ("Salhi", "Essalhi")),
    ("الجراري", ("Jirari", "El Jirari")),
    ("بن الشيخ", ("Bencheikh", "Ben Cheikh")),
    ("بنشمسي", ("Benchemsi", "Ben Chemsi")),
    ("الفاسي الفهري", ("El Fassi El Fihri", "Fassi Fihri", "El Fassi Fihri")),
    ("زنيبر", ("Zniber", "Znibar")),
    ("الدرقاوي", ("Derkaoui", "Derqaoui")),
    ("العيادي", ("Ayadi", "El Ayadi")),
    ("بوعبيد", ("Bouabid", "Bouâbid")),
    ("اليوسفي", ("Youssoufi", "El Youssoufi")),
    ("الحمري", ("Hamri", "El Hamri")),
    ("المنوني", ("Mennouni", "El Mennouni")),
    ("العروسي", ("Aroussi", "El Aroussi")),
    ("الجامعي", ("Jamai", "Jamaï")),
    ("البوزيدي", ("Bouzidi", "El Bouzidi")),
    ("الخمليشي", ("Khamlichi", "El Khamlichi")),
    ("الخالدي", ("Khalidi", "El Khalidi")),
    ("الورياغلي", ("Ouariaghli", "El Ouariaghli")),
    ("التمسماني", ("Temsamani", "Ettemsamani")),
    ("الحموشي", ("Hammouchi", "El Hammouchi")),
    ("الصبيحي", ("Sbihi", "Essbihi")),
    ("بنيحيى", ("Benyahia", "Ben Yahya")),
    ("بنيوسف", ("Benyoussef", "Ben Youssef")),
    ("بنعيسى", ("Benaissa", "Ben Aissa")),
    ("الحافظي", ("Hafidi", "El Hafidi")),
    ("الشرادي", ("Cherradi", "Echcherradi")),
    ("الخراز", ("Kharraz", "El Kharraz")),
    ("الجوهري", ("Jaouhari", "El Jaouhari", "Jawhari")),
    ("المحجوبي", ("Mahjoubi", "El Mahjoubi")),
    ("الغماري", ("Ghomari", "El Ghomari")),
    ("الوكيلي", ("Ouakili", "El Ouakili")),
)

AMAZIGH_FAMILY_NAMES: tuple[FamilyName, ...] = (
    ("آيت الطالب", ("Ait Taleb", "Aït Taleb", "Ait-Taleb", "Aittaleb")),
    ("آيت علي", ("Ait Ali", "Aït Ali", "Ait-Ali")),
    ("آيت بلعيد", ("Ait Belaid", "Aït Belaïd")),
    ("آيت الحاج", ("Ait El Haj", "Ait Lhaj", "Ait Elhaj")),
    ("آيت مبارك", ("Ait Mbarek", "Aït M'barek")),
    ("آيت سعيد", ("Ait Said", "Aït Saïd")),
    ("آيت إبراهيم", ("Ait Brahim", "Aït Brahim")),
    ("آيت لحسن", ("Ait Lahcen", "Aït Lahcen")),
    ("آيت عمر", ("Ait Omar", "Aït Oumar")),
    ("أمازيغ", ("Amazigh", "Amazig")),
    ("أوفقير", ("Oufkir", "Oufqir")),
    ("أوشن", ("Ouchen", "Ouchchen")),
    ("أوحمو", ("Ouhammou", "Ouhamou")),
    ("أوعلي", ("Ouali", "Ou Ali")),
    ("أمزيان", ("Amziane", "Amzian")),
    ("أزناك", ("Aznag", "Aznague")),
    ("أمغار", ("Amghar", "Amghare")),
    ("أخنوش", ("Akhannouch", "Akhenouch")),
    ("أوزين", ("Ouzine", "Ouzzine")),
    ("أشهبار", ("Achahbar", "Achehbar")),
    ("بوكوس", ("Boukous", "Boukouss")),
    ("أعراب", ("Aarab", "Arab")),
    ("أبركان", ("Aberkane", "Abarkan")),
    ("أوبيهي", ("Oubihi", "Oubbihi")),
    ("إدبلقاس", ("Idbelkas", "Id Belkas")),
    ("أوطالب", ("Outaleb", "Ou Taleb")),
    ("أكنوش", ("Aknouch", "Akennouch")),
    ("أمهال", ("Amahal", "Amhal")),
    ("أوزكان", ("Ouzekane", "Ouzkan")),
    ("أسكور", ("Askour", "Asskour")),
)

# Fathers and grandfathers of sharifian families often carry a title in their first
# name; the decree forbids it for a newborn, not for the parents already registered.
TITLED_MALE = (("مولاي", "Moulay"), ("سيدي", "Sidi"))
TITLED_FEMALE = (("لالة", "Lalla"),)
SHARIFIAN_FAMILIES = frozenset({"العلوي", "الإدريسي", "الكتاني", "العمراني", "الوزاني"})

# First names popular among children born since about 2000, and among the old
# (Arabic comma separated).
MODERN_NAMES = frozenset(
    n.strip()
    for n in [
        "آدم",
        " آية",
        " أميمة",
        " أمين",
        " أنس",
        " أيمن",
        " أيوب",
        " إسراء",
        " إلياس",
        " إيناس",
        " المهدي",
        " بلال",
        " تسنيم",
        " جنات",
        " جود",
        " حمزة",
        " دعاء",
        " رانية",
        " ريان",
        " ريم",
        " زكرياء",
        " سفيان",
        " سلمى",
        " شيماء",
        " غيثة",
        " فاطمة الزهراء",
        " لينة",
        " محمد أمين",
        " محمد رضا",
        " محمد ياسين",
        " مروان",
        " مريم",
        " ملاك",
        " نور",
        " نور الهدى",
        " هاجر",
        " هبة",
        " وئام",
        " وائل",
        " ياسمين",
        " ياسين",
        " يسرى",
        " يوسف",
    ]
)
CLASSIC_NAMES = frozenset(
    n.strip()
    for n in [
        "أحمد",
        " إدريس",
        " التهامي",
        " الجيلالي",
        " الحسين",
        " الزهرة",
        " السعدية",
        " الطيب",
        " العربي",
        " المختار",
        " المعطي",
        " بهيجة",
        " بوشعيب",
        " بوعزة",
        " ثريا",
        " حادة",
        " حليمة",
        " خدوج",
        " خديجة",
        " ربيعة",
        " رقية",
        " زبيدة",
        " عائشة",
        " عبد السلام",
        " عبد القادر",
        " علي",
        " فاطمة",
        " فاطنة",
        " لحسن",
        " مبارك",
        " مليكة",
        " مينة",
        " يامنة",
    ]
)

FOREIGN_NAMES: dict[str, dict[str, tuple[FirstName, ...]]] = {
    "FR": {
        "F": (("ماري", ("Marie",)), ("صوفي", ("Sophie",)), ("كلير", ("Claire",))),
        "family": (
            ("مارتان", ("Martin",)),
            ("دوبون", ("Dupont",)),
            ("بيرنار", ("Bernard",)),
        ),
    },
    "ES": {
        "F": (("كارمن", ("Carmen",)), ("لوسيا", ("Lucia",)), ("إيلينا", ("Elena",))),
        "family": (
            ("غارسيا", ("Garcia",)),
            ("لوبيز", ("Lopez",)),
            ("مارتينيز", ("Martinez",)),
        ),
    },
    "SN": {
        "F": (
            ("عائشتو", ("Aissatou",)),
            ("فاتو", ("Fatou",)),
            ("أميناتا", ("Aminata",)),
        ),
        "family": (("ديالو", ("Diallo",)), ("ندياي", ("Ndiaye",)), ("سال", ("Sall",))),
    },
}

_TIFINAGH_AIT = "ⴰⵢⵜ"
_TIFINAGH_DIGRAPHS = (("ch", "ⵛ"), ("gh", "ⵖ"), ("kh", "ⵅ"), ("ou", "ⵓ"))
_TIFINAGH = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        "ⴰⴱⴽⴷⴻⴼⴳⵀⵉⵊⴽⵍⵎⵏⵓⴱⵇⵔⵙⵜⵓⴼⵡⴽⵢⵣ",
        strict=True,
    )
)


def strip_accents(text: str) -> str:
    """The Latin text without diacritics: Aïcha → Aicha."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def to_tifinagh(latin: str) -> str:
    """A Neo-Tifinagh spelling of a Latin (French-style) name: Ait Taleb → ⴰⵢⵜ ⵜⴰⵍⴻⴱ."""
    text = strip_accents(latin).lower().replace("'", "")
    text = re.sub(r"\bait\b", _TIFINAGH_AIT, text)
    out: list[str] = []
    i = 0
    while i < len(text):
        for digraph, letter in _TIFINAGH_DIGRAPHS:
            if text.startswith(digraph, i):
                out.append(letter)
                i += len(digraph)
                break
        else:
            char = text[i]
            keep = char in " -" or "\u2d30" <= char <= "\u2d7f"
            out.append(_TIFINAGH.get(char, char if keep else ""))
            i += 1
    return " ".join("".join(out).split())


@cache
def _known_spellings() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    entries: list[FirstName] = [
        *MALE_FIRST_NAMES,
        *FEMALE_FIRST_NAMES,
        *FAMILY_NAMES,
        *AMAZIGH_FAMILY_NAMES,
        *(
            (ar, lat)
            for ar, lat, _ in (*AMAZIGH_MALE_FIRST_NAMES, *AMAZIGH_FEMALE_FIRST_NAMES)
        ),
    ]
    for arabic, latin in entries:
        known = table.setdefault(fold(arabic), [])
        known.extend(s for s in latin if s not in known)
    return {key: tuple(value) for key, value in table.items()}


def _compound_spellings(folded: str) -> list[str]:
    known = _known_spellings()
    for prefix, latin_prefixes in (("ايت ", ("Ait ", "Aït ")), ("بن", ("Ben", "Ben "))):
        rest = folded.removeprefix(prefix).strip()
        if rest != folded and rest in known:
            return [p + s for s in known[rest] for p in latin_prefixes]
    return []


def _unique(items: list[str], *, exclude: str = "") -> list[str]:
    seen: set[str] = {exclude} if exclude else set()
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def latin_variants(arabic_name: str) -> list[str]:
    """The Latin spellings seen on Moroccan documents for an Arabic name, commonest first.

    Known names give their listed spellings, then the generic keying variants of
    each; ``بن``/``آيت`` compounds of a known name are spelled from their parts;
    an unknown name gives an empty list.
    """
    folded = fold(arabic_name)
    base = list(_known_spellings().get(folded, ())) or _compound_spellings(folded)
    extra = [v for spelling in base for v in latin_spelling_variants(spelling)]
    if folded.startswith("ال") and " " not in folded:
        # "El " only before a bare name: Ettazi, Essoussi already carry the article.
        extra += [f"El {s}" for s in base if not s.startswith(("E", "Al"))]
    return _unique([*base, *extra])


def _prefix_variants(latin: str) -> list[str]:
    out: list[str] = []
    match = re.match(r"^(El|Al) (\w.*)$", latin)
    if match:
        out += [match[2], f"{match[1]}-{match[2]}", match[1] + match[2].lower()]
    match = re.match(r"^(A[iï]t)[ -](\w.*)$", latin)
    if match:
        rest = match[2]
        out += [f"Ait {rest}", f"Aït {rest}", f"Ait-{rest}", "Ait" + rest.lower()]
    match = re.match(r"^Ben (\w.*)$", latin)
    if match:
        out.append("Ben" + match[1].lower())
    return out


def _compound_variants(latin: str) -> list[str]:
    if " " in latin or "-" in latin:
        parts = re.split(r"[ -]", latin)
        head, tail = parts[0], "".join(p.lower() for p in parts[1:])
        return [" ".join(parts), "-".join(parts), head + tail]
    return []


def _letter_variants(latin: str) -> list[str]:
    out: list[str] = []
    for match in re.finditer(r"([a-z])\1", latin):
        out.append(latin[: match.start()] + latin[match.start() + 1 :])
    for old, new in (("ou", "u"), ("ch", "sh"), ("k", "q"), ("q", "k"), ("ae", "aa")):
        if old in latin[1:]:
            out.append(latin[0] + latin[1:].replace(old, new, 1))
    return out


def latin_spelling_variants(latin: str) -> list[str]:
    """Other keyings of a Latin name (El/Ait/Ben, hyphens, accents, Mohammed → Mohamed).

    Also ou/u, ch/sh, k/q and ae/aa; the input itself is not included.
    """
    candidates = [strip_accents(latin), *_prefix_variants(latin)]
    candidates += _compound_variants(latin) + _letter_variants(latin)
    return _unique(candidates, exclude=latin)


_HAMZA_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


def _joined_or_split(arabic: str) -> list[str]:
    out: list[str] = []
    for prefix in ("عبد ", "بن ", "أبو "):
        if arabic.startswith(prefix):
            out.append(prefix.strip() + arabic[len(prefix) :])
    if arabic.startswith("عبد") and not arabic.startswith("عبد "):
        out.append("عبد " + arabic[3:])
    spelled_apart = any(s.startswith("Ben ") for s in latin_variants(arabic))
    if arabic.startswith("بن") and " " not in arabic and spelled_apart:
        out.append("بن " + arabic[2:])
    return out


def arabic_variants(arabic: str) -> list[str]:
    """Other keyings of an Arabic name (hamza, ة/ه, ى/ي, ال, بن and عبد joined or split).

    Also آيت/أيت/ايت; the input itself is not included.
    """
    out = [arabic.translate(_HAMZA_ALEF)]
    if "ة" in arabic:
        out.append(arabic.replace("ة", "ه"))
    if arabic.endswith("ى"):
        out.append(arabic[:-1] + "ي")
    if arabic.startswith("ال") and " " not in arabic:
        out += [arabic[2:], arabic[2:].translate(_HAMZA_ALEF)]
    out += _joined_or_split(arabic)
    if arabic.startswith("آيت "):
        out += ["أيت " + arabic[4:], "ايت " + arabic[4:]]
    return _unique(out, exclude=arabic)
