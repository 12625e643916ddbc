"""abm: an agent-based model of China's new-type national innovation system (Mesa 3)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("nis-abm")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.1.0"

from abm.model import InnovationModel
from abm.params import PARAMETERS, ParameterError, validate_params
from abm.scenarios import ScenarioError, list_scenarios, load_scenario

__all__ = [
    "PARAMETERS",
    "InnovationModel",
    "ParameterError",
    "ScenarioError",
    "__version__",
    "list_scenarios",
    "load_scenario",
    "validate_params",
]
