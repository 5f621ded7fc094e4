"""Reading history files: gzip and single-file zip archives transparently, a UTF-8 BOM, Latin-1
fallback, and JSON in any of three shapes (an object, an array, JSON Lines)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from scaleplan.errors import InputError
from scaleplan.model.history import ImportProblem


def read_bytes(path: Path) -> bytes:
    """Contents of ``path``; gzip is decompressed, a zip must hold one data file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: broken gzip file ({exc})") from None
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [n for n in archive.namelist() if not n.endswith("/")]
                data_members = [
                    n
                    for n in members
                    if n.lower().endswith((".json", ".jsonl", ".ndjson", ".csv", ".txt"))
                ]
                chosen = data_members or members
                if len(chosen) != 1:
                    raise InputError(
                        f"{path}: the zip holds {len(chosen)} data files; extract the one to import"
                    )
                return archive.read(chosen[0])
        except zipfile.BadZipFile as exc:
            raise InputError(f"{path}: broken zip file ({exc})") from None
    return data


def decode(data: bytes) -> tuple[str, bool]:
    """Text of ``data`` (UTF-8, BOM removed); falls back to Latin-1. Returns (text, latin1)."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


def read_text(path: Path) -> tuple[str, bool]:
    return decode(read_bytes(path))


def json_records(
    text: str,
) -> tuple[list[tuple[int, Any]], dict[str, Any], list[ImportProblem]]:
    """Records of a JSON document: ``{"issues": [...]}`` (a saved search response), a JSON
    array, one JSON object, or JSON Lines. Returns ``(records, envelope, problems)`` where each
    record is ``(line_or_index, value)`` and ``envelope`` is the outer object of a search
    response (its ``names`` map resolves custom fields)."""
    stripped = text.lstrip()
    if not stripped:
        return [], {}, []
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if stripped[0] == "{" and "Extra data" in str(exc):
            return _json_lines(text)
        if stripped[0] == "{":
            records, envelope, problems = _json_lines(text)
            if records:
                return records, envelope, problems
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(whole, list):
        return [(i + 1, v) for i, v in enumerate(whole)], {}, []
    if isinstance(whole, dict):
        for key in ("issues", "items", "values"):
            if isinstance(whole.get(key), list):
                return [(i + 1, v) for i, v in enumerate(whole[key])], whole, []
        return [(1, whole)], {}, []
    raise InputError("JSON must be an object, an array of objects or JSON Lines")


def _json_lines(text: str) -> tuple[list[tuple[int, Any]], dict[str, Any], list[ImportProblem]]:
    records: list[tuple[int, Any]] = []
    problems: list[ImportProblem] = []
    # split on "\n" only: JSON strings may hold U+2028, U+0085... that splitlines() breaks on
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(ImportProblem(number, f"not valid JSON ({exc.msg})"))
    return records, {}, problems


def first_json_object(records: list[tuple[int, Any]]) -> dict[str, Any] | None:
    for _, value in records:
        if isinstance(value, dict):
            return value
    return None


__all__ = ["decode", "first_json_object", "json_records", "read_bytes", "read_text"]
