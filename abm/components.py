"""Key components of each technology field: what a field's producers must buy, and where it comes from.

Each field is made of ``K`` key components (the seeds' examples: "high-end chips, industrial control
software, core components, fundamental algorithms" DT:61; "high-end CNC machine tools, chips,
lithography machines, medical devices, aircraft engines, and advanced sensors are heavily dependent
on imports" DT:64). A component has a share in the cost of the field's components, an initial
domestic capability (best domestic know-how relative to the world frontier of the component) and an
initial domestic supply share (share of domestic buyers' purchases made from domestic suppliers).
The numbers are assumptions of the model, ordered by the seeds' statements; the domestic shares of
chips, lithography, EDA and aero-engines are of the order of public estimates for 2015 (see
docs/ODD.md, "Components").

This module is data only (no model); the mechanism is :mod:`abm.mechanisms.supply`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from abm.fields import FIELD_NAMES, N_FIELDS

K = 5  # components per field (every field has exactly K, so per-actor rows have K columns)


@dataclass(frozen=True)
class Component:
    """A key component of a field.

    Attributes:
        field: Field name (abm.fields.FIELD_NAMES).
        name: Identifier, unique over all fields.
        label: Human-readable name.
        cost_share: Share of the field's component purchases spent on it (sums to 1 per field).
        capability: Initial best domestic capability relative to the world frontier.
        domestic_share: Initial share of domestic buyers' purchases made from domestic suppliers.
        source: Seed passage naming it (or "assumption").
    """

    field: str
    name: str
    label: str
    cost_share: float
    capability: float
    domestic_share: float
    source: str


# fmt: off
COMPONENTS: tuple[Component, ...] = (
    # chips & ICT hardware (catch-up: SSF:369-380 names lithography)
    Component("chips_ict", "lithography", "Lithography machines", 0.15, 0.35, 0.02, "DT:64, SSF:372"),
    Component("chips_ict", "eda", "EDA design software", 0.10, 0.45, 0.08, "DT:61 (industrial software)"),
    Component("chips_ict", "high_end_chips", "High-end chips (CPU, GPU, FPGA)", 0.35, 0.50, 0.10, "DT:61, DT:64"),
    Component("chips_ict", "memory_chips", "Memory chips", 0.20, 0.55, 0.05, "DT:61 (core components)"),
    Component("chips_ict", "wafers_photoresist", "Wafers and photoresists", 0.20, 0.55, 0.20, "DT:61 (upstream supply)"),
    # software, AI & platforms (parallel)
    Component("digital_ai", "industrial_software", "Industrial control and design software", 0.20, 0.60, 0.30, "DT:61"),
    Component("digital_ai", "operating_systems", "Operating systems and databases", 0.20, 0.65, 0.25, "DT:61 (core software)"),
    Component("digital_ai", "algorithms", "Fundamental algorithms and AI frameworks", 0.20, 0.80, 0.50, "DT:61"),
    Component("digital_ai", "cloud_platforms", "Cloud and platform services", 0.25, 0.90, 0.85, "assumption"),
    Component("digital_ai", "servers", "Servers and network equipment", 0.15, 0.85, 0.70, "assumption"),
    # advanced manufacturing & machine tools (catch-up)
    Component("advanced_manufacturing", "cnc_systems", "High-end CNC systems", 0.25, 0.55, 0.25, "DT:64"),
    Component("advanced_manufacturing", "precision_bearings", "Precision bearings", 0.15, 0.60, 0.40, "DT:61 (core components)"),
    Component("advanced_manufacturing", "robot_reducers", "Robot reducers and servo drives", 0.20, 0.60, 0.30, "DT:61 (core components)"),
    Component("advanced_manufacturing", "advanced_sensors", "Advanced sensors", 0.20, 0.55, 0.30, "DT:64"),
    Component("advanced_manufacturing", "hydraulics", "High-pressure hydraulics", 0.20, 0.65, 0.50, "assumption"),
    # new-energy vehicles (parallel: SSF:372 names new-energy vehicles)
    Component("new_energy", "power_batteries", "Power batteries", 0.35, 0.95, 0.85, "SSF:372"),
    Component("new_energy", "electric_motors", "Electric drive motors", 0.15, 0.90, 0.85, "assumption"),
    Component("new_energy", "power_semiconductors", "Power semiconductors (IGBT, SiC)", 0.20, 0.60, 0.20, "DT:61 (chips)"),
    Component("new_energy", "driving_software", "Driving-assistance software", 0.15, 0.80, 0.50, "DT:61 (algorithms)"),
    Component("new_energy", "battery_materials", "Battery materials", 0.15, 0.90, 0.80, "assumption"),
    # biotech & health (catch-up)
    Component("biotech_health", "medical_devices", "High-end medical devices", 0.25, 0.55, 0.25, "DT:64"),
    Component("biotech_health", "gene_sequencers", "Gene sequencers", 0.15, 0.60, 0.20, "DT:63 (biotechnology)"),
    Component("biotech_health", "lab_instruments", "Scientific instruments", 0.20, 0.50, 0.15, "DT:63"),
    Component("biotech_health", "innovative_drugs", "Innovative drugs and biologics", 0.25, 0.60, 0.40, "DT:63"),
    Component("biotech_health", "bio_reagents", "Reagents and culture media", 0.15, 0.60, 0.30, "assumption"),
    # new materials (catch-up)
    Component("new_materials", "carbon_fibre", "Carbon fibre", 0.20, 0.60, 0.30, "DT:63 (advanced materials)"),
    Component("new_materials", "superalloys", "Superalloys", 0.20, 0.55, 0.40, "DT:63"),
    Component("new_materials", "electronic_chemicals", "Electronic chemicals and specialty gases", 0.20, 0.55, 0.30, "DT:61 (upstream supply)"),
    Component("new_materials", "sputtering_targets", "High-purity sputtering targets", 0.20, 0.70, 0.40, "assumption"),
    Component("new_materials", "special_steel", "Special steels", 0.20, 0.75, 0.70, "assumption"),
    # aerospace & aero-engines (catch-up)
    Component("aerospace", "aero_engines", "Aero-engines", 0.35, 0.45, 0.10, "DT:64"),
    Component("aerospace", "avionics", "Avionics", 0.20, 0.55, 0.20, "DT:63 (aviation)"),
    Component("aerospace", "turbine_blades", "Single-crystal turbine blades", 0.15, 0.50, 0.20, "DT:64 (aircraft engines)"),
    Component("aerospace", "airframe_composites", "Airframe composites", 0.15, 0.65, 0.40, "DT:63"),
    Component("aerospace", "flight_control", "Fly-by-wire and airborne software", 0.15, 0.60, 0.30, "DT:63"),
    # quantum & 6G (leading: SSF:372 names quantum communications)
    Component("quantum_6g", "quantum_communication", "Quantum communication", 0.30, 1.00, 0.95, "SSF:372"),
    Component("quantum_6g", "quantum_computing", "Quantum computing hardware", 0.20, 0.85, 0.60, "SSF:372"),
    Component("quantum_6g", "terahertz_6g", "6G and terahertz radio", 0.20, 0.95, 0.80, "assumption"),
    Component("quantum_6g", "satellite_links", "Satellite internet links", 0.15, 0.90, 0.80, "assumption"),
    Component("quantum_6g", "quantum_sensing", "Quantum sensing", 0.15, 0.90, 0.70, "assumption"),
)
# fmt: on

N_COMPONENTS = len(COMPONENTS)
COMPONENT_NAMES: tuple[str, ...] = tuple(c.name for c in COMPONENTS)
# component index of (field, j): every field has K components, in the order above
COMPONENT_FIELD = np.array([FIELD_NAMES.index(c.field) for c in COMPONENTS], dtype=np.int64)
COST_SHARE = np.array([c.cost_share for c in COMPONENTS])
CAPABILITY0 = np.array([c.capability for c in COMPONENTS])
DOMESTIC_SHARE0 = np.array([c.domestic_share for c in COMPONENTS])
# (N_FIELDS, K): component index of the j-th component of each field
OF_FIELD = np.array([np.flatnonzero(f == COMPONENT_FIELD) for f in range(N_FIELDS)], dtype=np.int64)
# (N_FIELDS, K): cost shares by field and position
WEIGHTS = COST_SHARE[OF_FIELD]


def _check() -> None:
    if OF_FIELD.shape != (N_FIELDS, K):
        raise ValueError(f"components: every field needs exactly {K} components; got {OF_FIELD.shape}")
    if len(set(COMPONENT_NAMES)) != N_COMPONENTS:
        raise ValueError("components: component names must be unique")
    sums = WEIGHTS.sum(axis=1)
    if not np.allclose(sums, 1.0):
        raise ValueError(f"components: cost shares must add up to 1 per field; got {sums}")


_check()


def component_index(name: str) -> int:
    """Index of the component named ``name``.

    Raises:
        ValueError: unknown name; the message lists the allowed names.
    """
    try:
        return COMPONENT_NAMES.index(name.strip())
    except ValueError:
        raise ValueError(f"component: value {name!r} is not allowed; allowed: {', '.join(COMPONENT_NAMES)}") from None


def take_rows(table: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``table[idx]`` for an integer index array ``idx``: the same rows, gathered with ``take``, which is
    several times faster than fancy indexing on a 2-D table (an actor's component rows, a field's weights).
    A boolean mask is indexed as usual.
    """
    if idx.dtype == bool:
        return table[idx]
    return table.take(idx, axis=0)


