"""The hash of an event: SHA-256 over a canonical JSON of its content and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def _canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    record_type: str,
    record_id: int,
    seq: int,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    from_state: str,
    to_state: str,
    reason: str,
    data: Any,
    prev_hash: str,
) -> str:
    content = {
        "record": f"{record_type}:{record_id}",
        "seq": seq,
        "at": _canonical_time(occurred_at),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "from": from_state,
        "to": to_state,
        "reason": reason,
        "data": data,
        "prev": prev_hash,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
