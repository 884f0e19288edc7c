from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import UrgeNotice

NOWRAP = {"td": {"class": "text-nowrap"}}

# content type model name -> the record's detail page
DETAIL_URLS = {
    "lead": "intake:lead_detail",
    "complaint": "intake:complaint_detail",
    "referral": "referrals:referral_detail",
    "assistancerequest": "referrals:assistance_detail",
}


def record_url(model_name: str, pk: int) -> str:
    name = DETAIL_URLS.get(model_name)
    return reverse(name, args=[pk]) if name else ""


class UrgeNoticeTable(tables.Table):
    issued_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    record_number = tables.Column(attrs=NOWRAP)
    kind = tables.Column(attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP)
    department = tables.Column(attrs=NOWRAP)
    due_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    issued_by = tables.Column(attrs=NOWRAP)

    class Meta:
        model = UrgeNotice
        fields = (
            "issued_at",
            "record_number",
            "kind",
            "subdistrict",
            "department",
            "due_at",
            "text",
            "issued_by",
        )

    def render_record_number(self, value: str, record: UrgeNotice) -> Any:
        url = record_url(record.record_type.model, record.record_id)
        return format_html('<a href="{}">{}</a>', url, value) if url else value

    def render_issued_at(self, value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
