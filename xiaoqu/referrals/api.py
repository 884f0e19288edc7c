"""JSON endpoints of referrals and assistance requests (see xiaoqu.core.api)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from xiaoqu.audit.services import record_events
from xiaoqu.departments.models import Department
from xiaoqu.intake.api import EventOut

from . import services
from .models import AssistanceRequest, Referral
from .workflow import ASSISTANCE_WORKFLOW, REFERRAL_WORKFLOW

router = Router(tags=["referrals and assistance"])


class ReferralOut(Schema):
    id: int
    number: str
    status: str
    lead_id: int
    lead_number: str
    department_id: int
    matter: str
    sent_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    answer: str
    return_reason: str
    available_moves: list[str] = []


class ReferralDetailOut(ReferralOut):
    events: list[EventOut]


class AssistanceOut(Schema):
    id: int
    number: str
    status: str
    lead_id: int
    lead_number: str
    department_id: int
    kind: str
    request: str
    sent_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool
    answer: str
    available_moves: list[str] = []


class AssistanceDetailOut(AssistanceOut):
    events: list[EventOut]


class TextIn(Schema):
    text: str


class RedirectIn(Schema):
    department_id: int
    matter: str = ""


def _referral_out(r: Referral, user: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "status": r.status,
        "lead_id": r.lead_id,
        "lead_number": r.lead.number,
        "department_id": r.department_id,
        "matter": r.matter,
        "sent_at": r.sent_at,
        "due_at": r.due_at,
        "overdue": r.overdue_at is not None,
        "answer": r.answer,
        "return_reason": r.return_reason,
        "available_moves": [m.name for m in REFERRAL_WORKFLOW.available(r, user)],
    }


def _assistance_out(a: AssistanceRequest, user: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "status": a.status,
        "lead_id": a.lead_id,
        "lead_number": a.lead.number,
        "department_id": a.department_id,
        "kind": a.kind,
        "request": a.request,
        "sent_at": a.sent_at,
        "due_at": a.due_at,
        "overdue": a.overdue_at is not None,
        "answer": a.answer,
        "available_moves": [m.name for m in ASSISTANCE_WORKFLOW.available(a, user)],
    }


def _referral(request: Any, pk: int) -> Referral:
    return get_object_or_404(Referral.objects.restrict(request.user).select_related("lead"), pk=pk)


def _assistance(request: Any, pk: int) -> AssistanceRequest:
    return get_object_or_404(
        AssistanceRequest.objects.restrict(request.user).select_related("lead"), pk=pk
    )


@router.get(
    "/referrals",
    response=list[ReferralOut],
    summary="Referrals in my jurisdiction (a liaison: to my department)",
)
@paginate(LimitOffsetPagination)
def referral_list(request: Any, status: str | None = None) -> Any:
    qs = Referral.objects.restrict(request.user).select_related("lead")
    if status:
        qs = qs.filter(status=status)
    return [_referral_out(r, request.user) for r in qs]


@router.get("/referrals/{referral_id}", response=ReferralDetailOut)
def referral_detail(request: Any, referral_id: int) -> Any:
    referral = _referral(request, referral_id)
    return {**_referral_out(referral, request.user), "events": list(record_events(referral))}


@router.post("/referrals/{referral_id}/receive", response=ReferralOut)
def referral_receive(request: Any, referral_id: int) -> Any:
    return _referral_out(
        services.referral_receive(referral=_referral(request, referral_id), actor=request.user),
        request.user,
    )


@router.post("/referrals/{referral_id}/answer", response=ReferralOut)
def referral_answer(request: Any, referral_id: int, data: TextIn) -> Any:
    referral = services.referral_answer(
        referral=_referral(request, referral_id), actor=request.user, answer=data.text
    )
    return _referral_out(referral, request.user)


@router.post("/referrals/{referral_id}/return", response=ReferralOut, summary="Return: not ours")
def referral_return(request: Any, referral_id: int, data: TextIn) -> Any:
    referral = services.referral_return(
        referral=_referral(request, referral_id), actor=request.user, reason=data.text
    )
    return _referral_out(referral, request.user)


@router.post("/referrals/{referral_id}/resend", response=ReferralOut)
def referral_resend(request: Any, referral_id: int, data: TextIn) -> Any:
    referral = services.referral_resend(
        referral=_referral(request, referral_id), actor=request.user, reason=data.text
    )
    return _referral_out(referral, request.user)


@router.post(
    "/referrals/{referral_id}/withdraw", response=ReferralOut, summary="Take the matter back"
)
def referral_withdraw(request: Any, referral_id: int, data: TextIn) -> Any:
    referral = services.referral_withdraw(
        referral=_referral(request, referral_id), actor=request.user, reason=data.text
    )
    return _referral_out(referral, request.user)


@router.post(
    "/referrals/{referral_id}/redirect",
    response={201: ReferralOut},
    summary="Refer to another department",
)
def referral_redirect(request: Any, referral_id: int, data: RedirectIn) -> Any:
    referral = _referral(request, referral_id)
    department = get_object_or_404(
        Department.objects.filter(district_id=referral.lead.district_id), pk=data.department_id
    )
    new = services.referral_redirect(
        referral=referral, actor=request.user, department=department, matter=data.matter
    )
    return Status(201, _referral_out(new, request.user))


@router.get(
    "/assistance", response=list[AssistanceOut], summary="Assistance requests in my jurisdiction"
)
@paginate(LimitOffsetPagination)
def assistance_list(request: Any, status: str | None = None) -> Any:
    qs = AssistanceRequest.objects.restrict(request.user).select_related("lead")
    if status:
        qs = qs.filter(status=status)
    return [_assistance_out(a, request.user) for a in qs]


@router.get("/assistance/{request_id}", response=AssistanceDetailOut)
def assistance_detail(request: Any, request_id: int) -> Any:
    item = _assistance(request, request_id)
    return {**_assistance_out(item, request.user), "events": list(record_events(item))}


@router.post("/assistance/{request_id}/receive", response=AssistanceOut)
def assistance_receive(request: Any, request_id: int) -> Any:
    return _assistance_out(
        services.assistance_receive(request=_assistance(request, request_id), actor=request.user),
        request.user,
    )


@router.post("/assistance/{request_id}/answer", response=AssistanceOut)
def assistance_answer(request: Any, request_id: int, data: TextIn) -> Any:
    item = services.assistance_answer(
        request=_assistance(request, request_id), actor=request.user, answer=data.text
    )
    return _assistance_out(item, request.user)


@router.post("/assistance/{request_id}/cancel", response=AssistanceOut)
def assistance_cancel(request: Any, request_id: int, data: TextIn) -> Any:
    item = services.assistance_cancel(
        request=_assistance(request, request_id), actor=request.user, reason=data.text
    )
    return _assistance_out(item, request.user)
