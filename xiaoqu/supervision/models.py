"""Supervision (督办): deadline extensions approved with a reason, and urge notices (催办)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import ExtensionStatus, UrgeKind


class ExtensionRequest(models.Model):
    """A request to extend a lead's verification deadline; it counts only once approved."""

    lead = models.ForeignKey(
        "intake.Lead", on_delete=models.PROTECT, related_name="extensions", verbose_name=_("lead")
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(district="lead__district", subdistrict="lead__subdistrict")

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.lead} +{self.days}"


class UrgeNotice(models.Model):
    """An urge notice (催办) to the unit responsible for an overdue item."""

    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    record_number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=UrgeKind.choices)
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
        verbose_name=_("department"),
    )
    rule = models.ForeignKey(
        "law.DeadlineRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deadline rule"),
    )
    text = models.TextField(_("text"))
    due_at = models.DateTimeField(_("was due"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district", subdistrict="subdistrict", department="department"
    )

    class Meta:
        verbose_name = _("urge notice")
        verbose_name_plural = _("urge notices")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_number} {self.get_kind_display()}"
