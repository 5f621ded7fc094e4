"""The org diagnostic codes (``ORG001``...): title, severity and the source of each threshold.

These are analysis findings, not load errors: a program with them loads fine. Each code has a
``## CODE title`` section in ``docs/org.md`` (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass

TEAM_TOPOLOGIES = "Skelton & Pais, Team Topologies (2019)"
SCRUM_GUIDE = "Schwaber & Sutherland, The Scrum Guide (2020)"
LARSON = "Larson, An Elegant Puzzle (2019), 'Sizing teams'"
SPOTIFY = "Kniberg & Ivarsson, Scaling Agile @ Spotify (2012)"
SAFE = "SAFe 6.0, Agile Release Train"
DUNBAR = "Dunbar, 'Neocortex size as a constraint on group size in primates' (1992)"
BROOKS = "Brooks, The Mythical Man-Month (1975): n(n-1)/2 communication paths"
CATALDO = "Cataldo et al., 'Identification of coordination requirements' (CSCW 2006)"
TECH_DEBT = "20% of capacity for technical debt (common practice; scaleplan default)"
ONBOARDING = "onboarding rule of thumb (configurable; see docs/org.md)"
ESCALATION = "tiered communication with clear escalation paths (SAFe RTE / Spotify tribe lead)"
MEETINGS = "maker's schedule vs manager's schedule (Graham, 2009); configurable load limit"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    title: str
    severity: str
    source: str


CODES: dict[str, CodeInfo] = {
    "ORG001": CodeInfo("team size outside the recommended range", "warning", TEAM_TOPOLOGIES),
    "ORG002": CodeInfo("team too large", "error", SCRUM_GUIDE),
    "ORG003": CodeInfo("too many communication paths in a team", "warning", BROOKS),
    "ORG004": CodeInfo("manager span of control outside the range", "warning", LARSON),
    "ORG005": CodeInfo("manager-of-managers span outside the range", "warning", LARSON),
    "ORG006": CodeInfo("tribe too large", "warning", SPOTIFY),
    "ORG007": CodeInfo("release train headcount outside the range", "warning", SAFE),
    "ORG008": CodeInfo("release train team count outside the range", "warning", SAFE),
    "ORG009": CodeInfo("unit over Dunbar's number", "error", DUNBAR),
    "ORG010": CodeInfo("person in more than one squad", "error", SPOTIFY),
    "ORG011": CodeInfo("chapter spans tribes", "warning", SPOTIFY),
    "ORG012": CodeInfo("too few stream-aligned teams", "warning", TEAM_TOPOLOGIES),
    "ORG013": CodeInfo("platform team nobody consumes", "warning", TEAM_TOPOLOGIES),
    "ORG014": CodeInfo("collaboration lasting too long", "warning", TEAM_TOPOLOGIES),
    "ORG015": CodeInfo("service without an owner team", "warning", TEAM_TOPOLOGIES),
    "ORG016": CodeInfo("team over its cognitive-load limit", "warning", TEAM_TOPOLOGIES),
    "ORG017": CodeInfo("dependency on an overloaded team", "warning", SAFE),
    "ORG018": CodeInfo("technical-debt reserve too small", "warning", TECH_DEBT),
    "ORG019": CodeInfo("mentor with too many new hires", "warning", ONBOARDING),
    "ORG020": CodeInfo("team with too many new hires", "warning", ONBOARDING),
    "ORG021": CodeInfo("escalation path incomplete", "warning", ESCALATION),
    "ORG022": CodeInfo("centre of excellence misses key skills", "warning", SPOTIFY),
    "ORG023": CodeInfo("meeting load over the limit", "warning", MEETINGS),
    "ORG024": CodeInfo("no common slot in working hours", "warning", MEETINGS),
    "ORG025": CodeInfo("required coordination without a channel", "warning", CATALDO),
    "ORG026": CodeInfo("declared mentor unknown or inactive", "warning", ONBOARDING),
}
