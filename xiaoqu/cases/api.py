"""JSON endpoints of penalty cases (see xiaoqu.core.api): the list, a case with its events and
the moves the caller can make, and one POST per step of the procedure. Every step goes through
its service; a step the law or the rules do not allow answers 409 with the reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from xiaoqu.audit.services import record_events
from xiaoqu.intake.api import EventOut
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import Provision, ViolationType

from . import selectors, services
from .choices import OPEN_CASE_STATUSES
from .models import Case, Evidence, Execution
from .templatetags.cases_tags import mask_id_number
from .workflow import CASE_WORKFLOW

router = Router(tags=["penalty cases"])


class CaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    procedure: str
    lead_id: int
    subdistrict_id: int
    estate_id: int | None
    violation_type: str
    party_kind: str
    party_name: str
    party_uscc: str
    party_id_number: str = Field(description="masked: the region code and the last 4 characters")
    filed_at: dt.datetime
    decision_due_at: dt.datetime
    extension_days: int
    due_at: dt.datetime | None
    due_rule: str | None
    due_note: str
    overdue: bool
    review_status: str
    notice_penalty: str
    notice_fine: Decimal | None
    statement_until: dt.datetime | None
    hearing_right: bool
    decision_number: str
    penalty: str
    fine: Decimal | None
    served_at: dt.datetime | None
    payment_due: dt.datetime | None
    paid_amount: Decimal
    closed_at: dt.datetime | None
    closure_kind: str
    available_moves: list[str] = []


class EvidenceOut(Schema):
    id: int
    kind: str
    description: str
    collected_at: dt.datetime
    preservation_due: dt.datetime | None
    preservation_done_at: dt.datetime | None
    preservation_outcome: str


class ExecutionOut(Schema):
    id: int
    kind: str
    executed_at: dt.datetime
    amount: Decimal | None
    note: str


class PaymentOut(Schema):
    fine: Decimal
    paid: Decimal
    unpaid: Decimal
    late_fee: Decimal = Field(
        description="3 % of the unpaid fine a day after the due date, capped at the fine (art. 72)"
    )
    amount_due: Decimal
    days_late: int


class CaseDetailOut(CaseOut):
    facts: str
    provisions: list[str]
    party_representative: str
    party_address: str
    proposed_penalty: str
    proposed_fine: Decimal | None
    review_opinion: str
    statement: str
    waived_at: dt.datetime | None
    hearing_at: dt.datetime | None
    hearing_place: str
    hearing_record: str
    decided_at: dt.datetime | None
    decision_text: str
    out_of_range_reason: str
    closure_report: str
    payment: PaymentOut | None
    evidence: list[EvidenceOut]
    executions: list[ExecutionOut]
    events: list[EventOut]


class FileIn(Schema):
    party_kind: str = Field(description="person or organisation")
    party_name: str
    facts: str
    party_uscc: str = ""
    party_id_number: str = ""
    party_representative: str = ""
    party_address: str = ""
    party_phone: str = ""
    violation_type: str | None = Field(
        None, description="code of the violation type; the lead's by default"
    )
    provisions: list[int] = Field(
        [], description="ids of the provisions; the type's prohibitions and penalty by default"
    )


class SimplifiedIn(Schema):
    party_kind: str
    party_name: str
    facts: str
    penalty: str = Field(description="warning or fine")
    fine: Decimal | None = None
    party_uscc: str = ""
    party_id_number: str = ""
    party_address: str = ""
    decision_text: str = ""


class EvidenceIn(Schema):
    kind: str
    description: str
    collected_at: dt.datetime | None = None


class OutcomeIn(Schema):
    outcome: str


class PenaltyIn(Schema):
    penalty: str
    fine: Decimal | None = None


class ReviewIn(Schema):
    approve: bool
    opinion: str


class NoticeIn(PenaltyIn):
    served_at: dt.datetime | None = None
    renew_reason: str = Field("", description="given for a new notice replacing the last one")


class StatementIn(Schema):
    statement: str


class HearingRequestIn(Schema):
    requested_at: dt.datetime | None = None


class HearingScheduleIn(Schema):
    hearing_at: dt.datetime
    place: str


class HearingRecordIn(Schema):
    record: str
    held_at: dt.datetime | None = None


class DecideIn(PenaltyIn):
    decision_text: str
    out_of_range_reason: str = ""


class ServeIn(Schema):
    served_at: dt.datetime | None = None
    method: str = ""


class ExecutionIn(Schema):
    kind: str
    amount: Decimal | None = None
    executed_at: dt.datetime | None = None
    note: str = ""


class CloseIn(Schema):
    report: str


class ReasonIn(Schema):
    reason: str


class ExtensionIn(Schema):
    days: int
    reason: str


def _case_out(case: Case, user: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "procedure": case.procedure,
        "lead_id": case.lead_id,
        "subdistrict_id": case.subdistrict_id,
        "estate_id": case.estate_id,
        "violation_type": case.violation_type.code,
        "party_kind": case.party_kind,
        "party_name": case.party_name,
        "party_uscc": case.party_uscc,
        "party_id_number": mask_id_number(case.party_id_number),
        "filed_at": case.filed_at,
        "decision_due_at": case.decision_due_at,
        "extension_days": case.extension_days,
        "due_at": case.due_at,
        "due_rule": case.due_rule.code if case.due_rule else None,
        "due_note": case.due_note,
        "overdue": case.status in OPEN_CASE_STATUSES
        and case.due_at is not None
        and case.due_at < timezone.now(),
        "review_status": case.review_status,
        "notice_penalty": case.notice_penalty,
        "notice_fine": case.notice_fine,
        "statement_until": case.statement_until,
        "hearing_right": case.hearing_right,
        "decision_number": case.decision_number,
        "penalty": case.penalty,
        "fine": case.fine,
        "served_at": case.served_at,
        "payment_due": case.payment_due,
        "paid_amount": case.paid_amount,
        "closed_at": case.closed_at,
        "closure_kind": case.closure_kind,
        "available_moves": [m.name for m in CASE_WORKFLOW.available(case, user)],
    }


def _case_detail(case: Case, user: Any) -> dict[str, Any]:
    payment = selectors.case_payment(case)
    return {
        **_case_out(case, user),
        "facts": case.facts,
        "provisions": [str(p) for p in selectors.case_provisions(case=case)],
        "party_representative": case.party_representative,
        "party_address": case.party_address,
        "proposed_penalty": case.proposed_penalty,
        "proposed_fine": case.proposed_fine,
        "review_opinion": case.review_opinion,
        "statement": case.statement,
        "waived_at": case.waived_at,
        "hearing_at": case.hearing_at,
        "hearing_place": case.hearing_place,
        "hearing_record": case.hearing_record,
        "decided_at": case.decided_at,
        "decision_text": case.decision_text,
        "out_of_range_reason": case.out_of_range_reason,
        "closure_report": case.closure_report,
        "payment": None
        if payment is None
        else {
            "fine": payment.fine,
            "paid": payment.paid,
            "unpaid": payment.unpaid,
            "late_fee": payment.late_fee,
            "amount_due": payment.amount_due,
            "days_late": payment.days_late,
        },
        "evidence": selectors.case_evidence(case=case),
        "executions": selectors.case_executions(case=case),
        "events": list(record_events(case)),
    }


def _case(request: Any, case_id: int) -> Case:
    return get_object_or_404(selectors.case_list(user=request.user), pk=case_id)


def _lead(request: Any, lead_id: int) -> Lead:
    return get_object_or_404(Lead.objects.restrict(request.user), pk=lead_id)


def _detail(request: Any, case: Case) -> dict[str, Any]:
    return _case_detail(_case(request, case.pk), request.user)


@router.get("/cases", response=list[CaseOut], summary="Penalty cases in my jurisdiction")
@paginate(LimitOffsetPagination)
def case_list(
    request: Any,
    status: str | None = None,
    overdue: bool | None = None,
    lead_id: int | None = None,
) -> Any:
    qs = selectors.case_list(user=request.user)
    if status:
        qs = qs.filter(status=status)
    if lead_id:
        qs = qs.filter(lead_id=lead_id)
    if overdue is not None:
        late = {"status__in": OPEN_CASE_STATUSES, "due_at__lt": timezone.now()}
        qs = qs.filter(**late) if overdue else qs.exclude(**late)
    return [_case_out(case, request.user) for case in qs]


@router.get(
    "/cases/{case_id}",
    response=CaseDetailOut,
    summary="A case with its evidence, executions, payment and event chain",
)
def case_detail(request: Any, case_id: int) -> Any:
    return _case_detail(_case(request, case_id), request.user)


@router.post(
    "/leads/{lead_id}/cases",
    response={201: CaseDetailOut},
    summary="File a case (立案) from a lead verified on site",
)
def case_file(request: Any, lead_id: int, data: FileIn) -> Any:
    lead = _lead(request, lead_id)
    vt = (
        get_object_or_404(ViolationType.objects.effective(), code=data.violation_type)
        if data.violation_type
        else None
    )
    provisions = list(Provision.objects.filter(pk__in=data.provisions))
    case = services.case_file(
        lead=lead,
        actor=request.user,
        party_kind=data.party_kind,
        party_name=data.party_name,
        facts=data.facts,
        party_uscc=data.party_uscc,
        party_id_number=data.party_id_number,
        party_representative=data.party_representative,
        party_address=data.party_address,
        party_phone=data.party_phone,
        violation_type=vt,
        provisions=provisions,
    )
    return Status(201, _detail(request, case))


@router.post(
    "/leads/{lead_id}/cases/simplified",
    response={201: CaseDetailOut},
    summary="Simplified procedure (简易程序, art. 51): decided and served on the spot",
)
def case_simplified(request: Any, lead_id: int, data: SimplifiedIn) -> Any:
    case = services.case_simplified(
        lead=_lead(request, lead_id),
        actor=request.user,
        party_kind=data.party_kind,
        party_name=data.party_name,
        facts=data.facts,
        penalty=data.penalty,
        fine=data.fine,
        party_uscc=data.party_uscc,
        party_id_number=data.party_id_number,
        party_address=data.party_address,
        decision_text=data.decision_text,
    )
    return Status(201, _detail(request, case))


@router.post("/cases/{case_id}/evidence", response={201: EvidenceOut})
def evidence_add(request: Any, case_id: int, data: EvidenceIn) -> Any:
    item = services.evidence_add(
        case=_case(request, case_id),
        actor=request.user,
        kind=data.kind,
        description=data.description,
        collected_at=data.collected_at,
    )
    return Status(201, item)


@router.post(
    "/cases/{case_id}/evidence/{evidence_id}/resolve",
    response=EvidenceOut,
    summary="Deal with evidence registered for preservation (7 days, art. 56)",
)
def preservation_resolve(request: Any, case_id: int, evidence_id: int, data: OutcomeIn) -> Any:
    case = _case(request, case_id)
    item = get_object_or_404(Evidence.objects.filter(case=case), pk=evidence_id)
    return services.preservation_resolve(evidence=item, actor=request.user, outcome=data.outcome)


@router.post("/cases/{case_id}/review-request", response=CaseDetailOut)
def review_request(request: Any, case_id: int, data: PenaltyIn) -> Any:
    case = services.review_request(
        case=_case(request, case_id), actor=request.user, penalty=data.penalty, fine=data.fine
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/review", response=CaseDetailOut, summary="Legal review opinion")
def review_decide(request: Any, case_id: int, data: ReviewIn) -> Any:
    case = services.review_decide(
        case=_case(request, case_id),
        actor=request.user,
        approve=data.approve,
        opinion=data.opinion,
    )
    return _detail(request, case)


@router.post(
    "/cases/{case_id}/notice",
    response=CaseDetailOut,
    summary="Serve the advance notice (art. 44), or a new one with renew_reason",
)
def notice_issue(request: Any, case_id: int, data: NoticeIn) -> Any:
    case = services.notice_issue(
        case=_case(request, case_id),
        actor=request.user,
        penalty=data.penalty,
        fine=data.fine,
        served_at=data.served_at,
        renew_reason=data.renew_reason,
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/statement", response=CaseDetailOut)
def statement_record(request: Any, case_id: int, data: StatementIn) -> Any:
    case = services.statement_record(
        case=_case(request, case_id), actor=request.user, statement=data.statement
    )
    return _detail(request, case)


@router.post(
    "/cases/{case_id}/waiver",
    response=CaseDetailOut,
    summary="The party waived the statement and hearing in writing (art. 62)",
)
def waiver_record(request: Any, case_id: int) -> Any:
    case = services.waiver_record(case=_case(request, case_id), actor=request.user)
    return _detail(request, case)


@router.post("/cases/{case_id}/hearing-request", response=CaseDetailOut)
def hearing_request(request: Any, case_id: int, data: HearingRequestIn) -> Any:
    case = services.hearing_request(
        case=_case(request, case_id), actor=request.user, requested_at=data.requested_at
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/hearing-schedule", response=CaseDetailOut)
def hearing_schedule(request: Any, case_id: int, data: HearingScheduleIn) -> Any:
    case = services.hearing_schedule(
        case=_case(request, case_id),
        actor=request.user,
        hearing_at=data.hearing_at,
        place=data.place,
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/hearing-record", response=CaseDetailOut)
def hearing_record(request: Any, case_id: int, data: HearingRecordIn) -> Any:
    case = services.hearing_record(
        case=_case(request, case_id), actor=request.user, record=data.record, held_at=data.held_at
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/decide", response=CaseDetailOut, summary="The penalty decision")
def case_decide(request: Any, case_id: int, data: DecideIn) -> Any:
    case = services.case_decide(
        case=_case(request, case_id),
        actor=request.user,
        penalty=data.penalty,
        fine=data.fine,
        decision_text=data.decision_text,
        out_of_range_reason=data.out_of_range_reason,
    )
    return _detail(request, case)


@router.post(
    "/cases/{case_id}/serve",
    response=CaseDetailOut,
    summary="Service of the decision (7 days, art. 61)",
)
def decision_serve(request: Any, case_id: int, data: ServeIn) -> Any:
    case = services.decision_serve(
        case=_case(request, case_id),
        actor=request.user,
        served_at=data.served_at,
        method=data.method,
    )
    return _detail(request, case)


@router.post(
    "/cases/{case_id}/executions",
    response={201: ExecutionOut},
    summary="Record a payment, demolition, restoration or court application",
)
def execution_record(request: Any, case_id: int, data: ExecutionIn) -> Any:
    item: Execution = services.execution_record(
        case=_case(request, case_id),
        actor=request.user,
        kind=data.kind,
        amount=data.amount,
        executed_at=data.executed_at,
        note=data.note,
    )
    return Status(201, item)


@router.post("/cases/{case_id}/close", response=CaseDetailOut, summary="Closure with its report")
def case_close(request: Any, case_id: int, data: CloseIn) -> Any:
    case = services.case_close(case=_case(request, case_id), actor=request.user, report=data.report)
    return _detail(request, case)


@router.post("/cases/{case_id}/withdraw", response=CaseDetailOut, summary="Close without penalty")
def case_withdraw(request: Any, case_id: int, data: ReasonIn) -> Any:
    case = services.case_withdraw(
        case=_case(request, case_id), actor=request.user, reason=data.reason
    )
    return _detail(request, case)


@router.post("/cases/{case_id}/extension-request", response=CaseDetailOut)
def extension_request(request: Any, case_id: int, data: ExtensionIn) -> Any:
    case = services.extension_request(
        case=_case(request, case_id), actor=request.user, days=data.days, reason=data.reason
    )
    return _detail(request, case)


@router.post(
    "/cases/{case_id}/extension-approve",
    response=CaseDetailOut,
    summary="A leader extends the decision deadline (art. 60)",
)
def extension_approve(request: Any, case_id: int, data: ExtensionIn) -> Any:
    case = services.extension_approve(
        case=_case(request, case_id), actor=request.user, days=data.days, reason=data.reason
    )
    return _detail(request, case)


@router.post(
    "/cases/{case_id}/reopen",
    response=CaseDetailOut,
    summary="A leader reopens a closed case (counts as rework)",
)
def case_reopen(request: Any, case_id: int, data: ReasonIn) -> Any:
    case = services.case_reopen(
        case=_case(request, case_id), actor=request.user, reason=data.reason
    )
    return _detail(request, case)
