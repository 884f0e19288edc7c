"""The event log: every change of state of a record, append-only and hash-chained.

Each workflow record (a lead, a complaint, a referral, …) inherits `ChainedRecord`: it keeps
the number of its events and the hash of the last one. Each `Event` stores the hash of the
previous event of its record and the hash of its own content, so that an edited, deleted or
inserted event breaks the chain and `xiaoqu audit verify` reports it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager


class ChainedRecord(models.Model):
    """A record whose history is a chain of events."""

    event_count = models.PositiveIntegerField(_("events"), default=0, editable=False)
    last_event_hash = models.CharField(
        _("last event hash"), max_length=64, blank=True, editable=False
    )

    class Meta:
        abstract = True


class EventError(Exception):
    pass


class Event(models.Model):
    """One change of one record: who, when, from, to, why, with which data and files."""

    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    seq = models.PositiveIntegerField(_("sequence"))
    occurred_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=100)
    action = models.SlugField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = RestrictedManager()
    # Events are read through the pages of their records; the full log is for district roles.
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["record_type", "record_id", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "seq"], name="event_unique_seq"
            ),
        ]
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.record_type.model}#{self.record_id} {self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: an event is written once, through audit.services.event_record.
        if self.pk is not None:
            raise EventError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EventError("events are append-only")


def attachment_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.XIAOQU_ATTACHMENT_ROOT)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"{instance.uploaded_at:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}-{filename}"


class Attachment(models.Model):
    """A photo or file recorded with an event; served only to users who may see its record."""

    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("event"),
    )
    file = models.FileField(
        _("file"), storage=attachment_storage, upload_to=attachment_path, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    objects = RestrictedManager()
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("audit:attachment", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class PersonalDataAccess(models.Model):
    """A user saw a piece of personal data unmasked (a reporter's phone number)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="personal_data_accesses",
        verbose_name=_("user"),
    )
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    field = models.CharField(_("field"), max_length=50)
    accessed_at = models.DateTimeField(_("time"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.field} {self.accessed_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message to one user: a repeat complaint on his matter, an overdue item, an urge notice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = RestrictedManager()
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text
