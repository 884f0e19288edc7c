"""Pre-aggregated tables behind the figures (DESIGN § Figures, § Architecture: "Aggregates are
pre-computed so dashboards do not scan raw rows").

Keys are plain integers (0 = none: no subdistrict, estate or department known) and codes ('' =
no violation type), so that unique constraints hold on every engine and bulk writes stay
cheap. Months are the first day of the month in the district's time zone (Asia/Shanghai).

- `ComplaintCount`: the finest grain, month × subdistrict × estate × violation type × channel ×
  department (the enforcement team of the complaint's lead), with raw and repeat counts.
- `ComplaintArea`: the same without the estate (rows bounded by areas × types × channels).
- `ComplaintEstate`: per estate (and department), without type and channel (rows bounded by
  estates × months); `ComplaintEstateType` adds the violation type (for an estate's profile
  and for rankings of one type).
- `DeadlineItem`: one row per deadline item (a lead to verify and handle, a reply to a
  reporter, a referral or assistance answer, a case decision) with its outcome; the
  aggregates below are grouped from it, and the drill-down lists read it.
- `DeadlineCount`: month of the deadline × kind × subdistrict × department × violation type;
  `DeadlineEstate` the same per estate.
- `RecurrenceCount` / `RecurrenceArea`: leads and recurrences (回潮) per month × estate × type
  and per month × subdistrict × department × type.
- `BuildState`: the refresh watermark (one row per district).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

AREA_JURISDICTION = Jurisdiction(
    district="district_id", subdistrict="subdistrict_id", department="department_id"
)


def describe(row: models.Model) -> str:
    keys = ("kind", "month", "district_id", "subdistrict_id", "estate_id", "violation_code")
    return " ".join(f"{k}={getattr(row, k)}" for k in keys if hasattr(row, k))


class ItemKind(models.TextChoices):
    LEAD = "lead", _("Lead verification and handling")
    REPLY = "reply", _("Reply to the reporter")
    REFERRAL = "referral", _("Referral answer")
    ASSISTANCE = "assistance", _("Assistance answer")
    CASE = "case", _("Case decision")


class ComplaintCount(models.Model):
    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    estate_id = models.IntegerField(_("estate"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    department_id = models.IntegerField(_("department"), default=0)
    complaints = models.PositiveIntegerField(_("complaints"), default=0)
    repeats = models.PositiveIntegerField(_("repeats"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("complaint count")
        verbose_name_plural = _("complaint counts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "district_id",
                    "subdistrict_id",
                    "estate_id",
                    "violation_code",
                    "channel",
                    "department_id",
                ],
                name="analytics_complaintcount_key",
            )
        ]
        indexes = [
            models.Index(fields=["estate_id", "month"]),
            models.Index(fields=["district_id", "violation_code", "month"]),
        ]

    def __str__(self) -> str:
        return describe(self)


class ComplaintArea(models.Model):
    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    department_id = models.IntegerField(_("department"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    complaints = models.PositiveIntegerField(_("complaints"), default=0)
    repeats = models.PositiveIntegerField(_("repeats"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("complaint count by area")
        verbose_name_plural = _("complaint counts by area")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "district_id",
                    "subdistrict_id",
                    "department_id",
                    "violation_code",
                    "channel",
                ],
                name="analytics_complaintarea_key",
            )
        ]
        indexes = [models.Index(fields=["district_id", "month"])]

    def __str__(self) -> str:
        return describe(self)


class ComplaintEstate(models.Model):
    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    estate_id = models.IntegerField(_("estate"))
    department_id = models.IntegerField(_("department"), default=0)
    complaints = models.PositiveIntegerField(_("complaints"), default=0)
    repeats = models.PositiveIntegerField(_("repeats"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("complaint count by estate")
        verbose_name_plural = _("complaint counts by estate")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district_id", "subdistrict_id", "estate_id", "department_id"],
                name="analytics_complaintestate_key",
            )
        ]
        indexes = [
            models.Index(fields=["district_id", "month"]),
            models.Index(fields=["estate_id", "month"]),
        ]

    def __str__(self) -> str:
        return describe(self)


class ComplaintEstateType(models.Model):
    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    estate_id = models.IntegerField(_("estate"))
    department_id = models.IntegerField(_("department"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40, blank=True)
    complaints = models.PositiveIntegerField(_("complaints"), default=0)
    repeats = models.PositiveIntegerField(_("repeats"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("complaint count by estate and type")
        verbose_name_plural = _("complaint counts by estate and type")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "district_id",
                    "subdistrict_id",
                    "estate_id",
                    "department_id",
                    "violation_code",
                ],
                name="analytics_complaintestatetype_key",
            )
        ]
        indexes = [
            models.Index(fields=["district_id", "violation_code", "month"]),
            models.Index(fields=["estate_id", "month"]),
        ]

    def __str__(self) -> str:
        return describe(self)


class DeadlineItem(models.Model):
    """One deadline item and its outcome (definitions: `xiaoqu.analytics.definitions`)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    record_id = models.BigIntegerField(_("record"))
    month = models.DateField(_("month"), null=True, blank=True)  # None: no deadline running
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    estate_id = models.IntegerField(_("estate"), default=0)
    department_id = models.IntegerField(_("department"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    on_time = models.BooleanField(_("finished on time"), default=False)
    late = models.BooleanField(_("finished late"), default=False)
    open_overdue = models.BooleanField(_("open and overdue"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    reopened = models.BooleanField(_("reopened"), default=False)
    extended = models.BooleanField(_("extended"), default=False)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("deadline item")
        verbose_name_plural = _("deadline items")
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="analytics_item_key")
        ]
        indexes = [
            models.Index(fields=["district_id", "month"]),
            models.Index(fields=["estate_id", "month"]),
            models.Index(fields=["open_overdue", "district_id"]),
        ]

    def __str__(self) -> str:
        return describe(self)


class DeadlineCount(models.Model):
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    department_id = models.IntegerField(_("department"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40, blank=True)
    due = models.PositiveIntegerField(_("due"), default=0)
    on_time = models.PositiveIntegerField(_("finished on time"), default=0)
    late = models.PositiveIntegerField(_("finished late"), default=0)
    open_overdue = models.PositiveIntegerField(_("open and overdue"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    reopened = models.PositiveIntegerField(_("reopened"), default=0)
    extended = models.PositiveIntegerField(_("extended"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("deadline count")
        verbose_name_plural = _("deadline counts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "kind",
                    "district_id",
                    "subdistrict_id",
                    "department_id",
                    "violation_code",
                ],
                name="analytics_deadlinecount_key",
            )
        ]
        indexes = [models.Index(fields=["district_id", "month"])]

    def __str__(self) -> str:
        return describe(self)


class DeadlineEstate(models.Model):
    """`DeadlineCount` per estate, for the estate profile (rows bounded by estates × months)."""

    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    estate_id = models.IntegerField(_("estate"))
    department_id = models.IntegerField(_("department"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40, blank=True)
    due = models.PositiveIntegerField(_("due"), default=0)
    on_time = models.PositiveIntegerField(_("finished on time"), default=0)
    late = models.PositiveIntegerField(_("finished late"), default=0)
    open_overdue = models.PositiveIntegerField(_("open and overdue"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    reopened = models.PositiveIntegerField(_("reopened"), default=0)
    extended = models.PositiveIntegerField(_("extended"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("deadline count by estate")
        verbose_name_plural = _("deadline counts by estate")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "kind",
                    "district_id",
                    "subdistrict_id",
                    "estate_id",
                    "department_id",
                    "violation_code",
                ],
                name="analytics_deadlineestate_key",
            )
        ]
        indexes = [models.Index(fields=["estate_id", "month"])]

    def __str__(self) -> str:
        return describe(self)


class RecurrenceCount(models.Model):
    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    department_id = models.IntegerField(_("department"), default=0)
    estate_id = models.IntegerField(_("estate"))
    violation_code = models.CharField(_("violation type"), max_length=40)
    leads = models.PositiveIntegerField(_("leads"), default=0)
    recurrences = models.PositiveIntegerField(_("recurrences"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("recurrence count")
        verbose_name_plural = _("recurrence counts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "district_id",
                    "subdistrict_id",
                    "department_id",
                    "estate_id",
                    "violation_code",
                ],
                name="analytics_recurrencecount_key",
            )
        ]
        indexes = [models.Index(fields=["estate_id", "month"])]

    def __str__(self) -> str:
        return describe(self)


class RecurrenceArea(models.Model):
    month = models.DateField(_("month"))
    district_id = models.IntegerField(_("district"))
    subdistrict_id = models.IntegerField(_("subdistrict"), default=0)
    department_id = models.IntegerField(_("department"), default=0)
    violation_code = models.CharField(_("violation type"), max_length=40)
    leads = models.PositiveIntegerField(_("leads"), default=0)
    recurrences = models.PositiveIntegerField(_("recurrences"), default=0)

    objects = RestrictedManager()
    jurisdiction = AREA_JURISDICTION

    class Meta:
        verbose_name = _("recurrence count by area")
        verbose_name_plural = _("recurrence counts by area")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "district_id",
                    "subdistrict_id",
                    "department_id",
                    "violation_code",
                ],
                name="analytics_recurrencearea_key",
            )
        ]
        indexes = [models.Index(fields=["district_id", "month"])]

    def __str__(self) -> str:
        return describe(self)


class BuildState(models.Model):
    """How far the aggregates of a district are current: the last event taken into account."""

    district_id = models.IntegerField(_("district"), unique=True)
    last_event_id = models.BigIntegerField(_("last event"), default=0)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(district="district_id")

    class Meta:
        verbose_name = _("analytics build state")
        verbose_name_plural = _("analytics build states")

    def __str__(self) -> str:
        return describe(self)
