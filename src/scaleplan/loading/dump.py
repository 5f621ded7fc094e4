"""Program -> YAML files (the inverse of loading), for round trips, scenarios and generators."""

from __future__ import annotations

from typing import Any

import yaml

from scaleplan.errors import UsageError

#: Where each section goes in the split layout.
SPLIT_LAYOUT: dict[str, str] = {
    "program": "program.yaml",
    "calendar": "program.yaml",
    "settings": "program.yaml",
    "tribes": "org/teams.yaml",
    "teams": "org/teams.yaml",
    "people": "org/people.yaml",
    "capacity_exceptions": "org/people.yaml",
    "chapters": "org/communities.yaml",
    "guilds": "org/communities.yaml",
    "centres": "org/communities.yaml",
    "services": "services/services.yaml",
    "objectives": "okrs/objectives.yaml",
    "initiatives": "initiatives/initiatives.yaml",
    "work_items": "work/items.yaml",
    "risks": "risks.yaml",
    "cadences": "cadences.yaml",
    "events": "events.yaml",
}


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def to_yaml(document: dict[str, Any]) -> str:
    """YAML text of a document, keys in model order, block style."""
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )


def split_document(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """File path -> the part of ``document`` that the split layout stores there."""
    files: dict[str, dict[str, Any]] = {}
    for section, value in document.items():
        if value in (None, [], {}) and section not in ("program", "calendar"):
            continue
        rel = SPLIT_LAYOUT.get(section)
        if rel is None:
            raise UsageError(f"unknown section '{section}'")
        files.setdefault(rel, {})[section] = value
    return files
