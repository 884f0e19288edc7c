"""Pages of referrals (移交) and assistance requests (协助通知书): the inbox, the lists, the
detail pages with the lead's context, the timeline and an action panel of the moves the
user can make now (inline HTMX forms; a refusal shows its reason in place)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.accounts.roles import is_supervisor
from xiaoqu.audit.services import record_events
from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.core.workflow import TransitionRefused, Workflow
from xiaoqu.intake.models import Lead
from xiaoqu.supervision.forms import UrgeForm
from xiaoqu.supervision.selectors import record_urge_notices

from . import selectors, services
from .choices import OPEN_ASSISTANCE_STATUSES, OPEN_REFERRAL_STATUSES
from .filtersets import AssistanceFilterSet, ReferralFilterSet
from .forms import ASSISTANCE_FORMS, REFERRAL_FORMS, RedirectForm
from .models import AssistanceRequest, Referral
from .tables import AssistanceTable, ReferralTable
from .workflow import ASSISTANCE_WORKFLOW, REFERRAL_WORKFLOW

# Actions written by services outside the transition tables.
OTHER_ACTIONS = {
    "sent": gettext_lazy("Sent"),
    "document_generated": gettext_lazy("Document generated"),
}


def event_rows(record: models.Model, workflow: Workflow) -> list[dict[str, Any]]:
    """The record's events with their labels, for the timeline."""
    rows = []
    for event in record_events(record):
        move = workflow.moves.get(event.action)
        rows.append(
            {
                "event": event,
                "label": move.label if move else OTHER_ACTIONS.get(event.action, event.action),
                "from": workflow.state_label(event.from_state) if event.from_state else "",
                "to": workflow.state_label(event.to_state) if event.to_state else "",
                "changed": event.from_state != event.to_state,
                "attachments": list(event.attachments.all()),
                "system": event.actor_id is None,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Inbox and lists


def inbox(request: HttpRequest) -> HttpResponse:
    box = selectors.inbox(user=request.user)
    return render(
        request,
        "referrals/inbox.html",
        {"title": _("Referrals and assistance: inbox"), "inbox": box},
    )


class ReferralListView(ObjectListView):
    model = Referral
    table_class = ReferralTable
    filterset_class = ReferralFilterSet
    selector = selectors.referral_list
    export_name = "referrals"


class AssistanceListView(ObjectListView):
    model = AssistanceRequest
    table_class = AssistanceTable
    filterset_class = AssistanceFilterSet
    selector = selectors.assistance_list
    export_name = "assistance-requests"


# ---------------------------------------------------------------------------------------------
# Detail pages and moves


class _RecordDetailView(ObjectDetailView):
    template_name = "referrals/record_detail.html"
    workflow: ClassVar[Workflow]
    move_forms: ClassVar[dict[str, type[forms.Form]]]
    open_statuses: ClassVar[frozenset[str]]
    kind: ClassVar[str]
    list_url_name: ClassVar[str]

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return record_context(
            request,
            obj,
            kind=self.kind,
            workflow=self.workflow,
            move_forms=self.move_forms,
            open_statuses=self.open_statuses,
            list_url_name=self.list_url_name,
        )


def record_context(
    request: HttpRequest,
    obj: Any,
    *,
    kind: str,
    workflow: Workflow,
    move_forms: dict[str, type[forms.Form]],
    open_statuses: frozenset[str],
    list_url_name: str,
    failed: tuple[str, forms.Form] | None = None,
) -> dict[str, Any]:
    user: Any = request.user
    moves = []
    available = [m for m in workflow.available(obj, user) if m.name in move_forms]
    if failed is not None and failed[0] not in {m.name for m in available}:
        # a refused move stays on the page with its reason
        available.insert(0, workflow.moves[failed[0]])
    for move in available:
        if failed is not None and failed[0] == move.name:
            moves.append({"move": move, "form": failed[1], "open": True})
        else:
            moves.append({"move": move, "form": _form(move_forms[move.name], obj), "open": False})
    is_open = obj.status in open_statuses
    lead = obj.lead
    return {
        "kind": kind,
        "workflow": workflow,
        "moves": moves,
        "events": event_rows(obj, workflow),
        "lead": lead,
        "lead_visible": Lead.objects.restrict(user).filter(pk=lead.pk).exists(),
        "is_open": is_open,
        "is_overdue": bool(is_open and obj.due_at and obj.due_at < timezone.now()),
        "urge_form": UrgeForm() if is_open and is_supervisor(user) else None,
        "urge_notices": record_urge_notices(record=obj, user=user),
        "list_url_name": list_url_name,
        "move_url_name": f"referrals:{kind}_move",
    }


def _form(form_class: type[forms.Form], record: Any, *args: Any) -> forms.Form:
    if form_class is RedirectForm:
        return RedirectForm(*args, referral=record)
    return form_class(*args)


class ReferralDetailView(_RecordDetailView):
    model = Referral
    selector = selectors.referral_list
    workflow = REFERRAL_WORKFLOW
    move_forms = REFERRAL_FORMS
    open_statuses = OPEN_REFERRAL_STATUSES
    kind = "referral"
    list_url_name = "referrals:referral_list"


class AssistanceDetailView(_RecordDetailView):
    model = AssistanceRequest
    selector = selectors.assistance_list
    workflow = ASSISTANCE_WORKFLOW
    move_forms = ASSISTANCE_FORMS
    open_statuses = OPEN_ASSISTANCE_STATUSES
    kind = "assistance"
    list_url_name = "referrals:assistance_list"


def _referral_service(record: Referral, move: str, data: dict[str, Any], actor: Any) -> Any:
    if move == "receive":
        return services.referral_receive(referral=record, actor=actor)
    if move == "answer":
        return services.referral_answer(
            referral=record, actor=actor, answer=data["answer"], uploads=data["attachments"]
        )
    if move == "return":
        return services.referral_return(referral=record, actor=actor, reason=data["reason"])
    if move == "resend":
        return services.referral_resend(referral=record, actor=actor, reason=data["reason"])
    if move == "withdraw":
        return services.referral_withdraw(referral=record, actor=actor, reason=data["reason"])
    if move == "redirect":
        return services.referral_redirect(
            referral=record, actor=actor, department=data["department"], matter=data["matter"]
        )
    raise Http404


def _assistance_service(
    record: AssistanceRequest, move: str, data: dict[str, Any], actor: Any
) -> Any:
    if move == "receive":
        return services.assistance_receive(request=record, actor=actor)
    if move == "answer":
        return services.assistance_answer(
            request=record, actor=actor, answer=data["answer"], uploads=data["attachments"]
        )
    if move == "cancel":
        return services.assistance_cancel(request=record, actor=actor, reason=data["reason"])
    raise Http404


def _refusal_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _make_move(
    request: HttpRequest,
    pk: int,
    move: str,
    *,
    view: type[_RecordDetailView],
    service: Callable[[Any, str, dict[str, Any], Any], Any],
) -> HttpResponse:
    selector = view.selector
    assert selector is not None
    record = get_object_or_404(selector(user=request.user), pk=pk)
    form_class = view.move_forms.get(move)
    if form_class is None or move not in view.workflow.moves:
        raise Http404
    form = _form(form_class, record, request.POST, request.FILES)
    if form.is_valid():
        try:
            result = service(record, move, form.cleaned_data, request.user)
        except (TransitionRefused, ValidationError) as exc:
            for message in _refusal_messages(exc):
                form.add_error(None, message)
        else:
            label = view.workflow.moves[move].label
            messages.success(request, _("Done: %(move)s.") % {"move": label})
            target = result.get_absolute_url() if result is not None else record.get_absolute_url()
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "referrals/_move_form.html",
            {
                "object": record,
                "item": {"move": view.workflow.moves[move], "form": form, "open": True},
                "move_url_name": f"referrals:{view.kind}_move",
            },
        )
    context = {
        "object": record,
        "model_meta": view.model._meta,
        "title": str(record),
        **record_context(
            request,
            record,
            kind=view.kind,
            workflow=view.workflow,
            move_forms=view.move_forms,
            open_statuses=view.open_statuses,
            list_url_name=view.list_url_name,
            failed=(move, form),
        ),
    }
    return render(request, view.template_name, context, status=200)


@require_POST
def referral_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    return _make_move(
        request,
        pk,
        move,
        view=ReferralDetailView,
        service=_referral_service,
    )


@require_POST
def assistance_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    return _make_move(
        request,
        pk,
        move,
        view=AssistanceDetailView,
        service=_assistance_service,
    )
