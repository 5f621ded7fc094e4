"""Each scoring formula pinned on hand-computed cases, including the scales' edge values, and
inputs off a scale rejected at load time with a location."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from prio_factory import document, initiative

from scaleplan import check_program, program_from_document
from scaleplan.analysis.prioritisation import formulas


@pytest.mark.parametrize(
    ("impact", "confidence", "ease", "product", "average"),
    [
        (1, 1, 1, 1.0, 1.0),  # bottom of the 1-10 scale
        (10, 10, 10, 1000.0, 10.0),  # top of the scale
        (8, 7, 5, 280.0, 20 / 3),
        (1, 10, 4, 40.0, 5.0),
    ],
)
def test_ice_is_the_product_or_the_mean_of_its_inputs(
    impact: int, confidence: int, ease: int, product: float, average: float
) -> None:
    assert formulas.ice(impact, confidence, ease) == (product, impact * confidence)
    score, value = formulas.ice(impact, confidence, ease, "average")
    assert score == pytest.approx(average)
    assert value == impact * confidence


@pytest.mark.parametrize(
    ("reach", "impact", "confidence", "effort", "score"),
    [
        (1000, 3.0, 100, 2.0, 1500.0),  # massive impact, full confidence
        (1000, 0.25, 50, 2.0, 62.5),  # minimal impact, low confidence
        (400, 2.0, 80, 4.0, 160.0),
        (0, 1.0, 100, 1.0, 0.0),  # no reach, no score
    ],
)
def test_rice_is_reach_times_impact_times_confidence_over_effort(
    reach: float, impact: float, confidence: float, effort: float, score: float
) -> None:
    got, value = formulas.rice(reach, impact, confidence, effort)
    assert got == pytest.approx(score)
    assert value == pytest.approx(reach * impact * confidence / 100)


@pytest.mark.parametrize(
    ("bv", "tc", "rr", "size", "score"),
    [
        (20, 20, 20, 1, 60.0),  # the highest possible WSJF
        (1, 1, 1, 20, 0.15),  # the lowest possible WSJF
        (8, 5, 3, 5, 3.2),
        (13, 8, 2, 1, 23.0),
    ],
)
def test_wsjf_is_cost_of_delay_over_job_size(
    bv: int, tc: int, rr: int, size: int, score: float
) -> None:
    got, cost_of_delay = formulas.wsjf(bv, tc, rr, size)
    assert got == pytest.approx(score)
    assert cost_of_delay == bv + tc + rr


@pytest.mark.parametrize(
    ("effort", "size"),
    [
        (10.0, 1),  # the smallest job is 1
        (14.9, 1),  # 1.49x rounds to 1
        (15.0, 2),  # 1.5x: tie between 1 and 2 goes up
        (24.0, 2),
        (25.0, 3),  # 2.5x: tie between 2 and 3 goes up
        (40.0, 5),  # 4x: tie between 3 and 5 goes up
        (64.0, 5),  # 6.4x is nearer 5 than 8
        (100.0, 8),
        (165.0, 20),  # 16.5x: tie between 13 and 20 goes up
        (1000.0, 20),  # capped at 20
    ],
)
def test_wsjf_job_size_maps_effort_relative_to_the_smallest_onto_fibonacci(
    effort: float, size: int
) -> None:
    assert formulas.job_size_from_effort(effort, 10.0) == size


def test_normalisation_follows_jira_product_discovery() -> None:
    assert formulas.normalise([6, 3, 2]) == pytest.approx([100, 50, 100 / 3])
    assert formulas.normalise([5, 1, -5]) == pytest.approx([100, 60, 0])  # negative: min is low
    assert formulas.normalise([0, 0]) == [0.0, 0.0]
    assert formulas.normalise([7, 7]) == [100.0, 100.0]  # low end is 0, not the minimum


def test_weighted_score_sums_positive_weights_and_divides_by_negative_ones() -> None:
    assert formulas.weighted({"a": 50.0, "b": 100.0}, {"a": 2.0, "b": 1.0}) == (200.0, 200.0, 0.0)
    score, positive, negative = formulas.weighted(
        {"revenue": 100.0, "cost": 50.0}, {"revenue": 2.0, "cost": -1.0}
    )
    assert (positive, negative) == (200.0, 50.0)
    assert score == pytest.approx(200 / 1.5)
    # at the bottom of the negative input nothing is divided away
    assert formulas.weighted({"r": 40.0, "c": 0.0}, {"r": 1.0, "c": -3.0})[0] == 40.0


@pytest.mark.parametrize(
    ("inputs", "path", "expected"),
    [
        ({"ice": {"impact": 0, "confidence": 5, "ease": 5}}, "ice.impact", "1"),
        ({"ice": {"impact": 5, "confidence": 11, "ease": 5}}, "ice.confidence", "10"),
        ({"rice": {"reach": 10, "impact": 4, "confidence": 80}}, "rice.impact", "3, 2, 1"),
        ({"rice": {"reach": 10, "impact": 1, "confidence": 90}}, "rice.confidence", "100, 80, 50"),
        (
            {"wsjf": {"business_value": 4, "time_criticality": 1, "risk_reduction": 1}},
            "wsjf.business_value",
            "1, 2, 3, 5, 8, 13, 20",
        ),
        (
            {
                "wsjf": {
                    "business_value": 1,
                    "time_criticality": 1,
                    "risk_reduction": 1,
                    "job_size": 21,
                }
            },
            "wsjf.job_size",
            "20",
        ),
    ],
)
def test_inputs_off_their_scale_are_located_errors_not_coerced(
    inputs: dict[str, object], path: str, expected: str, tmp_path: Path
) -> None:
    text = yaml.safe_dump(document(initiatives=[initiative("i1", **inputs)]), sort_keys=False)
    (tmp_path / "program.yaml").write_text(text)
    result = check_program(tmp_path)
    assert result.program is None
    [diag] = [d for d in result.diagnostics if d.code == "E101"]
    assert diag.path == f"initiatives[i1].{path}"
    key = path.split(".")[-1]
    lines = text.splitlines()
    assert diag.file == "program.yaml"
    assert diag.line is not None and key in lines[diag.line - 1]
    assert expected in diag.message


def test_edge_values_of_every_scale_are_accepted() -> None:
    doc = document(
        initiatives=[
            initiative(
                "low",
                ice={"impact": 1, "confidence": 1, "ease": 1},
                rice={"reach": 0, "impact": 0.25, "confidence": 50, "effort": 0.5},
                wsjf={
                    "business_value": 1,
                    "time_criticality": 1,
                    "risk_reduction": 1,
                    "job_size": 1,
                },
            ),
            initiative(
                "high",
                ice={"impact": 10, "confidence": 10, "ease": 10},
                rice={"reach": 1e6, "impact": 3, "confidence": 100, "effort": 1},
                wsjf={
                    "business_value": 20,
                    "time_criticality": 20,
                    "risk_reduction": 20,
                    "job_size": 20,
                },
            ),
        ]
    )
    result = program_from_document(doc)
    assert result.program is not None, [d.format() for d in result.diagnostics]
