"""Status digests: the weekly "what changed" and the RAG summary as text short enough to paste
into a channel — plain text, Markdown, or Slack mrkdwn.

Every list is cut at ``limit`` entries with "and N more", so a digest stays readable whatever
the size of the program. The numbers come from :mod:`scaleplan.analysis.status`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from scaleplan.analysis.status import RagReport, StatusReport

Style = Literal["text", "md", "slack"]


@dataclass(frozen=True)
class _Fmt:
    bold: Callable[[str], str]
    code: Callable[[str], str]
    bullet: str
    heading: Callable[[str], str]


_STYLES: dict[str, _Fmt] = {
    "text": _Fmt(lambda s: s, lambda s: s, "-", lambda s: f"{s}:"),
    "md": _Fmt(lambda s: f"**{s}**", lambda s: f"`{s}`", "-", lambda s: f"### {s}"),
    "slack": _Fmt(lambda s: f"*{s}*", lambda s: f"`{s}`", "•", lambda s: f"*{s}*"),
}

_ARROW = {"text": "->", "md": "→", "slack": "→"}


def _cut(rows: Sequence[str], limit: int, fmt: _Fmt) -> list[str]:
    out = [f"{fmt.bullet} {r}" for r in rows[:limit]]
    if len(rows) > limit:
        out.append(f"{fmt.bullet} … and {len(rows) - limit} more")
    return out


def _block(title: str, rows: Sequence[str], limit: int, fmt: _Fmt) -> list[str]:
    if not rows:
        return []
    return ["", fmt.heading(title), *_cut(rows, limit, fmt)]


def rag_digest(rag: RagReport, name: str, *, style: Style = "text", limit: int = 5) -> str:
    """Today's RAG: counts, then the red and the amber initiatives with their reason."""
    fmt = _STYLES[style]
    c = rag.counts
    lines = [
        f"{fmt.bold(name)} status as of {rag.as_of.isoformat()}",
        f"RAG {c['green']} green / {c['amber']} amber / {c['red']} red",
    ]
    for colour in ("red", "amber"):
        rows = [
            f"{fmt.code(r.id)} {r.title}: {r.reason}" for r in rag.initiatives if r.rag == colour
        ]
        lines += _block(colour.capitalize(), rows, limit, fmt)
    return "\n".join(lines).strip() + "\n"


def status_digest(report: StatusReport, *, style: Style = "text", limit: int = 5) -> str:
    """What changed since the baseline, then today's red and amber initiatives."""
    fmt = _STYLES[style]
    arrow = _ARROW[style]
    lines = [
        f"{fmt.bold(report.program)} since {report.since} — as of {report.as_of.isoformat()}",
        report.summary,
    ]
    lines += _block(
        "RAG changes",
        [
            f"{fmt.code(c.initiative)} {c.before or 'new'} {arrow} {c.after}: {c.reason}"
            for c in report.rag_changes
        ],
        limit,
        fmt,
    )
    lines += _block(
        "Red",
        [
            f"{fmt.code(r.id)} {r.title}: {r.reason}"
            for r in report.rag.initiatives
            if r.rag == "red"
        ],
        limit,
        fmt,
    )
    dates = []
    for d in report.dates:
        if d.direction in ("slipped", "improved") and d.after is not None:
            days = abs(d.shift_days or 0)
            dates.append(
                f"{fmt.code(d.initiative)} {d.direction} {days} day{'s' * (days != 1)} "
                f"{arrow} {d.after.isoformat()}: {'; '.join(d.reasons)}"
            )
        elif d.direction == "beyond-horizon":
            dates.append(
                f"{fmt.code(d.initiative)} no longer fits the horizon: {'; '.join(d.reasons)}"
            )
    lines += _block("Projected dates", dates, limit, fmt)
    if report.stale:
        days = (report.as_of - report.before_as_of).days
        shown = ", ".join(fmt.code(i) for i in report.stale[:limit])
        more = f" and {len(report.stale) - limit} more" if len(report.stale) > limit else ""
        lines += [
            "",
            f"No progress recorded in {days} day{'s' * (days != 1)} on "
            f"{len(report.stale)} open initiative{'s' * (len(report.stale) != 1)}: {shown}{more}",
        ]
    krs = []
    for k in report.key_results:
        before = "–" if k.grade_before is None else f"{k.grade_before:.2f}"
        after = "–" if k.grade_after is None else f"{k.grade_after:.2f}"
        delta = "" if k.delta is None else f" ({k.delta:+.2f})"
        krs.append(f"{fmt.code(k.id)} {k.title}: grade {before} {arrow} {after}{delta}")
    lines += _block("Key results", krs, limit, fmt)
    risks = []
    for r in report.risks:
        if r.change == "new":
            risks.append(
                f"new {fmt.code(r.id)} {r.title} ({r.after}, exposure {r.exposure_weeks:g} wk)"
            )
        elif r.change == "removed":
            risks.append(f"removed {fmt.code(r.id)} {r.title}")
        else:
            risks.append(f"{fmt.code(r.id)} {r.title}: {', '.join(r.details)}")
    lines += _block("Risks", risks, limit, fmt)
    caps = []
    for c in report.capacity:
        people = f"{c.people_before} {arrow} {c.people_after} people"
        who = []
        if c.joined:
            who.append("+" + ", +".join(c.joined))
        if c.left:
            who.append("-" + ", -".join(c.left))
        caps.append(
            f"{fmt.code(c.team)} {people}{' (' + ' '.join(who) + ')' if who else ''}, "
            f"{c.capacity_before:g} {arrow} {c.capacity_after:g} pw/wk"
        )
    lines += _block("Capacity", caps, limit, fmt)
    for kind, title in (
        ("completed", "Done"),
        ("added", "Added"),
        ("removed", "Removed"),
        ("blocked", "Newly blocked"),
        ("unblocked", "Unblocked"),
        ("reopened", "Reopened"),
    ):
        rows = [f"{fmt.code(c.id)} {c.title} ({c.team})" for c in report.items if c.change == kind]
        lines += _block(f"{title} ({len(rows)})", rows, limit, fmt)
    return "\n".join(lines).strip() + "\n"


__all__ = ["Style", "rag_digest", "status_digest"]
