from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Lapse

NOWRAP = {"td": {"class": "text-nowrap"}}
BADGES = {"inaction": "text-bg-danger", "slow": "text-bg-warning", "wrong": "text-bg-dark"}


class LapseTable(tables.Table):
    kind = tables.Column(attrs=NOWRAP)
    # The record's page is a full page, not a page of this list: no boosted swap.
    number = tables.Column(
        linkify=lambda record: record.link,
        attrs={**NOWRAP, "a": {"hx-boost": "false"}},
        verbose_name=_("number"),
    )
    item_kind = tables.Column(attrs=NOWRAP)
    reason = tables.Column()
    subdistrict = tables.Column(attrs=NOWRAP, order_by="subdistrict__code")
    department = tables.Column(attrs=NOWRAP, order_by="department__name")
    estate = tables.Column(attrs=NOWRAP, order_by="estate__name")
    occurred_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    finished_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    late_days = tables.Column(attrs=NOWRAP)
    detail = tables.Column()

    class Meta:
        model = Lapse
        fields = (
            "kind",
            "number",
            "item_kind",
            "reason",
            "subdistrict",
            "department",
            "estate",
            "occurred_at",
            "finished_at",
            "late_days",
            "detail",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_kind(self, value: Any, record: Lapse) -> Any:
        return format_html('<span class="badge {}">{}</span>', BADGES.get(record.kind, ""), value)

    def value_kind(self, value: Any, record: Lapse) -> str:
        return str(record.get_kind_display())
