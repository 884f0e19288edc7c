"""The import pages (platform administrators only): history, upload, preview with the column
mapping and the row errors, confirmation, progress, result and error report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoqu.accounts.permissions import platform_admin_required

from .imports.choices import ImportKind
from .imports.engine import SECRET_MASK, ImportSpec, Layout, Validation
from .imports.forms import ConfirmForm, ImportUploadForm, MappingForm
from .imports.jobs import (
    import_job_cancel,
    import_job_check_stale,
    import_job_confirm,
    import_job_create,
    import_job_layout,
    import_job_passwords,
    import_job_preview,
    import_job_set_mapping,
    import_job_sheet,
    import_job_write_progress,
)
from .imports.parsing import cell_text
from .imports.reader import ImportFileError, SheetRows
from .imports.report import errors_xlsx
from .imports.specs import SPECS, spec_class
from .models import ImportJob

PREVIEW_ROWS = 10
SHOWN_ERRORS = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@platform_admin_required
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.select_related("created_by")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "core/imports/list.html", {"title": _("Imports"), "page": page})


def _field_guide() -> list[dict[str, Any]]:
    """For each kind: its fields, whether required, and the headers recognised for them."""
    guide = []
    for kind, label in ImportKind.choices:
        spec = SPECS[kind]
        guide.append(
            {
                "kind": kind,
                "label": label,
                "fields": [{"f": f, "headers": "、".join(f.headers[:6])} for f in spec.fields],
            }
        )
    return guide


@platform_admin_required
def import_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = import_job_create(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                actor=request.user,  # type: ignore[arg-type]
            )
            return redirect(job)
    else:
        kind = request.GET.get("kind")
        form = ImportUploadForm(initial={"kind": kind if kind in ImportKind.values else None})
    return render(
        request,
        "core/imports/new.html",
        {"title": _("New import"), "form": form, "guide": _field_guide()},
    )


def _preview_rows(
    spec: type[ImportSpec], sheet: SheetRows, layout: Layout
) -> list[tuple[int, list[str]]]:
    rows = []
    for number, cells in sheet.rows:
        if number <= layout.header_row:
            continue
        texts = []
        for name in layout.mapping:
            index = layout.columns.get(name)
            if index is not None:
                text = cell_text(cells[index]) if index < len(cells) else ""
                texts.append(SECRET_MASK if text and name in spec.secret_fields else text)
        rows.append((number, texts))
        if len(rows) >= PREVIEW_ROWS:
            break
    return rows


def _preview(
    request: HttpRequest, job: ImportJob, mapping_form: MappingForm | None = None
) -> HttpResponse:
    spec = spec_class(job.kind)
    context: dict[str, Any] = {
        "title": _("Check the import"),
        "job": job,
        "confirm_form": ConfirmForm(initial={"mode": job.mode}),
        "file_error": "",
    }
    try:
        sheet = import_job_sheet(job=job)
        layout = import_job_layout(job=job, sheet=sheet)
    except ImportFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "core/imports/preview.html", context)
    validation: Validation | None = None
    try:
        validation = import_job_preview(job=job, sheet=sheet, layout=layout)
    except ImportFileError as exc:
        context["file_error"] = str(exc)
    context.update(
        {
            "mapping_form": mapping_form
            or MappingForm(initial=layout.mapping, spec=spec, headers=layout.headers),
            "layout": layout,
            "columns": [
                (spec.field(name).label, header)
                for name, header in layout.mapping.items()
                if header
            ],
            "rows": _preview_rows(spec, sheet, layout),
            "validation": validation,
            "errors": validation.errors[:SHOWN_ERRORS] if validation else [],
            "shown_errors": SHOWN_ERRORS,
        }
    )
    return render(request, "core/imports/preview.html", context)


@platform_admin_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if job.is_pending:
        return _preview(request, job)
    import_job_check_stale(job=job)
    import_job_write_progress(job=job)
    return render(
        request, "core/imports/detail.html", _status_context(request, job, title=str(job))
    )


@platform_admin_required
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.is_pending:
        return redirect(job)
    try:
        sheet = import_job_sheet(job=job)
        layout = import_job_layout(job=job, sheet=sheet)
    except ImportFileError:
        return _preview(request, job)
    form = MappingForm(request.POST, spec=spec_class(job.kind), headers=layout.headers)
    if not form.is_valid():
        return _preview(request, job, mapping_form=form)
    import_job_set_mapping(job=job, mapping=form.cleaned_data)
    messages.info(request, _("Column mapping saved; the rows were checked again."))
    return redirect(job)


@platform_admin_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    form = ConfirmForm(request.POST)
    if job.is_pending and form.is_valid():
        import_job_confirm(
            job=job,
            mode=form.cleaned_data["mode"],
            actor=request.user,  # type: ignore[arg-type]
        )
    return redirect(job)


@platform_admin_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    import_job_cancel(job=job)
    messages.info(request, _("The import was cancelled and the uploaded file deleted."))
    return redirect("core:import_list")


def _status_context(request: HttpRequest, job: ImportJob, *, title: str = "") -> dict[str, Any]:
    spec = spec_class(job.kind)
    return {
        "title": title,
        "job": job,
        "related": [
            (spec.related_labels.get(key, key), value) for key, value in (job.related or {}).items()
        ],
        "errors": job.row_errors()[:SHOWN_ERRORS],
        "shown_errors": SHOWN_ERRORS,
        "can_get_passwords": bool(job.passwords_file) and job.created_by_id == request.user.pk,
    }


@platform_admin_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status block, polled by the detail page while the import runs."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    import_job_check_stale(job=job)
    import_job_write_progress(job=job)
    return render(request, "core/imports/_status.html", _status_context(request, job))


@platform_admin_required
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    workbook = errors_xlsx(job.row_errors(), file_name=job.file_name)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"import-{job.pk}-errors-{stamp}.xlsx",
        content_type=XLSX,
    )


@platform_admin_required
@require_POST
def import_passwords(request: HttpRequest, pk: int) -> HttpResponse:
    """The generated initial passwords, for the administrator who ran the import, once."""
    job = get_object_or_404(ImportJob, pk=pk)
    if job.created_by_id != request.user.pk:
        raise Http404
    content = import_job_passwords(job=job)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-passwords.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
