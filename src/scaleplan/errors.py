"""The one exception tree of scaleplan.

::

    ScaleplanError                  base; never raised itself
    ├── UsageError                  the call is wrong (missing path, bad option)   -> exit 2
    ├── ProgramInvalid              the program has errors (carries diagnostics)   -> exit 1
    ├── InputError                  other input is wrong (history file, scenario)  -> exit 1
    ├── NoSolution                  the question has no answer (infeasible plan)   -> exit 3
    └── ExternalError               a service outside failed (webhook, Jira)       -> exit 4

"Your input is wrong" (ProgramInvalid, InputError) is kept apart from "no answer exists"
(NoSolution): an infeasible plan is usually reported as a status inside a result, and only
raised where a caller asked for a plan that must exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol


class Diagnostic(Protocol):
    """What an error needs of a located problem (``scaleplan.loading.Diagnostic`` is one).

    A protocol, so that this module, the bottom of every import chain, imports nothing.
    """

    @property
    def code(self) -> str: ...

    def format(self) -> str: ...


class ScaleplanError(Exception):
    """Base of every error scaleplan raises on purpose."""

    exit_code = 1


class UsageError(ScaleplanError):
    exit_code = 2


class ProgramInvalid(ScaleplanError):
    exit_code = 1

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.code.startswith("E")]
        first = errors[0].format() if errors else "invalid program"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class InputError(ScaleplanError):
    exit_code = 1


class NoSolution(ScaleplanError):
    exit_code = 3


class ExternalError(ScaleplanError):
    exit_code = 4


#: Exit codes of the command line, documented in docs/cli.md.
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_NO_SOLUTION = 3
EXIT_EXTERNAL = 4
EXIT_INTERNAL = 70


def did_you_mean(value: str, candidates: Iterable[object]) -> str | None:
    """A 'did you mean' hint for a misspelt id or key, or ``None``."""
    import difflib

    pool = [c for c in candidates if isinstance(c, str)]
    matches = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if value.lower() in lowered:
            matches = [lowered[value.lower()]]
    return f"did you mean '{matches[0]}'?" if matches else None
