"""``GET /api/search``: the search use case as JSON (errors go through web.errors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sijill.quality.figures import quality_report
from sijill.search.service import search_acts
from sijill.services.context import Registry
from sijill.web.deps import CurrentActor

Text = Annotated[str | None, Query(max_length=1000)]


def search_router(reg: Registry) -> APIRouter:
    """The search API, reading as the signed-in user (audited under their name)."""
    router = APIRouter(prefix="/api")

    @router.get("/search")
    def search(
        actor: CurrentActor,
        name: Text = None,
        father: Text = None,
        mother: Text = None,
        sex: Text = None,
        kind: Text = None,
        date_from: Text = None,
        date_to: Text = None,
        place: Text = None,
        ref: Text = None,
        civil_id: Text = None,
        office: Text = None,
        page: Text = "1",
        page_size: Text = "20",
    ) -> dict[str, Any]:
        """Signed acts by name (any script or spelling; "Moh*" a prefix), date, place,
        sex, parents, reference or civil identifier; best first, each with its reasons.
        """
        result = search_acts(
            reg,
            actor=actor,
            name=name,
            father=father,
            mother=mother,
            sex=sex,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            place=place,
            ref=ref,
            civil_id=civil_id,
            office=office,
            page=page or 1,
            page_size=page_size or 20,
        )
        return result.as_dict()

    @router.get("/quality")
    def quality(
        actor: CurrentActor, by: Text = "office", office: Text = None
    ) -> list[dict[str, Any]]:
        """Data-quality figures per office, province, digitization batch or keyer."""
        return quality_report(reg, actor=actor, by=by or "office", office=office)

    return router
