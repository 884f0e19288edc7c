"""The eight kinds of enforcement documents: which record each belongs to, its title and
number word, the stage of the record at which it exists, the date it bears, and the context
its template is filled with (built from the record, or from sample values for validation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from xiaoqu.cases.choices import CaseStatus
from xiaoqu.cases.models import Case
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.intake.models import Inspection, Lead
from xiaoqu.referrals.choices import AssistanceStatus, ReferralStatus
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import District

from .choices import DocumentKind
from .context import (
    ASSISTANCE,
    CLOSURE,
    EVIDENCE,
    EXECUTION,
    PENALTIES_WITH_FINE,
    PENALTY,
    PROCEDURE,
    amount_text,
    amount_upper,
    bureau_section,
    common_section,
    contact_section,
    date_zh,
    datetime_zh,
    district_section,
    lead_section,
    party_section,
    penalty_text,
    place_text,
    provision_item,
    provisions_section,
    sentence,
)
from .models import DocumentNumber
from .numbering import document_number_format

# The record a document belongs to, by the key used in URLs.
RECORD_MODELS: dict[str, type[models.Model]] = {
    "case": Case,
    "lead": Lead,
    "referral": Referral,
    "assistance": AssistanceRequest,
}


def record_key(record: models.Model) -> str:
    for key, model in RECORD_MODELS.items():
        if isinstance(record, model):
            return key
    raise ValueError(f"documents do not belong to {type(record).__name__}")


@dataclass(frozen=True)
class Kind:
    code: str
    title: str  # printed on the document: 行政处罚决定书
    word: str  # in its number: 普城管罚字〔2026〕第0001号
    record: str  # key of RECORD_MODELS
    refusal: Callable[[Any], str | None]  # why the record is not at the stage yet, or None
    act_at: Callable[[Any], dt.datetime | None]  # the act the document records: its date

    @property
    def label(self) -> str:
        return str(DocumentKind(self.code).label)

    def number_for(self, *, year: int, value: int) -> str:
        return document_number_format(word=self.word, year=year, value=value)


# ---------------------------------------------------------------------------------------------
# Stages


def _state(case: Case) -> str:
    return str(case.get_status_display())


def _filing_refusal(case: Case) -> str | None:
    return None  # a case exists from its filing


def _order_inspection(lead: Lead) -> Inspection | None:
    ordered = (
        Inspection.objects.filter(lead=lead, event__action="order_rectification")
        .select_related("officer")
        .order_by("-inspected_at", "-pk")
        .first()
    )
    return ordered or Inspection.objects.filter(lead=lead).order_by("-inspected_at", "-pk").first()


def _rectification_refusal(lead: Lead) -> str | None:
    title = KINDS[DocumentKind.RECTIFICATION_NOTICE].title
    if lead.rectification_due is None:
        return _(
            "No rectification has been ordered on lead %(lead)s: the %(title)s goes with the order."
        ) % {
            "lead": lead,
            "title": title,
        }
    if lead.violation_type_id is None:
        return _("Lead %(lead)s has no violation type: the %(title)s cites its provisions.") % {
            "lead": lead,
            "title": title,
        }
    return None


def _notice_refusal(case: Case) -> str | None:
    if case.notice_served_at is None or not case.notice_penalty:
        return _(
            "The advance notice of case %(case)s has not been issued (the case is “%(state)s”): record the notice, then generate the %(title)s."
        ) % {"case": case, "state": _state(case), "title": KINDS[DocumentKind.PENALTY_NOTICE].title}
    return None


def _hearing_refusal(case: Case) -> str | None:
    if case.hearing_at is None:
        return _(
            "No hearing has been scheduled in case %(case)s: the %(title)s gives its time and place."
        ) % {"case": case, "title": KINDS[DocumentKind.HEARING_NOTICE].title}
    return None


def _decision_refusal(case: Case) -> str | None:
    if case.decided_at is None or not case.decision_number:
        return _("No %(title)s before the penalty decision: case %(case)s is “%(state)s”.") % {
            "case": case,
            "state": _state(case),
            "title": KINDS[DocumentKind.PENALTY_DECISION].title,
        }
    return None


def _closure_refusal(case: Case) -> str | None:
    if case.status != CaseStatus.CLOSED:
        return _("No %(title)s before the case is closed: case %(case)s is “%(state)s”.") % {
            "case": case,
            "state": _state(case),
            "title": KINDS[DocumentKind.CLOSURE_REPORT].title,
        }
    return None


def _referral_refusal(referral: Referral) -> str | None:
    if referral.status == ReferralStatus.WITHDRAWN:
        return _("Referral %(referral)s was taken back by the bureau: no %(title)s.") % {
            "referral": referral,
            "title": KINDS[DocumentKind.REFERRAL_LETTER].title,
        }
    return None


def _assistance_refusal(request: AssistanceRequest) -> str | None:
    if request.status == AssistanceStatus.CANCELLED:
        return _("Assistance request %(request)s was cancelled: no %(title)s.") % {
            "request": request,
            "title": KINDS[DocumentKind.ASSISTANCE_NOTICE].title,
        }
    return None


def _order_at(lead: Lead) -> dt.datetime | None:
    inspection = _order_inspection(lead)
    return inspection.inspected_at if inspection else None


K = DocumentKind
KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(K.FILING_APPROVAL, "立案审批表", "立", "case", _filing_refusal, lambda c: c.filed_at),
        Kind(
            K.RECTIFICATION_NOTICE,
            "责令改正通知书",
            "责改",
            "lead",
            _rectification_refusal,
            _order_at,
        ),
        Kind(
            K.PENALTY_NOTICE,
            "行政处罚告知书",
            "告",
            "case",
            _notice_refusal,
            lambda c: c.notice_served_at,
        ),
        Kind(
            K.HEARING_NOTICE,
            "听证通知书",
            "听",
            "case",
            _hearing_refusal,
            lambda c: c.hearing_notified_at,
        ),
        Kind(
            K.PENALTY_DECISION,
            "行政处罚决定书",
            "罚",
            "case",
            _decision_refusal,
            lambda c: c.decided_at,
        ),
        Kind(K.REFERRAL_LETTER, "移送函", "移", "referral", _referral_refusal, lambda r: r.sent_at),
        Kind(
            K.ASSISTANCE_NOTICE,
            "协助通知书",
            "协",
            "assistance",
            _assistance_refusal,
            lambda a: a.sent_at,
        ),
        Kind(K.CLOSURE_REPORT, "结案报告", "结", "case", _closure_refusal, lambda c: c.closed_at),
    )
}


def kinds_for(record: models.Model) -> list[Kind]:
    key = record_key(record)
    return [k for k in KINDS.values() if k.record == key]


# ---------------------------------------------------------------------------------------------
# Contexts from records


def _bureau_department(district: District) -> Department | None:
    return Department.objects.filter(district=district, code="bureau").first()


def _bureau(district: District) -> dict[str, str]:
    """The bureau of the record's district (the department with code "bureau")."""
    bureau = _bureau_department(district)
    name = bureau.name if bureau else f"{district.name}城市管理行政执法局"
    if district.city and not name.startswith(district.city):
        name = f"{district.city}{name}"
    return bureau_section(
        name=name,
        short_name=(bureau.short_name if bureau else "") or "区城管执法局",
        address=bureau.address if bureau else "",
        phone=bureau.phone if bureau else "",
    )


