"""GitHub issues and pull requests -> history items, from REST JSON files or live.

``GET /repos/{owner}/{repo}/issues?state=all`` returns both issues and pull requests (those with
a ``pull_request`` key). GitHub has no story points and no status history here: ``created`` is
``created_at``, ``done`` is ``closed_at`` of closed items, and a pull request counts as started
when it was opened (an issue has no start). Milestones become fix versions; ``Fixes #12`` in a
pull request's body becomes a ``closes`` link.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from scaleplan.adapters.dates import DateError, parse_date, parse_datetime
from scaleplan.errors import ExternalError, UsageError
from scaleplan.model.history import (
    History,
    HistoryItem,
    ImportProblem,
    ImportReport,
    Link,
    Version,
)

DEFAULT_API = "https://api.github.com"
TOKEN_ENV = "GITHUB_TOKEN"
_CLOSES = re.compile(r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b", re.IGNORECASE)
_REPO = re.compile(r"/repos/([^/]+/[^/]+)$")
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def parse_github(
    records: Iterable[tuple[int, Any]],
    *,
    source: str,
    team: str | None = None,
    problems: Iterable[ImportProblem] = (),
) -> History:
    """Build a :class:`History` from GitHub issue objects ``(line, object)``."""
    report: list[ImportProblem] = list(problems)
    items: list[HistoryItem] = []
    seen: set[str] = set()
    count = 0
    for line, obj in records:
        count += 1
        try:
            item = _item(obj, line, team)
        except (DateError, ValueError, TypeError, KeyError) as exc:
            message = f"missing {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
            report.append(ImportProblem(line, message))
            continue
        if item.key in seen:
            report.append(ImportProblem(line, f"duplicate {item.key}; kept the first"))
            continue
        seen.add(item.key)
        items.append(item)
    return History(
        tuple(items),
        name=source,
        report=ImportReport(source, "github-json", count, len(items), tuple(report)),
        categories={"open": "todo", "closed": "done"},
    )


def _item(obj: Any, line: int, team: str | None) -> HistoryItem:
    if not isinstance(obj, dict):
        raise ValueError(f"expected an issue object, got {type(obj).__name__}")
    number = obj["number"]
    if not isinstance(number, int):
        raise ValueError(f"'number' is not an integer: {number!r}")
    repo = None
    match = _REPO.search(str(obj.get("repository_url") or ""))
    if match:
        repo = match.group(1)
    key = f"{repo}#{number}" if repo else f"#{number}"
    pull = obj.get("pull_request")
    is_pr = isinstance(pull, dict)
    created = parse_datetime(obj.get("created_at"))
    if created is None:
        raise ValueError(f"{key}: no 'created_at'")
    state = obj.get("state")
    closed = parse_datetime(obj.get("closed_at"))
    done = closed if state == "closed" else None
    if state == "closed" and done is None:
        raise ValueError(f"{key}: closed without 'closed_at'")
    if is_pr:
        merged = parse_datetime(pull.get("merged_at")) if isinstance(pull, dict) else None
        resolution = ("merged" if merged else "closed") if done else None
    else:
        resolution = obj.get("state_reason") if done else None
    milestone = obj.get("milestone")
    versions: tuple[Version, ...] = ()
    if isinstance(milestone, dict) and isinstance(milestone.get("title"), str):
        versions = (
            Version(
                milestone["title"],
                parse_date(milestone.get("due_on")),
                milestone.get("state") == "closed",
            ),
        )
    links: list[Link] = []
    body = obj.get("body")
    if is_pr and isinstance(body, str):
        for target in dict.fromkeys(_CLOSES.findall(body)):
            links.append(
                Link("closes", f"{repo}#{target}" if repo else f"#{target}", "outward", "closes")
            )
    labels = tuple(
        str(label.get("name")) if isinstance(label, dict) else str(label)
        for label in obj.get("labels") or ()
    )
    return HistoryItem(
        key=key,
        type="pull request" if is_pr else "issue",
        title=obj.get("title") if isinstance(obj.get("title"), str) else None,
        project=repo,
        status=str(state) if state is not None else None,
        created=created,
        started=created if is_pr else None,
        done=done,
        resolution=str(resolution) if resolution else None,
        points=None,
        links=tuple(links),
        fix_versions=versions,
        team=team,
        labels=labels,
        line=line,
    )


def fetch_github(
    repo: str,
    *,
    token_env: str = TOKEN_ENV,
    api_url: str = DEFAULT_API,
    since: str | None = None,
    max_items: int | None = None,
    team: str | None = None,
    timeout: float = 30.0,
) -> History:
    """Fetch every issue and pull request of ``owner/name`` (paging by the ``Link`` header).

    The token is read from the environment variable ``token_env``; without one, GitHub's
    anonymous limit (60 requests an hour) applies.
    """
    objects = fetch_github_raw(
        repo,
        token_env=token_env,
        api_url=api_url,
        since=since,
        max_items=max_items,
        timeout=timeout,
    )
    return parse_github(list(enumerate(objects, start=1)), source=f"github:{repo}", team=team)


def fetch_github_raw(
    repo: str,
    *,
    token_env: str = TOKEN_ENV,
    api_url: str = DEFAULT_API,
    since: str | None = None,
    max_items: int | None = None,
    timeout: float = 30.0,
) -> list[dict[str, Any]]:
    """The raw issue and pull-request objects of ``owner/name``, oldest first."""
    import httpx

    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise UsageError(f"expected a repository as owner/name, got {repo!r}")
    headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "scaleplan",
    }
    token = os.environ.get(token_env)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    params: dict[str, str | int] = {
        "state": "all",
        "per_page": 100,
        "sort": "created",
        "direction": "asc",
    }
    if since:
        params["since"] = since
    url: str | None = f"{api_url.rstrip('/')}/repos/{repo}/issues"
    records: list[tuple[int, Any]] = []
    with httpx.Client(headers=headers, timeout=timeout) as client:
        while url:
            try:
                response = client.get(url, params=params if not records else None)
            except httpx.HTTPError as exc:
                raise ExternalError(f"GitHub request failed: {exc}") from None
            _raise_for(response, repo, token_env, bool(token))
            page = response.json()
            if not isinstance(page, list):
                raise ExternalError(f"GitHub returned {type(page).__name__}, expected a list")
            for obj in page:
                records.append((len(records) + 1, obj))
            if max_items is not None and len(records) >= max_items:
                records = records[:max_items]
                break
            match = _NEXT.search(response.headers.get("link", ""))
            url = match.group(1) if match else None
    return [obj for _, obj in records]


def _raise_for(response: Any, repo: str, token_env: str, has_token: bool) -> None:
    status = response.status_code
    if status < 400:
        return
    if status == 401:
        raise ExternalError(f"GitHub rejected the token in ${token_env} (401 Unauthorized)")
    if status == 403 and response.headers.get("x-ratelimit-remaining") == "0":
        hint = "" if has_token else f"; set ${token_env} for a higher limit"
        raise ExternalError(f"GitHub rate limit reached{hint}")
    if status == 404:
        hint = "" if has_token else f" (private repositories need a token in ${token_env})"
        raise ExternalError(f"GitHub repository {repo} not found{hint}")
    raise ExternalError(f"GitHub answered {status}: {response.text[:200]}")


__all__ = ["DEFAULT_API", "TOKEN_ENV", "fetch_github", "fetch_github_raw", "parse_github"]
