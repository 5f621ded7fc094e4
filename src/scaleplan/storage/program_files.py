"""A program document written to disk: one file or a repository of fragments.

The document itself (YAML text, the split into files) comes from :mod:`scaleplan.loading.dump`;
this module only writes it, atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from scaleplan.errors import UsageError
from scaleplan.loading.dump import split_document, to_yaml
from scaleplan.model import Program
from scaleplan.storage.files import write_atomic


def write_document(
    document: dict[str, Any],
    target: Path,
    *,
    layout: Literal["single", "split"] = "split",
    force: bool = False,
) -> list[Path]:
    """Write a program document as a repository (``split``) or one file (``single``).

    ``target`` is a directory for ``split`` and a file path (or a directory, which then gets
    ``program.yaml``) for ``single``. Files are written atomically; a non-empty target
    directory is refused unless ``force``.
    """
    if layout == "single":
        path = target / "program.yaml" if target.is_dir() or target.suffix == "" else target
        write_atomic(path, to_yaml(document), force=force)
        return [path]
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a directory")
    if target.exists() and any(target.iterdir()) and not force:
        raise UsageError(f"{target} is not empty; pass --force to write into it")
    written = []
    for rel, part in split_document(document).items():
        path = target / rel
        write_atomic(path, to_yaml(part), force=True)
        written.append(path)
    return written


def dump_program(
    program: Program,
    target: Path,
    *,
    layout: Literal["single", "split"] = "split",
    force: bool = False,
) -> list[Path]:
    """Write a validated program back to YAML (defaults left out); loading it gives an equal
    program."""
    return write_document(program.to_document(), target, layout=layout, force=force)


__all__ = ["dump_program", "write_document"]
