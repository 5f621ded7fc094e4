"""okr_tree(): Google-style grades, the forecast rule, roll-up from linked work, and each
alignment finding (W510-W513) with a failing and a passing case."""

from __future__ import annotations

import datetime as dt

import pytest
from prio_factory import build, initiative, item

from scaleplan.analysis.okrs import band, forecast, grade, okr_tree

MID_PI1 = dt.date(2025, 1, 13)  # 7 of PI-1's 14 days gone


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (0, 100, 30, 0.3),
        (0, 100, 100, 1.0),
        (0, 100, 130, 1.0),  # overshoot clamps to 1.0
        (0, 100, -5, 0.0),  # below the baseline clamps to 0.0
        (1200, 300, 1050, 150 / 900),  # decreasing metric (latency): 150 of 900 ms saved
        (1200, 300, 250, 1.0),
        (1200, 300, 1300, 0.0),  # got worse
        (99.5, 99.95, 99.6, 0.1 / 0.45),
    ],
)
def test_grade_is_the_share_of_the_way_from_baseline_to_target(
    baseline: float, target: float, current: float, expected: float
) -> None:
    assert grade(baseline, target, current) == pytest.approx(expected)


def test_bands_follow_google_and_committed_is_green_only_at_one() -> None:
    from scaleplan.model import KrKind

    assert [band(g) for g in (0.0, 0.39, 0.4, 0.69, 0.7, 1.0)] == [
        "red",
        "red",
        "yellow",
        "yellow",
        "green",
        "green",
    ]
    assert band(0.9, KrKind.COMMITTED) == "yellow"
    assert band(1.0, KrKind.COMMITTED) == "green"
    assert band(None) is None


def test_forecast_extrapolates_linearly_and_waits_for_ten_percent_of_the_period() -> None:
    assert forecast(0.3, 0.5) == pytest.approx(0.6)
    assert forecast(0.8, 0.5) == 1.0  # capped
    assert forecast(0.3, 0.09) is None  # too early
    assert forecast(0.3, 0.1) == pytest.approx(1.0)
    assert forecast(0.3, 1.0) == 0.3  # period over: the grade is final
    assert forecast(0.3, None) is None


def program(**overrides: object):  # type: ignore[no-untyped-def]
    krs = [
        {"id": "k1", "title": "k1", "target": 100, "current": 30, "kind": "committed"},
        {
            "id": "k2",
            "title": "k2",
            "target": 10,
            "current": 2,
            "kind": "committed",
            "escalation": "Raised with the VP on 2025-01-10; scope cut agreed.",
        },
        {
            "id": "k3",
            "title": "k3",
            "baseline": 100,
            "target": 50,
            "current": 60,
            "kind": "committed",
        },
        {"id": "k4", "title": "k4", "target": 5},
    ]
    sections: dict[str, object] = {
        "objectives": [
            {"id": "o1", "title": "o1", "increment": "PI-1", "key_results": krs},
            {"id": "o2", "title": "o2"},
        ],
        "initiatives": [
            initiative("build", key_results=["k1", "k3"]),
            initiative("work", key_results=["k4"]),
            initiative("lonely"),
            initiative("debt", kind="tech-debt"),
            initiative("old", status="done"),
        ],
        "work_items": [
            item("b1", "build", "web", 2),
            item("w1", "work", "web", 4, status="done"),
            item("w2", "work", "api", 4),
            item("w3", "work", "api", 9, status="cancelled"),
        ],
    }
    sections.update(overrides)
    return build(**sections)


def test_tree_grades_key_results_and_objectives() -> None:
    tree = okr_tree(program(), as_of=MID_PI1)
    o1 = tree.objectives[0]
    krs = {k.id: k for k in o1.key_results}
    assert krs["k1"].grade == pytest.approx(0.3) and krs["k1"].source == "metric"
    assert krs["k1"].elapsed == pytest.approx(0.5)
    assert krs["k1"].forecast == pytest.approx(0.6)
    assert krs["k3"].direction == "decrease" and krs["k3"].grade == pytest.approx(0.8)
    assert krs["k3"].forecast == 1.0
    # no current value: rolled up from linked work, cancelled items left out: 4 of 8 pw done
    assert krs["k4"].source == "work" and krs["k4"].grade == pytest.approx(0.5)
    assert o1.grade == pytest.approx((0.3 + 0.2 + 0.8 + 0.5) / 4)
    assert (o1.period, o1.start, o1.end) == ("PI-1", "2025-01-06", "2025-01-20")
    assert [i.id for i in krs["k1"].initiatives] == ["build"]
    assert [w.id for w in krs["k1"].initiatives[0].work_items] == ["b1"]
    assert tree.objectives[1].grade is None


