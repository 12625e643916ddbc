"""Kinds of actors, their sub-types and exit reasons, as names.

Kinds are :class:`enum.IntEnum` members so they index arrays (a kind's value is its column in
per-kind tables), but no line of the model may depend on their order: groups of kinds are named
tuples (:data:`FIRMS`, :data:`INSTITUTIONS`, :data:`PERFORMERS`, :data:`FUNDERS`) and array tests
go through :func:`in_group`. The number of kinds is :data:`N_KINDS`, never a literal.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

import numpy as np


class Kind(IntEnum):
    """Kind of actor (one Mesa agent class each)."""

    SOE = 0
    PRIVATE = 1
    SME = 2
    UNIVERSITY = 3
    LAB = 4
    VC = 5
    GOV = 6
    FOREIGN = 7  # foreign frontier firms: outside the national system, they set the world frontier

    @property
    def label(self) -> str:
        """Lower-case name used in column names and tables, e.g. "soe"."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | int | Kind) -> Kind:
        """The kind named by ``value`` (a label such as "soe", a member, or its value).

        Raises:
            ValueError: ``value`` names no kind; the message lists the allowed labels.
        """
        if isinstance(value, Kind):
            return value
        if isinstance(value, str):
            for k in cls:
                if k.label == value.strip().lower():
                    return k
        elif (
            isinstance(value, (int, np.integer))
            and not isinstance(value, bool)
            and int(value) in cls._value2member_map_
        ):
            return cls(int(value))
        raise ValueError(f"kind: value {value!r} is not allowed; allowed: {', '.join(k.label for k in cls)}")


class LabType(IntEnum):
    """Sub-types of research labs."""

    INSTITUTE = 0
    STATE_KEY_LAB = 1
    NATIONAL_LAB = 2
    NEW_TYPE = 3

    @property
    def label(self) -> str:
        """Lower-case name, e.g. "state_key_lab"."""
        return self.name.lower()


class VCType(IntEnum):
    """Sub-types of venture capital firms."""

    PRIVATE_VC = 0
    GUIDANCE_FUND = 1

    @property
    def label(self) -> str:
        """Lower-case name, e.g. "guidance_fund"."""
        return self.name.lower()


class GovLevel(IntEnum):
    """Levels of government bodies."""

    CENTRAL = 0
    LOCAL = 1

    @property
    def label(self) -> str:
        """Lower-case name, e.g. "local"."""
        return self.name.lower()


class ExitReason(IntEnum):
    """How a VC stake ended (OPEN while it is held)."""

    OPEN = 0
    IPO = 1
    ACQUISITION = 2
    HORIZON_SALE = 3
    WRITE_OFF = 4

    @property
    def label(self) -> str:
        """Lower-case name, e.g. "write_off"."""
        return self.name.lower()


N_KINDS = len(Kind)
KIND_NAMES: tuple[str, ...] = tuple(k.label for k in Kind)

#: Firms: sell in markets, do mostly development.
FIRMS: tuple[Kind, ...] = (Kind.SOE, Kind.PRIVATE, Kind.SME)
#: Large firms that win project funding and missions (not start-ups).
LARGE_FIRMS: tuple[Kind, ...] = (Kind.SOE, Kind.PRIVATE)
#: Universities and research labs: public research institutions.
INSTITUTIONS: tuple[Kind, ...] = (Kind.UNIVERSITY, Kind.LAB)
#: Everyone who performs R&D and employs researchers (firms and institutions), in reporting order.
PERFORMERS: tuple[Kind, ...] = FIRMS + INSTITUTIONS
#: Actors that fund others but perform no R&D.
FUNDERS: tuple[Kind, ...] = (Kind.VC, Kind.GOV)
#: Foreign frontier firms (not part of national R&D, researchers or firm counts).
FOREIGN: tuple[Kind, ...] = (Kind.FOREIGN,)
#: Everyone whose know-how moves with the world frontier: domestic performers and foreign firms.
KNOWERS: tuple[Kind, ...] = FIRMS + INSTITUTIONS + FOREIGN
N_PERFORMERS = len(PERFORMERS)
PERFORMER_NAMES: tuple[str, ...] = tuple(k.label for k in PERFORMERS)

SUBTYPES: dict[Kind, type[IntEnum]] = {Kind.LAB: LabType, Kind.VC: VCType, Kind.GOV: GovLevel}


def group_mask(group: Iterable[Kind]) -> np.ndarray:
    """Boolean lookup table over kind values: ``group_mask(G)[kind_array]`` tests membership."""
    mask = np.zeros(N_KINDS, dtype=bool)
    mask[[int(k) for k in group]] = True
    return mask


_MASKS: dict[tuple[Kind, ...], np.ndarray] = {}


def in_group(kinds: np.ndarray, group: Iterable[Kind]) -> np.ndarray:
    """Element-wise membership of a kind array in a group of kinds (no dependence on kind order)."""
    key = tuple(group)
    mask = _MASKS.get(key)
    if mask is None:
        mask = _MASKS[key] = group_mask(key)
    return mask[kinds]


def subtype_label(kind: Kind, subtype: int) -> str:
    """Name of a sub-type (lab type, VC type, government level), or the kind's label."""
    enum = SUBTYPES.get(Kind(kind))
    return enum(int(subtype)).name.lower() if enum is not None else Kind(kind).label


class Funder(IntEnum):
    """Who pays for a research project (abm.mechanisms.projects): a funding channel."""

    CENTRAL_STABLE = 0
    CENTRAL_PROJECT = 1
    LOCAL = 2
    MISSION = 3
    ENTERPRISE = 4
    VC = 5

    @property
    def label(self) -> str:
        """Lower-case name, e.g. "central_project"."""
        return self.name.lower()


N_FUNDERS = len(Funder)
FUNDER_NAMES: tuple[str, ...] = tuple(f.label for f in Funder)


class ProjectOutcome(IntEnum):
    """How a research project ended (ACTIVE while it runs)."""

    ACTIVE = 0
    FAILURE = 1
    INCREMENTAL = 2
    BREAKTHROUGH = 3
    ABANDONED = 4  # its performer died or its money stopped before the end

    @property
    def label(self) -> str:
        """Lower-case name, e.g. "breakthrough"."""
        return self.name.lower()
