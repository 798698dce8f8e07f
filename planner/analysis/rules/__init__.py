"""The rule catalog, one module per rule family; importing this package registers them all."""

from planner.analysis.rules import ownership, structure, load, alignment, risk, duties  # noqa: I001  (catalog order)

__all__ = ["alignment", "duties", "load", "ownership", "risk", "structure"]
