"""Centres of excellence: who is in each, which key skills they cover, the gaps, the skills
only one member holds, and people elsewhere who could fill a gap.

Skills are compared case-insensitively with ``-`` and ``_`` read as spaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.org._common import (
    Finding,
    finding,
    is_active,
    norm_skill,
    norm_skills,
    resolve_as_of,
)
from scaleplan.model import Program


@dataclass(frozen=True, slots=True)
class CentreCoverage:
    """Coverage of one centre's key skills by its active members (lead included)."""

    id: str
    name: str
    domain: str
    lead: str | None
    members: tuple[str, ...]
    key_skills: tuple[str, ...]
    #: Key skill -> members who hold it.
    holders: dict[str, tuple[str, ...]]
    gaps: tuple[str, ...]
    #: Key skills exactly one member holds (a bus factor of one).
    single_holder: tuple[str, ...]
    #: Gap skill -> active people outside the centre who hold it.
    candidates: dict[str, tuple[str, ...]]

    @property
    def coverage(self) -> float:
        """Share of key skills held by at least one member (1.0 when there are none)."""
        if not self.key_skills:
            return 1.0
        return 1.0 - len(self.gaps) / len(self.key_skills)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "domain": self.domain,
            "lead": self.lead,
            "members": list(self.members),
            "key_skills": list(self.key_skills),
            "holders": {k: list(v) for k, v in self.holders.items()},
            "gaps": list(self.gaps),
            "single_holder": list(self.single_holder),
            "candidates": {k: list(v) for k, v in self.candidates.items()},
            "coverage": round(self.coverage, 4),
        }


def centre_coverage(
    program: Program, *, as_of: dt.date | None = None
) -> tuple[CentreCoverage, ...]:
    """Coverage of every centre of excellence, in file order.

    >>> [c.gaps for c in centre_coverage(program)]  # doctest: +SKIP
    [('chaos engineering',), ()]
    """
    on = resolve_as_of(as_of)
    people = program.people_by_id
    skills_of = {p.id: norm_skills(p.skills) for p in program.people if is_active(p, on)}
    out: list[CentreCoverage] = []
    for centre in program.centres:
        ids = list(dict.fromkeys([*([centre.lead] if centre.lead else []), *centre.members]))
        members = tuple(pid for pid in ids if pid in skills_of)
        keys = tuple(dict.fromkeys(norm_skill(k) for k in centre.key_skills))
        holders = {k: tuple(pid for pid in members if k in skills_of[pid]) for k in keys}
        gaps = tuple(k for k in keys if not holders[k])
        single = tuple(k for k in keys if len(holders[k]) == 1)
        inside = set(members)
        candidates = {
            k: tuple(pid for pid in skills_of if pid not in inside and k in skills_of[pid])
            for k in gaps
        }
        out.append(
            CentreCoverage(
                id=centre.id,
                name=centre.name,
                domain=centre.domain,
                lead=centre.lead if centre.lead in people else None,
                members=members,
                key_skills=keys,
                holders=holders,
                gaps=gaps,
                single_holder=single,
                candidates=candidates,
            )
        )
    return tuple(out)


def centre_findings(coverage: tuple[CentreCoverage, ...]) -> list[Finding]:
    """ORG022 for each centre with a key skill none of its active members holds."""
    out: list[Finding] = []
    for c in coverage:
        if not c.gaps:
            continue
        who = "; ".join(
            f"{skill}: {', '.join(c.candidates[skill][:3]) or 'nobody in the program'}"
            for skill in c.gaps
        )
        out.append(
            finding(
                "ORG022",
                "centre",
                c.id,
                f"centre of excellence '{c.id}' covers {len(c.key_skills) - len(c.gaps)} of "
                f"{len(c.key_skills)} key skills; missing: {', '.join(c.gaps)}",
                round(c.coverage, 4),
                "every key skill held by at least one active member",
                hint=f"recruit a holder into the centre ({who}) or plan training",
                extra={
                    "gaps": list(c.gaps),
                    "candidates": {k: list(v) for k, v in c.candidates.items()},
                },
            )
        )
    return out
