"""The case pages: who may open them, every step's form posting through to its service (the
state changes, or the refusal is shown in place with its article), the queues, the lead page's
entry points and the officer's to-do."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoqu.audit.services import record_attachments, record_events
from xiaoqu.cases import services
from xiaoqu.cases.choices import (
    CaseStatus,
    ClosureKind,
    EvidenceKind,
    ExecutionKind,
    PartyKind,
    PenaltyKind,
    Procedure,
    ReviewStatus,
)
from xiaoqu.cases.models import Case, Evidence
from xiaoqu.cases.tests.factories import decided, executing, filed, notified, verified_lead, vt
from xiaoqu.conftest import World
from xiaoqu.intake.choices import LeadStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
USERS = [
    "admin",
    "dispatcher",
    "leader",
    "legal",
    "officer_a",
    "officer_b",
    "manager_a",
    "liaison",
    "clerk_a",
    "clerk_b",
    "member_a",
]


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def now_text(minutes: int = 0) -> str:
    return local(timezone.now() + dt.timedelta(minutes=minutes))


def htmx_post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, HTTP_HX_REQUEST="true")


def move(client: Client, case: Case, name: str, data: dict[str, Any] | None = None) -> Any:
    """Post a move's inline form as the page does (HTMX)."""
    return htmx_post(client, reverse("cases:case_action", args=[case.pk, name]), data or {})


def refusal_of(response: Any) -> str:
    html = response.content.decode()
    assert 'data-testid="refusal"' in html, html[:2000]
    start = html.index('data-testid="refusal"')
    return html[start : html.index("</div>", start)]


def cites(text: str, article: int, chinese: str) -> bool:
    """Whether a refusal cites the article, in English (source) or Chinese (translated)."""
    return f"article {article}" in text or f"articles {article}" in text or chinese in text


def done(response: Any, case: Case) -> None:
    assert response.status_code == 200, response.content[:500]
    assert response.get("HX-Redirect") == case.get_absolute_url(), response.content.decode()[:3000]


# ---------------------------------------------------------------------------------------------
# Who may open which page


def test_pages_by_role(catalog: World):
    case = filed(catalog)
    lead = verified_lead(catalog, content="另一处楼道堆物")
    pages = {
        "cases:case_list": ([], {"dispatcher", "leader", "admin", "legal", "officer_a", "officer_b", "manager_a"}),
        "cases:case_detail": ([case.pk], {"dispatcher", "leader", "admin", "legal", "officer_a", "manager_a"}),
        "cases:review_queue": ([], {"legal"}),
        "cases:approvals": ([], {"leader"}),
        "cases:case_file": ([lead.pk], {"officer_a"}),
        "cases:case_simplified": ([lead.pk], {"officer_a"}),
    }  # fmt: skip
    for name, (args, allowed) in pages.items():
        url = reverse(name, args=args)
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
        for username in USERS:
            status = catalog.client_for(getattr(catalog, username)).get(url).status_code
            if username in allowed:
                assert status == 200, (name, username, status)
            else:
                assert status in (403, 404), (name, username, status)
    # the move forms follow the case page
    url = reverse("cases:case_action", args=[case.pk, "add_evidence"])
    assert catalog.client_for(catalog.officer_b).get(url).status_code == 404
    assert catalog.client_for(catalog.clerk_a).get(url).status_code == 404
    assert catalog.client_for(catalog.officer_a).get(url).status_code == 200
    unknown = reverse("cases:case_action", args=[case.pk, "filed"])  # internal
    assert catalog.client_for(catalog.officer_a).get(unknown).status_code == 404


