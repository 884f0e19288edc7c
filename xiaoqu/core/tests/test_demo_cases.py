"""Demo penalty cases: the demo's leads handed on to filing go through the procedure by the
real services, as far as their time allows; generated once, demo data only."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xiaoqu.audit.services import audit_verify
from xiaoqu.cases.choices import CaseStatus
from xiaoqu.cases.models import Case
from xiaoqu.conftest import World
from xiaoqu.core.demo.cases import cases_generate
from xiaoqu.credit.models import DemeritProposal
from xiaoqu.intake import services as intake
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")


def leads_to_file(world: World, n: int, start: dt.datetime) -> list[Any]:
    vt = ViolationType.objects.effective().get(code="common_area_occupation")
    leads = []
    for i in range(n):
        when = start + dt.timedelta(days=3 * i)
        c = intake.complaint_create(
            actor=world.dispatcher,
            channel="hotline",
            content=f"楼道堆物{i}",
            estate=world.estate_a if i % 2 else world.estate_a2,
            violation_type=vt,
            reporter_phone="13800001111",
            received_at=when,
            at=when,
        )
        assert c.lead is not None
        lead = intake.lead_dispatch(
            lead=c.lead, actor=world.dispatcher, at=when + dt.timedelta(hours=1)
        )
        lead = intake.lead_hand_to_filing(
            lead=lead, actor=world.officer_a, reason="需立案", at=when + dt.timedelta(hours=5)
        )
        leads.append(lead)
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(is_demo=True)
    for user in (world.officer_a, world.legal, world.leader):
        user.is_demo = True
        user.save(update_fields=["is_demo"])
    return leads


def test_demo_cases_run_the_procedure_as_far_as_time_allows(catalog: World):
    start = dt.datetime(2026, 3, 2, 9, tzinfo=SH)
    leads = leads_to_file(catalog, 12, start)
    now = start + dt.timedelta(days=60)  # the first leads are done, the last just handed on
    result = cases_generate(district=catalog.district, seed=7, now=now)
    assert result.created == len(leads)
    cases = Case.objects.all()
    assert cases.count() == len(leads) and not cases.filter(is_demo=False).exists()
    statuses = set(cases.values_list("status", flat=True))
    assert CaseStatus.CLOSED in statuses and len(statuses) >= 3
    assert {CaseStatus.UNDER_REVIEW, CaseStatus.DECIDED} <= statuses  # kept waiting there
    assert all(c.filed_at <= now for c in cases)
    assert not DemeritProposal.objects.filter(is_demo=False).exists()
    _records, _events, problems = audit_verify()
    assert problems == []
    # generated once
    again = cases_generate(district=catalog.district, seed=7, now=now)
    assert again.skipped == "already" and Case.objects.count() == len(leads)


def test_no_demo_cases_without_demo_leads(catalog: World):
    assert cases_generate(district=catalog.district, seed=7).skipped == "no_leads"
