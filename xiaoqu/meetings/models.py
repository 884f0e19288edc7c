"""Consultation meetings (会商): the meeting with its participating units, its agenda (drafted
from the data, then edited by hand), its minutes, and the action items (督办事项) its decisions
assign to a department or a subdistrict with a deadline. Action items are workflow records
with a stored deadline, swept like every other deadline (`xiaoqu sweep`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.models import ChainedRecord
from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager
from xiaoqu.intake.models import Deadlined

from .choices import (
    OPEN_ACTION_ITEM_STATUSES,
    ActionItemStatus,
    AgendaSource,
    MeetingKind,
    MeetingStatus,
)


class Meeting(ChainedRecord):
    """A consultation meeting convened by the bureau with departments and subdistricts."""

    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    convener = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("convener"),
    )
    chair = models.CharField(_("chaired by"), max_length=100, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    agenda_drafted_at = models.DateTimeField(_("agenda drafted"), null=True, blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    closed_at = models.DateTimeField(_("minutes confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    # The district sees every meeting; a department or a subdistrict the meetings it takes
    # part in (the selectors add those where it was assigned an action item).
    jurisdiction = Jurisdiction(
        district="district",
        subdistrict="participants__subdistrict",
        department="participants__department",
    )

    class Meta:
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")
        ordering = ["-scheduled_at", "-pk"]
        indexes = [models.Index(fields=["district", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])


class MeetingParticipant(models.Model):
    """A unit invited to the meeting (a department or a subdistrict) and its attendance."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    present = models.BooleanField(_("present"), null=True, blank=True)
    attendees = models.CharField(_("attendees"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participating unit")
        verbose_name_plural = _("participating units")
        ordering = ["meeting", "subdistrict__code", "department__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(subdistrict__isnull=True))
                | (Q(department__isnull=True) & Q(subdistrict__isnull=False)),
                name="meeting_participant_one_unit",
            ),
            models.UniqueConstraint(
                fields=["meeting", "department"],
                condition=Q(department__isnull=False),
                name="meeting_participant_unique_department",
            ),
            models.UniqueConstraint(
                fields=["meeting", "subdistrict"],
                condition=Q(subdistrict__isnull=False),
                name="meeting_participant_unique_subdistrict",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def unit(self) -> Any:
        return self.department or self.subdistrict


def _link(ref: dict[str, Any]) -> dict[str, str] | None:
    kind, pk, label = ref.get("kind"), ref.get("pk"), str(ref.get("label", ""))
    names = {
        "referral": "referrals:referral_detail",
        "assistance": "referrals:assistance_detail",
        "lead": "intake:lead_detail",
        "estate": "estates:estate_detail",
        "action_item": "meetings:action_item_detail",
        "meeting": "meetings:meeting_detail",
    }
    try:
        if kind in names and pk:
            return {"label": label, "url": reverse(names[kind], args=[pk]), "kind": kind}
        if kind == "records":
            query = urlencode(ref.get("params") or {})
            return {"label": label, "url": reverse("analytics:records") + "?" + query, "kind": kind}
        if kind == "dashboard":
            return {"label": label, "url": reverse("analytics:district"), "kind": kind}
    except NoReverseMatch:
        return None
    return None


class AgendaItem(models.Model):
    """One item of a meeting's agenda: drafted from the data (with the records behind it) or
    added by hand; the discussion of the item is part of the minutes."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    source = models.CharField(_("source"), max_length=20, choices=AgendaSource.choices)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    refs = models.JSONField(_("records"), default=list, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    action_item = models.ForeignKey(
        "ActionItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("action item discussed"),
    )
    drafted = models.BooleanField(_("drafted by the platform"), default=False)
    discussion = models.TextField(_("discussion"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def links(self) -> list[dict[str, str]]:
        return [link for ref in self.refs or [] if (link := _link(ref)) is not None]


class ActionItem(ChainedRecord, Deadlined):
    """A decision of a meeting assigned to a department or a subdistrict (督办事项), with a
    deadline (a date: due at its end). The unit reports it done, the bureau accepts it or
    reopens it; the sweep marks an open item past its deadline overdue, once."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("meeting")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    description = models.TextField(_("decision and what is to be done"))
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    subdistrict = models.ForeignKey(
        "regions.Subdistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"))
    done_at = models.DateTimeField(_("reported done"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction(
        district="district", subdistrict="subdistrict", department="department"
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(subdistrict__isnull=True))
                | (Q(department__isnull=True) & Q(subdistrict__isnull=False)),
                name="action_item_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_item_detail", args=[self.pk])

    @property
    def owner(self) -> Any:
        return self.department or self.subdistrict

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_ITEM_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.overdue_at is not None
