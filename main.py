"""Run the Team Structure Planner from a source checkout: ``python main.py ARGS`` is ``planner ARGS``."""

import sys

from planner.cli import main

if __name__ == "__main__":
    sys.exit(main())
