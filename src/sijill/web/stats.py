"""Vital statistics on the web: ``/api/stats/…`` (JSON, CSV, XLSX, charts) and pages.

``/api/stats`` and ``/stats`` read as the viewer (the ministry); ``/api/public/stats``
and ``/stats?public=1`` give the suppressed tables anyone may publish.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from sijill.domain.offices import Actor
from sijill.services.context import Registry
from sijill.stats import exports, service
from sijill.stats.model import Tabulation
from sijill.stats.privacy import DEFAULT_THRESHOLD
from sijill.web.deps import CurrentActor, signed_in

PUBLIC_READER = Actor("public", service.PUBLIC, None)
Code = Annotated[str | None, Query(max_length=16)]
Year = Annotated[int | None, Query()]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def _build(
    reg: Registry,
    actor: Actor,
    table: str,
    params: dict[str, Any],
    public: bool,
    threshold: int,
) -> list[Tabulation]:
    if table == "completeness":
        return [service.completeness(reg, actor=actor, **params)]
    return service.tabulate(
        reg,
        actor=actor,
        tables=[table],
        public=public,
        threshold=threshold,
        **params,
    )


def _file(tables: list[Tabulation], fmt: str, lang: str, name: str) -> Response:
    body: bytes | str
    if fmt == "csv":
        body = exports.to_csv(tables, lang)
    elif fmt == "xlsx":
        body = exports.to_xlsx(tables, lang)
    else:
        return JSONResponse([t.as_dict() for t in tables])
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def stats_router(
    reg: Registry,
    page: Callable[[Request, str, dict[str, Any]], Response],
) -> APIRouter:
    """The statistics API and pages, reading as the signed-in user (audited under that
    name); the public tables need no sign-in and are always suppressed."""
    router = APIRouter()

    def api(who: Callable[..., Any]) -> Callable[..., Response]:
        def tables(
            table: str,
            actor: Actor = Depends(who),  # noqa: B008 (the reader is a dependency)
            year: Year = None,
            first: Annotated[int | None, Query(alias="from")] = None,
            last: Annotated[int | None, Query(alias="to")] = None,
            region: Code = None,
            province: Code = None,
            commune: Code = None,
            public: bool = False,
            threshold: int = DEFAULT_THRESHOLD,
            format: Annotated[str, Query(pattern="^(json|csv|xlsx)$")] = "json",
            lang: Annotated[str, Query(pattern="^(ar|fr)$")] = "fr",
        ) -> Response:
            """A table or group of tables (births, deaths, late, timeliness, trends,
            completeness or one table such as births.month) as JSON, CSV or XLSX."""
            params = {
                "year": year,
                "first": first,
                "last": last,
                "region": region,
                "province": province,
                "commune": commune,
            }
            built = _build(reg, actor, table, params, public, threshold)
            return _file(built, format, lang, f"sijill-{table}")

        return tables

    router.get("/api/stats/{table}")(api(signed_in))
    router.get("/api/public/stats/{table}")(api(lambda: PUBLIC_READER))

    @router.get("/api/stats/{table}/chart.{fmt}")
    def chart(
        table: str,
        fmt: str,
        actor: CurrentActor,
        year: Year = None,
        first: Annotated[int | None, Query(alias="from")] = None,
        last: Annotated[int | None, Query(alias="to")] = None,
        region: Code = None,
        province: Code = None,
        commune: Code = None,
        public: bool = False,
    ) -> Response:
        """The first table drawn: a time series for trends, ranked bars otherwise."""
        from sijill.stats import charts

        if fmt not in charts.CHART_FORMATS:
            return JSONResponse({"error": "format", "formats": ["png", "svg"]}, 404)
        params = {
            "year": year,
            "first": first,
            "last": last,
            "region": region,
            "province": province,
            "commune": commune,
        }
        built = _build(reg, actor, table, params, public, DEFAULT_THRESHOLD)
        return Response(charts.chart(built[0], fmt), media_type=MEDIA[fmt])

    @router.get("/stats", response_class=HTMLResponse)
    @router.get("/stats/{table}", response_class=HTMLResponse)
    def stats_page(
        request: Request,
        actor: CurrentActor,
        table: str = "births",
        year: Year = None,
        region: Code = None,
        province: Code = None,
        commune: Code = None,
        public: bool = False,
    ) -> Response:
        params = {
            "year": year,
            "region": region,
            "province": province,
            "commune": commune,
        }
        built = _build(reg, actor, table, params, public, DEFAULT_THRESHOLD)
        query = str(request.url.query)
        return page(
            request,
            "stats.html",
            {
                "tables": built,
                "current": table,
                "groups": [*service.GROUPS, "completeness"],
                "public": public,
                "query": query,
                "cell": exports.cell,
            },
        )

    return router
