"""Writes to the legal catalog and the working-day calendar.

Every change made in the application goes through these services: they check that the
actor may edit the catalog, validate the entry, write it and record a `CatalogChange` in
the same transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from xiaoqu.departments.models import Department

from . import seed_data
from .choices import ChangeAction
from .models import (
    CalendarDay,
    CatalogChange,
    DeadlineRule,
    Effective,
    Provision,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)
from .permissions import can_edit_catalog

if TYPE_CHECKING:
    from xiaoqu.accounts.models import User
    from xiaoqu.regions.models import District

M = TypeVar("M", bound=models.Model)
E = TypeVar("E", bound=Effective)

# Models whose rows legal staff edit in the application.
CATALOG_MODELS: tuple[type[models.Model], ...] = (
    Statute,
    Provision,
    ViolationType,
    ReferralTarget,
    DeadlineRule,
    Threshold,
    CalendarDay,
)


# --- audit ---------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def catalog_snapshot(entry: models.Model) -> dict[str, Any]:
    """The entry's field values as JSON: related entries by their names, lists sorted."""
    data: dict[str, Any] = {}
    for f in entry._meta.concrete_fields:
        if f.primary_key:
            continue
        data[f.name] = _json_value(getattr(entry, f.name))
    if entry.pk:
        for m2m in entry._meta.many_to_many:
            data[m2m.name] = sorted(str(r) for r in getattr(entry, m2m.name).all())
    return data


