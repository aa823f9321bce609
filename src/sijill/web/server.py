"""The application a worker process of ``sijill serve --workers N`` builds for itself.

Each worker builds its own registry from the environment (the settings ``serve``
was given, passed on as ``SIJILL_*`` variables), so nothing is shared between
processes but the database.
"""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI

from sijill.bootstrap import bootstrap
from sijill.config import Settings
from sijill.orders.ports import ports_from_environment
from sijill.web.app import create_app
from sijill.web.rollout import MinistryPlaces

ROLE_VARIABLE = "SIJILL_SERVE_ROLE"


def app_from_environment() -> FastAPI:
    """The web application of one worker process."""
    settings = Settings()
    reg = bootstrap(settings, migrate=False)
    app = create_app(
        reg,
        role=os.environ.get(ROLE_VARIABLE, "office"),
        order_ports=ports_from_environment(settings.data_dir),
        places=MinistryPlaces(settings.data_dir / "offices", settings.key_passphrase),
    )
    settle_memory()
    return app


def settle_memory() -> None:
    """Leave what a server built at start-up out of the garbage collector's rounds.

    Modules, tables and templates live as long as the server: without this, each full
    collection walks them all again (about 100 ms here, in the middle of a request).
    """
    gc.collect()
    gc.freeze()
