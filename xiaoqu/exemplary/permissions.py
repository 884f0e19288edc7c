"""Who may do what with an exemplary case (jurisdiction is checked separately).

- Drafting and editing: dispatchers, leaders, administrators, legal staff, and enforcement
  officers for the cases of their subdistrict.
- Review (approve with a note, return with a reason): the bureau's legal staff only, and never
  the author of the draft (four eyes).
- Publishing and withdrawing: legal staff, leaders, dispatchers and administrators.
Property companies, departments and studios have nothing to do here."""

from __future__ import annotations

from typing import Any

from xiaoqu.accounts.choices import Role

AUTHOR_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.LEGAL, Role.OFFICER})
PUBLISHER_ROLES = frozenset({Role.LEGAL, Role.LEADER, Role.DISPATCHER, Role.ADMIN})


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def may_author(user: Any) -> bool:
    return _active(user) and (user.is_superuser or user.role in AUTHOR_ROLES)


def may_review(user: Any, exemplary: Any = None) -> bool:
    if not _active(user) or user.role != Role.LEGAL:
        return False
    return exemplary is None or exemplary.created_by_id != user.pk


def may_publish(user: Any) -> bool:
    return _active(user) and (user.is_superuser or user.role in PUBLISHER_ROLES)


def may_see(user: Any) -> bool:
    """The internal pages: the roles that draft, review or publish."""
    return may_author(user) or may_publish(user)