def _contact(user: Any, district: District, subdistrict_id: int | None) -> dict[str, str]:
    """The officer who handles the record, with his phone or his team's or the bureau's, and
    the team's or the bureau's address."""
    team = (
        Department.objects.filter(
            district=district, subdistrict_id=subdistrict_id, kind=DepartmentKind.ENFORCEMENT_TEAM
        ).first()
        if subdistrict_id
        else None
    )
    bureau = _bureau_department(district)
    offices = [d for d in (team, bureau) if d is not None]
    return contact_section(
        name=_person(user),
        phone=next((p for p in [getattr(user, "phone", "")] + [d.phone for d in offices] if p), ""),
        address=next((d.address for d in offices if d.address), ""),
    )


def _district(district: District) -> dict[str, str]:
    return district_section(city=district.city, name=district.name)


def _person(user: Any) -> str:
    return str(user.name or user.username) if user is not None else ""


def _provisions(provisions: list[Any], penalty_provision_id: int | None) -> dict[str, Any]:
    items = [
        (p.pk, provision_item(statute=p.statute.title, article=p.article, text=p.text))
        for p in provisions
    ]
    violated = [item for pk, item in items if pk != penalty_provision_id]
    basis = [item for pk, item in items if pk == penalty_provision_id]
    return provisions_section(violated, basis or violated)


