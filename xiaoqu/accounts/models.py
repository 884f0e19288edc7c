from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedQuerySet, ScopeKind

from .choices import ROLE_SCOPE, Role


class XiaoquUserManager(UserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A platform user with one role and the scope that role is bound to."""

    name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.DISPATCHER)
    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("district"),
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("subdistrict"),
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    property_company = models.ForeignKey(
        "estates.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("property company"),
    )
    studio = models.ForeignKey(
        "estates.Studio",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("community studio"),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator gave the password: the user must choose a new one."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects: ClassVar[XiaoquUserManager] = XiaoquUserManager()
    # Accounts are managed by district-level administrators; everyone else sees only themself.
    jurisdiction = Jurisdiction(district="district")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def scope_kind(self) -> str:
        return ROLE_SCOPE.get(self.role, ScopeKind.DISTRICT)

    @property
    def scope_object(self) -> models.Model | None:
        kind = self.scope_kind
        return getattr(self, kind, None)

    @property
    def is_district_level(self) -> bool:
        return self.is_superuser or self.scope_kind == ScopeKind.DISTRICT

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN
