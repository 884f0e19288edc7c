"""Case clinics (研讨会诊): a focused review of one chronic problem — an estate (or a few) and
a violation type — with the complaints, leads and cases gathered into it, the analysis of its
causes, the measures agreed (each with a responsible unit and a due date) and, computed from
the recorded complaints, whether complaints about it fell in the months after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import OPEN_CLINIC_STATUSES, ClinicSource, ClinicStatus


class Clinic(ChainedRecord):
    """One clinic about one chronic problem (its estates × its violation type)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=ClinicStatus.choices, default=ClinicStatus.OPEN
    )
    source = models.CharField(
        _("gathered"), max_length=20, choices=ClinicSource.choices, default=ClinicSource.HAND
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        related_name="clinics",
        verbose_name=_("violation type"),
    )
    estates = models.ManyToManyField(
        "estates.Estate", related_name="clinics", verbose_name=_("estates")
    )
    # The subdistricts taking part: always those of the estates, and any other invited.
    subdistricts = models.ManyToManyField(
        "regions.Subdistrict",
        related_name="clinics",
        blank=True,
        verbose_name=_("participating subdistricts"),
    )
    departments = models.ManyToManyField(
        "departments.Department",
        related_name="clinics",
        blank=True,
        verbose_name=_("participating departments"),
    )
    participants = models.TextField(
        _("other participants"),
        blank=True,
        help_text=_("People taking part: names and organisations, one a line."),
    )
    held_on = models.DateField(_("date held"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    analysis = models.TextField(
        _("analysis"),
        blank=True,
        help_text=_("The causes of the problem as the clinic found them."),
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    complaints = models.ManyToManyField(
        "intake.Complaint", related_name="clinics", blank=True, verbose_name=_("complaints")
    )
    leads = models.ManyToManyField(
        "intake.Lead", related_name="clinics", blank=True, verbose_name=_("leads")
    )
    cases = models.ManyToManyField(
        "cases.Case", related_name="clinics", blank=True, verbose_name=_("cases")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # District roles see the district's clinics; subdistrict users (officers, managers) the
    # clinics their subdistrict takes part in (every clinic about one of its estates);
    # department liaisons the clinics their department takes part in.
    jurisdiction = Jurisdiction(
        district="district", subdistrict="subdistricts", department="departments"
    )

    class Meta:
        verbose_name = _("case clinic")
        verbose_name_plural = _("case clinics")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "held_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("clinics:clinic_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CLINIC_STATUSES


class Measure(models.Model):
    """A measure the clinic agreed: what, which unit answers for it, by when; marked done."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="measures", verbose_name=_("case clinic")
    )
    text = models.TextField(_("agreed measure"))
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinic_measures",
        verbose_name=_("responsible department"),
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinic_measures",
        verbose_name=_("responsible subdistrict"),
    )
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )

    objects = RestrictedManager()
    jurisdiction = Clinic.jurisdiction.via("clinic")

    class Meta:
        verbose_name = _("agreed measure")
        verbose_name_plural = _("agreed measures")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def responsible(self) -> str:
        unit = self.department or self.subdistrict
        return str(unit) if unit is not None else ""
