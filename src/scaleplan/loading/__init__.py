"""Loading a program repository (YAML, CSV) into a validated Program, with diagnostics."""

from scaleplan.loading.diagnostics import CODES, Diagnostic, Severity
from scaleplan.loading.loader import CheckResult, check_program, load_program, program_from_document

__all__ = [
    "CODES",
    "CheckResult",
    "Diagnostic",
    "Severity",
    "check_program",
    "load_program",
    "program_from_document",
]
