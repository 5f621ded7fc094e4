"""docs/errors.md and the code registry stay in step, in both directions."""

from __future__ import annotations

import re
from pathlib import Path

from scaleplan.loading.diagnostics import all_codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def documented() -> dict[str, str]:
    return dict(re.findall(r"^## ([EW]\d{3}) (.+)$", DOC.read_text(), flags=re.M))


def test_every_registered_code_has_a_section_with_its_title() -> None:
    docs = documented()
    for code, title in all_codes().items():
        assert code in docs, f"{code} is not documented in docs/errors.md"
        assert docs[code].strip() == title, f"{code}: doc title differs from registry"


def test_every_documented_code_is_registered() -> None:
    assert set(documented()) - set(all_codes()) == set()
