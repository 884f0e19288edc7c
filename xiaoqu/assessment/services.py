"""Assessment services: schemes, evaluation, publishing, and the work plan's tasks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.analytics.figures import Period, Scope
from xiaoqu.audit.services import event_record
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.regions.models import District, Subdistrict

from . import scoring
from .choices import AppliesTo, Direction, TaskStatus, UnitKind
from .indicators import MEASURE_BY_CODE, MEASURES
from .models import Indicator, Scheme, Snapshot, Task

# ---------------------------------------------------------------------------------------------
# Who may do what


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def may_edit_scheme(user: Any) -> bool:
    """Bureau leaders and administrators edit schemes."""
    return bool(getattr(user, "is_superuser", False)) or _role(user) in {Role.LEADER, Role.ADMIN}


def may_publish(user: Any) -> bool:
    """Bureau leaders publish an evaluation."""
    return bool(getattr(user, "is_superuser", False)) or _role(user) == Role.LEADER


def may_edit_plan(user: Any) -> bool:
    """Dispatchers, leaders and administrators keep the work plan."""
    return bool(getattr(user, "is_superuser", False)) or _role(user) in {
        Role.LEADER,
        Role.ADMIN,
        Role.DISPATCHER,
    }


ASSESSED_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.LEADER,
        Role.DISPATCHER,
        Role.LEGAL,
        Role.OFFICER,
        Role.SUBDISTRICT_MANAGER,
        Role.LIAISON,
    }
)


def may_read(user: Any) -> bool:
    """The bureau, the subdistricts and the departments read assessments, reports and the
    plan; property companies and studios do not."""
    return bool(getattr(user, "is_superuser", False)) or _role(user) in ASSESSED_ROLES


# ---------------------------------------------------------------------------------------------
# Periods


def period_parse(value: str) -> Period | None:
    """ "2026" (a year) or "2026Q3" (a quarter)."""
    value = (value or "").strip().upper()
    try:
        if len(value) == 4 and value.isdigit():
            return Period.year(int(value))
        if len(value) == 6 and value[4] == "Q" and value[:4].isdigit() and value[5] in "1234":
            return Period.quarter(int(value[:4]), int(value[5]))
    except ValueError:
        return None
    return None


def period_key(period: Period) -> str:
    months = len(period.months())
    if months == 12 and period.start.month == 1:
        return str(period.start.year)
    return f"{period.start.year}Q{(period.start.month - 1) // 3 + 1}"


def period_label(period: Period) -> str:
    key = period_key(period)
    if "Q" in key:
        return gettext("%(year)s Q%(quarter)s") % {"year": key[:4], "quarter": key[5]}
    return gettext("Year %(year)s") % {"year": key}


def last_full_quarter(today: dt.date) -> Period:
    q = (today.month - 1) // 3 + 1
    year, q = (today.year, q - 1) if q > 1 else (today.year - 1, 4)
    return Period.quarter(year, q)


# ---------------------------------------------------------------------------------------------
# Schemes


def scheme_default(*, district: District, year: int, is_demo: bool = False) -> Scheme:
    """The district's scheme of the year, created with the registry's defaults if missing."""
    with transaction.atomic():
        scheme, created = Scheme.objects.get_or_create(
            district=district,
            year=year,
            defaults={
                "name": gettext("Assessment scheme %(year)s") % {"year": year},
                "note": gettext("Default scheme."),
                "is_demo": is_demo,
            },
        )
        if created:
            Indicator.objects.bulk_create(
                Indicator(
                    scheme=scheme,
                    order=i,
                    code=m.code,
                    name=str(m.label),
                    applies_to=m.applies_to,
                    weight=m.weight,
                    direction=m.direction,
                    floor=m.floor,
                    target=m.target,
                )
                for i, m in enumerate(MEASURES)
            )
            event_record(
                record=scheme, actor=None, action="created", to_state="v1", data=_definition(scheme)
            )
    return scheme


def _definition(scheme: Scheme) -> dict[str, Any]:
    return {
        "id": scheme.pk,
        "name": scheme.name,
        "year": scheme.year,
        "version": scheme.version,
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "applies_to": i.applies_to,
                "weight": float(i.weight),
                "direction": i.direction,
                "floor": float(i.floor),
                "target": float(i.target),
                "unit": MEASURE_BY_CODE[i.code].unit if i.code in MEASURE_BY_CODE else "",
            }
            for i in scheme.indicators.order_by("order", "pk")
        ],
    }


def weight_sums(indicators: Sequence[dict[str, Any]]) -> dict[str, Decimal]:
    """Σ weights applying to subdistricts and to departments."""
    sums = {UnitKind.SUBDISTRICT.value: Decimal(0), UnitKind.DEPARTMENT.value: Decimal(0)}
    for ind in indicators:
        weight = Decimal(str(ind["weight"]))
        if ind["applies_to"] in (AppliesTo.SUBDISTRICTS, AppliesTo.BOTH):
            sums[UnitKind.SUBDISTRICT.value] += weight
        if ind["applies_to"] in (AppliesTo.DEPARTMENTS, AppliesTo.BOTH):
            sums[UnitKind.DEPARTMENT.value] += weight
    return sums


def scheme_update(
    *,
    scheme: Scheme,
    actor: Any,
    name: str,
    indicators: Sequence[dict[str, Any]],
    note: str = "",
    at: dt.datetime | None = None,
) -> Scheme:
    """Replace the scheme's indicators and increment its version. Published snapshots keep
    the definitions they were evaluated with. Each indicator dict holds code, name,
    applies_to, weight, direction, floor, target."""
    if not may_edit_scheme(actor):
        raise PermissionDenied(_("Only bureau leaders and administrators edit the scheme."))
    if not indicators:
        raise ValidationError(_("A scheme needs at least one indicator."))
    moment = at or timezone.now()
    with transaction.atomic():
        locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
        before = _definition(locked)
        rows = []
        for i, data in enumerate(indicators):
            if data["code"] not in MEASURE_BY_CODE:
                raise ValidationError(_("Unknown measure: %(code)s") % {"code": data["code"]})
            row = Indicator(scheme=locked, order=i, **data)
            row.full_clean(exclude=["scheme"])
            rows.append(row)
        for kind, total in weight_sums(
            [{"weight": r.weight, "applies_to": r.applies_to} for r in rows]
        ).items():
            if total > 1000:
                raise ValidationError(
                    _("The weights of %(kind)s add up to %(total)s: at most 1000.")
                    % {"kind": UnitKind(kind).label, "total": total}
                )
        locked.indicators.all().delete()
        Indicator.objects.bulk_create(rows)
        locked.name = name
        locked.note = note
        locked.version += 1
        locked.updated_by = actor
        locked.updated_at = moment
        locked.save(update_fields=["name", "note", "version", "updated_by", "updated_at"])
        event_record(
            record=locked,
            actor=actor,
            action="changed",
            from_state=f"v{before['version']}",
            to_state=f"v{locked.version}",
            reason=note,
            data={"before": before["indicators"], "after": _definition(locked)["indicators"]},
            at=moment,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Evaluation


def units(district: District) -> dict[str, list[tuple[int, str]]]:
    """The assessed units: the district's subdistricts and its active functional departments."""
    return {
        UnitKind.SUBDISTRICT.value: list(
            Subdistrict.objects.filter(district=district).order_by("code").values_list("pk", "name")
        ),
        UnitKind.DEPARTMENT.value: list(
            Department.objects.filter(
                district=district, kind=DepartmentKind.FUNCTIONAL, is_active=True
            )
            .order_by("code")
            .values_list("pk", "name")
        ),
    }


