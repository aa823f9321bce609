"""Every rule the code can break has its message in English, Arabic and French."""

from __future__ import annotations

import re
from pathlib import Path

from sijill.domain.messages import CATALOGUE

SRC = Path(__file__).resolve().parents[2] / "src" / "sijill"
RAISED = re.compile(
    r"(?:Violation\([^,]+,\s*|(?:DomainError|InvalidInput|NotFound|Forbidden|Conflict|Unauthenticated|"
    r"IntegrityAlarm)\(\s*)f?\"([a-z_]+\.[a-z_.{}]+)\""
)


def test_every_rule_raised_in_the_code_has_a_message_in_three_languages() -> None:
    found = {m for path in SRC.rglob("*.py") for m in RAISED.findall(path.read_text())}
    missing = sorted(r for r in found if "{" not in r and r not in CATALOGUE)
    assert found, "the scan found no rule at all"
    assert missing == []
    assert all(
        all(text.strip() for text in CATALOGUE[r]) for r in found if r in CATALOGUE
    )
