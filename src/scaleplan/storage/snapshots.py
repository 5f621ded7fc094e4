"""Earlier versions of a program: read it at a git ref, or save and load a snapshot file.

A program kept in git has its history for free: :func:`program_at_ref` exports the program's
directory as it was at any ref (``HEAD~1``, ``v1.2``, ``main@{1 week ago}``) with the real
``git`` into a temporary directory and loads it. Programs outside git can save a snapshot file
(``scaleplan status PATH --save FILE``): the program as one JSON document with the date it was
taken. :func:`baseline` accepts either.

>>> snap = program_at_ref("examples/shopscale", "HEAD~1")  # doctest: +SKIP
>>> snap.label  # doctest: +SKIP
'HEAD~1 (3f2a9c1, 2026-03-02)'
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaleplan.errors import InputError, ProgramInvalid, UsageError
from scaleplan.model import Program

#: Marks a snapshot file; the value is the snapshot format version.
SNAPSHOT_KEY = "scaleplan_snapshot"
SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Snapshot:
    """A program as it was: at a git commit or in a saved snapshot file."""

    program: Program
    #: Human label, e.g. ``HEAD~1 (3f2a9c1, 2026-03-02)`` or ``snapshots/w10.json (2026-03-02)``.
    label: str
    #: The day the version was taken (commit date or save date).
    taken: dt.date
    commit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "taken": self.taken.isoformat(), "commit": self.commit}


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError("git is not installed; install git or use a snapshot file (--since FILE)")
    return subprocess.run(
        [git, *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
    )


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "no message"


def repo_root(path: Path) -> Path:
    """Top directory of the git work tree that contains ``path``."""
    start = path if path.is_dir() else path.parent
    result = _git(["rev-parse", "--show-toplevel"], start)
    if result.returncode != 0:
        raise InputError(f"{path} is not inside a git repository; use a snapshot file instead")
    return Path(result.stdout.decode().strip()).resolve()


def program_at_ref(path: str | Path, ref: str) -> Snapshot:
    """Load the program at ``path`` as it was at git ``ref`` of the repository holding it.

    Raises :class:`InputError` when ``path`` is not in a git repository, ``ref`` is unknown,
    or the program did not exist at that ref; :class:`ProgramInvalid` when it was invalid then.
    """
    from scaleplan.loading import check_program

    target = Path(path).resolve()
    if not target.exists():
        raise UsageError(f"no such file or directory: {path}")
    if ref.startswith("-"):
        raise UsageError(f"'{ref}' is not a git ref")
    top = repo_root(target)
    found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    if found.returncode != 0:
        raise InputError(f"unknown git ref '{ref}' in {top}")
    commit = found.stdout.decode().strip()
    shown = _git(["show", "-s", "--format=%cs", commit], top)
    taken = dt.date.fromisoformat(shown.stdout.decode().strip())
    rel = target.relative_to(top).as_posix() or "."
    archive = _git(["archive", "--format=tar", commit, "--", rel], top)
    if archive.returncode != 0:
        raise InputError(
            f"{rel} did not exist at {ref} ({commit[:7]}): {_first_line(archive.stderr)}"
        )
    label = f"{ref} ({commit[:7]}, {taken.isoformat()})"
    with tempfile.TemporaryDirectory(prefix="scaleplan-ref-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        result = check_program(Path(tmp) / rel)
    if result.program is None:
        raise ProgramInvalid(result.diagnostics)
    return Snapshot(program=result.program, label=label, taken=taken, commit=commit)


def snapshot_document(program: Program, *, taken: dt.date | None = None) -> dict[str, Any]:
    """The snapshot file content for ``program``: the program document and its date."""
    return {
        SNAPSHOT_KEY: SNAPSHOT_VERSION,
        "taken": (taken or dt.date.today()).isoformat(),
        "program": program.to_document(),
    }


def save_snapshot(
    program: Program, file: str | Path, *, taken: dt.date | None = None, force: bool = False
) -> Path:
    """Write a snapshot of ``program`` to ``file`` (JSON, atomically). Returns the path."""
    from scaleplan.storage.files import write_atomic

    out = Path(file)
    text = json.dumps(snapshot_document(program, taken=taken), indent=1, sort_keys=True)
    write_atomic(out, text + "\n", force=force)
    return out


def load_snapshot(file: str | Path) -> Snapshot:
    """Load a snapshot written by :func:`save_snapshot`."""
    from scaleplan.loading import program_from_document

    source = Path(file)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read snapshot {source}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}:{exc.lineno}:{exc.colno}: not a snapshot file (invalid JSON: {exc.msg})"
        ) from None
    if not isinstance(data, dict) or data.get(SNAPSHOT_KEY) != SNAPSHOT_VERSION:
        raise InputError(
            f"{source} is not a scaleplan snapshot (no '{SNAPSHOT_KEY}: {SNAPSHOT_VERSION}' key); "
            "write one with 'scaleplan status PATH --save FILE'"
        )
    try:
        taken = dt.date.fromisoformat(str(data.get("taken")))
    except ValueError:
        raise InputError(f"{source}: 'taken' must be a date (YYYY-MM-DD)") from None
    document = data.get("program")
    if not isinstance(document, dict):
        raise InputError(f"{source}: 'program' must be a mapping")
    result = program_from_document(document, name=source.name)
    if result.program is None:
        raise ProgramInvalid(result.diagnostics)
    return Snapshot(program=result.program, label=f"{source.name} ({taken})", taken=taken)


def baseline(path: str | Path, since: str) -> Snapshot:
    """The version to compare with: ``since`` is a snapshot file if one exists there, else a
    git ref of the repository that holds ``path``."""
    candidate = Path(since)
    if candidate.is_file():
        return load_snapshot(candidate)
    if candidate.suffix == ".json":
        raise InputError(f"snapshot file {since} does not exist")
    return program_at_ref(path, since)


__all__ = [
    "Snapshot",
    "baseline",
    "load_snapshot",
    "program_at_ref",
    "repo_root",
    "save_snapshot",
    "snapshot_document",
]
