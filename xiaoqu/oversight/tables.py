from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Lapse

NOWRAP = {"td": {"class": "text-nowrap"}}
DETAIL_CHARS = 12
BADGES = {"inaction": "text-bg-danger", "slow": "text-bg-warning", "wrong": "text-bg-dark"}


class LapseTable(tables.Table):
    kind = tables.Column(attrs=NOWRAP)
    number = tables.Column(attrs=NOWRAP, verbose_name=_("number"))
    reason = tables.Column()
    subdistrict = tables.Column(attrs=NOWRAP, order_by="subdistrict__code")
    department = tables.Column(order_by="department__name")
    estate = tables.Column(attrs=NOWRAP, order_by="estate__name")
    occurred_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)
    finished_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)
    late_days = tables.Column(attrs=NOWRAP)
    detail = tables.Column(attrs={"td": {"class": "small text-muted text-nowrap"}})

    class Meta:
        model = Lapse
        fields = (
            "kind",
            "number",
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

    def render_detail(self, value: Any) -> Any:
        """The rule or the reason, cut short in the list (whole in the export and tooltip)."""
        text = str(value)
        if len(text) <= DETAIL_CHARS:
            return text
        return format_html('<span title="{}">{}…</span>', text, text[:DETAIL_CHARS])

    def render_number(self, value: Any, record: Lapse) -> Any:
        # The record's page is a full page, not a page of this list: no boosted swap.
        return format_html(
            '<a href="{}" hx-boost="false">{}</a><div class="small text-muted">{}</div>',
            record.link,
            value,
            record.get_item_kind_display(),
        )

    def value_number(self, value: Any, record: Lapse) -> str:
        return f"{value} ({record.get_item_kind_display()})"