def _record(
    *,
    entry: models.Model,
    action: str,
    actor: User | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> CatalogChange:
    return CatalogChange.objects.create(
        actor=actor,
        model=entry._meta.label_lower,
        object_id=entry.pk,
        object_repr=str(entry)[:200],
        action=action,
        before=before,
        after=after,
    )


def _check_editor(actor: User) -> None:
    if not can_edit_catalog(actor):
        raise PermissionDenied(_("Only legal staff and administrators may change the catalog."))


def _apply(entry: M, values: Mapping[str, Any]) -> dict[str, Iterable[Any]]:
    """Set plain fields on `entry`; return the many-to-many values to set after saving."""
    m2m_names = {f.name for f in entry._meta.many_to_many}
    m2m: dict[str, Iterable[Any]] = {}
    for name, value in values.items():
        if name in m2m_names:
            m2m[name] = value
        else:
            setattr(entry, name, value)
    return m2m


# --- editing -------------------------------------------------------------------------------


@transaction.atomic
def catalog_entry_create(*, model: type[M], values: Mapping[str, Any], actor: User) -> M:
    """Create a catalog entry (a statute, a provision, a violation type, …)."""
    _check_editor(actor)
    entry = model()
    m2m = _apply(entry, values)
    entry.full_clean()
    entry.save()
    for name, related in m2m.items():
        getattr(entry, name).set(related)
    _record(
        entry=entry,
        action=ChangeAction.CREATE,
        actor=actor,
        before=None,
        after=catalog_snapshot(entry),
    )
    return entry


@transaction.atomic
def catalog_entry_update(*, entry: M, values: Mapping[str, Any], actor: User) -> M:
    """Change an entry in place (a correction). Records nothing when nothing changed."""
    _check_editor(actor)
    current = type(entry)._default_manager.select_for_update().get(pk=entry.pk)
    before = catalog_snapshot(current)
    m2m = _apply(current, values)
    current.full_clean()
    current.save()
    for name, related in m2m.items():
        getattr(current, name).set(related)
    after = catalog_snapshot(current)
    if after != before:
        _record(
            entry=current,
            action=ChangeAction.UPDATE,
            actor=actor,
            before=before,
            after=after,
        )
    return current


@transaction.atomic
def catalog_entry_new_version(
    *,
    entry: E,
    effective_from: dt.date,
    values: Mapping[str, Any],
    actor: User,
) -> E:
    """Replace an entry from a date on: the current version ends on `effective_from` and a
    new version, with `values`, starts on it and stays in force until changed.

    `entry` must be the latest version; the new version starts after it began."""
    _check_editor(actor)
    model = type(entry)
    if model.version_key is None:
        raise ValueError(f"{model.__name__} has no versions")
    current = model._default_manager.select_for_update().get(pk=entry.pk)
    latest = current.versions().first()
    if latest is not None and latest.pk != current.pk:
        raise ValidationError(
            _("Only the latest version (from %(date)s) can be replaced.")
            % {"date": latest.effective_from.isoformat()}
        )
    new = model._default_manager.get(pk=current.pk)
    new.pk = None
    new._state.adding = True
    new.replaces = current
    m2m_current = {f.name: list(getattr(current, f.name).all()) for f in model._meta.many_to_many}
    m2m = {**m2m_current, **_apply(new, values)}
    new.effective_from = effective_from
    new.effective_to = None
    new.full_clean()

    before = catalog_snapshot(current)
    current.effective_to = effective_from
    current.full_clean()
    current.save(update_fields=["effective_to"])
    _record(
        entry=current,
        action=ChangeAction.CLOSE,
        actor=actor,
        before=before,
        after=catalog_snapshot(current),
    )

    new.replaces = None
    new.save()
    for name, related in m2m.items():
        getattr(new, name).set(related)
    _record(
        entry=new,
        action=ChangeAction.NEW_VERSION,
        actor=actor,
        before=before,
        after=catalog_snapshot(new),
    )
    return new


def calendar_day_create(
    *, day: dt.date, is_workday: bool, name: str = "", note: str = "", actor: User
) -> CalendarDay:
    """Enter a calendar override: a holiday, or a make-up working day (调休)."""
    return catalog_entry_create(
        model=CalendarDay,
        values={"date": day, "is_workday": is_workday, "name": name, "note": note},
        actor=actor,
    )


def calendar_day_update(
    *, entry: CalendarDay, values: Mapping[str, Any], actor: User
) -> CalendarDay:
    return catalog_entry_update(entry=entry, values=values, actor=actor)


@transaction.atomic
def calendar_day_delete(*, entry: CalendarDay, actor: User) -> None:
    """Remove an override; the day reverts to the official arrangement or to weekdays."""
    _check_editor(actor)
    current = CalendarDay.objects.select_for_update().get(pk=entry.pk)
    _record(
        entry=current,
        action=ChangeAction.DELETE,
        actor=actor,
        before=catalog_snapshot(current),
        after=None,
    )
    current.delete()


# --- seeding -------------------------------------------------------------------------------


class _Upserter:
    """update_or_create that only writes what differs, leaves entries maintained in the
    application alone, and counts what it did."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.edited: set[tuple[str, int]] = set(
            CatalogChange.objects.values_list("model", "object_id")
        )

    def upsert(
        self,
        model: type[models.Model],
        *,
        keys: Mapping[str, Any],
        values: Mapping[str, Any],
        m2m: Mapping[str, Iterable[models.Model]] | None = None,
        version_key: str | None = None,
    ) -> Any:
        manager = model._default_manager
        obj = manager.filter(**keys).first()
        if obj is None:
            if version_key is not None:
                # Another version exists: the entry is maintained in the application.
                other = manager.filter(**{version_key: keys[version_key]}).first()
                if other is not None:
                    self.counts["kept"] += 1
                    return other
            obj = manager.create(**keys, **values)
            self.counts["created"] += 1
            for name, related in (m2m or {}).items():
                getattr(obj, name).set(list(related))
            return obj
        if (model._meta.label_lower, obj.pk) in self.edited:
            self.counts["kept"] += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
        for name, related in (m2m or {}).items():
            wanted = {r.pk for r in related}
            manager_ = getattr(obj, name)
            if set(manager_.values_list("pk", flat=True)) != wanted:
                manager_.set(list(wanted))
                changed.append(name)
        self.counts["updated" if changed else "unchanged"] += 1
        return obj


@transaction.atomic
def law_catalog_seed(*, district: District) -> dict[str, int]:
    """Write the shipped legal catalog (seed_data) into the database.

    Idempotent: rows are found by their natural keys (statute code; statute and article;
    code and effective_from) and only changed fields are written, so a second run creates
    and updates nothing. Entries changed in the application (they have a CatalogChange) and
    entries with another version are kept as legal staff left them; `effective_to` is never
    written. Departments are looked up in `district` by code; a missing department leaves
    the link empty. Returns counts: created, updated, unchanged, kept."""
    up = _Upserter()
    departments = {d.code: d for d in Department.objects.filter(district=district)}
    catalog = seed_data.CATALOG

    statutes: dict[str, Statute] = {}
    for s in catalog.statutes:
        statutes[s.code] = up.upsert(
            Statute,
            keys={"code": s.code},
            values={
                "title": s.title,
                "version": s.version,
                "issuer": s.issuer,
                "note": s.note,
                "effective_from": s.effective_from,
                "verified": s.verified,
            },
        )

    provisions: dict[tuple[str, str], Provision] = {}
    for p in catalog.provisions:
        provisions[(p.statute, p.article)] = up.upsert(
            Provision,
            keys={"statute": statutes[p.statute], "article": p.article},
            values={"text": p.text, "note": p.note, "verified": p.verified},
        )

    for v in catalog.violation_types:
        up.upsert(
            ViolationType,
            keys={"code": v.code, "effective_from": catalog.statute_date(v.penalty[0])},
            values={
                "name": v.name,
                "description": v.description,
                "penalty_provision": provisions[v.penalty],
                "penalty_text": v.penalty_text,
                "fine_min": v.fine_min,
                "fine_max": v.fine_max,
                "fine_unit_note": v.fine_unit_note,
                "enforcer_note": v.enforcer_note,
                "enforcer": departments.get(v.enforcer) if v.enforcer else None,
                "assisting_note": v.assisting_note,
                "deadline_codes": list(v.deadline_codes),
                "verified": v.verified,
                "sort_order": v.sort_order,
            },
            m2m={
                "prohibitions": [provisions[key] for key in v.prohibitions],
                "assisting_departments": [departments[c] for c in v.assisting if c in departments],
            },
            version_key="code",
        )

    for r in catalog.referral_targets:
        up.upsert(
            ReferralTarget,
            keys={"code": r.code, "effective_from": r.effective_from},
            values={
                "department": departments.get(r.department),
                "matters": r.matters,
                "verified": r.verified,
            },
            version_key="code",
        )

    for d in catalog.deadline_rules:
        up.upsert(
            DeadlineRule,
            keys={"code": d.code, "effective_from": d.effective_from},
            values={
                "description": d.description,
                "limit": d.limit,
                "unit": d.unit,
                "limit_if_ongoing": d.limit_if_ongoing,
                "extension": d.extension,
                "extension_note": d.extension_note,
                "source_title": d.source_title,
                "source_article": d.source_article,
                "provision": provisions[d.provision] if d.provision else None,
                "note": d.note,
                "verified": d.verified,
            },
            version_key="code",
        )

    for t in catalog.thresholds:
        up.upsert(
            Threshold,
            keys={"code": t.code, "effective_from": t.effective_from},
            values={
                "description": t.description,
                "individual": t.individual,
                "organisation": t.organisation,
                "source_title": t.source_title,
                "source_article": t.source_article,
                "note": t.note,
                "verified": t.verified,
            },
            version_key="code",
        )

    return {key: up.counts[key] for key in ("created", "updated", "unchanged", "kept")}
