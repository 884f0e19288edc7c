"""Turning an evaluated table (live or published: the same JSON) into rows for the pages, the
Excel report and the explanation of a unit's score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from xiaoqu.analytics.figures import Period, Scope

from .choices import AppliesTo, Direction, UnitKind
from .indicators import MEASURE_BY_CODE


def drill_url(
    *, code: str, kind: str, unit_id: int, district_id: int, period: Period
) -> str | None:
    """The records behind one cell (`analytics:records`), or None where there is no list."""
    from xiaoqu.analytics.drilldown import records_url

    measure = MEASURE_BY_CODE.get(code)
    if measure is None:
        return None
    scope = (
        Scope(district_id=district_id, subdistrict_id=unit_id)
        if kind == UnitKind.SUBDISTRICT
        else Scope(district_id=district_id, department_id=unit_id)
    )
    try:
        return records_url(figure=measure.figure, scope=scope, period=period, kind=measure.kind)
    except NoReverseMatch:
        return None


def fmt_value(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    text = (
        f"{value:.1f}"
        if isinstance(value, float) and not float(value).is_integer()
        else f"{value:g}"
    )
    if unit == "%":
        return f"{text} %"
    return text


def fmt_counts(cell: dict[str, Any]) -> str:
    if cell.get("denominator") is None:
        return ""
    return f"{cell['numerator']:g} / {cell['denominator']:g}"


def note_label(note: str) -> str:
    return {"few": _("too few to score"), "none": _("no data")}.get(note, "")


def period_of(data: dict[str, Any]) -> Period:
    return Period(
        dt.date.fromisoformat(data["period"]["start"]), dt.date.fromisoformat(data["period"]["end"])
    )


def indicators_for(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    wanted = AppliesTo.SUBDISTRICTS if kind == UnitKind.SUBDISTRICT else AppliesTo.DEPARTMENTS
    return [i for i in data["indicators"] if i["applies_to"] in (wanted, AppliesTo.BOTH)]


def table(
    data: dict[str, Any], kind: str, *, drill_units: set[int] | None, district_id: int
) -> dict[str, Any]:
    """Header and rows of one unit kind; `drill_units` the units whose cells link to their
    records (None: every unit)."""
    period = period_of(data)
    indicators = indicators_for(data, kind)
    rows = []
    for unit in data["tables"].get(kind, []):
        drill = drill_units is None or unit["id"] in drill_units
        cells = []
        for ind in indicators:
            cell = unit["cells"].get(ind["code"], {})
            cells.append(
                {
                    "value": fmt_value(cell.get("value"), ind["unit"]),
                    "raw": cell.get("value"),
                    "counts": fmt_counts(cell) if cell else "",
                    "points": cell.get("points"),
                    "note": note_label(cell.get("note", "")),
                    "url": drill_url(
                        code=ind["code"],
                        kind=kind,
                        unit_id=unit["id"],
                        district_id=district_id,
                        period=period,
                    )
                    if drill
                    else None,
                }
            )
        rows.append({**unit, "kind": kind, "row_cells": cells})
    return {"kind": kind, "indicators": indicators, "rows": rows}


def formula_text(ind: dict[str, Any]) -> str:
    return _(
        "%(weight)s × (value − %(floor)s) ÷ (%(target)s − %(floor)s), between 0 and %(weight)s"
    ) % {
        "weight": f"{ind['weight']:g}",
        "floor": f"{ind['floor']:g}",
        "target": f"{ind['target']:g}",
    }


def explanation(
    data: dict[str, Any], kind: str, unit_id: int, *, drill: bool, district_id: int
) -> dict[str, Any] | None:
    """A unit's score indicator by indicator."""
    unit = next((u for u in data["tables"].get(kind, []) if u["id"] == unit_id), None)
    if unit is None:
        return None
    period = period_of(data)
    lines = []
    applying = scored = 0.0
    for ind in indicators_for(data, kind):
        measure = MEASURE_BY_CODE.get(ind["code"])
        cell = unit["cells"].get(ind["code"], {})
        applying += ind["weight"]
        if cell.get("points") is not None:
            scored += ind["weight"]
        lines.append(
            {
                "indicator": ind,
                "description": measure.description if measure else "",
                "numerator_label": measure.numerator_label if measure else "",
                "denominator_label": measure.denominator_label if measure else "",
                "direction": Direction(ind["direction"]).label,
                "value": fmt_value(cell.get("value"), ind["unit"]),
                "numerator": cell.get("numerator"),
                "denominator": cell.get("denominator"),
                "points": cell.get("points"),
                "note": note_label(cell.get("note", "")),
                "floor": fmt_value(ind["floor"], ind["unit"]),
                "target": fmt_value(ind["target"], ind["unit"]),
                "formula": formula_text(ind),
                "url": drill_url(
                    code=ind["code"],
                    kind=kind,
                    unit_id=unit_id,
                    district_id=district_id,
                    period=period,
                )
                if drill
                else None,
            }
        )
    earned = sum(line["points"] or 0 for line in lines)
    return {
        "unit": unit,
        "lines": lines,
        "earned": round(earned, 2),
        "applying": applying,
        "scored": scored,
        "scaled": scored != applying and scored > 0,
    }
