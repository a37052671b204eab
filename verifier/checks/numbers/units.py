"""Units of the numbers check: the surface forms we read, their normalized names, and conversions via pint.

Which unit words exist is our table (pint knows no "troops" or "bn", and a pint quantity took 0.5–1 ms to
parse and convert here, too slow for extraction); how to convert between two commensurable units is pint's job. Conversion
factors are computed once per (from, to) pair and cached, so pint (0.8 s to load its registry) is only
loaded the first time two different units of one dimension are compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pint


@dataclass(frozen=True)
class Unit:
    name: str  # normalized name shown to users: "km", "°C", "USD", "%"
    dimension: str  # "length", "mass", "temperature", "time", "money:USD", "share", "ratio", ...
    pint_name: str | None = None  # how pint spells it; None: no conversion outside its own name


def _u(name: str, dimension: str, pint_name: str | None = None) -> Unit:
    return Unit(name, dimension, pint_name)


PERCENT = _u("%", "share")
PERCENTAGE_POINT = _u("percentage point", "percentage_point")
FRACTION = _u("fraction", "share")
# Shares and rates: "20%", "one in five", "493 per million"; their factors to a plain fraction.
_SHARE_FACTORS = {"%": 0.01, "fraction": 1.0, "per thousand": 1e-3, "per 10,000": 1e-4, "per 100,000": 1e-5,
                  "per million": 1e-6}
RATES = {
    "per thousand": _u("per thousand", "share"), "per 1,000": _u("per thousand", "share"),
    "per 1000": _u("per thousand", "share"), "per 10,000": _u("per 10,000", "share"),
    "per 100,000": _u("per 100,000", "share"), "per 100 000": _u("per 100,000", "share"),
    "per hundred thousand": _u("per 100,000", "share"), "per million": _u("per million", "share"),
}
RATE_PATTERN = r"\s?per\s+(?:thousand|1,?000|10,000|100[, ]000|hundred\s+thousand|million)\b"
TIMES = _u("×", "ratio")

# Surface form (lowercase, single spaces) -> unit. Written after a number, with or without a space or hyphen.
_MEASURES: dict[str, Unit] = {}


def _add(unit: Unit, *surfaces: str) -> None:
    for s in surfaces:
        _MEASURES[s] = unit


_add(_u("km", "length", "kilometer"), "km", "kilometre", "kilometres", "kilometer", "kilometers")
_add(_u("m", "length", "meter"), "m", "metre", "metres", "meter", "meters")
_add(_u("cm", "length", "centimeter"), "cm", "centimetre", "centimetres", "centimeter", "centimeters")
_add(_u("mm", "length", "millimeter"), "mm", "millimetre", "millimetres", "millimeter", "millimeters")
_add(_u("mi", "length", "mile"), "mi", "mile", "miles")
_add(_u("ft", "length", "foot"), "ft", "foot", "feet")
_add(_u("in", "length", "inch"), "inch", "inches")
_add(_u("km²", "area", "kilometer**2"), "km2", "km²", "square kilometres", "square kilometers", "sq km")
_add(_u("mi²", "area", "mile**2"), "square miles", "sq mi")
_add(_u("ha", "area", "hectare"), "ha", "hectare", "hectares")
_add(_u("acre", "area", "acre"), "acre", "acres")
_add(_u("km³", "volume", "kilometer**3"), "km3", "km³", "cubic kilometres", "cubic kilometers")
_add(_u("mi³", "volume", "mile**3"), "cu mi", "cubic miles")
_add(_u("L", "volume", "liter"), "l", "litre", "litres", "liter", "liters")
_add(_u("mL", "volume", "milliliter"), "ml", "millilitre", "millilitres", "milliliter", "milliliters")
_add(_u("kg", "mass", "kilogram"), "kg", "kilogram", "kilograms", "kilogramme", "kilogrammes")
_add(_u("g", "mass", "gram"), "g", "gram", "grams", "gramme", "grammes")
_add(_u("mg", "mass", "milligram"), "mg", "milligram", "milligrams")
_add(_u("µg", "mass", "microgram"), "µg", "μg", "mcg", "microgram", "micrograms")
_add(_u("t", "mass", "metric_ton"), "t", "tonne", "tonnes", "metric tons", "metric tonnes")
_add(_u("Mt", "mass", "megametric_ton"), "mt", "megatonnes", "megatons", "million tonnes")
_add(_u("Gt", "mass", "gigametric_ton"), "gt", "gigatonne", "gigatonnes", "gigatons", "billion tonnes")
_add(_u("lb", "mass", "pound"), "lb", "lbs")
_add(_u("°C", "temperature", "degC"), "°c", "° c", "ºc", "degrees celsius", "degree celsius", "degrees c", "celsius")
_add(_u("°F", "temperature", "degF"), "°f", "° f", "ºf", "degrees fahrenheit", "degree fahrenheit", "degrees f", "fahrenheit")
_add(_u("s", "time", "second"), "seconds", "sec", "secs")
_add(_u("min", "time", "minute"), "min", "mins", "minute", "minutes")
_add(_u("h", "time", "hour"), "h", "hr", "hrs", "hour", "hours")
_add(_u("days", "time", "day"), "day", "days")
_add(_u("weeks", "time", "week"), "week", "weeks", "wk")
_add(_u("months", "time", "month"), "month", "months")
_add(_u("years", "time", "year"), "year", "years", "yr", "yrs", "year-old", "years-old", "years old")
_add(_u("decades", "time", "decade"), "decade", "decades")
_add(_u("centuries", "time", "century"), "centuries")
_add(_u("ppm", "concentration", "ppm"), "ppm", "parts per million")
_add(_u("ppb", "concentration", "ppb"), "ppb", "parts per billion")
_add(_u("mph", "speed", "mile/hour"), "mph", "miles per hour")
_add(_u("km/h", "speed", "kilometer/hour"), "km/h", "kph", "kmh", "kilometres per hour", "kilometers per hour")
_add(_u("kWh", "energy", "kilowatt_hour"), "kwh")
_add(_u("MWh", "energy", "megawatt_hour"), "mwh")
_add(_u("GWh", "energy", "gigawatt_hour"), "gwh")
_add(_u("TWh", "energy", "terawatt_hour"), "twh")
_add(_u("W", "power", "watt"), "w", "watt", "watts")
_add(_u("kW", "power", "kilowatt"), "kw", "kilowatt", "kilowatts")
_add(_u("MW", "power", "megawatt"), "mw", "megawatt", "megawatts")
_add(_u("GW", "power", "gigawatt"), "gw", "gigawatt", "gigawatts")
_add(_u("mg/kg", "dose", "milligram/kilogram"), "mg/kg", "mg kg-1")
_add(_u("mJ/cm²", "fluence", "millijoule/centimeter**2"), "mj/cm2", "mj/cm²")
_add(_u("pfu", "pfu"), "pfu")
_add(_u("log", "log"), "log", "logs")
_add(_u("pg/mL", "concentration_mass", "picogram/milliliter"), "pg ml-1", "pg/ml")
_add(_u("ng/mL", "concentration_mass", "nanogram/milliliter"), "ng ml-1", "ng/ml")
_add(_u("IU", "iu"), "iu")
_add(_u("×", "ratio"), "fold", "-fold", "times")
_add(_u("°", "angle", "degree"), "°", "degrees")  # a bare degree: an angle or latitude ("22° south")

_BY_NAME = {u.name: u for u in _MEASURES.values()}

# Units that are also ordinary words or letters: only read when glued to the number ("10t", "5l", "3W").
GLUED_ONLY = frozenset({"t", "l", "w", "mt", "gt", "mw", "gw"})

MEASURE_PATTERN = "|".join(
    re.escape(s).replace(r"\ ", r"\s") for s in sorted(_MEASURES, key=len, reverse=True)
)

# Currency marks written before the number, and currency words written after it.
CURRENCY_BEFORE = {
    "us$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "₹": "INR", "rs": "INR", "rs.": "INR", "a$": "AUD", "c$": "CAD", "chf": "CHF",
}
CURRENCY_AFTER = {
    "dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "pounds sterling": "GBP", "gbp": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rupees": "INR", "rupee": "INR", "cents": "¢", "cent": "¢", "¢": "¢",
}
CURRENCY_BEFORE_PATTERN = "|".join(re.escape(s) for s in sorted(CURRENCY_BEFORE, key=len, reverse=True))
CURRENCY_AFTER_PATTERN = "|".join(
    re.escape(s).replace(r"\ ", r"\s") for s in sorted(CURRENCY_AFTER, key=len, reverse=True)
)

# Magnitudes written after a number; "m" and "b" are read only where glued, and "m" only outside measures.
MAGNITUDES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}


def measure_unit(surface: str) -> Unit | None:
    """The unit written as `surface` (any case, any run of spaces), or None."""
    return _MEASURES.get(" ".join(surface.lower().split()))


def unit_named(name: str) -> Unit | None:
    """The measure or rate unit whose normalized name is `name` ("km", "°C", "per million")."""
    return _BY_NAME.get(name) or next((u for u in RATES.values() if u.name == name), None)


def rate_unit(surface: str) -> Unit:
    """The rate written as `surface` ("per million", "per 100,000")."""
    return RATES[" ".join(surface.lower().split())]


def money_unit(code: str) -> Unit:
    if code == "¢":
        return Unit("¢", "money:USD", None)
    return Unit(code, f"money:{code}", None)


def conversion_factor(from_unit: Unit, to_unit: Unit, delta: bool = False) -> float | None:
    """Multiply a value in `from_unit` by this to express it in `to_unit`; None if not commensurable.

    `delta` reads temperatures as differences ("10 °C higher" is 18 °F higher, not 50 °F).
    Absolute temperatures are not a factor (°F = °C × 1.8 + 32): see `convert`.
    """
    if from_unit.name == to_unit.name:
        return 1.0
    if from_unit.dimension != to_unit.dimension:
        return None
    if from_unit.dimension == "money:USD":  # dollars and cents: no need for pint
        return 0.01 if from_unit.name == "¢" else 100.0
    if from_unit.dimension == "share":
        return _SHARE_FACTORS[from_unit.name] / _SHARE_FACTORS[to_unit.name]
    if from_unit.pint_name is None or to_unit.pint_name is None:
        return None
    return _pint_factor(from_unit.pint_name, to_unit.pint_name, delta)


def convert(value: float, from_unit: Unit, to_unit: Unit, delta: bool = False) -> float | None:
    """`value` in `from_unit` expressed in `to_unit`, or None where the two are not commensurable."""
    if from_unit.dimension == "temperature" and not delta and from_unit.name != to_unit.name:
        if to_unit.dimension != "temperature":
            return None
        return float(_registry().Quantity(value, from_unit.pint_name).to(to_unit.pint_name).magnitude)
    factor = conversion_factor(from_unit, to_unit, delta)
    return None if factor is None else value * factor


@lru_cache(maxsize=4096)  # unit pairs: a few hundred in practice
def _pint_factor(from_name: str, to_name: str, delta: bool) -> float | None:
    ureg = _registry()
    if delta and from_name.startswith("deg"):
        from_name, to_name = "delta_" + from_name, "delta_" + to_name
    try:
        return float(ureg.Quantity(1.0, from_name).to(to_name).magnitude)
    except pint.errors.DimensionalityError:
        return None


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry:
    return pint.UnitRegistry()
