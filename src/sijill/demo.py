"""The demo network: the six pilot offices with a few years of realistic registers.

Everything goes through the use cases, as clerks and officers would do it, on a clock
that walks from the first day of the demo to today: births and deaths are drafted and
signed, marriages, divorces and corrections arrive in the margins over the years, and
each register is closed on 31 December.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, offices
from sijill.services.context import MOROCCO, Registry
from sijill.synthetic import Generator, person_of

# The pilot of the programme: the four communes the article names, a rural commune and
# a consulate (code, or None for the consulate).
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


class DemoClock:
    """The clock the demo moves forward as it replays the years."""

    def __init__(self) -> None:
        self.now = datetime(2000, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        self.now = datetime.combine(day, time(hour, minute), MOROCCO).astimezone(UTC)


@dataclass
class DemoReport:
    """What the demo built."""

    offices: list[str] = field(default_factory=list)
    births: int = 0
    deaths: int = 0
    mentions: int = 0
    cancelled: int = 0
    closed_registers: int = 0


@dataclass(frozen=True)
class Team:
    office: str
    commune: str | None
    officer: Actor
    delegate: Actor
    clerks: tuple[Actor, ...]


def _open_pilot(reg: Registry) -> list[Team]:
    teams: list[Team] = []
    for commune in (*PILOT_COMMUNES, None):
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
        teams.append(
            Team(
                office.code,
                commune,
                people["officer"][0],
                people["delegate"][0],
                tuple(people["clerk"]),
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
        self, reg: Registry, gen: Generator, clock: DemoClock, today: date
    ) -> None:
        self.reg, self.gen, self.clock, self.today = reg, gen, clock, today
        self.agenda = _Agenda()
        self.report = DemoReport()

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
            self.reg, actor=clerk, office=team.office, data=data
        )
        if rng.random() < 0.01:
            drafts.cancel_draft(
                self.reg,
                actor=clerk,
                office=team.office,
                draft_id=draft,
                reason="تصريح مكرر — déclaration en double",
            )
            self.report.cancelled += 1
            return
        signer = team.officer if rng.random() < 0.8 else team.delegate
        self.clock.now += timedelta(minutes=rng.randint(20, 180))
        ref = acts.sign_act(self.reg, actor=signer, office=team.office, draft_id=draft)
        self.report.births += 1
        self._later_life(team, ref, data)

    def _later_life(self, team: Team, ref: ActRef, data: dict[str, Any]) -> None:
        rng = self.gen.rng
        born = date.fromisoformat(data["birth_date"])
        if rng.random() < 0.03:
            kind = rng.choice(
                ["correction_prosecutor", "latin_transcription", "correction_judgment"]
            )
            self._mention_at(
                team, ref, data, kind, born + timedelta(days=rng.randint(40, 900))
            )
        if rng.random() < 0.01:  # dies as a child: no later life in the margins
            self._death_at(team, ref, data, born + timedelta(days=rng.randint(3, 2000)))
            return
        if born.year < 2006 and rng.random() < 0.55:
            wedding = born + timedelta(days=rng.randint(19 * 365, 34 * 365))
            self._mention_at(team, ref, data, "marriage", wedding)
            if rng.random() < 0.12:
                self._mention_at(
                    team,
                    ref,
                    data,
                    "divorce",
                    wedding + timedelta(days=rng.randint(200, 3000)),
                )

    def _mention_at(
        self, team: Team, ref: ActRef, data: dict[str, Any], kind: str, day: date
    ) -> None:
        if day >= self.today:
            return

        def write() -> None:
            mention = self.gen.mention(
                kind, "birth", day, holder_sex=data["sex"], act=data
            )
            acts.add_mention(self.reg, actor=team.officer, ref=str(ref), data=mention)
            self.report.mentions += 1

        self.agenda.add(_moment(day, 11, self.gen.rng.randint(0, 59)), write)

    def _death_at(
        self, team: Team, ref: ActRef | None, data: dict[str, Any] | None, day: date
    ) -> None:
        if day >= self.today:
            return

        def register() -> None:
            person = (
                {**person_of(data), "birth_act_ref": str(ref)}
                if data is not None
                else None
            )
            declared = self.gen.death(
                day, person=person, office_commune_code=team.commune
            )
            clerk = self.gen.rng.choice(team.clerks)
            draft = drafts.register_death(
                self.reg, actor=clerk, office=team.office, data=declared
            )
            acts.sign_act(
                self.reg, actor=team.officer, office=team.office, draft_id=draft
            )
            self.report.deaths += 1
            if ref is not None:  # the office writes the death on the birth act itself
                self.report.mentions += 1

        self.agenda.add(_moment(day, 12, self.gen.rng.randint(0, 59)), register)

    def close_year(self, team: Team, year: int) -> None:
        def close() -> None:
            for kind in ("birth", "death"):
                acts.close_register(
                    self.reg,
                    actor=team.officer,
                    office=team.office,
                    year=year,
                    kind=kind,
                )
                self.report.closed_registers += 1

        self.agenda.add(_moment(date(year, 12, 31), 18), close)


def build_demo(
    reg: Registry,
    *,
    today: date,
    first_year: int = 1996,
    seed: int = 2008,
    scale: float = 1.0,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    """Open the pilot offices and fill their registers from ``first_year`` to ``today``.

    ``scale`` multiplies the number of acts (1.0: about 4,000 births across six offices).
    """
    clock = DemoClock()
    reg.clock = clock
    clock.at(date(first_year, 1, 2), 8)
    gen = Generator(seed)
    demo = _Demo(reg, gen, clock, today)
    teams = _open_pilot(reg)
    demo.report.offices = [t.office for t in teams]
    for team in teams:
        for year in range(first_year, today.year + 1):
            recent = year >= today.year - 2
            count = max(
                1,
                round(
                    (60 if recent else 12)
                    * scale
                    * (0.6 if team.commune is None else 1)
                ),
            )
            last = min(date(year, 12, 30), today - timedelta(days=1))
            for day in sorted(
                gen.rng.choice(_days(date(year, 1, 2), last)) for _ in range(count)
            ):
                demo.agenda.add(
                    _moment(day, 9, gen.rng.randint(0, 59)),
                    functools.partial(demo.birth, team, day),
                )
            for day in sorted(
                gen.rng.choice(_days(date(year, 1, 2), last))
                for _ in range(max(1, count // 4))
            ):
                demo._death_at(team, None, None, day)
            if year < today.year:
                demo.close_year(team, year)
    total = len(demo.agenda)
    done = itertools.count(1)
    demo.agenda.run(
        clock,
        _moment(today, 23),
        lambda: progress(next(done), total) if progress else None,
    )
    clock.at(today, 17)
    return demo.report


@functools.cache
def _days(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() < 5
    ] or [first]
