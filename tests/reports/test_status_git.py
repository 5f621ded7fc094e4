"""Status against real git history: a scripted program repository in a temporary directory."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from reports_factory import document

from scaleplan.cli.main import main
from scaleplan.errors import InputError
from scaleplan.storage.snapshots import baseline, load_snapshot, program_at_ref, save_snapshot


def git(repo: Path, *args: str, date: str = "2026-01-05T10:00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "TPM",
        "GIT_AUTHOR_EMAIL": "tpm@example.com",
        "GIT_COMMITTER_NAME": "TPM",
        "GIT_COMMITTER_EMAIL": "tpm@example.com",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def write(program_dir: Path, doc: dict) -> None:  # type: ignore[type-arg]
    program_dir.mkdir(parents=True, exist_ok=True)
    main_part = {k: doc[k] for k in ("program", "calendar", "settings")}
    (program_dir / "program.yaml").write_text(yaml.safe_dump(main_part, sort_keys=False))
    rest = {k: v for k, v in doc.items() if k not in main_part}
    (program_dir / "plan.yaml").write_text(yaml.safe_dump(rest, sort_keys=False))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Three commits: v1 (the tiny program), v2 (co-1 done, a new item, KR1 up), v3 (invalid)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    program_dir = root / "programs" / "tiny"
    write(program_dir, document())
    (root / "README.md").write_text("program repo\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1", date="2026-01-05T10:00:00")
    git(root, "tag", "v1")
    doc = document()
    doc["work_items"][0]["status"] = "done"
    doc["work_items"].append(
        {
            "id": "co-3",
            "title": "Receipts",
            "initiative": "checkout-v2",
            "team": "checkout",
            "effort": 4,
            "max_people": 4,
        }
    )
    doc["objectives"][0]["key_results"][0]["current"] = 8
    write(program_dir, doc)
    git(root, "commit", "-q", "-am", "v2", date="2026-01-12T10:00:00")
    return program_dir


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_program_at_a_ref_is_read_from_git_history(repo: Path) -> None:
    snap = program_at_ref(repo, "HEAD~1")
    assert snap.taken == dt.date(2026, 1, 5)
    assert snap.label.startswith("HEAD~1 (") and snap.label.endswith(", 2026-01-05)")
    assert snap.program.work_items_by_id["co-1"].status.value == "in-progress"
    assert "co-3" not in snap.program.work_items_by_id
    assert program_at_ref(repo, "v1").commit == snap.commit


def test_status_since_a_ref_reports_the_changes_as_json(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["status", str(repo), "--since", "v1", "--as-of", "2026-01-12", "--format", "json"], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["since"].startswith("v1 (") and data["before_as_of"] == "2026-01-05"
    assert {(i["change"], i["id"]) for i in data["items"]} == {
        ("completed", "co-1"),
        ("added", "co-3"),
    }
    assert data["key_results"][0]["delta"] == 0.1


def test_status_text_is_short_enough_for_a_channel(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["status", str(repo), "--since", "HEAD~1", "--as-of", "2026-01-12"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Tiny Shop since HEAD~1 (")
    # Both versions are projected from 2026-01-12. Before: co-1 and co-2, 14 pw at 4 pw a
    # week -> day 24.5 -> 2026-02-06. Now co-1 is done and co-3 added: 12 pw -> 2026-02-02.
    # checkout-v2 turns red: ca-1 (1.25 weeks) then co-2 (2.5 weeks) end after 2026-02-02,
    # three weeks from 2026-01-12.
    assert lines[1] == (
        "1 item done, 1 added, 0 removed; 0 slipped, 1 improved; RAG 2 green / 0 amber / 1 red"
    )
    assert (
        "- checkout-v2 amber -> red: item co-2 cannot finish before 2026-02-08, after its "
        "deadline 2026-02-02 (ca-1 -> co-2: 3.8 weeks even at max_people)" in out
    )
    assert (
        "- checkout-v2 improved 4 days -> 2026-02-02: remaining effort -2.0 pw (1 item added)"
        in out
    )
    assert "No progress recorded in 7 days on 2 open initiatives: catalog-split, ci-pipeline" in out
    assert "Done (1):" in out and "- co-1 Cart API (checkout)" in out
    assert len(lines) < 30


def test_unknown_ref_is_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["status", str(repo), "--since", "no-such-tag"], capsys)
    assert code == 1
    assert "unknown git ref 'no-such-tag'" in err and "Traceback" not in err


def test_program_missing_at_an_early_ref_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("x\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "empty")
    write(root / "prog", document())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "program")
    with pytest.raises(InputError, match="prog did not exist at HEAD~1"):
        program_at_ref(root / "prog", "HEAD~1")


def test_outside_git_a_ref_is_refused_but_a_snapshot_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain"
    write(plain, document())
    with pytest.raises(InputError, match="not inside a git repository"):
        program_at_ref(plain, "HEAD")
    snap_file = tmp_path / "w1.json"
    code, _, err = run(
        ["status", str(plain), "--save", str(snap_file), "--as-of", "2026-01-05"], capsys
    )
    assert code == 0 and "saved snapshot" in err
    doc = document()
    doc["work_items"][2]["status"] = "done"
    write(plain, doc)
    code, out, _ = run(
        ["status", str(plain), "--since", str(snap_file), "--as-of", "2026-01-12", "-f", "md"],
        capsys,
    )
    assert code == 0
    assert out.startswith("**Tiny Shop** since w1.json (2026-01-05)")
    assert "- `ca-1` Product API (catalog)" in out


def test_a_snapshot_round_trips_the_program(tmp_path: Path) -> None:
    from reports_factory import program

    original = program()
    save_snapshot(original, tmp_path / "s.json", taken=dt.date(2026, 1, 5))
    loaded = load_snapshot(tmp_path / "s.json")
    assert loaded.program == original and loaded.taken == dt.date(2026, 1, 5)
    assert baseline(tmp_path, str(tmp_path / "s.json")).program == original


def test_a_file_that_is_not_a_snapshot_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="is not a scaleplan snapshot"):
        load_snapshot(bad)
    bad.write_text("{oops")
    with pytest.raises(InputError, match=r"x.json:1:2: not a snapshot file"):
        load_snapshot(bad)
