"""Yearly numbers: TS-2026-000123. Taken inside the caller's transaction, with the row locked,
so that two requests never get the same number."""

from __future__ import annotations

from django.db import transaction

from .models import NumberSequence


def number_next(*, name: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside a transaction")
    NumberSequence.objects.get_or_create(name=name, year=year)
    sequence = NumberSequence.objects.select_for_update().get(name=name, year=year)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return sequence.value


def number_format(*, prefix: str, year: int, value: int, width: int = 6) -> str:
    return f"{prefix}-{year}-{value:0{width}d}"


def number_reserve(*, name: str, year: int, count: int) -> int:
    """Take `count` consecutive numbers at once (bulk imports); returns the first of them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_reserve must run inside a transaction")
    if count < 1:
        raise ValueError("count must be positive")
    NumberSequence.objects.get_or_create(name=name, year=year)
    sequence = NumberSequence.objects.select_for_update().get(name=name, year=year)
    first = sequence.value + 1
    sequence.value += count
    sequence.save(update_fields=["value"])
    return first
