"""Writes to the legal catalog."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from xiaoqu.departments.models import Department
from xiaoqu.regions.models import District

from . import seed_data
from .models import DeadlineRule, Provision, ReferralTarget, Statute, Threshold, ViolationType


class _Upserter:
    """update_or_create that only writes what differs, and counts what it did."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def upsert(
        self,
        model: type[models.Model],
        *,
        keys: Mapping[str, Any],
        values: Mapping[str, Any],
        m2m: Mapping[str, Iterable[models.Model]] | None = None,
    ) -> Any:
        obj = model._default_manager.filter(**keys).first()
        if obj is None:
            obj = model._default_manager.create(**keys, **values)
            self.counts["created"] += 1
            for name, related in (m2m or {}).items():
                getattr(obj, name).set(list(related))
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
        for name, related in (m2m or {}).items():
            wanted = {r.pk for r in related}
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(list(wanted))
                changed.append(name)
        self.counts["updated" if changed else "unchanged"] += 1
        return obj


@transaction.atomic
def law_catalog_seed(*, district: District) -> dict[str, int]:
    """Write the shipped legal catalog (seed_data) into the database.

    Idempotent: rows are found by their natural keys (statute code; statute and article;
    code and effective_from) and only changed fields are written, so a second run creates
    and updates nothing. `effective_to` is never touched, so versions closed in the
    application stay closed. Departments are looked up in `district` by code; a missing
    department leaves the link empty. Returns counts: created, updated, unchanged."""
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
        penalty_statute = statutes[v.penalty[0]]
        up.upsert(
            ViolationType,
            keys={"code": v.code, "effective_from": penalty_statute.effective_from},
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
                "verified": v.verified,
                "sort_order": v.sort_order,
            },
            m2m={
                "prohibitions": [provisions[key] for key in v.prohibitions],
                "assisting_departments": [departments[c] for c in v.assisting if c in departments],
            },
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
        )

    return {key: up.counts[key] for key in ("created", "updated", "unchanged")}
