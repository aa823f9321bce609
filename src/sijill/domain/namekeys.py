"""Name keys: derived forms under which spellings of one name meet, in and across scripts.

The same person is written محمد, Mohamed, Mohammed, Muhammad; عبد الله, Abdellah,
Abd Allah; الإدريسي, El Idrissi, Drissi. Three keys see through this:

- ``arabic_key``: the Arabic spelling without diacritics, hamza forms, tatweel,
  Persian/Urdu code points, the article ال, and the spaces of compound names
  (عبد الله = عبدالله, بن جلون = بنجلون, ابن = بن);
- ``latin_key``: the French-style Maghrebi transliteration without accents, case,
  particles (El, Al, Ed-, Es-…), doubled letters, and with the usual alternations
  folded (ou/u/w, ch/sh, dj/j, q/k, y/i, e/a, o/u, Med/Mhd → Mohamed);
- ``skeleton``: the consonants of either script in one alphabet, plus the final
  vowel, so that an Arabic name and its Latin transliteration meet (محمد and
  Mohamed are both ``mhmd``; خديجة and Khadija both ``kdja``).

Keys are derived for search and duplicate detection; what was registered is never
replaced by them. Every key of a name holding at least one letter is non-empty, and
each key is stable: keying a key again gives it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from sijill.domain.folding import fold

# --- Arabic ----------------------------------------------------------------------

# Code points of Persian, Urdu and Kurdish keyboards, and Moroccan gaf, that stand
# for Arabic letters on Moroccan acts; zero-width and direction marks vanish.
_ARABIC_LETTERS = str.maketrans(
    {
        "ی": "ي",
        "ې": "ي",
        "ێ": "ي",
        "ى": "ي",
        "ک": "ك",
        "ڪ": "ك",
        "ګ": "ك",
        "ڭ": "ك",
        "گ": "ك",
        "ە": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ۃ": "ه",
        "ة": "ه",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ء": None,
        "\u200c": None,
        "\u200d": None,
        "\u200e": None,
        "\u200f": None,
        "\u061c": None,
    }
)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06d5]")
_ARABIC_ONLY = re.compile(r"[^\u0621-\u064a\u066e-\u06d3\u06d5 ]")
# Tokens that glue to the next one: عبد الله, بن جلون, أبو بكر, آيت علي, ولد عمر.
_ARABIC_JOINERS = frozenset({"عبد", "بن", "ابن", "ابو", "بو", "ايت", "ولد", "اولاد"})
# Names whose initial ال is part of the name, not the article: إلياس, إلهام.
_ARABIC_NOT_ARTICLE = frozenset({"الياس", "الهام"})
# بنالشيخ, ايتالطالب: the article glued behind a particle (not عبد: عبدالله stays).
_GLUED_ARABIC_ARTICLE = re.compile(r"^(بن|ايت|ابو|بو|ولد)ال(?=..)")
ARABIC_PARTICLES = frozenset({"ال", "بن", "ابن", "ابو", "بو", "عبد", "ايت", "ولد"})


@lru_cache(maxsize=1 << 16)  # a name's key and skeleton both read its tokens
def _arabic_tokens(name: str) -> tuple[str, ...]:
    text = fold(name.translate(_ARABIC_LETTERS)).translate(_ARABIC_LETTERS)
    tokens = [t for t in _ARABIC_ONLY.sub(" ", text).split() if t]
    tokens = ["بن" if t == "ابن" else t for t in tokens]
    out: list[str] = []
    glue = False
    for token in tokens:
        if token == "ال":  # a detached article: "ال ادريسي"
            glue = glue or not out
            continue
        after_abd = glue and bool(out) and out[-1].endswith("عبد")
        bare = _strip_arabic_article(token, after_abd=after_abd)
        if glue and out:
            out[-1] += bare
        else:
            out.append(bare)
        glue = token in _ARABIC_JOINERS or token.endswith("عبد")
    return tuple(out)


def _strip_arabic_article(token: str, *, after_abd: bool) -> str:
    # After عبد the article stays (عبد الله = عبدالله, as Latin keeps "Abdel").
    if after_abd or token in _ARABIC_NOT_ARTICLE or len(token) <= 3:
        return token
    if token.startswith("ال"):
        return token[2:]
    return _GLUED_ARABIC_ARTICLE.sub(r"\1", token)


@lru_cache(maxsize=1 << 16)  # a nation has far fewer distinct names
def arabic_key(name: str) -> str:
    """The Arabic comparison key: الإدريسي, إدريسي and ادريسى all give ادريسي."""
    key = _fixpoint(lambda text: "".join(_arabic_tokens(text)), name)
    return key or _fallback(name, "ar")


# --- Latin -----------------------------------------------------------------------

_LATIN_PARTICLES = frozenset(
    {"el", "al", "ad", "ed", "er", "es", "et", "ez", "en", "ech", "eth", "l", "d"}
)
LATIN_PARTICLES = _LATIN_PARTICLES | {"ben", "bin", "ibn", "ould", "ait", "bou", "abd"}
_LATIN_JOINERS = frozenset({"ben", "bin", "ibn", "bou", "abou", "abu", "ait", "ould"})
_ABBREVIATIONS = {
    "med": "mohamed",
    "mhd": "mohamed",
    "mohd": "mohamed",
    "mohd.": "mohamed",
    "md": "mohamed",
    "mly": "moulay",
}
# Sun-letter articles glued to the name: Ettazi, Essoussi, Echcharkaoui, Echaoui,
# Etouhami; what is left must still be a name (not Essam, Edris).
_GLUED_ASSIMILATED = (
    re.compile(r"^e(ch|sh)(?=ch|sh)"),
    re.compile(r"^e(?=ch|sh)()"),
    re.compile(r"^e([tdrszn])(?=\1[a-z]{3})"),
    re.compile(r"^e()(?=[tdrszn][aeiou][a-z]{3})"),
)
# Abdel-, Abdal-, Abdul-, Abder- (assimilated) all become abdal: عبد ال...
_ABD = re.compile(r"abd(?:[aeiou]{0,2}l|[aeiou](?=[bcdfghjkmnpqrstvz]))")
_DIGRAPHS = (
    ("tch", "sh"),
    ("ch", "sh"),
    ("dj", "j"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("v", "f"),
    ("p", "b"),
    ("ee", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("w", "u"),
    ("y", "i"),
)
_SOFT = re.compile(r"c(?=[eiy])")
_SOFT_G = re.compile(r"g(?=[ei])")
_VOWELS = str.maketrans({"e": "a", "o": "u"})
_DOUBLE = re.compile(r"([a-z])\1+")
_DOUBLE_SH = re.compile(r"(sh)+")


@lru_cache(maxsize=1 << 16)  # a name's key and skeleton both read its tokens
def _latin_tokens(name: str) -> tuple[str, ...]:
    text = fold(_cedilla(name)).replace("'", "")
    text = re.sub(r"[^a-z. ]", "", text.replace("’", ""))
    tokens = [_ABBREVIATIONS.get(t, t).replace(".", "") for t in text.split()]
    out: list[str] = []
    glue = False
    for token in (t for t in tokens if t):
        if token in _LATIN_PARTICLES:
            if out and out[-1].endswith("abd"):  # Abd El Kader = Abdelkader
                out[-1] += "al"
            glue = glue or not out  # "Ben El Mehdi" stays one name
            continue
        bare = _strip_latin_article(token)
        if glue and out:
            out[-1] += bare
        else:
            out.append(bare)
        glue = token in _LATIN_JOINERS
    return tuple(_spelling(t) for t in out)


def _strip_latin_article(token: str) -> str:
    for article in _GLUED_ASSIMILATED:
        match = article.match(token)
        if match:
            return token[match.end() :]
    if token.startswith("el") and len(token) >= 6:  # Elalaoui, Elidrissi; not Elias
        return token[2:]
    return token


def _spelling(token: str) -> str:
    token = _ABD.sub("abdal", token)
    token = token.replace("sh", "§")  # protect sh from the s/h rules below
    for old, new in _DIGRAPHS:
        token = token.replace(old, new)
    token = _SOFT.sub("s", token).replace("c", "k").replace("§", "sh")
    token = _SOFT_G.sub("j", token)  # "gu" before e/i stays: Regragui is hard
    token = token.replace("sh", "§").replace("kh", "X").replace("gh", "G")
    if len(token) > 3 and token.endswith("e"):  # the mute e: Amine, Rayane
        token = token[:-1]
    token = _DOUBLE.sub(r"\1", token.translate(_VOWELS))
    token = token.replace("§", "sh").replace("X", "kh").replace("G", "gh")
    return _DOUBLE_SH.sub("sh", token)


@lru_cache(maxsize=1 << 16)  # a nation has far fewer distinct names
def latin_key(name: str) -> str:
    """The Latin comparison key: Mohamed, MOHAMMED, Muhammad and Med all give muhamad."""
    key = _fixpoint(lambda text: "".join(_latin_tokens(text)), name)
    return key or _fallback(name, "lat")


# --- across scripts ----------------------------------------------------------------

_ARABIC_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "k",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "§",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "غ": "k",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "پ": "b",
    "ڤ": "f",
}
_ARABIC_VOWELS = frozenset("اوي")
# A final ه is most often a keyed taa marbuta (a vowel); in الله and إله it is heard.
_HEARD_FINAL_H = ("لله", "اله")
_LATIN_CONSONANTS = {
    "g": "k",
    "q": "k",
    "x": "k",
    "G": "k",
    "X": "k",
    "§": "§",
    "p": "b",
}


def _arabic_skeleton(tokens: Sequence[str], *, maqsura: bool = False) -> str:
    consonants, final = "", ""
    for token in tokens:
        vowel_h = token.endswith("ه") and not token.endswith(_HEARD_FINAL_H)
        body = token[:-1] if vowel_h and len(token) > 1 else token
        consonants += "".join(_ARABIC_CONSONANTS.get(c, "") for c in body)
        final = "a" if vowel_h or token[-1] in _ARABIC_VOWELS else ""
        final = "ui" if token.endswith("وي") and not maqsura else final
    return _close_skeleton(consonants, final)


def _latin_skeleton(tokens: Sequence[str]) -> str:
    consonants = ""
    for token in tokens:
        token = re.sub("gu(?=[aei])", "g", token)  # Regragui: the u only hardens g
        token = token.replace("sh", "§").replace("kh", "X").replace("gh", "G")
        consonants += "".join(
            _LATIN_CONSONANTS.get(c, c) for c in token if c not in "aeiou"
        )
    last = re.sub("gu(?=[aei])", "g", tokens[-1]) if tokens else ""
    final = "a" if last[-1:] in ("a", "i", "u") and last else ""
    final = "ui" if last.endswith("ui") else final
    return _close_skeleton(consonants, final)


def _close_skeleton(consonants: str, final: str) -> str:
    # The final vowel's quality is lost (مصطفى is keyed مصطفي; Mustapha ends in a),
    # except the -awi of family names: Alaoui is not Ali, nor Zahraoui Zahra.
    return (re.sub(r"(.)\1+", r"\1", consonants) + final).replace("§", "sh")


@lru_cache(maxsize=1 << 16)  # a nation has far fewer distinct names
def skeleton(name: str) -> str:
    """The cross-script key: consonants in one alphabet and the final vowel (محمد, Mohamed → mhmd)."""
    if script(name) == "ar":
        maqsura = name.rstrip().endswith("ى")  # سلوى is Salwa, not a nisba in -awi
        key = _arabic_skeleton(_arabic_tokens(name), maqsura=maqsura)
    else:
        key = _latin_skeleton(_latin_tokens(name))
    return key or _fallback(name)


# Gu before e or i is a hard g: ڭ, or ج as it is heard in the south and the east.
_HARD_G = re.compile("gu(?=[ei])", re.IGNORECASE)
# El or Al glued between two names, as a keyer drops the spaces: Elfassielfihri.
_GLUED_ARTICLE = re.compile(
    r"(?<=\w[aeiouy])[ea]l(?=[^\Waeiouy][aeiouy])", re.IGNORECASE
)


@lru_cache(maxsize=1 << 16)  # a nation has far fewer distinct names
def skeletons(name: str) -> frozenset[str]:
    """The skeleton and its spellings with the article heard as L- (العراقي: rka, lrka)."""
    main = skeleton(name)
    if script(name) == "ar" and fold(name).startswith("ال") and main.isascii():
        return frozenset({main, "l" + main})
    found = {main}
    if script(name) == "lat" and main.startswith("l") and _consonants(main[1:]):
        found.add(main[1:])
    if script(name) == "lat" and latin_key(name).endswith(("ah", "at")):
        found.add(main[:-1] + "a")  # Najat, Azizah: a taa marbuta heard
    if script(name) == "lat" and _HARD_G.search(name):
        found.add(skeleton(_HARD_G.sub("j", name)))  # Guezouli, Guercif: a ج heard g
    if script(name) == "lat" and _GLUED_ARTICLE.search(name):
        found.add(skeleton(_GLUED_ARTICLE.sub(" ", name)))  # Elfassielfihri
    if script(name) == "ar" and name.rstrip().endswith("ى"):
        found.add(skeleton(name.rstrip()[:-1] + "ي"))  # العلوى keyed for العلوي
    if script(name) == "ar" and main.endswith("ui") and main != "ui":
        found.add(main[:-2] + "a")  # سلوي may be سلوى keyed with ي
    return frozenset(found)


# --- common ------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)  # a nation has far fewer distinct names
def script(name: str) -> str:
    """``ar`` when the name is mostly Arabic letters, ``lat`` otherwise."""
    arabic = len(_ARABIC_LETTER.findall(name))
    latin = sum(1 for c in fold(name) if "a" <= c <= "z")
    return "ar" if arabic > latin else "lat"


def has_letters(name: str) -> bool:
    """Whether ``name`` holds at least one letter of any script (tatweel is none)."""
    # str.isalpha is exactly the Unicode categories L*, without a lookup per letter.
    return any(c.isalpha() for c in fold(name))


def only_particles(name: str) -> bool:
    """Whether ``name`` is nothing but articles and particles (ال, El, Ben, Ould)."""
    words = fold(name).replace("'", " ").split()
    return bool(words) and all(
        w in LATIN_PARTICLES or w in ARABIC_PARTICLES or w == "ال" for w in words
    )


def name_words(name: str) -> list[str]:
    """The words of a name, each particle kept with the word it introduces.

    ``El Idrissi`` and ``عبد الله`` are one word; ``Mohamed Amine`` is two. A word
    ending in Abd (``بنعبد الله``, ``Benabd Allah``) waits for the next one too, as
    the keys glue it (``بن عبد الله`` and ``بنعبدالله`` are the same name).
    """
    words: list[str] = []
    pending = ""
    for token in fold(_cedilla(name)).replace("'", " ").split():
        if token in _WORD_PARTICLES or _glued_abd(token):
            pending += token + " "
        else:
            words.append(pending + token)
            pending = ""
    if pending and words and not _glued_abd(pending.split()[-1]):
        words[-1] += " " + pending.strip()  # Mohamed Ben: particles end the name
    elif pending:
        words.append(pending.strip())  # Mohamed Benabd: a word of its own
    return words


def _glued_abd(token: str) -> bool:
    # Ben and Abd written as one word: بنعبد, ابنعبد, Benabd (عبد alone is a particle).
    return token.endswith(("عبد", "abd")) and token not in _WORD_PARTICLES


_WORD_PARTICLES = (
    LATIN_PARTICLES
    | ARABIC_PARTICLES
    | _LATIN_JOINERS
    | {"ابن", "abdel", "abdal", "abdul", "abdoul", "abou", "abu", "id", "ou"}
)


def _cedilla(name: str) -> str:
    # Ç is heard s (Fayçal is Faysal), where folding would make it a c (Faycal, k).
    return name.replace("ç", "s").replace("Ç", "s")


def _fallback(name: str, written: str = "") -> str:
    # A name of only particles or odd signs still gets a key: its letters, folded;
    # those of the key's own script when it has some, so that keying it is stable.
    folded = fold(_cedilla(name))
    letters = "".join(c for c in folded if c.isalpha())
    own = {
        "ar": "".join(_ARABIC_LETTER.findall(letters)),
        "lat": _fixpoint(_spelling, "".join(c for c in letters if "a" <= c <= "z")),
    }.get(written, "")
    return own or letters


def _fixpoint(step: Callable[[str], str], text: str) -> str:
    # A key is what keying no longer changes; two rounds settle every rule above.
    for _ in range(4):
        keyed = step(text)
        if keyed == text:
            return keyed
        text = keyed
    return text


# --- comparing two names ---------------------------------------------------------------

SAME = 0.85
MAYBE = 0.6
_TRANSLIT = {**_ARABIC_CONSONANTS, "ا": "a", "و": "u", "ي": "i", "ع": "a", "غ": "gh"}
_TRANSLIT.update({"خ": "kh", "ش": "sh", "ق": "k", "ث": "t", "ذ": "d", "ظ": "d"})


class Comparison(NamedTuple):
    """How alike two names are: a similarity in [0, 1], a verdict and why.

    Comparisons order by similarity first, so ``max`` picks the closest.
    """

    similarity: float
    verdict: str  # same | maybe | different
    reason: str


def compare(a: str, b: str) -> Comparison:
    """Compare two names, each in Arabic or Latin letters, within or across scripts."""
    return Comparison._make(_compared(a, b))


@lru_cache(maxsize=1 << 18)  # ranking compares the same pairs again and again
def _compared(a: str, b: str) -> tuple[float, str, str]:
    # Kept as a plain tuple of a number and strings, which Python's collector stops
    # tracking: a server's cache holds a quarter of a million comparisons, and every
    # full collection walked each of them as an object (about 200 ms when full).
    similarity, verdict, reason = _comparison(a, b)
    return similarity, verdict, reason


def _comparison(a: str, b: str) -> Comparison:
    if not has_letters(a) or not has_letters(b):
        return Comparison(0.0, "different", "a name without letters")
    if script(a) == script(b):
        return _same_script(a, b, script(a))
    arabic, latin = (a, b) if script(a) == "ar" else (b, a)
    return _across(arabic, latin)


def _same_script(a: str, b: str, written: str) -> Comparison:
    key = arabic_key if written == "ar" else latin_key
    what = "Arabic" if written == "ar" else "Latin"
    ka, kb = key(a), key(b)
    if ka == kb:
        return _judged(1.0, f"same {what} key {ka}")
    ratio = _ratio(ka, kb)
    shared = _strong_skeleton(a, b)
    if shared:
        return _judged(
            0.6 + 0.4 * ratio, f"{what} keys {ka} / {kb}, same consonants {shared}"
        )
    return _judged(ratio, f"{what} keys {ka} / {kb} differ")


def _across(arabic: str, latin: str) -> Comparison:
    spelled = latin_key(_transliterate(arabic))
    closeness = _dice(spelled, latin_key(latin))
    shared = _strong_skeleton(arabic, latin)
    if shared:
        return _judged(
            0.9 + 0.1 * closeness, f"same consonants {shared} in both scripts"
        )
    common = skeletons(arabic) & skeletons(latin)
    if common:
        return _judged(0.6 + 0.4 * closeness, f"short names: same sounds {min(common)}")
    best = max(_ratio(x, y) for x in skeletons(arabic) for y in skeletons(latin))
    return _judged(
        0.75 * best + 0.25 * closeness,
        f"transliterated {spelled}, consonants {skeleton(arabic)} / {skeleton(latin)}",
    )


def _strong_skeleton(a: str, b: str) -> str:
    # Two consonants at least: one alone (Ali, Alaoui: l) says too little.
    for shared in sorted(skeletons(a) & skeletons(b)):
        consonants = _consonants(shared)
        if len(consonants) >= 2 or (consonants and shared.endswith("ui")):
            return shared
    return ""


def _consonants(skeleton_key: str) -> str:
    return skeleton_key.replace("sh", "s").removesuffix("ui").removesuffix("a")


def _transliterate(arabic: str) -> str:
    out = []
    for token in _arabic_tokens(arabic):
        token = token[:-1] + "ا" if token.endswith("ه") and len(token) > 1 else token
        out.append("".join(_TRANSLIT.get(c, "") for c in token))
    return " ".join(out)


def _judged(similarity: float, reason: str) -> Comparison:
    similarity = round(min(1.0, max(0.0, similarity)), 3)
    verdict = (
        "same"
        if similarity >= SAME
        else "maybe"
        if similarity >= MAYBE
        else "different"
    )
    return Comparison(similarity, verdict, reason)


def _ratio(a: str, b: str) -> float:
    """1 minus the edit distance over the longer length."""
    if not a or not b:
        return 0.0
    return float(Levenshtein.normalized_similarity(a, b))


def _dice(a: str, b: str) -> float:
    """The Dice coefficient of the letter pairs of two strings."""
    pairs_a = [a[i : i + 2] for i in range(len(a) - 1)] or [a]
    pairs_b = [b[i : i + 2] for i in range(len(b) - 1)] or [b]
    common = sum(min(pairs_a.count(p), pairs_b.count(p)) for p in set(pairs_a))
    return 2 * common / (len(pairs_a) + len(pairs_b))
