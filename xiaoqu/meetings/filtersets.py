from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.filters import SearchFilterSet
from xiaoqu.departments.models import Department
from xiaoqu.meetings.forms import OWNER_KINDS
from xiaoqu.regions.models import Subdistrict

from .choices import OPEN_ACTION_ITEM_STATUSES, ActionItemStatus, MeetingKind, MeetingStatus
from .models import ActionItem, Meeting
from .selectors import meeting_list


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "minutes", "agenda__title")
    search_placeholder = _("Title, place, minutes, agenda…")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("status"))
    year = django_filters.NumberFilter(field_name="scheduled_at__year", label=_("year"))

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "year"]


def _meetings_seen(request: Any) -> QuerySet[Meeting]:
    """The meetings offered as a filter: only those the user may see (their titles name
    units and problems)."""
    if request is None:
        return Meeting.objects.none()
    return meeting_list(user=request.user).order_by("-scheduled_at")


class ActionItemFilterSet(SearchFilterSet):
    search_fields = ("number", "description", "done_note", "meeting__title")
    search_placeholder = _("Number, decision, meeting…")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(kind__in=OWNER_KINDS).order_by("kind", "code"),
        label=_("department"),
    )
    subdistrict = django_filters.ModelChoiceFilter(
        queryset=Subdistrict.objects.all(), label=_("subdistrict")
    )
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices, label=_("status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    meeting = django_filters.ModelChoiceFilter(queryset=_meetings_seen, label=_("meeting"))

    class Meta:
        model = ActionItem
        fields = ["q", "department", "subdistrict", "status", "overdue", "meeting"]

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        overdue = Q(status__in=list(OPEN_ACTION_ITEM_STATUSES), overdue_at__isnull=False)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class OurActionItemFilterSet(ActionItemFilterSet):
    """A unit's own action items: no unit to choose."""

    department = None
    subdistrict = None

    class Meta:
        model = ActionItem
        fields = ["q", "status", "overdue", "meeting"]
