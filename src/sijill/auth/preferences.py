"""What an account remembers of its user between sessions: the language of the pages."""

from __future__ import annotations

from sqlalchemy import select, update

from sijill.services.context import Registry
from sijill.store import tables as t

LANGS = ("ar", "fr")


def language_of(reg: Registry, *, username: str) -> str | None:
    """The language the user last chose (None: never chose, Arabic by default)."""
    with reg.engine.connect() as conn:
        lang = conn.execute(
            select(t.accounts.c.lang).where(t.accounts.c.username == username)
        ).scalar_one_or_none()
    return lang if lang in LANGS else None


def remember_language(reg: Registry, *, username: str, lang: str) -> None:
    """Keep the user's choice of language with their account, for every device."""
    if lang not in LANGS:
        return
    uow, _ = reg.unit_of_work()
    with uow:
        uow.conn.execute(
            update(t.accounts)
            .where(
                t.accounts.c.username == username,
                t.accounts.c.lang.is_distinct_from(lang),
            )
            .values(lang=lang)
        )
