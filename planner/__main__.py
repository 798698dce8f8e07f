"""``python -m planner ARGS`` is the ``planner`` command, for when the script is not on the PATH."""

import sys

from planner.cli import main

sys.exit(main())