def test_menu_by_role(catalog: World):
    def nav(user: Any) -> set[str]:
        html = catalog.client_for(user).get(reverse("home")).content.decode()
        names = ("case_list", "review_queue", "approvals")
        return {n for n in names if f'data-nav="cases:{n}"' in html}

    assert nav(catalog.officer_a) == {"case_list"}
    assert nav(catalog.dispatcher) == {"case_list"}
    assert nav(catalog.leader) == {"case_list", "approvals"}
    assert nav(catalog.legal) == {"review_queue"}
    for user in (catalog.liaison, catalog.clerk_a, catalog.member_a, catalog.manager_a):
        assert nav(user) == set()
    html = catalog.client_for(catalog.leader).get(reverse("cases:approvals")).content.decode()
    assert html.count("xq-nav-link active") == 1


# ---------------------------------------------------------------------------------------------
# The list


def test_list_filters_and_export(catalog: World):
    first = filed(catalog)
    second = notified(catalog)
    other = filed(catalog, estate=catalog.estate_b)
    client = catalog.client_for(catalog.dispatcher)
    url = reverse("cases:case_list")
    html = client.get(url).content.decode()
    for case in (first, second, other):
        assert case.number in html
    assert "310107********1234" in html and "310107198001011234" not in html  # masked
    notified_only = client.get(url, {"status": CaseStatus.NOTIFIED}).content.decode()
    assert second.number in notified_only and first.number not in notified_only
    in_b = client.get(url, {"subdistrict": catalog.sd_b.pk}).content.decode()
    assert other.number in in_b and first.number not in in_b
    by_type = client.get(url, {"violation_type": vt("ebike_charging").pk}).content.decode()
    assert first.number not in by_type
    simplified = client.get(url, {"procedure": Procedure.SIMPLIFIED}).content.decode()
    assert first.number not in simplified
    # overdue: a deadline that has passed
    Case.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    overdue = client.get(url, {"overdue": "true"}).content.decode()
    assert first.number in overdue and second.number not in overdue
    # decision due within 15 days
    Case.objects.filter(pk=second.pk).update(decision_due_at=timezone.now() + dt.timedelta(days=3))
    soon = client.get(url, {"decision_due_soon": "true"}).content.decode()
    assert second.number in soon and first.number not in soon
    # export: every filtered row, ID numbers masked
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    text = " ".join(
        str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None
    )
    assert first.number in text and other.number in text
    assert "310107198001011234" not in text and "310107********1234" in text


# ---------------------------------------------------------------------------------------------
# Filing from the lead page


def test_lead_page_offers_filing_to_the_officer_once_verified(catalog: World):
    from xiaoqu.intake import services as intake

    complaint = intake.complaint_create(
        actor=catalog.dispatcher,
        channel="hotline",
        content="楼道堆物",
        estate=catalog.estate_a,
        violation_type=vt(),
    )
    assert complaint.lead is not None
    lead = intake.lead_dispatch(lead=complaint.lead, actor=catalog.dispatcher)
    officer = catalog.client_for(catalog.officer_a)
    page = officer.get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="file-case"' not in page  # not verified on site yet
    assert officer.get(reverse("cases:case_file", args=[lead.pk])).status_code == 200
    refused = officer.get(reverse("cases:case_file", args=[lead.pk])).content.decode()
    assert 'data-testid="refusal"' in refused and 'data-testid="filing-form"' not in refused
    lead = verified_lead(catalog, estate=catalog.estate_a2)
    page = officer.get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="file-case"' in page and 'data-testid="file-simplified"' in page
    dispatcher_page = catalog.client_for(catalog.dispatcher).get(lead.get_absolute_url())
    assert 'data-testid="file-case"' not in dispatcher_page.content.decode()


