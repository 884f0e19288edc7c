from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .models import OutreachEvent, Training
from .selectors import type_names

NOWRAP = {"td": {"class": "text-nowrap"}}
STATUS_STYLE = {"planned": "primary", "held": "success", "cancelled": "light border text-muted"}


def _status(record: Any) -> SafeString:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_STYLE.get(record.status, "secondary"),
        record.get_status_display(),
    )


class EventTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    kind = tables.Column(attrs=NOWRAP)
    themes = tables.Column(verbose_name=_("themes"), empty_values=(), orderable=False)
    estates = tables.Column(verbose_name=_("target estates"), empty_values=(), orderable=False)
    organiser = tables.Column(attrs=NOWRAP)
    status = tables.Column(attrs=NOWRAP)
    attendance = tables.Column(attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})

    class Meta:
        model = OutreachEvent
        fields = (
            "starts_at",
            "title",
            "kind",
            "themes",
            "estates",
            "organiser",
            "status",
            "attendance",
        )
        order_by = ("-starts_at",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "event-table"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names = type_names()

    def value_themes(self, record: OutreachEvent) -> str:
        return "、".join(self._names.get(c, c) for c in record.theme_codes)

    def render_themes(self, record: OutreachEvent) -> str:
        return self.value_themes(record) or "—"

    def value_estates(self, record: OutreachEvent) -> str:
        return "、".join(t.estate.name for t in record.targets.all())

    def render_estates(self, record: OutreachEvent) -> str:
        names = [t.estate.name for t in record.targets.all()]
        if len(names) > 3:
            return "、".join(names[:3]) + f" …（{len(names)}）"
        return "、".join(names) or "—"

    def render_status(self, record: OutreachEvent) -> SafeString:
        return _status(record)

    def value_status(self, record: OutreachEvent) -> str:
        return str(record.get_status_display())


class TrainingTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    organisers = tables.Column(verbose_name=_("organisers"), empty_values=(), orderable=False)
    place = tables.Column()
    status = tables.Column(attrs=NOWRAP)
    invited = tables.Column(
        verbose_name=_("companies invited"), attrs={"td": {"class": "text-end"}}
    )
    present = tables.Column(verbose_name=_("present"), attrs={"td": {"class": "text-end"}})
    absent = tables.Column(verbose_name=_("absent"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Training
        fields = (
            "starts_at",
            "title",
            "organisers",
            "place",
            "status",
            "invited",
            "present",
            "absent",
        )
        order_by = ("-starts_at",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "training-table"}

    def value_organisers(self, record: Training) -> str:
        return "、".join(d.short_name or d.name for d in record.organisers.all())

    def render_organisers(self, record: Training) -> str:
        return self.value_organisers(record) or "—"

    def render_status(self, record: Training) -> SafeString:
        return _status(record)

    def value_status(self, record: Training) -> str:
        return str(record.get_status_display())
