"""Small histories built in code for hand-checkable forecasts, and a local HTTP server that
answers like GitHub or Jira."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np

from scaleplan.model.history import History, HistoryItem

START = dt.date(2024, 1, 1)  # a Monday


def daily_history(per_day: Sequence[int], *, start: dt.date = START, name: str = "h") -> History:
    """Items done at noon: ``per_day[k]`` of them on day ``k`` from ``start``."""
    items = []
    for day, count in enumerate(per_day):
        moment = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(12))
        for k in range(count):
            items.append(HistoryItem(key=f"{name}-{day}-{k}", created=moment, done=moment))
    return History(tuple(items), name=name)


def poisson_history(rate_per_week: float, weeks: int, *, seed: int = 1, name: str = "p") -> History:
    rng = np.random.default_rng(seed)
    return daily_history(rng.poisson(rate_per_week / 7.0, size=7 * weeks).tolist(), name=name)


Route = Callable[[str, dict[str, list[str]], dict[str, str]], tuple[int, dict[str, str], Any]]


class Server:
    def __init__(self, route: Route) -> None:
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = parse_qs(url.query)
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((url.path, query, headers))
                status, extra, body = route(url.path, query, headers)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def gh_object(number: int, *, pull: bool, closed: bool) -> dict[str, Any]:
    base = "https://api.github.com/repos/acme/shop"
    obj: dict[str, Any] = {
        "url": f"{base}/issues/{number}",
        "repository_url": base,
        "html_url": f"https://github.com/acme/shop/{'pull' if pull else 'issues'}/{number}",
        "id": 1000 + number,
        "number": number,
        "title": f"Item {number}",
        "user": {"login": "dev"},
        "labels": [{"id": 1, "name": "bug"}] if number % 2 else [],
        "state": "closed" if closed else "open",
        "milestone": {"title": "v1.0", "due_on": "2025-07-01T07:00:00Z", "state": "open"}
        if number == 2
        else None,
        "created_at": f"2025-06-{number:02d}T10:00:00Z",
        "closed_at": f"2025-06-{number + 3:02d}T10:00:00Z" if closed else None,
        "state_reason": "completed" if closed and not pull else None,
        "body": "Fixes #1" if pull else "steps to reproduce",
    }
    if pull:
        obj["pull_request"] = {
            "url": f"{base}/pulls/{number}",
            "merged_at": f"2025-06-{number + 3:02d}T10:00:00Z" if closed else None,
        }
    return obj


def github_route(url_of: Callable[[], str]) -> Route:
    def route(
        path: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        if path != "/repos/acme/shop/issues":
            return 404, {}, {"message": "Not Found"}
        if query.get("page") == ["2"]:
            return 200, {}, [gh_object(3, pull=False, closed=False)]
        assert query["state"] == ["all"]
        link = f'<{url_of()}/repos/acme/shop/issues?page=2>; rel="next", <{url_of()}/repos/acme/shop/issues?page=2>; rel="last"'
        return (
            200,
            {"Link": link},
            [
                gh_object(1, pull=False, closed=True),
                gh_object(2, pull=True, closed=True),
            ],
        )

    return route
