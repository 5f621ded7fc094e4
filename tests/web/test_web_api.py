"""The dashboard's HTTP side on a real server: JSON twins against the OpenAPI spec, one error
shape, access control, no path traversal, reloading, background jobs."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from conftest import write_program
from reports_factory import document

from scaleplan.errors import UsageError
from scaleplan.reports.sections import PAGES, SECTIONS, SectionSpec
from scaleplan.web.security import check_bind

TOKEN = "s3cret-token-123"


def response_schema(spec: dict[str, Any], path: str, status: str = "200") -> dict[str, Any]:
    """The JSON schema of a response in the OpenAPI document, with its components attached."""
    content = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    return {**content["schema"], "components": spec["components"]}


def validate(instance: Any, schema: dict[str, Any]) -> None:
    jsonschema.validate(instance, schema, cls=jsonschema.Draft202012Validator)


def test_every_json_twin_validates_against_the_openapi_spec(program_dir: Path, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(program_dir)
    spec = httpx.get(f"{server.base}/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for page in PAGES:
        data = httpx.get(f"{server.base}/api/{page}", params={"wait": 30}, timeout=60).json()
        validate(data, response_schema(spec, f"/api/{page}"))
        assert data["complete"] is True and data["page"] == page
        assert all(s["status"] in ("ok", "unavailable") for s in data["sections"].values()), data
    overview = httpx.get(f"{server.base}/api/overview").json()["sections"]["overview"]["data"]
    assert overview["rag_counts"] == {"green": 2, "amber": 1, "red": 0}
    # A wrong shape would fail: the schemas are strict, not "any object".
    bad = {**overview, "rag_counts": "lots"}
    with pytest.raises(jsonschema.ValidationError):
        validate(
            {
                **httpx.get(f"{server.base}/api/overview").json(),
                "sections": {"overview": {**overview, "data": bad}},
            },
            response_schema(spec, "/api/overview"),
        )


def test_errors_share_one_shape(program_dir: Path, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(program_dir)
    spec = httpx.get(f"{server.base}/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorBody", "components": spec["components"]}
    cases = [
        ("/api/nothing-here", 404, "not_found"),
        ("/api/jobs/j999", 404, "not_found"),
        ("/api/overview?wait=abc", 422, "invalid_parameters"),
        ("/api/files/not-a-file.yaml", 404, "not_found"),
    ]
    for url, status, code in cases:
        r = httpx.get(server.base + url)
        assert r.status_code == status, url
        validate(r.json(), error)
        assert r.json()["error"]["code"] == code
    page = httpx.get(f"{server.base}/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


def test_only_the_programs_own_files_are_served(
    program_dir: Path,
    tmp_path: Path,
    serve,  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / "secret.yaml").write_text("password: hunter2\n")
    (program_dir / "notes.txt").symlink_to(tmp_path / "secret.yaml")
    doc = document()
    doc["services"][3]["apis"] = [{"name": "x", "contract": "../secret.yaml"}]
    write_program(program_dir, doc)
    server = serve(program_dir)
    listed = httpx.get(f"{server.base}/api/files").json()["files"]
    assert listed == ["contracts/catalog.json", "plan.yaml", "program.yaml"]
    assert httpx.get(f"{server.base}/api/files/contracts/catalog.json").json() == {
        "openapi": "3.0.0"
    }
    attempts = [
        "/api/files/..%2Fsecret.yaml",
        "/api/files/%2e%2e/secret.yaml",
        "/api/files/contracts/..%2F..%2Fsecret.yaml",
        "/api/files/%2Fetc%2Fpasswd",
        "/api/files/notes.txt",
        "/api/files/program.yaml%00.txt",
    ]
    with httpx.Client(base_url=server.base) as client:
        for raw in attempts:
            r = client.send(client.build_request("GET", httpx.URL(server.base + raw)))
            assert r.status_code == 404, raw
            assert "hunter2" not in r.text
    # The raw request path cannot walk out either (no client-side normalisation).
    with socket_request(server.port, "GET /api/files/../../secret.yaml HTTP/1.1") as answer:
        assert "hunter2" not in answer and " 200 " not in answer.splitlines()[0]


class socket_request:
    def __init__(self, port: int, line: str) -> None:
        import socket

        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"{line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := self.sock.recv(65536):
            chunks.append(chunk)
        self.text = b"".join(chunks).decode("latin-1")

    def __enter__(self) -> str:
        return self.text

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def test_a_token_is_required_when_set(program_dir: Path, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(program_dir, token=TOKEN)
    r = httpx.get(f"{server.base}/api/overview")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert httpx.get(f"{server.base}/").status_code == 401
    assert (
        httpx.get(
            f"{server.base}/api/overview", headers={"Authorization": "Bearer nope-nope"}
        ).status_code
        == 401
    )
    ok = httpx.get(f"{server.base}/api/overview", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    first = httpx.get(f"{server.base}/okrs?token={TOKEN}")
    assert first.status_code == 303 and first.headers["location"] == "/okrs"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    with httpx.Client(base_url=server.base) as browser_like:
        browser_like.get(f"/okrs?token={TOKEN}")
        assert browser_like.get("/risks").status_code == 200
    assert httpx.get(f"{server.base}/healthz").status_code == 200


def test_without_a_token_only_loopback_host_names_are_answered(program_dir: Path, serve) -> None:  # type: ignore[no-untyped-def]
    server = serve(program_dir)
    assert httpx.get(f"{server.base}/api/program").status_code == 200
    r = httpx.get(f"{server.base}/api/program", headers={"Host": "attacker.example:8000"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_host"
    headers = httpx.get(f"{server.base}/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


def test_binding_beyond_loopback_needs_a_token(
    capsys: pytest.CaptureFixture[str], program_dir: Path
) -> None:
    with pytest.raises(UsageError, match=r"refusing to serve on 0\.0\.0\.0 without a token"):
        check_bind("0.0.0.0", None)
    check_bind("0.0.0.0", TOKEN)
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    with pytest.raises(UsageError, match="at least 8 characters"):
        check_bind("0.0.0.0", "short")
    from scaleplan.cli.main import main

    env = os.environ.pop("SCALEPLAN_TOKEN", None)
    try:
        code = main(["serve", str(program_dir), "--host", "0.0.0.0", "--port", "1"])
    finally:
        if env is not None:
            os.environ["SCALEPLAN_TOKEN"] = env
    assert code == 2 and "refusing to serve on 0.0.0.0" in capsys.readouterr().err


def test_edits_to_the_files_are_picked_up_and_broken_edits_keep_the_last_valid_version(
    program_dir: Path,
    serve,  # type: ignore[no-untyped-def]
) -> None:
    server = serve(program_dir)
    before = httpx.get(f"{server.base}/api/program").json()["version"]
    doc = document()
    doc["initiatives"][0]["title"] = "Checkout v3"
    write_program(program_dir, doc)
    assert "Checkout v3" in httpx.get(f"{server.base}/").text
    assert httpx.get(f"{server.base}/api/program").json()["version"] != before
    (program_dir / "plan.yaml").write_text("work_items: [oops\n")
    html = httpx.get(f"{server.base}/").text
    assert 'id="load-errors"' in html and "E100" in html and "Checkout v3" in html
    errors = httpx.get(f"{server.base}/api/program").json()["errors"]
    assert errors[0]["code"] == "E100"


@pytest.fixture
def slow_section() -> Any:
    """A registered slow section that waits for ``release`` (proves pages do not hang)."""
    from dataclasses import dataclass

    from scaleplan.reports.sections import View
    from scaleplan.web import models

    @dataclass(frozen=True)
    class SlowView(View):
        answer: int

    release = threading.Event()

    def build(ctx: Any) -> SlowView:
        release.wait(20)
        return SlowView(42)

    SECTIONS["slowtest"] = SectionSpec("slowtest", "Slow test", "risks", 999, build, SlowView, True)
    models.page_model.cache_clear()
    yield release
    release.set()
    SECTIONS.pop("slowtest")
    models.page_model.cache_clear()


def test_slow_sections_run_as_a_job_with_progress_to_poll(
    program_dir: Path,
    serve,
    slow_section: threading.Event,  # type: ignore[no-untyped-def]
) -> None:
    server = serve(program_dir)
    started = time.monotonic()
    first = httpx.get(f"{server.base}/api/risks").json()
    assert time.monotonic() - started < 5  # answered at once, not after the analysis
    assert first["complete"] is False
    assert first["sections"]["slowtest"]["status"] == "pending"
    assert first["sections"]["risks"]["status"] == "ok"  # fast sections are there already
    job_id = first["job"]["id"]
    page = httpx.get(f"{server.base}/risks").text
    assert f'data-job="{job_id}"' in page and "<progress" in page
    assert httpx.get(f"{server.base}/api/jobs/{job_id}").json()["state"] in ("queued", "running")
    slow_section.set()
    for _ in range(100):
        job = httpx.get(f"{server.base}/api/jobs/{job_id}").json()
        if job["state"] == "done":
            break
        time.sleep(0.05)
    assert job["state"] == "done" and job["progress"] == 1.0
    done = httpx.get(f"{server.base}/api/risks").json()
    assert done["complete"] is True and done["sections"]["slowtest"]["data"] == {"answer": 42}


def test_changes_since_a_git_ref_are_computed_in_the_background(
    program_dir: Path,
    serve,  # type: ignore[no-untyped-def]
) -> None:
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *args], cwd=program_dir, env=env, check=True)
    doc = document()
    doc["work_items"][2]["status"] = "done"
    write_program(program_dir, doc)
    server = serve(program_dir)
    spec = httpx.get(f"{server.base}/openapi.json").json()
    r = httpx.get(f"{server.base}/api/changes", params={"since": "HEAD", "wait": 30}, timeout=60)
    data = r.json()
    validate(data, response_schema(spec, "/api/changes"))
    assert data["complete"] is True
    assert [(i["change"], i["id"]) for i in data["status"]["items"]] == [("completed", "ca-1")]
    page = httpx.get(f"{server.base}/changes", params={"since": "HEAD"}).text
    assert "Changes since HEAD (" in page and "ca-1" in page
    bad = httpx.get(f"{server.base}/api/changes", params={"since": "../../x.json"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
    unknown = httpx.get(
        f"{server.base}/api/changes", params={"since": "nope", "wait": 30}, timeout=60
    )
    assert (
        unknown.status_code == 400
        and "unknown git ref 'nope'" in unknown.json()["error"]["message"]
    )
