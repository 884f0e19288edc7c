"""Who may act: the role checks the workflows use (jurisdiction is checked separately)."""

from __future__ import annotations

from typing import Any

from .choices import Role

DISPATCHING_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.ADMIN})
SUPERVISING_ROLES = frozenset({Role.DISPATCHER, Role.LEADER})


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if user is not None and user.is_authenticated else None


def is_dispatcher(user: Any) -> bool:
    """The bureau's command centre: dispatchers, bureau leaders, administrators."""
    return bool(
        user is not None
        and (getattr(user, "is_superuser", False) or _role(user) in DISPATCHING_ROLES)
    )


def is_supervisor(user: Any) -> bool:
    """Approves extensions and urges: dispatchers and bureau leaders."""
    return bool(
        user is not None
        and (getattr(user, "is_superuser", False) or _role(user) in SUPERVISING_ROLES)
    )


def is_officer_of(user: Any, subdistrict_id: int | None) -> bool:
    """An enforcement officer of that subdistrict's team."""
    return (
        _role(user) == Role.OFFICER
        and subdistrict_id is not None
        and user.subdistrict_id == subdistrict_id
    )


def is_liaison_of(user: Any, department_id: int | None) -> bool:
    return (
        _role(user) == Role.LIAISON
        and department_id is not None
        and user.department_id == department_id
    )


def may_report(user: Any) -> bool:
    """Who can enter a complaint: the bureau, the subdistricts, property companies, studios."""
    return _role(user) in {
        Role.DISPATCHER,
        Role.LEADER,
        Role.ADMIN,
        Role.OFFICER,
        Role.SUBDISTRICT_MANAGER,
        Role.PROPERTY_STAFF,
        Role.STUDIO_MEMBER,
    } or bool(getattr(user, "is_superuser", False))


def may_see_contacts(user: Any, subdistrict_id: int | None) -> bool:
    """Who must call reporters back: the dispatchers of the command centre and the officers of
    the subdistrict. Leaders, administrators and everyone else see the number masked."""
    return _role(user) == Role.DISPATCHER or is_officer_of(user, subdistrict_id)
