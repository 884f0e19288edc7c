"""Writes of the event log, attachments, personal-data access records and notifications.

`event_record` is called inside the transaction that changes the record, with the record's
row locked (see xiaoqu.core.workflow.transition), so that the chain never forks."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import mimetypes
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .chain import GENESIS, event_hash
from .models import Attachment, ChainedRecord, Event, Notification, PersonalDataAccess


def _jsonable(data: Any) -> Any:
    """Data as it will read back from the JSON column (dates as text, decimals as text)."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def actor_label(actor: Any) -> str:
    if actor is None:
        return _("system")
    return str(actor.name or actor.username)


def event_record(
    *,
    record: ChainedRecord,
    actor: Any,
    action: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Event:
    """Append an event to the record's chain. The caller holds the record's row lock (or has
    just created the record) inside a transaction; the record's chain fields are saved here."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction that changes the record")
    occurred_at = at or timezone.now()
    record_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    seq = record.event_count + 1
    prev = record.last_event_hash or GENESIS
    label = actor_label(actor)
    payload = _jsonable(data)
    digest = event_hash(
        record_type=f"{record_type.app_label}.{record_type.model}",
        record_id=record.pk,
        seq=seq,
        occurred_at=occurred_at,
        actor_id=getattr(actor, "pk", None),
        actor_label=label,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=payload,
        prev_hash=prev,
    )
    event = Event.objects.create(
        record_type=record_type,
        record_id=record.pk,
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        actor_label=label,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=payload,
        prev_hash=prev,
        hash=digest,
    )
    type(record)._default_manager.filter(pk=record.pk).update(
        event_count=seq, last_event_hash=digest
    )
    record.event_count = seq
    record.last_event_hash = digest
    return event


def record_events(record: models.Model) -> models.QuerySet[Event]:
    record_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    return (
        Event.objects.filter(record_type=record_type, record_id=record.pk)
        .select_related("actor")
        .prefetch_related("attachments")
        .order_by("seq")
    )


# ---------------------------------------------------------------------------------------------
# Verification of the chains


def chain_problems(
    *,
    record_type: ContentType,
    record_id: int,
    events: Sequence[Event],
    expected_count: int | None,
    expected_hash: str | None,
) -> list[str]:
    """What is wrong with one record's chain (empty when intact)."""
    problems: list[str] = []
    label = f"{record_type.app_label}.{record_type.model}#{record_id}"
    prev = GENESIS
    for position, event in enumerate(events, start=1):
        if event.seq != position:
            problems.append(
                _("%(record)s: event %(n)d is missing (found %(seq)d instead).")
                % {"record": label, "n": position, "seq": event.seq}
            )
            break
        if event.prev_hash != prev:
            problems.append(
                _("%(record)s: event %(n)d does not follow the previous event (chain broken).")
                % {"record": label, "n": event.seq}
            )
        digest = event_hash(
            record_type=f"{record_type.app_label}.{record_type.model}",
            record_id=record_id,
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            from_state=event.from_state,
            to_state=event.to_state,
            reason=event.reason,
            data=event.data,
            prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            problems.append(
                _("%(record)s: event %(n)d was altered (its content does not match its hash).")
                % {"record": label, "n": event.seq}
            )
        prev = event.hash
    if expected_count is not None and expected_count != len(events):
        problems.append(
            _("%(record)s: the record counts %(expected)d events, the log holds %(found)d.")
            % {"record": label, "expected": expected_count, "found": len(events)}
        )
    elif expected_hash is not None and events and expected_hash != events[-1].hash:
        problems.append(
            _("%(record)s: the last event does not match the record (events removed or replaced).")
            % {"record": label}
        )
    return problems


def chained_models() -> list[type[ChainedRecord]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, ChainedRecord)]


def audit_verify() -> tuple[int, int, list[str]]:
    """Walk every chain. Returns (records checked, events checked, problems)."""
    problems: list[str] = []
    records = events_checked = 0
    for model in chained_models():
        record_type = ContentType.objects.get_for_model(model)
        expected = {
            pk: (count, last)
            for pk, count, last in model._default_manager.values_list(
                "pk", "event_count", "last_event_hash"
            )
        }
        events = (
            Event.objects.filter(record_type=record_type)
            .order_by("record_id", "seq")
            .iterator(chunk_size=2000)
        )
        for record_id, group in itertools.groupby(events, key=lambda e: e.record_id):
            chain = list(group)
            records += 1
            events_checked += len(chain)
            count, last = expected.pop(record_id, (0, None))
            problems.extend(
                chain_problems(
                    record_type=record_type,
                    record_id=record_id,
                    events=chain,
                    expected_count=count,
                    expected_hash=last,
                )
            )
        for record_id, (count, _last) in expected.items():
            if count:
                records += 1
                label = f"{record_type.app_label}.{record_type.model}#{record_id}"
                problems.append(
                    _("%(record)s: the record counts %(expected)d events, the log holds none.")
                    % {"record": label, "expected": count}
                )
    return records, events_checked, problems


# ---------------------------------------------------------------------------------------------
# Attachments

ALLOWED_ATTACHMENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".txt": "text/plain",
}
# Leading bytes of the binary types, so that a renamed file is refused.
MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
}


