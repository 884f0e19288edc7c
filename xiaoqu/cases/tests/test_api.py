"""The cases' JSON API: a case from filing to closure, every step through its service; refusals
answer 409 with the reason; jurisdiction; ID numbers masked."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from xiaoqu.cases.choices import CaseStatus, EvidenceKind, ExecutionKind, PenaltyKind
from xiaoqu.cases.tests.factories import filed, verified_lead
from xiaoqu.conftest import World
from xiaoqu.intake.choices import LeadStatus


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_openapi_document_lists_the_case_operations(world: World):
    paths = world.client_for(world.dispatcher).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/leads/{lead_id}/cases",
        "/api/v1/leads/{lead_id}/cases/simplified",
        "/api/v1/cases/{case_id}/evidence",
        "/api/v1/cases/{case_id}/evidence/{evidence_id}/resolve",
        "/api/v1/cases/{case_id}/review-request",
        "/api/v1/cases/{case_id}/review",
        "/api/v1/cases/{case_id}/notice",
        "/api/v1/cases/{case_id}/statement",
        "/api/v1/cases/{case_id}/waiver",
        "/api/v1/cases/{case_id}/hearing-request",
        "/api/v1/cases/{case_id}/hearing-schedule",
        "/api/v1/cases/{case_id}/hearing-record",
        "/api/v1/cases/{case_id}/decide",
        "/api/v1/cases/{case_id}/serve",
        "/api/v1/cases/{case_id}/executions",
        "/api/v1/cases/{case_id}/close",
        "/api/v1/cases/{case_id}/withdraw",
        "/api/v1/cases/{case_id}/extension-request",
        "/api/v1/cases/{case_id}/extension-approve",
        "/api/v1/cases/{case_id}/reopen",
    ):
        assert path in paths, path


def test_a_case_from_filing_to_closure_through_the_api(catalog: World):
    lead = verified_lead(catalog)
    officer = catalog.client_for(catalog.officer_a)
    created = post(
        officer,
        f"/api/v1/leads/{lead.pk}/cases",
        {
            "party_kind": "person",
            "party_name": "张某",
            "party_id_number": "310107198001011234",
            "facts": "张某在3号楼楼道堆放杂物。",
        },
    )
    assert created.status_code == 201, created.content
    case = created.json()
    case_id = case["id"]
    assert case["status"] == CaseStatus.INVESTIGATING
    assert case["party_id_number"] == "310107********1234"
    assert case["provisions"] and "issue_notice" in case["available_moves"]
    assert officer.get(f"/api/v1/leads/{lead.pk}").json()["status"] == LeadStatus.TO_FILING
    # a second case from the same lead is refused
    again = post(
        officer,
        f"/api/v1/leads/{lead.pk}/cases",
        {"party_kind": "person", "party_name": "张某", "facts": "重复"},
    )
    assert again.status_code == 409 and again.json()["detail"]
    item = post(
        officer,
        f"/api/v1/cases/{case_id}/evidence",
        {"kind": EvidenceKind.PRESERVATION, "description": "先行登记保存纸箱"},
    )
    assert item.status_code == 201 and item.json()["preservation_due"]
    resolved = post(
        officer,
        f"/api/v1/cases/{case_id}/evidence/{item.json()['id']}/resolve",
        {"outcome": "已返还"},
    )
    assert resolved.status_code == 200 and resolved.json()["preservation_done_at"]
    # a decision before the notice is refused, with the reason
    early = post(
        officer,
        f"/api/v1/cases/{case_id}/decide",
        {"penalty": PenaltyKind.FINE, "fine": "1500", "decision_text": "决定"},
    )
    assert early.status_code == 409 and early.json()["detail"]
    notice = post(
        officer, f"/api/v1/cases/{case_id}/notice", {"penalty": PenaltyKind.FINE, "fine": "2000"}
    )
    assert notice.status_code == 200 and notice.json()["status"] == CaseStatus.NOTIFIED
    assert notice.json()["statement_until"]
    within = post(
        officer,
        f"/api/v1/cases/{case_id}/decide",
        {"penalty": PenaltyKind.FINE, "fine": "1500", "decision_text": "决定"},
    )
    assert within.status_code == 409 and "第六十二条" in within.json()["detail"]  # art. 62
    assert (
        post(officer, f"/api/v1/cases/{case_id}/statement", {"statement": "已清理"}).status_code
        == 200
    )
    assert post(officer, f"/api/v1/cases/{case_id}/waiver").status_code == 200
    decided = post(
        officer,
        f"/api/v1/cases/{case_id}/decide",
        {"penalty": PenaltyKind.FINE, "fine": "1500", "decision_text": "决定罚款1500元"},
    ).json()
    assert decided["status"] == CaseStatus.DECIDED and decided["decision_number"]
    served = post(officer, f"/api/v1/cases/{case_id}/serve", {"method": "直接送达"}).json()
    assert served["status"] == CaseStatus.EXECUTING and served["payment_due"]
    assert served["payment"]["amount_due"] == "1500.00"
    unpaid = post(officer, f"/api/v1/cases/{case_id}/close", {"report": "结案"})
    assert unpaid.status_code == 409 and "第七十二条" in unpaid.json()["detail"]
    paid = post(
        officer,
        f"/api/v1/cases/{case_id}/executions",
        {"kind": ExecutionKind.PAYMENT, "amount": "1500"},
    )
    assert paid.status_code == 201
    closed = post(officer, f"/api/v1/cases/{case_id}/close", {"report": "罚款已缴清，结案"})
    assert closed.status_code == 200 and closed.json()["status"] == CaseStatus.CLOSED
    detail = officer.get(f"/api/v1/cases/{case_id}").json()
    assert [e["action"] for e in detail["events"]] == [
        "filed",
        "add_evidence",
        "resolve_preservation",
        "issue_notice",
        "record_statement",
        "record_waiver",
        "decide",
        "serve_decision",
        "record_execution",
        "close",
    ]
    assert detail["available_moves"] == ["request_reopen"]  # a closed case: only ask to reopen
    # a leader reopens it; the officer may not
    assert post(officer, f"/api/v1/cases/{case_id}/reopen", {"reason": "x"}).status_code == 409
    leader = catalog.client_for(catalog.leader)
    reopened = post(leader, f"/api/v1/cases/{case_id}/reopen", {"reason": "发现新证据"})
    assert reopened.json()["status"] == CaseStatus.INVESTIGATING


def test_review_hearing_and_extension_through_the_api(catalog: World):
    case = filed(catalog)
    officer = catalog.client_for(catalog.officer_a)
    url = f"/api/v1/cases/{case.pk}"
    refused = post(officer, f"{url}/notice", {"penalty": "fine", "fine": "8000"})
    assert refused.status_code == 409  # a major fine needs legal review
    assert (
        post(officer, f"{url}/review-request", {"penalty": "fine", "fine": "8000"}).status_code
        == 200
    )
    not_reviewer = post(officer, f"{url}/review", {"approve": True, "opinion": "同意"})
    assert not_reviewer.status_code == 409
    legal = catalog.client_for(catalog.legal)
    reviewed = post(legal, f"{url}/review", {"approve": True, "opinion": "同意"}).json()
    assert reviewed["review_status"] == "approved"
    notice = post(officer, f"{url}/notice", {"penalty": "fine", "fine": "8000"}).json()
    assert notice["hearing_right"]
    assert post(officer, f"{url}/hearing-request", {}).json()["status"] == CaseStatus.HEARING
    too_soon = post(
        officer,
        f"{url}/hearing-schedule",
        {"hearing_at": notice["statement_until"], "place": "会议室"},
    )
    assert too_soon.status_code == 409 and "第六十四条" in too_soon.json()["detail"]
    asked = post(officer, f"{url}/extension-request", {"days": 30, "reason": "需鉴定"})
    assert asked.status_code == 200
    assert post(officer, f"{url}/extension-approve", {"days": 30, "reason": "x"}).status_code == 409
    leader = catalog.client_for(catalog.leader)
    approved = post(leader, f"{url}/extension-approve", {"days": 30, "reason": "同意"}).json()
    assert approved["extension_days"] == 30
    invalid = post(officer, f"{url}/extension-request", {"days": 0, "reason": "x"})
    assert invalid.status_code == 422


def test_simplified_procedure_through_the_api(catalog: World):
    lead = verified_lead(catalog)
    officer = catalog.client_for(catalog.officer_a)
    data = {"party_kind": "person", "party_name": "李某", "facts": "当场", "penalty": "fine"}
    above = post(officer, f"/api/v1/leads/{lead.pk}/cases/simplified", {**data, "fine": "500"})
    assert above.status_code == 409 and "第五十一条" in above.json()["detail"]
    made = post(officer, f"/api/v1/leads/{lead.pk}/cases/simplified", {**data, "fine": "200"})
    assert made.status_code == 201 and made.json()["procedure"] == "simplified"


def test_the_api_respects_jurisdiction(catalog: World):
    mine = filed(catalog)
    theirs = filed(catalog, estate=catalog.estate_b)
    officer = catalog.client_for(catalog.officer_a)
    ids = {c["id"] for c in officer.get("/api/v1/cases").json()["items"]}
    assert mine.pk in ids and theirs.pk not in ids
    assert officer.get(f"/api/v1/cases/{theirs.pk}").status_code == 404
    assert post(officer, f"/api/v1/cases/{theirs.pk}/withdraw", {"reason": "x"}).status_code == 404
    clerk = catalog.client_for(catalog.clerk_a)
    assert clerk.get("/api/v1/cases").json()["items"] == []
    assert clerk.get(f"/api/v1/cases/{mine.pk}").status_code == 404
    dispatcher = catalog.client_for(catalog.dispatcher)
    assert len(dispatcher.get("/api/v1/cases").json()["items"]) == 2
    assert dispatcher.get("/api/v1/cases", {"status": "closed"}).json()["items"] == []
    assert Client().get("/api/v1/cases").status_code == 401
