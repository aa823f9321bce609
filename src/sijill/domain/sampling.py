"""Quality sampling of keyed batches per ISO 2859-1 (single sampling, attributes).

A batch is a lot; an act with at least one error found against its scan is a
nonconforming item. The sample-size code letter comes from Table 1 (general
inspection level II), the sample size and acceptance number from Tables 2-A (normal),
2-B (tightened) and 2-C (reduced), whose arrows send to the first plan below (↓) or
above (↑) in the same AQL column. The switching rules of clause 9 move an office or a
keying team between normal, tightened and reduced inspection.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Table 1, general inspection level II: the upper bound of each lot size range.
CODE_LETTERS_II: tuple[tuple[int, str], ...] = (
    (8, "A"),
    (15, "B"),
    (25, "C"),
    (50, "D"),
    (90, "E"),
    (150, "F"),
    (280, "G"),
    (500, "H"),
    (1200, "J"),
    (3200, "K"),
    (10000, "L"),
    (35000, "M"),
    (150000, "N"),
    (500000, "P"),
)
LARGEST_LOT_LETTER = "Q"  # 500 001 and over
LETTERS = "ABCDEFGHJKLMNPQRS"
# Sample sizes per code letter: normal and tightened (Tables 2-A, 2-B; S is tightened
# only) and reduced (Table 2-C).
SAMPLE_SIZES = {
    "normal": dict(
        zip(
            LETTERS,
            (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000),
            strict=False,
        )
    ),
    "tightened": dict(
        zip(
            LETTERS,
            (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150),
            strict=True,
        )
    ),
    "reduced": dict(
        zip(
            LETTERS,
            (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800),
            strict=False,
        )
    ),
}
# The AQL columns (percent nonconforming) of the master tables.
AQLS = (
    "0.010",
    "0.015",
    "0.025",
    "0.040",
    "0.065",
    "0.10",
    "0.15",
    "0.25",
    "0.40",
    "0.65",
    "1.0",
    "1.5",
    "2.5",
    "4.0",
    "6.5",
    "10",
)
DEFAULT_AQL = "0.65"

# The rows of the master tables, one cell per AQL column: "Ac" (Re is Ac + 1 in the
# single sampling plans of ISO 2859-1:1999), "v" for ↓, "^" for ↑.
_DOWN, _UP = "v", "^"
MASTER: dict[str, dict[str, tuple[str, ...]]] = {
    "normal": {
        "A": ("v",) * 14 + ("0", "v"),
        "B": ("v",) * 13 + ("0", "^", "v"),
        "C": ("v",) * 12 + ("0", "^", "v", "1"),
        "D": ("v",) * 11 + ("0", "^", "v", "1", "2"),
        "E": ("v",) * 10 + ("0", "^", "v", "1", "2", "3"),
        "F": ("v",) * 9 + ("0", "^", "v", "1", "2", "3", "5"),
        "G": ("v",) * 8 + ("0", "^", "v", "1", "2", "3", "5", "7"),
        "H": ("v",) * 7 + ("0", "^", "v", "1", "2", "3", "5", "7", "10"),
        "J": ("v",) * 6 + ("0", "^", "v", "1", "2", "3", "5", "7", "10", "14"),
        "K": ("v",) * 5 + ("0", "^", "v", "1", "2", "3", "5", "7", "10", "14", "21"),
        "L": ("v",) * 4
        + ("0", "^", "v", "1", "2", "3", "5", "7", "10", "14", "21", "^"),
        "M": ("v",) * 3
        + ("0", "^", "v", "1", "2", "3", "5", "7", "10", "14", "21", "^", "^"),
        "N": ("v",) * 2
        + ("0", "^", "v", "1", "2", "3", "5", "7", "10", "14", "21", "^", "^", "^"),
        "P": ("v", "0", "^", "v", "1", "2", "3", "5", "7", "10", "14", "21")
        + ("^",) * 4,
        "Q": ("0", "^", "v", "1", "2", "3", "5", "7", "10", "14", "21") + ("^",) * 5,
        "R": ("^", "v", "1", "2", "3", "5", "7", "10", "14", "21") + ("^",) * 6,
    },
    "tightened": {
        "A": ("v",) * 16,
        "B": ("v",) * 15 + ("0",),
        "C": ("v",) * 14 + ("0", "v"),
        "D": ("v",) * 13 + ("0", "v", "1"),
        "E": ("v",) * 12 + ("0", "v", "1", "2"),
        "F": ("v",) * 11 + ("0", "v", "1", "2", "3"),
        "G": ("v",) * 10 + ("0", "v", "1", "2", "3", "5"),
        "H": ("v",) * 9 + ("0", "v", "1", "2", "3", "5", "8"),
        "J": ("v",) * 8 + ("0", "v", "1", "2", "3", "5", "8", "12"),
        "K": ("v",) * 7 + ("0", "v", "1", "2", "3", "5", "8", "12", "18"),
        "L": ("v",) * 6 + ("0", "v", "1", "2", "3", "5", "8", "12", "18", "^"),
        "M": ("v",) * 5 + ("0", "v", "1", "2", "3", "5", "8", "12", "18", "^", "^"),
        "N": ("v",) * 4
        + ("0", "v", "1", "2", "3", "5", "8", "12", "18", "^", "^", "^"),
        "P": ("v",) * 3
        + ("0", "v", "1", "2", "3", "5", "8", "12", "18", "^", "^", "^", "^"),
        "Q": ("v",) * 2 + ("0", "v", "1", "2", "3", "5", "8", "12", "18") + ("^",) * 5,
        "R": ("v", "0", "v", "1", "2", "3", "5", "8", "12", "18") + ("^",) * 6,
        "S": ("0",) + ("^",) * 15,
    },
    "reduced": {
        "A": ("v",) * 14 + ("0", "v"),
        "B": ("v",) * 13 + ("0", "^", "v"),
        "C": ("v",) * 12 + ("0", "^", "v", "1"),
        "D": ("v",) * 11 + ("0", "^", "v", "1", "1"),
        "E": ("v",) * 10 + ("0", "^", "v", "1", "1", "2"),
        "F": ("v",) * 9 + ("0", "^", "v", "1", "1", "2", "3"),
        "G": ("v",) * 8 + ("0", "^", "v", "1", "1", "2", "3", "5"),
        "H": ("v",) * 7 + ("0", "^", "v", "1", "1", "2", "3", "5", "6"),
        "J": ("v",) * 6 + ("0", "^", "v", "1", "1", "2", "3", "5", "6", "8"),
        "K": ("v",) * 5 + ("0", "^", "v", "1", "1", "2", "3", "5", "6", "8", "10"),
        "L": ("v",) * 4 + ("0", "^", "v", "1", "1", "2", "3", "5", "6", "8", "10", "^"),
        "M": ("v",) * 3
        + ("0", "^", "v", "1", "1", "2", "3", "5", "6", "8", "10", "^", "^"),
        "N": ("v",) * 2
        + ("0", "^", "v", "1", "1", "2", "3", "5", "6", "8", "10", "^", "^", "^"),
        "P": ("v", "0", "^", "v", "1", "1", "2", "3", "5", "6", "8", "10") + ("^",) * 4,
        "Q": ("0", "^", "v", "1", "1", "2", "3", "5", "6", "8", "10") + ("^",) * 5,
        "R": ("^", "v", "1", "1", "2", "3", "5", "6", "8", "10") + ("^",) * 6,
    },
}
SEVERITIES = ("normal", "tightened", "reduced")


def code_letter(lot_size: int) -> str:
    """The sample-size code letter of a lot at general inspection level II (Table 1)."""
    if lot_size < 2:
        return "A"
    for upper, letter in CODE_LETTERS_II:
        if lot_size <= upper:
            return letter
    return LARGEST_LOT_LETTER


@dataclass(frozen=True)
class Plan:
    """A single sampling plan: inspect ``sample_size`` acts, accept up to ``accept``."""

    severity: str
    letter: str  # the code letter of the lot
    plan_letter: str  # the row the arrows led to
    sample_size: int
    accept: int
    aql: str

    @property
    def reject(self) -> int:
        return self.accept + 1


def plan(lot_size: int, aql: str = DEFAULT_AQL, severity: str = "normal") -> Plan:
    """The plan for a lot: its code letter's row, following the arrows of the table."""
    column = AQLS.index(aql)
    rows = MASTER[severity]
    letters = [letter for letter in LETTERS if letter in rows]
    letter = code_letter(lot_size)
    index = letters.index(letter)
    while (cell := rows[letters[index]][column]) in (_DOWN, _UP):
        index += 1 if cell == _DOWN else -1
    row = letters[index]
    size = SAMPLE_SIZES[severity][row]
    # A sample as large as the lot means every act is inspected (100 % inspection).
    return Plan(severity, letter, row, min(size, max(lot_size, 1)), int(cell), aql)


