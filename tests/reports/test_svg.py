"""Inline SVG charts: geometry that can be checked by hand, escaping, colours."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from scaleplan.reports import svg

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # also proves the markup is well-formed XML


def test_rag_bar_widths_are_proportional_to_counts() -> None:
    root = parse(svg.rag_bar({"green": 2, "amber": 1, "red": 1}, width=400))
    widths = [float(r.get("width", 0)) for r in root.findall("s:rect", NS)]
    assert widths == [200.0, 100.0, 100.0]
    assert root.get("width") == "400"  # small charts keep their size


def test_gantt_bar_spans_its_dates_on_the_axis() -> None:
    start, end = dt.date(2026, 1, 1), dt.date(2026, 4, 1)  # 90 days
    markup = svg.gantt(
        [svg.Bar("a", dt.date(2026, 1, 31), dt.date(2026, 3, 2), "red")],
        start=start,
        end=end,
        width=1000,
    )
    bar = next(r for r in parse(markup).iter("{http://www.w3.org/2000/svg}rect") if r.get("rx"))
    # Axis from x=250 to x=990 (740 px for 90 days): day 30 -> 496.7, day 60 -> 743.3.
    assert float(bar.get("x", 0)) == 496.7
    assert float(bar.get("width", 0)) == 246.7
    assert bar.get("fill") == svg.RAG_COLOURS["red"]


def test_text_is_escaped() -> None:
    markup = svg.milestones(
        [svg.Milestone("<b>&co</b>", dt.date(2026, 2, 1))],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 1),
    )
    assert "<b>" not in markup and "&lt;b&gt;&amp;co&lt;/b&gt;" in markup
    parse(markup)


def test_load_colours_step_at_85_and_100_percent() -> None:
    assert svg.load_colour(None) == "#f1f3f6"
    assert svg.load_colour(0.0) == "#ebf1fa"
    assert svg.load_colour(0.85) == "#3559c7"
    assert svg.load_colour(0.9) == "#f2a900"
    assert svg.load_colour(1.1) == "#e57373"
    assert svg.load_colour(1.3) == "#c62828"


def test_heatmap_has_one_cell_per_value_with_a_tooltip() -> None:
    root = parse(svg.heatmap(["a", "b"], ["S1", "S2", "S3"], [[0.5, 1.2, None], [0, 0.9, 1]]))
    cells = root.findall("s:rect", NS)
    assert len(cells) == 6
    assert cells[1].find("s:title", NS).text == "a · S2: 120%"  # type: ignore[union-attr]
    assert cells[1].get("fill") == "#e57373"


def test_board_draws_warning_arrows_in_red_and_counts_hidden_cards() -> None:
    cards = [svg.Card(f"i{n}", "t1", 0) for n in range(6)] + [svg.Card("x", "t2", 1)]
    markup = svg.board(
        ["t1", "t2"], ["S1", "S2"], cards, [svg.Arrow("i0", "x", warning=True)], per_cell=4
    )
    root = parse(markup)
    paths = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("marker-end")]
    assert len(paths) == 1 and paths[0].get("stroke") == svg.RAG_COLOURS["red"]
    assert "+2 more" in markup  # 6 cards, 4 shown


def test_layered_graph_puts_dependencies_to_the_right() -> None:
    nodes = [svg.Node("web", "web", "a"), svg.Node("api", "api", "a"), svg.Node("db", "db", "b")]
    root = parse(svg.layered_graph(nodes, [("web", "api"), ("api", "db")]))
    xs = {}
    for rect in root.iter("{http://www.w3.org/2000/svg}rect"):
        title = rect.find("s:title", NS)
        if title is not None:
            xs[title.text.split(" ")[0]] = float(rect.get("x", 0))  # type: ignore[union-attr]
    assert xs["web"] < xs["api"] < xs["db"]


def test_forecast_ranges_colour_by_probability() -> None:
    r = svg.Range(
        "a",
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 20),
        dt.date(2026, 4, 1),
        deadline=dt.date(2026, 3, 15),
        probability=0.4,
    )
    markup = svg.forecast_ranges([r], start=dt.date(2026, 1, 1))
    assert svg.RAG_COLOURS["red"] in markup and ">40%<" in markup
    parse(markup)
