from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .choices import RiskGrade
from .models import Estate, OwnersCommittee, ProjectManager, PropertyCompany, Studio

NOWRAP = {"td": {"class": "text-nowrap"}}
GRADE_STYLE: dict[str, str] = {
    RiskGrade.KEY: "danger",
    RiskGrade.GENERAL: "warning",
    RiskGrade.GOOD: "success",
    RiskGrade.UNRATED: "secondary",
}


class EstateTable(tables.Table):
    name = tables.Column(linkify=True, attrs=NOWRAP)
    subdistrict = tables.Column(linkify=True, attrs=NOWRAP)
    committee = tables.Column(linkify=True, attrs=NOWRAP)
    addresses = tables.Column(verbose_name=_("addresses"), empty_values=(), orderable=False)
    property_company = tables.Column(linkify=True)
    is_pilot = tables.BooleanColumn(yesno="✔,")
    is_demo = tables.Column(verbose_name=_("source"), attrs=NOWRAP)

    class Meta:
        model = Estate
        fields = (
            "name",
            "subdistrict",
            "committee",
            "addresses",
            "households",
            "residents",
            "buildings",
            "build_year",
            "property_company",
            "risk_grade",
            "is_pilot",
            "is_demo",
        )
        order_by = ("name",)

    def render_risk_grade(self, record: Estate) -> Any:
        style = GRADE_STYLE.get(record.risk_grade, "secondary")
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', style, record.get_risk_grade_display()
        )

    def value_risk_grade(self, record: Estate) -> Any:
        return record.get_risk_grade_display()

    def render_addresses(self, record: Estate) -> str:
        return "、".join(a.address for a in record.addresses.all())

    def value_addresses(self, record: Estate) -> str:
        return self.render_addresses(record)

    def render_is_demo(self, value: bool) -> Any:
        return _("demo data") if value else _("imported")

    def value_is_demo(self, value: bool) -> Any:
        return self.render_is_demo(value)


class PropertyCompanyTable(tables.Table):
    name = tables.Column(linkify=True)
    estate_count = tables.Column(verbose_name=_("estates"))
    households = tables.Column(verbose_name=_("households"))

    class Meta:
        model = PropertyCompany
        fields = (
            "name",
            "uscc",
            "legal_representative",
            "contact",
            "phone",
            "estate_count",
            "households",
        )
        order_by = ("name",)


class ProjectManagerTable(tables.Table):
    name = tables.Column(linkify=True)
    company = tables.Column(linkify=True)
    estate_count = tables.Column(verbose_name=_("estates"))

    class Meta:
        model = ProjectManager
        fields = ("name", "company", "phone", "certificate_no", "estate_count")
        order_by = ("name",)


class OwnersCommitteeTable(tables.Table):
    estate = tables.Column(linkify=True)
    subdistrict = tables.Column(accessor="estate__subdistrict", verbose_name=_("subdistrict"))
    detail = tables.LinkColumn(
        "estates:owners_committee_detail",
        args=[tables.A("pk")],
        text=_("Details"),
        verbose_name="",
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = OwnersCommittee
        fields = (
            "estate",
            "subdistrict",
            "chair",
            "phone",
            "members",
            "term_start",
            "term_end",
            "detail",
        )
        order_by = ("estate",)
        export_exclude = ("detail",)


class StudioTable(tables.Table):
    name = tables.Column(linkify=True)
    subdistrict = tables.Column(linkify=True)
    estate_count = tables.Column(verbose_name=_("estates"))

    class Meta:
        model = Studio
        fields = (
            "name",
            "subdistrict",
            "leader",
            "phone",
            "address",
            "established",
            "estate_count",
        )
        order_by = ("subdistrict", "name")
