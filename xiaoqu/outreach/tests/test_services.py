"""The writes: who may plan, the moves of an event and of a training, attendance."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoqu.audit.models import Attachment
from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.estates.tests.factories import ProjectManagerFactory
from xiaoqu.outreach import services
from xiaoqu.outreach.choices import EventStatus, Presence, TrainingStatus
from xiaoqu.outreach.models import TrainingAttendance

from .factories import at, event, training

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_event_is_planned_with_its_estates_and_themes_and_recorded(catalog: World) -> None:
    w = catalog
    e = event(w, estates=[w.estate_a, w.estate_b], themes=["group_rental", "small_ads"])
    assert e.status == EventStatus.PLANNED
    assert sorted(e.theme_codes) == ["group_rental", "small_ads"]
    assert {t.estate for t in e.targets.all()} == {w.estate_a, w.estate_b}
    [planned] = record_events(e)
    assert planned.action == "planned" and planned.actor == w.dispatcher


def test_unknown_theme_is_refused(catalog: World) -> None:
    with pytest.raises(ValidationError):
        event(catalog, themes=["no_such_type"])


def test_subdistrict_staff_plan_only_for_their_own_estates(catalog: World) -> None:
    w = catalog
    mine = event(w, actor=w.manager_a, estates=[w.estate_a, w.estate_a2])
    assert mine.created_by == w.manager_a
    with pytest.raises(PermissionDenied):
        event(w, actor=w.officer_a, estates=[w.estate_a, w.estate_b])
    with pytest.raises(PermissionDenied):
        event(w, actor=w.officer_a, estates=[])  # a district-wide event is the bureau's
    for outsider in (w.liaison, w.clerk_a, w.member_a):
        with pytest.raises(PermissionDenied):
            event(w, actor=outsider)
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=w.officer_b, event=mine, reason="不是我的", at=at(2026, 3, 2))


def test_holding_records_attendance_per_estate_and_refuses_before_the_day(catalog: World) -> None:
    w = catalog
    e = event(w, estates=[w.estate_a, w.estate_a2])
    with pytest.raises(TransitionRefused):
        services.event_hold(actor=w.dispatcher, event=e, attendance=10, at=at(2026, 3, 14))
    with pytest.raises(ValidationError):  # the total cannot be below the estates' sum
        services.event_hold(
            actor=w.dispatcher,
            event=e,
            attendance=10,
            per_estate={w.estate_a.pk: 8, w.estate_a2.pk: 7},
            at=at(2026, 3, 16),
        )
    held = services.event_hold(
        actor=w.dispatcher,
        event=e,
        per_estate={w.estate_a.pk: 30, w.estate_a2.pk: 12},
        uploads=[SimpleUploadedFile("讲义.pdf", PDF, content_type="application/pdf")],
        note="现场答疑",
        at=at(2026, 3, 16),
    )
    assert held.status == EventStatus.HELD and held.attendance == 42  # the estates' sum
    assert {t.estate_id: t.attendance for t in held.targets.all()} == {
        w.estate_a.pk: 30,
        w.estate_a2.pk: 12,
    }
    assert Attachment.objects.filter(record_id=held.pk, name="讲义.pdf").exists()
    with pytest.raises(TransitionRefused):  # held is final
        services.event_cancel(actor=w.dispatcher, event=held, reason="晚了", at=at(2026, 3, 17))
    with pytest.raises(TransitionRefused):
        services.event_update(actor=w.dispatcher, event=held, title="改名")


def test_cancelling_needs_a_reason_and_ends_the_event(catalog: World) -> None:
    w = catalog
    e = event(w)
    with pytest.raises(ValidationError):
        services.event_cancel(actor=w.dispatcher, event=e, reason=" ")
    e = services.event_cancel(actor=w.dispatcher, event=e, reason="下雨", at=at(2026, 3, 10))
    assert e.status == EventStatus.CANCELLED
    with pytest.raises(TransitionRefused):
        services.event_hold(actor=w.dispatcher, event=e, attendance=3, at=at(2026, 3, 16))


def test_update_changes_targets_and_themes(catalog: World) -> None:
    w = catalog
    e = event(w)
    e = services.event_update(
        actor=w.dispatcher,
        event=e,
        estates=[w.estate_a2],
        themes=["ebike_charging"],
        title="改期的课堂",
        at=at(2026, 3, 2),
    )
    assert e.title == "改期的课堂" and e.theme_codes == ["ebike_charging"]
    assert [t.estate for t in e.targets.all()] == [w.estate_a2]
    assert record_events(e).last().data["themes"] == ["ebike_charging"]  # type: ignore[union-attr]


def test_a_training_invites_each_company_and_its_project_managers(catalog: World) -> None:
    w = catalog
    ProjectManagerFactory.create(company=w.company_a, name="甲副经理")
    t = training(w)
    rows = TrainingAttendance.objects.filter(training=t)
    assert rows.filter(manager__isnull=True).count() == 2  # the two companies
    assert sorted(
        rows.filter(company=w.company_a)
        .exclude(manager=None)
        .values_list("manager__name", flat=True)
    ) == ["甲副经理", "甲经理"]
    assert set(rows.values_list("presence", flat=True)) == {Presence.INVITED}


def test_only_organising_departments_liaisons_plan_and_record(catalog: World) -> None:
    w = catalog
    greening = DepartmentFactory.create(district=w.district, code="greening", name="区绿化市容局")
    with pytest.raises(PermissionDenied):
        training(w, actor=w.liaison, organisers=[greening])
    mine = training(w, actor=w.liaison)  # the housing bureau's own
    other = training(w, organisers=[greening])
    for outsider in (w.officer_a, w.clerk_a):
        with pytest.raises(PermissionDenied):
            training(w, actor=outsider)
    with pytest.raises(PermissionDenied):
        services.training_cancel(actor=w.liaison, training=other, reason="x")
    services.training_cancel(actor=w.liaison, training=mine, reason="场地冲突", at=at(2026, 3, 5))


def test_recording_attendance_holds_the_session(catalog: World) -> None:
    w = catalog
    t = training(w)
    rows = {
        (r.company.name, r.manager.name if r.manager else ""): r
        for r in TrainingAttendance.objects.filter(training=t).select_related("company", "manager")
    }
    marks = {
        rows[("甲物业公司", "")].pk: Presence.ABSENT,
        rows[("甲物业公司", "甲经理")].pk: Presence.ABSENT,
        rows[("双区物业公司", "")].pk: Presence.PRESENT,
        rows[("双区物业公司", "双区经理")].pk: Presence.EXCUSED,
    }
    with pytest.raises(TransitionRefused):  # not yet
        services.training_attendance_record(
            actor=w.dispatcher, training=t, marks=marks, at=at(2026, 3, 19)
        )
    t = services.training_attendance_record(
        actor=w.dispatcher,
        training=t,
        marks=marks,
        notes={rows[("双区物业公司", "双区经理")].pk: "病假"},
        at=at(2026, 3, 20, 17),
    )
    assert t.status == TrainingStatus.HELD
    assert TrainingAttendance.objects.get(pk=rows[("双区物业公司", "双区经理")].pk).note == "病假"
    assert TrainingAttendance.objects.filter(training=t, presence=Presence.ABSENT).count() == 2
    last = record_events(t).last()
    assert last is not None and last.action == "attendance" and last.to_state == "held"
    # a correction later is recorded too; a row of another session is refused
    other = training(w, title="另一场")
    with pytest.raises(ValidationError):
        services.training_attendance_record(
            actor=w.dispatcher,
            training=t,
            marks={TrainingAttendance.objects.filter(training=other).first().pk: "present"},  # type: ignore[union-attr]
            at=at(2026, 3, 21),
        )


def test_no_attendance_for_a_cancelled_session(catalog: World) -> None:
    w = catalog
    t = services.training_cancel(
        actor=w.dispatcher, training=training(w), reason="取消", at=at(2026, 3, 5)
    )
    with pytest.raises(TransitionRefused):
        services.training_attendance_record(
            actor=w.dispatcher, training=t, marks={}, at=at(2026, 3, 21)
        )


def test_changing_invited_companies_adds_and_removes_their_rows(catalog: World) -> None:
    w = catalog
    t = training(w)
    services.training_update(
        actor=w.dispatcher, training=t, companies=[w.company_a, w.company_c], at=at(2026, 3, 2)
    )
    names = set(
        TrainingAttendance.objects.filter(training=t).values_list("company__name", flat=True)
    )
    assert names == {"甲物业公司", "丙物业公司"}
