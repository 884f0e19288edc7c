"""Enforcement documents (执法文书): the DOCX templates an administrator can replace, the
numbers the bureau gives its documents, and every generated version stored with its record.

A document belongs to one record (a case, a lead, a referral or an assistance request) through
(record_type, record_id), like audit attachments, and is served only to users who may see
that record. Its number is given once per record and kind (DocumentNumber) and kept when the
document is generated again as a new version."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import Jurisdiction, RestrictedManager

from .choices import DocumentKind


@deconstructible
class DocumentStorage(FileSystemStorage):
    """Templates and generated documents: under DATA_DIR/documents, never under MEDIA_ROOT, so
    that no URL serves them; views hand them out after a permission check."""

    @property
    def base_location(self) -> Any:
        return os.path.join(settings.DATA_DIR, "documents")

    @property
    def location(self) -> Any:
        return os.path.abspath(self.base_location)


def document_storage() -> DocumentStorage:
    return DocumentStorage()


def template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"templates/{instance.kind}/{instance.sha256[:16]}-{filename}"


def document_path(instance: Document, filename: str) -> str:
    return (
        f"generated/{instance.generated_at:%Y/%m}/{instance.kind}/"
        f"{instance.record_type_id}-{instance.record_id}-v{instance.version}-"
        f"{instance.sha256[:16]}.docx"
    )


class DocumentTemplate(models.Model):
    """One version of the template of a kind; exactly one version of a kind is active."""

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(
        _("file"), storage=document_storage, upload_to=template_path, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("checksum"), max_length=64)
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Written by the platform; otherwise uploaded by an administrator."),
    )
    active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    objects = RestrictedManager()
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(active=True), name="document_template_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uploaded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("documents:template_file", args=[self.pk])


class DocumentNumber(models.Model):
    """The number a record's document of one kind carries: 普城管告字〔2026〕第0001号.

    Taken once from the bureau's yearly sequence of the kind and kept for every version. A
    decision carries the case's decision number, which changes only with a new decision."""

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    number = models.CharField(_("number"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    assigned_at = models.DateTimeField(_("assigned"))

    objects = RestrictedManager()
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        ordering = ["kind", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_type", "record_id"],
                condition=~Q(kind=DocumentKind.PENALTY_DECISION),
                name="document_number_one_per_record",
            ),
        ]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return self.number


class Document(models.Model):
    """One generated version of a record's document."""

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    number = models.CharField(_("number"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(
        _("file"), storage=document_storage, upload_to=document_path, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    template = models.ForeignKey(
        DocumentTemplate,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("template"),
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("generated by"),
    )
    generated_at = models.DateTimeField(_("generated"))
    event = models.ForeignKey(
        "audit.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )

    objects = RestrictedManager()
    # Read through the pages of their records (see views.document_download).
    jurisdiction = Jurisdiction()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "kind", "version"],
                name="document_unique_version",
            ),
        ]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.pk])
