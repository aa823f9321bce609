"""Bringing an office into service from one command, as resumable steps.

Each step first asks "already done?" and does its work only when not: running the
onboarding twice changes nothing, and a run interrupted anywhere (a crash, a cut
power line) is completed by running it again, without duplicating anything. The
steps, in order:

``record``       the centre notes the onboarding (once), audited;
``database``     the office's own database, migrated;
``office``       the office record and its key pair (its ``OfficeOpened`` entry);
``officer``      the civil status officer appointed;
``account``      his account: a one-time password and a TOTP secret;
``registers``    the registers of births and deaths of the current year, opened;
``certificate``  the office key certified by the ministry's root key;
``enrolment``    the office key enrolled at the centre, for sync;
``first_sync``   the office's journal pushed to the centre (the centre's record of it);
``trust``        the root public key, trust lists and the office certificate copied
                 beside the office key (its documents are then verifiable and signed);
``config``       the configuration file the office server starts from;
``complete``     the centre notes the onboarding finished.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import re
import shutil
import sqlite3
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from sijill.auth.accounts import Enrolment, open_account
from sijill.documents.errors import TrustProblem
from sijill.documents.trust import (
    REVOCATIONS,
    ROOT_CERTIFICATE,
    ROOT_PUBLIC,
    TRUST_LIST,
    TrustList,
    TrustStore,
)
from sijill.domain import events as ev
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.messages import render
from sijill.domain.offices import Actor, Office
from sijill.services import offices
from sijill.services.authz import authorize
from sijill.services.context import Registry, stamp
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import current_revision, upgrade
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync.protocol import CENTRE

DONE, ALREADY = "done", "already done"
CONFIG_NAME = "office.toml"
CREDENTIALS_NAME = "officer-credentials.txt"
DEFAULT_CENTRE_URL = "http://127.0.0.1:9000"
LEGACY_FROM = 1915  # the oldest registers of the programme


@dataclass
class Ministry:
    """What onboarding works with on the ministry's machine.

    ``centre`` is the central registry; each office gets a directory of its own under
    ``offices_dir`` (database, keys, configuration); ``trust`` holds the root key,
    opened with ``passphrase``.
    """

    centre: Registry
    offices_dir: Path
    trust: TrustStore
    passphrase: bytes
    actor: Actor
    centre_url: str | None = (
        None  # None: as the office's configuration says, or the default
    )
    key_passphrase: bytes | None = None
    durable: bool = True
    template: Path | None = None  # a migrated, empty SQLite file new offices start from


def may_onboard(centre: Registry, *, actor: Actor) -> None:
    """Raise Forbidden unless ``actor`` may bring offices into service."""
    uow, _ = centre.unit_of_work()
    with uow:
        authorize(uow, actor, "office.onboard", None)


def open_ministry(
    centre: Registry,
    *,
    actor: Actor,
    trust: TrustStore,
    passphrase: bytes,
    offices_dir: Path,
    key_passphrase: bytes | None = None,
    centre_url: str | None = None,
    template: Path | None = None,
) -> Ministry:
    """The ministry's means to onboard, once the actor may and the passphrase opens
    the root key (else InvalidInput naming ``passphrase``; nothing is written)."""
    may_onboard(centre, actor=actor)
    try:
        trust.check_passphrase(passphrase)
    except TrustProblem as problem:
        raise InvalidInput(
            [Violation("passphrase", problem.rule, problem.params)]
        ) from None
    central.open_centre(centre)
    return Ministry(
        centre=centre,
        offices_dir=offices_dir,
        trust=trust,
        passphrase=passphrase,
        actor=actor,
        centre_url=centre_url,
        key_passphrase=key_passphrase,
        template=template,
    )


def office_request(
    *,
    commune: str | None = None,
    consulate: str | None = None,
    name_ar: str | None = None,
    name_fr: str | None = None,
    **options: object,
) -> OfficeRequest:
    """The request for a commune's office (its HCP code) or a consulate's
    (``CC:City`` and its names): exactly one of the two."""
    commune, consulate = (commune or "").strip(), (consulate or "").strip()
    if bool(commune) == bool(consulate):
        raise InvalidInput(
            [Violation("commune", "choice", {"choices": "commune | consulate"})]
        )
    if commune:
        return commune_request(commune, **options)
    country, _, city = consulate.partition(":")
    spec = (country, city, name_ar or "", name_fr or "")
    return consulate_request(spec, **options)


@dataclass(frozen=True)
class OfficeRequest:
    """The office to bring into service, as the ministry names it."""

    office: Office
    commune: str | None = None
    consulate: tuple[str, str, str, str] | None = None
    database_url: str | None = None
    officer_username: str | None = None
    officer_name_ar: str | None = None
    officer_name_fr: str | None = None
    legacy_from: int = LEGACY_FROM


@dataclass(frozen=True)
class Todo:
    """One thing left to do by hand: what (a message code and its parameters) and
    the path or command it concerns, if any."""

    code: str
    params: dict[str, str]
    literal: str = ""

    def text(self, lang: str = "en") -> str:
        return render(self.code, lang, **self.params)


@dataclass
class Onboarded:
    """What one onboarding did, step by step, and what is left to do by hand."""

    office: str
    office_dir: Path
    config_path: Path
    steps: list[tuple[str, str]] = field(default_factory=list)
    enrolment: Enrolment | None = None
    todo: list[Todo] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(state == DONE for _, state in self.steps)

    def checklist(self, lang: str = "en") -> list[str]:
        """What is left to do by hand, in ``lang``, each with its path or command."""
        return [
            " ".join(filter(None, (t.text(lang), t.literal.replace("\n", " ; "))))
            for t in self.todo
        ]


def commune_request(code: str, **options: object) -> OfficeRequest:
    """The request for the office of a commune or arrondissement, by its HCP code."""
    from sijill.store import geography

    commune = geography.lookup((code or "").strip())
    if commune is None:
        raise InvalidInput(
            [Violation("commune", "office.unknown_commune", {"code": code})]
        )
    office = Office(
        code=commune.code,
        kind=commune.kind,
        name_ar=commune.name_ar,
        name_fr=commune.name_fr,
        region_code=commune.region_code,
        province_code=commune.province_code,
        commune_code=commune.commune_code,
        setting=commune.setting,
    )
    return OfficeRequest(office=office, commune=commune.code, **options)  # type: ignore[arg-type]


def consulate_request(
    consulate: tuple[str, str, str, str], **options: object
) -> OfficeRequest:
    """The request for a consulate: (country ISO code, city, name in Arabic, in French)."""
    office = offices.consulate_office(*consulate)
    return OfficeRequest(office=office, consulate=consulate, **options)  # type: ignore[arg-type]


def tag_of(code: str) -> str:
    """The office code as it may appear in a user name: ``03.231.01.0`` → ``03231010``."""
    return code.replace(".", "").replace("-", "").lower()


def onboard_office(
    ministry: Ministry,
    request: OfficeRequest,
    *,
    publish: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> Onboarded:
    """Bring one office into service; each step is skipped when already done.

    ``publish=False`` leaves the trust list and the ``trust`` step to the caller (a
    roll-out publishes once for the whole province, then copies the lists).
    """
    code = request.office.code
    office_dir = ministry.offices_dir / code
    result = Onboarded(code, office_dir, office_dir / CONFIG_NAME)
    note = _noter(result, on_step)
    note("record", _record(ministry, request, office_dir))
    office_reg, created = _database(ministry, request, office_dir)
    note("database", created)
    note("office", _office(ministry, office_reg, request))
    wanted = request.officer_username or f"officer.{tag_of(code)}"
    appointed, officer = _officer(ministry, office_reg, request, wanted)
    note("officer", appointed)
    note("account", _account(ministry, office_reg, officer, office_dir, result))
    note("registers", _registers(ministry, office_reg, code))
    key_id = office_reg.keys.signer(code).key_id
    note("certificate", _certificate(ministry, office_reg, code))
    note("enrolment", _enrolment(ministry, office_reg, code))
    note("first_sync", _first_sync(ministry, office_reg, code))
    if publish:
        publish_trust(ministry, {key_id})
        note("trust", copy_trust(ministry, office_reg.keys.directory, key_id))
    centre_key = ministry.centre.keys.signer(CENTRE).public_key_hex
    note("config", _config(ministry, request, office_reg, office_dir, centre_key))
    note("complete", _complete(ministry, code))
    result.todo = checklist(ministry, request, result, officer, centre_key)
    office_reg.engine.dispose()
    return result


def _noter(
    result: Onboarded, on_step: Callable[[str], None] | None
) -> Callable[[str, bool], None]:
    def note(step: str, did: bool) -> None:
        result.steps.append((step, DONE if did else ALREADY))
        if on_step is not None:
            on_step(step)

    return note


def _record(ministry: Ministry, request: OfficeRequest, office_dir: Path) -> bool:
    """The centre notes the onboarding once (authorized and audited)."""
    reg = ministry.centre
    office = request.office
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, ministry.actor, "office.onboard", None, target=office.code)
        known = uow.conn.execute(
            select(t.onboardings.c.office_code, t.onboardings.c.completed_at).where(
                t.onboardings.c.office_code == office.code
            )
        ).first()
        if known is None:
            uow.conn.execute(
                t.onboardings.insert().values(
                    office_code=office.code,
                    kind=office.kind,
                    region_code=office.region_code,
                    province_code=office.province_code,
                    office_dir=str(office_dir.resolve()),
                    database_url=_safe_url(request, office_dir),
                    legacy_from=request.legacy_from,
                    last_step="record",
                    started_at=uow.now,
                    started_by=ministry.actor.username,
                )
            )
        uow.audit(
            ministry.actor,
            "office.onboard",
            office=office.code,
            target=office.code,
            personal=False,
            detail={"resumed": known is not None, "done": bool(known and known[1])},
        )
    return known is None


def database_url_of(request: OfficeRequest, office_dir: Path) -> str:
    if request.database_url:
        return request.database_url
    # Not Settings(): the ministry's own SIJILL_DATABASE_URL is the centre's database.
    return f"sqlite:///{(office_dir / 'sijill.db').resolve()}"


def _safe_url(request: OfficeRequest, office_dir: Path) -> str:
    return make_url(database_url_of(request, office_dir)).render_as_string(
        hide_password=True
    )


def _database(
    ministry: Ministry, request: OfficeRequest, office_dir: Path
) -> tuple[Registry, bool]:
    """The office's database, migrated; True when it had to be made or migrated."""
    url = database_url_of(request, office_dir)
    office_dir.mkdir(parents=True, exist_ok=True)
    fresh = False
    if not request.database_url:
        path = office_dir / "sijill.db"
        if not path.exists() and ministry.template is not None:
            shutil.copyfile(ministry.template, path)
            fresh = True
    engine = make_engine(url, durable=ministry.durable)
    head = _head_revision()
    if current_revision(engine) != head:
        upgrade(engine)
        fresh = True
    keys = KeyStore(office_dir / "keys", ministry.key_passphrase)
    reg = Registry(engine=engine, keys=keys, clock=ministry.centre.clock)
    return reg, fresh


