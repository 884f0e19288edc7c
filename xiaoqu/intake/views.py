"""Pages of the loop from a complaint to the outcome of its lead. Views read through the
selectors and write through the services; a refusal is shown where the user acted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.roles import is_dispatcher, is_officer_of, may_report, may_see_contacts
from xiaoqu.audit.services import record_attachments, record_events
from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.core.workflow import Move, TransitionRefused
from xiaoqu.referrals import services as referral_services
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import Subdistrict
from xiaoqu.supervision import services as supervision_services

from . import forms, selectors, services
from .filtersets import ComplaintFilterSet, LeadFilterSet
from .models import Complaint, Lead
from .tables import ComplaintTable, LeadTable
from .workflow import LEAD_WORKFLOW


def _refusal(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]


def _user(request: HttpRequest) -> User:
    """The signed-in user (every page requires a login)."""
    return cast(User, request.user)


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# ---------------------------------------------------------------------------------------------
# New complaint


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_report(user):
        raise PermissionDenied(_("Your role cannot enter complaints."))
    form = forms.ComplaintForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_create(actor=user, **form.service_kwargs())
        except (ValidationError, TransitionRefused) as exc:
            for message in _refusal(exc):
                form.add_error(None, message)
        else:
            lead = complaint.lead
            assert lead is not None
            if complaint.is_repeat:
                text = _(
                    "Complaint %(complaint)s recorded. It repeats open matter %(lead)s "
                    "(%(n)d complaints so far); the matter's owner has been told."
                ) % {"complaint": complaint.number, "lead": lead.number, "n": lead.complaint_count}
            else:
                text = _("Complaint %(complaint)s recorded; new lead %(lead)s raised.") % {
                    "complaint": complaint.number,
                    "lead": lead.number,
                }
            messages.success(request, text)
            return redirect(complaint.get_absolute_url())
    chosen = form["estate"].value() if "estate" in form.fields else None
    chosen_estate = (
        form.fields["estate"].queryset.filter(pk=chosen).first()  # type: ignore[attr-defined]
        if chosen and str(chosen).isdigit()
        else None
    )
    if user.role == Role.PROPERTY_STAFF or user.role == Role.STUDIO_MEMBER:
        title = _("Report a problem")
    elif user.role in (Role.OFFICER, Role.SUBDISTRICT_MANAGER):
        title = _("New complaint (patrol finding)")
    else:
        title = _("New complaint")
    return render(
        request,
        "intake/complaint_form.html",
        {"title": title, "form": form, "chosen_estate": chosen_estate},
    )


@require_GET
def estate_search(request: HttpRequest) -> HttpResponse:
    """Search as you type of the estate field: the user's own estates only."""
    if not may_report(request.user):
        raise PermissionDenied
    term = request.GET.get("estate_q", "")
    return render(
        request,
        "intake/_estate_results.html",
        {"estates": selectors.estate_search(user=request.user, term=term), "term": term.strip()},
    )


# ---------------------------------------------------------------------------------------------
# Complaints


