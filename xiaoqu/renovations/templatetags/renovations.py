"""Panels of the renovation register on other apps' pages: the check of a complaint (on the
complaint and lead pages) and the units under renovation on the estate page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from xiaoqu.renovations import selectors, services
from xiaoqu.renovations.choices import CheckResult

register = template.Library()

STATE_STYLE = {
    "registered": "secondary",
    "in_progress": "primary",
    "structural": "danger",
    "finished": "success",
}


@register.inclusion_tag("renovations/_check_panel.html", takes_context=True)
def renovation_check_panel(context: Any, complaint: Any = None, lead: Any = None) -> dict[str, Any]:
    """The register check of a complaint, or of every complaint of a lead. Nothing is shown
    when no check was made (not about renovation, or no unit named)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"checks": []}
    if complaint is not None:
        checks = list(
            selectors.checks_for_complaint(user=user, complaint=complaint).select_related(
                "renovation", "lead", "complaint", "estate"
            )
        )
    elif lead is not None:
        checks = list(selectors.checks_for_lead(user=user, lead=lead))
    else:
        checks = []
    visible = set(
        selectors.renovation_list(user=user)
        .filter(pk__in=[c.renovation_id for c in checks if c.renovation_id])
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "check": c,
            "renovation_visible": c.renovation_id in visible,
            "may_accept": services.may_accept(user, c),
        }
        for c in checks
    ]
    return {
        "rows": rows,
        "checks": checks,
        "on_lead": lead is not None,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
    }


@register.simple_tag(takes_context=True)
def structure_check_badge(context: Any, lead: Any) -> SafeString | str:
    """A badge in the lead's header when the register flags a structure damage check."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return ""
    flagged = (
        selectors.checks_for_lead(user=user, lead=lead)
        .filter(result=CheckResult.STRUCTURAL)
        .exists()
    )
    if not flagged:
        return ""
    return format_html(
        '<span class="badge text-bg-danger" data-testid="structure-check-badge">'
        '<i class="bi bi-bricks"></i> {}</span>',
        _("Check for structure damage"),
    )


@register.inclusion_tag("renovations/_estate_panel.html")
def estate_renovations(estate: Any, user: Any) -> dict[str, Any]:
    """Units under renovation at the estate, by building, with their status colour."""
    panel = selectors.estate_panel(user=user, estate=estate)
    return {
        "panel": panel,
        "estate": estate,
        "styles": STATE_STYLE,
        "may_register": services.may_register(user, estate),
    }
