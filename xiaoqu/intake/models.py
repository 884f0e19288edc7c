"""Complaints (诉件) as they arrive, and the leads (线索) they raise: the matter an officer
verifies on site. Several complaints about one open matter share one lead."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import Channel, InspectionKind, LeadStatus, Outcome, PartyKind


class Deadlined(models.Model):
    """A record with a stored next deadline, swept by `xiaoqu sweep`."""

    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    due_rule = models.ForeignKey(
        "law.DeadlineRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deadline rule"),
    )
    due_note = models.CharField(_("deadline basis"), max_length=100, blank=True)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        abstract = True


class Lead(ChainedRecord, Deadlined):
    """A matter to verify: one estate, one spot, one issue; complaints about it attach here."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=30, choices=LeadStatus.choices, default=LeadStatus.PENDING_DISPATCH
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("subdistrict"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("estate"),
    )
    address = models.CharField(_("location"), max_length=200, blank=True)
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("violation type"),
    )
    summary = models.TextField(_("summary"))
    ongoing = models.BooleanField(
        _("still going on"),
        default=False,
        help_text=_("Construction still going on: 2 hours to be on site."),
    )
    received_at = models.DateTimeField(_("received"))
    team = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("enforcement team"),
    )
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    on_site_at = models.DateTimeField(_("first on site"), null=True, blank=True)
    rectification_due = models.DateField(_("rectify by"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("approved extension (days)"), default=0)
    complaint_count = models.PositiveIntegerField(_("complaints"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("repeat of"),
    )
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    reopened_at = models.DateTimeField(_("last reopened"), null=True, blank=True)
    chronic_since = models.DateTimeField(
        _("chronic since"),
        null=True,
        blank=True,
        help_text=_("Three or more complaints within 90 days: to be put before a case clinic."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(district="district", subdistrict="subdistrict")

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["estate", "violation_type", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("intake:lead_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_LEAD_STATUSES

        return self.status in OPEN_LEAD_STATUSES


class Complaint(ChainedRecord):
    """One incoming report (诉件) from any channel."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    external_no = models.CharField(
        _("work order number"),
        max_length=40,
        blank=True,
        help_text=_("The 12345 work order number."),
    )
    received_at = models.DateTimeField(_("received"))
    content = models.TextField(_("content"))
    address = models.CharField(_("location"), max_length=200, blank=True)
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("subdistrict"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("estate"),
    )
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("violation type"),
    )
    ongoing = models.BooleanField(_("still going on"), default=False)
    reporter_name = models.CharField(_("reporter"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_company = models.ForeignKey(
        "estates.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("reporting property company"),
    )
    reporter_studio = models.ForeignKey(
        "estates.Studio",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("reporting studio"),
    )
    dissuaded_at = models.DateTimeField(
        _("dissuaded"),
        null=True,
        blank=True,
        help_text=_("When the property company tried to dissuade the violation."),
    )
    dissuasion = models.TextField(_("what was done to dissuade"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    lead = models.ForeignKey(
        Lead,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("lead"),
    )
    is_repeat = models.BooleanField(_("repeat"), default=False)
    reply_due_at = models.DateTimeField(_("reply due"), null=True, blank=True, db_index=True)
    reply_rule = models.ForeignKey(
        "law.DeadlineRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reply rule"),
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply_text = models.TextField(_("reply to the reporter"), blank=True)
    reply_overdue_at = models.DateTimeField(_("reply overdue since"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="subdistrict",
        property_company="reporter_company",
        studio="reporter_studio",
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        # an estate's latest complaints (its profile) without sorting all of them
        indexes = [models.Index(fields=["estate", "received_at"], name="complaint_estate_received")]
        constraints = [
            models.UniqueConstraint(
                fields=["external_no"],
                condition=~Q(external_no=""),
                name="complaint_unique_work_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("intake:complaint_detail", args=[self.pk])


class Inspection(models.Model):
    """An on-site verification or re-inspection of a lead."""

    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("lead")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    inspected_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    party_kind = models.CharField(
        _("party"), max_length=20, choices=PartyKind.choices, default=PartyKind.UNKNOWN
    )
    party_name = models.CharField(_("party's name"), max_length=100, blank=True)
    party_uscc = models.CharField(_("party's credit code"), max_length=18, blank=True)
    findings = models.TextField(_("findings"))
    violation_found = models.BooleanField(_("violation found"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    event = models.OneToOneField(
        "audit.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )

    objects = RestrictedManager()
    jurisdiction = Lead.jurisdiction.via("lead")

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["inspected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.lead} {self.get_kind_display()}"
