"""The office's side of the wire: an HTTP client for the centre, signing what it sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx

from sijill.domain.journal import canonical_json
from sijill.store.keys import Signer
from sijill.sync.protocol import b64, request_digest


class CentreLink(Protocol):
    """What an office needs of the centre: push entries, pull notices, fetch its journal."""

    def push(
        self, batch: dict[str, Any], encoded: bytes | None = None
    ) -> dict[str, Any]: ...

    def notices(self, after: int) -> dict[str, Any]: ...

    def journal(self, after: int) -> dict[str, Any]: ...

    def audit(self, batch: dict[str, Any]) -> dict[str, Any]: ...


class CentreUnreachable(Exception):
    """The link is down, slow or broken; the agent will try again."""


class CentreClient:
    """Talks to the centre on behalf of one office, whose key signs every request."""

    def __init__(
        self,
        http: httpx.Client,
        signer: Signer,
        now: Callable[[], datetime],
        base_url: str = "",
    ) -> None:
        self.http = http
        self.signer = signer
        self.now = now
        self.base_url = base_url.rstrip("/")

    def _signed_headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        at = self.now().isoformat()
        digest = request_digest(self.signer.office, method, path, at, body)
        return {
            "x-sijill-office": self.signer.office,
            "x-sijill-time": at,
            "x-sijill-signature": b64(self.signer.sign(digest)),
            "content-type": "application/json",
        }

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        signed: bool = True,
        encoded: bytes | None = None,
    ) -> dict[str, Any]:
        if encoded is not None:
            content = encoded
        else:
            content = canonical_json(body) if body is not None else b""
        headers = (
            self._signed_headers(method, path, content)
            if signed
            else {"content-type": "application/json"}
        )
        try:
            response = self.http.request(
                method, self.base_url + path, content=content, headers=headers
            )
        except httpx.HTTPError as error:
            raise CentreUnreachable(f"{type(error).__name__}: {error}") from error
        if response.status_code >= 500 or response.status_code in (
            408,
            429,
            502,
            503,
            504,
        ):
            raise CentreUnreachable(f"centre answered {response.status_code}")
        try:
            answer: dict[str, Any] = response.json()
        except ValueError as error:
            raise CentreUnreachable("centre answer is not JSON") from error
        if response.status_code >= 400:
            raise CentreRefused(response.status_code, answer)
        return answer

    def push(
        self, batch: dict[str, Any], encoded: bytes | None = None
    ) -> dict[str, Any]:
        """Send a batch (``encoded``: as already encoded); a refusal of some entry
        (409) is an answer, not an error."""
        try:
            return self._call(
                "POST", "/api/sync/journal", batch, signed=False, encoded=encoded
            )
        except CentreRefused as refused:
            if refused.status == 409 and "held" in refused.answer:
                return refused.answer
            raise

    def notices(self, after: int) -> dict[str, Any]:
        path = f"/api/sync/notices/{self.signer.office}?{urlencode({'after': after})}"
        return self._call("GET", path)

    def journal(self, after: int) -> dict[str, Any]:
        path = f"/api/sync/journal/{self.signer.office}?{urlencode({'after': after})}"
        return self._call("GET", path)

    def audit(self, batch: dict[str, Any]) -> dict[str, Any]:
        """Send entries of this server's audit chain; a refusal (409) is an answer."""
        path = f"/api/sync/audit/{self.signer.office}"
        try:
            return self._call("POST", path, batch)
        except CentreRefused as refused:
            if refused.status == 409 and "held" in refused.answer:
                return refused.answer
            raise


class CentreRefused(Exception):
    """The centre refused the request, and said why."""

    def __init__(self, status: int, answer: dict[str, Any]) -> None:
        self.status = status
        self.answer = answer
        super().__init__(f"{status}: {answer.get('message') or answer}")
