"""Inaction, slow and wrong action found in the event log, on constructed records."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoqu.intake import services as intake
from xiaoqu.oversight.choices import ItemKind, LapseKind, LapseReason
from xiaoqu.oversight.lapses import lapses_refresh
from xiaoqu.oversight.models import Lapse
from xiaoqu.referrals import services as referrals

from .factories import LATER, T0, closed_lead, complaint_at, referral_at, swept

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def lapses_of(record, kind: str) -> list[Lapse]:
    return list(Lapse.objects.filter(item_kind=kind, number=str(record)))


@pytest.fixture
def refresh(catalog):
    def run(at: dt.datetime = LATER + HOUR) -> dict[str, int]:
        return lapses_refresh(district=catalog.district, since=T0 - DAY, at=at)

    return run


def test_referral_without_action_is_inaction(catalog, refresh):
    w = catalog
    referral = referral_at(w, T0)
    swept()
    refresh()
    [lapse] = lapses_of(referral, ItemKind.REFERRAL)
    assert lapse.kind == LapseKind.INACTION
    assert lapse.reason == LapseReason.NO_ACTION
    assert lapse.department_id == w.housing.pk
    assert lapse.subdistrict_id == w.sd_a.pk
    assert lapse.estate_id == w.estate_a.pk
    assert lapse.finished_at is None
    assert lapse.link == f"/referrals/{referral.pk}/"
    assert lapse.occurred_at < LATER  # the deadline, not the sweep


def test_referral_answered_in_time_is_not_listed(catalog, refresh):
    w = catalog
    referral = referral_at(w, T0)
    referrals.referral_receive(referral=referral, actor=w.liaison, at=T0 + HOUR)
    referrals.referral_answer(referral=referral, actor=w.liaison, answer="已处理", at=T0 + DAY)
    swept()
    refresh()
    assert lapses_of(referral, ItemKind.REFERRAL) == []


def test_received_in_time_answered_late_is_slow(catalog, refresh):
    w = catalog
    referral = referral_at(w, T0)
    referrals.referral_receive(referral=referral, actor=w.liaison, at=T0 + HOUR)
    swept()
    referrals.referral_answer(referral=referral, actor=w.liaison, answer="已处理", at=LATER + DAY)
    refresh(LATER + 2 * DAY)
    [lapse] = lapses_of(referral, ItemKind.REFERRAL)
    assert lapse.kind == LapseKind.SLOW
    assert lapse.reason == LapseReason.FINISHED_LATE
    assert lapse.finished_at == LATER + DAY
    assert lapse.late_days is not None and lapse.late_days > 10


def test_nothing_before_the_deadline_stays_inaction_when_finished_later(catalog, refresh):
    w = catalog
    referral = referral_at(w, T0)
    swept()
    refresh()
    referrals.referral_receive(referral=referral, actor=w.liaison, at=LATER + DAY)
    referrals.referral_answer(referral=referral, actor=w.liaison, answer="已处理", at=LATER + DAY)
    result = refresh(LATER + 2 * DAY)
    [lapse] = lapses_of(referral, ItemKind.REFERRAL)
    assert lapse.kind == LapseKind.INACTION
    assert lapse.finished_at is not None  # shown: finished, but late
    assert result["created"] == 0 and result["updated"] >= 1


def test_reply_to_reporter(catalog, refresh):
    w = catalog
    complaint = complaint_at(w, T0)
    swept()
    refresh()
    [lapse] = lapses_of(complaint, ItemKind.COMPLAINT)
    assert (lapse.kind, lapse.reason) == (LapseKind.INACTION, LapseReason.NO_ACTION)
    intake.complaint_reply(
        complaint=complaint, actor=w.officer_a, text="已核实处理", at=LATER + DAY
    )
    refresh(LATER + 2 * DAY)
    [lapse] = lapses_of(complaint, ItemKind.COMPLAINT)  # updated, not duplicated
    assert (lapse.kind, lapse.reason) == (LapseKind.SLOW, LapseReason.REPLY_LATE)


def test_refresh_is_idempotent(catalog, refresh):
    referral_at(catalog, T0)
    swept()
    first = refresh()
    assert first["created"] > 0
    assert refresh() == {"created": 0, "updated": 0, "deleted": 0}


def test_wrong_action_returned_referral_and_reopened_lead(catalog, refresh):
    w = catalog
    referral = referral_at(w, T0)
    referrals.referral_return(
        referral=referral, actor=w.liaison, reason="不属于本部门", at=T0 + HOUR
    )
    lead = closed_lead(w, T0)
    intake.lead_reopen(lead=lead, actor=w.dispatcher, reason="群众反映仍存在", at=T0 + 2 * DAY)
    refresh(T0 + 3 * DAY)
    [returned] = lapses_of(referral, ItemKind.REFERRAL)
    assert (returned.kind, returned.reason) == (LapseKind.WRONG, LapseReason.REFERRAL_RETURNED)
    assert returned.detail == "不属于本部门"
    [reopened] = lapses_of(lead, ItemKind.LEAD)
    assert (reopened.kind, reopened.reason) == (LapseKind.WRONG, LapseReason.LEAD_REOPENED)
    assert reopened.link == f"/leads/{lead.pk}/"


def test_only_the_district_refreshed(catalog, refresh):
    from xiaoqu.regions.models import District

    referral_at(catalog, T0)
    swept()
    other = District.objects.create(code="310104", name="徐汇区", city="上海市")
    assert lapses_refresh(district=other, since=T0 - DAY, at=LATER + HOUR)["created"] == 0
    assert not Lapse.objects.filter(district=other).exists()