def _applies(applies_to: str, kind: str) -> bool:
    return applies_to == AppliesTo.BOTH or applies_to == (
        AppliesTo.SUBDISTRICTS if kind == UnitKind.SUBDISTRICT else AppliesTo.DEPARTMENTS
    )


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def evaluate(*, scheme: Scheme, period: Period, at: dt.datetime | None = None) -> dict[str, Any]:
    """The evaluated table of every unit (JSON-able: what a snapshot freezes)."""
    definition = _definition(scheme)
    district = scheme.district
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind, rows in units(district).items():
        table = []
        for unit_id, unit_name in rows:
            scope = (
                Scope(district_id=district.pk, subdistrict_id=unit_id)
                if kind == UnitKind.SUBDISTRICT
                else Scope(district_id=district.pk, department_id=unit_id)
            )
            cells: dict[str, Any] = {}
            pairs = []
            for ind in definition["indicators"]:
                if not _applies(ind["applies_to"], kind):
                    continue
                measured = MEASURE_BY_CODE[ind["code"]].compute(scope, period)
                pts = scoring.points(
                    value=measured.value,
                    floor=ind["floor"],
                    target=ind["target"],
                    weight=ind["weight"],
                )
                pairs.append((Decimal(str(ind["weight"])), pts))
                cells[ind["code"]] = {
                    "value": _num(measured.value),
                    "numerator": _num(measured.numerator),
                    "denominator": _num(measured.denominator),
                    "points": _num(pts),
                    "note": measured.note,
                }
            table.append(
                {
                    "id": unit_id,
                    "name": unit_name,
                    "total": _num(scoring.total(pairs)),
                    "cells": cells,
                }
            )
        for row, rank in zip(
            table,
            scoring.ranks(
                [None if r["total"] is None else Decimal(str(r["total"])) for r in table]
            ),
            strict=True,
        ):
            row["rank"] = rank
        table.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["name"]))
        tables[kind] = table
    return {
        "scheme": {k: definition[k] for k in ("id", "name", "year", "version")},
        "indicators": definition["indicators"],
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "key": period_key(period),
        },
        "computed_at": (at or timezone.now()).isoformat(),
        "tables": tables,
    }


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def snapshot_publish(
    *,
    scheme: Scheme,
    period: Period,
    actor: Any,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> Snapshot:
    """Freeze the evaluation of `period` with `scheme` as it is now."""
    if not may_publish(actor):
        raise PermissionDenied(_("Only bureau leaders publish an assessment."))
    moment = at or timezone.now()
    data = evaluate(scheme=scheme, period=period, at=moment)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            district=scheme.district,
            scheme=scheme,
            scheme_version=scheme.version,
            period_start=period.start,
            period_end=period.end,
            title=f"{scheme.name} · {period_label(period)}",
            data=data,
            content_hash=content_hash(data),
            published_by=actor,
            published_at=moment,
            is_demo=is_demo,
        )
        event_record(
            record=snapshot,
            actor=actor,
            action="published",
            to_state="published",
            data={"content_hash": snapshot.content_hash, "scheme_version": scheme.version},
            at=moment,
        )
    return snapshot


