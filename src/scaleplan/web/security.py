"""Access control and safety headers for the dashboard.

* Loopback only by default. Binding any other address needs a token (``--token`` or
  ``SCALEPLAN_TOKEN``); :func:`check_bind` refuses otherwise.
* With a token, every request but ``/healthz`` needs it: an ``Authorization: Bearer`` header,
  or the ``scaleplan_token`` cookie that opening any page with ``?token=...`` sets (the token
  is then removed from the address bar by a redirect).
* Without a token, the ``Host`` header must name the loopback address, which stops DNS
  rebinding from letting a web site read the dashboard.
* Every answer carries a content security policy that allows scripts only from the dashboard
  itself, and no framing.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import URL
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scaleplan.errors import UsageError

COOKIE = "scaleplan_token"
_TOKEN_RE = re.compile(r"[A-Za-z0-9._~-]{8,512}")
TOKEN_ENV = "SCALEPLAN_TOKEN"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() in {"localhost"} | {h.strip("[]") for h in LOOPBACK_NAMES}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token."""
    if not is_loopback(host) and not token:
        raise UsageError(
            f"refusing to serve on {host} without a token: anyone who can reach it could read "
            f"the program. Pass --token TOKEN or set {TOKEN_ENV} (or bind 127.0.0.1)"
        )
    if token is not None and not _TOKEN_RE.fullmatch(token):
        raise UsageError(
            "the token must be at least 8 characters of letters, digits and - _ . ~ "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe())')"
        )


def error_body(status: int, code: str, message: str) -> dict[str, object]:
    """The one JSON error shape of the dashboard's API."""
    return {"error": {"status": status, "code": code, "message": message}}


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


class GuardMiddleware:
    """Token check, loopback ``Host`` check and security headers (pure ASGI)."""

    def __init__(self, app: ASGIApp, *, token: str | None, check_host: bool) -> None:
        self.app = app
        self.token = token
        self.check_host = check_host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                message["headers"] = headers
            await send(message)

        response = self._refuse(scope)
        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refuse(self, scope: Scope) -> Response | None:
        path: str = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.check_host:
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
            if not is_loopback(name):
                return _deny(path, 400, "bad_host", f"Host '{host}' is not a loopback address")
        if self.token is None or path == "/healthz":
            return None
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and _same(auth[7:].strip(), self.token):
            return None
        cookie = _cookie(headers.get("cookie", ""), COOKIE)
        if cookie is not None and _same(cookie, self.token):
            return None
        query = scope.get("query_string", b"").decode("latin-1")
        params = parse_qsl(query, keep_blank_values=True)
        given = next((v for k, v in params if k == "token"), None)
        if given is not None and _same(given, self.token) and scope.get("method") == "GET":
            rest = urlencode([(k, v) for k, v in params if k != "token"])
            target = str(URL(path=path, query=rest)) if rest else path
            redirect = RedirectResponse(target, status_code=303)
            redirect.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return redirect
        return _deny(
            path,
            401,
            "unauthorized",
            "a token is required: send 'Authorization: Bearer TOKEN' or open any page with "
            "?token=TOKEN once",
        )


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _deny(path: str, status: int, code: str, message: str) -> Response:
    if _is_api(path):
        return JSONResponse(error_body(status, code, message), status_code=status)
    from html import escape

    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>scaleplan</title>"
        f"</head><body><h1>{status}</h1><p>{escape(message)}</p></body></html>",
        status_code=status,
    )


__all__ = [
    "COOKIE",
    "CSP",
    "TOKEN_ENV",
    "GuardMiddleware",
    "check_bind",
    "error_body",
    "is_loopback",
]
