"""The renovation register (装修申报登记): renovations per unit that property companies
register, and the check of each renovation complaint against it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager
from xiaoqu.intake.models import Complaint

from .choices import CheckResult, RenovationStatus


class Renovation(ChainedRecord):
    """One registered renovation of one unit (estate, building, room)."""

    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renovations",
        verbose_name=_("subdistrict"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        related_name="renovations",
        verbose_name=_("estate"),
    )
    building = models.CharField(
        _("building"), max_length=20, help_text=_("Building number, e.g. 3 for 3号楼.")
    )
    room = models.CharField(_("room"), max_length=20, help_text=_("Room number, e.g. 502."))
    owner_name = models.CharField(_("owner"), max_length=50)
    owner_phone = models.CharField(_("owner's phone"), max_length=30, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    contractor_name = models.CharField(_("contractor"), max_length=100, blank=True)
    contractor_phone = models.CharField(_("contractor's phone"), max_length=30, blank=True)
    scope = models.TextField(_("scope of works"))
    structural = models.BooleanField(
        _("touches structure"),
        default=False,
        help_text=_("Load-bearing walls or structure (承重/结构) are concerned."),
    )
    facade = models.BooleanField(_("touches facade"), default=False)
    agreement_signed = models.BooleanField(
        _("agreement signed"),
        default=False,
        help_text=_("The renovation management service agreement (装修管理服务协议) is signed."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="subdistrict",
        property_company="estate__property_company",
    )

    class Meta:
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["estate", "building", "room"]),
            models.Index(fields=["start_date", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.estate} {self.unit_label}"

    def get_absolute_url(self) -> str:
        return reverse("renovations:renovation_detail", args=[self.pk])

    @property
    def unit_label(self) -> str:
        return f"{self.building}号{self.room}室" if self.room else f"{self.building}号"

    def status_on(self, day: dt.date) -> str:
        if self.cancelled_at is not None:
            return RenovationStatus.CANCELLED
        if day < self.start_date:
            return RenovationStatus.REGISTERED
        if day <= self.end_date:
            return RenovationStatus.IN_PROGRESS
        return RenovationStatus.FINISHED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(RenovationStatus(self.status).label)


class RenovationCheck(models.Model):
    """A renovation complaint checked against the register at its unit."""

    complaint = models.OneToOneField(
        Complaint,
        on_delete=models.PROTECT,
        related_name="renovation_check",
        verbose_name=_("complaint"),
    )
    lead = models.ForeignKey(
        "intake.Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renovation_checks",
        verbose_name=_("lead"),
    )
    estate = models.ForeignKey(
        "estates.Estate", on_delete=models.PROTECT, related_name="+", verbose_name=_("estate")
    )
    building = models.CharField(_("building"), max_length=20)
    room = models.CharField(_("room"), max_length=20)
    renovation = models.ForeignKey(
        Renovation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("registration"),
    )
    result = models.CharField(_("result"), max_length=20, choices=CheckResult.choices)
    proposed_type = models.CharField(
        _("proposed violation type"),
        max_length=40,
        blank=True,
        help_text=_("The type the register suggests for the lead, to be accepted by a dispatcher."),
    )
    checked_at = models.DateTimeField(_("checked"))
    accepted_at = models.DateTimeField(_("proposal accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = RestrictedManager()
    jurisdiction = Complaint.jurisdiction.via("complaint")

    class Meta:
        verbose_name = _("renovation check")
        verbose_name_plural = _("renovation checks")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_result_display()}"

    @property
    def unit_label(self) -> str:
        return f"{self.building}号{self.room}室"
