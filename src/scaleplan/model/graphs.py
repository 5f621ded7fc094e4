"""Small, dependency-free graph helpers shared by validation, planning and analyses."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def find_cycles(edges: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """One simple cycle per strongly connected component that has one, each as a node list
    whose last node leads back to the first. Nodes missing from ``edges`` have no successors.

    >>> find_cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": []})
    [['a', 'b', 'c']]
    """
    cycles: list[list[N]] = []
    for component in strongly_connected_components(edges):
        members = set(component)
        if len(component) == 1:
            node = component[0]
            if node in set(edges.get(node, ())):
                cycles.append([node])
            continue
        cycles.append(_cycle_in(component[0], edges, members))
    return cycles


def _cycle_in(start: N, edges: Mapping[N, Iterable[N]], members: set[N]) -> list[N]:
    # Walk inside the component until a node repeats; the repeated stretch is a cycle.
    order: list[N] = []
    seen: dict[N, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(order)
        order.append(node)
        node = next(m for m in edges.get(node, ()) if m in members)
    return order[seen[node] :]


def strongly_connected_components(edges: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """Tarjan's algorithm, iterative (no recursion limit on long dependency chains)."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    on_stack: set[N] = set()
    stack: list[N] = []
    result: list[list[N]] = []
    counter = 0
    nodes = list(edges)
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[N, Iterable[N]]] = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(edges.get(succ, ()))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[N] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                component.reverse()
                result.append(component)
    return result


def topological_order(edges: Mapping[N, Iterable[N]]) -> list[N]:
    """Nodes ordered so that every edge ``u -> v`` has ``u`` first (Kahn; stable by input
    order). Raises ``ValueError`` on a cycle."""
    indegree: dict[N, int] = {n: 0 for n in edges}
    for succs in edges.values():
        for s in succs:
            indegree[s] = indegree.get(s, 0) + 1
    ready = [n for n, d in indegree.items() if d == 0]
    order: list[N] = []
    i = 0
    while i < len(ready):
        node = ready[i]
        i += 1
        order.append(node)
        for succ in edges.get(node, ()):
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    if len(order) != len(indegree):
        raise ValueError("graph has a cycle")
    return order
