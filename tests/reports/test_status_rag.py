"""RAG per initiative: each rule on the tiny program, numbers worked out by hand.

Every team plans 4.0 pw a week (capacity 5, 20 % reserve); as of Monday 2026-01-05 (week 0).
checkout-v2 is due 2026-02-02, four weeks away: 16.0 pw of checkout capacity, and its open items
co-1 (6 pw) and co-2 (8 pw) need 14.0 pw, i.e. 87.5 %.
"""

from __future__ import annotations

import datetime as dt

from reports_factory import AS_OF, document, program

from scaleplan.analysis.status import initiative_rag, kr_grade, project_finish


def rag_by_id(prog, as_of=AS_OF):  # type: ignore[no-untyped-def]
    return {r.id: r for r in initiative_rag(prog, as_of=as_of).initiatives}


def with_items(**changes):  # type: ignore[no-untyped-def]
    doc = document()
    for item in doc["work_items"]:
        item.update(changes.get(item["id"], {}))
    return doc


def test_team_above_85_percent_of_capacity_before_the_deadline_is_amber_with_numbers() -> None:
    rag = rag_by_id(program())
    assert rag["checkout-v2"].rag == "amber"
    assert rag["checkout-v2"].reason == (
        "team checkout at 88% of its capacity before 2026-02-02 (14.0 of 16.0 pw)"
    )
    # The open risk on co-2 (50 % x 4 weeks = 2.0 weeks) is the second reason.
    assert rag["checkout-v2"].reasons[1].startswith("open risk R1 not ROAMed")
    assert rag["catalog-split"].rag == "green"
    assert rag["catalog-split"].reason == "no deadline; 1/2 items done"
    assert "old-idea" not in rag  # cancelled initiatives have no RAG


def test_demand_above_capacity_before_the_deadline_is_red() -> None:
    rag = rag_by_id(program(with_items(**{"co-1": {"effort": 9, "max_people": 5}})))
    assert rag["checkout-v2"].rag == "red"
    assert rag["checkout-v2"].reason == (
        "team checkout needs 17.0 pw by 2026-02-02 but has 16.0 pw (106%)"
    )


def test_capacity_counts_only_the_rest_of_a_week_started_before_the_as_of_date() -> None:
    # Tuesday: 27 days left until 2026-02-02 -> 27 / 7 x 4 = 15.43 pw; 14 / 15.43 = 91 %.
    rag = rag_by_id(program(), as_of=dt.date(2026, 1, 6))
    assert rag["checkout-v2"].reason == (
        "team checkout at 91% of its capacity before 2026-02-02 (14.0 of 15.4 pw)"
    )


def test_an_item_too_long_for_its_deadline_even_at_max_people_is_red() -> None:
    # co-1 with one person: 6 pw / 0.64 pw a week = 9.375 weeks -> day 65.6 -> 2026-03-12.
    rag = rag_by_id(program(with_items(**{"co-1": {"max_people": 1}})))
    assert rag["checkout-v2"].reason == (
        "item co-1 cannot finish before 2026-03-12, after its deadline 2026-02-02 "
        "(co-1: 9.4 weeks even at max_people)"
    )


def test_a_chain_of_prerequisites_too_long_for_the_deadline_is_red() -> None:
    # ca-1 with one person: 4 / 0.64 = 6.25 weeks, then co-2 2.5 weeks: 8.75 weeks -> day
    # 61.25 -> 2026-03-08.
    rag = rag_by_id(program(with_items(**{"ca-1": {"max_people": 1}})))
    assert rag["checkout-v2"].reason == (
        "item co-2 cannot finish before 2026-03-08, after its deadline 2026-02-02 "
        "(ca-1 -> co-2: 8.8 weeks even at max_people)"
    )


def test_max_people_is_capped_by_the_team_size() -> None:
    from scaleplan.analysis.status import earliest_finish

    # 20 people asked for, 5 in the team: 4 / (5 x 0.64) = 1.25 weeks, not 0.3.
    chains = earliest_finish(program(with_items(**{"ca-1": {"max_people": 20}})), as_of=AS_OF)
    assert chains["ca-1"].weeks == 1.25


def test_earliest_finish_follows_prerequisites_and_lags() -> None:
    from scaleplan.analysis.status import earliest_finish

    doc = with_items(**{"co-2": {"depends_on": [{"item": "ca-1", "lag_weeks": 1}]}})
    chains = earliest_finish(program(doc), as_of=AS_OF)
    assert chains["ca-1"].weeks == 1.25
    assert (chains["co-2"].weeks, chains["co-2"].path) == (4.75, ("ca-1", "co-2"))
    assert "ca-2" not in chains  # done


