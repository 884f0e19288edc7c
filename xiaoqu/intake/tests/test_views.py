"""The intake pages: who may open them, forms posting through to the services, refusals
shown in place, and the lead's state changing with every move."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoqu.audit.models import Attachment, PersonalDataAccess
from xiaoqu.audit.services import record_attachments, record_events
from xiaoqu.conftest import World
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel, LeadStatus, Outcome
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.supervision.models import ExtensionRequest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE = "13812345678"


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def vt(code: str = "common_area_occupation") -> ViolationType:
    return ViolationType.objects.effective().get(code=code)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def htmx(client: Client, method: str, url: str, data: Any = None) -> Any:
    call = client.post if method == "post" else client.get
    return call(url, data or {}, HTTP_HX_REQUEST="true")


def new_complaint(world: World, estate: Any = None, **kw: Any) -> Complaint:
    return services.complaint_create(
        actor=world.dispatcher,
        channel=kw.pop("channel", Channel.HOTLINE),
        content=kw.pop("content", "楼道堆放杂物"),
        estate=estate or world.estate_a,
        violation_type=kw.pop("violation_type", vt()),
        reporter_name="王先生",
        reporter_phone=PHONE,
        **kw,
    )


def dispatched(world: World, estate: Any = None, **kw: Any) -> Lead:
    complaint = new_complaint(world, estate, **kw)
    assert complaint.lead is not None
    return services.lead_dispatch(lead=complaint.lead, actor=world.dispatcher)


def visit_data(**extra: Any) -> dict[str, Any]:
    when = timezone.localtime() - dt.timedelta(hours=1)
    return {
        "inspected_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "3号楼楼道",
        "party_kind": "person",
        "party_name": "张某",
        "findings": "楼道堆放纸箱和旧家具",
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Who may open which page


def test_pages_by_role(catalog: World):
    lead = dispatched(catalog)
    complaint = lead.complaints.get()
    pages = {
        "intake:complaint_new": ([], {"dispatcher", "leader", "admin", "officer_a", "officer_b", "manager_a", "clerk_a", "clerk_b", "member_a"}),
        "intake:complaint_list": ([], {"dispatcher", "leader", "admin", "legal", "officer_a", "officer_b", "manager_a", "clerk_a", "clerk_b", "member_a"}),
        "intake:dispatch_inbox": ([], {"dispatcher", "leader", "admin"}),
        "intake:lead_list": ([], {"dispatcher", "leader", "admin", "legal", "officer_a", "officer_b", "manager_a"}),
        "intake:todo": ([], {"officer_a", "officer_b"}),
        "intake:lead_detail": ([lead.pk], {"dispatcher", "leader", "admin", "legal", "officer_a", "manager_a"}),
        "intake:complaint_detail": ([complaint.pk], {"dispatcher", "leader", "admin", "legal", "officer_a", "manager_a"}),
    }  # fmt: skip
    users = [
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
    for name, (args, allowed) in pages.items():
        url = reverse(name, args=args)
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
        for username in users:
            status = catalog.client_for(getattr(catalog, username)).get(url).status_code
            if username in allowed:
                assert status == 200, (name, username, status)
            else:
                assert status in (403, 404), (name, username, status)


def test_menu_by_role(catalog: World):
    def nav(user: Any) -> set[str]:
        html = catalog.client_for(user).get(reverse("home")).content.decode()
        return {n for n in ("complaint_new", "dispatch_inbox", "complaint_list", "lead_list", "todo") if f'data-nav="intake:{n}"' in html}  # fmt: skip

    assert nav(catalog.dispatcher) == {"complaint_new", "dispatch_inbox", "complaint_list", "lead_list"}  # fmt: skip
    assert nav(catalog.officer_a) == {"todo", "complaint_new", "complaint_list", "lead_list"}
    assert nav(catalog.clerk_a) == {"complaint_new", "complaint_list"}
    # studio members report early signs and follow them on the studio's own pages
    assert nav(catalog.member_a) == set()
    assert nav(catalog.liaison) == set()
    assert "dispatch_inbox" not in nav(catalog.legal)
    # only the most specific entry is marked active
    html = catalog.client_for(catalog.dispatcher).get(reverse("intake:complaint_new")).content
    assert html.decode().count("xq-nav-link active") == 1


# ---------------------------------------------------------------------------------------------
# New complaint


def test_dispatcher_enters_a_complaint_with_files_then_a_repeat(catalog: World):
    client = english(catalog.client_for(catalog.dispatcher))
    page = client.get(reverse("intake:complaint_new")).content.decode()
    assert 'name="reporter_phone"' in page and 'name="channel"' in page
    assert 'name="dissuasion"' not in page
    data = {
        "channel": Channel.HOTLINE,
        "external_no": "WO-0001",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "estate": catalog.estate_a.pk,
        "address": "3号楼",
        "violation_type": vt().pk,
        "content": "楼道堆放杂物，影响通行",
        "reporter_name": "王先生",
        "reporter_phone": PHONE,
        "attachments": [photo(), photo("second.png")],
    }
    response = client.post(reverse("intake:complaint_new"), data)
    complaint = Complaint.objects.get(external_no="WO-0001")
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    assert complaint.subdistrict == catalog.sd_a and complaint.lead is not None
    assert complaint.entered_by == catalog.dispatcher
    assert record_attachments(complaint).count() == 2
    detail = client.get(complaint.get_absolute_url()).content.decode()
    assert "new lead" in detail and complaint.lead.number in detail
    # the same matter again: attached to the open lead as a repeat
    data.update(external_no="WO-0002", attachments=[])
    response = client.post(reverse("intake:complaint_new"), data, follow=True)
    repeat = Complaint.objects.get(external_no="WO-0002")
    assert repeat.lead == complaint.lead and repeat.is_repeat
    html = response.content.decode()
    assert "repeats open matter" in html and 'data-testid="repeat-badge"' in html


def test_a_refused_complaint_is_shown_in_the_form_and_nothing_is_written(catalog: World):
    new_complaint(catalog, external_no="WO-9")
    client = english(catalog.client_for(catalog.dispatcher))
    response = client.post(
        reverse("intake:complaint_new"),
        {
            "channel": Channel.HOTLINE,
            "external_no": "WO-9",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "content": "again",
        },
    )
    assert response.status_code == 200
    assert "has already been recorded" in response.content.decode()
    assert Complaint.objects.count() == 1
    # a file that is not what it claims is refused before anything is written
    response = client.post(
        reverse("intake:complaint_new"),
        {
            "channel": Channel.RESIDENT,
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "content": "with a fake photo",
            "attachments": [SimpleUploadedFile("fake.png", b"not a png", "image/png")],
        },
    )
    assert response.status_code == 200 and "is not really" in response.content.decode()
    assert Complaint.objects.count() == 1 and Lead.objects.count() == 1


def test_property_clerk_reports_about_his_estates_with_dissuasion(catalog: World):
    client = english(catalog.client_for(catalog.clerk_a))
    page = client.get(reverse("intake:complaint_new")).content.decode()
    assert 'name="dissuasion"' in page and 'name="channel"' not in page
    assert 'name="reporter_phone"' not in page
    base = {
        "violation_type": vt("renovation_unregistered").pk,
        "content": "602室装修未登记",
        "dissuaded_at": (timezone.localtime() - dt.timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M"),
        "dissuasion": "物业上门劝阻，业主拒绝停工",
    }
    # another company's estate is not his to choose
    response = client.post(
        reverse("intake:complaint_new"), {**base, "estate": catalog.estate_a2.pk}
    )
    assert response.status_code == 200 and Complaint.objects.count() == 0
    assert "Choose the estate from the list" in response.content.decode()
    response = client.post(
        reverse("intake:complaint_new"), {**base, "estate": catalog.estate_a.pk}, follow=True
    )
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.PROPERTY_COMPANY
    assert complaint.reporter_company == catalog.company_a and complaint.dissuasion
    html = response.content.decode()
    # he sees where his report stands, as text, and that it came late after dissuasion
    assert 'data-testid="late-report"' in html
    assert 'data-testid="lead-link"' not in html and 'data-testid="lead-status"' in html


def test_studio_member_and_officer_report_in_their_scope(catalog: World):
    member = english(catalog.client_for(catalog.member_a))
    data = {"content": "楼道乱贴小广告", "violation_type": vt("small_ads").pk}
    response = member.post(
        reverse("intake:complaint_new"), {**data, "estate": catalog.estate_a2.pk}
    )
    assert response.status_code == 200 and Complaint.objects.count() == 0
    member.post(reverse("intake:complaint_new"), {**data, "estate": catalog.estate_a.pk})
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.STUDIO and complaint.reporter_studio == catalog.studio_a

    officer = catalog.client_for(catalog.officer_a)
    page = officer.get(reverse("intake:complaint_new")).content.decode()
    assert 'name="channel"' not in page and 'name="subdistrict"' not in page
    officer.post(
        reverse("intake:complaint_new"),
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "content": "巡查发现违法搭建，正在施工",
            "violation_type": vt("illegal_construction").pk,
            "ongoing": "on",
            "address": "甲路100弄5号",
        },
    )
    finding = Complaint.objects.get(channel=Channel.PATROL)
    assert finding.subdistrict == catalog.sd_a and finding.ongoing
    assert finding.reply_due_at is None
    assert finding.lead is not None and finding.lead.due_rule is not None
    assert finding.lead.due_rule.code == "illegal_construction_on_site"


def test_estate_search_offers_only_the_users_estates(catalog: World):
    url = reverse("intake:estate_search")
    clerk = catalog.client_for(catalog.clerk_a).get(url, {"estate_q": "甲"}).content.decode()
    assert "甲花园" in clerk and "甲新村" not in clerk
    dispatcher = catalog.client_for(catalog.dispatcher)
    html = dispatcher.get(url, {"estate_q": "乙路200"}).content.decode()
    assert "乙公寓" in html and f'data-subdistrict="{catalog.sd_b.pk}"' in html
    officer = catalog.client_for(catalog.officer_a).get(url, {"estate_q": "乙"}).content.decode()
    assert "乙公寓" not in officer
    assert catalog.client_for(catalog.liaison).get(url, {"estate_q": "甲"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Complaints: list, detail, reply, phone


def test_complaint_list_filters_and_export_mask_the_phone(catalog: World):
    first = new_complaint(catalog)
    second = new_complaint(catalog, estate=catalog.estate_b, channel=Channel.RESIDENT)
    services.complaint_reply(complaint=first, actor=catalog.dispatcher, text="已告知")
    client = catalog.client_for(catalog.dispatcher)
    url = reverse("intake:complaint_list")
    html = client.get(url).content.decode()
    assert first.number in html and second.number in html
    assert PHONE not in html and "138****5678" in html
    assert second.number not in client.get(url, {"channel": "hotline"}).content.decode()
    replied = client.get(url, {"replied": "true"}).content.decode()
    assert first.number in replied and second.number not in replied
    today = timezone.localdate().isoformat()
    assert first.number in client.get(url, {"received_from": today}).content.decode()
    assert first.number not in client.get(url, {"received_to": "2000-01-01"}).content.decode()
    assert first.number in client.get(url, {"estate": "甲花"}).content.decode()
    Complaint.objects.filter(pk=second.pk).update(
        reply_due_at=timezone.now() - dt.timedelta(days=1)
    )
    late = client.get(url, {"reply_overdue": "true"}).content.decode()
    assert second.number in late and first.number not in late
    response = client.get(url, {"export": "xlsx"})
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(content), read_only=True)
    text = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c)
    assert first.number in text and PHONE not in text and "138****5678" in text


def test_reporters_see_their_reports_only(catalog: World):
    mine = services.complaint_create(
        actor=catalog.clerk_a,
        channel=Channel.PROPERTY_COMPANY,
        content="占用楼道",
        estate=catalog.estate_a,
        dissuasion="已劝阻",
        dissuaded_at=timezone.now(),
    )
    theirs = new_complaint(catalog)
    html = catalog.client_for(catalog.clerk_a).get(reverse("intake:complaint_list")).content
    assert mine.number in html.decode() and theirs.number not in html.decode()
    assert "lead-status" in html.decode() and mine.lead.number not in html.decode()  # type: ignore[union-attr]


def test_phone_is_masked_and_a_reveal_is_recorded(catalog: World):
    complaint = new_complaint(catalog)
    url = complaint.get_absolute_url()
    for user in (catalog.manager_a, catalog.legal, catalog.dispatcher, catalog.officer_a):
        html = catalog.client_for(user).get(url).content.decode()
        assert PHONE not in html and "138****5678" in html
        assert ('data-testid="reveal-phone"' in html) == (
            user in (catalog.dispatcher, catalog.officer_a)
        )
    reveal = reverse("intake:complaint_reveal", args=[complaint.pk])
    assert catalog.client_for(catalog.manager_a).post(reveal).status_code == 403
    assert catalog.client_for(catalog.officer_b).post(reveal).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    response = htmx(catalog.client_for(catalog.officer_a), "post", reveal)
    assert response.status_code == 200 and PHONE in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.user == catalog.officer_a and access.record_id == complaint.pk
    assert access.field == "reporter_phone"
    assert catalog.client_for(catalog.officer_a).get(reveal).status_code == 405


def test_reply_to_the_reporter(catalog: World):
    complaint = new_complaint(catalog)
    url = reverse("intake:complaint_reply", args=[complaint.pk])
    detail = catalog.client_for(catalog.manager_a).get(complaint.get_absolute_url()).content
    assert b'data-testid="reply-form"' not in detail
    refused = english(catalog.client_for(catalog.manager_a))
    response = htmx(refused, "post", url, {"text": "已回复"})
    assert "Only the dispatcher or an officer" in response.content.decode()
    empty = htmx(catalog.client_for(catalog.officer_a), "post", url, {"text": ""})
    assert b"field-error" in empty.content
    complaint.refresh_from_db()
    assert complaint.replied_at is None
    response = htmx(catalog.client_for(catalog.officer_a), "post", url, {"text": "电话告知已核查"})
    assert response["HX-Redirect"] == complaint.get_absolute_url()
    page = catalog.client_for(catalog.officer_a).get(complaint.get_absolute_url()).content
    assert b'data-testid="replied"' in page and b'data-action="replied"' in page
    complaint.refresh_from_db()
    assert complaint.reply_text == "电话告知已核查" and complaint.replied_at is not None
    again = htmx(english(catalog.client_for(catalog.dispatcher)), "post", url, {"text": "x"})
    assert b"already been recorded" in again.content


# ---------------------------------------------------------------------------------------------
# Dispatch


def test_dispatch_inbox_one_click_and_several(catalog: World):
    first = new_complaint(catalog).lead
    second = new_complaint(catalog, estate=catalog.estate_b).lead
    nowhere = services.complaint_create(
        actor=catalog.dispatcher, channel=Channel.RESIDENT, content="地址不详的投诉"
    ).lead
    assert first and second and nowhere and nowhere.subdistrict is None
    client = english(catalog.client_for(catalog.dispatcher))
    html = client.get(reverse("intake:dispatch_inbox")).content.decode()
    # oldest first, with the deadline and its rule
    assert html.index(first.number) < html.index(second.number) < html.index(nowhere.number)
    assert 'data-testid="deadline-rule"' in html and 'data-testid="row-subdistrict"' in html
    # one click: the row is redrawn in place
    response = htmx(client, "post", reverse("intake:lead_dispatch_one", args=[first.pk]))
    assert b'data-dispatched="1"' in response.content and b"<tr" in response.content
    first.refresh_from_db()
    assert first.status == LeadStatus.DISPATCHED and first.team is not None
    # several at once: the one without a subdistrict is refused with its reason
    response = htmx(
        client, "post", reverse("intake:leads_dispatch_bulk"), {"lead": [second.pk, nowhere.pk]}
    )
    body = response.content.decode()
    assert "1 dispatched, 1 refused" in body and "Choose the subdistrict" in body
    assert 'data-testid="row-error"' in body
    second.refresh_from_db()
    nowhere.refresh_from_db()
    assert second.status == LeadStatus.DISPATCHED and nowhere.status == LeadStatus.PENDING_DISPATCH
    # the subdistrict chosen inline
    response = htmx(
        client,
        "post",
        reverse("intake:lead_dispatch_one", args=[nowhere.pk]),
        {f"subdistrict-{nowhere.pk}": catalog.sd_b.pk},
    )
    nowhere.refresh_from_db()
    assert nowhere.status == LeadStatus.DISPATCHED and nowhere.subdistrict == catalog.sd_b
    assert b'data-testid="inbox-empty"' in client.get(reverse("intake:dispatch_inbox")).content
    # without HTMX: back to the inbox with a message
    other = new_complaint(catalog, estate=catalog.estate_a2).lead
    assert other is not None
    response = client.post(reverse("intake:lead_dispatch_one", args=[other.pk]))
    assert response.status_code == 302
    assert (
        catalog.client_for(catalog.officer_a)
        .post(reverse("intake:leads_dispatch_bulk"), {"lead": [other.pk]})
        .status_code
        == 403
    )


# ---------------------------------------------------------------------------------------------
# Leads: list, to-do, detail


def test_lead_list_filters(catalog: World):
    open_lead = dispatched(catalog)
    pending = new_complaint(catalog, estate=catalog.estate_b).lead
    assert pending is not None
    Lead.objects.filter(pk=open_lead.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client = catalog.client_for(catalog.dispatcher)
    url = reverse("intake:lead_list")
    html = client.get(url).content.decode()
    assert open_lead.number in html and pending.number in html and "table-danger" in html
    overdue = client.get(url, {"overdue": "true"}).content.decode()
    assert open_lead.number in overdue and pending.number not in overdue
    status = client.get(url, {"status": "pending_dispatch"}).content.decode()
    assert pending.number in status and open_lead.number not in status
    by_type = client.get(url, {"violation_type": vt().pk}).content.decode()
    assert open_lead.number in by_type
    by_sd = client.get(url, {"subdistrict": catalog.sd_b.pk}).content.decode()
    assert pending.number in by_sd and open_lead.number not in by_sd
    assert client.get(url, {"export": "xlsx"}).status_code == 200
    assert client.get(url, {"sort": "due_at"}).status_code == 200


def test_officer_todo_due_first_with_rules_and_replies(catalog: World):
    later = dispatched(catalog)
    sooner = dispatched(catalog, estate=catalog.estate_a2)
    elsewhere = dispatched(catalog, estate=catalog.estate_b)
    Lead.objects.filter(pk=sooner.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    client = english(catalog.client_for(catalog.officer_a))
    html = client.get(reverse("intake:todo")).content.decode()
    assert html.index(sooner.number) < html.index(later.number)
    assert elsewhere.number not in html
    assert 'data-overdue="1"' in html
    assert "15 working days" in html  # the clue-verification rule and its limit
    replies = html[html.index('data-testid="todo-replies"') :]
    assert later.complaints.get().number in replies
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo-summary"' in home and sooner.number in home
    assert elsewhere.number not in home


def test_lead_detail_shows_the_matter_and_its_timeline(catalog: World):
    lead = dispatched(catalog)
    new_complaint(catalog, content="又堆满了")
    client = english(catalog.client_for(catalog.officer_a))
    html = client.get(lead.get_absolute_url()).content.decode()
    assert 'data-status="dispatched"' in html
    assert vt().get_absolute_url() in html  # the catalog entry
    assert html.count('data-testid="event"') == 3  # created, dispatch, repeat attached
    assert "Repeat complaint attached" in html and PHONE not in html
    assert 'data-testid="move-record_visit"' in html and 'data-testid="move-dispatch"' not in html
    dispatcher = catalog.client_for(catalog.dispatcher).get(lead.get_absolute_url()).content
    assert b'data-testid="move-reassign"' in dispatcher and b"move-record_visit" not in dispatcher


# ---------------------------------------------------------------------------------------------
# Every move through its form


def move_url(lead: Lead, move: str) -> str:
    return reverse("intake:lead_action", args=[lead.pk, move])


def post_move(world: World, user: Any, lead: Lead, move: str, data: dict[str, Any]) -> Any:
    client = english(world.client_for(user))
    form = htmx(client, "get", move_url(lead, move))
    assert form.status_code == 200 and b'data-testid="move-form"' in form.content, move
    return htmx(client, "post", move_url(lead, move), data)


def done(response: Any, lead: Lead) -> Lead:
    assert response.status_code == 200
    assert response["HX-Redirect"] == lead.get_absolute_url(), response.content.decode()[:2000]
    lead.refresh_from_db()
    return lead


def test_visit_rectification_and_reinspection_through_the_forms(catalog: World):
    lead = dispatched(catalog)
    officer = catalog.officer_a
    lead = done(
        post_move(
            catalog,
            officer,
            lead,
            "record_visit",
            visit_data(attachments=[photo()], violation_found="on"),
        ),
        lead,
    )
    assert lead.status == LeadStatus.DISPATCHED and lead.on_site_at is not None
    assert lead.inspections.get().violation_found
    rectify_by = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    lead = done(
        post_move(catalog, officer, lead, "order_rectification", visit_data(rectify_by=rectify_by)),
        lead,
    )
    assert lead.status == LeadStatus.RECTIFYING and lead.rectification_due.isoformat() == rectify_by  # type: ignore[union-attr]
    lead = done(post_move(catalog, officer, lead, "reinspect_corrected", visit_data()), lead)
    assert lead.status == LeadStatus.CLOSED and lead.outcome == Outcome.RECTIFIED
    actions = [e.action for e in record_events(lead)]
    assert actions == [
        "created",
        "dispatch",
        "record_visit",
        "order_rectification",
        "reinspect_corrected",
    ]
    assert Attachment.objects.filter(event__action="record_visit").count() == 1
    html = catalog.client_for(officer).get(lead.get_absolute_url()).content.decode()
    for action in actions:
        assert f'data-action="{action}"' in html
    assert 'data-testid="no-moves"' in html  # closed: nothing for the officer any more


@pytest.mark.parametrize(
    ("move", "actor", "data", "status", "outcome"),
    [
        ("close_no_violation", "officer_a", {"reason": "现场无堆物"}, LeadStatus.CLOSED, Outcome.NO_VIOLATION),
        ("reinspect_not_corrected", "officer_a", {}, LeadStatus.TO_FILING, Outcome.TO_FILING),
        ("hand_to_filing", "officer_a", {"reason": "情节严重"}, LeadStatus.TO_FILING, Outcome.TO_FILING),
        ("return_to_dispatch", "officer_a", {"reason": "不属本街道"}, LeadStatus.PENDING_DISPATCH, ""),
        ("reassign", "dispatcher", {"subdistrict": "sd_b"}, LeadStatus.DISPATCHED, ""),
        ("refer", "officer_a", {"department": "housing", "matter": "物业服务问题"}, LeadStatus.REFERRED, ""),
        ("request_assistance", "officer_a", {"department": "housing", "kind": "registry_lookup", "request": "查询产权"}, LeadStatus.AWAITING_ASSISTANCE, ""),
        ("merge_as_repeat", "dispatcher", {"number": "other"}, LeadStatus.CLOSED, Outcome.REPEAT),
        ("reopen", "dispatcher", {"reason": "举报人反映仍未整改"}, LeadStatus.DISPATCHED, ""),
        ("request_extension", "officer_a", {"days": 5, "reason": "需要产权资料"}, LeadStatus.DISPATCHED, ""),
        ("dispatch", "dispatcher", {"subdistrict": "sd_a"}, LeadStatus.DISPATCHED, ""),
    ],
)  # fmt: skip
def test_each_move_posts_through_to_its_service(
    catalog: World, move: str, actor: str, data: dict[str, Any], status: str, outcome: str
):
    lead = dispatched(catalog)
    if move == "reinspect_not_corrected":
        lead = services.lead_order_rectification(
            lead=lead,
            actor=catalog.officer_a,
            visit=services.Visit(timezone.now(), "楼道", "堆物", True),
            rectify_by=timezone.localdate() + dt.timedelta(days=3),
        )
        data = visit_data()
    if move == "close_no_violation":
        data = {**visit_data(), **data}
    if move == "reopen":
        lead = services.lead_close_no_violation(
            lead=lead,
            actor=catalog.officer_a,
            visit=services.Visit(timezone.now(), "楼道", "无", False),
            reason="无违法",
        )
    if move == "dispatch":
        lead = services.complaint_create(
            actor=catalog.dispatcher, channel=Channel.RESIDENT, content="地址不详"
        ).lead  # type: ignore[assignment]
    values = dict(data)
    if values.get("subdistrict"):
        values["subdistrict"] = getattr(catalog, values["subdistrict"]).pk
    if values.get("department"):
        values["department"] = catalog.housing.pk
    if values.get("number") == "other":
        values["number"] = dispatched(catalog, estate=catalog.estate_a2).number
    lead = done(post_move(catalog, getattr(catalog, actor), lead, move, values), lead)
    assert lead.status == status
    assert lead.outcome == outcome
    assert record_events(lead).last().action == move  # type: ignore[union-attr]
    if move == "refer":
        assert Referral.objects.get(lead=lead).department == catalog.housing
    if move == "request_assistance":
        assert AssistanceRequest.objects.get(lead=lead).kind == "registry_lookup"
    if move == "request_extension":
        assert ExtensionRequest.objects.get(lead=lead).days == 5
    if move == "reassign":
        assert lead.subdistrict == catalog.sd_b


def test_a_refused_move_shows_the_reason_and_changes_nothing(catalog: World):
    lead = dispatched(catalog)
    officer = english(catalog.client_for(catalog.officer_a))
    # not offered, and the form says why
    response = htmx(officer, "get", move_url(lead, "reassign"))
    assert (
        b'data-testid="refusal"' in response.content and b"Only the dispatcher" in response.content
    )
    # posting anyway is refused by the service, shown in the form
    response = htmx(officer, "post", move_url(lead, "reassign"), {"subdistrict": catalog.sd_a.pk})
    assert b'data-testid="refusal"' in response.content
    # a rectification date in the past: the service's reason, nothing half-written
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = htmx(
        officer, "post", move_url(lead, "order_rectification"), visit_data(rectify_by=past)
    )
    assert b"must be after today" in response.content
    # a merge target that does not exist in the jurisdiction
    dispatcher = english(catalog.client_for(catalog.dispatcher))
    response = htmx(dispatcher, "post", move_url(lead, "merge_as_repeat"), {"number": "XS-1"})
    assert b"No lead with this number" in response.content
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DISPATCHED and lead.event_count == 2
    assert not lead.inspections.exists()
    # another subdistrict's officer does not even find the lead
    assert (
        catalog.client_for(catalog.officer_b).get(move_url(lead, "record_visit")).status_code == 404
    )
    # internal moves have no form
    assert officer.get(move_url(lead, "complaint_attached")).status_code == 404


def test_move_pages_work_without_htmx(catalog: World):
    lead = dispatched(catalog)
    client = catalog.client_for(catalog.officer_a)
    page = client.get(move_url(lead, "return_to_dispatch"))
    assert page.status_code == 200 and b'data-testid="move-form"' in page.content
    assert b"<html" in page.content
    response = client.post(move_url(lead, "return_to_dispatch"), {"reason": ""})
    assert response.status_code == 200 and b"field-error" in response.content
    response = client.post(move_url(lead, "return_to_dispatch"), {"reason": "地址错误"})
    assert response.status_code == 302 and response["Location"] == lead.get_absolute_url()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.PENDING_DISPATCH
