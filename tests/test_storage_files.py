from __future__ import annotations

import os
from pathlib import Path

import pytest

from scaleplan.errors import UsageError
from scaleplan.storage.files import write_atomic


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.html", "<p>hi</p>")
    finally:
        os.umask(old)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o644


def test_replacing_keeps_the_mode_and_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old")
    target.chmod(0o640)
    with pytest.raises(UsageError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_identical_content_is_not_an_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "same.txt"
    target.write_text("x")
    write_atomic(target, "x")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
