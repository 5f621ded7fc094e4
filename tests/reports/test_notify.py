"""Webhook delivery against a real HTTP server on 127.0.0.1: success, retries, refusals."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from reports_factory import document

from scaleplan.cli.main import main
from scaleplan.errors import ExternalError, UsageError
from scaleplan.outbound.notify import post_webhook, redact, slack_payload, teams_payload


class Hook:
    """A scripted webhook: answers each POST with the next (status, headers) in ``script``."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str]]] = []
        self.bodies: list[dict] = []  # type: ignore[type-arg]
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                hook.bodies.append(json.loads(self.rfile.read(length)))
                status, headers = hook.script.pop(0) if hook.script else (200, {})
                body = b"ok" if status < 300 else b"no_service"
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/secret"


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    thread = threading.Thread(target=h.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield h
    h.server.shutdown()
    h.server.server_close()


def test_a_message_is_posted_as_json(hook: Hook) -> None:
    delivery = post_webhook(hook.url, slack_payload("*hi*"))
    assert (delivery.status, delivery.attempts) == (200, 1)
    assert hook.bodies == [{"text": "*hi*", "mrkdwn": True}]
    assert delivery.url == f"http://127.0.0.1:{hook.server.server_address[1]}/…"  # secret hidden


def test_server_errors_are_retried_with_doubling_backoff(hook: Hook) -> None:
    hook.script = [(500, {}), (503, {}), (200, {})]
    waits: list[float] = []
    delivery = post_webhook(hook.url, {"text": "x"}, retries=3, backoff=0.5, sleep=waits.append)
    assert (delivery.status, delivery.attempts) == (200, 3)
    assert waits == [0.5, 1.0]
    assert len(hook.bodies) == 3


def test_retry_after_is_honoured_within_the_cap(hook: Hook) -> None:
    hook.script = [(429, {"Retry-After": "7"}), (429, {"Retry-After": "120"}), (200, {})]
    waits: list[float] = []
    post_webhook(hook.url, {"text": "x"}, backoff=0.01, max_backoff=30, sleep=waits.append)
    assert waits == [7.0, 30.0]


def test_giving_up_after_the_last_retry_is_an_external_error(hook: Hook) -> None:
    hook.script = [(502, {})] * 3
    with pytest.raises(ExternalError) as info:
        post_webhook(hook.url, {"text": "x"}, retries=2, backoff=0.001, sleep=lambda s: None)
    assert str(info.value).endswith("failed after 3 attempts: HTTP 502 Bad Gateway: no_service")
    assert "secret" not in str(info.value)


def test_a_client_error_is_not_retried(hook: Hook) -> None:
    hook.script = [(404, {})]
    with pytest.raises(ExternalError, match="refused the message: HTTP 404 Not Found"):
        post_webhook(hook.url, {"text": "x"}, retries=3, sleep=lambda s: None)
    assert len(hook.bodies) == 1


def test_an_unreachable_host_is_retried_then_reported() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    with pytest.raises(ExternalError, match="failed after 2 attempts: ConnectError"):
        post_webhook(f"http://127.0.0.1:{port}/x", {"text": "x"}, retries=1, sleep=waits.append)
    assert waits == [1.0]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("hooks.slack.com/services/x", "scheme must be https"),
        ("ftp://example.com/x", "scheme must be https (or http), got ftp"),
        ("https:///nohost", "it has no host"),
        ("http://example.com:99999/x", "bad webhook URL"),
    ],
)
def test_a_bad_url_is_a_usage_error(url: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        post_webhook(url, {"text": "x"})


def test_teams_payload_is_a_message_card() -> None:
    card = teams_payload("Status", "**bold**")
    assert card["@type"] == "MessageCard" and card["text"] == "**bold**"
    assert redact("https://x.webhook.office.com/webhookb2/abc") == "https://x.webhook.office.com/…"


def test_notify_command_posts_the_digest(
    hook: Hook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(document()))
    code = main(["notify", str(tmp_path), "--webhook", hook.url, "--as-of", "2026-01-05"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("posted to http://127.0.0.1:") and "HTTP 200, 1 attempt" in out
    text = hook.bodies[0]["text"]
    assert text.startswith("*Tiny Shop* status as of 2026-01-05\nRAG 2 green / 1 amber / 0 red")
    assert "• `checkout-v2` Checkout v2: team checkout at 88%" in text


def test_notify_command_failure_exits_4_with_one_line(
    hook: Hook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(document()))
    hook.script = [(403, {})]
    code = main(["notify", str(tmp_path), "--webhook", hook.url, "--flavor", "teams"])
    _, err = capsys.readouterr()
    assert code == 4
    assert "refused the message: HTTP 403 Forbidden" in err and "Traceback" not in err
    assert hook.bodies[0]["@type"] == "MessageCard"


def test_notify_command_bad_url_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "program.yaml").write_text(yaml.safe_dump(document()))
    code = main(["notify", str(tmp_path), "--webhook", "not a url"])
    assert code == 2 and "bad webhook URL" in capsys.readouterr().err
