"""The demo network: the programme's six pilot offices and the central registry.

Each office keeps its own database; the centre keeps the national replica. Everything
goes through the use cases, as clerks, officers and the centre would do it, on a clock
that walks from the first day of the demo to today: births and deaths are drafted and
signed, corrections arrive in the margins, marriages and divorces drawn up by adouls
are entered at the centre, every month each office's agent pushes its journal and
takes its notices, which the officer applies, and each register is closed on
31 December.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from sijill.config import Settings
from sijill.domain.errors import NotFound
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, offices
from sijill.services.context import MOROCCO, Registry
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync.protocol import CENTRE
from sijill.synthetic import Generator, person_of

# The pilot of the programme: the four communes the article names, a rural commune
# (Aïn Bida, province of Fès) and the consulate general in Paris.
PILOT_COMMUNES = (
    "03.231.01.0",
    "01.571.01.11",
    "01.511.01.0",
    "04.421.01.0",
    "03.231.81.03",
)
PILOT_CONSULATE = (
    "FR",
    "Paris",
    "القنصلية العامة للمملكة المغربية بباريس",
    "Consulat général du Royaume du Maroc à Paris",
)
PARIS_PLACES = (
    "Hôpital Necker-Enfants malades, Paris",
    "Maternité Port-Royal, Paris",
    "Hôpital Lariboisière, Paris",
    "Hôpital Robert-Debré, Paris",
)
STAFF = (
    ("officer", "عبد الرحيم", "Abderrahim"),
    ("delegate", "نادية", "Nadia"),
    ("clerk", "سعيد", "Said"),
    ("clerk", "حفيظة", "Hafida"),
)
SYNC_EVERY = timedelta(days=91)  # the agent runs every few seconds; the demo quarterly


class DemoClock:
    """The clock the demo moves forward as it replays the years."""

    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        self.now = _moment(day, hour, minute)


@dataclass
class DemoReport:
    """What the demo built."""

    offices: list[str] = field(default_factory=list)
    births: int = 0
    deaths: int = 0
    mentions: int = 0
    cancelled: int = 0
    closed_registers: int = 0
    marriages: int = 0
    notices_applied: int = 0
    notices_returned: int = 0
    matching: int = 0


@dataclass(frozen=True)
class Team:
    """An office of the pilot: its own registry, its people, its link to the centre."""

    office: str
    commune: str | None
    reg: Registry
    officer: Actor
    delegate: Actor
    clerks: tuple[Actor, ...]
    link: central.LocalCentre


@dataclass
class Person:
    """Someone the demo registered at birth, for the later events of their life."""

    team: Team
    ref: ActRef
    data: dict[str, Any]
    married: bool = False
    alive: bool = True

    @property
    def born(self) -> date:
        return date.fromisoformat(self.data["birth_date"])


def office_registry(
    directory: Path, clock: Callable[[], datetime], *, durable: bool = True
) -> Registry:
    """A registry on its own SQLite file and key store, as an office server has."""
    settings = Settings(data_dir=directory)
    directory.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url(), durable=durable)
    upgrade(engine)
    return Registry(
        engine=engine, keys=KeyStore(settings.resolved_keys_dir()), clock=clock
    )


def _open_pilot(centre: Registry, offices_dir: Path, clock: DemoClock) -> list[Team]:
    central.open_centre(centre)
    teams: list[Team] = []
    for commune in (*PILOT_COMMUNES, None):
        code = commune or "C-FR-PARIS"
        reg = office_registry(offices_dir / code, clock, durable=False)
        office = offices.create_office(
            reg,
            actor=SYSTEM,
            commune_code=commune,
            consulate=PILOT_CONSULATE if commune is None else None,
        )
        tag = office.code.replace(".", "").replace("-", "").lower()
        people: dict[str, list[Actor]] = {}
        for index, (role, first_ar, first_fr) in enumerate(STAFF):
            username = f"{role}{index}.{tag}"
            offices.appoint_staff(
                reg,
                actor=SYSTEM,
                office=office.code,
                username=username,
                role=role,
                full_name_ar=f"{first_ar} {office.name_ar.split()[0]}",
                full_name_fr=f"{first_fr} {office.name_fr.split()[0]}",
            )
            people.setdefault(role, []).append(Actor(username, role, office.code))
        central.enroll_office(
            centre,
            actor=SYSTEM,
            office=office.code,
            public_key=reg.keys.signer(office.code).public_key_hex,
        )
        teams.append(
            Team(
                office.code,
                commune,
                reg,
                people["officer"][0],
                people["delegate"][0],
                tuple(people["clerk"]),
                central.LocalCentre(centre, office.code),
            )
        )
    return teams


class _Agenda:
    """Things to do at given moments, done in time order."""

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, Callable[[], None]]] = []
        self._tie = itertools.count()

    def add(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._heap, (when, next(self._tie), action))

    def __len__(self) -> int:
        return len(self._heap)

    def run(
        self, clock: DemoClock, until: datetime, progress: Callable[[], None]
    ) -> None:
        while self._heap and self._heap[0][0] <= until:
            when, _, action = heapq.heappop(self._heap)
            clock.now = when
            action()
            progress()


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), MOROCCO).astimezone(UTC)


class _Demo:
    def __init__(
        self,
        centre: Registry,
        teams: list[Team],
        gen: Generator,
        clock: DemoClock,
        today: date,
    ) -> None:
        self.centre, self.teams, self.gen, self.clock = centre, teams, gen, clock
        self.today = today
        self.agenda = _Agenda()
        self.report = DemoReport(offices=[t.office for t in teams])
        self.people: list[Person] = []
        self.centre_key = centre.keys.signer(CENTRE).public_key_hex

    # --- births and what follows them ------------------------------------------------

    def birth(self, team: Team, day: date) -> None:
        rng = self.gen.rng
        data = self.gen.birth(
            day, office_commune_code=team.commune, late=rng.random() < 0.02
        )
        if team.commune is None:  # born abroad, registered at the consulate
            data["birth_place"] = rng.choice(PARIS_PLACES)
            data.pop("birth_commune", None)
        clerk = rng.choice(team.clerks)
        draft = drafts.register_birth(
            team.reg, actor=clerk, office=team.office, data=data
        )
        if rng.random() < 0.01:
            drafts.cancel_draft(
                team.reg,
                actor=clerk,
                office=team.office,
                draft_id=draft,
                reason="تصريح مكرر — déclaration en double",
            )
            self.report.cancelled += 1
            return
        signer = team.officer if rng.random() < 0.8 else team.delegate
        self.clock.now += timedelta(minutes=rng.randint(20, 180))
        ref = acts.sign_act(team.reg, actor=signer, office=team.office, draft_id=draft)
        self.report.births += 1
        person = Person(team, ref, data)
        self.people.append(person)
        self._later_life(person)

    def _later_life(self, person: Person) -> None:
        rng = self.gen.rng
        if rng.random() < 0.03:
            kind = rng.choice(
                ["correction_prosecutor", "latin_transcription", "correction_judgment"]
            )
            day = person.born + timedelta(days=rng.randint(40, 900))
            self._at(day, 11, functools.partial(self._correction, person, kind, day))
        if rng.random() < 0.015:  # dies young, at home or in another office
            day = person.born + timedelta(days=rng.randint(3, 6000))
            self._at(day, 12, functools.partial(self._death_of, person, day))
            return
        if rng.random() < 0.6:
            day = person.born + timedelta(days=rng.randint(20 * 365, 34 * 365))
            self._at(day, 10, functools.partial(self._wedding, person, day))

    def _at(self, day: date, hour: int, action: Callable[[], None]) -> None:
        if day < self.today:
            self.agenda.add(_moment(day, hour, self.gen.rng.randint(0, 59)), action)

    def _correction(self, person: Person, kind: str, day: date) -> None:
        mention = self.gen.mention(
            kind, "birth", day, holder_sex=person.data["sex"], act=person.data
        )
        team = person.team
        acts.add_mention(
            team.reg, actor=team.officer, ref=str(person.ref), data=mention
        )

    def _death_of(self, person: Person, day: date) -> None:
        if not person.alive:
            return
        person.alive = False
        rng = self.gen.rng
        # Most die where they were born; some far from home, in another pilot office.
        team = person.team if rng.random() < 0.6 else rng.choice(self.teams)
        found = {**person_of(person.data), "birth_act_ref": str(person.ref)}
        self._register_death(team, day, found)

    def _register_death(
        self, team: Team, day: date, person: dict[str, Any] | None
    ) -> None:
        declared = self.gen.death(day, person=person, office_commune_code=team.commune)
        clerk = self.gen.rng.choice(team.clerks)
        draft = drafts.register_death(
            team.reg, actor=clerk, office=team.office, data=declared
        )
        acts.sign_act(team.reg, actor=team.officer, office=team.office, draft_id=draft)
        self.report.deaths += 1

    def _wedding(self, person: Person, day: date) -> None:
        if person.married or not person.alive:
            return
        rng = self.gen.rng
        other_sex = "F" if person.data["sex"] == "M" else "M"
        partners = [
            p
            for p in self.people
            if p.data["sex"] == other_sex
            and p.alive
            and not p.married
            and abs((p.born - person.born).days) < 8 * 365
            and (day - p.born).days > 18 * 365
        ]
        spouse = rng.choice(partners[:50]) if partners else None
        parties = [self._party(person)]
        if spouse is not None:
            parties.append(self._party(spouse))
            spouse.married = True
        else:  # married to someone born outside the pilot: the centre must match them
            stranger = self.gen.birth(day)
            while stranger["sex"] != other_sex:
                stranger = self.gen.birth(day)
            parties.append({"names": stranger["child"]})
        person.married = True
        husband, wife = parties if person.data["sex"] == "M" else parties[::-1]
        authority = rng.choice(["adouls", "adouls", "adouls", "court"])
        remote.record_event(
            self.centre,
            actor=SYSTEM,
            office=CENTRE,
            kind="marriage",
            parties=[husband, wife],
            mention={
                "source": {
                    "authority": authority,
                    "reference": f"عقد زواج عدد {rng.randint(1, 900)} صحيفة {rng.randint(1, 400)}",
                    "date": day.isoformat(),
                },
                "data": {"event_date": day.isoformat()},
            },
        )
        self.report.marriages += 1

    @staticmethod
    def _party(person: Person) -> dict[str, Any]:
        child = person.data["child"]
        names = {
            k: child[k]
            for k in (
                "first_name_ar",
                "family_name_ar",
                "first_name_lat",
                "family_name_lat",
            )
        }
        return {
            "names": names,
            "birth_act_ref": str(person.ref),
            "birth_date": person.data["birth_date"],
        }

    # --- the network and the calendar --------------------------------------------------

    def sync(self, team: Team) -> None:
        """The agent's round, then the officer applies what arrived."""
        remote.push(team.reg, team.link, team.office)
        remote.pull(team.reg, team.link, team.office, self.centre_key)
        waiting = remote.pending_notices(
            team.reg, actor=team.officer, office=team.office
        )
        for notice in waiting:
            notice_id = notice["notice_id"]
            try:
                remote.apply_notice(
                    team.reg,
                    actor=team.officer,
                    office=team.office,
                    notice_id=notice_id,
                )
            except NotFound:  # an act this office never registered: back to the centre
                remote.return_notice(
                    team.reg,
                    actor=team.officer,
                    office=team.office,
                    notice_id=notice_id,
                    reason="لا يوجد هذا الرسم بالمكتب — acte inconnu dans ce bureau",
                )
                self.report.notices_returned += 1
                continue
            self.report.notices_applied += 1
        remote.push(team.reg, team.link, team.office)

    def close_year(self, team: Team, year: int) -> None:
        for kind in ("birth", "death"):
            acts.close_register(
                team.reg, actor=team.officer, office=team.office, year=year, kind=kind
            )
            self.report.closed_registers += 1


