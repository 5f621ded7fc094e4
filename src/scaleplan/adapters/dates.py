"""Parse the date formats trackers export: ISO 8601 with any offset, Jira's locale formats
(``14/Jul/25 3:42 PM``, ``14/Jul/2025 15:42``), ``2025-07-14 15:42:07``, dates alone.

Everything comes back as a naive datetime in UTC; a value without an offset is taken as UTC.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_MONTHS.update({"sept": 9, "june": 6, "july": 7})

# 14/Jul/25 3:42 PM, 14/Jul/2025 15:42, 14-Jul-2025 3:42:07 pm, 14/Jul/25
_JIRA = re.compile(
    r"^(?P<d>\d{1,2})[/\- ](?P<mon>[A-Za-z]{3,5})[/\- ](?P<y>\d{2}|\d{4})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?)?$"
)
# 14.07.2025 15:42 (German-style exports)
_DOTTED = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2}))?$"
)
# Jira REST: 2014-01-06T06:22:58.354+0000 (offset without a colon)
_OFFSET = re.compile(r"([+-])(\d{2})(\d{2})$")


class DateError(ValueError):
    """A value that is not a date in any supported format."""


def parse_datetime(value: str | None) -> dt.datetime | None:
    """Parse ``value``; empty, ``NULL``, ``null`` and ``None`` give ``None``.

    >>> parse_datetime("14/Jul/25 3:42 PM")
    datetime.datetime(2025, 7, 14, 15, 42)
    >>> parse_datetime("2014-01-06T06:22:58.354+0100")
    datetime.datetime(2014, 1, 6, 5, 22, 58, 354000)
    """
    if value is None:
        return None
    text = value.strip()
    if not text or text.lower() in {"null", "none", "nan", "-", "n/a"}:
        return None
    iso = _iso(text)
    if iso is not None:
        return iso
    match = _JIRA.match(text)
    if match:
        return _from_jira(match, text)
    match = _DOTTED.match(text)
    if match:
        return dt.datetime(
            int(match["y"]),
            int(match["m"]),
            int(match["d"]),
            int(match["H"] or 0),
            int(match["M"] or 0),
        )
    raise DateError(f"not a date: {value!r}")


def parse_date(value: str | None) -> dt.date | None:
    moment = parse_datetime(value)
    return moment.date() if moment is not None else None


def _iso(text: str) -> dt.datetime | None:
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    candidate = _OFFSET.sub(r"\1\2:\3", candidate) if "T" in candidate else candidate
    try:
        moment = dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _from_jira(match: re.Match[str], text: str) -> dt.datetime:
    month = _MONTHS.get(match["mon"].lower())
    if month is None:
        raise DateError(f"unknown month {match['mon']!r} in {text!r}")
    year = int(match["y"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    hour = int(match["H"] or 0)
    minute = int(match["M"] or 0)
    second = int(match["S"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise DateError(f"hour {hour} with {ampm.upper()} in {text!r}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return dt.datetime(year, month, int(match["d"]), hour, minute, second)
    except ValueError as exc:
        raise DateError(f"{exc} in {text!r}") from None


__all__ = ["DateError", "parse_date", "parse_datetime"]
