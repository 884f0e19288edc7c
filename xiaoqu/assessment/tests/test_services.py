"""Evaluation on a constructed history, publishing and snapshot immutability, schemes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoqu.analytics.build import analytics_build
from xiaoqu.analytics.figures import Period
from xiaoqu.assessment import services
from xiaoqu.assessment.choices import TaskStatus, UnitKind
from xiaoqu.assessment.models import Snapshot
from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World

from .factories import at, complaint, history

Q1 = Period.quarter(2026, 1)


def _row(data, kind, unit_id):
    return next(u for u in data["tables"][kind] if u["id"] == unit_id)


@pytest.fixture
def hist(catalog: World) -> World:
    history(catalog)
    return catalog


def _indicators(scheme):
    return [
        {
            "code": i.code,
            "name": i.name,
            "applies_to": i.applies_to,
            "weight": i.weight,
            "direction": i.direction,
            "floor": i.floor,
            "target": i.target,
        }
        for i in scheme.indicators.order_by("order")
    ]


def test_evaluation_scores_the_change_of_complaints_per_10k(hist: World):
    w = hist
    scheme = services.scheme_default(district=w.district, year=2026)
    data = services.evaluate(scheme=scheme, period=Q1)
    a = _row(data, UnitKind.SUBDISTRICT, w.sd_a.pk)["cells"]["per_10k_change"]
    b = _row(data, UnitKind.SUBDISTRICT, w.sd_b.pk)["cells"]["per_10k_change"]
    # A: 6 vs 10 complaints on 5,000 residents: 12 vs 20 per 10k, −40 % → full 25 points
    assert (a["value"], a["numerator"], a["denominator"], a["points"]) == (-40, 6, 10, 25)
    # B: 10 vs 5: +100 % → 0 points
    assert (b["value"], b["points"]) == (100, 0)
    # departments are not assessed on complaints per 10k; the housing bureau is a unit
    dept = _row(data, UnitKind.DEPARTMENT, w.housing.pk)
    assert "per_10k_change" not in dept["cells"] and "referral_on_time" in dept["cells"]
    ranks = {u["id"]: u["rank"] for u in data["tables"][UnitKind.SUBDISTRICT]}
    assert ranks[w.sd_a.pk] == 1 and ranks[w.sd_b.pk] == 2


def test_a_snapshot_keeps_its_values_after_data_and_scheme_changes(hist: World):
    w = hist
    scheme = services.scheme_default(district=w.district, year=2026)
    snapshot = services.snapshot_publish(scheme=scheme, period=Q1, actor=w.leader)
    frozen = Snapshot.objects.get(pk=snapshot.pk).data
    assert services.snapshot_verify(snapshot)
    assert record_events(snapshot).get().action == "published"

    # later data: 4 more complaints in A (10 vs 10: 0 % → 12.5 points), and a scheme edit
    for i in range(4):
        complaint(w, at(2026, 3, 20 + i), estate=w.estate_a)
    analytics_build(district=w.district)
    rows = _indicators(scheme)
    rows[0]["weight"] = Decimal(40)
    services.scheme_update(
        scheme=scheme, actor=w.leader, name="2026年考核方案（修订）", indicators=rows
    )

    live = services.evaluate(scheme=scheme, period=Q1)
    cell = _row(live, UnitKind.SUBDISTRICT, w.sd_a.pk)["cells"]["per_10k_change"]
    assert (cell["value"], cell["points"]) == (0, 20)  # half of the new 40

    again = Snapshot.objects.get(pk=snapshot.pk)
    assert again.data == frozen and again.scheme_version == 1
    old = _row(again.data, UnitKind.SUBDISTRICT, w.sd_a.pk)["cells"]["per_10k_change"]
    assert (old["value"], old["points"]) == (-40, 25)
    assert again.data["indicators"][0]["weight"] == 25
    assert services.snapshot_verify(again)

    # a tampered table no longer matches its hash
    data = again.data
    _row(data, UnitKind.SUBDISTRICT, w.sd_a.pk)["total"] = 100
    Snapshot.objects.filter(pk=snapshot.pk).update(data=data)
    assert not services.snapshot_verify(again)


def test_only_leaders_publish_and_only_leaders_and_admins_edit(hist: World):
    w = hist
    scheme = services.scheme_default(district=w.district, year=2026)
    with pytest.raises(PermissionDenied):
        services.snapshot_publish(scheme=scheme, period=Q1, actor=w.dispatcher)
    with pytest.raises(PermissionDenied):
        services.scheme_update(
            scheme=scheme, actor=w.officer_a, name="x", indicators=_indicators(scheme)
        )
    updated = services.scheme_update(
        scheme=scheme, actor=w.admin, name="x", indicators=_indicators(scheme)[:2]
    )
    assert updated.version == 2 and updated.indicators.count() == 2


def test_scheme_rejects_a_target_on_the_wrong_side(catalog: World):
    scheme = services.scheme_default(district=catalog.district, year=2026)
    rows = _indicators(scheme)
    rows[1]["target"] = Decimal(50)  # on-time, higher is better, floor 60
    with pytest.raises(ValidationError):
        services.scheme_update(scheme=scheme, actor=catalog.leader, name="x", indicators=rows)
    scheme.refresh_from_db()
    assert scheme.version == 1 and scheme.indicators.get(code="on_time").target == 95


def test_default_weights_sum_to_100_for_each_kind_of_unit(catalog: World):
    scheme = services.scheme_default(district=catalog.district, year=2026)
    sums = services.weight_sums(_indicators(scheme))
    assert sums == {"subdistrict": 100, "department": 100}


def test_periods_parse_and_label():
    assert services.period_parse("2026Q2") == Period.quarter(2026, 2)
    assert services.period_parse("2025") == Period.year(2025)
    assert services.period_parse("2026Q5") is None and services.period_parse("x") is None
    assert services.period_key(Period.quarter(2026, 3)) == "2026Q3"
    import datetime as dt

    assert services.last_full_quarter(dt.date(2026, 2, 10)) == Period.quarter(2025, 4)


def test_task_progress_is_recorded(catalog: World):
    from xiaoqu.assessment.demo import demo_assessment

    demo_assessment(district=catalog.district, seed=1, now=at(2026, 5, 1))
    from xiaoqu.assessment.models import Task

    task = Task.objects.filter(phase__district=catalog.district).exclude(status=TaskStatus.DONE)[0]
    with pytest.raises(PermissionDenied):
        services.task_update(task=task, actor=catalog.officer_a, status=TaskStatus.DONE)
    done = services.task_update(
        task=task, actor=catalog.dispatcher, status=TaskStatus.DONE, at=at(2026, 5, 2)
    )
    assert str(done.done_date) == "2026-05-02" and not done.is_overdue()
    assert record_events(done).get().to_state == TaskStatus.DONE
