"""Pages of penalty cases: the list, filing from a lead (general and simplified procedure), the
case page with its clock, deadline, timeline and one inline form per move, and the queues of
legal review and approvals. Views read through the selectors and write through the services;
a refusal is shown where the user acted, with the article it applies."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from xiaoqu.accounts.models import User
from xiaoqu.accounts.roles import is_officer_of
from xiaoqu.audit.services import record_events
from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.core.workflow import Move, TransitionRefused
from xiaoqu.intake import selectors as intake_selectors
from xiaoqu.intake.models import Lead
from xiaoqu.law.workdays import deadline_rule_in_force

from . import forms, selectors, services
from .choices import OPEN_CASE_STATUSES, EvidenceKind, ReviewStatus
from .filtersets import CaseFilterSet
from .models import Case
from .tables import CaseTable
from .workflow import BEFORE_DECISION, CASE_WORKFLOW, is_approver, is_reviewer


def _refusal(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _next_url(request: HttpRequest) -> str:
    """A local page to return to after a move (a queue), or ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _target(request: HttpRequest) -> str:
    """The id of the element an inline form is drawn into (one per row in the queues)."""
    value = request.POST.get("target") or request.GET.get("target") or ""
    return value if re.fullmatch(r"[a-z0-9-]{1,40}", value) else "action-form"


