from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from xiaoqu.audit.services import record_events
from xiaoqu.clinics import services
from xiaoqu.clinics.choices import ClinicSource, ClinicStatus
from xiaoqu.clinics.selectors import chronic_suggestions
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint

from .factories import at, clinic, complaint_row, held, vtype


def report(
    world: World, when: dt.datetime, *, estate=None, code: str = "common_area_occupation"
) -> Complaint:
    return intake.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道里堆满杂物",
        estate=estate or world.estate_a,
        violation_type=vtype(code),
        received_at=when,
        at=when,
    )


def test_suggestions_come_from_the_repeats_the_triage_marks(catalog: World) -> None:
    world = catalog
    for day in (3, 10, 17, 24):  # the same open matter: 1 lead, 3 repeats, marked chronic
        report(world, at(2030, 5, day))
    report(world, at(2030, 5, 3), estate=world.estate_b, code="small_ads")  # single
    for day in (3, 20):
        complaint_row(world, when=at(2030, 5, day), estate=world.estate_a2)  # no repeats
        complaint_row(world, when=at(2030, 5, day + 1), estate=world.estate_a2)
    rows = chronic_suggestions(user=world.dispatcher, today=dt.date(2030, 6, 10))
    assert [(s.estate, s.violation_type.code) for s in rows] == [
        (world.estate_a, "common_area_occupation")
    ]
    s = rows[0]
    assert (s.complaints, s.repeats, s.chronic_leads) == (4, 3, 1)
    assert s.per_10k == pytest.approx(4 / 1200 * 10_000)
    # not a year later: outside the window
    assert chronic_suggestions(user=world.dispatcher, today=dt.date(2031, 8, 1)) == []
    # an officer of the other subdistrict sees none of it
    assert chronic_suggestions(user=world.officer_b, today=dt.date(2030, 6, 10)) == []


def test_opening_a_suggestion_gathers_its_records_and_hides_it(catalog: World) -> None:
    world = catalog
    for day in (3, 10, 17):
        report(world, at(2030, 5, day))
    report(world, at(2030, 5, 4), code="small_ads")  # another problem: not gathered
    [s] = chronic_suggestions(user=world.dispatcher, today=dt.date(2030, 6, 10))
    c = services.clinic_open_from_suggestion(
        actor=world.dispatcher, estate=s.estate, violation_type=s.violation_type, at=at(2030, 6, 10)
    )
    assert c.source == ClinicSource.SUGGESTION and c.status == ClinicStatus.OPEN
    assert c.complaints.count() == 3 and c.leads.count() == 1
    assert set(c.subdistricts.all()) == {world.sd_a}  # the estate's subdistrict takes part
    assert "甲花园" in c.title and c.number.startswith("HZ-2030-")
    assert [e.action for e in record_events(c)] == ["opened"]
    assert chronic_suggestions(user=world.dispatcher, today=dt.date(2030, 6, 10)) == []


def test_only_dispatchers_open_clinics(catalog: World) -> None:
    for who in (catalog.officer_a, catalog.manager_a, catalog.liaison, catalog.legal):
        with pytest.raises(PermissionDenied):
            clinic(catalog, actor=who)


def test_gathering_by_hand_adds_and_takes_out_records(catalog: World) -> None:
    world = catalog
    c = clinic(world)
    mine = report(world, at(2030, 5, 3))
    other = report(world, at(2030, 5, 3), estate=world.estate_b)
    assert mine.lead is not None
    services.clinic_gather(
        actor=world.dispatcher, clinic=c, complaints=[mine, other], leads=[mine.lead]
    )
    services.clinic_gather(actor=world.dispatcher, clinic=c, complaints=[mine])  # no duplicate
    assert set(c.complaints.all()) == {mine, other} and list(c.leads.all()) == [mine.lead]
    services.clinic_release(actor=world.dispatcher, clinic=c, complaints=[other])
    assert list(c.complaints.all()) == [mine]
    actions = [e.action for e in record_events(c)]
    assert actions == ["opened", "gathered", "released"]
    events = list(record_events(c))
    assert events[1].data["complaints"] == [mine.number, other.number]
    with pytest.raises(PermissionDenied):
        services.clinic_gather(actor=world.officer_a, clinic=c, complaints=[mine])