@functools.cache
def _head_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sijill.store.schema import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def make_template(directory: Path) -> Path:
    """An empty SQLite database at the current schema, for new offices to start from."""
    path = directory / "template.db"
    if path.exists():
        path.unlink()
    engine = make_engine(f"sqlite:///{path.resolve()}", durable=False)
    upgrade(engine)
    engine.dispose()
    with contextlib.closing(
        sqlite3.connect(path)
    ) as conn:  # one file, no WAL beside it
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


def _office(ministry: Ministry, reg: Registry, request: OfficeRequest) -> bool:
    if offices.office_exists(reg, request.office.code):
        return False
    offices.create_office(
        reg,
        actor=ministry.actor,
        commune_code=request.commune,
        consulate=request.consulate,
    )
    return True


def _officer(
    ministry: Ministry, reg: Registry, request: OfficeRequest, username: str
) -> tuple[bool, str]:
    """The office's officer, appointed unless it has one; returns whether he was
    appointed now and his user name (the one in office, if any)."""
    code = request.office.code
    with reg.engine.connect() as conn:
        holder = conn.execute(
            select(t.staff.c.username).where(
                t.staff.c.office_code == code,
                t.staff.c.role == "officer",
                t.staff.c.active.is_(True),
            )
        ).first()
    if holder is not None:
        return False, str(holder.username)
    office = request.office
    offices.appoint_staff(
        reg,
        actor=ministry.actor,
        office=code,
        username=username,
        role="officer",
        full_name_ar=request.officer_name_ar
        or _title(f"ضابط الحالة المدنية {office.name_ar}", _NOT_ARABIC),
        full_name_fr=request.officer_name_fr
        or _title(f"Officier de l'état civil {office.name_fr}", _NOT_LATIN),
    )
    return True, username


