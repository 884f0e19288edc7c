"""Pages of the enforcement documents: generating a record's document from its panel (HTMX,
the panel redraws itself, a refusal shows its reason in place), downloading a generated
version (only for users who may see the record), and the administrators' template page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.accounts.permissions import platform_admin_required
from xiaoqu.core.workflow import TransitionRefused

from .choices import DocumentKind
from .kinds import KINDS, RECORD_MODELS, sample_context
from .models import Document, DocumentTemplate
from .selectors import document_panel
from .services import (
    DOCX_TYPE,
    document_generate,
    record_visible,
    template_active,
    template_replace,
    template_restore,
)


def _record(request: HttpRequest, record_key: str, pk: int) -> models.Model:
    model = RECORD_MODELS.get(record_key)
    if model is None:
        raise Http404
    return get_object_or_404(model._default_manager.restrict(request.user), pk=pk)  # type: ignore[attr-defined]


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _panel(request: HttpRequest, record: models.Model, error: str = "") -> HttpResponse:
    html = render_to_string(
        "documents/_panel.html",
        {**document_panel(record=record, user=request.user), "error": error},
        request=request,
    )
    return HttpResponse(html)


def panel(request: HttpRequest, record_key: str, pk: int) -> HttpResponse:
    """The documents panel of a record alone (for pages that load it with HTMX)."""
    return _panel(request, _record(request, record_key, pk))


@require_POST
def generate(request: HttpRequest, record_key: str, pk: int, kind: str) -> HttpResponse:
    record = _record(request, record_key, pk)
    error = ""
    try:
        document = document_generate(kind=kind, record=record, actor=request.user)
    except (TransitionRefused, ValidationError) as exc:
        error = _message(exc)
    if request.htmx:  # type: ignore[attr-defined]
        return _panel(request, record, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(title)s %(number)s generated (version %(version)d).")
            % {
                "title": KINDS[kind].title,
                "number": document.number,
                "version": document.version,
            },
        )
    return HttpResponseRedirect(record.get_absolute_url())  # type: ignore[attr-defined]


def download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve a generated document to a user who may see the record it belongs to."""
    try:
        document = Document.objects.get(pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc
    model = document.record_type.model_class()
    if model is None or not record_visible(request.user, model(pk=document.record_id)):
        raise Http404
    return FileResponse(
        document.file.open("rb"), filename=document.name, content_type=DOCX_TYPE, as_attachment=True
    )


# ---------------------------------------------------------------------------------------------
# Templates (administrators)


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Template (.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


def _fields(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """The sample context as (field, example) rows: case.party_name → 张某."""
    rows: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            rows.extend(_fields(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list):
        if value and isinstance(value[0], dict):
            rows.append(
                (
                    prefix,
                    _("a list: {%%p for item in %(name)s %%} … {%%p endfor %%}") % {"name": prefix},
                )
            )
            for key, item in value[0].items():
                rows.extend(_fields(item, f"item.{key}"))
        else:
            rows.append((prefix, "、".join(str(v) for v in value)))
    elif isinstance(value, bool):
        rows.append(
            (prefix, _("yes or no; {%% if %(name)s %%} … {%% endif %%}") % {"name": prefix})
        )
    else:
        rows.append((prefix, str(value)))
    return rows


def _intro() -> str:
    codes = {
        name: format_html("<code>{}</code>", tag)
        for name, tag in {
            "number": "{{ number }}",
            "party": "{{ party.name }}",
            "loop": "{%p for … %}",
            "condition": "{%p if … %}",
        }.items()
    }
    text = _(
        "Each kind of enforcement document is generated from its active Word template (.docx). "
        "The record's fields go where the template has tags such as %(number)s or %(party)s; a "
        "paragraph is repeated or left out with %(loop)s and %(condition)s (docxtpl). An uploaded "
        "template replaces the active one only once it has been filled with sample data without "
        "error; previous versions are kept."
    )
    # the text is escaped, the codes are built with format_html
    return mark_safe(escape(text) % codes)


@platform_admin_required
def templates(request: HttpRequest) -> HttpResponse:
    rows = []
    for kind in KINDS.values():
        active = template_active(kind.code)
        rows.append(
            {
                "kind": kind,
                "active": active,
                "previous": list(
                    DocumentTemplate.objects.filter(kind=kind.code, active=False)
                    .select_related("uploaded_by")
                    .order_by("-uploaded_at", "-pk")[:5]
                ),
                "form": TemplateUploadForm(),
                "fields": _fields(sample_context(kind)),
                "example_number": kind.number_for(year=timezone.localdate().year, value=1),
            }
        )
    return render(
        request,
        "documents/templates.html",
        {"title": _("Document templates"), "rows": rows, "intro": _intro()},
    )


@platform_admin_required
def template_file(request: HttpRequest, pk: int) -> FileResponse:
    template = get_object_or_404(DocumentTemplate, pk=pk)
    return FileResponse(
        template.file.open("rb"), filename=template.name, content_type=DOCX_TYPE, as_attachment=True
    )


def _kind(kind: str) -> str:
    if kind not in DocumentKind.values:
        raise Http404
    return kind


@platform_admin_required
@require_POST
def template_upload(request: HttpRequest, kind: str) -> HttpResponse:
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the .docx file of the template."))
    else:
        try:
            template_replace(kind=_kind(kind), upload=form.cleaned_data["file"], actor=request.user)
        except (ValidationError, TransitionRefused) as exc:
            if isinstance(exc, TransitionRefused):
                raise PermissionDenied from exc
            messages.error(
                request,
                _("The template of the %(title)s was not replaced: %(reason)s")
                % {"title": KINDS[kind].title, "reason": _message(exc)},
            )
        else:
            messages.success(
                request,
                _("The template of the %(title)s was replaced.") % {"title": KINDS[kind].title},
            )
    return HttpResponseRedirect(reverse("documents:templates") + f"#template-{kind}")


@platform_admin_required
@require_POST
def template_default(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        template_restore(kind=_kind(kind), actor=request.user)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            _("The default template of the %(title)s is in use again.")
            % {"title": KINDS[kind].title},
        )
    return HttpResponseRedirect(reverse("documents:templates") + f"#template-{kind}")
