"""Legal education (普法宣传) and the training of property companies (物业企业培训).

An `OutreachEvent` is a 7.15 open day, a community law class, a short video or a case explained
(以案释法) for target estates about themes (violation types); its attendance is recorded in
total and per estate, its materials are attachments of its event chain. A `Training` is a
session for property companies organised with departments (e.g. the housing bureau); each
invited company and each of its project managers has an `TrainingAttendance` row (present,
absent, excused), which the company's credit record shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import EventKind, EventStatus, Presence, TrainingStatus

# Events: the district sees all; a subdistrict the events for its estates; a studio those for
# its estates; a department those it organises. Property companies see none.
EVENT_SCOPE = Jurisdiction(
    district="district",
    subdistrict="targets__estate__subdistrict",
    department="organiser",
    studio="targets__estate__studios",
)
# Trainings: the district sees all; a department those it organises; a property company the
# sessions it was invited to. Subdistricts and studios none.
TRAINING_SCOPE = Jurisdiction(
    district="district",
    department="organisers",
    property_company="attendances__company",
)


class OutreachEvent(ChainedRecord):
    """One legal education event for target estates."""

    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_events",
        verbose_name=_("organiser"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    attendance = models.PositiveIntegerField(
        _("people attending"),
        null=True,
        blank=True,
        help_text=_("People who took part (for a video: people reached)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = EVENT_SCOPE

    class Meta:
        verbose_name = _("legal education event")
        verbose_name_plural = _("legal education events")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["district", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:event_detail", args=[self.pk])

    @property
    def theme_codes(self) -> list[str]:
        return [t.violation_code for t in self.themes.all()]


class EventTheme(models.Model):
    """A violation type the event is about."""

    event = models.ForeignKey(
        OutreachEvent,
        on_delete=models.CASCADE,
        related_name="themes",
        verbose_name=_("legal education event"),
    )
    violation_code = models.CharField(_("violation type"), max_length=40)

    objects = RestrictedManager()
    jurisdiction = EVENT_SCOPE.via("event")

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["event", "violation_code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "violation_code"], name="outreach_theme_once")
        ]

    def __str__(self) -> str:
        return self.violation_code


class EventTarget(models.Model):
    """A target estate of an event, with the attendance from that estate."""

    event = models.ForeignKey(
        OutreachEvent,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("legal education event"),
    )
    estate = models.ForeignKey(
        "estates.Estate",
        on_delete=models.PROTECT,
        related_name="outreach_targets",
        verbose_name=_("estate"),
    )
    attendance = models.PositiveIntegerField(_("people attending"), null=True, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="event__district",
        subdistrict="estate__subdistrict",
        department="event__organiser",
        studio="estate__studios",
    )

    class Meta:
        verbose_name = _("target estate")
        verbose_name_plural = _("target estates")
        ordering = ["event", "estate__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "estate"], name="outreach_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.estate}"


class Training(ChainedRecord):
    """A training session of property companies, organised with departments."""

    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisers = models.ManyToManyField(
        "departments.Department", related_name="trainings", verbose_name=_("organisers")
    )
    topic = models.TextField(_("topic"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrainingStatus.choices,
        default=TrainingStatus.PLANNED,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("planned"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = TRAINING_SCOPE

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["district", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:training_detail", args=[self.pk])


class TrainingAttendance(models.Model):
    """An invited company (manager empty: the company as such, its representative) or one of
    its project managers, and whether they came."""

    training = models.ForeignKey(
        Training,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("training session"),
    )
    company = models.ForeignKey(
        "estates.PropertyCompany",
        on_delete=models.PROTECT,
        related_name="training_attendances",
        verbose_name=_("property company"),
    )
    manager = models.ForeignKey(
        "estates.ProjectManager",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendances",
        verbose_name=_("project manager"),
    )
    presence = models.CharField(
        _("attendance"), max_length=20, choices=Presence.choices, default=Presence.INVITED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="training__district",
        subdistrict="company__estates__subdistrict",
        department="training__organisers",
        property_company="company",
    )

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["training", "company__name", "manager__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "company", "manager"], name="outreach_attendance_once"
            ),
            models.UniqueConstraint(
                fields=["training", "company"],
                condition=models.Q(manager__isnull=True),
                name="outreach_attendance_company_once",
            ),
        ]

    def __str__(self) -> str:
        who = self.manager.name if self.manager_id else self.company.name  # type: ignore[union-attr]
        return f"{self.training} · {who}"
