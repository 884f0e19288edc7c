from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ActionItem, Meeting

NOWRAP = {"td": {"class": "text-nowrap"}}
NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


class MeetingTable(tables.Table):
    scheduled_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    title = tables.Column(linkify=True)
    kind = tables.Column(attrs=NOWRAP)
    status = tables.Column(attrs=NOWRAP)
    place = tables.Column()
    participant_count = tables.Column(verbose_name=_("units"), attrs=NUM)
    action_item_count = tables.Column(verbose_name=_("action items"), attrs=NUM)
    open_action_items = tables.Column(verbose_name=_("still open"), attrs=NUM)

    class Meta:
        model = Meeting
        fields = (
            "scheduled_at",
            "title",
            "kind",
            "status",
            "place",
            "participant_count",
            "action_item_count",
            "open_action_items",
        )
        order_by = ("-scheduled_at",)

    def value_scheduled_at(self, value: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else ""


class ActionItemTable(tables.Table):
    number = tables.Column(linkify=True, attrs=NOWRAP)
    description = tables.Column(orderable=False)
    owner = tables.Column(
        verbose_name=_("owner unit"),
        empty_values=(),
        order_by=("department__name", "subdistrict__code"),
        attrs=NOWRAP,
    )
    deadline = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    status = tables.Column(attrs=NOWRAP)
    overdue_at = tables.DateTimeColumn(
        verbose_name=_("overdue since"), format="Y-m-d H:i", attrs=NOWRAP
    )
    done_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    meeting = tables.Column(linkify=True)

    class Meta:
        model = ActionItem
        fields = (
            "number",
            "description",
            "owner",
            "deadline",
            "status",
            "overdue_at",
            "done_at",
            "meeting",
        )
        order_by = ("deadline",)

    def render_description(self, value: str) -> str:
        return value if len(value) <= 60 else value[:60] + "…"

    def value_description(self, value: str) -> str:
        return value

    def render_owner(self, record: ActionItem) -> str:
        return str(record.owner)

    def value_owner(self, record: ActionItem) -> str:
        return str(record.owner)

    def render_status(self, record: ActionItem) -> Any:
        css = "text-bg-danger" if record.is_overdue else "text-bg-light border"
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())

    def value_status(self, record: ActionItem) -> str:
        return str(record.get_status_display())

    def value_overdue_at(self, value: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else ""

    def value_done_at(self, value: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else ""
