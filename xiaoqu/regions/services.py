"""Writes of regions: base facts (districts, subdistricts, committees) and boundaries."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import models, transaction

from .models import District, NeighbourhoodCommittee, Subdistrict

OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL"
BOUNDARY_SOURCE_MAX = 300
CODE_PROPERTIES = ("code", "adcode", "stat_code", "stat_code_2023")
NAME_PROPERTIES = ("name", "NAME", "name_zh", "name:zh")
# Suffixes that the same unit carries or drops depending on the source: 真如镇街道 / 真如镇 / 真如.
NAME_SUFFIXES = ("街道办事处", "镇人民政府", "人民政府", "办事处", "街道", "镇")
POLYGON_TYPES = ("Polygon", "MultiPolygon")
_OSM_PATTERN = re.compile(r"openstreetmap|\bosm\b", re.IGNORECASE)


class Outcome(StrEnum):
    CREATED = "created"
    COMPLETED = "completed"  # existed, empty fields filled in
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class SeedTally:
    """How many rows a seed or import created, completed or left as they were."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome, n: int = 1) -> None:
        self.counts[outcome] += n

    def merge(self, other: SeedTally) -> None:
        self.counts.update(other.counts)

    @property
    def created(self) -> int:
        return self.counts[Outcome.CREATED]

    @property
    def completed(self) -> int:
        return self.counts[Outcome.COMPLETED]

    @property
    def unchanged(self) -> int:
        return self.counts[Outcome.UNCHANGED]