def attachment_problem(upload: UploadedFile) -> str | None:
    """Why an uploaded file is refused (type or size), or None."""
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_ATTACHMENT_TYPES:
        return _(
            "“%(name)s”: this type of file is not accepted (photos, PDF, Word, Excel, audio or video)."
        ) % {"name": name}
    limit = settings.XIAOQU_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        return _("“%(name)s” is larger than %(mb)d MB.") % {
            "name": name,
            "mb": limit // (1024 * 1024),
        }
    if upload.size == 0:
        return _("“%(name)s” is empty.") % {"name": name}
    magic = MAGIC.get(ALLOWED_ATTACHMENT_TYPES[ext])
    if magic:
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(m) for m in magic):
            return _("“%(name)s” is not really a %(ext)s file.") % {"name": name, "ext": ext}
    return None


def attachments_validate(uploads: Iterable[UploadedFile]) -> None:
    problems = [p for p in (attachment_problem(u) for u in uploads) if p]
    if problems:
        raise ValidationError(problems)


def attachments_store(
    *,
    record: models.Model,
    event: Event | None,
    uploads: Iterable[UploadedFile],
    actor: Any,
    at: dt.datetime | None = None,
) -> list[Attachment]:
    uploads = list(uploads)
    attachments_validate(uploads)
    record_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    stored = []
    for upload in uploads:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = (upload.name or "file").replace("/", "_")[-150:]
        ext = "." + name.rsplit(".", 1)[-1].lower()
        attachment = Attachment(
            record_type=record_type,
            record_id=record.pk,
            event=event,
            name=name,
            content_type=ALLOWED_ATTACHMENT_TYPES.get(ext)
            or mimetypes.guess_type(name)[0]
            or "application/octet-stream",
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=at or timezone.now(),
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def record_attachments(record: models.Model) -> models.QuerySet[Attachment]:
    record_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    return Attachment.objects.filter(record_type=record_type, record_id=record.pk)


# ---------------------------------------------------------------------------------------------
# Personal data and notifications


def personal_data_access_record(
    *, user: Any, record: models.Model, field: str, ip_address: str | None
) -> None:
    PersonalDataAccess.objects.create(
        user=user,
        record_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        record_id=record.pk,
        field=field,
        ip_address=ip_address,
    )


def mask_phone(value: str) -> str:
    """138****1234: the first three and last four digits of a phone number."""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def notify(
    *, recipients: Iterable[Any], text: str, link: str = "", at: dt.datetime | None = None
) -> int:
    created_at = at or timezone.now()
    rows = [
        Notification(recipient=user, text=text[:300], link=link, created_at=created_at)
        for user in {u.pk: u for u in recipients if u is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
