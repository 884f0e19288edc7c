"""Patrol plans (巡查): how often each grade of estate is inspected, the patrol tasks the sweep
generates for each estate's subdistrict team, and what the patrols found (发现)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import EVERYTHING, Jurisdiction, RestrictedManager
from xiaoqu.estates.choices import RiskGrade

from .choices import OPEN_PATROL_STATUSES, PatrolStatus

if TYPE_CHECKING:
    from xiaoqu.intake.models import Lead


class PatrolFrequency(models.Model):
    """How many days may pass between two patrols of an estate of a grade, in a district."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.CASCADE,
        related_name="patrol_frequencies",
        verbose_name=_("district"),
    )
    grade = models.CharField(_("risk grade"), max_length=10, choices=RiskGrade.choices)
    interval_days = models.PositiveSmallIntegerField(
        _("interval (days)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict=EVERYTHING,
        department=EVERYTHING,
        property_company=EVERYTHING,
        studio=EVERYTHING,
    )

    class Meta:
        verbose_name = _("patrol frequency")
        verbose_name_plural = _("patrol frequencies")
        ordering = ["district", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["district", "grade"], name="patrol_frequency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}: {self.interval_days}"


class PatrolTask(ChainedRecord):
    """One patrol of one estate in one due window, for the subdistrict's enforcement team."""

    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        related_name="patrol_tasks",
        verbose_name=_("subdistrict"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        related_name="patrol_tasks",
        verbose_name=_("estate"),
    )
    team = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrol_tasks",
        verbose_name=_("enforcement team"),
    )
    studio = models.ForeignKey(
        "estates.Studio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_tasks",
        verbose_name=_("community studio"),
    )
    grade = models.CharField(_("risk grade"), max_length=10, choices=RiskGrade.choices)
    interval_days = models.PositiveSmallIntegerField(_("interval (days)"))
    window_start = models.DateField(_("window start"))
    due_date = models.DateField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PatrolStatus.choices, default=PatrolStatus.OPEN
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patrolled by"),
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    missed_at = models.DateTimeField(_("missed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # Studio members read the patrols of their studio's estates; property companies see none.
    jurisdiction = Jurisdiction(
        district="district", subdistrict="subdistrict", studio="estate__studios"
    )

    class Meta:
        verbose_name = _("patrol task")
        verbose_name_plural = _("patrol tasks")
        ordering = ["due_date", "pk"]
        constraints = [
            # The sweep's guard: one task to do per estate at a time.
            models.UniqueConstraint(
                fields=["estate"],
                condition=Q(status__in=sorted(OPEN_PATROL_STATUSES)),
                name="patrol_one_open_task_per_estate",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["estate", "status"]),
        ]

    def __str__(self) -> str:
        return _("Patrol of %(estate)s due %(due)s") % {
            "estate": self.estate.name,
            "due": self.due_date.isoformat(),
        }

    def get_absolute_url(self) -> str:
        return reverse("patrols:task_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PATROL_STATUSES

    @property
    def problem_count(self) -> int:
        return sum(1 for v in (self.checklist or {}).values() if v == "problem")


class Finding(models.Model):
    """Something a patrol found (发现): a description, photos (on the task's event) and the
    lead it became."""

    task = models.ForeignKey(
        PatrolTask, on_delete=models.PROTECT, related_name="findings", verbose_name=_("patrol")
    )
    violation_type = models.ForeignKey(
        "law.ViolationType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("violation type"),
    )
    description = models.TextField(_("description"))
    address = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    ongoing = models.BooleanField(_("still going on"), default=False)
    found_at = models.DateTimeField(_("found"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("found by"),
    )
    event = models.ForeignKey(
        "audit.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    complaint = models.OneToOneField(
        "intake.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patrol_finding",
        verbose_name=_("complaint"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = PatrolTask.jurisdiction.via("task")

    class Meta:
        verbose_name = _("patrol finding")
        verbose_name_plural = _("patrol findings")
        ordering = ["found_at", "pk"]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def lead(self) -> Lead | None:
        return self.complaint.lead if self.complaint_id and self.complaint else None
