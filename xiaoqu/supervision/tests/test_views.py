"""The supervision board (督办) for each role, manual urging, extension decisions and the
urge notices list, each inside the user's jurisdiction."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from xiaoqu.audit.models import Notification
from xiaoqu.conftest import World
from xiaoqu.supervision import services
from xiaoqu.supervision.choices import ExtensionStatus, UrgeKind
from xiaoqu.supervision.models import ExtensionRequest, UrgeNotice

from .factories import assistance_at, at, complaint_at, dispatched_lead, referral_at

HTMX = {"HX-Request": "true"}
B_ONLY = re.compile(r"乙|丙")


@pytest.fixture
def late(catalog: World) -> dict[str, Any]:
    """Overdue today: a lead and a referral in 甲, a lead in 乙, an assistance request in 甲;
    a lead in 甲 that is not due yet (received today)."""
    return {
        "lead_a": dispatched_lead(catalog, at(2026, 4, 8, 10)),
        "lead_b": dispatched_lead(catalog, at(2026, 4, 9, 10), estate=catalog.estate_b),
        "referral_a": referral_at(catalog, at(2026, 4, 10, 10), estate=catalog.estate_a2),
        "assistance_a": assistance_at(catalog, at(2026, 5, 6, 10)),
    }


def board_html(world: World, user: Any, **params: Any) -> str:
    response = world.client_for(user).get(reverse("supervision:board"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_shows_overdue_items_oldest_first(catalog: World, late: dict[str, Any]):
    html = board_html(catalog, catalog.dispatcher)
    numbers = [late[k].number for k in ("lead_a", "lead_b", "referral_a", "assistance_a")]
    for number in numbers:
        assert f'data-number="{number}"' in html
    positions = [html.index(f'data-number="{n}"') for n in numbers]
    lead_a_due, lead_b_due = late["lead_a"].due_at, late["lead_b"].due_at
    assert lead_a_due < lead_b_due and positions[0] < positions[1]
    # groups by subdistrict (both) and by department (the referral and assistance to 区房管局)
    assert "甲街道" in html and "乙街道" in html and "区房管局" in html
    # the hotline replies of the four complaints are overdue too
    assert 'data-testid="overdue-total"' in html
    total = int(re.search(r'data-testid="overdue-total">(\d+)<', html).group(1))  # type: ignore[union-attr]
    # three leads (the assistance request's lead awaits it), the referral, the assistance
    # request, and the four replies
    assert total == 9
    # filtered by subdistrict
    html = board_html(catalog, catalog.dispatcher, subdistrict=catalog.sd_b.pk)
    assert f'data-number="{late["lead_b"].number}"' in html
    assert f'data-number="{late["lead_a"].number}"' not in html


def test_an_officer_sees_his_subdistricts_part(catalog: World, late: dict[str, Any]):
    html = board_html(catalog, catalog.officer_a)
    assert f'data-number="{late["lead_a"].number}"' in html
    assert late["lead_b"].number not in html and not B_ONLY.search(html)
    assert 'data-testid="urge-form"' not in html  # officers do not urge


def test_a_liaison_sees_his_departments_part(catalog: World, late: dict[str, Any]):
    html = board_html(catalog, catalog.liaison)
    assert f'data-number="{late["referral_a"].number}"' in html
    assert late["lead_a"].number not in html and late["lead_b"].number not in html


def test_property_staff_and_studios_have_no_board(catalog: World):
    for user in (catalog.clerk_a, catalog.member_a):
        assert catalog.client_for(user).get(reverse("supervision:board")).status_code == 403


def test_the_board_counts_only_what_the_records_say(catalog: World, late: dict[str, Any]):
    from xiaoqu.supervision.selectors import board

    data = board(user=catalog.dispatcher, now=at(2026, 5, 1))
    # on 1 May the leads of 8 and 9 April (due 29 and 30 April) and three replies are overdue
    assert data.counts["leads"] == 2 and data.counts["replies"] == 3
    assert data.counts["referrals"] == 0 and data.counts["assistance"] == 0
    groups = {g.key: g for g in data.by_subdistrict}
    assert groups[catalog.sd_a].leads == 1 and groups[catalog.sd_a].replies == 2
    assert groups[catalog.sd_a].oldest == min(
        late["lead_a"].complaints.get().reply_due_at, late["lead_a"].due_at
    )


def test_a_supervisor_urges_from_the_board(catalog: World, late: dict[str, Any]):
    lead = late["lead_a"]
    client = catalog.client_for(catalog.leader)
    url = reverse("supervision:urge", args=["lead", lead.pk])
    with translation.override("en"):
        response = client.post(url, {"text": "今日内到场", "next": "/supervision/"}, headers=HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == "/supervision/"
    notice = UrgeNotice.objects.get(record_number=lead.number, kind=UrgeKind.MANUAL)
    assert notice.issued_by == catalog.leader and notice.text == "今日内到场"
    assert Notification.objects.filter(recipient=catalog.officer_a, text__contains="今日内到场")
    # the next url must stay on the site
    response = client.post(url, {"text": "再催", "next": "https://evil.example/"}, headers=HTMX)
    assert response["HX-Redirect"] == lead.get_absolute_url()
    # an empty text and an officer's attempt are refused in place
    with translation.override("en"):
        response = client.post(url, {"text": ""}, headers=HTMX)
        assert response.status_code == 200 and "required" in response.content.decode()
        officer = catalog.client_for(catalog.officer_a)
        response = officer.post(url, {"text": "x"}, headers=HTMX)
    assert "只有调度员或局领导可以催办" in response.content.decode()
    # a record outside the jurisdiction is not found
    other = catalog.client_for(catalog.officer_a)
    url_b = reverse("supervision:urge", args=["lead", late["lead_b"].pk])
    assert other.post(url_b, {"text": "x"}, headers=HTMX).status_code == 404
    assert client.post(reverse("supervision:urge", args=["x", 1]), {"text": "x"}).status_code == 403


def test_urging_a_referral_and_a_complaint(catalog: World, late: dict[str, Any]):
    client = catalog.client_for(catalog.dispatcher)
    referral = late["referral_a"]
    response = client.post(
        reverse("supervision:urge", args=["referral", referral.pk]), {"text": "请反馈"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=catalog.liaison, text__contains="请反馈")
    complaint = late["lead_b"].complaints.get()
    response = client.post(
        reverse("supervision:urge", args=["complaint", complaint.pk]), {"text": "请回复"}
    )
    assert response.status_code == 302
    assert UrgeNotice.objects.filter(record_number=complaint.number).exists()


def test_extension_decisions_on_the_board(catalog: World):
    lead = dispatched_lead(catalog, at(2026, 4, 8, 10))
    other = dispatched_lead(catalog, at(2026, 4, 8, 10), estate=catalog.estate_b)
    ext = services.extension_request(lead=lead, actor=catalog.officer_a, days=3, reason="需复核")
    ext_b = services.extension_request(lead=other, actor=catalog.officer_b, days=2, reason="乙原因")
    html = board_html(catalog, catalog.dispatcher)
    assert f'data-testid="extension-{ext.pk}"' in html and "需复核" in html
    assert f'data-testid="extension-{ext_b.pk}"' in html
    html = board_html(catalog, catalog.officer_a)
    assert f'data-testid="extension-{ext.pk}"' in html and "乙原因" not in html
    assert "extension_decide" not in html and "/decide/" not in html  # no decision form
    url = reverse("supervision:extension_decide", args=[ext.pk])
    client = catalog.client_for(catalog.dispatcher)
    # rejecting needs a reason: refused in place
    with translation.override("en"):
        response = client.post(
            url, {f"ext{ext.pk}-decision": "reject", f"ext{ext.pk}-note": ""}, headers=HTMX
        )
    assert response.status_code == 200 and 'data-testid="refusal"' in response.content.decode()
    # an officer cannot decide
    officer = catalog.client_for(catalog.officer_a)
    response = officer.post(url, {f"ext{ext.pk}-decision": "approve"}, headers=HTMX)
    assert 'data-testid="refusal"' in response.content.decode()
    assert ExtensionRequest.objects.get(pk=ext.pk).status == ExtensionStatus.PENDING
    # approved
    response = client.post(
        url, {f"ext{ext.pk}-decision": "approve", f"ext{ext.pk}-note": "同意"}, headers=HTMX
    )
    assert response.status_code == 204
    lead.refresh_from_db()
    assert lead.extension_days == 3
    # an officer of 甲 cannot reach 乙's request
    url_b = reverse("supervision:extension_decide", args=[ext_b.pk])
    assert officer.post(url_b, {f"ext{ext_b.pk}-decision": "approve"}).status_code == 404
    response = client.post(
        url_b, {f"ext{ext_b.pk}-decision": "reject", f"ext{ext_b.pk}-note": "不同意"}
    )
    assert response.status_code == 302
    assert ExtensionRequest.objects.get(pk=ext_b.pk).status == ExtensionStatus.REJECTED


def test_urge_notices_list_in_jurisdiction(catalog: World, late: dict[str, Any]):
    services.sweep(at=at(2026, 6, 1))
    url = reverse("supervision:urges")
    html = catalog.client_for(catalog.dispatcher).get(url).content.decode()
    assert late["lead_a"].number in html and late["lead_b"].number in html
    html = catalog.client_for(catalog.officer_a).get(url).content.decode()
    assert late["lead_a"].number in html and late["lead_b"].number not in html
    assert not B_ONLY.search(html)
    html = catalog.client_for(catalog.liaison).get(url).content.decode()
    assert late["referral_a"].number in html and late["lead_a"].number not in html
    html = catalog.client_for(catalog.clerk_a).get(url).content.decode()
    assert late["lead_a"].number not in html
    html = catalog.client_for(catalog.dispatcher).get(url, {"kind": "manual"}).content.decode()
    assert late["lead_a"].number not in html
    response = catalog.client_for(catalog.officer_a).get(url, {"export": "xlsx"})
    assert response.status_code == 200


def test_complaint_at_is_in_scope(catalog: World):
    complaint = complaint_at(catalog, at(2026, 4, 8, 10), estate=catalog.estate_b)
    html = board_html(catalog, catalog.officer_a)
    assert complaint.number not in html
