"""Signing in through the login form in tests of the pages (FastAPI's TestClient)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"


def form_token(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def sign_in(
    client: TestClient,
    username: str,
    totp: str = "",
    *,
    password: str = PASSWORD,
    landing: str = "/",
    fresh: bool = False,
) -> str:
    """Sign in through the form (after dropping the cookies when ``fresh``); returns
    the session's CSRF token, read from ``landing``."""
    if fresh:
        client.cookies.clear()
    answer = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "totp": totp,
            "csrf_token": form_token(client.get("/login").text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return form_token(client.get(landing).text)
