"""Write a generated program document as a program repository (one file or fragments)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from scaleplan.errors import UsageError
from scaleplan.model import LIST_SECTIONS, SINGLE_SECTIONS
from scaleplan.storage.files import write_atomic
from scaleplan.synthetic.program import Document, Layout

_SINGLES = ("program", "calendar", "settings")


def write_program(
    doc: Document,
    directory: str | os.PathLike[str],
    *,
    layout: Layout = "split",
    force: bool = False,
) -> Path:
    """Write ``doc`` as a program repository in ``directory`` and return its path.

    ``layout="single"`` writes one ``program.yaml``; ``"split"`` writes ``program.yaml`` plus
    ``org/``, ``services/``, ``okrs/``, ``initiatives/`` and ``work/`` fragments (one file per
    tribe for people, initiatives and work items). Every file is written to a temporary file
    first and moved into place. An existing non-empty directory is refused unless ``force``;
    with ``force``, program files there that this layout does not write are removed, so the
    directory loads as exactly ``doc``.
    """
    if layout not in ("single", "split"):
        raise UsageError(f"unknown layout '{layout}'; use 'single' or 'split'")
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise UsageError(f"'{root}' exists and is not a directory")
    if root.exists() and any(root.iterdir()) and not force:
        raise UsageError(f"'{root}' is not empty; pass --force to overwrite it")
    files = _layout_single(doc) if layout == "single" else _layout_split(doc)
    root.mkdir(parents=True, exist_ok=True)
    for rel, sections in files.items():
        write_atomic(root / rel, _dump(sections), force=True)
    if force:
        _remove_stale(root, set(files))
    return root


def _layout_single(doc: Document) -> dict[str, Document]:
    return {"program.yaml": dict(doc)}


def _layout_split(doc: Document) -> dict[str, Document]:
    files: dict[str, Document] = {"program.yaml": {k: doc[k] for k in _SINGLES if k in doc}}
    team_tribe = {t["id"]: t.get("tribe") for t in doc.get("teams") or []}
    person_tribe = {p["id"]: team_tribe.get(p.get("team")) for p in doc.get("people") or []}
    lead_tribe = {t["lead"]: t["id"] for t in doc.get("tribes") or [] if t.get("lead")}
    lead_tribe.update({t["lead"]: t.get("tribe") for t in doc.get("teams") or [] if t.get("lead")})

    def tribe_of_person(p: Document) -> str | None:
        return person_tribe.get(p["id"]) or lead_tribe.get(p["id"])

    def put(rel: str, section: str, entries: Iterable[Document]) -> None:
        entries = list(entries)
        if entries:
            files.setdefault(rel, {}).setdefault(section, []).extend(entries)

    put("org/tribes.yaml", "tribes", doc.get("tribes") or [])
    put("org/teams.yaml", "teams", doc.get("teams") or [])
    for p in doc.get("people") or []:
        put(f"org/people/{tribe_of_person(p) or 'leadership'}.yaml", "people", [p])
    for section in ("chapters", "guilds", "centres"):
        put("org/communities.yaml", section, doc.get(section) or [])
    for s in doc.get("services") or []:
        put(f"services/{team_tribe.get(s.get('owner')) or 'shared'}.yaml", "services", [s])
    put("okrs/objectives.yaml", "objectives", doc.get("objectives") or [])
    for i in doc.get("initiatives") or []:
        put(f"initiatives/{team_tribe.get(i.get('owner')) or 'shared'}.yaml", "initiatives", [i])
    for w in doc.get("work_items") or []:
        put(f"work/{team_tribe.get(w.get('team')) or 'shared'}.yaml", "work_items", [w])
    put("risks.yaml", "risks", doc.get("risks") or [])
    put("cadences.yaml", "cadences", doc.get("cadences") or [])
    put("capacity.yaml", "capacity_exceptions", doc.get("capacity_exceptions") or [])
    put("events.yaml", "events", doc.get("events") or [])
    known = {*SINGLE_SECTIONS, *LIST_SECTIONS}
    for key in doc.keys() - known:  # anything else stays with the program so it is not lost
        files["program.yaml"][key] = doc[key]
    return files


def _dump(sections: Document) -> str:
    import yaml

    try:
        dumper: type = yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - PyYAML without libyaml
        dumper = yaml.SafeDumper
    text: str = yaml.dump(
        sections,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text


def _remove_stale(root: Path, written: set[str]) -> None:
    """Remove program files the loader would read but that this write did not produce."""
    from scaleplan.loading.sources import discover

    _, files = discover(root)
    for path in files:
        if path.relative_to(root).as_posix() not in written:
            path.unlink()
            parent = path.parent
            while parent != root and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent


__all__ = ["write_program"]
