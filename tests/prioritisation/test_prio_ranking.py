"""score() and priority_weights(): hand-computed rankings, defaults, breakdowns and the stated
tie-break rule."""

from __future__ import annotations

import pytest
from prio_factory import build, initiative, item, wsjf

from scaleplan import UsageError
from scaleplan.analysis.prioritisation import priority_weights, score


def wsjf_program():  # type: ignore[no-untyped-def]
    return build(
        initiatives=[
            initiative("a", wsjf=wsjf(8, 5, 3, 5)),  # 16 / 5 = 3.2
            initiative("b", wsjf=wsjf(5, 8, 3, 5)),  # 16 / 5 = 3.2, bigger than a
            initiative("c", wsjf=wsjf(13, 8, 2)),  # smallest job: size 1 -> 23
            initiative("d", wsjf=wsjf(3, 3, 2)),  # 40 pw = 4x smallest -> size 5 -> 1.6
            initiative("g", wsjf=wsjf(2, 1, 5, 5)),  # 8 / 5 = 1.6, same effort as d
            initiative("e"),  # no inputs
            initiative("f", wsjf=wsjf(20, 20, 20, 1), status="done"),  # not a candidate
        ],
        work_items=[
            item("a1", "a", "web", 12),
            item("b1", "b", "web", 14),
            item("c1", "c", "web", 10),
            item("d1", "d", "web", 20),
            item("d2", "d", "api", 20),
            item("g1", "g", "api", 40),
            item("e1", "e", "api", 5),
            item("f1", "f", "api", 1, status="done"),
        ],
    )


def test_wsjf_ranking_with_defaulted_job_sizes_and_stated_tie_breaks() -> None:
    ranking = score(wsjf_program(), "wsjf")
    assert [e.id for e in ranking.entries] == ["c", "a", "b", "d", "g", "e"]
    by_id = ranking.by_id()
    assert by_id["c"].score == 23.0
    assert by_id["c"].inputs["job_size"] == 1
    assert by_id["c"].formula == "(13 + 8 + 2) / 1 = 23"
    assert by_id["d"].inputs["job_size"] == 5
    assert by_id["d"].notes[0] == (
        "job size 5 from effort 40 person-weeks = 4.00x the smallest job in the set (10 pw)"
    )
    assert by_id["a"].notes == ()  # job size given, nothing defaulted
    # ties: same score and value -> smaller effort first; all equal -> id
    assert by_id["a"].tie_break is None
    assert by_id["b"].tie_break == "same score and value as a; larger effort (14 > 12 pw)"
    assert by_id["g"].tie_break == "same score, value and effort as d; id after 'd'"
    assert "then id (A-Z)" in ranking.tie_break
    assert by_id["e"].score is None and by_id["e"].missing == "no wsjf inputs"
    assert "f" not in by_id


def test_a_lower_cost_of_delay_loses_a_tie_on_score() -> None:
    program = build(
        initiatives=[
            initiative("small", wsjf=wsjf(1, 1, 1, 1)),  # 3 / 1 = 3
            initiative("big", wsjf=wsjf(8, 8, 8, 8)),  # 24 / 8 = 3
        ]
    )
    ranking = score(program, "wsjf")
    assert [e.id for e in ranking.entries] == ["big", "small"]
    assert ranking.entries[1].tie_break == "same score as big; lower value (3 < 24)"


def test_rice_effort_defaults_from_work_items_in_person_months() -> None:
    program = build(
        initiatives=[
            initiative("r1", rice={"reach": 1000, "impact": 2, "confidence": 80}),
            initiative("r2", rice={"reach": 1000, "impact": 2, "confidence": 80, "effort": 2}),
            initiative("r3", rice={"reach": 1000, "impact": 2, "confidence": 80}),
        ],
        work_items=[
            item("x1", "r1", "web", 20),
            item("x2", "r1", "api", 6),
            item("x3", "r1", "api", 50, status="cancelled"),  # not part of the effort
        ],
    )
    ranking = score(program, "rice")
    by_id = ranking.by_id()
    # 26 person-weeks / (52 / 12) = 6 person-months; 1000 x 2 x 0.8 / 6
    assert by_id["r1"].inputs["effort_pm"] == pytest.approx(6.0)
    assert by_id["r1"].score == pytest.approx(1600 / 6)
    assert "26 person-weeks" in by_id["r1"].notes[0]
    assert by_id["r2"].score == pytest.approx(800.0)
    assert by_id["r3"].score is None and "no work-item effort" in (by_id["r3"].missing or "")
    assert [e.id for e in ranking.entries] == ["r2", "r1", "r3"]


