"""``create_app(registry)``: the pages and the JSON API; nothing is built at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from sijill.domain.calendars import spell_gregorian, to_hijri
from sijill.domain.labels import (
    ACT_TITLES,
    FIELDS,
    KINDS,
    NOTICE_KINDS,
    NOTICE_STATES,
    OFFICE_KINDS,
    RELATIONSHIPS,
    SEXES,
    label,
)
from sijill.domain.mentions import MENTION_KINDS
from sijill.orders.ports import OrderPorts
from sijill.orders.processing import OrderProcessor
from sijill.services import audit, drafts, queries
from sijill.services.context import Registry
from sijill.sync.projector import Worker
from sijill.sync.protocol import CENTRE
from sijill.web import errors
from sijill.web.auth import auth_router
from sijill.web.counter import counter_router
from sijill.web.deps import CurrentActor, remember_choice, session_of
from sijill.web.digitize import digitize_router
from sijill.web.documents import documents_router
from sijill.web.institutions import institutions_router
from sijill.web.justice import justice_router
from sijill.web.nav import menu
from sijill.web.officer import officer_router
from sijill.web.order_pages import order_pages
from sijill.web.orders import orders_router
from sijill.web.rollout import MinistryPlaces, rollout_router
from sijill.web.search import search_router
from sijill.web.stats import stats_router
from sijill.web.supervise import supervise_router

HERE = FilePath(__file__).parent


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        label=label,
        menu=menu,
        NOTICE_STATES=NOTICE_STATES,
        NOTICE_KINDS=NOTICE_KINDS,
        FIELDS=FIELDS,
        KINDS=KINDS,
        SEXES=SEXES,
        OFFICE_KINDS=OFFICE_KINDS,
        RELATIONSHIPS=RELATIONSHIPS,
        ACT_TITLES=ACT_TITLES,
        MENTION_KINDS=MENTION_KINDS,
        spell_gregorian=spell_gregorian,
        to_hijri=to_hijri,
        with_lang=with_lang,
        hijri_of=hijri_of,
    )
    templates.env.filters["spelled"] = lambda iso, lang: spell_gregorian(
        iso if isinstance(iso, date) else date.fromisoformat(str(iso)), lang
    )
    templates.env.filters["both_calendars"] = both_calendars
    return templates


def both_calendars(iso: object, lang: str) -> str:
    """A day as the acts write it: Gregorian, then Hijri (Umm al-Qura)."""
    try:
        day = iso if isinstance(iso, date) else date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    hijri = to_hijri(day)
    gregorian = spell_gregorian(day, lang)
    return gregorian if hijri is None else f"{gregorian} · {hijri.spelled(lang)}"


def hijri_of(iso: object, lang: str) -> str:
    """The Hijri spelling of a typed day, or nothing while it is not a whole date."""
    try:
        day = date.fromisoformat(str(iso))
    except ValueError:
        return ""
    found = to_hijri(day)
    return "" if found is None else found.spelled(lang)


def with_lang(request: object, lang: str) -> str:
    """The link to this same page in ``lang``: what was asked stays asked."""
    params = dict(getattr(request, "query_params", None) or {})
    params["lang"] = lang
    return "?" + urlencode(params)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "ar"
    return lang if lang in ("ar", "fr") else "ar"


def _page(request: Request, name: str, context: dict[str, Any]) -> Response:
    lang = _lang(request)
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request, name, {"lang": lang, "session": session_of(request), **context}
    )
    remember_choice(request, response)
    return response


def _day(field: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        from sijill.domain.errors import InvalidInput, Violation

        raise InvalidInput([Violation(field, "date.format")]) from None


def _pages(reg: Registry) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/")
    def home(request: Request, actor: CurrentActor) -> Response:
        return _page(request, "offices.html", {"offices": queries.list_offices(reg)})

    @router.get("/offices/{code}")
    def office(request: Request, code: str, actor: CurrentActor) -> Response:
        found = [o for o in queries.list_offices(reg) if o["code"] == code]
        if not found:
            from sijill.domain.errors import NotFound

            raise NotFound("office.unknown", {"code": code})
        return _page(
            request,
            "office.html",
            {"office": found[0], "registers": queries.list_registers(reg, office=code)},
        )

    @router.get("/offices/{code}/registers/{year}/{kind}")
    def register(
        request: Request,
        code: str,
        year: Annotated[int, Path(ge=1, le=9999)],
        kind: str,
        actor: CurrentActor,
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ) -> Response:
        size = 50
        rows = queries.list_acts(
            reg,
            actor=actor,
            office=code,
            year=year,
            kind=kind,
            offset=(page - 1) * size,
            limit=size + 1,
        )
        return _page(
            request,
            "register.html",
            {
                "office_code": code,
                "year": year,
                "kind": kind,
                "acts": rows[:size],
                "page": page,
                "more": len(rows) > size,
            },
        )

    @router.get("/audit")
    def audit_page(
        request: Request,
        actor: CurrentActor,
        person: Annotated[str | None, Query(max_length=48)] = None,
        username: Annotated[str | None, Query(max_length=40)] = None,
        since: Annotated[str | None, Query(max_length=32)] = None,
        until: Annotated[str | None, Query(max_length=32)] = None,
        day: Annotated[str | None, Query(max_length=10)] = None,
        threshold: Annotated[int, Query(ge=0, le=100_000)] = 50,
    ) -> Response:
        """Supervisors and the ministry: who touched what, and unusual access."""
        entries = audit.query_audit(
            reg,
            actor=actor,
            person=person or None,
            username=username or None,
            since=since or None,
            until=until or None,
            limit=200,
        )
        unusual = (
            audit.unusual_access(
                reg, actor=actor, day=_day("day", day), threshold=threshold
            )
            if day
            else None
        )
        return _page(
            request,
            "audit.html",
            {
                "entries": entries,
                "unusual": unusual,
                "query": dict(request.query_params),
            },
        )

    @router.get("/me/trail")
    def trail(request: Request, actor: CurrentActor) -> Response:
        """A citizen's own trail: who accessed their record, when and why."""
        return _page(
            request, "trail.html", {"accesses": audit.citizen_trail(reg, actor=actor)}
        )

    @router.get("/acts/{ref:path}")
    def act(request: Request, ref: str, actor: CurrentActor) -> Response:
        view = queries.get_act(reg, actor=actor, ref=ref)
        return _page(request, "act.html", {"act": view})

    return router


