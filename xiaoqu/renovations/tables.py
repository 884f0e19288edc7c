from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.services import mask_phone

from .models import Renovation

NOWRAP = {"td": {"class": "text-nowrap"}}
STATUS_STYLE = {
    "registered": "secondary",
    "in_progress": "primary",
    "finished": "success",
    "cancelled": "light border text-muted",
}


class RenovationTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("house unit"),
        empty_values=(),
        order_by=("estate__name", "building", "room"),
        linkify=lambda record: record.get_absolute_url(),
        attrs=NOWRAP,
    )
    estate = tables.Column(attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP)
    status = tables.Column(verbose_name=_("status"), empty_values=(), orderable=False)
    start_date = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    end_date = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    owner = tables.Column(verbose_name=_("owner"), empty_values=(), orderable=False, attrs=NOWRAP)
    contractor_name = tables.Column(attrs=NOWRAP)
    structural = tables.BooleanColumn(verbose_name=_("structure"))
    facade = tables.BooleanColumn(verbose_name=_("facade"))
    agreement_signed = tables.BooleanColumn(verbose_name=_("agreement"))
    registered_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)

    class Meta:
        model = Renovation
        fields = (
            "unit",
            "estate",
            "subdistrict",
            "status",
            "start_date",
            "end_date",
            "owner",
            "contractor_name",
            "structural",
            "facade",
            "agreement_signed",
            "registered_at",
        )
        order_by = ("-start_date",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "renovation-table"}

    def render_unit(self, record: Renovation) -> str:
        return record.unit_label

    def render_status(self, record: Renovation) -> SafeString:
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STATUS_STYLE.get(record.status, "secondary"),
            record.get_status_display(),
        )

    def value_status(self, record: Renovation) -> str:
        return record.get_status_display()

    def render_owner(self, record: Renovation) -> str:
        return self.value_owner(record)

    def value_owner(self, record: Renovation) -> str:
        """The owner's name and phone, the phone always masked in lists and exports."""
        parts = [p for p in (record.owner_name, mask_phone(record.owner_phone)) if p]
        return " ".join(parts) or "—"

    def render_structural(self, value: bool) -> Any:
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', _("structure"))
        return "—"

    def value_structural(self, value: bool) -> bool:
        return value
