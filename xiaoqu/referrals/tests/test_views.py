"""The referral and assistance pages for each role: inbox, lists (filters, export),
detail pages with the lead's context and timeline, and the moves through inline forms."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from xiaoqu.audit.models import Attachment
from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.referrals import services
from xiaoqu.referrals.choices import AssistanceStatus, ReferralStatus
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.supervision.tests.factories import assistance_at, at, referral_at

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTMX = {"HX-Request": "true"}


@pytest.fixture
def pair(catalog: World) -> dict[str, Any]:
    """A referral (sent on 8 April 2026, long overdue) and an assistance request in 甲, and
    a referral in 乙; all to 区房管局."""
    return {
        "referral": referral_at(catalog, at(2026, 4, 8, 10)),
        "assistance": assistance_at(catalog, at(2026, 4, 8, 10)),
        "referral_b": referral_at(catalog, at(2026, 4, 9, 10), estate=catalog.estate_b),
    }


def other_liaison(world: World) -> Any:
    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.tests.factories import UserFactory

    police = DepartmentFactory.create(district=world.district, code="police", name="公安分局")
    return UserFactory.create(role=Role.LIAISON, district=world.district, department=police)


def move(client: Any, record: Any, name: str, data: dict[str, Any] | None = None) -> Any:
    kind = "referral" if isinstance(record, Referral) else "assistance"
    url = reverse(f"referrals:{kind}_move", args=[record.pk, name])
    with translation.override("en"):
        return client.post(url, data or {}, headers=HTMX)


# ---------------------------------------------------------------------------------------------
# Inbox and lists


def test_liaison_inbox_open_first_due_first_overdue_red(catalog: World, pair: dict[str, Any]):
    html = catalog.client_for(catalog.liaison).get(reverse("referrals:inbox")).content.decode()
    for key in ("referral", "assistance", "referral_b"):
        assert pair[key].number in html
    # all three are past their deadline today
    assert html.count('data-overdue="1"') == 3
    # nearest deadline first: the assistance request (10 calendar days) before the referrals
    assert html.index(pair["assistance"].number) < html.index(pair["referral"].number)
    assert html.index(pair["referral"].number) < html.index(pair["referral_b"].number)
    # once answered it moves to the finished part
    services.assistance_answer(request=pair["assistance"], actor=catalog.liaison, answer="已核实")
    html = catalog.client_for(catalog.liaison).get(reverse("referrals:inbox")).content.decode()
    assert html.count('data-overdue="1"') == 2
    assert html.index(pair["referral_b"].number) < html.index(pair["assistance"].number)


def test_another_departments_liaison_sees_nothing(catalog: World, pair: dict[str, Any]):
    client = catalog.client_for(other_liaison(catalog))
    for name in ("referrals:inbox", "referrals:referral_list", "referrals:assistance_list"):
        html = client.get(reverse(name)).content.decode()
        assert not any(pair[k].number in html for k in pair)
    assert client.get(pair["referral"].get_absolute_url()).status_code == 404
    assert client.get(pair["assistance"].get_absolute_url()).status_code == 404
    assert move(client, pair["referral"], "receive").status_code == 404
    assert move(client, pair["assistance"], "answer", {"answer": "x"}).status_code == 404
    referral = Referral.objects.get(pk=pair["referral"].pk)
    assert referral.status == ReferralStatus.SENT


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("dispatcher", {"referral", "referral_b"}),
        ("leader", {"referral", "referral_b"}),
        ("officer_a", {"referral"}),
        ("officer_b", {"referral_b"}),
        ("manager_a", {"referral"}),
        ("liaison", {"referral", "referral_b"}),
        ("clerk_a", set()),
        ("member_a", set()),
    ],
)
def test_referral_list_by_role(catalog: World, pair: dict[str, Any], role: str, visible: set[str]):
    response = catalog.client_for(getattr(catalog, role)).get(reverse("referrals:referral_list"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("referral", "referral_b"):
        assert (pair[key].number in html) == (key in visible), key


def test_list_filters_and_export(catalog: World, pair: dict[str, Any]):
    client = catalog.client_for(catalog.dispatcher)
    url = reverse("referrals:referral_list")
    services.referral_receive(referral=pair["referral_b"], actor=catalog.liaison)
    html = client.get(url, {"status": "received"}).content.decode()
    assert pair["referral_b"].number in html and pair["referral"].number not in html
    html = client.get(url, {"subdistrict": catalog.sd_a.pk}).content.decode()
    assert pair["referral"].number in html and pair["referral_b"].number not in html
    html = client.get(url, {"overdue": "true"}).content.decode()
    assert pair["referral"].number in html and pair["referral_b"].number in html
    html = client.get(url, {"overdue": "false"}).content.decode()
    assert pair["referral"].number not in html
    html = client.get(url, {"department": str(catalog.housing.pk), "q": "甲"}).content.decode()
    assert pair["referral"].number in html and pair["referral_b"].number not in html
    response = client.get(url, {"export": "xlsx", "subdistrict": str(catalog.sd_a.pk)})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    rows = [list(row) for row in wb.active.iter_rows(values_only=True)]
    assert any(pair["referral"].number in row for row in rows)
    assert not any(pair["referral_b"].number in row for row in rows)
    page = client.get(reverse("referrals:assistance_list"), {"kind": "housing_check"})
    assert pair["assistance"].number in page.content.decode()


def test_officer_filters_offer_only_his_subdistrict(catalog: World, pair: dict[str, Any]):
    html = (
        catalog.client_for(catalog.officer_a)
        .get(reverse("referrals:referral_list"))
        .content.decode()
    )
    assert "乙" not in html and "甲街道" in html


# ---------------------------------------------------------------------------------------------
# Detail pages


def test_liaison_sees_the_leads_context_but_not_the_lead_page(catalog: World, pair: dict[str, Any]):
    referral = pair["referral"]
    lead = referral.lead
    client = catalog.client_for(catalog.liaison)
    html = client.get(referral.get_absolute_url()).content.decode()
    assert lead.number in html and lead.summary in html and "甲花园" in html
    assert lead.violation_type.name in html
    assert lead.get_absolute_url() not in html  # no link to a page he may not open
    assert client.get(lead.get_absolute_url()).status_code == 404
    assert 'data-testid="move-receive"' in html and 'data-testid="move-return"' in html
    assert 'data-testid="move-answer"' not in html  # not before receipt
    assert referral.due_rule.description in html
    # the officer sees the link, and no action of the department
    html = catalog.client_for(catalog.officer_a).get(referral.get_absolute_url()).content.decode()
    assert lead.get_absolute_url() in html
    assert 'data-testid="no-moves"' in html


def test_the_liaison_receives_and_answers_with_files(catalog: World, pair: dict[str, Any]):
    referral = pair["referral"]
    client = catalog.client_for(catalog.liaison)
    response = move(client, referral, "receive")
    assert response.status_code == 204 and response["HX-Redirect"] == referral.get_absolute_url()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED and referral.received_at is not None
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = move(
        client, referral, "answer", {"answer": "已责令物业整改", "attachments": [photo]}
    )
    assert response.status_code == 204
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ANSWERED and referral.answer == "已责令物业整改"
    assert referral.lead.status == LeadStatus.CLOSED
    attachment = Attachment.objects.get(record_id=referral.pk, name="现场.png")
    html = client.get(referral.get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in html and "已责令物业整改" in html
    assert [e.action for e in record_events(referral)][-2:] == ["receive", "answer"]
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_a_refusal_shows_its_reason_in_place(catalog: World, pair: dict[str, Any]):
    referral = pair["referral"]
    client = catalog.client_for(catalog.liaison)
    # no reason given
    response = move(client, referral, "return", {"reason": ""})
    assert response.status_code == 200
    assert 'id="move-return"' in response.content.decode()
    # a move the rules do not allow now: the refusal in the move's form
    response = move(client, referral, "answer", {"answer": "结果"})
    html = response.content.decode()
    assert 'data-testid="refusal"' in html and "仅在以下状态可以" in html  # the reason, in Chinese
    # a file of the wrong type
    services.referral_receive(referral=referral, actor=catalog.liaison)
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    html = move(client, referral, "answer", {"answer": "结果", "attachments": [bad]})
    assert "x.exe" in html.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    # the officer cannot answer for the department
    html = move(catalog.client_for(catalog.officer_a), referral, "answer", {"answer": "x"})
    assert "只有接收部门的联络员可以" in html.content.decode()


def test_without_htmx_the_page_comes_back_with_the_refusal(catalog: World, pair: dict[str, Any]):
    referral = pair["referral"]
    client = catalog.client_for(catalog.liaison)
    url = reverse("referrals:referral_move", args=[referral.pk, "answer"])
    with translation.override("en"):
        response = client.post(url, {"answer": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "仅在以下状态可以" in html and referral.lead.summary in html
    response = client.post(reverse("referrals:referral_move", args=[referral.pk, "receive"]))
    assert response.status_code == 302


def test_the_dispatcher_decides_on_a_returned_referral(catalog: World, pair: dict[str, Any]):
    referral = pair["referral"]
    services.referral_return(referral=referral, actor=catalog.liaison, reason="属于市场监管")
    client = catalog.client_for(catalog.dispatcher)
    html = client.get(referral.get_absolute_url()).content.decode()
    for name in ("resend", "withdraw", "redirect"):
        assert f'data-testid="move-{name}"' in html
    assert "属于市场监管" in html
    market = DepartmentFactory.create(district=catalog.district, code="market", name="区市场监管局")
    response = move(client, referral, "redirect", {"department": market.pk, "matter": ""})
    assert response.status_code == 204
    new = Referral.objects.get(department=market)
    assert response["HX-Redirect"] == new.get_absolute_url()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and new.matter == referral.matter


def test_resend_and_take_back(catalog: World, pair: dict[str, Any]):
    referral, other = pair["referral"], pair["referral_b"]
    for r in (referral, other):
        services.referral_return(referral=r, actor=catalog.liaison, reason="不属于本部门")
    client = catalog.client_for(catalog.dispatcher)
    assert move(client, referral, "resend", {"reason": "属于房管职责"}).status_code == 204
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert move(client, other, "withdraw", {"reason": "由中队核查"}).status_code == 204
    other.refresh_from_db()
    assert other.status == ReferralStatus.WITHDRAWN
    assert other.lead.status == LeadStatus.DISPATCHED


def test_assistance_receive_answer_and_cancel(catalog: World, pair: dict[str, Any]):
    item = pair["assistance"]
    liaison = catalog.client_for(catalog.liaison)
    assert move(liaison, item, "receive").status_code == 204
    html = liaison.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="move-answer"' in html and 'data-testid="move-cancel"' not in html
    officer = catalog.client_for(catalog.officer_a)
    html = officer.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="move-cancel"' in html
    assert move(officer, item, "cancel", {"reason": "当事人已自行整改"}).status_code == 204
    item.refresh_from_db()
    assert item.status == AssistanceStatus.CANCELLED
    assert item.lead.status == LeadStatus.DISPATCHED
    # answered by the liaison, the other way
    other = assistance_at(catalog, at(2026, 5, 6, 10), estate=catalog.estate_a2)
    assert move(liaison, other, "answer", {"answer": "经核实为群租"}).status_code == 204
    assert AssistanceRequest.objects.get(pk=other.pk).status == AssistanceStatus.ANSWERED


def test_timeline_and_deadline_on_the_page(catalog: World, pair: dict[str, Any]):
    from xiaoqu.supervision.services import sweep

    sweep(at=at(2026, 6, 1))
    item = pair["assistance"]
    html = catalog.client_for(catalog.dispatcher).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="overdue"' in html
    assert item.due_rule.source_display in html
    assert html.count("list-group-item-danger") >= 1  # the overdue event in the timeline
    assert 'data-testid="urge-form"' in html  # the dispatcher can urge
    html = catalog.client_for(catalog.liaison).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="urge-form"' not in html


def test_unknown_move_is_404(catalog: World, pair: dict[str, Any]):
    client = catalog.client_for(catalog.liaison)
    assert move(client, pair["referral"], "cancel").status_code == 404
    assert move(client, pair["referral"], "overdue").status_code == 404
    url = reverse("referrals:referral_move", args=[pair["referral"].pk, "receive"])
    assert client.get(url).status_code == 405
