"""Who may do what with legal education events and trainings (what they may see is the
jurisdiction filter of the selectors).

- Events are planned, edited, closed (held / cancelled) by the bureau (dispatchers, leaders,
  administrators, legal staff) anywhere in the district, and by subdistrict staff (enforcement
  officers, subdistrict managers) for estates of their own subdistrict only.
- Trainings are planned and their attendance recorded by the bureau, and by the liaisons of a
  department that organises the session (e.g. the housing bureau). Property company staff see
  their own company's sessions and attendance, read only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xiaoqu.accounts.choices import Role

BUREAU_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.LEGAL})
SUBDISTRICT_ROLES = frozenset({Role.OFFICER, Role.SUBDISTRICT_MANAGER})


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _same_district(user: Any, district_id: int | None) -> bool:
    return user.district_id is None or district_id is None or user.district_id == district_id


def may_plan_events(user: Any) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser or user.role in BUREAU_ROLES or user.role in SUBDISTRICT_ROLES)


def may_plan_for(user: Any, estates: Iterable[Any], district_id: int | None = None) -> bool:
    """May plan (or change) an event for these target estates."""
    if not _active(user):
        return False
    estates = list(estates)
    if user.is_superuser:
        return True
    if user.role in BUREAU_ROLES:
        return _same_district(user, district_id) and all(
            _same_district(user, e.district_id) for e in estates
        )
    if user.role in SUBDISTRICT_ROLES:
        return (
            user.subdistrict_id is not None
            and bool(estates)
            and all(e.subdistrict_id == user.subdistrict_id for e in estates)
        )
    return False


def may_manage_event(user: Any, event: Any) -> bool:
    estates = [t.estate for t in event.targets.select_related("estate")]
    return may_plan_for(user, estates, event.district_id)


def may_plan_trainings(user: Any) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or user.role in BUREAU_ROLES:
        return True
    return user.role == Role.LIAISON and user.department_id is not None


def may_manage_training(
    user: Any, training: Any, organiser_ids: Iterable[int] | None = None
) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.role in BUREAU_ROLES:
        return _same_district(user, training.district_id)
    if user.role == Role.LIAISON and user.department_id is not None:
        ids = (
            set(organiser_ids)
            if organiser_ids is not None
            else set(training.organisers.values_list("pk", flat=True))
        )
        return user.department_id in ids
    return False
