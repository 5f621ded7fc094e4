"""Fixtures of the report tests: the tiny program of ``reports_factory``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
