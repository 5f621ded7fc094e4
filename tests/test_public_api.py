"""The curated public API: what `import scaleplan` promises."""

import scaleplan


def test_public_api_is_pinned() -> None:
    assert set(scaleplan.__all__) >= {
        "Program",
        "load_program",
        "check_program",
        "program_from_document",
        "Diagnostic",
        "CheckResult",
        "ScaleplanError",
        "UsageError",
        "ProgramInvalid",
        "InputError",
        "NoSolution",
        "ExternalError",
    }
    for name in scaleplan.__all__:
        assert hasattr(scaleplan, name), name
