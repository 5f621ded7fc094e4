"""Org design and communication: diagnostics against the field's rules of thumb,
socio-technical congruence and team boundaries, escalation paths, the meeting cadence,
mentorship matching, tech-talk rotation and centres-of-excellence coverage.

Every function is pure and deterministic; dates default to today, so pass ``as_of`` for
reproducible output. See ``docs/org.md``.
"""

from scaleplan.analysis.org._common import Finding
from scaleplan.analysis.org.boundaries import BoundarySuggestion, Move, suggest_boundaries
from scaleplan.analysis.org.cadences import (
    CadencePlan,
    Meeting,
    PersonLoad,
    Recurrence,
    plan_cadences,
)
from scaleplan.analysis.org.centres import CentreCoverage, centre_coverage
from scaleplan.analysis.org.codes import CODES
from scaleplan.analysis.org.congruence import (
    CongruenceReport,
    TeamPair,
    congruence,
    coordination_requirements,
)
from scaleplan.analysis.org.diagnostics import OrgReport, TeamFigures, diagnose
from scaleplan.analysis.org.escalation import (
    EscalationPath,
    EscalationStep,
    escalation_path,
    escalation_paths,
)
from scaleplan.analysis.org.mentorship import (
    MentorPair,
    MentorshipResult,
    Unmatched,
    Weights,
    match_mentors,
    pair_score,
)
from scaleplan.analysis.org.talks import Talk, TalkSchedule, talk_rotation

__all__ = [
    "CODES",
    "BoundarySuggestion",
    "CadencePlan",
    "CentreCoverage",
    "CongruenceReport",
    "EscalationPath",
    "EscalationStep",
    "Finding",
    "Meeting",
    "MentorPair",
    "MentorshipResult",
    "Move",
    "OrgReport",
    "PersonLoad",
    "Recurrence",
    "Talk",
    "TalkSchedule",
    "TeamFigures",
    "TeamPair",
    "Unmatched",
    "Weights",
    "centre_coverage",
    "congruence",
    "coordination_requirements",
    "diagnose",
    "escalation_path",
    "escalation_paths",
    "match_mentors",
    "pair_score",
    "plan_cadences",
    "suggest_boundaries",
    "talk_rotation",
]