def test_filing_form_prefills_and_files(catalog: World):
    lead = verified_lead(catalog)
    client = catalog.client_for(catalog.officer_a)
    url = reverse("cases:case_file", args=[lead.pk])
    form = client.get(url).context["form"]
    vt_ = vt()
    assert form["violation_type"].value() == vt_.pk
    expected = {p.pk for p in vt_.prohibitions.all()} | {vt_.penalty_provision_id}
    assert set(form["provisions"].value()) == expected
    assert form["party_name"].value() == "张某"  # the party met on site
    # an organisation needs a valid credit code
    response = client.post(
        url,
        {
            "party_kind": PartyKind.ORGANISATION,
            "party_name": "某装饰公司",
            "violation_type": vt_.pk,
            "facts": "占用楼道",
        },
    )
    assert response.status_code == 200 and 'data-testid="field-error"' in response.content.decode()
    response = client.post(
        url,
        {
            "party_kind": PartyKind.ORGANISATION,
            "party_name": "某装饰公司",
            "party_uscc": "91310107MA1ABCDEF0",
            "violation_type": vt_.pk,
            "facts": "占用楼道",
        },
    )
    assert 'data-testid="refusal"' in response.content.decode()  # bad check digit
    assert not Case.objects.exists()
    response = client.post(
        url,
        {
            "party_kind": PartyKind.PERSON,
            "party_name": "张某",
            "party_id_number": "310107198001011234",
            "party_address": "甲路100弄3号",
            "party_phone": "13900001111",
            "violation_type": vt_.pk,
            "provisions": [vt_.penalty_provision_id],
            "facts": "张某在3号楼楼道堆放杂物。",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == CaseStatus.INVESTIGATING and case.party_id_number.endswith("1234")
    assert list(case.provisions.values_list("pk", flat=True)) == [vt_.penalty_provision_id]
    lead.refresh_from_db()
    assert lead.status == LeadStatus.TO_FILING
    # the lead page lists the case and no longer offers filing
    page = client.get(lead.get_absolute_url()).content.decode()
    assert case.number in page and 'data-testid="file-case"' not in page
    assert 'data-testid="refusal"' in client.get(url).content.decode()


def test_simplified_procedure_refused_above_the_limit_with_its_article(catalog: World):
    lead = verified_lead(catalog)
    client = catalog.client_for(catalog.officer_a)
    url = reverse("cases:case_simplified", args=[lead.pk])
    data = {
        "party_kind": PartyKind.PERSON,
        "party_name": "李某",
        "facts": "当场发现楼道堆物",
        "penalty": PenaltyKind.FINE,
        "fine": "500",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert cites(refusal_of(response), 51, "第五十一条")
    assert not Case.objects.exists()
    response = client.post(url, {**data, "fine": "200"})
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert case.procedure == Procedure.SIMPLIFIED and case.status == CaseStatus.EXECUTING
    assert case.decision_number and case.fine == Decimal("200.00")
    # a warning closes at once
    lead = verified_lead(catalog, content="第二处")
    client.post(
        reverse("cases:case_simplified", args=[lead.pk]),
        {**data, "penalty": PenaltyKind.WARNING, "fine": ""},
    )
    warned = Case.objects.get(lead=lead)
    assert warned.status == CaseStatus.CLOSED and warned.penalty == PenaltyKind.WARNING


# ---------------------------------------------------------------------------------------------
# The case page and its moves


def test_case_page_shows_clock_deadline_fine_range_and_moves(catalog: World):
    case = filed(catalog)
    client = catalog.client_for(catalog.officer_a)
    response = client.get(case.get_absolute_url())
    html = response.content.decode()
    assert 'data-testid="case-clock"' in html and 'data-testid="deadline-card"' in html
    clock = response.context["clock"]
    assert clock.running and 88 <= clock.days_left <= 90
    assert 'data-testid="days-left"' in html
    assert "1,000–100,000" in html  # the catalog's range for common_area_occupation
    assert case.lead.number in html
    moves = {m.name for m in response.context["moves"]}
    assert moves == {
        "add_evidence",
        "request_review",
        "issue_notice",
        "withdraw",
        "request_extension",
    }
    # the leader sees the approval of an extension, the reviewer nothing
    leader = catalog.client_for(catalog.leader).get(case.get_absolute_url()).context["moves"]
    assert {m.name for m in leader} == {"approve_extension", "reject_extension"}
    legal = catalog.client_for(catalog.legal).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="no-moves"' in legal


def test_evidence_and_preservation_through_the_forms(catalog: World):
    case = filed(catalog)
    client = catalog.client_for(catalog.officer_a)
    done(
        move(
            client,
            case,
            "add_evidence",
            {
                "kind": EvidenceKind.PRESERVATION,
                "description": "先行登记保存电动车1辆",
                "collected_at": now_text(-30),
                "attachments": [photo()],
            },
        ),
        case,
    )
    item = Evidence.objects.get(case=case)
    assert item.preservation_due is not None and item.event is not None
    assert record_attachments(case).count() == 1
    case.refresh_from_db()
    assert case.due_at == item.preservation_due
    assert case.due_rule is not None and case.due_rule.code == "evidence_preservation"
    page = client.get(case.get_absolute_url())
    assert "resolve_preservation" in {m.name for m in page.context["moves"]}
    assert 'data-kind="preservation"' in page.content.decode()
    done(
        move(
            client, case, "resolve_preservation", {"evidence": item.pk, "outcome": "已返还当事人"}
        ),
        case,
    )
    item.refresh_from_db()
    assert item.preservation_done_at is not None
    page = client.get(case.get_absolute_url())
    assert "resolve_preservation" not in {m.name for m in page.context["moves"]}


def test_a_major_fine_goes_through_legal_review_from_the_queue(catalog: World):
    case = filed(catalog)
    officer = catalog.client_for(catalog.officer_a)
    # a notice of 8,000 yuan for a person is refused without review
    response = move(
        officer,
        case,
        "issue_notice",
        {"penalty": PenaltyKind.FINE, "fine": "8000", "served_at": now_text()},
    )
    assert "5,000" in refusal_of(response)  # the legal-review threshold for a person
    done(move(officer, case, "request_review", {"penalty": PenaltyKind.FINE, "fine": "8000"}), case)
    legal = catalog.client_for(catalog.legal)
    queue = legal.get(reverse("cases:review_queue")).content.decode()
    assert case.number in queue and 'data-testid="review-row"' in queue
    form = legal.get(
        reverse("cases:case_action", args=[case.pk, "return_review"]),
        {"target": f"review-{case.pk}", "next": reverse("cases:review_queue")},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'hx-target="#review-{case.pk}"' in form
    response = htmx_post(
        legal,
        reverse("cases:case_action", args=[case.pk, "return_review"]),
        {"opinion": "证据不足，请补充询问笔录", "next": reverse("cases:review_queue")},
    )
    assert response["HX-Redirect"] == reverse("cases:review_queue")
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.review_status == ReviewStatus.RETURNED
    done(move(officer, case, "request_review", {"penalty": PenaltyKind.FINE, "fine": "8000"}), case)
    response = htmx_post(
        legal,
        reverse("cases:case_action", args=[case.pk, "approve_review"]),
        {"opinion": "事实清楚，同意", "next": "https://evil.example/"},
    )
    done(response, case)  # an outside `next` is ignored
    case.refresh_from_db()
    assert case.review_status == ReviewStatus.APPROVED
    assert case.number not in legal.get(reverse("cases:review_queue")).content.decode()
    form = officer.get(reverse("cases:case_action", args=[case.pk, "issue_notice"])).context["form"]
    assert form["fine"].value() == Decimal("8000.00")  # prefilled with the reviewed fine
    done(
        move(
            officer,
            case,
            "issue_notice",
            {"penalty": PenaltyKind.FINE, "fine": "8000", "served_at": now_text()},
        ),
        case,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.hearing_right


def test_no_decision_within_the_statement_period_then_waiver_and_decision(catalog: World):
    case = notified(catalog)
    client = catalog.client_for(catalog.officer_a)
    data = {"penalty": PenaltyKind.FINE, "fine": "1500", "decision_text": "决定罚款1500元"}
    response = move(client, case, "decide", data)
    assert cites(refusal_of(response), 62, "第六十二条")
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    done(move(client, case, "record_statement", {"statement": "已清理一部分"}), case)
    done(move(client, case, "record_waiver", {"attachments": [photo("放弃陈述申辩.png")]}), case)
    # a heavier penalty than the notice after a statement is refused (art. 45)
    response = move(client, case, "decide", {**data, "fine": "3000"})
    assert cites(refusal_of(response), 45, "第四十五条")
    # a fine outside the catalog's range needs its reason
    response = move(client, case, "decide", {**data, "fine": "500"})
    assert 'data-testid="refusal"' in response.content.decode()
    done(move(client, case, "decide", {**data, "fine": "500", "out_of_range_reason": "主动消除危害后果，减轻处罚"}), case)  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.out_of_range_reason
    html = client.get(case.get_absolute_url()).content.decode()
    assert case.decision_number in html and 'data-testid="out-of-range"' in html


def test_hearing_requested_scheduled_and_recorded(catalog: World):
    case = filed(catalog)
    services.review_request(case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000)
    services.review_decide(case=case, actor=catalog.legal, approve=True, opinion="同意")
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000
    )
    client = catalog.client_for(catalog.officer_a)
    done(move(client, case, "request_hearing", {"requested_at": now_text()}), case)
    case.refresh_from_db()
    assert case.status == CaseStatus.HEARING
    too_early = now_text(60 * 24 * 2)
    response = move(
        client, case, "schedule_hearing", {"hearing_at": too_early, "place": "执法队会议室"}
    )
    assert cites(refusal_of(response), 64, "第六十四条")
    form = client.get(reverse("cases:case_action", args=[case.pk, "schedule_hearing"]))
    proposed = form.context["form"]["hearing_at"].value()
    done(
        move(
            client,
            case,
            "schedule_hearing",
            {"hearing_at": proposed.strftime("%Y-%m-%dT%H:%M"), "place": "执法队会议室"},
        ),
        case,
    )
    case.refresh_from_db()
    assert case.hearing_place == "执法队会议室"
    response = move(client, case, "record_hearing", {"held_at": now_text(), "record": "听证笔录"})
    assert 'data-testid="refusal"' in response.content.decode()  # not before the time notified
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="hearing"' in html and "执法队会议室" in html


def test_service_payment_late_fee_and_closure(catalog: World):
    case = decided(catalog)
    client = catalog.client_for(catalog.officer_a)
    done(
        move(
            client,
            case,
            "serve_decision",
            {"served_at": now_text(), "method": "直接送达", "attachments": [photo("送达回证.png")]},
        ),
        case,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.EXECUTING and case.payment_due is not None
    # closing with the fine unpaid is refused with article 72
    response = move(client, case, "close", {"report": "结案"})
    assert cites(refusal_of(response), 72, "第七十二条")
    # the payment form is prefilled with what is due
    form = client.get(reverse("cases:case_action", args=[case.pk, "record_execution"]))
    assert form.context["form"]["amount"].value() == Decimal("1500.00")
    done(
        move(
            client,
            case,
            "record_execution",
            {"kind": ExecutionKind.PAYMENT, "amount": "1500", "executed_at": now_text()},
        ),
        case,
    )
    done(move(client, case, "close", {"report": "罚款已缴清，结案"}), case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_kind == ClosureKind.EXECUTED
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-closure"' in html and 'data-testid="execution-row"' in html
    assert [e.action for e in record_events(case)][-3:] == [
        "serve_decision",
        "record_execution",
        "close",
    ]


def test_late_fee_is_shown_and_explained(catalog: World):
    case = executing(catalog)
    # the fine was due ten days ago
    due = timezone.now() - dt.timedelta(days=10)
    Case.objects.filter(pk=case.pk).update(payment_due=due)
    client = catalog.client_for(catalog.officer_a)
    response = client.get(case.get_absolute_url())
    payment = response.context["payment"]
    assert payment.days_late == 10 and payment.late_fee == Decimal("450.00")  # 1500 × 3 % × 10
    assert payment.amount_due == Decimal("1950.00")
    html = response.content.decode()
    assert 'data-testid="late-fee"' in html and "第七十二条" in html
    assert "1,950" in html
    # capped at the fine
    Case.objects.filter(pk=case.pk).update(payment_due=timezone.now() - dt.timedelta(days=60))
    payment = client.get(case.get_absolute_url()).context["payment"]
    assert payment.late_fee == Decimal("1500.00") and payment.capped


def test_extension_requested_and_approved_from_the_approvals_page(catalog: World):
    case = filed(catalog)
    officer = catalog.client_for(catalog.officer_a)
    done(move(officer, case, "request_extension", {"days": "30", "reason": "需结构安全鉴定"}), case)
    html = officer.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="extension-pending"' in html
    leader = catalog.client_for(catalog.leader)
    page = leader.get(reverse("cases:approvals")).content.decode()
    assert case.number in page and 'data-testid="extension-row"' in page
    form = leader.get(reverse("cases:case_action", args=[case.pk, "approve_extension"]))
    assert form.context["form"]["days"].value() == 30
    assert form.context["form"]["reason"].value() == "需结构安全鉴定"
    before = case.decision_due_at
    response = htmx_post(
        leader,
        reverse("cases:case_action", args=[case.pk, "approve_extension"]),
        {"days": "30", "reason": "同意，需结构安全鉴定", "next": reverse("cases:approvals")},
    )
    assert response["HX-Redirect"] == reverse("cases:approvals")
    case.refresh_from_db()
    assert case.decision_due_at == before + dt.timedelta(days=30) and case.extension_days == 30
    assert (
        case.number
        not in leader.get(reverse("cases:approvals")).content.decode().split('id="reopen"')[0]
    )
    html = officer.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="extensions"' in html and "同意，需结构安全鉴定" in html


def test_reopen_from_the_approvals_page(catalog: World):
    case = filed(catalog)
    case = services.case_withdraw(case=case, actor=catalog.officer_a, reason="事实不清")
    leader = catalog.client_for(catalog.leader)
    page = leader.get(reverse("cases:approvals"), {"q": case.number}).content.decode()
    assert 'data-testid="closed-row"' in page and case.number in page
    response = htmx_post(
        leader,
        reverse("cases:case_action", args=[case.pk, "reopen"]),
        {"reason": "发现新证据", "next": reverse("cases:approvals")},
    )
    assert response["HX-Redirect"] == reverse("cases:approvals")
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.reopen_count == 1
    # the officer cannot reopen: the move is refused in place with the reason
    case = services.case_withdraw(case=case, actor=catalog.officer_a, reason="仍不清")
    response = catalog.client_for(catalog.officer_a).get(
        reverse("cases:case_action", args=[case.pk, "reopen"]), HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="refusal"' in response.content.decode()


def test_a_refused_move_shows_why_and_changes_nothing(catalog: World):
    case = filed(catalog)
    dispatcher = catalog.client_for(catalog.dispatcher)
    response = move(dispatcher, case, "issue_notice", {"penalty": "fine", "fine": "1000"})
    assert 'data-testid="refusal"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.event_count == 1
    # without HTMX the form is a page of its own
    page = catalog.client_for(catalog.officer_a).get(
        reverse("cases:case_action", args=[case.pk, "withdraw"])
    )
    assert page.status_code == 200 and 'data-testid="move-form"' in page.content.decode()
    response = catalog.client_for(catalog.officer_a).post(
        reverse("cases:case_action", args=[case.pk, "withdraw"]), {"reason": "事实不清"}
    )
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()


def test_officer_todo_lists_his_open_cases(catalog: World):
    mine = filed(catalog)
    theirs = filed(catalog, estate=catalog.estate_b)
    html = catalog.client_for(catalog.officer_a).get(reverse("intake:todo")).content.decode()
    assert f'data-case="{mine.number}"' in html and theirs.number not in html


def test_timeline_reads_in_words(catalog: World):
    case = executing(catalog)
    html = catalog.client_for(catalog.officer_a).get(case.get_absolute_url()).content.decode()
    for action in ("filed", "issue_notice", "record_waiver", "decide", "serve_decision"):
        assert f'data-action="{action}"' in html
    assert "'fine'" not in html and "payment_due" not in html


def test_timeline_names_the_documents_generated(catalog: World):
    from xiaoqu.documents.services import document_generate

    case = filed(catalog)
    document = document_generate(kind="filing_approval", record=case, actor=catalog.officer_a)
    html = catalog.client_for(catalog.officer_a).get(case.get_absolute_url()).content.decode()
    assert 'data-action="document_generated"' in html
    timeline = html[html.index('data-testid="timeline"') :]
    assert "立案审批表" in timeline and document.number in timeline
    assert document.sha256 not in timeline


@pytest.mark.parametrize("persona", ["officer_b", "clerk_a", "liaison", "member_a"])
def test_others_cannot_post_moves(catalog: World, persona: str):
    case = filed(catalog)
    client = catalog.client_for(getattr(catalog, persona))
    response = move(client, case, "withdraw", {"reason": "x"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING


def test_a_new_notice_allows_a_heavier_penalty_and_restarts_the_period(catalog: World):
    case = notified(catalog)
    client = catalog.client_for(catalog.officer_a)
    done(move(client, case, "record_statement", {"statement": "当事人否认堆物"}), case)
    form = client.get(reverse("cases:case_action", args=[case.pk, "renotify"])).context["form"]
    assert form["fine"].value() == Decimal("2000.00")  # the last notice's
    response = move(
        client,
        case,
        "renotify",
        {"penalty": PenaltyKind.FINE, "fine": "3000", "served_at": now_text(), "reason": ""},
    )
    assert 'data-testid="field-error"' in response.content.decode()  # the reason is required
    done(
        move(
            client,
            case,
            "renotify",
            {
                "penalty": PenaltyKind.FINE,
                "fine": "3000",
                "served_at": now_text(),
                "reason": "补充调查发现堆物面积更大",
            },
        ),
        case,
    )
    case.refresh_from_db()
    assert case.notice_fine == Decimal("3000.00") and case.status == CaseStatus.NOTIFIED
    assert [e.action for e in record_events(case)][-1] == "renotify"


def test_the_hearing_is_recorded_after_its_time(catalog: World):
    case = filed(catalog)
    services.review_request(case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000)
    services.review_decide(case=case, actor=catalog.legal, approve=True, opinion="同意")
    case = services.notice_issue(
        case=case, actor=catalog.officer_a, penalty=PenaltyKind.FINE, fine=8000
    )
    case = services.hearing_request(case=case, actor=catalog.officer_a)
    held = timezone.now() - dt.timedelta(hours=2)
    Case.objects.filter(pk=case.pk).update(hearing_at=held, hearing_place="执法队会议室")
    client = catalog.client_for(catalog.officer_a)
    form = client.get(reverse("cases:case_action", args=[case.pk, "record_hearing"]))
    assert form.context["form"]["held_at"].value().strftime("%Y-%m-%dT%H:%M") == local(held)
    done(
        move(
            client,
            case,
            "record_hearing",
            {
                "held_at": local(held),
                "record": "听证笔录：当事人陈述申辩",
                "attachments": [photo()],
            },
        ),
        case,
    )
    case.refresh_from_db()
    assert case.hearing_held_at is not None and case.hearing_record.startswith("听证笔录")
    assert record_attachments(case).count() == 1