def test_objective_without_an_increment_uses_the_whole_calendar() -> None:
    objectives = [
        {
            "id": "o1",
            "title": "o1",
            "key_results": [{"id": "k1", "title": "k1", "target": 100, "current": 30}],
        }
    ]
    tree = okr_tree(program(objectives=objectives, initiatives=[], work_items=[]), as_of=MID_PI1)
    [objective] = tree.objectives
    assert (objective.period, objective.end) == ("calendar", "2025-02-03")
    assert objective.key_results[0].elapsed == pytest.approx(7 / 28)


def codes(tree) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.code, f.subject) for f in tree.findings]


def test_w510_initiative_serving_no_key_result_fails_and_exempt_kinds_pass() -> None:
    tree = okr_tree(program(), as_of=MID_PI1)
    assert ("W510", "lonely") in codes(tree)
    assert ("W510", "debt") not in codes(tree)  # tech debt comes out of the reserve
    assert ("W510", "old") not in codes(tree)  # done
    assert ("W510", "build") not in codes(tree)
    assert [i.id for i in tree.unaligned] == ["lonely", "debt"]


def test_w511_key_result_without_initiative_fails_and_served_ones_pass() -> None:
    found = codes(okr_tree(program(), as_of=MID_PI1))
    assert ("W511", "k2") in found
    assert not {("W511", k) for k in ("k1", "k3", "k4")} & set(found)


def test_w511_counts_a_cancelled_initiative_as_no_initiative() -> None:
    cancelled = [initiative("build", key_results=["k1"], status="cancelled")]
    tree = okr_tree(program(initiatives=cancelled, work_items=[]), as_of=MID_PI1)
    assert ("W511", "k1") in codes(tree)


def test_w512_objective_without_key_results_fails_and_others_pass() -> None:
    found = codes(okr_tree(program(), as_of=MID_PI1))
    assert ("W512", "o2") in found
    assert ("W512", "o1") not in found


def test_w513_committed_forecast_below_one_needs_an_escalation_note() -> None:
    tree = okr_tree(program(), as_of=MID_PI1)
    found = codes(tree)
    assert ("W513", "k1") in found  # forecast 0.6, no note
    assert ("W513", "k2") not in found  # forecast 0.4, escalated
    assert ("W513", "k3") not in found  # forecast 1.0
    assert ("W513", "k4") not in found  # aspirational
    message = next(f.message for f in tree.findings if f.subject == "k1")
    assert "forecast at 0.60 (grade 0.30 with 50% of the period gone)" in message


def test_w513_waits_until_a_trend_can_be_extrapolated() -> None:
    early = okr_tree(program(), as_of=dt.date(2025, 1, 6))
    assert early.objectives[0].key_results[0].forecast is None
    assert "W513" not in {code for code, _ in codes(early)}


def test_ignored_codes_are_dropped_from_the_findings() -> None:
    tree = okr_tree(program(settings={"ignore": ["W510", "W512"]}), as_of=MID_PI1)
    assert {code for code, _ in codes(tree)} == {"W511", "W513"}


def test_tree_to_dict_is_plain_json_data() -> None:
    import json

    data = okr_tree(program(), as_of=MID_PI1).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["as_of"] == "2025-01-13"
    assert data["objectives"][0]["key_results"][0]["forecast"] == pytest.approx(0.6)
    assert {f["code"] for f in data["findings"]} == {"W510", "W511", "W512", "W513"}


def test_shopscale_tree_has_every_objective_graded(shopscale) -> None:  # type: ignore[no-untyped-def]
    tree = okr_tree(shopscale, as_of=dt.date(2027, 5, 3))
    assert len(tree.objectives) == len(shopscale.objectives)
    for objective in tree.objectives:
        assert objective.grade is not None and 0.0 <= objective.grade <= 1.0
    escalated = {kr.id for kr in shopscale.key_results if kr.escalation}
    flagged = {f.subject for f in tree.findings if f.code == "W513"}
    assert not escalated & flagged
