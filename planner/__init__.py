"""Team Structure Planner: draw a product org as a graph and check it for ownership gaps."""

__version__ = "0.1.0"
