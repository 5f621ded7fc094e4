"""What changed between two versions of the tiny program (see reports_factory)."""

from __future__ import annotations

import datetime as dt

from reports_factory import AS_OF, document, program

from scaleplan.analysis.status import diff_programs
from scaleplan.reports.digest import rag_digest, status_digest


def changed() -> dict:  # type: ignore[type-arg]
    doc = document()
    items = {w["id"]: w for w in doc["work_items"]}
    items["co-1"]["status"] = "done"
    items["ca-1"]["status"] = "blocked"
    doc["work_items"] = [w for w in doc["work_items"] if w["id"] != "ca-2"]
    doc["work_items"].append(
        {
            "id": "co-3",
            "title": "Receipts",
            "initiative": "checkout-v2",
            "team": "checkout",
            "effort": 4,
            "max_people": 4,
        }
    )
    doc["objectives"][0]["key_results"][0]["current"] = 8
    doc["risks"][0]["status"] = "owned"
    doc["risks"].append({"id": "R3", "title": "Peak season", "probability": 0.4, "impact_weeks": 5})
    person = next(p for p in doc["people"] if p["id"] == "a4")
    person["team"] = "catalog"
    return doc


def test_items_added_removed_completed_and_blocked_are_listed() -> None:
    report = diff_programs(program(), program(changed()), as_of=AS_OF)
    kinds = {(c.change, c.id) for c in report.items}
    assert kinds == {
        ("completed", "co-1"),
        ("blocked", "ca-1"),
        ("added", "co-3"),
        ("removed", "ca-2"),
    }
    assert report.counts["completed"] == 1 and report.counts["added"] == 1


def test_key_result_progress_is_reported_as_a_grade_delta() -> None:
    report = diff_programs(program(), program(changed()), as_of=AS_OF)
    (kr,) = report.key_results
    assert (kr.id, kr.before, kr.after, kr.grade_before, kr.grade_after, kr.delta) == (
        "KR1",
        7.0,
        8.0,
        0.7,
        0.8,
        0.1,
    )


def test_new_and_changed_risks_are_reported() -> None:
    report = diff_programs(program(), program(changed()), as_of=AS_OF)
    by_id = {r.id: r for r in report.risks}
    assert by_id["R3"].change == "new" and by_id["R3"].exposure_weeks == 2.0
    assert by_id["R1"].details == ("status open -> owned",)


def test_people_moving_between_teams_show_as_capacity_changes() -> None:
    report = diff_programs(program(), program(changed()), as_of=AS_OF)
    caps = {c.team: c for c in report.capacity}
    assert (caps["checkout"].people_before, caps["checkout"].people_after) == (5, 4)
    assert caps["checkout"].left == ("a4",) and caps["catalog"].joined == ("a4",)
    # Capacity is set on the teams (5 -> 4.0 pw/week after the reserve), so it stays.
    assert caps["checkout"].capacity_before == caps["checkout"].capacity_after == 4.0


def test_finished_work_brings_a_projected_date_forward_and_says_why() -> None:
    report = diff_programs(program(), program(changed()), as_of=AS_OF)
    (date,) = [d for d in report.dates if d.initiative == "checkout-v2"]
    # Before: 14 pw -> 2026-01-30. After: co-1 done, co-3 added: 8 + 4 = 12 pw -> 3 weeks.
    assert (date.before, date.after, date.shift_days, date.direction) == (
        dt.date(2026, 1, 30),
        dt.date(2026, 1, 26),
        -4,
        "improved",
    )
    assert date.reasons[0] == "remaining effort -2.0 pw (1 item added)"


def test_lost_capacity_slips_the_date_and_turns_the_initiative_red() -> None:
    doc = document()
    doc["teams"][0]["capacity"] = 2.5  # 2.0 pw per week after the reserve
    report = diff_programs(program(), program(doc), as_of=AS_OF, since="HEAD~1")
    (date,) = report.dates
    # 14 pw at 2 pw/week: 7 weeks -> 2026-02-23, 24 days later than 2026-01-30.
    assert (date.after, date.shift_days, date.direction) == (dt.date(2026, 2, 23), 24, "slipped")
    assert date.reasons == ("team checkout capacity -2.0 pw/wk",)
    (change,) = report.rag_changes
    assert (change.initiative, change.before, change.after) == ("checkout-v2", "amber", "red")
    assert report.headline == (
        "Tiny Shop since HEAD~1: 0 items done, 0 added, 0 removed; 1 slipped, 0 improved; "
        "RAG 2 green / 0 amber / 1 red"
    )


def test_a_week_without_recorded_progress_is_stale_not_a_slip() -> None:
    # Both versions are projected from the same day, so only edits move dates; work that did
    # not move while a week passed is listed once instead of as one slip per initiative.
    later = AS_OF + dt.timedelta(days=7)
    report = diff_programs(program(), program(), as_of=later, before_as_of=AS_OF, since="w1")
    assert report.dates == ()
    assert report.stale == ("checkout-v2", "catalog-split", "ci-pipeline")
    text = status_digest(report)
    assert (
        "No progress recorded in 7 days on 3 open initiatives: checkout-v2, catalog-split, "
        "ci-pipeline" in text
    )


def test_identical_versions_have_no_changes() -> None:
    report = diff_programs(program(), program(), as_of=AS_OF)
    assert report.items == report.key_results == report.risks == report.dates == ()
    assert report.capacity == report.rag_changes == ()


def test_digest_is_short_and_cuts_long_lists() -> None:
    doc = document()
    for n in range(12):
        doc["work_items"].append(
            {"id": f"new-{n:02d}", "title": f"New {n}", "team": "platform", "effort": 1}
        )
    report = diff_programs(program(), program(doc), as_of=AS_OF, since="v1")
    text = status_digest(report, style="text", limit=3)
    assert text.splitlines()[0] == "Tiny Shop since v1 — as of 2026-01-05"
    assert "Added (12):" in text and "- … and 9 more" in text
    assert len(text.splitlines()) < 25
    slack = status_digest(report, style="slack", limit=3)
    assert slack.startswith("*Tiny Shop* since v1") and "• `new-00` New 0 (platform)" in slack


def test_rag_digest_lists_red_and_amber_with_reasons() -> None:
    from scaleplan.analysis.status import initiative_rag

    text = rag_digest(initiative_rag(program(), as_of=AS_OF), "Tiny Shop", style="md")
    assert text.splitlines()[:2] == [
        "**Tiny Shop** status as of 2026-01-05",
        "RAG 2 green / 1 amber / 0 red",
    ]
    assert "### Amber" in text and "- `checkout-v2` Checkout v2: team checkout at 88%" in text


def test_status_report_json_is_plain_data() -> None:
    import json

    report = diff_programs(program(), program(changed()), as_of=AS_OF, since="v1")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["counts"]["completed"] == 1
    # a4 left checkout: co-2 now runs with at most 4 people, 8 / (4 x 0.64) = 3.125 weeks after
    # ca-1 (1.25): past the deadline -> red. catalog-split has a blocked item -> amber.
    assert data["rag"]["counts"] == {"green": 1, "amber": 1, "red": 1}
    assert data["dates"][0]["before"] == "2026-01-30"
