"""Pages of estate risk grades: the estate page explains the grade inside the user's
jurisdiction, overrides from the page, the scheme page read by all and edited by leaders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoqu.conftest import World
from xiaoqu.estates import grading
from xiaoqu.estates.choices import GradeSource, RiskGrade
from xiaoqu.estates.models import Estate, EstateGrade, GradeScheme
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint


@pytest.fixture
def graded(world: World) -> World:
    """Every estate graded this month; 甲花园 with complaints, 乙公寓 with a pilot flag."""
    now = timezone.now()
    for i in range(6):
        Complaint.objects.create(
            number=f"TV-{i:06d}",
            channel=Channel.HOTLINE,
            received_at=now - dt.timedelta(days=40 + i),
            content="投诉",
            district=world.district,
            estate=world.estate_a,
        )
    Estate.objects.filter(pk=world.estate_b.pk).update(is_pilot=True)
    grading.estate_grades_recompute(district=world.district, month=grading.current_month())
    return world


def page(world: World, user: Any, estate: Estate) -> Any:
    return world.client_for(user).get(reverse("estates:estate_detail", args=[estate.pk]))


def test_estate_page_explains_the_grade(graded: World) -> None:
    response = page(graded, graded.clerk_a, graded.estate_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="grade-panel"' in html
    assert 'data-testid="grade-input-complaints"' in html
    assert 'data-testid="grade-input-pilot"' in html
    row = EstateGrade.objects.get(estate=graded.estate_a, source=GradeSource.COMPUTED)
    assert row.inputs["inputs"]["complaints"]["raw"] == 50.0  # 6 ÷ 1,200 × 10,000
    points = f"{row.inputs['inputs']['complaints']['points']:g}"
    assert points in html
    assert f"v{row.scheme.version}" in html  # type: ignore[union-attr]
    assert "乙" not in html and "丙" not in html
    # property staff cannot override
    assert 'data-testid="grade-override-form"' not in html


def test_estate_page_of_another_jurisdiction_is_not_found(graded: World) -> None:
    assert page(graded, graded.officer_b, graded.estate_a).status_code == 404
    assert page(graded, graded.clerk_a, graded.estate_b).status_code == 404
    assert page(graded, graded.member_a, graded.estate_b).status_code == 404
    response = page(graded, graded.officer_b, graded.estate_b)
    assert response.status_code == 200
    assert "甲" not in response.content.decode().split('id="grade"')[1]


def test_supervisor_sees_the_override_form(graded: World) -> None:
    html = page(graded, graded.dispatcher, graded.estate_a).content.decode()
    assert 'data-testid="grade-override-form"' in html
    html = page(graded, graded.officer_a, graded.estate_a).content.decode()
    assert 'data-testid="grade-override-form"' not in html


def override(world: World, user: Any, estate: Estate, **data: Any) -> Any:
    url = reverse("estates:grade_override", args=[estate.pk])
    return world.client_for(user).post(url, {"grade": RiskGrade.KEY, **data})


def test_override_from_the_page(graded: World) -> None:
    assert override(graded, graded.officer_a, graded.estate_a, reason="x").status_code == 403
    assert override(graded, graded.officer_b, graded.estate_a, reason="x").status_code == 404
    refused = override(graded, graded.leader, graded.estate_a, reason="")
    assert refused.status_code == 400
    assert 'data-testid="error-reason"' in refused.content.decode()
    assert not EstateGrade.objects.filter(source=GradeSource.OVERRIDE).exists()

    done = override(graded, graded.leader, graded.estate_a, reason="群租苗头集中")
    assert done.status_code == 302
    row = EstateGrade.objects.get(source=GradeSource.OVERRIDE)
    assert row.actor == graded.leader and row.reason == "群租苗头集中"
    html = page(graded, graded.clerk_a, graded.estate_a).content.decode()
    assert 'data-testid="grade-override"' in html and "群租苗头集中" in html

    lift = graded.client_for(graded.dispatcher).post(
        reverse("estates:grade_override_lift", args=[row.pk]), {"lift_reason": "已整改"}
    )
    assert lift.status_code == 302
    row.refresh_from_db()
    assert row.lifted_by == graded.dispatcher


def test_scheme_page_read_by_all_edited_by_leaders(graded: World) -> None:
    url = reverse("estates:grade_scheme")
    html = graded.client_for(graded.clerk_a).get(url).content.decode()
    assert 'data-testid="scheme-table"' in html and 'data-testid="scheme-form"' not in html
    assert graded.client_for(graded.officer_a).post(url, {}).status_code == 403
    assert 'data-testid="scheme-form"' in graded.client_for(graded.leader).get(url).content.decode()

    scheme = grading.grade_scheme_for(district=graded.district, month=grading.current_month())
    data = {f: str(getattr(scheme, f)) for f in grading.SCHEME_FIELDS}
    data |= {"effective_from": grading.current_month().strftime("%Y-%m"), "note": "调整"}
    bad = graded.client_for(graded.leader).post(url, data | {"general_threshold": "60"})
    assert bad.status_code == 400
    assert 'data-testid="error-general_threshold"' in bad.content.decode()
    negative = graded.client_for(graded.leader).post(url, data | {"open_weight": "-2"})
    assert negative.status_code == 400
    assert GradeScheme.objects.count() == 1

    ok = graded.client_for(graded.leader).post(url, data | {"pilot_weight": "40"})
    assert ok.status_code == 302
    v2 = GradeScheme.objects.get(version=2)
    assert v2.pilot_weight == 40 and v2.created_by == graded.leader
    recompute = graded.client_for(graded.leader).post(reverse("estates:grade_recompute"))
    assert recompute.status_code == 302
    graded.estate_b.refresh_from_db()
    assert graded.estate_b.risk_grade == RiskGrade.KEY  # pilot 40 points ≥ 40
    old = graded.client_for(graded.officer_a).get(url + "?version=1")
    assert old.status_code == 200 and 'data-testid="scheme-version">v1' in old.content.decode()
    assert (
        graded.client_for(graded.officer_a).post(reverse("estates:grade_recompute")).status_code
        == 403
    )


def test_estate_list_filters_by_grade(graded: World) -> None:
    Estate.objects.filter(pk=graded.estate_a.pk).update(risk_grade=RiskGrade.KEY)
    html = (
        graded.client_for(graded.dispatcher)
        .get(reverse("estates:estate_list"), {"risk_grade": RiskGrade.KEY})
        .content.decode()
    )
    assert "甲花园" in html and "甲新村" not in html
