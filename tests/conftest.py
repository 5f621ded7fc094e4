"""Shared fixtures: the ShopScale example and the real data in ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shopscale"
SHARED_DATA = Path(os.environ.get("SCALEPLAN_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shopscale_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def shopscale(shopscale_path: Path):  # type: ignore[no-untyped-def]
    from scaleplan import load_program

    return load_program(shopscale_path)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; skips where it is absent, except under CI=true where it must exist."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data missing at {SHARED_DATA} (required under CI=true)")
        pytest.skip(f"no shared data at {SHARED_DATA} (clone without ../shared)")
    return SHARED_DATA