def test_a_passed_deadline_with_work_left_is_red() -> None:
    rag = rag_by_id(program(), as_of=dt.date(2026, 2, 3))
    assert rag["checkout-v2"].rag == "red"
    assert rag["checkout-v2"].reason == "deadline 2026-02-02 passed with 14.0 person-weeks left"


def test_blocked_initiative_is_red_and_a_blocked_item_amber() -> None:
    doc = document()
    doc["initiatives"][1]["status"] = "blocked"
    assert rag_by_id(program(doc))["catalog-split"].reason == "initiative is blocked"
    rag = rag_by_id(program(with_items(**{"ca-1": {"status": "blocked"}})))
    assert (rag["catalog-split"].rag, rag["catalog-split"].reason) == (
        "amber",
        "1 item blocked: ca-1",
    )


def test_earlier_deadlines_of_other_work_in_the_same_team_count_against_capacity() -> None:
    doc = document()
    doc["initiatives"].append({"id": "hotfix", "title": "Hotfix", "deadline": "2026-01-19"})
    doc["work_items"].append(
        {
            "id": "hf-1",
            "title": "Fix",
            "initiative": "hotfix",
            "team": "checkout",
            "effort": 4,
            "max_people": 4,
        }
    )
    rag = rag_by_id(program(doc))
    # By 2026-01-19: 4 of 8 pw -> green. By 2026-02-02: 4 + 14 = 18 of 16 pw -> red.
    assert (rag["hotfix"].rag, rag["hotfix"].reason) == (
        "green",
        "fits the capacity before 2026-01-19",
    )
    assert rag["checkout-v2"].reason == (
        "team checkout needs 18.0 pw by 2026-02-02 but has 16.0 pw (112%)"
    )


def test_an_initiative_that_depends_on_a_red_one_turns_amber() -> None:
    doc = with_items(**{"co-1": {"effort": 9, "max_people": 5}})
    doc["initiatives"][2]["depends_on"] = ["checkout-v2"]
    rag = rag_by_id(program(doc))
    assert rag["ci-pipeline"].rag == "amber"
    assert rag["ci-pipeline"].reason == "depends on checkout-v2, which is red"


def test_all_items_done_is_green_done() -> None:
    rag = rag_by_id(program(with_items(**{"ca-1": {"status": "done"}})))
    assert (rag["catalog-split"].rag, rag["catalog-split"].reason) == ("green", "done")


def test_kr_grade_is_progress_from_baseline_to_target_clamped() -> None:
    prog = program()
    krs = prog.key_results_by_id
    assert kr_grade(krs["KR1"]) == 0.7  # 0 -> 10, now 7
    assert kr_grade(krs["KR2"]) == 0.5  # 100 -> 50 (falling), now 75
    assert kr_grade(krs["KR3"]) is None  # no current value
    over = krs["KR1"].model_copy(update={"current": 12.0})
    assert kr_grade(over) == 1.0


def test_projection_works_through_each_team_queue_at_its_weekly_capacity() -> None:
    proj = project_finish(program(), as_of=AS_OF)
    # checkout: co-1 6 pw then co-2 8 pw at 4 pw/week -> 3.5 weeks -> day 24.5 -> 2026-01-30.
    assert proj["checkout-v2"].finish == dt.date(2026, 1, 30)
    # catalog: ca-1 4 pw -> 1 week -> 2026-01-12; platform: 5 pw -> 8.75 days -> 2026-01-14.
    assert proj["catalog-split"].finish == dt.date(2026, 1, 12)
    assert proj["ci-pipeline"].finish == dt.date(2026, 1, 14)
    assert proj["checkout-v2"].ahead == {"checkout": 0.0}  # only its own work in the queue


def test_work_due_earlier_in_another_initiative_is_queued_ahead() -> None:
    doc = document()
    doc["initiatives"].append({"id": "hotfix", "title": "Hotfix", "deadline": "2026-01-19"})
    doc["work_items"].append(
        {"id": "hf-1", "title": "Fix", "initiative": "hotfix", "team": "checkout", "effort": 4}
    )
    proj = project_finish(program(doc), as_of=AS_OF)
    # hf-1 (4 pw) goes first, then 14 pw: 18 pw at 4 a week = 4.5 weeks -> day 31.5 -> 02-06.
    assert proj["hotfix"].finish == dt.date(2026, 1, 12)
    assert proj["checkout-v2"].finish == dt.date(2026, 2, 6)
    assert proj["checkout-v2"].ahead == {"checkout": 4.0}


def test_a_team_without_capacity_has_no_projected_date() -> None:
    doc = document()
    doc["teams"][2]["capacity"] = 0.0001
    doc["capacity_exceptions"] = [
        {"team": "platform", "start": "2026-01-01", "end": "2036-12-31", "available": 0.0}
    ]
    assert project_finish(program(doc), as_of=AS_OF)["ci-pipeline"].finish is None
