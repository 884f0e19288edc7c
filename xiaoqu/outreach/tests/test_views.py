"""The pages: who sees which event and session, planning from a suggestion, attendance and
the trainings panel of the company's credit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xiaoqu.conftest import World
from xiaoqu.outreach import services
from xiaoqu.outreach.choices import EventStatus, Presence, TrainingStatus
from xiaoqu.outreach.models import OutreachEvent, TrainingAttendance

from .factories import at, event, hotspot, training

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def class_a(catalog: World) -> OutreachEvent:
    return event(catalog, title="甲花园法治课堂", starts_at=at(2026, 3, 15, 14))


def test_an_event_is_seen_inside_its_estates_jurisdiction_only(
    catalog: World, class_a: OutreachEvent
) -> None:
    w = catalog
    url = class_a.get_absolute_url()
    for user in (w.dispatcher, w.leader, w.legal, w.officer_a, w.manager_a, w.member_a):
        assert w.client_for(user).get(url).status_code == 200, user
        assert "甲花园法治课堂" in text(w.client_for(user).get(reverse("outreach:event_list")))
    for user in (w.officer_b, w.clerk_a, w.liaison):
        assert w.client_for(user).get(url).status_code == 404, user
        assert "甲花园法治课堂" not in text(w.client_for(user).get(reverse("outreach:event_list")))
    # only planners see the planning page
    assert w.client_for(w.clerk_a).get(reverse("outreach:event_add")).status_code == 404
    assert w.client_for(w.member_a).get(reverse("outreach:event_add")).status_code == 404


def test_planning_from_a_suggestion_fills_in_theme_and_estates(catalog: World) -> None:
    w = catalog
    today = timezone.localdate().replace(day=1)
    hotspot(w, w.estate_a, "group_rental", 9, month=today)
    hotspot(w, w.estate_b, "group_rental", 7, month=today)
    client = w.client_for(w.dispatcher)
    page = text(client.get(reverse("outreach:event_add")))
    use = f"?theme=group_rental&amp;estate={w.estate_a.pk}&amp;estate={w.estate_b.pk}"
    assert (
        use in page
        or f"?theme=group_rental&amp;estate={w.estate_b.pk}&amp;estate={w.estate_a.pk}" in page
    )
    filled = text(
        client.get(reverse("outreach:event_add") + f"?theme=group_rental&estate={w.estate_a.pk}")
    )
    assert 'value="group_rental" class="form-check-input" id="id_themes_2" checked' in filled or (
        'value="group_rental"' in filled
        and "checked" in filled.split('value="group_rental"')[1][:80]
    )
    assert f'<option value="{w.estate_a.pk}" selected>' in filled
    # a subdistrict officer is not offered estates of another subdistrict
    other = text(
        w.client_for(w.officer_b).get(reverse("outreach:event_add") + f"?estate={w.estate_a.pk}")
    )
    estates_select = other.split('id="id_estates"')[1].split("</select>")[0]
    assert f'<option value="{w.estate_a.pk}"' not in estates_select
    assert f'<option value="{w.estate_b.pk}"' in estates_select
    response = client.post(
        reverse("outreach:event_add"),
        {
            "kind": "law_class",
            "title": "群租整治法治课堂",
            "starts_at": "2026-05-10T14:00",
            "place": "甲花园",
            "themes": ["group_rental"],
            "estates": [w.estate_a.pk, w.estate_b.pk],
        },
    )
    created = OutreachEvent.objects.get(title="群租整治法治课堂")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.theme_codes == ["group_rental"] and created.targets.count() == 2


def test_an_officer_cannot_plan_for_another_subdistrict(catalog: World) -> None:
    w = catalog
    response = w.client_for(w.officer_b).post(
        reverse("outreach:event_add"),
        {
            "kind": "law_class",
            "title": "越界",
            "starts_at": "2026-05-10T14:00",
            "estates": [w.estate_a.pk],
        },
    )
    assert response.status_code == 200 and not OutreachEvent.objects.filter(title="越界").exists()


def test_recording_the_event_as_held_with_attendance_and_materials(
    catalog: World, class_a: OutreachEvent
) -> None:
    w = catalog
    client = w.client_for(w.officer_a)
    page = text(client.get(class_a.get_absolute_url()))
    assert reverse("outreach:event_hold", args=[class_a.pk]) in page
    response = client.post(
        reverse("outreach:event_hold", args=[class_a.pk]),
        {
            f"estate_{w.estate_a.pk}": "35",
            "attendance": "",
            "note": "居民提问踊跃",
            "materials": [SimpleUploadedFile("课件.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    class_a.refresh_from_db()
    assert class_a.status == EventStatus.HELD and class_a.attendance == 35
    page = text(client.get(class_a.get_absolute_url()))
    assert "课件.pdf" in page and 'data-testid="event-status">已举办' in page.replace("\n", "")
    # officer B cannot even open the form
    assert (
        w.client_for(w.officer_b).get(reverse("outreach:event_hold", args=[class_a.pk])).status_code
        == 404
    )


def test_cancel_asks_for_confirmation(catalog: World, class_a: OutreachEvent) -> None:
    w = catalog
    client = w.client_for(w.dispatcher)
    url = reverse("outreach:event_cancel", args=[class_a.pk])
    assert 'data-testid="confirm-cancel"' in text(client.get(url))
    class_a.refresh_from_db()
    assert class_a.status == EventStatus.PLANNED
    client.post(url, {"reason": "场地不可用"})
    class_a.refresh_from_db()
    assert class_a.status == EventStatus.CANCELLED


def test_event_list_filters_and_exports(catalog: World, class_a: OutreachEvent) -> None:
    w = catalog
    event(w, title="乙公寓违规充电课堂", estates=[w.estate_b], themes=["ebike_charging"])
    client = w.client_for(w.dispatcher)
    page = text(client.get(reverse("outreach:event_list") + "?theme=ebike_charging"))
    assert "乙公寓违规充电课堂" in page and "甲花园法治课堂" not in page
    page = text(client.get(reverse("outreach:event_list") + f"?subdistrict={w.sd_a.pk}"))
    assert "甲花园法治课堂" in page and "乙公寓违规充电课堂" not in page
    response = client.get(reverse("outreach:event_list") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_drill_down_lists_the_complaints_behind_the_figure(
    catalog: World, class_a: OutreachEvent
) -> None:
    from xiaoqu.analytics.build import analytics_build
    from xiaoqu.intake import services as intake
    from xiaoqu.intake.choices import Channel
    from xiaoqu.law.models import ViolationType

    w = catalog
    c = intake.complaint_create(
        actor=w.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆放杂物很多",
        estate=w.estate_a,
        violation_type=ViolationType.objects.effective().get(code="common_area_occupation"),
        received_at=at(2026, 2, 3),
        at=at(2026, 2, 3),
    )
    analytics_build(district=w.district)
    client = w.client_for(w.dispatcher)
    detail = text(client.get(class_a.get_absolute_url()))
    assert 'data-testid="before-count">1<' in detail
    records = text(
        client.get(reverse("outreach:event_records", args=[class_a.pk]) + "?part=before")
    )
    assert c.number in records
    after = text(client.get(reverse("outreach:event_records", args=[class_a.pk]) + "?part=after"))
    assert c.number not in after


@pytest.fixture
def session(catalog: World) -> Any:
    w = catalog
    t = training(w, title="甲物业发现劝阻报告培训")
    rows = TrainingAttendance.objects.filter(training=t)
    marks = {
        r.pk: Presence.ABSENT if r.company_id == w.company_a.pk else Presence.PRESENT for r in rows
    }
    services.training_attendance_record(
        actor=w.dispatcher, training=t, marks=marks, at=at(2026, 3, 20, 17)
    )
    return t


def test_property_staff_see_their_own_companys_attendance_only(
    catalog: World, session: Any
) -> None:
    w = catalog
    url = session.get_absolute_url()
    mine = text(w.client_for(w.clerk_a).get(url))
    assert "甲经理" in mine and "双区经理" not in mine
    assert "甲物业发现劝阻报告培训" in text(
        w.client_for(w.clerk_a).get(reverse("outreach:training_list"))
    )
    assert reverse("outreach:training_attendance", args=[session.pk]) not in mine
    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.tests.factories import UserFactory

    clerk_c = UserFactory.create(
        username="clerk_c",
        role=Role.PROPERTY_STAFF,
        district=w.district,
        property_company=w.company_c,
    )
    assert w.client_for(clerk_c).get(url).status_code == 404
    assert w.client_for(w.officer_a).get(url).status_code == 404
    both = text(w.client_for(w.liaison).get(url))  # the housing bureau organised it
    assert "甲经理" in both and "双区经理" in both


def test_absences_show_in_the_company_credit_record(catalog: World, session: Any) -> None:
    w = catalog
    record = text(
        w.client_for(w.dispatcher).get(reverse("credit:company_record", args=[w.company_a.pk]))
    )
    panel = record.split('data-testid="company-trainings"')[1]
    assert "甲物业发现劝阻报告培训" in panel
    assert 'data-testid="trainings-absent">缺席 1<' in panel.replace("\n", "").replace("  ", "")
    assert 'data-testid="trainings-manager-absent"' in panel and "甲经理" in panel
    own = w.client_for(w.clerk_a).get(reverse("credit:my_record"), follow=True)
    assert "甲物业发现劝阻报告培训" in text(own)
    desk = text(w.client_for(w.clerk_a).get(reverse("credit:desk")))
    assert 'data-testid="company-trainings"' in desk
    other = text(
        w.client_for(w.dispatcher).get(reverse("credit:company_record", args=[w.company_b.pk]))
    )
    assert 'data-testid="trainings-absent">缺席 0<' in other.replace("\n", "").replace("  ", "")


def test_attendance_page_records_and_holds_the_session(catalog: World) -> None:
    w = catalog
    t = training(w, starts_at=timezone.now() - dt.timedelta(hours=2))
    rows = list(TrainingAttendance.objects.filter(training=t))
    client = w.client_for(w.liaison)
    page = text(client.get(reverse("outreach:training_attendance", args=[t.pk])))
    assert all(f'name="presence_{r.pk}"' in page for r in rows)
    data = {f"presence_{r.pk}": "present" for r in rows}
    data[f"presence_{rows[0].pk}"] = "excused"
    data[f"note_{rows[0].pk}"] = "请假"
    assert (
        client.post(reverse("outreach:training_attendance", args=[t.pk]), data).status_code == 302
    )
    t.refresh_from_db()
    assert t.status == TrainingStatus.HELD
    assert TrainingAttendance.objects.get(pk=rows[0].pk).presence == Presence.EXCUSED
    # the officer of a subdistrict may not record anything
    assert (
        w.client_for(w.officer_a)
        .get(reverse("outreach:training_attendance", args=[t.pk]))
        .status_code
        == 404
    )


def test_printable_sign_in_sheet_lists_companies_and_managers(catalog: World) -> None:
    w = catalog
    t = training(w)
    sheet = text(w.client_for(w.dispatcher).get(reverse("outreach:training_sheet", args=[t.pk])))
    for name in ("甲物业公司", "双区物业公司", "甲经理", "双区经理"):
        assert name in sheet
    assert sheet.count('data-testid="sheet-row"') == 4
    export = w.client_for(w.dispatcher).get(reverse("outreach:training_list") + "?export=xlsx")
    assert export.status_code == 200


def test_the_panel_follows_the_viewers_scope(catalog: World, session: Any) -> None:
    w = catalog
    url = reverse("credit:company_record", args=[w.company_a.pk])
    officer = text(w.client_for(w.officer_a).get(url))  # 甲花园 is in the officer's subdistrict
    panel = officer.split('data-testid="company-trainings"')[1]
    assert "甲物业发现劝阻报告培训" in panel
    assert session.get_absolute_url() not in panel  # the session's page is not the officer's
    studio = w.client_for(w.member_a).get(url)
    assert studio.status_code == 200 and 'data-testid="company-trainings"' not in text(studio)
