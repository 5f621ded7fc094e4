"""Org diagnostics: the org model checked against the field's rules of thumb.

:func:`diagnose` runs every check (ORG001-ORG026, see :mod:`scaleplan.analysis.org.codes` and
``docs/org.md``) and returns an :class:`OrgReport` with the findings, per-team figures and the
centres-of-excellence coverage. Thresholds come from ``settings.org`` in ``program.yaml``.
Head counts are of people active on ``as_of`` (started, not yet left): pass a future date to
check the org as planned then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scaleplan.analysis.capacity import next_increment
from scaleplan.analysis.org._common import Finding, is_active, resolve_as_of
from scaleplan.analysis.org.cadences import CadencePlan, plan_cadences
from scaleplan.analysis.org.centres import CentreCoverage, centre_coverage, centre_findings
from scaleplan.analysis.org.congruence import CongruenceReport, congruence
from scaleplan.analysis.org.escalation import escalation_findings, escalation_paths
from scaleplan.analysis.org.figures import TeamFigures, team_figures
from scaleplan.analysis.org.load import overload_findings, team_loads, tech_debt_findings
from scaleplan.analysis.org.onboarding import onboarding_findings
from scaleplan.analysis.org.structure import (
    membership_findings,
    service_findings,
    span_findings,
    team_size_findings,
    topology_findings,
    unit_findings,
)
from scaleplan.errors import UsageError
from scaleplan.model import Increment, Program

SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass(frozen=True)
class OrgReport:
    """Findings (errors first), team figures, centres coverage, and what was checked."""

    as_of: dt.date
    increment: str | None
    findings: tuple[Finding, ...]
    teams: tuple[TeamFigures, ...]
    centres: tuple[CentreCoverage, ...]
    congruence: CongruenceReport | None
    people: int

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def by_code(self, code: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.code == code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "increment": self.increment,
            "people": self.people,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
            "teams": [t.to_dict() for t in self.teams],
            "centres": [c.to_dict() for c in self.centres],
            "congruence": None
            if self.congruence is None
            else {
                "ratio": round(self.congruence.ratio, 4),
                "required_pairs": len(self.congruence.pairs),
                "gaps": len(self.congruence.gaps),
            },
        }


def diagnose(
    program: Program,
    *,
    as_of: dt.date | None = None,
    increment: str | None = None,
    plan: CadencePlan | None = None,
    include_cadences: bool = True,
    include_congruence: bool = True,
) -> OrgReport:
    """Run every org check on ``program`` as of ``as_of`` (default today).

    ``increment`` (default: the one in progress at ``as_of``, or the next) is where planned
    load is measured for ORG017. ``plan`` reuses a cadence plan; ``include_cadences`` and
    ``include_congruence`` switch off ORG023/ORG024 and ORG025.

    >>> report = diagnose(program, as_of=dt.date(2027, 1, 4))  # doctest: +SKIP
    >>> [(f.code, f.unit) for f in report.errors]  # doctest: +SKIP
    [('ORG002', 'search')]
    """
    on = resolve_as_of(as_of)
    t = program.settings.org
    inc = _increment(program, increment, on)
    findings: list[Finding] = []
    loads = team_loads(program, inc) if inc is not None else {}
    figures = team_figures(program, on, t, loads)
    findings += team_size_findings(figures, t)
    findings += span_findings(program, on, t)
    findings += unit_findings(program, on, t, figures)
    findings += membership_findings(program, on)
    findings += topology_findings(program, on, t, figures)
    findings += service_findings(program, figures)
    if inc is not None:
        findings += overload_findings(program, inc, loads)
    findings += tech_debt_findings(program, t)
    findings += onboarding_findings(program, on, t, figures)
    findings += escalation_findings(escalation_paths(program, as_of=on))
    centres = centre_coverage(program, as_of=on)
    findings += centre_findings(centres)
    report_cr = None
    if include_cadences or include_congruence:
        plan = plan if plan is not None else plan_cadences(program, as_of=on)
        if include_cadences:
            findings += plan.findings
        if include_congruence:
            report_cr = congruence(program, plan=plan, as_of=on)
            findings += report_cr.findings()
    ignored = set(program.settings.ignore)
    kept = [f for f in findings if not (f.severity == "warning" and f.code in ignored)]
    kept.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.code))
    return OrgReport(
        as_of=on,
        increment=inc.id if inc is not None else None,
        findings=tuple(kept),
        teams=tuple(figures.values()),
        centres=centres,
        congruence=report_cr,
        people=sum(1 for p in program.people if is_active(p, on)),
    )


# -- helpers --------------------------------------------------------------------------------


def _increment(program: Program, wanted: str | None, on: dt.date) -> Increment | None:
    if wanted is not None:
        for inc in program.calendar.increments:
            if inc.id == wanted:
                return inc
        known = ", ".join(i.id for i in program.calendar.increments) or "none"
        raise UsageError(f"unknown increment '{wanted}' (known: {known})")
    return next_increment(program, on)
