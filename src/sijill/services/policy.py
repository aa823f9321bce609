"""The declared policy as a table: which role may call which use case, within which
scope. ``docs/roles.md`` is this table, generated (``python -m sijill.services.policy``)."""

from __future__ import annotations

from sijill.domain.roles import ROLE_SCOPES, SECOND_FACTOR_ROLES
from sijill.services.authz import POLICY

ROLE_ORDER = tuple(ROLE_SCOPES)
_SHORT = {
    "office": "office",
    "province": "province",
    "nation": "nation",
    "own record": "own",
}


def policy_table() -> str:
    """The policy in Markdown: one row per use case, one column per role."""
    lines = [
        "# Roles and what they may do",
        "",
        "Generated from `services/authz.py` (`POLICY`) and `domain/roles.py`",
        "(`ROLE_SCOPES`) by `python -m sijill.services.policy`; a test keeps it up to",
        "date. A cell names the scope within which the role may call the use case;",
        "`—` means never. The matrix test (`tests/integration/test_policy_matrix.py`)",
        "calls every use case's gate for every role inside and outside its scope,",
        "and the use cases themselves for the core ones. The consular officer is the",
        "`officer` of a consulate office; the institution's verification use case is",
        "declared by the verification service.",
        "",
        "| role | scope | second factor |",
        "| --- | --- | --- |",
        *(
            f"| {role} | {ROLE_SCOPES[role]} | "
            f"{'TOTP' if role in SECOND_FACTOR_ROLES else '—'} |"
            for role in ROLE_ORDER
        ),
        "",
        "| use case | " + " | ".join(ROLE_ORDER) + " |",
        "| --- | " + " | ".join("---" for _ in ROLE_ORDER) + " |",
    ]
    for action in sorted(POLICY):
        cells = [
            _SHORT[ROLE_SCOPES[role]] if role in POLICY[action] else "—"
            for role in ROLE_ORDER
        ]
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(policy_table(), end="")
