"""Post a status digest to a chat incoming webhook (Slack or Microsoft Teams), with retries.

A POST is retried when the connection fails, times out, or the server answers 408, 429 or 5xx,
waiting ``backoff x 2**(attempt-1)`` seconds between attempts (capped at ``max_backoff``; a
``Retry-After`` header in seconds is honoured within the same cap). Other answers outside 2xx fail
at once: a 4xx means the URL or the payload is wrong and repeating it will not help.
Webhook URLs carry a secret in their path, so messages show only the scheme and host.

>>> post_webhook("https://hooks.slack.com/services/T/B/X", slack_payload("hi"))  # doctest: +SKIP
Delivery(url='https://hooks.slack.com/…', status=200, attempts=1, elapsed=0.21)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from scaleplan.errors import ExternalError, UsageError

Flavor = Literal["slack", "teams"]

#: Answers worth another try.
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Delivery:
    """A webhook message that was accepted."""

    url: str
    status: int
    attempts: int
    elapsed: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def redact(url: str) -> str:
    """``scheme://host/…``: enough to recognise a webhook, without its secret path."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/…"


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host; else raise UsageError."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise UsageError(f"bad webhook URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        shown = parts.scheme or "none"
        raise UsageError(
            f"bad webhook URL: scheme must be https (or http), got {shown}; "
            "expected something like https://hooks.slack.com/services/..."
        )
    if not parts.hostname:
        raise UsageError("bad webhook URL: it has no host; expected https://HOST/PATH")
    return url.strip()


def slack_payload(text: str) -> dict[str, Any]:
    """Slack incoming-webhook body: ``text`` in Slack mrkdwn."""
    return {"text": text, "mrkdwn": True}


def teams_payload(title: str, text: str) -> dict[str, Any]:
    """Microsoft Teams incoming-webhook body (MessageCard with Markdown text)."""
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": title,
        "title": title,
        "text": text,
    }


def post_webhook(
    url: str,
    payload: dict[str, Any],
    *,
    retries: int = 3,
    backoff: float = 1.0,
    max_backoff: float = 30.0,
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> Delivery:
    """POST ``payload`` as JSON to ``url``; retry ``retries`` times on transient failures.

    Raises :class:`UsageError` for a malformed URL and :class:`ExternalError` when the webhook
    refuses the message or stays unreachable after every attempt.
    """
    check_url(url)
    if retries < 0:
        raise UsageError("retries must be 0 or more")
    shown = redact(url)
    started = time.perf_counter()
    last = ""
    attempts = retries + 1
    with httpx.Client(timeout=timeout, transport=transport, follow_redirects=False) as client:
        for attempt in range(1, attempts + 1):
            wait = min(backoff * 2 ** (attempt - 1), max_backoff)
            try:
                response = client.post(url, json=payload)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if 200 <= response.status_code < 300:
                    return Delivery(
                        shown,
                        response.status_code,
                        attempt,
                        round(time.perf_counter() - started, 3),
                    )
                body = response.text.strip().replace("\n", " ")[:200]
                last = f"HTTP {response.status_code} {response.reason_phrase}" + (
                    f": {body}" if body else ""
                )
                if response.status_code not in RETRY_STATUS:
                    raise ExternalError(f"webhook {shown} refused the message: {last}")
                wait = _retry_after(response, wait, max_backoff)
            if attempt < attempts:
                sleep(wait)
    raise ExternalError(
        f"webhook {shown} failed after {attempts} attempt{'s' * (attempts != 1)}: {last}"
    )


def _retry_after(response: httpx.Response, default: float, cap: float) -> float:
    value = response.headers.get("retry-after", "")
    try:
        return min(max(float(value), 0.0), cap)
    except ValueError:
        return default


__all__ = [
    "RETRY_STATUS",
    "Delivery",
    "check_url",
    "post_webhook",
    "redact",
    "slack_payload",
    "teams_payload",
]
