from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xiaoqu.conftest import World
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.studios.models import StudioMember, StudioReport

from .factories import activity, close_no_violation, member, report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def page(world: World, user: Any, name: str, *args: Any) -> str:
    response = world.client_for(user).get(reverse(name, args=args))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_studio_page_shows_no_other_subdistrict(catalog: World) -> None:
    world = catalog
    member(world, name="甲楼组长")
    member(world, studio=world.studio_b, name="乙楼组长")
    report(world)
    intake.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content="乙公寓楼道堆物",
        estate=world.estate_b,
        reporter_phone="13800001111",
    )
    for user in (world.officer_a, world.manager_a, world.member_a, world.dispatcher):
        html = page(world, user, "studios:studio_detail", world.studio_a.pk)
        assert "甲花园" in html and "甲楼组长" in html
        assert "乙" not in html and "丙" not in html, user
    for user in (world.officer_a, world.member_a):
        assert "乙" not in page(world, user, "studios:studio_list")
    for user in (world.officer_a, world.manager_a, world.member_a, world.clerk_a, world.liaison):
        response = world.client_for(user).get(
            reverse("studios:studio_detail", args=[world.studio_b.pk])
        )
        assert response.status_code == 404


def test_phones_are_masked_for_studio_members(world: World) -> None:
    member(world, name="甲楼组长", phone="13812345678")
    assert "13812345678" in page(world, world.officer_a, "studios:studio_detail", world.studio_a.pk)
    html = page(world, world.member_a, "studios:studio_detail", world.studio_a.pk)
    assert "13812345678" not in html and "138****5678" in html


def test_open_problems_are_listed_and_linked_for_staff(catalog: World) -> None:
    world = catalog
    r: Any = report(world)
    number = r.complaint.lead.number
    staff = page(world, world.officer_a, "studios:studio_detail", world.studio_a.pk)
    lead_url = reverse("intake:lead_detail", args=[r.complaint.lead_id])
    assert number in staff and lead_url in staff
    mine = page(world, world.member_a, "studios:studio_detail", world.studio_a.pk)
    assert number in mine and lead_url not in mine  # members cannot open a lead


def test_member_pages_permissions(world: World) -> None:
    m = member(world)
    urls = [
        reverse("studios:member_add", args=[world.studio_a.pk]),
        reverse("studios:member_edit", args=[m.pk]),
        reverse("studios:member_deactivate", args=[m.pk]),
        reverse("studios:activity_add", args=[world.studio_a.pk]),
    ]
    for url in urls:
        assert world.client_for(world.officer_a).get(url).status_code == 200
        assert world.client_for(world.member_a).get(url).status_code == 403
        assert world.client_for(world.officer_b).get(url).status_code == 404


