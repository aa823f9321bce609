"""`sijill digitize open|key` and `sijill ruling`, run as processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.builders import open_office, signed_birth
from tests.e2e.conftest import cli, registry_at

pytestmark = pytest.mark.e2e

FES = "03.231.01.0"


def _appoint(data_dir: Path, username: str, role: str) -> None:
    done = cli(
        data_dir, "office", "appoint", "--office", FES, "--username", username,
        "--role", role, "--name-ar", "سعيد العمراني", "--name-fr", "Said El Amrani",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_two_keyers_key_an_act_from_the_command_line(tmp_path: Path) -> None:
    registry_at(tmp_path).engine.dispose()
    assert cli(tmp_path, "office", "create", "--commune", FES).returncode == 0
    for username, role in (
        ("officer.fes", "officer"),
        ("keyer.one", "keyer"),
        ("keyer.two", "keyer"),
    ):
        _appoint(tmp_path, username, role)
    opened = cli(
        tmp_path, "digitize", "open", "FES-1962-N-07", "--office", FES, "--kind",
        "birth", "--year", "1962", "--pages", "1-40", "--scans", "s/{page:04d}.tif",
        "--as", "officer.fes",
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    for keyer, latin in (("keyer.one", "Mohamed"), ("keyer.two", "Mohammed")):
        keyed = cli(
            tmp_path, "digitize", "key", "FES-1962-N-07", "--page", "3", "--line",
            "12", "number=412", "first_name_ar=محمد", f"first_name_lat={latin}",
            "--as", keyer,
        )  # fmt: skip
        assert keyed.returncode == 0, keyed.stderr
        assert "page 3 line 12 keyed" in keyed.stdout
    refused = cli(
        tmp_path, "digitize", "key", "FES-1962-N-07", "--page", "41", "--line", "1",
        "number=1", "--as", "keyer.one",
    )  # fmt: skip
    assert refused.returncode == 2
    assert "page" in refused.stderr and "41" in refused.stderr
    reconciled = cli(
        tmp_path, "digitize", "reconcile", "FES-1962-N-07", "--as", "keyer.two"
    )
    assert "1 disagreements queued" in reconciled.stdout, reconciled.stderr


def test_a_court_sends_a_ruling_and_a_prosecutor_is_kept_to_clerical_errors(
    tmp_path: Path,
) -> None:
    reg = registry_at(tmp_path)
    ref = str(signed_birth(reg, open_office(reg)))
    reg.engine.dispose()
    for username, role in (("tpi.fes", "court"), ("parquet.fes", "prosecutor")):
        opened = cli(
            tmp_path, "account", "open", "--username", username, "--role", role
        )
        assert opened.returncode == 0, opened.stderr
    assert cli(tmp_path, "centre", "init").returncode == 0
    sent = cli(
        tmp_path, "ruling", "--kind", "correction_judgment", "--act", ref,
        "--reference", "حكم عدد 1123/2026", "--date", "2026-11-20",
        "--field", "child.first_name_lat", "--value", "Mohammed", "--as", "tpi.fes",
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    assert "recorded" in sent.stdout
    refused = cli(
        tmp_path, "ruling", "--kind", "correction_prosecutor", "--act", ref,
        "--reference", "إذن 7/2026", "--date", "2026-11-20",
        "--field", "sex", "--value", "F", "--as", "parquet.fes",
    )  # fmt: skip
    assert refused.returncode == 2
    assert "data.field" in refused.stderr


def test_several_batches_are_reconciled_in_one_command(
    tmp_path: Path, database_url: str
) -> None:
    # On PostgreSQL the batches run in worker processes the command starts; on
    # SQLite one after the other.
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return cli(tmp_path, *args, database=database_url)

    assert run("office", "create", "--commune", FES).returncode == 0
    for username in ("keyer.one", "keyer.two"):
        appointed = run(
            "office", "appoint", "--office", FES, "--username", username, "--role",
            "keyer", "--name-ar", "سعيد العمراني", "--name-fr", "Said El Amrani",
        )  # fmt: skip
        assert appointed.returncode == 0, appointed.stderr
    for batch in ("FES-1962-N-01", "FES-1963-N-01"):
        opened = run(
            "digitize", "open", batch, "--office", FES, "--kind", "birth", "--year",
            batch[4:8], "--pages", "1-40", "--scans", "s/{page:04d}.tif",
        )  # fmt: skip
        assert opened.returncode == 0, opened.stderr
        for keyer in ("keyer.one", "keyer.two"):
            keyed = run(
                "digitize", "key", batch, "--page", "1", "--line", "1", "number=1",
                "first_name_ar=محمد", "--as", keyer,
            )  # fmt: skip
            assert keyed.returncode == 0, keyed.stderr
    done = run(
        "digitize", "reconcile", "FES-1962-N-01", "NO-SUCH-BATCH", "FES-1963-N-01",
        "--workers", "2",
    )  # fmt: skip
    # The batches that exist are reconciled; the one that does not is named, with
    # the exit code of a thing not found.
    assert done.returncode == 3, done.stderr
    rows = {
        cells[1].strip(): cells[3].strip()
        for cells in (line.split("│") for line in done.stdout.splitlines())
        if len(cells) == 5
    }
    assert rows["FES-1962-N-01"] == rows["FES-1963-N-01"] == "done", done.stdout
    assert "NO-SUCH-BATCH" in rows["NO-SUCH-BATCH"], done.stdout