_NOT_ARABIC = re.compile(r"[^\u0600-\u06FF\u0750-\u077F' \-]")
_NOT_LATIN = re.compile(r"[^A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F' \-.]")


def _title(text: str, outside: re.Pattern[str]) -> str:
    """The office's title as a name: characters a name may not hold left out."""
    return " ".join(outside.sub(" ", text).split())[:120]


def _account(
    ministry: Ministry,
    reg: Registry,
    username: str,
    office_dir: Path,
    result: Onboarded,
) -> bool:
    """The officer's account; its one-time code and TOTP secret go on a sheet (0600)
    for the ministry to hand over, so an interrupted run does not lose them."""
    with reg.engine.connect() as conn:
        exists = conn.execute(
            select(t.accounts.c.username).where(t.accounts.c.username == username)
        ).first()
    if exists is not None:
        return False
    enrolment = open_account(
        reg, actor=ministry.actor, username=username, role="officer"
    )
    result.enrolment = enrolment
    sheet = office_dir / CREDENTIALS_NAME
    sheet.write_text(
        "\n".join(
            [
                f"# Sijill — {username}: change this one-time password at the first "
                "sign-in (/account/password), within 24 hours",
                "# كلمة مرور لمرة واحدة، تغير عند أول دخول",
                f"username = {username}",
                f"one_time_password = {enrolment.code}",
                f"totp_secret = {enrolment.totp_secret or '-'}",
                f"totp_uri = {enrolment.totp_uri or '-'}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    sheet.chmod(0o600)
    return True


def open_registers(reg: Registry, *, actor: Actor, office: str, year: int) -> bool:
    """Open the office's registers of births and deaths for ``year`` (those not yet
    open); True when one was opened."""
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "register.open", office)
        opened = {
            r.kind
            for r in uow.conn.execute(
                select(t.registers.c.kind).where(
                    t.registers.c.office_code == office, t.registers.c.year == year
                )
            )
        }
        missing = [kind for kind in ("birth", "death") if kind not in opened]
        for kind in missing:
            uow.record(
                office,
                ev.RegisterOpened(year=year, kind=kind, at=uow.now, by=actor.username),
            )
        if missing:
            uow.audit(
                actor,
                "register.open",
                office=office,
                target=str(year),
                personal=False,
                detail={"kinds": missing},
            )
    return bool(missing)


def _registers(ministry: Ministry, reg: Registry, code: str) -> bool:
    return open_registers(reg, actor=ministry.actor, office=code, year=reg.now().year)


def _certificate(ministry: Ministry, reg: Registry, code: str) -> bool:
    signer = reg.keys.signer(code)
    if ministry.trust.is_certified(signer.key_id):
        return False
    ministry.trust.certify(
        office=code,
        public_key_hex=signer.public_key_hex,
        at=stamp(ministry.centre.now()),
        passphrase=ministry.passphrase,
    )
    return True


def _enrolment(ministry: Ministry, reg: Registry, code: str) -> bool:
    signer = reg.keys.signer(code)
    with ministry.centre.engine.connect() as conn:
        known = conn.execute(
            select(t.enrolled_keys.c.key_id).where(
                t.enrolled_keys.c.key_id == signer.key_id,
                t.enrolled_keys.c.office_code == code,
            )
        ).first()
    if known is not None:
        return False
    central.enroll_office(
        ministry.centre,
        actor=ministry.actor,
        office=code,
        public_key=signer.public_key_hex,
    )
    return True


def _first_sync(ministry: Ministry, reg: Registry, code: str) -> bool:
    """The office's journal reaches the centre: there, it is an office like any other."""
    with reg.engine.connect() as conn:
        office_head = conn.execute(
            select(t.journal_heads.c.last_seq).where(
                t.journal_heads.c.office_code == code
            )
        ).scalar_one_or_none()
    with ministry.centre.engine.connect() as conn:
        centre_head = conn.execute(
            select(t.journal_heads.c.last_seq).where(
                t.journal_heads.c.office_code == code
            )
        ).scalar_one_or_none()
    if (office_head or 0) <= (centre_head or 0):
        return False
    remote.push(reg, central.LocalCentre(ministry.centre, code), code)
    return True


def publish_trust(ministry: Ministry, key_ids: set[str]) -> bool:
    """Publish the trust list again unless it already names every key of ``key_ids``."""
    try:
        listed = set(TrustList.load(ministry.trust.directory).keys)
    except ValueError:
        listed = set()
    if key_ids <= listed:
        return False
    ministry.trust.publish(
        at=stamp(ministry.centre.now()), passphrase=ministry.passphrase
    )
    return True


def copy_trust(ministry: Ministry, keys_dir: Path, key_id: str) -> bool:
    """What the office needs of the ministry's keys, beside its own key."""
    source = ministry.trust.directory
    target = keys_dir / "trust"
    files = [ROOT_PUBLIC, ROOT_CERTIFICATE, TRUST_LIST, REVOCATIONS]
    files += [f"certificates/{key_id}.cose", f"certificates/{key_id}.crt"]
    changed = False
    for name in files:
        origin, copy = source / name, target / name
        if not origin.exists():
            continue
        data = origin.read_bytes()
        if copy.exists() and copy.read_bytes() == data:
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        changed = True
    return changed


def config_text(
    ministry: Ministry,
    request: OfficeRequest,
    reg: Registry,
    office_dir: Path,
    centre_key: str,
) -> str:
    """The office server's configuration (TOML), read by ``sijill serve --config``."""
    office = request.office

    def value(v: object) -> str:
        return json.dumps(v, ensure_ascii=False)

    return "\n".join(
        [
            "# Sijill office server: `sijill serve --config office.toml`",
            "[office]",
            f"code = {value(office.code)}",
            f"name_ar = {value(office.name_ar)}",
            f"name_fr = {value(office.name_fr)}",
            "",
            "[server]",
            'role = "office"',
            'host = "127.0.0.1"',
            "port = 8000",
            "",
            "[storage]",
            f"data_dir = {value(str(office_dir.resolve()))}",
            f"database_url = {value(database_url_of(request, office_dir))}",
            f"keys_dir = {value(str(reg.keys.directory.resolve()))}",
            "",
            "[sync]",
            f"centre_url = {value(ministry.centre_url or DEFAULT_CENTRE_URL)}",
            f"centre_key = {value(centre_key)}",
            "",
        ]
    )


def _configured_centre(path: Path) -> str:
    try:
        written = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_CENTRE_URL
    return str(written.get("sync", {}).get("centre_url") or DEFAULT_CENTRE_URL)


def office_registry(office_dir: Path, clock: Callable[[], datetime]) -> Registry:
    """An onboarded office's registry, from the configuration onboarding wrote."""
    config = tomllib.loads((office_dir / CONFIG_NAME).read_text(encoding="utf-8"))
    storage = config.get("storage", {})
    engine = make_engine(storage["database_url"])
    upgrade(engine)
    keys = KeyStore(Path(storage.get("keys_dir") or office_dir / "keys"))
    return Registry(engine=engine, keys=keys, clock=clock)


def _config(
    ministry: Ministry,
    request: OfficeRequest,
    reg: Registry,
    office_dir: Path,
    centre_key: str,
) -> bool:
    path = office_dir / CONFIG_NAME
    if ministry.centre_url is None:
        ministry = dataclasses.replace(ministry, centre_url=_configured_centre(path))
    text = config_text(ministry, request, reg, office_dir, centre_key)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)  # it may hold a database URL with its password
    return True


def _complete(ministry: Ministry, code: str) -> bool:
    reg = ministry.centre
    uow, _ = reg.unit_of_work()
    with uow:
        row = uow.conn.execute(
            select(t.onboardings.c.completed_at).where(
                t.onboardings.c.office_code == code
            )
        ).first()
        if row is None or row.completed_at is not None:
            return False
        uow.conn.execute(
            update(t.onboardings)
            .where(t.onboardings.c.office_code == code)
            .values(completed_at=uow.now, last_step="complete")
        )
    return True


def checklist(
    ministry: Ministry,
    request: OfficeRequest,
    result: Onboarded,
    officer: str,
    centre_key: str,
) -> list[Todo]:
    """What is left to do by hand, in the order it is done: each a message code (the
    CLI prints it in English, the ministry's page in Arabic or French), its
    parameters, and the path or command it names, written as is (left to right)."""
    code, where = request.office.code, str(result.office_dir)
    centre = ministry.centre_url or DEFAULT_CENTRE_URL
    items: list[Todo] = [
        Todo("onboard.todo.credentials", {"officer": officer},
             f"{where}/{CREDENTIALS_NAME}"),
        Todo("onboard.todo.serve", {},
             f"{where}\nsijill serve --config {result.config_path.name}"),
        Todo("onboard.todo.agent", {},
             f"sijill --data-dir {where} sync --office {code} --centre {centre} "
             f"--centre-key {centre_key}"),
        Todo("onboard.todo.backup", {}, f"{where}/keys"),
        Todo("onboard.todo.staff", {},
             f"sijill --data-dir {where} office appoint --office {code} "
             "--username … --role delegate|clerk …"),
        Todo("onboard.todo.legacy", {}, "sijill digitize import …"),
    ]  # fmt: skip
    if request.officer_name_ar is None:
        items.insert(1, Todo("onboard.todo.officer_name", {}))
    return items
