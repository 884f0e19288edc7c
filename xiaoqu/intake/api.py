"""JSON endpoints of complaints and leads (see xiaoqu.core.api)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from xiaoqu.audit.services import mask_phone, record_events
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from . import services
from .models import Complaint, Lead
from .workflow import LEAD_WORKFLOW

router = Router(tags=["complaints and leads"])


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor: str = Field(alias="actor_label")
    action: str
    from_state: str
    to_state: str
    reason: str
    data: dict[str, Any]
    hash: str


class ComplaintOut(Schema):
    id: int
    number: str
    channel: str
    external_no: str
    received_at: dt.datetime
    content: str
    address: str
    estate_id: int | None
    subdistrict_id: int | None
    violation_type: str | None
    reporter_name: str
    reporter_phone: str
    lead_id: int | None
    is_repeat: bool
    reply_due_at: dt.datetime | None
    replied_at: dt.datetime | None


class ComplaintIn(Schema):
    channel: str
    content: str
    received_at: dt.datetime | None = None
    external_no: str = ""
    address: str = ""
    estate_id: int | None = None
    subdistrict_id: int | None = None
    violation_type: str | None = Field(
        None, description="code of the violation type, e.g. illegal_construction"
    )
    ongoing: bool = False
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False
    dissuaded_at: dt.datetime | None = None
    dissuasion: str = ""


class LeadOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    estate_id: int | None
    subdistrict_id: int | None
    violation_type: str | None
    summary: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    due_rule: str | None
    overdue: bool
    complaint_count: int
    outcome: str
    available_moves: list[str] = []


class LeadDetailOut(LeadOut):
    events: list[EventOut]


class Reason(Schema):
    reason: str


class VisitIn(Schema):
    inspected_at: dt.datetime
    place: str
    findings: str
    violation_found: bool = True
    party_kind: str = "unknown"
    party_name: str = ""
    party_uscc: str = ""


class CloseIn(VisitIn):
    reason: str


class RectifyIn(VisitIn):
    rectify_by: dt.date


class ReinspectIn(VisitIn):
    corrected: bool


class DispatchIn(Schema):
    subdistrict_id: int | None = None


class ReferIn(Schema):
    department_id: int
    matter: str
    target_code: str = ""


class AssistanceIn(Schema):
    department_id: int
    kind: str
    request: str


class ReplyIn(Schema):
    text: str


def _complaint_out(c: Complaint, user: Any) -> dict[str, Any]:
    # The phone number is always masked here; /complaints/{id}/contact reveals it and records it.
    phone = mask_phone(c.reporter_phone)
    return {
        "id": c.pk,
        "number": c.number,
        "channel": c.channel,
        "external_no": c.external_no,
        "received_at": c.received_at,
        "content": c.content,
        "address": c.address,
        "estate_id": c.estate_id,
        "subdistrict_id": c.subdistrict_id,
        "violation_type": c.violation_type.code if c.violation_type else None,
        "reporter_name": c.reporter_name,
        "reporter_phone": phone,
        "lead_id": c.lead_id,
        "is_repeat": c.is_repeat,
        "reply_due_at": c.reply_due_at,
        "replied_at": c.replied_at,
    }


def _lead_out(lead: Lead, user: Any) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "number": lead.number,
        "status": lead.status,
        "status_label": lead.get_status_display(),
        "estate_id": lead.estate_id,
        "subdistrict_id": lead.subdistrict_id,
        "violation_type": lead.violation_type.code if lead.violation_type else None,
        "summary": lead.summary,
        "received_at": lead.received_at,
        "due_at": lead.due_at,
        "due_rule": lead.due_rule.code if lead.due_rule else None,
        "overdue": lead.overdue_at is not None,
        "complaint_count": lead.complaint_count,
        "outcome": lead.outcome,
        "available_moves": [m.name for m in LEAD_WORKFLOW.available(lead, user)],
    }


def _leads(request: Any) -> Any:
    return Lead.objects.restrict(request.user).select_related("violation_type", "due_rule")


def _lead(request: Any, lead_id: int) -> Lead:
    return get_object_or_404(_leads(request), pk=lead_id)


def _visit(data: VisitIn) -> services.Visit:
    return services.Visit(
        inspected_at=data.inspected_at,
        place=data.place,
        findings=data.findings,
        violation_found=data.violation_found,
        party_kind=data.party_kind,
        party_name=data.party_name,
        party_uscc=data.party_uscc,
    )


@router.get("/complaints", response=list[ComplaintOut], summary="Complaints in my jurisdiction")
@paginate(LimitOffsetPagination)
def complaint_list(request: Any, channel: str | None = None, lead_id: int | None = None) -> Any:
    qs = Complaint.objects.restrict(request.user).select_related("violation_type", "lead")
    if channel:
        qs = qs.filter(channel=channel)
    if lead_id:
        qs = qs.filter(lead_id=lead_id)
    return [_complaint_out(c, request.user) for c in qs]


@router.post("/complaints", response={201: ComplaintOut}, summary="Record a complaint")
def complaint_create(request: Any, data: ComplaintIn) -> Any:
    estate = (
        get_object_or_404(Estate.objects.restrict(request.user), pk=data.estate_id)
        if data.estate_id
        else None
    )
    subdistrict = (
        get_object_or_404(Subdistrict.objects.restrict(request.user), pk=data.subdistrict_id)
        if data.subdistrict_id
        else None
    )
    vt = (
        get_object_or_404(ViolationType.objects.effective(), code=data.violation_type)
        if data.violation_type
        else None
    )
    complaint = services.complaint_create(
        actor=request.user,
        channel=data.channel,
        content=data.content,
        received_at=data.received_at,
        external_no=data.external_no,
        address=data.address,
        estate=estate,
        subdistrict=subdistrict,
        violation_type=vt,
        ongoing=data.ongoing,
        reporter_name=data.reporter_name,
        reporter_phone=data.reporter_phone,
        anonymous=data.anonymous,
        dissuaded_at=data.dissuaded_at,
        dissuasion=data.dissuasion,
    )
    return Status(201, _complaint_out(complaint, request.user))


@router.get("/complaints/{complaint_id}", response=ComplaintOut)
def complaint_detail(request: Any, complaint_id: int) -> Any:
    return _complaint_out(
        get_object_or_404(Complaint.objects.restrict(request.user), pk=complaint_id), request.user
    )


@router.post(
    "/complaints/{complaint_id}/reply",
    response=ComplaintOut,
    summary="Record the reply to the reporter",
)
def complaint_reply(request: Any, complaint_id: int, data: ReplyIn) -> Any:
    complaint = get_object_or_404(Complaint.objects.restrict(request.user), pk=complaint_id)
    return _complaint_out(
        services.complaint_reply(complaint=complaint, actor=request.user, text=data.text),
        request.user,
    )


class ContactOut(Schema):
    reporter_name: str
    reporter_phone: str


@router.post(
    "/complaints/{complaint_id}/contact",
    response=ContactOut,
    summary="The reporter's full phone number (recorded), for those who call back",
)
def complaint_contact(request: Any, complaint_id: int) -> Any:
    complaint = get_object_or_404(
        Complaint.objects.restrict(request.user).select_related("lead"), pk=complaint_id
    )
    phone = services.complaint_contact_reveal(
        complaint=complaint, user=request.user, ip_address=request.META.get("REMOTE_ADDR")
    )
    return {"reporter_name": complaint.reporter_name, "reporter_phone": phone}


@router.get("/leads", response=list[LeadOut], summary="Leads in my jurisdiction")
@paginate(LimitOffsetPagination)
def lead_list(request: Any, status: str | None = None, overdue: bool | None = None) -> Any:
    qs = _leads(request)
    if status:
        qs = qs.filter(status=status)
    if overdue is not None:
        qs = qs.filter(overdue_at__isnull=not overdue)
    return [_lead_out(lead, request.user) for lead in qs]


@router.get("/leads/{lead_id}", response=LeadDetailOut, summary="A lead with its event chain")
def lead_detail(request: Any, lead_id: int) -> Any:
    lead = _lead(request, lead_id)
    return {**_lead_out(lead, request.user), "events": list(record_events(lead))}


@router.post("/leads/{lead_id}/dispatch", response=LeadOut)
def lead_dispatch(request: Any, lead_id: int, data: DispatchIn) -> Any:
    subdistrict = (
        get_object_or_404(Subdistrict.objects.all(), pk=data.subdistrict_id)
        if data.subdistrict_id
        else None
    )
    return _lead_out(
        services.lead_dispatch(
            lead=_lead(request, lead_id), actor=request.user, subdistrict=subdistrict
        ),
        request.user,
    )


@router.post("/leads/{lead_id}/return", response=LeadOut, summary="Return to the dispatcher")
def lead_return(request: Any, lead_id: int, data: Reason) -> Any:
    return _lead_out(
        services.lead_return(lead=_lead(request, lead_id), actor=request.user, reason=data.reason),
        request.user,
    )


@router.post("/leads/{lead_id}/visit", response=LeadOut, summary="Record an on-site visit")
def lead_visit(request: Any, lead_id: int, data: VisitIn) -> Any:
    lead = services.lead_record_visit(
        lead=_lead(request, lead_id), actor=request.user, visit=_visit(data)
    )
    return _lead_out(lead, request.user)


@router.post("/leads/{lead_id}/close-no-violation", response=LeadOut)
def lead_close_no_violation(request: Any, lead_id: int, data: CloseIn) -> Any:
    lead = services.lead_close_no_violation(
        lead=_lead(request, lead_id), actor=request.user, visit=_visit(data), reason=data.reason
    )
    return _lead_out(lead, request.user)


@router.post("/leads/{lead_id}/order-rectification", response=LeadOut)
def lead_order_rectification(request: Any, lead_id: int, data: RectifyIn) -> Any:
    lead = services.lead_order_rectification(
        lead=_lead(request, lead_id),
        actor=request.user,
        visit=_visit(data),
        rectify_by=data.rectify_by,
    )
    return _lead_out(lead, request.user)


@router.post("/leads/{lead_id}/reinspect", response=LeadOut)
def lead_reinspect(request: Any, lead_id: int, data: ReinspectIn) -> Any:
    lead = services.lead_reinspect(
        lead=_lead(request, lead_id),
        actor=request.user,
        visit=_visit(data),
        corrected=data.corrected,
    )
    return _lead_out(lead, request.user)


@router.post("/leads/{lead_id}/hand-to-filing", response=LeadOut)
def lead_hand_to_filing(request: Any, lead_id: int, data: Reason) -> Any:
    return _lead_out(
        services.lead_hand_to_filing(
            lead=_lead(request, lead_id), actor=request.user, reason=data.reason
        ),
        request.user,
    )


@router.post("/leads/{lead_id}/reopen", response=LeadOut)
def lead_reopen(request: Any, lead_id: int, data: Reason) -> Any:
    return _lead_out(
        services.lead_reopen(lead=_lead(request, lead_id), actor=request.user, reason=data.reason),
        request.user,
    )


@router.post(
    "/leads/{lead_id}/refer",
    response={201: dict[str, Any]},
    summary="Refer to the competent department",
)
def lead_refer(request: Any, lead_id: int, data: ReferIn) -> Any:
    from xiaoqu.referrals.services import lead_refer as refer

    lead = _lead(request, lead_id)
    department = get_object_or_404(
        Department.objects.filter(district_id=lead.district_id), pk=data.department_id
    )
    referral = refer(
        lead=lead,
        actor=request.user,
        department=department,
        matter=data.matter,
        target_code=data.target_code,
    )
    return Status(
        201,
        {
            "id": referral.pk,
            "number": referral.number,
            "status": referral.status,
            "due_at": referral.due_at,
        },
    )


@router.post(
    "/leads/{lead_id}/request-assistance",
    response={201: dict[str, Any]},
    summary="Ask a department for assistance",
)
def lead_request_assistance(request: Any, lead_id: int, data: AssistanceIn) -> Any:
    from xiaoqu.referrals.services import lead_request_assistance as ask

    lead = _lead(request, lead_id)
    department = get_object_or_404(
        Department.objects.filter(district_id=lead.district_id), pk=data.department_id
    )
    item = ask(
        lead=lead, actor=request.user, department=department, kind=data.kind, request=data.request
    )
    return Status(
        201, {"id": item.pk, "number": item.number, "status": item.status, "due_at": item.due_at}
    )
