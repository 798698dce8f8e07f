"""The rule catalog, one module per rule family; importing this package registers them all."""

from planner.analysis.rules import ownership, structure, load, alignment, risk  # noqa: I001  (catalog order)

__all__ = ["alignment", "load", "ownership", "risk", "structure"]