def row_sums(rows: np.ndarray) -> np.ndarray:
    """``rows.sum(axis=1)`` for a 2-D float array: the same values, several times faster for the few columns
    of an actor's components or funders. Numpy adds a row of fewer than 8 values in order, starting from 0
    (its pairwise summation begins at 8 values), which column-by-column additions repeat; wider rows are
    summed by numpy.
    """
    k = rows.shape[1]
    if k >= 8 or k == 0 or rows.dtype != np.float64:
        return rows.sum(axis=1)
    out = rows[:, 0] + 0.0  # 0 + the first value: a row of -0.0 sums to 0.0, as in numpy
    for j in range(1, k):
        out += rows[:, j]
    return out


def row_counts(rows: np.ndarray) -> np.ndarray:
    """``rows.sum(axis=1)`` for a 2-D bool array (true values per row, int64), column by column: numpy's
    reduction along a short row costs about 20-30 us on a few thousand rows.
    """
    if rows.shape[1] == 0:
        return rows.sum(axis=1)
    out = rows[:, 0].astype(np.int64)
    for j in range(1, rows.shape[1]):
        out += rows[:, j]
    return out


def row_any(rows: np.ndarray) -> np.ndarray:
    """``rows.any(axis=1)`` for a 2-D bool array, column by column (the same, a fraction of the time)."""
    if rows.shape[1] == 0:
        return rows.any(axis=1)
    out = rows[:, 0].copy()
    for j in range(1, rows.shape[1]):
        out |= rows[:, j]
    return out


