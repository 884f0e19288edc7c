"""Pages of credit demerits: the housing liaison's queue (confirm or reject inline), the list
and the detail of proposals, the ranking of companies, a company's credit record and the
scoring rule table that legal staff maintain. Views are thin: selectors read through the
user's jurisdiction, services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.services import record_events
from xiaoqu.cases.models import Case
from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.estates.models import PropertyCompany
from xiaoqu.law.forms import CatalogForm
from xiaoqu.law.permissions import can_edit_catalog
from xiaoqu.law.selectors import catalog_history
from xiaoqu.law.views import CatalogFormView

from . import selectors, services
from .choices import OPEN_PROPOSAL_STATUSES
from .filtersets import ProposalFilterSet, RuleFilterSet
from .forms import PROPOSAL_FORMS, DemeritRuleForm
from .models import DemeritProposal, DemeritRule
from .tables import ProposalTable, RuleTable
from .workflow import DEMERIT_WORKFLOW

# Actions written outside the transition table.
OTHER_ACTIONS = {"proposed": gettext_lazy("Proposed to the housing bureau")}
RECENT = 20
QUEUE_SIZE = 50  # the nearest deadlines; the list page has every proposal


def event_rows(record: models.Model) -> list[dict[str, Any]]:
    """The proposal's events with their labels, for the timeline."""
    rows = []
    for event in record_events(record):
        move = DEMERIT_WORKFLOW.moves.get(event.action)
        rows.append(
            {
                "event": event,
                "label": move.label if move else OTHER_ACTIONS.get(event.action, event.action),
                "from": DEMERIT_WORKFLOW.state_label(event.from_state) if event.from_state else "",
                "to": DEMERIT_WORKFLOW.state_label(event.to_state) if event.to_state else "",
                "changed": event.from_state != event.to_state,
                "attachments": list(event.attachments.all()),
                "system": event.actor_id is None,
            }
        )
    return rows


def _moves(
    proposal: DemeritProposal,
    user: Any,
    failed: tuple[str, forms.Form] | None = None,
    *,
    in_view: bool = False,
) -> list[dict[str, Any]]:
    """The moves the user can make now, each with its form (a refused one with its reason).
    `in_view`: the proposal comes from the user's restricted list, so its jurisdiction need not
    be checked again row by row (the move itself checks everything when it is made)."""
    if in_view:
        available = [
            m
            for m in DEMERIT_WORKFLOW.moves.values()
            if not m.internal and proposal.status in m.sources and m.may(user, proposal)
        ]
    else:
        available = DEMERIT_WORKFLOW.available(proposal, user)
    available = [m for m in available if m.name in PROPOSAL_FORMS]
    if failed is not None and failed[0] not in {m.name for m in available}:
        available.insert(0, DEMERIT_WORKFLOW.moves[failed[0]])
    items = []
    for move in available:
        if failed is not None and failed[0] == move.name:
            items.append({"move": move, "form": failed[1], "open": True})
        else:
            items.append({"move": move, "form": PROPOSAL_FORMS[move.name](), "open": False})
    return items


def _is_overdue(proposal: DemeritProposal) -> bool:
    return bool(
        proposal.status in OPEN_PROPOSAL_STATUSES
        and proposal.due_at
        and proposal.due_at < timezone.now()
    )


# ---------------------------------------------------------------------------------------------
# The queue, the list and the detail


def queue(request: HttpRequest) -> HttpResponse:
    """Open proposals, nearest deadline first, each with the moves the user can make inline;
    then the latest answered."""
    proposals = selectors.proposal_list(user=request.user)
    waiting = proposals.filter(status__in=list(OPEN_PROPOSAL_STATUSES))
    open_ = list(waiting[:QUEUE_SIZE])
    rows = [{"proposal": p, "moves": _moves(p, request.user, in_view=True)} for p in open_]
    context = {
        "title": _("Credit demerits: queue"),
        "rows": rows,
        "open_count": waiting.count(),
        "overdue": waiting.filter(due_at__lt=timezone.now()).count(),
        "recent": list(proposals.exclude(status__in=list(OPEN_PROPOSAL_STATUSES))[:RECENT]),
    }
    return render(request, "credit/queue.html", context)


