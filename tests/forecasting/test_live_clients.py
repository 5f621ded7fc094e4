"""Live Jira (through the ``jira`` library) and GitHub clients against a real HTTP server on
127.0.0.1 that answers like the real services (paging, custom fields, truncated changelogs,
errors). No client code is mocked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from forecasting_helpers import Route, Server, github_route

from scaleplan.adapters import fetch_github, fetch_jira
from scaleplan.errors import ExternalError, UsageError


@pytest.fixture
def serve() -> Iterator[Callable[[Route], Server]]:
    servers: list[Server] = []

    def start(route: Route) -> Server:
        server = Server(route)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


# -- Jira -----------------------------------------------------------------------------------

FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False},
    {
        "id": "customfield_10016",
        "name": "Story point estimate",
        "custom": True,
        "schema": {
            "type": "number",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
        },
    },
    {
        "id": "customfield_10020",
        "name": "Sprint",
        "custom": True,
        "schema": {"type": "array", "custom": "com.pyxis.greenhopper.jira:gh-sprint"},
    },
]


def history_entry(at: str, source: str, target: str) -> dict[str, Any]:
    return {
        "id": at,
        "created": at,
        "items": [
            {"field": "status", "fieldtype": "jira", "fromString": source, "toString": target}
        ],
    }


def jira_issue(
    key: str, points: float, histories: list[dict[str, Any]], total: int
) -> dict[str, Any]:
    done = histories[-1]["items"][0]["toString"] == "Done" and len(histories) == total
    return {
        "expand": "renderedFields,names,changelog",
        "id": str(10000 + int(key.split("-")[1])),
        "self": f"https://example.atlassian.net/rest/api/3/issue/{key}",
        "key": key,
        "fields": {
            "summary": f"Issue {key}",
            "issuetype": {"id": "10001", "name": "Story", "subtask": False},
            "project": {"id": "10000", "key": "SHOP", "name": "Shop"},
            "created": "2025-06-02T09:15:00.000+0200",
            "resolutiondate": "2025-06-20T16:00:00.000+0200" if done else None,
            "status": {
                "name": "Done" if done else "In Progress",
                "statusCategory": {"key": "done" if done else "indeterminate"},
            },
            "customfield_10016": points,
            "customfield_10020": [{"id": 12, "name": "Sprint 12", "state": "closed", "boardId": 3}],
            "fixVersions": [{"id": "1", "name": "2025.07", "releaseDate": "2025-07-01"}],
            "issuelinks": [],
            "labels": [],
            "components": [],
        },
        "changelog": {
            "startAt": 0,
            "maxResults": len(histories),
            "total": total,
            "histories": histories,
        },
    }


def jira_route(token: str, deployment: str = "Cloud") -> Route:
    a3_all = [
        history_entry("2025-06-03T10:00:00.000+0200", "To Do", "In Progress"),
        history_entry("2025-06-10T10:00:00.000+0200", "In Progress", "In Review"),
        history_entry("2025-06-20T16:00:00.000+0200", "In Review", "Done"),
    ]
    page1 = [
        jira_issue(
            "SHOP-1",
            3,
            [
                history_entry("2025-06-04T09:00:00.000+0200", "To Do", "In Progress"),
                history_entry("2025-06-20T16:00:00.000+0200", "In Progress", "Done"),
            ],
            2,
        ),
        jira_issue(
            "SHOP-2", 5, [history_entry("2025-06-05T09:00:00.000+0200", "To Do", "In Progress")], 1
        ),
    ]
    page2 = [jira_issue("SHOP-3", 8, a3_all[:1], 3)]

    def route(
        path: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        if headers.get("authorization") not in (f"Bearer {token}",) and not headers.get(
            "authorization", ""
        ).startswith("Basic "):
            return 401, {}, {"errorMessages": ["You are not authenticated."]}
        if path == "/rest/api/2/serverInfo":
            return (
                200,
                {},
                {
                    "baseUrl": "https://example.atlassian.net",
                    "version": "1001.0.0-SNAPSHOT",
                    "versionNumbers": [1001, 0, 0],
                    "deploymentType": deployment,
                    "buildNumber": 100278,
                    "serverTitle": "Jira",
                },
            )
        if path == "/rest/api/2/field":
            return 200, {}, FIELDS
        if path == "/rest/api/2/search/jql":
            assert query["expand"] == ["changelog"]
            if query.get("nextPageToken") == ["page-2"]:
                return 200, {}, {"issues": page2, "isLast": True}
            return 200, {}, {"issues": page1, "nextPageToken": "page-2", "isLast": False}
        if path == "/rest/api/2/search" and deployment != "Cloud":  # Server: startAt paging
            assert query["expand"] == ["changelog"]
            start = int(query["startAt"][0])
            issues = (page1 + page2)[start : start + int(query["maxResults"][0])]
            return 200, {}, {"startAt": start, "total": 3, "issues": issues}
        if path == "/rest/api/2/issue/SHOP-3/changelog":
            start = int(query["startAt"][0])
            return (
                200,
                {},
                {
                    "startAt": start,
                    "maxResults": 100,
                    "total": 3,
                    "isLast": True,
                    "values": a3_all[start:],
                },
            )
        return 404, {}, {"errorMessages": [f"no route {path}"]}

    return route


def test_jira_pages_with_next_page_token_and_resolves_fields_by_name(
    serve: Callable[[Route], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TEST_TOKEN", "s3cret")
    server = serve(jira_route("s3cret"))
    history = fetch_jira(server.url, "project = SHOP", token_env="JIRA_TEST_TOKEN", page_size=2)
    assert [i.key for i in history] == ["SHOP-1", "SHOP-2", "SHOP-3"]
    assert [i.points for i in history] == [3.0, 5.0, 8.0]
    assert history.items[0].sprints == ("Sprint 12",)
    # the truncated changelog of SHOP-3 was completed from /issue/SHOP-3/changelog
    shop3 = history.items[2]
    assert [t.to_status for t in shop3.transitions] == ["In Progress", "In Review", "Done"]
    assert shop3.started is not None and shop3.started.isoformat() == "2025-06-03T08:00:00"
    paths = [p for p, _, _ in server.requests]
    assert paths.count("/rest/api/2/search/jql") == 2
    assert "/rest/api/2/issue/SHOP-3/changelog" in paths
    assert all(h["authorization"] == "Bearer s3cret" for _, _, h in server.requests)


def test_jira_cloud_email_uses_basic_auth(
    serve: Callable[[Route], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TEST_TOKEN", "api-token")
    server = serve(jira_route("unused"))
    history = fetch_jira(
        server.url, "project = SHOP", email="tpm@example.com", token_env="JIRA_TEST_TOKEN"
    )
    assert len(history) == 3
    assert server.requests[0][2]["authorization"].startswith("Basic ")


def test_jira_without_token_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIRA_TEST_TOKEN", raising=False)
    with pytest.raises(UsageError, match=r"\$JIRA_TEST_TOKEN"):
        fetch_jira("http://127.0.0.1:9", "x", token_env="JIRA_TEST_TOKEN")


def test_jira_rejecting_the_token_is_an_external_error(
    serve: Callable[[Route], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TEST_TOKEN", "wrong")
    server = serve(jira_route("right"))
    with pytest.raises(ExternalError, match="401"):
        fetch_jira(server.url, "project = SHOP", token_env="JIRA_TEST_TOKEN")


# -- GitHub ---------------------------------------------------------------------------------


def test_github_follows_link_pages_and_sends_the_token(
    serve: Callable[[Route], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_TEST_TOKEN", "ghp_x")
    holder: dict[str, Server] = {}
    server = serve(github_route(lambda: holder["s"].url))
    holder["s"] = server
    history = fetch_github("acme/shop", api_url=server.url, token_env="GH_TEST_TOKEN")
    assert [i.key for i in history] == ["acme/shop#1", "acme/shop#2", "acme/shop#3"]
    issue, pull, still_open = history.items
    assert issue.type == "issue" and issue.resolution == "completed"
    assert pull.type == "pull request" and pull.resolution == "merged"
    assert pull.started == pull.created
    assert [(link.kind, link.target) for link in pull.links] == [("closes", "acme/shop#1")]
    assert pull.fix_versions[0].name == "v1.0"
    assert still_open.done is None
    assert len(server.requests) == 2
    assert all(h["authorization"] == "Bearer ghp_x" for _, _, h in server.requests)


def test_github_unknown_repository_is_an_external_error(
    serve: Callable[[Route], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GH_TEST_TOKEN", raising=False)
    server = serve(github_route(lambda: ""))
    with pytest.raises(ExternalError, match="not found"):
        fetch_github("acme/other", api_url=server.url, token_env="GH_TEST_TOKEN")
    with pytest.raises(UsageError, match="owner/name"):
        fetch_github("not a repo", api_url=server.url)


def test_jira_server_pages_with_start_at(
    serve: Callable[[Route], Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TEST_TOKEN", "s3cret")
    server = serve(jira_route("s3cret", deployment="Server"))
    history = fetch_jira(server.url, "project = SHOP", token_env="JIRA_TEST_TOKEN", page_size=2)
    assert [i.key for i in history] == ["SHOP-1", "SHOP-2", "SHOP-3"]
    starts = [q["startAt"] for p, q, _ in server.requests if p == "/rest/api/2/search"]
    assert starts == [["0"], ["2"]]
