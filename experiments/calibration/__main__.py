"""Entry point: ``python -m experiments.calibration``."""

import sys

from experiments.calibration.cli import main

sys.exit(main())
