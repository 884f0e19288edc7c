"""Reads of the enforcement documents for a record's page."""

from __future__ import annotations

from typing import Any

from django.db import models

from .kinds import kinds_for, record_key
from .services import issuing_role, record_documents, record_visible


def document_panel(*, record: models.Model, user: Any) -> dict[str, Any]:
    """The documents of `record` that exist at its stage, with their generated versions (newest
    first), and whether `user` may generate them now. Nothing for a user who may not see it."""
    if not record_visible(user, record):
        return {"visible": False, "rows": []}
    issuer = issuing_role(user, record)
    versions: dict[str, list[Any]] = {}
    for document in record_documents(record).order_by("kind", "-version"):
        versions.setdefault(document.kind, []).append(document)
    rows = []
    for kind in kinds_for(record):
        generated = versions.get(kind.code, [])
        refusal = kind.refusal(record)
        if refusal and not generated:
            continue  # the record has not reached the stage of this document
        rows.append(
            {
                "kind": kind,
                "versions": generated,
                "latest": generated[0] if generated else None,
                "can_generate": issuer and refusal is None,
                "refusal": refusal,
            }
        )
    return {
        "visible": True,
        "rows": rows,
        "record": record,
        "record_key": record_key(record),
        "issuer": issuer,
        "panel_id": f"documents-{record_key(record)}-{record.pk}",
    }
