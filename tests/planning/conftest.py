"""Fixtures of the planning tests (helpers live in planning_helpers.py)."""

from __future__ import annotations

import pytest
from planning_helpers import make_program

from scaleplan.model import Program


@pytest.fixture
def tiny() -> Program:
    return make_program()
