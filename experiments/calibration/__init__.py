"""Calibration and validation of the baseline against China's statistics (issue 5).

``python -m experiments.calibration calibrate|noise|profile|validate|patterns|project|report|all [--out DIR]``
(``cli``: the commands and options; ``paths``: where it writes)

- ``observed``: the observed series in ``abm/data/observed/china_observed.csv`` (tidy, with sources).
- ``targets``: calibration targets (model mapping, weight, tolerance) and the objective.
- ``simulate``: replicated runs with common random numbers (own seeds, no ``mesa.batch_run``).
- ``micro``: micro moments from the money ledger (institutions' licence income and income composition).
- ``calibrate``: differential evolution (SciPy) over the free parameters on a process pool, resumable
  through an evaluation cache; writes ``abm/data/scenarios/baseline_calibrated.toml`` with its provenance.
- ``identify``: the noise check (replications against tolerances) and the profiles (identification).
- ``facts``: the stylised facts of MODEL.md with pass criteria fixed before they were computed.
- ``validate``, ``project``, ``report``: replicated validation, the 2030 projection, and the report
  (``docs/validation.md`` section, ``docs/img/validation_*.png``, ``results/calibration/report.html``).
"""

from experiments.calibration.observed import load_observed
from experiments.calibration.targets import FREE, TARGETS, Target, evaluate, objective

__all__ = ["FREE", "TARGETS", "Target", "evaluate", "load_observed", "objective"]
