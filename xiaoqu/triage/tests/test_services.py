"""Triage on arrival (what it fills, what it queues, what it dispatches), chronic matters and
the dispatchers' corrections, with a stand-in engine (see fakes.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.audit.models import Event, Notification
from xiaoqu.audit.services import audit_verify
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.triage import services
from xiaoqu.triage.models import Correction, TriageRecord

from .fakes import FakeEngine, lead_of, type_code


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(services, "triage_engine", lambda district=None: fake)
    return fake


def vt(code: str) -> ViolationType:
    return ViolationType.objects.effective().get(code=code)


def create(world: Any, content: str, **kwargs: Any) -> Complaint:
    kwargs.setdefault("actor", world.dispatcher)
    kwargs.setdefault("channel", "hotline")
    return intake.complaint_create(content=content, **kwargs)


def events(record: Any) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(record)
    return list(
        Event.objects.filter(record_type=ct, record_id=record.pk)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_triage_fills_type_and_estate_and_dispatches(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "甲花园3号楼楼道堆物严重，无法通行")
    complaint.refresh_from_db()
    assert complaint.violation_type is not None
    assert type_code(complaint) == "common_area_occupation"
    assert complaint.estate == catalog.estate_a
    assert complaint.subdistrict == catalog.sd_a
    record = complaint.triage
    assert record.confidence == pytest.approx(0.93)
    assert record.type_reason == "堆物"
    assert record.estate == catalog.estate_a and record.estate_reason
    assert record.model_version == "fake-1"
    assert not record.needs_review
    assert "triaged" in events(complaint)
    lead = lead_of(complaint)
    assert lead.status == LeadStatus.DISPATCHED
    assert lead.team is not None and lead.team.subdistrict == catalog.sd_a
    assert "auto_dispatch" in events(lead)
    problems = audit_verify()[2]
    assert problems == []


def test_below_threshold_goes_to_the_queue(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    complaint.refresh_from_db()
    assert complaint.violation_type is None
    assert complaint.estate == catalog.estate_a
    record = complaint.triage
    assert record.needs_review and record.violation_type == "household_waste"
    assert lead_of(complaint).status == LeadStatus.PENDING_DISPATCH


def test_confident_referral_waits_in_the_inbox_with_its_department(
    catalog: Any, engine: FakeEngine
) -> None:
    from xiaoqu.intake import selectors

    engine.rules["噪声"] = ("", "housing", 0.88)
    complaint = create(catalog, "甲花园楼上夜间噪声扰民")
    record = TriageRecord.objects.get(complaint=complaint)
    assert record.refer_to == "housing" and not record.needs_review
    complaint.refresh_from_db()
    assert complaint.violation_type is None
    inbox = selectors.dispatch_inbox(user=catalog.dispatcher)
    lead = vars(inbox.get(pk=lead_of(complaint).pk))  # with the inbox's annotations
    assert lead["status"] == LeadStatus.PENDING_DISPATCH
    assert lead["suggested_refer"] == "housing"
    assert lead["suggested_department"] == "区房管局"


def test_unsure_referral_is_queued(catalog: Any, engine: FakeEngine) -> None:
    engine.rules["噪声"] = ("", "police", 0.4)
    complaint = create(catalog, "甲花园楼上夜间噪声扰民")
    record = TriageRecord.objects.get(complaint=complaint)
    assert record.refer_to == "police" and record.needs_review


def test_no_place_is_queued(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "某处楼道堆物")
    record = TriageRecord.objects.get(complaint=complaint)
    assert record.needs_review
    assert lead_of(complaint).status == LeadStatus.PENDING_DISPATCH


def test_never_overrides_what_the_user_entered(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(
        catalog,
        "甲花园楼道堆物",
        estate=catalog.estate_a2,
        violation_type=vt("small_ads"),
    )
    complaint.refresh_from_db()
    assert complaint.estate == catalog.estate_a2
    assert type_code(complaint) == "small_ads"
    record = complaint.triage
    assert record.violation_type == "common_area_occupation"  # the guess is kept
    assert not record.needs_review
    # the dispatcher chose the type: the dispatch stays his
    assert lead_of(complaint).status == LeadStatus.PENDING_DISPATCH


def test_estate_of_another_subdistrict_than_given_is_not_filled(
    catalog: Any, engine: FakeEngine
) -> None:
    complaint = create(
        catalog, "乙公寓楼道堆物", actor=catalog.officer_a, channel="patrol", reporter_phone=""
    )
    complaint.refresh_from_db()
    assert complaint.estate is None and complaint.subdistrict == catalog.sd_a


def test_auto_dispatch_can_be_switched_off(catalog: Any, engine: FakeEngine, settings: Any) -> None:
    settings.XIAOQU_TRIAGE_AUTO_DISPATCH = False
    complaint = create(catalog, "甲花园楼道堆物")
    assert lead_of(complaint).status == LeadStatus.PENDING_DISPATCH


def test_no_engine_records_the_complaint_as_before(
    catalog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(district: Any = None) -> Any:
        raise RuntimeError("no model")

    monkeypatch.setattr(services, "triage_engine", broken)
    complaint = create(catalog, "甲花园楼道堆物")
    assert complaint.lead is not None
    assert not TriageRecord.objects.filter(complaint=complaint).exists()


def test_repeat_guess_attaches_to_the_open_lead(catalog: Any, engine: FakeEngine) -> None:
    first = create(catalog, "甲花园好像有点问题")  # queued, no type: its own lead
    engine.repeat = lambda item, items: f"complaint:{first.pk}"
    second = create(catalog, "甲花园还是那个问题好像")
    second.refresh_from_db()
    assert second.lead_id == first.lead_id and second.is_repeat
    assert second.triage.repeat_of == first
    assert lead_of(first).complaint_count == 2


def test_repeat_of_itself_is_ignored(catalog: Any, engine: FakeEngine) -> None:
    engine.repeat = lambda item, items: f"complaint:{item.id}"
    complaint = create(catalog, "甲花园楼道堆物")
    assert complaint.triage.repeat_of is None


# ---------------------------------------------------------------------------------------------
# Chronic


def _three(catalog: Any, days: tuple[int, int, int]) -> Lead:
    now = timezone.now()
    lead = None
    for offset in days:
        when = now - dt.timedelta(days=offset)
        complaint = create(
            catalog,
            "甲花园楼道堆物",
            estate=catalog.estate_a,
            violation_type=vt("common_area_occupation"),
            received_at=when,
            at=when,
        )
        lead = complaint.lead
    assert lead is not None
    return Lead.objects.get(pk=lead.pk)


def test_third_complaint_within_90_days_marks_chronic(catalog: Any, engine: FakeEngine) -> None:
    lead = _three(catalog, (80, 40, 1))
    assert lead.complaint_count == 3
    assert lead.chronic_since is not None
    assert events(lead).count("chronic") == 1
    assert Notification.objects.filter(recipient=catalog.dispatcher, link=lead.get_absolute_url())
    # a fourth does not mark it again
    create(
        catalog,
        "甲花园楼道堆物",
        estate=catalog.estate_a,
        violation_type=vt("common_area_occupation"),
    )
    lead.refresh_from_db()
    assert events(lead).count("chronic") == 1
    assert audit_verify()[2] == []


def test_three_complaints_over_120_days_are_not_chronic(catalog: Any, engine: FakeEngine) -> None:
    lead = _three(catalog, (120, 60, 0))
    assert lead.complaint_count == 3
    assert lead.chronic_since is None


def test_chronic_due() -> None:
    t = timezone.now()
    d = dt.timedelta
    assert services.chronic_due([t, t + d(days=45), t + d(days=90)])
    assert not services.chronic_due([t, t + d(days=60), t + d(days=120)])
    assert services.chronic_due([t, t + d(days=100), t + d(days=150), t + d(days=160)])


# ---------------------------------------------------------------------------------------------
# Corrections


def test_correct_type_updates_complaint_and_pending_lead(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    result = services.triage_correct(
        complaint=complaint, actor=catalog.dispatcher, violation_type="group_rental"
    )
    complaint.refresh_from_db()
    assert type_code(complaint) == "group_rental"
    lead = lead_of(complaint)
    assert type_code(lead) == "group_rental"
    assert [(c.field, c.old_value, c.new_value) for c in result.changes] == [
        ("violation_type", "household_waste", "group_rental")
    ]
    correction = Correction.objects.get(complaint=complaint)
    assert correction.text == complaint.content and correction.corrected_by == catalog.dispatcher
    record = TriageRecord.objects.get(complaint=complaint)
    assert record.reviewed_by == catalog.dispatcher and record.reviewed_at is not None
    assert "triage_corrected" in events(complaint)
    assert "triage_corrected" in events(lead)
    assert audit_verify()[2] == []


def test_correct_estate_and_referral(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "某处夜间噪声")
    services.triage_correct(
        complaint=complaint, actor=catalog.leader, refer_to="environment", estate=catalog.estate_b
    )
    complaint.refresh_from_db()
    assert complaint.estate == catalog.estate_b and complaint.subdistrict == catalog.sd_b
    fields = sorted(Correction.objects.filter(complaint=complaint).values_list("field", flat=True))
    assert fields == ["estate", "refer_to"]
    lead = lead_of(complaint)
    assert lead.estate == catalog.estate_b and lead.subdistrict == catalog.sd_b


def test_confirm_marks_reviewed_without_corrections(catalog: Any, engine: FakeEngine) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    services.triage_correct(complaint=complaint, actor=catalog.dispatcher)
    assert not Correction.objects.exists()
    assert TriageRecord.objects.get(complaint=complaint).reviewed_at is not None
    assert "triage_confirmed" in events(complaint)


def test_not_a_repeat_detaches(catalog: Any, engine: FakeEngine) -> None:
    first = create(catalog, "甲花园好像有点问题")
    engine.repeat = lambda item, items: f"complaint:{first.pk}"
    second = create(catalog, "甲花园好像又有问题")
    assert second.lead_id == first.lead_id
    services.triage_correct(complaint=second, actor=catalog.dispatcher, not_repeat=True)
    second.refresh_from_db()
    assert second.lead_id != first.lead_id and not second.is_repeat
    assert lead_of(first).complaint_count == 1
    assert Correction.objects.get(complaint=second).field == "repeat"
    assert audit_verify()[2] == []


@pytest.mark.parametrize("who", ["officer_a", "clerk_a", "legal", "liaison"])
def test_only_dispatchers_leaders_admins_correct(
    catalog: Any, engine: FakeEngine, who: str
) -> None:
    complaint = create(catalog, "甲花园好像有点问题")
    with pytest.raises(TransitionRefused):
        services.triage_correct(
            complaint=complaint, actor=getattr(catalog, who), violation_type="group_rental"
        )
    assert not Correction.objects.exists()


def test_admin_of_another_district_cannot_correct(catalog: Any, engine: FakeEngine) -> None:
    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.tests.factories import UserFactory
    from xiaoqu.regions.tests.factories import DistrictFactory

    elsewhere = DistrictFactory.create(code="310106", name="静安区")
    other = UserFactory.create(username="d2", role=Role.DISPATCHER, district=elsewhere)
    complaint = create(catalog, "甲花园好像有点问题")
    with pytest.raises(TransitionRefused):
        services.triage_correct(complaint=complaint, actor=other, violation_type="group_rental")
    services.triage_correct(complaint=complaint, actor=catalog.admin, violation_type="group_rental")


def test_with_the_real_engine(catalog: Any) -> None:
    """End to end: a first model trained from the corpus triages a complaint being entered."""
    from xiaoqu.triage.training import train

    version = train(activate="always")
    complaint = create(catalog, "市民来电反映甲花园3号楼楼道里堆放大量杂物和旧家具，影响通行")
    record = TriageRecord.objects.get(complaint=complaint)
    assert record.model_version == version.version
    assert record.violation_type == "common_area_occupation", record.type_reason
    assert record.type_reason
    assert record.estate == catalog.estate_a
    assert audit_verify()[2] == []
