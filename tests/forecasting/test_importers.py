"""History importers against the real fixtures in ../shared/data/issues (golden counts) and a
hand-made Jira CSV export with every quirk of real ones."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from scaleplan.adapters import detect_format, load_histories, load_history
from scaleplan.adapters.dates import parse_datetime
from scaleplan.errors import InputError, UsageError

DATA = Path(__file__).parent / "data"


def issues(shared_data: Path) -> Path:
    return shared_data / "issues"


# -- Jira REST JSON (real Apache sample) ------------------------------------------------------


def test_jira_jsonl_gz_keeps_every_issue_transition_link_and_fix_version(shared_data: Path) -> None:
    path = issues(shared_data) / "jira-rest-apache-sample" / "apache_issues_with_changelog.jsonl.gz"
    history = load_history(path)
    assert history.report is not None
    assert history.report.format == "jira-json"
    assert (history.report.records, history.report.items) == (501, 501)
    assert history.report.skipped == ()
    # golden counts from the README of the data set
    assert sum(len(i.transitions) for i in history) == 827
    assert sum(len(i.links) for i in history) == 219
    assert sum(len(i.fix_versions) for i in history) == 383
    assert len(history.done_items) == 496
    assert len(history.projects) == 21
    assert sum(1 for i in history if i.project == "CB") == 211


def test_jira_issue_fields_are_read_exactly(shared_data: Path) -> None:
    path = issues(shared_data) / "jira-rest-apache-sample" / "apache_issues_with_changelog.jsonl.gz"
    item = next(i for i in load_history(path) if i.key == "ANY23-174")
    assert item.type == "Bug"
    assert item.created == dt.datetime(2014, 1, 6, 6, 22, 58, 354000)
    assert item.done == dt.datetime(2014, 5, 9, 2, 39, 42, 734000)
    assert [(t.from_status, t.to_status) for t in item.transitions] == [
        ("Open", "Resolved"),
        ("Resolved", "Closed"),
    ]
    assert item.started is None  # never in an in-progress status
    assert item.fix_versions[0].name == "1.0"
    assert item.fix_versions[0].release_date == dt.date(2014, 5, 15)
    assert item.labels == ("rdfa", "rdfa-lite")


def test_cycle_time_starts_at_first_in_progress_status(shared_data: Path) -> None:
    path = issues(shared_data) / "jira-rest-apache-sample" / "apache_issues_with_changelog.jsonl.gz"
    history = load_history(path)
    started = [i for i in history if i.started is not None]
    assert len(started) == 109
    for item in started:
        first = min(
            t.at for t in item.transitions if t.to_status in ("In Progress", "Patch Available")
        )
        assert item.started == first


def test_jira_array_and_search_response_shapes_give_the_same_items(
    shared_data: Path, tmp_path: Path
) -> None:
    source = (
        issues(shared_data) / "jira-rest-apache-sample" / "apache_issues_with_changelog.jsonl.gz"
    )
    with gzip.open(source, "rt") as handle:
        raw = [json.loads(line) for line in handle.read().split("\n")[:5] if line]
    array = tmp_path / "array.json"
    array.write_text(json.dumps(raw))
    search = tmp_path / "search.json.gz"
    search.write_bytes(
        gzip.compress(json.dumps({"startAt": 0, "total": 5, "issues": raw}).encode())
    )
    a, b = load_history(array), load_history(search)
    assert [i.key for i in a] == [i["key"] for i in raw]
    assert a.items == b.items


def test_custom_fields_resolve_by_name_from_the_search_names_map(tmp_path: Path) -> None:
    issue = {
        "key": "PAY-7",
        "fields": {
            "summary": "Refunds",
            "issuetype": {"name": "Story"},
            "created": "2025-03-03T09:00:00.000+0100",
            "resolutiondate": None,
            "status": {"name": "In Review", "statusCategory": {"key": "indeterminate"}},
            "customfield_10016": 8.0,
            "customfield_10020": [{"id": 4, "name": "PAY Sprint 9", "state": "active"}],
            "customfield_10014": "PAY-1",
            "issuelinks": [
                {
                    "type": {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
                    "inwardIssue": {"key": "PAY-3"},
                }
            ],
        },
        "changelog": {
            "histories": [
                {
                    "created": "2025-03-04T10:00:00.000+0100",
                    "items": [{"field": "status", "fromString": "To Do", "toString": "In Review"}],
                }
            ]
        },
    }
    names = {
        "customfield_10016": "Story point estimate",
        "customfield_10020": "Sprint",
        "customfield_10014": "Epic Link",
    }
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"issues": [issue], "names": names}))
    item = load_history(path).items[0]
    assert item.points == 8.0
    assert item.sprints == ("PAY Sprint 9",)
    assert item.epic == "PAY-1"
    assert item.links[0].target == "PAY-3" and item.links[0].label == "is blocked by"
    assert item.created == dt.datetime(2025, 3, 3, 8, 0)  # +01:00 converted to UTC
    assert item.started == dt.datetime(2025, 3, 4, 9, 0)


def test_bad_jira_records_are_reported_with_their_line_and_skipped(tmp_path: Path) -> None:
    good = {"key": "A-1", "fields": {"created": "2025-01-01T00:00:00.000+0000"}}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"fields": {}}),
        json.dumps({"key": "A-2", "fields": {"created": "yesterday"}}),
    ]
    path = tmp_path / "issues.jsonl"
    path.write_text("\n".join(lines) + "\n")
    history = load_history(path)
    assert [i.key for i in history] == ["A-1"]
    assert history.report is not None
    assert [(p.line, p.skipped) for p in history.report.problems] == [
        (2, True),
        (3, True),
        (4, True),
    ]


# -- Jira CSV (hand-made export with the quirks of real ones) ---------------------------------


def test_jira_csv_handles_bom_crlf_multiline_repeated_headers_and_locale_dates() -> None:
    history = load_history(DATA / "jira_export.csv")
    assert history.report is not None and history.report.format == "jira-csv"
    assert [i.key for i in history] == ["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-5"]
    shop1, shop2, shop3, shop5 = history.items
    assert shop1.created == dt.datetime(2025, 6, 2, 9, 15)
    assert shop1.done == dt.datetime(2025, 7, 14, 15, 42)
    assert shop2.sprints == ("Sprint 12", "Sprint 13")
    assert shop2.labels == ("checkout", "backend")
    assert [(link.kind, link.target, link.direction) for link in shop2.links] == [
        ("Blocks", "SHOP-3", "outward"),
        ("Blocks", "SHOP-4", "outward"),
    ]
    assert shop2.started == dt.datetime(2025, 6, 16, 11, 5)  # in progress: category changed
    assert shop2.parent == "SHOP-1"  # parent id 10001 resolved to its key
    assert shop2.epic == "SHOP-1"
    assert shop2.points == 5.0
    assert shop2.line == 3
    assert [v.name for v in shop3.fix_versions] == ["2025.07", "2025.08"]
    assert shop3.points == 2.5  # decimal comma
    assert shop3.line == 6  # after the three physical lines of SHOP-2
    assert shop5.created == dt.datetime(2025, 7, 1, 8, 0)
    assert shop5.team == "Payments"


def test_jira_csv_bad_rows_are_listed_with_lines_not_fatal() -> None:
    report = load_history(DATA / "jira_export.csv").report
    assert report is not None
    assert report.records == 7
    assert [(p.line, p.message) for p in report.skipped] == [
        (7, "SHOP-4: Created '31/Foo/25 9:00 AM' is not a date"),
        (8, "no issue key"),
        (10, "duplicate key SHOP-3; kept the first"),
    ]


# -- GitHub (real huggingface/datasets dump) ----------------------------------------------------


def test_github_zip_counts_issues_pull_requests_and_closures(shared_data: Path) -> None:
    history = load_history(
        issues(shared_data) / "github-hf-datasets-issues" / "datasets-issues.zip"
    )
    assert history.report is not None and history.report.format == "github-json"
    assert history.report.items == 7258 and history.report.skipped == ()
    kinds = [i.type for i in history]
    assert kinds.count("pull request") == 4239
    assert kinds.count("issue") == 3019
    assert len(history.done_items) == 6412
    assert sum(1 for i in history if i.fix_versions) == 66
    assert sum(1 for i in history if i.labels) == 1752
    assert history.projects == ("huggingface/datasets",)
    pr = next(i for i in history if i.key == "huggingface/datasets#7426")
    assert pr.started == pr.created and pr.done is None


# -- plain CSV, TAWOS, dates --------------------------------------------------------------------


def test_industrial_csv_keeps_rows_with_done_before_created_as_notes(shared_data: Path) -> None:
    history = load_history(issues(shared_data) / "rueedlinger-agile-projects" / "jira.csv")
    assert history.report is not None and history.report.format == "csv"
    assert history.report.items == 4123 and history.report.skipped == ()
    split = history.by_project()
    assert {k: len(v) for k, v in split.items()} == {"0": 2427, "1": 1696}
    backwards = [i for i in history if i.done and i.created and i.done < i.created]
    assert len(history.report.notes) == len(backwards) > 0


def test_tawos_export_derives_start_from_resolution_time(shared_data: Path) -> None:
    history = load_history(issues(shared_data) / "tawos-sp-effort" / "DM.csv")
    assert history.report is not None and history.report.format == "tawos"
    assert len(history) == 16370
    item = next(i for i in history if i.key == "DM-4")
    assert item.points == 10 and item.started is None  # never In Progress
    assert item.done == dt.datetime(2015, 2, 23, 12, 2, 28)
    with_start = [i for i in history if i.started is not None]
    assert with_start and all(i.started <= i.done for i in with_start if i.done)


def test_completion_dates_file_gives_one_done_item_per_line(shared_data: Path) -> None:
    history = load_history(issues(shared_data) / "tawos-completion-dates" / "Moodle.csv")
    assert history.report is not None and history.report.format == "dates"
    assert len(history) == len(history.done_items) == 56059


def test_directory_loads_every_file_split_by_project(shared_data: Path) -> None:
    histories = load_histories(issues(shared_data) / "tawos-completion-dates")
    assert len(histories) == 39
    assert sum(len(h) for h in histories) == 377892


def test_plain_csv_needs_id_and_done_columns(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("name,when\nx,2025-01-01\n")
    with pytest.raises(InputError, match="id and a done column"):
        load_history(path)


def test_plain_csv_bad_row_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("id,created,done,points\na,2025-01-01,2025-01-05,3\nb,2025-01-02,soon,1\n")
    history = load_history(path)
    assert [i.key for i in history] == ["a"]
    assert history.report is not None
    assert [(p.line, p.message) for p in history.report.skipped] == [
        (3, "b: done 'soon' is not a date")
    ]


def test_format_detection() -> None:
    assert detect_format("2020-10-22\n2020-10-21\n") == "dates"
    assert detect_format('[{"number": 1, "state": "open"}]') == "github-json"
    assert detect_format('{"key": "A-1", "fields": {}}') == "jira-json"
    assert detect_format("Summary,Issue key,Status\n") == "jira-csv"
    assert detect_format("id,created,done\n") == "csv"
    with pytest.raises(InputError):
        detect_format("   ")


def test_unknown_format_and_missing_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown history format"):
        load_history(DATA / "jira_export.csv", format="xml")
    with pytest.raises(InputError, match="no such file"):
        load_history(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/Jul/25 3:42 PM", dt.datetime(2025, 7, 14, 15, 42)),
        ("14/Jul/25 12:05 AM", dt.datetime(2025, 7, 14, 0, 5)),
        ("14/Jul/2025 15:42", dt.datetime(2025, 7, 14, 15, 42)),
        ("2014-01-06T06:22:58.354+0000", dt.datetime(2014, 1, 6, 6, 22, 58, 354000)),
        ("2025-02-27T08:11:36Z", dt.datetime(2025, 2, 27, 8, 11, 36)),
        ("14.07.2025 15:42", dt.datetime(2025, 7, 14, 15, 42)),
        ("NULL", None),
    ],
)
def test_dates_in_tracker_formats(text: str, expected: dt.datetime | None) -> None:
    assert parse_datetime(text) == expected
