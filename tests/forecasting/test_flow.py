"""Flow metrics on a hand-made history."""

from __future__ import annotations

import datetime as dt

import pytest

from scaleplan.analysis.forecasting import flow_metrics
from scaleplan.errors import InputError
from scaleplan.model.history import History, HistoryItem, Transition


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, 3, 3, hour) + dt.timedelta(days=day)  # day 0 is a Monday


def history() -> History:
    return History(
        (
            # done in week 1 (days 0-6): cycle 2 and 4 days, lead 3 and 6 days
            HistoryItem("A-1", created=at(-1), started=at(0), done=at(2)),
            HistoryItem("A-2", created=at(-2), started=at(0), done=at(4)),
            # done in week 2: cycle 6 days
            HistoryItem("A-3", created=at(1), started=at(3), done=at(9)),
            # in progress since day 5 and day 12; one never started
            HistoryItem(
                "A-4",
                type="Bug",
                created=at(4),
                started=at(5),
                transitions=(Transition(at(5), "To Do", "In Progress"),),
                status="In Progress",
            ),
            HistoryItem("A-5", created=at(11), started=at(12), status="In Review"),
            HistoryItem("A-6", created=at(12)),
        ),
        name="team-a",
    )


def test_throughput_cycle_lead_time_wip_and_age() -> None:
    m = flow_metrics(history(), as_of=dt.date(2025, 3, 16), weeks=2)  # day 13, a Sunday
    assert [w.done for w in m.weeks] == [2, 1]
    assert [w.start for w in m.weeks] == [dt.date(2025, 3, 3), dt.date(2025, 3, 10)]
    # WIP at the end of week 1: A-3 (started day 3) and A-4 (day 5); week 2
    assert [w.wip for w in m.weeks] == [2, 2]
    assert m.cycle_time.count == 3
    assert m.cycle_time.percentiles["p50"] == pytest.approx(4.0)
    assert m.lead_time.percentiles["p50"] == pytest.approx(6.0)
    assert m.throughput.mean == pytest.approx(1.5)
    assert (m.done, m.open, m.wip) == (3, 3, 2)
    ages = {a.key: a for a in m.aging}
    # as of the end of day 13: A-4 started day 5 noon -> 8.5 days, older than P85 cycle (5.6)
    assert ages["A-4"].age_days == pytest.approx(8.5, abs=0.01)
    assert ages["A-4"].late and not ages["A-5"].late
    assert m.by_type == {"-": 5, "Bug": 1}


def test_metrics_as_of_an_earlier_date_ignore_what_came_later() -> None:
    m = flow_metrics(history(), as_of=dt.date(2025, 3, 7))  # day 4
    assert m.done == 2 and m.items == 4  # did not exist yet
    assert m.cycle_time.count == 2


def test_empty_history_is_an_input_error() -> None:
    with pytest.raises(InputError):
        flow_metrics(History((), name="none"))
