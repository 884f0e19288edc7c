"""A test recomputes every figure from raw rows and events and compares (issue 7).

Three months of the demo history on a small demo district are generated once for the module;
the tables are built; each figure read from the tables is compared with a straightforward
recomputation from the complaints, leads, referrals, assistance requests, cases and their
events, written here independently of the builder (Python over rows, no grouped SQL)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction

from xiaoqu.analytics import figures
from xiaoqu.analytics.build import analytics_build
from xiaoqu.analytics.figures import Period, Scope
from xiaoqu.audit.models import Event
from xiaoqu.cases.models import Case
from xiaoqu.core.demo import DEMO_SEED
from xiaoqu.core.demo.cases import cases_generate
from xiaoqu.core.demo.history import history_generate
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import District
from xiaoqu.regions.seed import PUTUO

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 25, 16, 30, tzinfo=SH)
PERIODS = [Period.month(2026, m) for m in (8, 9, 10, 11)]
WHOLE = Period(dt.date(2026, 8, 1), dt.date(2026, 12, 1))


def month(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(SH).date().replace(day=1)


def inside(m: dt.date | None, period: Period) -> bool:
    return m is not None and period.start <= m < period.end


@dataclass
class Raw:
    """The raw rows, read once, in plain Python structures."""

    district: District
    residents: dict[int, int]  # estate → residents
    estate_sub: dict[int, int | None]
    team_sub: dict[int, int | None]
    complaints: list[dict[str, Any]]
    leads: list[dict[str, Any]]
    items: list[dict[str, Any]]  # kind, month, sub, estate, dept, code, and the outcomes


def _events() -> dict[tuple[str, int], list[Event]]:
    out: dict[tuple[str, int], list[Event]] = defaultdict(list)
    for e in Event.objects.select_related("record_type").order_by("occurred_at", "pk"):
        out[(e.record_type.model, e.record_id)].append(e)
    return out


def _raw(district: District) -> Raw:
    events = _events()
    estates = Estate.objects.filter(district=district)
    complaints = [
        {
            "month": month(c.received_at),
            "sub": c.subdistrict_id,
            "estate": c.estate_id,
            "code": c.violation_type.code if c.violation_type else None,
            "dept": c.lead.team_id if c.lead else None,
            "repeat": c.is_repeat,
        }
        for c in Complaint.objects.filter(district=district).select_related(
            "violation_type", "lead"
        )
    ]
    items: list[dict[str, Any]] = []

    def item(kind: str, m: Any, sub: Any, estate: Any, dept: Any, code: Any, **flags: bool) -> None:
        items.append(
            {"kind": kind, "month": m, "sub": sub, "estate": estate, "dept": dept, "code": code}
            | {
                k: flags.get(k, False)
                for k in ("on_time", "late", "open_overdue", "closed", "reopened", "extended")
            }
        )

    def overdue_before(key: tuple[str, int], moment: dt.datetime) -> bool:
        return any(e.action == "overdue" and e.occurred_at <= moment for e in events[key])

    leads = []
    for lead in Lead.objects.filter(district=district).select_related("violation_type"):
        code = lead.violation_type.code if lead.violation_type else None
        if lead.outcome != "repeat" and lead.estate_id and code:
            leads.append(
                {"pk": lead.pk, "estate": lead.estate_id, "code": code, "received": lead.received_at,
                 "closed": lead.closed_at, "sub": lead.subdistrict_id, "dept": lead.team_id}
            )  # fmt: skip
        if lead.outcome == "repeat":
            continue
        key = ("lead", lead.pk)
        ends = [e.occurred_at for e in events[key] if e.to_state in ("closed", "to_filing")]
        done = lead.status in ("closed", "to_filing")
        finished = ends[-1] if done else None
        late = done and overdue_before(key, finished)  # type: ignore[arg-type]
        item(
            "lead", month(finished) if done else month(lead.due_at), lead.subdistrict_id,
            lead.estate_id, lead.team_id, code, on_time=done and not late, late=late,
            open_overdue=not done and lead.status != "referred" and lead.overdue_at is not None,
            closed=lead.status == "closed", reopened=lead.reopen_count > 0,
            extended=lead.extension_days > 0,
        )  # fmt: skip
    for c in Complaint.objects.filter(district=district, reply_due_at__isnull=False).select_related(
        "violation_type", "lead"
    ):
        done = c.replied_at is not None
        item(
            "reply", month(c.reply_due_at), c.subdistrict_id, c.estate_id,
            c.lead.team_id if c.lead else None, c.violation_type.code if c.violation_type else None,
            on_time=done and c.replied_at <= c.reply_due_at,
            late=done and c.replied_at > c.reply_due_at,
            open_overdue=not done and c.reply_overdue_at is not None, closed=done,
        )  # fmt: skip
    for model, kind, dropped in (
        (Referral, "referral", "withdrawn"),
        (AssistanceRequest, "assistance", "cancelled"),
    ):
        for r in model.objects.filter(lead__district=district).select_related(
            "lead__violation_type"
        ):
            if r.status == dropped:
                continue
            done = r.status == "answered"
            late = done and overdue_before(
                (kind if kind == "referral" else "assistancerequest", r.pk), r.answered_at
            )
            lead = r.lead
            item(
                kind, month(r.answered_at) if done else month(r.due_at), lead.subdistrict_id,
                lead.estate_id, r.department_id,
                lead.violation_type.code if lead.violation_type else None,
                on_time=done and not late, late=late,
                open_overdue=r.status in ("sent", "received", "returned") and not done
                and r.overdue_at is not None,
                closed=done,
            )  # fmt: skip
    for case in Case.objects.filter(district=district).select_related("violation_type", "lead"):
        done = case.decided_at is not None
        item(
            "case", month(case.decision_due_at), case.subdistrict_id, case.estate_id,
            case.lead.team_id if case.lead else None,
            case.violation_type.code if case.violation_type else None,
            on_time=done and case.decided_at <= case.decision_due_at,
            late=done and case.decided_at > case.decision_due_at,
            open_overdue=not done and case.overdue_at is not None,
            closed=case.status == "closed", extended=case.extension_days > 0,
        )  # fmt: skip
    return Raw(
        district=district,
        residents={e.pk: e.residents or 0 for e in estates},
        estate_sub={e.pk: e.subdistrict_id for e in estates},
        team_sub=dict(
            Department.objects.filter(district=district).values_list("pk", "subdistrict_id")
        ),
        complaints=complaints,
        leads=leads,
        items=items,
    )


@pytest.fixture(scope="module")
def raw(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Raw]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", history=False, estates=150, stdout=StringIO())
        district = District.objects.get(code=PUTUO.code)
        history_generate(district=district, months=3, now=NOW)
        cases_generate(district=district, seed=DEMO_SEED, now=NOW)
        analytics_build(district=district)
        yield _raw(district)
        transaction.set_rollback(True)


def _scopes(raw: Raw) -> list[Scope]:
    d = raw.district.pk
    subs = sorted({s for s in raw.estate_sub.values() if s})
    busiest = Counter(c["estate"] for c in raw.complaints if c["estate"]).most_common(1)[0][0]
    code = Counter(c["code"] for c in raw.complaints if c["code"]).most_common(1)[0][0]
    teams = sorted({c["dept"] for c in raw.complaints if c["dept"]})
    return [
        Scope(d),
        *(Scope(d, subdistrict_id=s) for s in subs),
        Scope(d, department_id=teams[0]),
        Scope(d, estate_id=busiest),
        Scope(d, violation_code=code),
        Scope(d, subdistrict_id=subs[0], violation_code=code),
    ]


def _matches(row: dict[str, Any], scope: Scope) -> bool:
    return (
        (scope.subdistrict_id is None or row["sub"] == scope.subdistrict_id)
        and (scope.department_id is None or row["dept"] == scope.department_id)
        and (scope.estate_id is None or row["estate"] == scope.estate_id)
        and (scope.violation_code is None or row["code"] == scope.violation_code)
    )


def _residents(raw: Raw, scope: Scope) -> int:
    sub = scope.subdistrict_id
    if scope.department_id is not None and raw.team_sub.get(scope.department_id):
        sub = raw.team_sub[scope.department_id]
    return sum(
        n
        for pk, n in raw.residents.items()
        if (sub is None or raw.estate_sub[pk] == sub) and (scope.estate_id in (None, pk))
    )


def test_the_history_is_large_enough_to_mean_something(raw: Raw, db: Any):
    assert len(raw.complaints) > 100 and len(raw.items) > 150
    kinds = Counter(i["kind"] for i in raw.items)
    assert kinds["lead"] and kinds["reply"] and kinds["referral"]
    assert any(i["late"] for i in raw.items) and any(i["on_time"] for i in raw.items)


def test_complaint_figures_equal_a_recount_of_the_complaints(raw: Raw, db: Any):
    for scope in _scopes(raw):
        people = _residents(raw, scope)
        assert figures.residents(scope) == people, scope
        for period in [*PERIODS, WHOLE]:
            rows = [c for c in raw.complaints if _matches(c, scope) and inside(c["month"], period)]
            assert figures.complaints(scope, period) == len(rows), (scope, period)
            folded = sum(1 for c in rows if not c["repeat"])
            assert figures.complaints(scope, period, fold_repeats=True) == folded
            rate = figures.per_10k(scope, period)
            assert rate.value == pytest.approx(len(rows) * 10_000 / people)
        months = figures.monthly(scope, WHOLE)
        assert [m.complaints for m in months] == [
            sum(1 for c in raw.complaints if _matches(c, scope) and c["month"] == p.start)
            for p in PERIODS
        ]
        types = Counter(
            c["code"] or ""
            for c in raw.complaints
            if _matches(c, scope) and inside(c["month"], WHOLE)
        )
        assert {t.code: t.complaints for t in figures.by_violation_type(scope, WHOLE)} == dict(
            types
        )


def test_subdistrict_and_estate_figures_equal_a_recount(raw: Raw, db: Any):
    whole = Scope(raw.district.pk)
    in_period = [c for c in raw.complaints if inside(c["month"], WHOLE)]
    by_sub = Counter(c["sub"] for c in in_period)
    for area in figures.by_subdistrict(whole, WHOLE):
        assert area.complaints == by_sub.get(area.subdistrict_id, 0)
        assert area.residents == _residents(
            raw, Scope(raw.district.pk, subdistrict_id=area.subdistrict_id)
        )
    by_estate = Counter(c["estate"] for c in in_period if c["estate"])
    top = figures.top_estates(whole, WHOLE, limit=1000)
    assert {f.estate_id: f.complaints for f in top} == dict(by_estate)
    for f in top:
        assert f.per_10k.value == pytest.approx(f.complaints * 10_000 / raw.residents[f.estate_id])
    ranked = [f for f in top if f.ranked]
    assert all(f.complaints >= 5 for f in ranked)
    shrunk = [f.shrunk or 0.0 for f in ranked]
    assert shrunk == sorted(shrunk, reverse=True)
    ids = list(by_estate)[:3]
    monthly = figures.estate_monthly(ids, WHOLE)
    for pk in ids:
        assert monthly[pk] == [
            sum(1 for c in raw.complaints if c["estate"] == pk and c["month"] == p.start)
            for p in PERIODS
        ]


def test_rates_equal_a_recount_of_the_records_and_their_events(raw: Raw, db: Any):
    for scope in _scopes(raw):
        for period in [*PERIODS, WHOLE]:
            items = [i for i in raw.items if _matches(i, scope) and inside(i["month"], period)]
            got = figures.rates(scope, period)
            n = Counter(k for i in items for k, v in i.items() if v is True)
            assert got.due == len(items), (scope, period)
            assert (got.on_time.numerator, got.on_time.denominator) == (n["on_time"], len(items))
            assert got.late == n["late"]
            assert (got.closure.numerator, got.closure.denominator) == (n["closed"], len(items))
            assert (got.rework.numerator, got.rework.denominator) == (n["reopened"], n["closed"])
            assert (got.extension.numerator, got.extension.denominator) == (
                n["extended"],
                len(items),
            )
            for kind in ("lead", "reply", "referral", "assistance", "case"):
                of_kind = [i for i in items if i["kind"] == kind]
                on_time = figures.rates(scope, period, kind=kind).on_time
                assert (on_time.numerator, on_time.denominator) == (
                    sum(i["on_time"] for i in of_kind),
                    len(of_kind),
                ), (scope, period, kind)
            leads = [
                lead
                for lead in raw.leads
                if _matches(lead, scope) and inside(month(lead["received"]), period)
            ]
            recurrences = sum(
                1
                for lead in leads
                if any(
                    other["estate"] == lead["estate"]
                    and other["code"] == lead["code"]
                    and other["closed"] is not None
                    and other["closed"]
                    < lead["received"]
                    <= other["closed"] + dt.timedelta(days=90)
                    for other in raw.leads
                )
            )
            assert (got.recurrence.numerator, got.recurrence.denominator) == (
                recurrences,
                len(leads),
            )
        overdue = sum(1 for i in raw.items if _matches(i, scope) and i["open_overdue"])
        assert figures.overdue_now(scope) == overdue, scope