def tighter_accept(p: Plan) -> int | None:
    """The acceptance number one AQL step tighter, same row (for the switching score)."""
    column = AQLS.index(p.aql)
    if column == 0:
        return None
    cell = MASTER[p.severity][p.plan_letter][column - 1]
    return int(cell) if cell not in (_DOWN, _UP) else None


@dataclass(frozen=True)
class Inspection:
    """The switching state of an office or keying team (ISO 2859-1 clause 9)."""

    severity: str = "normal"
    recent: tuple[bool, ...] = ()  # acceptances of the last lots on normal inspection
    score: int = 0  # the switching score towards reduced inspection
    tightened_accepted: int = 0  # consecutive acceptances under tightened inspection
    tightened_rejected: int = 0  # rejections since tightened inspection began
    discontinued: bool = False


SWITCH_TO_REDUCED = 30
DISCONTINUE_AFTER = 5


def after_lot(state: Inspection, p: Plan, nonconforming: int) -> Inspection:
    """The state after one lot inspected under ``p`` with ``nonconforming`` acts found."""
    accepted = nonconforming <= p.accept
    if state.severity == "normal":
        recent = (*state.recent, accepted)[-5:]
        if recent.count(False) >= 2:
            return Inspection(severity="tightened")
        score = _score(state.score, p, nonconforming)
        if score >= SWITCH_TO_REDUCED:
            # The programme's quality authority approves reduced inspection in advance
            # for steady keying teams: the switch is made when the score reaches 30.
            return Inspection(severity="reduced")
        return replace(state, recent=recent, score=score)
    if state.severity == "tightened":
        if accepted:
            if state.tightened_accepted + 1 >= 5:
                return Inspection(severity="normal")
            return replace(state, tightened_accepted=state.tightened_accepted + 1)
        rejected = state.tightened_rejected + 1
        return replace(
            state,
            tightened_accepted=0,
            tightened_rejected=rejected,
            discontinued=rejected >= DISCONTINUE_AFTER,
        )
    return state if accepted else Inspection(severity="normal")


def _score(score: int, p: Plan, nonconforming: int) -> int:
    """Clause 9.3.3: +3 (Ac ≥ 2) if the lot passes one AQL step tighter, +2 (Ac 0 or 1)
    if it is accepted; otherwise the score returns to zero."""
    if p.accept >= 2:
        tighter = tighter_accept(p)
        return score + 3 if tighter is not None and nonconforming <= tighter else 0
    return score + 2 if nonconforming <= p.accept else 0
