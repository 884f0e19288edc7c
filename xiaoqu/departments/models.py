from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import EVERYTHING, Jurisdiction, RestrictedManager

from .choices import DepartmentKind


class Department(models.Model):
    """An organisation taking part in the work: the bureau and its sections, each subdistrict's
    enforcement team and office, and the district's functional departments (职能部门)."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("district"),
    )
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("subdistrict"),
    )
    duties = models.TextField(_("duties"), blank=True)
    referral_matters = models.TextField(
        _("matters referred to it"),
        blank=True,
        help_text=_("What the bureau refers to this department because it is not the bureau's."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedManager()
    # Who does what is public within the platform: every signed-in user may read it.
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict=EVERYTHING,
        department=EVERYTHING,
        property_company=EVERYTHING,
        studio=EVERYTHING,
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="department_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("departments:department_detail", args=[self.pk])
