from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def confidence(value: float | None) -> SafeString:
    """A confidence as a coloured percentage."""
    if value is None:
        return format_html('<span class="text-muted">—</span>')
    percent = round(float(value) * 100)
    style = "success" if value >= 0.8 else "warning" if value >= 0.6 else "danger"
    return format_html(
        '<span class="badge text-bg-{} xq-confidence" data-testid="confidence">{}%</span>',
        style,
        percent,
    )


@register.filter
def label_name(code: str, names: dict[str, str]) -> str:
    return names.get(code, code) if code else ""


@register.simple_tag
def guess_label(record: Any) -> str:
    return f"other:{record.refer_to}" if record.refer_to else record.violation_type


@register.simple_tag
def row_id(complaint: Any) -> str:
    return f"triage-row-{complaint.pk}"


@register.inclusion_tag("triage/_panel_wrapper.html", takes_context=True)
def triage_panel(context: Any, complaint: Any) -> dict[str, Any]:
    """The guesses about a complaint with their reasons, and the correction form for the
    dispatchers (the complaint page)."""
    from xiaoqu.triage.views import complaint_panel_context

    request = context["request"]
    panel = complaint_panel_context(request, complaint)
    return {"panel": panel, "request": request, "csrf_token": context.get("csrf_token")}
