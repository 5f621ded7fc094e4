"""Finding a meeting slot inside everyone's working hours, across time zones.

Each attendee's working week is a mask over the 10,080 minutes of a local week (Monday 00:00
first): their ``working_hours`` on each of the calendar's working days (Monday..). A meeting
that starts at minute ``m`` of an anchor time zone's day ``d`` starts, for an attendee, at
local week-minute ``weekday(d)*1440 + m - offset(anchor, d) + offset(attendee, d)``; it fits
when every minute of it is inside the mask. Offsets are taken at noon of ``d``, so a slot is
checked in the week it starts (a daylight-saving change later may shift it by an hour for
attendees whose zone changes on a different date; scaleplan anchors recurring meetings in the
majority's zone, so the majority never moves).

Attendees are grouped by (time zone, working hours): a 2,000-person all-hands has a handful of
groups, and masks are cached per (anchor, date, group, duration).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scaleplan.analysis.org._common import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    parse_hours,
    utc_offset_minutes,
)
from scaleplan.model import Person

#: Candidate start times are on this grid (minutes).
STEP_MINUTES = 15

GroupKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Slot:
    """The chosen option (index into the options given), start minute in the anchor zone, and
    the attendees for whom the slot is outside working hours."""

    option: int
    minute: int
    outside: tuple[str, ...]


class SlotFinder:
    """Pick meeting slots for a program whose people work ``working_days`` days a week."""

    def __init__(self, working_days: int = 5) -> None:
        self.working_days = working_days
        self._cum: dict[GroupKey, np.ndarray] = {}
        self._fits: dict[tuple[str, dt.date, GroupKey, int], np.ndarray] = {}
        self.candidates = np.arange(0, MINUTES_PER_DAY, STEP_MINUTES, dtype=np.int64)

    def _cumulative(self, key: GroupKey) -> np.ndarray:
        cum = self._cum.get(key)
        if cum is None:
            start, end = parse_hours(key[1])
            mask = np.zeros(MINUTES_PER_WEEK, dtype=np.int64)
            for day in range(min(self.working_days, 7)):
                lo = day * MINUTES_PER_DAY + start
                hi = day * MINUTES_PER_DAY + end
                idx = np.arange(lo, hi) % MINUTES_PER_WEEK
                mask[idx] = 1
            tiled = np.concatenate([mask, mask])
            cum = np.concatenate([[0], np.cumsum(tiled)])
            self._cum[key] = cum
        return cum

    def fits(self, anchor: str, day: dt.date, key: GroupKey, duration: int) -> np.ndarray:
        """Bool per candidate start minute (anchor zone, on ``day``): inside ``key``'s hours."""
        cache_key = (anchor, day, key, duration)
        out = self._fits.get(cache_key)
        if out is None:
            cum = self._cumulative(key)
            shift = utc_offset_minutes(key[0], day) - utc_offset_minutes(anchor, day)
            x = (day.weekday() * MINUTES_PER_DAY + self.candidates + shift) % MINUTES_PER_WEEK
            out = (cum[x + duration] - cum[x]) == duration
            self._fits[cache_key] = out
        return out

    def pick(
        self,
        people: Sequence[Person],
        anchor: str,
        options: Sequence[Sequence[dt.date]],
        duration: int,
        preferred_minute: int,
    ) -> Slot:
        """Best slot over ``options`` (each a list of dates the meeting occurs on in its first
        week; all must fit): most attendees inside their hours, then the earliest option, then
        the start nearest ``preferred_minute``, then the earlier start."""
        groups = group_people(people)
        valid = self.candidates + duration <= MINUTES_PER_DAY
        best: tuple[int, int, int, int] | None = None
        best_slot = (0, preferred_minute)
        for o, dates in enumerate(options):
            covered = np.zeros(len(self.candidates), dtype=np.int64)
            for key, members in groups.items():
                ok = np.ones(len(self.candidates), dtype=bool)
                for day in dates:
                    ok &= self.fits(anchor, day, key, duration)
                covered += ok * len(members)
            covered = np.where(valid, covered, -1)
            top = int(covered.max())
            at = np.flatnonzero(covered == top)
            distance = np.abs(self.candidates[at] - preferred_minute)
            pos = int(np.lexsort((self.candidates[at], distance))[0])
            minute = int(self.candidates[at][pos])
            score = (-top, o, int(distance[pos]), minute)
            if best is None or score < best:
                best = score
                best_slot = (o, minute)
        return self.check(
            people, anchor, options[best_slot[0]], duration, best_slot[1], best_slot[0]
        )

    def check(
        self,
        people: Sequence[Person],
        anchor: str,
        dates: Sequence[dt.date],
        duration: int,
        minute: int,
        option: int = 0,
    ) -> Slot:
        """The attendees for whom a fixed slot is outside working hours."""
        outside: list[str] = []
        if minute + duration > MINUTES_PER_DAY:
            return Slot(option, minute, tuple(p.id for p in people))
        index = minute // STEP_MINUTES
        aligned = minute % STEP_MINUTES == 0
        for key, members in group_people(people).items():
            if aligned:
                ok = all(bool(self.fits(anchor, d, key, duration)[index]) for d in dates)
            else:
                ok = all(self._fits_exact(anchor, d, key, duration, minute) for d in dates)
            if not ok:
                outside.extend(p.id for p in members)
        return Slot(option, minute, tuple(outside))

    def _fits_exact(
        self, anchor: str, day: dt.date, key: GroupKey, duration: int, minute: int
    ) -> bool:
        cum = self._cumulative(key)
        shift = utc_offset_minutes(key[0], day) - utc_offset_minutes(anchor, day)
        x = (day.weekday() * MINUTES_PER_DAY + minute + shift) % MINUTES_PER_WEEK
        return bool(cum[x + duration] - cum[x] == duration)


def group_people(people: Sequence[Person]) -> dict[GroupKey, list[Person]]:
    groups: dict[GroupKey, list[Person]] = {}
    for person in people:
        groups.setdefault((person.timezone, person.working_hours), []).append(person)
    return groups
