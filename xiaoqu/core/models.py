from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.imports.choices import (
    FINISHED_STATUSES,
    RUNNING_STATUSES,
    ImportKind,
    ImportMode,
    ImportSource,
    ImportStatus,
)
from xiaoqu.core.imports.engine import RowError


@deconstructible
class PrivateImportStorage(FileSystemStorage):
    """Uploaded import files and generated password sheets: kept under DATA_DIR/imports, never
    under MEDIA_ROOT, so that no URL serves them; views hand them out after a permission check."""

    @property
    def base_location(self) -> Any:
        return os.path.join(settings.DATA_DIR, "imports")

    @property
    def location(self) -> Any:
        return os.path.abspath(self.base_location)


def private_import_storage() -> PrivateImportStorage:
    return PrivateImportStorage()


class ImportJob(models.Model):
    """One import of a file: who, when, what, how it went. Web imports are validated and
    written from this record (with progress); command-line imports are recorded here too."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.ATOMIC
    )
    source = models.CharField(
        _("source"), max_length=10, choices=ImportSource.choices, default=ImportSource.WEB
    )
    file = models.FileField(
        _("file"),
        upload_to="uploads/%Y/%m/",
        storage=private_import_storage,
        blank=True,
        max_length=300,
    )
    file_name = models.CharField(_("file name"), max_length=255)
    mapping = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Target field → header of the file's column; empty when not imported."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows validated"), default=0)
    rows_invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    related = models.JSONField(_("related records"), default=dict, blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    passwords_file = models.FileField(
        _("initial passwords"),
        upload_to="passwords/",
        storage=private_import_storage,
        blank=True,
        max_length=300,
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("core:import_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == ImportStatus.PENDING

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def progress_percent(self) -> int:
        """Of the running step: rows validated of the rows of the file, then (while writing)
        records written of the records to write."""
        if self.status in FINISHED_STATUSES:
            return 100
        if not self.rows_total:
            return 100 if self.status == ImportStatus.WRITING else 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    def row_errors(self) -> list[RowError]:
        return [RowError.from_dict(e) for e in self.errors]


class NumberSequence(models.Model):
    """The yearly sequence behind document and record numbers (诉件、线索、移交 …)."""

    name = models.SlugField(_("sequence"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}-{self.year}: {self.value}"
