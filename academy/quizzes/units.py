"""Units for numeric answers: each unit's kind and its factor to the kind's base unit.

A trainee may answer in any unit of the question's kind (mJ/mm² for a fluence asked in
J/cm²); the answer is converted before the tolerance is applied.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    symbol: str
    kind: str
    factor: float  # multiply a value in this unit by factor to get the kind's base unit


UNITS: dict[str, Unit] = {
    u.symbol: u
    for u in [
        Unit("J/cm²", "fluence", 1.0),
        Unit("mJ/cm²", "fluence", 1e-3),
        Unit("mJ/mm²", "fluence", 0.1),
        Unit("J/m²", "fluence", 1e-4),
        Unit("J", "energy", 1.0),
        Unit("mJ", "energy", 1e-3),
        Unit("m", "length", 1.0),
        Unit("cm", "length", 1e-2),
        Unit("mm", "length", 1e-3),
        Unit("µm", "length", 1e-6),
        Unit("nm", "length", 1e-9),
        Unit("s", "time", 1.0),
        Unit("ms", "time", 1e-3),
        Unit("µs", "time", 1e-6),
        Unit("ns", "time", 1e-9),
        Unit("ps", "time", 1e-12),
        Unit("cm²", "area", 1.0),
        Unit("mm²", "area", 1e-2),
        Unit("W/cm²", "irradiance", 1.0),
        Unit("MW/cm²", "irradiance", 1e6),
        Unit("GW/cm²", "irradiance", 1e9),
        Unit("Hz", "frequency", 1.0),
        Unit("kHz", "frequency", 1e3),
        Unit("cm⁻¹", "absorption", 1.0),
        Unit("mm⁻¹", "absorption", 10.0),
        Unit("K", "temperature rise", 1.0),
        Unit("%", "percentage", 1.0),
        Unit("sessions", "sessions", 1.0),
        Unit("weeks", "weeks", 1.0),
        Unit("none", "number", 1.0),
    ]
}

# Spellings people type, mapped to the canonical symbol.
ALIASES = {
    "j/cm2": "J/cm²",
    "j/cm^2": "J/cm²",
    "mj/cm2": "mJ/cm²",
    "mj/mm2": "mJ/mm²",
    "mj/mm^2": "mJ/mm²",
    "j/m2": "J/m²",
    "um": "µm",
    "μm": "µm",
    "micron": "µm",
    "microns": "µm",
    "us": "µs",
    "μs": "µs",
    "cm2": "cm²",
    "mm2": "mm²",
    "w/cm2": "W/cm²",
    "mw/cm2": "MW/cm²",
    "gw/cm2": "GW/cm²",
    "cm-1": "cm⁻¹",
    "/cm": "cm⁻¹",
    "mm-1": "mm⁻¹",
    "percent": "%",
    "session": "sessions",
    "week": "weeks",
    "": "none",
}


def find_unit(text: str) -> Unit | None:
    """The unit a symbol or common spelling names, or None."""
    cleaned = (text or "").strip()
    if cleaned in UNITS:
        return UNITS[cleaned]
    alias = ALIASES.get(cleaned.lower().replace(" ", ""))
    return UNITS.get(alias) if alias else None


def units_of_kind(kind: str) -> list[Unit]:
    return [unit for unit in UNITS.values() if unit.kind == kind]


def convert(value: float, source: Unit, target: Unit) -> float:
    if source.kind != target.kind:
        raise ValueError(f"cannot convert {source.symbol} to {target.symbol}")
    return value * source.factor / target.factor
