"""The catalogue of rule messages, in English (logs), Arabic and French (users).

Each rule code maps to three templates; ``{field}`` and the rule's parameters are
filled in by ``render``. A code missing from the catalogue still renders, as itself.
"""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, str, str]] = {
    "input.invalid": (
        "{count} rule(s) broken; nothing was written",
        "{count} قاعدة غير محترمة؛ لم يسجل أي شيء",
        "{count} règle(s) non respectée(s) ; rien n'a été enregistré",
    ),
    "required": ("is required", "حقل إلزامي", "est obligatoire"),
    "type.text": ("must be text", "يجب أن يكون نصا", "doit être un texte"),
    "type.object": ("must be an object", "يجب أن يكون كائنا", "doit être un objet"),
    "type.bool": (
        "must be true or false",
        "يجب أن يكون صحيحا أو خطأ",
        "doit être vrai ou faux",
    ),
    "text.too_long": (
        "is longer than {max} characters",
        "يتجاوز {max} حرفا",
        "dépasse {max} caractères",
    ),
    "text.control_chars": (
        "contains control characters",
        "يحتوي على رموز تحكم",
        "contient des caractères de contrôle",
    ),
    "script.arabic": (
        "must be written in Arabic letters",
        "يجب أن يكتب بالحروف العربية",
        "doit être écrit en lettres arabes",
    ),
    "script.latin": (
        "must be written in Latin letters",
        "يجب أن يكتب بالحروف اللاتينية",
        "doit être écrit en lettres latines",
    ),
    "script.digits": (
        "a name may not contain digits",
        "لا يجوز أن يتضمن الاسم أرقاما",
        "un nom ne peut pas contenir de chiffres",
    ),
    "script.tifinagh": (
        "must be written in Tifinagh letters",
        "يجب أن يكتب بحروف تيفيناغ",
        "doit être écrit en caractères tifinagh",
    ),
    "date.format": (
        "must be a date written YYYY-MM-DD",
        "يجب أن يكون تاريخا بصيغة YYYY-MM-DD",
        "doit être une date au format AAAA-MM-JJ",
    ),
    "time.format": (
        "must be an hour written HH:MM",
        "يجب أن تكون ساعة بصيغة HH:MM",
        "doit être une heure au format HH:MM",
    ),
    "date.future": (
        "is in the future",
        "تاريخ في المستقبل",
        "est dans le futur",
    ),
    "date.too_old": (
        "is before {min}",
        "سابق لتاريخ {min}",
        "est antérieure au {min}",
    ),
    "choice": (
        "must be one of: {choices}",
        "يجب أن يكون أحد الاختيارات: {choices}",
        "doit être l'une des valeurs : {choices}",
    ),
    "nationality.format": (
        "must be a two-letter ISO country code",
        "يجب أن يكون رمز بلد من حرفين (ISO)",
        "doit être un code pays ISO à deux lettres",
    ),
    "declaration.late_needs_judgment": (
        "declared {days} days after the event: beyond the 30-day delay a declaratory "
        "judgment is required",
        "صرح به بعد {days} يوما من الواقعة: بعد أجل 30 يوما يلزم حكم تصريحي",
        "déclaré {days} jours après l'événement : au-delà de 30 jours un jugement "
        "déclaratif est exigé",
    ),
    "judgment.date_after_registration": (
        "the judgment is dated after the registration",
        "تاريخ الحكم لاحق لتاريخ التسجيل",
        "le jugement est postérieur à l'enregistrement",
    ),
    "parent.too_young": (
        "the parent was younger than {min_age} at the birth",
        "كان سن الوالد أقل من {min_age} سنة عند الولادة",
        "le parent avait moins de {min_age} ans à la naissance",
    ),
    "parent.too_old": (
        "the mother was older than {max_age} at the birth",
        "كان سن الأم أكثر من {max_age} سنة عند الولادة",
        "la mère avait plus de {max_age} ans à la naissance",
    ),
    "death.before_birth": (
        "the death is dated before the birth",
        "تاريخ الوفاة سابق لتاريخ الولادة",
        "le décès est antérieur à la naissance",
    ),
    "name.digits": (
        "a first name may not contain digits",
        "لا يجوز أن يتضمن الاسم الشخصي أرقاما",
        "un prénom ne peut pas contenir de chiffres",
    ),
    "name.title": (
        "a first name may not be or contain a title ({title})",
        "لا يجوز أن يكون الاسم الشخصي لقبا ({title})",
        "un prénom ne peut pas être un titre ({title})",
    ),
    "name.too_many": (
        "a first name may have at most two names ({count} given)",
        "لا يجوز أن يتكون الاسم الشخصي من أكثر من اسمين ({count})",
        "un prénom compte au plus deux noms ({count} donnés)",
    ),
    "name.family_name": (
        "a first name may not be a family name",
        "لا يجوز أن يكون الاسم الشخصي اسما عائليا",
        "un prénom ne peut pas être un nom de famille",
    ),
    "name.place": (
        "a first name may not be a place or tribe name ({place})",
        "لا يجوز أن يكون الاسم الشخصي اسم مكان أو قبيلة ({place})",
        "un prénom ne peut pas être un nom de lieu ou de tribu ({place})",
    ),
    "name.offensive": (
        "a first name may not offend morals or public order",
        "لا يجوز أن يكون الاسم الشخصي مخلا بالأخلاق أو بالنظام العام",
        "un prénom ne peut pas porter atteinte aux bonnes mœurs ou à l'ordre public",
    ),
    "office.unknown_commune": (
        "no commune or arrondissement has the official code {code}",
        "لا توجد جماعة أو مقاطعة بالرمز الرسمي {code}",
        "aucune commune ni arrondissement n'a le code officiel {code}",
    ),
    "office.exists": (
        "office {code} already exists",
        "المكتب {code} موجود مسبقا",
        "le bureau {code} existe déjà",
    ),
    "office.unknown": (
        "no office has the code {code}",
        "لا يوجد مكتب بالرمز {code}",
        "aucun bureau n'a le code {code}",
    ),
    "office.annex_parent": (
        "an annex must belong to a commune or arrondissement office",
        "يجب أن يتبع الملحق مكتب جماعة أو مقاطعة",
        "une annexe dépend d'un bureau de commune ou d'arrondissement",
    ),
    "staff.officer_taken": (
        "office {office} already has an officer ({username})",
        "للمكتب {office} ضابط حالة مدنية ({username})",
        "le bureau {office} a déjà un officier ({username})",
    ),
    "staff.delegate_taken": (
        "office {office} already has a delegate ({username})",
        "للمكتب {office} مفوض له ({username})",
        "le bureau {office} a déjà un délégué ({username})",
    ),
    "staff.username_taken": (
        "the user name {username} is taken",
        "اسم المستخدم {username} مستعمل",
        "l'identifiant {username} est déjà pris",
    ),
    "forbidden.role": (
        "a {role} may not {action}",
        "لا يحق لـ{role} القيام بـ{action}",
        "un {role} ne peut pas {action}",
    ),
    "forbidden.office": (
        "{username} works for office {own}, not {office}",
        "{username} يعمل بالمكتب {own} وليس {office}",
        "{username} travaille au bureau {own}, pas {office}",
    ),
    "forbidden.unknown_actor": (
        "{username} is not an active member of staff of office {office}",
        "{username} ليس موظفا نشيطا بالمكتب {office}",
        "{username} n'est pas un agent actif du bureau {office}",
    ),
    "draft.unknown": (
        "no draft has the id {id}",
        "لا توجد مسودة بالمعرف {id}",
        "aucun brouillon n'a l'identifiant {id}",
    ),
    "draft.not_open": (
        "draft {id} is {status}, not open",
        "المسودة {id} ليست مفتوحة ({status})",
        "le brouillon {id} est {status}, pas ouvert",
    ),
    "act.unknown": (
        "no act has the reference {ref}",
        "لا يوجد رسم بالمرجع {ref}",
        "aucun acte n'a la référence {ref}",
    ),
    "act.ref_format": (
        "an act reference reads OFFICE/YEAR/N|D/NUMBER",
        "يكتب مرجع الرسم: المكتب/السنة/N|D/الرقم",
        "une référence d'acte s'écrit BUREAU/ANNÉE/N|D/NUMÉRO",
    ),
    "register.closed": (
        "the {kind} register of {year} of office {office} is closed",
        "سجل {kind} لسنة {year} بالمكتب {office} مختوم",
        "le registre des {kind} de {year} du bureau {office} est clos",
    ),
    "register.close_too_early": (
        "the register of {year} closes on 31 December {year}, not before",
        "يختم سجل سنة {year} يوم 31 دجنبر {year} وليس قبله",
        "le registre de {year} se clôt le 31 décembre {year}, pas avant",
    ),
    "mention.kind_not_on_act": (
        "a {mention} mention cannot be written on a {kind} act",
        "لا يمكن تضمين بيان {mention} بطرة رسم {kind}",
        "une mention de {mention} ne peut pas figurer sur un acte de {kind}",
    ),
    "mention.correction_field": (
        "{target} cannot be corrected by a {mention} mention",
        "لا يمكن تصحيح {target} ببيان {mention}",
        "{target} ne peut pas être rectifié par une mention de {mention}",
    ),
    "mention.source_after_entry": (
        "the source is dated after the mention",
        "تاريخ المصدر لاحق لتاريخ البيان",
        "la source est postérieure à la mention",
    ),
    "mention.already_dead": (
        "the act already carries a death mention",
        "يحمل الرسم بيان وفاة",
        "l'acte porte déjà une mention de décès",
    ),
    "predeclaration.unknown": (
        "no pre-declaration has the id {id}",
        "لا يوجد تصريح مسبق بالمعرف {id}",
        "aucune pré-déclaration n'a l'identifiant {id}",
    ),
    "predeclaration.used": (
        "pre-declaration {id} is already {status}",
        "التصريح المسبق {id} {status}",
        "la pré-déclaration {id} est déjà {status}",
    ),
    "notice.unknown": (
        "no notice has the id {id}",
        "لا يوجد إشعار بالمعرف {id}",
        "aucun avis n'a l'identifiant {id}",
    ),
    "notice.closed": (
        "notice {id} is already {status}",
        "الإشعار {id} {status}",
        "l'avis {id} est déjà {status}",
    ),
    "notice.wrong_act": (
        "notice {id} concerns act {ref}",
        "الإشعار {id} يخص الرسم {ref}",
        "l'avis {id} concerne l'acte {ref}",
    ),
    "sync.centre_key": (
        "the notices are not signed by the centre's key",
        "الإشعارات غير موقعة بمفتاح المركز",
        "les avis ne sont pas signés par la clé du centre",
    ),
    "search.civil_id_format": (
        "a civil identifier is ten digits with a valid check digit",
        "المعرف المدني عشرة أرقام برقم مراقبة صحيح",
        "un identifiant civil compte dix chiffres avec une clé valide",
    ),
    "search.code_format": (
        "is not an office, commune, province or region code",
        "ليس رمز مكتب أو جماعة أو إقليم أو جهة",
        "n'est pas un code de bureau, commune, province ou région",
    ),
    "search.date_range": (
        "the end of the date range is before its start",
        "نهاية الفترة سابقة لبدايتها",
        "la fin de la période précède son début",
    ),
    "search.no_letters": (
        "contains no letters to search for",
        "لا يتضمن حروفا للبحث",
        "ne contient aucune lettre à chercher",
    ),
    "search.number_range": (
        "must be between {min} and {max}",
        "يجب أن يكون بين {min} و{max}",
        "doit être compris entre {min} et {max}",
    ),
    "search.only_particles": (
        "holds only particles (ال, El, Ben…): add a name",
        "يتضمن أدوات فقط (ال، بن…): أضف اسما",
        "ne contient que des particules (El, Ben…) : ajoutez un nom",
    ),
    "search.page_beyond": (
        "only the first {max} results can be paged through: narrow the search",
        "لا يمكن تصفح أكثر من {max} نتيجة: ضيق البحث",
        "seuls les {max} premiers résultats se parcourent : affinez la recherche",
    ),
    "search.prefix_too_short": (
        "a prefix search needs at least {min} letters before *",
        "يحتاج البحث بالبداية إلى {min} حروف على الأقل قبل *",
        "une recherche par préfixe demande au moins {min} lettres avant *",
    ),
    "search.too_broad": (
        "give a name, a reference, a civil identifier or a date to search",
        "أدخل اسما أو مرجعا أو معرفا مدنيا أو تاريخا للبحث",
        "indiquez un nom, une référence, un identifiant civil ou une date",
    ),
    "search.too_many_words": (
        "at most {max} words",
        "{max} كلمات على الأكثر",
        "{max} mots au plus",
    ),
    "search.wildcard": (
        "* may only end a word",
        "لا يوضع * إلا في آخر الكلمة",
        "* ne peut que terminer un mot",
    ),
    "duplicates.unknown_review": (
        "no duplicate review has the id {id}",
        "لا توجد مراجعة تكرار بالمعرف {id}",
        "aucun examen de doublon n'a l'identifiant {id}",
    ),
    "duplicates.decided": (
        "review {id} is already decided ({status})",
        "تم البت في المراجعة {id} ({status})",
        "l'examen {id} est déjà tranché ({status})",
    ),
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
    "institution.exists": (
        "an institution named {name} is already registered",
        "توجد مؤسسة مسجلة باسم {name}",
        "une institution nommée {name} est déjà enregistrée",
    ),
    "institution.unknown": (
        "no institution has the id {id}",
        "لا توجد مؤسسة بالمعرف {id}",
        "aucune institution n'a l'identifiant {id}",
    ),
    "institution.already_revoked": (
        "institution {name} was already revoked on {at}",
        "سبق سحب ترخيص المؤسسة {name} بتاريخ {at}",
        "l'institution {name} a déjà été révoquée le {at}",
    ),
    "institution.no_token": (
        "an institution token is required (header Authorization: Bearer TOKEN)",
        "يلزم رمز المؤسسة (Authorization: Bearer TOKEN)",
        "un jeton d'institution est exigé (en-tête Authorization: Bearer TOKEN)",
    ),
    "institution.unknown_token": (
        "this institution token is not known to the registry",
        "رمز المؤسسة هذا غير معروف لدى السجل",
        "ce jeton d'institution est inconnu du registre",
    ),
    "institution.revoked": (
        "the token of institution {name} was revoked on {at}",
        "سحب رمز المؤسسة {name} بتاريخ {at}",
        "le jeton de l'institution {name} a été révoqué le {at}",
    ),
    "forbidden.unknown_institution": (
        "{username} is not an institution authorized by the ministry",
        "{username} ليست مؤسسة مرخصا لها من طرف الوزارة",
        "{username} n'est pas une institution autorisée par le ministère",
    ),
    "check.act_or_civil_id": (
        "name the act by its reference (act) or by the person's civil identifier "
        "(civil_id)",
        "حدد الرسم بمرجعه (act) أو بالمعرف المدني للشخص (civil_id)",
        "désignez l'acte par sa référence (act) ou par l'identifiant civil de la "
        "personne (civil_id)",
    ),
    "check.nothing_to_check": (
        "give at least one of the data to check: {fields}",
        "قدم معطى واحدا على الأقل للتحقق منه: {fields}",
        "donnez au moins une des données à vérifier : {fields}",
    ),
    "check.unknown_field": (
        "is not a datum that can be checked; use one of: {fields}",
        "ليس معطى قابلا للتحقق؛ استعمل أحد: {fields}",
        "n'est pas une donnée vérifiable ; utilisez l'une de : {fields}",
    ),
    "check.unknown_civil_id": (
        "no birth act has the civil identifier {civil_id}",
        "لا يوجد رسم ولادة بالمعرف المدني {civil_id}",
        "aucun acte de naissance n'a l'identifiant civil {civil_id}",
    ),
    "check.annulled": (
        "act {ref} is annulled: nothing is checked against it",
        "الرسم {ref} ملغى: لا يتم التحقق بناء عليه",
        "l'acte {ref} est annulé : rien n'est vérifié sur lui",
    ),
    "journal.broken": (
        "journal of {office} broken at entry {seq}: {reason}",
        "سجل العمليات للمكتب {office} مكسور عند القيد {seq}: {reason}",
        "journal du bureau {office} rompu à l'entrée {seq} : {reason}",
    ),
    "key.missing": (
        "the private key of office {office} is not in the key store",
        "المفتاح الخاص بالمكتب {office} غير موجود",
        "la clé privée du bureau {office} est absente du magasin de clés",
    ),
}

_LANGS = {"en": 0, "ar": 1, "fr": 2}


def render(rule: str, language: str = "en", /, **params: object) -> str:
    """The message of ``rule`` in ``language``, with its parameters filled in.

    Positional-only, so a rule may have a parameter called ``lang`` or ``rule``.
    """
    templates = CATALOGUE.get(rule)
    if templates is None:
        return rule
    template = templates[_LANGS.get(language, 0)]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
