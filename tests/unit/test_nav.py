"""The header menu leads each role to its screens, and only to screens the server has."""

from __future__ import annotations

from sijill.web.nav import MENU, menu


def test_a_screen_only_the_centre_serves_is_not_offered_at_an_office() -> None:
    at_office = {e.href for e in menu("ministry", "office")}
    at_centre = {e.href for e in menu("ministry", "central")}
    assert "/rollout" in at_centre and "/rollout" not in at_office
    assert "/audit" in at_office and "/audit" in at_centre
    assert "/rulings" not in {e.href for e in menu("court", "office")}
    assert "/rulings" in {e.href for e in menu("court", "central")}
    # Orders are placed and carried at the centre; the office produces them.
    assert {e.href for e in menu("clerk", "office")} >= {"/orders/to-produce"}
    assert "/orders/new" not in {e.href for e in menu("clerk", "office")}
    assert "/envelopes" in {e.href for e in menu("post_operator", "central")}


def test_every_entry_names_at_least_one_role_and_is_unique() -> None:
    hrefs = [e.href for e in MENU]
    assert len(hrefs) == len(set(hrefs))
    assert all(e.roles and e.ar and e.fr for e in MENU)
    assert menu(None) == []
