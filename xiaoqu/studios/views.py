"""Pages of the community studio: the list with figures, the studio page, members and
activities (managed by the command centre and the subdistrict's staff), and the member's
phone pages: report an early sign, and see what became of one's reports. Views are thin:
selectors read through the user's jurisdiction, services write."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.audit.services import mask_phone, record_events
from xiaoqu.core.views import ObjectListView
from xiaoqu.estates.models import Studio
from xiaoqu.intake.models import Lead

from . import selectors, services
from .choices import MemberKind
from .filtersets import ActivityFilterSet, StudioFilterSet
from .forms import ActivityForm, DeactivateForm, MemberForm, ReportForm
from .models import StudioActivity, StudioMember
from .permissions import may_manage, may_report, sees_phones
from .tables import ActivityTable, StudioTable

ACTION_LABELS = {
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Changed"),
    "deactivated": gettext_lazy("Deactivated"),
    "reactivated": gettext_lazy("Reactivated"),
    "outcome_recorded": gettext_lazy("Outcome recorded"),
}
UPCOMING = 8
PAST = 6
RECENT_REPORTS = 10


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _history(record: Any) -> list[dict[str, Any]]:
    return [
        {"event": e, "label": ACTION_LABELS.get(e.action, e.action)} for e in record_events(record)
    ]


def _studio(request: HttpRequest, pk: int) -> Studio:
    studio = selectors.studio_for(user=request.user, pk=pk)
    if studio is None:
        raise Http404
    return studio


def _managed_studio(request: HttpRequest, pk: int) -> Studio:
    studio = _studio(request, pk)
    if not may_manage(request.user, studio):
        raise PermissionDenied
    return studio


# ---------------------------------------------------------------------------------------------
# List and studio page


class StudioListView(ObjectListView):
    model = Studio
    table_class = StudioTable
    filterset_class = StudioFilterSet
    selector = selectors.studio_list
    export_name = "studios"
    actions_template = "studios/_list_actions.html"

    def get_title(self) -> str:
        return _("Community studios")


class ActivityListView(ObjectListView):
    model = StudioActivity
    table_class = ActivityTable
    filterset_class = ActivityFilterSet
    selector = selectors.activity_list
    export_name = "studio-activities"

    def get_title(self) -> str:
        return _("Studio activities")


def _member_rows(request: HttpRequest, studio: Studio) -> dict[str, Any]:
    user: Any = request.user
    full = sees_phones(user)
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict(
        (str(label), []) for label in MemberKind.labels
    )
    inactive = []
    for member in selectors.members_of(user=user, studio=studio):
        own = member.user_id is not None and member.user_id == user.pk
        phone = member.phone if (full or own) else mask_phone(member.phone)
        row = {"member": member, "phone": phone}
        if member.active:
            groups[str(member.get_kind_display())].append(row)
        else:
            inactive.append(row)
    return {
        "member_groups": [(label, rows) for label, rows in groups.items() if rows],
        "inactive_members": inactive,
        "active_count": sum(len(rows) for rows in groups.values()),
    }


def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    user: Any = request.user
    now = timezone.now()
    estates = selectors.studio_estates(user=user, studio=studio)
    figures = selectors.studio_figures(studio=studio, estates=estates, now=now)
    leads = list(selectors.open_leads(estates=estates)[:50])
    visible = set(
        Lead.objects.restrict(user)
        .filter(pk__in=[lead.pk for lead in leads])
        .values_list("pk", flat=True)
    )
    is_member = user.scope_kind == "studio"
    reports = selectors.report_list(user=user).filter(studio=studio)[:RECENT_REPORTS]
    context = {
        "object": studio,
        "title": studio.name,
        "estates": estates,
        "figures": figures,
        "leads": [{"lead": lead, "linked": lead.pk in visible} for lead in leads],
        "open_lead_total": figures.open_leads,
        "upcoming": list(
            selectors.upcoming_activities(user=user, studio=studio, now=now)[:UPCOMING]
        ),
        "past": list(selectors.past_activities(user=user, studio=studio, now=now)[:PAST]),
        "reports": list(reports),
        "is_member": is_member,
        "can_manage": may_manage(user, studio),
        "can_report": may_report(user) and user.studio_id == studio.pk,
        "now": now,
        **_member_rows(request, studio),
    }
    return render(request, "studios/studio_detail.html", context)


def my_studio(request: HttpRequest) -> HttpResponse:
    """A studio member's way in: their own studio's page."""
    user: Any = request.user
    if not getattr(user, "studio_id", None):
        raise Http404
    return redirect("studios:studio_detail", pk=user.studio_id)


# ---------------------------------------------------------------------------------------------
# Members


def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _managed_studio(request, pk)
    form = MemberForm(request.POST or None, studio=studio)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(actor=request.user, studio=studio, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Member %(name)s added.") % {"name": member.name})
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request,
        "studios/form.html",
        {"form": form, "studio": studio, "title": _("Add a member"), "cancel": studio},
    )


def _member(request: HttpRequest, pk: int) -> StudioMember:
    member = get_object_or_404(
        StudioMember.objects.restrict(request.user).select_related("studio__subdistrict"), pk=pk
    )
    if selectors.studio_for(user=request.user, pk=member.studio_id) is None:
        raise Http404
    if not may_manage(request.user, member.studio):
        raise PermissionDenied
    return member


def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    initial = {
        "kind": member.kind,
        "name": member.name,
        "organisation": member.organisation,
        "estate": member.estate_id,
        "phone": member.phone,
        "user": member.user_id,
        "joined_on": member.joined_on,
    }
    form = MemberForm(request.POST or None, initial=initial, studio=member.studio)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Member %(name)s saved.") % {"name": member.name})
            return redirect("studios:studio_detail", pk=member.studio_id)
    return render(
        request,
        "studios/form.html",
        {
            "form": form,
            "studio": member.studio,
            "title": _("Edit member %(name)s") % {"name": member.name},
            "cancel": member.studio,
            "events": _history(member),
        },
    )


def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for confirmation (GET), then deactivates (POST)."""
    member = _member(request, pk)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_deactivate(
                actor=request.user,  # type: ignore[arg-type]
                member=member,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in _messages(exc):
                messages.error(request, message)
        else:
            messages.success(
                request, _("Member %(name)s is no longer active.") % {"name": member.name}
            )
        return redirect("studios:studio_detail", pk=member.studio_id)
    return render(
        request,
        "studios/member_deactivate.html",
        {"form": form, "member": member, "title": _("Deactivate a member")},
    )


def member_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    member = _member(request, pk)
    try:
        services.member_reactivate(actor=request.user, member=member)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Member %(name)s is active again.") % {"name": member.name})
    return redirect("studios:studio_detail", pk=member.studio_id)


# ---------------------------------------------------------------------------------------------
# Activities


def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _managed_studio(request, pk)
    form = ActivityForm(request.POST or None, studio=studio)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=request.user, studio=studio, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Activity planned."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request,
        "studios/form.html",
        {"form": form, "studio": studio, "title": _("Plan an activity"), "cancel": studio},
    )


