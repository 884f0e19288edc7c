"""Writes of the enforcement documents: templates (the defaults, an administrator's
replacement, restoring the default) and generating a record's document.

`document_generate` works like a workflow move: in one transaction the record's row is
locked, the stage is checked, the number is taken (or the record's number reused), the
template is rendered, the file stored, and an event appended to the record's chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document as open_docx
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.roles import is_dispatcher, is_officer_of
from xiaoqu.audit.services import event_record
from xiaoqu.core.numbers import number_next
from xiaoqu.core.workflow import TransitionRefused

from .choices import DocumentKind
from .defaults import default_template
from .kinds import KINDS, Kind, context_for, record_key, sample_context
from .models import Document, DocumentNumber, DocumentTemplate

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# Rendering and reading DOCX


def _environment() -> ImmutableSandboxedEnvironment:
    """Templates run sandboxed on plain data; a missing field is an error, not an empty gap."""
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined)


def docx_render(source: bytes, context: dict[str, Any]) -> bytes:
    template = DocxTemplate(io.BytesIO(source))
    template.render(context, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def docx_text(content: bytes) -> str:
    """The text of a DOCX (paragraphs, then the cells of its tables), one paragraph a line."""
    doc = open_docx(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ---------------------------------------------------------------------------------------------
# Templates


def _template_store(
    *,
    kind: str,
    content: bytes,
    name: str,
    actor: Any,
    is_default: bool,
    at: dt.datetime,
    if_missing: bool = False,
) -> DocumentTemplate:
    """Store a template version and make it the active one of its kind (with `if_missing`,
    only when the kind has no active template yet: else that one is returned)."""
    template = DocumentTemplate(
        kind=kind,
        name=name,
        sha256=_sha256(content),
        is_default=is_default,
        active=True,
        uploaded_by=actor,
        uploaded_at=at,
    )
    template.file.save(f"{kind}.docx", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            current = list(
                DocumentTemplate.objects.select_for_update().filter(kind=kind, active=True)
            )
            if if_missing and current:
                template.file.delete(save=False)
                return current[0]
            if current:
                # only the rows locked above: a version committed meanwhile by another request
                # makes the insert below fail on the one-active constraint instead
                DocumentTemplate.objects.filter(pk__in=[t.pk for t in current]).update(active=False)
            template.save()
    except Exception:
        template.file.delete(save=False)
        raise
    return template


def _default_name(kind: str) -> str:
    return f"{KINDS[kind].title}（默认模板）.docx"


def template_active(kind: str) -> DocumentTemplate:
    """The active template of `kind`; the default is written into storage when first needed."""
    template = DocumentTemplate.objects.filter(kind=kind, active=True).first()
    if template is not None:
        return template
    content = default_template(kind)
    try:
        return _template_store(
            kind=kind,
            content=content,
            name=_default_name(kind),
            actor=None,
            is_default=True,
            at=timezone.now(),
            if_missing=True,
        )
    except IntegrityError:  # written at the same moment by another request
        return DocumentTemplate.objects.get(kind=kind, active=True)


def templates_init() -> list[DocumentTemplate]:
    """Write the default template of every kind that has no template yet (`xiaoqu documents-init`)."""
    created = []
    for kind in DocumentKind.values:
        if not DocumentTemplate.objects.filter(kind=kind).exists():
            created.append(template_active(kind))
    return created


def template_problem(kind: str, content: bytes) -> str | None:
    """Why `content` cannot be the template of `kind` (rendered with the sample context), or None."""
    spec = KINDS[kind]
    if not content.startswith(b"PK\x03\x04"):
        return _("The file is not a Word document (.docx).")
    try:
        open_docx(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, Exception) as exc:
        return _("The file is not a valid Word document (.docx): %(error)s") % {"error": exc}
    sample = sample_context(spec)
    try:
        rendered = docx_render(content, sample)
    except TemplateSyntaxError as exc:
        near = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        return _(
            "The template has a broken tag ({{ … }} or {%% … %%}): %(error)s, near “%(near)s”."
        ) % {"error": exc.message, "near": near[:120]}
    except UndefinedError as exc:
        return _("The template uses a field that does not exist: %(error)s.") % {
            "error": exc.message
        }
    except SecurityError as exc:
        return _("The template uses something templates may not use: %(error)s.") % {"error": exc}
    except TemplateError as exc:
        return _("The template cannot be filled: %(error)s.") % {"error": exc}
    try:
        text = docx_text(rendered)
    except Exception as exc:
        return _("The filled template is not a valid Word document: %(error)s") % {"error": exc}
    if sample["number"] not in text:
        return _(
            "The template does not show the document's number: put {{ number }} where it goes."
        )
    return None


_SIMULTANEOUS = gettext_lazy(
    "Another administrator changed this template at the same moment: reload the page and try again."
)


def template_replace(
    *, kind: str, upload: UploadedFile, actor: Any, at: dt.datetime | None = None
) -> DocumentTemplate:
    """An administrator's template replaces the active one of `kind` once it renders."""
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of document."))
    if not getattr(actor, "is_platform_admin", False):
        raise TransitionRefused(_("Only an administrator can replace document templates."))
    name = upload.name or ""
    if not name.lower().endswith(".docx"):
        raise ValidationError(_("Upload a Word document (.docx)."))
    if upload.size is not None and upload.size > settings.XIAOQU_ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.XIAOQU_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    content = upload.read()
    problem = template_problem(kind, content)
    if problem:
        raise ValidationError(problem)
    try:
        return _template_store(
            kind=kind,
            content=content,
            name=name[-200:],
            actor=actor,
            is_default=False,
            at=at or timezone.now(),
        )
    except IntegrityError as exc:
        raise ValidationError(_SIMULTANEOUS) from exc


