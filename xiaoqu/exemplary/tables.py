from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import ExemplaryCase

NOWRAP = {"td": {"class": "text-nowrap"}}
BADGES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-info",
    "returned": "text-bg-warning",
    "approved": "text-bg-primary",
    "published": "text-bg-success",
    "withdrawn": "text-bg-secondary",
}


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else ""


class ExemplaryTable(tables.Table):
    title = tables.Column(linkify=True)
    status = tables.Column(attrs=NOWRAP)
    violation_type = tables.Column(attrs=NOWRAP, order_by="violation_type__sort_order")
    subdistrict = tables.Column(attrs=NOWRAP, order_by="subdistrict__code")
    case = tables.Column(
        linkify=lambda record: reverse("cases:case_detail", args=[record.case_id]),
        attrs=NOWRAP,
        order_by="case__number",
    )
    created_by = tables.Column(attrs=NOWRAP)
    created_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)
    reviewed_by = tables.Column(attrs=NOWRAP)
    published_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)

    class Meta:
        model = ExemplaryCase
        fields = (
            "title",
            "status",
            "violation_type",
            "subdistrict",
            "case",
            "created_by",
            "created_at",
            "reviewed_by",
            "published_at",
        )

    def render_status(self, record: ExemplaryCase) -> Any:
        return format_html(
            '<span class="badge {}" data-status="{}">{}</span>',
            BADGES.get(record.status, "text-bg-light"),
            record.status,
            record.get_status_display(),
        )

    def value_status(self, record: ExemplaryCase) -> str:
        return str(record.get_status_display())

    def value_created_at(self, value: Any) -> Any:
        return _local(value)

    def value_published_at(self, value: Any) -> Any:
        return _local(value)
