"""`{% load documents_tags %}{% documents_panel record %}`: the enforcement documents of a
record (a case, a lead, a referral or an assistance request) on its page."""

from __future__ import annotations

from typing import Any

from django import template

from xiaoqu.documents.selectors import document_panel

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context: template.Context, record: Any, error: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        **document_panel(record=record, user=user),
        "error": error,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
