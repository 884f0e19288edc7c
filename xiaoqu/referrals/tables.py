from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AssistanceRequest, Referral

NOWRAP = {"td": {"class": "text-nowrap"}}


def _row_class(record: Any) -> str:
    return "table-danger" if getattr(record, "is_overdue", False) else ""


class _LoopTable(tables.Table):
    number = tables.Column(linkify=True, attrs=NOWRAP)
    lead = tables.Column(
        accessor="lead__number", verbose_name=_("lead"), attrs=NOWRAP, order_by="lead__number"
    )
    estate = tables.Column(
        accessor="lead__estate", verbose_name=_("estate"), order_by="lead__estate__name"
    )
    subdistrict = tables.Column(
        accessor="lead__subdistrict",
        verbose_name=_("subdistrict"),
        attrs=NOWRAP,
        order_by="lead__subdistrict__code",
    )
    department = tables.Column(attrs=NOWRAP)
    status = tables.Column(attrs=NOWRAP)
    sent_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    due_at = tables.Column(verbose_name=_("due"), attrs=NOWRAP)

    class Meta:
        row_attrs = {"class": _row_class, "data-overdue": lambda record: int(record.is_overdue)}

    def render_due_at(self, value: Any, record: Any) -> Any:
        text = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if getattr(record, "is_overdue", False):
            return format_html(
                '<span class="text-danger fw-semibold">{} <span class="badge text-bg-danger">{}'
                "</span></span>",
                text,
                _("overdue"),
            )
        return text

    def value_due_at(self, value: Any, record: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else ""


class ReferralTable(_LoopTable):
    class Meta(_LoopTable.Meta):
        model = Referral
        fields = (
            "number",
            "lead",
            "estate",
            "subdistrict",
            "department",
            "matter",
            "status",
            "sent_at",
            "due_at",
            "answered_at",
        )
        orderable = True

    def render_matter(self, value: str) -> str:
        return value if len(value) <= 40 else value[:40] + "…"

    def value_matter(self, value: str) -> str:
        return value


class AssistanceTable(_LoopTable):
    class Meta(_LoopTable.Meta):
        model = AssistanceRequest
        fields = (
            "number",
            "lead",
            "estate",
            "subdistrict",
            "department",
            "kind",
            "status",
            "sent_at",
            "due_at",
            "answered_at",
        )
