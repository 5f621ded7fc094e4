"""Mentorship matching as an optimal assignment.

Mentees: active people at or below ``settings.org.mentee_max_level`` or hired within
``new_hire_weeks``, who have no declared mentor and no mentoring capacity themselves.
Mentors: active people with ``mentoring_capacity`` > 0; declared pairs (``Person.mentor``)
use up capacity first.

A pair (mentor ``m``, mentee ``e``) is allowed when ``level(m) - level(e) >=
mentor_min_level_gap``, their working hours overlap at least ``mentor_min_overlap_hours`` a day
and, if ``mentor_outside_manager_chain``, ``m`` is not above ``e`` in the management chain
and they do not share a direct manager. Its score (integer, 0..3000 with unit weights) is::

    gap   = 1000 x max(0, 1 - |gap - ideal| / 4)          ideal = min gap + 1
    skill = 1000 x |skills(m) ∩ skills(e)| / |skills(e)|   (0 when e lists none)
    tz    = 1000 x min(1, overlap hours / 8)
    score = w_gap x gap + w_skill x skill + w_tz x tz

The matching maximises the number of mentees matched, then the total score: mentor ``m``
becomes ``capacity`` slots (at most ``mentor_max_new_hires`` of them may take new hires), each
mentee gets a "no mentor" column, and :func:`scipy.optimize.linear_sum_assignment` solves the
rectangular assignment with score ``B + score`` (``B`` = 1 + mentees x max score) for a real
pair, 0 for no mentor, and a prohibitive negative for a disallowed pair. Tests check the
optimum against brute force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from scaleplan.analysis.org._common import (
    MINUTES_PER_DAY,
    daily_overlap_minutes,
    is_active,
    is_new_hire,
    manager_chain,
    norm_skills,
    resolve_as_of,
    working_window_utc,
)
from scaleplan.errors import UsageError
from scaleplan.model import Person, Program

FORBIDDEN = -1e15


@dataclass(frozen=True, slots=True)
class Weights:
    gap: int = 1
    skill: int = 1
    tz: int = 1


@dataclass(frozen=True, slots=True)
class PairScore:
    """Why a pair scores what it scores (or why it is not allowed)."""

    allowed: bool
    score: int
    gap: int
    shared_skills: tuple[str, ...]
    overlap_hours: float
    blocker: str | None = None

    def reason(self) -> str:
        skills = ", ".join(self.shared_skills) if self.shared_skills else "none"
        return (
            f"level gap {self.gap}; shared skills: {skills}; "
            f"{self.overlap_hours:g} h/day working-hours overlap"
        )


@dataclass(frozen=True, slots=True)
class MentorPair:
    mentor: str
    mentee: str
    score: int
    reason: str
    declared: bool
    new_hire: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentor": self.mentor,
            "mentee": self.mentee,
            "score": self.score,
            "reason": self.reason,
            "declared": self.declared,
            "new_hire": self.new_hire,
        }


@dataclass(frozen=True, slots=True)
class Unmatched:
    mentee: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"mentee": self.mentee, "reason": self.reason}


@dataclass(frozen=True)
class MentorshipResult:
    """Pairs (declared first, then matched), the unmatched with a reason, and the optimum."""

    as_of: dt.date
    pairs: tuple[MentorPair, ...]
    unmatched: tuple[Unmatched, ...]
    matched: int
    total_score: int
    #: Mentor -> (used, capacity).
    mentor_load: dict[str, tuple[int, int]]

    @property
    def new_pairs(self) -> tuple[MentorPair, ...]:
        return tuple(p for p in self.pairs if not p.declared)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "matched": self.matched,
            "total_score": self.total_score,
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "mentors": {
                m: {"used": used, "capacity": cap} for m, (used, cap) in self.mentor_load.items()
            },
        }


def pair_score(
    program: Program,
    mentor: Person,
    mentee: Person,
    *,
    on: dt.date,
    weights: Weights = Weights(),
) -> PairScore:
    """Score of mentor ``mentor`` for ``mentee``, or why the pair is not allowed."""
    t = program.settings.org
    gap = mentor.level - mentee.level
    shared = tuple(sorted(norm_skills(mentor.skills) & norm_skills(mentee.skills)))
    overlap = daily_overlap_minutes(mentor, mentee, on) / 60
    blocker = None
    if mentor.id == mentee.id:
        blocker = "same person"
    elif gap < t.mentor_min_level_gap:
        blocker = f"level gap {gap} < {t.mentor_min_level_gap}"
    elif overlap < t.mentor_min_overlap_hours:
        blocker = f"working hours overlap {overlap:g} h < {t.mentor_min_overlap_hours:g} h"
    elif t.mentor_outside_manager_chain:
        if mentor.id in manager_chain(program, mentee.id):
            blocker = "mentor is in the mentee's management chain"
        elif mentee.manager is not None and mentor.manager == mentee.manager:
            blocker = "mentor and mentee report to the same manager"
    ideal = t.mentor_min_level_gap + 1
    gap_part = round(1000 * max(0.0, 1 - abs(gap - ideal) / 4))
    mentee_skills = norm_skills(mentee.skills)
    skill_part = round(1000 * len(shared) / len(mentee_skills)) if mentee_skills else 0
    tz_part = round(1000 * min(1.0, overlap / 8))
    score = weights.gap * gap_part + weights.skill * skill_part + weights.tz * tz_part
    return PairScore(blocker is None, score, gap, shared, round(overlap, 2), blocker)


def mentees_of(program: Program, on: dt.date) -> list[Person]:
    """People who look for a mentor (see module docs)."""
    t = program.settings.org
    return [
        p
        for p in program.people
        if is_active(p, on)
        and p.mentor is None
        and p.mentoring_capacity == 0
        and (p.level <= t.mentee_max_level or is_new_hire(p, on, t.new_hire_weeks))
    ]


def match_mentors(
    program: Program,
    *,
    as_of: dt.date | None = None,
    mentees: list[str] | None = None,
    weights: Weights = Weights(),
) -> MentorshipResult:
    """Match mentees to mentors optimally (see module docs); ``mentees`` overrides who looks.

    >>> result = match_mentors(program, as_of=dt.date(2027, 1, 4))  # doctest: +SKIP
    >>> result.new_pairs[0].reason  # doctest: +SKIP
    'level gap 3; shared skills: python; 8 h/day working-hours overlap'
    """
    from scipy.optimize import linear_sum_assignment

    on = resolve_as_of(as_of)
    t = program.settings.org
    people = program.people_by_id
    if mentees is None:
        looking = mentees_of(program, on)
    else:
        unknown = [m for m in mentees if m not in people]
        if unknown:
            raise UsageError(f"unknown mentee(s): {', '.join(unknown)}")
        looking = [people[m] for m in dict.fromkeys(mentees)]
    mentors = [p for p in program.people if is_active(p, on) and p.mentoring_capacity > 0]

    declared: list[MentorPair] = []
    used: dict[str, int] = {m.id: 0 for m in mentors}
    used_new: dict[str, int] = {m.id: 0 for m in mentors}
    for person in program.people:
        if person.mentor is None or not is_active(person, on) or person.mentor not in people:
            continue
        mentor = people[person.mentor]
        new = is_new_hire(person, on, t.new_hire_weeks)
        ps = pair_score(program, mentor, person, on=on, weights=weights)
        declared.append(
            MentorPair(mentor.id, person.id, ps.score, "declared; " + ps.reason(), True, new)
        )
        if mentor.id in used:
            used[mentor.id] += 1
            used_new[mentor.id] += int(new)
    looking = [p for p in looking if p.id not in {d.mentee for d in declared}]

    # mentor slots: the first `k` may take new hires, the rest only other mentees
    slots: list[tuple[Person, bool]] = []
    for mentor in mentors:
        free = max(0, mentor.mentoring_capacity - used[mentor.id])
        new_ok = max(0, min(free, t.mentor_max_new_hires - used_new[mentor.id]))
        slots.extend([(mentor, True)] * new_ok + [(mentor, False)] * (free - new_ok))

    new_hire = {e.id: is_new_hire(e, on, t.new_hire_weeks) for e in looking}
    score, allowed = score_matrix(program, mentors, looking, on=on, weights=weights)
    best = 1000 * (weights.gap + weights.skill + weights.tz)
    bonus = 1.0 + len(looking) * best
    slot_mentor = np.array([mentors.index(m) for m, _ in slots], dtype=np.int64)
    slot_new = np.array([takes_new for _, takes_new in slots], dtype=bool)
    matrix = np.full((len(looking), len(slots) + len(looking)), FORBIDDEN)
    matrix[:, len(slots) :] = 0.0
    if slots:
        is_new = np.array([new_hire[e.id] for e in looking], dtype=bool)
        ok = allowed[:, slot_mentor] & (slot_new[None, :] | ~is_new[:, None])
        matrix[:, : len(slots)] = np.where(ok, bonus + score[:, slot_mentor], FORBIDDEN)
    rows, cols = linear_sum_assignment(matrix, maximize=True) if looking else ([], [])

    pairs = list(declared)
    unmatched: list[Unmatched] = []
    chosen: dict[str, str] = {}
    for i, j in zip(rows, cols, strict=True):
        if j < len(slots) and matrix[i, j] > 0:
            chosen[looking[i].id] = slots[j][0].id
    total = 0
    for e in looking:
        if e.id in chosen:
            m = chosen[e.id]
            ps = pair_score(program, people[m], e, on=on, weights=weights)
            total += ps.score
            used[m] += 1
            used_new[m] += int(new_hire[e.id])
            pairs.append(MentorPair(m, e.id, ps.score, ps.reason(), False, new_hire[e.id]))
    for e in looking:
        if e.id not in chosen:
            why = _why_unmatched(program, e, mentors, used, used_new, new_hire[e.id], on, weights)
            unmatched.append(Unmatched(e.id, why))
    load = {m.id: (used[m.id], m.mentoring_capacity) for m in mentors}
    return MentorshipResult(on, tuple(pairs), tuple(unmatched), len(chosen), total, load)


def score_matrix(
    program: Program,
    mentors: list[Person],
    mentees: list[Person],
    *,
    on: dt.date,
    weights: Weights = Weights(),
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and allowed-masks (mentees x mentors), vectorised; equal to :func:`pair_score`."""
    t = program.settings.org
    n_e, n_m = len(mentees), len(mentors)
    if n_e == 0 or n_m == 0:
        return np.zeros((n_e, n_m)), np.zeros((n_e, n_m), dtype=bool)
    vocab: dict[str, int] = {}
    skill_sets = {p.id: norm_skills(p.skills) for p in [*mentors, *mentees]}
    for skills in skill_sets.values():
        for skill in skills:
            vocab.setdefault(skill, len(vocab))

    def skill_matrix(group: list[Person]) -> np.ndarray:
        m = np.zeros((len(group), max(len(vocab), 1)))
        for i, p in enumerate(group):
            for skill in skill_sets[p.id]:
                m[i, vocab[skill]] = 1.0
        return m

    shared = np.rint(skill_matrix(mentees) @ skill_matrix(mentors).T)
    own = np.array([len(skill_sets[e.id]) for e in mentees], dtype=float)
    skill_part = np.where(own[:, None] > 0, np.rint(1000 * shared / np.maximum(own, 1)[:, None]), 0)
    gap = (
        np.array([m.level for m in mentors])[None, :]
        - np.array([e.level for e in mentees])[:, None]
    )
    ideal = t.mentor_min_level_gap + 1
    gap_part = np.rint(1000 * np.maximum(0.0, 1 - np.abs(gap - ideal) / 4))
    win_m = np.array([working_window_utc(m, on) for m in mentors], dtype=float)
    win_e = np.array([working_window_utc(e, on) for e in mentees], dtype=float)
    overlap = np.zeros((n_e, n_m))
    for shift in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        hi = np.minimum(win_e[:, 1:2], win_m[None, :, 1] + shift)
        lo = np.maximum(win_e[:, 0:1], win_m[None, :, 0] + shift)
        overlap = np.maximum(overlap, hi - lo)
    tz_part = np.rint(1000 * np.minimum(1.0, (overlap / 60) / 8))
    score = weights.gap * gap_part + weights.skill * skill_part + weights.tz * tz_part
    allowed = (gap >= t.mentor_min_level_gap) & (overlap / 60 >= t.mentor_min_overlap_hours)
    ids = np.array([m.id for m in mentors], dtype=object)
    allowed &= ids[None, :] != np.array([e.id for e in mentees], dtype=object)[:, None]
    if t.mentor_outside_manager_chain:
        index = {m.id: k for k, m in enumerate(mentors)}
        managers = np.array([m.manager or "" for m in mentors], dtype=object)
        for i, e in enumerate(mentees):
            for boss in manager_chain(program, e.id):
                if boss in index:
                    allowed[i, index[boss]] = False
            if e.manager is not None:
                allowed[i] &= managers != e.manager
    return score, allowed