def _centre_pages(reg: Registry) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/centre")
    def network(request: Request, actor: CurrentActor) -> Response:
        from sijill.sync.centre import network_status

        status = network_status(reg, actor=actor)
        return _page(request, "centre.html", {"status": status})

    return router


def _api(reg: Registry) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get("/offices")
    def offices() -> list[dict[str, Any]]:
        return queries.list_offices(reg)

    @router.get("/acts/{ref:path}")
    def act(ref: str, actor: CurrentActor) -> dict[str, Any]:
        view = queries.get_act(reg, actor=actor, ref=ref)
        return {
            "ref": view.ref,
            "kind": view.kind,
            "civil_id": view.civil_id,
            "office": view.office["code"],
            "data": view.data,
            "mentions": [
                {k: str(v) if k == "source_date" else v for k, v in m.items()}
                for m in view.mentions
            ],
            "current": view.current,
            "signed_by": view.signed_by,
            "signed_at": view.signed_at,
        }

    @router.get("/calendar/hijri")
    def hijri(
        day: Annotated[str, Query(max_length=10)],
        lang: Annotated[str, Query(pattern="^(ar|fr)$")] = "ar",
    ) -> dict[str, str | None]:
        """A Gregorian day in the Umm al-Qura calendar, spelled as acts write it
        (null outside the calendar's tables, 1924–2077)."""
        found = to_hijri(_day("day", day))
        return {
            "day": day,
            "hijri": None if found is None else found.isoformat(),
            "spelled": None if found is None else found.spelled(lang),
        }

    @router.post("/offices/{code}/predeclarations", status_code=201)
    def predeclare(
        code: str, body: Annotated[dict[str, Any], Body()], actor: CurrentActor
    ) -> dict[str, str]:
        """A hospital, local authority or citizen pre-declares a birth or death (with
        an API token, or signed in)."""
        sender_kind = str(body.get("sender_kind", ""))
        predeclaration_id = drafts.submit_predeclaration(
            reg,
            actor=actor,
            office=code,
            kind=str(body.get("kind", "")),
            sender_kind=sender_kind,
            sender_name=str(body.get("sender_name", "")),
            sender_ref=str(body.get("sender_ref", "")),
            data=body.get("data"),
        )
        return {"predeclaration_id": predeclaration_id}

    return router


# Pages load nothing from elsewhere and run no inline script, only the few lines served
# from /static: a name that slipped past the escaping could still not run. The API docs
# page (Swagger UI) is the one exception.
CSP = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


async def _protective_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.url.path != "/api/docs":
        response.headers.setdefault("Content-Security-Policy", CSP)
    if not request.url.path.startswith("/static/"):
        # Personal data must not linger in shared or browser caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def create_app(
    reg: Registry,
    *,
    role: str = "office",
    order_ports: OrderPorts | None = None,
    places: MinistryPlaces | None = None,
) -> FastAPI:
    """The web application over ``reg``: an office server, or the central registry.

    ``places``: where the ministry's machine keeps the offices it brings into service
    (by default ``offices/`` beside the registry's keys directory).
    """
    projector = Worker(reg) if role == "central" else None
    ports = order_ports or OrderPorts()
    # Where the centre's keys are (its servers; a one-machine demo), orders accepted
    # are processed in the background.
    centre = role == "central" or reg.keys.has(CENTRE)
    processor = OrderProcessor(reg, ports) if centre else None
    wake = processor.wake if processor is not None else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if projector is not None:
            projector.start()
        if processor is not None:
            processor.start()
        yield
        if processor is not None:
            processor.stop()
        if projector is not None:
            projector.stop()

    app = FastAPI(
        title="Sijill",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.templates = _templates()
    app.state.registry = reg
    app.middleware("http")(_protective_headers)
    app.state.role = role
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    if projector is not None:
        from sijill.web import sync

        app.include_router(sync.router(reg, projector))
        app.include_router(_centre_pages(reg))
        where = places or MinistryPlaces(reg.keys.directory.parent / "offices")
        app.include_router(rollout_router(reg, _page, where))
        app.include_router(justice_router(reg, _page))
    app.include_router(_api(reg))
    app.include_router(auth_router())
    app.include_router(search_router(reg))
    app.include_router(documents_router(reg))
    app.include_router(stats_router(reg, _page))
    app.include_router(institutions_router(reg))
    app.include_router(digitize_router(reg, _page))
    app.include_router(supervise_router(reg, _page))
    app.include_router(orders_router(reg, ports, wake))
    app.include_router(order_pages(reg, ports, _page, wake))
    app.include_router(counter_router(reg, _page))
    app.include_router(officer_router(reg, _page))
    app.include_router(_pages(reg))
    errors.install(app)
    return app
