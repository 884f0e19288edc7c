"""Who may do what with a studio (jurisdiction is checked separately, by the selectors).

- Members and activities are managed by the bureau's command centre (dispatchers, leaders,
  administrators) and by the staff of the studio's subdistrict (enforcement officers and
  subdistrict managers). Studio members read their own studio's page; they do not edit it.
- Reports are made by studio members (role studio_member with a studio) about its estates.
- Phone numbers of members are shown in full to staff, masked to studio members (except their
  own). Property companies and departments do not see studios' records."""

from __future__ import annotations

from typing import Any

from xiaoqu.accounts.choices import Role
from xiaoqu.estates.models import Studio

MANAGING_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.ADMIN})
SUBDISTRICT_ROLES = frozenset({Role.OFFICER, Role.SUBDISTRICT_MANAGER})


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "role", None)


def may_manage(user: Any, studio: Studio) -> bool:
    """Add, edit and deactivate members; plan activities and record their outcome."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = _role(user)
    if role in MANAGING_ROLES:
        return user.district_id is None or user.district_id == studio.subdistrict.district_id
    if role in SUBDISTRICT_ROLES:
        return user.subdistrict_id == studio.subdistrict_id
    return False


def may_report(user: Any) -> bool:
    """A studio member with a studio: reports early signs about its estates."""
    return _role(user) == Role.STUDIO_MEMBER and getattr(user, "studio_id", None) is not None


def sees_phones(user: Any) -> bool:
    """Staff see members' phone numbers; studio members see them masked."""
    return _role(user) not in (None, Role.STUDIO_MEMBER)
