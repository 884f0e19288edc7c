"""Assessment (考核): schemes of indicators, published snapshots, and the work plan's phases.

A scheme holds, per district and year, indicators computed by the registry in
`xiaoqu.assessment.indicators`; each indicator scores
`weight × clamp((value − floor) ÷ (target − floor), 0, 1)` points (see `scoring.points`).
Editing a scheme replaces its indicators and increments its version; a published snapshot
keeps the evaluated table and the indicator definitions as they were, with a content hash.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import EVERYTHING, Jurisdiction, RestrictedManager

from .choices import AppliesTo, Direction, TaskStatus

# Schemes, snapshots and the work plan are shared with every unit that is assessed or owns
# tasks: the bureau, the subdistricts and the departments. Property companies and studios
# are not assessed here and see none of it.
SHARED = Jurisdiction(district="district", subdistrict=EVERYTHING, department=EVERYTHING)


class Scheme(ChainedRecord):
    """The district's assessment scheme of a year: its indicators, weights and targets."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="assessment_schemes",
        verbose_name=_("district"),
    )
    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = SHARED

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["district", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="assessment_scheme_year"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme_detail", args=[self.pk])


class Indicator(models.Model):
    """One line of a scheme. `code` names the function of the registry that measures it."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scheme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("measure"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    applies_to = models.CharField(
        _("applies to"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.BOTH
    )
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    floor = models.DecimalField(
        _("zero points at"),
        max_digits=10,
        decimal_places=2,
        help_text=_("The value that scores no points (and anything worse)."),
    )
    target = models.DecimalField(
        _("target (full points at)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("The value that scores the full weight (and anything better)."),
    )

    objects = RestrictedManager()
    jurisdiction = SHARED.via("scheme")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.floor is None or self.target is None:
            return
        if self.direction == Direction.HIGHER and self.target <= self.floor:
            raise ValidationError(
                {"target": _("Higher is better: the target must be above the zero-points value.")}
            )
        if self.direction == Direction.LOWER and self.target >= self.floor:
            raise ValidationError(
                {"target": _("Lower is better: the target must be below the zero-points value.")}
            )


class Snapshot(ChainedRecord):
    """A published evaluation, frozen: the whole table (values, counts, points, ranks) and the
    indicator definitions as they were, with the SHA-256 of that content. There is no update
    path: publishing again makes another snapshot."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="assessment_snapshots",
        verbose_name=_("district"),
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("scheme")
    )
    scheme_version = models.PositiveIntegerField(_("scheme version"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until (exclusive)"))
    title = models.CharField(_("title"), max_length=100)
    data = models.JSONField(_("evaluated table"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = SHARED

    class Meta:
        verbose_name = _("published assessment")
        verbose_name_plural = _("published assessments")
        ordering = ["district", "-published_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:snapshot_detail", args=[self.pk])


class Phase(models.Model):
    """A phase of the work plan (试点探索 / 全面推广 / 巩固提升)."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="plan_phases",
        verbose_name=_("district"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=50)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    goal = models.TextField(_("goal"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = SHARED

    class Meta:
        verbose_name = _("work plan phase")
        verbose_name_plural = _("work plan phases")
        ordering = ["district", "order", "start"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A phase ends after it starts.")})


class Task(ChainedRecord):
    """A task of a phase: what, which unit owns it, by when, and when it was done."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("phase")
    )
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_tasks",
        verbose_name=_("owner unit"),
    )
    due_date = models.DateField(_("due"))
    done_date = models.DateField(_("done on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = SHARED.via("phase")

    class Meta:
        verbose_name = _("work plan task")
        verbose_name_plural = _("work plan tasks")
        ordering = ["phase__order", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != TaskStatus.DONE and self.due_date < today

    def days_late(self, today: dt.date | None = None) -> int:
        today = today or timezone.localdate()
        end = self.done_date if self.status == TaskStatus.DONE and self.done_date else today
        return max((end - self.due_date).days, 0)
