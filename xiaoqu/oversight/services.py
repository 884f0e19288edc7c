"""Writes of the oversight app: the pilot programme and its estates.

`Estate.is_pilot` (the estates app's flag, shown on estate pages) is kept in step here: an
estate is a pilot estate while it belongs to a programme of its district that has not ended."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.services import event_record
from xiaoqu.estates.models import Estate

from .models import PilotEstate, PilotProgramme

CHOOSERS = frozenset({Role.LEADER, Role.DISPATCHER, Role.ADMIN})


def may_choose_pilot(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or (user.role in CHOOSERS and user.district_id is not None))
    )


def _check(actor: Any, district_id: int) -> None:
    if actor is None:
        return  # the demo generator
    if not may_choose_pilot(actor) or (not actor.is_superuser and actor.district_id != district_id):
        raise PermissionDenied(_("Only the bureau's leaders and dispatchers choose pilot estates."))


def pilot_flags_sync(*, district_id: int, at: dt.datetime | None = None) -> None:
    """Set `Estate.is_pilot` for exactly the estates of the district's running programmes."""
    today = timezone.localdate(at or timezone.now())
    running = PilotEstate.objects.filter(programme__district_id=district_id).filter(
        Q(programme__ends_on__isnull=True) | Q(programme__ends_on__gte=today)
    )
    ids = set(running.values_list("estate_id", flat=True))
    estates = Estate.objects.filter(district_id=district_id)
    estates.filter(is_pilot=True).exclude(pk__in=ids).update(is_pilot=False)
    estates.filter(pk__in=ids, is_pilot=False).update(is_pilot=True)


def programme_create(
    *,
    actor: Any,
    district: Any,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> PilotProgramme:
    _check(actor, district.pk)
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError(_("The end date must come after the start date."))
    at = at or timezone.now()
    with transaction.atomic():
        programme = PilotProgramme.objects.create(
            district=district,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            created_by=actor,
            created_at=at,
            is_demo=is_demo,
        )
        event_record(
            record=programme,
            actor=actor,
            action="created",
            data={"starts_on": starts_on, "ends_on": ends_on},
            at=at,
        )
    return programme


def pilot_estates_add(
    *,
    actor: Any,
    programme: PilotProgramme,
    estates: list[tuple[Estate, str]],
    at: dt.datetime | None = None,
) -> list[PilotEstate]:
    """Add estates (each with the reason it was chosen) to a programme."""
    _check(actor, programme.district_id)
    at = at or timezone.now()
    with transaction.atomic():
        locked = PilotProgramme.objects.select_for_update().get(pk=programme.pk)
        present = set(locked.estates.values_list("estate_id", flat=True))
        added = []
        for estate, reason in estates:
            if estate.district_id != locked.district_id:
                raise ValidationError(_("The estate is not in the programme's district."))
            if estate.pk in present:
                continue
            added.append(
                PilotEstate.objects.create(
                    programme=locked,
                    estate=estate,
                    reason=reason[:300],
                    chosen_by=actor,
                    chosen_at=at,
                )
            )
            present.add(estate.pk)
        if added:
            event_record(
                record=locked,
                actor=actor,
                action="estates_added",
                data={"estates": [p.estate_id for p in added]},
                at=at,
            )
        pilot_flags_sync(district_id=locked.district_id, at=at)
    return added


def pilot_estate_remove(
    *,
    actor: Any,
    programme: PilotProgramme,
    estate: Estate,
    reason: str = "",
    at: dt.datetime | None = None,
) -> None:
    _check(actor, programme.district_id)
    at = at or timezone.now()
    with transaction.atomic():
        locked = PilotProgramme.objects.select_for_update().get(pk=programme.pk)
        deleted, _rows = PilotEstate.objects.filter(programme=locked, estate=estate).delete()
        if deleted:
            event_record(
                record=locked,
                actor=actor,
                action="estate_removed",
                reason=reason,
                data={"estate": estate.pk},
                at=at,
            )
        pilot_flags_sync(district_id=locked.district_id, at=at)
