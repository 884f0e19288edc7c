"""Who may do what with meetings and action items (jurisdiction is checked separately, by the
selectors).

- The bureau's command centre (dispatchers, bureau leaders, administrators) of the district
  schedules and runs meetings: agenda, minutes, decisions; it accepts or reopens action items.
- A department liaison reports the action items assigned to his department done; the
  enforcement officers and the subdistrict managers of a subdistrict those assigned to it."""

from __future__ import annotations

from typing import Any

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.roles import is_dispatcher

SUBDISTRICT_ROLES = frozenset({Role.OFFICER, Role.SUBDISTRICT_MANAGER})


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def may_run_meetings(user: Any, district_id: int | None = None) -> bool:
    """Schedule meetings, draft and edit agendas, record minutes and decisions."""
    if not _active(user) or not is_dispatcher(user):
        return False
    if user.is_superuser or district_id is None:
        return True
    return user.district_id is None or user.district_id == district_id


def is_unit_user(user: Any, item: Any) -> bool:
    """A user of the unit the action item is assigned to."""
    if not _active(user):
        return False
    role = getattr(user, "role", None)
    if item.department_id is not None:
        return role == Role.LIAISON and user.department_id == item.department_id
    return role in SUBDISTRICT_ROLES and user.subdistrict_id == item.subdistrict_id
