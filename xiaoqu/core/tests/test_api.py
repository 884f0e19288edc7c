"""The JSON API: the OpenAPI document, session authentication, jurisdiction, the same
services and refusals as the pages."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from xiaoqu.audit.models import PersonalDataAccess
from xiaoqu.conftest import World
from xiaoqu.intake.choices import LeadStatus


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_openapi_document_lists_the_operations(world: World):
    client = world.client_for(world.dispatcher)
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for path in (
        "/api/v1/complaints",
        "/api/v1/leads/{lead_id}/dispatch",
        "/api/v1/referrals/{referral_id}/answer",
        "/api/v1/assistance/{request_id}/answer",
    ):
        assert path in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr" not in docs.content.decode()  # vendored, no internet


def test_anonymous_calls_get_401_not_a_login_page(world: World):
    response = Client().get("/api/v1/leads")
    assert response.status_code == 401
    assert Client().get("/api/v1/docs").status_code == 302


def test_intake_dispatch_and_refusal_through_the_api(catalog: World):
    dispatcher = catalog.client_for(catalog.dispatcher)
    created = post(
        dispatcher,
        "/api/v1/complaints",
        {
            "channel": "hotline",
            "content": "楼道堆物",
            "estate_id": catalog.estate_a.pk,
            "violation_type": "common_area_occupation",
            "reporter_name": "王先生",
            "reporter_phone": "13812341234",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reporter_phone"] == "138****1234"
    lead_id = body["lead_id"]
    officer = catalog.client_for(catalog.officer_a)
    refused = post(officer, f"/api/v1/leads/{lead_id}/dispatch")
    assert refused.status_code == 409 and refused.json()["detail"]
    lead = post(dispatcher, f"/api/v1/leads/{lead_id}/dispatch").json()
    assert lead["status"] == LeadStatus.DISPATCHED
    assert "close_no_violation" in officer.get(f"/api/v1/leads/{lead_id}").json()["available_moves"]
    closed = post(
        officer,
        f"/api/v1/leads/{lead_id}/close-no-violation",
        {
            "inspected_at": "2026-01-05T10:00:00+08:00",
            "place": "3号楼",
            "findings": "无堆物",
            "violation_found": False,
            "reason": "现场已清理",
        },
    )
    assert closed.status_code == 200 and closed.json()["status"] == LeadStatus.CLOSED
    detail = officer.get(f"/api/v1/leads/{lead_id}").json()
    assert [e["action"] for e in detail["events"]] == ["created", "dispatch", "close_no_violation"]
    invalid = post(officer, f"/api/v1/leads/{lead_id}/reopen", {"reason": "x"})
    assert invalid.status_code == 409


def test_api_respects_jurisdiction(catalog: World):
    dispatcher = catalog.client_for(catalog.dispatcher)
    created = post(
        dispatcher,
        "/api/v1/complaints",
        {
            "channel": "hotline",
            "content": "乙公寓楼道堆物",
            "estate_id": catalog.estate_b.pk,
            "violation_type": "common_area_occupation",
            "reporter_phone": "13812341234",
        },
    ).json()
    officer_a = catalog.client_for(catalog.officer_a)
    assert officer_a.get(f"/api/v1/leads/{created['lead_id']}").status_code == 404
    assert all(
        item["id"] != created["lead_id"] for item in officer_a.get("/api/v1/leads").json()["items"]
    )
    assert officer_a.get(f"/api/v1/complaints/{created['id']}").status_code == 404


def test_contact_reveal_is_recorded(catalog: World):
    dispatcher = catalog.client_for(catalog.dispatcher)
    created = post(
        dispatcher,
        "/api/v1/complaints",
        {
            "channel": "hotline",
            "content": "楼道堆物",
            "estate_id": catalog.estate_a.pk,
            "reporter_phone": "13812341234",
        },
    ).json()
    shown = post(dispatcher, f"/api/v1/complaints/{created['id']}/contact").json()
    assert shown["reporter_phone"] == "13812341234"
    assert (
        PersonalDataAccess.objects.filter(user=catalog.dispatcher, field="reporter_phone").count()
        == 1
    )
    leader = catalog.client_for(catalog.leader)  # a bureau leader does not call reporters back
    assert post(leader, f"/api/v1/complaints/{created['id']}/contact").status_code == 409


def test_liaison_answers_a_referral_through_the_api(catalog: World):
    dispatcher = catalog.client_for(catalog.dispatcher)
    created = post(
        dispatcher,
        "/api/v1/complaints",
        {
            "channel": "hotline",
            "content": "物业费纠纷",
            "estate_id": catalog.estate_a.pk,
            "reporter_phone": "13812341234",
        },
    ).json()
    referral = post(
        dispatcher,
        f"/api/v1/leads/{created['lead_id']}/refer",
        {"department_id": catalog.housing.pk, "matter": "物业服务收费问题"},
    )
    assert referral.status_code == 201, referral.content
    referral_id = referral.json()["id"]
    liaison = catalog.client_for(catalog.liaison)
    assert [r["id"] for r in liaison.get("/api/v1/referrals").json()["items"]] == [referral_id]
    assert post(liaison, f"/api/v1/referrals/{referral_id}/receive").json()["status"] == "received"
    answered = post(
        liaison, f"/api/v1/referrals/{referral_id}/answer", {"text": "已约谈物业企业整改"}
    ).json()
    assert answered["status"] == "answered"
    lead = dispatcher.get(f"/api/v1/leads/{created['lead_id']}").json()
    assert lead["status"] == LeadStatus.CLOSED and lead["outcome"] == "referred"
    # the officer of another subdistrict cannot see the referral
    assert (
        catalog.client_for(catalog.officer_b).get(f"/api/v1/referrals/{referral_id}").status_code
        == 404
    )
