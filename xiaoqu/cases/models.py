"""Administrative penalty cases (行政处罚案件): filing, investigation, legal review, advance
notice, statement and hearing, decision, service, execution and closure, per the
Administrative Penalty Law (2021)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager
from xiaoqu.intake.models import Deadlined

from .choices import (
    CaseStatus,
    ClosureKind,
    EvidenceKind,
    ExecutionKind,
    PartyKind,
    PenaltyKind,
    Procedure,
    ReviewStatus,
)


class Case(ChainedRecord, Deadlined):
    number = models.CharField(_("case number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INVESTIGATING
    )
    procedure = models.CharField(
        _("procedure"), max_length=20, choices=Procedure.choices, default=Procedure.GENERAL
    )
    lead = models.ForeignKey(
        "intake.Lead", on_delete=models.PROTECT, related_name="cases", verbose_name=_("lead")
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("subdistrict"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("estate"),
    )
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("violation type"),
    )
    provisions = models.ManyToManyField(
        "law.Provision", related_name="cases", blank=True, verbose_name=_("legal provisions")
    )
    facts = models.TextField(_("facts"))
    # the party
    party_kind = models.CharField(_("party"), max_length=20, choices=PartyKind.choices)
    party_name = models.CharField(_("party's name"), max_length=100)
    party_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    party_id_number = models.CharField(_("ID number"), max_length=30, blank=True)
    party_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    party_address = models.CharField(_("party's address"), max_length=200, blank=True)
    party_phone = models.CharField(_("party's phone"), max_length=30, blank=True)
    property_company = models.ForeignKey(
        "estates.PropertyCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("property company of the estate"),
    )
    # the clock of art. 60
    filed_at = models.DateTimeField(_("filed"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    decision_due_at = models.DateTimeField(_("decision due"))
    extension_days = models.PositiveSmallIntegerField(_("approved extension (days)"), default=0)
    extension_reason = models.TextField(_("extension approved because"), blank=True)
    # proposed penalty, legal review
    proposed_penalty = models.CharField(
        _("proposed penalty"), max_length=20, choices=PenaltyKind.choices, blank=True
    )
    proposed_fine = models.DecimalField(
        _("proposed fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    review_department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_cases",
        verbose_name=_("reviewing department"),
        help_text=_(
            "The justice bureau, when a review is asked of it: its liaison then sees the case."
        ),
    )
    review_status = models.CharField(
        _("legal review"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NOT_NEEDED,
    )
    reviewed_fine = models.DecimalField(
        _("fine reviewed (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    # advance notice, statement, hearing
    notice_penalty = models.CharField(
        _("penalty in the notice"), max_length=20, choices=PenaltyKind.choices, blank=True
    )
    notice_fine = models.DecimalField(
        _("fine in the notice (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notice_served_at = models.DateTimeField(_("notice served"), null=True, blank=True)
    hearing_right = models.BooleanField(_("right to a hearing"), default=False)
    statement_until = models.DateTimeField(_("statement period ends"), null=True, blank=True)
    waived_at = models.DateTimeField(_("rights waived in writing"), null=True, blank=True)
    statement_at = models.DateTimeField(_("statement received"), null=True, blank=True)
    statement = models.TextField(_("statement and defence"), blank=True)
    hearing_requested_at = models.DateTimeField(_("hearing requested"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("hearing time"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=200, blank=True)
    hearing_notified_at = models.DateTimeField(_("hearing notified"), null=True, blank=True)
    hearing_held_at = models.DateTimeField(_("hearing held"), null=True, blank=True)
    hearing_record = models.TextField(_("hearing record"), blank=True)
    # decision, service, payment
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    penalty = models.CharField(_("penalty"), max_length=20, choices=PenaltyKind.choices, blank=True)
    fine = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    out_of_range_reason = models.TextField(
        _("reason for a fine outside the catalog's range"), blank=True
    )
    decision_text = models.TextField(_("decision"), blank=True)
    served_at = models.DateTimeField(_("decision served"), null=True, blank=True)
    service_method = models.CharField(_("served by"), max_length=50, blank=True)
    payment_due = models.DateTimeField(_("payment due"), null=True, blank=True)
    paid_amount = models.DecimalField(_("paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    # closure
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_kind = models.CharField(
        _("closure"), max_length=20, choices=ClosureKind.choices, blank=True
    )
    closure_report = models.TextField(_("closure report"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # The justice bureau's liaison sees the cases sent to it for legal review.
    jurisdiction = Jurisdiction(
        district="district", subdistrict="subdistrict", department="review_department"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])


class Evidence(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    description = models.TextField(_("description"))
    collected_at = models.DateTimeField(_("collected"))
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collected by"),
    )
    # evidence registered for preservation must be dealt with within 7 days (art. 56)
    preservation_due = models.DateTimeField(
        _("preservation to be dealt with by"), null=True, blank=True
    )
    preservation_done_at = models.DateTimeField(_("preservation dealt with"), null=True, blank=True)
    preservation_outcome = models.TextField(_("what was done with the preserved items"), blank=True)
    event = models.ForeignKey(
        "audit.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )

    objects = RestrictedManager()
    jurisdiction = Case.jurisdiction.via("case")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["collected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class Execution(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="executions", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExecutionKind.choices)
    executed_at = models.DateTimeField(_("time"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    event = models.ForeignKey(
        "audit.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )

    objects = RestrictedManager()
    jurisdiction = Case.jurisdiction.via("case")

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        ordering = ["executed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"
