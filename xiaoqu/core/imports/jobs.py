"""Import jobs: the web upload → preview → confirm → run flow, and the record of every import.

A web import is validated and written by `import_job_execute`, in a background thread when
settings.XIAOQU_IMPORTS_IN_THREAD (the page polls the job's progress), inline otherwise.
Command-line imports are recorded with `import_job_record`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .choices import FINISHED_STATUSES, ImportKind, ImportMode, ImportSource, ImportStatus
from .engine import ImportResult, Layout, Validation, build_layout, import_run, import_validate
from .reader import ImportFileError, SheetRows, read_rows
from .report import passwords_xlsx
from .specs import spec_class

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from xiaoqu.accounts.models import User
    from xiaoqu.core.models import ImportJob

logger = logging.getLogger(__name__)

# Row errors kept on a job (the counts are always complete).
MAX_STORED_ERRORS = 50_000
# A running job older than this was interrupted: imports take seconds to minutes.
STALE_AFTER = timedelta(hours=2)

# Write progress of the jobs running in this process: job id → (rows written, rows to write).
# The write is one transaction, so the progress saved on the job inside it is seen by other
# connections (the page polling) only at its end; the page reads it from here meanwhile.
_writing: dict[int, tuple[int, int]] = {}
_writing_lock = threading.Lock()


def import_job_create(*, kind: str, upload: UploadedFile, actor: User) -> ImportJob:
    """Store an uploaded file as a job awaiting the user's confirmation."""
    from xiaoqu.core.models import ImportJob

    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    job = ImportJob(
        kind=kind,
        created_by=actor,
        file_name=(upload.name or "")[:255],
        source=ImportSource.WEB,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.file.save(upload.name or "upload", upload, save=False)
    job.save()
    return job


def import_job_sheet(*, job: ImportJob) -> SheetRows:
    """The rows of the job's file (raises ImportFileError when it cannot be read)."""
    if not job.file:
        raise ImportFileError(_("The uploaded file is no longer available."))
    with job.file.open("rb") as handle:
        return read_rows(handle, name=job.file_name)


def import_job_layout(*, job: ImportJob, sheet: SheetRows) -> Layout:
    """The job's mapping: the automatic one until the user has chosen columns."""
    spec = spec_class(job.kind)
    return build_layout(spec, sheet, job.mapping or None, complete=bool(job.mapping))


def import_job_preview(*, job: ImportJob, sheet: SheetRows, layout: Layout) -> Validation:
    """Validate the file as it would be imported now, writing nothing."""
    spec = spec_class(job.kind)()
    return import_validate(spec=spec, sheet=sheet, layout=layout)


def import_job_set_mapping(*, job: ImportJob, mapping: Mapping[str, str]) -> None:
    fields = spec_class(job.kind).field_names()
    job.mapping = {name: mapping.get(name, "") for name in fields}
    job.save(update_fields=["mapping"])


def import_job_confirm(*, job: ImportJob, mode: str, actor: User) -> None:
    """Queue a pending job and run it: in a thread after commit, or inline (tests, no threads)."""
    from xiaoqu.core.models import ImportJob

    if mode not in ImportMode.values:
        raise ValueError(f"unknown import mode {mode!r}")
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.QUEUED,
        mode=mode,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if not updated:  # confirmed twice (double click): the first one runs
        return
    job.refresh_from_db()
    if settings.XIAOQU_IMPORTS_IN_THREAD:
        transaction.on_commit(lambda: _start_thread(job.pk))
    else:
        import_job_execute(job_id=job.pk)


def import_job_cancel(*, job: ImportJob) -> None:
    from xiaoqu.core.models import ImportJob

    if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now()
    ):
        job.refresh_from_db()
        _delete_file(job)


def import_job_check_stale(*, job: ImportJob) -> None:
    """Mark a job that has been running far longer than any import takes as interrupted (its
    thread died with a server restart). Its writes were one transaction: nothing was written."""
    from xiaoqu.core.models import ImportJob

    if not job.is_running:
        return
    since = job.started_at or job.created_at
    if timezone.now() - since < STALE_AFTER:
        return
    message = _(
        "The import was interrupted (the server restarted); nothing was written. "
        "Upload the file again."
    )
    if ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    ):
        job.refresh_from_db()