class ProposalListView(ObjectListView):
    model = DemeritProposal
    table_class = ProposalTable
    filterset_class = ProposalFilterSet
    selector = selectors.proposal_list
    export_name = "demerit-proposals"


def proposal_context(
    request: HttpRequest, proposal: DemeritProposal, failed: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    is_open = proposal.status in OPEN_PROPOSAL_STATUSES
    return {
        "moves": _moves(proposal, request.user, failed),
        "events": event_rows(proposal),
        "case_visible": Case.objects.restrict(request.user).filter(pk=proposal.case_id).exists(),
        "is_open": is_open,
        "is_overdue": _is_overdue(proposal),
        "counting": proposal.counts_on(timezone.now()),
        "move_url_name": "credit:proposal_move",
    }


class ProposalDetailView(ObjectDetailView):
    model = DemeritProposal
    template_name = "credit/proposal_detail.html"
    selector = selectors.proposal_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return proposal_context(request, obj)


def _messages_of(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


@require_POST
def proposal_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """Confirm or reject. From the queue (HTMX) the row is redrawn in place; from the detail
    page the page is reloaded; a refusal stays on the form with its reason."""
    proposal = get_object_or_404(selectors.proposal_list(user=request.user), pk=pk)
    form_class = PROPOSAL_FORMS.get(move)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    in_queue = request.POST.get("from") == "queue"
    user: Any = request.user
    if form.is_valid():
        try:
            if move == "confirm":
                proposal = services.demerit_confirm(
                    proposal=proposal, actor=user, note=form.cleaned_data["note"]
                )
            else:
                proposal = services.demerit_reject(
                    proposal=proposal, actor=user, reason=form.cleaned_data["reason"]
                )
        except (TransitionRefused, ValidationError) as exc:
            for message in _messages_of(exc):
                form.add_error(None, message)
        else:
            label = DEMERIT_WORKFLOW.moves[move].label
            if request.htmx and in_queue:  # type: ignore[attr-defined]
                proposal = selectors.proposal_list(user=request.user).get(pk=pk)
                return render(
                    request,
                    "credit/_queue_row.html",
                    {"row": {"proposal": proposal, "moves": []}, "done": label},
                )
            messages.success(request, _("Done: %(move)s.") % {"move": label})
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = proposal.get_absolute_url()
                return response
            return HttpResponseRedirect(proposal.get_absolute_url())
    if request.htmx and in_queue:  # type: ignore[attr-defined]
        proposal = selectors.proposal_list(user=request.user).get(pk=pk)
        row = {
            "proposal": proposal,
            "moves": _moves(proposal, request.user, (move, form)),
            "failed": True,
        }
        return render(request, "credit/_queue_row.html", {"row": row})
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "referrals/_move_form.html",
            {
                "object": proposal,
                "item": {"move": DEMERIT_WORKFLOW.moves[move], "form": form, "open": True},
                "move_url_name": "credit:proposal_move",
            },
        )
    context = {
        "object": proposal,
        "model_meta": DemeritProposal._meta,
        "title": str(proposal),
        **proposal_context(request, proposal, failed=(move, form)),
    }
    return render(request, "credit/proposal_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Ranking and company records


def _date_param(request: HttpRequest) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return None


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def ranking(request: HttpRequest) -> HttpResponse:
    """Companies by the points counting on a date (today by default), with their counts,
    estates, households and rates."""
    day = _date_param(request)
    try:
        min_estates = max(1, min(int(request.GET.get("min_estates", selectors.MIN_ESTATES)), 99))
    except ValueError:
        min_estates = selectors.MIN_ESTATES
    result = selectors.company_ranking(
        user=request.user, on=_end_of(day) if day else None, min_estates=min_estates
    )
    context = {
        "title": _("Property companies by credit demerits"),
        "ranking": result,
        "day": timezone.localtime(result.on).date(),
        "is_today": day is None or day == timezone.localdate(),
        "min_estates": min_estates,
    }
    return render(request, "credit/ranking.html", context)


def company_record(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(PropertyCompany.objects.restrict(request.user), pk=pk)
    day = _date_param(request)
    record = selectors.company_record(
        user=request.user, company=company, on=_end_of(day) if day else None
    )
    table = ProposalTable(
        record.proposals, orderable=False, exclude=("company", "subdistrict", "due_at")
    )
    context = {
        "title": _("Credit record of %(company)s") % {"company": company.name},
        "object": company,
        "record": record,
        "table": table,
        "is_today": day is None or day == timezone.localdate(),
        "day": timezone.localtime(record.on).date(),
    }
    return render(request, "credit/company_record.html", context)


def desk(request: HttpRequest) -> HttpResponse:
    """A property company's staff: their estates, the open matters there, their own reports,
    their credit record and their renovations."""
    user: Any = request.user
    if user.role != Role.PROPERTY_STAFF or user.property_company_id is None:
        raise Http404
    company = get_object_or_404(PropertyCompany.objects.restrict(user), pk=user.property_company_id)
    context = {
        "title": _("Desk of %(company)s") % {"company": company.name},
        "object": company,
        "desk": selectors.company_desk(user=user, company=company),
    }
    return render(request, "credit/desk.html", context)


def my_record(request: HttpRequest) -> HttpResponse:
    """A property company's staff: their own company's credit record."""
    user: Any = request.user
    if user.role != Role.PROPERTY_STAFF or user.property_company_id is None:
        raise Http404
    return redirect("credit:company_record", pk=user.property_company_id)


# ---------------------------------------------------------------------------------------------
# The scoring rule table


class RuleListView(ObjectListView):
    model = DemeritRule
    table_class = RuleTable
    filterset_class = RuleFilterSet
    selector = selectors.rule_list
    export_name = "demerit-rules"
    actions_template = "law/list_actions.html"
    demo_field = None

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        can_edit = can_edit_catalog(request.user)
        return {"can_edit": can_edit, "add_url": reverse("credit:rule_add") if can_edit else ""}


def _history(entry: models.Model) -> list[dict[str, Any]]:
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in entry._meta.get_fields()}
    return [
        {
            "change": change,
            "fields": [(labels.get(n, n), b, a) for n, b, a in change.changed_fields()],
        }
        for change in catalog_history(entry=entry)
    ]


class RuleDetailView(ObjectDetailView):
    model = DemeritRule
    template_name = "credit/rule_detail.html"
    selector = selectors.rule_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        can_edit = can_edit_catalog(request.user)
        versions = list(obj.versions())
        names = _violation_names()
        context: dict[str, Any] = {
            "list_url": reverse("credit:rule_list"),
            "can_edit": can_edit,
            "edit_url": reverse("credit:rule_edit", args=[obj.pk]) if can_edit else "",
            "versions": versions if len(versions) > 1 else [],
            "history": _history(obj),
            "violation_names": [names.get(c, c) for c in obj.violation_codes],
            "proposal_count": selectors.proposal_list(user=request.user).filter(rule=obj).count(),
        }
        if can_edit and versions[0].pk == obj.pk:
            context["new_version_url"] = reverse("credit:rule_new_version", args=[obj.pk])
        return context


def _violation_names() -> dict[str, str]:
    from .forms import violation_code_choices

    return dict(violation_code_choices())


class RuleFormView(CatalogFormView):
    """Create, correct, or replace from a date a scoring rule (legal staff and admins)."""

    model = DemeritRule

    def build_form(
        self, request: HttpRequest, entry: models.Model | None, data: Any = None
    ) -> CatalogForm:
        if self.mode == "create":
            return DemeritRuleForm(data, user=request.user, mode="create")
        assert isinstance(entry, DemeritRule)
        if self.mode == "new_version":
            copy = DemeritRule.objects.get(pk=entry.pk)
            copy.pk = None
            copy._state.adding = True
            return DemeritRuleForm(
                data, user=request.user, mode="new_version", replaces=entry, instance=copy
            )
        return DemeritRuleForm(data, user=request.user, mode="edit", instance=entry)

    def list_url(self) -> str:
        return reverse("credit:rule_list")
