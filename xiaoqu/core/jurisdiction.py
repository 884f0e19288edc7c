"""The one jurisdiction filter.

Every model that users browse declares, in a class attribute `jurisdiction`, the lookup path
from the model to each kind of scope a user can be bound to. `restrict(queryset, user)` turns
the user's scope into one filter; every selector and every view goes through it (NetBox's
`RestrictedQuerySet.restrict`). A model without a path for a scope shows nothing to users of
that scope; `EVERYTHING` means the whole district is visible to that scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from xiaoqu.accounts.models import User

EVERYTHING = "*"


class ScopeKind(models.TextChoices):
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"
    DEPARTMENT = "department"
    PROPERTY_COMPANY = "property_company"
    STUDIO = "studio"


@dataclass(frozen=True)
class Jurisdiction:
    """Lookup paths from a model to the scope a user is bound to."""

    district: str | None = None
    subdistrict: str | None = None
    department: str | None = None
    property_company: str | None = None
    studio: str | None = None
    public: bool = False  # reference data every signed-in user may read

    def path_for(self, kind: str) -> str | None:
        return getattr(self, kind)

    def via(self, relation: str) -> Jurisdiction:
        """The same rules for a model that hangs off this one through `relation`
        (e.g. an estate's addresses: `Estate.jurisdiction.via("estate")`)."""

        def prefixed(path: str | None) -> str | None:
            if path is None or path == EVERYTHING:
                return path
            return relation if path == "pk" else f"{relation}__{path}"

        return Jurisdiction(
            district=prefixed(self.district),
            subdistrict=prefixed(self.subdistrict),
            department=prefixed(self.department),
            property_company=prefixed(self.property_company),
            studio=prefixed(self.studio),
            public=self.public,
        )


PUBLIC = Jurisdiction(public=True)


def _scope_value(user: User, kind: str) -> int | None:
    return getattr(user, f"{kind}_id", None)


def restrict(queryset: models.QuerySet[Any], user: User | AnonymousUser) -> models.QuerySet[Any]:
    """Return the part of `queryset` that `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    rules: Jurisdiction = queryset.model.jurisdiction
    if rules.public or user.is_superuser:
        return queryset
    kind = user.scope_kind
    if kind == ScopeKind.DISTRICT:
        path = rules.district
        if path is None or path == EVERYTHING:
            return queryset
        return queryset.filter(**{path: user.district_id})
    path = rules.path_for(kind)
    value = _scope_value(user, kind)
    if path is None or (value is None and path != EVERYTHING):
        return queryset.none()
    if path == EVERYTHING:
        if rules.district and rules.district != EVERYTHING:
            return queryset.filter(**{rules.district: user.district_id})
        return queryset
    if "__" in path:
        # Paths across to-many relations would duplicate rows: filter by a subquery.
        inner = queryset.model._default_manager.filter(**{path: value}).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**{path: value})


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: User | AnonymousUser) -> Self:
        return restrict(self, user)  # type: ignore[return-value]


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
