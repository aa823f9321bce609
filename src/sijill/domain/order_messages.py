"""The messages of orders by post, in English, Arabic and French (joined to the catalogue)."""

from __future__ import annotations

ORDER_MESSAGES: dict[str, tuple[str, str, str]] = {
    "order.format": (
        "is not in the expected form",
        "ليس بالشكل المطلوب",
        "n'a pas la forme attendue",
    ),
    "order.idempotency_key": (
        "must be 8 to 64 letters, digits, - or _ (the same key for a resent order)",
        "يجب أن يتكون من 8 إلى 64 حرفا أو رقما (نفس المفتاح عند إعادة إرسال الطلب)",
        "doit compter 8 à 64 lettres, chiffres, - ou _ (la même clé pour une commande renvoyée)",
    ),
    "order.copies": (
        "must be a number of copies from 1 to {max}",
        "يجب أن يكون عدد النسخ من 1 إلى {max}",
        "doit être un nombre d'exemplaires de 1 à {max}",
    ),
    "order.parent_required": (
        "give the name of the father or of the mother, as on the act",
        "أدخل اسم الأب أو الأم كما في الرسم",
        "indiquez le nom du père ou de la mère, comme sur l'acte",
    ),
    "order.id_number": (
        "must be an identity card or passport number (AB123456)",
        "يجب أن يكون رقم بطاقة التعريف أو جواز السفر (AB123456)",
        "doit être un numéro de carte d'identité ou de passeport (AB123456)",
    ),
    "order.email": (
        "is not an e-mail address",
        "ليس عنوان بريد إلكتروني",
        "n'est pas une adresse électronique",
    ),
    "order.phone": (
        "is not a telephone number",
        "ليس رقم هاتف",
        "n'est pas un numéro de téléphone",
    ),
    "order.country": (
        "must be a two-letter country code (MA, FR…)",
        "يجب أن يكون رمز البلد من حرفين (MA، FR…)",
        "doit être un code pays à deux lettres (MA, FR…)",
    ),
    "order.postal_code": (
        "is not a postal code of that country (five digits in Morocco)",
        "ليس رمزا بريديا لهذا البلد (خمسة أرقام في المغرب)",
        "n'est pas un code postal de ce pays (cinq chiffres au Maroc)",
    ),
    "order.no_match": (
        "no act matches the details given: check them and order again",
        "لا يطابق أي رسم المعلومات المدلى بها: تحقق منها وأعد الطلب",
        "aucun acte ne correspond aux informations données : vérifiez-les et commandez à nouveau",
    ),
    "order.several_matches": (
        "{count} acts match the details given: add the act number or the parents' names",
        "{count} رسوم تطابق المعلومات المدلى بها: أضف رقم الرسم أو اسمي الوالدين",
        "{count} actes correspondent aux informations données : ajoutez le numéro de l'acte ou les noms des parents",
    ),
    "order.not_entitled": (
        "the requester may not receive this document of this act",
        "لا يحق لصاحب الطلب الحصول على هذه الوثيقة من هذا الرسم",
        "le demandeur ne peut pas recevoir ce document de cet acte",
    ),
    "order.minor_by_parent": (
        "the order of a minor's document is placed by a parent or the guardian",
        "طلب وثيقة القاصر يقدمه أحد الوالدين أو الوصي",
        "la commande du document d'un mineur est faite par un parent ou le tuteur",
    ),
    "order.authorization_unknown": (
        "no such authorization is recorded for this requester and this act",
        "لا يوجد توكيل مسجل بهذا الرقم لصاحب الطلب ولهذا الرسم",
        "aucune autorisation de ce numéro n'est enregistrée pour ce demandeur et cet acte",
    ),
    "order.payment_refused": (
        "the payment was refused",
        "رفض الأداء",
        "le paiement a été refusé",
    ),
    "order.counter_only": (
        "payment at the counter is taken by a clerk",
        "الأداء في الشباك يتسلمه موظف المكتب",
        "le paiement au guichet est encaissé par un agent",
    ),
    "order.idempotency_conflict": (
        "this idempotency key was used for another order",
        "استعمل هذا المفتاح لطلب آخر",
        "cette clé a servi à une autre commande",
    ),
    "order.not_centre": (
        "orders are placed at the central registry",
        "تقدم الطلبات لدى السجل المركزي",
        "les commandes se passent au registre central",
    ),
    "order.unknown": (
        "no order {number}",
        "لا يوجد طلب رقم {number}",
        "aucune commande {number}",
    ),
    "order.status_backwards": (
        "an order at '{current}' cannot move to '{new}'",
        "لا يمكن نقل طلب في مرحلة '{current}' إلى '{new}'",
        "une commande à l'étape « {current} » ne peut passer à « {new} »",
    ),
    "order.id_mismatch": (
        "the identity document shown is not the addressee's",
        "وثيقة التعريف المدلى بها ليست للمرسل إليه",
        "la pièce d'identité présentée n'est pas celle du destinataire",
    ),
    "order.not_here": (
        "order {number} is not for this office",
        "الطلب {number} ليس لهذا المكتب",
        "la commande {number} n'est pas destinée à ce bureau",
    ),
    "order.envelope_unknown": (
        "no envelope {tracking}",
        "لا يوجد ظرف رقم {tracking}",
        "aucune enveloppe {tracking}",
    ),
}
