"""Referrals (移交) of matters that are not the bureau's, and assistance requests (协助通知书)
asking another department for an act. Each is a workflow of its own, with its deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager
from xiaoqu.intake.models import Deadlined

from .choices import AssistanceKind, AssistanceStatus, ReferralStatus


class Referral(ChainedRecord, Deadlined):
    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    lead = models.ForeignKey(
        "intake.Lead", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("lead")
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("department"),
    )
    target_code = models.SlugField(_("referral target"), max_length=30, blank=True)
    matter = models.TextField(_("matter referred"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("feedback"), blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="lead__district", subdistrict="lead__subdistrict", department="department"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("referrals:referral_detail", args=[self.pk])


class AssistanceRequest(ChainedRecord, Deadlined):
    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssistanceStatus.choices, default=AssistanceStatus.SENT
    )
    lead = models.ForeignKey(
        "intake.Lead",
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("lead"),
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("assistance asked"), max_length=30, choices=AssistanceKind.choices)
    request = models.TextField(_("request"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="lead__district", subdistrict="lead__subdistrict", department="department"
    )

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("referrals:assistance_detail", args=[self.pk])
