"""Safe file output: atomic writes that never clobber a user's file without being asked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from scaleplan.errors import UsageError


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``.

    Refuses (``UsageError``) to replace an existing file with different content unless
    ``force`` is true. Writing identical content is always allowed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and not force:
        if path.is_dir():
            raise UsageError(f"{path} is a directory")
        if path.read_bytes() != payload:
            raise UsageError(f"{path} exists; pass --force to overwrite it")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates 0600 files; keep a replaced file's mode, else follow the umask like open()
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_files(
    directory: Path, files: Mapping[str, str | bytes], *, force: bool = False
) -> list[Path]:
    """Write ``{relative path: content}`` under ``directory``; return the paths written.

    Each file is written with :func:`write_atomic` (so an existing file with other content is
    refused unless ``force``). Analyses and renderers return such mappings; only the edges
    (CLI, web, storage) put them on disk.
    """
    written: list[Path] = []
    for rel, content in files.items():
        target = directory / rel
        write_atomic(target, content, force=force)
        written.append(target)
    return written
