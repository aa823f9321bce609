"""The tables. Every table holding acts, mentions or journal entries is keyed by office.

``acts``, ``mentions``, ``journal`` and ``audit_log`` are append-only: the code offers
no update or delete on them, and on PostgreSQL a trigger refuses both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Computed,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Code = String(24)
Stamp = String(32)  # ISO-8601 UTC instants, as written in the journal

offices = Table(
    "offices",
    metadata,
    Column("code", Code, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("name_ar", String(120), nullable=False),
    Column("name_fr", String(120), nullable=False),
    Column("region_code", String(8)),
    Column("province_code", String(12)),
    Column("commune_code", String(16)),
    Column("setting", String(8)),
    Column("country", String(2)),
    Column("city", String(60)),
    Column("parent_code", Code),
    Column("opened_at", Stamp, nullable=False),
)

office_keys = Table(
    "office_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("office_code", Code, nullable=False, index=True),
    Column("public_key", String(64), nullable=False),
    Column("created_at", Stamp, nullable=False),
)

staff = Table(
    "staff",
    metadata,
    Column("user_id", String(36), primary_key=True),
    Column("office_code", Code, nullable=False, index=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("full_name_ar", String(120), nullable=False),
    Column("full_name_fr", String(120), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("appointed_at", Stamp, nullable=False),
    Column("relieved_at", Stamp),
)

registers = Table(
    "registers",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("last_number", Integer, nullable=False),
    Column("closed_at", Stamp),
    Column("closed_by", String(40)),
)

predeclarations = Table(
    "predeclarations",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("predeclaration_id", String(36), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("sender_kind", String(20), nullable=False),
    Column("sender_name", String(120), nullable=False),
    Column("sender_ref", String(60), nullable=False),
    Column("data", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("draft_id", String(36)),
    Column("received_at", Stamp, nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("draft_id", String(36), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("data", JSON, nullable=False),
    Column("status", String(12), nullable=False),
    Column("predeclaration_id", String(36)),
    Column("created_by", String(40), nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("updated_at", Stamp, nullable=False),
    Column("cancel_reason", Text),
    Column("act_id", String(36)),
)


class declared(FunctionElement[str]):
    """A text field of the declaration (``acts.data``) at ``path``, as the database
    computes it for a generated column (migration 0012)."""

    type = Text()
    inherit_cache = False  # only ever compiled in DDL
    name = "declared"

    def __init__(self, *path: str) -> None:
        self.path = path
        super().__init__()


@compiles(declared, "postgresql")
def _declared_pg(element: declared, _compiler: SQLCompiler, **_kw: object) -> str:
    return f"(data #>> '{{{','.join(element.path)}}}')"


@compiles(declared, "sqlite")
def _declared_sqlite(element: declared, _compiler: SQLCompiler, **_kw: object) -> str:
    return f"json_extract(data, '$.{'.'.join(element.path)}')"


# What the vital statistics read besides the kind and the period: the statistics
# indexes carry them on PostgreSQL, so a national year is read from the index alone.
STATS_BY_EVENT_DATE = (
    "sex",
    "office_code",
    "status",
    "signed_at",
    "birth_commune",
    "mother_birth_date",
    "birth_date",
    "judged",
)
STATS_BY_YEAR = ("event_date", "office_code", "judged")

acts = Table(
    "acts",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("act_id", String(36), primary_key=True),
    Column("ref", String(48), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("civil_id", String(10), unique=True),
    Column("draft_id", String(36), nullable=False),
    Column("first_name_ar", String(60), nullable=False),
    Column("family_name_ar", String(60), nullable=False),
    Column("first_name_lat", String(60), nullable=False),
    Column("family_name_lat", String(60), nullable=False),
    Column("sex", String(1), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("data", JSON, nullable=False),
    Column("provisional", JSON, nullable=False),
    Column("signed_by", String(40), nullable=False),
    Column("signed_at", Stamp, nullable=False),
    # "signed" by the officer, or "digitized" from a legacy register (see legacy_acts)
    Column("status", String(12), nullable=False, server_default="signed"),
    # derived from the declaration by the database for the vital statistics
    # (migration 0012): stored on PostgreSQL, virtual on SQLite; never written
    Column("birth_commune", Text, Computed(declared("birth_commune"), persisted=True)),
    Column(
        "mother_birth_date",
        Text,
        Computed(declared("mother", "birth_date"), persisted=True),
    ),
    Column("birth_date", Text, Computed(declared("birth_date"), persisted=True)),
    Column(
        "judged",
        Boolean,
        Computed(declared("judgment", "number").is_not(None), persisted=True),
    ),
    UniqueConstraint("office_code", "year", "kind", "number", name="uq_acts_number"),
    Index("ix_acts_names_lat", "family_name_lat", "first_name_lat"),
    Index("ix_acts_names_ar", "family_name_ar", "first_name_ar"),
    # vital statistics read one kind over a period (migrations 0008, 0012)
    Index(
        "ix_acts_kind_event_date",
        "kind",
        "event_date",
        postgresql_include=list(STATS_BY_EVENT_DATE),
    ),
    Index("ix_acts_kind_year", "kind", "year", postgresql_include=list(STATS_BY_YEAR)),
)

mentions = Table(
    "mentions",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("mention_id", String(36), primary_key=True),
    Column("act_id", String(36), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("authority", String(16), nullable=False),
    Column("source_ref", String(120), nullable=False),
    Column("source_date", Date, nullable=False),
    Column("data", JSON, nullable=False),
    Column("signed_by", String(40), nullable=False),
    Column("signed_at", Stamp, nullable=False),
    Column("notice_id", String(36)),
    UniqueConstraint("office_code", "act_id", "seq", name="uq_mentions_seq"),
    Index("uq_mentions_notice_id", "notice_id", unique=True),
    ForeignKeyConstraint(
        ["office_code", "act_id"], ["acts.office_code", "acts.act_id"]
    ),
)

journal = Table(
    "journal",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
)

journal_heads = Table(
    "journal_heads",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)


def _who_did_what() -> list[Column[Any]]:
    """An audit entry's account of an access: who, in which role and office, did
    what to which record, and how it ended (the audit log and its replicas)."""
    return [
        Column("username", String(40), nullable=False),
        Column("role", String(20), nullable=False),
        Column("actor_office", Code),
        Column("action", String(40), nullable=False),
        Column("office_code", Code),
        Column("target", String(64)),
        Column("personal_data", Boolean, nullable=False),
        Column("outcome", String(12), nullable=False),
        Column("detail", JSON, nullable=False),
    ]


audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", String(36), primary_key=True),
    Column("at", Stamp, nullable=False, index=True),
    *_who_did_what(),
    # Why personal data was touched (Law 09-08), and whether the citizen may be told who.
    Column("purpose", String(20), nullable=False, server_default="registration"),
    Column("confidential", Boolean, nullable=False, server_default="0"),
    # The hash chain (domain.audit): a place in it, the link back, the entry's hash.
    Column("seq", Integer),
    Column("prev_hash", String(64)),
    Column("entry_hash", String(64)),
    Index("uq_audit_log_seq", "seq", unique=True),
    Index("ix_audit_log_username_at", "username", "at"),
    Index("ix_audit_log_target", "target"),
)

# At the centre, each office's audit chain as the office sent it (``sync.audit``):
# verified link by link on arrival, so a citizen's trail at the centre names every
# access made at any office, and an office that rewrites its log is found out.
office_audit = Table(
    "office_audit",
    metadata,
    Column("origin", Code, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("audit_id", String(36), nullable=False),
    Column("at", Stamp, nullable=False),
    *_who_did_what(),
    Column("purpose", String(20), nullable=False),
    Column("confidential", Boolean, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Index("ix_office_audit_target", "target"),
    Index("ix_office_audit_username_at", "username", "at"),
)

office_audit_checkpoints = Table(
    "office_audit_checkpoints",
    metadata,
    Column("origin", Code, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("entry_hash", String(64), nullable=False),
    Column("at", Stamp, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("signature", LargeBinary, nullable=False),
)

# Audit entries written with their change but not chained yet: a use case on a hot
# path (an order accepted) takes no lock on the chain's end; ``store.audit.chain_queued``
# gives them their places in the chain a moment later, many in one transaction.
audit_queue = Table(
    "audit_queue",
    metadata,
    Column("queued", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", String(36), nullable=False, unique=True),
    Column("at", Stamp, nullable=False),
    *_who_did_what(),
    Column("purpose", String(20), nullable=False),
    Column("confidential", Boolean, nullable=False),
)

# The end of the audit chain, locked by every transaction that appends to it.
audit_head = Table(
    "audit_head",
    metadata,
    Column("chain", String(8), primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("checkpoint_seq", Integer, nullable=False),
)

# Signed checkpoints: "the audit chain up to seq ends in entry_hash", by a local key.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("entry_hash", String(64), nullable=False),
    Column("at", Stamp, nullable=False),
    Column("signer", Code, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("signature", LargeBinary, nullable=False),
)

# --- sign-in: accounts, sessions, machine tokens (operational, never journaled) ------

# Who may sign in, with what: an Argon2 password hash and, for officers, supervisors
# and the ministry, a TOTP secret. Staff accounts take their role and office from
# ``staff`` (so relieving someone ends their access); the others carry their own.
accounts = Table(
    "accounts",
    metadata,
    Column("username", String(40), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("office_code", Code),
    Column("civil_id", String(10)),
    Column("password_hash", String(200)),
    Column("totp_secret", String(64)),
    Column("totp_last_step", Integer),  # a TOTP code is good once
    Column("reset_code_hash", String(64)),
    Column("reset_expires_at", Stamp),
    Column("created_at", Stamp, nullable=False),
    Column("disabled_at", Stamp),
    Column("lang", String(2)),  # the language of the pages: ar or fr
)

# Every failed sign-in, to lock an account after repeated failures.
login_failures = Table(
    "login_failures",
    metadata,
    Column("failure_id", String(36), primary_key=True),
    # The address the attempt came from ("local" for the command line).
    Column("source", String(64), nullable=False, server_default="local"),
    Column("username", String(40), nullable=False),
    Column("at", Stamp, nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
)

# Web sessions: the cookie holds a random token; only its SHA-256 is stored.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(40), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("expires_at", Stamp, nullable=False),
    Column("closed_at", Stamp),
)

# Tokens for machines (hospitals, partner administrations, scripts): random, stored
# hashed, scoped to one role and office, revocable.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String(16), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("name", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("office_code", Code),
    Column("created_by", String(40), nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("revoked_at", Stamp),
)

# --- the network -------------------------------------------------------------------

# At the centre: the offices whose journals it accepts, and with which keys.
enrolled_keys = Table(
    "enrolled_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("office_code", Code, nullable=False, index=True),
    Column("public_key", String(64), nullable=False),
    Column("enrolled_at", Stamp, nullable=False),
    Column("revoked_at", Stamp),
)

# At the centre: notices routed to offices, or waiting for a supervisor's match.
notices = Table(
    "notices",
    metadata,
    Column("notice_id", String(36), primary_key=True),
    Column("notice_seq", Integer, unique=True),  # the order offices pull them in
    Column("target_office", Code, index=True),
    Column("target_ref", String(48)),
    Column("kind", String(24), nullable=False),
    Column("source", JSON, nullable=False),
    Column("subject", JSON, nullable=False),
    Column("mention", JSON, nullable=False),
    Column("candidates", JSON, nullable=False),
    Column("status", String(12), nullable=False),  # matching | issued
    Column("issued_at", Stamp, nullable=False),
    Column("routed_at", Stamp),
    Column("matched_by", String(40)),
)

# At an office (and in its replica at the centre): the notices it took delivery of.
office_notices = Table(
    "office_notices",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("notice_id", String(36), primary_key=True),
    Column("notice_seq", Integer, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("target_ref", String(48)),
    Column("mention", JSON, nullable=False),
    Column("source", JSON, nullable=False),
    Column("status", String(12), nullable=False),  # received | applied | returned
    Column("received_at", Stamp, nullable=False),
    Column("closed_at", Stamp),
    Column("mention_id", String(36)),
    Column("return_reason", Text),
)

# Marriages, divorces and judgments entered by authorized users, before routing.
recorded_events = Table(
    "recorded_events",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("record_id", String(36), primary_key=True),
    Column("kind", String(24), nullable=False),
    Column("parties", JSON, nullable=False),
    Column("mention", JSON, nullable=False),
    Column("recorded_at", Stamp, nullable=False),
    Column("recorded_by", String(40), nullable=False),
)

# Operational state, not derived from journals: what each side knows of the link.
sync_status = Table(
    "sync_status",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("last_contact", Stamp),
    Column("reported_head", Integer, nullable=False, default=0),
    Column("pushed_seq", Integer, nullable=False, default=0),
    Column("notice_cursor", Integer, nullable=False, default=0),
    Column("last_error", Text),
    # At an office: the last entry of its audit chain the centre holds.
    Column("audit_pushed_seq", Integer, nullable=False, default=0, server_default="0"),
)

# At the centre, how far each office's replicated journal has been applied to the
# national tables; an entry the tables cannot take stalls its office here, with why.
projection_cursors = Table(
    "projection_cursors",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("applied_seq", Integer, nullable=False),
    Column("stalled_seq", Integer),
    Column("stalled_reason", Text),
)

alarms = Table(
    "alarms",
    metadata,
    Column("alarm_id", String(36), primary_key=True),
    Column("at", Stamp, nullable=False, index=True),
    Column("office_code", Code),
    Column("seq", Integer),
    Column("kind", String(32), nullable=False),
    Column("detail", Text, nullable=False),
)

# --- institutions --------------------------------------------------------------------

# Notaries, consulates and banks the ministry authorizes to check the data they were
# given against an act. Their API token is shown once; only its SHA-256 is kept.
institutions = Table(
    "institutions",
    metadata,
    Column("institution_id", String(36), primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("registered_at", Stamp, nullable=False),
    Column("registered_by", String(40), nullable=False),
    Column("revoked_at", Stamp),
    Column("revoked_by", String(40)),
)

APPEND_ONLY = (
    "acts",
    "mentions",
    "journal",
    "audit_log",
    "audit_checkpoints",
    "office_audit",
    "office_audit_checkpoints",
    "alarms",
)
# Tables derived from the journal: emptied and refilled by a rebuild. ``NAME_INDEX``
# stands for the name index, a table of its own on each kind of database.
NAME_INDEX = "name index"
PROJECTIONS = (
    "envelopes",
    "legacy_acts",
    NAME_INDEX,
    "documents",
    "office_notices",
    "notices",
    "recorded_events",
    "enrolled_keys",
    "mentions",
    "acts",
    "drafts",
    "predeclarations",
    "registers",
    "staff",
    "office_keys",
    "offices",
)


def projections(dialect: str) -> tuple[str, ...]:
    """The derived tables of a database of ``dialect``, in the order they are emptied."""
    index = "name_index" if dialect == "postgresql" else "name_tokens"
    return tuple(index if name == NAME_INDEX else name for name in PROJECTIONS)


# The ministry's record of the roll-out: one row per office brought into service (or
# being brought), and, once it is closed or merged into another, which office now
# holds its registers. Operational state, like the sync status: not from a journal.
onboardings = Table(
    "onboardings",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("region_code", String(8)),
    Column("province_code", String(16), index=True),
    Column("office_dir", Text, nullable=False),
    Column("database_url", Text, nullable=False),  # never with a password
    Column("legacy_from", Integer, nullable=False),  # first year of paper registers
    Column("last_step", String(20), nullable=False),
    Column("started_at", Stamp, nullable=False),
    Column("started_by", String(40), nullable=False),
    Column("completed_at", Stamp),
    Column("closed_at", Stamp),
    Column("merged_into", Code),
    Column("closed_by", String(40)),
)
