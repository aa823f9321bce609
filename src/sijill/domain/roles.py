"""The roles of the registry and the scope each one acts within (SPEC: roles and audit)."""

from __future__ import annotations

from sijill.domain.offices import STAFF_ROLES

# Where a role's authority reaches: its office, its office's province, the nation,
# or (a citizen) their own record and those they are entitled to.
OFFICE, PROVINCE, NATION, OWN_RECORD = "office", "province", "nation", "own record"

ROLE_SCOPES: dict[str, str] = {
    "clerk": OFFICE,
    "officer": OFFICE,  # at a consulate: the consular officer
    "delegate": OFFICE,
    "keyer": OFFICE,
    "adjudicator": OFFICE,
    "reviewer": OFFICE,
    "supervisor": PROVINCE,
    "ministry": NATION,
    "court": NATION,
    "prosecutor": NATION,
    "post_operator": NATION,
    "institution": NATION,
    "hospital": OFFICE,
    "local_authority": OFFICE,
    "citizen": OWN_RECORD,
    "system": NATION,
}
# Roles that sign in with a second factor (TOTP) as well as a password.
SECOND_FACTOR_ROLES = frozenset({"officer", "delegate", "supervisor", "ministry"})
# Roles held by appointment at an office (``staff``); the others are accounts alone.
APPOINTED_ROLES = frozenset(STAFF_ROLES)
# Roles a machine may hold through an API token.
MACHINE_ROLES = frozenset(
    {"hospital", "local_authority", "institution", "post_operator", "ministry"}
)