def _why_unmatched(
    program: Program,
    mentee: Person,
    mentors: list[Person],
    used: dict[str, int],
    used_new: dict[str, int],
    new: bool,
    on: dt.date,
    weights: Weights,
) -> str:
    if not mentors:
        return "nobody has mentoring_capacity > 0"
    scores = {m.id: pair_score(program, m, mentee, on=on, weights=weights) for m in mentors}
    allowed = [m for m in mentors if scores[m.id].allowed]
    if not allowed:
        blockers: dict[str, int] = {}
        for m in mentors:
            kind = _blocker_kind(scores[m.id].blocker or "")
            blockers[kind] = blockers.get(kind, 0) + 1
        summary = ", ".join(
            f"{kind} ({n})" for kind, n in sorted(blockers.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        return f"no allowed mentor among {len(mentors)}: {summary}"
    limit = program.settings.org.mentor_max_new_hires
    names = ", ".join(m.id for m in allowed[:5])
    room = [m for m in allowed if used[m.id] < m.mentoring_capacity]
    if new and room and all(used_new[m.id] >= limit for m in room):
        return (
            f"allowed mentors with room ({', '.join(m.id for m in room[:5])}) already have "
            f"{limit} new hires each (settings.org.mentor_max_new_hires)"
        )
    return (
        f"{len(allowed)} allowed mentor(s) ({names}) are at capacity with pairs that let more "
        "mentees be matched or score higher"
    )


def _blocker_kind(text: str) -> str:
    for kind in ("level gap", "working hours overlap", "management chain", "same manager"):
        if kind in text:
            return kind
    return text or "other"
