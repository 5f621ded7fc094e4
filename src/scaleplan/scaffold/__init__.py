"""``scaleplan init``: scaffold a new program repository that is valid from the start."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from scaleplan.errors import UsageError
from scaleplan.storage.files import write_atomic

#: Scaffold files stored under a plain name in the package, written under their real name.
_RENAMES = {
    "_github_workflow.yml": ".github/workflows/scaleplan.yml",
    "_pre-commit-config.yaml": ".pre-commit-config.yaml",
}


def scaffold_files(name: str) -> dict[str, str]:
    """Relative path -> content of every file ``init`` writes."""
    from scaleplan.loading.schema import schema_text

    root = resources.files("scaleplan") / "scaffold" / "template"
    files: dict[str, str] = {}

    def walk(node: object, prefix: str) -> None:
        for child in node.iterdir():  # type: ignore[attr-defined]
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, rel + "/")
                continue
            text = child.read_text(encoding="utf-8").replace("{name}", name)
            files[_RENAMES.get(rel, rel)] = text

    walk(root, "")
    files["scaleplan.schema.json"] = schema_text()
    return dict(sorted(files.items()))


def init_program(directory: Path, *, name: str | None = None, force: bool = False) -> list[Path]:
    """Write a small, valid program into ``directory``; return the files written.

    Refuses a non-empty directory unless ``force`` (then existing files are replaced).
    """
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a directory")
    if directory.exists() and any(directory.iterdir()) and not force:
        raise UsageError(f"{directory} is not empty; pick a new directory or pass --force")
    title = name or directory.resolve().name.replace("-", " ").replace("_", " ").title()
    written = []
    for rel, text in scaffold_files(title).items():
        target = directory / rel
        write_atomic(target, text, force=True)
        written.append(target)
    return written
