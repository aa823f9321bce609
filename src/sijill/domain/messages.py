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
    "type.array": (
        "must be a list of at most {max} items",
        "يجب أن تكون قائمة من {max} عنصر على الأكثر",
        "doit être une liste d'au plus {max} éléments",
    ),
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
    "rollout.one_scope": (
        "give exactly one of --province, --region or --all",
        "حدد إقليما أو جهة أو الكل، واحدا فقط",
        "indiquez une seule portée : --province, --region ou --all",
    ),
    "rollout.unknown_province": (
        "no province or prefecture has the official code {code}",
        "لا يوجد إقليم أو عمالة بالرمز الرسمي {code}",
        "aucune province ni préfecture n'a le code officiel {code}",
    ),
    "rollout.unknown_region": (
        "no region has the official code {code}",
        "لا توجد جهة بالرمز الرسمي {code}",
        "aucune région n'a le code officiel {code}",
    ),
    "office.merge_self": (
        "an office cannot be merged into itself",
        "لا يمكن دمج مكتب في نفسه",
        "un bureau ne peut pas être fusionné avec lui-même",
    ),
    "office.closed": (
        "office {code} is closed; its registers are held by office {holder}",
        "المكتب {code} مغلق؛ سجلاته لدى المكتب {holder}",
        "le bureau {code} est fermé ; ses registres sont tenus par le bureau {holder}",
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
    "forbidden.purpose": (
        "a {role} may not act for the purpose {purpose}",
        "لا يحق لـ{role} العمل لغرض {purpose}",
        "un {role} ne peut pas agir pour la finalité {purpose}",
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
    "sync.office_mismatch": (
        "must be the office whose key signs the request",
        "يجب أن يكون المكتب الذي وقع الطلب بمفتاحه",
        "doit être le bureau dont la clé signe la demande",
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
    "notice.to_draft": (
        "notice {id} orders an act registered: draft it from the pre-declarations, "
        "the notice is closed when the act is signed",
        "الإشعار {id} يأمر بتسجيل رسم: حرره من التصاريح المسبقة، ويقفل الإشعار عند "
        "توقيع الرسم",
        "l'avis {id} ordonne l'inscription d'un acte : dressez-le depuis les "
        "pré-déclarations, l'avis est clos à la signature de l'acte",
    ),
    "office.not_in_network": (
        "office {code} is not in the network (no key enrolled at the centre)",
        "المكتب {code} غير مرتبط بالشبكة (لا مفتاح مسجل لدى المركز)",
        "le bureau {code} n'est pas dans le réseau (aucune clé enregistrée au centre)",
    ),
    "office.not_onboarded": (
        "office {code} was not brought into service from this machine",
        "المكتب {code} لم يدمج انطلاقا من هذا الجهاز",
        "le bureau {code} n'a pas été mis en service depuis cette machine",
    ),
    "onboard.todo.credentials": (
        "Hand the officer ({officer}) his sheet in person: a one-time password to "
        "change at the first sign-in (24 h) and a TOTP secret for an authenticator "
        "app; then delete the file:",
        "سلم ضابط الحالة المدنية ({officer}) ورقته يدا بيد: كلمة مرور لمرة واحدة "
        "تغير عند أول دخول (24 ساعة) ومفتاح TOTP لتطبيق المصادقة؛ ثم احذف الملف:",
        "Remettre en main propre sa fiche à l'officier ({officer}) : un mot de passe "
        "à usage unique à changer à la première connexion (24 h) et un secret TOTP "
        "pour une application d'authentification ; puis supprimer le fichier :",
    ),
    "onboard.todo.officer_name": (
        "Record the officer's own name (the commune president or his delegate): "
        "the account was opened under the office's title.",
        "سجل الاسم الشخصي لضابط الحالة المدنية (رئيس الجماعة أو نائبه): فتح "
        "الحساب باسم صفة المكتب.",
        "Enregistrer le nom de l'officier (le président de la commune ou son "
        "délégué) : le compte a été ouvert au titre du bureau.",
    ),
    "onboard.todo.serve": (
        "Copy the office's directory to its server and start it there:",
        "انسخ مجلد المكتب إلى خادمه وشغله هناك:",
        "Copier le répertoire du bureau sur son serveur et l'y démarrer :",
    ),
    "onboard.todo.agent": (
        "Start the sync agent beside it:",
        "شغل وكيل المزامنة بجانبه:",
        "Démarrer l'agent de synchronisation à côté :",
    ),
    "onboard.todo.backup": (
        "Keep a backup of the office key offline (encrypt it with "
        "SIJILL_KEY_PASSPHRASE):",
        "احتفظ بنسخة احتياطية من مفتاح المكتب خارج الشبكة (مشفرة بـ "
        "SIJILL_KEY_PASSPHRASE):",
        "Garder une copie de la clé du bureau hors ligne (chiffrée avec "
        "SIJILL_KEY_PASSPHRASE) :",
    ),
    "onboard.todo.staff": (
        "Appoint the delegate and the clerks:",
        "عين النائب والموظفين:",
        "Nommer le délégué et les agents :",
    ),
    "onboard.todo.legacy": (
        "Inventory the legacy paper registers and plan their digitization:",
        "اجرد السجلات الورقية القديمة وخطط لرقمنتها:",
        "Inventorier les anciens registres papier et planifier leur numérisation :",
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
        "the passphrase does not open the ministry root key (it cannot be recovered: "
        "without it no office key can be certified; ask the other holders of the "
        "passphrase)",
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
    "audit.unchained": (
        "an audit entry has no place in the chain (inserted)",
        "قيد في سجل التدقيق بلا مكان في السلسلة (مدرج)",
        "une entrée d'audit n'a pas de place dans la chaîne (insérée)",
    ),
    "audit.missing": (
        "audit entry {seq} is missing (deleted)",
        "قيد التدقيق {seq} مفقود (محذوف)",
        "l'entrée d'audit {seq} manque (supprimée)",
    ),
    "audit.duplicate": (
        "audit entry {seq} appears twice (inserted)",
        "قيد التدقيق {seq} مكرر (مدرج)",
        "l'entrée d'audit {seq} figure deux fois (insérée)",
    ),
    "audit.link": (
        "audit entry {seq} does not follow the entry before it",
        "قيد التدقيق {seq} لا يتبع القيد الذي قبله",
        "l'entrée d'audit {seq} ne suit pas l'entrée précédente",
    ),
    "audit.changed": (
        "audit entry {seq} was changed after it was written",
        "قيد التدقيق {seq} عُدّل بعد تسجيله",
        "l'entrée d'audit {seq} a été modifiée après son écriture",
    ),
    "audit.head": (
        "the end of the audit chain is not entry {seq} as recorded",
        "نهاية سلسلة التدقيق ليست القيد {seq} كما هو مسجل",
        "la fin de la chaîne d'audit n'est pas l'entrée {seq} enregistrée",
    ),
    "audit.checkpoint_signature": (
        "the checkpoint at audit entry {seq} is not signed by a trusted key",
        "نقطة المراقبة عند القيد {seq} غير موقعة بمفتاح موثوق",
        "le point de contrôle à l'entrée {seq} n'est pas signé par une clé de confiance",
    ),
    "audit.checkpoint_mismatch": (
        "audit entry {seq} is not the one its signed checkpoint names",
        "قيد التدقيق {seq} ليس هو الذي تحدده نقطة المراقبة الموقعة",
        "l'entrée d'audit {seq} n'est pas celle que nomme son point de contrôle signé",
    ),
    "audit.unknown_person": (
        "no act is known by {person}",
        "لا يوجد رسم معروف بـ{person}",
        "aucun acte n'est connu sous {person}",
    ),
    "auth.failed": (
        "wrong user name, password or code",
        "اسم المستخدم أو كلمة المرور أو الرمز غير صحيح",
        "identifiant, mot de passe ou code incorrect",
    ),
    "auth.locked": (
        "too many failed attempts: the account is locked for {minutes} minutes",
        "محاولات فاشلة كثيرة: الحساب مقفل لمدة {minutes} دقيقة",
        "trop d'échecs : le compte est verrouillé pendant {minutes} minutes",
    ),
    "auth.bad_code": (
        "this one-time code is wrong, used or expired",
        "هذا الرمز المؤقت غير صحيح أو مستعمل أو منتهي الصلاحية",
        "ce code à usage unique est faux, déjà utilisé ou expiré",
    ),
    "auth.required": (
        "please sign in",
        "يرجى تسجيل الدخول",
        "veuillez vous connecter",
    ),
    "auth.csrf": (
        "this form has expired or did not come from this site; reload the page",
        "انتهت صلاحية هذه الاستمارة أو لم تصدر عن هذا الموقع؛ أعد تحميل الصفحة",
        "ce formulaire a expiré ou ne vient pas de ce site ; rechargez la page",
    ),
    "page.not_found": (
        "there is no page at this address",
        "لا توجد صفحة بهذا العنوان",
        "il n'y a pas de page à cette adresse",
    ),
    "page.failed": (
        "the page could not be produced; nothing was written. Try again, or tell "
        "the supervisor (reference {reference})",
        "تعذر إعداد الصفحة ولم يسجل أي شيء. أعد المحاولة أو أخبر المشرف (المرجع {reference})",
        "la page n'a pas pu être produite ; rien n'a été enregistré. Réessayez ou "
        "prévenez le superviseur (référence {reference})",
    ),
    "request.malformed": (
        "the request is incomplete or malformed: {fields}",
        "الطلب ناقص أو غير سليم: {fields}",
        "la demande est incomplète ou mal formée : {fields}",
    ),
    "draft.duplicates_unconfirmed": (
        "acts that are probably the same person exist: check them, then confirm "
        "the signature",
        "توجد رسوم يرجح أنها لنفس الشخص: راجعها ثم أكد التوقيع",
        "des actes concernent probablement la même personne : vérifiez-les, puis "
        "confirmez la signature",
    ),
    "account.unknown": (
        "no account has the user name {username}",
        "لا يوجد حساب باسم المستخدم {username}",
        "aucun compte n'a l'identifiant {username}",
    ),
    "account.civil_id": (
        "a citizen's account needs their 10-digit civil identifier",
        "حساب المواطن يتطلب معرفه المدني المكون من 10 أرقام",
        "le compte d'un citoyen demande son identifiant civil à 10 chiffres",
    ),
    "password.too_short": (
        "must be at least {min} characters long",
        "يجب ألا تقل عن {min} حرفا",
        "doit compter au moins {min} caractères",
    ),
    "password.has_username": (
        "may not contain the user name",
        "لا يجوز أن تتضمن اسم المستخدم",
        "ne doit pas contenir l'identifiant",
    ),
    "token.unknown": (
        "no API token has the id {id}",
        "لا يوجد رمز وصول بالمعرف {id}",
        "aucun jeton d'API n'a l'identifiant {id}",
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
    "legacy.number": (
        "must be the act's number in the paper register, a whole number from 1",
        "يجب أن يكون رقم الرسم في السجل الورقي، عددا صحيحا ابتداء من 1",
        "doit être le numéro de l'acte dans le registre papier, un entier à partir de 1",
    ),
    "legacy.hijri_date": (
        "is not a day of the Hijri calendar written YYYY-MM-DD (years 1343 to 1500)",
        "ليس يوما من التقويم الهجري بصيغة YYYY-MM-DD (من 1343 إلى 1500)",
        "n'est pas un jour du calendrier hégirien au format AAAA-MM-JJ (1343 à 1500)",
    ),
    "legacy.date_outside_register": (
        "falls after the register's year {year} or before 1900",
        "يقع بعد سنة السجل {year} أو قبل 1900",
        "tombe après l'année du registre {year} ou avant 1900",
    ),
    "legacy.commune_unknown": (
        "{value}: no commune of today has this code or this old name",
        "{value}: لا توجد جماعة حالية بهذا الرمز أو بهذا الاسم القديم",
        "{value} : aucune commune actuelle n'a ce code ni cet ancien nom",
    ),
    "legacy.number_taken": (
        "act number {number} is already in this register",
        "الرسم رقم {number} موجود في هذا السجل",
        "l'acte numéro {number} figure déjà dans ce registre",
    ),
    "legacy.number_twice": (
        "act number {number} is keyed for two lines of the batch",
        "الرقم {number} مرقون لسطرين من الدفعة",
        "le numéro {number} est saisi pour deux lignes du lot",
    ),
    "keying.position": (
        "must be a whole number from 1",
        "يجب أن يكون عددا صحيحا ابتداء من 1",
        "doit être un entier à partir de 1",
    ),
    "keying.page_outside": (
        "page {page} is outside the batch's pages {first} to {last}",
        "الصفحة {page} خارج صفحات الدفعة من {first} إلى {last}",
        "la page {page} est hors des pages du lot, de {first} à {last}",
    ),
    "keying.unknown_field": (
        "is not a field of a keyed {kind} act",
        "ليس حقلا من حقول الرسم المرقون ({kind})",
        "n'est pas un champ d'un acte saisi ({kind})",
    ),
    "keying.same_keyer_twice": (
        "keyer {keyer} keyed page {page} line {line} twice",
        "رقن {keyer} الصفحة {page} السطر {line} مرتين",
        "l'opérateur {keyer} a saisi deux fois la page {page}, ligne {line}",
    ),
    "keying.third": (
        "page {page} line {line} is already keyed twice ({keyers}): a third keying is refused",
        "الصفحة {page} السطر {line} مرقون مرتين ({keyers}): يرفض رقن ثالث",
        "page {page}, ligne {line} déjà saisie deux fois ({keyers}) : une troisième saisie est refusée",
    ),
    "file.encoding": (
        "is not {encoding} text (byte {position})",
        "ليس نصا بترميز {encoding} (البايت {position})",
        "n'est pas un texte {encoding} (octet {position})",
    ),
    "file.truncated": (
        "ends in the middle of a row: the file was cut",
        "ينتهي في وسط سطر: الملف مبتور",
        "se termine au milieu d'une ligne : le fichier a été coupé",
    ),
    "file.columns": (
        "has {found} values where the header names {expected}",
        "يحتوي على {found} قيمة بينما يذكر الرأس {expected}",
        "a {found} valeurs alors que l'en-tête en nomme {expected}",
    ),
    "file.json": (
        "is not one JSON object on its line",
        "ليس كائن JSON واحدا في سطره",
        "n'est pas un objet JSON sur sa ligne",
    ),
    "file.header": (
        "the header lacks the column {column}",
        "ينقص الرأس العمود {column}",
        "il manque la colonne {column} à l'en-tête",
    ),
    "file.empty": (
        "holds no keyed row",
        "لا يحتوي على أي سطر مرقون",
        "ne contient aucune ligne saisie",
    ),
    "digitize.batch_unknown": (
        "there is no batch {batch}",
        "لا توجد دفعة {batch}",
        "il n'y a pas de lot {batch}",
    ),
    "digitize.batch_mismatch": (
        "batch {batch} exists with another {field}",
        "الدفعة {batch} موجودة بقيمة أخرى لـ {field}",
        "le lot {batch} existe avec un autre {field}",
    ),
    "digitize.batch_status": (
        "batch {batch} is {status}: it cannot be {action}",
        "الدفعة {batch} في حالة {status}: لا يمكن {action}",
        "le lot {batch} est {status} : impossible de {action}",
    ),
    "digitize.own_batch": (
        "{username} keyed batch {batch}: a keyer never adjudicates nor reviews it",
        "{username} رقن الدفعة {batch}: لا يفصل الراقن في دفعته ولا يراجعها",
        "{username} a saisi le lot {batch} : un opérateur n'arbitre ni ne contrôle son lot",
    ),
    "digitize.open_items": (
        "batch {batch} still has {disagreements} open disagreement(s) and {failing} act(s) failing the rules",
        "الدفعة {batch} لا تزال بها {disagreements} خلافات مفتوحة و{failing} رسوم مخالفة للقواعد",
        "le lot {batch} a encore {disagreements} désaccord(s) ouvert(s) et {failing} acte(s) en infraction",
    ),
    "digitize.unknown_item": (
        "batch {batch} has nothing to decide at page {page} line {line} ({field})",
        "لا شيء للبت فيه في الدفعة {batch} الصفحة {page} السطر {line} ({field})",
        "rien à trancher dans le lot {batch}, page {page}, ligne {line} ({field})",
    ),
    "digitize.not_sampled": (
        "page {page} line {line} is not in the sample of batch {batch}",
        "الصفحة {page} السطر {line} ليست ضمن عينة الدفعة {batch}",
        "la page {page}, ligne {line} n'est pas dans l'échantillon du lot {batch}",
    ),
    "digitize.review_incomplete": (
        "{count} sampled act(s) of batch {batch} are not reviewed yet",
        "{count} رسوم من عينة الدفعة {batch} لم تراجع بعد",
        "{count} acte(s) de l'échantillon du lot {batch} ne sont pas encore contrôlés",
    ),
    # --- vital statistics -------------------------------------------------------
    "stats.no_data": (
        "no data for this period ({period}): the registry holds no act for {table}",
        "لا توجد معطيات لهذه الفترة ({period}): لا يتضمن السجل أي رسم لـ {table}",
        "aucune donnée pour cette période ({period}) : le registre ne contient aucun acte pour {table}",
    ),
    "stats.unknown_place": (
        "there is no {level} with the HCP code {code}",
        "لا يوجد في تقسيم المندوبية السامية للتخطيط أي مكان بالرمز {code}",
        "aucun lieu de code HCP {code} dans le découpage du HCP",
    ),
    "stats.one_place": (
        "give one place only: a region, a province or a commune",
        "حدد مكانا واحدا فقط: جهة أو إقليما أو جماعة",
        "indiquez un seul lieu : une région, une province ou une commune",
    ),
    "stats.year_or_range": (
        "give either one year or a range of years, not both",
        "حدد سنة واحدة أو فترة من السنوات، لا الاثنين معا",
        "indiquez une année ou une période, pas les deux",
    ),
    "stats.year_range": (
        "must be a year between {min} and {max}",
        "يجب أن تكون سنة بين {min} و{max}",
        "doit être une année entre {min} et {max}",
    ),
    "stats.year_order": (
        "the last year comes before the first",
        "السنة الأخيرة سابقة للسنة الأولى",
        "la dernière année précède la première",
    ),
    "stats.threshold_public": (
        "a public table must suppress small cells: the threshold must be at least 1 (default 5), not {threshold}",
        "يجب أن يخفي الجدول المنشور الخلايا الصغيرة: العتبة لا تقل عن 1 (افتراضيا 5)، وليس {threshold}",
        "un tableau public doit masquer les petites cellules : le seuil vaut au moins 1 (5 par défaut), pas {threshold}",
    ),
    "stats.threshold_negative": (
        "must be 0 or more",
        "يجب أن يكون 0 أو أكثر",
        "doit valoir 0 ou plus",
    ),
    "stats.unknown_table": (
        "there is no table {table}; the tables are: {known}",
        "لا يوجد جدول {table}؛ الجداول هي: {known}",
        "il n'y a pas de tableau {table} ; les tableaux sont : {known}",
    ),
    "stats.outside_province": (
        "{username} supervises province {own}: {place} lies outside it",
        "{username} يشرف على الإقليم {own}: {place} خارج نطاقه",
        "{username} supervise la province {own} : {place} est hors de son ressort",
    ),
    "stats.birth_rate": (
        "must be REGION=RATE, a crude birth rate per 1,000 inhabitants between 0 and 80",
        "يجب أن يكون جهة=معدل، معدل ولادات خام لكل 1000 نسمة بين 0 و80",
        "doit être RÉGION=TAUX, un taux brut de natalité pour 1 000 habitants entre 0 et 80",
    ),
    # tables of vital statistics: titles, columns, rows and notes
    "stats.title.births.month": (
        "Live births by month and sex, {period}",
        "الولادات الحية حسب الشهر والجنس، {period}",
        "Naissances vivantes par mois et sexe, {period}",
    ),
    "stats.title.births.occurrence": (
        "Live births by place of occurrence and sex, {period}",
        "الولادات الحية حسب مكان الوقوع والجنس، {period}",
        "Naissances vivantes par lieu de survenance et sexe, {period}",
    ),
    "stats.title.births.registration": (
        "Live births by place of registration and sex, {period}",
        "الولادات الحية حسب مكان التسجيل والجنس، {period}",
        "Naissances vivantes par lieu d'enregistrement et sexe, {period}",
    ),
    "stats.title.births.setting": (
        "Live births by urban or rural setting and sex, {period}",
        "الولادات الحية حسب الوسط الحضري أو القروي والجنس، {period}",
        "Naissances vivantes par milieu urbain ou rural et sexe, {period}",
    ),
    "stats.title.births.mother_age": (
        "Live births by age of the mother and sex, {period}",
        "الولادات الحية حسب سن الأم والجنس، {period}",
        "Naissances vivantes par âge de la mère et sexe, {period}",
    ),
    "stats.title.deaths.month": (
        "Deaths by month and sex, {period}",
        "الوفيات حسب الشهر والجنس، {period}",
        "Décès par mois et sexe, {period}",
    ),
    "stats.title.deaths.age": (
        "Deaths by age group and sex, {period}",
        "الوفيات حسب الفئة العمرية والجنس، {period}",
        "Décès par groupe d'âge et sexe, {period}",
    ),
    "stats.title.deaths.place": (
        "Deaths by place and sex, {period}",
        "الوفيات حسب المكان والجنس، {period}",
        "Décès par lieu et sexe, {period}",
    ),
    "stats.title.late.births": (
        "Late birth registrations (declaratory judgment) by year of occurrence and of registration, {period}",
        "التسجيلات المتأخرة للولادات (حكم تصريحي) حسب سنة الوقوع وسنة التسجيل، {period}",
        "Naissances enregistrées tardivement (jugement déclaratif) par année de survenance et d'enregistrement, {period}",
    ),
    "stats.title.late.deaths": (
        "Late death registrations (declaratory judgment) by year of occurrence and of registration, {period}",
        "التسجيلات المتأخرة للوفيات (حكم تصريحي) حسب سنة الوقوع وسنة التسجيل، {period}",
        "Décès enregistrés tardivement (jugement déclaratif) par année de survenance et d'enregistrement, {period}",
    ),
    "stats.title.timeliness.office": (
        "Timeliness: events registered within the legal delay, by office, {period}",
        "آجال التسجيل: الوقائع المسجلة داخل الأجل القانوني حسب المكتب، {period}",
        "Délais : événements enregistrés dans le délai légal, par bureau, {period}",
    ),
    "stats.title.timeliness.region": (
        "Timeliness: events registered within the legal delay, by region, {period}",
        "آجال التسجيل: الوقائع المسجلة داخل الأجل القانوني حسب الجهة، {period}",
        "Délais : événements enregistrés dans le délai légal, par région, {period}",
    ),
    "stats.title.trends": (
        "Births and deaths year by year, {period}",
        "الولادات والوفيات سنة بسنة، {period}",
        "Naissances et décès année par année, {period}",
    ),
    "stats.title.completeness": (
        "Completeness of birth registration by commune, {period}",
        "شمولية تسجيل الولادات حسب الجماعة، {period}",
        "Exhaustivité de l'enregistrement des naissances par commune, {period}",
    ),
    "stats.col.M": ("Male", "ذكور", "Masculin"),
    "stats.col.F": ("Female", "إناث", "Féminin"),
    "stats.col.total": ("Total", "المجموع", "Total"),
    "stats.col.births": ("Births", "الولادات", "Naissances"),
    "stats.col.births_M": ("Births, male", "ولادات الذكور", "Naissances masculines"),
    "stats.col.births_F": ("Births, female", "ولادات الإناث", "Naissances féminines"),
    "stats.col.late_births": (
        "Late births",
        "ولادات مسجلة متأخرة",
        "Naissances tardives",
    ),
    "stats.col.deaths": ("Deaths", "الوفيات", "Décès"),
    "stats.col.births_on_time": (
        "Births on time",
        "ولادات في الأجل",
        "Naissances dans le délai",
    ),
    "stats.col.births_share": (
        "Share on time (births)",
        "نسبة الولادات في الأجل",
        "Part dans le délai (naissances)",
    ),
    "stats.col.deaths_on_time": (
        "Deaths on time",
        "وفيات في الأجل",
        "Décès dans le délai",
    ),
    "stats.col.deaths_share": (
        "Share on time (deaths)",
        "نسبة الوفيات في الأجل",
        "Part dans le délai (décès)",
    ),
    "stats.col.population": ("Population", "السكان", "Population"),
    "stats.col.birth_rate": (
        "Crude birth rate (‰)",
        "معدل الولادات الخام (‰)",
        "Taux brut de natalité (‰)",
    ),
    "stats.col.expected": (
        "Expected births",
        "الولادات المتوقعة",
        "Naissances attendues",
    ),
    "stats.col.registered": (
        "Registered births",
        "الولادات المسجلة",
        "Naissances enregistrées",
    ),
    "stats.col.completeness": ("Completeness", "نسبة الشمولية", "Exhaustivité"),
    "stats.col.flagged": ("Below the mark", "دون العتبة", "Sous le seuil"),
    "stats.row.abroad": (
        "Abroad (consulates)",
        "بالخارج (القنصليات)",
        "À l'étranger (consulats)",
    ),
    "stats.row.unknown": ("Not stated", "غير مصرح به", "Non déclaré"),
    "stats.row.urban": ("Urban", "حضري", "Urbain"),
    "stats.row.rural": ("Rural", "قروي", "Rural"),
    "stats.row.age_under": ("Under {age}", "أقل من {age} سنة", "Moins de {age} ans"),
    "stats.row.age_over": ("{age} and over", "{age} سنة فأكثر", "{age} ans et plus"),
    "stats.row.age_infant": ("Under 1", "أقل من سنة", "Moins d'un an"),
    "stats.row.age_range": ("{age}", "{age} سنة", "{age} ans"),
    "stats.row.month.1": ("January", "يناير", "janvier"),
    "stats.row.month.2": ("February", "فبراير", "février"),
    "stats.row.month.3": ("March", "مارس", "mars"),
    "stats.row.month.4": ("April", "أبريل", "avril"),
    "stats.row.month.5": ("May", "ماي", "mai"),
    "stats.row.month.6": ("June", "يونيو", "juin"),
    "stats.row.month.7": ("July", "يوليوز", "juillet"),
    "stats.row.month.8": ("August", "غشت", "août"),
    "stats.row.month.9": ("September", "شتنبر", "septembre"),
    "stats.row.month.10": ("October", "أكتوبر", "octobre"),
    "stats.row.month.11": ("November", "نونبر", "novembre"),
    "stats.row.month.12": ("December", "دجنبر", "décembre"),
    "stats.note.occurrence": (
        "Births are placed by their commune of occurrence as declared (else the registering office) and dated by the day of birth.",
        "تنسب الولادات إلى جماعة وقوعها كما صرح بها (وإلا فإلى مكتب التسجيل) وتؤرخ بيوم الازدياد.",
        "Les naissances sont rattachées à leur commune de survenance déclarée (à défaut au bureau d'enregistrement) et datées du jour de naissance.",
    ),
    "stats.note.residence": (
        "The declaration records no coded place of usual residence (the mother's address is free text): the place of the registering office stands in for it.",
        "لا يتضمن التصريح مكان الإقامة المعتادة مرمزا (عنوان الأم نص حر): يعتمد مكان مكتب التسجيل بدلا منه.",
        "La déclaration ne code pas le lieu de résidence habituelle (l'adresse de la mère est un texte libre) : le lieu du bureau d'enregistrement en tient lieu.",
    ),
    "stats.note.mother_age": (
        "Age of the mother in completed years at the birth, from her birth date; 'not stated' where the act gives none.",
        "سن الأم بالسنوات الكاملة يوم الولادة، محسوبا من تاريخ ازديادها؛ «غير مصرح به» حين لا يذكره الرسم.",
        "Âge de la mère en années révolues à la naissance, d'après sa date de naissance ; « non déclaré » quand l'acte ne la donne pas.",
    ),
    "stats.note.birth_order": (
        "Birth order is not tabulated: the birth act (decree 2-99-665, art. 18) does not record it.",
        "لا يجدول ترتيب الولادة: رسم الولادة (المرسوم 2-99-665، المادة 18) لا يتضمنه.",
        "Le rang de naissance n'est pas tabulé : l'acte de naissance (décret 2-99-665, art. 18) ne le mentionne pas.",
    ),
    "stats.note.death_age": (
        "Age at death in completed years, from the birth date when the death act gives it.",
        "السن عند الوفاة بالسنوات الكاملة، من تاريخ الازدياد حين يذكره رسم الوفاة.",
        "Âge au décès en années révolues, d'après la date de naissance quand l'acte de décès la donne.",
    ),
    "stats.note.death_place": (
        "The place of death is free text on the act: deaths are placed by the registering office.",
        "مكان الوفاة نص حر في الرسم: تنسب الوفيات إلى مكتب التسجيل.",
        "Le lieu du décès est un texte libre sur l'acte : les décès sont rattachés au bureau d'enregistrement.",
    ),
    "stats.note.late": (
        "Acts entered on a declaratory judgment, in the registers of the period.",
        "الرسوم المسجلة بناء على حكم تصريحي في سجلات الفترة.",
        "Actes inscrits sur jugement déclaratif dans les registres de la période.",
    ),
    "stats.note.registration_place": (
        "Places are those of the registering offices.",
        "الأماكن هي أماكن مكاتب التسجيل.",
        "Les lieux sont ceux des bureaux d'enregistrement.",
    ),
    "stats.note.timeliness": (
        "On time: signed within {days} days of the event; acts digitized from legacy registers are left out (their registration date is not known).",
        "في الأجل: موقع داخل {days} يوما من الواقعة؛ تستثنى الرسوم المرقمنة من السجلات القديمة (تاريخ تسجيلها غير معروف).",
        "Dans le délai : signé dans les {days} jours suivant l'événement ; les actes numérisés des anciens registres sont exclus (leur date d'enregistrement est inconnue).",
    ),
    "stats.note.trends": (
        "Events by year of occurrence; late births are those registered on a declaratory judgment.",
        "الوقائع حسب سنة وقوعها؛ الولادات المتأخرة هي المسجلة بحكم تصريحي.",
        "Événements par année de survenance ; les naissances tardives sont celles inscrites sur jugement déclaratif.",
    ),
    "stats.note.completeness": (
        "Expected births = census population of the year (linear between 2014 and 2024) × the crude birth rate of the region (default: 2024 census share aged 0-4 ÷ 5). {flagged} commune(s) below {flag_below}; {uncovered} commune(s) without an office in the registry are not rated.",
        "الولادات المتوقعة = سكان السنة حسب الإحصاء (خطيا بين 2014 و2024) × معدل الولادات الخام للجهة (افتراضيا: نسبة الفئة 0-4 سنوات في إحصاء 2024 ÷ 5). {flagged} جماعة دون {flag_below}؛ لا تقيم {uncovered} جماعة ليس لها مكتب في السجل.",
        "Naissances attendues = population de l'année (linéaire entre les recensements 2014 et 2024) × taux brut de natalité de la région (par défaut : part des 0-4 ans au recensement 2024 ÷ 5). {flagged} commune(s) sous {flag_below} ; {uncovered} commune(s) sans bureau dans le registre ne sont pas évaluées.",
    ),
    "stats.note.suppressed": (
        "Cells from 1 to {threshold} - 1 are suppressed (shown as ×), with the cells that would reveal them.",
        "الخلايا من 1 إلى {threshold} ناقص 1 مخفاة (×)، ومعها الخلايا التي قد تكشفها.",
        "Les cellules de 1 à {threshold} - 1 sont masquées (×), ainsi que celles qui les révéleraient.",
    ),
    "digitize.worker_died": (
        "the process running batch {batch} stopped; run the step again to resume it",
        "توقفت العملية التي كانت تعالج الدفعة {batch}؛ أعد تشغيل المرحلة لاستئنافها",
        "le processus qui traitait le lot {batch} s'est arrêté ; relancez l'étape pour le reprendre",
    ),
    "digitize.single_keying": (
        "{count} act(s) of batch {batch} are keyed once only: each act is keyed twice",
        "{count} رسوم من الدفعة {batch} مرقونة مرة واحدة: يرقن كل رسم مرتين",
        "{count} acte(s) du lot {batch} ne sont saisis qu'une fois : chaque acte est saisi deux fois",
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


def _join_order_messages() -> None:
    from sijill.domain.order_messages import ORDER_MESSAGES

    CATALOGUE.update(ORDER_MESSAGES)


_join_order_messages()
