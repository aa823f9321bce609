"""Vital statistics: every figure checked against counts made in Python from the
generated acts, on SQLite and PostgreSQL; exports, charts, privacy and bad input."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import insert, select
from typer.testing import CliRunner

from sijill.cli.app import app as cli_app
from sijill.domain.errors import Forbidden, InvalidInput, NotFound
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import offices
from sijill.services.context import Registry
from sijill.stats import charts, exports, service
from sijill.stats.model import TOTAL, Tabulation
from sijill.store import geography
from sijill.store import tables as t
from sijill.synthetic import Generator
from sijill.synthetic.generator import working_days
from sijill.web.app import create_app
from tests.builders import FES, open_office, signed_birth

MINISTRY = Actor("hcp.analyst", "ministry", None)
PUBLIC = Actor("anyone", "public", None)
YEAR = 2025
CONSULATE = "C-FR-PARIS"


@dataclass(frozen=True)
class Act:
    """A generated act, as loaded and as the Python counts read it."""

    office: str
    kind: str
    registered: date
    event: date
    status: str
    data: dict[str, Any]

    @property
    def sex(self) -> str:
        return str(self.data["sex"])


def _rural_commune() -> str:
    return next(
        c.code
        for c in geography.communes()
        if c.region_code == "03" and c.setting == "rural" and c.kind == "commune"
    )


@cache
def generated() -> tuple[Act, ...]:
    """About 830 births and 120 deaths over 2024-2026: Fès (urban), a rural commune of
    the same region, Rabat, and a consulate (births abroad)."""
    gen = Generator(2025)
    found: list[Act] = []
    places = [FES, _rural_commune(), "04.421.01.0", CONSULATE]
    days = working_days(date(2024, 1, 1), date(2026, 6, 30))
    for n in range(950):
        office = places[n % len(places)]
        commune = FES if office == CONSULATE else office
        day = gen.rng.choice(days)
        late = gen.rng.random() < 0.08
        if n % 4 == 3 and n % 8 == 7:
            data = gen.death(day, office_commune_code=commune, late=late)
            kind = "death"
        else:
            data = gen.birth(day, office_commune_code=commune, late=late)
            kind = "birth"
            if office == CONSULATE:
                del data["birth_commune"]
        event = date.fromisoformat(data[f"{kind}_date"])
        status = "digitized" if n % 23 == 0 else "signed"
        found.append(Act(office, kind, day, event, status, data))
    return tuple(found)


def load(reg: Registry, acts: tuple[Act, ...]) -> None:
    """The generated acts, straight into the tables the statistics read."""
    for code in {a.office for a in acts}:
        if code == CONSULATE:
            offices.create_office(
                reg,
                actor=SYSTEM,
                consulate=("FR", "Paris", "القنصلية العامة بباريس", "Consulat à Paris"),
            )
        else:
            offices.create_office(reg, actor=SYSTEM, commune_code=code)
    numbers: Counter[tuple[str, int, str]] = Counter()
    rows = []
    for act in acts:
        key = (act.office, act.registered.year, act.kind)
        numbers[key] += 1
        names = act.data["child" if act.kind == "birth" else "deceased"]
        act_id = str(uuid.uuid4())
        rows.append(
            {
                "office_code": act.office,
                "act_id": act_id,
                "ref": f"{act.office}/{key[1]}/{act.kind[0].upper()}/{numbers[key]}",
                "kind": act.kind,
                "year": act.registered.year,
                "number": numbers[key],
                "draft_id": act_id,
                "first_name_ar": names["first_name_ar"],
                "family_name_ar": names["family_name_ar"],
                "first_name_lat": names["first_name_lat"],
                "family_name_lat": names["family_name_lat"],
                "sex": act.sex,
                "event_date": act.event,
                "data": act.data,
                "provisional": [],
                "signed_by": "officer",
                "signed_at": f"{act.registered.isoformat()}T09:00:00.000000Z",
                "status": act.status,
            }
        )
    with reg.engine.begin() as conn:
        conn.execute(insert(t.acts), rows)


@pytest.fixture
def loaded(registry: Registry) -> tuple[Act, ...]:
    acts = generated()
    load(registry, acts)
    return acts


def _values(table: Tabulation, column: str = TOTAL) -> dict[str, Any]:
    return {r.key: r.values[column] for r in table.rows if r.key != TOTAL}


def _one(reg: Registry, name: str, **options: Any) -> Tabulation:
    [table] = service.tabulate(reg, actor=MINISTRY, tables=[name], **options)
    return table


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _in_year(acts: tuple[Act, ...], kind: str, year: int = YEAR) -> list[Act]:
    return [a for a in acts if a.kind == kind and a.event.year == year]


# --- the figures ----------------------------------------------------------------------


def test_births_by_month_and_sex_match_the_acts(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "births.month", year=YEAR)
    births = _in_year(loaded, "birth")
    for sex in ("M", "F"):
        expected = Counter(str(a.event.month) for a in births if a.sex == sex)
        assert {k: v for k, v in _values(table, sex).items() if v} == expected
    total = next(r for r in table.rows if r.key == TOTAL)
    assert total.values[TOTAL] == len(births)


def test_births_by_place_of_occurrence_put_consulate_births_abroad(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "births.occurrence", year=YEAR)
    expected = Counter(
        a.data["birth_commune"][:2] if "birth_commune" in a.data else "abroad"
        for a in _in_year(loaded, "birth")
    )
    assert _values(table) == expected
    fes = _one(registry, "births.occurrence", year=YEAR, province="03.231")
    assert fes.dimension == "commune"
    assert sum(_values(fes).values()) == sum(
        1
        for a in _in_year(loaded, "birth")
        if a.data.get("birth_commune", "").startswith("03.231")
    )


def test_births_by_setting_follow_the_hcp_geography(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "births.setting", year=YEAR)
    expected = Counter(
        geography.lookup(a.data["birth_commune"]).setting  # type: ignore[union-attr]
        if "birth_commune" in a.data
        else "abroad"
        for a in _in_year(loaded, "birth")
    )
    assert _values(table) == expected


def test_births_by_age_of_the_mother_match_her_birth_date(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "births.mother_age", year=YEAR)
    expected: Counter[str] = Counter()
    for a in _in_year(loaded, "birth"):
        born = a.data["mother"].get("birth_date")
        if born is None:
            expected["unknown"] += 1
            continue
        age = _age(date.fromisoformat(born), a.event)
        low = 5 * (age // 5)
        key = "<15" if age < 15 else "50+" if age >= 50 else f"{low}-{low + 4}"
        expected[key] += 1
    assert {k: v for k, v in _values(table).items() if v} == expected
    assert "birth_order" in table.notes  # the act does not carry it: said, not guessed


def test_deaths_by_age_group_and_place(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    deaths = _in_year(loaded, "death")
    expected: Counter[str] = Counter()
    for a in deaths:
        if "birth_date" not in a.data:
            expected["unknown"] += 1
            continue
        age = _age(date.fromisoformat(a.data["birth_date"]), a.event)
        low = 5 * (age // 5)
        expected[
            "0"
            if age == 0
            else "1-4"
            if age < 5
            else "85+"
            if age >= 85
            else f"{low}-{low + 4}"
        ] += 1
    by_age = _one(registry, "deaths.age", year=YEAR)
    assert {k: v for k, v in _values(by_age).items() if v} == expected
    by_place = _one(registry, "deaths.place", year=YEAR)
    assert _values(by_place) == Counter(
        "abroad" if a.office.startswith("C-") else a.office[:2] for a in deaths
    )


def test_late_registrations_by_year_of_occurrence_and_of_registration(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "late.births", first=2024, last=2026)
    expected = Counter(
        (str(a.event.year), str(a.registered.year))
        for a in loaded
        if a.kind == "birth" and "judgment" in a.data
    )
    found = {
        (r.key, year): r.values[year]
        for r in table.rows
        if r.key != TOTAL
        for year in ("2024", "2025", "2026")
        if r.values[year]
    }
    assert found == expected


def test_timeliness_per_office_counts_signed_acts_within_30_days(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "timeliness.office", year=YEAR)
    for office in {a.office for a in loaded}:
        births = [
            a
            for a in _in_year(loaded, "birth")
            if a.office == office and a.status == "signed"
        ]
        on_time = sum((a.registered - a.event).days <= 30 for a in births)
        row = next(r for r in table.rows if r.key == office)
        assert (row.values["births"], row.values["births_on_time"]) == (
            len(births),
            on_time,
        )
        assert row.values["births_share"] == round(on_time / len(births), 4)
    regions = _one(registry, "timeliness.region", year=YEAR)
    assert next(r for r in regions.rows if r.key == TOTAL).values["births"] == sum(
        1 for a in _in_year(loaded, "birth") if a.status == "signed"
    )


def test_trends_count_births_and_deaths_year_by_year(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = _one(registry, "trends", first=2020, last=2026)
    for row in table.rows:
        year = int(row.key)
        assert row.values["births"] == len(_in_year(loaded, "birth", year))
        assert row.values["deaths"] == len(_in_year(loaded, "death", year))


def test_completeness_compares_registered_with_expected_births(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    table = service.completeness(
        registry, actor=MINISTRY, year=YEAR, birth_rates=["03=20"]
    )
    fes = next(r for r in table.rows if r.key == FES)
    commune = geography.lookup(FES)
    assert commune is not None
    registered = sum(
        1 for a in _in_year(loaded, "birth") if a.data.get("birth_commune") == FES
    )
    population = (
        commune.population_2014
        + (commune.population_2024 - commune.population_2014) * (YEAR - 2014) / 10
    )
    assert fes.values["registered"] == registered
    assert fes.values["expected"] == pytest.approx(population * 20 / 1000, abs=0.1)
    assert fes.values["flagged"] == 1  # a few hundred births for a city of a million
    assert {r.key for r in table.rows} == {FES, _rural_commune(), "04.421.01.0"}


# --- privacy and authorization ----------------------------------------------------------


def test_a_public_table_hides_small_cells_and_says_so(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    [table] = service.tabulate(
        registry, actor=PUBLIC, tables=["births.mother_age"], year=YEAR
    )
    assert table.threshold == 5
    shown = [
        v
        for r in table.rows
        for c, v in r.values.items()
        if c not in r.suppressed and isinstance(v, int)
    ]
    assert all(v == 0 or v >= 5 for v in shown)
    assert any(r.suppressed for r in table.rows)
    assert any("×" in n for n in table.note_texts("fr"))
    full = _one(registry, "births.mother_age", year=YEAR)
    assert full.threshold is None and not any(r.suppressed for r in full.rows)


def test_a_public_table_with_a_threshold_of_zero_is_refused(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        service.tabulate(
            registry, actor=MINISTRY, tables=["births"], public=True, threshold=0
        )
    assert refused.value.violations[0].field == "threshold"
    assert "at least 1" in refused.value.message("en")


def test_a_supervisor_sees_the_province_of_their_office_only(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    offices.appoint_staff(
        registry,
        actor=SYSTEM,
        office=FES,
        username="supervisor.fes",
        role="supervisor",
        full_name_ar="مراقب",
        full_name_fr="Superviseur",
    )
    supervisor = Actor("supervisor.fes", "supervisor", FES)
    [table] = service.tabulate(
        registry, actor=supervisor, tables=["births.occurrence"], year=YEAR
    )
    assert table.scope.place.code == "03.231"
    with pytest.raises(Forbidden):
        service.tabulate(
            registry, actor=supervisor, tables=["births"], region="04", year=YEAR
        )
    with pytest.raises(Forbidden):
        service.completeness(registry, actor=PUBLIC, year=YEAR)
    with registry.engine.connect() as conn:
        outcomes = [
            (r.username, r.outcome)
            for r in conn.execute(
                select(t.audit_log).where(t.audit_log.c.action.like("stats.%"))
            )
        ]
    assert ("supervisor.fes", "ok") in outcomes
    assert ("supervisor.fes", "denied") in outcomes
    assert ("anyone", "denied") in outcomes


def test_bad_input_gets_clear_answers(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    with pytest.raises(NotFound) as empty:
        service.tabulate(registry, actor=MINISTRY, tables=["births"], year=1950)
    assert "no data for this period (1950)" in empty.value.message("en")
    with pytest.raises(NotFound) as place:
        service.tabulate(registry, actor=MINISTRY, tables=["births"], province="99.999")
    assert "99.999" in place.value.message("fr")
    with pytest.raises(NotFound):
        service.tabulate(registry, actor=MINISTRY, tables=["marriages"])
    with pytest.raises(InvalidInput):
        service.tabulate(
            registry, actor=MINISTRY, tables=["births"], first=2026, last=2020
        )
    with pytest.raises(InvalidInput):
        service.completeness(registry, actor=MINISTRY, birth_rates=["99=12"])


def test_acts_signed_through_the_registry_are_counted(registry: Registry) -> None:
    fes = open_office(registry)
    for days in (3, 40):
        judgment = {
            "court": "المحكمة الابتدائية بفاس",
            "number": "1/2026",
            "date": "2026-11-20",
        }
        signed_birth(
            registry, fes, days_old=days, judgment=judgment if days > 30 else None
        )
    [timely] = service.tabulate(
        registry, actor=MINISTRY, tables=["timeliness.office"], year=2026
    )
    row = next(r for r in timely.rows if r.key == FES)
    assert (row.values["births"], row.values["births_on_time"]) == (2, 1)


# --- outputs ----------------------------------------------------------------------------


def test_exports_open_as_spreadsheets_and_charts_render(
    registry: Registry, loaded: tuple[Act, ...], tmp_path: Path
) -> None:
    tables = service.tabulate(registry, actor=PUBLIC, tables=["births"], year=YEAR)
    book = load_workbook(io.BytesIO(exports.to_xlsx(tables, "ar")))
    assert book.sheetnames == list(service.GROUPS["births"])
    sheet = book["births.month"]
    assert sheet.sheet_view.rightToLeft
    assert sheet["A1"].value == tables[0].title("ar")
    january = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "1")
    assert january[2:5] == tuple(
        exports.cell(tables[0].rows[0], c) for c in ("M", "F", TOTAL)
    )
    lines = list(csv.reader(io.StringIO(exports.to_csv(tables, "fr"))))
    assert lines[0] == [tables[0].title("fr")]
    assert lines[1][2:] == ["Masculin", "Féminin", "Total"]
    assert json.loads(exports.to_json(tables))[0]["table"] == "births.month"
    png = charts.chart(tables[1], "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    svg = charts.chart(_one(registry, "trends", first=2024, last=2026), "svg")
    assert b"<svg" in svg[:400]


def test_the_api_and_the_pages(registry: Registry, loaded: tuple[Act, ...]) -> None:
    from sijill.auth.tokens import issue_token

    client = TestClient(create_app(registry))
    # The public tables need no one signed in; the ministry's need its token.
    assert client.get("/api/public/stats/births", params={"year": YEAR}).is_success
    assert client.get("/api/stats/births", params={"year": YEAR}).status_code == 401
    token = issue_token(registry, actor=SYSTEM, name="hcp", role="ministry")
    client.headers["authorization"] = f"Bearer {token}"
    births = client.get("/api/stats/births.month", params={"year": YEAR})
    assert births.status_code == 200
    assert births.json()[0]["suppression_threshold"] is None
    public = client.get("/api/public/stats/births", params={"year": YEAR})
    assert all(t["suppression_threshold"] == 5 for t in public.json())
    refused = client.get(
        "/api/public/stats/births", params={"year": YEAR, "threshold": 0}
    )
    assert refused.status_code == 422
    assert client.get("/api/stats/births", params={"region": "99"}).status_code == 404
    assert client.get("/api/stats/births", params={"year": 1950}).status_code == 404
    xlsx = client.get("/api/stats/late", params={"format": "xlsx", "year": YEAR})
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == [
        "late.births",
        "late.deaths",
    ]
    chart = client.get("/api/stats/births/chart.png", params={"year": YEAR})
    assert chart.content[:4] == b"\x89PNG"
    page = client.get("/stats/births", params={"year": YEAR, "lang": "ar"})
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "الولادات الحية حسب الشهر والجنس" in page.text
    french = client.get("/stats/completeness", params={"year": YEAR, "lang": "fr"})
    assert "Exhaustivité de l" in french.text and "sans bureau" in french.text


def test_the_stats_command(
    registry: Registry,
    loaded: tuple[Act, ...],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr("sijill.cli.common.bootstrap", lambda settings: registry)
    runner = CliRunner()
    out = tmp_path / "deaths.xlsx"
    done = runner.invoke(
        cli_app,
        ["stats", "deaths", "--year", str(YEAR), "--format", "xlsx", "--out", str(out)],
    )
    assert done.exit_code == 0, done.output
    assert load_workbook(out).sheetnames == list(service.GROUPS["deaths"])
    shown = runner.invoke(cli_app, ["stats", "timeliness", "--year", str(YEAR)])
    assert shown.exit_code == 0 and "Délais" in shown.output
    as_csv = runner.invoke(
        cli_app, ["stats", "births", "--year", str(YEAR), "--format", "csv", "--public"]
    )
    assert as_csv.exit_code == 0 and "×" in as_csv.output
    empty = runner.invoke(cli_app, ["stats", "births", "--year", "1950"])
    assert empty.exit_code == 3 and "no data for this period" in empty.output
    unknown = runner.invoke(cli_app, ["stats", "births", "--commune", "00.000.00.0"])
    assert unknown.exit_code == 3 and "00.000.00.0" in unknown.output
    zero = runner.invoke(cli_app, ["stats", "births", "--public", "--threshold", "0"])
    assert zero.exit_code == 2
    flagged = runner.invoke(
        cli_app, ["stats", "completeness", "--year", str(YEAR), "--format", "json"]
    )
    assert flagged.exit_code == 0
    assert json.loads(flagged.output)[0]["table"] == "completeness"


# --- the columns the statistics read -----------------------------------------------------


def test_the_derived_columns_follow_the_declaration_and_survive_the_migration(
    registry: Registry, loaded: tuple[Act, ...]
) -> None:
    """Revision 0012 derives the columns from acts already signed (the append-only
    triggers do not stand in the way), and they match the declaration."""
    from alembic import command
    from sqlalchemy import text

    from sijill.store.schema import alembic_config, upgrade

    engine = registry.engine
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                t.acts.c.data,
                t.acts.c.birth_commune,
                t.acts.c.mother_birth_date,
                t.acts.c.birth_date,
                t.acts.c.judged,
            )
        ).all()
    assert len(rows) == len(loaded)
    for row in rows:
        data = row.data
        assert row.birth_commune == data.get("birth_commune")
        assert row.mother_birth_date == (data.get("mother") or {}).get("birth_date")
        assert row.birth_date == data.get("birth_date")
        judgment = data.get("judgment") or {}
        assert bool(row.judged) is (judgment.get("number") is not None)
    assert any(r.judged for r in rows) and any(r.birth_commune for r in rows)
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM acts"))
