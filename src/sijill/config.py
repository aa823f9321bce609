"""Settings, from the environment (SIJILL_*) or passed in; nothing is read at import."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("sijill-data")


class Settings(BaseSettings):
    """Where the registry keeps its database and its office keys."""

    model_config = SettingsConfigDict(env_prefix="SIJILL_")

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    keys_dir: Path | None = None
    key_passphrase: str | None = None
    # SQLite fsyncs every commit unless told otherwise (only for throw-away builds).
    durable: bool = True

    def resolved_database_url(self) -> str:
        """The database URL; by default a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sijill.db').resolve()}"

    def resolved_keys_dir(self) -> Path:
        return self.keys_dir or self.data_dir / "keys"
