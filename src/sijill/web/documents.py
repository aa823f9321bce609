"""The public check of an issued document: ``/verify/{number}`` (page) and its JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from sijill.documents.verify import OnlineVerdict, verify_document
from sijill.services.context import Registry
from sijill.web.deps import language, remember_choice, session_of

_STATUS = {
    "valid": ("وثيقة صحيحة", "Document authentique"),
    "superseded": (
        "صحيحة عند تسليمها، لكن الرسم تغير بعد ذلك",
        "Authentique, mais l'acte a changé depuis sa délivrance",
    ),
    "revoked": ("مفتاح المكتب ملغى", "Clé du bureau révoquée"),
    "unknown": ("وثيقة غير معروفة", "Document inconnu"),
    "forged": ("وثيقة مزورة أو معدلة", "Document falsifié ou modifié"),
}
_FIELDS = {
    "number": ("رقم الوثيقة", "N° du document"),
    "kind": ("النوع", "Type"),
    "ref": ("مرجع الرسم", "Référence de l'acte"),
    "issued_on": ("تاريخ التسليم", "Délivré le"),
    "first_name_ar": ("الاسم الشخصي", "Prénom (arabe)"),
    "family_name_ar": ("الاسم العائلي", "Nom (arabe)"),
    "first_name_lat": ("الاسم الشخصي بالحروف اللاتينية", "Prénom"),
    "family_name_lat": ("الاسم العائلي بالحروف اللاتينية", "Nom"),
    "event_date": ("تاريخ الواقعة", "Date de l'événement"),
    "sex": ("الجنس", "Sexe"),
    "father": ("الأب", "Père"),
    "mother": ("الأم", "Mère"),
    "civil_id": ("المعرف المدني", "Identifiant civil"),
    "deceased_on": ("تاريخ الوفاة", "Décédé(e) le"),
}

_PAGE = """{% extends "base.html" %}
{% block main %}
<h1>{{ 'التحقق من وثيقة' if lang == 'ar' else 'Vérifier un document' }}</h1>
<form method="get" action="/verify">
  <label>{{ 'رقم الوثيقة أو نص الرمز' if lang == 'ar' else 'N° du document ou texte du code' }}
  <input name="q" dir="ltr" size="48" value="{{ query or '' }}"></label>
  <button>{{ 'تحقق' if lang == 'ar' else 'Vérifier' }}</button>
</form>
{% if verdict %}
<section class="verdict {{ verdict.status }}" id="verdict">
  <h2>{{ status[verdict.status][0] if lang == 'ar' else status[verdict.status][1] }}</h2>
  <p class="sig" dir="ltr" lang="en">{{ verdict.reason }}</p>
  {% if verdict.sealed %}
  <dl class="facts">{% for key in fields %}{% set value = verdict.sealed.get(key) %}{% if value %}
    <dt>{{ fields[key][0] if lang == 'ar' else fields[key][1] }}</dt>
    <dd{% if key in latin %} dir="ltr"{% endif %}>{% if key in dates %}{{ value | both_calendars(lang) }}{% elif key == 'sex' %}{{ label(SEXES, value, lang) }}{% elif key == 'kind' %}{{ kinds[value][0 if lang == 'ar' else 1] if value in kinds else value }}{% else %}{{ value }}{% endif %}</dd>{% endif %}{% endfor %}</dl>
  {% endif %}
  {% for m in verdict.later_mentions %}
  <p class="flag">⚑ {{ m.text_ar if lang == 'ar' else m.text_fr }}</p>
  {% endfor %}
</section>
{% endif %}
{% endblock %}
"""


def _page(
    request: Request, verdict: OnlineVerdict | None, query: str | None
) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    template = templates.env.from_string(_PAGE)
    status = 200 if verdict is None or verdict.status != "unknown" else 404
    html = template.render(
        request=request,
        lang=language(request),
        session=session_of(request),
        verdict=verdict,
        query=query,
        status=_STATUS,
        fields=_FIELDS,
        dates=("issued_on", "event_date", "deceased_on"),
        latin=("number", "ref", "civil_id", "first_name_lat", "family_name_lat"),
        kinds={
            "extract": ("نسخة موجزة", "Extrait"),
            "full_copy": ("نسخة كاملة", "Copie intégrale"),
        },
    )
    response = HTMLResponse(html, status_code=status)
    remember_choice(request, response)
    return response


def _check(reg: Registry, text: str) -> OnlineVerdict:
    text = text.strip()
    if text.startswith("SJ1:"):
        return verify_document(reg, payload=text)
    return verify_document(reg, number=text[:80])


def documents_router(reg: Registry) -> APIRouter:
    """Public routes: anyone holding a document may check it, no sign-in needed."""
    router = APIRouter()

    @router.get("/verify", response_class=HTMLResponse)
    def verify_form(
        request: Request, q: Annotated[str | None, Query(max_length=2000)] = None
    ) -> Response:
        return _page(request, _check(reg, q) if q else None, q)

    @router.get("/verify/{number}", response_class=HTMLResponse)
    def verify_page(request: Request, number: str) -> Response:
        return _page(request, verify_document(reg, number=number), number)

    @router.get("/api/verify/{number}")
    def verify_json(number: str) -> dict[str, Any]:
        return verify_document(reg, number=number).as_dict()

    @router.post("/api/verify")
    def verify_seal_json(
        seal: Annotated[str, Body(embed=True, max_length=2000)],
    ) -> dict[str, Any]:
        """The QR code's text, pasted or scanned: what the registry says of it."""
        return _check(reg, seal).as_dict()

    return router