def template_restore(*, kind: str, actor: Any, at: dt.datetime | None = None) -> DocumentTemplate:
    """Make the platform's default template the active one of `kind` again."""
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of document."))
    if not getattr(actor, "is_platform_admin", False):
        raise TransitionRefused(_("Only an administrator can replace document templates."))
    try:
        return _template_store(
            kind=kind,
            content=default_template(kind),
            name=_default_name(kind),
            actor=actor,
            is_default=True,
            at=at or timezone.now(),
        )
    except IntegrityError as exc:
        raise ValidationError(_SIMULTANEOUS) from exc


# ---------------------------------------------------------------------------------------------
# Who may generate, and when


def _subdistrict_id(record: Any) -> int | None:
    return (
        record.subdistrict_id if hasattr(record, "subdistrict_id") else record.lead.subdistrict_id
    )


def record_visible(user: Any, record: models.Model) -> bool:
    return type(record)._default_manager.restrict(user).filter(pk=record.pk).exists()  # type: ignore[attr-defined]


def may_issue(actor: Any, record: models.Model) -> bool:
    """The command centre (dispatchers, leaders, administrators), legal staff and the officers of
    the record's subdistrict issue its documents; others at most read them."""
    if actor is None or not actor.is_authenticated:
        return False
    return issuing_role(actor, record) and record_visible(actor, record)


def issuing_role(actor: Any, record: models.Model) -> bool:
    """The role part of `may_issue` (the caller checks that `actor` may see `record`)."""
    return bool(
        is_dispatcher(actor)
        or getattr(actor, "role", None) == Role.LEGAL
        or is_officer_of(actor, _subdistrict_id(record))
    )


def document_refusal(*, kind: str, record: models.Model, actor: Any) -> str | None:
    """Why `actor` cannot generate `kind` for `record` now, or None."""
    spec = KINDS.get(kind)
    if spec is None or spec.record != record_key(record):
        return _("There is no such document for %(record)s.") % {"record": record}
    if not may_issue(actor, record):
        return _(
            "Only an enforcement officer of the subdistrict, the command centre or legal staff can generate the documents of %(record)s."
        ) % {"record": record}
    return spec.refusal(record)


# ---------------------------------------------------------------------------------------------
# Generating


def _number(spec: Kind, locked: Any, record_type: ContentType, at: dt.datetime) -> str:
    """The record's number for `spec`: its existing number, or the next of the kind's year."""
    if spec.code == DocumentKind.PENALTY_DECISION:
        # the number the case received with its decision (cases.services, "penalty-decision")
        number = locked.decision_number
        DocumentNumber.objects.get_or_create(
            kind=spec.code,
            record_type=record_type,
            record_id=locked.pk,
            number=number,
            defaults={"year": timezone.localtime(locked.decided_at).year, "assigned_at": at},
        )
        return str(number)
    existing = DocumentNumber.objects.filter(
        kind=spec.code, record_type=record_type, record_id=locked.pk
    ).first()
    if existing is not None:
        return existing.number
    year = timezone.localtime(spec.act_at(locked) or at).year
    value = number_next(name=f"document-{spec.code}", year=year)
    number = spec.number_for(year=year, value=value)
    DocumentNumber.objects.create(
        kind=spec.code,
        record_type=record_type,
        record_id=locked.pk,
        number=number,
        year=year,
        assigned_at=at,
    )
    return number


def _file_name(spec: Kind, number: str, version: int) -> str:
    name = f"{spec.title}（{number}）"
    if version > 1:
        name += f"-{version}"
    return re.sub(r'[\\/:*?"<>|]', "_", name) + ".docx"


def document_generate(
    *, kind: str, record: models.Model, actor: Any, at: dt.datetime | None = None
) -> Document:
    """Generate `kind` for `record` from the active template: a new version with the record's
    number (taken now if it has none), stored on disk, recorded on the record's chain."""
    moment = at or timezone.now()
    spec = KINDS.get(kind)
    if spec is None or spec.record != record_key(record):
        raise TransitionRefused(_("There is no such document for %(record)s.") % {"record": record})
    template = template_active(kind)
    try:
        with template.file.open("rb") as handle:
            source = handle.read()
    except FileNotFoundError as exc:
        raise TransitionRefused(
            _(
                "The template file of the %(title)s is missing from storage: an administrator restores the default or uploads it again."
            )
            % {"title": spec.title}
        ) from exc
    model: Any = type(record)
    record_type = ContentType.objects.get_for_model(model)
    stored: list[Document] = []
    try:
        with transaction.atomic():
            locked: Any = model._default_manager.select_for_update().get(pk=record.pk)
            problem = document_refusal(kind=kind, record=locked, actor=actor)
            if problem:
                raise TransitionRefused(problem)
            number = _number(spec, locked, record_type, moment)
            last = Document.objects.filter(
                record_type=record_type, record_id=locked.pk, kind=kind
            ).aggregate(last=Max("version"))["last"]
            version = (last or 0) + 1
            content = docx_render(source, context_for(spec, locked, number=number, at=moment))
            document = Document(
                kind=kind,
                record_type=record_type,
                record_id=locked.pk,
                number=number,
                version=version,
                name=_file_name(spec, number, version),
                size=len(content),
                sha256=_sha256(content),
                template=template,
                generated_by=actor,
                generated_at=moment,
            )
            document.file.save(document.name, ContentFile(content), save=False)
            stored.append(document)
            document.event = event_record(
                record=locked,
                actor=actor,
                action="document_generated",
                at=moment,
                data={
                    "document": spec.title,
                    "number": number,
                    "version": version,
                    "sha256": document.sha256,
                },
            )
            document.save()
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    return document


def record_documents(record: models.Model) -> models.QuerySet[Document]:
    return Document.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk
    ).select_related("generated_by")