def snapshot_verify(snapshot: Snapshot) -> bool:
    """The stored table still hashes to the hash recorded when it was published."""
    fresh = Snapshot.objects.get(pk=snapshot.pk)
    return content_hash(fresh.data) == fresh.content_hash == snapshot.content_hash


# ---------------------------------------------------------------------------------------------
# The work plan


def task_update(
    *,
    task: Task,
    actor: Any,
    status: str,
    done_date: dt.date | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Task:
    """Record a task's progress (done needs its date)."""
    if not may_edit_plan(actor):
        raise PermissionDenied(_("Only the bureau keeps the work plan."))
    if status not in TaskStatus.values:
        raise ValidationError(_("Unknown status."))
    moment = at or timezone.now()
    if status == TaskStatus.DONE and done_date is None:
        done_date = timezone.localdate(moment)
    if status != TaskStatus.DONE:
        done_date = None
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        before = locked.status
        locked.status = status
        locked.done_date = done_date
        if note is not None:
            locked.note = note
        locked.save(update_fields=["status", "done_date", "note"])
        event_record(
            record=locked,
            actor=actor,
            action="progress",
            from_state=before,
            to_state=status,
            data={"done_date": done_date.isoformat() if done_date else None},
            at=moment,
        )
    return locked


def direction_label(direction: str) -> Any:
    return Direction(direction).label
