"""The org diagnostics section: team-size, span and Conway findings."""

from __future__ import annotations

from dataclasses import dataclass

from scaleplan.reports.registry import ReportContext, Unavailable, View, section


@dataclass(frozen=True)
class OrgFinding(View):
    code: str
    severity: str
    title: str
    unit: str
    message: str
    threshold: str
    source: str
    hint: str | None


@dataclass(frozen=True)
class OrgDiagnosticsView(View):
    findings: tuple[OrgFinding, ...]
    total: int
    errors: int
    warnings: int
    congruence: float | None
    missing_pairs: tuple[str, ...]


@section("org_diagnostics", "Org diagnostics", page="teams", order=74, slow=True)
def org_diagnostics(ctx: ReportContext) -> OrgDiagnosticsView:
    """Team sizes, spans of control, team types, cognitive load and other rules of thumb, and
    socio-technical congruence (Conway's law)."""
    try:
        from scaleplan.analysis.org import diagnose
    except ImportError:
        raise Unavailable(
            "needs the org analysis (scaleplan.analysis.org), not in this version"
        ) from None
    from scaleplan.analysis.org import plan_cadences

    program = ctx.program
    plan = ctx.memo("cadences", lambda: plan_cadences(program, as_of=ctx.as_of))
    report = ctx.memo("org", lambda: diagnose(program, as_of=ctx.as_of, plan=plan))
    findings = [
        OrgFinding(
            code=f.code,
            severity=f.severity,
            title=f.title,
            unit=f"{f.unit_kind} {f.unit}",
            message=f.message,
            threshold=f.threshold,
            source=f.source,
            hint=f.hint,
        )
        for f in report.findings
    ]
    cong = report.congruence
    return OrgDiagnosticsView(
        findings=tuple(findings[: ctx.limit]),
        total=len(findings),
        errors=len(report.errors),
        warnings=len(report.warnings),
        congruence=round(cong.ratio, 4) if cong is not None else None,
        missing_pairs=tuple(f"{p.a} ↔ {p.b}" for p in cong.gaps[: ctx.limit]) if cong else (),
    )


__all__ = ["OrgDiagnosticsView", "OrgFinding", "org_diagnostics"]