def take_pairs(table: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``table[i, j]`` for integer index arrays into a C-ordered 2-D ``table``: the same values, gathered
    through the flat index (several times faster than indexing with two arrays).
    """
    return table.ravel().take(i * table.shape[1] + j)


def add_rows(table: np.ndarray, idx: np.ndarray, values: np.ndarray) -> None:
    """``np.add.at(table, idx, values)`` for rows of a 2-D ``table``: where each index appears once, as a
    gather, an add and a scatter (the same values, several times faster); otherwise with ufunc.at (repeated
    rows add in order).
    """
    if idx.size < 2 or bool((idx[1:] > idx[:-1]).all()):  # strictly increasing: each row once
        table[idx] = take_rows(table, idx) + values
    else:
        np.add.at(table, idx, values)


def summary(know_c: np.ndarray, field: np.ndarray) -> np.ndarray:
    """Capability summary of actors: cost-weighted mean of their component rows (``know_c`` is (n, K))."""
    return np.einsum("ij,ij->i", know_c, take_rows(WEIGHTS, field))


def absorption(gap: np.ndarray, scale: float) -> np.ndarray:
    """How much of a knowledge gap can be learnt: ``gap * exp(-(gap / scale)^2 / 2)`` (0 for gap <= 0).

    Learning needs something to learn (a gap) and enough shared knowledge to understand it: it
    peaks at a moderate distance (``gap == scale``) and fades for far-behind learners
    (absorptive capacity, Cohen and Levinthal; SKIN's incremental research within reach of one's
    own kene). Used for development toward the frontier, licensing, spillovers and hiring.
    """
    g = np.maximum(gap, 0.0)
    return g * np.exp(-0.5 * (g / scale) ** 2)


def per_component(cidx: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum per component of ``values`` laid out like ``cidx`` ((n, K) component indices of actors'
    rows; ``values`` (n, K) or (n, 1), broadcast along the row).
    """
    if values.shape != cidx.shape:  # one value per row: each repeated along the row (= broadcast, ravelled)
        n, k = cidx.shape
        values = values.repeat(k) if values.shape == (n, 1) else np.broadcast_to(values, cidx.shape)
    return np.bincount(cidx.ravel(), values.ravel(), minlength=N_COMPONENTS)


def scatter_rows(index: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
    """Sum of ``rows`` ((n, k) array) grouped by ``index`` into a (size, k) array (bincount per column,
    much faster than ``np.add.at`` on 2-D arrays).
    """
    out = np.empty((size, rows.shape[1]))
    for j in range(rows.shape[1]):
        out[:, j] = np.bincount(index, rows[:, j], minlength=size)
    return out


def max_by_field(field: np.ndarray, rows: np.ndarray, n_fields: int, floor: float = 0.0) -> np.ndarray:
    """Column-wise maximum of ``rows`` ((n, K)) per field, at least ``floor`` ((n_fields, K))."""
    out = np.full((n_fields, rows.shape[1]), floor)
    order = np.argsort(field.astype(np.uint16), kind="stable")  # radix sort: fields are few
    bounds = np.searchsorted(field[order], np.arange(n_fields + 1))
    has = bounds[1:] > bounds[:-1]  # fields with rows; each one's rows are a block of the sorted rows
    if has.any():  # the maximum of every block at once (a maximum does not depend on the order of its rows)
        top = np.maximum.reduceat(rows[order], bounds[:-1][has], axis=0)
        out[has] = np.maximum(out[has], top)
    return out
