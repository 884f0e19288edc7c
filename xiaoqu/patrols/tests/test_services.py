"""Patrol services: generation per frequency (idempotent), missed marking, the check-in
rules, the checklist, a finding turned into a lead with its photo, finishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xiaoqu.audit.services import audit_verify, record_attachments
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType
from xiaoqu.patrols import services
from xiaoqu.patrols.choices import PatrolStatus
from xiaoqu.patrols.models import PatrolTask

from .factories import at, photo

NOW = at(2026, 3, 2, 8)


def _grades(world: World) -> None:
    Estate.objects.filter(pk=world.estate_a.pk).update(risk_grade=RiskGrade.KEY)
    Estate.objects.filter(pk=world.estate_a2.pk).update(risk_grade=RiskGrade.GENERAL)
    Estate.objects.filter(pk=world.estate_b.pk).update(risk_grade=RiskGrade.GOOD)


def _all_ok(task: PatrolTask) -> dict[str, str]:
    return {code: "ok" for code in services.checklist_codes(task.due_date)}


def _done(task: PatrolTask, actor, when: dt.datetime) -> PatrolTask:
    services.patrol_check_in(task=task, actor=actor, at=when)
    return services.patrol_finish(task=task, actor=actor, results=_all_ok(task), at=when)


def test_generation_follows_the_frequency_of_each_grade(catalog: World):
    _grades(catalog)
    result = services.patrol_tasks_generate(at=NOW)
    assert result.created == 3 and result.missed == 0
    due = {t.estate_id: t.due_date for t in PatrolTask.objects.all()}
    today = dt.date(2026, 3, 2)
    assert due[catalog.estate_a.pk] == today + dt.timedelta(days=7)  # key: weekly
    assert due[catalog.estate_a2.pk] == today + dt.timedelta(days=14)  # general: fortnightly
    assert due[catalog.estate_b.pk] == today + dt.timedelta(days=30)  # good: monthly
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    assert task.team is not None and task.team.subdistrict_id == catalog.sd_a.pk
    assert task.studio == catalog.studio_a
    assert task.event_count == 1

    # after a done patrol the next one is due one interval later
    for estate in (catalog.estate_a, catalog.estate_a2):
        _done(PatrolTask.objects.get(estate=estate), catalog.officer_a, at(2026, 3, 4, 10))
    _done(PatrolTask.objects.get(estate=catalog.estate_b), catalog.officer_b, at(2026, 3, 4, 10))
    services.patrol_tasks_generate(at=at(2026, 3, 4, 18))
    nxt = {t.estate_id: t.due_date for t in PatrolTask.objects.filter(status=PatrolStatus.OPEN)}
    assert nxt[catalog.estate_a.pk] == dt.date(2026, 3, 11)
    assert nxt[catalog.estate_a2.pk] == dt.date(2026, 3, 18)
    assert nxt[catalog.estate_b.pk] == dt.date(2026, 4, 3)


def test_the_frequency_is_data(catalog: World):
    _grades(catalog)
    services.frequency_update(
        actor=catalog.dispatcher, district=catalog.district, intervals={"key": 3}
    )
    services.patrol_tasks_generate(at=NOW)
    assert PatrolTask.objects.get(estate=catalog.estate_a).due_date == dt.date(2026, 3, 5)
    with pytest.raises(ValidationError):
        services.frequency_update(
            actor=catalog.officer_a, district=catalog.district, intervals={"key": 1}
        )
    with pytest.raises(ValidationError):
        services.frequency_update(
            actor=catalog.dispatcher, district=catalog.district, intervals={"key": 0}
        )


def test_generation_is_idempotent(catalog: World):
    first = services.patrol_tasks_generate(at=NOW)
    second = services.patrol_tasks_generate(at=NOW)
    later = services.patrol_tasks_generate(at=NOW + dt.timedelta(hours=5))
    assert first.created == 3 and second.created == 0 and later.created == 0
    assert PatrolTask.objects.count() == 3


def test_open_tasks_past_due_are_missed_and_replaced(catalog: World):
    _grades(catalog)
    services.patrol_tasks_generate(at=NOW)
    started = PatrolTask.objects.get(estate=catalog.estate_a2)
    services.patrol_check_in(task=started, actor=catalog.officer_a, at=NOW)
    result = services.patrol_tasks_generate(at=at(2026, 3, 10, 1))  # key was due 3-9
    assert result.missed == 1 and result.created == 1
    missed = PatrolTask.objects.get(estate=catalog.estate_a, status=PatrolStatus.MISSED)
    assert missed.missed_at is not None
    assert missed.event_count == 2
    nxt = PatrolTask.objects.get(estate=catalog.estate_a, status=PatrolStatus.OPEN)
    assert nxt.due_date == dt.date(2026, 3, 16)  # the next window after the missed one
    # a checked-in patrol is not marked missed, and gets no second task
    started.refresh_from_db()
    assert started.status == PatrolStatus.IN_PROGRESS
    assert PatrolTask.objects.filter(estate=catalog.estate_a2).count() == 1
    assert services.patrol_tasks_generate(at=at(2026, 3, 10, 1)).created == 0
    assert audit_verify()[2] == []


def test_check_in_rules(catalog: World):
    services.patrol_tasks_generate(at=NOW)
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    for outsider in (catalog.officer_b, catalog.dispatcher, catalog.member_a, catalog.clerk_a):
        with pytest.raises(TransitionRefused):
            services.patrol_check_in(task=task, actor=outsider)
    with pytest.raises(TransitionRefused, match=r"Check in first|签到"):
        services.finding_record(task=task, actor=catalog.officer_a, description="x")
    services.patrol_check_in(
        task=task, actor=catalog.manager_a, latitude="31.2401234", longitude="121.39"
    )
    task.refresh_from_db()
    assert task.status == PatrolStatus.IN_PROGRESS and task.checked_in_by == catalog.manager_a
    assert str(task.latitude) == "31.240123" and task.checked_in_at is not None
    with pytest.raises(TransitionRefused):
        services.patrol_check_in(task=task, actor=catalog.officer_a)  # twice
    with pytest.raises(ValidationError):
        other = PatrolTask.objects.get(estate=catalog.estate_a2)
        services.patrol_check_in(task=other, actor=catalog.officer_a, latitude="200")


def test_checklist_saved_and_finish_needs_every_item(catalog: World):
    services.patrol_tasks_generate(at=NOW)
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    services.patrol_check_in(task=task, actor=catalog.officer_a)
    codes = services.checklist_codes()
    assert len(codes) == 13
    services.patrol_checklist_save(
        task=task, actor=catalog.officer_a, results={codes[0]: "ok", codes[1]: "problem"}
    )
    task.refresh_from_db()
    assert task.checklist == {codes[0]: "ok", codes[1]: "problem"}
    with pytest.raises(ValidationError):
        services.patrol_finish(task=task, actor=catalog.officer_a, summary="done")
    task.refresh_from_db()
    assert task.status == PatrolStatus.IN_PROGRESS
    rest = {c: "ok" for c in codes[2:]}
    services.patrol_finish(task=task, actor=catalog.officer_a, summary="一切正常", results=rest)
    task.refresh_from_db()
    assert task.status == PatrolStatus.DONE and len(task.checklist) == 13
    assert task.checklist[codes[1]] == "problem" and task.summary == "一切正常"
    with pytest.raises(TransitionRefused):
        services.patrol_finish(task=task, actor=catalog.officer_a)  # finishing twice


def test_a_finding_becomes_a_lead_with_its_photo(catalog: World):
    services.patrol_tasks_generate(at=NOW)
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    services.patrol_check_in(task=task, actor=catalog.officer_a)
    vt = ViolationType.objects.effective().get(code="common_area_occupation")
    finding = services.finding_record(
        task=task,
        actor=catalog.officer_a,
        description="3号楼楼道堆放杂物",
        violation_type=vt,
        address="3号楼2单元",
        uploads=[photo()],
    )
    task.refresh_from_db()
    assert task.checklist["common_area_occupation"] == "problem"
    assert [a.name for a in record_attachments(task)] == ["spot.png"]
    complaint = services.finding_to_lead(finding=finding, actor=catalog.officer_a)
    assert complaint.channel == Channel.PATROL
    assert complaint.estate == catalog.estate_a and complaint.violation_type == vt
    lead = complaint.lead
    assert lead is not None and lead.estate == catalog.estate_a and lead.violation_type == vt
    photos = list(record_attachments(complaint))
    assert [p.name for p in photos] == ["spot.png"] and photos[0].content_type == "image/png"
    finding.refresh_from_db()
    assert finding.complaint == complaint
    with pytest.raises(TransitionRefused):
        services.finding_to_lead(finding=finding, actor=catalog.officer_a)  # one lead only
    assert audit_verify()[2] == []


def test_a_finding_refuses_a_file_that_is_not_a_photo(catalog: World):
    services.patrol_tasks_generate(at=NOW)
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    services.patrol_check_in(task=task, actor=catalog.officer_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not a png at all", content_type="image/png")
    with pytest.raises(ValidationError):
        services.finding_record(task=task, actor=catalog.officer_a, description="x", uploads=[fake])
    assert not task.findings.exists()


def test_officer_b_cannot_act_on_a_task_of_a(catalog: World):
    services.patrol_tasks_generate(at=NOW)
    task = PatrolTask.objects.get(estate=catalog.estate_a)
    services.patrol_check_in(task=task, actor=catalog.officer_a)
    for call in (
        lambda: services.finding_record(task=task, actor=catalog.officer_b, description="x"),
        lambda: services.patrol_checklist_save(task=task, actor=catalog.officer_b, results={}),
        lambda: services.patrol_finish(task=task, actor=catalog.officer_b),
    ):
        with pytest.raises(TransitionRefused):
            call()
