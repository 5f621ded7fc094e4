"""Import a history live from a Jira site with the ``jira`` library (``pip install
'scaleplan[jira]'``).

* Token from an environment variable (default ``JIRA_API_TOKEN``); with ``email`` it is a Jira
  Cloud API token (basic auth), without it a Data Center personal access token (bearer).
* Issues come from ``GET /rest/api/3/search/jql`` (Jira Cloud), paged with ``nextPageToken``,
  with ``expand=changelog``; a changelog longer than the page holds is completed from
  ``/issue/{key}/changelog``. On Data Center the classic ``/search`` with ``startAt`` is used.
* Story points, sprint, epic link and team custom fields are resolved by name through
  ``GET /rest/api/2/field`` (``Story Points`` / ``Story point estimate``, ``Sprint``...).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from scaleplan.adapters.jira_json import parse_issues
from scaleplan.errors import ExternalError, UsageError
from scaleplan.model.history import History

TOKEN_ENV = "JIRA_API_TOKEN"


def fetch_jira(
    server: str,
    jql: str,
    *,
    email: str | None = None,
    token_env: str = TOKEN_ENV,
    fields: Mapping[str, str] | None = None,
    max_items: int | None = None,
    page_size: int = 100,
    team: str | None = None,
    timeout: float = 30.0,
) -> History:
    """Fetch the issues matching ``jql`` with their status history.

    Raises ``UsageError`` without a token and ``ExternalError`` when Jira fails or refuses.
    """
    issues, names = fetch_jira_raw(
        server,
        jql,
        email=email,
        token_env=token_env,
        max_items=max_items,
        page_size=page_size,
        timeout=timeout,
    )
    return parse_issues(
        list(enumerate(issues, start=1)),
        source=f"jira:{server.rstrip('/')}",
        names=names,
        fields=fields,
        team=team,
        format="jira-live",
    )


def fetch_jira_raw(
    server: str,
    jql: str,
    *,
    email: str | None = None,
    token_env: str = TOKEN_ENV,
    max_items: int | None = None,
    page_size: int = 100,
    timeout: float = 30.0,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The raw issue objects (with complete changelogs) and the field id -> name map."""
    try:
        from jira import JIRA, JIRAError
    except ImportError:  # pragma: no cover - jira is a declared extra
        raise UsageError(
            "live Jira import needs the jira library: pip install 'scaleplan[jira]'"
        ) from None
    import requests

    token = os.environ.get(token_env)
    if not token:
        raise UsageError(f"set the Jira API token in the environment variable ${token_env}")
    if not server.startswith(("http://", "https://")):
        raise UsageError(f"Jira server must be an http(s) URL, got {server!r}")
    try:
        client = JIRA(
            server=server,
            basic_auth=(email, token) if email else None,
            token_auth=None if email else token,
            timeout=timeout,
            max_retries=1,
            options={"check_update": False},
        )
        names = {str(f["id"]): str(f["name"]) for f in client.fields()}
        records = _search(client, jql, page_size, max_items)
    except JIRAError as exc:
        status = getattr(exc, "status_code", None)
        if status == 401:
            raise ExternalError(
                f"Jira rejected the credentials (401); check ${token_env}"
            ) from None
        if status == 400:
            raise ExternalError(f"Jira rejected the query: {exc.text}") from None
        raise ExternalError(f"Jira answered {status}: {exc.text}") from None
    except requests.RequestException as exc:
        raise ExternalError(f"cannot reach Jira at {server}: {exc}") from None
    return [issue for _, issue in records], names


def _search(client: Any, jql: str, page_size: int, max_items: int | None) -> list[tuple[int, Any]]:
    records: list[tuple[int, Any]] = []
    for issues in _pages(client, jql, page_size):
        for issue in issues:
            _complete_changelog(client, issue)
            records.append((len(records) + 1, issue))
        if _full(records, max_items):
            break
    return records[:max_items] if max_items is not None else records


def _pages(client: Any, jql: str, page_size: int) -> Iterator[list[Any]]:
    """The issues of each search page, with changelogs: Jira Cloud pages with
    ``nextPageToken`` (``/search/jql``), Server and Data Center with ``startAt``."""
    query = {"fields": "*all", "expand": "changelog", "json_result": True}
    token: str | None = None
    start = 0
    while True:
        if client._is_cloud:
            page = client.enhanced_search_issues(
                jql, nextPageToken=token, maxResults=page_size, **query
            )
        else:
            page = client.search_issues(jql, startAt=start, maxResults=page_size, **query)
        issues = page.get("issues") or []
        yield issues
        token = page.get("nextPageToken")
        start += len(issues)
        if not issues:
            return
        if client._is_cloud and (not token or page.get("isLast")):
            return
        if not client._is_cloud and start >= int(page.get("total", 0)):
            return


def _full(records: list[tuple[int, Any]], max_items: int | None) -> bool:
    return max_items is not None and len(records) >= max_items


def _complete_changelog(client: Any, issue: dict[str, Any]) -> None:
    """Fetch the rest of a changelog that the search page cut short."""
    changelog = issue.get("changelog")
    if not isinstance(changelog, dict):
        return
    histories = list(changelog.get("histories") or [])
    total = int(changelog.get("total", len(histories)))
    while len(histories) < total:
        # the jira library has no public call for the changelog resource
        page = client._get_json(
            f"issue/{issue['key']}/changelog",
            params={"startAt": len(histories), "maxResults": 100},
        )
        values = page.get("values") or page.get("histories") or []
        if not values:
            break
        histories.extend(values)
    changelog["histories"] = histories


__all__ = ["TOKEN_ENV", "fetch_jira", "fetch_jira_raw"]
