"""Pages of exemplary cases: the internal list, page, edit form, review moves and printable
version; and the public list and page, the only pages of the platform that need no login.
Views are thin: selectors read, services write."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xiaoqu.audit.services import record_events
from xiaoqu.cases import selectors as case_selectors
from xiaoqu.core.views import ObjectListView
from xiaoqu.core.workflow import TransitionRefused

from . import selectors, services
from .filtersets import ExemplaryFilterSet
from .forms import ExemplaryForm, MoveForm
from .models import TEXT_FIELDS, ExemplaryCase
from .permissions import may_author, may_see
from .tables import ExemplaryTable
from .workflow import EXEMPLARY_WORKFLOW

PUBLIC_PER_PAGE = 10
ACTION_LABELS = {
    "drafted": gettext_lazy("Draft generated from the case"),
    "edited": gettext_lazy("Text edited"),
    "submit": gettext_lazy("Submitted for legal review"),
    "approve": gettext_lazy("Approved"),
    "return": gettext_lazy("Returned with reasons"),
    "publish": gettext_lazy("Published"),
    "withdraw": gettext_lazy("Withdrawn"),
}
REASON_LABELS = {
    "approve": gettext_lazy("Review note"),
    "return": gettext_lazy("Reasons for returning"),
    "withdraw": gettext_lazy("Reason for withdrawing"),
}


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _exemplary(request: HttpRequest, pk: int) -> ExemplaryCase:
    if not may_see(request.user):
        raise PermissionDenied
    exemplary = selectors.exemplary_get(user=request.user, pk=pk)
    if exemplary is None:
        raise Http404
    return exemplary


def _history(record: Any) -> list[dict[str, Any]]:
    return [
        {"event": e, "label": ACTION_LABELS.get(e.action, e.action)} for e in record_events(record)
    ]


def _sections(exemplary: ExemplaryCase, found: dict[str, Any]) -> list[dict[str, Any]]:
    meta = ExemplaryCase._meta
    return [
        {
            "name": name,
            "label": getattr(meta.get_field(name), "verbose_name", name),
            "text": getattr(exemplary, name),
            "findings": found.get(name, []),
        }
        for name in TEXT_FIELDS
    ]


# ---------------------------------------------------------------------------------------------
# Inside the platform


class ExemplaryListView(ObjectListView):
    model = ExemplaryCase
    table_class = ExemplaryTable
    filterset_class = ExemplaryFilterSet
    selector = selectors.exemplary_list
    export_name = "exemplary-cases"
    actions_template = "exemplary/_list_actions.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not may_see(request.user):
            raise PermissionDenied
        return super().get(request)

    def get_title(self) -> str:
        return _("Exemplary cases")


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    exemplary = _exemplary(request, pk)
    found = services.personal_findings(exemplary)
    total = sum(len(f) for f in found.values())
    case_visible = case_selectors.case_get(user=request.user, pk=exemplary.case_id) is not None
    return render(
        request,
        "exemplary/detail.html",
        {
            "object": exemplary,
            "title": exemplary.title,
            "sections": _sections(exemplary, found),
            "finding_total": total,
            "findings": [f for fs in found.values() for f in fs],
            "moves": EXEMPLARY_WORKFLOW.available(exemplary, request.user),
            "can_edit": exemplary.is_editable and may_author(request.user),
            "case_visible": case_visible,
            "events": _history(exemplary),
        },
    )


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    exemplary = _exemplary(request, pk)
    if not may_author(request.user):
        raise PermissionDenied
    if not exemplary.is_editable:
        messages.error(
            request,
            _("The text can be changed only while it is a draft or returned (now: %(s)s).")
            % {"s": exemplary.get_status_display()},
        )
        return redirect(exemplary)
    form = ExemplaryForm(request.POST or None, instance=exemplary)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemplary_update(
                actor=request.user,
                exemplary=ExemplaryCase.objects.get(pk=exemplary.pk),
                **{name: form.cleaned_data[name] for name in TEXT_FIELDS},
            )
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Text saved."))
            return redirect("exemplary:detail", pk=exemplary.pk)
    found = services.personal_findings(exemplary)
    return render(
        request,
        "exemplary/form.html",
        {
            "form": form,
            "object": exemplary,
            "title": _("Edit: %(title)s") % {"title": exemplary.title},
            "findings": [f for fs in found.values() for f in fs],
        },
    )


def draft(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Asks for confirmation (GET), then generates the draft from the case (POST)."""
    case = case_selectors.case_get(user=request.user, pk=case_pk)
    if case is None:
        raise Http404
    if not may_author(request.user):
        raise PermissionDenied
    current = selectors.current_for_case(case=case)
    if current is not None:
        return redirect(current)
    if request.method == "POST":
        try:
            exemplary = services.exemplary_draft(actor=request.user, case=case)
        except (ValidationError, PermissionDenied) as exc:
            for message in _messages(exc):
                messages.error(request, message)
            return redirect(case)
        messages.success(
            request,
            _("Draft generated with the personal data removed: check it, then submit it."),
        )
        return redirect(exemplary)
    return render(
        request,
        "exemplary/draft_confirm.html",
        {"case": case, "title": _("Make an exemplary case")},
    )


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    exemplary = _exemplary(request, pk)
    step = EXEMPLARY_WORKFLOW.moves.get(move)
    if step is None or step.internal:
        raise Http404
    refusal = EXEMPLARY_WORKFLOW.refusal(exemplary, request.user, move)
    if refusal:
        messages.error(request, refusal)
        return redirect(exemplary)
    form = MoveForm(
        request.POST or None, needs_reason=step.needs_reason, label=REASON_LABELS.get(move)
    )
    if request.method == "POST" and form.is_valid():
        service = services.MOVE_SERVICES[move]
        reason = form.cleaned_data.get("reason", "")
        kwargs: dict[str, Any] = {"actor": request.user, "exemplary": exemplary}
        if move == "approve":
            kwargs["note"] = reason
        elif step.needs_reason:
            kwargs["reason"] = reason
        try:
            service(**kwargs)
        except (TransitionRefused, ValidationError) as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": step.label})
            return redirect(exemplary)
    found = services.personal_findings(exemplary)
    return render(
        request,
        "exemplary/move.html",
        {
            "object": exemplary,
            "form": form,
            "step": step,
            "title": f"{step.label}: {exemplary.title}",
            "findings": [f for fs in found.values() for f in fs],
            "needs_reason": step.needs_reason,
        },
    )


def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The public version, for printing (marked as not published while it is not)."""
    exemplary = _exemplary(request, pk)
    return render(
        request,
        "exemplary/print.html",
        {"object": exemplary, "title": exemplary.title, "internal": True},
    )


# ---------------------------------------------------------------------------------------------
# The public pages (no login)


@login_not_required
def public_list(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("type") or "").strip()[:40]
    q = (request.GET.get("q") or "").strip()[:100]
    types = selectors.public_types()
    if code and code not in {c for c, _n in types}:
        code = ""
    paginator = Paginator(selectors.public_list(violation_type=code, q=q), PUBLIC_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("type", code), ("q", q)) if v})
    return render(
        request,
        "exemplary/public_list.html",
        {
            "page": page,
            "types": types,
            "type": code,
            "q": q,
            "query": query,
            "title": _("Exemplary cases of urban management enforcement"),
        },
    )


@login_not_required
def public_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    exemplary = get_object_or_404(selectors.public_list(), public_id=public_id)
    return render(
        request,
        "exemplary/public_detail.html",
        {"object": exemplary, "title": exemplary.title},
    )
