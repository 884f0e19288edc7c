from __future__ import annotations

import django_tables2 as tables
from django.utils.text import Truncator

from .models import Department


class DepartmentTable(tables.Table):
    name = tables.Column(linkify=True)
    subdistrict = tables.Column(linkify=True)

    class Meta:
        model = Department
        fields = ("name", "short_name", "kind", "subdistrict", "duties", "phone")
        order_by = ("kind",)

    def render_duties(self, value: str) -> str:
        return Truncator(value).chars(60)

    def value_duties(self, value: str) -> str:
        return value
