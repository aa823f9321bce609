"""The institutions' check: ``POST /api/institutions/check``, with an institution token.

The token travels as ``Authorization: Bearer TOKEN``; the registry keeps only its
hash. The answer says whether the data match the act, never what the act holds.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header

from sijill.documents.institutions import check_act_data, institution_actor
from sijill.services.context import Registry


def _bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def institutions_router(reg: Registry) -> APIRouter:
    """The API of authorized notaries, consulates and banks."""
    router = APIRouter(prefix="/api/institutions")

    @router.post("/check")
    def check(
        body: Annotated[dict[str, Any], Body()],
        authorization: Annotated[str | None, Header(max_length=200)] = None,
    ) -> dict[str, Any]:
        """Whether the data an institution holds match an act: match or no match.

        ``{"act": "03.231.01.0/2026/N/1" | "civil_id": "…", "purpose": "…",
        "data": {"first_name": …, "family_name": …, "birth_date": …, "sex": …,
        "father": …, "mother": …}, "detail": false}``
        """
        actor = institution_actor(reg, _bearer(authorization))
        return check_act_data(
            reg,
            actor=actor,
            act=body.get("act"),
            civil_id=body.get("civil_id"),
            purpose=body.get("purpose"),
            data=body.get("data"),
            detail=body.get("detail") is True,
        ).as_dict()

    return router