class ComplaintListView(ObjectListView):
    model = Complaint
    table_class = ComplaintTable
    filterset_class = ComplaintFilterSet
    selector = selectors.complaint_list
    export_name = "complaints"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.may_browse_complaints(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        user: Any = self.request.user
        if selectors.is_reporter_role(user):
            return _("My reports")
        return _("Complaints")


class ComplaintDetailView(ObjectDetailView):
    model = Complaint
    template_name = "intake/complaint_detail.html"
    selector = selectors.complaint_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return complaint_context(request, obj)


def _lead_subdistrict(complaint: Complaint) -> int | None:
    return complaint.lead.subdistrict_id if complaint.lead else complaint.subdistrict_id


def may_reply(user: Any, complaint: Complaint) -> bool:
    return is_dispatcher(user) or is_officer_of(user, _lead_subdistrict(complaint))


def complaint_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    user: Any = request.user
    lead = complaint.lead
    dissuasion_hours = None
    if complaint.dissuaded_at is not None:
        dissuasion_hours = (complaint.received_at - complaint.dissuaded_at).total_seconds() / 3600
    lead_visible = lead is not None and Lead.objects.restrict(user).filter(pk=lead.pk).exists()
    return {
        "attachments": record_attachments(complaint),
        "events": record_events(complaint),
        "links": {lead.number: lead.get_absolute_url()}
        if lead is not None and lead_visible
        else {},
        "lead_visible": lead_visible,
        "may_reply": complaint.replied_at is None
        and complaint.reply_due_at is not None
        and may_reply(user, complaint),
        "may_reveal": bool(complaint.reporter_phone)
        and may_see_contacts(user, _lead_subdistrict(complaint)),
        "reply_form": forms.ReplyForm(),
        "late_report": dissuasion_hours is not None and dissuasion_hours > 24,
        "list_url": reverse("intake:complaint_list"),
    }


def _complaint_for(request: HttpRequest, pk: int) -> Complaint:
    return get_object_or_404(selectors.complaint_list(user=request.user), pk=pk)


@require_POST
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint_for(request, pk)
    form = forms.ReplyForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            complaint = services.complaint_reply(
                complaint=complaint,
                actor=_user(request),
                text=form.cleaned_data["text"],
            )
        except (ValidationError, TransitionRefused) as exc:
            errors = _refusal(exc)
        else:
            messages.success(request, _("The reply has been recorded."))
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse()
                response["HX-Redirect"] = complaint.get_absolute_url()
                return response
            return redirect(complaint.get_absolute_url())
    context = {
        "object": complaint,
        "reply_form": form,
        "reply_errors": errors,
        "may_reply": complaint.replied_at is None and may_reply(request.user, complaint),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "intake/_reply_card.html", context)
    return render(
        request,
        "intake/complaint_detail.html",
        {**complaint_context(request, complaint), **context, "title": str(complaint)},
    )


@require_POST
def complaint_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's full phone number, for those who call back; the access is recorded."""
    complaint = _complaint_for(request, pk)
    try:
        phone = services.complaint_contact_reveal(
            complaint=complaint,
            user=_user(request),
            ip_address=_client_ip(request),
        )
    except TransitionRefused as exc:
        raise PermissionDenied(str(exc)) from exc
    return render(request, "intake/_phone_revealed.html", {"phone": phone})


# ---------------------------------------------------------------------------------------------
# Dispatch


def _require_dispatcher(request: HttpRequest) -> None:
    if not is_dispatcher(request.user):
        raise PermissionDenied(_("Only the dispatcher dispatches leads."))


def _subdistricts(request: HttpRequest) -> list[Subdistrict]:
    return list(Subdistrict.objects.restrict(request.user).order_by("code"))


def _inbox_context(
    request: HttpRequest, refused: dict[int, str] | None = None, summary: str = ""
) -> dict[str, Any]:
    refused = refused or {}
    page = Paginator(selectors.dispatch_inbox(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return {
        "title": _("Awaiting dispatch"),
        "page": page,
        "rows": [(lead, refused.get(lead.pk, "")) for lead in page],
        "refused": refused,
        "summary": summary,
        "subdistricts": _subdistricts(request),
    }


@require_GET
def dispatch_inbox(request: HttpRequest) -> HttpResponse:
    _require_dispatcher(request)
    return render(request, "intake/dispatch_inbox.html", _inbox_context(request))


@require_POST
def lead_dispatch_one(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: dispatch one lead (with the subdistrict chosen in its row if it had none);
    the row is redrawn in place."""
    _require_dispatcher(request)
    lead = get_object_or_404(selectors.lead_list(user=request.user), pk=pk)
    subdistrict = None
    chosen = request.POST.get(f"subdistrict-{pk}", "")
    if chosen.isdigit():
        subdistrict = Subdistrict.objects.restrict(request.user).filter(pk=chosen).first()
    error = ""
    try:
        lead = services.lead_dispatch(lead=lead, actor=_user(request), subdistrict=subdistrict)
    except (ValidationError, TransitionRefused) as exc:
        error = "；".join(_refusal(exc))
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, f"{lead.number}: {error}")
        else:
            messages.success(
                request,
                _("%(lead)s dispatched to %(team)s.") % {"lead": lead.number, "team": lead.team},
            )
        return redirect("intake:dispatch_inbox")
    return render(
        request,
        "intake/_inbox_row.html",
        {"lead": lead, "error": error, "subdistricts": _subdistricts(request)},
    )


@require_POST
def leads_dispatch_bulk(request: HttpRequest) -> HttpResponse:
    """派单所选: several at once; the leads refused stay in the list with their reason."""
    _require_dispatcher(request)
    ids = [int(v) for v in request.POST.getlist("lead") if v.isdigit()]
    leads = list(selectors.dispatch_inbox(user=request.user).filter(pk__in=ids))
    refused: dict[int, str] = {}
    if not leads:
        summary = _("Select the leads to dispatch first.")
    else:
        result = services.leads_dispatch(leads=leads, actor=_user(request))
        refused = {lead.pk: reason for lead, reason in result.refused}
        summary = _("%(done)d dispatched, %(refused)d refused.") % {
            "done": len(result.done),
            "refused": len(result.refused),
        }
    context = _inbox_context(request, refused, summary)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "intake/_inbox_results.html", context)
    return render(request, "intake/dispatch_inbox.html", context)


# ---------------------------------------------------------------------------------------------
# Leads


class LeadListView(ObjectListView):
    model = Lead
    table_class = LeadTable
    filterset_class = LeadFilterSet
    selector = selectors.lead_list
    export_name = "leads"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not selectors.may_browse_leads(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: what needs the officer, due first; overdue in red."""
    user: Any = request.user
    if user.role != Role.OFFICER:
        raise PermissionDenied(_("The to-do list is the enforcement officers'."))
    return render(
        request,
        "intake/todo.html",
        {
            "title": _("My to-do list"),
            "leads": selectors.officer_leads(user=user),
            "replies": selectors.replies_awaiting(user=user),
            "now": timezone.now(),
        },
    )


class LeadDetailView(ObjectDetailView):
    model = Lead
    template_name = "intake/lead_detail.html"
    selector = selectors.lead_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return lead_context(request, obj)


def lead_context(request: HttpRequest, lead: Lead) -> dict[str, Any]:
    user: Any = request.user
    referrals = list(
        Referral.objects.restrict(user)
        .filter(lead=lead)
        .select_related("department", "due_rule")
        .order_by("sent_at", "pk")
    )
    assistance = list(
        AssistanceRequest.objects.restrict(user)
        .filter(lead=lead)
        .select_related("department", "due_rule")
        .order_by("sent_at", "pk")
    )
    complaints = list(selectors.lead_complaints(user=user, lead=lead))
    links = {r.number: r.get_absolute_url() for r in [*referrals, *assistance]}
    links.update({c.number: c.get_absolute_url() for c in complaints})
    related = [lead.repeat_of] if lead.repeat_of_id else []
    related += list(Lead.objects.restrict(user).filter(repeat_of=lead))
    links.update({r.number: r.get_absolute_url() for r in related if r is not None})
    return {
        "complaints": complaints,
        "inspections": selectors.lead_inspections(user=user, lead=lead),
        "referrals": referrals,
        "assistance_requests": assistance,
        "merged": [r for r in related if r is not None and r.repeat_of_id == lead.pk],
        "extensions": list(lead.extensions.select_related("requested_by").order_by("requested_at")),
        "events": record_events(lead),
        "links": links,
        "moves": available_moves(lead, user),
        "list_url": reverse("intake:lead_list"),
    }


# ---------------------------------------------------------------------------------------------
# Moves of a lead: one inline form per move


@dataclass(frozen=True)
class Action:
    form_class: type[forms.LeadActionForm]
    perform: Callable[[forms.LeadActionForm, Lead, Any], Any]
    help: Any = ""


def _visit_uploads(form: forms.LeadActionForm) -> list[Any]:
    return form.cleaned_data.get("attachments") or []


def _visit(form: forms.LeadActionForm) -> services.Visit:
    assert isinstance(form, forms.VisitForm)
    return form.visit()


ACTIONS: dict[str, Action] = {
    "dispatch": Action(
        forms.DispatchForm,
        lambda f, lead, user: services.lead_dispatch(
            lead=lead, actor=user, subdistrict=f.cleaned_data.get("subdistrict")
        ),
    ),
    "reassign": Action(
        forms.ReassignForm,
        lambda f, lead, user: services.lead_reassign(
            lead=lead, actor=user, subdistrict=f.cleaned_data["subdistrict"]
        ),
    ),
    "return_to_dispatch": Action(
        forms.ReasonForm,
        lambda f, lead, user: services.lead_return(
            lead=lead, actor=user, reason=f.cleaned_data["reason"]
        ),
        gettext_lazy("Not this subdistrict's, a wrong address…: the dispatcher decides again."),
    ),
    "record_visit": Action(
        forms.RecordVisitForm,
        lambda f, lead, user: services.lead_record_visit(
            lead=lead, actor=user, visit=_visit(f), uploads=_visit_uploads(f)
        ),
        gettext_lazy("Record what was seen on site without deciding yet."),
    ),
    "close_no_violation": Action(
        forms.CloseNoViolationForm,
        lambda f, lead, user: services.lead_close_no_violation(
            lead=lead,
            actor=user,
            visit=_visit(f),
            reason=f.cleaned_data["reason"],
            uploads=_visit_uploads(f),
        ),
    ),
    "order_rectification": Action(
        forms.OrderRectificationForm,
        lambda f, lead, user: services.lead_order_rectification(
            lead=lead,
            actor=user,
            visit=_visit(f),
            rectify_by=f.cleaned_data["rectify_by"],
            uploads=_visit_uploads(f),
        ),
        gettext_lazy("The order (责令改正) with the date by which the party must correct."),
    ),
    "reinspect_corrected": Action(
        forms.ReinspectCorrectedForm,
        lambda f, lead, user: services.lead_reinspect(
            lead=lead, actor=user, visit=_visit(f), corrected=True, uploads=_visit_uploads(f)
        ),
        gettext_lazy("Corrected: the lead is closed."),
    ),
    "reinspect_not_corrected": Action(
        forms.ReinspectNotCorrectedForm,
        lambda f, lead, user: services.lead_reinspect(
            lead=lead, actor=user, visit=_visit(f), corrected=False, uploads=_visit_uploads(f)
        ),
        gettext_lazy("Not corrected: the lead is handed on to filing (立案)."),
    ),
    "hand_to_filing": Action(
        forms.ReasonForm,
        lambda f, lead, user: services.lead_hand_to_filing(
            lead=lead, actor=user, reason=f.cleaned_data["reason"]
        ),
        gettext_lazy("The violation calls for a penalty case (立案)."),
    ),
    "refer": Action(
        forms.ReferForm,
        lambda f, lead, user: referral_services.lead_refer(
            lead=lead,
            actor=user,
            department=f.cleaned_data["department"],
            matter=f.cleaned_data["matter"],
            target_code=referral_target_code(f.cleaned_data["department"]),
            uploads=_visit_uploads(f),
        ),
        gettext_lazy("Not the bureau's: the competent department must answer (移交)."),
    ),
    "request_assistance": Action(
        forms.AssistanceForm,
        lambda f, lead, user: referral_services.lead_request_assistance(
            lead=lead,
            actor=user,
            department=f.cleaned_data["department"],
            kind=f.cleaned_data["kind"],
            request=f.cleaned_data["request"],
            uploads=_visit_uploads(f),
        ),
        gettext_lazy("The department answers in writing within its deadline (协助通知书)."),
    ),
    "merge_as_repeat": Action(
        forms.MergeForm,
        lambda f, lead, user: services.lead_merge(
            lead=lead, into=f.cleaned_data["number"], actor=user
        ),
        gettext_lazy("The same matter as another open lead: its complaints count there."),
    ),
    "reopen": Action(
        forms.ReasonForm,
        lambda f, lead, user: services.lead_reopen(
            lead=lead, actor=user, reason=f.cleaned_data["reason"]
        ),
        gettext_lazy("Reopening counts as rework in the assessment."),
    ),
    "request_extension": Action(
        forms.ExtensionForm,
        lambda f, lead, user: supervision_services.extension_request(
            lead=lead, actor=user, days=f.cleaned_data["days"], reason=f.cleaned_data["reason"]
        ),
        gettext_lazy("A dispatcher or bureau leader approves it; the rule caps the extension."),
    ),
}


def referral_target_code(department: Any) -> str:
    """The catalog's referral target of a department, when it has one."""
    from xiaoqu.law.models import ReferralTarget

    target = ReferralTarget.objects.effective().filter(department=department).first()
    return target.code if target else ""


def available_moves(lead: Lead, user: Any) -> list[Move]:
    return [m for m in LEAD_WORKFLOW.available(lead, user) if m.name in ACTIONS]


def _action_response(
    request: HttpRequest,
    lead: Lead,
    move: Move,
    form: forms.LeadActionForm,
    errors: list[str],
    refusal: str | None = None,
) -> HttpResponse:
    context = {
        "object": lead,
        "lead": lead,
        "move": move,
        "action": ACTIONS[move.name],
        "form": form,
        "errors": errors,
        "refusal": refusal,
        "title": f"{lead.number} · {move.label}",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "intake/_action_form.html", context)
    return render(request, "intake/lead_action.html", context)


@require_http_methods(["GET", "POST"])
def lead_action(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """GET: the form of one move; POST: make the move through its service."""
    lead = get_object_or_404(selectors.lead_list(user=request.user), pk=pk)
    step = LEAD_WORKFLOW.moves.get(move)
    if step is None or step.internal or move not in ACTIONS:
        raise Http404
    action = ACTIONS[move]
    user: Any = request.user
    if request.method == "GET":
        form = action.form_class(lead=lead, user=user)
        refusal = LEAD_WORKFLOW.refusal(lead, user, move)
        return _action_response(request, lead, step, form, [], refusal)
    form = action.form_class(request.POST, request.FILES, lead=lead, user=user)
    refusal = LEAD_WORKFLOW.refusal(lead, user, move)
    if refusal:  # checked again under the row lock by the service
        return _action_response(request, lead, step, form, [], refusal)
    errors: list[str] = []
    if form.is_valid():
        try:
            action.perform(form, lead, user)
        except (ValidationError, TransitionRefused) as exc:
            errors = _refusal(exc)
        else:
            messages.success(request, _("Done: %(move)s.") % {"move": step.label})
            url = lead.get_absolute_url()
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse()
                response["HX-Redirect"] = url
                return response
            return HttpResponseRedirect(url)
    return _action_response(request, lead, step, form, errors)
