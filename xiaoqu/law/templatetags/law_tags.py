from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """An amount in yuan with thousands separators and no ".00" (10000.00 → 10,000)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


TRAILING_FIELDS = ("effective_from", "effective_to", "verified")


@register.simple_tag
def catalog_fields(obj: Any, exclude: str = "") -> list[tuple[str, Any]]:
    """The entry's (label, value) rows with its validity (dates, verified) last."""
    from xiaoqu.core.templatetags.xiaoqu import object_fields

    rows = object_fields(obj, exclude)
    names = {f.name for f in obj._meta.concrete_fields}
    tail = {str(obj._meta.get_field(n).verbose_name) for n in TRAILING_FIELDS if n in names}
    return [r for r in rows if r[0] not in tail] + [r for r in rows if r[0] in tail]
