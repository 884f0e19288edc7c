from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import ScopeKind

from .choices import OPEN_CASE_STATUSES, Procedure
from .models import Case
from .templatetags.cases_tags import (
    case_status_badge,
    mask_id_number,
    party_text,
    penalty_text,
)

NOWRAP = {"td": {"class": "text-nowrap"}}


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class CaseTable(tables.Table):
    number = tables.Column(attrs=NOWRAP, verbose_name=_("case number"))
    status = tables.Column(attrs=NOWRAP)
    due_at = tables.Column(verbose_name=_("next deadline"), attrs=NOWRAP)
    filed_at = tables.DateTimeColumn(format="Y-m-d", attrs=NOWRAP)
    procedure = tables.Column(visible=False)  # in the export; a badge beside the number
    party = tables.Column(
        verbose_name=_("party"), empty_values=(), order_by=("party_name",), attrs=NOWRAP
    )
    estate = tables.Column(attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP)
    violation_type = tables.Column(attrs=NOWRAP)
    penalty = tables.Column(verbose_name=_("Penalty"), order_by=("fine",), attrs=NOWRAP)
    decision_number = tables.Column(attrs={"td": {"class": "small"}})

    class Meta:
        model = Case
        fields = (
            "number",
            "status",
            "due_at",
            "filed_at",
            "procedure",
            "party",
            "estate",
            "subdistrict",
            "violation_type",
            "penalty",
            "decision_number",
        )
        order_by = ("-filed_at",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "case-table"}
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status in OPEN_CASE_STATUSES
                and record.due_at is not None
                and record.due_at < timezone.now()
                else ""
            ),
            "data-case": lambda record: record.number,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(getattr(self, "request", None), "user", None)
        if user is not None and user.scope_kind == ScopeKind.SUBDISTRICT:
            self.columns.hide("subdistrict")  # his own (still in the export)

    def render_number(self, record: Case, value: str) -> SafeString:
        badge = (
            format_html(
                ' <span class="badge text-bg-warning" title="{}">{}</span>',
                record.get_procedure_display(),
                _("on the spot"),
            )
            if record.procedure == Procedure.SIMPLIFIED
            else ""
        )
        return format_html('<a href="{}">{}</a>{}', record.get_absolute_url(), value, badge)

    def value_number(self, record: Case, value: str) -> str:
        return value

    def render_status(self, record: Case) -> SafeString:
        return case_status_badge(record)

    def value_status(self, record: Case) -> str:
        return str(record.get_status_display())

    def render_procedure(self, record: Case) -> str:
        return str(record.get_procedure_display())

    def render_party(self, record: Case) -> SafeString:
        code = record.party_uscc or mask_id_number(record.party_id_number)
        return format_html(
            '{} <span class="small text-muted font-monospace">{}</span>',
            record.party_name,
            code,
        )

    def value_party(self, record: Case) -> str:
        return party_text(record)

    def render_penalty(self, record: Case) -> str:
        if record.penalty:
            return penalty_text(record.penalty, record.fine)
        if record.notice_penalty:
            return str(
                _("%(penalty)s (notified)")
                % {"penalty": penalty_text(record.notice_penalty, record.notice_fine)}
            )
        return "—"

    def value_penalty(self, record: Case) -> str:
        return self.render_penalty(record)

    def render_due_at(self, record: Case) -> SafeString | str:
        if record.due_at is None or record.status not in OPEN_CASE_STATUSES:
            return "—"
        return render_to_string(
            "intake/_deadline.html",
            {
                "due_at": record.due_at,
                "note": record.due_note,
                "overdue": record.due_at < timezone.now(),
                "compact": True,
            },
        )

    def value_due_at(self, record: Case) -> str:
        if record.status not in OPEN_CASE_STATUSES:
            return ""
        return f"{_local(record.due_at)} {record.due_note}".strip()
