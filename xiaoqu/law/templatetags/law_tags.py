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
