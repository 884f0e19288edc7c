from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.estates.models import Studio

from .models import StudioActivity
from .selectors import per_10k

NOWRAP = {"td": {"class": "text-nowrap"}}
NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


class StudioTable(tables.Table):
    name = tables.Column(
        linkify=lambda record: reverse("studios:studio_detail", args=[record.pk]),
        verbose_name=_("studio"),
    )
    subdistrict = tables.Column(attrs=NOWRAP, order_by="subdistrict__code")
    leader = tables.Column(attrs=NOWRAP)
    estate_count = tables.Column(verbose_name=_("estates"), attrs=NUM)
    residents = tables.Column(verbose_name=_("residents"), attrs=NUM)
    active_members = tables.Column(verbose_name=_("active members"), attrs=NUM)
    complaints_12m = tables.Column(verbose_name=_("complaints, 12 months"), attrs=NUM)
    per_10k = tables.Column(
        verbose_name=_("per 10,000 residents"), empty_values=(), orderable=False, attrs=NUM
    )
    reports_12m = tables.Column(verbose_name=_("member reports, 12 months"), attrs=NUM)
    open_leads = tables.Column(verbose_name=_("open problems"), attrs=NUM)

    class Meta:
        model = Studio
        fields = (
            "name",
            "subdistrict",
            "leader",
            "estate_count",
            "residents",
            "active_members",
            "complaints_12m",
            "per_10k",
            "reports_12m",
            "open_leads",
        )

    def render_residents(self, value: Any) -> Any:
        return f"{value:,}"

    def render_per_10k(self, record: Any) -> Any:
        value = per_10k(record.complaints_12m, record.residents)
        return "—" if value is None else value

    def value_per_10k(self, record: Any) -> Any:
        value = per_10k(record.complaints_12m, record.residents)
        return "" if value is None else float(value)


class ActivityTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    studio = tables.Column(
        linkify=lambda record: reverse("studios:studio_detail", args=[record.studio_id])
    )
    kind = tables.Column(attrs=NOWRAP)
    title = tables.Column(linkify=True)
    place = tables.Column()
    estate = tables.Column(attrs=NOWRAP)
    participants = tables.Column(attrs=NUM)
    outcome = tables.Column(orderable=False)

    class Meta:
        model = StudioActivity
        fields = ("starts_at", "studio", "kind", "title", "place", "estate", "participants")
        sequence = (
            "starts_at",
            "studio",
            "kind",
            "title",
            "place",
            "estate",
            "participants",
            "outcome",
        )

    def render_outcome(self, value: str) -> str:
        return value if len(value) <= 40 else value[:40] + "…"

    def value_starts_at(self, value: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else ""
