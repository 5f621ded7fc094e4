"""docs/org.md cannot drift: every ORG code has its section with the registered title, every
threshold key of settings.org is documented, and every org command is described."""

from __future__ import annotations

import re
from pathlib import Path

from scaleplan.analysis.org import CODES
from scaleplan.model import OrgThresholds

DOC = Path(__file__).resolve().parents[2] / "docs" / "org.md"


def test_every_code_has_a_section_with_its_title() -> None:
    headings = dict(re.findall(r"^## (ORG\d{3}) (.+)$", DOC.read_text(), flags=re.MULTILINE))
    assert headings == {code: info.title for code, info in CODES.items()}


def test_every_threshold_is_documented() -> None:
    text = DOC.read_text()
    missing = [name for name in OrgThresholds.model_fields if f"`{name}`" not in text]
    assert missing == []


def test_every_org_command_is_documented() -> None:
    text = DOC.read_text()
    for command in ("org", "congruence", "escalation", "cadences", "mentors", "talks"):
        assert f"scaleplan {command} PATH" in text, command
