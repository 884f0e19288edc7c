"""The generated history of the closed loop in the demo (`xiaoqu load-demo`, history part).

One month of history is generated once for the module (twice, to compare: deterministic) on
the full demo, with a fixed "now", next to a few records that are not demo data; the tests
read it. Each test runs in its own savepoint, and the module's transaction is rolled back at
the end."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.models import Event, Notification
from xiaoqu.audit.services import audit_verify
from xiaoqu.core.demo import DEMO_SEED
from xiaoqu.core.demo.cases import cases_generate
from xiaoqu.core.demo.history import HistoryResult, history_generate, months_before
from xiaoqu.core.demo.history_texts import REFERRALS
from xiaoqu.estates.models import Estate
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, Channel, LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.law.workdays import is_working_day
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import District
from xiaoqu.regions.seed import PUTUO
from xiaoqu.supervision.models import UrgeNotice

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 16, 30, tzinfo=SH)  # a Wednesday afternoon
START = months_before(NOW, 1)


def fingerprint() -> list[list[Any]]:
    """What a run generated, without primary keys (PostgreSQL does not roll back sequences)."""
    complaints = Complaint.objects.filter(is_demo=True).order_by("pk")
    leads = Lead.objects.filter(is_demo=True).order_by("pk")
    return [
        list(
            complaints.values_list(
                "number", "channel", "received_at", "content", "reporter_name", "reporter_phone",
                "external_no", "lead__number", "replied_at", "reply_text",
            )
        ),
        list(
            leads.values_list(
                "number", "status", "outcome", "due_at", "closed_at", "subdistrict__code",
                "estate__name", "violation_type__code", "overdue_at",
            )
        ),
        list(
            Event.objects.order_by("pk").values_list(
                "record_type__model", "seq", "occurred_at", "actor_label", "action",
                "from_state", "to_state", "reason",
            )
        ),
    ]  # fmt: skip


def row_counts() -> dict[str, int]:
    models: tuple[Any, ...] = (
        Complaint, Lead, Referral, AssistanceRequest, Event, Notification, UrgeNotice
    )  # fmt: skip
    return {m.__name__: m._default_manager.count() for m in models}


@dataclass
class Loaded:
    district: District
    result: HistoryResult
    first: list[list[Any]]
    second: list[list[Any]]
    complete: list[list[Any]]  # with the demo cases load_demo generates next
    real_lead: Lead
    real_officer: User


def _real_records(district: District) -> tuple[Lead, User]:
    """Records that are not demo data: a dispatcher, an officer, and an open matter about a
    demo estate (not yet due), which the history must leave alone."""
    estate = Estate.objects.filter(district=district, is_demo=True).order_by("pk").first()
    assert estate is not None and estate.subdistrict is not None
    dispatcher = User.objects.create(
        username="real_dispatcher", role=Role.DISPATCHER, district=district, name="真调度"
    )
    officer = User.objects.create(
        username="real_officer",
        role=Role.OFFICER,
        district=district,
        subdistrict=estate.subdistrict,
        name="真队员",
    )
    received = NOW - dt.timedelta(hours=3)
    complaint = intake.complaint_create(
        actor=dispatcher,
        channel=Channel.HOTLINE,
        content="市民来电反映：楼道堆物。",
        estate=estate,
        violation_type=ViolationType.objects.effective().get(code="common_area_occupation"),
        reporter_phone="13900000000",
        received_at=received,
        at=received,
    )
    assert complaint.lead is not None
    return complaint.lead, officer


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Loaded]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", history=False, stdout=StringIO())
        district = District.objects.get(code=PUTUO.code)
        real_lead, real_officer = _real_records(district)
        with transaction.atomic():
            history_generate(district=district, months=1, now=NOW)
            first = fingerprint()
            transaction.set_rollback(True)
        result = history_generate(district=district, months=1, now=NOW)
        second = fingerprint()
        cases_generate(district=district, seed=DEMO_SEED, now=NOW)  # as load_demo does next
        yield Loaded(
            district=district,
            result=result,
            first=first,
            second=second,
            complete=fingerprint(),
            real_lead=real_lead,
            real_officer=real_officer,
        )
        transaction.set_rollback(True)


def test_deterministic(loaded: Loaded, db: Any) -> None:
    assert loaded.result.created
    assert loaded.first == loaded.second


def test_a_second_run_creates_nothing(loaded: Loaded, db: Any) -> None:
    before = row_counts()
    again = history_generate(district=loaded.district, months=1, now=NOW)
    assert not again.created and again.skipped == "already"
    assert again.leads == loaded.result.leads
    out = StringIO()
    call_command("load_demo", stdout=out)  # history on by default, and already there
    assert row_counts() == before
    assert fingerprint() == loaded.complete
    assert f"{loaded.result.complaints:,}" in out.getvalue()


def test_volume_and_every_lead_state(loaded: Loaded, db: Any) -> None:
    result = loaded.result
    # About 25 complaints a year per 10,000 residents: ~2,600 a month for 1.24 million.
    assert 180 <= result.complaints <= 350
    assert result.repeats > 0
    assert set(result.leads) == set(LeadStatus.values)
    assert result.outcomes["repeat"] > 0  # merged by the dispatcher
    assert {"answered", "received"} <= set(result.referrals)
    assert "answered" in result.assistance
    assert result.sweep == "ran"


def test_some_items_are_overdue_now_and_marked(loaded: Loaded, db: Any) -> None:
    overdue = Lead.objects.filter(is_demo=True, status__in=list(OPEN_LEAD_STATUSES), due_at__lt=NOW)
    assert overdue.exists()
    assert not overdue.filter(overdue_at__isnull=True).exists()  # the sweep marked them all
    assert loaded.result.overdue["leads"] == overdue.count()
    assert UrgeNotice.objects.exists()
    assert Event.objects.filter(action="overdue").exists()
    # most of the history was on time: overdue items are a small minority
    assert overdue.count() < 0.1 * Lead.objects.filter(is_demo=True).count()


def test_everything_generated_is_demo_data(loaded: Loaded, db: Any) -> None:
    models: tuple[Any, ...] = (Complaint, Lead, Referral, AssistanceRequest)
    for model in models:
        rows = model._default_manager.filter(is_demo=False)
        if model is Complaint:
            rows = rows.exclude(lead=loaded.real_lead)
        if model is Lead:
            rows = rows.exclude(pk=loaded.real_lead.pk)
        assert not rows.exists(), model
    acting = User.objects.filter(pk__in=Event.objects.exclude(actor=None).values("actor")).exclude(
        username="real_dispatcher"
    )
    assert not acting.filter(is_demo=False).exists()


def test_records_that_are_not_demo_data_are_left_alone(loaded: Loaded, db: Any) -> None:
    lead = Lead.objects.get(pk=loaded.real_lead.pk)
    assert lead.event_count == 1 and lead.complaint_count == 1
    assert lead.status == LeadStatus.PENDING_DISPATCH
    assert not Complaint.objects.filter(lead=lead, is_demo=True).exists()
    assert not Notification.objects.filter(recipient=loaded.real_officer).exists()


def test_every_event_chain_verifies(loaded: Loaded, db: Any) -> None:
    _records, events, problems = audit_verify()
    assert problems == []
    assert events > 4 * loaded.result.complaints


def test_jurisdiction(loaded: Loaded, db: Any) -> None:
    leads = Lead.objects.filter(is_demo=True)
    assert not leads.exclude(subdistrict=F("estate__subdistrict")).exists()
    assert not leads.exclude(district=F("estate__district")).exists()
    complaints = Complaint.objects.filter(is_demo=True)
    assert not complaints.exclude(subdistrict=F("estate__subdistrict")).exists()
    assert not complaints.exclude(estate=F("lead__estate")).exists()
    dispatched = leads.exclude(team=None)
    assert not dispatched.exclude(team__subdistrict=F("subdistrict")).exists()
    # officers act only in their own subdistrict, liaisons only for their department
    for event in Event.objects.filter(actor__role=Role.OFFICER).select_related("actor"):
        record = event.record_type.get_object_for_this_type(pk=event.record_id)
        lead = record if isinstance(record, Lead) else getattr(record, "lead", None)
        assert lead is not None and lead.subdistrict_id == event.actor.subdistrict_id
    for referral in Referral.objects.filter(is_demo=True):
        liaisons = Event.objects.filter(
            record_type__model="referral", record_id=referral.pk, actor__role=Role.LIAISON
        )
        assert not liaisons.exclude(actor__department=referral.department).exists()


def test_channels_kinds_and_referral_targets(loaded: Loaded, db: Any) -> None:
    complaints = Complaint.objects.filter(is_demo=True)
    channels = Counter(complaints.values_list("channel", flat=True))
    assert set(channels) == {
        Channel.HOTLINE, Channel.RESIDENT, Channel.PROPERTY_COMPANY, Channel.STUDIO,
        Channel.PATROL,
    }  # fmt: skip
    assert channels[Channel.HOTLINE] > 0.5 * sum(channels.values())
    kinds = Counter(
        Lead.objects.filter(is_demo=True)
        .exclude(violation_type=None)
        .values_list("violation_type__code", flat=True)
    )
    assert kinds.most_common(1)[0][0] == "common_area_occupation"
    assert {"ebike_parking", "renovation_unregistered", "illegal_construction"} <= set(kinds)
    targets = {texts.target for texts in REFERRALS.values()}
    for referral in Referral.objects.filter(is_demo=True).select_related("department"):
        if referral.target_code:  # a redirected referral names no target
            assert referral.target_code in targets
            assert referral.department.code == referral.target_code
        if "鸽" in referral.matter:
            assert referral.department.code in ("sports", "housing")
    assert Referral.objects.filter(is_demo=True, department__code="police").exists()


def test_texts_and_reporters(loaded: Loaded, db: Any) -> None:
    phone = re.compile(r"^1[3-9]\d{9}$")
    for complaint in Complaint.objects.filter(is_demo=True).select_related("estate"):
        assert complaint.estate is not None
        lanes = list(complaint.estate.addresses.values_list("address", flat=True))
        assert complaint.estate.name in complaint.content or any(
            lane in complaint.content for lane in lanes
        ), complaint.content
        assert any(complaint.address.startswith(lane) for lane in lanes)
        if complaint.reporter_phone:
            assert phone.match(complaint.reporter_phone)
        if complaint.channel == Channel.HOTLINE:
            assert complaint.external_no and complaint.content.startswith(("市民", "来电", "诉求"))
        if complaint.channel == Channel.PATROL:
            assert complaint.reply_due_at is None
        if complaint.channel == Channel.PROPERTY_COMPANY:
            assert complaint.reporter_company_id == complaint.estate.property_company_id
            assert (
                complaint.dissuaded_at is not None
                and complaint.dissuaded_at < complaint.received_at
            )
    replied = Complaint.objects.filter(is_demo=True).exclude(replied_at=None)
    assert replied.count() > 0.8 * Complaint.objects.filter(is_demo=True).count()


def test_times_follow_the_calendar(loaded: Loaded, db: Any) -> None:
    complaints = Complaint.objects.filter(is_demo=True)
    assert not complaints.filter(received_at__lt=START).exists()
    assert not Event.objects.filter(occurred_at__gt=NOW).exists()
    previous: dict[tuple[int, int], dt.datetime] = {}
    for key_type, key_id, occurred in Event.objects.order_by(
        "record_type", "record_id", "seq"
    ).values_list("record_type", "record_id", "occurred_at"):
        last = previous.get((key_type, key_id))
        assert last is None or occurred >= last  # each chain runs forward in time
        previous[(key_type, key_id)] = occurred
    for event in Event.objects.filter(action="dispatch"):
        local = event.occurred_at.astimezone(SH)
        assert 8 <= local.hour < 20  # the command centre's duty hours
    office_moves = ("reinspect_corrected", "reinspect_not_corrected", "hand_to_filing")
    for event in Event.objects.filter(action__in=office_moves):
        local = event.occurred_at.astimezone(SH)
        assert is_working_day(local.date()) and dt.time(8, 30) <= local.time() < dt.time(17, 30)
    for event in Event.objects.filter(
        record_type__model="referral", action__in=("receive", "answer")
    ):
        assert is_working_day(event.occurred_at.astimezone(SH).date())


def test_skipped_without_demo_users(loaded: Loaded, db: Any) -> None:
    other = District.objects.create(code="310108", name="演示外区")
    result = history_generate(district=other, months=1, now=NOW)
    assert not result.created and result.skipped == "no_users" and result.complaints == 0


def test_months_is_checked(loaded: Loaded, db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", months=0, stdout=StringIO())
