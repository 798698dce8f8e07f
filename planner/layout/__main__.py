"""Print how long the layouts take on generated orgs: ``python -m planner.layout [sizes...]``.

Sizes default to 1,000 and 10,000 nodes. Orgs come from :mod:`planner.synthetic`
with every card at (0, 0), as after an import; the checks are timed on the laid
out org. Each figure is the best of three runs, so a busy machine disturbs it less.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from planner.layout import layered_layout, needs_layout, overlaps, tree_layout
from planner.synthetic import synthetic_org

RUNS = 3


def best_time(action: Callable[[], object]) -> float:
    """The shortest of :data:`RUNS` wall-clock runs of ``action``, in seconds."""
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    sizes = [int(arg) for arg in (sys.argv[1:] if argv is None else argv)] or [1000, 10000]
    print(f"{'nodes':>7} {'links':>7} {'layered':>9} {'tree':>9} {'overlaps':>9} {'needs_layout':>13}")
    for size in sizes:
        org = synthetic_org(size, seed=1)
        figures = [
            best_time(lambda org=org: layered_layout(org)),
            best_time(lambda org=org: tree_layout(org)),
        ]
        # The checks are slowest on a chart that is already drawn: nothing lets them stop early.
        org.move_nodes(layered_layout(org))
        positions = {node.id: (node.x, node.y) for node in org.nodes()}
        figures.append(best_time(lambda positions=positions: overlaps(positions)))
        figures.append(best_time(lambda org=org: needs_layout(org)))
        columns = " ".join(f"{seconds * 1000:>7.0f}ms" for seconds in figures[:3])
        print(f"{len(org):>7} {org.number_of_links():>7} {columns} {figures[3] * 1000:>11.0f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
