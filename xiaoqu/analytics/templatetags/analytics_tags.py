"""Numbers on the dashboards: every rate with its count ("92.3 % (1,204/1,305)")."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def num(value: Any) -> str:
    """1204 → "1,204"."""
    return _number(value)


@register.filter
def percent(rate: Any) -> str:
    """A rate as a percentage ("92.3 %"), "—" when it has no denominator."""
    value = getattr(rate, "value", None)
    return "—" if value is None else f"{value * 100:.1f} %"


@register.filter
def rate_count(rate: Any) -> str:
    """The count behind a rate: "(1,204/1,305)"."""
    if rate is None:
        return ""
    return f"({_number(rate.numerator)}/{_number(rate.denominator)})"


@register.filter
def rate_text(rate: Any) -> str:
    """ "92.3 % (1,204/1,305)"."""
    return f"{percent(rate)} {rate_count(rate)}"


@register.filter
def per10k(rate: Any) -> str:
    """Complaints per 10,000 residents (a Rate or a number), one decimal."""
    value = rate if isinstance(rate, int | float) else getattr(rate, "value", None)
    return "—" if value is None else f"{value:,.1f}"


@register.simple_tag
def delta(now: Any, before: Any, higher_is_better: bool = False) -> SafeString | str:
    """A relative change between two values, green when it goes the right way (down for
    complaints, rework and recurrence; up for the on-time rate)."""
    if now is None or before is None:
        return "—"
    diff = now - before
    text = f"{diff / before * 100:+.1f} %" if before else f"{diff:+.2f}"
    good = diff > 0 if higher_is_better else diff < 0
    css = "text-muted" if diff == 0 else "text-success" if good else "text-danger"
    return format_html('<span class="{}">{}</span>', css, text)


@register.filter
def chart_json(spec: Any) -> str:
    return json.dumps(spec, ensure_ascii=False, default=str)


@register.simple_tag
def no_data_label() -> str:
    return _("No data")