def test_transitions_in_order_with_their_conditions(catalog: World) -> None:
    world = catalog
    c = clinic(world, at=at(2030, 6, 1))
    with pytest.raises(TransitionRefused, match="已会诊"):
        services.clinic_transition(actor=world.dispatcher, clinic=c, move="follow_up")
    with pytest.raises(TransitionRefused):  # no analysis yet
        services.clinic_transition(
            actor=world.dispatcher,
            clinic=c,
            move="hold",
            held_on=dt.date(2030, 6, 5),
            at=at(2030, 6, 6),
        )
    with pytest.raises(TransitionRefused):  # officers do not run clinics
        services.clinic_transition(actor=world.officer_a, clinic=c, move="drop", reason="x")
    held(world, c, dt.date(2030, 6, 5))
    assert c.status == ClinicStatus.HELD and c.held_on == dt.date(2030, 6, 5)
    with pytest.raises(TransitionRefused):  # no measure yet
        services.clinic_transition(actor=world.dispatcher, clinic=c, move="follow_up")
    m = services.measure_add(
        actor=world.dispatcher,
        clinic=c,
        text="物业每周巡查楼道",
        due_date=dt.date(2030, 7, 1),
        department=world.housing,
    )
    assert world.housing in c.departments.all()  # the responsible unit takes part
    services.clinic_transition(actor=world.dispatcher, clinic=c, move="follow_up")
    with pytest.raises(TransitionRefused):  # a measure is not done
        services.clinic_transition(actor=world.dispatcher, clinic=c, move="close")
    with pytest.raises(PermissionDenied):  # the officer of A is not responsible for it
        services.measure_done(actor=world.officer_a, measure=m)
    services.measure_done(actor=world.liaison, measure=m, note="已落实")
    with pytest.raises(TransitionRefused):  # twice
        services.measure_done(actor=world.liaison, measure=m)
    services.clinic_transition(
        actor=world.dispatcher, clinic=c, move="close", reason="问题基本解决"
    )
    assert c.status == ClinicStatus.CLOSED and c.conclusion == "问题基本解决"
    with pytest.raises(TransitionRefused):  # needs a reason
        services.clinic_transition(actor=world.dispatcher, clinic=c, move="reopen")
    services.clinic_transition(actor=world.dispatcher, clinic=c, move="reopen", reason="又有投诉")
    assert c.status == ClinicStatus.FOLLOW_UP and c.closed_at is None
    moves = [e.action for e in record_events(c) if e.from_state]
    assert moves == ["hold", "follow_up", "close", "reopen"]


def test_a_dropped_clinic_cannot_be_reopened(catalog: World) -> None:
    world = catalog
    c = clinic(world)
    services.clinic_transition(actor=world.dispatcher, clinic=c, move="drop", reason="重复立项")
    assert c.status == ClinicStatus.CLOSED
    with pytest.raises(TransitionRefused):
        services.clinic_transition(actor=world.dispatcher, clinic=c, move="reopen", reason="x")


def test_a_measure_needs_one_responsible_unit(catalog: World) -> None:
    from django.core.exceptions import ValidationError

    world = catalog
    c = clinic(world)
    with pytest.raises(ValidationError):
        services.measure_add(
            actor=world.dispatcher, clinic=c, text="x", due_date=dt.date(2030, 7, 1)
        )
    m = services.measure_add(
        actor=world.dispatcher,
        clinic=c,
        text="街道牵头清理",
        due_date=dt.date(2030, 7, 1),
        subdistrict=world.sd_a,
    )
    held(world, c, dt.date.today())
    services.measure_done(actor=world.manager_a, measure=m)  # the subdistrict's staff
