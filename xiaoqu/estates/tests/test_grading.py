"""Estate risk grades: the computation on hand-built histories (each input moves the score
as the scheme says), thresholds, small estates, idempotent recomputation, overrides, scheme
versions, the sweep and the demo."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World
from xiaoqu.estates import grading
from xiaoqu.estates.choices import GradeSource, RiskGrade
from xiaoqu.estates.demo_grades import demo_grades
from xiaoqu.estates.models import Estate, EstateGrade
from xiaoqu.intake.choices import Channel, LeadStatus, Outcome
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType

SH = ZoneInfo("Asia/Shanghai")
MONTH = dt.date(2026, 6, 1)
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SH)


def complaint(estate: Estate, when: dt.datetime, *, repeat: bool = False) -> Complaint:
    return Complaint.objects.create(
        number=f"TS-{next(_numbers):06d}",
        channel=Channel.HOTLINE,
        received_at=when,
        content="投诉",
        district=estate.district,
        subdistrict=estate.subdistrict,
        estate=estate,
        is_repeat=repeat,
    )


def lead(
    estate: Estate,
    when: dt.datetime,
    *,
    code: str | None = "common_area_occupation",
    closed: dt.datetime | None = None,
    outcome: str = "",
) -> Lead:
    vt = ViolationType.objects.filter(code=code).first() if code else None
    return Lead.objects.create(
        number=f"TL-{next(_numbers):06d}",
        status=LeadStatus.CLOSED if closed else LeadStatus.DISPATCHED,
        district=estate.district,
        subdistrict=estate.subdistrict,
        estate=estate,
        violation_type=vt,
        summary="线索",
        received_at=when,
        closed_at=closed,
        outcome=outcome or (Outcome.NO_VIOLATION if closed else ""),
    )


def compute(world: World, estate: Estate, month: dt.date = MONTH) -> grading.GradeResult:
    scheme = grading.grade_scheme_for(district=world.district, month=month)
    estate.refresh_from_db()
    return grading.estate_grade_compute(estate=estate, as_of=month, scheme=scheme)


def inputs(result: grading.GradeResult) -> dict[str, grading.InputResult]:
    return {i.code: i for i in result.inputs}


@pytest.fixture
def estate(catalog: World) -> Estate:
    e = catalog.estate_a
    e.residents = 10000
    e.save()
    return e


def test_an_estate_without_history_scores_zero_and_is_good(catalog: World, estate: Estate) -> None:
    result = compute(catalog, estate)
    assert result.score == Decimal("0.00")
    assert result.grade == RiskGrade.GOOD
    assert [i.code for i in result.inputs] == [s.code for s in grading.INPUTS]


def test_complaints_per_10k_count_the_12_months_before_the_month(
    catalog: World, estate: Estate
) -> None:
    for day in range(1, 31):
        complaint(estate, at(2026, 5, day))
    complaint(estate, at(2025, 5, 31, 23))  # before the window
    complaint(estate, at(2026, 6, 1, 0))  # in the graded month itself
    complaint(catalog.estate_a2, at(2026, 5, 2))  # another estate
    item = inputs(compute(catalog, estate))["complaints"]
    assert item.raw == 30.0  # 30 ÷ 10,000 × 10,000
    assert item.detail["complaints"] == 30
    assert item.points == 15.0  # 30 × 30 / 60
    assert compute(catalog, estate).score == Decimal("15.00")


def test_complaints_saturate_at_the_reference(catalog: World, estate: Estate) -> None:
    for day in range(1, 29):
        for _ in range(4):
            complaint(estate, at(2026, 2, day))
    item = inputs(compute(catalog, estate))["complaints"]
    assert item.raw == 112.0
    assert item.normalised == 1.0
    assert item.points == 30.0


def test_open_violations_as_of_the_month(catalog: World, estate: Estate) -> None:
    lead(estate, at(2026, 5, 3))  # open
    lead(estate, at(2026, 5, 4), closed=at(2026, 6, 10))  # closed only after the month began
    lead(estate, at(2026, 5, 5), closed=at(2026, 5, 20))  # closed before
    lead(estate, at(2026, 6, 2))  # received after
    lead(estate, at(2026, 5, 6), code=None)  # no violation type of the bureau
    item = inputs(compute(catalog, estate))["open"]
    assert item.raw == 2.0
    assert item.points == 20.0  # 2 of 2: full weight
    # as of May, none of them had been received
    assert inputs(compute(catalog, estate, dt.date(2026, 5, 1)))["open"].raw == 0.0


def test_recurrence_is_the_same_type_within_90_days_after_a_closure(
    catalog: World, estate: Estate
) -> None:
    lead(estate, at(2026, 1, 5), closed=at(2026, 2, 1))
    lead(estate, at(2026, 4, 1), closed=at(2026, 4, 20))  # 59 days later: a recurrence
    lead(estate, at(2026, 4, 2), code="small_ads", closed=at(2026, 4, 3))  # another type
    lead(estate, at(2026, 5, 5), closed=at(2026, 5, 6), outcome=Outcome.REPEAT)
    lead(estate, at(2026, 5, 28), closed=at(2026, 5, 29))  # 38 days after 4-20: recurrence
    result = compute(catalog, estate)
    item = inputs(result)["recurrence"]
    # 4-01 after 2-01, 5-05 after 4-20 and 5-28 after 4-20 and 5-06 (repeat closures do not
    # count as closures, but the repeat lead received on 5-05 after the closure of 4-20 does)
    assert item.raw == 3.0
    assert item.points == 15.0
    # 100 days after a closure is not a recurrence
    other = catalog.estate_a2
    lead(other, at(2025, 12, 1), closed=at(2026, 1, 1))
    lead(other, at(2026, 4, 11), closed=at(2026, 4, 12))
    assert inputs(compute(catalog, other))["recurrence"].raw == 0.0


def test_repeat_complaints_and_pilot_status(catalog: World, estate: Estate) -> None:
    for day in range(1, 6):
        complaint(estate, at(2026, 3, day), repeat=True)
    complaint(estate, at(2026, 3, 9))
    estate.is_pilot = True
    estate.save()
    result = compute(catalog, estate)
    items = inputs(result)
    assert items["repeat"].raw == 5.0 and items["repeat"].points == 10.0
    assert items["pilot"].raw == 1.0 and items["pilot"].points == 10.0
    # complaints: 6 per 10k → 3 points
    assert result.score == Decimal("23.00")
    assert result.grade == RiskGrade.GENERAL


def test_thresholds(catalog: World) -> None:
    scheme = grading.grade_scheme_for(district=catalog.district, month=MONTH)
    assert grading.grade_for_score(Decimal("40.00"), scheme) == RiskGrade.KEY
    assert grading.grade_for_score(Decimal("39.99"), scheme) == RiskGrade.GENERAL
    assert grading.grade_for_score(Decimal("20.00"), scheme) == RiskGrade.GENERAL
    assert grading.grade_for_score(Decimal("19.99"), scheme) == RiskGrade.GOOD


def test_small_estates_and_estates_without_a_residents_figure(
    catalog: World, estate: Estate
) -> None:
    complaint(estate, at(2026, 5, 2))
    estate.residents, estate.households = None, None
    estate.save()
    item = inputs(compute(catalog, estate))["complaints"]
    assert item.raw is None and item.points == 0.0
    assert item.detail["residents_counted"] is None

    estate.residents = 50  # a tiny estate is counted at the minimum of 500 residents
    estate.save()
    item = inputs(compute(catalog, estate))["complaints"]
    assert item.detail["residents_counted"] == 500
    assert item.raw == 20.0

    estate.residents, estate.households = None, 400  # estimated: 400 × 2.5
    estate.save()
    item = inputs(compute(catalog, estate))["complaints"]
    assert item.detail["residents_estimated"] is True
    assert item.detail["residents_counted"] == 1000
    assert item.raw == 10.0


@pytest.fixture
def credit(catalog: World) -> World:
    from xiaoqu.credit.seed import credit_seed

    credit_seed()
    return catalog


def test_company_demerits_count_once_confirmed(credit: World) -> None:
    from xiaoqu.credit.services import demerit_confirm
    from xiaoqu.credit.tests.factories import proposal_at

    proposal = proposal_at(credit, at(2026, 3, 2, 9))
    assert inputs(compute(credit, credit.estate_a))["demerit"].raw == 0.0  # only proposed
    demerit_confirm(proposal=proposal, actor=credit.liaison, at=at(2026, 3, 20))
    points = proposal.company_points
    assert points > 0
    item = inputs(compute(credit, credit.estate_a))["demerit"]
    assert item.raw == float(points)
    assert item.points == pytest.approx(min(points / 12, 1) * 15, abs=0.01)
    # confirmed after the month began: not yet counted for March
    assert inputs(compute(credit, credit.estate_a, dt.date(2026, 3, 1)))["demerit"].raw == 0.0
    # another company's estate is not touched
    assert inputs(compute(credit, credit.estate_a2))["demerit"].raw == 0.0


def test_recompute_creates_then_changes_nothing_then_updates_what_changed(
    catalog: World, estate: Estate
) -> None:
    counts = grading.estate_grades_recompute(district=catalog.district, month=MONTH)
    assert counts == {"created": 3, "updated": 0, "unchanged": 0}
    row = EstateGrade.objects.get(estate=estate, month=MONTH)
    assert row.source == GradeSource.COMPUTED and row.scheme is not None
    assert set(row.inputs["inputs"]) == {s.code for s in grading.INPUTS}
    assert row.inputs["inputs"]["complaints"]["weight"] == 30.0

    again = grading.estate_grades_recompute(district=catalog.district, month=MONTH)
    assert again == {"created": 0, "updated": 0, "unchanged": 3}
    assert EstateGrade.objects.filter(month=MONTH).count() == 3

    for _ in range(3):
        lead(estate, at(2026, 5, 10))
    changed = grading.estate_grades_recompute(district=catalog.district, month=MONTH)
    assert changed == {"created": 0, "updated": 1, "unchanged": 2}
    row.refresh_from_db()
    assert row.inputs["inputs"]["open"]["raw"] == 3.0
    assert row.score == Decimal("20.00") and row.grade == RiskGrade.GENERAL


def test_recompute_sets_the_current_grade(catalog: World, estate: Estate) -> None:
    now = at(2026, 6, 15)
    for _ in range(2):
        lead(estate, at(2026, 5, 10))
    for day in range(1, 31):
        complaint(estate, at(2026, 4, day), repeat=True)
    grading.estate_grades_recompute(month=MONTH, at=now)
    estate.refresh_from_db()
    # open 20 + repeats 10 + complaints 15 = 45
    assert estate.risk_grade == RiskGrade.KEY
    catalog.estate_b.refresh_from_db()
    assert catalog.estate_b.risk_grade == RiskGrade.GOOD


def test_override_needs_a_reason_and_a_supervisor(catalog: World, estate: Estate) -> None:
    with pytest.raises(ValidationError):
        grading.estate_grade_override(
            estate=estate, grade=RiskGrade.KEY, reason="  ", actor=catalog.leader
        )
    for user in (catalog.officer_a, catalog.manager_a, catalog.clerk_a, catalog.legal):
        with pytest.raises(PermissionDenied):
            grading.estate_grade_override(
                estate=estate, grade=RiskGrade.KEY, reason="理由", actor=user
            )
    assert not EstateGrade.objects.filter(source=GradeSource.OVERRIDE).exists()


def test_override_is_recorded_holds_over_computation_and_can_be_lifted(
    catalog: World, estate: Estate
) -> None:
    now = at(2026, 6, 15)
    grading.estate_grades_recompute(month=MONTH, at=now)
    override = grading.estate_grade_override(
        estate=estate,
        grade=RiskGrade.KEY,
        reason="群租苗头多，会商决定加密巡查",
        actor=catalog.dispatcher,
        at=now,
    )
    assert override.actor == catalog.dispatcher and override.month == MONTH
    assert override.computed_at == now
    event = record_events(override).get()
    assert event.action == "override" and event.to_state == RiskGrade.KEY
    assert event.from_state == RiskGrade.GOOD and "群租" in event.reason
    estate.refresh_from_db()
    assert estate.risk_grade == RiskGrade.KEY

    # the monthly computation goes on but does not replace the override
    grading.estate_grades_recompute(month=dt.date(2026, 7, 1), at=at(2026, 7, 1, 1))
    estate.refresh_from_db()
    assert estate.risk_grade == RiskGrade.KEY

    lifted = grading.estate_grade_override_lift(
        override=override, actor=catalog.leader, reason="已整改", at=at(2026, 7, 2)
    )
    assert lifted.lifted_by == catalog.leader
    estate.refresh_from_db()
    assert estate.risk_grade == RiskGrade.GOOD
    with pytest.raises(ValidationError):
        grading.estate_grade_override_lift(override=lifted, actor=catalog.leader, reason="再次")


def test_override_with_a_last_month_expires_and_a_new_one_replaces_the_old(
    catalog: World, estate: Estate
) -> None:
    now = at(2026, 6, 15)
    grading.estate_grades_recompute(month=MONTH, at=now)
    first = grading.estate_grade_override(
        estate=estate, grade=RiskGrade.GENERAL, reason="一", actor=catalog.leader, at=now
    )
    second = grading.estate_grade_override(
        estate=estate,
        grade=RiskGrade.KEY,
        reason="二",
        actor=catalog.leader,
        valid_until=MONTH,
        at=now,
    )
    first.refresh_from_db()
    assert first.lifted_at == now and second.lifted_at is None
    estate.refresh_from_db()
    assert estate.risk_grade == RiskGrade.KEY
    grading.estate_grades_recompute(month=dt.date(2026, 7, 1), at=at(2026, 7, 1, 1))
    estate.refresh_from_db()
    assert estate.risk_grade == RiskGrade.GOOD
    with pytest.raises(ValidationError):
        grading.estate_grade_override(
            estate=estate,
            grade=RiskGrade.KEY,
            reason="三",
            actor=catalog.leader,
            valid_until=dt.date(2026, 5, 1),
            at=now,
        )


def scheme_values(**changes: Any) -> dict[str, Any]:
    return {k: Decimal(str(v)) for k, v in changes.items()}


def test_scheme_is_validated_and_edited_by_leaders_only(catalog: World) -> None:
    v1 = grading.grade_scheme_for(district=catalog.district, month=MONTH)
    assert v1.version == 1 and v1.key_threshold == Decimal(40)
    with pytest.raises(PermissionDenied):
        grading.grade_scheme_create(
            district=catalog.district,
            actor=catalog.dispatcher,
            effective_from=MONTH,
            values={},
        )
    with pytest.raises(ValidationError):
        grading.grade_scheme_create(
            district=catalog.district,
            actor=catalog.leader,
            effective_from=MONTH,
            values=scheme_values(general_threshold=50),
        )
    with pytest.raises(ValidationError):
        grading.grade_scheme_create(
            district=catalog.district,
            actor=catalog.leader,
            effective_from=MONTH,
            values=scheme_values(open_weight=-1),
        )
    v2 = grading.grade_scheme_create(
        district=catalog.district,
        actor=catalog.admin,
        effective_from=dt.date(2026, 6, 17),
        values=scheme_values(pilot_weight=30, key_threshold=25),
        note="试点阶段加大试点小区权重",
    )
    assert v2.version == 2 and v2.effective_from == MONTH and v2.created_by == catalog.admin
    assert v2.open_weight == v1.open_weight  # unchanged values carried over
    event = record_events(v2).get()
    assert event.data["changes"]["pilot_weight"] == ["10.00", "30"]
    assert grading.grade_scheme_for(district=catalog.district, month=MONTH) == v2
    assert grading.grade_scheme_for(district=catalog.district, month=dt.date(2026, 5, 1)) == v1


def test_a_new_scheme_changes_the_grade_of_its_months_only(catalog: World, estate: Estate) -> None:
    estate.is_pilot = True
    estate.save()
    may = dt.date(2026, 5, 1)
    grading.estate_grades_recompute(month=may, at=at(2026, 6, 15))
    grading.grade_scheme_create(
        district=catalog.district,
        actor=catalog.leader,
        effective_from=MONTH,
        values=scheme_values(pilot_weight=30, key_threshold=25),
    )
    grading.estate_grades_recompute(month=MONTH, at=at(2026, 6, 15))
    grading.estate_grades_recompute(month=may, at=at(2026, 6, 15))
    assert EstateGrade.objects.get(estate=estate, month=may).grade == RiskGrade.GOOD
    june = EstateGrade.objects.get(estate=estate, month=MONTH)
    assert june.grade == RiskGrade.KEY and june.scheme is not None and june.scheme.version == 2


def test_sweep_computes_the_current_month_once(catalog: World) -> None:
    now = at(2026, 6, 3)
    assert grading.estate_grades_sweep(at=now) == 3
    assert grading.estate_grades_sweep(at=now) == 0
    assert grading.estate_grades_sweep(at=at(2026, 6, 28)) == 0
    assert EstateGrade.objects.filter(month=MONTH).count() == 3
    assert grading.estate_grades_sweep(at=at(2026, 7, 1, 1)) == 3


def test_command_grades_a_month(catalog: World) -> None:
    out = StringIO()
    call_command("grade_estates", month="2026-05", stdout=out)
    assert EstateGrade.objects.filter(month=dt.date(2026, 5, 1)).count() == 3
    assert "2026-05" in out.getvalue()


def test_demo_grades_twelve_months_idempotently(catalog: World, estate: Estate) -> None:
    Estate.objects.update(is_demo=True, is_pilot=True)
    lead(estate, at(2026, 5, 3))
    now = at(2026, 6, 15)
    created = demo_grades(district=catalog.district, now=now)
    computed = EstateGrade.objects.filter(source=GradeSource.COMPUTED)
    assert computed.count() == 36
    assert set(computed.values_list("is_demo", flat=True)) == {True}
    months = sorted(set(computed.values_list("month", flat=True)))
    assert months[0] == dt.date(2025, 7, 1) and months[-1] == MONTH
    # a pilot estate computed as general is set to key by a leader, with the reason
    override = EstateGrade.objects.get(source=GradeSource.OVERRIDE)
    assert override.is_demo and override.reason and override.actor == catalog.leader
    assert created == 37
    assert demo_grades(district=catalog.district, now=now) == 0
    assert EstateGrade.objects.count() == 37