def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        selectors.activity_list(user=request.user).select_related("studio__subdistrict"), pk=pk
    )
    studio = activity.studio
    if not may_manage(request.user, studio):
        return render(
            request,
            "studios/activity_detail.html",
            {"activity": activity, "title": activity.title, "studio": studio},
        )
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "place": activity.place,
        "estate": activity.estate_id,
        "notes": activity.notes,
        "participants": activity.participants,
        "outcome": activity.outcome,
    }
    form = ActivityForm(request.POST or None, initial=initial, studio=studio)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("studios:studio_detail", pk=studio.pk)
    return render(
        request,
        "studios/form.html",
        {
            "form": form,
            "studio": studio,
            "title": _("Activity: %(title)s") % {"title": activity.title},
            "cancel": studio,
            "events": _history(activity),
        },
    )


# ---------------------------------------------------------------------------------------------
# The member's phone pages


def report_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_report(user):
        raise PermissionDenied
    studio = user.studio
    form = ReportForm(request.POST or None, request.FILES or None, studio=studio)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                actor=user,
                estate=data["estate"],
                kind=data["kind"],
                content=data["content"],
                violation_type=data["violation_type"],
                address=data["address"],
                uploads=data["photos"],
            )
        except ValidationError as exc:
            for message in _messages(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Thank you: your report is recorded as %(number)s.")
                % {"number": report.complaint.number},
            )
            return redirect("studios:my_reports")
    return render(
        request,
        "studios/report_new.html",
        {"form": form, "studio": studio, "title": _("Report an early sign")},
    )


def my_reports(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_report(user):
        raise PermissionDenied
    reports = list(selectors.my_reports(user=user)[:100])
    return render(
        request,
        "studios/my_reports.html",
        {"reports": reports, "title": _("My reports"), "studio": user.studio},
    )
