from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from xiaoqu.exemplary import selectors
from xiaoqu.exemplary.anonymise import Finding
from xiaoqu.exemplary.tables import BADGES

register = template.Library()


@register.simple_tag
def marked(text: str, found: list[Finding] | None) -> SafeString:
    """The text with each finding of personal data marked (escaped; line breaks kept)."""
    text = text or ""
    parts, position = [], 0
    for f in sorted(found or [], key=lambda f: f.start):
        parts.append(escape(text[position : f.start]))
        parts.append(
            format_html(
                '<mark class="bg-danger-subtle" data-testid="personal-mark" title="{}">{}</mark>',
                f.label,
                text[f.start : f.end],
            )
        )
        position = f.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))


@register.simple_tag
def exemplary_badge(record: Any) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="exemplary-status" data-status="{}">{}</span>',
        BADGES.get(record.status, "text-bg-light"),
        record.status,
        record.get_status_display(),
    )


@register.inclusion_tag("exemplary/_case_panel.html", takes_context=True)
def exemplary_panel(context: Any, case: Any) -> dict[str, Any]:
    """On a closed case's page: its exemplary case, or the button that drafts one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    current = selectors.current_for_case(case=case)
    visible = current is not None and selectors.exemplary_get(user=user, pk=current.pk)
    return {
        "case": case,
        "closed": case.status == "closed",
        "exemplary": current if visible else None,
        "can_draft": selectors.may_draft_from(user=user, case=case),
    }
