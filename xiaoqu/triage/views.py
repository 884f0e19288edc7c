"""Pages of triage: the manual triage queue with one-click corrections, the correction
panel of a complaint, and the triage models with "train now". Views read through the
selectors and write through the services."""

from __future__ import annotations

import io
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoqu.accounts.models import User
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake import selectors as intake_selectors
from xiaoqu.intake.models import Complaint

from . import selectors, services
from .filtersets import TriageQueueFilterSet
from .forms import CorrectionForm
from .models import TriageRecord

PAGE = 30


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_triage(request: HttpRequest) -> None:
    if not selectors.may_triage(request.user):
        raise PermissionDenied(_("Manual triage is the dispatchers' and the bureau leaders'."))


def row_context(request: HttpRequest, record: TriageRecord) -> dict[str, Any]:
    return {
        "record": record,
        "complaint": record.complaint,
        "names": selectors.label_names(),
        "choices": selectors.label_choices(),
        "may_correct": services.may_correct(request.user, record.complaint),
    }


@require_GET
def triage_queue(request: HttpRequest) -> HttpResponse:
    """人工分拣: complaints whose guesses were not sure enough, the oldest first."""
    _require_triage(request)
    filterset = TriageQueueFilterSet(
        request.GET or None, queryset=selectors.triage_queue(user=request.user), user=request.user
    )
    page = Paginator(filterset.qs, PAGE).get_page(request.GET.get("page"))
    names = selectors.label_names()
    return render(
        request,
        "triage/queue.html",
        {
            "title": _("Manual triage"),
            "filterset": filterset,
            "page": page,
            "names": names,
            "choices": selectors.label_choices(),
            "total": page.paginator.count,
            "may_correct": True,
        },
    )


def _parse_label(label: str) -> tuple[str | None, str | None]:
    if not label:
        return None, None
    if label.startswith(selectors.OTHER):
        return None, label[len(selectors.OTHER) :]
    return label, None


@require_POST
def triage_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: correct the type (or referral), the estate, "not a repeat", or confirm."""
    _require_triage(request)
    complaint = get_object_or_404(intake_selectors.complaint_list(user=request.user), pk=pk)
    form = CorrectionForm(request.POST, user=request.user)
    error = ""
    changes: list[Any] = []
    if form.is_valid():
        violation_type, refer_to = _parse_label(form.cleaned_data["label"])
        try:
            result = services.triage_correct(
                complaint=complaint,
                actor=_user(request),
                violation_type=violation_type,
                refer_to=refer_to,
                estate=form.cleaned_data["estate"],
                not_repeat=form.cleaned_data["not_repeat"],
            )
            complaint, changes = result.complaint, result.changes
        except (ValidationError, TransitionRefused) as exc:
            error = "；".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)])
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    where = request.POST.get("where", "queue")
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, f"{complaint.number}: {error}")
        else:
            messages.success(request, _("%(n)s: triage reviewed.") % {"n": complaint.number})
        return redirect(complaint if where == "panel" else "triage:queue")
    record = get_object_or_404(TriageRecord.objects.restrict(request.user), complaint=complaint)
    context = {**row_context(request, record), "error": error, "changes": changes}
    if where == "panel":
        return render(request, "triage/_panel.html", context)
    return render(request, "triage/_queue_row.html", context)


@require_GET
def estate_options(request: HttpRequest) -> HttpResponse:
    """The estate select of a correction form, filled as the dispatcher types."""
    _require_triage(request)
    term = request.GET.get("estate_q", "")
    return render(
        request,
        "triage/_estate_options.html",
        {"estates": selectors.estate_options(user=request.user, term=term), "term": term},
    )


def _models_context(request: HttpRequest) -> dict[str, Any]:
    versions = list(selectors.model_versions(user=request.user)[:50])
    return {
        "title": _("Triage models"),
        "versions": versions,
        "active": next((v for v in versions if v.active), None),
        "waiting": selectors.corrections_waiting(user=request.user),
        "corrections": selectors.corrections_recent(user=request.user),
        "may_train": _user(request).is_platform_admin,
        "names": selectors.label_names(),
    }


@require_GET
def triage_models(request: HttpRequest) -> HttpResponse:
    _require_triage(request)
    return render(request, "triage/models.html", _models_context(request))


@require_POST
def triage_train(request: HttpRequest) -> HttpResponse:
    """Train now (administrators): corpus plus corrections; the new model is used only when
    its figures on the test split are not worse. Shows the figures before and after."""
    _require_triage(request)
    if not _user(request).is_platform_admin:
        raise PermissionDenied(_("Only administrators train the triage model."))
    from .training import train

    before = selectors.model_versions(user=request.user).filter(active=True).first()
    output = io.StringIO()
    new = train(corrections=True, activate="if_better", actor=_user(request), stdout=output)
    context = _models_context(request)
    context.update(
        {
            "trained": new,
            "before": before,
            "output": [line for line in output.getvalue().splitlines() if line.strip()],
        }
    )
    return render(request, "triage/models.html", context)


def complaint_panel_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any] | None:
    """The triage panel of the complaint page (template tag `triage_panel`)."""
    record = selectors.triage_of(user=request.user, complaint=complaint)
    if record is None:
        return None
    context = row_context(request, record)
    context["may_correct"] = context["may_correct"] and selectors.may_triage(request.user)
    return context