def _done(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# ---------------------------------------------------------------------------------------------
# List


class CaseListView(ObjectListView):
    model = Case
    table_class = CaseTable
    filterset_class = CaseFilterSet
    selector = selectors.case_list
    export_name = "cases"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.may_browse_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return _("Penalty cases")


# ---------------------------------------------------------------------------------------------
# Filing from a lead


def _lead_for_filing(request: HttpRequest, pk: int) -> Lead:
    lead = get_object_or_404(intake_selectors.lead_list(user=request.user), pk=pk)
    if not is_officer_of(request.user, lead.subdistrict_id):
        raise PermissionDenied(
            _("Only an enforcement officer of the lead's subdistrict files a case.")
        )
    return lead


def filing_refusal(lead: Lead, cases: list[Case]) -> str | None:
    """Why no case can be filed from this lead now (the checks of services.case_file)."""
    from xiaoqu.intake.choices import LeadStatus

    if any(c.status in OPEN_CASE_STATUSES for c in cases):
        return _("%(lead)s already has an open case.") % {"lead": lead}
    if lead.status == LeadStatus.DISPATCHED and lead.on_site_at is None:
        return _("Verify the lead on site before filing a case.")
    if lead.status not in (LeadStatus.DISPATCHED, LeadStatus.TO_FILING):
        return _(
            "A case is filed from a lead awaiting verification or handed on to filing; %(lead)s is “%(state)s”."
        ) % {"lead": lead, "state": lead.get_status_display()}
    return None


def _filing_page(
    request: HttpRequest,
    *,
    form_class: type[forms.PartyForm],
    perform: Callable[..., Case],
    title: str,
    template: str,
    pk: int,
) -> HttpResponse:
    lead = _lead_for_filing(request, pk)
    cases = list(selectors.lead_cases(user=request.user, lead=lead))
    refusal = filing_refusal(lead, cases)
    user = _user(request)
    if request.method == "POST" and refusal is None:
        form = form_class(request.POST, lead=lead, user=user)
        if form.is_valid():
            try:
                case = perform(lead=lead, actor=user, **form.service_kwargs())  # type: ignore[attr-defined]
            except (ValidationError, TransitionRefused) as exc:
                for message in _refusal(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Case %(case)s filed.") % {"case": case.number})
                return redirect(case.get_absolute_url())
    else:
        form = form_class(lead=lead, user=user)
    return render(
        request,
        template,
        {
            "title": title,
            "lead": lead,
            "form": form,
            "refusal": refusal,
            "inspections": intake_selectors.lead_inspections(user=request.user, lead=lead),
        },
    )


@require_http_methods(["GET", "POST"])
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """立案: a case under the general procedure, from a lead verified on site."""
    return _filing_page(
        request,
        form_class=forms.CaseFileForm,
        perform=services.case_file,
        title=_("File a case"),
        template="cases/case_file.html",
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def case_simplified(request: HttpRequest, pk: int) -> HttpResponse:
    """简易程序: a warning or a small fine decided and served on the spot (art. 51)."""
    return _filing_page(
        request,
        form_class=forms.SimplifiedForm,
        perform=services.case_simplified,
        title=_("Simplified procedure (on the spot)"),
        template="cases/case_simplified.html",
        pk=pk,
    )


# ---------------------------------------------------------------------------------------------
# The case page


class CaseDetailView(ObjectDetailView):
    model = Case
    template_name = "cases/case_detail.html"

    def get_object(self, request: HttpRequest, pk: int) -> Case:
        case = selectors.case_get(user=request.user, pk=pk)
        if case is None:
            raise Http404
        return case

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return case_context(request, obj)


def _pending_extension(events: list[Any]) -> Any:
    last = None
    for event in events:
        if event.action in ("request_extension", "approve_extension", "reject_extension"):
            last = event
    return last if last is not None and last.action == "request_extension" else None


def case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user: Any = request.user
    events = list(record_events(case))
    evidence = selectors.case_evidence(case=case)
    pending = [
        e
        for e in evidence
        if e.kind == EvidenceKind.PRESERVATION and e.preservation_done_at is None
    ]
    lead_visible = Lead.objects.restrict(user).filter(pk=case.lead_id).exists()
    low, high = services.fine_range(case)
    today = timezone.localdate()
    return {
        "case": case,
        "events": events,
        "evidence": evidence,
        "pending_preservations": pending,
        "executions": selectors.case_executions(case=case),
        "provisions": selectors.case_provisions(case=case),
        "clock": selectors.case_clock(case),
        "clock_rule": deadline_rule_in_force(
            "decision_after_filing", on=timezone.localtime(case.filed_at).date()
        ),
        "payment": selectors.case_payment(case, on=today),
        "fine_low": low,
        "fine_high": high,
        "fine_range": forms.range_text(low, high),
        "review_limit": services.threshold_for("legal_review", case.party_kind, on=today),
        "pending_extension": _pending_extension(events) if case.status in BEFORE_DECISION else None,
        "lead_visible": lead_visible,
        "links": {case.lead.number: case.lead.get_absolute_url()} if lead_visible else {},
        "moves": available_moves(case, user, has_pending=bool(pending)),
        "list_url": reverse("cases:case_list"),
        "is_open": case.status in OPEN_CASE_STATUSES,
        "review_shown": case.review_status != ReviewStatus.NOT_NEEDED,
    }


# ---------------------------------------------------------------------------------------------
# Moves of a case: one inline form per move


@dataclass(frozen=True)
class Action:
    form_class: type[forms.CaseActionForm]
    perform: Callable[[Any, Case, Any], Any]
    help: Any = ""


def _d(form: forms.CaseActionForm, name: str, default: Any = None) -> Any:
    return form.cleaned_data.get(name, default)


ACTIONS: dict[str, Action] = {
    "add_evidence": Action(
        forms.EvidenceForm,
        lambda f, case, user: services.evidence_add(
            case=case,
            actor=user,
            kind=_d(f, "kind"),
            description=_d(f, "description"),
            collected_at=_d(f, "collected_at"),
            uploads=f.uploads,
        ),
        gettext_lazy("On-site records, photos, inquiry records, appraisals, identifications…"),
    ),
    "resolve_preservation": Action(
        forms.PreservationForm,
        lambda f, case, user: services.preservation_resolve(
            evidence=_d(f, "evidence"), actor=user, outcome=_d(f, "outcome")
        ),
        gettext_lazy(
            "Evidence registered for preservation is dealt with within 7 days (Administrative Penalty Law, article 56)."
        ),
    ),
    "request_review": Action(
        forms.ReviewRequestForm,
        lambda f, case, user: services.review_request(
            case=case,
            actor=user,
            **f.penalty_kwargs(),
        ),
        gettext_lazy("The penalty you propose goes to the legal section (法制审核)."),
    ),
    "approve_review": Action(
        forms.ReviewOpinionForm,
        lambda f, case, user: services.review_decide(
            case=case, actor=user, approve=True, opinion=_d(f, "opinion")
        ),
    ),
    "return_review": Action(
        forms.ReviewOpinionForm,
        lambda f, case, user: services.review_decide(
            case=case, actor=user, approve=False, opinion=_d(f, "opinion")
        ),
        gettext_lazy("The officer sees your reasons and continues the investigation."),
    ),
    "issue_notice": Action(
        forms.NoticeForm,
        lambda f, case, user: services.notice_issue(
            case=case,
            actor=user,
            served_at=_d(f, "served_at"),
            **f.penalty_kwargs(),
        ),
        gettext_lazy(
            "The advance notice (告知书): facts, grounds, the penalty intended and the party's rights (Administrative Penalty Law, article 44)."
        ),
    ),
    "record_statement": Action(
        forms.StatementForm,
        lambda f, case, user: services.statement_record(
            case=case, actor=user, statement=_d(f, "statement")
        ),
        gettext_lazy(
            "What the party stated in his defence; a heavier penalty is then refused (article 45)."
        ),
    ),
    "record_waiver": Action(
        forms.WaiverForm,
        lambda f, case, user: services.waiver_record(case=case, actor=user, uploads=f.uploads),
        gettext_lazy(
            "The party waived his rights in writing: the decision need not wait for the statement period (article 62)."
        ),
    ),
    "request_hearing": Action(
        forms.HearingRequestForm,
        lambda f, case, user: services.hearing_request(
            case=case, actor=user, requested_at=_d(f, "requested_at")
        ),
    ),
    "schedule_hearing": Action(
        forms.HearingScheduleForm,
        lambda f, case, user: services.hearing_schedule(
            case=case, actor=user, hearing_at=_d(f, "hearing_at"), place=_d(f, "place")
        ),
    ),
    "record_hearing": Action(
        forms.HearingRecordForm,
        lambda f, case, user: services.hearing_record(
            case=case,
            actor=user,
            record=_d(f, "record"),
            held_at=_d(f, "held_at"),
            uploads=f.uploads,
        ),
    ),
    "renotify": Action(
        forms.RenoticeForm,
        lambda f, case, user: services.notice_issue(
            case=case,
            actor=user,
            served_at=_d(f, "served_at"),
            renew_reason=_d(f, "reason"),
            **f.penalty_kwargs(),
        ),
        gettext_lazy("A new notice restarts the statement period."),
    ),
    "decide": Action(
        forms.DecisionForm,
        lambda f, case, user: services.case_decide(
            case=case,
            actor=user,
            decision_text=_d(f, "decision_text"),
            out_of_range_reason=_d(f, "out_of_range_reason", ""),
            **f.penalty_kwargs(),
        ),
        gettext_lazy("The decision is numbered and must be served within 7 days (article 61)."),
    ),
    "serve_decision": Action(
        forms.ServiceForm,
        lambda f, case, user: services.decision_serve(
            case=case,
            actor=user,
            served_at=_d(f, "served_at"),
            method=_d(f, "method", ""),
            uploads=f.uploads,
        ),
        gettext_lazy("A fine is due 15 days after service (article 67)."),
    ),
    "record_execution": Action(
        forms.ExecutionForm,
        lambda f, case, user: services.execution_record(
            case=case,
            actor=user,
            kind=_d(f, "kind"),
            amount=_d(f, "amount"),
            executed_at=_d(f, "executed_at"),
            note=_d(f, "note", ""),
            uploads=f.uploads,
        ),
    ),
    "close": Action(
        forms.CloseForm,
        lambda f, case, user: services.case_close(case=case, actor=user, report=_d(f, "report")),
    ),
    "withdraw": Action(
        forms.ReasonForm,
        lambda f, case, user: services.case_withdraw(case=case, actor=user, reason=_d(f, "reason")),
        gettext_lazy("The facts are not established, or the law excludes a penalty."),
    ),
    "request_extension": Action(
        forms.ExtensionForm,
        lambda f, case, user: services.extension_request(
            case=case, actor=user, days=_d(f, "days"), reason=_d(f, "reason")
        ),
        gettext_lazy("A bureau leader approves it (Administrative Penalty Law, article 60)."),
    ),
    "approve_extension": Action(
        forms.ExtensionApprovalForm,
        lambda f, case, user: services.extension_approve(
            case=case, actor=user, days=_d(f, "days"), reason=_d(f, "reason")
        ),
    ),
    "reject_extension": Action(
        forms.ReasonForm,
        lambda f, case, user: services.extension_reject(
            case=case, actor=user, reason=_d(f, "reason")
        ),
    ),
    "request_reopen": Action(
        forms.ReasonForm,
        lambda f, case, user: services.reopen_request(
            case=case, actor=user, reason=_d(f, "reason")
        ),
        gettext_lazy("A bureau leader decides; reopening counts as rework."),
    ),
    "reopen": Action(
        forms.ReasonForm,
        lambda f, case, user: services.case_reopen(case=case, actor=user, reason=_d(f, "reason")),
        gettext_lazy("Reopening counts as rework in the assessment."),
    ),
}


def available_moves(case: Case, user: Any, *, has_pending: bool | None = None) -> list[Move]:
    if has_pending is None:
        has_pending = selectors.pending_preservations(case=case).exists()
    return [
        m
        for m in CASE_WORKFLOW.available(case, user)
        if m.name in ACTIONS and (m.name != "resolve_preservation" or has_pending)
    ]


def _action_response(
    request: HttpRequest,
    case: Case,
    move: Move,
    form: forms.CaseActionForm,
    errors: list[str],
    refusal: str | None = None,
) -> HttpResponse:
    context = {
        "object": case,
        "case": case,
        "move": move,
        "action": ACTIONS[move.name],
        "form": form,
        "errors": errors,
        "refusal": refusal,
        "target": _target(request),
        "next": _next_url(request),
        "title": f"{case.number} · {move.label}",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_action_form.html", context)
    return render(request, "cases/case_action.html", context)


@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """GET: the form of one move; POST: make the move through its service."""
    case = get_object_or_404(selectors.case_list(user=request.user), pk=pk)
    step = CASE_WORKFLOW.moves.get(move)
    if step is None or step.internal or move not in ACTIONS:
        raise Http404
    action = ACTIONS[move]
    user: Any = request.user
    refusal = CASE_WORKFLOW.refusal(case, user, move)
    if request.method == "GET":
        form = action.form_class(case=case, user=user)
        return _action_response(request, case, step, form, [], refusal)
    form = action.form_class(request.POST, request.FILES, case=case, user=user)
    if refusal:  # checked again under the row lock by the service
        return _action_response(request, case, step, form, [], refusal)
    errors: list[str] = []
    if form.is_valid():
        try:
            action.perform(form, case, user)
        except (ValidationError, TransitionRefused) as exc:
            errors = _refusal(exc)
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": step.label})
            return _done(request, _next_url(request) or case.get_absolute_url())
    return _action_response(request, case, step, form, errors)


# ---------------------------------------------------------------------------------------------
# Queues


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """法制审核: the cases awaiting the reviewers' opinion."""
    if not is_reviewer(request.user):
        raise PermissionDenied(_("Legal review is for the legal section and the justice bureau."))
    cases = list(selectors.review_queue(user=request.user))
    return render(
        request,
        "cases/review_queue.html",
        {
            "title": _("Legal review"),
            "cases": cases,
            "today": timezone.localdate(),
        },
    )


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """审批: extension requests of the decision deadline, and reopening of closed cases."""
    if not is_approver(request.user):
        raise PermissionDenied(_("Approvals are for the bureau's leaders."))
    term = request.GET.get("q", "")
    return render(
        request,
        "cases/approvals.html",
        {
            "title": _("Approvals"),
            "extensions": selectors.pending_extensions(user=request.user),
            "closed": selectors.closed_cases(user=request.user, term=term),
            "term": term.strip(),
        },
    )
