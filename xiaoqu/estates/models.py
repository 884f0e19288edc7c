from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoqu.core.jurisdiction import EVERYTHING, Jurisdiction, RestrictedManager

from .choices import RiskGrade
from .validators import validate_uscc


class PropertyCompany(models.Model):
    """A property service company (物业服务企业), identified by its unified social credit code."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=120)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district=EVERYTHING,
        subdistrict="estates__subdistrict",
        department=EVERYTHING,
        property_company="pk",
        studio="estates__studios",
    )

    class Meta:
        verbose_name = _("property company")
        verbose_name_plural = _("property companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estates:company_detail", args=[self.pk])


class ProjectManager(models.Model):
    """A property company's project manager (项目经理) responsible for estates."""

    company = models.ForeignKey(
        PropertyCompany,
        on_delete=models.PROTECT,
        related_name="managers",
        verbose_name=_("property company"),
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district=EVERYTHING,
        subdistrict="estates__subdistrict",
        department=EVERYTHING,
        property_company="company",
        studio="estates__studios",
    )

    class Meta:
        verbose_name = _("project manager")
        verbose_name_plural = _("project managers")
        ordering = ["company__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="manager_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estates:manager_detail", args=[self.pk])


class Estate(models.Model):
    """A residential estate (住宅小区)."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="estates",
        verbose_name=_("district"),
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="estates",
        verbose_name=_("subdistrict"),
    )
    committee = models.ForeignKey(
        "regions.NeighbourhoodCommittee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="estates",
        verbose_name=_("neighbourhood committee"),
    )
    name = models.CharField(_("name"), max_length=100)
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("One alias per line."))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    buildings = models.PositiveIntegerField(_("buildings"), null=True, blank=True)
    build_year = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_pilot = models.BooleanField(_("pilot estate"), default=False)
    risk_grade = models.CharField(
        _("risk grade"), max_length=10, choices=RiskGrade.choices, default=RiskGrade.UNRATED
    )
    property_company = models.ForeignKey(
        PropertyCompany,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="estates",
        verbose_name=_("property company"),
    )
    project_manager = models.ForeignKey(
        ProjectManager,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="estates",
        verbose_name=_("project manager"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="subdistrict",
        department=EVERYTHING,
        property_company="property_company",
        studio="studios",
    )

    class Meta:
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="estate_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estates:estate_detail", args=[self.pk])

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class EstateAddress(models.Model):
    """A street address of an estate, usually a lane (弄) such as 梅川路1199弄."""

    estate = models.ForeignKey(
        Estate, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("estate")
    )
    address = models.CharField(_("address"), max_length=100)
    road = models.CharField(_("road"), max_length=50, blank=True)
    number = models.CharField(pgettext_lazy("address", "number"), max_length=20, blank=True)

    objects = RestrictedManager()
    jurisdiction = Estate.jurisdiction.via("estate")

    class Meta:
        verbose_name = _("estate address")
        verbose_name_plural = _("estate addresses")
        ordering = ["road", "number"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "address"], name="estate_address_unique"),
        ]

    def __str__(self) -> str:
        return self.address


class OwnersCommittee(models.Model):
    """The owners' committee (业委会) of an estate."""

    estate = models.OneToOneField(
        Estate, on_delete=models.CASCADE, related_name="owners_committee", verbose_name=_("estate")
    )
    chair = models.CharField(_("chair"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Estate.jurisdiction.via("estate")

    class Meta:
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")
        ordering = ["estate__name"]

    def __str__(self) -> str:
        return _("Owners' committee of %(estate)s") % {"estate": self.estate.name}

    def get_absolute_url(self) -> str:
        return reverse("estates:owners_committee_detail", args=[self.pk])


class Studio(models.Model):
    """A community enforcement studio (城管社区工作室) covering one or more estates."""

    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        related_name="studios",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=100)
    estates = models.ManyToManyField(
        Estate, related_name="studios", blank=True, verbose_name=_("estates")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    leader = models.CharField(_("leader"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    established = models.DateField(_("established"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="subdistrict__district",
        subdistrict="subdistrict",
        department=EVERYTHING,
        property_company="estates__property_company",
        studio="pk",
    )

    class Meta:
        verbose_name = _("community studio")
        verbose_name_plural = _("community studios")
        ordering = ["subdistrict__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "name"], name="studio_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("estates:studio_detail", args=[self.pk])
