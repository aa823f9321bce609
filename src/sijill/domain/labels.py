"""How the registry's words read to its users, in Arabic and in French."""

from __future__ import annotations

FIELDS: dict[str, tuple[str, str]] = {
    "first_name_ar": ("الاسم الشخصي", "Prénom (arabe)"),
    "family_name_ar": ("الاسم العائلي", "Nom (arabe)"),
    "first_name_lat": ("الاسم الشخصي بالحروف اللاتينية", "Prénom"),
    "family_name_lat": ("الاسم العائلي بالحروف اللاتينية", "Nom"),
    "first_name_tfng": ("الاسم الشخصي بتيفيناغ", "Prénom (tifinagh)"),
    "family_name_tfng": ("الاسم العائلي بتيفيناغ", "Nom (tifinagh)"),
    "names_ar": ("الاسم الشخصي والعائلي", "Prénom et nom (arabe)"),
    "names_lat": ("بالحروف اللاتينية", "Prénom et nom"),
    "names_tfng": ("بتيفيناغ", "Prénom et nom (tifinagh)"),
    "sex": ("الجنس", "Sexe"),
    "birth_date": ("تاريخ الازدياد", "Date de naissance"),
    "birth_time": ("ساعة الازدياد", "Heure de naissance"),
    "birth_date_hijri": ("تاريخ الازدياد بالهجري", "Date de naissance (hégire)"),
    "death_date_hijri": ("تاريخ الوفاة بالهجري", "Date du décès (hégire)"),
    "birth_place": ("مكان الازدياد", "Lieu de naissance"),
    "birth_commune": ("جماعة الازدياد", "Commune de naissance"),
    "death_date": ("تاريخ الوفاة", "Date du décès"),
    "death_time": ("ساعة الوفاة", "Heure du décès"),
    "death_place": ("مكان الوفاة", "Lieu du décès"),
    "birth_act_ref": ("مرجع رسم الولادة", "Référence de l'acte de naissance"),
    "civil_id": ("المعرف المدني", "Identifiant civil"),
    "father_name": ("اسم الأب", "Nom du père"),
    "mother_name": ("اسم الأم", "Nom de la mère"),
    "profession": ("المهنة", "Profession"),
    "address": ("العنوان", "Adresse"),
    "nationality": ("الجنسية", "Nationalité"),
    "full_name": ("الاسم الكامل", "Nom complet"),
    "relationship": ("الصفة", "Qualité"),
    "id_document": ("رقم وثيقة الهوية", "N° de pièce d'identité"),
    "court": ("المحكمة", "Tribunal"),
    "number": ("الرقم", "Numéro"),
    "date": ("التاريخ", "Date"),
    "child": ("المولود", "Enfant"),
    "deceased": ("المتوفى", "Défunt"),
    "father": ("الأب", "Père"),
    "mother": ("الأم", "Mère"),
    "declarant": ("المصرح", "Déclarant"),
    "judgment": ("الحكم", "Jugement"),
    "first_name_contested": ("اسم شخصي متنازع فيه", "Prénom contesté"),
    "death_act_ref": ("مرجع رسم الوفاة", "Référence de l'acte de décès"),
    "event_date": ("تاريخ الواقعة", "Date de l'événement"),
    "place": ("المكان", "Lieu"),
}

KINDS: dict[str, tuple[str, str]] = {
    "birth": ("الولادات", "naissances"),
    "death": ("الوفيات", "décès"),
}
ACT_TITLES: dict[str, tuple[str, str]] = {
    "birth": ("رسم ولادة", "Acte de naissance"),
    "death": ("رسم وفاة", "Acte de décès"),
}
SEXES: dict[str, tuple[str, str]] = {"M": ("ذكر", "masculin"), "F": ("أنثى", "féminin")}
RELATIONSHIPS: dict[str, tuple[str, str]] = {
    "father": ("الأب", "père"),
    "mother": ("الأم", "mère"),
    "grandparent": ("الجد أو الجدة", "grand-parent"),
    "sibling": ("الأخ أو الأخت", "frère ou sœur"),
    "relative": ("قريب", "parent"),
    "spouse": ("الزوج أو الزوجة", "conjoint"),
    "child": ("الابن أو البنت", "enfant"),
    "doctor": ("الطبيب", "médecin"),
    "midwife": ("القابلة", "sage-femme"),
    "hospital": ("المستشفى", "hôpital"),
    "local_authority": ("السلطة المحلية", "autorité locale"),
    "prosecutor": ("النيابة العامة", "ministère public"),
    "other": ("آخر", "autre"),
}
OFFICE_KINDS: dict[str, tuple[str, str]] = {
    "commune": ("جماعة", "commune"),
    "arrondissement": ("مقاطعة", "arrondissement"),
    "annex": ("ملحقة", "annexe"),
    "consulate": ("قنصلية", "consulat"),
}
AUTHORITIES: dict[str, tuple[str, str]] = {
    "adouls": ("العدول", "adouls"),
    "court": ("المحكمة", "tribunal"),
    "prosecutor": ("النيابة العامة", "parquet"),
    "interior": ("وزارة الداخلية", "Intérieur"),
    "consulate": ("القنصلية", "consulat"),
    "officer": ("ضابط الحالة المدنية", "officier"),
}


NOTICE_STATES: dict[str, tuple[str, str]] = {
    "matching": ("في انتظار المطابقة", "à rapprocher"),
    "issued": ("صادر", "émis"),
    "delivered": ("مسلم", "remis"),
    "applied": ("مطبق", "appliqué"),
    "returned": ("مرجع", "renvoyé"),
}
NOTICE_KINDS: dict[str, tuple[str, str]] = {
    "death": ("وفاة", "décès"),
    "marriage": ("زواج", "mariage"),
    "divorce": ("طلاق", "divorce"),
    "correction_judgment": ("تصحيح بحكم", "rectification judiciaire"),
    "correction_prosecutor": ("تصحيح بإذن النيابة العامة", "rectification du parquet"),
    "latin_transcription": ("تغيير الكتابة اللاتينية", "transcription latine"),
    "recognition": ("إقرار بالبنوة", "reconnaissance"),
    "annulment": ("إلغاء", "annulation"),
    "declaratory_birth": ("حكم تصريحي بولادة", "jugement déclaratif de naissance"),
    "declaratory_death": ("حكم تصريحي بوفاة", "jugement déclaratif de décès"),
}


def label(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """The Arabic (``ar``) or French (``fr``) word for ``key``; the key itself if unknown."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "ar" else pair[1]
