"""Pages of meetings and action items: who sees what (jurisdiction through the selectors), who
may run a meeting, the unit's own action items, the moves, the exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from xiaoqu.audit.models import Notification
from xiaoqu.conftest import World
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.meetings import services
from xiaoqu.meetings.choices import ActionItemStatus, MeetingStatus
from xiaoqu.meetings.models import ActionItem, Meeting
from xiaoqu.supervision.models import UrgeNotice

pytestmark = pytest.mark.django_db


def _soon(days: int = 10) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _meeting(world: World, title: str, **kw: Any) -> Meeting:
    meeting = services.meeting_create(
        actor=world.dispatcher,
        district=world.district,
        title=title,
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
        **kw,
    )
    return services.meeting_hold(meeting=meeting, actor=world.dispatcher)


def _setup(world: World) -> dict[str, Any]:
    greening = DepartmentFactory.create(district=world.district, code="greening", name="区绿化局")
    ours = _meeting(
        world, "甲街道房管专题会", departments=[world.housing], subdistricts=[world.sd_a]
    )
    other = _meeting(world, "乙街道绿化专题会", departments=[greening], subdistricts=[world.sd_b])
    mine = services.action_item_create(
        meeting=ours,
        actor=world.dispatcher,
        description="甲花园楼道堆物限期清理",
        deadline=_soon(),
        subdistrict=world.sd_a,
    )
    housing = services.action_item_create(
        meeting=ours,
        actor=world.dispatcher,
        description="房管局约谈甲物业",
        deadline=_soon(),
        department=world.housing,
    )
    theirs = services.action_item_create(
        meeting=other,
        actor=world.dispatcher,
        description="乙公寓绿地修复",
        deadline=_soon(),
        subdistrict=world.sd_b,
    )
    # the housing bureau is assigned an item by a meeting it did not take part in
    assigned = services.action_item_create(
        meeting=other,
        actor=world.dispatcher,
        description="房管局核查丙物业资质",
        deadline=_soon(),
        department=world.housing,
    )
    return {
        "ours": ours,
        "other": other,
        "mine": mine,
        "housing": housing,
        "theirs": theirs,
        "assigned": assigned,
    }


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _get(world: World, user: Any, name: str, *args: Any, **query: Any) -> Any:
    return world.client_for(user).get(reverse(name, args=args), query)


def test_units_see_their_meetings_and_action_items_only(world: World) -> None:
    r = _setup(world)
    # the district sees everything
    html = _get(world, world.dispatcher, "meetings:meeting_list").content.decode()
    assert "甲街道房管专题会" in html and "乙街道绿化专题会" in html
    # a subdistrict's officer: its meeting, its action item; nothing of B
    html = _get(world, world.officer_a, "meetings:meeting_list").content.decode()
    assert "甲街道房管专题会" in html and "乙街道" not in html
    assert _get(world, world.officer_a, "meetings:meeting_detail", r["other"].pk).status_code == 404
    html = _get(world, world.officer_a, "meetings:meeting_detail", r["ours"].pk).content.decode()
    assert "甲花园楼道堆物限期清理" in html and "房管局约谈甲物业" not in html
    html = _get(world, world.officer_a, "meetings:our_action_items").content.decode()
    assert r["mine"].number in html and r["housing"].number not in html
    assert r["theirs"].number not in html
    for item in ("theirs", "housing", "assigned"):
        response = _get(world, world.officer_a, "meetings:action_item_detail", r[item].pk)
        assert response.status_code == 404
    # the housing liaison: its meeting, and the meeting that assigned it an item
    html = _get(world, world.liaison, "meetings:meeting_list").content.decode()
    assert "甲街道房管专题会" in html and "乙街道绿化专题会" in html
    html = _get(world, world.liaison, "meetings:meeting_detail", r["other"].pk).content.decode()
    assert "房管局核查丙物业资质" in html and "乙公寓绿地修复" not in html
    html = _get(world, world.liaison, "meetings:our_action_items").content.decode()
    assert r["housing"].number in html and r["assigned"].number in html
    assert r["mine"].number not in html
    # property companies and studios see none of it
    for user in (world.clerk_a, world.member_a):
        html = _get(world, user, "meetings:meeting_list").content.decode()
        assert "甲街道房管专题会" not in html and "乙街道绿化专题会" not in html
        assert _get(world, user, "meetings:meeting_detail", r["ours"].pk).status_code == 404
        assert _get(world, user, "meetings:action_item_detail", r["mine"].pk).status_code == 404
        assert _get(world, user, "meetings:meeting_docx", r["ours"].pk).status_code == 404


def test_only_the_command_centre_runs_meetings(world: World) -> None:
    r = _setup(world)
    for user in (world.liaison, world.officer_a, world.legal):
        assert _get(world, user, "meetings:meeting_add").status_code == 403
        assert _get(world, user, "meetings:minutes_edit", r["ours"].pk).status_code in (403, 404)
        response = world.client_for(user).post(
            reverse("meetings:meeting_move", args=[r["ours"].pk, "close"])
        )
        assert response.status_code in (403, 404)
    html = _get(world, world.liaison, "meetings:meeting_detail", r["ours"].pk).content.decode()
    assert 'data-testid="decision-form"' not in html and 'data-testid="meeting-actions"' not in html
    html = _get(world, world.dispatcher, "meetings:meeting_detail", r["ours"].pk).content.decode()
    assert 'data-testid="decision-form"' in html


def test_scheduling_drafts_the_agenda(world: World) -> None:
    client = world.client_for(world.dispatcher)
    when = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    response = client.post(
        reverse("meetings:meeting_add"),
        {
            "title": "2026年第12次例会",
            "kind": "regular",
            "scheduled_at": when,
            "place": "三楼会议室",
            "departments": [world.housing.pk],
            "subdistricts": [world.sd_a.pk, world.sd_b.pk],
        },
    )
    meeting = Meeting.objects.get(title="2026年第12次例会")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.status == MeetingStatus.PLANNED and meeting.participants.count() == 3
    assert meeting.agenda.filter(drafted=True).exists()  # at least the figures
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="agenda-item"' in html and 'data-testid="redraft"' in html


def test_the_unit_reports_done_and_the_bureau_accepts(world: World) -> None:
    r = _setup(world)
    item = r["housing"]
    url = reverse("meetings:action_item_move", args=[item.pk, "done"])
    # an officer of the subdistrict cannot report the housing bureau's item
    assert world.client_for(world.officer_a).post(url, {"note": "x"}).status_code == 404
    html = _get(world, world.liaison, "meetings:action_item_detail", item.pk).content.decode()
    assert 'data-testid="move-done"' in html and 'data-testid="move-accept"' not in html
    response = world.client_for(world.liaison).post(url, {"note": "已约谈甲物业负责人"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.done_by == world.liaison
    refused = world.client_for(world.liaison).post(
        reverse("meetings:action_item_move", args=[item.pk, "accept"]), {}
    )
    assert refused.status_code == 200 and 'data-testid="refusal"' in refused.content.decode()
    world.client_for(world.dispatcher).post(
        reverse("meetings:action_item_move", args=[item.pk, "accept"]), {}
    )
    item.refresh_from_db()
    assert item.status == ActionItemStatus.ACCEPTED


def test_action_item_list_filters_and_exports(world: World) -> None:
    r = _setup(world)
    ActionItem.objects.filter(pk=r["mine"].pk).update(overdue_at=timezone.now())
    client = world.client_for(world.dispatcher)
    html = client.get(reverse("meetings:action_item_list"), {"overdue": "true"}).content.decode()
    assert r["mine"].number in html and r["housing"].number not in html
    html = client.get(
        reverse("meetings:action_item_list"), {"department": world.housing.pk}
    ).content.decode()
    assert r["housing"].number in html and r["assigned"].number in html
    assert r["mine"].number not in html
    response = client.get(
        reverse("meetings:action_item_list"), {"meeting": r["ours"].pk, "export": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(_body(response))).active.values)
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {r["mine"].number, r["housing"].number}
    # the unit's export has only its own
    response = world.client_for(world.officer_a).get(
        reverse("meetings:our_action_items"), {"export": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(_body(response))).active.values)
    assert {row[0] for row in rows[1:]} == {r["mine"].number}


def test_docx_download(world: World) -> None:
    r = _setup(world)
    response = _get(world, world.officer_a, "meetings:meeting_docx", r["ours"].pk)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert "甲街道房管专题会" in "\n".join(p.text for p in document.paragraphs)


def test_the_bureau_urges_an_action_item_from_its_page(world: World) -> None:
    item = _setup(world)["housing"]
    page = _get(world, world.dispatcher, "meetings:action_item_detail", item.pk).content.decode()
    assert 'data-testid="urge-panel"' in page
    # the unit it is assigned to is urged, not the one who urges
    page = _get(world, world.liaison, "meetings:action_item_detail", item.pk).content.decode()
    assert 'data-testid="urge-panel"' not in page
    url = reverse("supervision:urge", args=["action_item", item.pk])
    assert world.client_for(world.liaison).post(url, {"text": "x"}).status_code in (400, 403)
    response = world.client_for(world.dispatcher).post(url, {"text": "请于本周内约谈并反馈"})
    assert response.status_code == 302
    assert UrgeNotice.objects.filter(record_number=item.number).exists()
    assert Notification.objects.filter(
        recipient=world.liaison, text__contains="请于本周内约谈并反馈"
    ).exists()
    page = _get(world, world.liaison, "meetings:action_item_detail", item.pk).content.decode()
    assert "请于本周内约谈并反馈" in page  # the notice shows on the item
    # an accepted item is no longer urged
    services.action_item_done(item=item, actor=world.liaison, note="已约谈")
    item.refresh_from_db()
    page = _get(world, world.dispatcher, "meetings:action_item_detail", item.pk).content.decode()
    assert 'data-testid="urge-panel"' not in page


def test_our_action_items_offer_only_what_the_unit_may_see(world: World) -> None:
    r = _setup(world)
    html = _get(world, world.officer_a, "meetings:our_action_items").content.decode()
    assert r["mine"].number in html
    assert 'name="department"' not in html and 'name="subdistrict"' not in html
    # the meeting filter names only meetings the unit may see
    assert "甲街道房管专题会" in html and "乙街道绿化专题会" not in html
    html = _get(world, world.dispatcher, "meetings:action_item_list").content.decode()
    assert 'name="department"' in html and "乙街道绿化专题会" in html
