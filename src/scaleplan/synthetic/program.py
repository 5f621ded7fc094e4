"""Synthetic programs of any size, for benchmarks, tests and demos.

:func:`generate_program` builds a realistic program *document* (the single-file form: plain
dicts, lists, strings and numbers; dates as ISO strings) from a seed; :func:`write_program`
writes it as a program repository. The structure follows the rules of thumb in
``ARCHITECTURE.md``: tribes of 5-12 teams, teams of 5-9 people, managers with spans of 4-8,
effort skewed like real estimates (lognormal, 1-12 person-weeks) and dependencies that form a
DAG, mostly inside an initiative.

>>> from scaleplan import program_from_document
>>> doc = generate_program(teams=8, items=120, seed=3)
>>> program_from_document(doc).ok
True
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from typing import Any, Literal

from scaleplan.errors import UsageError

Document = dict[str, Any]
Layout = Literal["single", "split"]

#: Calendar start of every generated program (a Monday).
DEFAULT_START = dt.date(2027, 1, 4)


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(sep) if w.strip())


_TRIBE_DOMAINS = _words(
    "Discovery Checkout Payments Fulfilment Customer Marketplace Pricing Logistics Growth Content "
    "Loyalty Merchant Identity Insights Mobile Partners Subscriptions Support Ads Finance Risk "
    "Catalog Travel Media"
)
_SQUAD_FOCUS = _words(
    "Core Experience Data Integrations Growth API Operations Quality Automation Insights Web Apps"
)
_FIRST = _words(
    "Anna Ben Carla David Elif Farah Gustav Hana Ivan Julia Kofi Lena Mateo Nadia Omar Priya "
    "Quentin Rosa Sven Tariq Uma Viktor Wen Ximena Yusuf Zoe Arjun Bea Chen Dario Eva Femi Greta "
    "Hiro Ines Jonas Kavya Luca Maya Nils Olga Pedro Rahul Sara Tomas Ulla Vera Wiktor Yara Zain"
)
_LAST = _words(
    "Adams Berg Costa Demir Eriksen Fischer Gupta Hoffmann Iyer Jensen Kowalski Lindqvist Mensah "
    "Nowak Okafor Patel Quinn Rossi Schmidt Tanaka Ueda Vogel Weber Xu Yilmaz Zimmermann Alves "
    "Brandt Chen Dubois Eze Fontaine Garcia Haddad Ivanova Joshi Keller Lang Meyer Nair Olsen "
    "Petrova Reddy Silva Torres Umar Varga Wolf Yamada Zhou"
)
_ZONES = _words(
    "Europe/Berlin America/New_York Asia/Kolkata Europe/London America/Los_Angeles "
    "Asia/Singapore Europe/Lisbon"
)
_CRAFTS: dict[str, tuple[str, ...]] = {
    "backend": ("kotlin", "java", "go", "python", "postgres", "kafka", "redis"),
    "frontend": ("typescript", "react", "css", "accessibility", "nextjs"),
    "infrastructure": ("kubernetes", "terraform", "aws", "observability", "ci-cd"),
    "data": ("python", "spark", "sql", "ml", "airflow"),
    "quality": ("testing", "playwright", "contract-testing", "load-testing"),
}
_CRAFT_WEIGHTS = (0.45, 0.25, 0.12, 0.1, 0.08)
_GUILDS = (
    ("security", "Security guild", "Threat modelling, secure defaults, dependency hygiene."),
    ("performance", "Performance guild", "Latency budgets, load testing and profiling."),
    ("api-design", "API design guild", "Contract-first APIs, versioning and events."),
    ("docs-as-code", "Docs-as-code guild", "Docs in the repo, reviewed in every pull request."),
    ("accessibility", "Accessibility guild", "Inclusive design and WCAG in every squad."),
)
_LEVELS = (1, 2, 3, 4, 5, 6, 7)
_LEVEL_WEIGHTS = (0.08, 0.2, 0.26, 0.2, 0.15, 0.09, 0.02)
_FIB = (1, 2, 3, 5, 8, 13, 20)
_RICE_IMPACT = (3.0, 2.0, 1.0, 0.5, 0.25)
_RICE_CONFIDENCE = (100, 80, 50)
_VERBS = _words(
    "Modernise Scale Launch Automate Extract Harden Simplify Redesign Migrate Personalise "
    "Localise Instrument"
)
_THINGS = _words(
    "checkout flow; order pipeline; search relevance; product pages; payment methods; "
    "delivery promises; account settings; pricing engine; returns handling; partner API; "
    "notification service; reporting; mobile app; recommendations; inventory sync; "
    "fraud screening; onboarding; billing; feature flags; deployment pipeline",
    ";",
)
_PHASES = _words(
    "discovery spike; API contract; data model; backend service; frontend; migration; "
    "rollout; load test; docs and runbook; monitoring; cleanup; A/B test; integration; "
    "security review; performance tuning",
    ";",
)
_KR_METRICS = (
    ("Conversion rate", "%", 2.0, 3.0),
    ("p95 latency", "ms", 900.0, 300.0),
    ("Availability", "%", 99.5, 99.95),
    ("Lead time for changes", "hours", 72.0, 4.0),
    ("Deploys per week", "deploys", 3.0, 40.0),
    ("Change failure rate", "%", 25.0, 10.0),
    ("Support contacts per 100 orders", "contacts", 12.0, 6.0),
    ("Active markets", "markets", 1.0, 4.0),
    ("Orders per minute at peak", "orders/min", 400.0, 4000.0),
    ("Services documented as code", "%", 10.0, 100.0),
)


def generate_program(
    *,
    teams: int,
    items: int,
    people: int | None = None,
    services: int | None = None,
    initiatives: int | None = None,
    weeks: int = 52,
    seed: int = 1,
    start: dt.date = DEFAULT_START,
) -> Document:
    """A realistic, valid program document with the given sizes, the same for the same seed.

    ``people`` counts everyone, managers included (default: 5-8 members per team plus the
    management tree); ``services`` defaults to 1.5 per team and ``initiatives`` to one per 8
    work items. Raises :class:`~scaleplan.errors.UsageError` for impossible sizes.
    """
    if teams < 1:
        raise UsageError("teams must be at least 1")
    if items < 0:
        raise UsageError("items must not be negative")
    if weeks < 4:
        raise UsageError("weeks must be at least 4")
    return _Generator(
        random.Random(seed), teams, items, people, services, initiatives, weeks, start
    ).run()


class _Generator:
    """Builds one document; each ``_build_*`` step fills ``self.doc`` in dependency order."""

    def __init__(
        self,
        rng: random.Random,
        teams: int,
        items: int,
        people: int | None,
        services: int | None,
        initiatives: int | None,
        weeks: int,
        start: dt.date,
    ) -> None:
        self.rng = rng
        self.n_teams = teams
        self.n_items = items
        self.n_people = people
        self.n_services = services if services is not None else max(1, round(teams * 1.5))
        if initiatives is None:
            initiatives = max(1, math.ceil(items / 8)) if items else 0
        self.n_initiatives = min(initiatives, items) if items else 0
        self.weeks = weeks
        self.start = start
        self.end = start + dt.timedelta(weeks=weeks)
        self.doc: Document = {}
        self.used_ids: set[str] = set()
        self.people: list[Document] = []
        self.leaders: list[str] = []
        self.kr_ids: list[str] = []
        self.team_tribe: dict[str, str] = {}
        self.team_zone: dict[str, str] = {}
        self.tribe_teams: dict[str, list[str]] = {}
        self.platform_teams: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def _date(self, week: float) -> str:
        return (self.start + dt.timedelta(days=round(week * 7))).isoformat()

    def _unique(self, base: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "x"
        candidate, n = slug, 2
        while candidate in self.used_ids:
            candidate, n = f"{slug}-{n}", n + 1
        self.used_ids.add(candidate)
        return candidate

    def _person(
        self, role: str, level: int, zone: str, manager: str | None, **extra: Any
    ) -> Document:
        first, last = self.rng.choice(_FIRST), self.rng.choice(_LAST)
        pid = self._unique(f"{first}-{last}")
        person: Document = {"id": pid, "name": f"{first} {last}", "role": role, "level": level}
        if manager is not None:
            person["manager"] = manager
        person["timezone"] = zone
        person.update(extra)
        if level >= 5:
            person["mentoring_capacity"] = 1 if level == 5 else 2
        return person

    # -- steps -----------------------------------------------------------------------------
    def run(self) -> Document:
        self._build_meta()
        self._build_org()
        self._build_services()
        self._build_objectives()
        self._build_initiatives()
        self._build_work_items()
        self._build_risks()
        self._build_cadences()
        self._build_capacity()
        return self.doc

    def _build_meta(self) -> None:
        increments = []
        for i in range(math.ceil(self.weeks / 13)):
            first, last = 13 * i, min(13 * (i + 1), self.weeks)
            increments.append(
                {
                    "id": f"PI-{i + 1}",
                    "name": f"Increment {i + 1}",
                    "start": self._date(first),
                    "end": self._date(last),
                }
            )
        year = self.start.year
        holidays = [
            {"date": d.isoformat(), "name": name}
            for d, name in (
                (dt.date(year, 12, 24), "Christmas Eve"),
                (dt.date(year, 12, 31), "New Year's Eve"),
            )
            if self.start <= d < self.end
        ]
        self.doc["program"] = {
            "name": f"Synthetic program ({self.n_teams} teams, {self.n_items} work items)",
            "description": "Generated by scaleplan.synthetic for benchmarks and tests.",
            "decision_maker": "",  # filled in by _build_org
            "tpm": "",
        }
        self.doc["calendar"] = {
            "start": self.start.isoformat(),
            "sprint_weeks": 2,
            "increments": increments,
            "holidays": holidays,
        }
        self.doc["settings"] = {
            "focus_factor": 0.8,
            "tech_debt_reserve": 0.2,
            "scoring": {"method": "wsjf"},
        }

    def _tribe_sizes(self) -> list[int]:
        n_tribes = max(1, round(self.n_teams / 8))
        while n_tribes > 1 and self.n_teams / n_tribes < 5:
            n_tribes -= 1
        while self.n_teams / n_tribes > 12:
            n_tribes += 1
        base, extra = divmod(self.n_teams, n_tribes)
        return [base + (1 if i < extra else 0) for i in range(n_tribes)]

    def _team_sizes(self, overhead: int) -> list[int]:
        rng = self.rng
        if self.n_people is None:
            return [rng.choice((5, 6, 6, 7, 7, 7, 8, 8)) for _ in range(self.n_teams)]
        members = self.n_people - overhead
        low, high = 5 * self.n_teams, 9 * self.n_teams
        if not low <= members <= high:
            raise UsageError(
                f"{self.n_people} people do not fit {self.n_teams} teams of 5-9 people plus "
                f"{overhead} managers; ask for {low + overhead} to {high + overhead} people"
            )
        base, extra = divmod(members, self.n_teams)
        sizes = [base + (1 if i < extra else 0) for i in range(self.n_teams)]
        for _ in range(self.n_teams):  # shuffle sizes a little, keeping the total and the bounds
            a, b = rng.randrange(self.n_teams), rng.randrange(self.n_teams)
            if sizes[a] < 9 and sizes[b] > 5 and a != b:
                sizes[a] += 1
                sizes[b] -= 1
        return sizes

    def _management_layers(self, n_tribes: int) -> list[int]:
        """How many managers sit on each layer between the tribe leads and the CTO."""
        layers: list[int] = []
        count = n_tribes
        while count > 7:  # the CTO also manages the TPM
            count = math.ceil(count / 6)
            layers.append(count)
        return layers

    def _build_org(self) -> None:
        tribe_sizes = self._tribe_sizes()
        layers = self._management_layers(len(tribe_sizes))
        overhead = 2 + len(tribe_sizes) + sum(layers) + self.n_teams  # CTO, TPM, leads, EMs
        team_sizes = iter(self._team_sizes(overhead))
        cto = self._person("cto", 8, _ZONES[0], None)
        tpm = self._person("tpm", 6, _ZONES[0], cto["id"])
        self.people = [cto, tpm]
        self.leaders = [cto["id"]]
        self.doc["program"]["decision_maker"] = cto["id"]
        self.doc["program"]["tpm"] = tpm["id"]
        # Directors between the CTO and the tribe leads keep every span at eight or less.
        uppers: list[str] = [cto["id"]]
        for count in reversed(layers):
            layer = [
                self._person("director", 7, _ZONES[0], uppers[i * len(uppers) // count])
                for i in range(count)
            ]
            self.people += layer
            uppers = [p["id"] for p in layer]
        tribes: list[Document] = []
        teams: list[Document] = []
        chapters: dict[str, Document] = {}
        for n, size in enumerate(tribe_sizes):
            domain = _TRIBE_DOMAINS[n % len(_TRIBE_DOMAINS)]
            if n >= len(_TRIBE_DOMAINS):
                domain = f"{domain} {n // len(_TRIBE_DOMAINS) + 1}"
            zone = _ZONES[n % len(_ZONES)]
            lead = self._person("tribe-lead", 7, zone, uppers[n * len(uppers) // len(tribe_sizes)])
            self.people.append(lead)
            self.leaders.append(lead["id"])
            tribe_id = self._unique(domain)
            mission = f"Everything {domain.lower()} for our customers."
            tribes.append({"id": tribe_id, "name": domain, "lead": lead["id"], "mission": mission})
            self.tribe_teams[tribe_id] = []
            for k in range(size):
                team = self._team(domain, tribe_id, lead["id"], zone, k, size)
                teams.append(team)
                for _ in range(next(team_sizes)):
                    member = self._member(team, zone)
                    chapter = chapters.setdefault(
                        member["chapter"],
                        {"id": member["chapter"], "name": f"{domain} {member['_craft']}"},
                    )
                    if member["level"] > chapter.get("_level", 0):
                        chapter.update({"lead": member["id"], "_level": member["level"]})
                    del member["_craft"]
        engineers = [p for p in self.people if p["role"] == "engineer"]
        self.doc.update(
            {
                "tribes": tribes,
                "teams": teams,
                "people": self.people,
                "chapters": [
                    {k: v for k, v in c.items() if k != "_level"} for c in chapters.values()
                ],
                "guilds": self._guilds(engineers),
                "centres": self._centres(engineers),
            }
        )

    def _team(
        self, domain: str, tribe_id: str, tribe_lead: str, zone: str, k: int, size: int
    ) -> Document:
        """The ``k``-th of ``size`` teams of a tribe, with its engineering manager."""
        name = f"{domain} {_SQUAD_FOCUS[k % len(_SQUAD_FOCUS)]}"
        team_id = self._unique(name)
        kind = "stream-aligned"  # the last teams of a big enough tribe serve the others
        if k == size - 1 and size >= 5:
            kind = "platform"
            self.platform_teams.append(team_id)
        elif k == size - 2 and size >= 8:
            kind = "enabling"
        elif k == size - 3 and size >= 6:
            kind = "complicated-subsystem"
        em = self._person("engineering-manager", self.rng.choice((5, 6)), zone, tribe_lead)
        self.people.append(em)
        self.team_tribe[team_id] = tribe_id
        self.tribe_teams[tribe_id].append(team_id)
        self.team_zone[team_id] = zone
        return {"id": team_id, "name": name, "type": kind, "tribe": tribe_id, "lead": em["id"]}

    def _member(self, team: Document, zone: str) -> Document:
        """An engineer of ``team``; ``_craft`` is a scratch key the caller removes."""
        rng = self.rng
        craft = rng.choices(tuple(_CRAFTS), _CRAFT_WEIGHTS)[0]
        level = rng.choices(_LEVELS, _LEVEL_WEIGHTS)[0]
        member_zone = zone if rng.random() < 0.8 else rng.choice(_ZONES)
        person = self._person(
            "engineer",
            level,
            member_zone,
            team["lead"],
            team=team["id"],
            skills=rng.sample(_CRAFTS[craft], k=3),
            chapter=f"{team['tribe']}-{craft}",
        )
        roll = rng.random()
        if roll < 0.3:
            person["guilds"] = [g[0] for g in rng.sample(_GUILDS, k=1 if roll < 0.22 else 2)]
        if rng.random() < 0.05:  # a planned hire
            person["start_date"] = self._date(rng.uniform(2, max(2.0, self.weeks - 6)))
        elif rng.random() < 0.01:
            person["end_date"] = self._date(rng.uniform(8, self.weeks))
        if rng.random() < 0.04:
            person["fte"] = 0.8
        self.people.append(person)
        person["_craft"] = craft
        return person

    @staticmethod
    def _guilds(engineers: list[Document]) -> list[Document]:
        guilds = []
        for gid, name, topic in _GUILDS:
            guild: Document = {"id": gid, "name": name, "topic": topic}
            members = [p for p in engineers if gid in p.get("guilds", ())]
            if members:
                guild["lead"] = max(members, key=lambda p: p["level"])["id"]
            guilds.append(guild)
        return guilds

    @staticmethod
    def _centres(engineers: list[Document]) -> list[Document]:
        seniors = sorted(engineers, key=lambda p: -p["level"])
        return [
            {
                "id": "coe-architecture",
                "name": "Architecture & Migration",
                "domain": "Service extraction and event-driven design",
                "lead": seniors[0]["id"],
                "members": [p["id"] for p in seniors[1:6]],
                "key_skills": ["kafka", "postgres", "contract-testing"],
            }
        ]

    def _build_services(self) -> None:
        rng = self.rng
        team_ids = [t["id"] for t in self.doc["teams"]]
        order = team_ids[:]
        rng.shuffle(order)
        services: list[Document] = []
        n_modules = max(1, self.n_services // 10) if self.n_services >= 5 else 0
        for i in range(self.n_services):
            owner = order[i % len(order)]
            thing = _THINGS[i % len(_THINGS)]
            module = i < n_modules
            sid = self._unique(f"legacy-{thing}" if module else f"{owner.split('-')[0]}-{thing}")
            service: Document = {
                "id": sid,
                "name": ("Monolith: " if module else "") + thing.capitalize(),
                "owner": owner,
                "tier": rng.choice((1, 2, 2, 3)),
            }
            if module:
                service["lifecycle"] = "monolith-module"
            elif rng.random() < 0.03:
                service["lifecycle"] = "retired"
            if i:
                k = min(i, rng.choice((0, 1, 1, 2, 2, 3)))
                deps = sorted(
                    set(rng.sample(range(max(0, i - 30), i), k=min(k, i - max(0, i - 30))))
                )
                if deps:
                    service["depends_on"] = [services[d]["id"] for d in deps]
            service["repository"] = f"git.example.com/{sid}"
            services.append(service)
        dependents: dict[str, list[str]] = {}
        for service in services:
            for dep in service.get("depends_on", ()):
                dependents.setdefault(dep, []).append(service["id"])
        for service in services:
            if service.get("lifecycle") == "retired":
                continue
            api: Document = {"name": f"{service['id']}-api", "version": f"1.{rng.randrange(6)}.0"}
            consumers = dependents.get(service["id"], [])[:3]
            if consumers:
                api["consumers"] = consumers
            service["apis"] = [api]
        self.doc["services"] = services

    def _build_objectives(self) -> None:
        rng = self.rng
        n_obj = max(2, min(60, math.ceil(self.n_initiatives / 10)))
        objectives = []
        for o in range(n_obj):
            krs = []
            for _ in range(rng.choice((2, 3, 3, 4))):
                metric, unit, baseline, target = rng.choice(_KR_METRICS)
                kid = f"kr-{len(self.kr_ids) + 1}"
                self.kr_ids.append(kid)
                progress = rng.uniform(0.0, 0.3)
                krs.append(
                    {
                        "id": kid,
                        "title": f"{metric}: {baseline:g} to {target:g} {unit}",
                        "metric": metric,
                        "unit": unit,
                        "baseline": baseline,
                        "target": target,
                        "current": round(baseline + (target - baseline) * progress, 2),
                        "kind": "committed" if rng.random() < 0.4 else "aspirational",
                        "owner": rng.choice(self.leaders),
                    }
                )
            objectives.append(
                {
                    "id": f"obj-{o + 1}",
                    "title": f"{rng.choice(_VERBS)} the {rng.choice(_THINGS)}",
                    "owner": rng.choice(self.leaders),
                    "key_results": krs,
                }
            )
        self.doc["objectives"] = objectives

    def _build_initiatives(self) -> None:
        rng = self.rng
        team_ids = [t["id"] for t in self.doc["teams"]]
        initiatives = []
        for i in range(self.n_initiatives):
            owner = rng.choice(team_ids)
            if owner in self.platform_teams:
                kind = rng.choices(("platform", "tech-debt", "ktlo"), (0.6, 0.25, 0.15))[0]
            else:
                kind = rng.choices(
                    ("feature", "tech-debt", "platform", "ktlo"), (0.65, 0.2, 0.05, 0.1)
                )[0]
            thing = rng.choice(_THINGS)
            initiative: Document = {
                "id": f"ini-{i + 1}",
                "title": f"{rng.choice(_VERBS)} {thing}",
                "kind": kind,
                "owner": owner,
                "status": rng.choices(("proposed", "todo", "in-progress"), (0.5, 0.35, 0.15))[0],
                "moscow": rng.choices(("must", "should", "could", "wont"), (0.3, 0.35, 0.25, 0.1))[
                    0
                ],
            }
            if self.kr_ids:
                initiative["key_results"] = rng.sample(
                    self.kr_ids, k=min(len(self.kr_ids), rng.choice((1, 1, 2)))
                )
            if i and rng.random() < 0.1:
                initiative["depends_on"] = [f"ini-{rng.randrange(max(0, i - 50), i) + 1}"]
            if rng.random() < 0.1:
                initiative["deadline"] = self._date(rng.uniform(self.weeks * 0.3, self.weeks - 1))
            initiative["ice"] = {
                "impact": rng.randint(1, 10),
                "confidence": rng.randint(1, 10),
                "ease": rng.randint(1, 10),
            }
            initiative["rice"] = {
                "reach": rng.choice((500, 2000, 10000, 50000, 200000)),
                "impact": rng.choice(_RICE_IMPACT),
                "confidence": rng.choice(_RICE_CONFIDENCE),
            }
            initiative["wsjf"] = {
                "business_value": rng.choice(_FIB),
                "time_criticality": rng.choice(_FIB),
                "risk_reduction": rng.choice(_FIB),
            }
            initiatives.append(initiative)
        self.doc["initiatives"] = initiatives

    def _initiative_sizes(self) -> list[int]:
        """Items per initiative: skewed (lognormal), at least one each, summing to the total."""
        n = self.n_initiatives
        if n == 0:
            return []
        weights = [self.rng.lognormvariate(0.0, 0.6) for _ in range(n)]
        spare = self.n_items - n
        total = sum(weights)
        sizes = [1 + int(spare * w / total) for w in weights]
        for k in range(self.n_items - sum(sizes)):
            sizes[k % n] += 1
        return sizes

    def _team_for_item(self, owner: str) -> str:
        roll = self.rng.random()
        if roll < 0.82:
            return owner
        peers = self.tribe_teams[self.team_tribe[owner]]
        if roll < 0.94 or not self.platform_teams:
            return self.rng.choice(peers)
        return self.rng.choice(self.platform_teams)

    def _estimate(self, item: Document) -> None:
        rng = self.rng
        effort = min(12.0, max(1.0, round(rng.lognormvariate(1.15, 0.6) * 2) / 2))
        if rng.random() < 0.1:
            points = min(_FIB, key=lambda f: abs(f - effort * 3))
            item["points"] = points
            if rng.random() < 0.3:
                item["low"], item["high"] = max(1, points // 2), points * 2
        else:
            item["effort"] = effort
            if rng.random() < 0.25:
                item["low"] = round(effort * rng.uniform(0.5, 0.85), 1)
                item["high"] = round(effort * rng.uniform(1.3, 2.2), 1)
        if effort >= 3:
            item["max_people"] = rng.choice((1, 2, 2, 3))

    def _build_work_items(self) -> None:
        work: list[Document] = []
        last_of: dict[str, str] = {}
        for initiative, size in zip(self.doc["initiatives"], self._initiative_sizes(), strict=True):
            iid, owner = initiative["id"], initiative["owner"]
            mine: list[Document] = []
            for k in range(size):
                item: Document = {
                    "id": f"w-{len(work) + 1}",
                    "title": f"{initiative['title']}: {_PHASES[k % len(_PHASES)]}",
                    "initiative": iid,
                    "team": self._team_for_item(owner),
                }
                self._estimate(item)
                deps = self._dependencies(item, mine, initiative, last_of)
                if deps:
                    item["depends_on"] = deps
                self._status_and_dates(item)
                item["external_key"] = f"SYN-{len(work) + 1}"
                mine.append(item)
                work.append(item)
            if mine:
                last_of[iid] = mine[-1]["id"]
        self.doc["work_items"] = work

    def _dependencies(
        self, item: Document, earlier: list[Document], initiative: Document, last_of: dict[str, str]
    ) -> list[Any]:
        """Edges only to earlier items: the graph is a DAG by construction."""
        rng = self.rng
        deps: list[str] = []
        if not earlier:
            for other in initiative.get("depends_on", ()):
                if other in last_of:
                    deps.append(last_of[other])
            return list(deps)
        n_deps = rng.choices((0, 1, 2), (0.3, 0.55, 0.15))[0]
        recent = earlier[-12:]
        same = [e for e in recent if e["team"] == item["team"]]
        other = [e for e in recent if e["team"] != item["team"]]
        if not same and rng.random() < 0.6:
            n_deps = 0  # a contribution from another team often stands on its own
        for _ in range(n_deps):
            cross = rng.random() < 0.07
            pool = other if (cross and other) or not same else same
            choice = rng.choice(pool)["id"]
            if choice not in deps:
                deps.append(choice)
        out: list[Any] = list(deps)
        if out and rng.random() < 0.03:
            out[0] = {"item": out[0], "lag_weeks": rng.choice((1, 2))}
        return out

    def _status_and_dates(self, item: Document) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04 and "depends_on" not in item:
            item["status"] = "done"
            item["finished"] = self._date(-rng.uniform(1, 8))
        elif roll < 0.08 and "depends_on" not in item:
            item["status"] = "in-progress"
            item["started"] = self._date(-rng.uniform(0, 6))
            item["progress"] = round(rng.uniform(0.1, 0.8), 2)
        if rng.random() < 0.06:
            item["deadline"] = self._date(rng.uniform(8, self.weeks - 1))
            item["deadline_kind"] = "hard" if rng.random() < 0.3 else "soft"
        elif rng.random() < 0.03:
            item["earliest_start"] = self._date(rng.uniform(2, self.weeks / 2))

    def _build_risks(self) -> None:
        rng = self.rng
        work = self.doc["work_items"]
        n = min(300, max(3, self.n_items // 100)) if work else 0
        statuses = ("open", "resolved", "owned", "accepted", "mitigated")
        self.doc["risks"] = [
            {
                "id": f"risk-{r + 1}",
                "title": f"{rng.choice(_THINGS).capitalize()} {rng.choice(('slips', 'needs rework', 'lacks skills', 'waits on a vendor'))}",
                "status": rng.choices(statuses, (0.35, 0.1, 0.25, 0.15, 0.15))[0],
                "owner": rng.choice(self.leaders),
                "items": [rng.choice(work)["id"] for _ in range(rng.choice((1, 2, 3)))],
                "probability": rng.choice((0.1, 0.2, 0.3, 0.5, 0.7)),
                "impact_weeks": rng.choice((1, 2, 4, 6, 8)),
            }
            for r in range(n)
        ]

    def _build_cadences(self) -> None:
        cadences: list[Document] = []
        for team in self.doc["teams"]:
            cadences.append(
                {
                    "id": f"daily-{team['id']}",
                    "name": f"{team['name']} daily",
                    "frequency": "daily",
                    "attendees": {"teams": [team["id"]]},
                    "duration_minutes": 15,
                    "time": "09:30",
                    "timezone": self.team_zone[team["id"]],
                    "facilitator": team["lead"],
                }
            )
        for tribe in self.doc["tribes"]:
            cadences.append(
                {
                    "id": f"sync-{tribe['id']}",
                    "name": f"{tribe['name']} tribe sync",
                    "frequency": "weekly",
                    "attendees": {"tribes": [tribe["id"]]},
                    "duration_minutes": 45,
                    "day": "tue",
                    "time": "14:00",
                    "timezone": "Europe/Berlin",
                    "facilitator": tribe["lead"],
                }
            )
        all_tribes = [t["id"] for t in self.doc["tribes"]]
        tpm = self.doc["program"]["tpm"]
        cadences += [
            {
                "id": "program-review",
                "name": "Monthly program review",
                "frequency": "monthly",
                "attendees": {"people": self.leaders[:9]},
                "duration_minutes": 90,
                "day": "thu",
                "time": "15:00",
                "timezone": "Europe/Berlin",
                "facilitator": tpm,
            },
            {
                "id": "pi-planning",
                "name": "PI planning",
                "frequency": "per-increment",
                "attendees": {"tribes": all_tribes},
                "duration_minutes": 480,
                "day": "tue",
                "time": "09:00",
                "timezone": "Europe/Berlin",
                "facilitator": tpm,
            },
            {
                "id": "techtalk",
                "name": "TechTalk",
                "frequency": "weekly",
                "attendees": {"tribes": all_tribes},
                "duration_minutes": 45,
                "day": "fri",
                "time": "15:30",
                "timezone": "Europe/Berlin",
            },
        ]
        for guild in self.doc["guilds"]:
            cadence: Document = {
                "id": f"guild-{guild['id']}",
                "name": guild["name"],
                "frequency": "biweekly",
                "attendees": {"guilds": [guild["id"]]},
                "duration_minutes": 60,
                "day": "thu",
                "time": "16:00",
                "timezone": "Europe/Berlin",
            }
            if "lead" in guild:
                cadence["facilitator"] = guild["lead"]
            cadences.append(cadence)
        self.doc["cadences"] = cadences

    def _build_capacity(self) -> None:
        rng = self.rng
        exceptions: list[Document] = []
        engineers = [p for p in self.people if p["role"] == "engineer"]
        for person in rng.sample(engineers, k=len(engineers) // 30):
            first = rng.uniform(1, self.weeks - 4)
            exceptions.append(
                {
                    "person": person["id"],
                    "start": self._date(first),
                    "end": self._date(first + rng.choice((1, 2, 3)) - 3 / 7),
                    "available": 0.0,
                    "reason": "Time off",
                }
            )
        for team in rng.sample(self.doc["teams"], k=max(0, len(self.doc["teams"]) // 20)):
            first = rng.uniform(1, self.weeks - 2)
            exceptions.append(
                {
                    "team": team["id"],
                    "start": self._date(first),
                    "end": self._date(first + 1 - 3 / 7),
                    "available": 0.5,
                    "reason": "Offsite",
                }
            )
        self.doc["capacity_exceptions"] = exceptions


# ---------------------------------------------------------------------------- counting
def document_counts(doc: Document) -> dict[str, int]:
    """Entities per kind in a program document, under the keys of ``Program.counts()``."""
    counts = {
        section: len(doc.get(section) or [])
        for section in (
            "tribes",
            "teams",
            "people",
            "chapters",
            "guilds",
            "centres",
            "services",
            "objectives",
        )
    }
    counts["key_results"] = sum(
        len(o.get("key_results") or []) for o in doc.get("objectives") or []
    )
    for section in ("initiatives", "work_items"):
        counts[section] = len(doc.get(section) or [])
    counts["dependencies"] = sum(
        len(w.get("depends_on") or []) for w in doc.get("work_items") or []
    )
    for section in ("risks", "cadences", "capacity_exceptions", "events"):
        counts[section] = len(doc.get(section) or [])
    return counts


__all__ = ["DEFAULT_START", "Document", "Layout", "document_counts", "generate_program"]
