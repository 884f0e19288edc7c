"""Hash-chained events of many patrol tasks, built in memory and inserted at once (the sweep
and the demo write thousands). Each event is hashed exactly as `audit.services.event_record`
does; unlike the triage import's chain, every event carries its own time and actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from xiaoqu.audit.chain import GENESIS, event_hash
from xiaoqu.audit.models import ChainedRecord
from xiaoqu.audit.services import _jsonable, actor_label
from xiaoqu.triage.bulk import _insert_objects, _insert_rows, _update_many

__all__ = ["EventBatch", "insert_objects", "update_many"]

insert_objects = _insert_objects
update_many = _update_many


class EventBatch:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.touched: dict[tuple[type, int], ChainedRecord] = {}
        self.types: dict[type, ContentType] = {}
        self.labels: dict[int | None, str] = {}

    def _type(self, record: ChainedRecord) -> ContentType:
        model = type(record)
        if model not in self.types:
            self.types[model] = ContentType.objects.get_for_model(model, for_concrete_model=True)
        return self.types[model]

    def _label(self, actor: Any) -> str:
        key = getattr(actor, "pk", None)
        if key not in self.labels:
            self.labels[key] = actor_label(actor)
        return self.labels[key]

    def add(
        self,
        record: ChainedRecord,
        action: str,
        *,
        actor: Any,
        at: dt.datetime,
        from_state: str = "",
        to_state: str = "",
        reason: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        record_type = self._type(record)
        actor_id = getattr(actor, "pk", None)
        label = self._label(actor)
        seq = record.event_count + 1
        prev = record.last_event_hash or GENESIS
        payload = _jsonable(data)
        digest = event_hash(
            record_type=f"{record_type.app_label}.{record_type.model}",
            record_id=record.pk,
            seq=seq,
            occurred_at=at,
            actor_id=actor_id,
            actor_label=label,
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            data=payload,
            prev_hash=prev,
        )
        self.rows.append(
            {
                "record_type_id": record_type.pk,
                "record_id": record.pk,
                "seq": seq,
                "occurred_at": at,
                "actor_id": actor_id,
                "actor_label": label,
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "data": payload,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        record.event_count, record.last_event_hash = seq, digest
        self.touched[(type(record), record.pk)] = record

    def flush(self, extra: dict[type, Sequence[str]] | None = None) -> int:
        """Insert the events, write the chain heads (and `extra` fields per model)."""
        from xiaoqu.audit.models import Event

        count = len(self.rows)
        _insert_rows(Event, self.rows)
        self.rows = []
        by_model: dict[type[models.Model], list[ChainedRecord]] = {}
        for (model, _pk), record in self.touched.items():
            by_model.setdefault(model, []).append(record)
        self.touched = {}
        for model, records in by_model.items():
            columns = ["event_count", "last_event_hash", *((extra or {}).get(model, ()))]
            _update_many(model, records, columns)
        return count
