"""The ministry's roll-out screens: the dashboard (``/rollout``, ``/api/rollout/status``),
bringing an office into service (``/rollout/onboard``) and the office keys
(``/rollout/keys``: revoke, rotate). Each calls the use case the CLI calls; the root
key's passphrase is typed for each act that needs it and kept nowhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sijill.documents.service import trust_directory
from sijill.documents.trust import TrustStore
from sijill.domain.errors import InvalidInput
from sijill.domain.offices import Actor
from sijill.rollout import keys, onboarding
from sijill.rollout.dashboard import rollout_status
from sijill.services.context import Registry
from sijill.web import forms
from sijill.web.deps import CurrentActor, language

Province = Annotated[str | None, Query(max_length=16)]
Page = Callable[[Request, str, dict[str, Any]], Response]
ONBOARD_FIELDS = ("commune", "consulate", "name_ar", "name_fr", "officer",
                  "officer_name_ar", "officer_name_fr")  # fmt: skip


@dataclass(frozen=True)
class MinistryPlaces:
    """Where the ministry's machine keeps each office's files, and the passphrase
    that encrypts new office keys (``SIJILL_KEY_PASSPHRASE``; None: unencrypted)."""

    offices_dir: Path
    key_passphrase: str | None = None


def rollout_router(reg: Registry, page: Page, places: MinistryPlaces) -> APIRouter:
    router = APIRouter()

    def trust() -> TrustStore:
        return TrustStore(trust_directory(reg))

    def ministry(actor: Actor, passphrase: str) -> onboarding.Ministry:
        key = places.key_passphrase
        return onboarding.open_ministry(
            reg,
            actor=actor,
            trust=trust(),
            passphrase=passphrase.encode(),
            offices_dir=places.offices_dir,
            key_passphrase=key.encode() if key else None,
        )

    @router.get("/api/rollout/status")
    def status(actor: CurrentActor, province: Province = None) -> dict[str, Any]:
        """Offices per province, and each onboarded office's state (ministry)."""
        return rollout_status(reg, actor=actor, province=province)

    @router.get("/rollout", response_class=HTMLResponse)
    def dashboard(
        request: Request, actor: CurrentActor, province: Province = None
    ) -> Response:
        found = rollout_status(reg, actor=actor, province=province)
        return page(request, "rollout.html", {"status": found, "province": province})

    def onboard_page(
        request: Request,
        values: dict[str, str],
        refused: forms.Refusal | None = None,
        done: onboarding.Onboarded | None = None,
    ) -> Response:
        context = {"values": values, "done": done, "has_root": trust().has_root()}
        return forms.answered(page, request, "rollout_onboard.html", context, refused)

    @router.get("/rollout/onboard", response_class=HTMLResponse)
    def onboard_form(request: Request, actor: CurrentActor) -> Response:
        onboarding.may_onboard(reg, actor=actor)
        return onboard_page(request, {})

    @router.post("/rollout/onboard", response_class=HTMLResponse)
    async def onboard(request: Request, actor: CurrentActor) -> Response:
        """Bring one office into service; run again, it completes or changes nothing."""
        form = await request.form()
        values = {k: str(form.get(k) or "").strip() for k in ONBOARD_FIELDS}
        passphrase = str(form.get("passphrase") or "")

        def bring_into_service() -> onboarding.Onboarded:
            wanted = onboarding.office_request(
                commune=values["commune"],
                consulate=values["consulate"],
                name_ar=values["name_ar"],
                name_fr=values["name_fr"],
                officer_username=values["officer"] or None,
                officer_name_ar=values["officer_name_ar"] or None,
                officer_name_fr=values["officer_name_fr"] or None,
            )
            return onboarding.onboard_office(ministry(actor, passphrase), wanted)

        try:
            done = await run_in_threadpool(bring_into_service)
        except InvalidInput as error:
            return onboard_page(
                request, values, forms.refusal(error, language(request))
            )
        return onboard_page(request, {}, done=done)

    def keys_page(
        request: Request,
        actor: Actor,
        values: dict[str, str],
        refused: forms.Refusal | None = None,
        form: str = "",
    ) -> Response:
        context = {
            "form": form,
            "keys": keys.key_register(reg, actor=actor, trust=trust()),
            "values": values,
            "outcome": request.query_params.get("done"),
        }
        return forms.answered(page, request, "rollout_keys.html", context, refused)

    @router.get("/rollout/keys", response_class=HTMLResponse)
    def key_list(request: Request, actor: CurrentActor) -> Response:
        return keys_page(request, actor, {})

    @router.post("/rollout/keys/revoke", response_class=HTMLResponse)
    async def revoke(request: Request, actor: CurrentActor) -> Response:
        """Revoke an office key: the revocation list names it, the centre refuses it."""
        form = await request.form()
        values = {k: str(form.get(k) or "").strip() for k in ("key_id", "reason")}
        try:
            await run_in_threadpool(
                lambda: keys.revoke_key(
                    reg,
                    actor=actor,
                    trust=trust(),
                    passphrase=str(form.get("passphrase") or "").encode(),
                    key_id=values["key_id"],
                    reason=values["reason"],
                )
            )
        except InvalidInput as error:
            refused = forms.refusal(error, language(request))
            return keys_page(request, actor, values, refused, "revoke")
        return RedirectResponse(f"/rollout/keys?done=revoked:{values['key_id']}", 303)

    @router.post("/rollout/keys/rotate", response_class=HTMLResponse)
    async def rotate(request: Request, actor: CurrentActor) -> Response:
        """Give an onboarded office a new key, vouched for by the old one."""
        form = await request.form()
        values = {"office": str(form.get("office") or "").strip()}
        passphrase = str(form.get("passphrase") or "")
        try:
            rotated = await run_in_threadpool(
                lambda: keys.rotate_and_certify(
                    ministry(actor, passphrase), values["office"]
                )
            )
        except InvalidInput as error:
            refused = forms.refusal(error, language(request))
            return keys_page(request, actor, values, refused, "rotate")
        return RedirectResponse(f"/rollout/keys?done=rotated:{rotated.key_id}", 303)

    return router
