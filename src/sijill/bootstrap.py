"""The one place that wires the registry together from its settings."""

from __future__ import annotations

from sijill.config import Settings
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade


def bootstrap(settings: Settings | None = None, *, migrate: bool = True) -> Registry:
    """Build the registry's ports: engine (schema brought up to date), key store, clock."""
    settings = settings or Settings()
    url = settings.resolved_database_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, durable=settings.durable)
    if migrate:
        upgrade(engine)
    passphrase = settings.key_passphrase.encode() if settings.key_passphrase else None
    return Registry(
        engine=engine, keys=KeyStore(settings.resolved_keys_dir(), passphrase)
    )
