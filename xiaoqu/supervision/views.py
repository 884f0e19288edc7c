"""The supervision board (督办): overdue items now by subdistrict and by department, oldest
first, with manual urging; pending extension requests with their decisions; urge notices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoqu.accounts.roles import is_supervisor
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.core.views import ObjectListView
from xiaoqu.core.workflow import TransitionRefused

from . import selectors, services
from .filtersets import UrgeNoticeFilterSet
from .forms import ExtensionDecisionForm, UrgeForm
from .models import ExtensionRequest, UrgeNotice
from .tables import UrgeNoticeTable

# Who may open the board: the bureau, the subdistricts (their part), departments (theirs).
BOARD_SCOPES = (ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT, ScopeKind.DEPARTMENT)


def _check_scope(user: Any) -> None:
    if not (user.is_superuser or user.scope_kind in BOARD_SCOPES):
        raise PermissionDenied


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def board(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _check_scope(user)
    kind = request.GET.get("kind") or None
    if kind not in (None, "leads", "referrals", "assistance", "replies"):
        kind = None
    data = selectors.board(
        user=user,
        subdistrict=_int(request.GET.get("subdistrict")),
        department=_int(request.GET.get("department")),
        kind=kind,
    )
    supervisor = is_supervisor(user)
    extensions = list(selectors.pending_extensions(user=user))
    return render(
        request,
        "supervision/board.html",
        {
            "title": _("Supervision board"),
            "board": data,
            "supervisor": supervisor,
            "extensions": [
                {"extension": e, "form": ExtensionDecisionForm(prefix=f"ext{e.pk}")}
                for e in extensions
            ],
            "urge_form": UrgeForm() if supervisor else None,
            "recent_urges": selectors.urge_notice_list(user=user)[:10],
            "filters": {
                "subdistrict": _int(request.GET.get("subdistrict")),
                "department": _int(request.GET.get("department")),
                "kind": kind,
            },
        },
    )


class UrgeNoticeListView(ObjectListView):
    model = UrgeNotice
    table_class = UrgeNoticeTable
    filterset_class = UrgeNoticeFilterSet
    selector = selectors.urge_notice_list
    export_name = "urge-notices"
    demo_field = None


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _done(request: HttpRequest, target: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def _problems(exc: Exception) -> list[str]:
    return list(exc.messages) if isinstance(exc, ValidationError) else [str(exc)]


@require_POST
def urge(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A supervisor urges the unit responsible for a record (manual urge notice)."""
    model = selectors.RECORD_KINDS.get(kind)
    if model is None:
        raise PermissionDenied
    record = get_object_or_404(model.objects.restrict(request.user), pk=pk)  # type: ignore[attr-defined]
    form = UrgeForm(request.POST)
    if form.is_valid():
        try:
            services.urge(record=record, actor=request.user, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        except (TransitionRefused, ValidationError) as exc:
            for problem in _problems(exc):
                form.add_error(None, problem)
        else:
            messages.success(request, _("Urge notice sent for %(number)s.") % {"number": record})
            return _done(request, _next_url(request, record.get_absolute_url()))
    return render(
        request,
        "supervision/_urge_form.html",
        {"form": form, "kind": kind, "record": record, "next": request.POST.get("next", "")},
        status=200 if request.htmx else 400,  # type: ignore[attr-defined]
    )


@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(
        ExtensionRequest.objects.restrict(request.user).select_related("lead"), pk=pk
    )
    form = ExtensionDecisionForm(request.POST, prefix=f"ext{pk}")
    if form.is_valid():
        try:
            services.extension_decide(
                extension=extension,
                actor=request.user,  # type: ignore[arg-type]
                approve=form.approve,
                note=form.cleaned_data["note"],
            )
        except (TransitionRefused, ValidationError) as exc:
            for problem in _problems(exc):
                form.add_error(None, problem)
        else:
            text = (
                _("Extension of %(lead)s approved.")
                if form.approve
                else _("Extension of %(lead)s rejected.")
            )
            messages.success(request, text % {"lead": extension.lead})
            return _done(request, _next_url(request, reverse("supervision:board")))
    return render(
        request,
        "supervision/_extension_form.html",
        {"item": {"extension": extension, "form": form}, "supervisor": is_supervisor(request.user)},
        status=200 if request.htmx else 400,  # type: ignore[attr-defined]
    )
