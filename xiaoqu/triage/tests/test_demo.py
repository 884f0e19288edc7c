"""The demo's batch of bare 12345 work orders: triaged on arrival, labelled demo data, once."""

from __future__ import annotations

from typing import Any

import pytest

from xiaoqu.intake.models import Complaint
from xiaoqu.triage import services
from xiaoqu.triage.demo import BATCH, demo_work_orders
from xiaoqu.triage.models import TriageRecord

from .fakes import FakeEngine


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(services, "triage_engine", lambda district=None: fake)
    return fake


def test_demo_work_orders_are_triaged_demo_data_once(catalog: Any, engine: FakeEngine) -> None:
    catalog.dispatcher.is_demo = True
    catalog.dispatcher.save(update_fields=["is_demo"])
    result = demo_work_orders(district=catalog.district, seed=7)
    assert result.created == BATCH
    orders = Complaint.objects.filter(external_no__startswith="DEMO")
    assert orders.count() == BATCH
    assert all(c.is_demo and c.channel == "hotline" for c in orders)
    assert all(c.lead is not None and c.lead.is_demo for c in orders if c.lead.complaint_count == 1)
    assert TriageRecord.objects.filter(complaint__in=orders).count() == BATCH
    assert result.queued == TriageRecord.objects.filter(needs_review=True).count()
    again = demo_work_orders(district=catalog.district, seed=7)
    assert again.skipped == "already" and orders.count() == BATCH


def test_no_demo_dispatcher_no_orders(catalog: Any, engine: FakeEngine) -> None:
    assert demo_work_orders(district=catalog.district, seed=7).skipped == "no_dispatcher"
    assert not Complaint.objects.exists()
