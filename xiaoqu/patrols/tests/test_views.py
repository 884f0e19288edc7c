"""Patrol pages through the user's jurisdiction: my patrols, a patrol from check-in to a
lead, refusals that keep what was typed, the list and its export, coverage, frequency."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from xiaoqu.conftest import World
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType
from xiaoqu.patrols import services
from xiaoqu.patrols.choices import PatrolStatus
from xiaoqu.patrols.models import PatrolTask

from .factories import photo

B_ONLY = re.compile(r"乙|丙")


def html(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


@pytest.fixture
def tasks(catalog: World) -> World:
    Estate.objects.update(risk_grade=RiskGrade.KEY)  # due within the week
    services.patrol_tasks_generate()
    return catalog


def test_my_patrols_lists_only_my_subdistrict(tasks: World):
    page = html(tasks.client_for(tasks.officer_a).get(reverse("patrols:my")))
    assert "甲花园" in page and "甲新村" in page
    assert not B_ONLY.search(page), B_ONLY.findall(page)
    page_b = html(tasks.client_for(tasks.officer_b).get(reverse("patrols:my")))
    assert "乙公寓" in page_b and "甲花园" not in page_b
    # district users go to the full list
    response = tasks.client_for(tasks.dispatcher).get(reverse("patrols:my"))
    assert response.status_code == 302


def test_officer_b_cannot_see_or_act_on_a_task_of_a(tasks: World):
    task = PatrolTask.objects.get(estate=tasks.estate_a)
    client = tasks.client_for(tasks.officer_b)
    assert client.get(reverse("patrols:task_detail", args=[task.pk])).status_code == 404
    assert client.post(reverse("patrols:task_check_in", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status == PatrolStatus.OPEN
    # property staff see no patrols; the studio member reads his studio's, without buttons
    assert (
        tasks.client_for(tasks.clerk_a)
        .get(reverse("patrols:task_detail", args=[task.pk]))
        .status_code
        == 404
    )
    page = html(
        tasks.client_for(tasks.member_a).get(reverse("patrols:task_detail", args=[task.pk]))
    )
    assert 'data-testid="check-in"' not in page and 'data-testid="read-only"' in page


def test_a_patrol_from_check_in_to_a_lead(tasks: World):
    task = PatrolTask.objects.get(estate=tasks.estate_a)
    client = tasks.client_for(tasks.officer_a)
    url = reverse("patrols:task_detail", args=[task.pk])
    assert 'data-testid="check-in"' in html(client.get(url))
    response = client.post(
        reverse("patrols:task_check_in", args=[task.pk]),
        {"latitude": "31.25", "longitude": "121.40"},
    )
    assert response.status_code == 302
    vt = ViolationType.objects.effective().get(code="group_rental")
    response = client.post(
        reverse("patrols:task_finding", args=[task.pk]),
        {
            "violation_type": vt.pk,
            "description": "5号楼302室疑似群租，隔成六间",
            "address": "5号楼302室",
            "photos": [photo("a.png"), photo("b.png")],
            "to_lead": "1",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(channel="patrol")
    assert complaint.lead is not None and complaint.lead.violation_type == vt
    page = html(client.get(url))
    assert complaint.lead.number in page
    assert reverse("intake:lead_detail", args=[complaint.lead.pk]) in page
    assert page.count('data-testid="finding-photo"') == 2
    # finish: the checklist must be complete; what was typed stays on the page
    response = client.post(
        reverse("patrols:task_checklist", args=[task.pk]),
        {"finish": "1", "summary": "巡查摘要文字", "check_ebike_parking": "ok"},
    )
    page = html(response, 400)
    assert "巡查摘要文字" in page and 'data-testid="error"' in page
    assert re.search(r'name="check_ebike_parking"[^>]*value="ok"[^>]*checked', page)
    codes = services.checklist_codes()
    data = {f"check_{c}": "ok" for c in codes} | {"finish": "1", "summary": "巡查完毕"}
    data["check_group_rental"] = "problem"
    assert client.post(reverse("patrols:task_checklist", args=[task.pk]), data).status_code == 302
    task.refresh_from_db()
    assert task.status == PatrolStatus.DONE and task.checklist["group_rental"] == "problem"
    # finishing twice is refused in words
    page = html(client.post(reverse("patrols:task_checklist", args=[task.pk]), data), 400)
    assert 'data-testid="error"' in page


def test_a_finding_without_description_keeps_the_input(tasks: World):
    task = PatrolTask.objects.get(estate=tasks.estate_a)
    services.patrol_check_in(task=task, actor=tasks.officer_a)
    client = tasks.client_for(tasks.officer_a)
    page = html(
        client.post(
            reverse("patrols:task_finding", args=[task.pk]),
            {"description": "", "address": "7号楼门口"},
        ),
        400,
    )
    assert "7号楼门口" in page and 'data-testid="field-error"' in page
    assert not task.findings.exists()


def test_task_list_filters_and_export(tasks: World):
    client = tasks.client_for(tasks.dispatcher)
    page = html(client.get(reverse("patrols:task_list")))
    assert "甲花园" in page and "乙公寓" in page
    page = html(client.get(reverse("patrols:task_list"), {"subdistrict": tasks.sd_b.pk}))
    assert ">乙公寓</a>" in page and ">甲花园</a>" not in page
    officer = html(tasks.client_for(tasks.officer_a).get(reverse("patrols:task_list")))
    assert "甲花园" in officer and not B_ONLY.search(officer)
    response = client.get(reverse("patrols:task_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_coverage_board_and_drill_down(tasks: World):
    client = tasks.client_for(tasks.leader)
    page = html(client.get(reverse("patrols:coverage")))
    assert "甲街道" in page and "乙街道" in page
    officer = html(tasks.client_for(tasks.officer_a).get(reverse("patrols:coverage")))
    assert "甲街道" in officer and not B_ONLY.search(officer)
    assert tasks.client_for(tasks.clerk_a).get(reverse("patrols:coverage")).status_code == 403
    html(client.get(reverse("patrols:coverage_overdue"), {"subdistrict": tasks.sd_a.pk}))
    response = tasks.client_for(tasks.officer_a).get(
        reverse("patrols:coverage_overdue"), {"subdistrict": tasks.sd_b.pk}
    )
    assert response.status_code == 404


def test_frequency_page(tasks: World):
    client = tasks.client_for(tasks.dispatcher)
    assert 'data-testid="save"' in html(client.get(reverse("patrols:frequency")))
    data = {"key": 5, "general": 10, "good": 20, "unrated": 12}
    assert client.post(reverse("patrols:frequency"), data).status_code == 302
    assert services.frequency_intervals(district=tasks.district)["key"] == 5
    officer = tasks.client_for(tasks.officer_a)
    assert 'data-testid="save"' not in html(officer.get(reverse("patrols:frequency")))
    assert officer.post(reverse("patrols:frequency"), data).status_code == 403
