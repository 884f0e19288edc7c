"""The trainings panel on a property company's credit record (`credit:company_record`, which
`credit:my_record` opens for the company's own staff) and on the company desk."""

from __future__ import annotations

from typing import Any

from django import template

from xiaoqu.outreach import selectors

register = template.Library()


@register.inclusion_tag("outreach/_company_trainings.html", takes_context=True)
def company_trainings(context: Any, company: Any, limit: int = 0) -> dict[str, Any]:
    """Sessions the company was invited to, attended / absent / excused counts, and the list
    (the latest `limit` sessions when given)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not selectors.sees_attendance(user):
        return {"hidden": True}
    record = selectors.company_trainings(user=user, company=company)
    sessions = record.sessions[:limit] if limit else record.sessions
    return {
        "record": record,
        "sessions": sessions,
        "company": company,
        "more": len(record.sessions) - len(sessions),
    }
