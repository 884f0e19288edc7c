from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .models import Clinic

NOWRAP = {"td": {"class": "text-nowrap"}}
STATUS_STYLE = {
    "open": "secondary",
    "held": "primary",
    "follow_up": "warning",
    "closed": "success",
}


class ClinicTable(tables.Table):
    number = tables.Column(linkify=lambda record: record.get_absolute_url(), attrs=NOWRAP)
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    status = tables.Column(attrs=NOWRAP)
    violation_type = tables.Column(attrs=NOWRAP, order_by=("violation_type__code",))
    estate_names = tables.Column(verbose_name=_("estates"), empty_values=(), orderable=False)
    subdistrict_names = tables.Column(
        verbose_name=_("subdistricts"), empty_values=(), orderable=False
    )
    held_on = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    n_complaints = tables.Column(verbose_name=_("complaints gathered"), attrs=NOWRAP)
    measures_done = tables.Column(
        verbose_name=_("measures done"), empty_values=(), order_by=("n_measures",), attrs=NOWRAP
    )
    opened_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)

    class Meta:
        model = Clinic
        fields = (
            "number",
            "title",
            "status",
            "violation_type",
            "estate_names",
            "subdistrict_names",
            "held_on",
            "n_complaints",
            "measures_done",
            "opened_at",
        )
        order_by = ("-opened_at",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "clinic-table"}

    def render_status(self, record: Clinic) -> SafeString:
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_STYLE.get(record.status, "secondary"),
            record.get_status_display(),
        )

    def value_status(self, record: Clinic) -> str:
        return str(record.get_status_display())

    def render_violation_type(self, record: Clinic) -> str:
        return record.violation_type.name

    def value_violation_type(self, record: Clinic) -> str:
        return record.violation_type.name

    def render_estate_names(self, record: Clinic) -> str:
        return "、".join(e.name for e in record.estates.all())

    def value_estate_names(self, record: Clinic) -> str:
        return self.render_estate_names(record)

    def render_subdistrict_names(self, record: Clinic) -> str:
        return "、".join(s.name for s in record.subdistricts.all())

    def value_subdistrict_names(self, record: Clinic) -> str:
        return self.render_subdistrict_names(record)

    def render_measures_done(self, record: Any) -> str:
        total = record.n_measures
        return f"{total - record.n_open_measures}/{total}" if total else "—"

    def value_measures_done(self, record: Any) -> str:
        return self.render_measures_done(record)
