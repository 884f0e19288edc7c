"""Dashboards, the estate profile and the records behind a figure: who may open what, and the
drill-down lists equal the figures they come from."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoqu.analytics import drilldown, figures
from xiaoqu.analytics.build import analytics_build
from xiaoqu.analytics.figures import Period, Scope
from xiaoqu.conftest import World
from xiaoqu.departments.models import Department
from xiaoqu.intake import services as intake
from xiaoqu.law.models import ViolationType

pytestmark = pytest.mark.django_db


def _this_month() -> Period:
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def _complaint(world: World, estate: Any, code: str, text: str, days_ago: int = 1) -> Any:
    moment = timezone.now() - dt.timedelta(days=days_ago)
    if moment.month != timezone.localtime().month:
        moment = timezone.now() - dt.timedelta(hours=1)
    return intake.complaint_create(
        actor=world.dispatcher,
        channel="hotline",
        content=text,
        estate=estate,
        subdistrict=estate.subdistrict,
        violation_type=ViolationType.objects.get(code=code),
        received_at=moment,
        at=moment,
    )


@pytest.fixture
def data(catalog: World) -> World:
    """Three complaints at 甲花园 (one a repeat of the first's open lead), one at 甲新村, two
    at 乙公寓 (乙 in every text so that a leak shows)."""
    w = catalog
    _complaint(w, w.estate_a, "group_rental", "甲花园3号楼群租")
    _complaint(w, w.estate_a, "group_rental", "甲花园3号楼群租又来了")
    _complaint(w, w.estate_a, "small_ads", "甲花园小广告")
    _complaint(w, w.estate_a2, "ebike_charging", "甲新村飞线充电")
    _complaint(w, w.estate_b, "ebike_parking", "乙公寓楼道停车乙")
    _complaint(w, w.estate_b, "household_waste", "乙公寓垃圾乙")
    analytics_build(district=w.district)
    return w


def _get(world: World, user: Any, name: str, *args: Any, **params: Any) -> Any:
    url = reverse(name, args=args)
    return world.client_for(user).get(url, params)


# ---------------------------------------------------------------------------------------------
# Who may open which dashboard


@pytest.mark.parametrize("who", ["leader", "dispatcher", "admin", "legal"])
def test_district_dashboard_for_bureau_roles(data: World, who: str) -> None:
    response = _get(data, getattr(data, who), "analytics:district")
    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("chart-trend", "chart-areas", "chart-types"):
        assert f'id="{chart}"' in html
    assert "甲花园" in html and "乙公寓" in html  # top estates of the whole district


@pytest.mark.parametrize("who", ["officer_a", "manager_a", "liaison", "clerk_a", "member_a"])
def test_district_dashboard_refused_outside_the_bureau(data: World, who: str) -> None:
    assert _get(data, getattr(data, who), "analytics:district").status_code == 403


def test_my_dashboard_leads_to_the_users_own(data: World) -> None:
    team_a = Department.objects.get(subdistrict=data.sd_a)
    assert team_a.pk != data.housing.pk
    for who, target in (
        ("leader", reverse("analytics:district")),
        ("officer_a", reverse("analytics:subdistrict", args=[data.sd_a.pk])),
        ("manager_a", reverse("analytics:subdistrict", args=[data.sd_a.pk])),
        ("liaison", reverse("analytics:department", args=[data.housing.pk])),
    ):
        response = _get(data, getattr(data, who), "analytics:mine")
        assert response.status_code == 302 and response["Location"] == target, who
    for who in ("clerk_a", "member_a"):
        assert _get(data, getattr(data, who), "analytics:mine").status_code == 403


def test_subdistrict_dashboard_own_only(data: World) -> None:
    own = _get(data, data.officer_a, "analytics:subdistrict", data.sd_a.pk)
    assert own.status_code == 200
    html = own.content.decode()
    assert "甲花园" in html
    assert "乙" not in html and "丙" not in html
    assert _get(data, data.officer_a, "analytics:subdistrict", data.sd_b.pk).status_code in (
        403,
        404,
    )
    assert _get(data, data.leader, "analytics:subdistrict", data.sd_b.pk).status_code == 200
    for who in ("clerk_a", "member_a", "liaison"):
        response = _get(data, getattr(data, who), "analytics:subdistrict", data.sd_a.pk)
        assert response.status_code in (403, 404), who


def test_department_dashboard_scopes(data: World) -> None:
    team_a = Department.objects.get(subdistrict=data.sd_a)
    team_b = Department.objects.get(subdistrict=data.sd_b)
    assert _get(data, data.leader, "analytics:department", team_b.pk).status_code == 200
    assert _get(data, data.liaison, "analytics:department", data.housing.pk).status_code == 200
    assert _get(data, data.liaison, "analytics:department", team_a.pk).status_code == 403
    assert _get(data, data.officer_a, "analytics:department", team_a.pk).status_code == 200
    assert _get(data, data.officer_a, "analytics:department", team_b.pk).status_code == 403
    for who in ("clerk_a", "member_a"):
        response = _get(data, getattr(data, who), "analytics:department", team_a.pk)
        assert response.status_code in (403, 404), who


def test_estate_profile_follows_the_estate(data: World) -> None:
    response = _get(data, data.officer_a, "analytics:estate", data.estate_a.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="timeline"' in html
    assert "甲花园小广告" in html  # the complaint on the timeline
    assert _get(data, data.officer_a, "analytics:estate", data.estate_b.pk).status_code == 404
    assert _get(data, data.leader, "analytics:estate", data.estate_b.pk).status_code == 200
    assert _get(data, data.clerk_a, "analytics:estate", data.estate_b.pk).status_code == 404


def test_period_selection_and_fold(data: World) -> None:
    today = timezone.localdate()
    response = _get(
        data,
        data.leader,
        "analytics:district",
        kind="month",
        year=today.year,
        month=today.month,
        fold="on",
    )
    assert response.status_code == 200
    assert response.context["complaints_total"] == 5  # six complaints, one repeat folded
    response = _get(
        data, data.leader, "analytics:district", kind="month", year=today.year, month=today.month
    )
    assert response.context["complaints_total"] == 6


# ---------------------------------------------------------------------------------------------
# Records behind a figure


def _records(world: World, user: Any, **params: Any) -> Any:
    return world.client_for(user).get(reverse("analytics:records"), params)


def test_complaint_records_equal_the_figure(data: World) -> None:
    period = _this_month()
    scope = Scope(district_id=data.district.pk, subdistrict_id=data.sd_a.pk)
    for fold in (False, True):
        expected = figures.complaints(scope, period, fold_repeats=fold)
        params = drilldown.drill_params(figure="complaints", scope=scope, period=period, fold=fold)
        response = _records(data, data.leader, **params)
        assert response.status_code == 200
        assert response.context["total"] == expected
    assert figures.complaints(scope, period) == 4


def test_item_records_equal_the_rates(data: World) -> None:
    this = _this_month()
    period = Period(this.start, Period.month(this.end.year, this.end.month).end)  # + next month
    scope = Scope(district_id=data.district.pk)
    rates = figures.rates(scope, period)
    assert rates.on_time.denominator > 0  # the replies to reporters, due within days
    for figure, value in (
        ("due", rates.on_time.denominator),
        ("on_time", rates.on_time.numerator),
        ("closed", rates.closure.numerator),
        ("extended", rates.extension.numerator),
    ):
        params = drilldown.drill_params(figure=figure, scope=scope, period=period)
        response = _records(data, data.leader, **params)
        assert response.status_code == 200
        assert response.context["total_items"] == value, figure
    overdue = _records(data, data.leader, figure="overdue")
    assert overdue.context["total_items"] == figures.overdue_now(scope)
    leads = _records(
        data, data.leader, **drilldown.drill_params(figure="leads", scope=scope, period=period)
    )
    assert leads.context["total"] == rates.recurrence.denominator


def test_records_stay_in_the_users_scope(data: World) -> None:
    response = _records(data, data.officer_a, figure="complaints")
    assert response.status_code == 200
    assert response.context["total"] == 4
    assert "乙" not in response.content.decode()
    assert _records(data, data.officer_a, subdistrict=data.sd_b.pk).status_code == 403
    assert _records(data, data.officer_a, estate=data.estate_b.pk).status_code == 403
    for who in ("clerk_a", "member_a"):
        assert _records(data, getattr(data, who)).status_code == 403


def test_records_export_xlsx(data: World) -> None:
    response = _records(
        data, data.officer_a, figure="complaints", subdistrict=data.sd_a.pk, export="xlsx"
    )
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    body = [r for r in rows[1:] if any(r)]
    assert len(body) == 4
    flat = " ".join(str(v) for r in rows for v in r if v)
    assert "甲花园" in flat and "乙" not in flat
    assert (
        _records(data, data.officer_a, subdistrict=data.sd_b.pk, export="xlsx").status_code == 403
    )


def test_records_url_round_trip(data: World) -> None:
    scope = Scope(
        district_id=data.district.pk, subdistrict_id=data.sd_a.pk, violation_code="group_rental"
    )
    url = drilldown.records_url(figure="complaints", scope=scope, period=_this_month())
    response = data.client_for(data.leader).get(url)
    assert response.status_code == 200
    assert response.context["total"] == 2


def test_goals_claim_no_change_against_an_incomplete_baseline(data: World) -> None:
    """The demo's history starts mid-year: a change against a baseline year with months
    without data would read "+17,000 %"; the goals table shows "—" instead."""
    last_year = timezone.localdate().year - 1
    html = _get(data, data.leader, "analytics:district", baseline=last_year).content.decode()
    goals = html[html.index('data-testid="goals"') :]
    goals = goals[: goals.index("</table>")]
    assert goals.count(">—</span>") == 5
