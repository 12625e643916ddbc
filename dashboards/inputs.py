"""What the parameter controls show and accept: display units (money in bn or million yuan), strict
parsing of typed numbers, and the scale cap of a shared server. No user-interface code here.

- Money is entered in bn yuan (budgets, funds, valuations) or million yuan (per start-up, per
  contract, per quarter), never in yuan with eleven zeros.
- A typed value is parsed strictly: ``1,000`` or ``12abc`` is refused with a message naming the
  parameter, the text and the allowed range (in the control's unit), never silently turned into 1.0.
- ``scale`` is chosen from a short list, capped by ``NIS_DASHBOARD_MAX_SCALE`` (a server setting,
  default 0.02, about 19,000 agents); sizes above :data:`CLASSROOM_SCALE` ask before they are built.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

from abm import ParameterError
from dashboards.i18n_zh import unit as unit_text
from dashboards.labels import current_language, t

MAX_SCALE_ENV = "NIS_DASHBOARD_MAX_SCALE"
DEFAULT_MAX_SCALE = 0.02
CLASSROOM_SCALE = 0.002  # the default: ~1,900 agents, a few ms per quarter
SCALE_CHOICES = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def max_scale() -> float:
    """The largest ``scale`` this server builds (setting ``NIS_DASHBOARD_MAX_SCALE``)."""
    try:
        value = float(os.environ.get(MAX_SCALE_ENV, DEFAULT_MAX_SCALE))
    except ValueError:
        return DEFAULT_MAX_SCALE
    return value if math.isfinite(value) and value > 0 else DEFAULT_MAX_SCALE


def scale_choices(current: float | None = None) -> list[float]:
    """The scales offered: the list up to the cap, plus the value in force."""
    cap = max_scale()
    out = [s for s in SCALE_CHOICES if s <= cap + 1e-12]
    if current is not None and current not in out:
        out = sorted({*out, current})
    return out


def check_scale(value: float) -> None:
    """Raise ParameterError if ``value`` is above this server's cap."""
    cap = max_scale()
    if value > cap + 1e-12:
        raise ParameterError(t("input.scale_cap", value=f"{value:g}", cap=f"{cap:g}", env=MAX_SCALE_ENV))


def money_factor(p: Any) -> float:
    """Yuan per unit shown in the control: 1e9 (bn yuan), 1e6 (million yuan) or 1 (not money)."""
    if not str(p.unit).startswith("yuan"):
        return 1.0
    return 1e9 if (p.high or 0) >= 1e11 else 1e6


def display_unit(p: Any) -> str:
    """The control's unit in the current language (money in bn or million yuan)."""
    factor = money_factor(p)
    text = unit_text(p.unit)
    if factor == 1.0:
        return text
    if current_language() == "zh":
        return text.replace("元", "十亿元" if factor == 1e9 else "百万元", 1)
    return ("bn " if factor == 1e9 else "million ") + text


def to_display(p: Any, value: Any) -> Any:
    """A parameter value in the control's unit."""
    factor = money_factor(p)
    return value / factor if factor != 1.0 and isinstance(value, (int, float)) else value


def fmt(value: Any) -> str:
    """A number as shown in a control: up to 6 significant digits, no exponent for everyday sizes."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e9:
        return f"{value:.6g}" if "e" not in f"{value:.6g}" else f"{value:.6f}".rstrip("0").rstrip(".")
    return f"{value:.6g}"


def parse(p: Any, text: Any) -> Any:
    """A typed value in the control's unit -> the parameter's value; strict.

    Raises:
        ParameterError: Not a plain number (thousands separators, letters), not an integer for an
            integer parameter, or outside the allowed range; the message names the parameter, the
            text typed and the allowed range in the control's unit.
    """
    raw = str(text).strip()
    unit = display_unit(p)
    low, high = to_display(p, p.low), to_display(p, p.high)
    allowed = t("input.allowed", low=fmt(low), high=fmt(high), unit=unit)
    if "," in raw or "_" in raw or " " in raw:
        raise ParameterError(t("input.separator", name=p.name, text=raw, allowed=allowed))
    if not _NUMBER.match(raw):
        raise ParameterError(t("input.not_number", name=p.name, text=raw, allowed=allowed))
    number = float(raw)
    if p.kind == "int":
        if number != int(number):
            raise ParameterError(t("input.not_integer", name=p.name, text=raw, allowed=allowed))
        number = int(number)
    if not (low <= number <= high):
        raise ParameterError(t("input.out_of_range", name=p.name, text=raw, allowed=allowed))
    value = number * money_factor(p) if money_factor(p) != 1.0 else number
    if p.kind == "int":
        value = int(value)
    return p.validate(value)
