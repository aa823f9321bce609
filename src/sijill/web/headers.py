"""The headers every answer carries: no sniffing, no framing, no caching of personal
data, and a content security policy.

A plain ASGI middleware: it adds the headers as the answer starts, without the
task and the streaming wrapper that ``app.middleware("http")`` costs each request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages load nothing from elsewhere and run no inline script, only the few lines served
# from /static: a name that slipped past the escaping could still not run. The API docs
# page (Swagger UI) is the one exception.
CSP = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


def protective_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers an answer to ``path`` carries unless it sets them itself."""
    headers = list(_ALWAYS)
    if path != "/api/docs":
        headers.append((b"content-security-policy", CSP.encode()))
    if not path.startswith("/static/"):
        # Personal data must not linger in shared or browser caches.
        headers.append((b"cache-control", b"no-store"))
    return headers


class ProtectiveHeaders:
    """Adds ``protective_headers`` to every HTTP answer of ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = protective_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in wanted if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