def test_add_edit_and_deactivate_a_member(world: World) -> None:
    client = world.client_for(world.officer_a)
    response = client.post(
        reverse("studios:member_add", args=[world.studio_a.pk]),
        {
            "kind": "owners_committee",
            "name": "甲业委会主任",
            "phone": "13700001111",
            "estate": world.estate_a.pk,
            "user": world.member_a.pk,
        },
    )
    assert response.status_code == 302
    m = StudioMember.objects.get(name="甲业委会主任")
    assert m.user == world.member_a and m.estate == world.estate_a
    response = client.post(
        reverse("studios:member_edit", args=[m.pk]),
        {"kind": "owners_committee", "name": "甲业委会副主任", "phone": "13700001111"},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.name == "甲业委会副主任" and m.user is None
    # Deactivation asks first: the GET changes nothing.
    url = reverse("studios:member_deactivate", args=[m.pk])
    assert "甲业委会副主任" in client.get(url).content.decode()
    m.refresh_from_db()
    assert m.active
    assert client.post(url, {"reason": "换届"}).status_code == 302
    m.refresh_from_db()
    assert not m.active
    html = page(world, world.officer_a, "studios:studio_detail", world.studio_a.pk)
    assert 'data-testid="inactive-row"' in html


def test_a_bad_estate_is_a_form_error(world: World) -> None:
    response = world.client_for(world.officer_a).post(
        reverse("studios:member_add", args=[world.studio_a.pk]),
        {"kind": "other", "name": "甲某", "estate": world.estate_b.pk},
    )
    assert response.status_code == 200
    assert not StudioMember.objects.exists()


def test_plan_an_activity_and_record_its_outcome(world: World) -> None:
    client = world.client_for(world.manager_a)
    response = client.post(
        reverse("studios:activity_add", args=[world.studio_a.pk]),
        {
            "kind": "legal_class",
            "title": "甲普法课堂",
            "starts_at": "2099-03-01T14:00",
            "place": "甲活动室",
        },
    )
    assert response.status_code == 302
    html = page(world, world.member_a, "studios:studio_detail", world.studio_a.pk)
    assert "甲普法课堂" in html  # upcoming, visible to the studio's members
    a = activity(world, title="甲上月例会", starts_at=timezone.now() - dt.timedelta(days=3))
    response = client.post(
        reverse("studios:activity_edit", args=[a.pk]),
        {
            "kind": "meeting",
            "title": "甲上月例会",
            "starts_at": "2020-01-01T09:00",
            "outcome": "议定清理楼道",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.outcome == "议定清理楼道"
    # A member reads it, cannot change it.
    html = page(world, world.member_a, "studios:activity_edit", a.pk)
    assert "议定清理楼道" in html and "<form" not in html.split("</nav>", 1)[-1].split("<footer")[0]


def test_member_reports_from_the_phone_page_and_sees_the_outcome(catalog: World) -> None:
    world = catalog
    client = world.client_for(world.member_a)
    assert client.get(reverse("studios:report_new")).status_code == 200
    response = client.post(
        reverse("studios:report_new"),
        {
            "estate": world.estate_a.pk,
            "kind": "early_sign",
            "content": "302室搬砖，疑似砌墙",
            "address": "5号楼",
            "photos": [SimpleUploadedFile("a.png", PNG, "image/png")],
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("studios:my_reports")
    r: Any = StudioReport.objects.get()
    assert r.complaint.reporter_studio == world.studio_a
    html = page(world, world.member_a, "studios:my_reports")
    assert r.complaint.number in html and r.complaint.lead.get_status_display() in html
    close_no_violation(world, r.complaint.lead, when=timezone.now())
    intake.complaint_reply(complaint=r.complaint, actor=world.dispatcher, text="已核实，现场无违法")
    html = page(world, world.member_a, "studios:my_reports")
    assert "已核实，现场无违法" in html
    assert 'data-testid="report-outcome"' in html


def test_member_cannot_report_about_another_estate_through_the_form(catalog: World) -> None:
    world = catalog
    response = world.client_for(world.member_a).post(
        reverse("studios:report_new"),
        {"estate": world.estate_b.pk, "kind": "early_sign", "content": "乙公寓堆物"},
    )
    assert response.status_code == 200 and 'data-testid="field-error"' in response.content.decode()
    assert not StudioReport.objects.exists()


def test_my_reports_shows_only_mine(catalog: World) -> None:
    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.tests.factories import UserFactory

    world = catalog
    neighbour = UserFactory.create(
        role=Role.STUDIO_MEMBER,
        studio=world.studio_a,
        username="member_a2",
        district=world.district,
    )
    theirs = report(world, actor=neighbour, content="邻居的举报内容")
    html = page(world, world.member_a, "studios:my_reports")
    assert theirs.complaint.number not in html and "邻居的举报内容" not in html


@pytest.mark.parametrize("who", ["dispatcher", "officer_a", "clerk_a"])
def test_only_members_use_the_phone_pages(world: World, who: str) -> None:
    client = world.client_for(getattr(world, who))
    assert client.get(reverse("studios:report_new")).status_code == 403
    assert client.get(reverse("studios:my_reports")).status_code == 403


def test_lists_and_export(world: World) -> None:
    activity(world, title="甲例会")
    activity(world, studio=world.studio_b, title="乙例会")
    html = page(world, world.officer_a, "studios:activity_list")
    assert "甲例会" in html and "乙例会" not in html
    response = world.client_for(world.dispatcher).get(
        reverse("studios:studio_list") + "?export=xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = world.client_for(world.member_a).get(reverse("studios:my_studio"))
    assert response["Location"] == reverse("studios:studio_detail", args=[world.studio_a.pk])
