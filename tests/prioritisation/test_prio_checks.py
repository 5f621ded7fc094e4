"""Load-time checks of the prioritisation area (E500, W500), each failing and passing."""

from __future__ import annotations

from prio_factory import document, initiative, item

from scaleplan import program_from_document
from scaleplan.loading.checks_prioritisation import CODES
from scaleplan.loading.diagnostics import all_codes


def codes(doc: dict[str, object]) -> list[str]:
    return [d.code for d in program_from_document(doc).diagnostics]


def with_model(model_id: str) -> dict[str, object]:
    model = {"id": model_id, "weights": {"revenue": 1}}
    return document(settings={"scoring": {"custom_models": [model]}})


def test_e500_custom_model_named_like_a_builtin_method_is_an_error() -> None:
    result = program_from_document(with_model("rice"))
    assert result.program is None
    [diag] = [d for d in result.diagnostics if d.code == "E500"]
    assert diag.path == "settings.scoring.custom_models[0].id"
    assert "rice-custom" in (diag.hint or "")


def test_e500_passes_for_a_custom_model_with_its_own_name() -> None:
    assert "E500" not in codes(with_model("growth"))


def cycle(status: str) -> dict[str, object]:
    return document(
        initiatives=[initiative("x"), initiative("y")],
        work_items=[
            item("x1", "x", "web", 1, depends_on=["y1"]),
            item("x2", "x", "web", 1),
            item("y1", "y", "api", 1, status=status),
            item("y2", "y", "api", 1, depends_on=["x2"]),
        ],
    )


def test_w500_initiatives_depending_on_each_other_through_work_items_warn() -> None:
    result = program_from_document(cycle("todo"))
    assert result.program is not None
    [diag] = [d for d in result.diagnostics if d.code == "W500"]
    assert "x -> y -> x" in diag.message
    assert "x1 -> y1" in diag.message and "y2 -> x2" in diag.message


def test_w500_passes_when_the_backward_link_is_already_done() -> None:
    assert "W500" not in codes(cycle("done"))


def test_w500_leaves_plain_initiative_cycles_to_e201() -> None:
    doc = document(
        initiatives=[initiative("x", depends_on=["y"]), initiative("y", depends_on=["x"])]
    )
    found = codes(doc)
    assert "E201" in found and "W500" not in found


def test_analysis_codes_are_registered_for_the_docs_and_ignore() -> None:
    registered = all_codes()
    for code in ("E500", "W500", "W510", "W511", "W512", "W513", "W520", "W521"):
        assert registered[code] == CODES[code]