def build_demo(
    centre: Registry,
    *,
    offices_dir: Path,
    today: date,
    first_year: int = 1996,
    seed: int = 2008,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    """Open the pilot network and live its registers from ``first_year`` to ``today``.

    ``centre`` is the central registry; each office gets its own database under
    ``offices_dir``. ``scale`` multiplies the number of acts (1.0: about 2,000 births).
    """
    clock = DemoClock()
    centre.clock = clock
    clock.at(date(first_year, 1, 2), 8)
    gen = Generator(seed)
    teams = _open_pilot(centre, offices_dir, clock)
    demo = _Demo(centre, teams, gen, clock, today)
    for team in teams:
        _plan_office(demo, team, first_year, today, scale)
    total = len(demo.agenda)
    done = itertools.count(1)
    demo.agenda.run(
        clock,
        _moment(today, 23),
        lambda: progress(next(done), total) if progress else None,
    )
    clock.now = min(_moment(today, 17), datetime.now(UTC))
    for team in teams:  # a last round, so the centre is up to date
        demo.sync(team)
    _count_outcomes(demo)
    return demo.report


def _plan_office(
    demo: _Demo, team: Team, first_year: int, today: date, scale: float
) -> None:
    gen = demo.gen
    for year in range(first_year, today.year + 1):
        recent = year >= today.year - 2
        share = 0.6 if team.commune is None else 1.0
        count = max(1, round((40 if recent else 8) * scale * share))
        last = min(date(year, 12, 30), today - timedelta(days=1))
        days = _days(date(year, 1, 2), last)
        for day in sorted(gen.rng.choice(days) for _ in range(count)):
            demo._at(day, 11, functools.partial(demo.birth, team, day))
        for day in sorted(gen.rng.choice(days) for _ in range(max(1, count // 4))):
            demo._at(day, 12, functools.partial(demo._register_death, team, day, None))
        if year < today.year:
            demo._at(
                date(year, 12, 31), 18, functools.partial(demo.close_year, team, year)
            )
    day = date(first_year, 2, 1)
    while day < today:
        demo._at(day, 20, functools.partial(demo.sync, team))
        day += SYNC_EVERY


def _count_outcomes(demo: _Demo) -> None:
    with demo.centre.engine.connect() as conn:
        demo.report.mentions = int(
            conn.execute(select(func.count()).select_from(t.mentions)).scalar_one()
        )
        demo.report.matching = int(
            conn.execute(
                select(func.count())
                .select_from(t.notices)
                .where(t.notices.c.status == "matching")
            ).scalar_one()
        )


@functools.cache
def _days(first: date, last: date) -> list[date]:
    """The working days between two days (registrations are made on working days)."""
    every = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in every if day.weekday() < 5] or [first]
