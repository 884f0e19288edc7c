from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import PatrolStatus
from .models import PatrolTask

NOWRAP = {"td": {"class": "text-nowrap"}}
BADGES = {
    PatrolStatus.OPEN: "text-bg-primary",
    PatrolStatus.IN_PROGRESS: "text-bg-warning",
    PatrolStatus.DONE: "text-bg-success",
    PatrolStatus.MISSED: "text-bg-danger",
}


def _row_class(record: Any) -> str:
    late = record.status == PatrolStatus.MISSED or (
        record.is_open and record.due_date < timezone.localdate()
    )
    return "table-danger" if late else ""


class PatrolTaskTable(tables.Table):
    estate = tables.Column(linkify=lambda record: record.get_absolute_url(), attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP, order_by="subdistrict__code")
    grade = tables.Column(attrs=NOWRAP)
    window_start = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    due_date = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    status = tables.Column(attrs=NOWRAP)
    checked_in_by = tables.Column(attrs=NOWRAP)
    checked_in_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    finished_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    problems = tables.Column(
        verbose_name=_("problems found"), accessor="problem_count", orderable=False
    )
    studio = tables.Column(attrs=NOWRAP)

    class Meta:
        model = PatrolTask
        fields = (
            "estate",
            "subdistrict",
            "grade",
            "window_start",
            "due_date",
            "status",
            "checked_in_by",
            "checked_in_at",
            "finished_at",
            "problems",
            "studio",
        )
        order_by = ("-due_date",)
        row_attrs = {"class": _row_class, "data-status": lambda record: record.status}

    def render_status(self, value: Any, record: Any) -> Any:
        return format_html('<span class="badge {}">{}</span>', BADGES.get(record.status, ""), value)

    def value_status(self, value: Any, record: Any) -> Any:
        return record.get_status_display()
