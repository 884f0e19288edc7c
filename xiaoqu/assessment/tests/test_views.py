"""Pages and downloads: jurisdiction, live vs published, scheme edits, reports opened back."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from xiaoqu.analytics.figures import Period
from xiaoqu.assessment import reports, services
from xiaoqu.assessment.demo import demo_assessment
from xiaoqu.assessment.models import Scheme, Snapshot
from xiaoqu.conftest import World

from .factories import at, history

Q1 = "2026Q1"


@pytest.fixture
def hist(catalog: World) -> World:
    history(catalog)
    return catalog


def _pages(w: World, snapshot: Snapshot, scheme: Scheme) -> list[str]:
    return [
        reverse("assessment:evaluation") + f"?period={Q1}",
        reverse("assessment:unit", args=["subdistrict", w.sd_a.pk]) + f"?period={Q1}",
        snapshot.get_absolute_url(),
        reverse("assessment:snapshot_unit", args=[snapshot.pk, "subdistrict", w.sd_a.pk]),
        reverse("assessment:scheme_list"),
        scheme.get_absolute_url(),
        reverse("assessment:plan"),
        reverse("assessment:reports"),
        reverse("assessment:report_download", args=["yearly", "xlsx"]) + "?year=2026",
        reverse("assessment:report_download", args=["monthly", "docx"]) + "?year=2026&month=2",
    ]


def test_every_page_and_download_refuses_property_companies_and_studios(hist: World):
    w = hist
    scheme = services.scheme_default(district=w.district, year=2026)
    snapshot = services.snapshot_publish(
        scheme=scheme, period=Period.quarter(2026, 1), actor=w.leader
    )
    demo_assessment(district=w.district, seed=3, now=at(2026, 5, 1))
    for user in (w.clerk_a, w.member_a):
        client = w.client_for(user)
        for url in _pages(w, snapshot, scheme):
            assert client.get(url).status_code == 403, (user, url)
    leader = w.client_for(w.leader)
    for url in _pages(w, snapshot, scheme):
        assert leader.get(url).status_code == 200, url


def test_live_table_shows_a_subdistrict_only_its_own_row_the_published_one_everything(hist: World):
    w = hist
    scheme = services.scheme_default(district=w.district, year=2026)
    snapshot = services.snapshot_publish(
        scheme=scheme, period=Period.quarter(2026, 1), actor=w.leader
    )
    officer = w.client_for(w.officer_a)
    live = officer.get(reverse("assessment:evaluation") + f"?period={Q1}").content.decode()
    assert "甲街道" in live and "乙" not in live and "丙" not in live
    assert (
        officer.get(
            reverse("assessment:unit", args=["subdistrict", w.sd_b.pk]) + f"?period={Q1}"
        ).status_code
        == 403
    )
    published = officer.get(snapshot.get_absolute_url()).content.decode()
    assert "甲街道" in published and "乙街道" in published
    # the records behind a cell open only inside the reader's scope
    assert f"subdistrict={w.sd_a.pk}" in published
    assert f"subdistrict={w.sd_b.pk}" not in published
    leader = w.client_for(w.leader).get(snapshot.get_absolute_url()).content.decode()
    assert f"subdistrict={w.sd_b.pk}" in leader and "/analytics/records/" in leader
    # a department's liaison sees its own department only, live
    liaison = w.client_for(w.liaison).get(reverse("assessment:evaluation") + f"?period={Q1}")
    text = liaison.content.decode()
    assert "区房管局" in text and "甲街道" not in text


def test_the_explanation_gives_value_counts_target_formula_and_points(hist: World):
    w = hist
    client = w.client_for(w.manager_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the formula's words
    page = client.get(reverse("assessment:unit", args=["subdistrict", w.sd_a.pk]) + f"?period={Q1}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "-40 %" in text  # the change of complaints per 10k
    assert "6 " in text and "/ 10 " in text  # its counts
    assert "25 × (value − 10) ÷ (-10 − 10)" in text
    assert "figure=complaints" in text


def test_publishing_is_for_leaders_and_the_snapshot_page_says_published(hist: World):
    w = hist
    url = reverse("assessment:publish")
    assert w.client_for(w.dispatcher).post(url, {"period": Q1}).status_code == 403
    response = w.client_for(w.leader).post(url, {"period": Q1})
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302 and response["Location"] == snapshot.get_absolute_url()
    page = w.client_for(w.officer_b).get(snapshot.get_absolute_url()).content.decode()
    assert 'data-testid="published-badge"' in page and 'data-testid="hash-ok"' in page
    live = w.client_for(w.leader).get(reverse("assessment:evaluation")).content.decode()
    assert 'data-testid="live-badge"' in live and snapshot.title in live


def _form(scheme: Scheme, **change: str) -> dict[str, str]:
    rows = list(scheme.indicators.order_by("order"))
    data = {
        "name": scheme.name,
        "note": "调整权重",
        "ind-TOTAL_FORMS": str(len(rows)),
        "ind-INITIAL_FORMS": str(len(rows)),
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, r in enumerate(rows):
        for f in ("code", "name", "applies_to", "weight", "direction", "floor", "target"):
            data[f"ind-{i}-{f}"] = str(getattr(r, f))
    data.update(change)
    return data


def test_scheme_edit_makes_a_version_and_refuses_bad_targets(catalog: World):
    w = catalog
    scheme = services.scheme_default(district=w.district, year=2026)
    url = scheme.get_absolute_url()
    assert w.client_for(w.officer_a).post(url, _form(scheme)).status_code == 403
    assert "scheme-form" not in w.client_for(w.officer_a).get(url).content.decode()
    bad = w.client_for(w.leader).post(url, _form(scheme, **{"ind-1-target": "50"}))
    assert bad.status_code == 400 and 'data-testid="error-target"' in bad.content.decode()
    ok = w.client_for(w.leader).post(
        url, _form(scheme, **{"ind-0-weight": "30", "ind-7-DELETE": "on"})
    )
    assert ok.status_code == 302
    scheme.refresh_from_db()
    assert scheme.version == 2 and scheme.indicators.count() == 7
    page = w.client_for(w.admin).get(url).content.decode()
    assert "105" in page  # subdistrict weights now 30+20+15+10+5+10+15


def test_reports_open_back_with_their_tables_and_charts(hist: World):
    w = hist
    from django.utils import translation

    officer = w.client_for(w.officer_a)
    response = officer.get(
        reverse("assessment:report_download", args=["yearly", "xlsx"]) + "?year=2026"
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    with translation.override("zh-hans"):
        assert wb.sheetnames == reports.sheet_names()
    summary = wb.worksheets[0]
    assert summary.cell(3, 2).value == 6  # A's 6 complaints of 2026
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not any("乙" in c or "丙" in c for c in cells)
    leader = w.client_for(w.leader).get(
        reverse("assessment:report_download", args=["yearly", "xlsx"]) + "?year=2026"
    )
    assert load_workbook(io.BytesIO(leader.content)).worksheets[0].cell(3, 2).value == 16

    client = w.client_for(w.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the summary's words
    doc = client.get(
        reverse("assessment:report_download", args=["monthly", "docx"]) + "?year=2026&month=2"
    )
    assert doc.status_code == 200
    document = Document(io.BytesIO(doc.content))
    assert len(document.inline_shapes) == 3  # the three charts
    text = "\n".join(p.text for p in document.paragraphs)
    # February 2026: A 2 + B 10 complaints; February 2025: 3 + 5 (on 10,000 residents)
    assert "2026-02" in text and "12 complaints" in text and "+50.0 %" in text


def test_plan_highlights_overdue_tasks_and_the_bureau_updates_them(catalog: World):
    w = catalog
    demo_assessment(district=w.district, seed=3, now=at(2026, 5, 1))
    from xiaoqu.assessment.models import Task

    page = w.client_for(w.officer_a).get(reverse("assessment:plan")).content.decode()
    overdue = [t for t in Task.objects.all() if t.is_overdue()]
    assert overdue and page.count('data-testid="overdue-task"') == len(overdue)
    task = overdue[0]
    url = reverse("assessment:task_update", args=[task.pk])
    assert w.client_for(w.officer_a).post(url, {"status": "done"}).status_code == 403
    assert (
        w.client_for(w.dispatcher)
        .post(url, {"status": "done", "done_date": "2026-05-02"})
        .status_code
        == 302
    )
    task.refresh_from_db()
    assert task.status == "done" and task.done_date.isoformat() == "2026-05-02"
