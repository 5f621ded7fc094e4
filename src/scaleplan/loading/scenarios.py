"""What-if scenarios: YAML overlays applied to the program document and re-validated.

The plans before and after are compared by :mod:`scaleplan.planning.scenarios`.

A scenario file::

    name: Two more engineers in payments from May
    changes:
      - add_people: {team: payments, count: 2, from: 2027-05-03}   # fte: 1.0, until: DATE
      - remove_person: {person: sara-koch, from: 2027-06-01}          # a leaver
      - drop_initiative: recommendations                              # or {initiative: id}
      - drop_item: rec-ab-test
      - move_deadline: {item: pci-saq, to: 2027-05-31, kind: soft}    # or initiative: id
      - change_capacity: {team: search, from: 2027-07-01, to: 2027-08-31, available: 0.5}
      - set_capacity: {team: enablement, capacity: 3.0}               # person-weeks per week
      - set_effort: {item: cat-read-api, effort: 20}

Each change edits the document of :meth:`Program.to_document`; the result goes through
:func:`scaleplan.program_from_document`, so a scenario that breaks the program is reported
with the loader's diagnostics (an :class:`~scaleplan.errors.InputError`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from scaleplan.errors import InputError
from scaleplan.model import Program
from scaleplan.model.scenario import Scenario


def load_scenario(path: Path) -> Scenario:
    """Read and check a scenario file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read scenario ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    return parse_scenario(data, str(path))


def parse_scenario(data: Any, source: str = "<scenario>") -> Scenario:
    """Check the shape of a scenario document (see the module docstring)."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: a scenario is a mapping with 'name' and 'changes'")
    unknown = set(data) - {"name", "changes", "description"}
    if unknown:
        raise InputError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}")
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise InputError(f"{source}: 'changes' must be a non-empty list")
    out = []
    for k, change in enumerate(changes):
        where = f"{source}: changes[{k}]"
        if not isinstance(change, dict) or len(change) != 1:
            raise InputError(f"{where}: each change is a mapping with one key, e.g. drop_item: ID")
        ((kind, value),) = change.items()
        if kind not in _APPLIERS:
            raise InputError(
                f"{where}: unknown change '{kind}' (known: {', '.join(sorted(_APPLIERS))})"
            )
        out.append({kind: value})
    return Scenario(str(data.get("name") or Path(source).stem), tuple(out), source)


def apply_scenario(program: Program, scenario: Scenario) -> Program:
    """The program with the scenario's changes, validated again."""
    from scaleplan.loading import program_from_document

    doc = copy.deepcopy(program.to_document())
    for k, change in enumerate(scenario.changes):
        ((kind, value),) = change.items()
        where = f"{scenario.source}: changes[{k}] ({kind})"
        try:
            _APPLIERS[kind](doc, value)
        except _ChangeError as exc:
            raise InputError(f"{where}: {exc}") from None
    result = program_from_document(doc, name=scenario.source)
    if result.program is None:
        problems = "; ".join(d.format() for d in result.errors[:5])
        raise InputError(f"{scenario.source}: the scenario makes the program invalid: {problems}")
    return result.program


class _ChangeError(Exception):
    pass


