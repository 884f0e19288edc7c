"""Triage of incoming complaints: the guesses made on arrival (violation type or referral
target, estate, repeat), the dispatchers' corrections, and the trained model versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager


class ModelVersion(models.Model):
    """A trained classifier; only an active version is used to triage."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    trained_at = models.DateTimeField(_("trained"))
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trained by"),
    )
    path = models.CharField(_("file"), max_length=300)
    metrics = models.JSONField(_("figures on the test split"), default=dict)
    train_size = models.PositiveIntegerField(_("training texts"), default=0)
    corrections_used = models.PositiveIntegerField(_("corrections used"), default=0)
    active = models.BooleanField(_("in use"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return self.version


class TriageRecord(models.Model):
    """What triage guessed about a complaint when it arrived, with why."""

    complaint = models.OneToOneField(
        "intake.Complaint",
        on_delete=models.CASCADE,
        related_name="triage",
        verbose_name=_("complaint"),
    )
    violation_type = models.CharField(_("violation type guessed"), max_length=40, blank=True)
    refer_to = models.CharField(_("referral target guessed"), max_length=30, blank=True)
    confidence = models.FloatField(_("confidence"), default=0)
    type_reason = models.CharField(_("why this type"), max_length=300, blank=True)
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("estate guessed"),
    )
    estate_confidence = models.FloatField(_("estate confidence"), default=0)
    estate_reason = models.CharField(_("why this estate"), max_length=300, blank=True)
    repeat_of = models.ForeignKey(
        "intake.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("repeat of"),
    )
    repeat_reason = models.CharField(_("why a repeat"), max_length=300, blank=True)
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    needs_review = models.BooleanField(_("awaits manual triage"), default=False, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("triaged"))

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="complaint__district",
        subdistrict="complaint__subdistrict",
        property_company="complaint__reporter_company",
        studio="complaint__reporter_studio",
    )

    class Meta:
        verbose_name = _("triage")
        verbose_name_plural = _("triages")
        ordering = ["-triaged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.violation_type or self.refer_to}"


class Correction(models.Model):
    """A dispatcher corrected a guess; corrections feed the next training run."""

    complaint = models.ForeignKey(
        "intake.Complaint",
        on_delete=models.CASCADE,
        related_name="triage_corrections",
        verbose_name=_("complaint"),
    )
    field = models.CharField(
        _("what"), max_length=20
    )  # violation_type | refer_to | estate | repeat
    old_value = models.CharField(_("guessed"), max_length=100, blank=True)
    new_value = models.CharField(_("corrected to"), max_length=100, blank=True)
    text = models.TextField(_("text"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected"))
    used_in = models.CharField(_("used in model"), max_length=40, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(district="complaint__district")

    class Meta:
        verbose_name = _("triage correction")
        verbose_name_plural = _("triage corrections")
        ordering = ["-corrected_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.field}: {self.old_value} → {self.new_value}"
