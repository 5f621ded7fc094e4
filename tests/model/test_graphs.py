from __future__ import annotations

import pytest

from scaleplan.model.graphs import find_cycles, strongly_connected_components, topological_order


def test_find_cycles_returns_one_cycle_per_component() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["e"], "e": ["d"], "f": []}
    cycles = find_cycles(edges)
    assert sorted(sorted(c) for c in cycles) == [["a", "b", "c"], ["d", "e"]]


def test_self_loop_is_a_cycle() -> None:
    assert find_cycles({"a": ["a"]}) == [["a"]]


def test_acyclic_graph_has_no_cycles_and_a_topological_order() -> None:
    edges = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
    assert find_cycles(edges) == []
    order = topological_order(edges)
    assert order.index("a") < order.index("b") < order.index("d")


def test_topological_order_rejects_cycles() -> None:
    with pytest.raises(ValueError):
        topological_order({"a": ["b"], "b": ["a"]})


def test_long_chains_do_not_hit_the_recursion_limit() -> None:
    n = 20_000
    edges = {i: [i + 1] for i in range(n)}
    edges[n] = [0]
    components = strongly_connected_components(edges)
    assert len(components) == 1 and len(components[0]) == n + 1
