from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from xiaoqu.law.models import ViolationType

from .models import DemeritProposal, DemeritRule

NOWRAP = {"td": {"class": "text-nowrap"}}


def _row_class(record: Any) -> str:
    return "table-danger" if getattr(record, "is_overdue", False) else ""


class ProposalTable(tables.Table):
    number = tables.Column(linkify=True, attrs=NOWRAP)
    company = tables.Column(
        linkify=lambda record: reverse("credit:company_record", args=[record.company_id])
    )
    estate = tables.Column(attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP, order_by="subdistrict__code")
    violation_type = tables.Column(attrs=NOWRAP)
    situation = tables.Column(attrs=NOWRAP)
    company_points = tables.Column(verbose_name=_("company points"), attrs=NOWRAP)
    manager_points = tables.Column(verbose_name=_("manager points"), attrs=NOWRAP)
    status = tables.Column(attrs=NOWRAP)
    decided_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)
    due_at = tables.Column(verbose_name=_("answer due"), attrs=NOWRAP)
    counts_until = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)

    class Meta:
        model = DemeritProposal
        fields = (
            "number",
            "company",
            "estate",
            "subdistrict",
            "violation_type",
            "situation",
            "company_points",
            "manager_points",
            "status",
            "decided_at",
            "due_at",
            "counts_until",
        )
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

    def value_due_at(self, value: Any) -> Any:
        return timezone.localtime(value).replace(tzinfo=None) if value else ""


class RuleTable(tables.Table):
    description = tables.Column(linkify=True)
    violation_codes = tables.Column(verbose_name=_("violation types"), orderable=False)
    company_points = tables.Column(verbose_name=_("company points"), attrs=NOWRAP)
    manager_points = tables.Column(verbose_name=_("manager points"), attrs=NOWRAP)
    window_months = tables.Column(verbose_name=_("months"), attrs=NOWRAP)
    effective_from = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    effective_to = tables.DateColumn(format="Y-m-d", attrs=NOWRAP)
    verified = tables.Column(attrs=NOWRAP)

    class Meta:
        model = DemeritRule
        fields = (
            "code",
            "description",
            "situation",
            "violation_codes",
            "company_points",
            "manager_points",
            "window_months",
            "effective_from",
            "effective_to",
            "verified",
        )
        order_by = ("sort_order", "code")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names: dict[str, str] | None = None

    def render_violation_codes(self, value: Any) -> Any:
        if not value:
            return _("every type")
        if self._names is None:
            self._names = dict(  # the newest version of each code wins
                ViolationType.objects.order_by("code", "effective_from").values_list("code", "name")
            )
        return "、".join(self._names.get(code, code) for code in value)

    def value_violation_codes(self, value: Any) -> Any:
        return self.render_violation_codes(value)

    def render_verified(self, value: bool) -> Any:
        if value:
            return _("yes")
        return format_html('<span class="badge badge-unverified">{}</span>', _("To be verified"))

    def value_verified(self, value: bool) -> Any:
        return _("yes") if value else _("To be verified")