def _lead(lead: Lead) -> dict[str, str]:
    first = lead.complaints.order_by("received_at", "pk").first()
    return lead_section(
        number=lead.number,
        estate=lead.estate.name if lead.estate else "",
        address=lead.address,
        subdistrict=lead.subdistrict.name if lead.subdistrict else "",
        violation=lead.violation_type.name if lead.violation_type else "",
        summary=lead.summary,
        received_at=lead.received_at,
        channel=first.channel if first else "",
    )


def _fine(value: Decimal | None) -> tuple[str, str]:
    return (amount_text(value), amount_upper(value) if value is not None else "")


def _number_of(kind: str, record: models.Model) -> str:
    row = (
        DocumentNumber.objects.filter(
            kind=kind,
            record_type=ContentType.objects.get_for_model(record),
            record_id=record.pk,
        )
        .order_by("-assigned_at")
        .first()
    )
    return row.number if row else ""


def case_sections(
    *,
    case: dict[str, Any],
    party: dict[str, Any],
    provisions: dict[str, Any],
    evidence: list[dict[str, str]],
    notice: dict[str, Any],
    hearing: dict[str, str],
    decision: dict[str, Any],
    executions: list[dict[str, str]],
    closure: dict[str, str],
    contact: dict[str, str],
) -> dict[str, Any]:
    return {
        "contact": contact,
        "case": case,
        "party": party,
        **provisions,
        "evidence": evidence,
        "evidence_text": "、".join(dict.fromkeys(e["kind"] for e in evidence)),
        "notice": notice,
        "hearing": hearing,
        "decision": decision,
        "executions": executions,
        "closure": closure,
    }


def _notice_response(case: Case, you: str) -> str:
    if case.waived_at is not None:
        text = f"{you}于{date_zh(case.waived_at)}书面明确放弃陈述、申辩{'和听证' if case.hearing_right else ''}的权利。"
    elif case.statement_at is not None:
        text = f"{you}于{date_zh(case.statement_at)}提出了陈述、申辩意见，本局已对{you}提出的事实、理由和证据进行了复核。"
    else:
        text = f"{you}在规定期限内未提出陈述、申辩意见。"
    if case.hearing_held_at is not None:
        text += f"本局于{date_zh(case.hearing_held_at)}依法举行了听证。"
    return text


