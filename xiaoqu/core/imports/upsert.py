"""Helpers of the upsert write services of every app: what an upsert did (`Outcome`), and
writing only what differs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models

BATCH = 500
T = TypeVar("T")


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that were given: None means "leave the stored value as it is"."""
    return {k: v for k, v in values.items() if v is not None}


def assign_changed(obj: models.Model, values: Mapping[str, Any]) -> set[str]:
    """Set the values that differ on `obj`; returns the names of the changed fields. Foreign
    keys are compared by id, so that nothing is fetched."""
    changed: set[str] = set()
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey):
            new_id = value.pk if value is not None else None
            if getattr(obj, model_field.attname) != new_id:
                setattr(obj, name, value)
                changed.add(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed


def check_fields(obj: models.Model) -> None:
    """Run the field validators (lengths, ranges, choices, codes) without database look-ups:
    foreign keys are left out because validating them queries the database per object."""
    fks = [f.name for f in obj._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    obj.clean_fields(exclude=fks)