def import_job_write_progress(*, job: ImportJob) -> None:
    """Give a job being written in this process its latest write progress (rows written of
    rows to write), which its record shows only once the write's transaction commits."""
    if job.status != ImportStatus.WRITING:
        return
    with _writing_lock:
        live = _writing.get(job.pk)
    if live is not None:
        job.rows_done, job.rows_total = live


def _start_thread(job_id: int) -> None:
    thread = threading.Thread(
        target=_thread_main, args=(job_id,), name=f"import-job-{job_id}", daemon=True
    )
    thread.start()


def _thread_main(job_id: int) -> None:
    close_old_connections()
    try:
        import_job_execute(job_id=job_id)
    except Exception:
        # Whatever failed, the import's writes are one transaction: nothing was written.
        logger.exception("import job %s stopped", job_id)
        from xiaoqu.core.models import ImportJob

        with contextlib.suppress(Exception):  # the stale-job check marks it failed later
            ImportJob.objects.filter(pk=job_id).exclude(status__in=FINISHED_STATUSES).update(
                status=ImportStatus.FAILED,
                message=_("The import failed and nothing was written."),
                finished_at=timezone.now(),
            )
    finally:
        connection.close()


def import_job_execute(*, job_id: int) -> ImportResult | None:
    """Validate and write a queued job, saving progress and the result on it."""
    from xiaoqu.core.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return None
    started = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, started_at=started)

    def progress(status: str, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(status=status, rows_done=done, rows_total=total)
        if status == ImportStatus.WRITING:
            with _writing_lock:
                _writing[job.pk] = (done, total)

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            sheet = import_job_sheet(job=job)
            layout = import_job_layout(job=job, sheet=sheet)
            spec = spec_class(job.kind)()
            result = import_run(
                spec=spec,
                sheet=sheet,
                layout=layout,
                mode=job.mode,
                progress=progress,
                actor=job.created_by,
            )
        except ImportFileError as exc:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, message=str(exc), finished_at=timezone.now()
            )
            return None
        except Exception as exc:
            logger.exception("import job %s failed", job.pk)
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED,
                message=_("The import failed and nothing was written: %(error)s") % {"error": exc},
                finished_at=timezone.now(),
            )
            return None
        finally:
            with _writing_lock:
                _writing.pop(job.pk, None)
        job.refresh_from_db()
        _store_result(job, result)
        if result.credentials:
            content = passwords_xlsx(result.credentials)
            job.passwords_file.save(f"job-{job.pk}-passwords.xlsx", ContentFile(content.read()))
        if job.kind == ImportKind.USERS:
            # The file may hold passwords in clear: it is not kept once the import has run.
            _delete_file(job)
    return result


def _store_result(job: ImportJob, result: ImportResult) -> None:
    job.status = result.status
    job.rows_total = result.rows_total
    job.rows_done = result.rows_total
    job.rows_invalid = result.rows_invalid
    job.created = result.created
    job.updated = result.updated
    job.unchanged = result.unchanged
    job.skipped = result.skipped
    job.related = dict(result.related)
    job.errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
    job.error_count = len(result.errors)
    job.finished_at = timezone.now()
    if result.rejected:
        job.message = _("%(n)d rows are invalid: nothing was written.") % {"n": result.rows_invalid}
    job.save()


def _delete_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])


def import_job_record(
    *,
    result: ImportResult,
    file_name: str,
    mapping: Mapping[str, str],
    actor: User | None = None,
) -> ImportJob:
    """Record an import run outside the web flow (the command line) in the import history."""
    from xiaoqu.core.models import ImportJob

    now = timezone.now()
    job = ImportJob(
        kind=result.kind,
        mode=result.mode,
        source=ImportSource.COMMAND,
        file_name=file_name[:255],
        mapping=dict(mapping),
        created_by=actor,
        started_at=now,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    _store_result(job, result)
    return job


def import_job_passwords(*, job: ImportJob) -> bytes | None:
    """The generated initial passwords of a users import, once: the sheet is deleted on reading."""
    from xiaoqu.core.models import ImportJob

    if not job.passwords_file:
        return None
    with job.passwords_file.open("rb") as handle:
        content = handle.read()
    job.passwords_file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(passwords_file="")
    job.passwords_file = ""
    return content