def case_context(case: Case) -> dict[str, Any]:
    vt = case.violation_type
    party = party_section(
        kind=case.party_kind,
        name=case.party_name,
        uscc=case.party_uscc,
        id_number=case.party_id_number,
        representative=case.party_representative,
        address=case.party_address,
        phone=case.party_phone,
    )
    lead = _lead(case.lead)
    notice_fine, notice_upper = _fine(case.notice_fine)
    fine, fine_upper = _fine(case.fine)
    return case_sections(
        case={
            "number": case.number,
            "cause": f"{case.party_name}涉嫌{vt.name}案",
            "violation": vt.name,
            "estate": case.estate.name if case.estate else "",
            "place": place_text(case.estate.name if case.estate else "", case.lead.address),
            "subdistrict": case.subdistrict.name,
            "facts": sentence(case.facts),
            "filed_date": date_zh(case.filed_at),
            "decision_due": date_zh(case.decision_due_at),
            "officer": _person(case.filed_by),
            "procedure": PROCEDURE.get(case.procedure, ""),
            "source": f"线索{lead['number']}" + (f"（{lead['source']}）" if lead["source"] else ""),
        },
        party=party,
        provisions=_provisions(
            list(case.provisions.select_related("statute")), vt.penalty_provision_id
        ),
        evidence=[
            {
                "kind": EVIDENCE.get(e.kind, e.kind),
                "description": e.description,
                "date": date_zh(e.collected_at),
            }
            for e in case.evidence.all()
        ],
        notice={
            "issued": case.notice_served_at is not None,
            "number": _number_of(DocumentKind.PENALTY_NOTICE, case),
            "penalty": PENALTY.get(case.notice_penalty, ""),
            "penalty_text": penalty_text(case.notice_penalty, case.notice_fine),
            "has_fine": case.notice_penalty in PENALTIES_WITH_FINE,
            "fine": notice_fine,
            "fine_upper": notice_upper,
            "served_date": date_zh(case.notice_served_at),
            "statement_until": date_zh(case.statement_until),
            "hearing_right": case.hearing_right,
            "waived_date": date_zh(case.waived_at),
            "statement": case.statement,
            "statement_date": date_zh(case.statement_at),
            "response": _notice_response(case, party["you"]),
        },
        hearing={
            "requested_date": date_zh(case.hearing_requested_at),
            "datetime": datetime_zh(case.hearing_at),
            "place": case.hearing_place,
            "notified_date": date_zh(case.hearing_notified_at),
            "held_date": date_zh(case.hearing_held_at),
            "record": case.hearing_record,
        },
        decision={
            "number": case.decision_number,
            "date": date_zh(case.decided_at),
            "penalty": PENALTY.get(case.penalty, ""),
            "penalty_text": penalty_text(case.penalty, case.fine),
            "has_fine": case.penalty in PENALTIES_WITH_FINE,
            "fine": fine,
            "fine_upper": fine_upper,
            "text": sentence(case.decision_text),
            "out_of_range_reason": sentence(case.out_of_range_reason),
            "served_date": date_zh(case.served_at),
            "service_method": case.service_method,
            "payment_due": date_zh(case.payment_due),
        },
        executions=[
            {
                "kind": EXECUTION.get(x.kind, x.kind),
                "date": date_zh(x.executed_at),
                "amount": amount_text(x.amount),
                "note": x.note,
            }
            for x in case.executions.all()
        ],
        closure={
            "date": date_zh(case.closed_at),
            "kind": CLOSURE.get(case.closure_kind, ""),
            "report": sentence(case.closure_report),
            "paid": amount_text(case.paid_amount),
        },
        contact=_contact(case.filed_by, case.district, case.subdistrict_id),
    )


def lead_sections(
    *,
    lead: dict[str, str],
    party: dict[str, Any],
    order: dict[str, str],
    provisions: dict[str, Any],
    contact: dict[str, str],
) -> dict[str, Any]:
    return {"lead": lead, "party": party, "order": order, **provisions, "contact": contact}


def lead_context(lead: Lead) -> dict[str, Any]:
    inspection = _order_inspection(lead)
    named = (
        inspection
        if inspection is not None and inspection.party_name
        else Inspection.objects.filter(lead=lead)
        .exclude(party_name="")
        .order_by("-inspected_at", "-pk")
        .first()
    )
    vt = lead.violation_type
    provisions = (
        list(vt.prohibitions.select_related("statute"))
        + ([vt.penalty_provision] if vt.penalty_provision else [])
        if vt
        else []
    )
    return lead_sections(
        lead=_lead(lead),
        party=party_section(
            kind=named.party_kind if named else "unknown",
            name=named.party_name if named else "",
            uscc=named.party_uscc if named else "",
        ),
        order={
            "date": date_zh(inspection.inspected_at if inspection else None),
            "place": place_text(
                lead.estate.name if lead.estate else "",
                inspection.place if inspection else lead.address,
            ),
            "findings": sentence(inspection.findings if inspection else lead.summary),
            "rectify_by": date_zh(lead.rectification_due),
            "officer": _person(inspection.officer if inspection else None),
        },
        provisions=_provisions(provisions, vt.penalty_provision_id if vt else None),
        contact=_contact(
            inspection.officer if inspection else None, lead.district, lead.subdistrict_id
        ),
    )