def fill_empty_fields(*, obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the fields of `obj` that are empty (None or "") to the given values; an
    administrator's entries are never overwritten. Returns the names of the fields set."""
    changed = []
    for name, value in values.items():
        if value in (None, ""):
            continue
        if getattr(obj, name) in (None, ""):
            setattr(obj, name, value)
            changed.append(name)
    return changed


def create_or_complete(
    *, model: type[models.Model], existing: models.Model | None, values: Mapping[str, Any]
) -> tuple[Any, Outcome]:
    if existing is None:
        obj = model(**values)
        obj.full_clean()
        obj.save()
        return obj, Outcome.CREATED
    changed = fill_empty_fields(obj=existing, values=values)
    if not changed:
        return existing, Outcome.UNCHANGED
    existing.full_clean()
    existing.save(update_fields=changed)
    return existing, Outcome.COMPLETED


@transaction.atomic
def district_ensure(
    *,
    code: str,
    name: str,
    city: str = "",
    residents: int | None = None,
    residents_source: str = "",
    area_km2: Decimal | None = None,
) -> tuple[District, Outcome]:
    """The district with this code: created, or completed where its fields are empty."""
    existing = District.objects.select_for_update().filter(code=code).first()
    values = {
        "code": code,
        "name": name,
        "city": city,
        "residents": residents,
        "residents_source": residents_source,
        "area_km2": area_km2,
    }
    return create_or_complete(model=District, existing=existing, values=values)


@transaction.atomic
def subdistrict_ensure(
    *,
    district: District,
    code: str,
    name: str,
    kind: str,
    area_km2: Decimal | None = None,
    osm_relation_id: int | None = None,
) -> tuple[Subdistrict, Outcome]:
    """The subdistrict with this code (or, failing that, this name in the district): created,
    or completed where its fields are empty."""
    existing = (
        Subdistrict.objects.select_for_update().filter(code=code).first()
        or Subdistrict.objects.select_for_update().filter(district=district, name=name).first()
    )
    values = {
        "district": district,
        "code": code,
        "name": name,
        "kind": kind,
        "area_km2": area_km2,
        "osm_relation_id": osm_relation_id,
    }
    return create_or_complete(model=Subdistrict, existing=existing, values=values)


def committees_ensure(
    *, subdistrict: Subdistrict, committees: Mapping[str, str], is_demo: bool = False
) -> tuple[dict[str, NeighbourhoodCommittee], int]:
    """The committees of a subdistrict with these names (`committees` maps each name to the
    office address of a new committee), creating the missing ones; existing committees are
    left as they are. Returns them by name and the number created."""
    names = list(committees)
    existing = {
        c.name: c
        for c in NeighbourhoodCommittee.objects.filter(subdistrict=subdistrict, name__in=names)
    }
    missing = [
        NeighbourhoodCommittee(
            subdistrict=subdistrict, name=name, address=committees[name], is_demo=is_demo
        )
        for name in names
        if name not in existing
    ]
    if missing:
        NeighbourhoodCommittee.objects.bulk_create(missing)
        existing = {
            c.name: c
            for c in NeighbourhoodCommittee.objects.filter(subdistrict=subdistrict, name__in=names)
        }
    return existing, len(missing)


# Boundaries


def name_base(name: str) -> str:
    """A unit's name without the suffixes sources disagree on: 真如镇街道 → 真如."""
    base = re.sub(r"\s+", "", name)
    stripped = True
    while stripped:
        stripped = False
        for suffix in NAME_SUFFIXES:
            if base.endswith(suffix) and len(base) > len(suffix):
                base = base[: -len(suffix)]
                stripped = True
                break
    return base


def _digits(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if text.isdigit() else None


def is_osm_source(*, source: str, properties: Mapping[str, Any]) -> bool:
    """Whether a boundary comes from OpenStreetMap and so must carry its attribution."""
    if _OSM_PATTERN.search(source):
        return True
    return any(str(k).lower().startswith("osm") or k == "@id" for k in properties)


def boundary_source_text(*, source: str, osm: bool) -> str:
    text = source.strip()
    if osm and OSM_ATTRIBUTION not in text:
        text = f"{text}; {OSM_ATTRIBUTION}" if text else OSM_ATTRIBUTION
    if len(text) > BOUNDARY_SOURCE_MAX:
        keep = BOUNDARY_SOURCE_MAX - (len(OSM_ATTRIBUTION) + 3 if osm else 1)
        text = text[:keep] + "…" + (f"; {OSM_ATTRIBUTION}" if osm else "")
    return text


@dataclass
class BoundaryMatch:
    label: str
    target: District | Subdistrict
    matched_by: str  # "code" or "name"
    outcome: Outcome


@dataclass
class BoundaryMiss:
    label: str
    reason: str


@dataclass
class BoundaryImportReport:
    matched: list[BoundaryMatch] = field(default_factory=list)
    unmatched: list[BoundaryMiss] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for m in self.matched if m.outcome != Outcome.UNCHANGED)


class MissReason(StrEnum):
    NO_GEOMETRY = "no_geometry"
    OTHER_DISTRICT = "other_district"
    NO_MATCH = "no_match"
    AMBIGUOUS = "ambiguous"
    DUPLICATE = "duplicate"


def _feature_label(properties: Mapping[str, Any], index: int) -> str:
    for key in (*NAME_PROPERTIES, *CODE_PROPERTIES):
        if properties.get(key) not in (None, ""):
            return str(properties[key])
    return f"#{index + 1}"


def _valid_geometry(geometry: Any) -> bool:
    return (
        isinstance(geometry, dict)
        and geometry.get("type") in POLYGON_TYPES
        and isinstance(geometry.get("coordinates"), list)
        and bool(geometry["coordinates"])
    )


def _match_feature(
    *, properties: Mapping[str, Any], district: District, subdistricts: list[Subdistrict]
) -> tuple[District | Subdistrict | None, str, MissReason | None]:
    by_code = {sd.code: sd for sd in subdistricts}
    other_district = False
    for key in CODE_PROPERTIES:
        code = _digits(properties.get(key))
        if code is None:
            continue
        if len(code) == 6:
            if code == district.code:
                return district, "code", None
            other_district = True
        if len(code) == 9:  # township code without the three trailing zeros
            code += "000"
        if len(code) == 12:
            if code in by_code:
                return by_code[code], "code", None
            if not code.startswith(district.code):
                other_district = True
    for key in NAME_PROPERTIES:
        name = str(properties.get(key) or "").strip()
        if not name:
            continue
        if name == district.name:
            return district, "name", None
        exact = [sd for sd in subdistricts if sd.name == name]
        if exact:
            return exact[0], "name", None
        base = name_base(name)
        similar = [sd for sd in subdistricts if name_base(sd.name) == base]
        if len(similar) == 1:
            return similar[0], "name", None
        if len(similar) > 1:
            return None, "", MissReason.AMBIGUOUS
    return None, "", MissReason.OTHER_DISTRICT if other_district else MissReason.NO_MATCH


@transaction.atomic
def boundaries_import(
    *,
    collection: Mapping[str, Any],
    district: District,
    source_name: str,
    source: str = "",
    osm: bool | None = None,
) -> BoundaryImportReport:
    """Attach the geometries of a GeoJSON FeatureCollection (or single Feature) to the
    district and its subdistricts, matched by code, then by name.

    The source of each boundary is `source`, else the feature's `source` property, else
    `source_name` (the file name); OpenStreetMap data gets its attribution (`osm=None`
    detects it from the source text and the properties)."""
    if collection.get("type") == "Feature":
        features: list[Any] = [collection]
    else:
        features = list(collection.get("features") or [])
    subdistricts = list(Subdistrict.objects.select_for_update().filter(district=district))
    report = BoundaryImportReport()
    taken: dict[tuple[str, int], str] = {}
    for index, feature in enumerate(features):
        properties = (feature or {}).get("properties") or {}
        label = _feature_label(properties, index)
        geometry = (feature or {}).get("geometry")
        if not _valid_geometry(geometry):
            report.unmatched.append(BoundaryMiss(label, MissReason.NO_GEOMETRY))
            continue
        target, matched_by, reason = _match_feature(
            properties=properties, district=district, subdistricts=subdistricts
        )
        if target is None:
            report.unmatched.append(BoundaryMiss(label, reason or MissReason.NO_MATCH))
            continue
        key = (target._meta.label, target.pk)
        if key in taken:
            report.unmatched.append(BoundaryMiss(label, MissReason.DUPLICATE))
            continue
        taken[key] = label
        text = source or str(properties.get("source") or "") or source_name
        is_osm = is_osm_source(source=text, properties=properties) if osm is None else osm
        boundary_source = boundary_source_text(source=text, osm=is_osm)
        if target.boundary == geometry and target.boundary_source == boundary_source:
            outcome = Outcome.UNCHANGED
        else:
            target.boundary = geometry
            target.boundary_source = boundary_source
            target.save(update_fields=["boundary", "boundary_source"])
            outcome = Outcome.UPDATED
        report.matched.append(BoundaryMatch(label, target, matched_by, outcome))
    return report