def _need(value: Any, *keys: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _ChangeError(f"expected a mapping with {', '.join(keys)}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise _ChangeError(f"missing {', '.join(missing)}")
    return value


def _date(value: Any, name: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _ChangeError(f"'{name}' must be a date YYYY-MM-DD, got {value!r}") from None


def _find(doc: dict[str, Any], section: str, ident: str, noun: str) -> dict[str, Any]:
    for entry in doc.get(section, []):
        if entry.get("id") == ident:
            return entry
    from scaleplan.loading.diagnostics import did_you_mean

    hint = did_you_mean(ident, [e.get("id") for e in doc.get(section, [])])
    raise _ChangeError(f"unknown {noun} '{ident}'" + (f"; {hint}" if hint else ""))


def _add_people(doc: dict[str, Any], value: Any) -> None:
    spec = _need(value, "team", "count")
    team = _find(doc, "teams", str(spec["team"]), "team")
    if team.get("capacity") is not None:
        raise _ChangeError(f"team {team['id']} has an explicit capacity; use set_capacity instead")
    count = spec["count"]
    if not isinstance(count, int) or count < 1:
        raise _ChangeError("'count' must be a whole number >= 1")
    start = _date(spec.get("from", doc["calendar"]["start"]), "from")
    fte = float(spec.get("fte", 1.0))
    existing = {p.get("id") for p in doc.get("people", [])}
    for k in range(1, count + 1):
        ident = f"{team['id']}-scenario-hire-{k}"
        while ident in existing:
            ident += "x"
        existing.add(ident)
        person: dict[str, Any] = {
            "id": ident,
            "name": f"Scenario hire {k} ({team['id']})",
            "team": team["id"],
            "start_date": start,
            "fte": fte,
        }
        if "until" in spec:
            person["end_date"] = _date(spec["until"], "until")
        doc.setdefault("people", []).append(person)


def _remove_person(doc: dict[str, Any], value: Any) -> None:
    spec = _need(value, "person")
    person = _find(doc, "people", str(spec["person"]), "person")
    when = dt.date.fromisoformat(_date(spec.get("from", doc["calendar"]["start"]), "from"))
    last = when - dt.timedelta(days=1)
    person["end_date"] = last.isoformat()
    start = person.get("start_date")
    if start is not None and dt.date.fromisoformat(str(start)) > last:
        person["start_date"] = last.isoformat()


def _id_of(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    return str(_need(value, key)[key])


def _drop_initiative(doc: dict[str, Any], value: Any) -> None:
    _find(doc, "initiatives", _id_of(value, "initiative"), "initiative")["status"] = "cancelled"


def _drop_item(doc: dict[str, Any], value: Any) -> None:
    _find(doc, "work_items", _id_of(value, "item"), "work item")["status"] = "cancelled"


def _move_deadline(doc: dict[str, Any], value: Any) -> None:
    spec = _need(value, "to")
    when = _date(spec["to"], "to")
    if "item" in spec:
        item = _find(doc, "work_items", str(spec["item"]), "work item")
        item["deadline"] = when
        if "kind" in spec:
            if spec["kind"] not in ("hard", "soft"):
                raise _ChangeError("'kind' must be hard or soft")
            item["deadline_kind"] = spec["kind"]
    elif "initiative" in spec:
        _find(doc, "initiatives", str(spec["initiative"]), "initiative")["deadline"] = when
    else:
        raise _ChangeError("give 'item' or 'initiative'")


def _change_capacity(doc: dict[str, Any], value: Any) -> None:
    spec = _need(value, "team", "from", "to")
    _find(doc, "teams", str(spec["team"]), "team")
    available = float(spec.get("available", 0.0))
    if not 0.0 <= available <= 1.0:
        raise _ChangeError("'available' is a share between 0 and 1")
    doc.setdefault("capacity_exceptions", []).append(
        {
            "team": spec["team"],
            "start": _date(spec["from"], "from"),
            "end": _date(spec["to"], "to"),
            "available": available,
            "reason": spec.get("reason", "scenario"),
        }
    )


def _set_capacity(doc: dict[str, Any], value: Any) -> None:
    spec = _need(value, "team", "capacity")
    _find(doc, "teams", str(spec["team"]), "team")["capacity"] = float(spec["capacity"])


def _set_effort(doc: dict[str, Any], value: Any) -> None:
    spec = _need(value, "item", "effort")
    item = _find(doc, "work_items", str(spec["item"]), "work item")
    item.pop("points", None)
    item.pop("low", None)
    item.pop("high", None)
    item["effort"] = float(spec["effort"])


_APPLIERS: dict[str, Callable[[dict[str, Any], Any], None]] = {
    "add_people": _add_people,
    "remove_person": _remove_person,
    "drop_initiative": _drop_initiative,
    "drop_item": _drop_item,
    "move_deadline": _move_deadline,
    "change_capacity": _change_capacity,
    "set_capacity": _set_capacity,
    "set_effort": _set_effort,
}


__all__ = ["Scenario", "apply_scenario", "load_scenario", "parse_scenario"]
