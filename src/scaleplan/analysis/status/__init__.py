"""Program status: RAG per initiative with its reason, and what changed between two versions.

Everything here is a pure function of one or two :class:`~scaleplan.model.Program` values and an
"as of" date, so the same inputs always give the same answer.

RAG rules (first match wins for the colour; every reason found is kept)
-----------------------------------------------------------------------
* **red** — the initiative itself is ``blocked``; its deadline (or an open item's) has passed;
  an item cannot finish by its deadline even with unlimited capacity (its chain of open
  prerequisites, each at ``max_people``); or a team cannot do, before the deadline, the work
  due by then (EDF demand / capacity > 1.0).
* **amber** — a team needs more than 85 % of its capacity before the deadline; an item is
  ``blocked``; an open (not yet ROAMed) risk with exposure >= 1 week threatens it; or an
  initiative it depends on is red.
* **green** — none of the above, or done.

The demand / capacity test is the earliest-deadline-first (EDF) fluid bound: a team can meet
every deadline only if, for each deadline ``D``, the remaining effort of its open items due by
``D`` fits in its capacity between today and ``D`` (capacity from
:mod:`scaleplan.analysis.capacity`: focus factor, holidays, time off, hiring, tech-debt reserve).
It ignores dependencies and so never calls red what a plan could still save; red is certain.

Projected finish dates (used for "slipped / improved") come from the same EDF queue: each team
works through its open items by due date (then file order) at its weekly capacity. It is a
capacity projection, not a schedule; the planner and the forecasts give better dates.

>>> from scaleplan import load_program  # doctest: +SKIP
>>> report = initiative_rag(load_program("examples/shopscale"))  # doctest: +SKIP


Modules: ``rag`` (RAG per initiative), ``slips`` (earliest finish and the capacity
projection), ``changes`` (what changed between two versions), ``_common`` (thresholds,
KR grades, capacity from a date).
"""

from scaleplan.analysis.status._common import (
    AMBER_LOAD,
    HORIZON_WEEKS,
    MIN_SHIFT_DAYS,
    RED_LOAD,
    RISK_EXPOSURE_WEEKS,
    CapacityFrom,
    Rag,
    due_of,
    kr_grade,
)
from scaleplan.analysis.status.changes import (
    CapacityChange,
    DateChange,
    ItemChange,
    ItemChangeKind,
    KrDelta,
    RagChange,
    RiskChange,
    StatusReport,
    diff_programs,
)
from scaleplan.analysis.status.rag import (
    InitiativeRag,
    RagReport,
    TeamLoad,
    initiative_rag,
)
from scaleplan.analysis.status.slips import (
    Chain,
    Projection,
    earliest_finish,
    person_rate,
    project_finish,
)

__all__ = [
    "AMBER_LOAD",
    "HORIZON_WEEKS",
    "MIN_SHIFT_DAYS",
    "RED_LOAD",
    "RISK_EXPOSURE_WEEKS",
    "CapacityChange",
    "CapacityFrom",
    "Chain",
    "DateChange",
    "InitiativeRag",
    "ItemChange",
    "ItemChangeKind",
    "KrDelta",
    "Projection",
    "Rag",
    "RagChange",
    "RagReport",
    "RiskChange",
    "StatusReport",
    "TeamLoad",
    "diff_programs",
    "due_of",
    "earliest_finish",
    "initiative_rag",
    "kr_grade",
    "person_rate",
    "project_finish",
]