def test_ice_variant_comes_from_settings_and_can_be_overridden() -> None:
    program = build(
        settings={"scoring": {"method": "ice", "ice_variant": "average"}},
        initiatives=[
            initiative("p", ice={"impact": 9, "confidence": 9, "ease": 1}),  # 81 / 6.33
            initiative("q", ice={"impact": 5, "confidence": 5, "ease": 5}),  # 125 / 5
        ],
    )
    average = score(program)
    assert average.method == "ice"
    assert [e.id for e in average.entries] == ["p", "q"]
    assert average.by_id()["p"].score == pytest.approx(19 / 3)
    assert average.by_id()["p"].formula == "(9 + 9 + 1) / 3 = 6.3333"
    product = score(program, ice_variant="product")
    assert [e.id for e in product.entries] == ["q", "p"]
    assert product.by_id()["q"].formula == "5 x 5 x 5 = 125"


def custom_program():  # type: ignore[no-untyped-def]
    return build(
        settings={
            "scoring": {
                "custom_models": [
                    {"id": "growth", "name": "Growth", "weights": {"revenue": 2, "cost": -1}}
                ]
            }
        },
        initiatives=[
            initiative("p", scores={"revenue": 10, "cost": 5}),
            initiative("q", scores={"revenue": 5, "cost": 10}),
            initiative("s", scores={"revenue": 0, "cost": 0}),
            initiative("t"),
        ],
    )


def test_custom_model_normalises_inputs_and_divides_by_negative_weights() -> None:
    ranking = score(custom_program(), "growth")
    by_id = ranking.by_id()
    # revenue 10, 5, 0 -> 100, 50, 0; cost 5, 10, 0 -> 50, 100, 0
    assert by_id["p"].inputs == {"revenue": 100.0, "cost": 50.0}
    assert by_id["p"].score == pytest.approx(200 / 1.5)
    assert by_id["q"].score == pytest.approx(100 / 2)
    assert by_id["s"].score == 0.0
    assert by_id["p"].formula == "(2 x 100) / (1 + (1 x 50) / 100) = 133.3333"
    assert by_id["t"].missing == "no inputs for custom model 'growth'"
    assert [e.id for e in ranking.entries] == ["p", "q", "s", "t"]
    assert ranking.label == "Growth"


def test_priority_weights_average_one_stay_positive_and_default_to_one() -> None:
    weights = priority_weights(custom_program(), "growth")
    # scores 133.33, 50, 0; the 0 is floored at 1% of the top (1.3333) before dividing by the mean
    floored = [200 / 1.5, 50.0, 200 / 150]
    mean = sum(floored) / 3
    assert weights["p"] == pytest.approx(floored[0] / mean)
    assert weights["s"] == pytest.approx(floored[2] / mean)
    assert weights["s"] > 0
    assert (weights["p"] + weights["q"] + weights["s"]) / 3 == pytest.approx(1.0)
    assert weights["t"] == 1.0


def test_priority_weights_cover_closed_and_unscored_initiatives_with_one() -> None:
    weights = priority_weights(wsjf_program(), "wsjf")
    assert set(weights) == {"a", "b", "c", "d", "e", "f", "g"}
    assert weights["e"] == 1.0 and weights["f"] == 1.0
    scored = [weights[k] for k in "abcdg"]
    assert sum(scored) / 5 == pytest.approx(1.0)
    assert weights["c"] == pytest.approx(23 / ((23 + 3.2 + 3.2 + 1.6 + 1.6) / 5))


def test_unknown_method_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match="did you mean 'wsjf'"):
        score(wsjf_program(), "wsfj")


def test_ranking_to_dict_is_plain_json_data() -> None:
    import json

    data = score(wsjf_program()).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["method"] == "wsjf"
    assert data["scored"] == 5 and data["unscored"] == 1
    assert data["entries"][0]["formula"] == "(13 + 8 + 2) / 1 = 23"
