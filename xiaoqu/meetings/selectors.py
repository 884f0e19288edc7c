"""Reads of meetings and action items, always through the user's jurisdiction.

The district's roles see every meeting and action item of the district; a department liaison
and a subdistrict's users see the meetings their unit takes part in or was assigned an action
item by, and the action items assigned to their unit. Property companies and studios see
none."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from xiaoqu.core.jurisdiction import ScopeKind

from .choices import OPEN_ACTION_ITEM_STATUSES, UNFINISHED_ACTION_ITEM_STATUSES
from .models import ActionItem, AgendaItem, Meeting, MeetingParticipant

UNIT_SCOPES = frozenset({ScopeKind.DEPARTMENT, ScopeKind.SUBDISTRICT})


def action_item_list(*, user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.restrict(user).select_related(
        "meeting", "department", "subdistrict", "agenda_item"
    )


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    visible = Meeting.objects.restrict(user)
    if getattr(user, "scope_kind", None) in UNIT_SCOPES and not user.is_superuser:
        assigned = ActionItem.objects.restrict(user).values("meeting_id")
        visible = Meeting.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=assigned))
    return visible.select_related("convener").annotate(
        participant_count=Count("participants", distinct=True),
        action_item_count=Count("action_items", distinct=True),
        open_action_items=Count(
            "action_items",
            filter=Q(action_items__status__in=list(OPEN_ACTION_ITEM_STATUSES)),
            distinct=True,
        ),
    )


def meeting_for(*, user: Any, pk: int) -> Meeting | None:
    return meeting_list(user=user).filter(pk=pk).first()


def participants_of(*, meeting: Meeting) -> list[MeetingParticipant]:
    return list(
        meeting.participants.select_related("department", "subdistrict").order_by(
            "subdistrict__code", "department__kind", "department__code", "pk"
        )
    )


def agenda_of(*, meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda.select_related("action_item").order_by("position", "pk"))


def action_items_of(*, user: Any, meeting: Meeting) -> QuerySet[ActionItem]:
    """The meeting's action items the user may see (a unit sees its own)."""
    return action_item_list(user=user).filter(meeting=meeting).order_by("pk")


def our_action_items(*, user: Any) -> QuerySet[ActionItem]:
    """A unit's own action items, unfinished first (what the unit has to do)."""
    qs = action_item_list(user=user)
    kind = getattr(user, "scope_kind", None)
    if kind == ScopeKind.DEPARTMENT:
        qs = qs.filter(department_id=user.department_id)
    elif kind == ScopeKind.SUBDISTRICT:
        qs = qs.filter(subdistrict_id=user.subdistrict_id)
    return qs


def unfinished_count(*, user: Any) -> int:
    return (
        our_action_items(user=user).filter(status__in=list(UNFINISHED_ACTION_ITEM_STATUSES)).count()
    )
