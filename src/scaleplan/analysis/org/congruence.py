"""Socio-technical congruence (Cataldo et al., CSCW 2006) at team granularity.

Coordination requirements ``CR = T_A · T_D · T_Aᵀ`` where ``T_A`` is the team x service
ownership matrix and ``T_D`` the service dependency matrix (``T_D[s, s'] = 1`` when ``s``
depends on ``s'``, from ``depends_on`` and from APIs consumed by other services). Teams ``i``
and ``j`` (i != j) must coordinate when ``CR[i, j] + CR[j, i] > 0``.

Actual coordination: a declared interaction between the two teams (either side, any mode), a
shared meeting that is not a broadcast (generated or declared; the program review, PI
planning, TechTalk and declared meetings every team attends do not count), or a guild with active members in both teams.

Congruence = required pairs that have a channel / required pairs (1.0 when nothing is
required). Retired services are left out; dependencies touching an unowned service cannot be
assigned to a team and are counted apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scaleplan.analysis.org._common import Finding, finding, is_active, resolve_as_of
from scaleplan.analysis.org.cadences import CadencePlan, plan_cadences
from scaleplan.model import Lifecycle, Program


@dataclass(frozen=True, slots=True)
class TeamPair:
    """Two teams that must coordinate, why (service dependencies) and how they do (channels)."""

    a: str
    b: str
    #: ``(service, depends on)`` edges that create the requirement.
    dependencies: tuple[tuple[str, str], ...]
    channels: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.channels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "teams": [self.a, self.b],
            "dependencies": [list(d) for d in self.dependencies],
            "channels": list(self.channels),
            "covered": self.covered,
        }


@dataclass(frozen=True)
class CongruenceReport:
    """Required coordination, actual channels and the congruence ratio."""

    teams: tuple[str, ...]
    pairs: tuple[TeamPair, ...]
    ratio: float
    cross_team_dependencies: int
    internal_dependencies: int
    unowned_dependencies: int
    #: Team pairs with at least one channel, required or not.
    channel_pairs: int
    #: The CR matrix (teams x teams, in ``teams`` order).
    cr: np.ndarray = field(repr=False, compare=False)

    @property
    def gaps(self) -> tuple[TeamPair, ...]:
        """Pairs that must coordinate but have no channel."""
        return tuple(p for p in self.pairs if not p.covered)

    def findings(self) -> list[Finding]:
        """ORG025 for each pair that must coordinate but has no channel."""
        out: list[Finding] = []
        for pair in self.gaps:
            deps = ", ".join(f"{s} -> {t}" for s, t in pair.dependencies[:3])
            more = len(pair.dependencies) - 3
            out.append(
                finding(
                    "ORG025",
                    "team-pair",
                    f"{pair.a}+{pair.b}",
                    f"teams '{pair.a}' and '{pair.b}' must coordinate ({deps}"
                    f"{f' and {more} more' if more > 0 else ''}) but share no interaction, "
                    "meeting or guild",
                    len(pair.dependencies),
                    "every required pair has a channel",
                    hint="declare an interaction (e.g. x-as-a-service), add a shared cadence, "
                    "or move the service (scaleplan congruence --suggest)",
                    extra={
                        "teams": [pair.a, pair.b],
                        "dependencies": [list(d) for d in pair.dependencies],
                    },
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "teams": len(self.teams),
            "ratio": round(self.ratio, 4),
            "required_pairs": len(self.pairs),
            "covered_pairs": len(self.pairs) - len(self.gaps),
            "channel_pairs": self.channel_pairs,
            "cross_team_dependencies": self.cross_team_dependencies,
            "internal_dependencies": self.internal_dependencies,
            "unowned_dependencies": self.unowned_dependencies,
            "pairs": [p.to_dict() for p in self.pairs],
            "gaps": [[p.a, p.b] for p in self.gaps],
        }


def service_dependencies(program: Program) -> list[tuple[str, str]]:
    """Directed service dependencies ``(s, s')`` between live services, deduplicated, in
    file order: ``depends_on`` plus service consumers of each API."""
    live = {s.id for s in program.services if s.lifecycle is not Lifecycle.RETIRED}
    edges: dict[tuple[str, str], None] = {}
    for service in program.services:
        if service.id not in live:
            continue
        for dep in service.depends_on:
            if dep in live and dep != service.id:
                edges[(service.id, dep)] = None
        for api in service.apis:
            for consumer in api.consumers:
                if consumer in live and consumer != service.id:
                    edges[(consumer, service.id)] = None
    return list(edges)


def ownership(program: Program) -> dict[str, str | None]:
    """Live service -> owner team (``None`` when unowned or owned by an unknown team)."""
    return {
        s.id: (s.owner if s.owner in program.teams_by_id else None)
        for s in program.services
        if s.lifecycle is not Lifecycle.RETIRED
    }


def coordination_requirements(
    teams: list[str], owners: Mapping[str, str | None], edges: list[tuple[str, str]]
) -> np.ndarray:
    """``CR = T_A · T_D · T_Aᵀ`` (teams x teams): entry ``[i, j]`` counts dependencies from a
    service of team ``i`` onto a service of team ``j``."""
    services = list(owners)
    s_index = {s: k for k, s in enumerate(services)}
    t_index = {t: k for k, t in enumerate(teams)}
    ta = np.zeros((len(teams), len(services)))
    for s, owner in owners.items():
        if owner is not None and owner in t_index:
            ta[t_index[owner], s_index[s]] = 1.0
    td = np.zeros((len(services), len(services)))
    for a, b in edges:
        td[s_index[a], s_index[b]] = 1.0
    cr: np.ndarray = ta @ td @ ta.T
    return np.rint(cr).astype(np.int64)


class Channels:
    """Which team pairs actually coordinate, and through what."""

    def __init__(self, program: Program, plan: CadencePlan, on: dt.date) -> None:
        self.teams = [t.id for t in program.teams]
        index = {t: k for k, t in enumerate(self.teams)}
        self.interactions: dict[frozenset[str], list[str]] = {}
        for team in program.teams:
            for inter in team.interactions:
                if inter.team in index and inter.team != team.id:
                    key = frozenset((team.id, inter.team))
                    label = f"interaction:{inter.mode.value}"
                    if label not in self.interactions.setdefault(key, []):
                        self.interactions[key].append(label)
        self.meetings: dict[str, list[str]] = {t: [] for t in self.teams}
        for meeting in plan.meetings:
            if not meeting.broadcast:
                for t in meeting.teams:
                    self.meetings[t].append(meeting.id)
        self.guilds: dict[str, list[str]] = {t: [] for t in self.teams}
        for guild in program.guilds:
            seen: set[str] = set()
            for tid in self.teams:
                members = program.members_by_team.get(tid, ())
                if any(guild.id in p.guilds and is_active(p, on) for p in members):
                    seen.add(tid)
            for tid in self.teams:
                if tid in seen:
                    self.guilds[tid].append(guild.id)
        self._index = index

    def between(self, a: str, b: str) -> tuple[str, ...]:
        out = list(self.interactions.get(frozenset((a, b)), []))
        shared = set(self.meetings[b])
        out.extend(f"cadence:{m}" for m in self.meetings[a] if m in shared)
        guilds = set(self.guilds[b])
        out.extend(f"guild:{g}" for g in self.guilds[a] if g in guilds)
        return tuple(out)

    def pair_count(self) -> int:
        """Number of team pairs with at least one channel."""
        n = len(self.teams)
        if n == 0:
            return 0
        adj = np.zeros((n, n), dtype=bool)
        for key in self.interactions:
            a, b = tuple(key)
            adj[self._index[a], self._index[b]] = adj[self._index[b], self._index[a]] = True
        for groups in (self.meetings, self.guilds):
            labels = sorted({x for v in groups.values() for x in v})
            if not labels:
                continue
            col = {x: k for k, x in enumerate(labels)}
            m = np.zeros((n, len(labels)))
            for t, xs in groups.items():
                for x in xs:
                    m[self._index[t], col[x]] = 1.0
            adj |= (m @ m.T) > 0
        np.fill_diagonal(adj, False)
        return int(adj.sum() // 2)


def congruence(
    program: Program,
    *,
    plan: CadencePlan | None = None,
    as_of: dt.date | None = None,
    owners: Mapping[str, str | None] | None = None,
    channels: Channels | None = None,
) -> CongruenceReport:
    """Congruence of the org with its architecture.

    ``owners`` replaces the service ownership (used to score a suggested re-assignment);
    ``plan`` and ``channels`` may be passed to reuse a cadence plan already computed.

    >>> report = congruence(program, as_of=dt.date(2027, 1, 4))  # doctest: +SKIP
    >>> round(report.ratio, 2), [(p.a, p.b) for p in report.gaps]  # doctest: +SKIP
    (0.83, [('search', 'payments')])
    """
    on = resolve_as_of(as_of)
    if channels is None:
        channels = Channels(
            program, plan if plan is not None else plan_cadences(program, as_of=on), on
        )
    owner_of = dict(owners) if owners is not None else ownership(program)
    teams = [t.id for t in program.teams]
    edges = service_dependencies(program)
    cr = coordination_requirements(teams, owner_of, edges)
    by_pair: dict[tuple[str, str], list[tuple[str, str]]] = {}
    order = {t: k for k, t in enumerate(teams)}
    cross = internal = unowned = 0
    for s, d in edges:
        a, b = owner_of.get(s), owner_of.get(d)
        if a is None or b is None:
            unowned += 1
        elif a == b:
            internal += 1
        else:
            cross += 1
            key = (a, b) if order[a] < order[b] else (b, a)
            by_pair.setdefault(key, []).append((s, d))
    pairs = tuple(
        TeamPair(a, b, tuple(deps), channels.between(a, b))
        for (a, b), deps in sorted(
            by_pair.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]])
        )
    )
    covered = sum(1 for p in pairs if p.covered)
    ratio = covered / len(pairs) if pairs else 1.0
    return CongruenceReport(
        teams=tuple(teams),
        pairs=pairs,
        ratio=ratio,
        cross_team_dependencies=cross,
        internal_dependencies=internal,
        unowned_dependencies=unowned,
        channel_pairs=channels.pair_count(),
        cr=cr,
    )
