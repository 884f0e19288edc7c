"""Exemplary cases (典型案例): a closed penalty case retold for the public, with every personal
datum removed, reviewed by the bureau's legal staff and published on the platform's only public
page. The text lives here, not in the case: the case stays as it was decided."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import EDITABLE_STATUSES, ExemplaryStatus

# The text fields that are published (and checked for personal data).
TEXT_FIELDS = ("title", "facts", "legal_basis", "handling", "lesson")


class ExemplaryCase(ChainedRecord):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="exemplary_cases",
        verbose_name=_("case"),
    )
    # The public address: never the case's or this record's internal id.
    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExemplaryStatus.choices, default=ExemplaryStatus.DRAFT
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        related_name="exemplary_cases",
        verbose_name=_("subdistrict"),
    )
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        related_name="exemplary_cases",
        verbose_name=_("violation type"),
    )
    title = models.CharField(_("title"), max_length=120)
    facts = models.TextField(_("facts of the case"))
    legal_basis = models.TextField(_("legal basis"))
    handling = models.TextField(_("handling and result"))
    lesson = models.TextField(_("lesson (explaining the law through the case)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # The bureau sees all; a subdistrict's officers the cases of their subdistrict; nobody
    # else inside the platform. The public sees published texts through the public selector.
    jurisdiction = Jurisdiction(district="district", subdistrict="subdistrict")

    class Meta:
        verbose_name = _("exemplary case")
        verbose_name_plural = _("exemplary cases")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exemplary:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("exemplary:public_detail", args=[self.public_id])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status == ExemplaryStatus.PUBLISHED

    def text(self) -> str:
        """Everything that is published, as one text (for the personal-data check)."""
        return "\n".join(str(getattr(self, f) or "") for f in TEXT_FIELDS)
