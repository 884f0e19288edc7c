"""Credit demerits (失信记分) of property companies and their project managers.

A decided penalty case about an estate whose property company had not reported the
violation beforehand (or a decided property_negligence case) proposes a demerit to the
housing bureau; its liaison confirms or rejects it. Confirmed points count for the company
and its project manager from the decision for the rule's number of months. The scoring
rules are data that legal staff maintain (dated, versioned, marked unverified)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.cases.choices import PenaltyKind
from xiaoqu.core.jurisdiction import PUBLIC, Jurisdiction, RestrictedManager
from xiaoqu.intake.models import Deadlined
from xiaoqu.law.models import Effective, EffectiveManager

from .choices import ProposalStatus, Situation


class DemeritRule(Effective):
    """One line of the scoring table: in which situation, for which violation types, how
    many points for the company and for its project manager, counted for how long."""

    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(_("what"), max_length=300)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    violation_codes = models.JSONField(
        _("violation types"),
        default=list,
        blank=True,
        help_text=_(
            "Codes of the violation types the rule applies to; empty: every type. A rule that "
            "names the case's type is preferred to one that applies to every type."
        ),
    )
    company_points = models.PositiveSmallIntegerField(
        _("points for the company"), validators=[MaxValueValidator(100)]
    )
    manager_points = models.PositiveSmallIntegerField(
        _("points for the project manager"), validators=[MaxValueValidator(100)]
    )
    window_months = models.PositiveSmallIntegerField(
        _("counted for (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Confirmed points count from the penalty decision for this many months."),
    )
    provision = models.ForeignKey(
        "law.Provision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demerit_rules",
        verbose_name=_("duty breached"),
    )
    source_title = models.CharField(_("source of the points"), max_length=200)
    source_article = models.CharField(_("article"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = EffectiveManager()
    jurisdiction = PUBLIC

    class Meta:
        verbose_name = _("demerit rule")
        verbose_name_plural = _("demerit rules")
        ordering = ["sort_order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="demerit_rule_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("credit:rule_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        codes = self.violation_codes
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ValidationError({"violation_codes": _("A list of violation type codes.")})

    def applies_to(self, violation_code: str) -> bool:
        return not self.violation_codes or violation_code in self.violation_codes

    @property
    def source_display(self) -> str:
        if self.source_article:
            return _("%(source)s article %(article)s") % {
                "source": self.source_title,
                "article": self.source_article,
            }
        return self.source_title


class DemeritProposal(ChainedRecord, Deadlined):
    """A demerit proposed to the housing bureau for one decided case, with its facts."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="demerit_proposal",
        verbose_name=_("case"),
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        related_name="demerit_proposals",
        verbose_name=_("subdistrict"),
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="demerit_proposals",
        verbose_name=_("proposed to"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        related_name="demerit_proposals",
        verbose_name=_("estate"),
    )
    company = models.ForeignKey(
        "estates.PropertyCompany",
        on_delete=models.PROTECT,
        related_name="demerit_proposals",
        verbose_name=_("property company"),
    )
    project_manager = models.ForeignKey(
        "estates.ProjectManager",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demerit_proposals",
        verbose_name=_("project manager"),
    )
    rule = models.ForeignKey(
        DemeritRule,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("demerit rule"),
    )
    situation = models.CharField(_("why"), max_length=20, choices=Situation.choices)
    # The case's decision as it stood when the demerit was proposed.
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("violation type"),
    )
    decision_number = models.CharField(_("decision number"), max_length=40)
    penalty = models.CharField(_("penalty"), max_length=20, choices=PenaltyKind.choices)
    fine = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decision date"))
    facts = models.TextField(_("facts"))
    # Points proposed (from the rule in force on the decision date) and their window.
    company_points = models.PositiveSmallIntegerField(_("points for the company"))
    manager_points = models.PositiveSmallIntegerField(_("points for the project manager"))
    window_months = models.PositiveSmallIntegerField(_("counted for (months)"))
    counts_from = models.DateTimeField(_("counts from"))
    counts_until = models.DateTimeField(_("counts until"))
    proposed_at = models.DateTimeField(_("proposed"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer = models.TextField(_("housing bureau's answer"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # The housing liaison sees what was proposed to his department, officers their
    # subdistrict's, property company staff their own company's record.
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="subdistrict",
        department="department",
        property_company="company",
    )

    class Meta:
        verbose_name = _("demerit proposal")
        verbose_name_plural = _("demerit proposals")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["company", "status", "counts_until"]),
            models.Index(fields=["project_manager", "status", "counts_until"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("credit:proposal_detail", args=[self.pk])

    def counts_on(self, moment: dt.datetime) -> bool:
        """Whether the confirmed points count at `moment`."""
        return (
            self.status == ProposalStatus.CONFIRMED
            and self.counts_from <= moment < self.counts_until
        )
