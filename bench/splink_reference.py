"""Splink's default configuration on the persons of the dedup benchmark, for comparison.

Splink (Fellegi–Sunter on DuckDB) is set up the way its tutorials set up a
deduplication of persons, with nothing tuned to Moroccan names: Latin names
lowercased, comparisons from its comparison library (names with Jaro-Winkler levels
and term-frequency adjustment on exact matches, date of birth, exact matches for sex
and place), predictions blocked on names and on a name with the date of birth, the
chance that two records match estimated from deterministic rules, u from random
pairs, m by expectation maximisation on two blocking rules. It comes with the
optional ``bench`` dependencies: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from sijill.search.dedup import Person

THRESHOLD = 0.9  # match probability, as for our own model (PROBABLE)


def _record(ref: str, p: Person) -> dict[str, str | None]:
    return {
        "unique_id": ref,
        "first_name_lat": p.first_lat.lower() or None,
        "family_name_lat": p.family_lat.lower() or None,
        "first_name_ar": p.first_ar or None,
        "family_name_ar": p.family_ar or None,
        "sex": p.sex or None,
        "dob": p.birth_date.isoformat() if p.birth_date else None,
        "father": p.father or None,
        "mother": p.mother or None,
        "place": p.place or None,
    }


def splink_pairs(
    people: Sequence[tuple[str, Person]], *, arabic: bool = True
) -> tuple[set[frozenset[str]], float]:
    """The pairs Splink predicts at ``THRESHOLD`` and its time (training, prediction).

    With ``arabic`` the child's names are compared in both scripts, as four fields
    (Fellegi–Sunter takes them for independent evidence; they are one name twice);
    without, in Latin letters only (the parents' names stay in Arabic).
    """
    names = ("first_name_lat", "family_name_lat")
    if arabic:
        names += ("first_name_ar", "family_name_ar")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            *(cl.NameComparison(name) for name in names),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.NameComparison("father"),
            cl.NameComparison("mother"),
            cl.ExactMatch("place").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name_lat", "family_name_lat"),
            block_on("first_name_ar", "family_name_ar"),
            block_on("family_name_lat", "dob"),
            block_on("first_name_lat", "dob"),
            block_on("family_name_ar", "dob"),
            block_on("first_name_ar", "dob"),
        ],
    )
    records = [_record(ref, p) for ref, p in people]
    start = time.perf_counter()
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(records), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name_lat", "family_name_lat", "dob"),
            block_on("first_name_ar", "family_name_ar", "dob"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in (block_on("first_name_lat", "family_name_lat"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    rows = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r")
    found = {frozenset((str(left), str(right))) for left, right in rows.fetchall()}
    return found, time.perf_counter() - start
