"""The errors of issuing documents and of the ministry's keys, in three languages."""

from __future__ import annotations

from sijill.domain.errors import Conflict, DomainError, NotFound

_MESSAGES: dict[str, tuple[str, str, str]] = {
    "trust.root_exists": (
        "the ministry root key already exists in {path}; it is never replaced",
        "المفتاح الجذري للوزارة موجود في {path}؛ لا يستبدل أبدا",
        "la clé racine du ministère existe déjà dans {path} ; elle n'est jamais remplacée",
    ),
    "trust.no_root": (
        "no ministry root key in {path}: run `sijill keys init` first",
        "لا يوجد مفتاح جذري للوزارة في {path}",
        "aucune clé racine du ministère dans {path}",
    ),
    "trust.weak_passphrase": (
        "the root key passphrase must have at least {length} characters",
        "يجب أن تتكون كلمة مرور المفتاح الجذري من {length} حرفا على الأقل",
        "la phrase secrète de la clé racine doit compter au moins {length} caractères",
    ),
    "trust.bad_passphrase": (
        "the passphrase does not open the ministry root key",
        "كلمة المرور لا تفتح المفتاح الجذري للوزارة",
        "la phrase secrète n'ouvre pas la clé racine du ministère",
    ),
    "document.kind": (
        "the document is an extract or a full copy, not {kind}",
        "الوثيقة نسخة موجزة أو نسخة كاملة، وليست {kind}",
        "le document est un extrait ou une copie intégrale, pas {kind}",
    ),
    "document.lang": (
        "the document's language is ar, fr or bilingual, not {lang}",
        "لغة الوثيقة هي ar أو fr أو bilingual، وليست {lang}",
        "la langue du document est ar, fr ou bilingual, pas {lang}",
    ),
    "document.requested_for": (
        "who the document is for is plain text of at most 160 characters",
        "صاحب الطلب نص عادي لا يتجاوز 160 حرفا",
        "le destinataire est un texte simple de 160 caractères au plus",
    ),
    "document.unknown": (
        "no document numbered {number} was issued",
        "لم تسلم أي وثيقة تحمل الرقم {number}",
        "aucun document n'a été délivré sous le numéro {number}",
    ),
    "document.act_changed": (
        "act {ref} changed while the document was being issued; ask again",
        "تغير الرسم {ref} أثناء تسليم الوثيقة؛ أعد الطلب",
        "l'acte {ref} a changé pendant la délivrance ; recommencez",
    ),
    "document.annulled": (
        "act {ref} is annulled: no document is issued from it",
        "الرسم {ref} ملغى: لا تسلم منه أي وثيقة",
        "l'acte {ref} est annulé : aucun document n'en est délivré",
    ),
}
_LANGS = {"en": 0, "ar": 1, "fr": 2}


def _render(rule: str, lang: str, params: dict[str, object]) -> str:
    templates = _MESSAGES.get(rule)
    if templates is None:
        return rule
    try:
        return templates[_LANGS.get(lang, 0)].format(**params)
    except (KeyError, IndexError):
        return templates[_LANGS.get(lang, 0)]


class TrustProblem(DomainError):
    """The ministry's keys cannot do what was asked."""

    code = "invalid"

    def message(self, lang: str = "en") -> str:
        return _render(self.rule, lang, self.params)


class DocumentConflict(Conflict):
    """A document cannot be issued from the act as it stands."""

    def message(self, lang: str = "en") -> str:
        return _render(self.rule, lang, self.params)


class DocumentNotFound(NotFound):
    """No document with that number."""

    def message(self, lang: str = "en") -> str:
        return _render(self.rule, lang, self.params)


class DocumentInvalid(DomainError):
    """A request for a document that names an unknown kind or language."""

    code = "invalid"

    def message(self, lang: str = "en") -> str:
        return _render(self.rule, lang, self.params)
