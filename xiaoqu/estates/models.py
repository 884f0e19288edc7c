from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import EVERYTHING, Jurisdiction, RestrictedManager

from .choices import GradeSource, RiskGrade
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


# ---------------------------------------------------------------------------------------------
# Risk grades (分级分类检查): the scheme that scores estates, and each estate's grade history.


def _weight(label: Any, default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0))],
    )


def _reference(label: Any, default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The value at which this input gives its full weight (saturation)."),
    )


class GradeScheme(ChainedRecord):
    """How estates are scored, per district, in versions: an edit makes a new version that
    applies from its month on, so that past grades keep the scheme they were computed with.

    Each input counts `weight × min(value / reference, 1)` points; the score is their sum. A
    score at or above the key threshold grades the estate 重点 (key), at or above the general
    threshold 一般 (general), otherwise 良好 (good). The defaults (version 1, created lazily by
    `xiaoqu.estates.grading.grade_scheme_for`) weigh 100 points in all:

    ======================================  ======  =========
    input (last 12 months, as of the month)  weight  reference
    ======================================  ======  =========
    complaints per 10,000 residents (raw)    30      60
    open violations (now)                    20      2
    recurring violations (回潮)              15      2
    repeat complaints                        10      5
    property company's demerit points        15      12
    pilot estate                             10      (yes)
    ======================================  ======  =========

    with key from 40 points and general from 20 (on the Putuo demo history about 8 % of the
    estates are key and 27 % general); estates with fewer than 500 residents are
    counted as 500 so that one complaint at a tiny estate does not make it key.
    """

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="grade_schemes",
        verbose_name=_("district"),
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(
        _("applies from"), help_text=_("The first month graded with this version.")
    )
    complaints_weight = _weight(_("weight: complaints per 10,000 residents"), "30")
    complaints_reference = _reference(_("reference: complaints per 10,000 residents"), "60")
    open_weight = _weight(_("weight: open violations"), "20")
    open_reference = _reference(_("reference: open violations"), "2")
    recurrence_weight = _weight(_("weight: recurring violations"), "15")
    recurrence_reference = _reference(_("reference: recurring violations"), "2")
    repeat_weight = _weight(_("weight: repeat complaints"), "10")
    repeat_reference = _reference(_("reference: repeat complaints"), "5")
    demerit_weight = _weight(_("weight: property company's demerit points"), "15")
    demerit_reference = _reference(_("reference: property company's demerit points"), "12")
    pilot_weight = _weight(_("weight: pilot estate"), "10")
    key_threshold = models.DecimalField(
        _("key from (points)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(40),
        validators=[MinValueValidator(Decimal(0))],
    )
    general_threshold = models.DecimalField(
        _("general from (points)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal(0))],
    )
    min_residents = models.PositiveIntegerField(
        _("residents counted at least"),
        default=500,
        help_text=_(
            "Complaints per 10,000 residents of a smaller estate are counted on this many "
            "residents, so that one complaint at a tiny estate does not weigh like many."
        ),
    )
    note = models.TextField(_("why this version"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"))

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict=EVERYTHING,
        department=EVERYTHING,
        property_company=EVERYTHING,
        studio=EVERYTHING,
    )

    class Meta:
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")
        ordering = ["district", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "version"], name="grade_scheme_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return _("Grading scheme v%(version)s") % {"version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("estates:grade_scheme") + f"?version={self.version}"

    def clean(self) -> None:
        super().clean()
        key, general = self.key_threshold, self.general_threshold
        if key is not None and general is not None and general >= key:
            raise ValidationError(
                {"general_threshold": _("The general threshold must be below the key threshold.")}
            )
        if self.effective_from is not None and self.effective_from.day != 1:
            raise ValidationError(
                {"effective_from": _("A scheme applies from a month's first day.")}
            )


class EstateGrade(ChainedRecord):
    """An estate's grade for a month: computed by the scheme (one per estate and month,
    recomputation replaces it), or set by hand with a reason (a manual override).

    An override holds from its month until it is lifted, replaced by a newer override or, when
    it has one, past its last month; while it holds, monthly computation goes on (the history
    shows both) but the estate's current grade (`Estate.risk_grade`) is the override's."""

    estate = models.ForeignKey(
        Estate, on_delete=models.CASCADE, related_name="grades", verbose_name=_("estate")
    )
    month = models.DateField(_("month"))
    source = models.CharField(
        _("source"), max_length=10, choices=GradeSource.choices, default=GradeSource.COMPUTED
    )
    grade = models.CharField(_("grade"), max_length=10, choices=RiskGrade.choices)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    scheme = models.ForeignKey(
        GradeScheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grades",
        verbose_name=_("grading scheme"),
    )
    computed_at = models.DateTimeField(_("recorded"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    valid_until = models.DateField(
        _("holds until (month)"),
        null=True,
        blank=True,
        help_text=_("Empty: until lifted or replaced."),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("why lifted"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Estate.jurisdiction.via("estate")

    class Meta:
        verbose_name = _("estate grade")
        verbose_name_plural = _("estate grades")
        ordering = ["-month", "-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "month"],
                condition=Q(source=GradeSource.COMPUTED),
                name="estate_grade_one_computed_per_month",
            ),
        ]
        indexes = [models.Index(fields=["month", "source"])]

    def __str__(self) -> str:
        return f"{self.estate} {self.month:%Y-%m} {self.get_grade_display()}"

    def get_absolute_url(self) -> str:
        return self.estate.get_absolute_url() + "#grade"

    @property
    def is_override(self) -> bool:
        return self.source == GradeSource.OVERRIDE

    def holds_in(self, month: object) -> bool:
        """Whether this override is the estate's grade in `month` (a month's first day)."""
        return bool(
            self.is_override
            and self.lifted_at is None
            and self.month <= month  # type: ignore[operator]
            and (self.valid_until is None or self.valid_until >= month)  # type: ignore[operator]
        )
