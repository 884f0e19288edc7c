"""Oversight: lapses (不作为 / 慢作为 / 乱作为) found in the event log, and the pilot programme
(试点) with its estates.

A `Lapse` is derived data: `lapses_refresh` rebuilds it from the recorded events (the sweep's
`overdue` events mark every deadline that passed; reopenings, returned reviews and returned
referrals are events of their own). It is kept as a table so that the lists page, filter and
export like any other list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import ItemKind, LapseKind, LapseReason


class Lapse(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=LapseKind.choices)
    reason = models.CharField(_("what happened"), max_length=20, choices=LapseReason.choices)
    item_kind = models.CharField(_("item"), max_length=12, choices=ItemKind.choices)
    number = models.CharField(_("number"), max_length=30)
    link = models.CharField(_("link"), max_length=200)
    event = models.OneToOneField(
        "audit.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department or team"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("estate"),
    )
    occurred_at = models.DateTimeField(_("deadline or event"), db_index=True)
    step_started_at = models.DateTimeField(_("step started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    late_days = models.DecimalField(
        _("days late"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district", subdistrict="subdistrict", department="department"
    )

    class Meta:
        verbose_name = _("lapse")
        verbose_name_plural = _("inaction, slow and wrong action")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["district", "kind", "occurred_at"]),
            models.Index(fields=["subdistrict", "occurred_at"]),
            models.Index(fields=["department", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_reason_display()}"

    def get_absolute_url(self) -> str:
        return self.link


class PilotProgramme(ChainedRecord):
    """The work plan's pilot phase: 10–20 estates from a start date."""

    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # Every bureau, subdistrict and department user of the district may read the pilot and its evaluation.
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="district__subdistricts",
        department="district__departments",
    )

    class Meta:
        verbose_name = _("pilot programme")
        verbose_name_plural = _("pilot programmes")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class PilotEstate(models.Model):
    programme = models.ForeignKey(
        PilotProgramme,
        on_delete=models.CASCADE,
        related_name="estates",
        verbose_name=_("pilot programme"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        related_name="pilot_memberships",
        verbose_name=_("estate"),
    )
    reason = models.CharField(_("why chosen"), max_length=300, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen"))

    objects = RestrictedManager()
    jurisdiction = PilotProgramme.jurisdiction.via("programme")

    class Meta:
        verbose_name = _("pilot estate")
        verbose_name_plural = _("pilot estates")
        ordering = ["programme", "estate__subdistrict__code", "estate__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "estate"], name="pilot_estate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.estate}"
