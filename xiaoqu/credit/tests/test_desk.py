"""The property company's desk: its estates, their open matters, its reports (within 24 hours
of dissuasion?), its credit record and renovations; never another company's estates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoqu.conftest import World
from xiaoqu.credit.selectors import company_desk
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType
from xiaoqu.renovations.tests.factories import renovation_create

B_ONLY = re.compile(r"乙|丙")


@pytest.fixture
def desk_world(catalog: World) -> World:
    w = catalog
    vt = ViolationType.objects.get(code="common_area_occupation")
    now = timezone.now()
    w.lead_a = intake.complaint_create(  # type: ignore[attr-defined]
        actor=w.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆物",
        estate=w.estate_a,
        violation_type=vt,
    ).lead
    w.lead_b = intake.complaint_create(  # type: ignore[attr-defined]
        actor=w.dispatcher,
        channel=Channel.HOTLINE,
        content="乙公寓楼道堆物",
        estate=w.estate_b,
        violation_type=vt,
    ).lead
    w.late = intake.complaint_create(  # type: ignore[attr-defined]
        actor=w.clerk_a,
        channel=Channel.PROPERTY_COMPANY,
        content="业主私自改变房屋用途",
        estate=w.estate_a,
        violation_type=ViolationType.objects.get(code="use_change"),
        dissuaded_at=now - dt.timedelta(hours=30),
        dissuasion="上门劝阻无效",
    )
    w.on_time = intake.complaint_create(  # type: ignore[attr-defined]
        actor=w.clerk_a,
        channel=Channel.PROPERTY_COMPANY,
        content="群租",
        estate=w.estate_a,
        violation_type=ViolationType.objects.get(code="group_rental"),
        dissuaded_at=now - dt.timedelta(hours=3),
        dissuasion="劝阻",
    )
    renovation_create(actor=w.clerk_a, estate=w.estate_a, structural=True)
    return w


def test_desk_selector_scope_and_flags(desk_world: World) -> None:
    w = desk_world
    desk = company_desk(user=w.clerk_a, company=w.company_a)
    assert [e.name for e in desk.estates] == ["甲花园"]
    numbers = {lead.number for lead in desk.open_leads}
    assert w.lead_a.number in numbers and w.lead_b.number not in numbers  # type: ignore[attr-defined]
    late = {r.complaint.pk: r.late for r in desk.reports}
    assert late == {w.late.pk: True, w.on_time.pk: False}  # type: ignore[attr-defined]
    assert desk.reports_late == 1 and desk.reports_total == 2
    assert desk.renovations.in_progress == 1 and desk.renovations.structural_in_progress == 1


def test_desk_page_shows_only_the_company_estates(desk_world: World) -> None:
    w = desk_world
    response = w.client_for(w.clerk_a).get(reverse("credit:desk"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲花园" in page and w.lead_a.number in page  # type: ignore[attr-defined]
    assert w.lead_b.number not in page  # type: ignore[attr-defined]
    assert not B_ONLY.findall(page)
    assert 'data-testid="report-late"' in page


def test_desk_is_for_property_staff(desk_world: World) -> None:
    w = desk_world
    assert w.client_for(w.officer_a).get(reverse("credit:desk")).status_code == 404