def referral_context(referral: Referral) -> dict[str, Any]:
    return {
        "lead": _lead(referral.lead),
        "referral": {
            "number": referral.number,
            "department": referral.department.name,
            "matter": sentence(referral.matter),
            "sent_date": date_zh(referral.sent_at),
            "sender": _person(referral.sent_by),
            "due_date": date_zh(referral.due_at),
        },
        "contact": _contact(referral.sent_by, referral.lead.district, referral.lead.subdistrict_id),
    }


def assistance_context(request: AssistanceRequest) -> dict[str, Any]:
    return {
        "lead": _lead(request.lead),
        "assistance": {
            "number": request.number,
            "department": request.department.name,
            "kind": ASSISTANCE.get(request.kind, ASSISTANCE["other"]),
            "request": sentence(request.request),
            "sent_date": date_zh(request.sent_at),
            "sender": _person(request.sent_by),
            "due_date": date_zh(request.due_at),
        },
        "contact": _contact(request.sent_by, request.lead.district, request.lead.subdistrict_id),
    }


RECORD_CONTEXTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "case": case_context,
    "lead": lead_context,
    "referral": referral_context,
    "assistance": assistance_context,
}


def record_district(record: Any) -> District:
    return record.district if hasattr(record, "district") else record.lead.district


def context_for(kind: Kind, record: Any, *, number: str, at: dt.datetime) -> dict[str, Any]:
    """The context of `kind` for `record`: its number, title, date, the bureau and the record."""
    district = record_district(record)
    return {
        **common_section(
            number=number,
            title=kind.title,
            date=kind.act_at(record) or at,
            bureau=_bureau(district),
            district=_district(district),
        ),
        **RECORD_CONTEXTS[kind.record](record),
    }


# ---------------------------------------------------------------------------------------------
# Sample contexts: the same sections with sample values, to validate uploaded templates and to
# show administrators the fields they can use.

SAMPLE_AT = dt.datetime(2026, 3, 16, 10, 0, tzinfo=dt.UTC)
SAMPLE_BUREAU = bureau_section(
    name="上海市普陀区城市管理行政执法局",
    short_name="区城管执法局",
    address="上海市普陀区示例路100号",
    phone="021-00000000",
)
SAMPLE_LEAD = lead_section(
    number="XS-2026-000001",
    estate="示例花园",
    address="示例路100弄3号楼",
    subdistrict="示例街道",
    violation="占用住宅小区共用部位",
    summary="3号楼楼道被占用堆物",
    received_at=SAMPLE_AT,
    channel="hotline",
)
SAMPLE_CONTACT = contact_section(
    name="李执法", phone="021-00000001", address="上海市普陀区示例路200号"
)
SAMPLE_PROVISIONS = provisions_section(
    [
        provision_item(
            statute="上海市住宅物业管理规定", article="56(2)(4)", text="占用、损坏物业共用部分。"
        )
    ],
    [
        provision_item(
            statute="上海市住宅物业管理规定",
            article="85",
            text="由城管执法部门责令改正，恢复原状，可处一千元以上一万元以下的罚款。",
        )
    ],
)


def _sample_party() -> dict[str, Any]:
    return party_section(
        kind="person",
        name="张某",
        id_number="310107199001010000",
        address="示例路100弄3号101室",
        phone="13800000000",
    )


