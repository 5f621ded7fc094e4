"""Adapters: turn the outside world (Jira, GitHub, CSV exports) into plain values.

The work-item history model and its importers::

    from scaleplan.adapters import load_history
    history = load_history("jira-export.csv")      # format detected from the content
    history.report.skipped                         # bad rows, each with its line

Live sources: :func:`fetch_jira` (the ``jira`` library, ``/search/jql`` paging) and
:func:`fetch_github` (REST, ``Link`` paging); both read their token from the environment.
"""

from scaleplan.adapters.github import fetch_github, fetch_github_raw, parse_github
from scaleplan.adapters.jira_csv import parse_jira_csv
from scaleplan.adapters.jira_json import parse_issues, resolve_fields
from scaleplan.adapters.jira_live import fetch_jira, fetch_jira_raw
from scaleplan.adapters.load import FORMATS, detect_format, load_histories, load_history
from scaleplan.adapters.plain_csv import parse_dates, parse_plain_csv
from scaleplan.model.history import (
    History,
    HistoryItem,
    ImportProblem,
    ImportReport,
    Link,
    Transition,
    Version,
    status_category,
)

__all__ = [
    "FORMATS",
    "History",
    "HistoryItem",
    "ImportProblem",
    "ImportReport",
    "Link",
    "Transition",
    "Version",
    "detect_format",
    "fetch_github",
    "fetch_github_raw",
    "fetch_jira",
    "fetch_jira_raw",
    "load_histories",
    "load_history",
    "parse_dates",
    "parse_github",
    "parse_issues",
    "parse_jira_csv",
    "parse_plain_csv",
    "resolve_fields",
    "status_category",
]
