"""The JSON API, fuzzed against its own OpenAPI description: no answer is a 500, and
no answer to a machine without a valid token carries personal data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from sijill.auth import tokens
from sijill.config import Settings
from sijill.domain.offices import SYSTEM
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.web.app import create_app
from tests.builders import open_office, signed_birth
from tests.fakes import FakeClock


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    where: Path = tmp_path_factory.mktemp("fuzz")
    engine = make_engine(f"sqlite:///{where / 'registry.db'}")
    upgrade(engine)
    reg = Registry(
        engine=engine,
        keys=KeyStore(Settings(data_dir=where).resolved_keys_dir()),
        clock=FakeClock(),
    )
    office = open_office(reg)
    ref = str(signed_birth(reg, office))
    token = tokens.issue_token(reg, actor=SYSTEM, name="fuzz", role="ministry")
    yield {"app": create_app(reg), "token": token, "ref": ref}
    engine.dispose()


def _operations(app: Any) -> list[Any]:
    loaded = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return [result.ok() for result in loaded.get_all_operations()]


def test_no_api_answer_is_a_server_error(fuzzed: dict[str, Any]) -> None:
    operations = _operations(fuzzed["app"])
    assert {op.label for op in operations} >= {
        "GET /api/acts/{ref}",
        "GET /api/search",
        "POST /api/offices/{code}/predeclarations",
    }
    for operation in operations:
        _fuzz(operation, fuzzed["token"])


def _fuzz(operation: Any, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        signed = case.call(headers={"authorization": f"Bearer {token}"})
        assert signed.status_code < 500, (operation.label, signed.text)
        anonymous = case.call()
        assert anonymous.status_code < 500, (operation.label, anonymous.text)
        if anonymous.status_code == 200:
            assert "يوسف" not in anonymous.text and "Youssef" not in anonymous.text

    run()
