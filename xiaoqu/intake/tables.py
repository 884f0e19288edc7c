from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from xiaoqu.audit.services import mask_phone

from .choices import OPEN_LEAD_STATUSES
from .models import Complaint, Lead
from .selectors import is_reporter_role, may_browse_leads
from .templatetags.intake_tags import status_badge

NOWRAP = {"td": {"class": "text-nowrap"}}


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


WIDE = {"td": {"style": "min-width: 14rem"}}


class ComplaintTable(tables.Table):
    number = tables.Column(linkify=True, attrs=NOWRAP, verbose_name=_("complaint no."))
    received_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    channel = tables.Column(attrs=NOWRAP)
    estate = tables.Column(attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP)
    violation_type = tables.Column(attrs=NOWRAP)
    content = tables.Column(attrs=WIDE)
    reporter = tables.Column(
        verbose_name=_("reporter"), empty_values=(), orderable=False, attrs=NOWRAP
    )
    lead = tables.Column(attrs=NOWRAP)
    reply_due_at = tables.Column(verbose_name=_("reply"), attrs=NOWRAP)

    class Meta:
        model = Complaint
        fields = (
            "number",
            "received_at",
            "reply_due_at",
            "channel",
            "estate",
            "subdistrict",
            "violation_type",
            "content",
            "reporter",
            "lead",
        )
        order_by = ("-received_at",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "complaint-table"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self._user()
        if user is not None and is_reporter_role(user):
            self.columns.hide("reporter")  # their own reports: they are the reporter

    def _user(self) -> Any:
        request = getattr(self, "request", None)
        return getattr(request, "user", None)

    def render_content(self, value: str) -> str:
        return Truncator(value).chars(40)

    def value_content(self, value: str) -> str:
        return value

    def render_reporter(self, record: Complaint) -> str:
        return self.value_reporter(record)

    def value_reporter(self, record: Complaint) -> str:
        """The reporter's name and his phone, always masked in lists and exports."""
        name = str(_("anonymous")) if record.anonymous else record.reporter_name
        parts = [p for p in (name, mask_phone(record.reporter_phone)) if p]
        return " ".join(parts) or "—"

    def render_lead(self, record: Complaint) -> SafeString | str:
        lead = record.lead
        if lead is None:
            return "—"
        user = self._user()
        if user is not None and may_browse_leads(user):
            return format_html(
                '<a href="{}">{}</a> {}{}',
                lead.get_absolute_url(),
                lead.number,
                status_badge(lead),
                format_html(' <span class="badge text-bg-light border">{}</span>', _("repeat"))
                if record.is_repeat
                else "",
            )
        # Reporters see where their report stands, not the lead itself.
        return format_html(
            "{}{}",
            status_badge(lead),
            format_html(" {}", lead.get_outcome_display()) if lead.outcome else "",
        )

    def value_lead(self, record: Complaint) -> str:
        lead = record.lead
        if lead is None:
            return ""
        status = f"{lead.get_status_display()} {lead.get_outcome_display()}".strip()
        user = self._user()
        return f"{lead.number} {status}" if user is not None and may_browse_leads(user) else status

    def render_reply_due_at(self, record: Complaint) -> SafeString | str:
        if record.replied_at:
            late = record.reply_due_at is not None and record.replied_at > record.reply_due_at
            return format_html(
                '<span class="{}"><i class="bi bi-check2"></i> {}</span>',
                "text-danger" if late else "text-success",
                _local(record.replied_at),
            )
        if record.reply_due_at is None:
            return "—"
        return render_to_string(
            "intake/_deadline.html",
            {
                "due_at": record.reply_due_at,
                "overdue": record.reply_due_at < timezone.now(),
                "compact": True,
            },
        )

    def value_reply_due_at(self, record: Complaint) -> str:
        if record.replied_at:
            return f"{_('replied')} {_local(record.replied_at)}"
        if record.reply_due_at:
            return f"{_('due')} {_local(record.reply_due_at)}"
        return ""


class LeadTable(tables.Table):
    number = tables.Column(linkify=True, attrs=NOWRAP, verbose_name=_("lead no."))
    status = tables.Column(attrs=NOWRAP)
    received_at = tables.DateTimeColumn(format="Y-m-d H:i", attrs=NOWRAP)
    estate = tables.Column(attrs=NOWRAP)
    subdistrict = tables.Column(attrs=NOWRAP)
    violation_type = tables.Column(attrs=NOWRAP)
    summary = tables.Column(attrs=WIDE)
    complaint_count = tables.Column(attrs={"td": {"class": "text-end"}})
    due_at = tables.Column(attrs=NOWRAP)
    outcome = tables.Column(attrs=NOWRAP)

    class Meta:
        model = Lead
        fields = (
            "number",
            "status",
            "due_at",
            "received_at",
            "estate",
            "subdistrict",
            "violation_type",
            "summary",
            "complaint_count",
            "outcome",
        )
        order_by = ("-received_at",)
        attrs = {"class": "table table-sm table-hover mb-0", "data-testid": "lead-table"}
        row_attrs = {
            "class": lambda record: (
                "table-danger"
                if record.status in OPEN_LEAD_STATUSES
                and record.due_at is not None
                and record.due_at < timezone.now()
                else ""
            )
        }

    def render_status(self, record: Lead) -> SafeString:
        return status_badge(record)

    def value_status(self, record: Lead) -> str:
        return str(record.get_status_display())

    def render_summary(self, value: str) -> str:
        return Truncator(value).chars(40)

    def value_summary(self, value: str) -> str:
        return value

    def render_due_at(self, record: Lead) -> SafeString | str:
        if record.due_at is None:
            return "—"
        return render_to_string(
            "intake/_deadline.html",
            {
                "due_at": record.due_at,
                "overdue": record.status in OPEN_LEAD_STATUSES and record.due_at < timezone.now(),
                "compact": True,
            },
        )

    def value_due_at(self, record: Lead) -> str:
        return _local(record.due_at)
