"""scaleplan: plan, prioritise, forecast and organise technical programs that scale fast.

The program lives as code (YAML in a git repo); everything starts from::

    from scaleplan import load_program
    program = load_program("examples/shopscale")
"""

from scaleplan.errors import (
    ExternalError,
    InputError,
    NoSolution,
    ProgramInvalid,
    ScaleplanError,
    UsageError,
)
from scaleplan.loading import (
    CheckResult,
    Diagnostic,
    check_program,
    load_program,
    program_from_document,
)
from scaleplan.model import Program

__version__ = "0.1.0"

__all__ = [
    "CheckResult",
    "Diagnostic",
    "ExternalError",
    "InputError",
    "NoSolution",
    "Program",
    "ProgramInvalid",
    "ScaleplanError",
    "UsageError",
    "__version__",
    "check_program",
    "load_program",
    "program_from_document",
]
