from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import EVERYTHING, Jurisdiction, RestrictedManager

from .choices import SubdistrictKind

district_code_validator = RegexValidator(r"^\d{6}$", _("A district code has 6 digits."))
subdistrict_code_validator = RegexValidator(r"^\d{12}$", _("A subdistrict code has 12 digits."))


class District(models.Model):
    """A district (区), e.g. Putuo, administrative division code 310107."""

    code = models.CharField(
        _("code"), max_length=6, unique=True, validators=[district_code_validator]
    )
    name = models.CharField(_("name"), max_length=50)
    city = models.CharField(_("city"), max_length=50, blank=True)
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    residents_source = models.CharField(
        _("source of the resident figure"), max_length=200, blank=True
    )
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    boundary_source = models.CharField(_("boundary source"), max_length=300, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="pk",
        subdistrict="subdistricts",
        department=EVERYTHING,
        property_company=EVERYTHING,
        studio=EVERYTHING,
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:district_detail", args=[self.pk])


class Subdistrict(models.Model):
    """A subdistrict (街道) or town (镇) with its official 12-digit statistical code."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("district")
    )
    code = models.CharField(
        _("code"), max_length=12, unique=True, validators=[subdistrict_code_validator]
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=SubdistrictKind.choices)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    osm_relation_id = models.BigIntegerField(_("OpenStreetMap relation"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    boundary_source = models.CharField(_("boundary source"), max_length=300, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="pk",
        department=EVERYTHING,
        property_company="estates__property_company",
        studio="studios",
    )

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="subdistrict_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:subdistrict_detail", args=[self.pk])


class NeighbourhoodCommittee(models.Model):
    """A residents' committee (居委会) under a subdistrict."""

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="committees",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=80)
    code = models.CharField(_("code"), max_length=15, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="subdistrict__district",
        subdistrict="subdistrict",
        department=EVERYTHING,
        property_company="estates__property_company",
        studio="estates__studios",
    )

    class Meta:
        verbose_name = _("neighbourhood committee")
        verbose_name_plural = _("neighbourhood committees")
        ordering = ["subdistrict__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name"], name="committee_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:committee_detail", args=[self.pk])
