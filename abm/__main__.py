"""``python -m abm``: the command-line interface."""

import sys

from abm.cli import main

sys.exit(main())
