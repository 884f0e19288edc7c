"""Subdistrict boundaries as GeoJSON for the maps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .models import Subdistrict


def boundary_collection(
    subdistricts: Iterable[Subdistrict],
    *,
    selected: Subdistrict | None = None,
    values: Mapping[int, Any] | None = None,
    points: list[tuple[str, float, float]] | None = None,
) -> dict[str, Any] | None:
    """A FeatureCollection of the subdistricts that have a boundary, or None when none has."""
    features = []
    for sd in subdistricts:
        if not sd.boundary:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": sd.name,
                    "url": sd.get_absolute_url(),
                    "selected": selected is not None and sd.pk == selected.pk,
                    "value": (values or {}).get(sd.pk),
                },
                "geometry": sd.boundary,
            }
        )
    if not features:
        return None
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if points:
        # (name, longitude, latitude): markers drawn on the boundaries
        collection["points"] = [{"name": n, "value": [lng, lat]} for n, lng, lat in points]
    return collection