def sample_case() -> dict[str, Any]:
    fine = Decimal("1500")
    return case_sections(
        case={
            "number": "AJ-2026-000001",
            "cause": "张某涉嫌占用住宅小区共用部位案",
            "violation": "占用住宅小区共用部位",
            "estate": "示例花园",
            "place": "示例花园示例路100弄3号楼",
            "subdistrict": "示例街道",
            "facts": "张某在3号楼楼道堆放杂物，经责令未改正。",
            "filed_date": date_zh(SAMPLE_AT),
            "decision_due": date_zh(SAMPLE_AT + dt.timedelta(days=90)),
            "officer": "李执法",
            "procedure": PROCEDURE["general"],
            "source": "线索XS-2026-000001（12345市民服务热线）",
        },
        party=_sample_party(),
        provisions=SAMPLE_PROVISIONS,
        evidence=[{"kind": EVIDENCE["inquiry"], "description": "询问笔录", "date": "2026年3月4日"}],
        notice={
            "issued": True,
            "number": "普城管告字〔2026〕第0001号",
            "penalty": PENALTY["fine"],
            "penalty_text": penalty_text("fine", Decimal("2000")),
            "has_fine": True,
            "fine": "2000",
            "fine_upper": amount_upper(Decimal("2000")),
            "served_date": "2026年3月5日",
            "statement_until": "2026年3月10日",
            "hearing_right": True,
            "waived_date": "",
            "statement": "当事人称已清理一部分。",
            "statement_date": "2026年3月6日",
            "response": "你于2026年3月6日提出了陈述、申辩意见，本局已对你提出的事实、理由和证据进行了复核。",
        },
        hearing={
            "requested_date": "2026年3月6日",
            "datetime": "2026年3月24日14时00分",
            "place": "执法队会议室",
            "notified_date": "2026年3月11日",
            "held_date": "2026年3月24日",
            "record": "听证笔录",
        },
        decision={
            "number": "普城管罚字〔2026〕第0001号",
            "date": date_zh(SAMPLE_AT),
            "penalty": PENALTY["fine"],
            "penalty_text": penalty_text("fine", fine),
            "has_fine": True,
            "fine": amount_text(fine),
            "fine_upper": amount_upper(fine),
            "text": "当事人主动清理部分堆物，依法从轻处罚。",
            "out_of_range_reason": "",
            "served_date": "2026年3月17日",
            "service_method": "直接送达",
            "payment_due": "2026年4月1日",
        },
        executions=[
            {"kind": EXECUTION["payment"], "date": "2026年3月20日", "amount": "1500", "note": ""}
        ],
        closure={
            "date": "2026年3月21日",
            "kind": CLOSURE["executed"],
            "report": "罚款已缴清，违法行为已改正。",
            "paid": "1500",
        },
        contact=SAMPLE_CONTACT,
    )


def sample_lead() -> dict[str, Any]:
    return lead_sections(
        lead=SAMPLE_LEAD,
        party=_sample_party(),
        order={
            "date": "2026年3月2日",
            "place": "示例花园3号楼",
            "findings": "3号楼楼道堆放杂物，占用共用部位。",
            "rectify_by": "2026年3月9日",
            "officer": "李执法",
        },
        provisions=SAMPLE_PROVISIONS,
        contact=SAMPLE_CONTACT,
    )


def sample_referral() -> dict[str, Any]:
    return {
        "lead": SAMPLE_LEAD,
        "referral": {
            "number": "YJ-2026-000001",
            "department": "普陀区房屋管理局",
            "matter": "物业服务企业未履行物业服务合同，请依法处理。",
            "sent_date": date_zh(SAMPLE_AT),
            "sender": "王调度",
            "due_date": "2026年3月19日",
        },
        "contact": SAMPLE_CONTACT,
    }


def sample_assistance() -> dict[str, Any]:
    return {
        "lead": SAMPLE_LEAD,
        "assistance": {
            "number": "XZ-2026-000001",
            "department": "普陀区绿化和市容管理局",
            "kind": ASSISTANCE["greenery_identification"],
            "request": "请对示例花园3号楼南侧绿地损坏情况进行认定。",
            "sent_date": date_zh(SAMPLE_AT),
            "sender": "李执法",
            "due_date": "2026年3月26日",
        },
        "contact": SAMPLE_CONTACT,
    }


SAMPLE_CONTEXTS: dict[str, Callable[[], dict[str, Any]]] = {
    "case": sample_case,
    "lead": sample_lead,
    "referral": sample_referral,
    "assistance": sample_assistance,
}


def sample_context(kind: Kind) -> dict[str, Any]:
    return {
        **common_section(
            number=kind.number_for(year=2026, value=1),
            title=kind.title,
            date=SAMPLE_AT,
            bureau=SAMPLE_BUREAU,
            district=district_section(city="上海市", name="普陀区"),
        ),
        **SAMPLE_CONTEXTS[kind.record](),
    }
