"""Who may change the legal catalog."""

from __future__ import annotations

from typing import Any

from xiaoqu.accounts.choices import Role

CATALOG_EDITOR_ROLES = frozenset({Role.LEGAL, Role.ADMIN})


def can_edit_catalog(user: Any) -> bool:
    """Legal staff and administrators maintain the catalog and the calendar."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or getattr(user, "role", None) in CATALOG_EDITOR_ROLES)
